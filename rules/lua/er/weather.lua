-- er.weather: EventRunner7's `weather` object (docs/weather.md). It is a device named
-- `weather` (type "weather") whose properties — `temp` (its value), `humidity`, `wind`,
-- `pressure`, `condition` — follow a source configured in home.lua:
--
--   weather = {provider = "open-meteo"}                 -- polled over HTTP, no key
--   weather = {http = {url = ..., fields = {temp = "current.temp_c", ...}}}
--   weather = {devices = {temp = "outdoor_temp", humidity = "outdoor_humidity"}}
--
-- Rules read `weather:temp` and trigger on it like on any device property; a change
-- is a device event of the `weather` device.

local M = {}

M.DEVICE_ID = "weather"
M.DEFAULT_INTERVAL_S = 900

-- The properties a source may feed; `temp` is stored as the device's value, so that
-- `weather:temp` reads and triggers as `temp` does on any device.
local PROPERTY_OF = {temp = "value", humidity = "humidity", wind = "wind", pressure = "pressure",
                     condition = "condition"}
-- The order one answer's changes are applied in (and rules see them in).
local FIELD_ORDER = {"temp", "humidity", "wind", "pressure", "condition"}

-- Open-Meteo's current weather (https://open-meteo.com: free, no key) for the home's
-- place; the condition is its WMO weather code in words.
local OPEN_METEO_URL = "https://api.open-meteo.com/v1/forecast?latitude=%s&longitude=%s"
  .. "&current=temperature_2m,relative_humidity_2m,wind_speed_10m,pressure_msl,weather_code&wind_speed_unit=ms"
local OPEN_METEO_FIELDS = {temp = "current.temperature_2m", humidity = "current.relative_humidity_2m",
                           wind = "current.wind_speed_10m", pressure = "current.pressure_msl",
                           condition = "current.weather_code"}

-- WMO weather codes (as Open-Meteo gives them) in the words HC3 weather conditions use.
function M.condition_of_wmo(code)
  code = tonumber(code)
  if code == nil then return nil end
  if code == 0 then return "clear" end
  if code <= 2 then return "partlyCloudy" end
  if code == 3 then return "cloudy" end
  if code == 45 or code == 48 then return "fog" end
  if (code >= 71 and code <= 77) or code == 85 or code == 86 then return "snow" end
  if code >= 95 then return "storm" end
  if code >= 51 and code <= 82 then return "rain" end
  return "unknown"
end

-- The value at a dotted path ("current.temperature_2m") of a decoded JSON answer.
local function at_path(data, path)
  for key in tostring(path):gmatch("[^.]+") do
    if type(data) ~= "table" then return nil end
    data = data[tonumber(key) or key]
  end
  return data
end
M.at_path = at_path

local function check_fields(fields, what)
  if type(fields) ~= "table" then error(what .. " must be a table {temp = ..., humidity = ...}", 0) end
  for name in pairs(fields) do
    if PROPERTY_OF[name] == nil then
      error(what .. ": unknown field '" .. tostring(name) .. "' (temp, humidity, wind, pressure, condition)", 0)
    end
  end
end

function M.new(base, core, devices, http, util)
  local W = {}
  local source = nil     -- the checked configuration, or nil
  local last_problem = nil

  local function report(name, value)
    if value == nil then return end
    devices.apply_report(M.DEVICE_ID, PROPERTY_OF[name], value, "update")
  end

  -- HTTP sources ------------------------------------------------------------------------

  local function apply_answer(data)
    for _, name in ipairs(FIELD_ORDER) do
      local path = source.fields[name]
      local value = path and at_path(data, path)
      if name == "condition" and source.wmo then value = M.condition_of_wmo(value) end
      report(name, value)
    end
  end

  local function poll(generation)
    if source == nil or source.generation ~= generation then return end
    http.send({method = "GET", url = source.url, timeout_ms = 30000, headers = {Accept = "application/json"}},
      function(status, body)
        local ok, data = status ~= nil and status < 300, nil
        if ok then ok, data = pcall(util.json_decode, body) end
        local problem = status == nil and body or (not ok and ("answer HTTP " .. tostring(status)) or nil)
        if problem and problem ~= last_problem then base.log("warn", "weather: " .. problem) end
        last_problem = problem
        if not problem and source and source.generation == generation then apply_answer(data) end
      end)
    core.timer(nil, source.interval * 1000, poll, generation)
  end

  local function http_source(config)
    if config.provider ~= nil and config.provider ~= "open-meteo" then
      error("provider must be \"open-meteo\" (or give http = {url =, fields =})", 0)
    end
    if config.provider == "open-meteo" then
      local latitude, longitude = base.native.location()
      local url = config.url or string.format(OPEN_METEO_URL, latitude, longitude)
      return {url = url, fields = OPEN_METEO_FIELDS, wmo = true}
    end
    local spec = config.http
    if type(spec) ~= "table" or type(spec.url) ~= "string" then error("http must be {url = ..., fields = {...}}", 0) end
    check_fields(spec.fields, "http.fields")
    return {url = spec.url, fields = spec.fields, wmo = spec.wmo_condition == true}
  end

  -- Device sources ----------------------------------------------------------------------

  local function device_source(map)
    check_fields(map, "devices")
    local by_device = {}
    for name, device in pairs(map) do
      local dev = devices.named(tostring(device)) or devices.get(device)
      if dev == nil then error("devices." .. name .. ": no such device: " .. tostring(device), 0) end
      by_device[dev.id] = name
    end
    return {by_device = by_device}
  end

  devices.on_change(function(id, prop, value)
    local name = source and source.by_device and source.by_device[id]
    if name ~= nil and prop == "value" then report(name, value) end
  end)

  --- Reads home.lua's `weather` table and starts its source; raises with the problem.
  function W.configure(config)
    if type(config) ~= "table" then error("must be a table", 0) end
    local interval = config.interval or M.DEFAULT_INTERVAL_S
    if type(interval) ~= "number" or interval < 1 then error("interval must be a number of seconds >= 1", 0) end
    local checked = config.devices and device_source(config.devices) or http_source(config)
    checked.interval, checked.generation = interval, {}
    if devices.get(M.DEVICE_ID) == nil then devices.define({id = M.DEVICE_ID, name = "weather", type = "weather"}) end
    source, last_problem = checked, nil
    if checked.by_device then
      for id, name in pairs(checked.by_device) do report(name, devices.get(id).values.value) end
    else
      -- From the loop: `eventrunner check` loads the home without running it, and calls
      -- nothing then.
      core.timer(nil, 0, poll, checked.generation)
    end
  end

  base.on_reset(function() source, last_problem = nil, nil end)
  return W
end

return M
