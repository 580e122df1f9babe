-- er.rules through its interface (require("er.rules").new(base, core, devices, store,
-- sched, trace)): a rules object on a base of its own and fakes of the modules it uses, so
-- definition, subscriptions, enable/disable, errors and scripts are checked against
-- what it asks of core, the scheduler and the store.
local test = require("eventrunner.test")

local E = require("er.engine").E
local rules_module = require("er.rules")

local function recorder(calls, name)
  return function(...) calls[#calls + 1] = {name, ...} end
end

local function new_rules()
  local calls, logs = {}, {}
  local core = {current_run = function() return nil end, cancel_all_timers = function() end}
  for _, name in ipairs({"subscribe", "subscribe_replan", "unsubscribe_all", "cancel_run", "start_run", "emit",
                         "post", "post_owned", "cancel", "wait"}) do
    core[name] = recorder(calls, name)
  end
  -- Runs a script to its end at once, as a task that never suspends.
  function core.spawn(run, fn)
    run.results = table.pack(fn(run))
    run.done = true
    return true
  end
  local devices = {named = function() return nil end, names = function() return {} end,
                   get = function() return nil end, check = function() end}
  local flags = {}
  local store = {rule_enabled = function(name, flag) flags[name] = flag end,
                 rule_flag = function(name) return flags[name] end,
                 rule_error = function() return nil end, put_rule_error = function() end,
                 clear_rule_error = function() end}
  local sched = {plan = recorder(calls, "plan"), cancel = recorder(calls, "sched.cancel"),
                 describe = function() return {"daily 08:00"}, 123 end}
  local base = setmetatable({R = {}, G = {}, er = {}, vars = {}, dynamic = {},
                             on_reset = function() end,
                             log = function(level, text) logs[#logs + 1] = level .. ": " .. text end},
                            {__index = E.base})
  local trace = {attach = recorder(calls, "trace.attach"), on_twin = function() end}
  local O = rules_module.new(base, core, devices, store, sched, trace)
  return O, {calls = calls, logs = logs, flags = flags, base = base}
end

local function names_of(calls, name)
  local list = {}
  for _, c in ipairs(calls) do if c[1] == name then list[#list + 1] = c end end
  return list
end

test.case("a defined rule is indexed by id and name, subscribed and planned", function()
  test.start{}
  local O, f = new_rules()
  local rule = O.eval("#ping => log('pong')", {name = "ping", verbosity = "silent"})
  test.eq(O.by_id[1], rule)
  test.eq(O.by_name.ping, rule)
  local subs = names_of(f.calls, "subscribe")
  test.eq(#subs, 1)
  test.eq(subs[1][3], "event/ping")
  local plans = names_of(f.calls, "plan")
  test.eq(plans[1][2], rule)
  test.eq(plans[1][3], {catchup = true})
  test.eq(rule:info().triggers, {"event/ping", "daily 08:00"})
  test.eq(rule:info().next, 123)
end)

test.case("disable cancels the schedule and stores the flag; enable plans again", function()
  test.start{}
  local O, f = new_rules()
  local rule = O.eval("#ping => log('pong')", {name = "ping", verbosity = "silent"})
  f.base.er.disable("ping")
  test.eq(rule.enabled, false)
  test.eq(#names_of(f.calls, "sched.cancel"), 1)
  test.eq(f.flags.ping, false)
  rule:enable()
  test.eq(#names_of(f.calls, "plan"), 2)
  test.eq(f.flags.ping, true)
end)

test.case("rule_error reports, disables the rule and emits a rule_error event", function()
  test.start{}
  local O, f = new_rules()
  local rule = O.eval("#ping => log('pong')", {name = "ping", verbosity = "silent"})
  O.rule_error(rule, "boom")
  test.eq(rule.enabled, false)
  test.eq(rule.errors, 1)
  test.eq(f.logs[#f.logs], "error: [ping] disabled")
  local emitted = names_of(f.calls, "emit")
  test.eq(emitted[#emitted][2].type, "rule_error")
  test.eq(emitted[#emitted][2].rule, "ping")
end)

test.case("scripts run through core.spawn; variables live in the base", function()
  test.start{}
  local O, f = new_rules()
  test.eq(O.eval("return 1 + 2"), 3)
  f.base.R.gs("x", 5)
  test.eq(f.base.R.gv("x", 1), 5)
  test.eq(f.base.vars.x, 5)
  test.eq(O.eval("x = x * 2; return x"), 10)
  test.eq(O.define_rules_file("#a => log('a')\n#b => log('b')\n", "two.er", {verbosity = "silent"}), 2)
  test.eq(O.by_name.RULE2 ~= nil, true)
end)
