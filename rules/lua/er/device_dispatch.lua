-- Per-shape dispatch tables of the device layer. A shape is what a device has: its
-- properties, event-only properties and actions (sets of names), and whether its value
-- is numeric (only then can it be dimmed). For each shape this module builds,
-- once, three tables keyed by the names EventScript uses after ':'
--
--   getters[name] = function(dev, env) -> value     (§10.3, §10.4 property form)
--   kinds[name]   = "list" | "any" | "all" | "event" | "action"   (list behaviour)
--   setters[name] = function(dev, value, p)           (§10.5, §10.6)
--
-- so that `55:value` or `55:value = v` on one device is two table lookups and a call.
-- A name missing from a table is one the device does not support.

local types = require("er.device_types")

local M = {}

-- Every getter and setter here is reached from compiled EventScript (R.prop,
-- R.setprop) or from a rule's ramp, so the change it causes is always the script's
-- (§10.1); no need to ask which run is current.
local SCRIPT = "script"

local function on(v) return v == true or (type(v) == "number" and v > 0) end
M.on = on

-- The getters that read the value property (§10.3 rows that trigger on value).
local function value_getters(getters, kinds, ops)
  local epoch_ms = ops.epoch_ms
  local function value(dev) return dev.values.value end
  local function is_on(dev) return on(dev.values.value) end
  local function is_off(dev) return not on(dev.values.value) end
  local own = {
    value = value, lux = value, temp = value, trigger = value,  -- trigger: EventRunner7's name
    isOn = is_on, breached = is_on, isOpen = is_on, isAllOn = is_on,
    isOff = is_off, safe = is_off, isClosed = is_off, isAnyOff = is_off,
    last = function(dev) return (epoch_ms() - dev.changed.value) // 1000 end,
    lastChanged = function(dev) return dev.changed.value // 1000 end,
    manual = function(dev)
      if dev.sources.value ~= "device" then return -1 end
      return (epoch_ms() - dev.changed.value) // 1000
    end,
  }
  for name, getter in pairs(own) do
    getters[name], kinds[name] = getter, types.LIST_REDUCTION[name] or "list"
  end
end

-- The button event that started this run, if it came from `dev`.
local function own_button_event(dev, env)
  local event = env and env.event
  if event ~= nil and event.type == "device" and event.id == dev.id
      and event.property == "centralSceneEvent" and type(event.value) == "table" then
    return event.value
  end
  return nil
end

-- The value of the `property` event that started this run, if it came from `dev`.
local function own_event_value(dev, env, property)
  local event = env and env.event
  if event ~= nil and event.type == "device" and event.id == dev.id and event.property == property then
    return event.value
  end
  return nil
end

-- EventRunner7's `scene` (the HC3 scene id a button activated) and `access` (a door
-- lock's access control event) of the event that started this run.
local function scene_and_access_getters(getters, kinds, events)
  if events.sceneActivationEvent then
    getters.scene = function(dev, env)
      local value = own_event_value(dev, env, "sceneActivationEvent")
      if type(value) == "table" then return value.sceneId end
      return value
    end
    kinds.scene = "event"
  end
  if events.accessControlEvent then
    getters.access = function(dev, env) return own_event_value(dev, env, "accessControlEvent") or {} end
    kinds.access = "event"
  end
end

local function event_getters(getters, kinds)
  getters.central = function(dev, env)
    local value = own_button_event(dev, env)
    if value == nil then return {} end
    return {keyId = value.keyId, keyAttribute = value.keyAttribute}
  end
  getters.key = function(dev, env)
    local value = own_button_event(dev, env)
    if value == nil then return nil end
    return tostring(value.keyId) .. ":" .. tostring(value.keyAttribute)
  end
  kinds.central, kinds.key = "event", "event"
end

-- `HTname` and `roomName` are EventRunner7's: the name a rule knows the device by
-- (ER7: its home table's) and the `room` given in home.lua (ER7: the HC3's room).
local function metadata_getters(getters, kinds)
  getters.name = function(dev) return dev.name end
  getters.type = function(dev) return dev.type end
  getters.id = function(dev) return dev.id end
  getters.HTname = getters.name
  getters.roomName = function(dev) return dev.room end
  getters.parent = function(dev) return dev.parent end
  kinds.name, kinds.type, kinds.id, kinds.HTname, kinds.roomName = "list", "list", "list", "list", "list"
  kinds.parent = "list"
end

-- EventRunner7's door-lock getters, on devices with a `secured` property.
local function lock_getters(getters, kinds)
  getters.isSecure = function(dev) return on(dev.values.secured) end
  getters.isUnsecure = function(dev) return not on(dev.values.secured) end
  kinds.isSecure, kinds.isUnsecure = types.LIST_REDUCTION.isSecure, types.LIST_REDUCTION.isUnsecure
end

-- `X:wake` (EventRunner7: wakeUpDeadDevice) on every device; a simulated device is
-- alive again at once.
local function wake_getter(ops)
  local perform, update = ops.perform, ops.update
  return function(dev)
    perform(dev, "wakeUpDeadDevice", SCRIPT, 0)
    if dev.backend == nil and dev.host_actions == nil then update(dev, "dead", false, SCRIPT) end
    return true
  end
end

-- Alarm partitions (er.alarm) have `armed` and `breached`; EventRunner7 reads them
-- under these names, each with its own list reduction (device_types.LIST_REDUCTION).
local function alarm_getters(getters, kinds, ops)
  local function armed(dev) return dev.values.armed == true end
  local function disarmed(dev) return dev.values.armed ~= true end
  local function breached(dev) return dev.values.breached == true end
  local function safe(dev) return dev.values.breached ~= true end
  local own = {
    armed = armed, isArmed = armed, isAllArmed = armed, isDisarmed = disarmed,
    isAnyDisarmed = disarmed, isAlarmBreached = breached, isAllAlarmBreached = breached,
    isAlarmSafe = safe, isAnyAlarmSafe = safe,
  }
  for name, getter in pairs(own) do getters[name], kinds[name] = getter, types.LIST_REDUCTION[name] end
  -- tryArm answers the breached devices that kept it from arming, so unlike other
  -- property-form actions it gives the action's result, not true.
  local perform = ops.perform
  getters.tryArm = function(dev) return perform(dev, "tryArm", SCRIPT, 0) end
  kinds.tryArm = "list"
end

-- A property-form action: performs `action` without arguments and returns true.
local function action_getter(ops, action)
  local perform = ops.perform
  return function(dev)
    perform(dev, action, SCRIPT, 0)
    return true
  end
end

-- §10.4 `toggle` on a device without a toggle action: turnOff if on, else turnOn.
local function toggle_getter(ops)
  local perform = ops.perform
  return function(dev)
    perform(dev, on(dev.values.value) and "turnOff" or "turnOn", SCRIPT, 0)
    return true
  end
end

local function add_action_getters(getters, kinds, shape, ops)
  local actions = shape.actions
  for name, action in pairs(types.ACTION_FORMS) do
    if actions[action] then
      getters[name], kinds[name] = action_getter(ops, action), "action"
    end
  end
  if not actions.toggle and actions.turnOn and actions.turnOff then
    getters.toggle, kinds.toggle = toggle_getter(ops), "action"
  end
  getters.wake, kinds.wake = wake_getter(ops), "action"
  -- Any other name p: a property p is read, else an action p is called (§10.3).
  for action in pairs(actions) do
    if getters[action] == nil and not shape.props[action] then
      getters[action], kinds[action] = action_getter(ops, action), "action"
    end
  end
end

local function build_getters(shape, ops)
  local getters, kinds = {}, {}
  local props = shape.props
  if props.value then value_getters(getters, kinds, ops) end
  if shape.events.centralSceneEvent then event_getters(getters, kinds) end
  scene_and_access_getters(getters, kinds, shape.events)
  if props.secured ~= nil then lock_getters(getters, kinds) end
  if props.armed and props.breached then alarm_getters(getters, kinds, ops) end
  metadata_getters(getters, kinds)
  if props.batteryLevel then
    getters.bat, kinds.bat = function(dev) return dev.values.batteryLevel end, "list"
  end
  if props.dead then
    getters.isDead, kinds.isDead = function(dev) return dev.values.dead == true end, "any"
  end
  for name in pairs(props) do
    if getters[name] == nil then
      getters[name], kinds[name] = function(dev) return dev.values[name] end, "list"
    end
  end
  add_action_getters(getters, kinds, shape, ops)
  return getters, kinds
end

-- `set` + capitalised p (§10.5): setPosition for position, and so on.
local function setter_action(name) return "set" .. name:sub(1, 1):upper() .. name:sub(2) end
M.setter_action = setter_action

local function action_setter(ops, action)
  local perform = ops.perform
  return function(dev, value)
    perform(dev, action, SCRIPT, 1, value)
  end
end

-- EventRunner7's `X:power = v` and the like on a type without setPower: the call goes
-- to the device all the same (a host or backend may know it), and a simulated device
-- keeps the value as the property.
local function call_setter(ops, prop, action)
  local perform, update = ops.perform, ops.update
  return function(dev, value)
    perform(dev, action, SCRIPT, 1, value)
    local host = dev.host_actions
    if dev.backend == nil and (host == nil or host[action] == nil) then update(dev, prop, value, SCRIPT) end
  end
end

local function value_setter(shape, ops)
  local actions = shape.actions
  if actions.setValue then return action_setter(ops, "setValue") end
  if actions.turnOn and actions.turnOff then
    local perform = ops.perform
    return function(dev, value)
      perform(dev, on(value) and "turnOn" or "turnOff", SCRIPT, 0)
    end
  end
  return nil
end

local function color_setter(ops)
  local perform, fail = ops.perform, ops.fail
  return function(dev, value, p)
    if type(value) ~= "table" then
      fail(p, "color: expected a table {r, g, b [, w]}, got " .. type(value))
    end
    perform(dev, "setColor", SCRIPT, 4, value[1], value[2], value[3], value[4])
  end
end

local function prop_setter(ops)
  local update, fail = ops.update, ops.fail
  return function(dev, value, p)
    if type(value) ~= "table" or type(value[1]) ~= "string" then
      fail(p, "prop: expected a table {name, value}")
    end
    update(dev, value[1], value[2], SCRIPT)
  end
end

-- EventRunner7's `X:simKey = {keyId=, keyAttribute=}`: the device's button event, as if
-- the key had been pressed (rules on `:central` and `:key` run).
local function sim_key_setter(ops)
  local emit, fail = ops.emit, ops.fail
  return function(dev, value, p)
    if type(value) ~= "table" or value.keyId == nil or value.keyAttribute == nil then
      fail(p, "simKey: expected a table {keyId=, keyAttribute=}")
    end
    emit(dev, "centralSceneEvent", {keyId = value.keyId, keyAttribute = value.keyAttribute})
  end
end

local function build_setters(shape, ops)
  local setters, actions = {}, shape.actions
  for action in pairs(actions) do
    local rest = action:match("^set(%u.*)$")
    if rest ~= nil then
      setters[rest:sub(1, 1):lower() .. rest:sub(2)] = action_setter(ops, action)
    end
  end
  setters.value = value_setter(shape, ops)
  -- `state` is a property set directly on every device (§10.5), also one whose type has
  -- none: it is declared then.
  local update = ops.update
  setters.state = function(dev, value) update(dev, "state", value, SCRIPT) end
  setters.color = actions.setColor and color_setter(ops) or nil
  setters.prop = prop_setter(ops)
  if shape.events.centralSceneEvent then setters.simKey = sim_key_setter(ops) end
  for name, action in pairs(types.NOTIFY_SETTERS) do
    if actions[action] then setters[name] = action_setter(ops, action) end
  end
  for name, action in pairs(types.CALL_SETTERS) do
    if setters[name] == nil then setters[name] = call_setter(ops, name, action) end
  end
  if actions.setValue and shape.numeric then setters.dim = ops.dim_setter end
  for name in pairs(types.READ_ONLY) do setters[name] = nil end
  return setters
end

-- The dispatch tables of one shape: {getters=, kinds=, setters=, actions=}.
function M.build(shape, ops)
  local getters, kinds = build_getters(shape, ops)
  return {getters = getters, kinds = kinds, setters = build_setters(shape, ops),
          actions = shape.actions}
end

return M
