-- The engine's events (spec §7.2): their shapes as the `event` of a run, and which
-- of them reach only their own rule.
local test = require("eventrunner.test")

local E = require("er.engine").E
local er = E.er

test.case("a device property change", function()
  test.start{home = "reference"}
  test.eval("55:isOn => log(json.encode(event))")
  test.set(55, "value", true)
  test.eq(test.logs(), {'{"id":55,"old":false,"property":"value","timestamp":1747216800,"type":"device","value":true}'})
end)

test.case("a button press", function()
  test.start{home = "reference"}
  test.eval("#device{id = 88} => log(json.encode(event))")
  test.emit(88, "centralSceneEvent", {keyId = 1, keyAttribute = "Pressed"})
  test.eq(test.logs(), {'{"id":88,"property":"centralSceneEvent","timestamp":1747216800,"type":"device",'
    .. '"value":{"keyAttribute":"Pressed","keyId":1}}'})
end)

test.case("a $name change", function()
  test.start{}
  test.eval('$Mode = "home"')
  test.eval("$Mode == 'away' => log(json.encode(event))")
  test.eval("$Mode = 'away'")
  test.eq(test.logs(), {'{"name":"Mode","old":"home","type":"global","value":"away"}'})
end)

test.case("a trigger variable change", function()
  test.start{}
  er.triggerVar("Level", 1)
  test.eval("Level > 1 => log(json.encode(event))")
  test.eval("Level = 2")
  test.eq(test.logs(), {'{"name":"Level","old":1,"type":"variable","value":2}'})
end)

test.case("a daily timer", function()
  test.start{}
  test.eval("@12:30 => log(json.encode(event))")
  test.advance("00:30")
  test.eq(test.logs(), {'{"time":1747218600,"type":"daily"}'})
end)

test.case("an interval timer", function()
  test.start{}
  test.eval("@@00:15 => log(json.encode(event))")
  test.advance("00:15")
  test.eq(test.logs(), {'{"time":1747216800,"type":"interval"}', '{"time":1747217700,"type":"interval"}'})
end)

test.case("a between edge timer", function()
  test.start{}
  test.eval("13:00..14:00 => log(json.encode(event))")
  test.advance("01:00")
  test.eq(test.logs(), {'{"time":1747220400,"type":"between"}'})
end)

test.case("a trueFor expiry brings the event that armed it", function()
  test.start{home = "reference"}
  test.eval("trueFor(00:01, 55:isOn) => log('%s %s', osdate('%H:%M'), json.encode(event))")
  test.set(55, "value", true)
  test.advance("00:01")
  test.eq(test.logs(), {'12:01 {"id":55,"old":false,"property":"value","timestamp":1747216800,"type":"device","value":true}'})
end)

test.case("rule:start() brings {type='manual'}, or the given event", function()
  test.start{}
  local rule = test.eval("#never => log(json.encode(event))")
  rule:start()
  rule:start({type = "custom", n = 1})
  test.eq(test.logs(), {'{"type":"manual"}', '{"n":1,"type":"custom"}'})
end)

test.case("a runtime error posts {type='rule_error', rule=, message=}", function()
  test.start{}
  test.eval("#rule_error => log(json.encode(event))")
  test.eval("#a => log(nope)", {name = "bad"})
  test.clear()  -- The definition's warning about 'nope'.
  test.post({type = "a"})
  test.eq(test.logs()[3], '{"message":"Undefined variable: \'nope\'","rule":"bad","type":"rule_error"}')
end)

test.case("timer events and rule:start reach only their own rule", function()
  test.start{}
  test.eval("#daily | #interval | #between | #manual | #true_for => log('saw %s', event.type)")
  test.eval("@12:30 => log('daily')")
  test.eval("@@00:30 => log('interval')")
  test.eval("13:00..14:00 => log('between')")
  test.eval("trueFor(60, $Mode == 'x') => log('trueFor')")
  test.eval("#never => log('manual')"):start()
  test.eval("$Mode = 'x'")
  test.advance("01:00")
  test.eq(test.logs(), {"interval", "manual", "trueFor", "daily", "interval", "between", "interval"})
end)

test.case("events posted by a rule reach patterns of any rule", function()
  test.start{}
  test.eval("#daily => log('a posted daily event, %s', event.time)")
  test.post({type = "daily", time = 5})
  test.eq(test.logs(), {"a posted daily event, 5"})
end)
