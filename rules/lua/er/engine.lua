-- Boots the engine: creates the base every module gets (docs/engine-internals.md §3),
-- constructs the modules in dependency order, passing each what it needs, wires the
-- few hooks that point from an earlier module to a later one, and builds `E`, the
-- engine's public façade for hosts and tests (require("er.engine").E).
--
--   util, serial, errors, sandbox   plain modules (required, module-level functions)
--   builtins(base)
--   time(base, builtins)
--   core(base, errors, builtins.BREAK)
--   store(base, core)
--   devices(base, core, store)
--   alarm(base, core, devices), profiles(base, core, devices), scenes(base, core, devices)
--   scheduler(base, core, time, builtins.catch)
--   trace(base, core, store, devices)
--   state_notes(base, core, store, devices, scheduler, trace, time)
--   rules(base, core, devices, store, scheduler, trace)
--   rule_state(base, core, rules.by_id)
--   reload(base, rules, devices, trace)
--   mqtt(base, core, rules, store, devices)
--   controllers(base, core, mqtt, rules.match_event)
--   remote_devices(base, devices, mqtt, controllers)
--   shared_globals(base, store, mqtt, controllers)
--   metrics(base, core, rules.by_id)
--   api(base.er)

local util = require("er.util")
local serial = require("er.serial")
local errors = require("er.errors")

local M = {}

-- The base: tables and functions that exist before any module, created here. Modules
-- fill R (the generated code's runtime interface), G (built-ins), dynamic and er; they
-- read the rest.
--
--   native          the C++ natives (§2)
--   R, G, dynamic   RI 4; built-in globals (its __index reads dynamic[name]() then the
--                   fallback, _G or the sandbox); values computed on read
--   vars, NIL       EventScript variables; the "assigned nil" sentinel
--   er              the table that becomes the global `er`
--   limits, slice   run limits (docs/limits.md); the slice running now
--   fail(p, msg)    raises an engine error at position p
--   epoch_ms(), epoch()        the engine clock
--   log(level, text)           to E.log_sink
--   logging         {debug = bool, trace = bool}: whether any line of that level can be
--                   shown (E.set_log_detail); modules check it before formatting one
--   set_fallback(t)            where G's misses are read (_G, or the sandbox's)
--   on_reset(fn), on_midnight(fn), midnight_hooks
local function new_base(native, facade)
  local base = {native = native, R = {}, dynamic = {}, vars = {}, er = {}, midnight_hooks = {},
                NIL = setmetatable({}, {__name = "nil"}),
                limits = {cascade_depth = 100, cascade_runs = 10000, cascade_window = 1000,
                          actions_per_run = 500, posts_per_run = 500},
                slice = {actions = 0, posts = 0, rule = nil},
                logging = {debug = false, trace = false},
                reset_hooks = {}}
  local dynamic = base.dynamic
  -- Names rules read that are neither variables, devices nor built-ins come from
  -- `fallback`: Lua's globals, or the sandbox's environment (E.set_sandbox).
  local fallback = _G
  base.G = setmetatable({}, {__index = function(_, name)
    local compute = dynamic[name]
    if compute ~= nil then return compute() end
    return fallback[name]
  end})
  function base.set_fallback(t) fallback = t end
  function base.fail(p, message) error({position = p, message = message}, 0) end
  function base.epoch_ms() return native.epoch_ms() end
  function base.epoch() return native.epoch_ms() // 1000 end
  -- Midnight hooks run, in registration order, at the first instant of each local day
  -- (the scheduler calls them before it re-plans the rules, spec §8.8).
  function base.on_midnight(fn) base.midnight_hooks[#base.midnight_hooks + 1] = fn end
  function base.on_reset(fn) base.reset_hooks[#base.reset_hooks + 1] = fn end
  -- The host may replace E.log_sink at any time (eventrunner.test captures the log).
  function base.log(level, text, colour) facade.log_sink(level, text, colour) end
  return base
end

--- Sandboxed rules see only the safe parts of the standard library (docs/sandbox.md).
local function sandbox_switch(base, E)
  local plain_os = nil  -- G.os outside the sandbox (the time module's).
  return function(on)
    local G = base.G
    E.sandboxed = on and true or false
    if not on then
      base.set_fallback(_G)
      debug.getmetatable("").__metatable = nil
      if plain_os then G.os, plain_os = plain_os, nil end
      return
    end
    local copy = function(t) local c = {}; for k, v in pairs(t) do c[k] = v end; return c end
    local fallback = require("er.sandbox").environment({sys = copy(sys), log = copy(log), er = base.er})
    base.set_fallback(fallback)
    -- EventScript's os.time and os.date read the engine clock; the rest of os is gone.
    plain_os = plain_os or rawget(G, "os")
    fallback.os.time, fallback.os.date = G.ostime, G.osdate
    G.os = fallback.os
    -- Strings share one metatable whose __index is the string library: protected, so
    -- no code can reach the engine's library through a string.
    getmetatable("").__metatable = false
  end
end

-- Copies `names` of module object `from` into the façade.
local function expose(E, from, names)
  for _, name in ipairs(names) do E[name] = from[name] end
end

-- The façade: what hosts (er.cli, eventrunner.test, er.home) and tests use. Modules
-- never read it.
local function build_facade(E, base, m)
  E.base = base  -- for tests that build a module on fakes (er.scheduler.new(E.base, ...))
  expose(E, base, {"native", "R", "G", "dynamic", "vars", "NIL", "er", "limits", "slice", "fail", "epoch_ms",
                   "epoch", "log", "on_reset", "on_midnight", "midnight_hooks", "logging"})
  -- The host says whether debug and trace lines can be shown (some rule's or the
  -- engine's level allows them). Rules log their runs at debug (as `verbose` rules do
  -- at info), so the switch is kept on every rule: the hot path reads one field.
  function E.set_log_detail(debug, trace)
    base.logging.debug, base.logging.trace = debug and true or false, trace and true or false
    for _, rule in pairs(m.rules.by_id) do
      if rule.verbose ~= true then rule.verbose = base.logging.debug and "debug" or false end
    end
  end
  E.util, E.serial, E.errors = util, serial, errors
  E.builtins, E.time, E.core, E.store, E.devices, E.sched, E.rules_module =
    m.builtins, m.time, m.core, m.store, m.devices, m.sched, m.rules
  E.mqtt, E.reload, E.metrics, E.trace, E.notes = m.mqtt, m.reload, m.metrics, m.trace, m.notes
  E.http, E.notify, E.weather = m.http, m.notify, m.weather
  E.controllers, E.remote_devices, E.shared_globals = m.controllers, m.remote_devices, m.shared_globals
  E.alarm, E.profiles, E.scenes = m.alarm, m.profiles, m.scenes
  E.BREAK, E.catch, E.set_seed = m.builtins.BREAK, m.builtins.catch, m.builtins.set_seed
  expose(E, m.core, {"timer", "timer_at", "cancel_timer", "emit", "emit_device", "post", "post_owned", "cancel",
                     "wait", "spawn", "current_run", "start_run", "cancel_run", "set_limits", "set_budget",
                     "subscribe", "subscribe_replan", "unsubscribe_all"})
  E.rules, E.rule_by_name, E.trigger_vars = m.rules.by_id, m.rules.by_name, m.rules.trigger_vars
  E.rule_by_identity = m.rules.by_identity
  expose(E, m.rules, {"eval", "rule", "eval_tracked", "define_rules_file", "check_names", "rule_error",
                      "script_error"})
  function E.reset()
    for _, fn in ipairs(base.reset_hooks) do fn() end
  end
end

local function assemble(native)
  local E = {}
  local LEVELS = {error = 4, warn = 3, info = 2, debug = 1, trace = 1}
  function E.log_sink(level, text) native.log(LEVELS[level] or 2, text) end
  local base = new_base(native, E)
  E.set_sandbox = sandbox_switch(base, E)
  base.on_reset(function()
    E.set_sandbox(false)
    base.logging.debug, base.logging.trace = false, false
  end)
  errors.set_formatter(native.format_diagnostic)

  local m = {}
  m.builtins = require("er.builtins").new(base)
  m.time = require("er.time").new(base, m.builtins)
  m.core = require("er.core").new(base, errors, m.builtins.BREAK)
  m.store = require("er.store").new(base, m.core)
  m.devices = require("er.devices").new(base, m.core, m.store)
  -- The home's own objects, each a kind of device: alarm partitions and home modes
  -- (configured from home.lua by er.home) and named scenes (declared by rules).
  m.alarm = require("er.alarm").new(base, m.core, m.devices)
  m.profiles = require("er.profiles").new(base, m.core, m.devices)
  m.scenes = require("er.scenes").new(base, m.core, m.devices)
  m.sched = require("er.scheduler").new(base, m.core, m.time, m.builtins.catch)
  m.trace = require("er.trace").new(base, m.core, m.store, m.devices)
  m.notes = require("er.state_notes").new(base, m.core, m.store, m.devices, m.sched, m.trace, m.time)
  m.rules = require("er.rules").new(base, m.core, m.devices, m.store, m.sched, m.trace)
  require("er.rule_state").new(base, m.core, m.rules.by_id)
  m.reload = require("er.reload").new(base, m.rules, m.devices, m.trace)
  m.mqtt = require("er.mqtt").new(base, m.core, m.rules, m.store, m.devices)
  -- Rules across controllers over the same MQTT connection (docs/multi-controller.md).
  m.controllers = require("er.controllers").new(base, m.core, m.mqtt, require("er.rules").match_event)
  m.remote_devices = require("er.remote_devices").new(base, m.devices, m.mqtt, m.controllers)
  m.shared_globals = require("er.shared_globals").new(base, m.store, m.mqtt, m.controllers)
  m.metrics = require("er.metrics").new(base, m.core, m.rules.by_id)
  m.http = require("er.http").new(base, m.core, util)
  m.notify = require("er.notify").new(base, m.core, m.http, m.mqtt, m.devices, util)
  m.weather = require("er.weather").new(base, m.core, m.devices, m.http, util)
  require("er.fibaro").new(base, m.core, m.devices)

  -- EventScript's post: core's, taking EventRunner7's string times too ('+/01:00').
  base.G.post = require("er.time").with_string_times(base, m.time, m.core.post)

  -- Wiring: hooks from earlier modules to later ones (each breaks one cycle).
  -- Scenes declared while MQTT publishes for Home Assistant become its scene entities.
  m.scenes.on_define(m.mqtt.publish_scene)
  -- Rule errors found by core (runs, cascades) and the scheduler go to rules' handler.
  -- The trace records the error after rules' handler has disabled the rule and said why.
  m.core.on_rule_error(function(rule, err)
    m.rules.rule_error(rule, err)
    m.trace.rule_error(rule)
  end)
  -- Core tells the trace about the evaluations of traced rules.
  m.core.on_trace(m.trace)
  -- Errors of scripts (er.eval runs) go to rules, which reports them.
  m.core.on_script_error(m.rules.script_error)
  -- A changed `replan` key makes core ask the scheduler to re-plan the rule (§5.4).
  m.core.on_replan(m.sched.replan)
  -- The scheduler re-plans every enabled rule at midnight: it reads rules by id.
  m.sched.set_rules(m.rules.by_id)
  -- The state file's notes follow the rules: after a reload, and for the rules whose
  -- traces were just written.
  m.reload.on_reload(function() m.notes.write_all(m.rules.by_id) end)
  m.trace.on_flush(m.notes.write_rules)

  build_facade(E, base, m)
  require("er.api").publish(base.er)
  return E
end

function M.boot(native)
  -- Most of what the engine allocates (events, runs) dies young, while rules and
  -- devices live long: the generational collector then skips the long-lived heap
  -- in most cycles, so the cost of an event does not grow with the number of rules.
  collectgarbage("generational")
  M.E = assemble(native)
  return M.E
end

--- Called by er::Engine before the Lua state closes: writes what is still batched.
function M.shutdown()
  local E = M.E
  if E ~= nil then
    E.store.flush()
    E.trace.flush()
    E.notes.write_all(E.rules)
  end
end

return M
