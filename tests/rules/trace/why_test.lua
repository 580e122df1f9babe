-- `why` paragraphs (docs/traces.md) for the never-triggered, condition-false,
-- suppressed, error and disabled cases: inline goldens, as the project writes them.
local test = require("eventrunner.test")
local E = require("er.engine").E

local function why(name)
  return require("er.inspect").new(E).why(E.rule_by_name[name]).text
end

test.case("never triggered", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::hall_night:: 66:breached & 22:00..06:00 | #door_open => 55:on")
  test.eq(why("hall_night"), "hall_night has not been triggered since start-up (12:00:00): it listens to "
    .. "hall_motion.value (last change 12:00:00), #door_open (never posted) and between 22:00..06:00.")
end)

test.case("an event listened to says when it was last posted", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::other:: #x => log('x')")
  test.advance("00:05")
  test.post({type = "door_open"})
  test.advance("00:01")
  test.eval("::porch:: #door_open => 55:on")  -- Defined after the post: never triggered.
  test.eq(why("porch"), "porch has not been triggered since start-up (12:00:00): it listens to "
    .. "#door_open (last posted 12:05:00).")
end)

test.case("a rule traced off says there is no record", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::quiet:: 66:breached => 55:on")
  E.er.trace("quiet", "off")
  test.set(66, "value", true)
  test.eq(why("quiet"), "quiet is not traced (trace \"off\"), so there is no record of its runs: it listens to "
    .. "hall_motion.value (last change 12:00:00).")
end)

test.case("condition false since the last run", function()
  test.start{time = "2025-05-14 23:10:04", home = "reference"}
  test.eval("::hall_night:: 66:breached & 22:00..06:00 => 55:on")
  test.set(66, "value", true)
  test.set(66, "value", false)
  test.advance("08:02")
  test.set(66, "value", true)
  test.advance("00:28")
  test.set(66, "value", false)
  test.set(66, "value", true)
  -- The window's end (06:00) is a trigger too: the motion sensor was off then.
  test.eq(why("hall_night"), "hall_night last ran 23:10:04 (hall_motion.value false → true). Since then it was "
    .. "triggered 5 times; the condition was false because `66:breached` was false at 23:10:04, 06:00:01, "
    .. "07:40:04, and because `22:00..06:00` was false at 07:12:04, 07:40:04.")
end)

test.case("suppressed by cooldown", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::cool:: 66:breached cooldown 00:10 => log('x')")
  test.set(66, "value", true)
  test.set(66, "value", false)
  test.advance(30)
  test.set(66, "value", true)
  test.eq(why("cool"), "cool last ran 12:00:00 (hall_motion.value false → true). Since then it was triggered twice; "
    .. "the condition was false because `66:breached` was false at 12:00:00; the run was suppressed because "
    .. "`cooldown` held it back at 12:00:30.")
end)

test.case("disabled by an error", function()
  test.start{time = "2025-05-14 02:14", home = "reference"}
  test.eval("::bad:: 66:breached => local x = nil; x.y = 1", {file = "rules.er"})
  test.set(66, "value", true)
  test.eq(why("bad"), "bad was disabled by an error at 02:14:00: rules.er:1:41: runtime error: attempt to "
    .. "index a nil value. bad has not run since start-up (02:14:00): it was triggered once; "
    .. "it failed with rules.er:1:41: runtime error: attempt to index a nil value at 02:14:00.")
end)

test.case("disabled by the user", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::off:: 66:breached => 55:on")
  E.rule_by_name.off:disable()
  test.eq(why("off"), "off is disabled. off has not been triggered since start-up (12:00:00): it listens to "
    .. "hall_motion.value (last change 12:00:00).")
end)
