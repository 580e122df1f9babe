-- Spec §10.4 (actions in property form) and §10.1 (the simulated home applies actions
-- at once and posts the change for later delivery).
local test = require("eventrunner.test")

local function value_of(expression) return test.eval("return " .. expression) end

-- The recorded actions as "id action" strings.
local function performed()
  local list = {}
  for i, a in ipairs(test.actions()) do list[i] = tostring(a.id) .. " " .. a.action end
  return list
end

test.case("an action is applied at once: 55:on; return 55:isOn", function()
  test.start{home = "reference"}
  test.eq(test.eval("55:on; return 55:isOn"), true)
  test.eq(test.value(55, "value"), true)
end)

test.case("actions return true and perform the mapped device action", function()
  test.start{home = "reference"}
  test.eq(value_of("55:on"), true)
  test.eq(value_of("55:off"), true)
  test.eq(value_of("55:toggle"), true)
  test.eq(value_of('"garage":open'), true)
  test.eq(value_of('"garage":close'), true)
  test.eq(value_of('"garage":stop'), true)
  test.eq(value_of("56:levelIncrease"), true)
  test.eq(value_of("56:levelStop"), true)
  test.eq(value_of("56:levelDecrease"), true)
  test.eq(performed(), {"55 turnOn", "55 turnOff", "55 toggle", "garage open", "garage close",
                        "garage stop", "56 startLevelIncrease", "56 stopLevelChange",
                        "56 startLevelDecrease"})
end)

test.case("simulated effects: turnOn 99, turnOff 0, toggle inverts, open 99, close 0", function()
  test.start{home = "reference"}
  test.eval("56:off")
  test.eq(test.value(56, "value"), 0)
  test.eval("56:on")
  test.eq(test.value(56, "value"), 99)
  test.eval("56:toggle")
  test.eq(test.value(56, "value"), 0)
  test.eval("55:toggle")
  test.eq(test.value(55, "value"), true)
  test.eval('"garage":open')
  test.eq(test.value("garage", "value"), 99)
  test.eval('"garage":close')
  test.eq(test.value("garage", "value"), 0)
end)

test.case("toggle without a toggle action is turnOff if on, else turnOn", function()
  test.start{home = "reference"}
  test.device{id = 401, name = "relay", type = "relay", props = {value = true},
              actions = {turnOn = function(dev) dev:update("value", true) end,
                         turnOff = function(dev) dev:update("value", false) end}}
  test.eval("401:toggle")
  test.eq(test.value(401, "value"), false)
  test.eval("401:toggle")
  test.eq(test.value(401, "value"), true)
  test.eq(performed(), {"401 turnOff", "401 turnOn"})
end)

test.case("player actions", function()
  test.start{home = "reference"}
  test.device{id = 500, name = "radio", type = "player"}
  test.eval("500:play")
  test.eq(test.value(500, "state"), "playing")
  test.eval("500:pause")
  test.eq(test.value(500, "state"), "paused")
  test.eval("500:stop")
  test.eq(test.value(500, "state"), "stopped")
end)

test.case("on a list, each element in order", function()
  test.start{home = "reference"}
  test.eq(value_of("{56,55}:on"), true)
  test.eq(performed(), {"56 turnOn", "55 turnOn"})
  test.eq(test.value(55, "value"), true)
  test.eq(test.value(56, "value"), 99)
end)

test.case("the change event is delivered after the script, never during it", function()
  test.start{home = "reference"}
  test.eval("55:isOn => seen = 'on'")
  test.eval("seen = nil")
  test.eq(test.eval("55:on; return seen"), nil)       -- not delivered during the script
  test.eq(test.eval("return seen"), "on")
end)

test.case("actions of a rule's run are recorded with their time", function()
  test.start{home = "reference", time = "2025-05-14 23:00"}
  test.eval("66:breached & 22:00..06:00 => 55:on; wait(00:05); 55:off")
  test.set(66, "value", true)
  test.eq(test.value(55, "value"), true)
  test.advance("00:05")
  test.eq(test.value(55, "value"), false)
  local actions = test.actions()
  test.eq(#actions, 2)
  test.eq({actions[1].time, actions[1].id, actions[1].action}, {"23:00:00", 55, "turnOn"})
  test.eq({actions[2].time, actions[2].id, actions[2].action}, {"23:05:00", 55, "turnOff"})
end)

test.case("simulated level change moves 10 a second", function()
  test.start{home = "reference"}
  test.eval("56:levelIncrease")          -- from 40
  test.advance(2)
  test.eq(test.value(56, "value"), 60)
  test.advance(10)
  test.eq(test.value(56, "value"), 99)
  test.eval("56:levelDecrease")
  test.advance(3)
  test.eval("56:levelStop")
  test.advance(5)
  test.eq(test.value(56, "value"), 69)
end)
