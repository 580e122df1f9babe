-- er.log_filter (docs/operations.md#logging): levels for the engine and per rule, and
-- repeated warnings and errors counted instead of written, on the engine's virtual
-- clock and its timers.
local test = require("eventrunner.test")

local E = require("er.engine").E
local log_filter = require("er.log_filter")

-- A filter writing into `lines`, on the engine clock with LuaSys timers.
local function new_filter(level)
  local lines = {}
  local log = log_filter.new{level = level, write = function(l, text) lines[#lines + 1] = l .. ": " .. text end,
    now_ms = E.epoch_ms, timer = function(ms, fn) return sys.timerStart(fn, math.max(ms, 0)) end,
    cancel = function(h) sys.timerStop(h) end}
  return log, lines
end

test.case("a line is shown at or above the engine's level", function()
  test.start{}
  local log = new_filter("warn")
  test.eq({log.allows("error"), log.allows("warn"), log.allows("info"), log.allows("debug")}, {true, true, false, false})
  log.set_level("trace")
  test.eq(log.allows("trace"), true)
end)

test.case("a rule's own level wins over the engine's, in both directions", function()
  test.start{}
  local log = new_filter("warn")
  test.eq(log.set_level("debug", "hall_night"), true)
  test.eq(log.set_level("error", "chatty"), true)
  test.eq({log.allows("debug", "hall_night"), log.allows("info", "other"), log.allows("warn", "chatty")},
          {true, false, false})
  test.eq(log.rule_levels(), {hall_night = "debug", chatty = "error"})
  log.set_level(nil, "hall_night")  -- Back to the engine's level.
  test.eq(log.allows("debug", "hall_night"), false)
end)

test.case("an unknown level is refused with the list of levels", function()
  test.start{}
  local log = new_filter("info")
  test.eq(table.pack(log.set_level("verbose")),
          {n = 2, nil, "unknown log level 'verbose' (one of error, warn, info, debug, trace)"})
  test.eq(log.level(), "info")
end)

test.case("identical errors within the window are counted and summarised when it ends", function()
  test.start{}
  local log, lines = new_filter("info")
  for _ = 1, 512 do
    log.emit("error", "[mqtt] broker refused: not authorised")
    test.advance(0.1)
  end
  test.eq(lines, {"error: [mqtt] broker refused: not authorised"})
  test.advance(60)
  test.eq(lines[2], "error: [mqtt] broker refused: not authorised (repeated 511 times in 52 s)")
  test.eq(#lines, 2)
  test.eq(log.counts().repeats_suppressed, 511)
  log.emit("error", "[mqtt] broker refused: not authorised")  -- A new window: shown again.
  test.eq(#lines, 3)
end)

test.case("a different warning or error ends the window at once; timeline lines do not", function()
  test.start{}
  local log, lines = new_filter("info")
  log.emit("warn", "disk slow")
  log.emit("warn", "disk slow")
  log.emit("info", "[hall] 55 hall_lamp: turnOn")
  log.emit("warn", "disk slow")
  test.advance(2)
  log.emit("error", "disk gone")
  test.eq(lines, {"warn: disk slow", "info: [hall] 55 hall_lamp: turnOn",
                  "warn: disk slow (repeated 2 times in 1 s)", "error: disk gone"})
end)

test.case("only the first line of a multi-line error is repeated in the summary", function()
  test.start{}
  local log, lines = new_filter("info")
  local text = "[r] rules.er:1:1: runtime error: boom\n#x => boom()\n^"
  log.emit("error", text)
  log.emit("error", text)
  log.flush()
  test.eq(lines[2], "error: [r] rules.er:1:1: runtime error: boom (repeated 1 time in 1 s)")
end)

test.case("lines are counted by level for the metrics", function()
  test.start{}
  local log = new_filter("info")
  log.emit("info", "a")
  log.emit("error", "b")
  log.emit("error", "b")
  test.eq(log.counts().lines.info, 1)
  test.eq(log.counts().lines.error, 1)
  test.eq(log.counts().repeats_suppressed, 1)
end)
