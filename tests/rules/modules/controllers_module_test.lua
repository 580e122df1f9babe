-- er.controllers, er.shared_globals and er.remote_devices through their interfaces, on
-- a fake MQTT connection: numbering, the outbox, at-most-once delivery, pattern
-- matching, bad input, and the hybrid logical clock (docs/multi-controller.md).
local test = require("eventrunner.test")

local E = require("er.engine").E
local controllers_module = require("er.controllers")
local shared_module = require("er.shared_globals")
local remote_module = require("er.remote_devices")

-- A fake er.mqtt: what is sent, who listens, and a switch for the connection.
local function fake_mqtt()
  local mqtt = {sent = {}, listeners = {}, hooks = {}, up = true}
  function mqtt.send(topic, text, qos, retain)
    if not mqtt.up then return false end
    mqtt.sent[#mqtt.sent + 1] = {topic = topic, message = E.util.json_decode(text), qos = qos, retain = retain}
    return true
  end
  function mqtt.listen(filter, handler) mqtt.listeners[filter] = handler end
  function mqtt.on_connection(fn) mqtt.hooks[#mqtt.hooks + 1] = fn end
  function mqtt.connect(up)
    mqtt.up = up
    for _, hook in ipairs(mqtt.hooks) do hook(up) end
  end
  return mqtt
end

-- A controller named `name` on a fake connection; emitted events land in `emitted`.
local function new_controller(name)
  local mqtt, emitted, logs = fake_mqtt(), {}, {}
  local base = setmetatable({log = function(level, text) logs[#logs + 1] = level .. ": " .. text end},
                            {__index = E.base})
  local core = {emit = function(ev) emitted[#emitted + 1] = ev end}
  local c = controllers_module.new(base, core, mqtt, require("er.rules").match_event)
  c.attach({base_topic = "er", controller = name})
  return c, mqtt, emitted, logs, base.G
end

local function json(t) return E.util.json_encode(t) end

test.case("publish numbers its messages per topic and sends them with QoS 1, not retained", function()
  local _, mqtt, _, _, G = new_controller("hub")
  G.publish({type = "doorbell", button = "front"})
  G.publish({type = "doorbell", button = "back"})
  G.remote("garage", {type = "open"})
  test.eq(#mqtt.sent, 3)
  test.eq(mqtt.sent[1].topic, "er/hub/events/doorbell")
  test.eq(mqtt.sent[1].message.event, {type = "doorbell", button = "front"})
  test.eq({mqtt.sent[1].message.seq, mqtt.sent[2].message.seq}, {1, 2})
  test.eq(mqtt.sent[2].qos, 1)
  test.eq(mqtt.sent[2].retain, false)
  test.eq(mqtt.sent[3].topic, "er/garage/inbox")
  test.eq(mqtt.sent[3].message.seq, 1)
  test.eq(mqtt.sent[3].message.from, "hub")
end)

test.case("what is published while the broker is away goes out in order when it is back", function()
  local c, mqtt, _, _, G = new_controller("hub")
  mqtt.up = false
  for i = 1, 3 do G.publish({type = "tick", n = i}) end
  test.eq(#mqtt.sent, 0)
  test.eq(c.stats().queued, 3)
  mqtt.connect(true)
  test.eq(#mqtt.sent, 3)
  test.eq({mqtt.sent[1].message.event.n, mqtt.sent[2].message.event.n, mqtt.sent[3].message.event.n}, {1, 2, 3})
  test.eq(c.stats().queued, 0)
end)

test.case("a subscriber applies each event once, whatever the order, and only what its patterns match", function()
  local _, mqtt, emitted, _, G = new_controller("garage")
  G.subscribe({type = "doorbell", button = "back"})
  local handler = mqtt.listeners["er/+/events/doorbell"]
  test.ok(handler ~= nil, "subscribes to the events topic of the type")
  local function message(seq, button)
    return json({from = "hub", run = 5, seq = seq, event = {type = "doorbell", button = button}})
  end
  handler("er/hub/events/doorbell", message(1, "back"), false)
  handler("er/hub/events/doorbell", message(3, "back"), false)
  handler("er/hub/events/doorbell", message(1, "back"), false)  -- redelivered
  handler("er/hub/events/doorbell", message(2, "front"), false)  -- not wanted
  handler("er/hub/events/doorbell", message(3, "back"), false)  -- redelivered out of order
  test.eq(#emitted, 2)
  test.eq(emitted[1]._from, "hub")
  handler("er/garage/events/doorbell", json({from = "garage", run = 1, seq = 1,
                                              event = {type = "doorbell", button = "back"}}), false)
  test.eq(#emitted, 2, "a controller does not hear itself")
end)

test.case("subscribing again to the same pattern (a reload) keeps one", function()
  local c, mqtt, emitted, _, G = new_controller("garage")
  G.subscribe({type = "doorbell"})
  G.subscribe({type = "doorbell"})
  mqtt.listeners["er/+/events/doorbell"]("er/hub/events/doorbell",
    json({from = "hub", run = 1, seq = 1, event = {type = "doorbell"}}), false)
  test.eq(#emitted, 1)
  test.eq(c.stats().patterns, 1)
end)

test.case("bad input is said once per topic with where it came from, and dropped", function()
  local _, mqtt, emitted, logs = new_controller("garage")
  local inbox = mqtt.listeners["er/garage/inbox"]
  inbox("er/garage/inbox", "{oops", false)
  inbox("er/garage/inbox", json({from = "hub", run = 1, seq = 1, event = {n = 1}}), false)
  inbox("er/garage/inbox", json({from = "hub", run = 1, seq = 2, event = {type = "ping"}}), false)
  test.eq(#emitted, 1)
  test.eq(#logs, 1)
  test.ok(logs[1]:find("a message on er/garage/inbox: not a JSON object; dropped", 1, true), logs[1])
end)

test.case("publish and remote check their arguments", function()
  local _, _, _, _, G = new_controller("hub")
  test.ok(not pcall(G.publish, "doorbell"))
  test.ok(not pcall(G.remote, "a/b", {type = "x"}))
  test.ok(not pcall(G.subscribe, {button = 1}))
  local ok, err = pcall(G.publish, {type = "x", f = function() end})
  test.ok(not ok and tostring(err):find("cannot be sent", 1, true), tostring(err))
end)

test.case("the hybrid logical clock orders writes by wall time, then counter, then controller", function()
  test.ok(shared_module.later({2, 0, "a"}, {1, 9, "z"}))
  test.ok(shared_module.later({1, 2, "a"}, {1, 1, "z"}))
  test.ok(shared_module.later({1, 1, "b"}, {1, 1, "a"}))
  local clock = shared_module.clock()
  test.eq({clock.tick(100)}, {100, 0})
  test.eq({clock.tick(100)}, {100, 1})
  -- A stamp from a controller whose clock is ahead: later local writes stay above it.
  clock.observe(500, 3, 101)
  test.eq({clock.tick(102)}, {500, 5})
  test.eq({clock.tick(600)}, {600, 0})
end)

test.case("remote = {...} takes lists of names or \"all\"", function()
  test.eq(remote_module.parse({garage = {"door"}, shed = "all"}), {garage = {door = true}, shed = true})
  test.ok(not pcall(remote_module.parse, {garage = 5}))
  test.ok(not pcall(remote_module.parse, {["a/b"] = "all"}))
  test.ok(not pcall(remote_module.parse, {garage = {1}}))
end)
