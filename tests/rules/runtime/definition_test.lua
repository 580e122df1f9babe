-- Defining rules (spec §6.2) and the log lines of each verbosity (§12).
local test = require("eventrunner.test")

local er = require("er.engine").E.er

local function count_rules()
  local n = 0
  for _ in pairs(er.rules()) do n = n + 1 end
  return n
end

test.case("ids count 1, 2, ... in definition order and name the rules", function()
  test.start{}
  local a = test.eval("#a => log('a')")
  local b = test.eval("#b => log('b')")
  local c = test.eval("#c => log('c')", {name = "third"})
  test.eq({a.id, a.name, b.id, b.name, c.id, c.name}, {1, "RULE1", 2, "RULE2", 3, "third"})
end)

test.case("a failed definition leaves nothing and takes no id", function()
  test.start{home = "reference"}
  test.eval("#a => log('a')")
  local rule, message = test.eval("#b => 200000:on")
  test.eq(rule, nil)
  test.eq(message, "eval:1:14: error: No such device: 200000\n#b => 200000:on\n             ^\n")
  test.eq(count_rules(), 1)
  test.post({type = "b"})
  test.eq(test.actions(), {})
  test.eq(test.eval("#c => log('c')").id, 2)
end)

test.case("a failed definition does not touch the others", function()
  test.start{}
  test.eval("#a => log('a')")
  test.eval("x > 5 => log(x)")
  test.post({type = "a"})
  test.eq(test.logs()[#test.logs()], "a")
end)

test.case("a rule with a used name replaces the old one", function()
  test.start{home = "reference"}
  local old = test.eval("66:breached => 55:on", {name = "hall"})
  local new = test.eval("66:breached => 56:value = 10", {name = "hall"})
  test.eq({old.id, new.id}, {1, 2})
  test.eq(old.enabled, false)
  test.ok(er.getRule("hall") == new)
  test.eq(er.getRule(1), nil)
  test.eq(count_rules(), 1)
  test.set(66, "value", true)
  test.eq(test.value(55, "value"), false)
  test.eq(test.value(56, "value"), 10)
end)

test.case("replacing a rule cancels the old rule's suspended runs", function()
  test.start{}
  test.eval("#go => wait(10); log('old after wait')", {name = "r"})
  test.post({type = "go"})
  test.eval("#go => log('new')", {name = "r"})
  test.advance(10)
  test.eq(test.logs(), {})
end)

test.case("a failed replacement keeps the old rule", function()
  test.start{}
  local old = test.eval("#a => log('old')", {name = "r"})
  local rule = test.eval("plain > 1 => log('new')", {name = "r"})
  test.eq(rule, nil)
  test.ok(er.getRule("r") == old)
  test.eq(old.enabled, true)
  test.post({type = "a"})
  test.eq(test.logs()[#test.logs()], "old")
end)

test.case("normal verbosity logs the defined line with the first source line", function()
  test.start{verbosity = "normal"}
  test.eval("#ping => log('x')")
  test.eval("#pong =>\n  log('y')", {name = "two_lines"})
  test.eq(test.logs(), {"[RULE1] defined: #ping => log('x')", "[two_lines] defined: #pong =>"})
end)

test.case("silent verbosity logs no defined line", function()
  test.start{verbosity = "silent"}
  test.eval("#ping => log('x')")
  test.eq(test.logs(), {})
end)

test.case("the verbosity option of one definition wins over er.opts", function()
  test.start{verbosity = "normal"}
  test.eval("#ping => log('x')", {verbosity = "silent"})
  test.eval("#pong => log('y')")
  test.eq(test.logs(), {"[RULE2] defined: #pong => log('y')"})
end)

test.case("er.opts.verbosity starts as normal", function()
  local E = require("er.engine").E
  E.reset()
  test.eq(er.opts.verbosity, "normal")
end)

test.case("silent still logs runtime errors", function()
  test.start{verbosity = "silent"}
  test.eval("#ping => log(nope)")
  test.log_has("eval:1:14: warning: unknown name 'nope'")  -- At definition.
  test.clear()
  test.post({type = "ping"})
  test.eq(#test.logs(), 2)
  test.log_has("[RULE1] eval:1:14: runtime error: Undefined variable: 'nope'")
  test.log_has("[RULE1] disabled")
end)

test.case("verbose traces a run that finishes", function()
  test.start{verbosity = "verbose"}
  test.eval("#ping => log('a'); return 1, 'x'")
  test.post({type = "ping"})
  test.eq(test.logs(), {
    "[RULE1] defined: #ping => log('a'); return 1, 'x'",
    '[RULE1] triggered: {"type":"ping"}',
    "[RULE1] action started",
    "a",
    '[RULE1] done: 1, "x"',
  })
end)

test.case("verbose traces a wait and a false condition", function()
  test.start{verbosity = "verbose"}
  test.eval("#ping => wait(2); return {1, 2}", {name = "w"})
  test.eval("#ping & false => log('never')", {name = "f"})
  test.clear()
  test.post({type = "ping", n = 1})
  test.eq(test.logs(), {
    '[w] triggered: {"n":1,"type":"ping"}',
    "[w] action started",
    "[w] waiting 2s",
    '[f] triggered: {"n":1,"type":"ping"}',
    "[f] condition false",
  })
  test.clear()
  test.advance(2)
  test.eq(test.logs(), {"[w] done: {1, 2}"})
end)

test.case("a rule Lua cannot load (too many upvalues) is a definition error at the rule", function()
  test.start{}
  local a, b, sum = {}, {}, {}
  for i = 0, 189 do a[#a + 1] = ("local a%d = %d"):format(i, i); sum[#sum + 1] = ("s = s + a%d;"):format(i) end
  for i = 0, 149 do b[#b + 1] = ("local b%d = %d"):format(i, i); sum[#sum + 1] = ("s = s + b%d;"):format(i) end
  local src = ("#go => local function f() %s; local function g() %s; local function h() local s = 0; %s return s "
    .. "end; return h() end; return g() end; log(f())"):format(table.concat(a, " "), table.concat(b, " "),
    table.concat(sum, " "))
  local rule, problem = test.eval(src)
  test.eq(rule, nil)
  test.ok(tostring(problem):find("eval:1:1: error: Lua cannot load this code (too many upvalues (limit is 255)", 1, true),
    tostring(problem))
end)
