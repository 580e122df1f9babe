-- Faults (issue #4, item 8): broken definitions, runtime errors before and after a
-- wait, event storms, rules that loop forever and runaway conditions. In every case
-- the faulty rule is stopped and reported, nothing else is lost, and the engine keeps
-- running.
local test = require("eventrunner.test")

local E = require("er.engine").E
local er = E.er

local BUDGET = "runtime error: instruction budget exceeded ("

-- A healthy rule to prove that the engine still works: returns a function that posts
-- #alive and checks that it was seen.
local function healthy_rule()
  test.eval("alive_seen = 0")
  test.eval("#alive => alive_seen += 1")
  return function(expected)
    test.post({type = "alive"})
    test.eq(test.eval("return alive_seen"), expected, "the healthy rule ran")
  end
end

local function count_rules()
  local n = 0
  for _ in pairs(er.rules()) do n = n + 1 end
  return n
end

-- Errors at definition --------------------------------------------------------------

test.case("a rule that fails at definition leaves nothing; the others keep running", function()
  test.start{home = "reference"}
  local alive = healthy_rule()
  local failures = {
    "#a => 200000:on",                       -- device check
    "@(nil + 1) => log('x')",                -- '@' operand evaluated at definition
    "#a{x = nil + 1} => log('x')",           -- pattern field evaluated at definition
    "#a & => log('x')",                      -- syntax
  }
  for _, src in ipairs(failures) do
    local rule, message = test.eval(src)
    test.eq(rule, nil, src)
    test.ok(message:find("^eval:1:%d+: error: "), message)
  end
  test.eq(count_rules(), 1)
  test.eq(er.getRule(2), nil)
  alive(1)
  test.eq(test.eval("#b => log('b')").id, 2)
end)

test.case("the '@' operand error at definition has the §13.1 shape", function()
  test.start{}
  local _, message = test.eval("@(nil + 1) => log('x')")
  test.eq(message, "eval:1:7: error: attempt to perform arithmetic on a nil value\n@(nil + 1) => log('x')\n      ^\n")
end)

-- Errors at run time --------------------------------------------------------------------

test.case("a runtime error before a wait: the rule stops, the others run", function()
  test.start{}
  local alive = healthy_rule()
  test.eval("#go => x = nil + 1; wait(1); log('never')", {name = "early"})
  test.post({type = "go"})
  test.advance(2)
  test.eq(er.getRule("early").enabled, false)
  test.eq(#test.logs(), 2)
  alive(1)
end)

test.case("a runtime error after a wait: the rule stops, the others run", function()
  test.start{}
  local alive = healthy_rule()
  test.eval("#go => wait(1); x = nil + 1; log('never')", {name = "late"})
  test.post({type = "go"})
  alive(1)
  test.eq(er.getRule("late").enabled, true)
  test.advance(1)
  test.eq(er.getRule("late").enabled, false)
  test.log_has("[late] late:1:25: runtime error: attempt to perform arithmetic on a nil value")
  alive(2)
end)

-- Event storms ----------------------------------------------------------------------------

test.case("10,000 posts in one instant are all delivered, in order", function()
  test.start{}
  test.eval("count = 0; sum = 0; in_order = true; last = 0")
  test.eval("#storm => count += 1; sum += event.n; in_order = in_order & event.n == last + 1; last = event.n")
  test.eval("for i = 1, 10000 do post(#storm{n = i}) end")
  test.eq(table.pack(test.eval("return count, sum, in_order")), {n = 3, 10000, 50005000, true})
  test.eq(test.now(), "2025-05-14 12:00:00")
end)

test.case("10,000 host posts in one instant are all delivered", function()
  test.start{}
  test.eval("count = 0")
  test.eval("#storm => count += 1")
  for i = 1, 10000 do er.post({type = "storm", n = i}) end
  test.settle()
  test.eq(test.eval("return count"), 10000)
end)

test.case("a storm reaches every listening rule", function()
  test.start{}
  test.eval("a = 0; b = 0")
  test.eval("#storm => a += 1")
  test.eval("#storm & event.n % 2 == 0 => b += 1")
  test.eval("for i = 1, 10000 do post(#storm{n = i}) end")
  test.eq(table.pack(test.eval("return a, b")), {n = 2, 10000, 5000})
end)

test.case("a storm of waiting runs: 10,000 runs suspended at once, all resumed", function()
  test.start{}
  test.eval("done = 0")
  local rule = test.eval("#storm => wait(event.n % 60); done += 1")
  test.eval("for i = 1, 10000 do post(#storm{n = i}) end")
  test.eq(rule:info().runs, 10000 - 10000 // 60)   -- wait(0) runs have ended already
  test.advance(60)
  test.eq(test.eval("return done"), 10000)
  test.eq(rule:info().runs, 0)
end)

test.case("a rule that re-posts to itself a bounded number of times", function()
  test.start{}
  local alive = healthy_rule()
  test.eval("seen = 0")
  -- A chain of 1,000 runs at one instant settles, but is longer than the default
  -- cascade_depth (100, docs/limits.md): the home raises it.
  E.set_limits({cascade_depth = 1000})
  test.eval("#bounce{n = '$n'} => seen += 1; if n < 1000 then post(#bounce{n = n + 1}) end")
  test.post({type = "bounce", n = 1})
  test.eq(test.eval("return seen"), 1000)
  test.eq(test.now(), "2025-05-14 12:00:00")
  alive(1)
end)

test.case("two rules that ping-pong a bounded number of times", function()
  test.start{}
  test.eval("rounds = 0")
  E.set_limits({cascade_depth = 1000})
  test.eval("#ping{n = '$n'} => rounds += 1; post(#pong{n = n})")
  test.eval("#pong{n = '$n'} & n < 500 => post(#ping{n = n + 1})")
  test.post({type = "ping", n = 1})
  test.eq(test.eval("return rounds"), 500)
end)

-- Rules that never stop -----------------------------------------------------------------

test.case("a rule that loops forever is stopped by the instruction budget", function()
  test.start{}
  local alive = healthy_rule()
  test.eval("#rule_error => log('rule_error from %s', event.rule)")
  test.eval("#go => while true do end", {name = "spin"})
  test.eval("#go => log('the next rule still runs')")
  test.post({type = "go"})
  local logs = test.logs()
  test.ok(logs[1]:find("^%[spin%] spin:1:8: " .. BUDGET:gsub("%p", "%%%0")), logs[1])
  test.eq(logs[1]:match("\n.*$"), "\n#go => while true do end\n       ^")
  test.eq(logs[2], "[spin] disabled")
  test.eq(logs[3], "the next rule still runs")
  test.eq(logs[4], "rule_error from spin")
  test.eq(er.getRule("spin").enabled, false)
  test.clear()
  test.post({type = "go"})                   -- later events still work
  test.eq(test.logs(), {"the next rule still runs"})
  alive(1)
end)

test.case("a loop in an action that calls nothing is stopped too", function()
  test.start{}
  local alive = healthy_rule()
  test.eval("#go => while true do x = 1 end", {name = "spin"})
  test.post({type = "go"})
  test.log_has(BUDGET)
  test.eq(test.logs()[2], "[spin] disabled")
  alive(1)
end)

test.case("a loop after a wait is stopped; the budget starts again after each wait", function()
  test.start{}
  local alive = healthy_rule()
  -- Each step does far less than the budget; together they do far more.
  test.eval("#go => for step = 1, 30 do for i = 1, 2000000 do end; wait(0) end; log('all steps')")
  test.eval("#go => wait(1); local i = 0; while true do i += 1 end", {name = "spin"})
  test.post({type = "go"})
  test.advance(1)
  test.log_has("all steps")
  test.log_has("[spin] spin:1:")
  test.log_has(BUDGET)
  alive(1)
end)

test.case("a runaway condition: a condition calling a Lua function that never returns", function()
  test.start{}
  local alive = healthy_rule()
  er.define("spin", function() while true do end end)
  test.eval("#go & spin() => log('never')", {name = "cond"})
  test.eval("#go => log('the next rule still runs')")
  test.post({type = "go"})
  local logs = test.logs()
  test.ok(logs[1]:find("^%[cond%] cond:1:7: " .. BUDGET:gsub("%p", "%%%0")), logs[1])
  test.eq(logs[1]:match("\n.*$"), "\n#go & spin() => log('never')\n      ^")
  test.eq({logs[2], logs[3]}, {"[cond] disabled", "the next rule still runs"})
  alive(1)
end)

test.case("a runaway condition calling an EventScript function", function()
  test.start{}
  local alive = healthy_rule()
  test.eval("function forever() while true do end end")
  test.eval("#go & forever() => log('never')", {name = "cond"})
  test.post({type = "go"})
  test.log_has("[cond] cond:1:")
  test.log_has(BUDGET)
  test.eq(er.getRule("cond").enabled, false)
  alive(1)
end)

test.case("a script that loops forever is stopped and reported", function()
  test.start{}
  local alive = healthy_rule()
  local value, message = test.eval("while true do end")
  test.eq(value, nil)
  test.ok(message:find("^%[eval%] eval:1:1: " .. BUDGET:gsub("%p", "%%%0")), message)
  alive(1)
end)

test.case("a budget error leaves pending posts alone", function()
  test.start{}
  test.eval("#tick => log('tick %s', osdate('%M:%S'))")
  test.eval("post(#tick, 10)")
  test.eval("#go => while true do end")
  test.post({type = "go"})
  test.advance(10)
  test.log_has("tick 00:10")
end)
