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
-- device_changed(id, property, value), device_state(id), rule_enabled(identity, flag),
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
    drop_numbered_flags()
    return true
  end

  -- Device properties are written in batches: a change marks the property, and one
  -- flush on the next loop pass writes the last value of every marked property in one
  -- store transaction (all of the batch or none of it survives a crash). A device
  -- reports its state again after a restart anyway, so the last pass before a crash
  -- may be lost; what must never be lost, the `$name` writes a rule was told about, is
  -- written before pset returns.
  local pending, flush_armed = {}, false
  local NIL_VALUE = {}

  -- Appends id_text, property, text to `batch` when the value differs from what is
  -- stored (unstorable values are skipped).
  local function add_to_batch(batch, id, property, value)
    local id_text, text = encode(id), encode(value)
    if id_text == nil or text == nil or type(property) ~= "string" then return end
    local properties = device_texts[id_text]
    if properties ~= nil and properties[property] == text then return end
    batch[#batch + 1], batch[#batch + 2], batch[#batch + 3] = id_text, property, text
  end

  -- The store accepted `batch`: remember what it now holds.
  local function remember_batch(batch)
    for i = 1, #batch, 3 do
      local id_text = batch[i]
      local properties = device_texts[id_text]
      if properties == nil then
        properties = {}
        device_texts[id_text] = properties
      end
      properties[batch[i + 1]] = batch[i + 2]
    end
  end

  --- Writes every marked device property now, as one batch (also called before the
  --- host exits).
  function store.flush()
    flush_armed = false
    local marked = pending
    pending = {}
    local batch = {}
    for id, properties in pairs(marked) do
      for property, value in pairs(properties) do
        if value == NIL_VALUE then value = nil end
        add_to_batch(batch, id, property, value)
      end
    end
    if #batch == 0 then return end
    local ok, err = native.store_put_devices(batch)
    if not ok then
      local count = #batch // 3
      log("error", "state store: " .. count .. (count == 1 and " device property" or " device properties")
        .. " not stored: " .. err)
      return
    end
    remember_batch(batch)
  end

  --- A device property changed: marks it for the next flush (unstorable values are
  --- ignored then).
  function store.device_changed(id, property, value)
    local properties = pending[id]
    if properties == nil then
      properties = {}
      pending[id] = properties
    end
    if value == nil then value = NIL_VALUE end
    properties[property] = value
    if not flush_armed then
      flush_armed = true
      core.timer(nil, 0, store.flush)
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

  -- A reset (test.start) forgets what memory holds; the native store keeps its data.
  base.on_reset(function()
    globals, global_texts, device_texts, rule_flags, rule_errors = {}, {}, {}, {}, {}
    pending, flush_armed = {}, false
  end)

  store.load()
  return store
end

return M
