-- A minimal, TEST-ONLY implementation of the runtime interface that generated chunks
-- call (docs/runtime-interface.md). It exists to prove the generated code right before
-- the engine exists: the clock is frozen at the spec's reference instant
-- (Wednesday 2025-05-14 12:00:00 local, UTC+2) and the devices are a subset of the
-- reference home (spec §10.2). Errors raised by helpers are tables
-- {position = p, message = m}, as the interface specifies.

local R = {}
local NIL = {}            -- Marks an EventScript global assigned nil (defined, §5.1).
local globals = {}        -- EventScript globals.
local store = {}          -- $persistent variables.
local NOW, EPOCH, MIDNIGHT = 43200, 1747216800, 1747173600

local function fail(p, message) error({position = p, message = message}, 0) end
R.fail = fail

-- Variables (§5) ---------------------------------------------------------------------

function R.gv(name, p)
  local v = globals[name]
  if v ~= nil then
    if v == NIL then return nil end
    return v
  end
  v = _G[name]
  if v ~= nil then return v end
  fail(p, "Undefined variable: '" .. name .. "'")
end

function R.gs(name, value)
  if value == nil then globals[name] = NIL else globals[name] = value end
  return value
end

local function deep_copy(v, p, name, seen)
  local t = type(v)
  if t == "nil" or t == "boolean" or t == "number" or t == "string" then return v end
  if t ~= "table" or getmetatable(v) ~= nil or seen[v] then
    fail(p, "$" .. name .. ": a value of type '" .. t .. "' cannot be stored")
  end
  seen[v] = true
  local copy = {}
  for k, x in pairs(v) do copy[deep_copy(k, p, name, seen)] = deep_copy(x, p, name, seen) end
  seen[v] = nil
  return copy
end

function R.pget(name, p) return deep_copy(store[name], p, name, {}) end
function R.pset(name, value, p) store[name] = deep_copy(value, p, name, {}); return value end

-- Devices (§10), a small subset ------------------------------------------------------

local devices = {
  [55] = {name = "hall_lamp", value = false, actions = true},
  [56] = {name = "kitchen_dimmer", value = 40, actions = true},
  [66] = {name = "hall_motion", value = false, batteryLevel = 80},
  [67] = {name = "front_door", value = true},
  [77] = {name = "living_temp", value = 21.5},
  [78] = {name = "bedroom_temp", value = 23.5},
  garage = {name = "garage_door", value = 0, actions = true},
}

local function on(v) return v == true or (type(v) == "number" and v > 0) end

local function device(id, p)
  local d = devices[id]
  if d == nil then
    fail(p, type(id) == "string" and ("No such device: '" .. id .. "'") or ("No such device: " .. tostring(id)))
  end
  return d
end

local getters = {
  value = function(d) return d.value end,
  isOn = function(d) return on(d.value) end, breached = function(d) return on(d.value) end,
  isOpen = function(d) return on(d.value) end,
  isOff = function(d) return not on(d.value) end, safe = function(d) return not on(d.value) end,
  isClosed = function(d) return not on(d.value) end,
  bat = function(d) return d.batteryLevel end, name = function(d) return d.name end,
}
local actions = {on = true, off = false}
local any_of = {isOn = true, breached = true, isOpen = true}

local function get_one(id, name, p)
  local d = device(id, p)
  if actions[name] ~= nil then d.value = actions[name]; return true end
  local g = getters[name]
  if g == nil then fail(p, "Device " .. tostring(id) .. " does not support '" .. name .. "'") end
  return g(d)
end

function R.prop(env, x, name, p)
  if type(x) ~= "table" then return get_one(x, name, p) end
  if name == "sum" then local s = 0 for _, v in ipairs(x) do s = s + v end return s end
  local results = {}
  for i, id in ipairs(x) do results[i] = get_one(id, name, p) end
  if any_of[name] then
    for _, v in ipairs(results) do if v then return true end end
    return false
  end
  return results
end

function R.setprop(env, x, name, value, p)
  local ids = type(x) == "table" and x or {x}
  for _, id in ipairs(ids) do
    local d = device(id, p)
    if name ~= "value" then fail(p, "property '" .. name .. "' cannot be set") end
    d.value = value
  end
  return value
end

function R.mcall(env, x, m, p, ...)
  if (type(x) == "number" or type(x) == "string") and devices[x] ~= nil then
    local d = devices[x]
    if m == "setValue" then d.value = ...; return true end
    fail(p, "Device " .. tostring(x) .. " does not support '" .. m .. "'")
  end
  local f = x[m]
  if f == nil and type(x) == "table" then
    for _, id in ipairs(x) do R.mcall(env, id, m, p, ...) end
    return true
  end
  return f(x, ...)
end

-- Operators (§3) ---------------------------------------------------------------------

R.str = tostring

function R.coalesce(a, b)
  if a == nil then return b end
  return a
end

local SHORT = 31536000
function R.between(a, b, p)
  if type(a) ~= "number" or type(b) ~= "number" then
    fail(p, "'..' is the between operator on times; use '++' to join strings")
  end
  if a < SHORT and b < SHORT then
    if a <= b then return a <= NOW and NOW <= b end
    return NOW >= a or NOW <= b
  end
  if a >= SHORT and b >= SHORT then return a <= EPOCH and EPOCH <= b end
  fail(p, "cannot mix short and long times in '..'")
end

function R.iter(t, p)
  if type(t) ~= "table" then fail(p, "attempt to iterate over a " .. type(t) .. " value") end
  local n, i, key = #t, 0, nil
  return function()
    if i < n then i = i + 1; return i, t[i] end
    repeat
      key = next(t, key)
    until key == nil or not (math.type(key) == "integer" and key >= 1 and key <= n)
    if key ~= nil then return key, t[key] end
  end
end

function R.event(name, fields) fields.type = name; return fields end

-- Time (§9) with the reference zone's rule reduced to "summer is April to October" --

local function days_from_civil(y, m, d)
  y = m <= 2 and y - 1 or y
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

function R.date(year, month, day, seconds, p)
  year = year or 2025
  local offset = (month >= 4 and month <= 10) and 7200 or 3600
  return days_from_civil(year, month, day) * 86400 + seconds - offset
end
function R.today(x, p) return MIDNIGHT + x end
function R.next_time(x, p)
  local t = MIDNIGHT + x
  if t > EPOCH then return t end
  return t + 86400
end
function R.from_now(x, p) return EPOCH + x end

-- Rule helpers (§7): enough for the generated code to run ---------------------------

-- §7.3, reduced: "$v" binds, "$v<op>n" binds and compares numbers, else equality.
local compare = {
  ["=="] = function(a, b) return a == b end, ["~="] = function(a, b) return a ~= b end,
  ["<"] = function(a, b) return a < b end, ["<="] = function(a, b) return a <= b end,
  [">"] = function(a, b) return a > b end, [">="] = function(a, b) return a >= b end,
}
function R.match(env, k)
  local pattern, event = env.patterns[k], env.event
  if event == nil or event.type ~= pattern.type then return false end
  for key, want in pairs(pattern) do
    local have = event[key]
    if type(want) == "string" and want:sub(1, 1) == "$" then
      local name, op, text = want:match("^%$([%w_]*)([=~<>]*)(.*)$")
      if have == nil then return false end
      if op ~= "" and not compare[op](tonumber(have), tonumber(text)) then return false end
      if name ~= "" then env.cap[name] = have end
    elseif key ~= "type" and have ~= want then
      return false
    end
  end
  return event
end
function R.at(env, k) return env.event ~= nil and env.event.type == "daily" end
function R.interval(env) return env.event ~= nil and env.event.type == "interval" end
function R.true_for(env, k, seconds, value, p) return false end
function R.once(env, k, value, p)
  env.once = env.once or {}
  local before = env.once[k]
  env.once[k] = value and true or false
  return (value and not before) and true or false
end
function R.again(env, n, p) fail(p, "again() can only be used in the action of a trueFor rule") end
function R.cooldown(env, k, seconds, p) return true end
function R.every(env, k, count, p) return true end
function R.first_in(env, k, a, b, p) return true end
function R.wait(env, seconds, p) end

-- Built-ins the examples use (the engine provides the full §11 set) -----------------

sunrise, sunset = 18660, 75240
function size(x)
  if type(x) ~= "table" and type(x) ~= "string" then
    error("size: expected a table or string, got " .. type(x), 0)
  end
  return #x
end

-- Definition (RI §5.2, §5.7) --------------------------------------------------------

-- What R.prop, R.setprop and R.mcall would raise for one access (spec §10.9), without
-- performing it.
local function check_device(id, name, mode, p)
  device(id, p)
  local supported = (mode == "get" and (getters[name] ~= nil or actions[name] ~= nil))
    or (mode == "set" and name == "value") or (mode == "call" and name == "setValue")
  if not supported then
    local what = mode == "set" and "setting '" or "'"
    fail(p, "Device " .. tostring(id) .. " does not support " .. what .. name .. "'")
  end
end

local function check_access(x, name, mode, p)
  assert(type(name) == "string" and math.type(p) == "integer", "checks: malformed quadruple")
  -- A check by name (an action's X is a global name) only warns in the engine.
  if mode == "name_get" or mode == "name_set" or mode == "name_call" then
    assert(type(x) == "string", "checks: a check by name gives the name")
    return
  end
  assert(mode == "get" or mode == "set" or mode == "call", "checks: unknown mode")
  if type(x) ~= "table" then
    -- A string that names no device takes a Lua string method (§10.8).
    if mode == "call" and type(x) == "string" and devices[x] == nil then return end
    return check_device(x, name, mode, p)
  end
  if (mode == "get" and name == "sum") or (mode == "call" and x[name] ~= nil) then return end
  for _, id in ipairs(x) do check_device(id, name, mode, p) end
end

-- Defines a rule descriptor as the engine does: evaluates trigger_fn, then runs the
-- checks. X may be nil, so the list is walked by its names, never with `#`.
local function define(descriptor)
  local env = {cap = {}}
  local definition = {devices = {}, patterns = {}}
  if descriptor.trigger_fn ~= nil then definition = descriptor.trigger_fn(env) end
  if descriptor.checks ~= nil then
    local list, i = descriptor.checks(env), 1
    while list[i + 1] ~= nil do
      check_access(list[i], list[i + 1], list[i + 2], list[i + 3])
      i = i + 4
    end
    for k in pairs(list) do
      assert(math.type(k) == "integer" and k >= 1 and k < i, "checks: not flat quadruples")
    end
  end
  return definition
end

-- Test driver -------------------------------------------------------------------------

local function serialize(v)
  local t = type(v)
  if t == "string" then return (string.format("%q", v):gsub("\\\n", "\\n")) end
  if t ~= "table" then return tostring(v) end
  local parts, n = {}, #v
  for i = 1, n do parts[#parts + 1] = serialize(v[i]) end
  local keys = {}
  for k in pairs(v) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for _, k in ipairs(keys) do parts[#parts + 1] = tostring(k) .. "=" .. serialize(v[k]) end
  return "{" .. table.concat(parts, ",") .. "}"
end

local function message_of(err)
  if type(err) == "table" then return err.message end
  return (tostring(err):gsub("^[^:]*:%d+: ", ""):gsub(" %(%a+ '[^']*'%)$", ""))
end

-- Runs a script descriptor; returns its values as text, "(none)" or "error: <msg>".
local function run_script(descriptor)
  local results = table.pack(pcall(descriptor.run, {cap = {}}))
  if not results[1] then return "error: " .. message_of(results[2]) end
  if results.n == 1 then return "(none)" end
  local parts = {}
  for i = 2, results.n do parts[#parts + 1] = serialize(results[i]) end
  return table.concat(parts, ", ")
end

return {R = R, define = define, run_script = run_script, serialize = serialize, message_of = message_of}
