-- The weather object (docs/weather.md) following devices of the home.
local test = require("eventrunner.test")

local function start(extra)
  test.start{}
  test.device{id = 1, name = "outdoor_temp", type = "multilevelSensor", props = {value = 4}}
  test.device{id = 2, name = "outdoor_humidity", type = "multilevelSensor", props = {value = 70}}
  local config = {devices = {temp = "outdoor_temp", humidity = 2}}
  for k, v in pairs(extra or {}) do config[k] = v end
  require("er.engine").E.weather.configure(config)
end

test.case("weather takes its values from the devices it names", function()
  start()
  test.eq(test.eval("return {weather:temp, weather:humidity, weather:value, weather:name}"),
          {4, 70, 4, "weather"})
end)

test.case("a device change is a weather change, and rules trigger on it", function()
  start()
  test.eval("weather:temp < 0 & 06:00..09:00 => log('frost: heat the car')")
  test.eval("weather:humidity > 80 => log('humid: %d%%', weather:humidity)")
  test.set(1, "value", -1)
  test.set(2, "value", 85)
  test.advance("00:00:01")
  test.eq(test.logs(), {"humid: 85%"})
  test.advance("18:00")
  test.eq(test.logs(), {"humid: 85%", "frost: heat the car"})
end)

test.case("mistakes in the configuration are named", function()
  test.start{}
  local E = require("er.engine").E
  local ok, problem = pcall(E.weather.configure, {devices = {temp = "nowhere"}})
  test.eq({ok, problem}, {false, "devices.temp: no such device: nowhere"})
  ok, problem = pcall(E.weather.configure, {devices = {rain = 1}})
  test.eq(ok, false)
  test.ok(problem:find("unknown field 'rain'", 1, true), problem)
  ok, problem = pcall(E.weather.configure, {provider = "met.no"})
  test.eq(ok, false)
end)

test.case("without a weather source, weather is undefined with a hint", function()
  test.start{}
  local _, message = test.eval("return weather:temp")
  test.ok(tostring(message):find("the weather object needs weather = {...} in home.lua", 1, true), message)
end)
