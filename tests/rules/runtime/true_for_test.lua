-- trueFor, again and once (spec §7.8).
local test = require("eventrunner.test")

-- Opens the front door (67) at the current time: it is open in the reference home, so
-- it is closed first.
local function open_door()
  test.set(67, "value", false)
  test.set(67, "value", true)
end

-- trueFor ------------------------------------------------------------------------------

test.case("open 10, 20, 30 min, then nothing until the door closes and reopens", function()
  test.start{home = "reference"}
  test.eval('trueFor(00:10, 67:isOpen) => log("open %d min at %s", 10 * again(3), osdate("%H:%M"))')
  open_door()                                   -- 12:00
  test.advance("01:00")
  test.eq(test.logs(), {"open 10 min at 12:10", "open 20 min at 12:20", "open 30 min at 12:30"})
  test.clear()
  test.set(67, "value", false)                  -- 13:00 closed
  test.advance("00:05")
  test.set(67, "value", true)                   -- 13:05 open again: a new streak
  test.advance("00:10")
  test.eq(test.logs(), {"open 10 min at 13:15"})
end)

test.case("trueFor fires once without again", function()
  test.start{home = "reference"}
  test.eval('trueFor(00:10, 67:isOpen) => log("open at %s", osdate("%H:%M"))')
  open_door()
  test.advance("01:00")
  test.eq(test.logs(), {"open at 12:10"})
end)

test.case("again() without a count re-arms every time and counts the streak", function()
  test.start{home = "reference"}
  test.eval('trueFor(00:01, 67:isOpen) => log("k = %d", again())')
  open_door()
  test.advance("00:04")
  test.set(67, "value", false)
  test.advance("00:04")
  test.eq(test.logs(), {"k = 1", "k = 2", "k = 3", "k = 4"})
end)

test.case("armed, a false condition cancels the timer", function()
  test.start{home = "reference"}
  test.eval('trueFor(00:10, 67:isOpen) => log("fired")')
  open_door()
  test.advance("00:09:59")
  test.set(67, "value", false)
  test.advance("00:30")
  test.eq(test.logs(), {})
end)

test.case("armed, a true condition does not restart the timer", function()
  test.start{home = "reference"}
  test.eval('trueFor(00:10, 77:temp > 20) => log("armed by %s, at %s", event.value, osdate("%H:%M"))')
  test.set(77, "value", 25)                     -- 12:00 armed
  test.advance("00:05")
  test.set(77, "value", 26)                     -- 12:05 still true: no change
  test.advance("00:10")
  test.eq(test.logs(), {"armed by 25, at 12:10"})
end)

test.case("fired, a true condition does not arm again; false then true does", function()
  test.start{home = "reference"}
  test.eval('trueFor(00:10, 77:temp > 20) => log("fired at %s", osdate("%H:%M"))')
  test.set(77, "value", 25)                     -- 12:00
  test.advance("00:15")
  test.set(77, "value", 26)                     -- 12:15 fired & true: no change
  test.advance("00:15")
  test.set(77, "value", 19)                     -- 12:30 fired & false: idle
  test.set(77, "value", 22)                     -- 12:30 armed
  test.advance("00:15")
  test.eq(test.logs(), {"fired at 12:10", "fired at 12:40"})
end)

test.case("trueFor is false except in the run started by its expiry", function()
  test.start{home = "reference"}
  test.eval('trueFor(00:10, 77:temp > 20) => log("%s", event.value)')
  test.eval('#device{id = 77} => log("sees %s", event.value)')
  test.set(77, "value", 25)
  test.set(77, "value", 26)
  test.eq(test.logs(), {"sees 25", "sees 26"})
  test.advance("00:10")
  test.eq(test.logs(), {"sees 25", "sees 26", "25"})
end)

test.case("at expiry the rest of the condition is evaluated normally", function()
  test.start{home = "reference"}
  test.eval("allowed = false")
  test.eval('trueFor(00:01, 55:isOn) & allowed => log("acted")')
  test.set(55, "value", true)
  test.advance("00:02")
  test.eq(test.logs(), {})
  test.eval("allowed = true")
  test.set(55, "value", false)
  test.set(55, "value", true)
  test.advance("00:02")
  test.eq(test.logs(), {"acted"})
end)

test.case("each trueFor occurrence has its own state", function()
  test.start{home = "reference"}
  test.eval('trueFor(00:01, 55:isOn) | trueFor(00:02, 55:isOn) => log("at %s", osdate("%H:%M"))')
  test.set(55, "value", true)
  test.advance("00:05")
  test.eq(test.logs(), {"at 12:01", "at 12:02"})
end)

test.case("again() elsewhere is an error", function()
  test.start{}
  local rule, message = test.eval("#a => log('%d', again())")
  test.eq(rule, nil)
  test.eq(message, "eval:1:17: error: again() can only be used in the action of a trueFor rule\n"
    .. "#a => log('%d', again())\n                ^\n")
  local _, in_condition = test.eval("trueFor(5, #c) & again() > 0 => log('x')")
  test.eq(in_condition:match("^[^\n]*"), "eval:1:18: error: again() can only be used in the action of a trueFor rule")
end)

-- once -----------------------------------------------------------------------------

test.case("once logs when 77 exceeds 25, again only after it was <= 25", function()
  test.start{home = "reference"}
  test.eval('once(77:temp > 25) => log("warm at %s", event.value)')
  for _, v in ipairs({26, 27, 25, 24, 26.5, 30}) do test.set(77, "value", v) end
  test.eq(test.logs(), {"warm at 26", "warm at 26.5"})
end)

test.case("once is true at its first evaluation when c is truthy", function()
  test.start{home = "reference"}
  test.set(77, "value", 30)
  test.eval('once(77:temp > 25) => log("warm")')
  test.set(77, "value", 31)
  test.eq(test.logs(), {"warm"})
end)

test.case("once states are reset at midnight", function()
  test.start{home = "reference", time = "2025-05-14 23:58"}
  test.eval('once(77:temp > 25) => log("warm %s", osdate("%d %H:%M"))')
  test.set(77, "value", 26)
  test.advance("00:03")                         -- 00:01 on the 15th
  test.set(77, "value", 27)
  test.eq(test.logs(), {"warm 14 23:58", "warm 15 00:01"})
end)

test.case("each once occurrence has its own state", function()
  test.start{home = "reference"}
  test.eval('once(77:temp > 25) | once(78:temp > 25) => log("%d", event.id)')
  test.set(77, "value", 26)                     -- first once true
  test.set(78, "value", 26)                     -- first false (no change), second true
  test.set(77, "value", 27)                     -- both false
  test.eq(test.logs(), {"77", "78"})
end)
