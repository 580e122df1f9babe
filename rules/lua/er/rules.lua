-- er.rules: variables, patterns, definitions (spec §5, §6.2, §7.3) and rule objects,
-- er.eval and the rest of the host API of §12 that is about rules.
--
--   local rules = require("er.rules").new(base, core, devices, store, sched, trace)
--
-- fills R.gv, R.gs, R.match, ... , er.eval, er.rule, er.enable, ... and G.wait,
-- ..., and returns the object:
--
--   rules.by_id, rules.by_name, rules.by_identity
--                                 rule objects by id, name and identity (kept, cleared in place)
--   rules.trigger_vars            set of trigger variable names
--   rules.eval(src, opts), rules.rule(src, opts), rules.eval_tracked(src, opts, on_done)
--   rules.define_rules_file(text, file, opts) -> defined, failed
--   rules.prepare(item, opts, file, text, warn) -> rule | nil, problem   (no side effects)
--   rules.install(rule, opts) -> rule | nil, problem; rules.discard(rule); rules.remove(rule)
--   rules.run_script(item, file, text) -> run; rules.unknown_names(item, file, text)
--   rules.trigger_var_list        the declared trigger variables, in declaration order
--   rules.check_names() -> count of warnings
--   rules.rule_error(rule, err)   disables the rule and reports (core's on_rule_error)
--   rules.script_error(run, record)                           (core's on_script_error)

local errors = require("er.errors")
local util = require("er.util")
local identity = require("er.rule_identity")

local M = {}

local UNSUPPORTED = {}

-- Names that exist once home.lua configures them.
local NEEDS_CONFIG = {weather = "the weather object needs weather = {...} in home.lua"}

local COMPARE = {
  ["=="] = function(a, b) return a == b end, ["~="] = function(a, b) return a ~= b end,
  ["<"] = function(a, b) return a < b end, ["<="] = function(a, b) return a <= b end,
  [">"] = function(a, b) return a > b end, [">="] = function(a, b) return a >= b end,
}
local OPERATORS = {"==", "~=", "<=", ">=", "<>", "<", ">"}

-- A "$..." pattern field parsed once: {name=, op=, text=}.
local capture_cache = setmetatable({}, {__mode = "k"})
local function parse_capture(want)
  local spec = capture_cache[want]
  if spec then return spec end
  local name = want:match("^%$([%a_][%w_]*)") or ""
  local rest = want:sub(#name + 2)
  local op, text = nil, nil
  for _, candidate in ipairs(OPERATORS) do
    if rest:sub(1, #candidate) == candidate then op, text = candidate, rest:sub(#candidate + 1); break end
  end
  spec = {name = name, op = op, text = text}
  capture_cache[want] = spec
  return spec
end

-- The `$v<op><text>` test of §7.3.
local function constraint_holds(op, have, text)
  if op == "<>" then return string.find(tostring(have), text) ~= nil end
  local a, b = tonumber(have), tonumber(text)
  if a ~= nil and b ~= nil then return COMPARE[op](a, b) end
  if op == "==" then return tostring(have) == text end
  if op == "~=" then return tostring(have) ~= text end
  return false
end

local match_value
-- Every key of pattern table `want` (but `type` at the top) matches in `have`.
local function match_fields(want, have, bound, top)
  for key, w in pairs(want) do
    if top and key == "topic" and have.type == "mqtt" and type(w) == "string" and w:byte(1) ~= 36 then
      -- `#mqtt{topic = 'home/+/door/#'}`: a topic filter, with MQTT's wildcards.
      if type(have.topic) ~= "string" or not util.mqtt_topic_matches(w, have.topic) then return false end
    elseif not (top and key == "type") and not match_value(w, have[key], bound) then
      return false
    end
  end
  return true
end

function match_value(want, have, bound)
  local tw = type(want)
  if tw == "string" and want:byte(1) == 36 then  -- "$"
    if have == nil then return false end
    if want == "$" then return true end
    local spec = parse_capture(want)
    if spec.op and not constraint_holds(spec.op, have, spec.text) then return false end
    if spec.name ~= "" then
      if bound[spec.name] ~= nil and bound[spec.name] ~= have then return false end
      bound[spec.name] = have
    end
    return true
  end
  if tw == "table" then
    if type(have) == "table" then return match_fields(want, have, bound, false) end
    for _, element in pairs(want) do
      if element == have then return true end
    end
    return false
  end
  return want == have
end

--- True when `event` matches `pattern` as an `#event{...}` trigger would (same type,
--- every pattern field, `$captures`); the captures are not kept.
function M.match_event(pattern, event)
  if type(pattern) ~= "table" or type(event) ~= "table" or pattern.type ~= event.type then return false end
  return match_fields(pattern, event, {}, true)
end

function M.new(base, core, devices, store, sched, trace)
  local native, R, log, fail = base.native, base.R, base.log, base.fail
  local vars, NIL, G = base.vars, base.NIL, base.G
  local warned_names = {}

  local by_id, by_name, by_identity = {}, {}, {}
  local next_id, chunk_count = 1, 0
  local trigger_var_list, trigger_vars = {}, {}
  local er = base.er
  er.opts = {verbosity = "normal"}
  local O = {by_id = by_id, by_name = by_name, by_identity = by_identity, trigger_vars = trigger_vars,
             trigger_var_list = trigger_var_list}

  -- Variables (§5.1, §5.2) -------------------------------------------------------------

  function R.gv(name, p)
    local v = vars[name]
    if v ~= nil then
      if v == NIL then return nil end
      return v
    end
    v = G[name]
    if v ~= nil then return v end
    local dev = devices.named(name)  -- A device named in home.lua is a variable too.
    if dev ~= nil then return dev.id end
    if UNSUPPORTED[name] then fail(p, "Undefined variable: '" .. name .. "' (not supported yet)") end
    if NEEDS_CONFIG[name] then fail(p, "Undefined variable: '" .. name .. "' (" .. NEEDS_CONFIG[name] .. ")") end
    fail(p, "Undefined variable: '" .. name .. "'")
  end

  -- A script that gives a device's name another value hides the device: said once.
  local function check_device_name(name, value)
    local dev = devices.named(name)
    if dev ~= nil and dev.id ~= value and not warned_names[name] then
      warned_names[name] = true
      log("warn", string.format("'%s' is set to %s, but the home names device %s '%s'; "
        .. "rules now see %s", name, util.canonical(value), util.canonical(dev.id), name, util.canonical(value)))
    end
  end

  function R.gs(name, value)
    if vars[name] == nil and devices.named(name) then check_device_name(name, value) end
    if trigger_vars[name] then
      local old = vars[name]
      if old == NIL then old = nil end
      vars[name] = value == nil and NIL or value
      if value ~= old then core.emit({type = "variable", name = name, value = value, old = old}, vars) end
      return value
    end
    if value == nil then vars[name] = NIL else vars[name] = value end
    return value
  end

  function R.coalesce(a, b)
    if a == nil then return b end
    return a
  end

  R.str = tostring

  -- a === b (ER6's match operator): the match of Lua pattern b in tostring(a), or nil.
  function R.strmatch(a, pattern, p)
    if type(pattern) ~= "string" and type(pattern) ~= "number" then
      fail(p, "'===' needs a pattern string on its right, got a " .. type(pattern) .. " value")
    end
    local ok, found = pcall(string.match, tostring(a), pattern)
    if not ok then fail(p, "'===': " .. tostring(found)) end  -- "malformed pattern (...)"
    return found
  end

  function R.iter(t, p)
    if type(t) ~= "table" then fail(p, "attempt to iterate over a " .. type(t) .. " value") end
    local n, i, key = #t, 0, nil
    return function()
      if i < n then i = i + 1; return i, t[i] end
      repeat
        key = next(t, key)
      until key == nil or not (math.type(key) == "integer" and key >= 1 and key <= n)
      if key ~= nil then return key, t[key] end
    end
  end

  function R.event(name, fields) fields.type = name; return fields end

  function R.match(env, k)
    local event = env.event
    local pattern = env.run and env.run.rule and env.run.rule.patterns and env.run.rule.patterns[k]
    if event == nil or pattern == nil or type(event) ~= "table" or event.type ~= pattern.type then return false end
    local bound = {}
    if not match_fields(pattern, event, bound, true) then return false end
    local cap = env.cap
    for name, value in pairs(bound) do cap[name] = value end
    return event
  end

  -- Loading and locating compiled items ---------------------------------------------

  local function file_name(opts) return opts.file or opts.name or "eval" end

  -- Loads one compiled item; returns its descriptor. `text` is the whole compiled source.
  local function load_item(item, file, text)
    chunk_count = chunk_count + 1
    local chunk_name = "er:" .. chunk_count
    local fn, err = load(item.lua, "=" .. chunk_name, "t", {})
    if fn == nil then
      -- A Lua limit the compiler does not count (more than 255 upvalues): said at the
      -- item, as a definition error, never as an internal one.
      local message = "Lua cannot load this code (" .. tostring(err):gsub("^[^\n]-:%d+: ", "")
        .. "); split it into smaller rules or functions"
      return nil, native.format_diagnostic(file, text, item.line or 1, item.col or 1, message)
    end
    local descriptor = fn(R)
    -- A fresh, small table: what error messages need, with the line map packed into a
    -- string until an error needs it (the compiled item as a whole would cost more
    -- heap than the rule itself).
    local kept = {source = item.source, line = item.line, col = item.col, file = file, chunk = chunk_count,
                  positions_text = table.concat(descriptor.positions, " "),
                  line_map_text = item.line_map, hash = item.source_hash, key = identity.file_key(file),
                  label = item.name, kind = item.source_kind}
    if text ~= item.source then kept.text = text end
    errors.register(chunk_count, kept)
    return descriptor, kept
  end

  -- A definition-time error (§13.1 shape) from an xpcall record.
  local function definition_error(item, record)
    local where = errors.locate(errors.record_of(record), item)
    return native.format_diagnostic(item.file, item.text or item.source, where.line, where.col, where.message)
  end

  local function verbosity_of(opts) return opts.verbosity or er.opts.verbosity or "normal" end

  -- Rule objects (§12) -----------------------------------------------------------------

  -- Rule objects keep only what every rule needs as raw fields (a rule is the engine's
  -- per-rule memory cost); the rest is created when first needed, and `src` and
  -- `stats` are computed on read.
  local Rule = {}
  local RuleMeta = {__name = "rule", __tostring = function(rule) return rule.name end}
  -- A method read from a rule is bound to it, so that EventRunner7's `r.start()` works
  -- as `r:start()` does: the rule itself as first argument is taken as `self`.
  local function bound(rule, method)
    return function(first, ...)
      if first == rule then return method(rule, ...) end
      return method(rule, first, ...)
    end
  end
  function RuleMeta.__index(rule, key)
    local method = Rule[key]
    if method ~= nil then return bound(rule, method) end
    if key == "stats" then return {triggered = rule.triggered, fired = rule.fired, errors = rule.errors} end
    if key == "src" then return rule.item.source end
    if key == "d" then return rule end  -- The descriptor, once kept (keep_descriptor).
    return nil
  end

  local function persist_flag(rule) store.rule_enabled(rule.identity, rule.enabled) end

  -- Enabling a rule forgets the error that disabled it.
  local function forget_error(rule)
    if rule.disabled_error == nil then return end
    rule.disabled_error = nil
    store.clear_rule_error(rule.identity)
  end

  -- §8.7 disable: ignore triggers; cancel suspended runs, timers, posts and ramps; reset
  -- per-occurrence state. The run calling it continues until it ends or suspends.
  -- Hosts watching rule switches (er.mqtt publishes them): fn(rule) after a change.
  local switch_watchers = {}
  local function switched(rule)
    for i = 1, #switch_watchers do switch_watchers[i](rule) end
  end
  function O.on_switch(fn) switch_watchers[#switch_watchers + 1] = fn end

  local function disable(rule)
    if not rule.enabled then return end
    rule.enabled = false
    switched(rule)
    for run in pairs(rule.runs or {}) do core.cancel_run(run) end
    local current = core.current_run()
    if current and current.rule == rule then core.cancel_run(current) end
    if rule.timers then core.cancel_all_timers(rule.timers) end
    rule.state = nil
    sched.cancel(rule)
  end

  local function enable(rule)
    if rule.enabled or rule.removed then return end
    rule.enabled = true
    switched(rule)
    sched.plan(rule, {catchup = false})
  end

  function Rule.enable(rule) enable(rule); forget_error(rule); persist_flag(rule); return rule end
  function Rule.disable(rule) disable(rule); persist_flag(rule); return rule end

  function Rule.start(rule, ev)
    local run = core.start_run(rule, ev or {type = "manual"}, nil, true)
    if run and run.done and run.results then return table.unpack(run.results, 1, run.results.n) end
  end

  function Rule.info(rule)
    local triggers, count = {}, 0
    for key in pairs(rule.keys) do triggers[#triggers + 1] = key end
    table.sort(triggers)
    local described, next_time = sched.describe(rule)
    for _, text in ipairs(described or {}) do triggers[#triggers + 1] = text end
    for _ in pairs(rule.runs or {}) do count = count + 1 end
    local item = rule.item
    return {id = rule.id, name = rule.name, identity = rule.identity, group = rule.group, enabled = rule.enabled,
            triggers = triggers, runs = count, next = next_time, file = item.key, line = item.line,
            source = item.source, error = rule.disabled_error}
  end

  -- Where and what a rule's error is, and its log text. Formatting must not fail
  -- (an error object may be anything): if it does, the rule's own position and the
  -- reason stand in, so every error is reported, counted and disables its rule.
  local function describe_rule_error(rule, record)
    local ok, where = pcall(errors.locate, record, rule.item)
    if not ok then
      where = {item = rule.item, line = rule.item.line, col = rule.item.col,
               message = "an error that could not be shown (" .. errors.error_text(where) .. ")"}
    end
    local shown, text = pcall(errors.runtime_text, "[" .. rule.name .. "] ", where)
    if not shown then
      text = string.format("[%s] %s:%d:%d: runtime error: %s", rule.name, tostring(rule.item.file), where.line,
        where.col, (tostring(where.message):gsub("[%c\128-\255]", "?")))
    end
    return where, text
  end

  local function handle_rule_error(rule, record)
    local where, text = describe_rule_error(rule, errors.record_of(record))
    rule.errors = rule.errors + 1
    log("error", text)
    disable(rule)
    persist_flag(rule)
    -- Kept with the rule's source hash: the rule stays disabled across restarts until
    -- its source changes (docs/eventscript.md#rule-names-and-identity).
    rule.disabled_error = identity.error_line(text, rule.name)
    store.put_rule_error(rule.identity, rule.disabled_error, rule.item.hash)
    log("error", "[" .. rule.name .. "] disabled")
    core.emit({type = "rule_error", rule = rule.name, message = where.message})
  end

  --- A runtime error of `rule` (core's on_rule_error hook, wired by engine.lua): `err`
  --- is an xpcall record from errors.handler or a raw error value.
  O.rule_error = handle_rule_error

  function O.script_error(run, record)
    local where = errors.locate(errors.record_of(record), run.item)
    run.failed = true
    run.error_text = errors.runtime_text("[eval] ", where)
    log("error", run.error_text)
  end

  -- Definition (§6.2) -------------------------------------------------------------------

  local function add_device_keys(keys, property, x)
    local ids = type(x) == "table" and x or {x}
    for _, id in ipairs(ids) do keys["device/" .. tostring(id) .. "/" .. property] = true end
  end

  -- Steps (2) and (3) of §6.2: trigger sources and device checks. Returns a list of
  -- diagnostics (empty when all is well).
  -- An action's access through a global name (`hall_light:turnon`): when the name
  -- names a device now, an access that device does not support is warned about (the
  -- name could name another device by the time the action runs, so it is no error).
  local function check_by_name(item, name, property, mode, p, warn)
    local id = vars[name]
    if id == nil then
      local dev = devices.named(name)
      id = dev and dev.id
    end
    if id == nil or devices.get(id) == nil then return end
    local fine, record = xpcall(devices.check, errors.handler, id, property, mode, p)
    if not fine then warn((definition_error(item, record):gsub(": error: ", ": warning: ", 1):gsub("\n$", ""))) end
  end

  local function log_warning(text) log("warn", text) end

  local function collect_sources(rule, env, warn)
    local d, item, problems = rule.d, rule.item, {}
    for _, key in ipairs(d.triggers or {}) do rule.keys[key] = true end
    if d.replan then
      rule.replan_keys = {}
      for _, key in ipairs(d.replan) do rule.replan_keys[key] = true end
    end
    if d.trigger_fn then
      local ok, result = xpcall(d.trigger_fn, errors.handler, env)
      if not ok then return {definition_error(item, result)} end
      for _, access in ipairs(result.devices or {}) do add_device_keys(rule.keys, access[1], access[2]) end
      if result.patterns and #result.patterns > 0 then rule.patterns = result.patterns end
    end
    if d.checks then
      local ok, list = xpcall(d.checks, errors.handler, env)
      if not ok then return {definition_error(item, list)} end
      -- X may be nil (an unassigned `$name`), so the list is walked by its name field.
      local i = 1
      while list[i + 1] ~= nil do
        local x, mode = list[i], list[i + 2]
        local by_name = mode:match("^name_(.*)")
        if by_name then
          check_by_name(item, x, list[i + 1], by_name, list[i + 3], warn or log_warning)
        else
          local fine, record = xpcall(devices.check, errors.handler, x, list[i + 1], mode, list[i + 3])
          if not fine then problems[#problems + 1] = definition_error(item, record) end
        end
        i = i + 4
      end
    end
    return problems
  end

  local function subscribe(rule)
    for key in pairs(rule.keys) do core.subscribe(rule, key) end
    for key in pairs(rule.replan_keys or {}) do core.subscribe_replan(rule, key) end
  end

  -- Hosts watching the rule set (er.mqtt subscribes to the topics of #mqtt patterns):
  -- fn(rule, true) after a definition, fn(rule, false) after a removal.
  local set_watchers = {}
  local function rule_set_changed(rule, added)
    for i = 1, #set_watchers do set_watchers[i](rule, added) end
  end
  function O.on_rule_set(fn) set_watchers[#set_watchers + 1] = fn end

  local function remove(rule)
    rule.removing = true  -- Its runs are cancelled by the reload, not by a user (traces).
    disable(rule)
    rule.removed = true
    rule_set_changed(rule, false)
    core.unsubscribe_all(rule)
    by_id[rule.id] = nil
    if by_name[rule.name] == rule then by_name[rule.name] = nil end
    if by_identity[rule.identity] == rule then by_identity[rule.identity] = nil end
    errors.unregister(rule.item.chunk)
  end
  O.remove = remove

  -- What a rule keeps of its descriptor: the functions and flags the engine reads
  -- after the definition, as fields of the rule itself (rule.d is the rule), so a
  -- rule is one table; trigger_fn, checks and the trigger lists are not kept. What
  -- traces need (the traced twin of `cond`, its term list) is compiled when the rule is
  -- first traced: traced_twin below.
  -- `single` and `nowait` are read on every run, so they are kept as booleans: a field
  -- that is absent would be looked up through the metatable each time. `d` is then
  -- the rule itself, through the metatable (no field of its own).
  local KEPT = {"cond", "action", "bounded", "daily", "edges", "interval"}
  local function keep_descriptor(rule, d)
    for _, field in ipairs(KEPT) do
      if d[field] ~= nil then rule[field] = d[field] end
    end
    rule.single, rule.nowait = d.single == true, d.nowait == true
    rule.d = nil
  end

  -- The Lua lines and mark kinds of a line map ("lua_line kind line col ..."), without
  -- the source positions, which follow a rule that moved in its file.
  local function map_shape(text, count)
    local shape = {}
    for lua_line, kind in text:gmatch("(%S+) (%S+) %S+ %S+") do
      shape[#shape + 1] = lua_line .. " " .. kind
      if count and #shape == count then break end
    end
    return shape
  end

  -- Whether the code of `item` begins with the code `kept` was loaded from: the same
  -- source and, line for line, the same generated Lua (the compiler puts what traces
  -- need after the rest, codegen_rule.cpp traced_tail).
  local function extends(item, kept)
    if item.source_hash ~= kept.hash then return false end
    local old = map_shape(kept.line_map_text)
    local new = map_shape(item.line_map, #old)
    if #new ~= #old then return false end
    for i = 1, #old do if old[i] ~= new[i] then return false end end
    return true
  end

  --- The descriptor of `rule` compiled again with what traces need (cond_traced, terms,
  --- debounce), or nil. Rules are compiled without it, since most of them are never
  --- traced beyond their outcomes and it would cost every idle rule about 900 B of heap;
  --- er.trace asks for it on the rule's first traced evaluation. The source is compiled
  --- as when the rule was defined (a rules file whole, since its rules' positions are
  --- the file's), the new chunk is loaded under the rule's chunk name, and the rule's
  --- line map and positions become the new compile's (a superset of the old ones).
  -- The traced compiles of the last moments, by source text and kind: the rules of one
  -- file are usually first evaluated close together (at start-up, by one event), and
  -- each would otherwise compile the whole file again. Forgotten a second after the
  -- first compile, so that the compiled files do not stay on the heap.
  local twin_compiles, twin_forget_armed = {}, false

  local function forget_twin_compiles()
    twin_compiles, twin_forget_armed = {}, false
  end

  -- The rule items of the traced compile of `kept`'s source, by "line:col".
  local function traced_items(kept)
    local kind = kept.kind or "rules_file"
    local text = kept.text or kept.source
    local by_kind = twin_compiles[kind]
    if by_kind == nil then by_kind = {}; twin_compiles[kind] = by_kind end
    local items = by_kind[text]
    if items == nil then
      items = {}
      local compiled = native.compile(text, {file = kept.file, kind = kind, trigger_variables = trigger_var_list})
      for _, item in ipairs(compiled or {}) do
        if item.kind == "rule" then items[item.line .. ":" .. item.col] = item end
      end
      by_kind[text] = items
      if not twin_forget_armed then
        twin_forget_armed = true
        core.timer(nil, 1000, forget_twin_compiles)
      end
    end
    return items
  end

  local function traced_twin(rule)
    local kept = rule.item
    local item = traced_items(kept)[kept.line .. ":" .. kept.col]
    if item == nil or not extends(item, kept) then return nil end
    local fn = load(item.lua, "=er:" .. kept.chunk, "t", {})
    local d = fn and fn(R)
    if d == nil or d.cond_traced == nil then return nil end
    kept.line_map_text, kept.positions_text = item.line_map, table.concat(d.positions, " ")
    kept.line_shift, kept.marks, kept.positions = nil, nil, nil
    return d
  end
  trace.on_twin(traced_twin)

  local function new_rule(item, opts, descriptor)
    return setmetatable({d = descriptor, item = item, group = opts.group, enabled = true, triggered = 0,
      fired = 0, errors = 0, keys = {}, verbose = verbosity_of(opts) == "verbose" or (base.logging.debug and "debug"),
      patterns = false,
      trace = false}, RuleMeta)
  end

  local function first_line(text) return (text:match("^[^\n]*"):gsub("\r$", "")) end

  -- Defines one compiled rule; returns the rule or nil and the diagnostics text.
  -- Nothing is left behind by a failed definition; a replaced rule (same name) is
  -- removed only once its successor is defined (§6.2).
  -- Unknown names (docs/reference.md#defining-a-rule) ---------------------------------

  -- A name a rule reads or calls should be a local, a variable, a device, a built-in or
  -- a global some defined item assigns. One that is none of these is warned about when
  -- the rule is defined (the rule is still defined: reading it is a runtime error, as
  -- ever, unless something assigns it first). Within a home the check waits until every
  -- rules file is defined (a file may use what a later one assigns): check_names.
  local assigned = {}   -- names assigned by the items defined so far
  local deferred = {}   -- {rule=, item=} waiting for check_names

  local function note_assigned(item)
    for _, use in ipairs(item.assigned_names or {}) do assigned[use.name] = true end
  end

  local function is_known(name, extra)
    return assigned[name] or (extra ~= nil and extra[name]) or vars[name] ~= nil or trigger_vars[name] ~= nil or devices.named(name) ~= nil
        or G[name] ~= nil
  end

  -- Names worth suggesting for a misspelt one.
  local function name_candidates()
    local names = {}
    for _, name in ipairs(devices.names()) do names[name] = true end
    for name in pairs(vars) do names[name] = true end
    for name in pairs(assigned) do names[name] = true end
    for name in pairs(trigger_vars) do names[name] = true end
    for name in pairs(base.dynamic) do names[name] = true end
    for name in pairs(G) do names[name] = true end
    return names
  end

  -- The diagnostics of the unknown names `item` uses, or nil. `extra`: a set of names
  -- also known (those a reload's new items assign).
  local function unknown_names(item, file, text, extra)
    local out
    for _, use in ipairs(item.free_names or {}) do
      if not is_known(use.name, extra) then
        local what = use.call and "function" or "name"
        local message = string.format("unknown %s '%s': not a device, variable or function%s", what, use.name,
          util.did_you_mean(use.name, name_candidates()))
        out = (out or "") .. native.format_diagnostic(file, text, use.line, use.col, message, "warning")
      end
    end
    return out
  end

  O.unknown_names = unknown_names

  -- The identity of a rule defined without one from its file (er.eval, er.rule): its
  -- name, or its file and source, with `#n` when a live rule has that identity already.
  local function identity_for(rule, opts)
    local name = opts.name or rule.item.label
    if name then return name end
    local base_identity = identity.unnamed(rule.item.key, rule.item.hash)
    local candidate, n = base_identity, 1
    while by_identity[candidate] ~= nil do
      n = n + 1
      candidate = base_identity .. "#" .. n
    end
    return candidate
  end

  -- A rule's switch as stored for its identity: disabled by the user, or by a runtime
  -- error of this very source. A changed source is enabled again: the error was the old
  -- source's.
  local function restore_switch(rule)
    local stored = store.rule_error(rule.identity)
    if stored ~= nil and stored.hash ~= rule.item.hash then
      store.clear_rule_error(rule.identity)
      store.rule_enabled(rule.identity, true)
      stored = nil
    end
    if store.rule_flag(rule.identity) == false then rule.enabled = false end
    if stored == nil then return end
    if rule.enabled then store.clear_rule_error(rule.identity); return end
    rule.disabled_error = stored.message
    log("warn", "[" .. rule.name .. "] stays disabled by an earlier error: " .. stored.message)
  end

  --- The steps of a definition that change nothing (§6.2 steps 1-3): loads the item,
  --- finds its trigger sources and checks its device accesses. Returns the rule, not yet
  --- live, or nil and the diagnostics text. `warn(text)` gets warnings (default: the
  --- log). A prepared rule is installed or discarded.
  function O.prepare(item, opts, file, text, warn)
    local descriptor, kept = load_item(item, file, text)
    if descriptor == nil then return nil, kept end
    local rule = new_rule(kept, opts, descriptor)
    local problems = collect_sources(rule, {cap = {}, defining = true}, warn)
    if #problems > 0 then
      errors.unregister(kept.chunk)
      return nil, table.concat(problems)
    end
    keep_descriptor(rule, descriptor)
    return rule
  end

  --- Forgets a prepared rule that will not be installed.
  function O.discard(rule) errors.unregister(rule.item.chunk) end

  --- Makes a prepared rule live (§6.2 steps 4-6): its id, name and identity
  --- (opts.identity, else identity_for), its stored switch, subscriptions and timers
  --- (with catch-up). Replaces a live rule of the same name once it is defined.
  function O.install(rule, opts)
    local kept = rule.item
    rule.id = next_id
    rule.name = opts.name or kept.label or ("RULE" .. rule.id)
    rule.identity = opts.identity or identity_for(rule, opts)
    local replaced = by_name[rule.name]
    restore_switch(rule)
    trace.attach(rule)
    subscribe(rule)
    by_id[rule.id] = rule
    next_id = next_id + 1
    if rule.enabled then
      local ok, record = xpcall(sched.plan, errors.handler, rule, {catchup = true})
      if not ok then
        remove(rule)
        next_id = next_id - 1
        return nil, definition_error(kept, record)
      end
    end
    if replaced then remove(replaced) end
    by_name[rule.name] = rule
    by_identity[rule.identity] = rule
    rule_set_changed(rule, true)
    return rule
  end

  local function define_rule(item, opts, file, text)
    note_assigned(item)
    local rule, problem = O.prepare(item, opts, file, text)
    if rule == nil then return nil, problem end
    rule, problem = O.install(rule, opts)
    if rule == nil then return nil, problem end
    if opts.defer_names then
      deferred[#deferred + 1] = {rule = rule, item = item, file = file, text = text}
    else
      local names = unknown_names(item, file, text)
      if names then log("warn", (names:gsub("\n$", ""))) end
    end
    if verbosity_of(opts) ~= "silent" then
      log("info", "[" .. rule.name .. "] defined: " .. first_line(identity.display_source(rule.item.source)))
    end
    return rule
  end
  O.define_rule = define_rule

  -- Logs a definition problem (a diagnostic block) as an error; returns nil, text.
  local function report(text)
    log("error", (text:gsub("\n$", "")))
    return nil, text
  end

  -- Runs a compiled script in a new task (§4.7, RI §8); returns the run. `on_done`,
  -- if given, is called with the run when it ends (also after suspending).
  local function run_script(item, file, text, on_done)
    note_assigned(item)
    local descriptor, kept = load_item(item, file, text)
    if descriptor == nil then
      report(kept)
      return {done = true, failed = true, error_text = kept}
    end
    local run = {cap = {}, keep_results = true, item = kept, on_done = on_done}
    run.run, run.env = run, run
    core.spawn(run, descriptor.run)
    return run
  end

  O.run_script = run_script

  -- er.eval's results for a script run: its values, nothing if it suspended, or nil
  -- and the error text.
  local function script_results(run)
    if not run.done then return end
    if run.failed then return nil, run.error_text end
    return table.unpack(run.results, 1, run.results.n)
  end


  -- Compiles without what traces need (traced_twin); each rule item remembers how its
  -- source was compiled, for traced_twin.
  local function compile(src, opts, kind)
    if type(src) ~= "string" then error("eval: expected a string, got " .. type(src), 3) end
    local items, diagnostics = native.compile(src, {file = file_name(opts), kind = kind, trigger_variables = trigger_var_list,
                                                    trace_terms = false})
    for _, item in ipairs(items or {}) do item.source_kind = kind end
    return items, diagnostics
  end

  -- Defines one compiled item of `src`: ("rule", rule), ("run", the script's run) or
  -- ("error", nil, the reported text).
  local function define_compiled(item, src, opts, on_done)
    if item.kind == "rule" then
      local rule, problem = define_rule(item, opts, file_name(opts), src)
      if rule == nil then return "error", report(problem) end
      return "rule", rule
    end
    return "run", run_script(item, file_name(opts), src, on_done)
  end

  -- Compiles `src` and defines its item, as define_compiled, or ("none") for an empty
  -- source.
  local function define_item(src, opts, kind, on_done)
    local items, diagnostics = compile(src, opts, kind)
    if items == nil then return "error", report(diagnostics) end
    if items[1] == nil then return "none" end
    return define_compiled(items[1], src, opts, on_done)
  end

  -- er.eval's results for what define_item did.
  local function eval_results(what, value, problem)
    if what == "run" then return script_results(value) end
    if what == "error" then return nil, problem end
    return value
  end

  function O.eval(src, opts)
    opts = opts or {}
    return eval_results(define_item(src, opts, "definition"))
  end

  --- er.eval for hosts that must know when a script that suspended ends (the eval
  --- command): returns the script's run (nil for a rule or an error) and er.eval's
  --- results packed; `on_done(run)` is called when the run ends.
  function O.eval_tracked(src, opts, on_done)
    local what, value, problem = define_item(src, opts or {}, "definition", on_done)
    if what == "run" then return value, table.pack(script_results(value)) end
    return nil, table.pack(eval_results(what, value, problem))
  end

  -- er.rule (§12): a source that compiles as a script is "not a rule"; one that does
  -- not compile at all is compiled again as a rule, for the rule's diagnostics.
  function O.rule(src, opts)
    opts = opts or {}
    local items = compile(src, opts, "definition")
    local item = items and items[1]
    if item and item.kind == "rule" then return eval_results(define_compiled(item, src, opts)) end
    if item then
      return report(native.format_diagnostic(file_name(opts), src, item.line or 1, item.col or 1,
                                             "not a rule (no '=>')"))
    end
    return eval_results(define_item(src, opts, "rule"))
  end

  --- Warns about the unknown names of the rules that waited for the whole home.
  --- Returns how many warnings.
  function O.check_names()
    local count = 0
    for _, entry in ipairs(deferred) do
      local problem = not entry.rule.removed and unknown_names(entry.item, entry.file, entry.text)
      if problem then
        log("warn", (problem:gsub("\n$", "")))
        count = count + 1
      end
    end
    deferred = {}
    return count
  end

  --- The diagnostic of a rule name that another file of the home uses already, or nil.
  --- `names` maps each name defined so far to "file:line:col" of its label; the first
  --- definition keeps the name.
  function O.duplicate_name(item, file, text, names)
    local name = item.name
    if name == nil then return nil end
    local first = names[name]
    local here = identity.file_key(file) .. ":" .. item.name_line .. ":" .. item.name_col
    if first == nil then names[name] = here; return nil end
    return native.format_diagnostic(file, text, item.name_line, item.name_col,
      "rule name '" .. name .. "' is used twice in this home (first at " .. first .. ")")
  end

  --- Defines every item of a rules file (§6.2 per item). Returns the number of rules
  --- defined and the number of items that failed. opts.names: the rule names of the
  --- home so far (O.duplicate_name), when the file is one of a home's.
  function O.define_rules_file(text, file, opts)
    opts = opts or {}
    local items, diagnostics = native.compile(text, {file = file, kind = "rules_file", trigger_variables = trigger_var_list,
                                                     trace_terms = false})
    if items == nil then report(diagnostics); return 0, 1 end
    if diagnostics then log("warn", (diagnostics:gsub("\n$", ""))) end  -- Warnings: porting hazards.
    local identities = identity.of_items(items, identity.file_key(file))
    local defined, failed = 0, 0
    for i, item in ipairs(items) do
      local duplicate = opts.names and O.duplicate_name(item, file, text, opts.names)
      if duplicate then
        failed = failed + 1
        report(duplicate)
      elseif item.kind == "rule" then
        local rule, problem = define_rule(item, {group = opts.group, verbosity = opts.verbosity,
                                                 defer_names = opts.defer_names, identity = identities[i]}, file, text)
        if rule then defined = defined + 1 else failed = failed + 1; report(problem) end
      elseif run_script(item, file, text).failed then
        failed = failed + 1
      end
    end
    return defined, failed
  end

  -- Selecting rules for enable/disable (§11): nil = the current rule; a rule; an id; a
  -- group name; else the rule of that name.
  local function select_rules(x)
    if x == nil then
      local run = core.current_run()
      return {run and run.rule}
    end
    if getmetatable(x) == RuleMeta then return {x} end
    if type(x) == "number" then return {by_id[x]} end
    if type(x) == "string" then
      local list = {}
      for id = 1, next_id - 1 do
        local rule = by_id[id]
        if rule and rule.group == x then list[#list + 1] = rule end
      end
      if #list > 0 then return list end
      return {by_name[x]}
    end
    return {}
  end

  local function apply(x, fn)
    local count = 0
    for _, rule in pairs(select_rules(x)) do fn(rule); count = count + 1 end
    return count
  end

  -- Host API and built-ins ----------------------------------------------------------

  er.eval, er.rule = O.eval, O.rule
  function er.rules()
    local all = {}
    for id, rule in pairs(by_id) do all[id] = rule end
    return all
  end
  function er.getRule(x)
    if type(x) == "number" then return by_id[x] end
    return by_name[x] or by_identity[x]
  end
  function er.enable(x) return apply(x, Rule.enable) end
  function er.disable(x) return apply(x, Rule.disable) end
  function er.triggerVar(name, initial)
    if not trigger_vars[name] then trigger_var_list[#trigger_var_list + 1] = name end
    trigger_vars[name] = true
    vars[name] = initial == nil and NIL or initial
  end
  er.vars = setmetatable({}, {
    __index = function(_, name)
      local v = vars[name]
      if v == NIL then return nil end
      return v
    end,
    __newindex = function(_, name, value) R.gs(name, value) end,
  })
  function er.define(name, fn) R.gs(name, fn) end
  function er.post(ev, t) return core.post_owned(nil, ev, t) end
  function er.cancel(h) return core.cancel(h) end
  function er.wait(t) return core.wait(t) end

  G.cancel = core.cancel
  G.wait = core.wait
  G.enable = er.enable
  G.disable = er.disable
  G.eval = O.eval
  G.rule = O.rule

  -- #startup (§8.10): on the first loop pass, after the host's initial definitions.
  local function post_startup() core.emit({type = "startup"}) end
  sys.timerStart(post_startup, 0)

  base.on_reset(function()
    forget_twin_compiles()  -- Its timer is cancelled with the others.
    assigned, deferred = {}, {}
    for _, rule in pairs(by_id) do disable(rule); rule.removed = true end
    -- Cleared in place: the façade (E.rules) and the scheduler hold these tables.
    for id in pairs(by_id) do by_id[id] = nil end
    for name in pairs(by_name) do by_name[name] = nil end
    for key in pairs(by_identity) do by_identity[key] = nil end
    next_id = 1
    for name in pairs(vars) do vars[name] = nil end
    for name in pairs(trigger_vars) do trigger_vars[name] = nil end
    for i = #trigger_var_list, 1, -1 do trigger_var_list[i] = nil end
    er.opts.verbosity = "normal"
    sys.timerStart(post_startup, 0)
  end)
  return O
end

return M
