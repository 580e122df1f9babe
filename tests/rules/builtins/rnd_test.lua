-- rnd (spec §11) is seedable: the same seed gives the same numbers, whatever else
-- uses math.random.
local test = require("eventrunner.test")

local DRAW = "return [rnd(1, 1000000) for i in {1, 2, 3, 4, 5}]"

test.case("the same seed gives the same numbers", function()
  test.start{seed = 7}
  local first = test.eval(DRAW)
  test.start{seed = 7}
  math.random(1, 10)
  test.eq(test.eval(DRAW), first)
end)

test.case("different seeds give different numbers", function()
  test.start{seed = 7}
  local first = test.eval(DRAW)
  test.start{seed = 8}
  local second = test.eval(DRAW)
  test.eq(#first, 5)
  test.eq(#second, 5)
  test.ok(first[1] ~= second[1] or first[2] ~= second[2], "sequences differ")
end)

test.case("rnd stays inside its interval", function()
  test.start{}
  test.eq(test.eval([[
    for i = 1, 500 do
      local r = rnd(-3, 3)
      if r < -3 | r > 3 then return r end
    end
    return "ok"]]), "ok")
end)

test.case("a rule with rnd behaves the same in every run of the test", function()
  test.start{seed = 1, home = "reference"}
  test.eval("@@00:10 => 56:value = rnd(0, 99)")
  test.advance("01:00")
  local values = {}
  for _, a in ipairs(test.actions()) do values[#values + 1] = a.args[1] end
  test.start{seed = 1, home = "reference"}
  test.eval("@@00:10 => 56:value = rnd(0, 99)")
  test.advance("01:00")
  local again = {}
  for _, a in ipairs(test.actions()) do again[#again + 1] = a.args[1] end
  test.eq(#values, 7)
  test.eq(again, values)
end)
