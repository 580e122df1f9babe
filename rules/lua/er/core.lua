-- er.core: events, owned timers, runs and dispatch (spec §7.2, §8.1–§8.5, §8.7).
--
-- Every run is a LuaSys task. The condition cannot suspend (the compiler rejects wait
-- in a condition), so it is evaluated before the task is created: a false condition,
-- the common case, costs no coroutine. Events go through sys.publish, so they are
-- delivered in the loop's drain phase and never during the call that emitted them.

--   local C = require("er.core").new(base, errors, BREAK)
--
-- The object C: timers (timer, timer_at, cancel_timer, cancel_all_timers), the
-- dispatch index (subscribe, subscribe_replan, unsubscribe_all), events (emit,
-- emit_device, dispatch), runs (current_run, start_run, spawn, cancel_run), post,
-- post_owned, cancel, wait, set_limits, set_budget, and the hooks engine.lua wires to
-- later modules: on_rule_error(fn), on_script_error(fn) and on_replan(fn).
-- C.rule_error(rule, err) reports through the hook.

local util = require("er.util")

local M = {}

local sys = sys
local coroutine_running, coroutine_close = coroutine.running, coroutine.close
local xpcall, select, type, pairs, next = xpcall, select, type, pairs, next

local TOPIC = "er.event"
local EMPTY = setmetatable({}, {__newindex = function() error("internal: capture table is read-only", 2) end})

function M.new(base, errors, BREAK)
  local C = {}
  local native, vars, NIL, log, logging = base.native, base.vars, base.NIL, base.log, base.logging
  local budget_on = native.budget
  -- xpcall(fn, errors.handler, ...) that is a run boundary: a runaway run's
  -- interrupt ends there (RI 5.9).
  local protected_run = native.protected_runner(errors.handler)
  local budget_enabled = native.budget_limit() > 0
  local CANCEL = errors.CANCEL
  local epoch_ms = native.epoch_ms
  -- Metrics (er.metrics reads them): events delivered, and per rule the real time its
  -- runs hold the loop, read once at each boundary of a run's slice.
  local clock_us = native.monotonic_us
  local counters = {events = 0}
  C.counters = counters

  local limits, slice = base.limits, base.slice
  local DEFAULT_LIMITS = {}
  for name, value in pairs(limits) do DEFAULT_LIMITS[name] = value end

  -- Timers --------------------------------------------------------------------------

  -- A timer handle: {id = <sys timer id>, owner = <rule, run or nil>}. Owners keep
  -- their handles in owner.timers so that cancelling the owner cancels them.
  local free_timers = {}  -- Handles owned by nobody (er.post, the midnight chain).

  local function set_of(owner)
    if owner == nil then return free_timers end
    local set = owner.timers
    if set == nil then set = {}; owner.timers = set end
    return set
  end

  local function fire(handle, fn, ...)
    set_of(handle.owner)[handle] = nil
    handle.id = nil
    return fn(...)
  end

  local function timer(owner, ms, fn, ...)
    local handle = {owner = owner}
    if ms < 0 then ms = 0 end
    handle.id = sys.timerStart(fire, ms, handle, fn, ...)
    set_of(owner)[handle] = true
    return handle
  end
  C.timer = timer

  function C.timer_at(owner, epoch_ms, fn, ...)
    return timer(owner, epoch_ms - native.epoch_ms(), fn, ...)
  end

  local function cancel_timer(handle)
    if handle == nil or handle.id == nil then return false end
    sys.timerStop(handle.id)
    handle.id = nil
    set_of(handle.owner)[handle] = nil
    return true
  end
  C.cancel_timer = cancel_timer

  local function cancel_all(set)
    for handle in pairs(set) do
      if handle.id then sys.timerStop(handle.id) end
      handle.id = nil
      set[handle] = nil
    end
  end
  C.cancel_all_timers = cancel_all

  -- Dispatch index -------------------------------------------------------------------

  -- Rules listening to a key, as arrays sorted by id. Arrays are replaced, never
  -- changed in place, so a dispatch in progress keeps iterating its own snapshot.
  local device_index = {}   -- device_index[id][property] = {rule, ...}
  local key_index = {}      -- key_index["global/Mode"] = {rule, ...}
  local replan_index = {}   -- replan keys (§7.5 re-calculation), same shape as key_index

  local function with_rule(list, rule)
    local copy, placed = {}, false
    for _, r in ipairs(list or {}) do
      if r == rule then return list end
      if not placed and r.id > rule.id then copy[#copy + 1] = rule; placed = true end
      copy[#copy + 1] = r
    end
    if not placed then copy[#copy + 1] = rule end
    return copy
  end

  local function without_rule(list, rule)
    if list == nil then return nil end
    local copy = {}
    for _, r in ipairs(list) do if r ~= rule then copy[#copy + 1] = r end end
    if #copy == 0 then return nil end
    return copy
  end

  -- "device/<id>/<property>": ids that read as integers are integers (RI §5.1).
  local function split_device_key(key)
    local id, property = key:match("^device/(.*)/([^/]*)$")
    if id == nil then return nil end
    return math.tointeger(tonumber(id)) or id, property
  end

  local function update_index(rule, key, change)
    local id, property = split_device_key(key)
    if id ~= nil then
      local by_property = device_index[id] or {}
      device_index[id] = by_property
      by_property[property] = change(by_property[property], rule)
    else
      key_index[key] = change(key_index[key], rule)
    end
  end

  function C.subscribe(rule, key) update_index(rule, key, with_rule) end
  function C.subscribe_replan(rule, key) replan_index[key] = with_rule(replan_index[key], rule) end
  function C.unsubscribe_all(rule)
    for key in pairs(rule.keys) do update_index(rule, key, without_rule) end
    for key in pairs(rule.replan_keys or EMPTY) do replan_index[key] = without_rule(replan_index[key], rule) end
  end

  -- The dispatch key of an event that is not a device event.
  local function event_key(ev)
    local t = ev.type
    if t == "global" or t == "variable" then return t .. "/" .. tostring(ev.name) end
    return nil
  end

  -- Two sorted rule arrays merged by id, each rule once.
  local function merge(a, b)
    if a == nil then return b end
    if b == nil then return a end
    local out, i, j = {}, 1, 1
    while i <= #a or j <= #b do
      local x, y = a[i], b[j]
      if y == nil or (x ~= nil and x.id < y.id) then out[#out + 1] = x; i = i + 1
      elseif x == nil or y.id < x.id then out[#out + 1] = y; j = j + 1
      else out[#out + 1] = x; i = i + 1; j = j + 1 end
    end
    return out
  end

  -- Runs -----------------------------------------------------------------------------

  -- The run each coroutine is executing (entries are removed when the run ends).
  local run_of = {}
  local condition_run = nil  -- The run whose condition is being evaluated.
  local in_condition = false -- A condition is being evaluated (wait's error message, §6.4).

  local function current_run()
    local co, main = coroutine_running()
    if main then return condition_run end
    return run_of[co] or condition_run
  end
  C.current_run = current_run

  -- Hooks to later modules, wired by engine.lua: rules' handlers of rule and script
  -- errors, and the scheduler's re-planning of a rule.
  local rule_error, script_error, replan_rule
  -- The tracer (er.trace) records the evaluations of rules whose `trace` is set.
  local tracer
  function C.on_trace(t) tracer = t end
  function C.on_rule_error(fn) rule_error = fn end
  function C.on_script_error(fn) script_error = fn end
  function C.on_replan(fn) replan_rule = fn end

  --- A runtime error of `rule` outside its runs (e.g. evaluating an `@` operand at
  --- midnight): `err` is an xpcall record from errors.handler or a raw error value.
  function C.rule_error(rule, err) rule_error(rule, err) end

  -- Cascades --------------------------------------------------------------------------

  -- A cascade is everything one event causes at (about) one instant: the events that
  -- its runs emit, the events those runs' runs emit, and so on. Events and posts made
  -- by a run carry the run's cascade and a depth one more than the run's; a cascade is
  -- fresh again once `cascade_window` ms have passed since it began, so a slow
  -- oscillator (a blink every second) is no cascade. One that reaches
  -- `cascade_depth` or `cascade_runs` is stopped: its pending events are dropped and
  -- the rule that would run next gets the error, with the chain of rules that led there.
  local CHAIN = 12          -- Rule names remembered per cascade, for the report.
  local active = nil        -- The cascade and depth of the event being dispatched.
  local active_depth = 0

  local function new_cascade(now) return {at = now, runs = 0, chain = {}, stopped = false} end

  -- The cascade and depth an event emitted now belongs to: nil outside rule runs
  -- (what scripts and the host emit starts cascades, as a device report does).
  local function cascade_of_emit()
    local run = condition_run  -- current_run(), inlined: this is on every queued event.
    if run == nil then
      local co, main = coroutine_running()
      if main then return nil, 0 end
      run = run_of[co]
    end
    if run == nil or not run.rule then return nil, 0 end
    local c, now = run.cascade, epoch_ms()
    if not c or now - c.at > limits.cascade_window then
      c = new_cascade(now)
      run.cascade, run.depth = c, 0
    end
    return c, run.depth + 1
  end


  local function chain_text(c)
    local names, seen, order = {}, {}, {}
    for i = 1, #c.chain do
      local name = c.chain[(c.runs - #c.chain + i - 1) % CHAIN + 1]
      names[#names + 1] = name
      if not seen[name] then seen[name] = true; order[#order + 1] = name end
    end
    table.sort(order)
    return table.concat(names, " -> "), table.concat(order, ", ")
  end

  -- Counts one run of `rule` in the active cascade; false when the cascade is stopped.
  local function cascade_allows(rule)
    local c = active
    if c.stopped then return false end
    local runs = c.runs + 1
    c.runs = runs
    c.chain[(runs - 1) % CHAIN + 1] = rule.name
    local what
    if active_depth > limits.cascade_depth then
      what = string.format("a chain of %d runs, each triggered by the one before (limit cascade_depth = %d)",
        active_depth, limits.cascade_depth)
    elseif runs > limits.cascade_runs then
      what = string.format("%d rule runs caused by one event (limit cascade_runs = %d)", runs - 1, limits.cascade_runs)
    else
      return true
    end
    c.stopped = true
    local chain, involved = chain_text(c)
    rule_error(rule, string.format("event cascade stopped: %s within %d ms; last runs: %s; rules involved: %s",
      what, epoch_ms() - c.at, chain, involved))
    return false
  end

  -- Actions and posts a rule's run makes between two suspensions are counted in
  -- base.slice (only one run executes at a time, and each slice starts by resetting it);
  -- scripts are not limited (setting up a home may loop over many devices).
  local function new_slice(rule) slice.actions, slice.posts, slice.rule = 0, 0, rule end

  --- Changes limits; unknown names and values that are not positive integers are errors.
  function C.set_limits(t)
    for name, value in pairs(t) do
      if limits[name] == nil then error("unknown limit '" .. tostring(name) .. "'", 2) end
      if math.type(value) ~= "integer" or value < 1 then
        error("limit '" .. name .. "' must be a positive integer", 2)
      end
    end
    for name, value in pairs(t) do limits[name] = value end
  end


  -- Cancels a suspended run: closes its coroutine (so none of its code runs again) and
  -- cancels the timers and posts it owns (§8.3). A run cancelling itself is only
  -- marked: it stops at its next suspension.
  local function cancel_run(run)
    if run.done then return end
    run.cancelled = true
    if run.co == coroutine_running() then return end
    run.done = true
    local runs = run.rule and run.rule.runs
    if runs then runs[run] = nil end
    if run.trace then tracer.cancelled(run) end
    if run.timers then cancel_all(run.timers) end
    if run.co then
      run_of[run.co] = nil
      coroutine_close(run.co)
    end
  end
  C.cancel_run = cancel_run

  -- Adds one stretch of `us` real microseconds that `rule` held the loop. The metric
  -- fields are created by the first run, so an idle rule costs no memory for them.
  local function account_slice(rule, us)
    rule.run_us = (rule.run_us or 0) + us
    if us > (rule.max_us or 0) then rule.max_us = us end
  end

  -- A run finished: hand its still-pending posts to its rule (§8.7 disable cancels them).
  local function end_run(run)
    run.done = true
    if run.resumed_at then account_slice(run.rule, clock_us() - run.resumed_at); run.resumed_at = nil end
    if run.co then run_of[run.co] = nil end
    local rule, timers = run.rule, run.timers
    if rule and rule.runs then rule.runs[run] = nil end
    if timers then
      local into = rule and set_of(rule) or free_timers
      for handle in pairs(timers) do
        handle.owner = rule
        into[handle] = true
      end
      run.timers = nil
    end
    if run.on_done then run.on_done(run) end
  end

  local function log_results(run, ...)
    local parts = {}
    for i = 1, select("#", ...) do parts[i] = util.canonical((select(i, ...))) end
    log(run.verbose == true and "info" or "debug", "[" .. run.rule.name .. "] done: " .. table.concat(parts, ", "))
  end

  local function finish(run, ok, ...)
    if not ok then
      local record = ...
      end_run(run)
      if record == CANCEL or (type(record) == "table" and record.err == CANCEL) then
        if run.trace then tracer.cancelled(run) end
        return
      end
      if run.trace then tracer.run_failed(run) end
      if run.rule then rule_error(run.rule, record) else script_error(run, record) end
      return
    end
    run.first = (...)
    if run.keep_results then run.results = table.pack(...) end
    if run.verbose then log_results(run, ...) end
    end_run(run)
    if run.trace then tracer.run_ended(run) end
  end

  -- Runs are LuaSys tasks. Creating a coroutine per run would dominate the cost of a
  -- short rule, so a task that finished its run parks itself (a plain yield, which
  -- LuaSys records as a suspended task) in `idle_tasks` and takes the next run from
  -- there. A run that waits is resumed by the loop as any task is; when it ends, its
  -- task parks itself again.
  local idle_tasks, idle_count, MAX_IDLE = {}, 0, 64
  local PARKED = {}

  local function execute(co, run, fn)
    run.co = co
    run_of[co] = run
    if budget_enabled then budget_on(co) end
    return finish(run, protected_run(fn, run))
  end

  local function task_body(run, fn)
    local co = coroutine_running()
    while true do
      execute(co, run, fn)
      if idle_count >= MAX_IDLE then return end
      idle_count = idle_count + 1
      idle_tasks[idle_count] = co
      run, fn = coroutine.yield(PARKED)
    end
  end

  --- Runs `fn(run.env)` for `run` in a task; returns true if it finished without
  --- suspending.
  local function spawn(run, fn)
    if run.rule == nil then new_slice(nil) end
    if idle_count > 0 then
      local co = idle_tasks[idle_count]
      idle_tasks[idle_count] = nil
      idle_count = idle_count - 1
      coroutine.resume(co, run, fn)
    else
      sys.taskInit(task_body, run, fn)
    end
    local rule = run.rule
    if not run.done and rule then
      local runs = rule.runs
      if runs == nil then runs = {}; rule.runs = runs end
      runs[run] = true
    end
    return run.done
  end
  C.spawn = spawn

  -- Calls fn(run) in protected mode on the caller's stack, as the current run, under
  -- the instruction budget when on the main thread (a task has its own) unless the
  -- run is `bounded` (RI §5.8: straight-line code needs no budget, and the budget's
  -- hook slows every instruction). `condition` tells wait() to refuse with the
  -- condition's message. Returns xpcall's first two results.
  -- Which value a condition sees: an event may have been overtaken by a newer change
  -- of the same property or variable before its runs start (a rule's action changed
  -- it again; a burst of reports). While a condition runs for such an event, the
  -- property shows the value the event carried, so each run's condition sees its own
  -- event (docs/reference.md, "Which value a condition sees"); the newer change runs
  -- the rules again with its own value. `dispatching_values` is the table holding the
  -- current value of the dispatched event's property (given with the event, RI 5.10);
  -- the view is undone after the condition, keeping a write the condition made.
  local dispatching, dispatching_values, dispatching_key = nil, nil, nil
  local view_values, view_key, view_shown, view_saved = nil, nil, nil, nil

  local function begin_view(values, key, ev)
    local shown = ev.value
    if shown == nil and values == vars then shown = NIL end
    view_values, view_key, view_shown, view_saved = values, key, shown, values[key]
    values[key] = shown
  end

  local function end_view()
    local values = view_values
    view_values = nil
    if values[view_key] == view_shown then values[view_key] = view_saved end
  end

  local function call_as_run(run, fn, condition, bounded)
    local previous, was_in_condition = condition_run, in_condition
    condition_run, in_condition = run, condition
    local ev = run.event
    local values = dispatching_values
    if condition and values and ev == dispatching and values[dispatching_key] ~= ev.value then
      begin_view(values, dispatching_key, ev)
    end
    local budget = false
    if budget_enabled and not bounded then
      local _, main = coroutine_running()
      budget = main
    end
    if budget then budget_on(nil) end
    local ok, result = protected_run(fn, run)
    if budget then native.budget_off(nil) end
    if view_values then end_view() end
    condition_run, in_condition = previous, was_in_condition
    return ok, result
  end

  -- Runs an action that cannot suspend (descriptor field `nowait`, RI §5.8) on the
  -- caller's stack: the same run in every observable way, without a task switch.
  local function run_inline(run, fn)
    finish(run, call_as_run(run, fn, false))
    return true
  end

  -- Evaluates the rule's condition for `run`; false on a runtime error (handled).
  local function condition_holds(rule, run)
    local ok, result = call_as_run(run, rule.cond, true)
    if not ok then
      if rule.trace then tracer.open(rule, run.event) end  -- A lean rule's record is not open yet.
      rule_error(rule, result)
      return false
    end
    return result
  end

  -- A rule's run, step by step: at info for a `verbose` rule (rule.verbose == true),
  -- at debug when debug lines can be shown (rule.verbose == "debug", E.set_log_detail).
  local function verbose(rule, text)
    log(rule.verbose == true and "info" or "debug", "[" .. rule.name .. "] " .. text)
  end

  local NOT_FIRED = {}  -- cond_then_action's result when the condition was false.

  -- A nowait rule's whole run under one protected call: the condition, then (if it
  -- holds and the rule is still enabled) the action.
  local function cond_then_action(run)
    local rule = run.rule
    local holds = rule.cond(run)
    in_condition = false
    if view_values then end_view() end
    if not holds or not rule.enabled then return NOT_FIRED end
    rule.fired = rule.fired + 1
    if rule.single and rule.runs then
      for other in pairs(rule.runs) do cancel_run(other) end
    end
    return rule.action(run)
  end

  -- The fast path of start_run for rules whose action cannot suspend (RI §5.8) and
  -- that log nothing per run: no task, one protected call.
  local function run_nowait(rule, run)
    -- `bounded` matters only under the budget; a rule without it would look the
    -- absent field up through its metatable on every run.
    local ok, first = call_as_run(run, cond_then_action, true, budget_enabled and rule.bounded)
    local trace = rule.trace
    if not ok then
      end_run(run)
      if not (first == CANCEL or (type(first) == "table" and first.err == CANCEL)) then
        -- The error ends the evaluation's trace record, which a lean rule opens only now.
        if trace then tracer.open(rule, run.event) end
        rule_error(rule, first)
      end
      return nil
    end
    run.done = true
    if run.timers then end_run(run) end
    if trace then
      if trace.lean then
        if first == NOT_FIRED then tracer.lean_not_run(trace, run.event) else tracer.lean_ran(trace, run.event, first) end
      elseif first == NOT_FIRED then
        tracer.not_run(rule, false)
      else
        tracer.ran(rule, first)
      end
    end
    if first == BREAK then return first end
    return nil
  end

  local fire  -- Below: the part of a run after its condition held.

  -- A run is its own env: generated code reads env.event and env.cap, the engine the
  -- rest; one table per run instead of two, created with room for the fields every
  -- run sets.
  local function new_run(rule, ev, cap, verbose_run)
    local run = {event = ev, cap = cap, rule = rule, verbose = verbose_run, run = false, env = false,
                 done = false, first = false, cascade = active or false, depth = active_depth}
    run.run, run.env = run, run
    return run
  end

  -- Most events end in a false condition or in a nowait action, and neither leaves
  -- anything that refers to its env behind, so both use this one scratch run instead
  -- of a new table (a condition that holds for an action that may suspend is copied
  -- into a run of its own). `scratch_busy` covers a condition that starts a run itself.
  local scratch = new_run(false, false, false, false)
  local scratch_busy = false

  local function release_scratch()
    if scratch.timers then end_run(scratch) end  -- Posts made by a condition go to its rule.
    scratch.event, scratch.cap, scratch.rule, scratch.cascade = false, false, false, false
    scratch_busy = false
  end

  -- start_run for an event with no extra fields, on a rule that logs nothing per run,
  -- in the scratch run (the hottest path of the engine: kept flat).
  local function start_run_in_scratch(rule, ev)
    scratch_busy = true
    local run = scratch
    run.event, run.cap, run.rule, run.done, run.first = ev, rule.patterns and {} or EMPTY, rule, false, false
    run.cascade, run.depth = active or false, active_depth
    if rule.nowait then
      local result = run_nowait(rule, run)
      release_scratch()
      return result
    end
    local holds = condition_holds(rule, run)
    local cap, cascade, depth = run.cap, run.cascade, run.depth
    release_scratch()
    if not holds or not rule.enabled then
      if rule.trace then tracer.not_run(rule, holds, ev) end
      return nil
    end
    -- The action may suspend: the run gets a table of its own.
    local own = new_run(rule, ev, cap, false)
    own.cascade, own.depth = cascade, depth
    return fire(rule, own, false)
  end

  -- start_run for a run that needs a table of its own (fields, a manual start, a
  -- verbose rule, or a run started while the scratch run is busy).
  local function start_own_run(rule, ev, fields, skip_condition)
    local run = new_run(rule, ev, rule.patterns and {} or EMPTY, rule.verbose)
    if fields then for k, v in pairs(fields) do run[k] = v end end
    if rule.nowait and not rule.verbose and not skip_condition then return run_nowait(rule, run) end
    if rule.verbose then verbose(rule, "triggered: " .. util.json_encode(ev)) end
    if not skip_condition and not condition_holds(rule, run) then
      if rule.verbose then verbose(rule, "condition false") end
      if rule.trace then tracer.not_run(rule, false, ev) end
      return nil
    end
    if not rule.enabled then  -- The condition disabled its own rule.
      if rule.trace then tracer.not_run(rule, true, ev) end
      return nil
    end
    return fire(rule, run, skip_condition)
  end

  --- Starts one run of `rule` for event `ev` (§8.1); `fields` are copied into its env.
  --- Returns BREAK when the run ended without suspending and returned BREAK. With
  --- `skip_condition` (rule:start) it returns the run.
  local function start_run(rule, ev, fields, skip_condition)
    if not rule.enabled then return nil end
    if active and not cascade_allows(rule) then return nil end
    rule.triggered = rule.triggered + 1
    if skip_condition then rule.manual_runs = (rule.manual_runs or 0) + 1 end  -- Runs without a condition.
    -- A traced rule's evaluation opens its record, except a lean one's (er.trace) on
    -- the nowait path (run_nowait), which is recorded whole when it ends. A mode is a
    -- string until the first evaluation, and a string has no `lean`.
    local trace = rule.trace
    if trace and not (trace.lean and not skip_condition and not rule.verbose) then tracer.begin(rule, ev) end
    slice.actions, slice.posts, slice.rule = 0, 0, rule
    local began, result = clock_us(), nil
    if fields or skip_condition or rule.verbose or scratch_busy then
      result = start_own_run(rule, ev, fields, skip_condition)
    else
      result = start_run_in_scratch(rule, ev)
    end
    local us = clock_us() - began  -- account_slice, inlined: this is on every run.
    rule.run_us = (rule.run_us or 0) + us
    if us > (rule.max_us or 0) then rule.max_us = us end
    return result
  end

  C.start_run = start_run

  -- The part of a run after its condition held: single, then the action.
  function fire(rule, run, skip_condition)
    rule.fired = rule.fired + 1
    if rule.single and rule.runs then
      for other in pairs(rule.runs) do cancel_run(other) end
    end
    if rule.verbose then verbose(rule, "action started") end
    -- A traced action that may suspend carries its record; an inline one ends here.
    if rule.trace and (skip_condition or not rule.nowait) then tracer.detach(rule, run) end
    if skip_condition then
      run.keep_results = true
      spawn(run, rule.action)
      return run
    end
    local done
    if rule.nowait then
      done = run_inline(run, rule.action)
      if rule.trace then tracer.ran(rule, run.first) end
    else
      done = spawn(run, rule.action)
    end
    if done and run.first == BREAK then return BREAK end
    return nil
  end

  local pattern_keys = {}  -- event type -> "event/<type>"

  -- Delivers one event to every enabled rule listening to it, by ascending id (§8.2).
  local function dispatch(ev, handle, cascade, depth, values)
    if handle then
      if handle.cancelled then return end
      handle.delivered = true
      if handle.owner then handle.owner.timers[handle] = nil else free_timers[handle] = nil end
    end
    if type(ev) ~= "table" then return end
    if cascade and cascade.stopped then return end
    counters.events = counters.events + 1
    local list, key
    local t = ev.type
    if t == "device" then
      local by_property = device_index[ev.id]
      list = by_property and by_property[ev.property]
    else
      key = event_key(ev)
      if key then list = key_index[key] end
    end
    local pattern_key = pattern_keys[t]
    if pattern_key == nil then pattern_key = "event/" .. tostring(t); pattern_keys[t] = pattern_key end
    local pattern_rules = key_index[pattern_key]
    if pattern_rules ~= nil then list = merge(list, pattern_rules) end
    local replan = key and replan_index[key]
    if list == nil and replan == nil then return end
    if replan then
      for _, rule in ipairs(replan) do
        if rule.enabled then replan_rule(rule) end
      end
    end
    if list == nil then return end
    if logging.trace then log("trace", "dispatch " .. util.canonical(ev) .. " to " .. #list .. " rule(s)") end
    local outer, outer_depth = active, active_depth
    local outer_event, outer_values, outer_key = dispatching, dispatching_values, dispatching_key
    active, active_depth = cascade, depth or 0
    dispatching, dispatching_values, dispatching_key = ev, values, values and (ev.property or ev.name)
    for i = 1, #list do
      local rule = list[i]
      if rule.enabled and not (replan and rule.replan_keys[key] and not rule.keys[key]) then
        if start_run(rule, ev) == BREAK then break end
      end
    end
    active, active_depth = outer, outer_depth
    dispatching, dispatching_values, dispatching_key = outer_event, outer_values, outer_key
  end
  C.dispatch = dispatch

  -- Engine events wait in a FIFO queue in Lua; one LuaSys message per batch tells
  -- the loop to deliver them, so a burst of events costs one message, and events
  -- queued while the batch is delivered join it (§8.2 order is kept).
  local queue, head, tail, drain_posted = {}, 1, 0, false
  -- Beside each queued event (not in it): its cascade and depth, and the table that
  -- holds the current value of its property (for the condition view).
  local queue_cascade, queue_depth, queue_values = {}, {}, {}

  local function drain()
    drain_posted = false
    while head <= tail do
      local ev, cascade, values = queue[head], queue_cascade[head], queue_values[head]
      queue[head] = nil
      if cascade then queue_cascade[head] = nil end
      if values then queue_values[head] = nil end
      head = head + 1
      dispatch(ev, nil, cascade, queue_depth[head - 1], values)
    end
    head, tail = 1, 0
  end
  sys.subscribe(TOPIC, drain)

  local function enqueue(ev, values)
    tail = tail + 1
    queue[tail] = ev
    if values then queue_values[tail] = values end
    local cascade, depth = cascade_of_emit()
    if cascade then queue_cascade[tail], queue_depth[tail] = cascade, depth end
    if not drain_posted then
      drain_posted = true
      sys.publish(TOPIC)
    end
  end

  --- Queues an engine event. For a variable or `$global` change, `values` is the table
  --- that holds the current value under ev.name (the condition view, RI 5.10).
  function C.emit(ev, values) enqueue(ev, values) end

  --- A device property change (§7.2). Most changes reach no rule (a lamp that rules
  --- switch but no rule watches), so the event is built and queued only when some
  --- rule listens to that property of that device, or to `#device` events. `ms`: when
  --- the change happened (epoch ms), if the caller has read the clock already.
  function C.emit_device(id, property, value, old, values, ms)
    local by_property = device_index[id]
    if (by_property == nil or by_property[property] == nil) and key_index["event/device"] == nil then return end
    ms = ms or epoch_ms()
    local ev = {type = "device", id = id, property = property, value = value, old = old,
                timestamp = ms % 1000 == 0 and ms // 1000 or ms / 1000}
    enqueue(ev, values)
  end

  -- post / cancel / wait (§8.4, §8.5) ----------------------------------------------------

  local SHORT = 31536000

  -- When each event type was last delivered from a post (epoch ms): `why` says
  -- "#door_open (last posted 11:58)". Posts are rare next to device events, so this
  -- costs the hot path nothing.
  local posted_at = {}
  C.posted_at = posted_at
  local function deliver_post(ev, handle, cascade, depth)
    posted_at[ev.type] = epoch_ms()
    return dispatch(ev, handle, cascade, depth)
  end

  --- §8.5; `owner` is the run or rule that owns the post (nil: nobody).
  local function post_owned(owner, ev, t)
    if type(ev) ~= "table" or type(ev.type) ~= "string" then
      error("post: event must be a table with a string 'type' field", 3)
    end
    if t ~= nil and type(t) ~= "number" then
      error("post: expected a number, got " .. type(t), 3)
    end
    if t ~= nil and t < 0 then return nil end
    local ms = 0
    if t == nil or t == 0 then
      ms = 0
    elseif t < SHORT then
      ms = math.floor(t * 1000 + 0.5)
    else
      ms = math.floor(t * 1000) - native.epoch_ms()
    end
    local cascade, depth = cascade_of_emit()
    local handle = timer(owner, ms, deliver_post, ev, nil, cascade, depth)
    handle.post = true
    return handle
  end
  C.post_owned = post_owned

  function C.post(ev, t)
    local run = current_run()
    local owner = nil
    if run and slice.rule then
      local posts = slice.posts + 1
      slice.posts = posts
      if posts > limits.posts_per_run then
        error(string.format("too many posts without waiting (limit posts_per_run = %d)", limits.posts_per_run), 0)
      end
    end
    if run and run.rule then owner = run.done and run.rule or run end
    return post_owned(owner, ev, t)
  end

  function C.cancel(handle)
    if type(handle) ~= "table" or not handle.post then return false end
    return cancel_timer(handle)
  end

  -- The run that may suspend here, or an error naming `what` (level 4: the rule's
  -- call of wait or await's caller).
  local function suspendable_run(what)
    local co, main = coroutine_running()
    local run = run_of[co]
    if main or run == nil then
      if in_condition then error(what .. " is not allowed in a rule condition", 4) end
      error(what .. ": can only be used in a rule action, a script or a task", 4)
    end
    if run.cancelled then error(CANCEL, 0) end
    return run, co
  end

  -- Runs `block` (which suspends the run through sys) with the run's accounting: its
  -- slice ends, the suspension is measured and traced as `label`, and a cancellation
  -- that came meanwhile stops the run when it resumes.
  local function suspended(run, co, label, block, ...)
    local rule = run.rule
    if rule and run.resumed_at then account_slice(rule, clock_us() - run.resumed_at) end
    local suspended_at = epoch_ms()
    if run.trace then tracer.wait_begin(run, label) end
    local results = table.pack(block(...))
    if run.trace then tracer.wait_end(run) end
    if rule then
      rule.suspended_ms = (rule.suspended_ms or 0) + (epoch_ms() - suspended_at)
      run.resumed_at = clock_us()
    end
    if run.cancelled then error(CANCEL, 0) end
    new_slice(run.rule)
    if budget_enabled then budget_on(co) end
    return table.unpack(results, 1, results.n)
  end

  --- wait(t) in the running run or script (§8.4).
  function C.wait(t)
    if type(t) ~= "number" then error("wait: expected a number, got " .. type(t), 3) end
    local run, co = suspendable_run("wait")
    local ms
    if t < SHORT then ms = math.floor(t * 1000 + 0.5) else ms = math.floor(t * 1000) - native.epoch_ms() end
    if run.verbose then verbose(run.rule, "waiting " .. tostring(t) .. "s") end
    suspended(run, co, t, sys.wait, ms > 0 and ms or 0)
  end

  --- Suspends the running run until `block(...)` returns (it waits through sys, e.g.
  --- sys.waitUntil for a reply); `what` names the caller in errors ("http.get"),
  --- `label` is what traces show. Returns block's results.
  function C.await(what, label, block, ...)
    local run, co = suspendable_run(what)
    return suspended(run, co, label, block, ...)
  end

  function C.set_budget(enabled) budget_enabled = enabled end

  base.on_reset(function()
    for t in pairs(posted_at) do posted_at[t] = nil end
    cancel_all(free_timers)
    queue, head, tail = {}, 1, 0
    device_index, key_index, replan_index = {}, {}, {}
    queue_cascade, queue_depth, queue_values = {}, {}, {}
    counters.events = 0
    for name, value in pairs(DEFAULT_LIMITS) do limits[name] = value end
  end)
  return C
end

return M
