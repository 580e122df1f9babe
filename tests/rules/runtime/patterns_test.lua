-- Event patterns (spec §7.3): how an event matches, captures, constraints,
-- alternatives and nested tables.
local test = require("eventrunner.test")

-- Posts each event and returns what the rules logged for them.
local function deliver(events)
  test.clear()
  for _, ev in ipairs(events) do test.post(ev) end
  return test.logs()
end

-- The spec's examples -------------------------------------------------------------

test.case("#doorbell => log('ding')", function()
  test.start{}
  test.eval('#doorbell => log("ding")')
  test.eq(deliver{{type = "doorbell"}, {type = "doorknock"}}, {"ding"})
end)

test.case("captures with a constraint: zone hall level 3; level 1 does nothing", function()
  test.start{}
  test.eval('#alarm{zone="$z", level="$l>2"} => log("zone %s level %d", z, l)')
  test.eq(deliver{{type = "alarm", zone = "hall", level = 3}, {type = "alarm", zone = "hall", level = 1}},
          {"zone hall level 3"})
end)

test.case("a table of alternatives matches any of its elements", function()
  test.start{}
  test.eval('#sensor{id={66,67}} => log("sensor")')
  test.eq(deliver{{type = "sensor", id = 66}, {type = "sensor", id = 67}, {type = "sensor", id = 68}},
          {"sensor", "sensor"})
end)

test.case("a device event pattern with a capture", function()
  test.start{home = "reference"}
  test.eval('#device{id=55, property="value", value="$v"} => log("55 is now %s", v)')
  test.set(55, "value", true)
  test.set(56, "value", 10)
  test.eq(test.logs(), {"55 is now true"})
end)

-- Type and plain fields --------------------------------------------------------------

test.case("the type must be equal; other fields are compared with ==", function()
  test.start{}
  test.eval('#a{n = 1, s = "x"} => log("match %s", event.tag)')
  test.eq(deliver{
    {type = "a", n = 1, s = "x", tag = "int"},
    {type = "a", n = 1.0, s = "x", tag = "float"},
    {type = "a", n = "1", s = "x", tag = "string 1"},
    {type = "a", n = 1, s = "y", tag = "other s"},
    {type = "b", n = 1, s = "x", tag = "other type"},
    {type = "a", s = "x", tag = "n missing"},
  }, {"match int", "match float"})
end)

test.case("extra keys of the event are ignored", function()
  test.start{}
  test.eval('#a{n = 1} => log("match")')
  test.eq(deliver{{type = "a", n = 1, extra = "yes", more = {1, 2}}}, {"match"})
end)

test.case("fields are evaluated at definition", function()
  test.start{}
  test.eval("wanted = 2")
  test.eval('#a{n = wanted} => log("match %d", event.n)')
  test.eval("wanted = 3")
  test.eq(deliver{{type = "a", n = 2}, {type = "a", n = 3}}, {"match 2"})
end)

-- "$" and "$v" ---------------------------------------------------------------------

test.case("'$' requires the field to be present", function()
  test.start{}
  test.eval('#a{x = "$"} => log("match %s", event.x)')
  test.eq(deliver{{type = "a", x = 0}, {type = "a", x = false}, {type = "a"}}, {"match 0", "match false"})
end)

test.case("'$v' requires the field and binds it to a run local", function()
  test.start{}
  test.eval('#a{x = "$v"} => log("v = %s", v)')
  test.eq(deliver{{type = "a", x = "one"}, {type = "a", x = false}, {type = "a"}}, {"v = one", "v = false"})
end)

test.case("a name used twice must bind equal values", function()
  test.start{}
  test.eval('#pair{a = "$x", b = "$x"} => log("same %s", x)')
  test.eq(deliver{{type = "pair", a = 1, b = 1}, {type = "pair", a = 1, b = 2}, {type = "pair", a = "1", b = 1}},
          {"same 1"})
end)

test.case("bound names are nil unless their pattern matched", function()
  test.start{}
  test.eval('#a{x = "$x"} | #b => log("x = %s", x)')
  test.eq(deliver{{type = "b", x = 5}, {type = "a", x = 6}}, {"x = nil", "x = 6"})
end)

test.case("captures are fresh per run", function()
  test.start{}
  test.eval('#a{x = "$x"} => wait(1); log("x = %s", x)')
  test.post({type = "a", x = 1})
  test.post({type = "a", x = 2})
  test.advance(1)
  test.eq(test.logs(), {"x = 1", "x = 2"})
end)

-- Operators -------------------------------------------------------------------------

-- One rule per constraint; returns which values of field v each one accepts.
local function accepted(constraint, values)
  test.start{}
  test.eval('#t{v = "$v' .. constraint .. '"} => log("%s", json.encode(v))')
  local events = {}
  for i, v in ipairs(values) do events[i] = {type = "t", v = v} end
  return deliver(events)
end

test.case("'==' compares numerically when both sides are numbers", function()
  test.eq(accepted("==3", {3, 3.0, "3", "03", 4, "three"}), {"3", "3.0", '"3"', '"03"'})
end)

test.case("'==' and '~=' compare strings when a side is no number", function()
  test.eq(accepted("==abc", {"abc", "abd", 5}), {'"abc"'})
  test.eq(accepted("~=abc", {"abc", "abd", 5}), {'"abd"', "5"})
end)

test.case("'~=' compares numerically when both sides are numbers", function()
  test.eq(accepted("~=10", {10, "10.0", 11, "x"}), {"11", '"x"'})
end)

test.case("'<', '<=', '>', '>=' compare numbers", function()
  test.eq(accepted("<10", {9, 10, 11, "9.5"}), {"9", '"9.5"'})
  test.eq(accepted("<=10", {9, 10, 11}), {"9", "10"})
  test.eq(accepted(">10", {9, 10, 11}), {"11"})
  test.eq(accepted(">=10", {9, 10, 11}), {"10", "11"})
end)

test.case("ordering fails when a side is no number", function()
  test.eq(accepted("<10", {"abc", true}), {})
  test.eq(accepted(">b", {"c", "a", 5}), {})
end)

test.case("'<>' finds the text in tostring of the field", function()
  test.eq(accepted("<>err", {"an error", "fine", "ERR"}), {'"an error"'})
  test.eq(accepted("<>^ab", {"abc", "cab"}), {'"abc"'})
  test.eq(accepted("<>12", {123, 45}), {"123"})
end)

test.case("a constraint also requires the field", function()
  test.start{}
  test.eval('#t{v = "$v~=x"} => log("match")')
  test.eq(deliver{{type = "t"}}, {})
end)

-- Tables --------------------------------------------------------------------------

test.case("pattern and event tables match recursively", function()
  test.start{}
  test.eval('#device{value = {keyId = 1, keyAttribute = "$a"}} => log("key 1 %s", a)')
  test.eq(deliver{
    {type = "device", value = {keyId = 1, keyAttribute = "Pressed", extra = 1}},
    {type = "device", value = {keyId = 2, keyAttribute = "Pressed"}},
    {type = "device", value = {keyId = 1}},
  }, {"key 1 Pressed"})
end)

test.case("nesting goes deeper than one level", function()
  test.start{}
  test.eval('#a{outer = {inner = {n = "$n>1"}}} => log("n = %d", n)')
  test.eq(deliver{
    {type = "a", outer = {inner = {n = 2}}},
    {type = "a", outer = {inner = {n = 1}}},
    {type = "a", outer = {inner = 5}},
    {type = "a", outer = 7},
  }, {"n = 2"})
end)

test.case("an event matching a pattern is the pattern's value in the condition", function()
  test.start{}
  test.eval('#a{n = "$n"}.n == 2 => log("two")')
  test.eq(deliver{{type = "a", n = 1}, {type = "a", n = 2}}, {"two"})
end)

-- EventRunner7's rule environment -------------------------------------------------

test.case("env.event is the run's event and env.p its captures, in condition and action", function()
  test.start{}
  test.eval('#myEvent{x=42} => log("x is %s", env.event.x)')
  test.eval('#level{v="$v"} & env.p.v > 3 => log("level %s (env.p.v %s)", v, env.p.v)')
  test.eq(deliver{{type = "myEvent", x = 42}, {type = "level", v = 2}, {type = "level", v = 5}},
          {"x is 42", "level 5 (env.p.v 5)"})
end)

test.case("a local named env, and env in a script, are ordinary names", function()
  test.start{}
  test.eval('env = {event = "mine"}')
  test.eq(test.eval('return env.event'), "mine")
  test.eval('#a => local env = {event = "local"}; log("%s", env.event)')
  test.eq(deliver{{type = "a"}}, {"local"})
end)
