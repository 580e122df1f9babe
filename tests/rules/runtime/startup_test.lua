-- #startup (spec §8.10): posted once when the loop starts, after the host's initial
-- definitions.
local test = require("eventrunner.test")

local E = require("er.engine").E
local er = E.er

test.case("a home's rules see #startup once", function()
  test.start{home = "tests/rules/homes/mini"}
  test.eq(test.logs(), {"start 1"})
  test.advance(2 * 86400)
  test.log_lacks("start 2")
end)

test.case("rules defined before the loop starts see #startup once", function()
  test.start{}
  E.reset()                                  -- booted again; the loop has not run since
  test.clear()
  er.opts.verbosity = "silent"
  er.eval('#startup => log("startup %s", json.encode(event))')
  er.eval('#startup => log("second rule")')
  test.settle()
  test.eq(test.logs(), {'startup {"type":"startup"}', "second rule"})
  test.advance(86400)
  test.eq(#test.logs(), 2)
end)

test.case("a rule defined after the start does not see it", function()
  test.start{}
  test.eval('#startup => log("startup")')
  test.advance(60)
  test.eq(test.logs(), {})
end)
