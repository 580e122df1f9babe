-- er.inspect: what `why`, `trace` and `state` show (docs/traces.md), as data with its
-- text, for the control API (/api/rules/{name}/why, /api/traces, /api/state) and the
-- commands built on it. The answers are built from facts (er.why's shape) by the pure
-- functions below, so a running engine (M.new) and a state file read without one
-- (er.inspect_offline) answer alike.
--
--   local inspect = require("er.inspect").new(E)
--   inspect.why(rule) -> {rule=, identity=, trace=, text=, records=}
--   inspect.traces(rule | nil, outcome | nil, limit | nil) -> {traces = {...}, text=}
--   inspect.state() -> {devices=, globals=, rules=, text=}

local why = require("er.why")
local trace = require("er.trace")
local util = require("er.util")

local M = {}

--- What a rule listens to (er.state_notes.listens' entries), with when each device
--- property last changed (changed(id, property) -> ms | nil) and each event type was
--- last posted (posted(type) -> ms | nil), for er.why.
function M.listen_facts(listens, changed, posted)
  local out = {}
  for i, l in ipairs(listens or {}) do
    local fact = {text = l.text}
    if l.device ~= nil then
      fact.last, fact.label, fact.never = changed(l.device, l.property), "last change", "no change yet"
    elseif l.event ~= nil then
      fact.last, fact.label, fact.never = posted(l.event), "last posted", "never posted"
    end
    out[i] = fact
  end
  return out
end

--- One line of `trace`: "07:40:11  hall_night  false  hall_motion.value false → true  `x` was false".
function M.record_line(name, rec, clock, device_name)
  local parts = {clock(rec.at), name, rec.outcome, why.trigger_text(rec.trigger, device_name)}
  if rec.detail then parts[#parts + 1] = rec.detail end
  if rec.reason then parts[#parts + 1] = "(" .. rec.reason .. ")" end
  if rec.error then parts[#parts + 1] = rec.error end
  return table.concat(parts, "  ")
end

--- The answer of `trace` from records that carry their rule's name (rec.rule), newest
--- first, cut to `limit`; the text lists them oldest first.
function M.traces_answer(list, limit, clock, device_name)
  table.sort(list, trace.newer)
  if limit and #list > limit then for i = #list, limit + 1, -1 do list[i] = nil end end
  local lines = {}
  for i = #list, 1, -1 do lines[#lines + 1] = M.record_line(list[i].rule, list[i], clock, device_name) end
  return {traces = list, text = table.concat(lines, "\n")}
end

--- The answer of `trace` over `rules` (each with a name): records(rule, outcome, limit)
--- gives a rule's records, from the engine or from a state file.
function M.traces_of(rules, records, outcome, limit, clock, device_name)
  local list = {}
  for _, r in ipairs(rules) do
    for _, rec in ipairs(records(r, outcome, limit)) do
      rec.rule = r.name
      list[#list + 1] = rec
    end
  end
  return M.traces_answer(list, limit, clock, device_name)
end

--- The globals of `state` ({name=, value=}), sorted by name.
function M.sorted_globals(globals)
  local out = {}
  for name, value in pairs(globals) do out[#out + 1] = {name = name, value = value} end
  table.sort(out, function(a, b) return a.name < b.name end)
  return out
end

--- The text of `state` from its data ({devices=, globals=, rules=}).
function M.state_text(s, clock)
  local canonical = util.canonical
  local lines = {"devices:"}
  for _, d in ipairs(s.devices) do
    lines[#lines + 1] = string.format("  %-20s %-12s %s  last change %s", d.name, canonical(d.value),
      d.available and "available" or "unavailable", d.changed and clock(d.changed) or "-")
  end
  lines[#lines + 1] = "globals:"
  for _, g in ipairs(s.globals) do lines[#lines + 1] = "  $" .. g.name .. " = " .. canonical(g.value) end
  lines[#lines + 1] = "rules:"
  for _, r in ipairs(s.rules) do
    lines[#lines + 1] = string.format("  %-20s %-8s last run %s  next %s%s", r.name, r.enabled and "enabled" or "disabled",
      r.last_run and clock(r.last_run) or "-", r.next and clock(r.next * 1000) or "-",
      r.error and ("  error: " .. r.error) or "")
  end
  return table.concat(lines, "\n")
end

--- Devices in id order: numbers first, then strings.
function M.by_id(a, b)
  if type(a.id) ~= type(b.id) then return type(a.id) == "number" end
  return a.id < b.id
end

--- The latest of a device's change times ({property = ms}), or nil.
function M.last_change(changed)
  local latest = nil
  for _, ms in pairs(changed or {}) do if latest == nil or ms > latest then latest = ms end end
  return latest
end

function M.new(E)
  local I = {}

  local function clock(ms) return E.G.osdate("%H:%M:%S", ms // 1000) end

  local function device_name(id)
    local dev = E.devices.get(id)
    return dev and dev.name
  end

  local function changed(id, property)
    local dev = E.devices.get(id)
    return dev and dev.changed[property]
  end

  local function posted(event_type) return E.core.posted_at[event_type] end

  function I.why(rule)
    local records = E.trace.records(rule)
    local facts = {name = rule.name, enabled = rule.enabled, error = rule.disabled_error,
                   started = E.trace.started_ms(), records = records, since_ran = E.trace.since_ran(rule),
                   listens = M.listen_facts(E.notes.listens(rule), changed, posted), device_name = device_name,
                   trace = E.trace.mode(rule)}
    return {rule = rule.name, identity = rule.identity, trace = E.trace.mode(rule),
            text = why.paragraph(facts, clock), records = records}
  end

  function I.traces(rule, outcome, limit)
    local rules = {}
    if rule then rules[1] = rule else for _, r in pairs(E.rules) do rules[#rules + 1] = r end end
    return M.traces_of(rules, E.trace.records, outcome, limit, clock, device_name)
  end

  local function last_run(rule)
    local ran = E.trace.records(rule, "ran", 1)[1]
    return ran and ran.at
  end

  function I.state()
    local s = {devices = {}, globals = M.sorted_globals(E.er.globals), rules = {}}
    for _, dev in E.devices.each() do
      s.devices[#s.devices + 1] = {id = dev.id, name = dev.name, value = dev.values.value,
                                   available = dev.values.available ~= false, changed = M.last_change(dev.changed)}
    end
    table.sort(s.devices, M.by_id)
    local ids = {}
    for id in pairs(E.rules) do ids[#ids + 1] = id end
    table.sort(ids)
    for _, id in ipairs(ids) do
      local rule = E.rules[id]
      local info = rule:info()
      s.rules[#s.rules + 1] = {name = rule.name, identity = rule.identity, enabled = rule.enabled,
                               error = rule.disabled_error, last_run = last_run(rule), next = info.next}
    end
    s.text = M.state_text(s, clock)
    return s
  end

  return I
end

return M
