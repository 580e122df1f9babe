-- er.rule_state: the per-occurrence state behind trueFor, again and once (spec §7.8)
-- and the cooldown, every and debounce modifiers (§6.3). State lives in rule.state,
-- keyed by kind and occurrence index, so disabling a rule (which clears rule.state)
-- resets it all (§8.7).

--
--   require("er.rule_state").new(base, core, rules_by_id)
--
-- fills R.true_for, R.again, R.once, R.cooldown, R.every and R.wait; timers and runs go
-- through core; once() states of the rules in rules_by_id reset at midnight.

local M = {}

function M.new(base, core, rules_by_id)
  local native, R, fail = base.native, base.R, base.fail

  local function state_of(env, kind, k)
    local rule = env.run and env.run.rule
    if rule == nil then return {}, nil end  -- Scripts keep no state between calls.
    local state = rule.state
    if state == nil then state = {}; rule.state = state end
    local by_kind = state[kind]
    if by_kind == nil then by_kind = {}; state[kind] = by_kind end
    local s = by_kind[k]
    if s == nil then s = {}; by_kind[k] = s end
    return s, rule
  end

  local function arm_true_for(rule, s, k, seconds)
    s.phase = "armed"
    s.timer = core.timer(rule, math.floor(seconds * 1000 + 0.5), function()
      s.timer = nil
      s.phase = "fired"
      s.streak = (s.streak or 0) + 1
      core.start_run(rule, s.event, {true_for = k, true_for_seconds = seconds})
    end)
  end

  function R.true_for(env, k, seconds, value, p)
    if env.true_for == k then return true end
    if env.run == nil or env.run.rule == nil then return false end
    local s, rule = state_of(env, "true_for", k)
    if type(seconds) ~= "number" then fail(p, "trueFor: expected a number, got " .. type(seconds)) end
    local phase = s.phase or "idle"
    if value then
      if phase == "idle" then
        s.event, s.streak = env.event, 0
        arm_true_for(rule, s, k, seconds)
      end
    elseif phase == "armed" then
      core.cancel_timer(s.timer)
      s.timer, s.phase = nil, "idle"
    elseif phase == "fired" then
      s.phase = "idle"
    end
    return false
  end

  function R.again(env, n, p)
    local k = env.true_for
    if k == nil or env.defining then fail(p, "again() can only be used in the action of a trueFor rule") end
    local s, rule = state_of(env, "true_for", k)
    local streak = s.streak or 1
    if s.phase == "fired" and (n == nil or streak < n) then
      arm_true_for(rule, s, k, env.true_for_seconds)
    end
    return streak
  end

  function R.once(env, k, value, p)
    local s = state_of(env, "once", k)
    local before = s.value
    s.value = value and true or false
    return (value and not before) and true or false
  end

  function R.cooldown(env, k, seconds, p)
    local s = state_of(env, "cooldown", k)
    local now = native.epoch_ms()
    if s.last ~= nil and now - s.last < seconds * 1000 then return false end
    s.last = now
    return true
  end

  function R.every(env, k, count, p)
    local s = state_of(env, "every", k)
    s.count = (s.count or 0) + 1
    return s.count % count == 0
  end

  function R.wait(env, seconds, p) return core.wait(seconds) end

  -- once() states reset at midnight (§8.8).
  base.on_midnight(function()
    for _, rule in pairs(rules_by_id) do
      if rule.state then rule.state.once = nil end
    end
  end)
end

return M
