-- Midnight (spec §8.8): the day's values are recomputed, then every enabled rule is
-- re-planned; '@' operands are evaluated again; errors there are runtime errors.
local test = require("eventrunner.test")

test.case("@sunset is re-planned with each day's sunset", function()
  test.start{}
  test.eval('@sunset => log("%s %s", osdate("%d %H:%M"), HM(sunset))')
  test.advance(3 * 86400)
  local logs = test.logs()
  test.eq(#logs, 3)
  test.eq(logs[1], "14 20:54 20:54")
  for _, line in ipairs(logs) do
    local day, at, sunset = line:match("^(%d+) (%d%d:%d%d) (%d%d:%d%d)$")
    test.eq(at, sunset, line)   -- Each day at that day's sunset.
  end
  test.ok(logs[3] ~= "16 20:54 20:54", "sunset moves later in May")
end)

test.case("'@' operands are evaluated again at midnight", function()
  test.start{}
  er.vars.hour = 46800             -- 13:00
  test.eval('@hour => log(osdate("%d %H:%M"))')
  er.vars.hour = 8 * 3600          -- A plain global: read at the next planning.
  test.advance("13:00")            -- 01:00 on the 15th
  test.eq(test.logs(), {"14 13:00"})
  test.advance("07:00")            -- 08:00
  test.eq(test.logs(), {"14 13:00", "15 08:00"})
end)

test.case("00:00 timers fire after re-planning, once", function()
  test.start{time = "2025-05-14 23:59"}
  test.eval('@00:00 => log("%s now=%d midnight=%d", osdate("%d %H:%M:%S"), now, midnight)')
  test.advance("00:02")
  test.eq(test.logs(), {"15 00:00:00 now=0 midnight=1747260000"})
end)

test.case("wnum, midnight and the sun times change at midnight", function()
  test.start{time = "2025-05-18 23:00"}   -- Sunday, ISO week 20
  test.eq(test.eval("return wnum"), 20)
  test.advance("01:00")
  test.eq(test.eval("return wnum"), 21)
  test.eq(test.eval("return midnight"), 1747605600)
  test.eq(test.eval("return now"), 0)
end)

test.case("an error in an '@' operand at midnight disables the rule", function()
  test.start{}
  er.vars.offset = 0
  test.eval('@(20:00 + offset) => log("fired")', {name = "evening"})
  test.eval('#rule_error{rule="$r"} => log("rule_error from %s", r)')
  er.vars.offset = "soon"          -- Not a trigger: read at the next planning.
  test.advance("12:00")            -- 20:00 fires, then midnight fails.
  test.eq(test.logs()[1], "fired")
  test.log_has("[evening] evening:1:")
  test.log_has("attempt to add a 'number' with a 'string'")
  test.log_has("[evening] disabled")
  test.log_has("rule_error from evening")
  test.clear()
  er.vars.offset = 0
  test.advance(86400)
  test.log_lacks("fired")
end)
