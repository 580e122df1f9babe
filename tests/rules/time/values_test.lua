-- Time values and operators through EventScript (spec §9, §1.6, §3.5, §11), at the
-- reference instant Wednesday 2025-05-14 12:00:00 CEST in Berlin.
local test = require("eventrunner.test")

local function value(src) return test.eval("return " .. src) end

test.case("clock and sun values", function()
  test.start{}
  test.eq(value("now"), 43200)
  test.eq(value("midnight"), 1747173600)
  test.eq(value("ostime()"), 1747216800)
  test.eq(value("sunrise"), 18660)
  test.eq(value("sunset"), 75240)
  test.eq(value("dawn"), 16080)
  test.eq(value("dusk"), 77820)
  test.eq(value("wnum"), 20)
end)

test.case("t/ n/ +/ prefixes", function()
  test.start{}
  test.eq(value("t/08:00"), 1747202400)
  test.eq(value("n/08:00"), 1747288800)
  test.eq(value("n/18:00"), 1747238400)
  test.eq(value("+/00:10"), 1747217400)
  test.eq(value("HM(t/sunset)"), "20:54")
end)

test.case("HM and HMS", function()
  test.start{}
  test.eq(value("HM(36030)"), "10:00")
  test.eq(value("HMS(36030)"), "10:00:30")
  test.eq(value("HM(1747216800)"), "12:00")
  test.eq(value("HM(90000)"), "01:00")
  test.eq(value("HM(sunset - 00:30)"), "20:24")
end)

test.case("date literals", function()
  test.start{}
  test.eq(value("2025/12/24/18:00"), 1766595600)
  test.eq(value("/12/24"), 1766530800)
  test.eq(value("2026/01/01"), 1767222000)
  test.eq(value("2025/02/30 == 2025/03/02"), true)
end)

test.case("between", function()
  test.start{}
  test.eq(value("10:00..14:00"), true)
  test.eq(value("12:00..12:00"), true)
  test.eq(value("22:00..06:00"), false)
  test.eq(value("23:00..13:00"), true)
  test.eq(value("sunset..sunrise"), false)
  test.eq(value("2025/05/01..2025/06/01"), true)
  local none, message = value("10:00..2025/06/01")
  test.eq(none, nil)
  test.ok(message:find("cannot mix short and long times in '..'", 1, true), message)
end)

test.case("calendar tests", function()
  test.start{}
  test.eq(value('wday("mon-fri")'), true)
  test.eq(value('wday("sat,sun")'), false)
  test.eq(value('wday("fri-mon")'), false)
  test.eq(value('day("1-15")'), true)
  test.eq(value('day("lastw-last")'), false)
  test.eq(value('month("nov-may")'), true)
  test.eq(value('date("* 8-17 * * mon-fri")'), true)
  test.eq(value('date("0 12 14 5 *")'), true)
  test.eq(value('date("*/15 * * * *")'), true)
  test.eq(value('date("0 18 * * *")'), false)
  local none, message = value('wday("xyz")')
  test.eq(none, nil)
  test.ok(message:find("bad wday spec: 'xyz'", 1, true), message)
end)

test.case("osdate and ostime use the engine clock and zone", function()
  test.start{}
  test.eq(value('osdate("%H:%M")'), "12:00")
  test.eq(value('osdate("%Y-%m-%d %H:%M:%S %Z")'), "2025-05-14 12:00:00 CEST")
  test.eq(value("ostime({year=2025, month=12, day=24, hour=18})"), 1766595600)
  test.advance("00:01:30")
  test.eq(value('osdate("%H:%M:%S")'), "12:01:30")
  test.eq(value("os.time()"), 1747216890)           -- os seen by EventScript, too.
  test.eq(value('os.date("%H:%M")'), "12:01")
  test.eq(value("os.time() == ostime()"), true)
end)

test.case("er.config moves the zone and re-plans", function()
  test.start{}
  test.eval('@13:00 => log(osdate("!%H:%M UTC"))')
  er.config{tz = "UTC0"}
  test.eq(value("now"), 36000)
  test.advance("04:00")         -- 14:00 UTC: 13:00 UTC fired, not 11:00 UTC.
  test.eq(test.logs(), {"13:00 UTC"})
end)

test.case("er.config moves the sun", function()
  test.start{}
  er.config{latitude = 60.17, longitude = 24.94, tz = "EET-2EEST,M3.5.0/3,M10.5.0/4"}   -- Helsinki
  test.ok(value("sunset") > 21 * 3600 + 1800, "the sun sets after 21:30 in Helsinki in May")
  test.start{}
  test.eq(value("sunrise"), 18660)
end)

test.case("test.start places the clock and the place", function()
  test.start{time = "2025-01-01 08:00", tz = "UTC0", lat = 0, lon = 0}
  test.eq(value("now"), 8 * 3600)
  test.eq(value("midnight"), 1735689600)
  test.eq(value("wnum"), 1)
end)

test.case("uptime, uptimeMinutes and uptimeStr count from the start on the engine clock", function()
  test.start{}
  test.eq(test.eval("return uptime"), 0)
  test.advance(86400 + 3 * 3600 + 12 * 60 + 5)
  test.eq(test.eval("return uptime"), 86400 + 3 * 3600 + 12 * 60 + 5)
  test.eq(test.eval("return uptimeMinutes"), (86400 + 3 * 3600 + 12 * 60) // 60)
  test.eq(test.eval("return uptimeStr"), "1 days, 3 hours, 12 minutes")
  test.start{}
  test.eq(test.eval("return uptimeMinutes < 5"), true)
end)
