-- Rule modifiers (spec §6.3; first_in is in tests/rules/time/first_in_test.lua) and
-- the action/condition rules of §6.4.
local test = require("eventrunner.test")

local er = require("er.engine").E.er

local function action_list()
  local out = {}
  for _, a in ipairs(test.actions()) do out[#out + 1] = a.time .. " " .. a.id .. " " .. a.action end
  return out
end

-- single ------------------------------------------------------------------------

test.case("single cancels the earlier suspended run when the new one starts its action", function()
  test.start{}
  test.eval('#go single => log("start %d", event.n); wait(10); log("end %d", event.n)')
  test.post({type = "go", n = 1})
  test.advance(5)
  test.post({type = "go", n = 2})
  test.advance(20)
  test.eq(test.logs(), {"start 1", "start 2", "end 2"})
end)

test.case("single cancels nothing when the new run's condition is false", function()
  test.start{}
  test.eval('#go & event.ok single => log("start %d", event.n); wait(10); log("end %d", event.n)')
  test.post({type = "go", n = 1, ok = true})
  test.advance(5)
  test.post({type = "go", n = 2, ok = false})
  test.advance(20)
  test.eq(test.logs(), {"start 1", "end 1"})
end)

test.case("without single the runs overlap", function()
  test.start{}
  test.eval('#go => log("start %d", event.n); wait(10); log("end %d", event.n)')
  test.post({type = "go", n = 1})
  test.advance(5)
  test.post({type = "go", n = 2})
  test.advance(20)
  test.eq(test.logs(), {"start 1", "start 2", "end 1", "end 2"})
end)

-- since -------------------------------------------------------------------------

test.case("since T acts when the condition stayed true for T", function()
  test.start{home = "reference"}
  test.eval('67:isOpen since 00:05 => log("open 5 min at %s", osdate("%H:%M:%S"))')
  test.set(67, "value", false)
  test.set(67, "value", true)           -- opened at 12:00
  test.advance("00:10")
  test.eq(test.logs(), {"open 5 min at 12:05:00"})
end)

test.case("since T does nothing when the condition turns false before T", function()
  test.start{home = "reference"}
  test.eval('67:isOpen since 00:05 => log("open 5 min")')
  test.set(67, "value", false)
  test.set(67, "value", true)
  test.advance("00:04:59")
  test.set(67, "value", false)
  test.advance("00:10")
  test.eq(test.logs(), {})
end)

-- debounce ----------------------------------------------------------------------

test.case("debounce: 55 off 2 min after the last motion", function()
  test.start{home = "reference"}
  test.set(55, "value", true)
  test.eval("66:breached debounce 00:02 => 55:off")
  test.set(66, "value", true)           -- 12:00 motion
  test.advance(30)
  test.set(66, "value", false)          -- condition false: cancels nothing
  test.advance(30)
  test.set(66, "value", true)           -- 12:01 motion again: restarts the 2 min
  test.advance("00:01:59")
  test.eq(test.value(55, "value"), true)
  test.advance(1)
  test.eq(test.value(55, "value"), false)
  test.eq(action_list(), {"12:03:00 55 turnOff"})
end)

test.case("debounce: a false condition does not restart the delay", function()
  test.start{home = "reference"}
  test.set(55, "value", true)
  test.eval("66:breached debounce 00:02 => 55:off")
  test.set(66, "value", true)           -- 12:00
  test.advance(60)
  test.set(66, "value", false)          -- 12:01
  test.advance(120)
  test.eq(action_list(), {"12:02:00 55 turnOff"})
end)

-- cooldown ----------------------------------------------------------------------

-- Opens the front door (67) at the current time: closed first, then open.
local function open_door()
  test.set(67, "value", false)
  test.set(67, "value", true)
end

test.case("cooldown: at most one log per 10 min", function()
  test.start{home = "reference"}
  test.eval('67:isOpen cooldown 00:10 => log("door %s", osdate("%H:%M:%S"))')
  open_door()                           -- 12:00: first evaluation passes
  test.advance("00:05")
  open_door()                           -- 12:05: 5 min after the last pass
  test.advance("00:05")
  open_door()                           -- 12:10: exactly 10 min, passes
  test.advance("00:09:59")
  open_door()                           -- 12:19:59: blocked
  test.advance(1)
  open_door()                           -- 12:20:00: passes
  test.eq(test.logs(), {"door 12:00:00", "door 12:10:00", "door 12:20:00"})
end)

-- every -------------------------------------------------------------------------

test.case("every 3: the 3rd, 6th, ... detection", function()
  test.start{home = "reference"}
  test.eval('66:breached every 3 => log("third")')
  local logged = {}
  for i = 1, 7 do
    test.set(66, "value", true)         -- a detection
    test.set(66, "value", false)        -- an evaluation that does not reach 'every'
    logged[i] = #test.logs()
  end
  test.eq(logged, {0, 0, 1, 1, 1, 2, 2})
end)

-- Joining ------------------------------------------------------------------------

test.case("cooldown and every are joined in written order, state changes only when reached", function()
  test.start{}
  test.eval('#a every 2 cooldown 60 => log("A %d", event.n)')
  test.eval('#b cooldown 60 every 2 => log("B %d", event.n)')
  local at = {0, 1, 2, 3, 62, 63}
  for n, t in ipairs(at) do
    test.advance(t - (at[n - 1] or 0))
    test.post({type = "a", n = n})
    test.post({type = "b", n = n})
  end
  -- A: every passes at 2, 4, 6; cooldown then sees 2 (pass), 4 (1 s later: no), 6 (61 s: pass).
  -- B: cooldown passes at 1 and 5; every counts those two and passes on the second.
  test.eq(test.logs(), {"A 2", "B 5", "A 6"})
end)

test.case("since wraps the condition; every then counts the expiries that reach it", function()
  test.start{home = "reference"}
  test.eval('67:isOpen since 00:01 every 2 => log("second expiry at %s", osdate("%H:%M"))')
  open_door()                           -- 12:00 armed; 12:01 expiry 1: every counts 1
  test.advance("00:02")
  open_door()                           -- 12:02 armed again; 12:03 expiry 2: passes
  test.advance("00:02")
  test.eq(test.logs(), {"second expiry at 12:03"})
end)

test.case("modifier words are ordinary names outside a rule head", function()
  test.start{}
  test.eq(test.eval("single = 3; every = 4; return single + every"), 7)
end)

-- Errors of the modifier syntax ---------------------------------------------------

test.case("a modifier may appear only once", function()
  test.start{}
  local _, message = test.eval("#a single single => log('x')")
  test.eq(message, "eval:1:11: error: duplicate modifier 'single'\n#a single single => log('x')\n          ^\n")
end)

test.case("a modifier without its operand says what it needs", function()
  test.start{}
  local expected = {
    since = "'since' requires a duration (e.g. since 00:05)",
    debounce = "'debounce' requires a duration (e.g. debounce 2)",
    cooldown = "'cooldown' requires a duration (e.g. cooldown 00:10)",
    every = "'every' requires a count (e.g. every 3)",
    first_in = "'first_in' requires a time window (e.g. first_in 06:00..09:00)",
  }
  for word, text in pairs(expected) do
    local rule, message = test.eval("#a " .. word .. " => log('x')")
    test.eq(rule, nil, word)
    test.eq(message:match("^[^\n]*"), "eval:1:4: error: " .. text)
  end
end)

test.case("other text before => is an error", function()
  test.start{}
  local _, message = test.eval("#a foo => log('x')")
  test.eq(message:match("^[^\n]*"), "eval:1:4: error: Expected '=>' after rule modifiers")
end)

-- §6.4 -----------------------------------------------------------------------------

test.case("the action's return values are the run's result", function()
  test.start{}
  local rule = test.eval("#a => return 1, 'two', {3}")
  test.eq(table.pack(rule:start()), {n = 3, 1, "two", {3}})
end)

test.case("a condition must not suspend", function()
  test.start{}
  local rule, message = test.eval("#a & wait(1) => log('x')")
  test.eq(rule, nil)
  test.eq(message, "eval:1:6: error: wait is not allowed in a rule condition\n#a & wait(1) => log('x')\n     ^\n")
end)

test.case("a function that waits, called by a condition, is a runtime error", function()
  test.start{}
  er.define("slow", function() er.wait(1); return true end)
  test.eval("#b & slow() => log('x')")
  test.post({type = "b"})
  test.log_has("[RULE1] eval:1:6: runtime error: wait is not allowed in a rule condition")
  test.log_has("[RULE1] disabled")
  test.eq(#test.logs(), 2)              -- the error and "disabled", no "x"
end)

test.case("the same holds for a rule whose action calls nothing (run without a task)", function()
  test.start{}
  er.define("slow", function() er.wait(1); return true end)
  test.eval("#b & slow() => x = 1")
  test.post({type = "b"})
  test.log_has("[RULE1] eval:1:6: runtime error: wait is not allowed in a rule condition")
  test.eq(er.vars.x, nil)
end)
