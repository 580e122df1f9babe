-- er.scheduler through its interface (require("er.scheduler").new(base, core, time,
-- catch)): a scheduler built on a fake core that records timers and runs, so plan,
-- replan, cancel, describe and the midnight chain are checked without the real core.
local test = require("eventrunner.test")

local E = require("er.engine").E
local scheduler = require("er.scheduler")

local H = 3600

-- A fake core: the scheduler's whole view of er.core.
local function fake_core()
  local core = {timers = {}, runs = {}, errors = {}}
  function core.timer_at(owner, ms, fn, ...)
    local t = {owner = owner, at = ms // 1000, fn = fn, args = table.pack(...), live = true}
    core.timers[#core.timers + 1] = t
    return t
  end
  function core.timer(owner, ms, fn, ...) return core.timer_at(owner, E.epoch_ms() + ms, fn, ...) end
  function core.cancel_timer(t) local was = t.live; t.live = false; return was end
  function core.start_run(rule, event, fields) core.runs[#core.runs + 1] = {rule = rule, event = event, fields = fields} end
  function core.rule_error(rule, err) core.errors[#core.errors + 1] = {rule = rule, err = err} end
  -- Live timers owned by `owner`, as seconds after today's midnight, sorted.
  function core.live(owner)
    local list = {}
    for _, t in ipairs(core.timers) do
      if t.live and t.owner == owner then list[#list + 1] = t.at - E.time.day().midnight end
    end
    table.sort(list)
    return list
  end
  return core
end

-- A scheduler on a base of its own (R.first_in and friends go to a fresh R).
local function new_scheduler()
  local core = fake_core()
  local base = setmetatable({R = {between = E.R.between}, midnight_hooks = {},
                             on_reset = function() end}, {__index = E.base})
  local S = scheduler.new(base, core, E.time, E.catch)
  local rules = {}
  S.set_rules(rules)
  return S, core, rules, base
end

local function daily_rule(id, ...)
  local times = {...}
  return {id = id, name = "R" .. id, enabled = true, d = {daily = {function() return times end}}}
end

test.case("plan arms today's daily times at or after now, owned by the rule", function()
  test.start{}                                      -- 12:00
  local S, core = new_scheduler()
  local rule = daily_rule(1, 8 * H, 18 * H, 20 * H)
  S.plan(rule, {catchup = false})
  test.eq(core.live(rule), {18 * H, 20 * H})
  test.eq(core.live(nil), {24 * H})                  -- the midnight chain
  local texts, next_at = S.describe(rule)
  test.eq(texts, {"daily 08:00", "daily 18:00", "daily 20:00"})
  test.eq(next_at, E.time.day().midnight + 18 * H)
  test.eq(#core.runs, 0)
end)

test.case("catch-up starts one run for the latest missed time of an operand with catch", function()
  test.start{}
  local S, core = new_scheduler()
  local rule = {id = 1, name = "R1", enabled = true,
                d = {daily = {function() return {7 * H, 9 * H, E.catch} end}}}
  S.plan(rule, {catchup = true})
  test.eq(#core.runs, 1)
  test.eq(core.runs[1].event.time, E.time.day().midnight + 9 * H)
  test.eq(core.runs[1].event.catchup, true)
  test.eq(core.runs[1].fields, {daily = true})
end)

test.case("replan replaces today's timers; cancel forgets the schedule", function()
  test.start{}
  local S, core = new_scheduler()
  local wake = 13 * H
  local rule = {id = 1, name = "R1", enabled = true, d = {daily = {function() return wake end}}}
  S.plan(rule, {})
  wake = 14 * H
  S.replan(rule)
  test.eq(core.live(rule), {14 * H})
  S.cancel(rule)
  test.eq(select("#", S.describe(rule)), 2)
  test.eq((S.describe(rule)), {})
  S.replan(rule)                                     -- forgotten: nothing to do
  test.eq(core.live(rule), {14 * H})
end)

test.case("an operand that fails at re-planning is the rule's error through core.rule_error", function()
  test.start{}
  local S, core = new_scheduler()
  local broken = false
  local rule = {id = 1, name = "R1", enabled = true,
                d = {daily = {function() if broken then error("no time") end return 13 * H end}}}
  S.plan(rule, {})
  broken = true
  S.replan(rule)
  test.eq(#core.errors, 1)
  test.eq(core.errors[1].rule, rule)
end)

test.case("the midnight chain runs the hooks, then re-plans the rules set_rules gave", function()
  test.start{}
  local S, core, rules, base = new_scheduler()
  local order = {}
  base.midnight_hooks[1] = function() order[#order + 1] = "hook" end
  local rule = daily_rule(1, 6 * H)
  rules[1] = rule
  S.plan(rule, {})
  test.eq(core.live(rule), {})                       -- 06:00 has passed today
  local midnight
  for _, t in ipairs(core.timers) do if t.owner == nil and t.live then midnight = t end end
  test.advance(12 * H)                               -- the real clock to 00:00
  midnight.live = false
  midnight.fn(table.unpack(midnight.args, 1, midnight.args.n))
  test.eq(order, {"hook"})
  test.eq(core.live(rule), {6 * H})                  -- tomorrow's, now today's
end)

test.case("an interval's first slot is now; R.interval and R.at read the run's fields", function()
  test.start{}
  local S, core, _, base = new_scheduler()
  local rule = {id = 1, name = "R1", enabled = true, d = {interval = {seconds = function() return 900 end}}}
  S.plan(rule, {})
  test.eq(core.live(rule), {12 * H})
  test.eq((S.describe(rule))[1], "interval 900")
  test.eq(base.R.interval({interval = true}), true)
  test.eq(base.R.at({daily = true}, 1), true)
end)
