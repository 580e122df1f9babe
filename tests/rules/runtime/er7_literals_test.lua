-- ER7 literals that port unchanged: date literals with day 00 and short strings that
-- span lines (docs/reference.md, "Lexical structure").
local test = require("eventrunner.test")

test.case("day 00 of a date literal is the last day of the previous month", function()
  test.start{time = "2025-05-14 12:00"}
  test.eq(test.eval("return 2025/03/00 == 2025/02/28"), true)
  test.eq(test.eval("return 2024/03/00 == 2024/02/29"), true)   -- a leap year
  test.eq(test.eval("return 2025/03/00/10:30 == 2025/02/28/10:30"), true)
  test.eq(test.eval("return /01/00 == 2024/12/31"), true)        -- the year before the current one
  test.eq(test.eval("return /05/00/08:00:15 == 2025/04/30/08:00:15"), true)
  local value, message = test.eval("return 2025/00/10")
  test.eq(value, nil)
  test.ok(message:find("Date literals must be in", 1, true), message)
end)

test.case("a short string may span lines, as in ER7", function()
  test.start{}
  test.eq(test.eval("return 'one\ntwo'"), "one\ntwo")
  test.eq(test.eval('return "a\\tb\r\nc"'), "a\tb\nc")   -- escapes still work; CR LF reads as \n
  test.eval("#ping => log('first line\nsecond line')\nlog('after')")
  test.post({type = "ping"})
  test.log_has("first line\nsecond line")
  test.log_has("after")
end)

test.case("a string left open is reported at its opening quote", function()
  test.start{}
  local value, message = test.eval("x = 1\ny = 'abc\nz = 2\n")
  test.eq(value, nil)
  test.ok(message:find("eval:2:5: error: Unfinished string", 1, true), message)
end)
