-- eventrunner.test: rule tests on a virtual clock (docs/testing-rules.md).
--
-- A test file runs as a LuaSys task (started by `eventrunner test`, er.cli). The module
-- only drives and observes the engine: it resets it (E.reset), sets the clock and the
-- place, feeds device reports and events through the host API, lets virtual time pass
-- with sys.wait, and records device actions (E.devices.on_action) and log lines
-- (E.log_sink). The rules run exactly as in production.

local test = {}

local home = require("er.home")

local function engine() return require("er.engine").E end


-- The longest settling: passes at one instant before the engine is declared busy.
local MAX_SETTLE_PASSES = 10000

-- Everything the module keeps for the file being run.
local state = {
  file = nil, out = nil, err = nil, verbose = false,
  passed = 0, failed = 0, cases = 0, finished = false,
  case = nil,        -- The running case: {name=}.
  started = false,   -- test.start ran in this case (or at the top of the file).
  actions = {}, logs = {},
  probe = nil,       -- The last sys timer id seen by settle().
  observing = false, -- The action observer and log sink are installed.
}

--------------------------------------------------------------------------------------
-- Failures
--------------------------------------------------------------------------------------

local Failure = {}
Failure.__index = Failure
Failure.__tostring = function(f) return f.where .. ": " .. f.message end

local MODULE_SOURCE = debug.getinfo(1, "S").source

-- "file:line" of the innermost caller outside this module.
local function caller_position()
  for level = 2, 50 do
    local info = debug.getinfo(level, "Sl")
    if info == nil then break end
    if info.source ~= MODULE_SOURCE and info.currentline and info.currentline > 0 then
      local file = info.source:sub(1, 1) == "@" and info.source:sub(2) or info.short_src
      return file .. ":" .. info.currentline
    end
  end
  return state.file or "?"
end

local function fail(message)
  error(setmetatable({where = caller_position(), message = message}, Failure), 0)
end

local function show(v)
  local E = engine()
  if E.util and E.util.canonical then return E.util.canonical(v) end
  return tostring(v)
end

--------------------------------------------------------------------------------------
-- Observing the engine
--------------------------------------------------------------------------------------

local function hms(epoch) return home.stamp(epoch):sub(12) end

-- The observer and the sink are installed once per engine; they record into the
-- current lists, which test.start and test.clear replace.
local function observe(E)
  if state.observing then return end
  state.observing = true
  E.devices.on_action(function(id, action, args, epoch)
    state.actions[#state.actions + 1] = {time = hms(epoch), epoch = epoch, id = id, action = action, args = args}
  end)
  local forward = E.log_sink
  E.log_sink = function(level, text)
    state.logs[#state.logs + 1] = text
    if state.verbose then forward(level, text) end
  end
end

--------------------------------------------------------------------------------------
-- Letting the engine settle and time pass
--------------------------------------------------------------------------------------

local function noop() end

-- A sys timer id: ids grow by one per timer started, so two probes one apart mean
-- that nothing started a timer in between (no post, no wait, no rule timer).
local function probe()
  local id = sys.timerStart(noop, 86400000)
  sys.timerStop(id)
  return id
end

local function others_ready(me)
  for _, info in ipairs(sys.tasks()) do
    if info.state == "ready" and info.co ~= me then return true end
  end
  return false
end

-- Lets the loop run the current instant: one pass at a time (sys.wait(0) resumes after
-- the pass's due timers and messages) until a pass in which no timer was started and
-- no other task is waiting for the next pass. No time passes.
local function settle()
  local me = coroutine.running()
  for _ = 1, MAX_SETTLE_PASSES do
    sys.wait(0)
    local id = probe()
    local quiet = state.probe ~= nil and id == state.probe + 1 and not others_ready(me)
    state.probe = id
    if quiet then return end
  end
  fail("the engine did not settle: something runs again and again at " .. test.now())
end
test.settle = settle

-- Seconds or "HH:MM[:SS]" -> milliseconds.
local function duration_ms(d)
  if type(d) == "number" then return math.floor(d * 1000 + 0.5) end
  local seconds = home.parse_clock(d)
  if seconds == nil then fail("expected seconds or \"HH:MM[:SS]\", got " .. show(d)) end
  return seconds * 1000
end

--------------------------------------------------------------------------------------
-- Setting up
--------------------------------------------------------------------------------------

-- The clock: local "YYYY-MM-DD HH:MM[:SS]" in the configured zone, or epoch seconds.
local function set_time(E, time)
  local epoch = time
  if type(time) == "string" then
    local y, mo, d, seconds = home.parse_local(time)
    if y == nil then fail("test.start: time must be \"YYYY-MM-DD HH:MM[:SS]\" or an epoch, got " .. show(time)) end
    epoch = home.local_epoch(y, mo, d, seconds)
  elseif type(time) ~= "number" then
    fail("test.start: time must be \"YYYY-MM-DD HH:MM[:SS]\" or an epoch, got " .. show(time))
  end
  E.native.set_epoch_ms(math.floor(epoch * 1000))
end

local function place_of(opts)
  return {latitude = opts.lat, longitude = opts.lon, tz = opts.tz, seed = opts.seed}
end

local function load_home(E, opts)
  local loaded, problem = home.load(opts.home, {place = place_of(opts), notify = opts.send_notifications,
                                                before_definitions = function()
    set_time(E, opts.time or E.time.REFERENCE_TIME)
  end})
  if loaded == nil then fail("test.start: " .. problem) end
end

--- Resets the engine to a freshly booted state and sets the clock and the place.
function test.start(opts)
  opts = opts or {}
  local E = engine()
  E.reset()
  observe(E)
  state.actions, state.logs, state.started = {}, {}, true
  state.probe = probe()
  -- "silent" by default: rule tests look for what rules log, and the `[name] defined:`
  -- line of "normal" would contain the rule's source text.
  E.er.opts.verbosity = opts.verbosity or "silent"
  if type(opts.home) == "string" and opts.home ~= "reference" then
    load_home(E, opts)
  else
    local place = place_of(opts)
    if next(place) ~= nil then E.er.config(place) end
    set_time(E, opts.time or E.time.REFERENCE_TIME)
    if opts.home == "reference" then E.devices.define_reference_home() end
  end
  -- Notification targets as home.lua's `notify` (docs/notifications.md); they are only
  -- logged unless the test asks to send them.
  if opts.notify ~= nil then
    local ok, problem = pcall(E.notify.configure, opts.notify, function(file)
      return (assert(home.files.read(file)):gsub("[\r\n]+$", ""))
    end, opts.send_notifications)
    if not ok then fail("test.start: notify: " .. tostring(problem)) end
  end
  if opts.weather ~= nil then
    local ok, problem = pcall(E.weather.configure, opts.weather)
    if not ok then fail("test.start: weather: " .. tostring(problem)) end
  end
  settle()
end

local function ensure_started()
  if not state.started then test.start() end
  return engine()
end

local function device(id)
  local dev = ensure_started().devices.get(id)
  if dev == nil then fail("no such device: " .. show(id)) end
  return dev
end

--------------------------------------------------------------------------------------
-- Driving
--------------------------------------------------------------------------------------

function test.device(spec)
  local dev = ensure_started().er.defineDevice(spec)
  return dev
end

function test.eval(src, opts)
  local values = table.pack(ensure_started().er.eval(src, opts))
  settle()
  return table.unpack(values, 1, values.n)
end

function test.set(id, prop, value)
  device(id):update(prop, value, "device")
  settle()
end

function test.emit(id, prop, value)
  device(id):emit(prop, value)
  settle()
end

function test.post(event, t)
  local handle = ensure_started().er.post(event, t)
  settle()
  return handle
end

function test.advance(d)
  ensure_started()
  local ms = duration_ms(d)
  if ms > 0 then sys.wait(ms) end
  settle()
end

--- Reloads the home as an edit of its files would (docs/operations.md#hot-reload):
--- `changes` maps file names to new texts ({["10-rules.er"] = text, ["home.lua"] =
--- text}; false deletes a rules file), the other files keep their current text.
--- Returns the reload's result; opts.dry_run only validates. Then settles.
function test.reload(changes, opts)
  ensure_started()
  local sources, problems = home.sources_with(changes or {})
  local result = home.apply_sources(sources, problems, opts)
  settle()
  return result
end

--- Returns to the previous generation (home.rollback): the result, or nil and
--- "no previous generation". Then settles.
function test.rollback()
  ensure_started()
  local result, problem = home.rollback()
  settle()
  return result, problem
end

--------------------------------------------------------------------------------------
-- Observing
--------------------------------------------------------------------------------------

function test.value(id, prop) return device(id):get(prop) end

local function copy(list)
  local out = {}
  for i, v in ipairs(list) do out[i] = v end
  return out
end

function test.actions() return copy(state.actions) end
function test.logs() return copy(state.logs) end

function test.clear()
  state.actions, state.logs = {}, {}
end

function test.now()
  ensure_started()
  return home.stamp()
end

--------------------------------------------------------------------------------------
-- Assertions
--------------------------------------------------------------------------------------

local function with_message(message, text)
  if message == nil then return text end
  return tostring(message) .. ": " .. text
end

function test.eq(actual, expected, message)
  if not engine().util.deep_equal(actual, expected) then
    fail(with_message(message, "expected " .. show(expected) .. ", got " .. show(actual)))
  end
end

function test.ok(value, message)
  if not value then fail(with_message(message, "expected a true value, got " .. show(value))) end
end

local function find_log(text)
  for _, line in ipairs(state.logs) do
    if string.find(line, text, 1, true) then return line end
  end
  return nil
end

local function log_listing()
  if #state.logs == 0 then return " (no log lines)" end
  return "; log:\n    " .. table.concat(state.logs, "\n    ")
end

function test.log_has(text)
  if find_log(text) == nil then fail("no log line contains " .. show(text) .. log_listing()) end
end

function test.log_lacks(text)
  local line = find_log(text)
  if line ~= nil then fail("a log line contains " .. show(text) .. ": " .. line) end
end

--------------------------------------------------------------------------------------
-- Cases and the file runner (er.cli)
--------------------------------------------------------------------------------------

-- The error handler of a case: failures as they are, other errors with a traceback.
local function capture(e)
  if getmetatable(e) == Failure then return e end
  return {text = tostring(e), traceback = debug.traceback("", 2)}
end

local function report(ok, e, name)
  if ok then
    state.passed = state.passed + 1
    state.out("PASS " .. name .. "\n")
    return
  end
  state.failed = state.failed + 1
  local text = getmetatable(e) == Failure and tostring(e) or e.text
  state.out("FAIL " .. text .. " (" .. name .. ")\n")
  if state.verbose and e.traceback then state.err(e.traceback .. "\n") end
end

--- One counted test; `fn` runs in the file's task, so it may let time pass.
function test.case(name, fn)
  if state.case ~= nil then fail("test.case cannot be nested (in case " .. show(state.case.name) .. ")") end
  state.case, state.started = {name = tostring(name)}, false
  state.cases = state.cases + 1
  local ok, e = xpcall(fn, capture)
  state.case = nil
  report(ok, e, tostring(name))
end

local runner = {}
test._runner = runner

local function run_file(path)
  local dir = path:match("^(.*)/[^/]*$")
  if dir then package.path = dir .. "/?.lua;" .. package.path end
  local chunk, err = loadfile(path, "t")
  local ok, e
  if chunk == nil then
    ok, e = false, {text = err}
  else
    ok, e = xpcall(chunk, capture)
  end
  if not ok or state.cases == 0 then report(ok, e, path) end
end

--- Runs the file at `path` in a new task; `io` = {out=, err=, verbose=}.
function runner.start_file(path, io)
  state.file, state.out, state.err, state.verbose = path, io.out, io.err, io.verbose and true or false
  sys.taskInit(function()
    run_file(path)
    state.finished = true
    engine().native.stop()
  end)
end

--- After the loop: passed, failed (a file whose task never ended counts one failure).
function runner.report()
  if not state.finished then
    state.failed = state.failed + 1
    state.out("FAIL " .. tostring(state.file) .. ": the test did not finish (the loop ran out of work)\n")
  end
  return state.passed, state.failed
end

return test
