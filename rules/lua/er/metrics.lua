-- er.metrics: what the engine counts about itself (docs/metrics.md), as one snapshot
-- for the control API (GET /api/metrics, `eventrunner top`) and as the Prometheus text
-- exposition format (GET /metrics).
--
--   local X = require("er.metrics").new(base, core, rules_by_id)
--   X.snapshot()                  -> {engine = {...}, rules = {{name=, runs=, ...}, ...},
--                                     [source name] = {...}}
--   X.prometheus(snapshot, info)  -> text (info: {version=, home=})
--   X.add_source(name, fn, specs) -- more figures: MQTT's counters, the log's
--
-- The counting itself is done where runs happen, in er.core, as plain fields of each
-- rule (so a run pays a few additions and two clock reads, and no call): `triggered`
-- (runs), `manual_runs` (those without a condition), `fired` (actions), `errors`
-- (er.rules), `run_us` and `max_us` (real microseconds the rule held the loop, summed
-- and the longest stretch), and `suspended_ms` (engine-clock time its runs spent in
-- wait()). The fields er.core adds appear with the first run that needs them, so idle
-- rules carry none. This module only reads.
--
-- A family is {name=, help=, type= "counter"|"gauge"|"summary", samples = {{labels =
-- {{key, value}, ...} | nil, value = number, suffix = nil | "_sum" | "_count"}, ...}}.
-- A source's specs say which family each of its figures becomes: {{field, name, type,
-- help}, ...}; a figure that is a table of numbers becomes one sample per key, labelled
-- with `label` ({field, name, type, help, label}).

local M = {}

-- Label values and HELP texts, escaped as the text format requires.
local LABEL_ESCAPES = {["\\"] = "\\\\", ['"'] = '\\"', ["\n"] = "\\n"}
local HELP_ESCAPES = {["\\"] = "\\\\", ["\n"] = "\\n"}

local function label_value(text) return (tostring(text):gsub('[\\"\n]', LABEL_ESCAPES)) end

--- A sample value as the format writes it: integers exactly, other numbers with
--- enough digits to survive the round trip, and the special values by name.
local function number_text(v)
  if math.type(v) == "integer" then return string.format("%d", v) end
  if v ~= v then return "NaN" end
  if v == math.huge then return "+Inf" end
  if v == -math.huge then return "-Inf" end
  return string.format("%.9g", v)
end
M.number_text = number_text

local function labels_text(labels)
  if labels == nil or #labels == 0 then return "" end
  local parts = {}
  for i, pair in ipairs(labels) do parts[i] = pair[1] .. '="' .. label_value(pair[2]) .. '"' end
  return "{" .. table.concat(parts, ",") .. "}"
end

--- The text of `families` (a list), each with its HELP and TYPE lines before its samples.
function M.exposition(families)
  local out = {}
  for _, family in ipairs(families) do
    out[#out + 1] = "# HELP " .. family.name .. " " .. family.help:gsub("[\\\n]", HELP_ESCAPES)
    out[#out + 1] = "# TYPE " .. family.name .. " " .. family.type
    for _, sample in ipairs(family.samples) do
      out[#out + 1] = family.name .. (sample.suffix or "") .. labels_text(sample.labels) .. " "
          .. number_text(sample.value)
    end
  end
  out[#out + 1] = ""
  return table.concat(out, "\n")
end

local function us_to_s(us) return us / 1e6 end

-- One rule's figures, as the snapshot lists them.
local function rule_figures(rule)
  local in_flight = 0
  for _ in pairs(rule.runs or {}) do in_flight = in_flight + 1 end
  local runs, run_us = rule.triggered, rule.run_us or 0
  return {name = rule.name, identity = rule.identity or rule.name, enabled = rule.enabled, runs = runs,
          conditions = runs - (rule.manual_runs or 0), actions = rule.fired, errors = rule.errors,
          run_seconds = us_to_s(run_us), mean_seconds = runs > 0 and us_to_s(run_us) / runs or 0,
          max_seconds = us_to_s(rule.max_us or 0), suspended_seconds = (rule.suspended_ms or 0) / 1000,
          in_flight = in_flight}
end

-- Rules by run time, the busiest first (ties by name, so the order is stable).
local function by_run_time(a, b)
  if a.run_seconds ~= b.run_seconds then return a.run_seconds > b.run_seconds end
  return a.name < b.name
end

function M.new(base, core, rules_by_id)
  local native = base.native
  local X = {}
  local started_us = native.monotonic_us()
  local sources = {}

  --- Adds a provider of more figures: fn() -> {field = number, ...}, or nil when it
  --- has nothing now (MQTT not attached); `specs` as in the header comment.
  function X.add_source(name, fn, specs)
    for i, source in ipairs(sources) do
      if source.name == name then table.remove(sources, i); break end
    end
    sources[#sources + 1] = {name = name, fn = fn, specs = specs}
  end

  local function engine_figures(rules)
    local stats = native.loop_stats()
    local uptime = us_to_s(native.monotonic_us() - started_us)
    local events = core.counters.events
    local in_flight, enabled = 0, 0
    for _, r in ipairs(rules) do
      in_flight = in_flight + r.in_flight
      if r.enabled then enabled = enabled + 1 end
    end
    return {uptime_seconds = uptime, events = events, events_per_second = uptime > 0 and events / uptime or 0,
            bus_depth = stats.bus_depth, bus_slots = stats.bus_slots, bus_peak = stats.bus_peak,
            bus_posted = stats.bus_posted, bus_dropped = stats.bus_dropped,
            loop_lag = {p50_seconds = stats.lag_p50_ms / 1000, p99_seconds = stats.lag_p99_ms / 1000,
                        max_seconds = stats.lag_max_ms / 1000, count = stats.lag_count,
                        sum_seconds = stats.lag_sum_ms / 1000, window = stats.lag_window},
            heap_bytes = stats.heap_used, heap_peak_bytes = stats.heap_max, heap_limit_bytes = stats.heap_limit,
            runs_in_flight = in_flight, rules = #rules, rules_enabled = enabled}
  end

  --- Everything counted now: {engine = {...}, rules = {...} (busiest first), and one
  --- table per source that has figures}; `extra` lists those sources for M.families.
  function X.snapshot()
    local rules = {}
    for _, rule in pairs(rules_by_id) do rules[#rules + 1] = rule_figures(rule) end
    table.sort(rules, by_run_time)
    local snapshot = {engine = engine_figures(rules), rules = rules, extra = {}}
    for _, source in ipairs(sources) do
      local figures = source.fn()
      if figures ~= nil then
        snapshot[source.name] = figures
        snapshot.extra[#snapshot.extra + 1] = {figures = figures, specs = source.specs}
      end
    end
    return snapshot
  end

  X.prometheus = function(snapshot, info) return M.exposition(M.families(snapshot, info)) end
  return X
end

-- The families of a snapshot ----------------------------------------------------------

local function gauge(name, help, value) return {name = name, help = help, type = "gauge", samples = {{value = value}}} end
local function counter(name, help, value)
  return {name = name, help = help, type = "counter", samples = {{value = value}}}
end

-- A family with one sample per rule: field `field` of each rule's figures.
local function per_rule(name, kind, help, field, rules)
  local samples = {}
  for i, r in ipairs(rules) do samples[i] = {labels = {{"rule", r.name}}, value = r[field]} end
  return {name = name, help = help, type = kind, samples = samples}
end

local function lag_summary(lag)
  return {name = "eventrunner_loop_lag_seconds", type = "summary",
          help = "How late timers fire: the delay between a timer's deadline and the loop pass that fires it "
              .. "(quantiles over the most recent timers, up to 512).",
          samples = {{labels = {{"quantile", "0.5"}}, value = lag.p50_seconds},
                     {labels = {{"quantile", "0.99"}}, value = lag.p99_seconds},
                     {suffix = "_sum", value = lag.sum_seconds}, {suffix = "_count", value = lag.count}}}
end

local function engine_families(e, info)
  return {
    {name = "eventrunner_info", type = "gauge", help = "The engine's version and home; the value is always 1.",
     samples = {{labels = {{"version", info.version or ""}, {"home", info.home or ""}}, value = 1}}},
    gauge("eventrunner_uptime_seconds", "Real time since the engine started.", e.uptime_seconds),
    counter("eventrunner_events_total", "Events delivered to the rules (device changes, variables, posts).",
      e.events),
    gauge("eventrunner_bus_depth_messages", "Messages from other threads waiting on the bus now.", e.bus_depth),
    gauge("eventrunner_bus_capacity_messages", "The bus's capacity in messages.", e.bus_slots),
    counter("eventrunner_bus_posted_total", "Messages other threads posted to the bus.", e.bus_posted),
    counter("eventrunner_bus_dropped_total", "Posts the bus refused because it was full (each is also logged).",
      e.bus_dropped),
    lag_summary(e.loop_lag),
    gauge("eventrunner_lua_heap_bytes", "The Lua heap in use (values, rules, queued events).", e.heap_bytes),
    gauge("eventrunner_lua_heap_peak_bytes", "The largest the Lua heap has been.", e.heap_peak_bytes),
    gauge("eventrunner_lua_heap_limit_bytes", "The Lua heap limit (0: none).", e.heap_limit_bytes),
    gauge("eventrunner_runs_in_flight", "Rule runs suspended in wait() now.", e.runs_in_flight),
    gauge("eventrunner_rules", "Rules defined.", e.rules),
    gauge("eventrunner_rules_enabled", "Rules enabled.", e.rules_enabled),
  }
end

local RULE_FAMILIES = {
  {"eventrunner_rule_runs_total", "counter", "Runs of the rule (one per trigger; manual starts too).", "runs"},
  {"eventrunner_rule_condition_evaluations_total", "counter", "Times the rule's condition was evaluated.",
   "conditions"},
  {"eventrunner_rule_actions_total", "counter", "Times the rule's action started (its condition held).", "actions"},
  {"eventrunner_rule_errors_total", "counter", "Runtime errors of the rule.", "errors"},
  {"eventrunner_rule_run_seconds_total", "counter",
   "Real time the rule's runs held the loop (condition and action, without the time suspended in wait).",
   "run_seconds"},
  {"eventrunner_rule_run_max_seconds", "gauge", "The longest the rule held the loop at once (what the slice limit bounds).",
   "max_seconds"},
  {"eventrunner_rule_suspended_seconds_total", "counter", "Engine-clock time the rule's runs spent suspended in wait().",
   "suspended_seconds"},
  {"eventrunner_rule_runs_in_flight", "gauge", "The rule's runs suspended in wait() now.", "in_flight"},
}

-- The families of one source's figures.
local function source_families(figures, specs, into)
  for _, spec in ipairs(specs) do
    local value, samples = figures[spec[1]], {}
    if type(value) == "table" then
      local keys = {}
      for key in pairs(value) do keys[#keys + 1] = key end
      table.sort(keys)
      for i, key in ipairs(keys) do samples[i] = {labels = {{spec[5], key}}, value = value[key]} end
    elseif value ~= nil then
      samples[1] = {value = value}
    end
    into[#into + 1] = {name = spec[2], type = spec[3], help = spec[4], samples = samples}
  end
end

--- Every family of `snapshot`: the engine's, the rules', then the sources'.
function M.families(snapshot, info)
  local families = engine_families(snapshot.engine, info or {})
  local rules = {}
  for i, r in ipairs(snapshot.rules) do rules[i] = r end
  table.sort(rules, function(a, b) return a.name < b.name end)  -- Stable output for diffing scrapes.
  for _, spec in ipairs(RULE_FAMILIES) do
    families[#families + 1] = per_rule(spec[1], spec[2], spec[3], spec[4], rules)
  end
  local enabled = per_rule("eventrunner_rule_enabled", "gauge", "1 when the rule is enabled, else 0.", "enabled", rules)
  for _, sample in ipairs(enabled.samples) do sample.value = sample.value and 1 or 0 end
  families[#families + 1] = enabled
  for _, source in ipairs(snapshot.extra or {}) do source_families(source.figures, source.specs, families) end
  return families
end

return M
