-- The device layer (spec §10, RI §4.2): the device registry, property reads and writes
-- from EventScript (R.prop, R.setprop, R.mcall), the simulated home, change events,
-- the definition-time checks of §10.9, the host API (er.defineDevice, er.device) and
-- the hooks for real device backends (docs/devices.md).
--
-- Speed matters here: `sensor:value => lamp:value = sensor:value` must run hundreds of
-- thousands of times a second, so a get or set on one device is a registry lookup, a
-- per-shape dispatch table lookup (er.device_dispatch) and one call. Everything rarer
-- (lists, filters, errors) takes the slow paths below.

local types = require("er.device_types")
local util = require("er.util")
local dispatch = require("er.device_dispatch")
local ramp_module = require("er.device_ramp")

local M = {}

-- The bus message a backend posts to report a property (see device_backend.h).
M.REPORT_MESSAGE = "er.device"
M.REPORT_BATCH_MESSAGE = "er.device.batch"

local on = dispatch.on
local EMPTY_TYPE = {props = {}, actions = {}}

local NOTIFY_BACKEND = "notify"

local function id_text(id)
  if type(id) == "string" then return "'" .. id .. "'" end
  return tostring(id)
end

local function describe(dev) return "Device " .. id_text(dev.id) .. " (" .. dev.type .. ")" end

local function with_hint(message, hint, note)
  if note ~= nil then return message .. " (" .. note .. ")" end
  if hint == nil then return message end
  return message .. " (" .. hint .. " are not supported yet)"
end

local function unsupported_get(dev, name)
  local hint, note = types.HINTS[name], types.NOTES[name]
  local guess = hint == nil and note == nil and dev ~= nil and util.did_you_mean(name, dev.getters) or ""
  return with_hint(describe(dev) .. " does not support '" .. name .. "'" .. guess, hint, note)
end

local function unsupported_set(dev, name)
  if types.READ_ONLY[name] then return "property '" .. name .. "' cannot be set" end
  local hint, note = types.SET_HINTS[name] or types.HINTS[name], types.NOTES[name]
  local guess = hint == nil and note == nil and dev ~= nil and util.did_you_mean(name, dev.setters) or ""
  return with_hint(describe(dev) .. " does not support setting '" .. name .. "'" .. guess, hint, note)
end

-- Integer-valued floats name the same device as the integer (Lua keys do the same).
local function normalize_id(id)
  if type(id) == "number" then return math.tointeger(id) end
  if type(id) == "string" then return id end
  return nil
end

local function set_of(list)
  local set = {}
  for _, name in ipairs(list or {}) do set[name] = true end
  return set
end

local function copy_set(set)
  local copy = {}
  for k in pairs(set) do copy[k] = true end
  return copy
end

-- Device ids in order: numbers first, then strings, each ascending.
local id_less = util.number_then_string_less

--- Creates the device layer: fills R.prop, R.setprop, R.mcall, er.defineDevice and
--- er.device, and returns D (get, each, define, check, on_action, attach_backend, ...).
--- Changes go out through core.emit_device / core.emit and store.device_changed.
function M.new(base, core, store)
  local D = {}

  local registry = {}        -- id -> device
  local observers = {}       -- on_action functions
  local backends = {}        -- backend name -> send(id, action, args, n, json_mask)
  local type_dispatch = {}   -- type name -> dispatch of devices without extras
  local active_source = nil  -- the source of the action a host function performs now
  local ramps, simulated    -- set below (they need update/perform)

  local Device = {}
  Device.__index = Device
  Device.__name = "device"

  local log, fail = base.log, base.fail
  -- The engine clock in ms; the native directly, saving a call on every change.
  local epoch_ms = base.native.epoch_ms

  local function current_source()
    if core.current_run() ~= nil then return "script" end
    return "device"
  end

  -- Event-only properties post on every emission and keep no value (§10.1).
  local function emit(dev, prop, value)
    local ms = epoch_ms()
    core.emit({type = "device", id = dev.id, property = prop, value = util.deep_copy(value),
            timestamp = ms % 1000 == 0 and ms // 1000 or ms / 1000})
    return true
  end

  local declare  -- gives a device a property it did not have (below)

  -- The one place a property changes: value, change time, source, event, store.
  -- Hosts watching property changes (the control API streams them): fn(id, property,
  -- value, old) after each change.
  local change_observers = {}
  function D.on_change(fn) change_observers[#change_observers + 1] = fn end

  local function update(dev, prop, value, source)
    if dev.events[prop] then return emit(dev, prop, value) end
    local values = dev.values
    local old = values[prop]
    if old == value then return false end
    if type(value) == "table" then
      if type(old) == "table" and util.deep_equal(old, value) then return false end
      value = util.deep_copy(value)
    end
    if old == nil and not dev.props[prop] then declare(dev, prop) end
    if prop == "value" and dev.ramp ~= nil then ramps.value_changed(dev, value) end
    values[prop] = value
    local ms = epoch_ms()
    dev.changed[prop] = ms
    dev.sources[prop] = source
    core.emit_device(dev.id, prop, value, old, values, ms)
    store.device_changed(dev.id, prop, value, ms)
    for i = 1, #change_observers do change_observers[i](dev.id, prop, value, old) end
    return true
  end

  -- Tells the action observers: `list` holds the action's arguments, in a table of
  -- its own (observers keep it).
  local function notify(dev, action, list)
    local epoch = epoch_ms() // 1000
    for i = 1, #observers do observers[i](dev.id, action, list, epoch) end
  end

  local function finish_host_action(saved, ok, ...)
    active_source = saved
    if not ok then error((...), 0) end
    return ...
  end

  -- A real device: the backend gets the request; the value changes when it reports.
  local function send_to_backend(dev, action, args)
    local send = backends[dev.backend]
    if send == nil then
      log("error", describe(dev) .. ": backend '" .. tostring(dev.backend) .. "' is not attached")
      return false
    end
    if dev.values.available == false then
      -- Sent all the same (the device may be back before the broker gives up on it),
      -- but never lost in silence.
      log("warn", describe(dev) .. ": " .. action .. " while the device is unavailable")
    end
    local wire, json_mask = {}, 0
    for i = 1, args.n do
      local v = args[i]
      if type(v) == "table" then
        wire[i], json_mask = util.json_encode(v), json_mask | (1 << (i - 1))
      else
        wire[i] = v
      end
    end
    send(dev.id, action, wire, args.n, json_mask)
    return true
  end

  -- Performs an action with packed arguments ({n=, ...}): observers first, then the
  -- host's function, the backend or the simulation. Returns the action's results.
  local function perform_args(dev, action, source, args)
    if observers[1] ~= nil then
      local list = {}
      for i = 1, args.n do list[i] = args[i] end
      notify(dev, action, list)
    end
    local host = dev.host_actions
    local fn = host and host[action]
    if fn ~= nil then
      local saved = active_source
      active_source = source
      return finish_host_action(saved, pcall(fn, dev, table.unpack(args, 1, args.n)))
    end
    if dev.backend ~= nil then return send_to_backend(dev, action, args) end
    local simulate = dev.simulate[action]
    if simulate ~= nil then simulate(dev, source, args[1], args[2], args[3], args[4]) end
    return true
  end

  -- The fast path for up to four arguments: a simulated device needs no argument
  -- table (observers get a list of them; the arguments after the n-th are nil).
  local function perform(dev, action, source, n, a, b, c, d)
    if dev.host_actions == nil and dev.backend == nil then
      if observers[1] ~= nil then notify(dev, action, {a, b, c, d}) end
      local simulate = dev.simulate[action]
      if simulate ~= nil then simulate(dev, source, a, b, c, d) end
      return true
    end
    return perform_args(dev, action, source, {n = n, a, b, c, d})
  end

  ramps = ramp_module.new(core, {perform = perform, update = update, fail = fail})
  simulated = require("er.device_simulation").new(update, ramps)

  local ops = {perform = perform, update = update, emit = emit, epoch_ms = epoch_ms, fail = fail,
               dim_setter = ramps.dim}

  -- The dispatch tables of a shape plus the simulated behaviour of its actions.
  local function build_dispatch(shape)
    local tables = dispatch.build(shape, ops)
    tables.simulate = simulated.for_actions(shape)
    tables.events, tables.props, tables.shape = shape.events, shape.props, shape
    return tables
  end

  local function attach_dispatch(dev, tables)
    dev.getters, dev.kinds, dev.setters = tables.getters, tables.kinds, tables.setters
    dev.actions, dev.simulate, dev.events = tables.actions, tables.simulate, tables.events
    dev.props, dev.shape = tables.props, tables.shape
  end

  declare = function(dev, prop)
    local shape = dev.shape
    local props = copy_set(shape.props)
    props[prop] = true
    local grown = {props = props, events = shape.events, actions = shape.actions,
                   numeric = shape.numeric}
    attach_dispatch(dev, build_dispatch(grown))
    dev.changed[prop] = epoch_ms()
    dev.sources[prop] = "device"
  end

  D.update, D.emit, D.perform = update, emit, perform
  -- The source of a change made now: "script" inside a run, else "device" (§10.1).
  D.current_source = current_source
  D.perform_args, D.id_text, D.describe = perform_args, id_text, describe
  D.unsupported_get, D.unsupported_set = unsupported_get, unsupported_set
  D.on = on

  ---------------------------------------------------------------------------------
  -- Definition (§12 er.defineDevice)
  ---------------------------------------------------------------------------------

  local function type_shape(typedef)
    local props = {dead = true}
    for name in pairs(typedef.props) do props[name] = true end
    return {props = props, events = set_of(typedef.events), actions = set_of(typedef.actions)}
  end

  -- The device's shape: its type's, plus host props and actions the type lacks.
  local function device_dispatch(type_name, typedef, values, host_actions)
    local shape = type_shape(typedef)
    -- Only a numeric value can be dimmed; the type's default decides, else the host's.
    local default = typedef.props.value
    if default == nil then default = values.value end
    shape.numeric = type(default) == "number"
    local extra = false
    for name in pairs(values) do
      if not shape.props[name] then shape.props[name], extra = true, true end
    end
    for name in pairs(host_actions or {}) do
      if not shape.actions[name] then shape.actions[name], extra = true, true end
    end
    if extra then return build_dispatch(shape) end
    local cached = type_dispatch[type_name]
    if cached == nil then
      cached = build_dispatch(shape)
      type_dispatch[type_name] = cached
    end
    return cached
  end

  local function initial_values(id, typedef, props)
    local values = {dead = false}
    for name, v in pairs(typedef.props) do values[name] = util.deep_copy(v) end
    for name, v in pairs(props or {}) do values[name] = util.deep_copy(v) end
    local stored = store.device_state(id)
    for name, v in pairs(stored or {}) do values[name] = util.deep_copy(v) end
    return values
  end

  local function check_spec(spec, id)
    if type(spec) ~= "table" then error("defineDevice: expected a table", 3) end
    if id == nil then error("defineDevice: id must be an integer or a string", 3) end
    if registry[id] ~= nil then
      error("defineDevice: device " .. id_text(id) .. " is already defined", 3)
    end
    if type(spec.type) ~= "string" then error("defineDevice: type must be a string", 3) end
    if spec.props ~= nil and type(spec.props) ~= "table" then
      error("defineDevice: props must be a table", 3)
    end
    for name, fn in pairs(spec.actions or {}) do
      if type(name) ~= "string" or type(fn) ~= "function" then
        error("defineDevice: actions must map action names to functions", 3)
      end
    end
  end

  local by_name = {}  -- name given in a definition -> device

  -- Where a user's notifications go (docs/notifications.md): push target names, the
  -- email address and the email target.
  local function contact_of(spec)
    return {name = spec.name ~= nil and tostring(spec.name) or tostring(spec.id), push = spec.push,
            email = spec.email, email_target = spec.email_target}
  end

  function D.define(spec)
    local id = type(spec) == "table" and normalize_id(spec.id) or nil
    check_spec(spec, id)
    local named = spec.name ~= nil and by_name[tostring(spec.name)]
    if named and named.id ~= id then
      error("defineDevice: the name '" .. tostring(spec.name) .. "' is already used by device " .. id_text(named.id), 2)
    end
    local typedef = types.TYPES[spec.type] or EMPTY_TYPE
    local values = initial_values(id, typedef, spec.props)
    -- A copy of the host's actions: later edits of its table change nothing.
    local host_actions = nil
    if spec.actions ~= nil and next(spec.actions) ~= nil then
      host_actions = util.deep_copy(spec.actions)
    end
    local dev = setmetatable({
      id = id, name = spec.name ~= nil and tostring(spec.name) or tostring(id), type = spec.type,
      values = values, changed = {}, sources = {}, backend = spec.backend,
      host_actions = host_actions, room = spec.room ~= nil and tostring(spec.room) or nil, parent = spec.parent,
      contact = spec.type == "user" and contact_of(spec) or nil,
    }, Device)
    -- Users' actions are notifications (er.notify), unless the host performs them.
    if dev.contact and dev.backend == nil and host_actions == nil then dev.backend = NOTIFY_BACKEND end
    attach_dispatch(dev, device_dispatch(spec.type, typedef, values, dev.host_actions))
    local now = epoch_ms()
    for name in pairs(dev.props) do dev.changed[name], dev.sources[name] = now, "device" end
    -- A value restored from the state file keeps the time it last changed.
    for name, ms in pairs(store.device_times(id) or {}) do
      if values[name] ~= nil then dev.changed[name] = ms end
    end
    registry[id] = dev
    if spec.name ~= nil then by_name[dev.name] = dev end
    return dev
  end

  --- Takes device `id` out of the registry (a reload whose home.lua no longer lists
  --- it); returns the device, which D.restore can put back as it was.
  function D.remove(id)
    local dev = D.get(id)
    if dev == nil then return nil end
    ramps.stop(dev)
    registry[dev.id] = nil
    if by_name[dev.name] == dev then by_name[dev.name] = nil end
    return dev
  end

  --- Puts a device taken out by D.remove back, with its values.
  function D.restore(dev)
    registry[dev.id] = dev
    if dev.name ~= tostring(dev.id) then by_name[dev.name] = dev end
  end

  --- Gives device `id` another name (nil: its id as name); the old name no longer
  --- names it.
  function D.rename(id, name)
    local dev = D.get(id)
    if by_name[dev.name] == dev then by_name[dev.name] = nil end
    dev.name = name ~= nil and tostring(name) or tostring(dev.id)
    if name ~= nil then by_name[dev.name] = dev end
  end

  function D.get(id)
    local dev = registry[id]
    if dev == nil then dev = registry[normalize_id(id) or false] end
    return dev
  end

  function D.each()
    local ids = {}
    for id in pairs(registry) do ids[#ids + 1] = id end
    table.sort(ids, id_less)
    local i = 0
    return function()
      i = i + 1
      local id = ids[i]
      if id ~= nil then return id, registry[id] end
    end
  end

  function D.on_action(fn) observers[#observers + 1] = fn end

  -- Backends (docs/devices.md): `send(id, action, args, n, json_mask)` gets every
  -- action of the devices defined with `backend = name`; table arguments arrive as
  -- JSON text with their bit (1 << (i - 1)) set in json_mask.
  function D.attach_backend(name, send) backends[name] = send end
  function D.detach_backend(name) backends[name] = nil end

  -- What a device was before anything happened (a retained MQTT message on
  -- subscribe): the value changes and is stored, but no event is posted.
  local function restore(dev, prop, value)
    if dev.events[prop] then return end
    local values = dev.values
    if util.deep_equal(values[prop], value) then return end
    if values[prop] == nil and not dev.props[prop] then declare(dev, prop) end
    values[prop] = type(value) == "table" and util.deep_copy(value) or value
    dev.changed[prop] = epoch_ms()
    dev.sources[prop] = "device"
    store.device_changed(dev.id, prop, value, dev.changed[prop])
  end

  -- A backend's report from the bus: (id, property, value, kind), kind one of
  -- "update", "emit", "restore" and the same with "_json" (value is JSON text).
  -- kind -> {apply, value is JSON}; reports come thousands of times a second.
  local REPORT_KINDS = {
    update = {update, false}, update_json = {update, true}, emit = {emit, false}, emit_json = {emit, true},
    restore = {restore, false}, restore_json = {restore, true},
  }
  function D.apply_report(id, property, value, kind)
    local dev = registry[id] or D.get(id)
    if dev == nil then
      log("error", "device report for unknown device " .. id_text(id))
      return
    end
    local how = REPORT_KINDS[kind]
    if how == nil then return end
    if how[2] then value = util.json_decode(value) end
    if how[1] == update then
      update(dev, property, value, "device")
    else
      how[1](dev, property, value)
    end
  end
  local sys = rawget(_G, "sys")
  if sys ~= nil then
    sys.subscribe(M.REPORT_MESSAGE, D.apply_report)
    -- A batch (every property of one MQTT message): its reports, in order, in this
    -- delivery, so the events they cause are dispatched after all of them.
    local each_report = base.native.each_report
    sys.subscribe(M.REPORT_BATCH_MESSAGE, function(packed) each_report(packed, D.apply_report) end)
  end

  -- The registry is cleared in place: er.device_access holds the same table.
  --- The device defined with this name, or nil.
  function D.named(name) return by_name[name] end

  --- The names given to devices, sorted.
  function D.names()
    local names = {}
    for name in pairs(by_name) do names[#names + 1] = name end
    table.sort(names)
    return names
  end

  base.on_reset(function()
    for id, dev in pairs(registry) do
      ramps.stop(dev)
      registry[id] = nil
    end
    by_name = {}
  end)

  ---------------------------------------------------------------------------------
  -- The device object (§12)
  ---------------------------------------------------------------------------------

  function Device:get(prop) return self.values[prop] end

  function Device:update(prop, value, source)
    if type(prop) ~= "string" then error("update: property name must be a string", 2) end
    return update(self, prop, value, source or active_source or "device")
  end

  function Device:emit(prop, value)
    if type(prop) ~= "string" then error("emit: property name must be a string", 2) end
    return emit(self, prop, value)
  end

  function Device:call(action, ...)
    if not self.actions[action] then error(unsupported_get(self, tostring(action)), 2) end
    return perform_args(self, action, current_source(), table.pack(...))
  end

  function Device:__tostring() return describe(self) end

  base.er.defineDevice = D.define
  base.er.device = D.get

  -- §10.2 reference home, for test.start{home = "reference"}.
  function D.define_reference_home()
    for _, spec in ipairs(types.REFERENCE_HOME) do D.define(util.deep_copy(spec)) end
  end

  require("er.device_access").install(base, D, registry)
  return D
end

return M
