-- The examples of spec §11, evaluated as EventScript through er.eval on the reference
-- setting: the built-ins as rules and scripts see them (R.gv's fallback), with
-- EventScript syntax (lambdas, time literals) around them.
local test = require("eventrunner.test")

test.case("log formats, logs and returns the message", function()
  test.start{}
  test.eq(test.eval('return log("%s is %d", "x", 5)'), "x is 5")
  test.eq(test.eval("return log({a=1})"), '{"a":1}')
  test.log_has("x is 5")
  test.log_has('{"a":1}')
end)

test.case("log.<colour> (EventRunner7's) logs the same line, and log still works as a value", function()
  test.start{}
  test.eq(test.eval('return log.orange("%s is %d", "x", 5)'), "x is 5")
  test.eq(test.eval('return log.red("alarm")'), "alarm")
  test.eval('map({1, 2}, log)')
  test.eq(test.logs(), {"x is 5", "alarm", "1", "2"})
  local _, message = test.eval('log.blue("%d", "x")')
  test.eq(message:match("runtime error: ([^\n]*)"), "bad argument #2 to 'log' (number expected, got string)")
end)

test.case("log logs also when the engine is silent", function()
  test.start{verbosity = "silent"}
  test.eval('log("quiet %d", 1)')
  test.log_has("quiet 1")
end)

test.case("fmt formats without logging", function()
  test.start{}
  test.eq(test.eval('return fmt("%03d", 7)'), "007")
  test.log_lacks("007")
end)

test.case("print writes into the engine log", function()
  test.start{}
  test.eval('print("a", 1, nil)')
  test.log_has("a\t1\tnil")
end)

test.case("json", function()
  test.start{}
  test.eq(test.eval("return json.encode({b=1,a=2})"), '{"a":2,"b":1}')
  test.eq(test.eval("return json.encode({})"), "[]")
  test.eq(test.eval([[return json.decode('{"a":[1,2.5,"x"]}')]]), {a = {1, 2.5, "x"}})
end)

test.case("rnd, round, sign", function()
  test.start{}
  test.eq(test.eval("return rnd(3, 3)"), 3)
  test.eq(test.eval("return round(2.5)"), 3)
  test.eq(test.eval("return round(-2.5)"), -2)
  test.eq(test.eval("return sign(-3)"), -1)
  test.eq(test.eval("return sign(0)"), 0)
end)

test.case("sum, average, min, max", function()
  test.start{}
  test.eq(test.eval("return sum(1,2,3)"), 6)
  test.eq(test.eval("return average({2,4})"), 3.0)
  test.eq(test.eval("return math.type(average({2,4}))"), "float")
  test.eq(test.eval("return min(3,1,2)"), 1)
  test.eq(test.eval("return max({3,1,2})"), 3)
  test.eq(test.eval("return sum({})"), 0)
  test.eq(test.eval("return average() ?? 'none'"), "none")
end)

test.case("size, adde, remove, sort", function()
  test.start{}
  test.eq(test.eval("return size({1,2,3})"), 3)
  test.eq(test.eval('return size("ab")'), 2)
  test.eq(test.eval("return adde({1}, 2)"), {1, 2})
  test.eq(test.eval("return remove({1,2,1,3}, 1)"), {2, 3})
  test.eq(test.eval("return sort({3,1,2})"), {1, 2, 3})
  test.eq(test.eval("return sort({3,1,2}, (a, b) -> a > b)"), {3, 2, 1})
end)

test.case("map, filter, reduce with lambdas", function()
  test.start{}
  test.eq(test.eval("return map({1,2}, x -> x * 10)"), {10, 20})
  test.eq(test.eval("return filter({1,2,3}, x -> x > 1)"), {2, 3})
  test.eq(test.eval("return reduce({1,2,3}, (a, b) -> a + b, 0)"), 6)
end)

test.case("built-ins work on device values", function()
  test.start{home = "reference"}
  test.eq(test.eval("return average({77, 78}:value)"), 22.5)
  test.eq(test.eval("return max({77, 78}:temp)"), 23.5)
  test.eq(test.eval("return round(77:temp)"), 22)
end)

test.case("a global of the same name shadows a built-in", function()
  test.start{}
  test.eq(test.eval("size = 3; return size"), 3)
  test.eq(test.eval("local sum = 'mine'; return sum"), "mine")
end)
