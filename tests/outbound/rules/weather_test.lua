-- The weather object fed over HTTP (docs/weather.md): an Open-Meteo-shaped answer from
-- the local server outbound_test.py starts (ER_TEST_HTTP/open-meteo).
local test = require("eventrunner.test")

local BASE = assert(os.getenv("ER_TEST_HTTP"), "run by tests/outbound/outbound_test.py")

-- Changes what the server answers next, through a rule.
local function set_server_weather(query)
  test.eval("#set_weather => http.get('" .. BASE .. "/weather-set?" .. query .. "')")
  test.post{type = "set_weather"}
  test.settle()
end

test.case("open-meteo fills temp, humidity, wind, pressure and condition", function()
  test.start{weather = {provider = "open-meteo", url = BASE .. "/open-meteo", interval = 600}}
  test.advance("00:00:01")
  test.eq(test.eval("return {weather:temp, weather:humidity, weather:wind, weather:pressure, weather:condition}"),
          {3.5, 81, 4.2, 1012.3, "rain"})
end)

test.case("rules trigger on a change at the next poll", function()
  test.start{weather = {provider = "open-meteo", url = BASE .. "/open-meteo", interval = 600}}
  test.advance("00:00:01")
  test.eval("weather:temp < 0 => log('frost: %s', weather:temp)")
  test.eval("weather:condition => log('now %s', weather:condition)")
  set_server_weather("temperature_2m=-2.5&weather_code=71")
  test.advance("00:09")
  test.eq(test.logs(), {})
  test.advance("00:02")
  test.eq(test.logs(), {"frost: -2.5", "now snow"})
  set_server_weather("temperature_2m=3.5&weather_code=61")
end)

test.case("a source that fails is logged once and the last values stay", function()
  test.start{weather = {http = {url = BASE .. "/status/503", fields = {temp = "current.t"}}, interval = 60}}
  test.advance("00:05")
  local warnings = 0
  for _, line in ipairs(test.logs()) do if line:find("weather: answer HTTP 503", 1, true) then warnings = warnings + 1 end end
  test.eq(warnings, 1)
  test.eq(test.eval("return weather:temp"), 0)
end)
