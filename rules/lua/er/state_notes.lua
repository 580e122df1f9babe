-- er.state_notes: what the engine notes in the state file for readers without it
-- (`eventrunner why|trace|state --state FILE` when no engine answers; docs/traces.md).
-- The traces, device values and change times, globals and rule flags are in the file
-- anyway; what only the running engine knows is noted here: which rules exist and what
-- each listens to, when each would run next, the names of the devices, when each event
-- type was last posted, the engine's zone and start-up time.
--
--   local notes = require("er.state_notes").new(base, core, store, devices, sched, trace, time)
--   notes.listens(rule)       -> {{text=, device=, property=} | {text=, event=} | {text=}, ...}
--   notes.write_all(rules)    every rule of `rules` (id -> rule): after a load or reload,
--                             at shutdown; notes of rules no longer there are erased
--   notes.write_rules(list)   the events note and the notes of the rules in `list`
--                             (after a trace flush: those rules just evaluated)
--
-- Notes (JSON texts): "engine" = {started= (epoch ms), zone=, rules = {identity, ...},
-- devices = {[id text] = {name=, value=, available=, changed= (epoch ms)}}} (written
-- with all rules; the device table of the file is fresher, but holds only properties
-- that changed); "events" = {saved= (epoch ms),
-- posted = {type = ms}} (also after each trace flush); "rule:<identity>" = {id=
-- (definition order), name=,
-- identity=, listens=, schedule = {text, ...}, next = epoch seconds | nil, trace = mode,
-- since_ran = n}. Written off the hot path only: a load, a reload, a trace flush (at most
-- every two seconds) and shutdown.

local serial = require("er.serial")

local M = {}

M.RULE_PREFIX = "rule:"

function M.new(base, core, store, devices, sched, trace, time)
  local N = {}
  local epoch_ms = base.native.epoch_ms
  local noted = {}  -- identity -> true for the rule notes this engine wrote

  --- What `rule` listens to: device properties, events, globals and variables, then
  --- its timed triggers ("daily 07:00").
  function N.listens(rule)
    local keys, out = {}, {}
    for key in pairs(rule.keys) do keys[#keys + 1] = key end
    table.sort(keys)
    for _, key in ipairs(keys) do
      local id_text, property = key:match("^device/(.*)/([^/]*)$")
      if id_text then
        local id = math.tointeger(tonumber(id_text)) or id_text
        local dev = devices.get(id)
        out[#out + 1] = {text = (dev and dev.name or id_text) .. "." .. property, device = id, property = property}
      else
        local kind, name = key:match("^(%a+)/(.*)$")
        if kind == "event" then out[#out + 1] = {text = "#" .. name, event = name}
        elseif kind == "global" then out[#out + 1] = {text = "$" .. name}
        else out[#out + 1] = {text = name or key} end
      end
    end
    local described = sched.describe(rule)
    for _, text in ipairs(described or {}) do out[#out + 1] = {text = text} end
    return out
  end

  local function rule_note(rule)
    local schedule, next_at = sched.describe(rule)
    return {id = rule.id, name = rule.name, identity = rule.identity, listens = N.listens(rule), schedule = schedule,
            next = next_at, trace = trace.mode(rule), since_ran = trace.since_ran(rule)}
  end

  local function last_change(dev)
    local latest = nil
    for _, ms in pairs(dev.changed) do if latest == nil or ms > latest then latest = ms end end
    return latest
  end

  local function engine_note(rules)
    local names = {}
    for _, dev in devices.each() do
      local id_text, value = serial.encode(dev.id), dev.values.value
      if type(value) == "table" or type(value) == "function" or type(value) == "userdata" then
        value = serial.encode(value) or tostring(value)
      end
      if id_text then
        names[id_text] = {name = dev.name, value = value, available = dev.values.available ~= false,
                          changed = last_change(dev)}
      end
    end
    local identities = {}
    for _, rule in pairs(rules) do
      if rule.identity then identities[#identities + 1] = rule.identity end
    end
    table.sort(identities)
    return {started = trace.started_ms(), zone = time.zone(), rules = identities, devices = names}
  end

  -- Small and written often: when each event type was last posted.
  local function events_note()
    local posted = {}
    for t, ms in pairs(core.posted_at) do posted[t] = ms end
    return {saved = epoch_ms(), posted = posted}
  end

  function N.write_all(rules)
    local entries = {engine = engine_note(rules), events = events_note()}
    local current = {}
    for _, rule in pairs(rules) do
      local identity = rule.identity
      if identity then
        current[identity] = true
        entries[M.RULE_PREFIX .. identity] = rule_note(rule)
      end
    end
    for identity in pairs(noted) do
      if not current[identity] then entries[M.RULE_PREFIX .. identity] = false end
    end
    noted = current
    store.put_info(entries)
  end

  function N.write_rules(list)
    local entries = {events = events_note()}
    for _, rule in ipairs(list) do
      if rule.identity and noted[rule.identity] then entries[M.RULE_PREFIX .. rule.identity] = rule_note(rule) end
    end
    store.put_info(entries)
  end

  -- A restarted engine knows when events were last posted before it started.
  local function restore_posts()
    local events = store.info("events")
    for t, ms in pairs(events and events.posted or {}) do
      if core.posted_at[t] == nil and math.type(ms) == "integer" then core.posted_at[t] = ms end
    end
  end
  restore_posts()

  base.on_reset(function() noted = {} end)
  return N
end

return M
