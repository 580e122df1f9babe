-- The device model's constant data: the standard types of the simulated home (spec
-- §10.2), the names of §10.3-§10.5 and the "not supported yet" hints of Appendix B.
-- Pure data, shared by er.devices and er.device_dispatch.

local M = {}

-- Every type: initial property values, event-only properties, actions. All types also
-- have `dead` (false), added by er.devices.
M.TYPES = {
  binarySwitch = {
    props = {value = false, power = 0},
    actions = {"turnOn", "turnOff", "toggle", "setValue"},
  },
  multilevelSwitch = {
    props = {value = 0},
    actions = {"turnOn", "turnOff", "toggle", "setValue", "startLevelIncrease",
               "startLevelDecrease", "stopLevelChange"},
  },
  binarySensor = {props = {value = false, batteryLevel = 100}, actions = {}},
  multilevelSensor = {props = {value = 0, batteryLevel = 100}, actions = {}},
  rollerShutter = {
    props = {value = 0, position = 0},
    actions = {"open", "close", "stop", "setValue", "setPosition"},
  },
  player = {
    props = {state = "stopped", volume = 0, mute = false},
    actions = {"play", "pause", "stop", "setVolume", "setMute"},
  },
  remoteController = {
    props = {batteryLevel = 100},
    events = {"centralSceneEvent", "sceneActivationEvent"},
    actions = {},
  },
  thermostat = {
    props = {
      value = 20, thermostatMode = "Off", thermostatModeFuture = "Off",
      thermostatFanMode = "Auto", thermostatFanOff = false,
      heatingThermostatSetpoint = 21, heatingThermostatSetpointFuture = 21,
      heatingThermostatSetpointCapabilitiesMin = 5, heatingThermostatSetpointCapabilitiesMax = 30,
      heatingThermostatSetpointStep = 0.5,
      coolingThermostatSetpoint = 25, coolingThermostatSetpointFuture = 25,
      coolingThermostatSetpointCapabilitiesMin = 16, coolingThermostatSetpointCapabilitiesMax = 35,
      coolingThermostatSetpointStep = 0.5,
    },
    actions = {"setThermostatMode", "setThermostatFanMode", "setHeatingThermostatSetpoint",
               "setCoolingThermostatSetpoint"},
  },
  colorController = {
    props = {value = 0, color = {0, 0, 0, 0}},
    actions = {"turnOn", "turnOff", "toggle", "setValue", "setColor"},
  },
  -- EventRunner7's door lock: `X:secure`, `X:unsecure`, `X:isSecure`.
  doorLock = {props = {secured = false, batteryLevel = 100}, events = {"accessControlEvent"},
              actions = {"secure", "unsecure"}},
  -- The `weather` object (er.weather): its value is the temperature (`weather:temp`).
  weather = {props = {value = 0, humidity = 0, wind = 0, pressure = 0, condition = "unknown"}, actions = {}},
  -- A person notifications go to (er.notify): `ann:msg = text`, `ann:email = 's:b'`.
  user = {props = {}, actions = {"sendPush", "sendEmail", "sendDefinedEmail"}},
}

-- EventRunner7's notification setters and the user actions they perform.
M.NOTIFY_SETTERS = {msg = "sendPush", email = "sendEmail", defemail = "sendDefinedEmail"}

-- §10.4: property-form names and the action each performs. `toggle` falls back to
-- turnOff/turnOn on devices without a toggle action (er.device_dispatch).
M.ACTION_FORMS = {
  on = "turnOn", off = "turnOff", toggle = "toggle", open = "open", close = "close",
  stop = "stop", play = "play", pause = "pause", levelIncrease = "startLevelIncrease",
  levelDecrease = "startLevelDecrease", levelStop = "stopLevelChange",
  secure = "secure", unsecure = "unsecure",
}

-- EventRunner7's setters that are plain device calls there (`X:power = 5` calls
-- setPower(5)); on a type without the action the call still goes to the device.
M.CALL_SETTERS = {
  power = "setPower", targetLevel = "setTargetLevel", mode = "setMode", interval = "setInterval",
  time = "setTime", setpointMode = "setSetpointMode", defaultPartyTime = "setDefaultPartyTime",
  scheduleState = "setScheduleState",
}

-- §10.3 "On a list": getters that reduce a list to one boolean. Every other getter
-- gives the list of the elements' values; actions apply to each element.
M.LIST_REDUCTION = {
  isOn = "any", breached = "any", isOpen = "any", isAnyOff = "any", isDead = "any",
  isOff = "all", safe = "all", isClosed = "all", isAllOn = "all",
  central = "event", key = "event", scene = "event", access = "event",
  isSecure = "all", isUnsecure = "any",
  -- Alarm partitions (er.alarm), as EventRunner7 reduces them.
  armed = "any", isArmed = "any", isAnyDisarmed = "any", isAlarmBreached = "any",
  isAnyAlarmSafe = "any", isAllArmed = "all", isDisarmed = "all", isAlarmSafe = "all",
  isAllAlarmBreached = "all",
}

-- §10.7 filters: they apply to a table's own elements, never to devices.
M.FILTER_NAMES = {
  "sum", "average", "allTrue", "someTrue", "allFalse", "someFalse", "mostlyTrue",
  "mostlyFalse", "bin", "leaf", "id",
}

-- §10.5: names that can be read but never set ("property 'isOn' cannot be set").
M.READ_ONLY = {
  isOn = true, isOff = true, breached = true, safe = true, isOpen = true, isClosed = true,
  isAllOn = true, isAnyOff = true, last = true, lastChanged = true, manual = true,
  bat = true, isDead = true, central = true, key = true, name = true, type = true, id = true,
  lux = true, temp = true, trigger = true, HTname = true, roomName = true, parent = true,
  isSecure = true, isUnsecure = true, scene = true, access = true,
  isArmed = true, isAllArmed = true, isDisarmed = true, isAnyDisarmed = true,
  isAlarmBreached = true, isAlarmSafe = true, isAllAlarmBreached = true, isAnyAlarmSafe = true,
  isActive = true,
}
for _, name in ipairs(M.FILTER_NAMES) do M.READ_ONLY[name] = true end

-- Appendix B: why a device lacks a name that EventRunner7 had. Alarm partitions
-- (er.alarm), profiles (er.profiles) and scenes (er.scenes) are supported: a device
-- without those names is simply not a partition, the home or a scene.
M.HINTS = {}
-- Names that EventRunner7 had on every device and that live elsewhere here.
local TO_USERS = "notifications are sent to devices of type 'user'"
M.NOTES = {msg = TO_USERS, email = TO_USERS, defemail = TO_USERS}
-- Setting `start` (`X:start = ev`) was a remote event to another QuickApp.
M.SET_HINTS = {start = "remote QuickApps"}

-- The reference home of §10.2, the setting of every example in the spec.
M.REFERENCE_HOME = {
  {id = 55, name = "hall_lamp", type = "binarySwitch", props = {value = false}},
  {id = 56, name = "kitchen_dimmer", type = "multilevelSwitch", props = {value = 40}},
  {id = 66, name = "hall_motion", type = "binarySensor",
   props = {value = false, batteryLevel = 80}},
  {id = 67, name = "front_door", type = "binarySensor", props = {value = true}},
  {id = 77, name = "living_temp", type = "multilevelSensor", props = {value = 21.5}},
  {id = 78, name = "bedroom_temp", type = "multilevelSensor", props = {value = 23.5}},
  {id = 88, name = "remote", type = "remoteController"},
  {id = "garage", name = "garage_door", type = "rollerShutter", props = {value = 0}},
}

return M
