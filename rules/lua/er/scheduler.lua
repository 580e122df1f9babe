-- er.scheduler: the timers of rules (spec §7.5–§7.7, §8.7–§8.9) and the midnight chain.
--
--   local S = require("er.scheduler").new(base, core, time, catch)
--
-- core is er.core's object (timer, timer_at, cancel_timer, start_run, rule_error, all
-- called through it), time er.time's, catch the constant of §7.5 (er.builtins).
-- engine.lua wires S.set_rules(rules.by_id): the rules re-planned at midnight.
--
--   S.plan(rule, {catchup = bool})  at definition and enable: today's daily and
--       edge timers, the interval from its first slot, and (catchup) the catch-up run
--       of §8.9. Raises what evaluating the operands raises (a definition error).
--   S.replan(rule)  cancels the rule's daily and edge timers and plans today's
--       again, without catch-up (a `replan` key changed, §5.4); the interval is kept.
--       Errors are the rule's runtime errors (core.rule_error).
--   S.cancel(rule)  forgets the rule's schedule; the core has already cancelled
--       every timer the rule owns (disable).
--   S.describe(rule) -> {"daily 08:00", "interval 900", ...}, next timer epoch
--       (for rule:info(), §12).
--
-- Runs start with core.start_run(rule, event, fields), fields {daily = true},
-- {between = true} or {interval = true}; R.at and R.interval read those. R.first_in
-- lives here too, as it owns a reset timer.
--
-- Planning is per local day: at instant `at`, every instant of the day that is >= at
-- becomes a timer owned by the rule, earlier ones are skipped. Long times belong to
-- their own day, so a long '@' time or between edge is planned on its day only and
-- fires once. At each local midnight one engine timer recomputes the day, runs
-- base.midnight_hooks and re-plans every enabled rule by id with `at` = that midnight, so
-- '@00:00' timers fire right after re-planning.

local errors = require("er.errors")

local M = {}

function M.new(base, core, T, catch)
  local S = {}
  local log, epoch, epoch_ms = base.log, base.epoch, base.epoch_ms
  local rules_by_id = {}  -- Set by engine.lua (S.set_rules).

  --- The table of rules by id that midnight and er.config re-plan.
  function S.set_rules(by_id) rules_by_id = by_id end

  -- The env the operand functions get at planning time, as at definition (RI §6).
  local function planning_env(rule)
    return {event = nil, cap = {}, rule = rule}
  end

  local function sorted_keys(set)
    local list = {}
    for k in pairs(set) do list[#list + 1] = k end
    table.sort(list)
    return list
  end

  -- "HH:MM", or "HH:MM:SS" when the seconds are not zero, of a short or long time.
  local function clock_text(t)
    local text = T.HMS(t)
    if text:sub(-3) == ":00" then return text:sub(1, 5) end
    return text
  end

  local function time_text(t)
    if T.is_short(t) then return clock_text(t) end
    return T.osdate("%Y-%m-%d ", t) .. clock_text(t)
  end

  -- Arms one day timer of `rule` at epoch second `instant`; it starts a run with
  -- `event` and `fields` unless the schedule was replaced meanwhile.
  local function arm_day_timer(rule, s, instant, kind, fields)
    s.pending[instant] = true
    s.day_timers[#s.day_timers + 1] = core.timer_at(rule, instant * 1000, function()
      s.pending[instant] = nil
      core.start_run(rule, {type = kind, time = instant}, fields)
    end)
  end

  -- Daily timers (§7.5) ---------------------------------------------------------

  -- Adds the instants of one '@' value on `day` to the set `out` and its description
  -- to `texts`. Returns whether the value contained catch.
  local function daily_instants(value, day, out, texts, catch)
    local t = type(value)
    if t == "number" then
      texts[#texts + 1] = "daily " .. time_text(value)
      if value < T.SHORT then
        out[T.wall_clock(day, value)] = true
      elseif value >= day.midnight and value < day.next_midnight then
        out[math.floor(value)] = true
      end
      return false
    elseif t == "table" then
      local has_catch = false
      for _, v in pairs(value) do
        if v == catch and catch ~= nil then
          has_catch = true
        elseif v ~= false then
          daily_instants(v, day, out, texts, catch)
        end
      end
      return has_catch
    elseif value == nil or value == false then
      return false
    end
    error("'@' expects a time or a table of times, got " .. t, 0)
  end

  -- Plans the daily timers of `day` from `at` on; returns the latest instant before
  -- `at` of an operand containing catch (nil if none).
  local function plan_daily(rule, s, day, at)
    local all, caught = {}, nil
    local env = planning_env(rule)
    for _, operand in ipairs(rule.d.daily) do
      local instants = {}
      local has_catch = daily_instants(operand(env), day, instants, s.texts, catch)
      for instant in pairs(instants) do
        all[instant] = true
        if has_catch and instant < at and (caught == nil or instant > caught) then caught = instant end
      end
    end
    for _, instant in ipairs(sorted_keys(all)) do
      if instant >= at then arm_day_timer(rule, s, instant, "daily", {daily = true}) end
    end
    return caught
  end

  -- Between edges (§7.7) --------------------------------------------------------

  -- Adds the edge instants of a..b on `day` to `out`: a and b + 1 s, short times as
  -- wall-clock times of the day (the end edge of the day before may be this midnight).
  local function edge_instants(a, b, day, out, texts)
    if type(a) ~= "number" or type(b) ~= "number" then return end
    local short = a < T.SHORT
    if short ~= (b < T.SHORT) then return end  -- The condition reports the mix.
    texts[#texts + 1] = "between " .. time_text(a) .. ".." .. time_text(b)
    local candidates
    if short then
      local yesterday = T.day(day.midnight - 1)
      candidates = {T.wall_clock(day, a), T.wall_clock(day, b) + 1, T.wall_clock(yesterday, b) + 1}
    else
      candidates = {math.floor(a), math.floor(b) + 1}
    end
    for _, instant in ipairs(candidates) do
      if instant >= day.midnight and instant < day.next_midnight then out[instant] = true end
    end
  end

  local function plan_edges(rule, s, day, at)
    local env = planning_env(rule)
    local instants = {}
    for _, edge in ipairs(rule.d.edges) do
      edge_instants(edge[1](env), edge[2](env), day, instants, s.texts)
    end
    for _, instant in ipairs(sorted_keys(instants)) do
      if instant >= at then arm_day_timer(rule, s, instant, "between", {between = true}) end
    end
  end

  -- Plans the daily and edge timers of the day of `at` into a fresh day part of `s`;
  -- returns the catch-up instant, if any.
  local function plan_day(rule, s, at)
    s.day_timers, s.pending, s.texts = {}, {}, {}
    local day = T.day(at)
    local d = rule.d
    local caught = nil
    if d.daily ~= nil then caught = plan_daily(rule, s, day, at) end
    if d.edges ~= nil then plan_edges(rule, s, day, at) end
    return caught
  end

  local function cancel_day(s)
    for _, handle in ipairs(s.day_timers) do core.cancel_timer(handle) end
    s.day_timers, s.pending = {}, {}
  end

  -- Intervals (§7.6) --------------------------------------------------------------

  -- A slot's instant as an event time: whole seconds when it is one.
  local function slot_time(slot_ms)
    if slot_ms % 1000 == 0 then return slot_ms // 1000 end
    return slot_ms / 1000
  end

  local fire_interval
  local function arm_interval(rule, s, slot_ms)
    s.interval_ms = slot_ms
    s.interval_timer = core.timer_at(rule, slot_ms, fire_interval, rule, s, slot_ms)
  end

  -- Arms the next slot (slot + period, or after missed slots the first slot later than
  -- now), then runs this one.
  fire_interval = function(rule, s, slot_ms)
    local period = s.period_ms
    local now = epoch_ms()
    local next_ms = slot_ms + period
    if next_ms <= now then next_ms = slot_ms + ((now - slot_ms) // period + 1) * period end
    arm_interval(rule, s, next_ms)
    core.start_run(rule, {type = "interval", time = slot_time(slot_ms)}, {interval = true})
  end

  -- @@t: first slot now (a timer due at once, so the run is asynchronous); @@-t: the
  -- next multiple of t since the epoch strictly after now.
  local function start_interval(rule, s)
    local interval = rule.d.interval
    local seconds = interval.seconds(planning_env(rule))
    if type(seconds) == "string" then seconds = tonumber(seconds) end
    if type(seconds) ~= "number" or not (seconds > 0) then
      base.fail(interval.p, "interval must be positive")
    end
    local period = math.max(1, math.floor(seconds * 1000 + 0.5))
    s.period_ms = period
    s.interval_text = "interval " .. (interval.aligned and "-" or "") .. tostring(seconds)
    local now = epoch_ms()
    if interval.aligned then
      arm_interval(rule, s, (now // period + 1) * period)
    else
      arm_interval(rule, s, now)
    end
  end

  -- Errors outside runs are the rule's runtime errors ------------------------------

  local function report(rule, record) core.rule_error(rule, record) end

  -- Re-plans today's timers of `rule` from `at`.
  local function replan_at(rule, at)
    local s = rule.sched
    if s == nil or not rule.enabled then return end
    cancel_day(s)
    local ok, record = xpcall(plan_day, errors.handler, rule, s, at)
    if not ok then report(rule, record) end
  end

  -- The midnight chain (§8.8) -------------------------------------------------------

  local midnight = {handle = nil, target = nil}

  local function enabled_rules_by_id()
    local ids = {}
    for id, rule in pairs(rules_by_id) do
      if rule.enabled then ids[#ids + 1] = id end
    end
    table.sort(ids)
    local list = {}
    for i, id in ipairs(ids) do list[i] = rules_by_id[id] end
    return list
  end

  local arm_midnight

  local function run_midnight(target)
    midnight.handle, midnight.target = nil, nil
    if epoch() < target then  -- The clock was moved back: wait for the real midnight.
      arm_midnight()
      return
    end
    T.day(target)
    for _, hook in ipairs(base.midnight_hooks) do
      local ok, err = pcall(hook)
      if not ok then log("error", "midnight hook failed: " .. tostring(err)) end
    end
    for _, rule in ipairs(enabled_rules_by_id()) do
      if rule.enabled then replan_at(rule, target) end
    end
    arm_midnight()
  end

  -- Arms the engine's midnight timer for the next local midnight, unless it is armed
  -- for that instant already.
  arm_midnight = function()
    local target = T.day().next_midnight
    if midnight.handle ~= nil then
      if midnight.target == target then return end
      core.cancel_timer(midnight.handle)
    end
    midnight.target = target
    midnight.handle = core.timer_at(nil, target * 1000, run_midnight, target)
  end

  local function forget_midnight()
    if midnight.handle ~= nil then core.cancel_timer(midnight.handle) end
    midnight.handle, midnight.target = nil, nil
  end

  -- The interface -------------------------------------------------------------------

  function S.plan(rule, opts)
    arm_midnight()
    local d = rule.d
    if d.daily == nil and d.edges == nil and d.interval == nil then return end  -- Nothing timed.
    local old = rule.sched
    if old ~= nil then  -- Planned twice without a disable in between: start afresh.
      cancel_day(old)
      if old.interval_timer ~= nil then core.cancel_timer(old.interval_timer) end
    end
    local s = {}
    rule.sched = s
    local caught = plan_day(rule, s, epoch())
    if rule.d.interval ~= nil then start_interval(rule, s) end
    if caught ~= nil and opts ~= nil and opts.catchup then
      core.start_run(rule, {type = "daily", time = caught, catchup = true}, {daily = true})
    end
  end

  --- Keeps the midnight chain armed with no timed rule (the simulation's daily
  --- reports are re-armed by a midnight hook).
  S.arm_midnight = function() arm_midnight() end

  function S.replan(rule)
    replan_at(rule, epoch())
  end

  function S.cancel(rule)
    rule.sched = nil
  end

  function S.describe(rule)
    local s = rule.sched
    if s == nil then return {}, nil end
    local texts = {}
    for i, text in ipairs(s.texts or {}) do texts[i] = text end
    if s.interval_text then texts[#texts + 1] = s.interval_text end
    local next_at = nil
    for instant in pairs(s.pending or {}) do
      if next_at == nil or instant < next_at then next_at = instant end
    end
    if s.interval_ms ~= nil then
      local slot = s.interval_ms // 1000
      if next_at == nil or slot < next_at then next_at = slot end
    end
    return texts, next_at
  end

  -- A changed zone or place (er.config) moves midnight and every wall-clock time.
  T.on_config(function()
    if midnight.handle == nil then return end
    arm_midnight()
    for _, rule in ipairs(enabled_rules_by_id()) do S.replan(rule) end
  end)

  base.on_reset(forget_midnight)

  M.install_rule_functions(base, core, T)
  return S
end

-- R functions of daily, interval and first_in (RI §4.5) --------------------------------

local function rule_of(env)
  local run = env.run
  if run ~= nil and run.rule ~= nil then return run.rule end
  return env.rule
end

function M.install_rule_functions(base, core, T)
  local R = base.R

  function R.at(env, k) return env.daily == true end
  function R.interval(env) return env.interval == true end

  -- The instant a first_in window a..b ends (b + 1 s): for short times the next
  -- wall-clock b at or after now.
  local function window_end(b)
    if b >= T.SHORT then return math.floor(b) + 1 end
    local at = T.today_at(b)
    if at < base.epoch() then at = T.next_at(b) end
    return at + 1
  end

  -- §6.3 first_in a..b: passes on the first evaluation inside the window; resets at
  -- b + 1 s and whenever it is reached outside the window.
  function R.first_in(env, k, a, b, p)
    local inside = R.between(a, b, p)
    local rule = rule_of(env)
    local states = rule.state
    if states == nil then states = {}; rule.state = states end
    local key = "first_in:" .. k
    local st = states[key]
    if st == nil then
      st = {passed = false}
      states[key] = st
    end
    if not inside then
      if st.timer ~= nil then core.cancel_timer(st.timer) end
      st.passed, st.timer = false, nil
      return false
    end
    if st.passed then return false end
    st.passed = true
    st.timer = core.timer_at(rule, window_end(b) * 1000, function()
      st.passed, st.timer = false, nil
    end)
    return true
  end
end

return M
