-- EventScript's access to devices (RI §4.2): R.prop (`X:p`), R.setprop (`X:p = v`),
-- R.mcall (`X:m(args)`) and the definition-time checks D.check (§10.9), installed by
-- er.devices with the base's R, fail, slice and limits.
-- X is a device id, a list of ids (§10.7) or, for method calls, any Lua value.

local types = require("er.device_types")
local filters = require("er.device_filters")

local M = {}

function M.install(base, D, registry)
  local R, fail = base.R, base.fail
  local slice, limits = base.slice, base.limits

  -- Every action compiled code performs counts toward the run's limit (scripts: none).
  local function count_action(p)
    local n = slice.actions + 1
    slice.actions = n
    if n > limits.actions_per_run and slice.rule then
      fail(p, string.format("too many device actions without waiting (limit actions_per_run = %d)",
        limits.actions_per_run))
    end
  end

  local function no_such_device(x, p) fail(p, "No such device: " .. D.id_text(x)) end

  -- A device object the host passed instead of an id (er.device(55)).
  local function is_device(x) return getmetatable(x) ~= nil and registry[x.id] == x end

  -- The device for an element of a list (or a device object the host passed).
  local function device_of(x, p)
    local dev = registry[x]
    if dev == nil then
      if type(x) == "table" and is_device(x) then return x end
      no_such_device(x, p)
    end
    return dev
  end

  local function get_one(env, x, name, p)
    local dev = device_of(x, p)
    local getter = dev.getters[name]
    if getter == nil then fail(p, D.unsupported_get(dev, name)) end
    return getter(dev, env), dev.kinds[name]
  end

  -- §10.3 "On a list": any / all reduce to one boolean; `central`/`key` read the
  -- element that sent the run's button event; actions apply to each element and give
  -- true; everything else gives the list of the elements' values.
  local function get_list(env, list, name, p)
    local filter = filters[name]
    if filter ~= nil then return filter(list, env) end
    local reduction = types.LIST_REDUCTION[name]
    if reduction == "any" or reduction == "all" then
      local want = reduction == "any"
      for i = 1, #list do
        if (get_one(env, list[i], name, p) and true or false) == want then return want end
      end
      return not want
    end
    -- An empty list gives true for the §10.4 actions and {} for everything else.
    local results, all_actions = {}, #list > 0 or types.ACTION_FORMS[name] ~= nil
    for i = 1, #list do
      local value, kind = get_one(env, list[i], name, p)
      if reduction == "event" and value ~= nil and (name == "key" or next(value) ~= nil) then
        return value
      end
      results[i] = value
      if kind ~= "action" then all_actions = false end
    end
    if reduction == "event" then return name == "central" and {} or nil end
    if all_actions then return true end
    return results
  end

  function R.prop(env, x, name, p)
    local dev = registry[x]
    if dev ~= nil then
      local getter = dev.getters[name]
      if getter ~= nil then return getter(dev, env) end
      fail(p, D.unsupported_get(dev, name))
    end
    if type(x) == "table" then
      if is_device(x) then return R.prop(env, x.id, name, p) end
      return get_list(env, x, name, p)
    end
    no_such_device(x, p)
  end

  local function set_one(x, name, value, p)
    local dev = device_of(x, p)
    local setter = dev.setters[name]
    if setter == nil then fail(p, D.unsupported_set(dev, name)) end
    setter(dev, value, p)
  end

  function R.setprop(env, x, name, value, p)
    count_action(p)
    local dev = registry[x]
    if dev ~= nil then
      local setter = dev.setters[name]
      if setter == nil then fail(p, D.unsupported_set(dev, name)) end
      setter(dev, value, p)
      return value
    end
    if type(x) ~= "table" then no_such_device(x, p) end
    if filters[name] ~= nil then fail(p, D.unsupported_set(nil, name)) end
    if is_device(x) then
      set_one(x, name, value, p)
    else
      for i = 1, #x do set_one(x[i], name, value, p) end
    end
    return value
  end

  -- A device action by method call: its own action m, else a §10.4 property-form
  -- name (`55:on()`), else unsupported.
  local function call_action(env, dev, m, p, ...)
    count_action(p)
    if dev.actions[m] then
      local n = select("#", ...)
      -- Reached only from compiled EventScript: the change is the script's (§10.1).
      if n <= 4 then return D.perform(dev, m, "script", n, ...) end
      return D.perform_args(dev, m, "script", table.pack(...))
    end
    if types.ACTION_FORMS[m] ~= nil and dev.kinds[m] == "action" then
      return dev.getters[m](dev, env)
    end
    fail(p, D.unsupported_get(dev, m))
  end

  local function field(x, m) return x[m] end

  -- Anything else: Lua's method call, with Lua's messages when it cannot be made.
  local function lua_method_call(x, m, p, ...)
    local ok, method = pcall(field, x, m)
    if not ok then fail(p, "attempt to index a " .. type(x) .. " value") end
    local callable = type(method) == "function"
        or (getmetatable(method) ~= nil and getmetatable(method).__call ~= nil)
    if not callable then fail(p, "attempt to call a " .. type(method) .. " value") end
    return method(x, ...)
  end

  function R.mcall(env, x, m, p, ...)
    local dev = registry[x]
    if dev ~= nil then return call_action(env, dev, m, p, ...) end
    local tx = type(x)
    if tx == "number" then no_such_device(x, p) end
    if tx == "table" then
      if is_device(x) then return call_action(env, x, m, p, ...) end
      if x[m] == nil then
        for i = 1, #x do R.mcall(env, x[i], m, p, ...) end
        return true
      end
    end
    return lua_method_call(x, m, p, ...)
  end

  ---------------------------------------------------------------------------------
  -- Definition-time checks (§10.9)
  ---------------------------------------------------------------------------------

  local function check_one(x, name, mode, p)
    local dev = device_of(x, p)
    if mode == "get" then
      if dev.getters[name] == nil then fail(p, D.unsupported_get(dev, name)) end
    elseif dev.setters[name] == nil then
      fail(p, D.unsupported_set(dev, name))
    end
  end

  -- Raises the §10.9 error of the first problem of `X:name` (mode "get", "set") or
  -- `X:name(...)` (mode "call") for the definition-time value x of X.
  function D.check(x, name, mode, p)
    if mode == "call" then
      local dev = registry[x]
      if dev ~= nil then
        if not dev.actions[name] and dev.kinds[name] ~= "action" then
          fail(p, D.unsupported_get(dev, name))
        end
      elseif type(x) == "number" then
        no_such_device(x, p)
      end
      return
    end
    if type(x) ~= "table" or registry[x] ~= nil then return check_one(x, name, mode, p) end
    if filters[name] ~= nil then
      if mode == "set" then fail(p, D.unsupported_set(nil, name)) end
      return
    end
    for i = 1, #x do check_one(x[i], name, mode, p) end
  end
end

return M
