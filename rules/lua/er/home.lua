-- er.home: loads a home folder (docs/homes.md) into the running engine.
--
--   HOME/home.lua   returns {name=, location={latitude=, longitude=, tz=},
--                   devices={{id=, name=, type=, props={...}}, ...},
--                   trigger_vars={Name = initial, ...}, simulation={{at=, id=, prop=,
--                   value=, days=}, ...}, alarm={partitions={...}} (er.alarm),
--                   profiles={"Home", "Away", ..., active=} (er.profiles)};
--                   every field but devices is optional
--   HOME/*.er       rules files, defined in name order
--
-- The simulation is the simulated backend's "world": scripted device reports applied
-- every day at the given local times (optionally on some weekdays only). Its timers
-- are owned by nobody and re-armed at each local midnight.
--
-- The engine reads no files itself: the host sets M.files, the file access of the
-- platform (the eventrunner command gives one over the file system; a board could
-- give one over its flash).

local M = {}

--- Set by the host:
---   files.read(path) -> text | nil, message
---   files.list(path) -> names, kinds (arrays in name order; kind "file", "folder",
---                       "FIFO", "device", ...) | nil, message
M.files = nil

local SIMULATION_TAG = "[simulation] "

-- Per-engine state of the simulation (one engine per Lua state).
local simulation = {entries = {}, installed_for = nil}

local function engine() return require("er.engine").E end

-- "HH:MM" or "HH:MM:SS" -> seconds after midnight, or nil.
local function parse_clock(text)
  if type(text) ~= "string" then return nil end
  local h, m, s = text:match("^(%d%d):(%d%d):(%d%d)$")
  if h == nil then
    h, m = text:match("^(%d%d):(%d%d)$")
    s = "00"
  end
  if h == nil or tonumber(m) > 59 or tonumber(s) > 59 then return nil end
  return tonumber(h) * 3600 + tonumber(m) * 60 + tonumber(s)
end
M.parse_clock = parse_clock

-- Local time ----------------------------------------------------------------------

--- "YYYY-MM-DD HH:MM[:SS]" -> year, month, day, seconds after midnight; or nil.
function M.parse_local(text)
  if type(text) ~= "string" then return nil end
  local y, mo, d, clock = text:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)[ T](%d%d:%d%d[:%d]*)$")
  local seconds = parse_clock(clock)
  if seconds == nil or tonumber(mo) < 1 or tonumber(mo) > 12 or tonumber(d) < 1 or tonumber(d) > 31 then
    return nil
  end
  return tonumber(y), tonumber(mo), tonumber(d), seconds
end

--- The epoch (seconds) of a local date and time in the engine's zone (spec §9.3).
function M.local_epoch(year, month, day, seconds)
  return engine().R.date(year, month, day, seconds, 0)
end

--- "YYYY-MM-DD HH:MM:SS" of `epoch` (default: now) in the engine's zone.
function M.stamp(epoch)
  local E = engine()
  return E.G.osdate("%Y-%m-%d %H:%M:%S", epoch or E.epoch())
end

-- home.lua is the user's code too: a mistake in it (a loop that never ends) must not
-- hang the start. It runs under an instruction budget (about a second of work), and
-- under the engine's heap limit like everything else.
local HOME_FILE_BUDGET = 100000000

local function call_with_budget(chunk)
  local function exhausted()
    error(string.format("home.lua ran too long (more than %d instructions)", HOME_FILE_BUDGET), 2)
  end
  debug.sethook(exhausted, "", HOME_FILE_BUDGET)
  local ok, result = pcall(chunk)
  debug.sethook()
  return ok, result
end

-- Runs the text of a home.lua in an environment of its own (reads fall back to the
-- standard library), so a home file cannot change the engine's globals.
local function run_home_text(text, path)
  local env = setmetatable({}, {__index = _G})
  local chunk, err = load(text, "@" .. path, "t", env)
  if chunk == nil then return nil, err end
  local ok, home = call_with_budget(chunk)
  if not ok then return nil, path .. ": " .. tostring(home) end
  if type(home) ~= "table" then return nil, path .. ": must return a table (got " .. type(home) .. ")" end
  return home
end

local function read_home_file(dir)
  local path = dir .. "/home.lua"
  if M.files == nil then return nil, "this host cannot read '" .. path .. "'" end
  local text, read_error = M.files.read(path)
  if text == nil then return nil, read_error end
  return run_home_text(text, path)
end

local function check_field(problems, path, what, value, expected)
  if value ~= nil and type(value) ~= expected then
    problems[#problems + 1] = path .. ": " .. what .. " must be a " .. expected .. ", got " .. type(value)
  end
end

-- Checks the shape of the home table; returns a list of problems.
local function check_home(home, path)
  local problems = {}
  check_field(problems, path, "name", home.name, "string")
  check_field(problems, path, "location", home.location, "table")
  check_field(problems, path, "devices", home.devices, "table")
  check_field(problems, path, "trigger_vars", home.trigger_vars, "table")
  check_field(problems, path, "simulation", home.simulation, "table")
  check_field(problems, path, "sandbox", home.sandbox, "boolean")
  check_field(problems, path, "limits", home.limits, "table")
  check_field(problems, path, "mqtt", home.mqtt, "table")
  check_field(problems, path, "controller", home.controller, "string")
  if type(home.controller) == "string" and (home.controller == "" or home.controller:find("[/+#]")) then
    problems[#problems + 1] = path .. ": controller must be a name without '/', '+' or '#', got '"
      .. home.controller .. "'"
  end
  check_field(problems, path, "remote", home.remote, "table")
  check_field(problems, path, "shared", home.shared, "table")
  if home.remote ~= nil and home.mqtt == nil then
    problems[#problems + 1] = path .. ": remote needs an MQTT connection (mqtt = {...})"
  end
  check_field(problems, path, "notify", home.notify, "table")
  check_field(problems, path, "weather", home.weather, "table")
  check_field(problems, path, "log_levels", home.log_levels, "table")  -- Applied by the host (`run`).
  check_field(problems, path, "trace", home.trace, "table")
  check_field(problems, path, "alarm", home.alarm, "table")
  check_field(problems, path, "profiles", home.profiles, "table")
  if home.heap_limit ~= nil and M.parse_size(home.heap_limit) == nil then
    problems[#problems + 1] = path .. ": heap_limit must be a size such as \"512m\" or a number of bytes, got "
      .. tostring(home.heap_limit)
  end
  local location = type(home.location) == "table" and home.location or {}
  check_field(problems, path, "location.latitude", location.latitude, "number")
  check_field(problems, path, "location.longitude", location.longitude, "number")
  check_field(problems, path, "location.tz", location.tz, "string")
  for i, spec in ipairs(type(home.simulation) == "table" and home.simulation or {}) do
    local where = "simulation[" .. i .. "]"
    if type(spec) ~= "table" then
      problems[#problems + 1] = path .. ": " .. where .. " must be a table"
    elseif (parse_clock(spec.at) or 86400) >= 86400 then
      problems[#problems + 1] = path .. ": " .. where .. ".at must be a time of day \"HH:MM\" or \"HH:MM:SS\", got "
        .. tostring(spec.at)
    elseif type(spec.prop) ~= "string" then
      problems[#problems + 1] = path .. ": " .. where .. ".prop must be a string"
    end
  end
  return problems
end

--- The engine's name among controllers (docs/multi-controller.md): home.lua's
--- `controller`, else the home folder's name made one topic level.
function M.controller_name(home, dir)
  if type(home.controller) == "string" then return home.controller end
  local folder = tostring(dir):match("([^/]+)/*$") or "eventrunner"
  return (folder:gsub("[+#]", "_"))
end

--- A size: a number of bytes, or "512k", "256m", "1g" (binary units); nil if not one.
function M.parse_size(v)
  if math.type(v) == "integer" and v >= 0 then return v end
  if type(v) ~= "string" then return nil end
  local number, unit = v:lower():match("^(%d+%.?%d*)([kmg]?)b?$")
  if number == nil then return nil end
  local scale = ({[""] = 1, k = 1024, m = 1024 ^ 2, g = 1024 ^ 3})[unit]
  return math.floor(tonumber(number) * scale)
end

--- The place of a home: {latitude=, longitude=, tz=} with only the fields it sets.
function M.place_of(home)
  local location = home.location or {}
  return {latitude = location.latitude, longitude = location.longitude, tz = location.tz}
end

-- A device with an `mqtt` mapping. When the host drives MQTT, its actions go to the
-- "mqtt" backend, and it is unavailable until the broker says otherwise; simulated
-- (check, test, a host without MQTT), it is available, so that rules naming
-- `available` define and rule tests can set it.
local function mqtt_device(spec, real)
  local copy = {}
  for k, v in pairs(spec) do copy[k] = v end
  if real then copy.backend = "mqtt" end
  copy.props = {}
  for k, v in pairs(spec.props or {}) do copy.props[k] = v end
  if copy.props.available == nil then copy.props.available = not real end
  return copy
end

--- The devices of a home that have an `mqtt` mapping: {{id=, name=, type=, mqtt=}, ...}.
function M.mqtt_devices(home)
  local list = {}
  for _, spec in ipairs(home.devices or {}) do
    if type(spec) == "table" and spec.mqtt ~= nil then
      list[#list + 1] = {id = spec.id, name = spec.name, type = spec.type, mqtt = spec.mqtt}
    end
  end
  return list
end

-- The device specs as the engine defines them: with an `mqtt` mapping, a real device
-- when the host drives MQTT and the home names a broker, else a simulated one that is
-- available.
local function device_specs(home, with_mqtt)
  local specs = {}
  local real = with_mqtt and home.mqtt ~= nil
  for i, spec in ipairs(home.devices or {}) do
    if type(spec) == "table" and spec.mqtt ~= nil then spec = mqtt_device(spec, real) end
    specs[i] = spec
  end
  return specs
end

local function define_devices(E, specs, path, problems)
  for i, spec in ipairs(specs) do
    local real = type(spec) == "table" and spec.backend == "mqtt"
    local ok, err = pcall(E.er.defineDevice, spec)
    -- Unavailable until the broker says otherwise, whatever the state file kept.
    if ok and real then E.devices.apply_report(spec.id, "available", false, "restore") end
    if not ok then problems[#problems + 1] = path .. ": devices[" .. i .. "]: " .. tostring(err) end
  end
end

-- The alarm's partitions and the home modes, after the devices they refer to. A
-- mistake here stops the load: a home whose alarm is misconfigured must not run.
local function define_home_objects(E, home, path)
  local ok, err = pcall(E.alarm.configure, home.alarm)
  if ok then ok, err = pcall(E.profiles.configure, home.profiles) end
  if not ok then return nil, path .. ": " .. tostring(err) end
  return true
end

local function define_trigger_vars(E, home)
  local names = {}
  for name in pairs(home.trigger_vars or {}) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do E.er.triggerVar(name, home.trigger_vars[name]) end
end

--- The rules files of a folder in name order (full paths), or nil and a message. A
--- `*.er` entry that is not a regular file (a folder, a FIFO, a link to a device) is
--- listed in `problems` instead of being read or skipped in silence.
function M.rules_files(dir, problems)
  if M.files == nil then return nil, "this host cannot list the folder '" .. dir .. "'" end
  local names, kinds = M.files.list(dir)
  if names == nil then return nil, kinds end
  local files = {}
  for i, name in ipairs(names) do
    if name:match("%.er$") then
      local kind = kinds and kinds[i] or "file"
      if kind == "file" then
        files[#files + 1] = dir .. "/" .. name
      elseif problems then
        problems[#problems + 1] = dir .. "/" .. name .. ": not a rules file (it is a " .. kind .. ")"
      end
    end
  end
  table.sort(files)
  return files
end

-- Reads every rules file of `dir`: {{name=, path=, text=}, ...} in name order;
-- problems (files that cannot be read) go to `problems`.
local function read_rules_files(dir, problems)
  local paths, err = M.rules_files(dir, problems)
  if paths == nil then
    problems[#problems + 1] = err
    return {}
  end
  local files = {}
  for _, path in ipairs(paths) do
    local text, read_error = M.files.read(path)
    if text == nil then
      problems[#problems + 1] = read_error
    else
      files[#files + 1] = {name = path:match("([^/]+)$"), path = path, text = text}
    end
  end
  return files
end

-- Defines every rules file; returns the number of rules and of failed items. A rule
-- name may be used once in the whole home.
local function define_rules(E, files)
  local rules, failed, names = 0, 0, {}
  for _, file in ipairs(files) do
    local defined, bad = E.define_rules_file(file.text, file.path, {defer_names = true, names = names})
    rules, failed = rules + defined, failed + bad
  end
  E.check_names()
  return rules, failed
end

-- Simulation ---------------------------------------------------------------------

local function describe_device(E, id)
  local dev = E.devices.get(id)
  local name = dev and dev.name ~= tostring(id) and (" " .. dev.name) or ""
  return (type(id) == "string" and string.format("%q", id) or tostring(id)) .. name
end

-- Applies one scripted report, if today is one of its days.
local function apply_report(E, entry)
  entry.timer = nil
  if entry.days ~= nil and not E.G.wday(entry.days) then return end
  local dev = E.devices.get(entry.id)
  if dev == nil then
    E.log("error", SIMULATION_TAG .. "no such device: " .. tostring(entry.id))
    return
  end
  E.log("info", SIMULATION_TAG .. describe_device(E, entry.id) .. ": " .. entry.prop .. " = " .. E.util.canonical(entry.value))
  dev:update(entry.prop, entry.value, "device")
end

-- Arms the entries still ahead today (at or after now).
local function arm_today(E)
  local now = E.epoch()
  for _, entry in ipairs(simulation.entries) do
    local at = E.time.today_at(entry.seconds)
    if at >= now and entry.timer == nil then
      entry.timer = E.timer_at(nil, at * 1000, apply_report, E, entry)
    end
  end
end

-- Hooks are registered once per engine; they act on whatever simulation is loaded.
local function install_hooks(E)
  if simulation.installed_for == E then return end
  simulation.installed_for = E
  E.on_midnight(function() arm_today(E) end)
  E.on_reset(function()
    for _, entry in ipairs(simulation.entries) do E.cancel_timer(entry.timer) end
    simulation.entries = {}
  end)
end

local function arm_simulation(E, home)
  install_hooks(E)
  for _, spec in ipairs(home.simulation or {}) do
    simulation.entries[#simulation.entries + 1] =
      {seconds = parse_clock(spec.at), id = spec.id, prop = spec.prop, value = spec.value, days = spec.days}
  end
  arm_today(E)
  if #simulation.entries > 0 then E.sched.arm_midnight() end
end

-- Loading -------------------------------------------------------------------------

--- Loads the home in folder `dir`. Options:
---   place = {latitude=, longitude=, tz=}   fields that override the home's location
---   keep_heap_limit = true                 home.lua's heap_limit does not apply (the
---                                          command line set one)
---   before_definitions = function(home)    called after er.config, before anything is
---                                          defined (the command line sets the clock and
---                                          connects MQTT here); an error it raises
---                                          stops the load with that message
---   mqtt = true                            devices with an `mqtt` mapping are real
---                                          (backend "mqtt"); otherwise simulated
--- Returns a summary {name=, devices=, rules=, failed=} (failed: items or devices that
--- could not be defined, each already logged), or nil and the error text.
-- Reads a token or password file named in home.lua (relative to the home folder),
-- without its final newline; raises when it cannot.
local function secret_reader(dir)
  return function(file)
    local path = file:sub(1, 1) == "/" and file or dir .. "/" .. file
    local text, read_error = M.files.read(path)
    if text == nil then error("cannot read '" .. path .. "': " .. tostring(read_error), 0) end
    return (text:gsub("[\r\n]+$", ""))
  end
end

function M.load(dir, opts)
  opts = opts or {}
  local E = engine()
  local home, err = read_home_file(dir)
  if home == nil then return nil, err end
  local path = dir .. "/home.lua"
  local problems = check_home(home, path)
  if #problems > 0 then return nil, table.concat(problems, "\n") end
  local place = M.place_of(home)
  for key, value in pairs(opts.place or {}) do place[key] = value end
  if next(place) ~= nil then
    local ok, config_error = pcall(E.er.config, place)
    if not ok then return nil, path .. ": location: " .. tostring(config_error) end
  end
  if home.limits ~= nil then
    local ok, limits_error = pcall(E.set_limits, home.limits)
    if not ok then return nil, path .. ": limits: " .. tostring(limits_error) end
  end
  if home.trace ~= nil then  -- Before the rules are defined: each takes its mode then.
    local ok, trace_error = pcall(E.trace.configure, home.trace)
    if not ok then return nil, path .. ": trace: " .. tostring(trace_error) end
  end
  if home.notify ~= nil then
    local ok, notify_error = pcall(E.notify.configure, home.notify, secret_reader(dir), opts.notify)
    if not ok then return nil, path .. ": notify: " .. tostring(notify_error) end
  end
  E.set_sandbox(home.sandbox == true)
  if home.heap_limit ~= nil and not opts.keep_heap_limit then E.native.set_heap_limit(M.parse_size(home.heap_limit)) end
  if opts.before_definitions then
    local ok, setup_error = pcall(opts.before_definitions, home)
    if not ok then return nil, path .. ": " .. tostring(setup_error) end
  end
  local specs = device_specs(home, opts.mqtt)
  define_devices(E, specs, path, problems)
  local objects_ok, objects_error = define_home_objects(E, home, path)
  if not objects_ok then return nil, objects_error end
  if home.weather ~= nil then  -- After the devices: it may follow some of them.
    local ok, weather_error = pcall(E.weather.configure, home.weather)
    if not ok then problems[#problems + 1] = path .. ": weather: " .. tostring(weather_error) end
  end
  define_trigger_vars(E, home)
  local files = read_rules_files(dir, problems)
  local rules, failed = define_rules(E, files)
  E.reload.record({dir = dir, home = home, files = files, devices = specs, mqtt = opts.mqtt})
  arm_simulation(E, home)
  E.notes.write_all(E.rules)
  for _, text in ipairs(problems) do E.log("error", text) end
  local name = home.name or dir:match("([^/]+)/*$") or dir
  -- Rules count whether they are items or made by a script's rule(...) call.
  local defined = 0
  for _ in pairs(E.rules) do defined = defined + 1 end
  return {name = name, devices = #(home.devices or {}), rules = math.max(rules, defined), failed = failed + #problems}
end

-- Reloading (docs/operations.md#hot-reload) ----------------------------------------

-- The sources of the home in `dir` as the files are now: home.lua, the device specs
-- and every rules file. Problems that are no one file's (home.lua does not load, a
-- folder cannot be listed) come back as diagnostics.
local function read_sources(dir)
  local E, problems = engine(), {}
  local home, err = read_home_file(dir)
  if home ~= nil then problems = check_home(home, dir .. "/home.lua") end
  if home == nil then problems = {err} end
  local files = read_rules_files(dir, problems)
  local current = E.reload.current()
  return {dir = dir, home = home or current.home, files = files, mqtt = current.mqtt,
          devices = home and device_specs(home, current.mqtt) or current.devices}, problems
end

-- A copy of `files` ({name=, path=, text=} in name order) with `changes` applied.
local function changed_files(files, changes, dir)
  local by_name, out = {}, {}
  for _, file in ipairs(files) do by_name[file.name] = file end
  for name, text in pairs(changes) do
    if name ~= "home.lua" then
      by_name[name] = text and {name = name, path = dir and (dir .. "/" .. name) or name, text = text} or nil
    end
  end
  for _, file in pairs(by_name) do out[#out + 1] = file end
  table.sort(out, function(a, b) return a.name < b.name end)
  return out
end

-- The result of a reload that could not even be read.
local function unreadable(E, problems, dry_run)
  local diagnostics = {}
  for _, text in ipairs(problems) do
    local file = (text:match("^([^:]+)") or "home.lua"):match("([^/]+)$")
    diagnostics[#diagnostics + 1] = {file = file, line = 1, col = 1,
      severity = "error", message = text, text = text .. "\n"}
  end
  local count = #diagnostics
  if not dry_run then
    E.log("error", string.format("reload: refused, %d error%s; the running rules are unchanged", count,
      count == 1 and "" or "s"))
    for _, text in ipairs(problems) do E.log("error", text) end
  end
  return {ok = false, dry_run = dry_run, generation = E.reload.generation(),
          summary = {unchanged = 0, changed = 0, added = 0, removed = 0}, diagnostics = diagnostics}
end

--- Reads the home in `dir` again (home.lua and every *.er file, through M.files) and
--- applies it as a diff: the result of er.reload's apply (docs/operations.md#hot-reload).
--- opts.dry_run: only validate. opts.files ({["name.er"] = text}, dry runs only): these
--- texts in place of the files on disk, so an editor learns what saving them would do.
function M.reload(dir, opts)
  local sources, problems = read_sources(dir)
  if opts and opts.dry_run and opts.files then sources.files = changed_files(sources.files, opts.files, dir) end
  return M.apply_sources(sources, problems, opts)
end

--- Applies sources as M.reload does; `problems` (texts) refuse the reload.
function M.apply_sources(sources, problems, opts)
  opts = opts or {}
  local E = engine()
  if #problems > 0 then return unreadable(E, problems, opts.dry_run == true) end
  return E.reload.apply(sources, {dry_run = opts.dry_run})
end

--- The current generation's sources with `changes` applied: {["name.er"] = text or
--- false (deleted), ["home.lua"] = text}; files not named stay as they are. For rule
--- tests, which change a home without writing files. Returns sources, problems.
function M.sources_with(changes)
  local current = engine().reload.current()
  local sources = {dir = current.dir, home = current.home, devices = current.devices, mqtt = current.mqtt,
                   files = changed_files(current.files, changes, current.dir)}
  local text = changes["home.lua"]
  if text == nil then return sources, {} end
  local path = (current.dir and current.dir .. "/" or "") .. "home.lua"
  local home, err = run_home_text(text, path)
  if home == nil then return sources, {err} end
  local problems = check_home(home, path)
  sources.home, sources.devices = home, device_specs(home, current.mqtt)
  return sources, problems
end

--- Returns to the previous generation: a result as M.reload's, or nil and
--- "no previous generation".
function M.rollback() return engine().reload.rollback() end

--- Compiles and checks rules files {["name.er"] = text} against the running home
--- without changing anything: {ok=, diagnostics=}.
function M.check_files(files) return engine().reload.check(files) end

--- fn(result) after every reload and rollback (not after dry runs).
function M.on_reload(fn) engine().reload.on_reload(fn) end

return M
