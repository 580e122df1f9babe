-- er.inspect_offline: `why`, `trace` and `state` from a state file, without the engine
-- that wrote it (docs/traces.md, "Without a running engine"). The command reads the
-- file read-only into a memory store and boots an engine on it that loads no home and
-- starts no rule; this module answers from what the store holds: the trace records,
-- device values and change times, globals, rule flags and errors, and the notes the
-- engine wrote for such readers (er.state_notes: the rules and what each listens to,
-- when each would run next, the device names, when events were last posted).
--
--   local offline = require("er.inspect_offline").new(E)
--   offline.find(name_or_identity) -> rule note | nil
--   offline.why(note), offline.traces(note | nil, outcome, limit), offline.state()
-- Each returns the same shape as er.inspect's answers.

local inspect = require("er.inspect")
local trace = require("er.trace")
local why = require("er.why")
local serial = require("er.serial")
local notes_module = require("er.state_notes")

local M = {}

function M.new(E)
  local O = {}
  local store = E.store
  local engine = store.info("engine") or {}
  local events = store.info("events") or {}
  if type(engine.zone) == "string" then pcall(E.er.config, {tz = engine.zone}) end

  local function clock(ms) return E.G.osdate("%H:%M:%S", ms // 1000) end

  local noted_devices = engine.devices or {}  -- id text -> {name=, value=, available=, changed=}
  local function device_name(id)
    local id_text = serial.encode(id)
    local noted = id_text and noted_devices[id_text]
    return noted and noted.name
  end

  -- The rule identities of the engine's last note; a file written before notes existed
  -- lists the identities its traces and flags are kept under.
  local function identities()
    if type(engine.rules) == "table" then return engine.rules end
    local seen, out = {}, {}
    for identity in pairs(store.all_traces()) do seen[identity] = true end
    for _, identity in ipairs(store.info_keys()) do
      local id = identity:match("^" .. notes_module.RULE_PREFIX .. "(.*)$")
      if id then seen[id] = true end
    end
    for identity in pairs(seen) do out[#out + 1] = identity end
    table.sort(out)
    return out
  end

  local function note_of(identity)
    local note = store.info(notes_module.RULE_PREFIX .. identity) or {}
    note.identity = identity
    note.name = note.name or identity
    return note
  end

  local notes = {}
  for _, identity in ipairs(identities()) do notes[#notes + 1] = note_of(identity) end

  function O.find(key)
    for _, note in ipairs(notes) do if note.name == key then return note end end
    for _, note in ipairs(notes) do if note.identity == key then return note end end
    return nil
  end

  -- The stored records of a rule, newest first: of one outcome or all, at most `limit`.
  local function records(note, outcome, limit)
    local out = {}
    for name, list in pairs(store.traces(note.identity) or {}) do
      if outcome == nil or outcome == name then
        for _, rec in ipairs(list) do out[#out + 1] = rec end
      end
    end
    table.sort(out, trace.newer)
    if limit and #out > limit then for i = #out, limit + 1, -1 do out[i] = nil end end
    return out
  end

  local function enabled(note) return store.rule_flag(note.identity) ~= false end
  local function error_of(note)
    local stored = store.rule_error(note.identity)
    return stored and stored.message
  end

  local function changed(id, property)
    local times = store.device_times(id)
    return times and times[property]
  end
  local function posted(event_type) return (events.posted or {})[event_type] end

  function O.why(note)
    local list = records(note)
    local facts = {name = note.name, enabled = enabled(note), error = error_of(note), started = engine.started,
                   records = list, since_ran = note.since_ran,
                   listens = inspect.listen_facts(note.listens, changed, posted), device_name = device_name,
                   trace = note.trace}
    return {rule = note.name, identity = note.identity, trace = note.trace or "outcomes",
            text = why.paragraph(facts, clock), records = list}
  end

  function O.traces(note, outcome, limit)
    return inspect.traces_of(note and {note} or notes, records, outcome, limit, clock, device_name)
  end

  -- Every device the engine noted or the file stored: the stored values (written on
  -- every change) win over the engine's note (written with its rules).
  local function devices()
    local out, stored = {}, store.all_devices()
    for id_text, noted in pairs(noted_devices) do
      if stored[id_text] == nil then
        local ok, id = pcall(serial.decode, id_text)
        out[#out + 1] = {id = ok and id or id_text, name = noted.name, value = noted.value,
                         available = noted.available ~= false, changed = noted.changed}
      end
    end
    for id_text, dev in pairs(stored) do
      local noted = noted_devices[id_text] or {}
      local values = dev.values
      out[#out + 1] = {id = dev.id, name = noted.name or tostring(dev.id),
                       value = values.value == nil and noted.value or values.value,
                       available = (values.available == nil and noted.available or values.available) ~= false,
                       changed = inspect.last_change({inspect.last_change(dev.changed), noted.changed})}
    end
    table.sort(out, inspect.by_id)
    return out
  end

  function O.state()
    local s = {devices = devices(), globals = inspect.sorted_globals(E.er.globals), rules = {}}
    for _, note in ipairs(notes) do
      local ran = records(note, "ran", 1)[1]
      s.rules[#s.rules + 1] = {id = note.id, name = note.name, identity = note.identity, enabled = enabled(note),
                               error = error_of(note), last_run = ran and ran.at, next = note.next}
    end
    table.sort(s.rules, function(a, b)
      if a.id ~= b.id then return (a.id or math.huge) < (b.id or math.huge) end
      return a.name < b.name
    end)
    s.text = inspect.state_text(s, clock)
    return s
  end

  return O
end

return M
