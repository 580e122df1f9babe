-- EventRunner7's fibaro.* calls in actions (docs/porting-from-eventrunner.md).
local test = require("eventrunner.test")

local function performed()
  local list = {}
  for i, a in ipairs(test.actions()) do list[i] = {a.id, a.action, a.args} end
  return list
end

test.case("fibaro.call performs device actions, also on a list and by name", function()
  test.start{home = "reference"}
  test.eval("fibaro.call(55, 'turnOn'); fibaro.call({56, 'garage'}, 'setValue', 20)")
  test.eval("fibaro.call('hall_lamp', 'turnOff')")
  test.eq(performed(), {{55, "turnOn", {}}, {56, "setValue", {20}}, {"garage", "setValue", {20}}, {55, "turnOff", {}}})
end)

test.case("fibaro.get, getValue, getName, getType and the room", function()
  test.start{}
  test.device{id = 5, name = "lamp", type = "binarySwitch", room = "hall", props = {value = true}}
  test.eq(test.eval("return {fibaro.getValue(5, 'value'), fibaro.getName(5), fibaro.getType(5), " ..
                    "fibaro.getRoomNameByDeviceID(5), type(select(2, fibaro.get(5, 'value')))}"),
          {true, "lamp", "binarySwitch", "hall", "number"})
end)

test.case("fibaro global variables are the engine's $globals, and rules trigger on them", function()
  test.start{}
  test.eval("$Mode == 'away' => log('away now')")
  test.eval("fibaro.setGlobalVariable('Mode', 'away')")
  test.advance("00:00:01")
  test.eq(test.eval("return {fibaro.getGlobalVariable('Mode'), $Mode}"), {"away", "away"})
  test.eq(test.logs(), {"away now"})
end)

test.case("fibaro.sleep waits, fibaro.debug and warning log", function()
  test.start{}
  test.eval("#go => fibaro.debug('ER', 'start'); fibaro.sleep(2000); fibaro.warning('ER', 'after', 2, 's')")
  test.post{type = "go"}
  test.advance("00:00:01")
  test.log_lacks("[ER] after 2 s")
  test.advance("00:00:02")
  test.log_has("[ER] after 2 s")
end)

test.case("fibaro.alert sends notifications to users", function()
  test.start{notify = {targets = {phone = {type = "ntfy", url = "http://127.0.0.1:9/x"}}}}
  test.device{id = 10, name = "ann", type = "user", push = "phone"}
  test.eval("fibaro.alert('push', {10}, 'door open')")
  test.eq(performed(), {{10, "sendPush", {"door open"}}})
  test.log_has("notify phone: door open")
end)

test.case("mistakes are named", function()
  test.start{home = "reference"}
  local _, message = test.eval("fibaro.call(999, 'turnOn')")
  test.ok(tostring(message):find("fibaro.call: no such device: 999", 1, true), message)
  _, message = test.eval("fibaro.call(67, 'turnOn')")
  test.ok(tostring(message):find("has no action 'turnOn'", 1, true), message)
end)
