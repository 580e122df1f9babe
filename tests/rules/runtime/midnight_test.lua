-- Midnight (spec §8.8) as the runtime sees it: once states are reset, then enabled
-- rules are re-planned by id, then the 00:00 timers fire. (The day's values and the
-- '@' operands themselves are in tests/rules/time/midnight_test.lua.)
local test = require("eventrunner.test")

local er = require("er.engine").E.er

test.case("enabled rules are re-planned in id order", function()
  test.start{time = "2025-05-14 23:00"}
  local order = {}
  er.define("planned", function(name, t) order[#order + 1] = name; return t end)
  test.eval('@planned("a", 08:00) => log("a")', {name = "a"})
  test.eval('@planned("b", 08:00) => log("b")', {name = "b"})
  test.eval('@planned("a", 09:00) => log("a")', {name = "a"})   -- replaces a: id 3
  order = {}
  test.advance("01:00")
  test.eq(order, {"b", "a"})
end)

test.case("a disabled rule is not re-planned", function()
  test.start{time = "2025-05-14 23:00"}
  local planned = 0
  er.define("planned", function(t) planned = planned + 1; return t end)
  local rule = test.eval('@planned(08:00) => log("fired")')
  rule:disable()
  planned = 0
  test.advance("10:00")                      -- past midnight and 08:00
  test.eq(planned, 0)
  test.eq(test.logs(), {})
end)

test.case("once is reset before the 00:00 timers fire", function()
  test.start{home = "reference", time = "2025-05-14 23:00"}
  test.eval('@{00:00, 23:30} & once(77:temp > 20) => log("once at %s", osdate("%d %H:%M"))')
  test.advance("02:00")
  test.eq(test.logs(), {"once at 14 23:30", "once at 15 00:00"})
end)

test.case("a rule disabled at midnight stays silent the next day; enable plans it again", function()
  test.start{time = "2025-05-14 23:00"}
  local rule = test.eval('@08:00 => log("morning %s", osdate("%d"))')
  rule:disable()
  test.advance("10:00")                      -- 09:00 on the 15th
  rule:enable()                              -- 08:00 has passed today
  test.advance(86400)
  test.eq(test.logs(), {"morning 16"})
end)
