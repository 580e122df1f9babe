-- er.store: persistence (spec §5.3, docs/engine-internals.md §4.4). `$name` globals,
-- each device's last known properties, each rule's enabled flag and the runtime error
-- that disabled a rule live in the native state store (SQLite in production) and are
-- restored at start-up. Rules are keyed by identity (docs/eventscript.md#rule-names-and-identity).
--
-- Every write reaches the native store synchronously, before R.pset (or the er.globals
-- assignment) returns: the native call returns only once the write is durable against
-- the process being killed, so a rule that got past `$x = v` may rely on it. Memory
-- keeps a private deep copy of each `$name` value, so reads need no decoding; the
-- serialised text of each stored value is kept too, so a write of an unchanged value
-- skips the disk.

--
--   local store = require("er.store").new(base, core)
--
-- fills R.pget, R.pset and er.globals, and returns the store: load(), flush(),
-- device_changed(id, property, value, at), device_state(id), device_times(id),
-- info(key), put_info({key = text | false}), rule_enabled(identity, flag),
-- rule_flag(identity), rule_error(identity), put_rule_error(identity, message, hash),
-- clear_rule_error(identity). Changes of `$name` go out through core.emit; the device flush is
-- armed with core.timer.

local serial = require("er.serial")
local util = require("er.util")

local M = {}

function M.new(base, core)
  local native, R, log = base.native, base.R, base.log
  local encode, decode = serial.encode, serial.decode
  local deep_copy, deep_equal = util.deep_copy, util.deep_equal
  local type, pairs, pcall, next = type, pairs, pcall, next

  local globals = {}       -- name -> private copy of the value
  local global_texts = {}  -- name -> its text as stored
  local device_texts = {}  -- serialised id -> {property -> text as stored}
  local rule_flags = {}    -- rule identity -> enabled, as stored
  local rule_errors = {}   -- rule identity -> {message=, hash=}, as stored
  local trace_texts = {}   -- rule identity -> {outcome -> JSON text of its records}, as stored
  local device_times = {}  -- serialised id -> {property -> epoch ms of its last change}, as stored
  local info_texts = {}    -- key -> JSON text of the engine's notes (er.state_notes), as stored

  local store = {}

  -- Hosts watching `$globals` (er.mqtt publishes them): fn(name, value) after a change.
  local global_watchers = {}
  function store.on_global(fn) global_watchers[#global_watchers + 1] = fn end

  local function copy_of(v)
    if type(v) == "table" then return deep_copy(v) end
    return v
  end

  -- Stores `$name = value` (nil deletes), then posts the change. → nil, or the error
  -- message when the value is not storable or the store failed (nothing changed then).
  local function write_global(name, value)
    local text, what = nil, nil
    if value ~= nil then
      text, what = encode(value)
      if text == nil then return "$" .. name .. ": " .. what .. " cannot be stored" end
    end
    if text ~= global_texts[name] then
      local ok, err = native.store_put_global(name, text)
      if not ok then return "$" .. name .. ": " .. err end
      global_texts[name] = text
    end
    local old, copy = globals[name], copy_of(value)
    globals[name] = copy
    if not deep_equal(old, copy) then
      core.emit({type = "global", name = name, value = copy_of(copy), old = old}, globals)
      for i = 1, #global_watchers do global_watchers[i](name, copy) end
    end
    return nil
  end

  --- `$name`: a fresh copy of the stored value (nil if never assigned). Scalars need
  --- no copy, which keeps this cheap on rule paths.
  function R.pget(name)
    local v = globals[name]
    if type(v) == "table" then return deep_copy(v) end
    return v
  end

  --- `$name = value` (RI §4.1): checks storability, stores a deep copy durably, posts
  --- {type="global", name=, value=, old=} when not deep-equal to the old value.
  function R.pset(name, value, p)
    local err = write_global(name, value)
    if err ~= nil then base.fail(p, err) end
    return value
  end

  -- er.globals (spec §12): `$` variables for the host, with the same copies and events.
  base.er.globals = setmetatable({}, {
    __index = function(_, name) return R.pget(name) end,
    __newindex = function(_, name, value)
      if type(name) ~= "string" then error("er.globals: a name must be a string", 2) end
      local err = write_global(name, value)
      if err ~= nil then error(err, 2) end
    end,
    __pairs = function()
      local snapshot = {}
      for name, v in pairs(globals) do snapshot[name] = copy_of(v) end
      return next, snapshot, nil
    end,
  })

  -- EventRunner7's functions for the HC3's global variables, over `$` globals:
  -- global(name) creates $name (as "", the HC3's empty value) and returns true, or
  -- false when it exists; deleteglobal(name) deletes it; listglobals() lists the names,
  -- sorted.
  local function global_name(fn, name)
    if type(name) ~= "string" then error(fn .. ": expected a name (a string), got " .. type(name), 3) end
    return name
  end
  function base.G.global(name)
    if globals[global_name("global", name)] ~= nil then return false end
    local err = write_global(name, "")
    if err ~= nil then error(err, 2) end
    return true
  end
  function base.G.deleteglobal(name)
    local err = write_global(global_name("deleteglobal", name), nil)
    if err ~= nil then error(err, 2) end
  end
  function base.G.listglobals()
    local names = {}
    for name in pairs(globals) do names[#names + 1] = name end
    table.sort(names)
    return names
  end

  local function decoded(text, what)
    local ok, value = pcall(decode, text)
    if ok then return true, value end
    log("error", "state store: " .. what .. " ignored: " .. value)
    return false
  end

  --- Loads everything stored, replacing what memory holds; restores the globals. A
  --- failing store or an unreadable value is logged, not raised: the engine then starts
  --- with what it could read.
  -- State files written before rules had identities keep flags under RULE<n>, the
  -- definition order, which names another rule after any edit of the rules files: they
  -- are dropped once, with one line saying so (RULE<n> cannot be a rule's name).
  local function drop_numbered_flags()
    local dropped = 0
    for identity in pairs(rule_flags) do
      if identity:match("^RULE%d+$") and native.store_erase_rule(identity) then
        rule_flags[identity] = nil
        dropped = dropped + 1
      end
    end
    if dropped > 0 then
      log("info", string.format("state store: %d rule flag%s stored by rule number (RULE<n>) dropped; "
        .. "rules are now kept by name or source (their identity)", dropped, dropped == 1 and "" or "s"))
    end
  end

  function store.load()
    globals, global_texts, device_texts, rule_flags, rule_errors = {}, {}, {}, {}, {}
    local state, err = native.store_load()
    if state == nil then
      log("error", "state store: " .. err)
      return false
    end
    for name, text in pairs(state.globals) do
      local ok, value = decoded(text, "$" .. name)
      if ok then
        globals[name], global_texts[name] = value, text
      end
    end
    device_texts, rule_flags, rule_errors = state.devices, state.rules, state.rule_errors or {}
    trace_texts = state.traces or {}
    device_times, info_texts = state.device_changed or {}, state.info or {}
    drop_numbered_flags()
    return true
  end

  -- Device properties are written in batches: a change marks the property, and one
  -- flush at the end of the loop pass writes the last value of every marked property in
  -- one store transaction (all of the batch or none of it survives a crash). Flushes
  -- are at least FLUSH_SPACING_MS apart on the engine clock: a home whose devices
  -- report thousands of times a second would otherwise write once per pass, and a
  -- change made sooner is written when that time is over. A device reports its state
  -- again after a restart anyway, so the last moments before a crash may be lost; what
  -- must never be lost, the `$name` writes a rule was told about, is written before
  -- pset returns.
  -- Beside each marked value, when it changed (epoch ms), for offline readers.
  local pending, pending_at, flush_armed = {}, {}, false
  local FLUSH_SPACING_MS = 50
  local last_flush_ms = nil  -- When the last flush ran (engine clock).
  local NIL_VALUE = {}

  -- Appends id_text, property, text, changed_ms to `batch` when the value differs from
  -- what is stored (unstorable values are skipped).
  local id_texts = {}  -- device id (an integer or a string) -> encode(id)
  local function add_to_batch(batch, id, property, value, at)
    local id_text = id_texts[id]
    if id_text == nil then
      id_text = encode(id)
      if id_text ~= nil then id_texts[id] = id_text end
    end
    local text = encode(value)
    if id_text == nil or text == nil or type(property) ~= "string" then return end
    local properties = device_texts[id_text]
    if properties ~= nil and properties[property] == text then return end
    local n = #batch
    batch[n + 1], batch[n + 2], batch[n + 3], batch[n + 4] = id_text, property, text, math.tointeger(at) or 0
  end

  -- The store accepted `batch`: remember what it now holds.
  local function remember_batch(batch)
    for i = 1, #batch, 4 do
      local id_text = batch[i]
      local properties = device_texts[id_text]
      if properties == nil then
        properties = {}
        device_texts[id_text] = properties
      end
      properties[batch[i + 1]] = batch[i + 2]
      if batch[i + 3] ~= 0 then
        local times = device_times[id_text] or {}
        device_times[id_text] = times
        times[batch[i + 1]] = batch[i + 3]
      end
    end
  end

  --- Writes every marked device property now, as one batch (also called before the
  --- host exits).
  function store.flush()
    flush_armed = false
    last_flush_ms = native.epoch_ms()
    local marked, marked_at = pending, pending_at
    pending, pending_at = {}, {}
    local batch = {}
    for id, properties in pairs(marked) do
      local times = marked_at[id]
      for property, value in pairs(properties) do
        if value == NIL_VALUE then value = nil end
        add_to_batch(batch, id, property, value, times[property])
      end
    end
    if #batch == 0 then return end
    local ok, err = native.store_put_devices(batch)
    if not ok then
      local count = #batch // 4
      log("error", "state store: " .. count .. (count == 1 and " device property" or " device properties")
        .. " not stored: " .. err)
      return
    end
    remember_batch(batch)
    if base.logging.debug then
      log("debug", "state store: " .. #batch // 4 .. " device propert" .. (#batch == 4 and "y" or "ies") .. " written")
    end
  end

  -- Flushes at the end of this pass, or when FLUSH_SPACING_MS have passed since the
  -- last flush. A clock set backwards (a rule test's start) does not delay it.
  local function arm_flush()
    local since = last_flush_ms and native.epoch_ms() - last_flush_ms
    if since ~= nil and since >= 0 and since < FLUSH_SPACING_MS then
      core.timer(nil, FLUSH_SPACING_MS - since, store.flush)
    else
      native.at_pass_end(store.flush)
    end
  end

  --- A device property changed at `at` (epoch ms): marks it for the next flush
  --- (unstorable values are ignored then).
  function store.device_changed(id, property, value, at)
    local properties = pending[id]
    if properties == nil then
      properties = {}
      pending[id] = properties
      pending_at[id] = {}
    end
    if value == nil then value = NIL_VALUE end
    properties[property] = value
    pending_at[id][property] = at
    if not flush_armed then
      flush_armed = true
      arm_flush()
    end
  end

  --- The last stored properties of device `id` ({property = value}) or nil. A stored
  --- nil reads as an absent property.
  function store.device_state(id)
    local id_text = encode(id)
    local properties = id_text and device_texts[id_text]
    if properties == nil then return nil end
    local state = {}
    for property, text in pairs(properties) do
      local ok, value = decoded(text, "device " .. id_text .. " " .. property)
      if ok then state[property] = value end
    end
    return state
  end

  --- When the stored properties of device `id` last changed ({property = epoch ms}),
  --- for the properties whose time is stored, or nil.
  function store.device_times(id)
    local id_text = encode(id)
    return id_text and device_times[id_text]
  end

  --- Every stored device: {[id text] = {values = {property = value}, changed = {property = ms}}}.
  function store.all_devices()
    local out = {}
    for id_text in pairs(device_texts) do
      local ok, id = decoded(id_text, "device id " .. id_text)
      if ok then out[id_text] = {id = id, values = store.device_state(id) or {}, changed = device_times[id_text] or {}} end
    end
    return out
  end

  --- The engine's note `key` (its JSON text decoded), or nil.
  function store.info(key)
    local text = info_texts[key]
    if text == nil then return nil end
    local ok, value = pcall(util.json_decode, text)
    if ok then return value end
    log("error", "state store: note " .. key .. " ignored")
    return nil
  end

  --- The keys of the stored notes.
  function store.info_keys()
    local out = {}
    for key in pairs(info_texts) do out[#out + 1] = key end
    table.sort(out)
    return out
  end

  --- Stores notes ({key = value, ...}; false erases a key) as one transaction. The
  --- engine writes its notes for other readers only, so memory forgets what it wrote
  --- (a note per rule would cost every rule memory) and keeps only what was loaded.
  function store.put_info(entries)
    local flat = {}
    for key, value in pairs(entries) do
      local ok, text = true, ""
      if value ~= false then ok, text = pcall(util.json_encode, value) end
      if ok then
        flat[#flat + 1], flat[#flat + 2] = key, text
        info_texts[key] = nil
      end
    end
    if #flat == 0 then return end
    local ok, err = native.store_put_info(flat)
    if not ok then log("error", "state store: notes not stored: " .. tostring(err)) end
  end

  --- A rule was enabled or disabled (the rules module calls this): stores the flag by
  --- the rule's identity.
  function store.rule_enabled(identity, flag)
    if type(identity) ~= "string" then return end
    flag = flag and true or false
    if rule_flags[identity] == flag then return end
    local ok, err = native.store_put_rule(identity, flag)
    if not ok then
      log("error", "state store: rule " .. identity .. ": " .. err)
      return
    end
    rule_flags[identity] = flag
  end

  --- The stored enabled flag of rule `identity`, or nil if none was stored.
  function store.rule_flag(identity) return rule_flags[identity] end

  --- The stored runtime error that disabled rule `identity`: {message=, hash=} or nil.
  function store.rule_error(identity) return rule_errors[identity] end

  --- Stores the runtime error that disabled rule `identity` (one line) and the hash of
  --- the rule's source then.
  function store.put_rule_error(identity, message, hash)
    local ok, err = native.store_put_rule_error(identity, message, hash)
    if not ok then
      log("error", "state store: rule " .. identity .. ": " .. err)
      return
    end
    rule_errors[identity] = {message = message, hash = hash}
  end

  --- Forgets the runtime error of rule `identity` (enabled again, or its source changed).
  function store.clear_rule_error(identity)
    if rule_errors[identity] == nil then return end
    local ok, err = native.store_erase_rule_error(identity)
    if not ok then
      log("error", "state store: rule " .. identity .. ": " .. err)
      return
    end
    rule_errors[identity] = nil
  end

  --- The stored trace records of rule `identity` ({outcome -> {record, ...}}, newest
  --- first), or nil. Unreadable lists are logged and skipped.
  function store.traces(identity)
    local texts = trace_texts[identity]
    if texts == nil then return nil end
    local out = {}
    for outcome, text in pairs(texts) do
      local ok, list = pcall(util.json_decode, text)
      if ok and type(list) == "table" then out[outcome] = list
      else log("error", "state store: traces of " .. identity .. " (" .. outcome .. ") ignored") end
    end
    return out
  end

  --- Every stored rule identity with traces, and its lists ({identity -> {outcome -> list}}).
  function store.all_traces()
    local out = {}
    for identity in pairs(trace_texts) do out[identity] = store.traces(identity) end
    return out
  end

  --- Writes trace lists ({{identity=, outcome=, text=}, ...}, `text` the JSON array of
  --- the records, newest first) as one transaction.
  function store.put_traces(batch)
    local flat = {}
    for _, entry in ipairs(batch) do
      local text = entry.text
      flat[#flat + 1], flat[#flat + 2], flat[#flat + 3] = entry.identity, entry.outcome, text
      local texts = trace_texts[entry.identity] or {}
      texts[entry.outcome] = text
      trace_texts[entry.identity] = texts
    end
    local ok, err = native.store_put_traces(flat)
    if not ok then log("error", "state store: traces not stored: " .. tostring(err)) end
  end

  -- A reset (test.start) forgets what memory holds; the native store keeps its data.
  base.on_reset(function()
    globals, global_texts, device_texts, rule_flags, rule_errors, trace_texts = {}, {}, {}, {}, {}, {}
    device_times, info_texts = {}, {}
    pending, pending_at, flush_armed, last_flush_ms = {}, {}, false, nil
  end)

  store.load()
  return store
end

return M
