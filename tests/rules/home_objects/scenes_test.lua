-- Named scenes (docs/eventscript.md "Scenes"): declarations, activate/deactivate,
-- restoring short-form scenes, events, start/kill, and scenes in variables.
local test = require("eventrunner.test")

-- The recorded actions as {id, action, args}.
local function performed()
  local list = {}
  for i, a in ipairs(test.actions()) do list[i] = {a.id, a.action, a.args} end
  return list
end

-- Checks that er.eval of `src` fails with a message containing `text`; returns it.
local function fails_with(src, text)
  local value, message = test.eval(src)
  test.eq(value, nil, "expected an error from " .. src)
  test.ok(message:find(text, 1, true), message)
  return message
end

test.case("a short-form scene sets its entries on activate", function()
  test.start{home = "reference"}
  test.eval("scene cozy = {kitchen_dimmer:value = 80, hall_lamp:on, 'garage':position = 30}")
  test.clear()
  test.eval("cozy:activate")
  test.eq(test.value(56, "value"), 80)
  test.eq(test.value(55, "value"), true)
  test.eq(test.value("garage", "position"), 30)
  test.eq(test.eval("return cozy:isActive"), true)
  test.eq(performed()[1], {"cozy", "activate", {}})
end)

test.case("deactivating a short-form scene restores what it changed", function()
  test.start{home = "reference"}
  test.eval("scene cozy = {56:value = 80, 55:on, {55, 56}:value = 10}")
  test.eval("cozy:activate")
  test.eq(test.value(56, "value"), 10)
  test.eval("56:value = 33")            -- changed after activation: restored all the same
  test.eval("cozy:activate")            -- a second activation keeps the first saved values
  test.eval("cozy:deactivate")
  test.eq(test.value(56, "value"), 40)
  test.eq(test.value(55, "value"), false)
  test.eq(test.eval("return cozy:isActive"), false)
  test.clear()
  test.eval("cozy:deactivate")          -- nothing saved any more: nothing changes
  test.eq(#performed(), 1)
end)

test.case("a long-form scene runs its deactivate body", function()
  test.start{home = "reference"}
  test.eval([[
    scene movie = {
      activate: {55:off, 56:value = 10},
      deactivate: {55:on, 56:value = 99}
    }]])
  test.eval("movie:activate")
  test.eq({test.value(55, "value"), test.value(56, "value")}, {false, 10})
  test.eval("movie:deactivate")
  test.eq({test.value(55, "value"), test.value(56, "value")}, {true, 99})
end)

test.case("expressions are evaluated at each activation, literals at declaration", function()
  test.start{home = "reference"}
  test.eval("level = 20; scene dyn = {56:value = level + 1}")
  test.eval("dyn:activate")
  test.eq(test.value(56, "value"), 21)
  test.eval("level = 50; dyn:activate")
  test.eq(test.value(56, "value"), 51)
end)

test.case("events: #scene on each (de)activation, isActive as a device trigger", function()
  test.start{home = "reference"}
  test.eval("scene cozy = {55:on}")
  test.eval("#scene{name='cozy', active='$a'} => log('scene event %s', a)")
  test.eval("cozy:isActive => log('isActive is %s', cozy:isActive)")
  test.eval("!cozy:isActive => log('isActive is false')")
  test.eval("cozy:activate")
  test.log_has("scene event true")
  test.log_has("isActive is true")
  test.eval("cozy:deactivate")
  test.log_has("scene event false")
  test.log_has("isActive is false")
end)

test.case("start activates, kill deactivates, and a scene can live in a variable", function()
  test.start{home = "reference"}
  test.eval("scene garden = {activate: {55:on}, deactivate: {55:off}}")
  test.eval("local s = garden; s:start")
  test.eq(test.value(55, "value"), true)
  test.eval("myScene = garden")
  test.eval("#night => myScene:kill")
  test.post({type = "night"})
  test.eq(test.value(55, "value"), false)
  test.eq(test.eval("return garden:isActive"), false)
  test.eq(test.eval("return garden:type"), "scene")
end)

test.case("a rule can switch scenes", function()
  test.start{home = "reference"}
  test.eval("scene bright = {56:value = 99}")
  test.eval("66:breached => bright:activate; wait(00:05); bright:deactivate")
  test.set(66, "value", true)
  test.eq(test.value(56, "value"), 99)
  test.advance("00:05")
  test.eq(test.value(56, "value"), 40)
end)

test.case("a declaration naming an unknown device or property is an error", function()
  test.start{home = "reference"}
  fails_with("scene bad = {200000:value = 1}", "No such device: 200000")
  fails_with("scene bad2 = {55:position = 1}", "does not support setting 'position'")
  fails_with("scene hall_lamp = {56:on}", "scene 'hall_lamp': the name is already used by Device 55 (binarySwitch)")
end)

test.case("scene entries must be properties or actions", function()
  test.start{home = "reference"}
  fails_with("scene bad = {lights = 1}", "a scene entry is 'object:property = value' or 'object:action'")
  fails_with("1:activate => log('x')", "'activate' is an action and cannot be used in a rule condition")
end)

test.case("a reloaded rules file gives a scene its new body and keeps its state", function()
  local home = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") .. "/../homes/objects"
  test.start{home = home}
  test.reload({["10-scenes.er"] = "scene cozy = {lamp:on}\n"})
  test.eval("cozy:activate")
  test.reload({["10-scenes.er"] = "scene cozy = {dimmer:value = 70}\n"})
  test.eq(test.eval("return cozy:isActive"), true)
  test.eval("cozy:activate")
  test.eq(test.value(11, "value"), 70)
end)
