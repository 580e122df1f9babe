-- post and cancel (spec §8.5), from EventScript and from the host (§12).
local test = require("eventrunner.test")

local er = require("er.engine").E.er

-- A rule that logs each ping with its time of delivery.
local function log_pings()
  test.eval('#ping => log("ping %s at %s", event.n ?? "-", osdate("%d %H:%M:%S"))')
end

test.case("post(#ping, 5) is delivered at 12:00:05", function()
  test.start{}
  log_pings()
  test.eval("post(#ping, 5)")
  test.advance(4.999)
  test.eq(test.logs(), {})
  test.advance(0.001)
  test.eq(test.logs(), {"ping - at 14 12:00:05"})
end)

test.case("post(#ping, 01:00) is delivered in one hour", function()
  test.start{}
  log_pings()
  test.eval("post(#ping, 01:00)")
  test.advance("02:00")
  test.eq(test.logs(), {"ping - at 14 13:00:00"})
end)

test.case("post(#ping, t/18:00) is delivered at 18:00", function()
  test.start{}
  log_pings()
  test.eval("post(#ping, t/18:00)")
  test.advance("08:00")
  test.eq(test.logs(), {"ping - at 14 18:00:00"})
end)

test.case("post(#ping, -1) -> nil and nothing is posted", function()
  test.start{}
  log_pings()
  test.eq(table.pack(test.eval("return post(#ping, -1)")), {n = 1})
  test.advance(60)
  test.eq(test.logs(), {})
end)

test.case("nil, 0 and a past instant post for the next loop pass", function()
  test.start{}
  log_pings()
  test.eval("post(#ping{n = 1}); post(#ping{n = 2}, 0); post(#ping{n = 3}, t/11:00)")
  test.eq(test.logs(), {"ping 1 at 14 12:00:00", "ping 2 at 14 12:00:00", "ping 3 at 14 12:00:00"})
end)

test.case("a post is never delivered during the call", function()
  test.start{}
  log_pings()
  test.eval('post(#ping); log("after post")')
  test.eval('#go => post(#ping, 0); log("rule after post")')
  test.post({type = "go"})
  test.eq(test.logs(), {"after post", "ping - at 14 12:00:00", "rule after post", "ping - at 14 12:00:00"})
end)

test.case("receivers share the posted table", function()
  test.start{}
  local seen = {}
  er.define("seen", function(ev) seen[#seen + 1] = ev end)
  test.eval("#shared => seen(event)")
  test.eval("#shared => seen(event)")
  local ev = {type = "shared"}
  test.post(ev)
  test.eq(#seen, 2)
  test.ok(rawequal(seen[1], ev) and rawequal(seen[2], ev), "the same table")
end)

test.case("post needs a table with a string type", function()
  test.start{}
  local expected = "post: event must be a table with a string 'type' field"
  for _, arg in ipairs({"5", "{}", "{type = 1}", "'ping'"}) do
    local value, message = test.eval("return post(" .. arg .. ")")
    test.eq(value, nil, arg)
    test.eq(message:match("runtime error: ([^\n]*)"), expected, arg)
  end
end)

test.case("a time that is neither a number nor a string time is an error", function()
  -- The spec is silent; the engine names the type as wait does.
  test.start{}
  local _, message = test.eval("return post(#ping, true)")
  test.eq(message:match("runtime error: ([^\n]*)"), "post: expected a number, got boolean")
end)

-- cancel ---------------------------------------------------------------------------

test.case("h = post(#ping, 10); return cancel(h) -> true, and nothing is delivered", function()
  test.start{}
  log_pings()
  test.eq(test.eval("h = post(#ping, 10); return cancel(h)"), true)
  test.advance(20)
  test.eq(test.logs(), {})
end)

test.case("cancel(nil) -> false", function()
  test.start{}
  test.eq(test.eval("return cancel(nil)"), false)
end)

test.case("cancel is false for a handle no longer pending, and for other values", function()
  test.start{}
  log_pings()
  test.eval("h = post(#ping, 10)")
  test.eq(test.eval("return cancel(h)"), true)
  test.eq(test.eval("return cancel(h)"), false)
  test.eval("d = post(#ping, 1)")
  test.advance(1)
  test.eq(test.eval("return cancel(d)"), false)
  test.eq(test.eval("return cancel(5)"), false)
  test.eq(test.eval("return cancel({})"), false)
end)

test.case("a post for the next pass can still be cancelled in the same call", function()
  test.start{}
  log_pings()
  test.eq(test.eval("h = post(#ping); return cancel(h)"), true)
  test.eq(test.logs(), {})
end)

test.case("a rule cancels a post made by another rule", function()
  test.start{}
  log_pings()
  test.eval("#arm => handle = post(#ping, 60)")
  test.eval("#disarm => log('cancelled: %s', cancel(handle))")
  test.post({type = "arm"})
  test.advance(30)
  test.post({type = "disarm"})
  test.advance(60)
  test.eq(test.logs(), {"cancelled: true"})
end)

test.case("er.post and er.cancel belong to no rule", function()
  test.start{}
  log_pings()
  local rule = test.eval("#never => log('x')")
  local h = er.post({type = "ping", n = 1}, 10)
  local kept = er.post({type = "ping", n = 2}, 10)
  test.eq(er.cancel(h), true)
  test.eq(er.cancel(h), false)
  test.eq(er.cancel(nil), false)
  rule:disable()                             -- owns nothing of the host's
  test.eq(er.post({type = "ping"}, -1), nil)
  test.advance(10)
  test.eq(test.logs(), {"ping 2 at 14 12:00:10"})
  test.ok(kept ~= nil)
end)

-- EventRunner7's string times --------------------------------------------------------

test.case("post takes EventRunner7's string times", function()
  test.start{}                                          -- 2025-05-14 12:00:00
  test.eval("#at => log('%s at %s', event.n, osdate('%d %H:%M:%S'))")
  test.eval([[
    post(#at{n='plain'}, '00:10')
    post(#at{n='plus'}, '+01:00')
    post(#at{n='plus/'}, '+/00:00:30')
    post(#at{n='today'}, 't/18:00')
    post(#at{n='next'}, 'n/08:00')
    post(#at{n='at'}, '@13:00')
    post(#at{n='past today'}, 't/06:00')
  ]])
  test.eq(test.eval("return post(#at{n='never'}, '-00:10')"), nil)
  test.advance(86400)
  test.eq(test.logs(), {"past today at 14 12:00:00", "plus/ at 14 12:00:30", "plain at 14 12:10:00",
                        "plus at 14 13:00:00", "at at 14 13:00:00", "today at 14 18:00:00",
                        "next at 15 08:00:00"})
end)

test.case("post's sun times: the next sunset, and today's with an offset", function()
  test.start{}
  test.eval("#at => log('%s at %s', event.n, osdate('%d %H:%M'))")
  test.eval("post(#at{n='sunset'}, 'sunset')")
  test.eval("post(#at{n='t/sunset+10'}, 't/sunset+10')")
  test.eval("post(#at{n='n/sunrise-5'}, 'n/sunrise-5')")
  local sunset = test.eval("return HM(sunset)")
  test.advance(86400)
  test.eq(#test.logs(), 3)
  test.log_has("sunset at 14 " .. sunset)
  test.log_has("n/sunrise-5 at 15")
end)

test.case("a string time post cannot read is an error that names it", function()
  test.start{}
  local _, message = test.eval("post(#x, 'tomorrow')")
  test.eq(message:match("runtime error: ([^\n]*)"),
          "post: bad time 'tomorrow' (expected HH:MM[:SS], +/HH:MM, t/HH:MM, n/HH:MM or sunset+10)")
  test.ok(message:find("post(#x, 'tomorrow')\n^", 1, true), message)
end)
