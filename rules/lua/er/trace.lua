-- er.trace: rule traces (docs/traces.md, DESIGN decision 15: traces are data).
--
-- Each evaluation of a traced rule leaves one record: when, the triggering event, the
-- terms of the condition that were false (and, in `full` mode, every term's value, the
-- actions and the waits), and the outcome. Records are kept per rule in one ring per
-- outcome, so a rare error is not pushed out by a thousand dull runs, and written to
-- the state store in batches, off the hot path.
--
--   local trace = require("er.trace").new(base, core, store, devices)
--
-- fills R.term and er.trace, and returns the object: attach(rule) (rules calls it when
-- a rule is installed), on_twin(fn) (rules gives the compiler of traced twins),
-- configure({default=, rules=, size=}), check_config(t), reconfigure(t, rules_by_id)
-- (a reload), mode(rule), set_mode(rule, mode), the hooks core calls (begin, not_run,
-- ran, lean_ran, lean_not_run, open, detach, run_ended, run_failed, cancelled, wait_begin,
-- wait_end), rule_error(rule) (wired after rules' handler), records(rule_or_identity,
-- outcome, limit), flush(), on_flush(fn), started_ms().
--
-- Cost. A rule with trace "off" keeps its plain condition and core never calls here.
-- A traced rule's twin (`cond_traced`, one call of R.term per term, and its term list)
-- is compiled on its first traced evaluation (er.rules' traced_twin), so an idle rule
-- costs no heap for it. Where the false term needs no reports (outcomes mode, a
-- condition of one leaf) the rule keeps its plain condition and is `lean`: core skips
-- begin and hands over a false condition or an inline action whole when the
-- evaluation ends (lean_not_run, lean_ran). Each evaluation's scratch record goes into its
-- outcome's ring and the record it replaces becomes the next scratch record: no table
-- is created per evaluation, except for runs whose action may suspend (they carry a
-- record of their own). Texts (terms, triggers) are made when records are read.

local explain = require("er.trace_explain")
local util = require("er.util")

local M = {}

M.OUTCOMES = {"ran", "false", "suppressed", "error", "cancelled"}

--- The order of records, newest first: by time, then by sequence (records loaded from
--- the store come before this run's sequence numbers).
function M.newer(a, b)
  if a.at ~= b.at then return a.at > b.at end
  return (a.seq or 0) > (b.seq or 0)
end
M.MODES = {off = true, outcomes = true, full = true}

local MAX_FALSY = 16       -- False terms remembered per evaluation.
local FLUSH_MS = 2000      -- How long records wait before they are written.
local SLICE_US = 2000      -- How long one pass of a timed flush may write (µs).
local NIL = setmetatable({}, {__name = "nil"})  -- A term value that was nil (full mode).

local type, pairs, ipairs = type, pairs, ipairs

-- A record: the scratch one of a rule, a run's own (`detached`), or one in a ring.
-- Which fields mean something depends on the outcome (er.trace_explain.data reads
-- only those), so a record reused from a ring needs no clearing.
local function new_record(book)
  return {at = 0, seq = 0, event = false, falsy = {}, nfalse = 0, values = false, actions = false, waits = 0,
          resumed = 0, reason = false, error = false, outcome = false, full = false, open = false, book = book,
          detached = false}
end

-- Copies the evaluation so far of `from` (the scratch record) into `to`; full records
-- hand over their value and action tables.
local function copy_record(from, to)
  to.event, to.nfalse, to.full = from.event, from.nfalse, from.full
  local falsy, source = to.falsy, from.falsy
  for i = 1, from.nfalse do falsy[i] = source[i] end
  if from.full then
    to.values, from.values = from.values, {}
    to.actions, from.actions = from.actions, {}
  end
end

-- A ring of `size` slots; `count` records were written in all.
local function new_ring() return {count = 0} end

-- The ring's records, newest first, at most `limit`.
local function ring_records(ring, size, limit)
  local out = {}
  local n = math.min(ring.count, size, limit or size)
  for i = 0, n - 1 do out[#out + 1] = ring[(ring.count - 1 - i) % size + 1] end
  return out
end

function M.new(base, core, store, devices)
  local R = base.R
  local epoch_ms = base.native.epoch_ms
  local logging, log = base.logging, base.log

  local T = {}
  local config = {default = "outcomes", rules = {}, size = 20}
  local size = config.size     -- config.size, read on every commit.
  local any_full = false       -- Some rule was ever in full mode (only full records keep actions).
  local watch_actions          -- Below: starts observing device actions for full records.
  local books = setmetatable({}, {__mode = "k"})  -- rule -> its book
  local stack, depth = {}, 0   -- Records of the evaluations in progress (conditions, inline actions).
  local top = nil              -- stack[depth]: the record R.term writes to.
  local started = nil          -- When the first rule was attached: the engine's start-up.
  local dirty, flush_armed = {}, false  -- books with unwritten records
  local round = {}             -- books the timed flush in progress has yet to write
  local encoded = setmetatable({}, {__mode = "k"})  -- record -> its JSON text (ring_json)
  local sequence = 0           -- Orders records of one millisecond.

  -- Books -----------------------------------------------------------------------------

  -- The flags of `book` that follow from its mode, read on every evaluation. A `lean`
  -- book (outcomes mode, a condition without term reports) has nothing to record while
  -- its condition is evaluated, so core skips begin for its evaluations: a false
  -- condition is recorded whole (not_run with the event, lean_not_run), an inline
  -- action when it ends (lean_ran), and the record of an action that runs in a task,
  -- or of an error, is opened then (detach, open).
  local function set_flags(book, mode)
    local rule = book.rule
    book.mode = mode
    book.full = mode == "full"
    book.lean = mode == "outcomes" and rule.cond == rule.cond_plain
    book.scratch.full = book.full
  end

  -- A rule's book: its mode, scratch record, rings, counters and term table. A traced
  -- rule's `trace` field is its mode until its first evaluation, then its book (so
  -- that core's `if rule.trace` and begin's lookup are one field read); an untraced
  -- rule's is false. `books` finds every book, also those of untraced rules.
  local function book_of(rule)
    local book = books[rule]
    if book == nil then
      book = {rule = rule, scratch = false, rings = {}, since_ran = 0, terms = false, dirty = false,
              can_suppress = nil, mode = "off", full = false, lean = false}
      book.scratch = new_record(book)
      set_flags(book, rule.trace or "off")
      books[rule] = book
    end
    return book
  end

  local function mode_for(rule)
    return config.rules[rule.name] or config.rules[rule.identity] or config.default
  end

  --- Sets the trace mode of `rule`: "off", "outcomes" or "full".
  -- A condition of one leaf (a comparison, say, whose device and global reads are
  -- terms of their own) needs no term reports to name its false term (it is the leaf,
  -- and reads are values, not parts): `outcomes` keeps the plain condition then, and
  -- not_run names term 1.
  local function single_term(rule)
    local terms = rule.terms
    if type(terms) ~= "string" then return false end
    local pos, k = 1, 0
    while pos <= #terms do
      local kind, parent, length, body = terms:match("^(%a[%w_]*) (%d+) %d+ %d+ %d+ %d+ (%d+):()", pos)
      if kind == nil then return false end
      k = k + 1
      if k == 1 and (kind ~= "test" or parent ~= "0") then return false end
      if k > 1 and kind ~= "read" then return false end
      pos = body + tonumber(length)
    end
    return k >= 1
  end

  -- A rule's traced twin (er.rules' traced_twin) is loaded on its first traced
  -- evaluation: until then `cond_traced` is nil and `cond` the plain condition; then
  -- `cond_plain` keeps the plain one, and `cond_traced` is the twin, or false for a
  -- condition too deep to trace (the rule is then not traced).
  local load_twin = function() return nil end
  function T.on_twin(fn) load_twin = fn end

  local function add_twin(rule)
    local d = load_twin(rule)
    rule.cond_plain = rule.cond
    rule.cond_traced = d and d.cond_traced or false
    rule.terms, rule.debounce = d and d.terms, d and d.debounce
  end

  function T.set_mode(rule, mode)
    if not M.MODES[mode] then error("trace: mode must be \"off\", \"outcomes\" or \"full\", got " .. tostring(mode), 2) end
    local traced = mode ~= "off" and rule.cond_traced ~= false
    if traced and mode == "full" and not any_full then
      any_full = true
      watch_actions()
    end
    if rule.cond_traced then
      local reports = traced and (mode == "full" or not single_term(rule))
      rule.cond = reports and rule.cond_traced or rule.cond_plain
    end
    local book = books[rule]
    if book then set_flags(book, traced and mode or "off") end
    -- Until its twin is loaded, a traced rule's `trace` stays its mode, so that its
    -- first evaluation opens the book through open_book.
    if traced then rule.trace = rule.cond_traced and book or mode else rule.trace = false end
  end

  function T.mode(rule)
    local t = rule.trace
    if not t then return "off" end
    if type(t) == "table" then return t.mode end
    return t
  end

  --- A rule was installed: its mode from the configuration, and its stored records.
  function T.attach(rule)
    if started == nil then started = epoch_ms() end
    T.set_mode(rule, mode_for(rule))
    local stored = store.traces(rule.identity)
    if stored == nil then return end
    local book = book_of(rule)
    for outcome, list in pairs(stored) do
      local ring = new_ring()
      for i = #list, 1, -1 do
        local data = list[i]
        data.loaded = true
        ring.count = ring.count + 1
        ring[(ring.count - 1) % size + 1] = data
      end
      book.rings[outcome] = ring
    end
  end

  --- The problem with a home.lua `trace` table, or nil when it is fine.
  function T.check_config(t)
    if type(t) ~= "table" then return "trace: expected a table" end
    if t.default ~= nil and not M.MODES[t.default] then return "trace.default: unknown mode " .. tostring(t.default) end
    for name, mode in pairs(t.rules or {}) do
      if not M.MODES[mode] then return "trace.rules." .. tostring(name) .. ": unknown mode " .. tostring(mode) end
    end
    if t.size ~= nil and (math.type(t.size) ~= "integer" or t.size < 1) then
      return "trace.size must be a positive integer"
    end
    return nil
  end

  --- home.lua `trace = {default = "outcomes", rules = {name = "full"}, size = 20}`.
  function T.configure(t)
    local problem = T.check_config(t)
    if problem then error(problem, 2) end
    config = {default = t.default or "outcomes", rules = t.rules or {}, size = t.size or 20}
    size = config.size
  end

  -- Keeps the newest `size` records of each ring of `book` in rings of that size.
  local function resize(book, old_size, size)
    for outcome, ring in pairs(book.rings) do
      local kept = ring_records(ring, old_size, size)
      local fresh = new_ring()
      for i = #kept, 1, -1 do
        fresh.count = fresh.count + 1
        fresh[(fresh.count - 1) % size + 1] = kept[i]
      end
      book.rings[outcome] = fresh
    end
  end

  --- A reload's `trace` table (nil: the defaults): rules whose configured mode changed
  --- take the new one (a mode set at run time with er.trace stays otherwise), and the
  --- rings take the new size.
  function T.reconfigure(t, rules_by_id)
    local old_config = config
    T.configure(t or {})
    if config.size ~= old_config.size then
      for _, book in pairs(books) do resize(book, old_config.size, config.size) end
    end
    for _, rule in pairs(rules_by_id) do
      local before = old_config.rules[rule.name] or old_config.rules[rule.identity] or old_config.default
      local now = mode_for(rule)
      if now ~= before then T.set_mode(rule, now) end
    end
  end

  -- Recording ------------------------------------------------------------------------

  --- R.term(env, k, v): the value of term k of the condition being evaluated.
  function R.term(_, k, v)
    local rec = top
    if rec ~= nil then
      if not v then
        local n = rec.nfalse + 1
        if n <= MAX_FALSY then rec.falsy[n], rec.nfalse = k, n end
      end
      if rec.full then
        if v == nil then rec.values[k] = NIL else rec.values[k] = v end
      end
    end
    return v
  end

  local function pop()
    stack[depth] = nil
    depth = depth - 1
    top = stack[depth]
  end

  --- core: an evaluation of traced `rule` for event `ev` starts. Only what every
  --- evaluation needs is written here; the time and sequence number are the commit's.
  -- The first evaluation of a traced rule: its `trace` field becomes its book.
  local function open_book(rule)
    local mode = rule.trace
    if rule.cond_traced == nil then
      add_twin(rule)
      T.set_mode(rule, mode)  -- Picks the condition, now that its terms are known.
      if not rule.trace then return nil end
    end
    local book = book_of(rule)
    set_flags(book, mode)
    rule.trace = book
    return book
  end

  local function terms_of(book)
    local terms = book.terms
    if not terms then
      terms = explain.tree(book.rule.terms or "")
      book.terms = terms
    end
    return terms
  end

  -- Empties the value and action tables of a full record before an evaluation. Values
  -- are keyed by term id, so a count loop over the rule's terms clears them (cheaper
  -- than pairs on every full evaluation).
  local function clear_full(book, rec)
    local values = rec.values
    if values then
      local n = book.nterms
      if n == nil then n = terms_of(book).n; book.nterms = n end
      for k = 1, n do values[k] = nil end
    else
      rec.values = {}
    end
    if rec.actions then for i = #rec.actions, 1, -1 do rec.actions[i] = nil end else rec.actions = {} end
  end

  function T.begin(rule, ev)
    local book = rule.trace
    if book == "outcomes" or book == "full" then
      book = open_book(rule)
      if book == nil then return end
    end
    local rec = book.scratch  -- Its `full` flag was set when it became the scratch record.
    rec.event, rec.nfalse = ev, 0
    if book.full then clear_full(book, rec) end
    depth = depth + 1
    stack[depth] = rec
    top = rec
  end

  -- The record of the evaluation of `rule` on top, still in progress, or nil.
  local function open_scratch(rule)
    local rec = top
    if rec == nil or rec.book.rule ~= rule or rec ~= rec.book.scratch then return nil end
    return rec
  end

  -- On the simulated clock a year passes in seconds of real time, and writing every
  -- FLUSH_MS of simulated time would cost more than the simulation itself: there the
  -- records are written at most once per FLUSH_MS of real time (and at shutdown).
  local simulated, monotonic_us = base.native.is_virtual(), base.native.monotonic_us
  local last_flush_us = nil

  local start_round  -- begins a timed flush (below)
  local function arm_flush()
    if simulated and last_flush_us ~= nil and monotonic_us() - last_flush_us < FLUSH_MS * 1000 then return end
    flush_armed = true
    core.timer(nil, FLUSH_MS, start_round)
  end

  -- `book` has new records: it is written with the next flush.
  local function mark_dirty(book)
    if not book.dirty then
      book.dirty = true
      dirty[book] = true
    end
    if not flush_armed then arm_flush() end
  end

  -- The trace-level line of a record: its outcome and what the condition's terms read.
  local log_record

  -- The ring of `book` for `outcome`, created with its first record.
  local function ring_of(book, outcome)
    local ring = book.rings[outcome]
    if ring == nil then ring = new_ring(); book.rings[outcome] = ring end
    return ring
  end

  -- What every commit does after the record is in its ring.
  local function note_commit(book, rec, outcome)
    if outcome == "ran" then book.since_ran = 0 else book.since_ran = book.since_ran + 1 end
    if logging.trace then log_record(book, rec) end
    if not (book.dirty and flush_armed) then mark_dirty(book) end
  end

  -- Writes the scratch record `rec` of `book` into the ring for `outcome`. The record
  -- itself goes into the ring, and the record it replaces becomes the book's scratch
  -- record: nothing is copied or allocated once the ring is full. This is on every
  -- traced evaluation, so the ring update is written out here rather than called.
  local function commit_scratch(book, rec, outcome)
    local seq = sequence + 1
    sequence = seq
    rec.at, rec.seq, rec.outcome = epoch_ms(), seq, outcome
    local ring = book.rings[outcome] or ring_of(book, outcome)
    local count = ring.count
    ring.count = count + 1
    local index = count % size + 1
    local old = ring[index]
    ring[index] = rec
    -- A record loaded from the store is data, not a record to reuse; one of a run of
    -- its own (detached) becomes a scratch record again.
    if old == nil or old.loaded then old = new_record(book) else old.detached = false end
    encoded[old] = nil
    old.full = book.full
    book.scratch = old
    if outcome == "ran" and not logging.trace then
      book.since_ran = 0
      if not (book.dirty and flush_armed) then mark_dirty(book) end
    else
      note_commit(book, rec, outcome)
    end
  end

  -- Writes the record of a run of its own (it keeps the time its run started).
  local function commit_own(rec, outcome)
    sequence = sequence + 1
    rec.seq, rec.outcome, rec.open = sequence, outcome, false
    local book = rec.book
    local ring = ring_of(book, outcome)
    ring.count = ring.count + 1
    ring[(ring.count - 1) % size + 1] = rec
    note_commit(book, rec, outcome)
  end

  -- Writes `rec`, the scratch record of its book or a run's own.
  local function commit(rec, outcome)
    if rec.detached then return commit_own(rec, outcome) end
    return commit_scratch(rec.book, rec, outcome)
  end

  -- "[hall_night] false: `22:00..06:00` was false (values: `hall_motion:breached` = true, ...)".
  log_record = function(book, rec)
    local d = explain.data(terms_of(book), rec, NIL)
    local parts = {"[" .. tostring(book.rule.name) .. "] " .. d.outcome}
    if d.detail then parts[#parts + 1] = ": " .. d.detail end
    if d.reason then parts[#parts + 1] = " (" .. tostring(d.reason) .. ")" end
    if d.values and #d.values > 0 then
      local shown = {}
      for i, v in ipairs(d.values) do
        shown[i] = "`" .. tostring(v.term) .. "` = " .. util.canonical(v.value)
      end
      parts[#parts + 1] = " (values: " .. table.concat(shown, ", ") .. ")"
    end
    log("trace", table.concat(parts))
  end

  -- The evaluation on top ended without running the action: a false condition, a gate
  -- modifier, `since` still waiting, or (`holds`) the condition disabled its own rule.
  -- `ev` is the evaluation's event: a lean rule's record is not open yet.
  function T.not_run(rule, holds, ev)
    local rec = top
    if rec == nil or rec.book.rule ~= rule or rec ~= rec.book.scratch then
      local book = rule.trace
      if type(book) ~= "table" or not book.lean or ev == nil then return end
      if not holds then return T.lean_not_run(book, ev) end
      T.open(rule, ev)
      rec = top
    end
    stack[depth] = nil
    depth = depth - 1
    top = stack[depth]
    if holds then
      rec.reason = "disabled"
      return commit(rec, "cancelled")
    end
    local book = rec.book
    local can = book.can_suppress
    if can == nil then
      can = explain.can_suppress(terms_of(book))
      book.can_suppress = can
    end
    if rec.nfalse == 0 and rule.cond == rule.cond_plain then rec.falsy[1], rec.nfalse = 1, 1 end  -- single_term
    local suppressed = can and explain.suppression(terms_of(book), rec.falsy, rec.nfalse)
    if suppressed then
      rec.reason = suppressed
      return commit(rec, "suppressed")
    end
    commit(rec, "false")
  end

  --- core: the action ran to its end on the dispatcher's stack (`first`: its result).
  -- The hottest hook: `rule.trace` is the book that begin opened (a string has no
  -- `scratch`, so a mode set during the run is no match either). The popped slot of
  -- the stack is left for the next begin to overwrite.
  function T.ran(rule, first)
    local rec = top
    local book = rule.trace
    if rec == nil or rec ~= book.scratch then return end
    depth = depth - 1
    top = stack[depth]
    rec.result = first
    return commit_scratch(book, rec, "ran")
  end

  --- core: the evaluation of a lean rule (set_flags) for `ev` ran its action, which
  --- returned `first`; begin was not called.
  function T.lean_ran(book, ev, first)
    local rec = book.scratch
    if rec == top then pop() end  -- The mode became lean during this evaluation.
    rec.event, rec.result = ev, first
    return commit_scratch(book, rec, "ran")
  end

  --- core: the evaluation of a lean rule for `ev` did not run the action: the
  --- condition was false. This is most evaluations of most rules (a sensor reports,
  --- the condition is false), so it is written out: a lean rule's condition is one
  --- leaf without since or a gate (single_term), so the leaf was false and nothing was
  --- suppressed.
  function T.lean_not_run(book, ev)
    local rec = book.scratch
    if rec == top then pop() end  -- The mode became lean during this evaluation.
    rec.event, rec.nfalse = ev, 1
    rec.falsy[1] = 1
    return commit_scratch(book, rec, "false")
  end

  --- core: the evaluation of traced `rule` for `ev` needs its record open now (an
  --- error, or an action that runs in a task): for a lean rule, whose evaluations
  --- skip begin, it is opened here; an open one is left as it is.
  function T.open(rule, ev)
    local book = rule.trace
    if type(book) == "table" and book.scratch == top then return end
    T.begin(rule, ev)
  end

  --- core: the action of `run` runs in a task: the run gets a record of its own.
  function T.detach(rule, run)
    local rec = open_scratch(rule)
    if rec == nil then
      local book = rule.trace
      if type(book) ~= "table" or not book.lean then return end
      T.begin(rule, run.event)
      rec = open_scratch(rule)
    end
    pop()
    local own = new_record(rec.book)
    copy_record(rec, own)
    own.at, own.detached, own.open = epoch_ms(), true, true
    run.trace = own
  end

  --- core: a run with its own record ended (ok) or failed (the error is reported next).
  function T.run_ended(run)
    local rec = run.trace
    if not rec.open then return end
    rec.result = run.first
    commit(rec, "ran")
  end

  local pending_error = nil  -- The record of a run whose error rules reports next.
  function T.run_failed(run) pending_error = run.trace end

  --- Wired after rules' error handler: the error that disabled `rule` (its one-line
  --- text is rule.disabled_error) ends the evaluation in progress, or is a record alone.
  function T.rule_error(rule)
    if not rule.trace then return end
    local rec = pending_error
    pending_error = nil
    if rec == nil or rec.book.rule ~= rule then
      rec = open_scratch(rule)
      if rec ~= nil then pop() end
    end
    if rec == nil then
      T.begin(rule, {type = "error"})
      rec = open_scratch(rule)
      if rec == nil then return end  -- The rule cannot be traced (no twin).
      pop()
    end
    rec.error = rule.disabled_error or "runtime error"
    commit(rec, "error")
  end

  --- core: a run with its own record is cancelled: by disabling its rule, by a reload
  --- (the rule is being removed), or by a newer run of a `single` rule; a debounced run
  --- cancelled in its debounce wait was suppressed.
  function T.cancelled(run)
    local rec = run.trace
    if rec == nil or not rec.open then return end
    local rule = run.rule
    if rule.removing then
      rec.reason = "reload"
    elseif not rule.enabled then
      rec.reason = rule.disabled_error and "disabled by error" or "disabled"
    elseif rule.debounce and rec.resumed == 0 then
      rec.reason = "debounce"
      return commit(rec, "suppressed")
    else
      rec.reason = "single"
    end
    commit(rec, "cancelled")
  end

  --- core: `run` waits `t` seconds / was resumed.
  function T.wait_begin(run, t)
    local rec = run.trace
    rec.waits = rec.waits + 1
    if rec.full then rec.actions[#rec.actions + 1] = {wait = t, at = epoch_ms()} end
  end

  function T.wait_end(run)
    local rec = run.trace
    rec.resumed = rec.resumed + 1
    if rec.full then rec.actions[#rec.actions + 1] = {resumed = true, at = epoch_ms()} end
  end

  -- Actions of full-mode runs (device actions through devices.on_action).
  local function on_action(id, action, args)
    if not any_full then return end
    local run = core.current_run()
    local rec = run and run.trace
    if rec == nil then
      rec = top
      if rec == nil or run == nil or rec.book.rule ~= run.rule then return end
    end
    if rec.full and (rec.open or not rec.detached) then rec.actions[#rec.actions + 1] = {id = id, action = action, args = args} end
  end
  -- Observed only once some rule is in full mode: an observer makes every device
  -- action pack its arguments, which a home without full traces need not pay for.
  local watching_actions = false
  function watch_actions()
    if watching_actions then return end
    watching_actions = true
    devices.on_action(on_action)
  end

  -- Reading ------------------------------------------------------------------------------

  local function data_of(book, rec)
    if rec.loaded then return rec end
    return explain.data(terms_of(book), rec, NIL)
  end

  --- The records of `rule` (a rule object), newest first: of one outcome, or all
  --- merged by time; at most `limit`.
  function T.records(rule, outcome, limit)
    local book = books[rule]
    local out = {}
    if book == nil then return out end
    for _, name in ipairs(M.OUTCOMES) do
      local ring = book.rings[name]
      if ring and (outcome == nil or outcome == name) then
        for _, rec in ipairs(ring_records(ring, size)) do out[#out + 1] = data_of(book, rec) end
      end
    end
    table.sort(out, M.newer)
    if limit and #out > limit then for i = #out, limit + 1, -1 do out[i] = nil end end
    return out
  end

  --- Evaluations since the last run (also those before a restart, as far as kept).
  function T.since_ran(rule)
    local book = books[rule]
    return book and book.since_ran or 0
  end

  function T.started_ms() return started or epoch_ms() end

  -- Writing ------------------------------------------------------------------------------

  -- fn(rules) after each flush with the rules whose records were written (er.state_notes).
  local flush_hooks = {}
  function T.on_flush(fn) flush_hooks[#flush_hooks + 1] = fn end

  -- The JSON text of each record in a ring, kept while the record stays there: a
  -- flush writes whole rings, and encodes only the records that are new since the last.
  -- A record that leaves its ring to be reused as scratch drops its text (commit_scratch).
  local function ring_json(book, ring)
    local texts = {}
    for _, rec in ipairs(ring_records(ring, size)) do
      local text = encoded[rec]
      if text == nil then
        local ok, json = pcall(util.json_encode, data_of(book, rec))
        text = ok and json or nil
        encoded[rec] = text
      end
      texts[#texts + 1] = text
    end
    return "[" .. table.concat(texts, ",") .. "]"
  end

  -- Writes the rings of the books in `books_to_write` (a set, emptied as they are
  -- written), as one batch, until monotonic time `deadline_us` (nil: all of them).
  local function write_books(books_to_write, deadline_us)
    local batch, flushed = {}, {}
    for book in pairs(books_to_write) do
      books_to_write[book] = nil
      book.dirty = false
      local rule = book.rule
      flushed[#flushed + 1] = rule
      if rule.identity then
        for _, outcome in ipairs(M.OUTCOMES) do
          local ring = book.rings[outcome]
          if ring then batch[#batch + 1] = {identity = rule.identity, outcome = outcome, text = ring_json(book, ring)} end
        end
      end
      if deadline_us ~= nil and monotonic_us() >= deadline_us then break end
    end
    if #batch > 0 then
      store.put_traces(batch)
      if logging.debug then log("debug", "traces: " .. #batch .. " record list(s) of " .. #flushed .. " rule(s) written") end
    end
    if #flushed > 0 then for _, fn in ipairs(flush_hooks) do fn(flushed) end end
  end

  --- Writes the rings of every book with new records now (at shutdown, and in tests).
  function T.flush()
    flush_armed = false
    last_flush_us = monotonic_us()
    write_books(round)
    write_books(dirty)
  end

  -- The timed flush, in slices: encoding a busy home's records (100 rules, 20 records
  -- each) takes tens of milliseconds, which the loop must not stall for. A round
  -- writes the books dirty when it starts, SLICE_US at a time, one loop pass apart;
  -- books that get new records meanwhile wait for the next round, FLUSH_MS later.
  local slice_us = SLICE_US
  --- How long one pass of a timed flush may write, in µs (tests make it 0).
  function T.set_flush_slice_us(us) slice_us = us end

  local function flush_slice()
    last_flush_us = monotonic_us()
    write_books(round, last_flush_us + slice_us)
    if next(round) ~= nil then
      core.timer(nil, 0, flush_slice)
      return
    end
    flush_armed = false
    if next(dirty) ~= nil then arm_flush() end
  end

  function start_round()
    round, dirty = dirty, {}
    flush_slice()
  end

  -- er.trace(rule_or_name, mode): a rule's trace mode, read or set at run time.
  function base.er.trace(x, mode)
    local rule = type(x) == "table" and x or (base.er.getRule and base.er.getRule(x))
    if rule == nil then error("trace: no rule " .. tostring(x), 2) end
    if mode ~= nil then T.set_mode(rule, mode) end
    return T.mode(rule)
  end

  base.on_reset(function()
    for book in pairs(books) do books[book] = nil end
    stack, depth, top, dirty, round, flush_armed = {}, 0, nil, {}, {}, false
    last_flush_us = nil
    encoded = setmetatable({}, {__mode = "k"})
    config = {default = "outcomes", rules = {}, size = 20}
    size, any_full = config.size, false
    started = nil
  end)
  return T
end

return M
