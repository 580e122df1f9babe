-- er.reload: hot reload of a home's rules and devices (docs/operations.md#hot-reload,
-- DESIGN.md decision 14). A reload is a diff, not a restart: the new rule set is
-- compiled and checked in full in a shadow first, and only then applied by rule
-- identity (er.rule_identity), so rules that did not change keep their runs, timers
-- and state. The previous generation is kept, so a rollback is one step.
--
--   local reload = require("er.reload").new(base, rules, devices, trace)
--
--   reload.apply(sources, {dry_run=}) -> result
--   reload.rollback() -> result | nil, "no previous generation"
--   reload.check(files) -> {ok=, diagnostics=}        files = {["name.er"] = text}
--   reload.record(sources)      the sources a home load defined: generation 1
--   reload.current() -> the current generation's sources; reload.generation() -> n
--   reload.on_reload(fn)        fn(result) after every reload and rollback but dry runs
--
-- sources = {home = <home.lua's table>, files = {{name=, path=, text=}, ...} (name
-- order), devices = {<er.defineDevice spec>, ...}}; er.home reads them (it owns file
-- access). result = {ok=, dry_run=, generation=, summary = {unchanged=, changed=,
-- added=, removed=}, rules = {{identity=, name=, file=, line=, fate=}} (the per-rule
-- diff), diagnostics = {{file=, line=, col=, severity=, message=, text=}}}.
--
-- home.lua's `trace` table is applied by a reload (er.trace.reconfigure, before the new
-- rules are defined, so they take their modes from it); its `log_levels` are the host's
-- (er.cli applies them in its on_reload hook).

local identity = require("er.rule_identity")
local util = require("er.util")

local M = {}

-- Fields of home.lua a reload does not apply: they take effect at the next start.
local RESTART_FIELDS = {"location", "limits", "sandbox", "heap_limit", "simulation", "mqtt", "notify", "weather"}

-- Diagnostics ----------------------------------------------------------------------

local function diagnostic(file, line, col, severity, message, text)
  return {file = file, line = line or 1, col = col or 1, severity = severity, message = message,
          text = text or string.format("%s: %s: %s\n", file, severity, message)}
end

-- Splits diagnostic blocks ("<file>:<line>:<col>: <label>: <message>", the source
-- line, the caret) into diagnostics of `file`.
local function parse_blocks(text, file)
  local out, current = {}, nil
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    local l, c, label, message = line:match("^.-:(%d+):(%d+): ([%a ]+): (.*)$")
    if l ~= nil then
      local severity = label == "warning" and "warning" or "error"
      current = diagnostic(file, tonumber(l), tonumber(c), severity, message, line .. "\n")
      out[#out + 1] = current
    elseif current ~= nil and line ~= "" then
      current.text = current.text .. line .. "\n"
    end
  end
  if #out == 0 and text ~= "" then out[1] = diagnostic(file, 1, 1, "error", (text:gsub("\n$", ""))) end
  return out
end

local function append(list, more)
  for _, d in ipairs(more) do list[#list + 1] = d end
end

local function error_count(list)
  local n = 0
  for _, d in ipairs(list) do
    if d.severity == "error" then n = n + 1 end
  end
  return n
end

-- A multiset of keys: counts.
local function count_keys(keys)
  local counts = {}
  for _, key in ipairs(keys) do counts[key] = (counts[key] or 0) + 1 end
  return counts
end

function M.new(base, rules, devices, trace)
  local R = {}
  local native, log, er, logging = base.native, base.log, base.er, base.logging
  local function debug(text) if logging.debug then log("debug", text) end end
  local empty = {home = {}, files = {}, devices = {}}
  local current = {number = 0, sources = empty}
  local previous = nil
  local hooks = {}

  -- Devices ------------------------------------------------------------------------

  -- The device changes from `old` specs to `new` ones, by id: added, removed, renamed
  -- (a changed type is a removal and an addition). Problems go to `out`.
  local function device_plan(old, new, out)
    local plan, old_by_id, seen_ids, seen_names = {added = {}, removed = {}, renamed = {}}, {}, {}, {}
    for _, spec in ipairs(old) do old_by_id[spec.id] = spec end
    for i, spec in ipairs(new) do
      local where = "home.lua: devices[" .. i .. "]"
      local ok = type(spec) == "table" and spec.id ~= nil and type(spec.type) == "string"
      if not ok then
        out[#out + 1] = diagnostic("home.lua", 1, 1, "error", where .. ": a device needs an id and a type")
      elseif seen_ids[spec.id] or (spec.name ~= nil and seen_names[spec.name]) then
        out[#out + 1] = diagnostic("home.lua", 1, 1, "error", where .. ": id or name used twice")
      else
        seen_ids[spec.id], seen_names[spec.name or false] = true, true
        local before = old_by_id[spec.id]
        if before == nil or before.type ~= spec.type then
          if before ~= nil then plan.removed[#plan.removed + 1] = spec.id end
          plan.added[#plan.added + 1] = spec
        elseif before.name ~= spec.name then
          plan.renamed[#plan.renamed + 1] = {id = spec.id, name = spec.name, old = before.name}
        end
      end
    end
    for _, spec in ipairs(old) do
      if not seen_ids[spec.id] then plan.removed[#plan.removed + 1] = spec.id end
    end
    return plan
  end

  -- Applies a device plan and returns how to undo it: the shadow checks the new rules
  -- against the new devices, and a refused reload puts the old ones back. Nothing here
  -- posts an event or writes the store, so the engine cannot tell it happened.
  local function apply_devices(plan, out)
    local undo = {removed = {}, added = {}, renamed = {}}
    for _, id in ipairs(plan.removed) do undo.removed[#undo.removed + 1] = devices.remove(id) end
    for _, change in ipairs(plan.renamed) do
      devices.rename(change.id, change.name)
      undo.renamed[#undo.renamed + 1] = change
    end
    for _, spec in ipairs(plan.added) do
      local ok, err = pcall(devices.define, spec)
      if ok then
        undo.added[#undo.added + 1] = spec.id
      else
        out[#out + 1] = diagnostic("home.lua", 1, 1, "error", "home.lua: device " .. tostring(spec.id) .. ": "
          .. tostring(err):gsub("^.-:%d+: ", ""))
      end
    end
    return undo
  end

  local function undo_devices(undo)
    for _, id in ipairs(undo.added) do devices.remove(id) end
    for _, change in ipairs(undo.renamed) do devices.rename(change.id, change.old) end
    for _, dev in ipairs(undo.removed) do devices.restore(dev) end
  end

  -- home.lua fields that change and are not applied: said as warnings.
  local function restart_warnings(old, new, out)
    for _, field in ipairs(RESTART_FIELDS) do
      if not util.deep_equal(old[field], new[field]) then
        out[#out + 1] = diagnostic("home.lua", 1, 1, "warning", "home.lua: '" .. field
          .. "' changed; it takes effect at the next start")
      end
    end
  end

  -- Compiling ---------------------------------------------------------------------

  -- The trigger variables after the reload: those declared, and home.lua's new ones.
  local function trigger_variables(home)
    local list, seen = {}, {}
    for _, name in ipairs(rules.trigger_var_list) do list[#list + 1] = name; seen[name] = true end
    local added = {}
    for name in pairs(home.trigger_vars or {}) do
      if not seen[name] then added[#added + 1] = name end
    end
    table.sort(added)
    for _, name in ipairs(added) do list[#list + 1] = name end
    return list, added
  end

  -- Compiles every file: {file=, items=, identities=} per file, diagnostics to `out`.
  local function compile_files(files, variables, out)
    local compiled = {}
    for _, file in ipairs(files) do
      local items, _, list = native.compile(file.text, {file = file.path, kind = "rules_file",
                                                        trigger_variables = variables, trace_terms = false})
      if items == nil then
        for _, d in ipairs(list) do
          out[#out + 1] = diagnostic(file.name, d.line, d.col, d.severity, d.message, d.text)
        end
      else
        for _, d in ipairs(list or {}) do  -- Warnings: porting hazards.
          out[#out + 1] = diagnostic(file.name, d.line, d.col, d.severity, d.message, d.text)
        end
        local key = identity.file_key(file.name)
        compiled[#compiled + 1] = {file = file, items = items, identities = identity.of_items(items, key), key = key}
      end
    end
    return compiled
  end

  -- Script items by key ("<file>:<hash>"), for telling new scripts from old ones.
  local function script_keys(compiled)
    local keys = {}
    for _, unit in ipairs(compiled) do
      for _, item in ipairs(unit.items) do
        if item.kind == "script" then keys[#keys + 1] = unit.key .. ":" .. item.source_hash end
      end
    end
    return keys
  end

  -- The script keys of the current generation (compiled again once, when first asked).
  local function current_script_counts()
    if current.script_counts == nil then
      local compiled = compile_files(current.sources.files, rules.trigger_var_list, {})
      current.script_counts = count_keys(script_keys(compiled))
    end
    return current.script_counts
  end

  -- Marks each script item `rerun` unless the current generation has it (same file,
  -- same normalized source; each old one matches one new one).
  local function mark_scripts(compiled, old_counts)
    local left = {}
    for key, n in pairs(old_counts) do left[key] = n end
    for _, unit in ipairs(compiled) do
      for _, item in ipairs(unit.items) do
        if item.kind == "script" then
          local key = unit.key .. ":" .. item.source_hash
          item.rerun = (left[key] or 0) == 0
          if not item.rerun then left[key] = left[key] - 1 end
        end
      end
    end
  end

  -- The shadow --------------------------------------------------------------------

  -- Names the new items assign, and those that only scripts still to run assign.
  local function assigned_names(compiled)
    local all, by_new_scripts = {}, {}
    for _, unit in ipairs(compiled) do
      for _, item in ipairs(unit.items) do
        for _, use in ipairs(item.assigned_names or {}) do
          all[use.name] = true
          if item.kind == "script" and item.rerun then by_new_scripts[use.name] = true end
        end
      end
    end
    return all, by_new_scripts
  end

  -- A definition problem that only says a variable is undefined which a script still
  -- to run assigns: the rule can only be checked once the script ran.
  local function waits_for_script(problem, names)
    local name = problem:match("Undefined variable: '([%a_][%w_]*)'")
    return name ~= nil and names[name] and select(2, problem:gsub(": error: ", "")) == 1
  end

  -- Prepares one rule as a definition would, and throws it away: its problems and
  -- warnings go to `out`.
  local function check_rule(unit, item, pending, known, out)
    local file = unit.file
    local function warn(text) append(out, parse_blocks(text, file.name)) end
    local prepared, problem = rules.prepare(item, {verbosity = "silent"}, file.path, file.text, warn)
    if prepared ~= nil then
      rules.discard(prepared)
    elseif not waits_for_script(problem, pending) then
      append(out, parse_blocks(problem, file.name))
    end
    local names = rules.unknown_names(item, file.path, file.text, known)
    if names then append(out, parse_blocks(names, file.name)) end
  end

  -- Checks every item of the new set: duplicate names, definitions, unknown names.
  local function check_items(compiled, names, out)
    local known, pending = assigned_names(compiled)
    for _, unit in ipairs(compiled) do
      local file = unit.file
      for _, item in ipairs(unit.items) do
        local duplicate = rules.duplicate_name(item, file.path, file.text, names)
        if duplicate then
          append(out, parse_blocks(duplicate, file.name))
        elseif item.kind == "rule" then
          check_rule(unit, item, pending, known, out)
        end
      end
    end
  end

  -- Compiles and checks `sources` with the new devices in place; returns the shadow
  -- {compiled=, undo=, new_variables=, diagnostics=}. The caller keeps or undoes the
  -- device changes.
  local function shadow(sources, old_sources)
    local out = {}
    restart_warnings(old_sources.home or {}, sources.home or {}, out)
    local trace_table = (sources.home or {}).trace
    local trace_problem = trace_table ~= nil and trace.check_config(trace_table)
    if trace_problem then out[#out + 1] = diagnostic("home.lua", 1, 1, "error", "home.lua: " .. trace_problem) end
    local plan = device_plan(old_sources.devices or {}, sources.devices or {}, out)
    local undo = apply_devices(plan, out)
    local variables, new_variables = trigger_variables(sources.home or {})
    local compiled = compile_files(sources.files, variables, out)
    mark_scripts(compiled, current_script_counts())
    check_items(compiled, {}, out)
    return {compiled = compiled, undo = undo, new_variables = new_variables, diagnostics = out}
  end

  -- The diff ----------------------------------------------------------------------

  -- Each new rule item's fate by identity ("unchanged", "changed", "added"), and the
  -- live rules that go: removed ones, and the old versions of changed ones.
  -- Also returns the per-rule list a client shows before it applies a reload:
  -- {{identity=, name=, file=, line=, fate=}} in file order, removed rules last.
  local function diff(compiled)
    local summary = {unchanged = 0, changed = 0, added = 0, removed = 0}
    local seen, going, rules_list = {}, {}, {}
    for _, unit in ipairs(compiled) do
      for i, item in ipairs(unit.items) do
        local id = unit.identities[i]
        if id ~= nil then
          local live = rules.by_identity[id]
          seen[id] = true
          if live == nil then
            item.fate = "added"
          elseif live.item.hash == item.source_hash then
            item.fate, item.live = "unchanged", live
          else
            item.fate = "changed"
            going[#going + 1] = live
          end
          summary[item.fate] = summary[item.fate] + 1
          rules_list[#rules_list + 1] = {identity = id, name = item.label or (live and live.name) or id,
                                         file = unit.file.name, line = item.line, fate = item.fate}
        end
      end
    end
    local removed = {}
    for id, rule in pairs(rules.by_identity) do
      if not seen[id] then
        going[#going + 1], removed[#removed + 1] = rule, rule
        summary.removed = summary.removed + 1
      end
    end
    table.sort(going, function(a, b) return a.id < b.id end)
    table.sort(removed, function(a, b) return a.id < b.id end)
    for _, rule in ipairs(removed) do
      local file = rule.item.file and rule.item.file:match("([^/]+)$") or nil
      rules_list[#rules_list + 1] = {identity = rule.identity or rule.name, name = rule.name, file = file,
                                     line = rule.item.line, fate = "removed"}
    end
    return summary, going, rules_list
  end

  -- Applying ----------------------------------------------------------------------

  -- Defines the added and changed rules and runs the new scripts, file by file in
  -- item order, as a load would. A definition that fails now (it could only be checked
  -- after a script ran) is reported; the rest of the reload stands.
  local function define_new(compiled, out)
    for _, unit in ipairs(compiled) do
      local file = unit.file
      for i, item in ipairs(unit.items) do
        if item.kind == "script" and item.rerun then
          rules.run_script(item, file.path, file.text)
        elseif item.fate == "added" or item.fate == "changed" then
          debug("reload: defining " .. tostring(unit.identities[i]) .. " (" .. item.fate .. ")")
          local rule, problem = rules.define_rule(item, {identity = unit.identities[i], defer_names = true},
                                                  file.path, file.text)
          if rule == nil then
            log("error", (problem:gsub("\n$", "")))
            append(out, parse_blocks(problem, file.name))
          end
        end
      end
    end
    rules.check_names()
  end

  -- An unchanged rule whose text is the same to the byte follows its source: where it
  -- is now in its file (lines above it may have changed), for error reports and the
  -- API. Its compiled positions are shifted by as many lines as it moved.
  local function follow_source(rule, item, file)
    local kept = rule.item
    if kept.source ~= item.source then return end
    kept.line_shift = (kept.line_shift or 0) + (item.line - kept.line)
    kept.line, kept.col, kept.file = item.line, item.col, file.path
    kept.text = file.text ~= item.source and file.text or nil
  end

  local function follow_sources(compiled)
    for _, unit in ipairs(compiled) do
      for _, item in ipairs(unit.items) do
        if item.fate == "unchanged" then follow_source(item.live, item, unit.file) end
      end
    end
  end

  local function apply_shadow(view)
    for _, name in ipairs(view.new_variables) do er.triggerVar(name, view.sources.home.trigger_vars[name]) end
    local summary, going, rules_list = diff(view.compiled)
    follow_sources(view.compiled)
    for _, rule in ipairs(going) do
      debug("reload: removing " .. tostring(rule.name))
      rules.remove(rule)
    end
    trace.reconfigure(view.sources.home and view.sources.home.trace, rules.by_id)
    debug("reload: trace modes and sizes from home.lua applied")
    define_new(view.compiled, view.diagnostics)
    return summary, rules_list
  end

  local function notify(result)
    for _, fn in ipairs(hooks) do
      local ok, err = pcall(fn, result)
      if not ok then log("error", "on_reload hook failed: " .. tostring(err)) end
    end
  end

  local function refuse(what, result)
    local errors = error_count(result.diagnostics)
    log("error", string.format("%s: refused, %d error%s; the running rules are unchanged", what, errors,
      errors == 1 and "" or "s"))
    for _, d in ipairs(result.diagnostics) do
      log(d.severity == "error" and "error" or "warn", (d.text:gsub("\n$", "")))
    end
  end

  local function summary_line(what, summary)
    return string.format("%s: %d unchanged, %d changed, %d added, %d removed", what, summary.unchanged,
      summary.changed, summary.added, summary.removed)
  end

  -- Validates `sources` against the current generation and, unless refused or a dry
  -- run, applies them. `what` names it in the log ("reload", "rollback"). Returns the
  -- result and whether it was applied.
  local function run(what, sources, opts)
    local view = shadow(sources, current.sources)
    view.sources = sources
    local result = {ok = error_count(view.diagnostics) == 0, dry_run = opts.dry_run == true,
                    generation = current.number, diagnostics = view.diagnostics}
    if not result.ok or result.dry_run then
      undo_devices(view.undo)
      result.summary, _, result.rules = diff(view.compiled)
      if not result.ok and not result.dry_run then refuse(what, result) end
      return result, false
    end
    result.summary, result.rules = apply_shadow(view)
    log("info", summary_line(what, result.summary))
    return result, true
  end

  --- Reloads: validates `sources` in full, then applies them as a diff (see above).
  function R.apply(sources, opts)
    opts = opts or {}
    local result, applied = run("reload", sources, opts)
    if applied then
      previous = current
      current = {number = current.number + 1, sources = sources}
      result.generation = current.number
    end
    if not result.dry_run then notify(result) end
    return result
  end

  --- Returns to the previous generation (validated and applied like a reload); the
  --- generation rolled back from is not kept, so a second rollback has nothing to do.
  function R.rollback()
    if previous == nil then return nil, "no previous generation" end
    local result, applied = run("rollback", previous.sources, {})
    if applied then
      current, previous = previous, nil
      result.generation = current.number
    end
    notify(result)
    return result
  end

  --- Checks rules files against the running home (its devices and variables) without
  --- changing anything: {ok=, diagnostics=}.
  function R.check(files)
    local list, out = {}, {}
    for name, text in pairs(files) do list[#list + 1] = {name = name, path = name, text = text} end
    table.sort(list, function(a, b) return a.name < b.name end)
    local compiled = compile_files(list, rules.trigger_var_list, out)
    mark_scripts(compiled, current_script_counts())
    local names, given = {}, {}
    for _, file in ipairs(list) do given[identity.file_key(file.name)] = true end
    for _, rule in pairs(rules.by_identity) do
      local item = rule.item
      if item.label and not given[item.key] then names[item.label] = item.key .. ":" .. item.line .. ":" .. item.col end
    end
    check_items(compiled, names, out)
    return {ok = error_count(out) == 0, diagnostics = out}
  end

  --- The sources a home load defined become the current generation.
  function R.record(sources)
    current, previous = {number = current.number + 1, sources = sources}, nil
  end

  function R.current() return current.sources end
  function R.generation() return current.number end
  function R.on_reload(fn) hooks[#hooks + 1] = fn end

  base.on_reset(function()
    current, previous = {number = 0, sources = empty}, nil
  end)
  return R
end

return M
