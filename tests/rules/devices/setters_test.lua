-- Spec §10.5: property sets `X:p = v`.
local test = require("eventrunner.test")

-- The recorded actions as {id, action, args}.
local function performed()
  local list = {}
  for i, a in ipairs(test.actions()) do list[i] = {a.id, a.action, a.args} end
  return list
end

-- er.eval's error message for `src` (it must fail).
local function error_of(src)
  local value, message = test.eval(src)
  test.eq(value, nil, "expected an error from " .. src)
  return message
end

test.case("56:value = 70 is setValue(70) and its value is 70", function()
  test.start{home = "reference"}
  test.eq(test.eval("56:value = 70"), 70)
  test.eq(test.value(56, "value"), 70)
  test.eq(performed(), {{56, "setValue", {70}}})
end)

test.case("value on a device without setValue is turnOn if on(v), else turnOff", function()
  test.start{home = "reference"}
  test.device{id = 401, name = "relay", type = "relay", props = {value = false},
              actions = {turnOn = function(dev) dev:update("value", true) end,
                         turnOff = function(dev) dev:update("value", false) end}}
  test.eval("401:value = 5")
  test.eval("401:value = 0")
  test.eval("401:value = true")
  test.eq(performed(), {{401, "turnOn", {}}, {401, "turnOff", {}}, {401, "turnOn", {}}})
  test.eq(test.value(401, "value"), true)
  -- The host's function reported the change inside the script's action: source "script".
  test.eq(test.eval("return 401:manual"), -1)
end)

test.case("state, color, prop and set + capitalised name", function()
  test.start{home = "reference"}
  test.device{id = 500, name = "radio", type = "player"}
  test.device{id = 501, name = "strip", type = "colorController"}
  test.device{id = 502, name = "heating", type = "thermostat"}
  test.eval("500:state = 'playing'")
  test.eq(test.value(500, "state"), "playing")
  test.eval("501:color = {255, 128, 0}")
  test.eq(test.value(501, "color"), {255, 128, 0, 0})
  test.eval("66:prop = {'batteryLevel', 5}")
  test.eq(test.value(66, "batteryLevel"), 5)
  test.eval('"garage":position = 40')
  test.eval("500:volume = 12")
  test.eval("500:mute = true")
  test.eval("502:thermostatMode = 'Heat'")
  test.eval("502:heatingThermostatSetpoint = 22.5")
  test.eq(performed(), {
    {501, "setColor", {255, 128, 0}},
    {"garage", "setPosition", {40}},
    {500, "setVolume", {12}},
    {500, "setMute", {true}},
    {502, "setThermostatMode", {"Heat"}},
    {502, "setHeatingThermostatSetpoint", {22.5}},
  })
  test.eq(test.value("garage", "position"), 40)
  test.eq(test.value(500, "volume"), 12)
  test.eq(test.value(500, "mute"), true)
  test.eq(test.value(502, "thermostatMode"), "Heat")
  test.eq(test.value(502, "heatingThermostatSetpoint"), 22.5)
end)

test.case("state sets the property on every device, also one whose type has no state", function()
  test.start{home = "reference"}
  test.eval("55:state = 'away'")
  test.eq(test.value(55, "state"), "away")
  test.eq(test.eval("return 55:state"), "away")
  test.eval("#device{id=55, property='state', value='$v'} => log('state %s', v)")
  test.eval("55:state = 'home'")
  test.eq(test.logs(), {"state home"})
end)

test.case("each element of a list; the statement's value is v", function()
  test.start{home = "reference"}
  test.eq(test.eval("{55, 56}:value = 0"), 0)
  test.eq(performed(), {{55, "setValue", {0}}, {56, "setValue", {0}}})
  test.eq(test.value(55, "value"), 0)
  test.eq(test.value(56, "value"), 0)
end)

test.case("a set from a rule marks the change as the script's", function()
  test.start{home = "reference"}
  test.eval("66:breached => 56:value = 10")
  test.set(66, "value", true)
  test.eq(test.eval("return 56:manual"), -1)
  test.set(56, "value", 30)
  test.eq(test.eval("return 56:manual"), 0)
end)

test.case("read-only names cannot be set", function()
  test.start{home = "reference"}
  test.ok(error_of("55:isOn = true"):find("property 'isOn' cannot be set", 1, true))
  test.ok(error_of("66:breached => 55:name = 'x'"):find("property 'name' cannot be set", 1, true))
  test.ok(error_of("66:breached => {55, 56}:sum = 1"):find("property 'sum' cannot be set", 1, true))
end)

test.case("unsupported setters", function()
  test.start{home = "reference"}
  local message = error_of("66:breached => 55:position = 3")
  test.ok(message:find("Device 55 (binarySwitch) does not support setting 'position'", 1, true), message)
  message = error_of("66:breached => 66:value = true")
  test.ok(message:find("Device 66 (binarySensor) does not support setting 'value'", 1, true), message)
  message = error_of("66:breached => 55:dim = {10, 'up'}")
  test.ok(message:find("Device 55 (binarySwitch) does not support setting 'dim'", 1, true), message)
end)

test.case("compound assignment to a device property is not supported", function()
  test.start{home = "reference"}
  local message = error_of("56:value += 5")
  test.ok(message:find("compound assignment to a device property is not supported", 1, true), message)
end)

test.case("simKey sends the device's button event, as a key press would (EventRunner7's setter)", function()
  test.start{home = "reference"}
  test.eval("88:key == '2:Pressed' => log('key %s', 88:key)")
  test.eval("88:simKey = {keyId = 2, keyAttribute = 'Pressed'}")
  test.eq(test.logs(), {"key 2:Pressed"})
  local _, message = test.eval("88:simKey = 2")
  test.eq(message:match("runtime error: ([^\n]*)"), "simKey: expected a table {keyId=, keyAttribute=}")
  _, message = test.eval("55:simKey = {keyId = 1, keyAttribute = 'Pressed'}")
  test.ok(message:find("does not support setting 'simKey'", 1, true), message)
end)
