-- Spec §10.8: method calls `X:m(args)`.
local test = require("eventrunner.test")

test.case("a device id: the device action, returning its first result", function()
  test.start{home = "reference"}
  test.eq(test.eval("return 56:setValue(70)"), true)
  test.eq(test.value(56, "value"), 70)
  test.eq(test.eval('return "garage":setPosition(20)'), true)
  test.eq(test.value("garage", "position"), 20)
  test.device{id = 600, name = "calc", type = "helper", actions = {
    add = function(dev, a, b) return a + b, "extra" end}}
  test.eq(test.eval("return 600:add(2, 3)"), 5)
  test.eq(test.actions()[3].args, {2, 3})
end)

test.case("a table without the field: the action on each element", function()
  test.start{home = "reference"}
  test.eq(test.eval("return {55, 56}:turnOn()"), true)
  test.eq(test.value(55, "value"), true)
  test.eq(test.value(56, "value"), 99)
end)

test.case("otherwise a Lua method call", function()
  test.start{home = "reference"}
  test.eq(test.eval('return ("abc"):upper()'), "ABC")
  test.eq(test.eval("obj = {n = 2}; function obj:twice() return self.n * 2 end; return obj:twice()"), 4)
  test.eq(test.eval('return ("a,b"):find(",")'), 2)
end)

test.case("an unknown action or device", function()
  test.start{home = "reference"}
  local value, message = test.eval("x = 55; return x:fly()")
  test.eq(value, nil)
  test.ok(message:find("Device 55 (binarySwitch) does not support 'fly'", 1, true), message)
  value, message = test.eval("66:breached => 200000:turnOn()")
  test.eq(value, nil)
  test.ok(message:find("No such device: 200000", 1, true), message)
end)
