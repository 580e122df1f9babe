-- er.why: a rule's recent history in sentences, from its trace records (docs/traces.md).
-- Pure functions of data, so that a running engine and a state file read offline say
-- the same things.
--
--   why.paragraph(facts, clock) -> text
--
-- facts = {name=, enabled=, error= (the line that disabled it, or nil), started= (ms),
--          records = {record, ...} (newest first, er.trace_explain.data's shape),
--          since_ran = n (evaluations since the last run, if more than the records),
--          listens = {{text=, last= ms | nil, label= "last change" | "last posted",
--                       never= text | nil}, ...},
--          device_name = fn(id) -> name | nil, trace = the rule's trace mode}
-- clock(ms) -> "HH:MM:SS" in the engine's local time.

local M = {}

local MAX_TIMES = 5  -- Times listed per reason before "and N more".

local function value_text(v)
  if v == nil then return "nil" end
  return tostring(v)
end

-- Triggers that are the engine's, not events a user posts: said in words, not as `#type`.
local ENGINE_TRIGGERS = {daily = "its time of day", interval = "its interval", manual = "a start by hand",
                         error = "an error outside a run"}

-- "hall_motion.value false → true"; a change from nothing (a device event such as a
-- key press, a first value) is "hall_remote.centralSceneEvent = {...}".
local function change_text(subject, old, new)
  if old == nil then return subject .. " = " .. value_text(new) end
  return subject .. " " .. value_text(old) .. " → " .. value_text(new)
end

--- What triggered a record, in words: "hall_motion.value false → true".
function M.trigger_text(trigger, device_name)
  if trigger == nil then return "unknown" end
  if trigger.type == "device" then
    local name = device_name and device_name(trigger.id) or tostring(trigger.id)
    return change_text(name .. "." .. tostring(trigger.property), trigger.old, trigger.new)
  end
  if trigger.type == "global" then return change_text("$" .. tostring(trigger.name), trigger.old, trigger.new) end
  if trigger.type == "variable" then return change_text(tostring(trigger.name), trigger.old, trigger.new) end
  return ENGINE_TRIGGERS[trigger.type] or ("#" .. tostring(trigger.type))
end

-- "07:12, 07:40 (3 times), 08:03" (oldest first; evaluations within one second are
-- one time with their count; at most MAX_TIMES times, then "and N more").
local function times_text(list, clock)
  local texts, counts = {}, {}
  for _, ms in ipairs(list) do
    local text = clock(ms)
    if texts[#texts] == text then counts[#texts] = counts[#texts] + 1
    else texts[#texts + 1], counts[#texts + 1] = text, 1 end
  end
  local shown = {}
  for i = 1, math.min(#texts, MAX_TIMES) do
    local n = counts[i]
    shown[i] = n == 1 and texts[i] or (texts[i] .. (n == 2 and " (twice)" or (" (" .. n .. " times)")))
  end
  local text = table.concat(shown, ", ")
  if #texts > MAX_TIMES then text = text .. " and " .. (#texts - MAX_TIMES) .. " more" end
  return text
end

-- What one record says about why the action did not run: a group key, the head and
-- the tail of its words ("the condition was false", "because `x` was false").
local function reason_of(rec)
  if rec.outcome == "false" then
    return "false|" .. tostring(rec.detail), "the condition was false", rec.detail and ("because " .. rec.detail) or ""
  end
  if rec.outcome == "suppressed" then
    local by = rec.reason == "since" and "`since` was still waiting" or ("`" .. tostring(rec.reason) .. "` held it back")
    return "suppressed|" .. tostring(rec.reason), "the run was suppressed", "because " .. by
  end
  if rec.outcome == "error" then return "error|" .. tostring(rec.error), "it failed", "with " .. tostring(rec.error) end
  if rec.outcome == "cancelled" then
    return "cancelled|" .. tostring(rec.reason), "the run was cancelled", "(" .. tostring(rec.reason) .. ")"
  end
  return "ran", "it ran", ""
end

-- "the condition was false each time because ... at 07:12, 07:40" or, with several
-- reasons, each with its times.
local function reasons_text(list, clock)
  local groups, order = {}, {}
  for i = #list, 1, -1 do  -- Oldest first, so times read in order.
    local key, head, tail = reason_of(list[i])
    local g = groups[key]
    if g == nil then g = {head = head, tail = tail, times = {}}; groups[key] = g; order[#order + 1] = key end
    g.times[#g.times + 1] = list[i].at
  end
  -- A group with the head of the one before it continues its sentence: "the condition
  -- was false because `a` was false at 07:12, and because `b` was false at 07:40".
  local text, previous_head = "", nil
  for _, key in ipairs(order) do
    local g = groups[key]
    local each = (#order == 1 and #g.times > 1) and " each time" or ""
    local tail = g.tail ~= "" and (" " .. g.tail) or ""
    local times = " at " .. times_text(g.times, clock)
    if g.head == previous_head and g.tail ~= "" then
      text = text .. ", and " .. g.tail .. times
    else
      text = text .. (previous_head and "; " or "") .. g.head .. each .. tail .. times
    end
    previous_head = g.head
  end
  return text .. "."
end

local function times_word(n)
  if n == 1 then return "once" end
  if n == 2 then return "twice" end
  return n .. " times"
end

local function listens_text(listens, clock)
  if listens == nil or #listens == 0 then return "" end
  local parts = {}
  for i, l in ipairs(listens) do
    local note = l.last and ((l.label or "last change") .. " " .. clock(l.last)) or l.never
    parts[i] = note and (l.text .. " (" .. note .. ")") or l.text
  end
  local text = table.concat(parts, ", ", 1, #parts - 1)
  if #parts > 1 then text = text .. " and " .. parts[#parts] else text = parts[1] end
  return ": it listens to " .. text
end

-- The first sentence about the rule's switch, or nil when it is enabled.
local function switch_sentence(facts, clock)
  if facts.error then
    local at = nil
    for _, rec in ipairs(facts.records) do
      if rec.outcome == "error" then at = rec.at; break end
    end
    return string.format("%s was disabled by an error%s: %s.", facts.name, at and (" at " .. clock(at)) or "",
      facts.error)
  end
  if facts.enabled == false then return facts.name .. " is disabled." end
  return nil
end

--- The paragraph `why` prints.
function M.paragraph(facts, clock)
  local out = {}
  out[#out + 1] = switch_sentence(facts, clock)
  local records, last_ran, since = facts.records or {}, nil, {}
  for _, rec in ipairs(records) do
    if rec.outcome == "ran" then last_ran = rec; break end
    since[#since + 1] = rec
  end
  if last_ran then
    out[#out + 1] = string.format("%s last ran %s (%s).", facts.name, clock(last_ran.at),
      M.trigger_text(last_ran.trigger, facts.device_name))
    if #since == 0 then
      out[#out + 1] = "It has not been triggered since."
    else
      local n = math.max(#since, facts.since_ran or 0)
      out[#out + 1] = "Since then it was triggered " .. times_word(n) .. "; " .. reasons_text(since, clock)
    end
  elseif #records == 0 and facts.trace == "off" then
    out[#out + 1] = string.format("%s is not traced (trace \"off\"), so there is no record of its runs%s.",
      facts.name, listens_text(facts.listens, clock))
  elseif #records == 0 then
    out[#out + 1] = string.format("%s has not been triggered since start-up (%s)%s.", facts.name,
      clock(facts.started or 0), listens_text(facts.listens, clock))
  else
    local n = math.max(#since, facts.since_ran or 0)
    out[#out + 1] = string.format("%s has not run since start-up (%s): it was triggered %s; %s", facts.name,
      clock(facts.started or 0), times_word(n), reasons_text(since, clock))
  end
  return table.concat(out, " ")
end

return M
