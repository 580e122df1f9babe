-- The example home (examples/home) on simulated days: its scripted device reports
-- drive the rules, and these cases check that the rules do what their comments say.
local test = require("eventrunner.test")

local HOME = "examples/home"
local HEATING, COFFEE, BEDROOM_LIGHT, GARAGE = 70, 33, 50, "garage"

-- Starts the home on Wednesday 2025-05-14 (a working day) at `time`.
local function weekday(time)
  test.start{time = "2025-05-14 " .. time, home = HOME}
end

test.case("the wake-up light ramps to 70 % on a working day", function()
  weekday("06:00")
  test.advance("00:14")
  test.eq(test.value(BEDROOM_LIGHT, "value"), 0)
  test.advance("00:17")      -- 06:31, after the 15-minute ramp
  test.eq(test.value(BEDROOM_LIGHT, "value"), 70)
end)

test.case("the first motion of the morning starts the coffee maker for 40 minutes", function()
  weekday("06:00")
  test.advance("00:40")      -- 06:40: motion in the hall
  test.eq(test.value(COFFEE, "value"), true)
  test.advance("00:39")
  test.eq(test.value(COFFEE, "value"), true)
  test.advance("00:01")      -- 07:20
  test.eq(test.value(COFFEE, "value"), false)
end)

test.case("away mode starts two minutes after the leaving key", function()
  weekday("07:00")
  test.eq(test.value(HEATING, "heatingThermostatSetpoint"), 21)   -- 06:00 schedule, caught up
  test.advance("00:46")      -- 07:46
  test.log_has("NOTIFY [1] Away mode in two minutes")
  test.ok(not test.eval("return $Away"), "not away yet")
  test.advance("00:01")      -- 07:47
  test.eq(test.eval("return $Away"), true)
  test.eq(test.value(HEATING, "heatingThermostatSetpoint"), 16)
  test.log_lacks("Motion in the house")
  test.advance("09:44")      -- 17:31, after the "home" key
  test.eq(test.eval("return $Away"), false)
  test.eq(test.value(HEATING, "heatingThermostatSetpoint"), 21)
end)

test.case("an open window pauses the heating, closing it resumes", function()
  weekday("18:00")
  test.advance("00:16")      -- window open since 18:15
  test.eq(test.value(HEATING, "thermostatMode"), "Heat")
  test.advance("00:01")      -- 18:17, open for two minutes
  test.eq(test.value(HEATING, "thermostatMode"), "Off")
  test.advance("00:23")      -- 18:40, closed
  test.eq(test.value(HEATING, "thermostatMode"), "Heat")
end)

test.case("the garage left open in the evening is closed after 15 minutes", function()
  weekday("20:55")
  test.advance("00:19")      -- 21:14, open since 21:00
  test.eq(test.value(GARAGE, "value"), 99)
  test.advance("00:01")
  test.eq(test.value(GARAGE, "value"), 0)
  test.log_has("The garage door was open for 15 minutes")
end)

test.case("a hand-dimmed level is remembered once the dimmer settles", function()
  weekday("20:30")
  test.advance("00:10:06")   -- 20:40:06, four seconds after the last report
  test.eq(test.eval("return $LivingLevel"), nil)
  test.advance(1)
  test.eq(test.eval("return $LivingLevel"), 25)
end)

test.case("a door open on Saturday warns after 10 and 20 minutes", function()
  test.start{time = "2025-05-17 10:55", home = HOME}
  test.advance("00:30")      -- the terrace door is open 11:00-11:25
  test.log_has("NOTIFY [2] A door has been open for 10 minutes")
  test.log_has("NOTIFY [2] A door has been open for 20 minutes")
  test.log_lacks("open for 30 minutes")
end)

test.case("messages of the night wait for the morning", function()
  weekday("22:00")
  test.advance("00:15")      -- good night at 22:10
  test.eq(test.eval("return NightMode"), true)
  test.clear()
  test.advance("08:24")      -- 06:39: frost at 04:30 was kept back
  test.log_lacks("Frost")
  test.advance("00:02")      -- 06:41: the first motion at 06:40 ended the night
  test.eq(test.eval("return NightMode"), false)
  test.log_has("NOTIFY [1] (during the night) Frost: 1.5 °C outside")
end)
