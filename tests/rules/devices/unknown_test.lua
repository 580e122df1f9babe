-- Spec §10.9 (unknown devices and properties) and the device hints of Appendix B.
local test = require("eventrunner.test")

-- er.eval's error message for `src` (it must fail).
local function error_of(src)
  local value, message = test.eval(src)
  test.eq(value, nil, "expected an error from " .. src)
  return message
end

local function has(message, text) test.ok(message:find(text, 1, true), message) end

test.case("definition checks of the condition", function()
  test.start{home = "reference"}
  has(error_of("200000:isOn => 55:on"), "eval:1:8: error: No such device: 200000")
  has(error_of("'attic':isOpen => 55:on"), "error: No such device: 'attic'")
  has(error_of("55:position > 3 => 55:on"),
      "eval:1:4: error: Device 55 (binarySwitch) does not support 'position'")
  has(error_of("{55, 200000}:isOn => 55:on"), "error: No such device: 200000")
  test.eval("lamp = 200001")
  has(error_of("lamp:isOn => 55:on"), "error: No such device: 200001")
end)

test.case("definition checks of literal objects in the action", function()
  test.start{home = "reference"}
  has(error_of("66:breached => 200000:on"), "eval:1:23: error: No such device: 200000")
  has(error_of("66:breached => 55:position = 3"),
      "error: Device 55 (binarySwitch) does not support setting 'position'")
  has(error_of("66:breached => {55, 56}:position = 3"),
      "error: Device 55 (binarySwitch) does not support setting 'position'")
  has(error_of("66:breached => 'garage':fly()"),
      "error: Device 'garage' (rollerShutter) does not support 'fly'")
  test.eq(#test.actions(), 0)
end)

test.case("other accesses are checked when executed, with the same messages", function()
  test.start{home = "reference"}
  test.eval("target = 200000")
  test.eval("66:breached => target:on", {name = "late"})
  test.set(66, "value", true)
  test.log_has("[late] late:1:23: runtime error: No such device: 200000")
  test.log_has("[late] disabled")
  has(error_of("x = 55; return x:position"), "runtime error: Device 55 (binarySwitch) does not support 'position'")
end)

test.case("Appendix B: names of unsupported features get a hint", function()
  test.start{home = "reference"}
  has(error_of("66:breached => log(55:scene)"),
      "Device 55 (binarySwitch) does not support 'scene'")
  has(error_of("66:breached => 55:msg"),
      "Device 55 (binarySwitch) does not support 'msg' (notifications are sent to devices of type 'user')")
  has(error_of("66:breached => 55:start = #hello"),
      "Device 55 (binarySwitch) does not support setting 'start' (remote QuickApps are not supported yet)")
end)

-- Alarm partitions, home modes and scenes are supported: a device without those
-- names is simply not a partition, the home or a scene (tests/rules/home_objects).
test.case("names of supported home objects get no hint on other devices", function()
  test.start{home = "reference"}
  for _, src in ipairs({"55:isArmed => 55:on", "66:breached => 55:tryArm()",
                        "66:breached => log(55:profile)", "66:breached => 55:kill"}) do
    local message = error_of(src)
    has(message, "Device 55 (binarySwitch) does not support '")
    test.ok(not message:find("not supported yet", 1, true), message)
  end
end)

test.case("a host device that has such a name uses it normally", function()
  test.start{home = "reference"}
  test.device{id = 700, name = "alarm", type = "partition", props = {armed = false},
              actions = {arm = function(dev) dev:update("armed", true) end}}
  test.eval("700:armed => log('armed now')")
  test.eval("700:arm")
  test.log_has("armed now")
end)
