-- Script values (spec §4.7) as er.eval returns them (§12): the executed return's
-- values, else those of the last top-level statement.
local test = require("eventrunner.test")

-- All values of test.eval as a list with its count, so that "none" and nil differ.
local function values(src)
  return table.pack(test.eval(src))
end

test.case("an assignment gives the value of its last target", function()
  test.start{home = "reference"}
  test.eq(values("x = 5"), {n = 1, 5})
  test.eq(values("x, y = 3, 4"), {n = 1, 4})
end)

test.case("a property get gives its value", function()
  test.start{home = "reference"}
  test.eq(values("55:isOn"), {n = 1, false})
end)

test.case("a local declaration gives no value", function()
  test.start{}
  test.eq(values("local z = 1"), {n = 0})
end)

test.case("a call gives all its results", function()
  test.start{}
  test.eq(values("string.find('hello', 'l')"), {n = 2, 3, 3})
end)

test.case("a statement that is no assignment, call or property get gives none", function()
  test.start{}
  test.eq(values("if true then x = 1 end"), {n = 0})
  test.eq(values("for i = 1, 2 do end"), {n = 0})
end)

test.case("the executed return decides, with all its values", function()
  test.start{}
  test.eq(values("if true then return 1, nil, 3 end; x = 9"), {n = 3, 1, nil, 3})
  test.eq(values("return"), {n = 0})
end)

test.case("only the last top-level statement counts", function()
  test.start{}
  test.eq(values("x = 1; y = 2; log('z')"), {n = 1, "z"})
end)

test.case("a script that suspends gives nothing and finishes later", function()
  test.start{}
  test.eq(values("x = 0; wait(5); x = 7; return x"), {n = 0})
  test.eq(test.eval("return x"), 0)
  test.advance(5)
  test.eq(test.eval("return x"), 7)
end)
