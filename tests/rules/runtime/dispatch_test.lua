-- Runs and dispatch (spec §8.1, §8.2): independent runs, the order in which rules
-- see an event, queued events, timers at one instant and BREAK.
local test = require("eventrunner.test")

test.case("every accepted event starts an independent run with fresh locals", function()
  test.start{}
  test.eval('#go => local n = event.n; wait(event.delay); log("run %d", n)')
  test.post({type = "go", n = 1, delay = 10})
  test.post({type = "go", n = 2, delay = 5})
  test.post({type = "go", n = 3, delay = 1})
  test.advance(10)
  test.eq(test.logs(), {"run 3", "run 2", "run 1"})
end)

test.case("rules see an event in ascending id, whatever their kind of subscription", function()
  test.start{home = "reference"}
  test.eval('#device{id = 55} => log("1")')
  test.eval('55:isOn => log("2")')
  test.eval('#device{property = "value"} => log("3")')
  test.eval('55:value => log("4")')
  test.set(55, "value", true)
  test.eq(test.logs(), {"1", "2", "3", "4"})
end)

test.case("a replaced rule takes a new id and comes last", function()
  test.start{}
  test.eval('#ping => log("a")', {name = "a"})
  test.eval('#ping => log("b")', {name = "b"})
  test.eval('#ping => log("a again")', {name = "a"})
  test.post({type = "ping"})
  test.eq(test.logs(), {"b", "a again"})
end)

test.case("a run proceeds until it suspends before the next rule's run starts", function()
  test.start{}
  test.eval('#go => log("1 before"); wait(0); log("1 after")')
  test.eval('#go => log("2")')
  test.eval('#go => log("3 before"); wait(1); log("3 after")')
  test.post({type = "go"})
  test.advance(1)
  test.eq(test.logs(), {"1 before", "2", "3 before", "1 after", "3 after"})
end)

test.case("an event posted during dispatch waits until every rule has seen the current one", function()
  test.start{}
  test.eval('#a => post(#b); log("1 a")')
  test.eval('#a => log("2 a")')
  test.eval('#b => log("3 b")')
  test.post({type = "a"})
  test.eq(test.logs(), {"1 a", "2 a", "3 b"})
end)

test.case("events are delivered in the order they were posted", function()
  test.start{}
  test.eval('#e => log("%d", event.n)')
  test.eval('for i = 1, 5 do post(#e{n = i}) end')
  test.eq(test.logs(), {"1", "2", "3", "4", "5"})
end)

test.case("timers due at the same instant fire in scheduling order", function()
  test.start{}
  test.eval('#zeta | #alpha => log(event.type)')
  test.post({type = "zeta"}, 10)                -- due 12:00:10, scheduled first
  test.advance(5)
  test.post({type = "alpha"}, 5)                -- due 12:00:10, scheduled second
  test.advance(5)
  test.post({type = "alpha"}, 5)                -- the other way round
  test.post({type = "zeta"}, 5)
  test.advance(5)
  test.eq(test.logs(), {"zeta", "alpha", "alpha", "zeta"})
end)

-- BREAK -------------------------------------------------------------------------------

test.case("BREAK stops delivery to later rules only; earlier ones already ran", function()
  test.start{}
  test.eval('#ping => log("1")')
  test.eval('#ping => log("2"); return BREAK')
  test.eval('#ping => log("3")')
  test.eval('#ping => log("4")')
  test.post({type = "ping"})
  test.eq(test.logs(), {"1", "2"})
end)

test.case("BREAK stops only that event", function()
  test.start{}
  test.eval('#ping & event.n == 1 => return BREAK')
  test.eval('#ping => log("%d", event.n)')
  test.post({type = "ping", n = 1})
  test.post({type = "ping", n = 2})
  test.eq(test.logs(), {"2"})
end)

test.case("BREAK from an action that calls nothing", function()
  test.start{}
  test.eval('#ping => x = 1; return BREAK')
  test.eval('#ping => log("later")')
  test.post({type = "ping"})
  test.eq(test.logs(), {})
end)

test.case("BREAK as the first of several values still stops", function()
  test.start{}
  test.eval('#ping => return BREAK, 1')
  test.eval('#ping => log("later")')
  test.post({type = "ping"})
  test.eq(test.logs(), {})
end)

test.case("BREAK as a later value does not stop", function()
  test.start{}
  test.eval('#ping => return 1, BREAK')
  test.eval('#ping => log("later")')
  test.post({type = "ping"})
  test.eq(test.logs(), {"later"})
end)

test.case("a run that suspended and then returned BREAK stops nothing", function()
  test.start{}
  test.eval('#ping => wait(0); return BREAK')
  test.eval('#ping => log("later %d", event.n)')
  test.post({type = "ping", n = 1})
  test.eq(test.logs(), {"later 1"})
end)

test.case("a false condition never breaks", function()
  test.start{}
  test.eval('#ping & false => return BREAK')
  test.eval('#ping => log("later")')
  test.post({type = "ping"})
  test.eq(test.logs(), {"later"})
end)
