-- er.cli: the Lua side of `eventrunner run`, `eval` and `test` (app/eventrunner).
--
-- The C++ command builds the engine and calls these functions as
-- fn(request, out, err, host): `request` holds the command-line values, `out(text)` and
-- `err(text)` write to the command's streams, `host.list_dir` lists a folder and
-- `host.exit` holds the command's exit codes. The
-- command runs the loop itself between calls. Integer results are exit statuses or
-- counts, as each function says.

local M = {}

local home = require("er.home")
local log_filter = require("er.log_filter")

local function engine() return require("er.engine").E end

-- The command's exit codes and eval's "suspended" status, passed by the command as
-- host.exit = {ok=, errors=, usage=, suspended=} with every call (bind below).
local EXIT = nil

-- What the commands keep between calls.
local session = {counts = nil, started_at = nil, eval = nil, control = nil, early_lines = nil, log = nil,
                 home_levels = nil}

-- The file access of er.home: the file system, with the host's folder listing.
local function read_file(path)
  local file, err = io.open(path, "rb")
  if file == nil then return nil, err end
  local text = file:read("a")
  file:close()
  return text
end

-- Takes what the command passes with every call: its exit codes, folder listing and
-- the HTTP client rules' http calls go through.
local function bind(host)
  EXIT = host.exit
  home.files = {read = read_file, list = host.list_dir}
  engine().http.attach(host.http())
end

local function trim_newline(text) return (text:gsub("\n$", "")) end

-- Sets the engine clock to a local "YYYY-MM-DD HH:MM[:SS]" in the configured zone.
local function set_clock(E, text)
  local y, mo, d, seconds = home.parse_local(text)
  E.native.set_epoch_ms(math.floor(home.local_epoch(y, mo, d, seconds) * 1000))
end

--------------------------------------------------------------------------------------
-- The timeline of `run`
--------------------------------------------------------------------------------------
-- One line per happening, stamped with the local time:
--   2025-05-14 07:00:00  [morning_lights] 10 hall_light: turnOn
--   2025-05-14 07:00:00  [morning_lights] 20 living_dimmer: setValue(40)
--   2025-05-14 06:40:00  [simulation] 11 hall_motion: value = true
--   2025-05-14 12:00:00  [RULE3] defined: 11:breached => 10:on
--   2025-05-14 22:00:00  [RULE4] away: true              (log() in a rule's run)
-- Device actions come from E.devices.on_action, with the rule of the current run
-- ([eval] for scripts; a dim ramp's steps name its rule; [host] otherwise); every other
-- line is an engine log line as the engine wrote it, with the current rule in front
-- when the line does not start with one. Errors go to standard error, first line
-- stamped.

local function device_label(E, id)
  local text = type(id) == "string" and string.format("%q", id) or tostring(id)
  local dev = E.devices.get(id)
  if dev and dev.name and dev.name ~= tostring(id) then text = text .. " " .. dev.name end
  return text
end

local function action_text(E, action, args)
  if #args == 0 then return action end
  local parts = {}
  for i, v in ipairs(args) do parts[i] = E.util.canonical(v) end
  return action .. "(" .. table.concat(parts, ", ") .. ")"
end

-- Who is acting now: the rule of the current run, "eval" for a script, else the rule
-- whose dim ramp runs on device `id` (ramps are owned by a rule, er.device_ramp), else
-- nil (the host, the simulation).
local function actor(E, id)
  local run = E.current_run()
  if run ~= nil then return run.rule and run.rule.name or "eval" end
  if session.control and session.control.acting then return session.control.acting end
  local dev = id ~= nil and E.devices.get(id) or nil
  local owner = dev and dev.ramp and dev.ramp.owner
  if type(owner) == "table" then
    local rule = owner.rule or owner
    if type(rule.name) == "string" then return rule.name end
  end
  return nil
end

local function is_disabled_line(text) return text:match("^%[[^%]]*%] disabled$") ~= nil end

-- A timeline line also goes to the control API (kept for /api/timeline, streamed);
-- the lines of the start, before the API serves, wait in session.early_lines.
local function to_api(level, line)
  local control = session.control
  if control then
    control.line(level, trim_newline(line))
  elseif session.early_lines then
    local early = session.early_lines
    early[#early + 1] = {level, trim_newline(line)}
  end
end

-- Under the systemd journal (request.journal) lines carry no time stamp (the journal
-- stamps them) but a syslog priority prefix, which the journal reads as the level.
local JOURNAL_PRIORITY = {error = "<3>", warn = "<4>", info = "<6>", debug = "<7>", trace = "<7>"}

-- EventRunner7's log colours (its HTML colour names) as ANSI terminal colours.
local ANSI = {
  black = "30", red = "31", green = "32", yellow = "33", blue = "34", magenta = "35", purple = "35",
  cyan = "36", white = "37", gray = "90", grey = "90", orange = "38;5;208", pink = "38;5;205",
  brown = "38;5;130", lightblue = "94", lightgreen = "92",
}

-- Writes one finished line (without its newline): stamped, kept for the API, errors
-- to standard error. On a terminal (`colours`) a line logged with log.<colour> is
-- shown in that colour; the API and files get the plain text.
local function line_writer(out, err, journal, colours)
  return function(level, text, colour)
    local stamp = journal and JOURNAL_PRIORITY[level] or home.stamp() .. "  "
    to_api(level, stamp .. text .. "\n")
    local code = colours and colour and ANSI[colour:lower()]
    local shown = code and ("\27[" .. code .. "m" .. text .. "\27[0m") or text
    if level == "error" then err(stamp .. shown .. "\n") else out(stamp .. shown .. "\n") end
  end
end

-- The level and the rate limit of the log (er.log_filter), on the engine clock.
local function new_log(E, out, err, request)
  local level = request.log_level or (request.verbose and "debug" or "info")
  local log = log_filter.new{level = level, write = line_writer(out, err, request.journal, request.colours),
                             now_ms = E.epoch_ms,
                             timer = function(ms, fn) return sys.timerStart(fn, math.max(ms, 0)) end,
                             cancel = function(handle) sys.timerStop(handle) end,
                             on_levels = E.set_log_detail}
  E.metrics.add_source("log", log.counts, log_filter.METRIC_SPECS)
  return log
end

local function rule_of(text) return text:match("^%[([^%]]+)%]") end

local function install_timeline(E, out, err, request)
  local counts = {actions = 0, errors = 0}
  session.counts = counts
  local log = new_log(E, out, err, request)
  session.log = log
  E.log_sink = function(level, text, colour)
    if session.control then session.control.log(level, trim_newline(text)) end
    local who = text:sub(1, 1) ~= "[" and actor(E) or nil
    local body = (who and ("[" .. who .. "] ") or "") .. trim_newline(text)
    if level == "error" and not is_disabled_line(text) then counts.errors = counts.errors + 1 end
    if log.allows(level, rule_of(body)) then log.emit(level, body, colour) end
  end
  E.devices.on_action(function(id, action, args)
    counts.actions = counts.actions + 1
    local who = actor(E, id) or "host"
    if log.allows("info", who) then
      log.emit("info", "[" .. who .. "] " .. device_label(E, id) .. ": " .. action_text(E, action, args))
    end
  end)
end

-- home.lua's `log_levels = {rule = level, ...}`: per-rule levels from the start, and
-- again after each reload. A rule the new home.lua no longer names follows the engine's
-- level again (a level set through the API or the console stays until then).
local function apply_log_levels(levels)
  for rule in pairs(session.home_levels or {}) do
    if (levels or {})[rule] == nil then session.log.set_level(nil, rule) end
  end
  local applied = {}
  for rule, level in pairs(levels or {}) do
    local ok, problem = session.log.set_level(level, tostring(rule))
    if not ok then error("log_levels." .. tostring(rule) .. ": " .. problem, 0) end
    applied[tostring(rule)] = level
  end
  session.home_levels = applied
end

-- After a reload: home.lua's log levels as the reloaded file says (a wrong level is
-- logged; the others apply).
local function reapply_log_levels(E)
  local sources = E.reload.current()
  local ok, problem = pcall(apply_log_levels, sources.home and sources.home.log_levels)
  if not ok then E.log("error", "home.lua: " .. tostring(problem)) end
end

--------------------------------------------------------------------------------------
-- The live engine: control API and reloads (docs/api.md, docs/operations.md)
--------------------------------------------------------------------------------------

-- How long the home folder must be quiet after a change before it is reloaded: an
-- editor's save is several events (a temporary file written, renamed, a backup).
local RELOAD_DEBOUNCE_MS = 250

local function is_home_file(name) return name == "home.lua" or name:match("%.er$") ~= nil end

-- What er.control calls to reload, roll back and check (the engine's er.reload through
-- er.home). Every applied, refused or rolled-back reload also goes to the control
-- API's stream (home.on_reload, registered once per process in `run`).
local function reload_operations()
  return {reload = home.reload, rollback = home.rollback, check_files = home.check_files,
          generation = function() return engine().reload.generation() end}
end

-- Reloads on SIGHUP and, when watching, on changed home files (debounced).
local function install_reload_triggers(E, host, request, ops)
  local pending = nil
  sys.subscribe(require("er.control").BUS_MESSAGE, function(kind, a, b)
    if kind == "hangup" then
      ops.reload(request.home, {})
    elseif kind == "file" and is_home_file(a) then
      if pending then sys.timerStop(pending) end
      pending = sys.timerStart(function() pending = nil; ops.reload(request.home, {}) end, RELOAD_DEBOUNCE_MS)
    elseif kind == "log" then
      E.log(a, "api: " .. b)  -- The server's word on a bad request, with its origin.
    end
  end)
  if request.watch then
    local ok, problem = host.watch_home(request.home)
    if not ok then E.log("warn", problem .. ": edits are reloaded only on SIGHUP or by the API") end
  end
end

-- Serves the control API; returns the banner's API line.
local function serve_api(E, host, request, loaded, ops)
  local api, token = host.api_start()
  if api == nil then error(token, 0) end
  local control = require("er.control").new(E, {name = loaded.name, dir = request.home, stamp = home.stamp,
    version = host.version, virtual = request.virtual or false, log = session.log}, ops)
  control.attach(api)
  for _, entry in ipairs(session.early_lines or {}) do control.line(entry[1], entry[2]) end
  session.early_lines = nil
  session.control = control
  if token then return "api: " .. api.url .. " (token for this run: " .. token .. ")" end
  return "api: " .. api.url
end

--------------------------------------------------------------------------------------
-- run
--------------------------------------------------------------------------------------

-- Connects the home's MQTT (home.lua `mqtt = {...}`, docs/mqtt.md): the command's
-- bridge maps the devices with an `mqtt` table and carries rules' own topics; it
-- connects in the background, so a broker that is not up yet delays nothing. Raises
-- the configuration's problems.
-- How long `run` waits for the broker at start when the home discovers devices.
local DISCOVERY_WAIT_MS = 3000

-- The bridge's counters as metrics (docs/metrics.md).
local MQTT_METRICS = {
  {"connected", "eventrunner_mqtt_connected", "gauge", "1 while the broker connection is up, else 0."},
  {"messages_received", "eventrunner_mqtt_messages_received_total", "counter", "Messages received from the broker."},
  {"messages_sent", "eventrunner_mqtt_messages_sent_total", "counter",
   "Messages sent to the broker (device actions, the engine's status, rules' own)."},
  {"reconnects", "eventrunner_mqtt_reconnects_total", "counter", "Connections to the broker after the first."},
  {"dropped_payloads", "eventrunner_mqtt_dropped_payloads_total", "counter",
   "Messages that could not be used: payloads the device mapping could not read, reports a full bus refused."},
}

local function connect_mqtt(E, host, h, dir)
  local config = {}
  for key, value in pairs(h.mqtt) do config[key] = value end
  config.controller = home.controller_name(h, dir)
  -- A home that names itself shares the broker with others: its status is its own.
  config.status_per_controller = h.controller ~= nil
  -- The retained state of imported devices is read before the rules are defined, so
  -- that rules can name them (docs/multi-controller.md).
  config.hold = E.remote_devices.configure(h.remote, h.mqtt.base_topic or "eventrunner")
  E.shared_globals.configure(h.shared)
  local transport, problem = host.mqtt_start(E.util.json_encode(config),
                                             E.util.json_encode(home.mqtt_devices(h)), dir)
  if transport == nil then error(problem, 0) end
  E.metrics.add_source("mqtt", transport.stats, MQTT_METRICS)
  E.devices.attach_backend("mqtt", transport.send)
  E.mqtt.attach(transport, transport.options)
  E.controllers.attach(transport.options)
  E.remote_devices.attach(config.status_per_controller)
  E.shared_globals.attach()
  if h.mqtt.discover == nil and h.remote == nil then return end
  -- Rules may name discovered and imported devices: define what the broker holds
  -- before them.
  if not transport.sync(DISCOVERY_WAIT_MS) then
    E.log("warn", "mqtt: no answer from the broker within " .. DISCOVERY_WAIT_MS // 1000 .. " s: discovered "
          .. "and imported devices are defined when it answers, and rules that name them fail until then")
  end
  for _, spec in ipairs(E.util.json_decode(transport.discovered())) do E.mqtt.define_discovered(spec) end
  E.remote_devices.define_held(E.util.json_decode(transport.held()))
end

--- Loads the home: request.home, .virtual, .start ("YYYY-MM-DD HH:MM[:SS]", virtual
--- only), .verbose, .state (the state file, for the banner). Returns 0, 1 when the home
--- did not load (reported), 2 for a bad --start.
function M.run(request, out, err, host)
  local E = engine()
  bind(host)
  if request.start and home.parse_local(request.start) == nil then
    err("eventrunner: --start: expected \"YYYY-MM-DD HH:MM[:SS]\", got '" .. request.start .. "'\n")
    return EXIT.usage
  end
  if request.verbose then E.er.opts.verbosity = "verbose" end
  if request.api then session.early_lines = {} end
  install_timeline(E, out, err, request)
  local loaded, problem = home.load(request.home, {keep_heap_limit = request.heap_limit_given, mqtt = true,
                                                  notify = true,
    before_definitions = function(h)
      apply_log_levels(h.log_levels)
      if request.start then set_clock(E, request.start) end
      if h.mqtt ~= nil then connect_mqtt(E, host, h, request.home) end
    end})
  if loaded == nil then
    err("eventrunner: " .. problem .. "\n")
    return EXIT.errors
  end
  if loaded.failed > 0 then
    err("eventrunner: " .. request.home .. ": " .. loaded.failed .. " definition(s) failed; not started\n")
    return EXIT.errors
  end
  session.started_at = E.epoch()
  local ops = reload_operations()
  home.on_reload(function(result)
    if result.ok then reapply_log_levels(E) end
    if session.control then session.control.reloaded(result) end
  end)
  install_reload_triggers(E, host, request, ops)
  local api_line = nil
  if request.api then
    local ok, line = pcall(serve_api, E, host, request, loaded, ops)
    if not ok then
      err("eventrunner: " .. tostring(line) .. "\n")
      return EXIT.errors
    end
    api_line = line
  end
  local write = line_writer(out, err, request.journal)  -- The banner and summary show at every level.
  session.write = write
  write("info", "home '" .. loaded.name .. "': " .. loaded.devices .. " devices, " .. loaded.rules .. " rules, "
    .. (request.virtual and "virtual clock" or "real time")
    .. (request.state and (", state " .. request.state) or ", state in memory"))
  -- Not through the API's timeline: with --state none the line shows the run's token.
  if api_line then out((request.journal and JOURNAL_PRIORITY.info or home.stamp() .. "  ") .. api_line .. "\n") end
  session.early_lines = nil
  return EXIT.ok
end

--- After the loop: prints the one-line summary. Returns 0.
function M.finish(_, out)
  local E = engine()
  if session.log then session.log.flush() end
  local rules, runs = 0, 0
  for _, rule in pairs(E.rules) do
    rules = rules + 1
    runs = runs + rule.stats.triggered
  end
  local counts = session.counts or {actions = 0, errors = 0}
  local text = string.format("summary: %d rules, %d runs, %d actions, %d errors (from %s)", rules, runs,
    counts.actions, counts.errors, home.stamp(session.started_at))
  if session.write then session.write("info", text) else out(home.stamp() .. "  " .. text .. "\n") end
  return EXIT.ok
end

--------------------------------------------------------------------------------------
-- check HOME
--------------------------------------------------------------------------------------

--- Loads the home request.home as `run` would (home.lua, devices, trigger variables,
--- every rules file, checked against the devices), on the simulated backend and
--- without running the loop: no timer fires and no event is delivered. Problems go to
--- `out` (check's output), one block each. Returns 0, or 1 when anything failed.
function M.check(request, out, _, host)
  local E = engine()
  bind(host)
  local problems = 0
  E.log_sink = function(level, text)
    if level == "error" or level == "warn" then
      problems = problems + 1
      out(trim_newline(text) .. "\n")
    end
  end
  local loaded, problem = home.load(request.home)
  if loaded == nil then
    out(problem .. "\n")
    return EXIT.errors
  end
  if problems > 0 or loaded.failed > 0 then return EXIT.errors end
  out(string.format("%s: %d devices, %d rules, no errors\n", request.home, loaded.devices, loaded.rules))
  return EXIT.ok
end

--------------------------------------------------------------------------------------
-- eval
--------------------------------------------------------------------------------------

local function is_rule(v)
  local mt = getmetatable(v)
  return type(v) == "table" and type(mt) == "table" and mt.__name == "rule"
end

local function print_values(E, out, values)
  for i = 1, values.n do
    local v = values[i]
    out((is_rule(v) and tostring(v) or E.util.canonical(v)) .. "\n")
  end
end

-- The chunk to evaluate: the source as written, or `return <source>` when only that
-- compiles, so that the spec's `expr → value` examples (`now`, `nil ?? 5`) evaluate
-- as written (shared with the control API's /api/eval).
local eval_source = require("er.control").eval_source

local function eval_setup(E, request)
  if request.home then
    -- The home's rules are defined silently: their `defined` lines would bury the
    -- output of the chunk (errors are still reported).
    E.er.opts.verbosity = "silent"
    local loaded, problem = home.load(request.home, {keep_heap_limit = request.heap_limit_given,
                                                     before_definitions = function() set_clock(E, request.at) end})
    E.er.opts.verbosity = "normal"
    if loaded == nil then return problem end
    if loaded.failed > 0 then return request.home .. ": " .. loaded.failed .. " definition(s) failed" end
    return nil
  end
  set_clock(E, request.at)  -- The engine's place is the reference place until a home sets one.
  E.devices.define_reference_home()
  return nil
end

--- Evaluates request.source (at request.at, in request.home or the reference home).
--- Returns 0 (values printed), 1 (error, reported on err), 2 (bad --at), or 3: the chunk
--- suspended; the command runs the loop (stopped here when the chunk ends) and then
--- calls eval_finish.
function M.eval(request, out, err, host)
  local E = engine()
  bind(host)
  request.at = request.at or E.time.REFERENCE_TIME
  if home.parse_local(request.at) == nil then
    err("eventrunner: --at: expected \"YYYY-MM-DD HH:MM[:SS]\", got '" .. request.at .. "'\n")
    return EXIT.usage
  end
  local errors = 0
  E.log_sink = function(level, text)
    if level == "error" then errors = errors + 1 end
    if level ~= "debug" then err(trim_newline(text) .. "\n") end
  end
  local problem = eval_setup(E, request)
  if problem then
    err("eventrunner: " .. problem .. "\n")
    return EXIT.errors
  end
  errors = 0
  local run, values = E.eval_tracked(eval_source(E, request.source), nil, function() E.native.stop() end)
  session.eval = {out = out, run = run}
  if run == nil then
    if values[1] == nil and values.n >= 2 and errors > 0 then return EXIT.errors end
    print_values(E, out, values)
    return EXIT.ok
  end
  if not run.done then return EXIT.suspended end
  return M.eval_finish(request, out, err)
end

--- After the chunk's run ended (or the --for bound passed): prints its values. Returns
--- 0, or 1 after a runtime error (already reported) or when it did not finish.
function M.eval_finish(_, out, err)
  local run = session.eval.run
  if not run.done then
    err("eventrunner: the chunk did not finish within the --for bound\n")
    return EXIT.errors
  end
  if run.failed then return EXIT.errors end
  print_values(engine(), out, run.results or {n = 0})
  return EXIT.ok
end

--------------------------------------------------------------------------------------
-- test
--------------------------------------------------------------------------------------

--- Starts request.file as a LuaSys task (docs/testing-rules.md); the task stops the loop
--- when it ends. request.verbose forwards engine log lines to standard error.
function M.test_file(request, out, err, host)
  bind(host)
  require("eventrunner.test")._runner.start_file(request.file, {out = out, err = err, verbose = request.verbose})
end

--- After the loop: the file's counts (passed, failed).
function M.test_report()
  return require("eventrunner.test")._runner.report()
end

--- `why`, `trace` and `state` from a state file read without its engine (the engine
--- here loads no home; its memory store holds the file's contents): request.verb,
--- .rule, .outcome, .last, .json. Prints the answer's text (or its JSON) and returns
--- 0, or 1 with a message for an unknown rule.
function M.inspect_offline(request, out, err, host)
  bind(host)
  local E = engine()
  local offline = require("er.inspect_offline").new(E)
  local note = nil
  if request.rule and request.rule ~= "" then
    note = offline.find(request.rule)
    if note == nil then
      err("eventrunner: no rule '" .. request.rule .. "' in the state file\n")
      return EXIT.errors
    end
  end
  local answer
  if request.verb == "why" then answer = offline.why(note)
  elseif request.verb == "trace" then
    local outcome = request.outcome ~= "" and request.outcome or nil
    answer = offline.traces(note, outcome, tonumber(request.last))
  else answer = offline.state() end
  if request.json then out(E.util.json_encode(answer) .. "\n")
  elseif answer.text ~= "" then out(answer.text .. "\n") end
  return EXIT.ok
end

return M
