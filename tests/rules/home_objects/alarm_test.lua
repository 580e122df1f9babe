-- Alarm partitions declared in home.lua (docs/eventscript.md "Alarm partitions"):
-- properties, arm/disarm/tryArm, exit and entry delays, and the events they post.
local test = require("eventrunner.test")

local HOME = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") .. "/../homes/objects"

local function start() test.start{home = HOME, time = "2025-05-14 22:00"} end

-- Checks that er.eval of `src` fails with a message containing `text`; returns it.
local function fails_with(src, text)
  local value, message = test.eval(src)
  test.eq(value, nil, "expected an error from " .. src)
  test.ok(message:find(text, 1, true), message)
  return message
end

test.case("partitions are addressed by name and by id", function()
  start()
  test.eq(test.eval("return {house:armed, 1:isArmed, garage:isDisarmed, house:name, 2:type}"),
          {false, false, true, "house", "alarmPartition"})
  test.eq(test.eval("return {house, garage}"), {1, 2})
  test.eq(test.eval("return {1, 2}:isAnyDisarmed"), true)
  test.eq(test.eval("return {1, 2}:isAllArmed"), false)
  test.eq(test.eval("return house:isAlarmSafe"), true)
  test.eq(test.eval("return 2:name"), "garage")
end)

test.case("arm waits the exit delay, then posts the device and the alarm events", function()
  start()
  test.eval("#alarm{property='armed', id='$p', value='$v'} => log('alarm %s armed=%s', p, v)")
  test.eval("house:armed => log('house:armed is %s', house:armed)")
  test.eval("house:arm")
  test.eq(test.value(1, "armed"), false)
  test.advance(29)
  test.log_lacks("armed=true")
  test.advance(1)
  test.eq(test.value(1, "armed"), true)
  test.log_has("alarm 1 armed=true")
  test.log_has("house:armed is true")
  test.eq(test.eval("return {house:isArmed, {1, 2}:isAllArmed, {1, 2}:armed}"), {true, false, true})
end)

test.case("a partition without exit delay arms at once; homeArmed when all are armed", function()
  start()
  test.eval("#alarm{property='homeArmed', value='$v'} => log('home armed %s', v)")
  test.eval("garage:armed = true")
  test.eq(test.value(2, "armed"), true)
  test.log_lacks("home armed")
  test.eval("house:arm")
  test.advance(30)
  test.log_has("home armed true")
  test.eval("garage:armed = false")
  test.log_has("home armed false")
  test.eq(test.eval("return garage:isDisarmed"), true)
end)

test.case("disarming during the exit delay cancels the arming", function()
  start()
  test.eval("house:arm")
  test.advance(10)
  test.eval("house:disarm")
  test.advance(60)
  test.eq(test.value(1, "armed"), false)
end)

test.case("a breached member breaches the armed partition after the entry delay", function()
  start()
  test.eval("#alarm{property='breached', id=1, value=true} => log('intruder!')")
  test.eval("house:isAlarmBreached => log('breached: %s', house:isAlarmBreached)")
  test.eval("house:isAlarmSafe => log('safe again')")
  test.eval("house:arm")
  test.advance(30)
  test.set(20, "value", true)
  test.advance(19)
  test.log_lacks("intruder!")
  test.advance(1)
  test.log_has("intruder!")
  test.log_has("breached: true")
  test.eq(test.eval("return {house:isAlarmBreached, {1, 2}:isAllAlarmBreached, {1, 2}:isAnyAlarmSafe}"),
          {true, false, true})
  test.eval("house:disarm")
  test.eq(test.value(1, "breached"), false)
  test.log_has("safe again")
end)

test.case("disarming during the entry delay prevents the breach", function()
  start()
  test.eval("house:arm")
  test.advance(30)
  test.set(21, "value", true)
  test.advance(10)
  test.eval("house:armed = false")
  test.advance(60)
  test.eq(test.value(1, "breached"), false)
end)

test.case("a breach of a disarmed partition or a non-member does nothing", function()
  start()
  test.eval("garage:arm")
  test.set(20, "value", true)   -- the door belongs to the house, which is disarmed
  test.advance(60)
  test.eq(test.value(1, "breached"), false)
  test.eq(test.value(2, "breached"), false)
  test.set(22, "value", true)   -- the garage has no entry delay
  test.eq(test.value(2, "breached"), true)
end)

test.case("tryArm refuses while members are breached and answers them", function()
  start()
  test.eval("#alarm{property='delayed', action='tryArm', id='$p', value='$v'} => "
    .. "log('refused %s: %s', p, json.encode(v))")
  test.set(21, "value", true)
  test.eq(test.eval("return house:tryArm"), {21})
  test.log_has("refused 1: [[21]]")  -- {[1] = {21}}: partition 1 is kept back by device 21
  test.advance(60)
  test.eq(test.value(1, "armed"), false)
  test.set(21, "value", false)
  test.eq(test.eval("return house:tryArm()"), {})
  test.advance(30)
  test.eq(test.value(1, "armed"), true)
end)

test.case("a forced arm bypasses a breached member until it is safe again", function()
  start()
  test.set(20, "value", true)
  test.eval("house:arm")
  test.advance(60)
  test.eq(test.value(1, "breached"), false)
  test.set(20, "value", false)
  test.set(20, "value", true)
  test.advance(20)
  test.eq(test.value(1, "breached"), true)
end)

test.case("partition triggers and actions are checked like device ones", function()
  start()
  fails_with("house:tryArm => log('x')", "'tryArm' is an action and cannot be used in a rule condition")
  local unsupported = fails_with("return lamp:armed", "Device 10 (binarySwitch) does not support 'armed'")
  test.ok(not unsupported:find("not supported yet", 1, true), unsupported)
  fails_with("house:isArmed = true", "property 'isArmed' cannot be set")
end)

test.case("bad alarm configuration is a clear error naming the field", function()
  local alarm = require("er.engine").E.alarm
  local function problem(spec)
    local ok, err = pcall(alarm.configure, spec)
    test.eq(ok, false)
    return err
  end
  start()
  test.eq(problem({partitions = {{id = 3, devices = {"nothing"}}}}),
          "alarm.partitions[1].devices[1]: no such device \"nothing\"")
  start()
  test.eq(problem({partitions = {{id = 10}}}),
          "alarm.partitions[1].id: 10 is already the id of Device 10 (binarySwitch)")
  start()
  test.eq(problem({partitions = {{id = 3, exit_delay = -1}}}),
          "alarm.partitions[1].exit_delay must be a number of seconds >= 0, got -1")
  start()
  test.eq(problem({partitions = {{id = 3, name = "lamp"}}}),
          "alarm.partitions[1].name: 'lamp' already names Device 10 (binarySwitch)")
  start()
  test.eq(problem({partitions = "all"}),
          "alarm must be a table {partitions = {{id =, name =, devices = {...}}, ...}}")
end)
