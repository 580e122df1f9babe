-- EventRunner7's remaining device names (docs/reference.md "Devices"): call setters
-- (power, targetLevel, mode, interval, time), parent, door locks (secure, unsecure,
-- isSecure, isUnsecure), wake, scene and access events, S1/S2.
local test = require("eventrunner.test")

local function performed()
  local list = {}
  for i, a in ipairs(test.actions()) do list[i] = {a.id, a.action, a.args} end
  return list
end

test.case("power, targetLevel, mode, interval and time call the device and keep the value", function()
  test.start{home = "reference"}
  test.eval("55:power = 12; 56:targetLevel = 40; 55:mode = 'eco'; 55:interval = 30; 55:time = 1700000000")
  test.eq(performed(), {{55, "setPower", {12}}, {56, "setTargetLevel", {40}}, {55, "setMode", {"eco"}},
                        {55, "setInterval", {30}}, {55, "setTime", {1700000000}}})
  test.eq(test.eval("return {55:power, 56:targetLevel, 55:mode, 55:interval, 55:time}"),
          {12, 40, "eco", 30, 1700000000})
end)

test.case("a rule triggers on a property a call setter changed", function()
  test.start{home = "reference"}
  test.eval("55:power > 100 => log('power %s', 55:power)")
  test.eval("55:power = 150")
  test.advance("00:00:01")
  test.eq(test.logs(), {"power 150"})
end)

test.case("a host device gets the call; it decides the value", function()
  test.start{}
  test.device{id = 7, name = "plug", type = "binarySwitch",
              actions = {setPower = function(dev, w) dev:update("power", w * 2) end}}
  test.eval("7:power = 5")
  test.eq(test.value(7, "power"), 10)
end)

test.case("parent is the parent given in home.lua", function()
  test.start{}
  test.device{id = 100, name = "hub", type = "binarySwitch"}
  test.device{id = 101, name = "child", type = "binarySwitch", parent = 100}
  test.eq(test.eval("return {101:parent, child:parent}"), {100, 100})
  test.eq(test.eval("return 100:parent"), nil)
end)

test.case("door locks: secure, unsecure, isSecure and isUnsecure, also as triggers and on lists", function()
  test.start{}
  test.device{id = 30, name = "front_lock", type = "doorLock"}
  test.device{id = 31, name = "back_lock", type = "doorLock"}
  test.eval("front_lock:isSecure => log('front locked')")
  test.eval("front_lock:secure; back_lock:secure")
  test.advance("00:00:01")
  test.eq(test.logs(), {"front locked"})
  test.eq(test.eval("return {{30, 31}:isSecure, {30, 31}:isUnsecure}"), {true, false})
  test.eval("back_lock:unsecure")
  test.eq(test.eval("return {{30, 31}:isSecure, {30, 31}:isUnsecure}"), {false, true})
end)

test.case("wake wakes a dead device", function()
  test.start{home = "reference"}
  test.set(55, "dead", true)
  test.eq(test.eval("return 55:isDead"), true)
  test.eval("55:wake")
  test.eq(test.eval("return 55:isDead"), false)
  test.eq(performed()[1], {55, "wakeUpDeadDevice", {}})
end)

test.case("scene gives the sceneId of a button's scene activation, to compare with S1/S2", function()
  test.start{home = "reference"}
  test.eval("88:scene == S1.double => log('double click on 1')")
  test.eval("88:scene == S2.hold => log('hold on 2')")
  test.emit(88, "sceneActivationEvent", {sceneId = 14})
  test.emit(88, "sceneActivationEvent", {sceneId = 22})
  test.emit(88, "sceneActivationEvent", {sceneId = 16})
  test.advance("00:00:01")
  test.eq(test.logs(), {"double click on 1", "hold on 2"})
end)

test.case("access gives a lock's access control event", function()
  test.start{}
  test.device{id = 30, name = "front_lock", type = "doorLock"}
  test.eval("front_lock:access.status == 'granted' => log('welcome %s', front_lock:access.user)")
  test.emit(30, "accessControlEvent", {status = "granted", user = "ann"})
  test.advance("00:00:01")
  test.eq(test.logs(), {"welcome ann"})
end)
