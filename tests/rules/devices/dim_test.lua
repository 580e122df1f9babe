-- Spec §10.6: dimming ramps `X:dim = {sec, dir [, step [, curve [, start [, stop]]]]}`.
local test = require("eventrunner.test")

-- The device's value at each of `count` steps of `step` seconds, starting now.
local function values_over(id, count, step)
  local seen = {test.value(id, "value")}
  for _ = 1, count do
    test.advance(step)
    seen[#seen + 1] = test.value(id, "value")
  end
  return seen
end

test.case('56:dim = {10, "up"} sets 0, 10, ..., 99 at 0 s, 1 s, ... 10 s', function()
  test.start{home = "reference"}
  test.eval('56:dim = {10, "up"}')
  test.eq(values_over(56, 10, 1), {0, 10, 20, 30, 40, 50, 59, 69, 79, 89, 99})
  test.eq(#test.actions(), 11)
  test.eq(test.actions()[11].action, "setValue")
  test.eq(test.actions()[11].time, "12:00:10")
  test.advance(5)
  test.eq(#test.actions(), 11)               -- the ramp is over
end)

test.case("down, with a step, a curve, start and stop", function()
  test.start{home = "reference"}
  test.eval('56:dim = {4, "down", 2}')
  test.eq(values_over(56, 2, 2), {99, 50, 0})
  test.eval('56:dim = {4, "up", 1, "inQuad", 20, 60}')
  test.eq(values_over(56, 4, 1), {20, 23, 30, 43, 60})
end)

test.case("the last step is at sec even when it is not a multiple of step", function()
  test.start{home = "reference"}
  test.eval('56:dim = {2.5, "up", 1}')
  test.eq(values_over(56, 2, 1), {0, 40, 79})
  test.advance(0.5)
  test.eq(test.value(56, "value"), 99)
  test.eq(test.actions()[4].epoch, 1747216802)
end)

test.case("easing curves", function()
  test.start{home = "reference"}
  local expected = {
    linear = {0, 50, 99}, inQuad = {0, 25, 99}, inOutQuad = {0, 50, 99},
    inExpo = {0, 3, 99}, outExpo = {0, 96, 99}, inOutExpo = {0, 50, 99}, outInExpo = {0, 50, 99},
  }
  for curve, values in pairs(expected) do
    test.eval('56:dim = {2, "up", 1, "' .. curve .. '"}')
    test.eq(values_over(56, 2, 1), values, curve)
  end
end)

test.case("any other change of the value stops the ramp", function()
  test.start{home = "reference"}
  test.eval('56:dim = {10, "up"}')
  test.advance(3)
  test.set(56, "value", 5)                 -- turned by hand
  test.advance(5)
  test.eq(test.value(56, "value"), 5)
  test.eval('56:dim = {10, "up"}')
  test.advance(2)
  test.eval("56:value = 77")               -- set by a script
  test.advance(5)
  test.eq(test.value(56, "value"), 77)
end)

test.case("another ramp on the device replaces the running one", function()
  test.start{home = "reference"}
  test.eval('56:dim = {10, "up"}')
  test.advance(2)
  test.eval('56:dim = {2, "down"}')
  test.eq(values_over(56, 3, 1), {99, 50, 0, 0})
end)

test.case("the ramp is owned by the rule: disabling it stops the ramp", function()
  test.start{home = "reference"}
  test.eval('66:breached => 56:dim = {10, "up"}', {name = "wake"})
  test.set(66, "value", true)
  test.advance(3)
  test.eq(test.value(56, "value"), 30)
  test.eq(test.eval('return disable("wake")'), 1)
  test.advance(5)
  test.eq(test.value(56, "value"), 30)
end)

test.case("bad dim values are runtime errors", function()
  test.start{home = "reference"}
  local value, message = test.eval('56:dim = {10, "sideways"}')
  test.eq(value, nil)
  test.ok(message:find("dim: expected", 1, true), message)
  value, message = test.eval('56:dim = {10, "up", 1, "bounce"}')
  test.ok(message:find("dim: unknown curve 'bounce'", 1, true), message)
end)
