-- er.log_filter: the levels and the rate limit of `run`'s log (docs/operations.md#logging).
--
--   local log = require("er.log_filter").new{level = "info", write = fn(level, text),
--                                            now_ms = fn(), timer = fn(ms, fn) -> h, cancel = fn(h)}
--   log.allows(level, rule)      -- is a line of `level` about `rule` (or nil) shown?
--   log.emit(level, text)        -- writes it, unless it repeats (below)
--   log.set_level(level, rule)   -- the engine's level, or one rule's (level nil: the
--                                -- rule follows the engine again); nil, message if wrong
--   log.level(), log.rule_levels(), log.counts(), log.flush()
--
-- opts.on_levels(debug, trace), if given, is called at creation and after every level
-- change with whether any debug and any trace line can be shown (the engine then
-- formats those lines at all: E.set_log_detail).
--
-- Levels, most to least severe: error, warn, info, debug, trace. A line is shown when its
-- level is at or above the level of its rule (the `[name]` it starts with) if that rule
-- has one, else the engine's.
--
-- Repeats: a warning or error identical to the previous warning or error, within
-- REPEAT_WINDOW_MS of its first occurrence, is counted instead of written; the count is
-- written once, as "<first line> (repeated N times in S s)", when the window ends or a
-- different warning or error comes. A failure that repeats a thousand times a second
-- so writes two lines a minute, and the disk cannot fill with it. Lines of other levels
-- (the timeline) neither repeat nor end a window: they are the context, not the noise.

local M = {}

M.LEVELS = {"error", "warn", "info", "debug", "trace"}
local RANK = {error = 1, warn = 2, info = 3, debug = 4, trace = 5}
M.REPEAT_WINDOW_MS = 60000

--- True when `name` is a level.
function M.is_level(name) return RANK[name] ~= nil end

local function level_problem(name)
  return "unknown log level '" .. tostring(name) .. "' (one of " .. table.concat(M.LEVELS, ", ") .. ")"
end

local function first_line(text) return text:match("^[^\n]*") end

function M.new(opts)
  local F = {}
  local engine_rank = RANK[opts.level or "info"]
  local rule_ranks = {}
  local write, now_ms, timer, cancel = opts.write, opts.now_ms, opts.timer, opts.cancel
  local window = opts.repeat_window_ms or M.REPEAT_WINDOW_MS
  local lines = {error = 0, warn = 0, info = 0, debug = 0, trace = 0}
  local suppressed = 0
  local last = nil  -- The warning or error that may repeat: {level, text, first_at, last_at, count, timer}.

  -- Tells opts.on_levels the most detailed level any rule or the engine shows.
  local function notify_levels()
    if opts.on_levels == nil then return end
    local most = engine_rank
    for _, rank in pairs(rule_ranks) do if rank > most then most = rank end end
    opts.on_levels(most >= RANK.debug, most >= RANK.trace)
  end

  function F.level()
    for name, rank in pairs(RANK) do if rank == engine_rank then return name end end
  end

  function F.rule_levels()
    local out = {}
    for rule, rank in pairs(rule_ranks) do out[rule] = M.LEVELS[rank] end
    return out
  end

  --- Sets the engine's level, or with `rule` that rule's (nil level: back to the engine's).
  function F.set_level(name, rule)
    if rule ~= nil and name == nil then
      rule_ranks[rule] = nil
      notify_levels()
      return true
    end
    if RANK[name] == nil then return nil, level_problem(name) end
    if rule == nil then engine_rank = RANK[name] else rule_ranks[rule] = RANK[name] end
    notify_levels()
    return true
  end

  function F.allows(level, rule)
    local limit = rule and rule_ranks[rule] or engine_rank
    return (RANK[level] or RANK.info) <= limit
  end

  local function put(level, text, colour)
    lines[level] = (lines[level] or 0) + 1
    write(level, text, colour)
  end

  --- Writes the count of the repeats of the last warning or error, if it had any.
  function F.flush()
    local held = last
    last = nil
    if held == nil then return end
    if held.timer then cancel(held.timer) end
    if held.count == 0 then return end
    local seconds = math.max(1, math.ceil((held.last_at - held.first_at) / 1000))
    put(held.level, string.format("%s (repeated %d time%s in %d s)", first_line(held.text), held.count,
      held.count == 1 and "" or "s", seconds))
  end

  local function repeats(level, text, now)
    return last ~= nil and last.level == level and last.text == text and now - last.first_at < window
  end

  local function count_repeat(now)
    last.count = last.count + 1
    last.last_at = now
    suppressed = suppressed + 1
    if last.timer == nil then
      last.timer = timer(last.first_at + window - now, function() last.timer = nil; F.flush() end)
    end
  end

  --- Writes `text` at `level` (the caller checked allows()), or counts it as a repeat.
  --- `colour`: a rule's log.<colour>, for a terminal.
  function F.emit(level, text, colour)
    if level ~= "error" and level ~= "warn" then return put(level, text, colour) end
    local now = now_ms()
    if repeats(level, text, now) then return count_repeat(now) end
    F.flush()
    put(level, text)
    last = {level = level, text = text, first_at = now, last_at = now, count = 0}
  end

  --- Lines written by level, and repeats counted instead of written (for er.metrics).
  function F.counts()
    local copy = {}
    for level, n in pairs(lines) do copy[level] = n end
    return {lines = copy, repeats_suppressed = suppressed}
  end

  notify_levels()
  return F
end

--- The figures er.metrics publishes for a filter (X.add_source("log", ...)).
M.METRIC_SPECS = {
  {"lines", "eventrunner_log_lines_total", "counter", "Log lines written, by level.", "level"},
  {"repeats_suppressed", "eventrunner_log_repeats_suppressed_total", "counter",
   "Repeated identical warnings and errors that were counted instead of written."},
}

return M
