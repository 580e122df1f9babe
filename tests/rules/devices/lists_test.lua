-- Spec §10.7: lists of ids and the list filters.
local test = require("eventrunner.test")

local function value_of(expression) return test.eval("return " .. expression) end

test.case("the examples of §10.7", function()
  test.start{home = "reference"}
  test.eq(value_of("{77,78}:value:average"), 22.5)
  test.eq(value_of("{1,0,1}:sum"), 2)
  test.eq(value_of("{true,false,true}:mostlyTrue"), true)
  test.eq(value_of("{1,0,5}:bin"), {1, 0, 1})
  test.eq(value_of("{1,{2,{3}}}:leaf"), {1, 2, 3})
  test.eq(value_of("{55,56}:allTrue"), true)       -- ids are non-zero ...
  test.eq(value_of("{55,56}:isAllOn"), false)      -- ... so ask the devices
end)

test.case("truth: a value is true unless nil, false or 0", function()
  test.start{home = "reference"}
  test.eq(value_of("{1, 'x', {}}:allTrue"), true)
  test.eq(value_of("{0, false}:allFalse"), true)
  test.eq(value_of("{0, 1}:someTrue"), true)
  test.eq(value_of("{1, 1}:someFalse"), false)
  test.eq(value_of("{1, 0}:mostlyTrue"), false)    -- more than half
  test.eq(value_of("{0, 0, 1}:mostlyFalse"), true)
  test.eq(value_of("{}:allTrue"), true)
end)

test.case("sum and average: numbers, booleans as 1/0, the rest ignored", function()
  test.start{home = "reference"}
  test.eq(value_of("{1, true, false, 'x', 2.5}:sum"), 4.5)
  test.eq(value_of("{2, 'x', 4}:average"), 3.0)
  test.eq(value_of("{}:sum"), 0)
  test.eq(value_of("{}:average"), nil)
end)

test.case("id: the triggering device if it is in the list", function()
  test.start{home = "reference"}
  test.eval("{66,67}:breached => who = {66,67}:id")
  test.set(67, "value", false)
  test.set(67, "value", true)
  test.eq(test.eval("return who"), 67)
  test.eq(value_of("{66,67}:id"), {66, 67})
end)

test.case("a filter's object is scanned for triggers", function()
  test.start{home = "reference"}
  test.eval("{77,78}:value:average > 25 => log('warm on average')")
  test.clear()
  test.set(77, "value", 30)
  test.log_has("warm on average")
end)

test.case("getters over a list of ids and a list in a variable", function()
  test.start{home = "reference"}
  test.eval("lights = {55, 56}")
  test.eq(value_of("lights:value"), {false, 40})
  test.eq(value_of("lights:isOn"), true)
  test.eval("lights:off")
  test.eq(value_of("lights:isOn"), false)
end)
