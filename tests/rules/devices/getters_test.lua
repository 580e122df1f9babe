-- Spec §10.3: property gets on devices and lists, and the triggers they add (§7.4).
local test = require("eventrunner.test")

local function value_of(expression) return test.eval("return " .. expression) end

test.case("the examples of §10.3 on the reference home", function()
  test.start{home = "reference"}
  test.eq(value_of("55:value"), false)
  test.eq(value_of("56:isOn"), true)
  test.eq(value_of("{55,56}:isOn"), true)
  test.eq(value_of("{55,56}:isAllOn"), false)
  test.eq(value_of("{55,56}:value"), {false, 40})
  test.eq(value_of("66:bat"), 80)
  test.eq(value_of("67:breached"), true)
  test.eq(value_of('"garage":isClosed'), true)
  test.eq(value_of("55:name"), "hall_lamp")
end)

test.case("aliases, negations and their list reductions", function()
  test.start{home = "reference"}
  test.eq(value_of("77:temp"), 21.5)
  test.eq(value_of("78:lux"), 23.5)
  test.eq(value_of("{66,67}:breached"), true)   -- any
  test.eq(value_of("{66,67}:safe"), false)      -- all
  test.eq(value_of("{55,66}:isOff"), true)
  test.eq(value_of("{55,56}:isAnyOff"), true)   -- any
  test.eq(value_of("{56,67}:isAllOn"), true)    -- all
  test.eq(value_of("67:isOpen"), true)
  test.eq(value_of('"garage":isOpen'), false)
  test.eq(value_of("{55,56}:isDead"), false)
  test.eq(value_of("{55,'garage'}:type"), {"binarySwitch", "rollerShutter"})
  test.eq(value_of("{66,67}:id"), {66, 67})      -- outside a device-triggered run: the list
  test.eq(value_of('"garage":position'), 0)
  test.eq(value_of("55:power"), 0)
end)

test.case("last, lastChanged and manual", function()
  test.start{home = "reference"}
  test.advance(10)
  test.set(56, "value", 60)                 -- the dimmer was turned by hand
  test.advance(30)
  test.eq(value_of("56:last"), 30)
  test.eq(value_of("56:lastChanged"), 1747216810)
  test.eq(value_of("56:manual"), 30)
  test.eval("56:value = 20")                -- a script changed it
  test.eq(value_of("56:manual"), -1)
  test.eq(value_of("56:last"), 0)
  test.eq(value_of("{55,56}:last"), {40, 0})
end)

test.case("key and central read the button event that started the run", function()
  test.start{home = "reference"}
  test.eval("88:central.keyId == 1 => result = 88:key; attrs = 88:central")
  test.emit(88, "centralSceneEvent", {keyId = 1, keyAttribute = "Pressed"})
  test.eq(test.eval("return result"), "1:Pressed")
  test.eq(test.eval("return attrs"), {keyId = 1, keyAttribute = "Pressed"})
  -- Outside such a run: {} and nil.
  test.eq(value_of("88:central"), {})
  test.eq(value_of("88:key"), nil)
end)

test.case("a button press starts a run every time, even with the same key", function()
  test.start{home = "reference"}
  test.eval("presses = 0")
  test.eval("88:key == '2:Pressed' => presses += 1")
  test.emit(88, "centralSceneEvent", {keyId = 2, keyAttribute = "Pressed"})
  test.emit(88, "centralSceneEvent", {keyId = 2, keyAttribute = "Pressed"})
  test.emit(88, "centralSceneEvent", {keyId = 1, keyAttribute = "Pressed"})
  test.eq(test.eval("return presses"), 2)
end)

test.case("value getters trigger on value, bat on batteryLevel, isDead on dead", function()
  test.start{home = "reference"}
  test.eval("motion = 0")
  test.eval("66:breached => motion += 1")
  test.eval("66:bat < 20 => log('battery low')")
  test.eval("66:isDead => log('sensor dead')")
  test.clear()
  test.set(66, "value", true)
  test.set(66, "value", true)              -- unchanged: no event, no run
  test.set(66, "value", false)             -- a run whose condition is false
  test.eq(test.eval("return motion"), 1)
  test.log_lacks("battery low")
  test.set(66, "batteryLevel", 10)
  test.log_has("battery low")
  test.set(66, "dead", true)
  test.log_has("sensor dead")
end)

test.case("a list triggers on each of its devices", function()
  test.start{home = "reference"}
  test.eval("count = 0")
  test.eval("{66,67}:isOpen | {66,67}:safe => count += 1")
  test.set(66, "value", true)
  test.set(67, "value", false)
  test.eq(test.eval("return count"), 2)
end)

test.case("any other name reads a property, else performs an action", function()
  test.start{home = "reference"}
  test.device{id = 300, name = "meter", type = "multilevelSensor", props = {energy = 1.5}}
  test.eq(value_of("300:energy"), 1.5)
  test.eval("300:energy > 2 => log('high energy')")
  test.clear()
  test.set(300, "energy", 3)
  test.log_has("high energy")
  test.eq(value_of("56:startLevelDecrease"), true)     -- an action in property form
  test.eq(test.actions()[1].action, "startLevelDecrease")
  test.eq(test.actions()[1].id, 56)
end)

test.case("metadata gets add no trigger", function()
  test.start{home = "reference"}
  local rule, problem = test.eval("55:name == 'hall_lamp' => log('x')")
  test.eq(rule, nil)
  test.ok(problem:find("Rule has no triggers", 1, true), problem)
end)

test.case("HTname is the device's name and roomName its room (EventRunner7's names)", function()
  test.start{home = "reference"}
  test.device{id = 500, name = "kitchen_lamp", type = "binarySwitch", room = "kitchen"}
  test.eq(test.eval("return 500:HTname"), "kitchen_lamp")
  test.eq(test.eval("return kitchen_lamp:roomName"), "kitchen")
  test.eq(test.eval("return 55:roomName"), nil)
  local _, message = test.eval("500:roomName = 'hall'")
  test.eq(message:match("runtime error: ([^\n]*)"), "property 'roomName' cannot be set")
end)

test.case("trigger is value, and triggers on it (EventRunner7's name)", function()
  test.start{home = "reference"}
  test.eval("66:trigger => log('66 is %s', 66:trigger)")
  test.set(66, "value", true)
  test.eq(test.logs(), {"66 is true"})
end)
