-- Spec §12 "Devices": er.defineDevice, er.device and the device object.
local test = require("eventrunner.test")

local er = require("er.engine").E.er

test.case("defineDevice merges the type's defaults; device(id) finds it", function()
  test.start{}
  local dev = er.defineDevice{id = 55, name = "hall_lamp", type = "binarySwitch", props = {value = false}}
  test.eq({dev.id, dev.name, dev.type}, {55, "hall_lamp", "binarySwitch"})
  test.eq(dev:get("dead"), false)
  test.eq(dev:get("power"), 0)
  test.ok(er.device(55) == dev)
  test.eq(er.device(56), nil)
  test.eq(test.eval("return 55:isOff"), true)
end)

test.case("a duplicate id is an error", function()
  test.start{home = "reference"}
  local ok, message = pcall(er.defineDevice, {id = 55, name = "again", type = "binarySwitch"})
  test.eq(ok, false)
  test.ok(tostring(message):find("device 55 is already defined", 1, true), message)
  test.eq(er.device(55).name, "hall_lamp")
end)

test.case("update posts only when the value changes", function()
  test.start{home = "reference"}
  test.eval("motion = 0")
  test.eval("66:breached => motion += 1")
  er.device(66):update("value", true)         -- motion seen
  test.advance(0)
  er.device(66):update("value", true)         -- again: no change, no event
  test.advance(0)
  test.eq(test.eval("return motion"), 1)
  test.eq(test.eval("return 66:manual"), 0)   -- source "device" by default
  er.device(66):update("value", false, "script")
  test.eq(test.eval("return 66:manual"), -1)
end)

test.case("tables are compared deeply", function()
  test.start{home = "reference"}
  er.defineDevice{id = 9, name = "strip", type = "colorController"}
  test.eval("changes = 0")
  test.eval("#device{id = 9, property = 'color'} => changes += 1")
  er.device(9):update("color", {1, 2, 3, 0})
  test.advance(0)
  er.device(9):update("color", {1, 2, 3, 0})
  test.advance(0)
  test.eq(test.eval("return changes"), 1)
end)

test.case("emit posts an event-only property every time", function()
  test.start{home = "reference"}
  test.eval("presses = 0")
  test.eval("#device{id = 88, property = 'centralSceneEvent', value = {keyId = 1}} => presses += 1")
  er.device(88):emit("centralSceneEvent", {keyId = 1, keyAttribute = "Pressed"})
  er.device(88):emit("centralSceneEvent", {keyId = 1, keyAttribute = "Pressed"})
  test.advance(0)
  test.eq(test.eval("return presses"), 2)
end)

test.case("the change event has id, property, value, old and timestamp", function()
  test.start{home = "reference"}
  test.eval("#device{id = 56, property = 'value', value = '$v'} => last_event = event")
  er.device(56):update("value", 70)
  test.advance(0)
  test.eq(test.eval("return last_event"),
          {type = "device", id = 56, property = "value", value = 70, old = 40, timestamp = 1747216800})
end)

test.case("call performs an action; host actions replace the simulation", function()
  test.start{home = "reference"}
  test.eq(er.device(56):call("setValue", 12), true)
  test.eq(er.device(56):get("value"), 12)
  local asked = {}
  er.defineDevice{id = 10, name = "blind", type = "rollerShutter",
                  actions = {open = function(dev) asked[#asked + 1] = "open"; return "opening" end}}
  test.eq(er.device(10):call("open"), "opening")
  test.eq(test.eval("return 10:open"), true)
  test.eq(asked, {"open", "open"})
  test.eq(er.device(10):get("value"), 0)       -- the host changes it when the blind reports
  er.device(10):update("value", 99)            -- the blind reports it is open
  test.eq(test.eval("10:close; return 10:value"), 0)   -- close is still simulated
  local ok, message = pcall(er.device(10).call, er.device(10), "fly")
  test.eq(ok, false)
  test.ok(tostring(message):find("Device 10 (rollerShutter) does not support 'fly'", 1, true), message)
end)

test.case("string ids", function()
  test.start{home = "reference"}
  test.eq(er.device("garage").name, "garage_door")
  test.eq(test.eval('return "garage":value'), 0)
  test.eval('"garage":open')
  test.eq(test.value("garage", "value"), 99)
end)

test.case("test.start resets the devices", function()
  test.start{home = "reference"}
  er.defineDevice{id = 999, name = "temp", type = "binarySwitch"}
  test.start{home = "reference"}
  test.eq(er.device(999), nil)
  test.eq(er.device(56):get("value"), 40)
end)
