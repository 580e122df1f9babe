-- er.mqtt: MQTT as rules see it (docs/mqtt.md): `mqtt.publish` in actions,
-- `#mqtt{topic = 'home/doorbell/#'}` triggers, and the engine's own `$globals` and rule
-- switches published back under the base topic (with Home Assistant discovery).
--
--   local mqtt = require("er.mqtt").new(base, core, rules, store, devices)
--
-- The network is the host's (adapters/mqtt): it attaches a transport, and what arrives
-- comes as bus messages "er.mqtt" (kind, ...):
--   "message", topic, payload, retained   a message on a filter this module asked for
--   "connected" / "disconnected"          the broker connection changed
--   "device", spec_json                   discovery found a device (defined here)
--   "log", level, text                    the network side's log lines
-- Without a transport `mqtt.publish` is an error and `#mqtt` triggers never fire.

local util = require("er.util")

local M = {}

local SCENE_TYPE = require("er.scenes").TYPE

M.BUS_MESSAGE = "er.mqtt"

-- True when `filter` is a valid subscription filter: wildcards fill whole levels and `#`
-- comes last.
local function valid_filter(filter)
  if filter == "" then return false end
  local levels = {}
  for level in (filter .. "/"):gmatch("([^/]*)/") do levels[#levels + 1] = level end
  for i, level in ipairs(levels) do
    if level:find("[#+]") and #level > 1 then return false end
    if level == "#" and i < #levels then return false end
  end
  return true
end
M.valid_filter = valid_filter

-- A payload as it goes on the wire: tables as JSON, other values as text.
local function payload_text(payload)
  if payload == nil then return "" end
  if type(payload) == "table" then return util.json_encode(payload) end
  return tostring(payload)
end

-- A received payload as rules see it: JSON objects and arrays decoded to tables, other
-- payloads kept as text.
local function payload_value(text)
  local first = text:match("^%s*([%[{])")
  if first == nil then return text end
  local ok, value = pcall(util.json_decode, text)
  if ok and type(value) == "table" then return value end
  return text
end

-- A value received on a `/set` topic: JSON when it parses as JSON, else the text.
local function set_value(text)
  local ok, value = pcall(util.json_decode, text)
  if ok and value ~= nil then return value end
  return text
end

-- The text a `$global` is published as: strings as they are, other values as JSON.
local function global_text(value)
  if type(value) == "string" then return value end
  return util.json_encode(value)
end

local ON_WORDS = {ON = true, on = true, ["true"] = true, ["1"] = true, enable = true, enabled = true}
local OFF_WORDS = {OFF = true, off = true, ["false"] = true, ["0"] = true, disable = true, disabled = true}

function M.new(base, core, rules, store, devices)
  local log, er = base.log, base.er
  local transport = nil  -- {publish(topic, text, qos, retain), subscribe(filter), unsubscribe(filter)}
  local options = {base_topic = "eventrunner", status_topic = nil, globals = false, rules = false, homeassistant = false,
                   homeassistant_prefix = "homeassistant"}
  local connected = false
  local filter_users = {}                                 -- filter -> rules that name it
  local filters_of = setmetatable({}, {__mode = "k"})     -- rule -> its filters
  local mqtt = {}

  -- False when the message could not be handed to the broker connection (none, or down).
  local function send(topic, payload, qos, retain)
    if transport == nil then return false end
    return transport.publish(topic, payload_text(payload), qos or 1, retain == true) ~= false
  end

  -- Subscriptions ---------------------------------------------------------------------

  local function use_filter(filter)
    filter_users[filter] = (filter_users[filter] or 0) + 1
    if filter_users[filter] == 1 and transport then transport.subscribe(filter) end
  end

  local function release_filter(filter)
    local users = (filter_users[filter] or 1) - 1
    filter_users[filter] = users > 0 and users or nil
    if users <= 0 and transport then transport.unsubscribe(filter) end
  end

  -- The topic filters of a rule's `#mqtt{topic = ...}` patterns.
  local function rule_filters(rule)
    local list = {}
    for _, pattern in pairs(rule.patterns or {}) do
      local topic = type(pattern) == "table" and pattern.type == "mqtt" and pattern.topic
      if type(topic) == "string" and topic:byte(1) ~= 36 then  -- "$" is a capture
        if valid_filter(topic) then
          list[#list + 1] = topic
        else
          log("warn", "[" .. rule.name .. "] #mqtt: '" .. topic .. "' is not a valid topic filter")
        end
      end
    end
    return list
  end

  rules.on_rule_set(function(rule, added)
    if added then
      local list = rule_filters(rule)
      if #list == 0 then return end
      filters_of[rule] = list
      for _, filter in ipairs(list) do use_filter(filter) end
    elseif filters_of[rule] then
      for _, filter in ipairs(filters_of[rule]) do release_filter(filter) end
      filters_of[rule] = nil
    end
  end)

  -- The control topics the engine listens to when it publishes itself.
  local function control_filters()
    local list = {}
    local b = options.base_topic
    if options.globals then list[#list + 1] = b .. "/global/+/set" end
    if options.rules then list[#list + 1] = b .. "/rule/+/set" end
    if options.homeassistant then
      list[#list + 1] = options.homeassistant_prefix .. "/status"
      list[#list + 1] = b .. "/scene/+/set"
    end
    return list
  end

  -- Publishing the engine -----------------------------------------------------------

  local function device_block()
    return {identifiers = {"eventrunner_" .. options.base_topic}, name = "EventRunner " .. options.base_topic,
            manufacturer = "EventRunner"}
  end

  -- Home Assistant discovery of one global or rule switch (retained config).
  local function announce(kind, name, component, fields)
    local object_id = kind .. "_" .. name:gsub("[^%w_]", "_")
    local config = {name = kind .. " " .. name, unique_id = options.base_topic .. "_" .. object_id,
                    object_id = options.base_topic .. "_" .. object_id,
                    availability_topic = options.status_topic or options.base_topic .. "/status",
                    device = device_block()}
    for k, v in pairs(fields) do config[k] = v end
    send(options.homeassistant_prefix .. "/" .. component .. "/" .. options.base_topic .. "/" .. object_id
         .. "/config", config, 1, true)
  end

  local function announce_global(name, value)
    local topic = options.base_topic .. "/global/" .. name
    local fields = {state_topic = topic, command_topic = topic .. "/set"}
    local component = "text"
    if type(value) == "boolean" then
      component, fields.payload_on, fields.payload_off = "switch", "true", "false"
      fields.state_on, fields.state_off = "true", "false"
    elseif type(value) == "number" then
      component, fields.min, fields.max, fields.mode = "number", -1e9, 1e9, "box"
    elseif type(value) == "table" then
      component, fields.command_topic = "sensor", nil
      fields.value_template = "{{ value_json | tojson }}"
    end
    announce("global", name, component, fields)
  end

  local function publish_global(name, value)
    if not (connected and options.globals) then return end
    local topic = options.base_topic .. "/global/" .. name
    if value == nil then
      send(topic, "", 1, true)  -- An empty retained message removes it from the broker.
      return
    end
    send(topic, global_text(value), 1, true)
    if options.homeassistant then announce_global(name, value) end
  end

  local function publish_rule(rule)
    if not (connected and options.rules) or rule.removed then return end
    local topic = options.base_topic .. "/rule/" .. rule.name
    send(topic, rule.enabled and "ON" or "OFF", 1, true)
    if options.homeassistant then
      announce("rule", rule.name, "switch", {state_topic = topic, command_topic = topic .. "/set",
                                            payload_on = "ON", payload_off = "OFF"})
    end
  end

  -- A named scene as a Home Assistant scene entity: activating it there activates it
  -- here (`<base>/scene/<name>/set`).
  local function publish_scene(dev)
    if not (connected and options.homeassistant) then return end
    announce("scene", dev.name, "scene", {command_topic = options.base_topic .. "/scene/" .. dev.name .. "/set",
                                          payload_on = "ON"})
  end
  mqtt.publish_scene = publish_scene

  local function publish_all()
    if options.homeassistant then
      for _, dev in devices.each() do
        if dev.type == SCENE_TYPE then publish_scene(dev) end
      end
    end
    if options.globals then
      for name, value in pairs(er.globals) do publish_global(name, value) end
    end
    if options.rules then
      for _, rule in pairs(rules.by_id) do publish_rule(rule) end
    end
  end

  store.on_global(publish_global)
  rules.on_switch(publish_rule)

  -- What arrives ----------------------------------------------------------------------

  local function set_rule(name, text)
    local rule = rules.by_name[name]
    if rule == nil then
      log("warn", "mqtt: " .. options.base_topic .. "/rule/" .. name .. "/set: no rule named '" .. name .. "'")
    elseif ON_WORDS[text] then
      rule:enable()
    elseif OFF_WORDS[text] then
      rule:disable()
    else
      log("warn", "mqtt: " .. options.base_topic .. "/rule/" .. name .. "/set: expected ON or OFF, got '"
          .. text:sub(1, 40) .. "'")
    end
  end

  local function set_global(name, text)
    local ok, err = pcall(function() er.globals[name] = set_value(text) end)
    if not ok then log("warn", "mqtt: " .. options.base_topic .. "/global/" .. name .. "/set: " .. tostring(err)) end
  end

  local function activate_scene(name, text)
    local dev = devices.named(name)
    if dev == nil or dev.type ~= SCENE_TYPE then
      log("warn", "mqtt: " .. options.base_topic .. "/scene/" .. name .. "/set: no scene named '" .. name .. "'")
    elseif ON_WORDS[text] then
      dev:call("activate")
    elseif OFF_WORDS[text] then
      dev:call("deactivate")
    else
      log("warn", "mqtt: " .. options.base_topic .. "/scene/" .. name .. "/set: expected ON or OFF, got '"
          .. text:sub(1, 40) .. "'")
    end
  end

  -- A message on a control topic; true when it was one.
  local function control(topic, payload)
    local b = options.base_topic
    if topic:sub(1, #b + 1) == b .. "/" then
      local kind, name = topic:sub(#b + 2):match("^(%a+)/([^/]+)/set$")
      if kind == "global" and options.globals then set_global(name, payload); return true end
      if kind == "rule" and options.rules then set_rule(name, payload); return true end
      if kind == "scene" and options.homeassistant then activate_scene(name, payload); return true end
    end
    if options.homeassistant and topic == options.homeassistant_prefix .. "/status" then
      -- Home Assistant restarted: it forgets what it had not kept, so announce again.
      if payload == "online" then publish_all() end
      return true
    end
    return false
  end

  -- Topics other modules handle (er.controllers): filter -> handler(topic, payload, retained).
  local listeners = {}
  local connection_hooks = {}

  -- The handler of the first listener whose filter matches `topic`, or nil.
  local function listener_of(topic)
    for filter, handler in pairs(listeners) do
      if util.mqtt_topic_matches(filter, topic) then return handler end
    end
    return nil
  end

  local function wanted_by_rules(topic)
    for filter in pairs(filter_users) do
      if util.mqtt_topic_matches(filter, topic) then return true end
    end
    return false
  end

  local function on_message(topic, payload, retained)
    if control(topic, payload) then return end
    local handler = next(listeners) ~= nil and listener_of(topic)
    if handler then handler(topic, payload, retained); return end
    -- A retained message replayed on subscribe is a state, not a happening.
    if retained or not wanted_by_rules(topic) then return end
    core.emit({type = "mqtt", topic = topic, payload = payload_value(payload)})
  end

  -- A device discovery found: {id=, name=, type=} (or its JSON text).
  local function define_discovered(spec)
    if type(spec) == "string" then
      local ok, decoded = pcall(util.json_decode, spec)
      spec = ok and decoded or nil
    end
    if type(spec) ~= "table" then return end
    if spec.name ~= nil and devices.named(spec.name) ~= nil then return end  -- The home's own wins.
    spec.backend = "mqtt"
    spec.props = spec.props or {}
    spec.props.available = false
    local defined, err = pcall(er.defineDevice, spec)
    if defined then
      devices.apply_report(spec.id, "available", false, "restore")
      log("info", "mqtt: discovered " .. tostring(spec.name) .. " (" .. tostring(spec.type) .. ", id "
          .. tostring(spec.id) .. ")")
    else
      log("warn", "mqtt: discovered device " .. tostring(spec.name) .. " not defined: " .. tostring(err))
    end
  end

  local HANDLERS = {
    message = on_message,
    connected = function()
      connected = true
      publish_all()
      for _, hook in ipairs(connection_hooks) do hook(true) end
    end,
    disconnected = function()
      connected = false
      for _, hook in ipairs(connection_hooks) do hook(false) end
    end,
    device = define_discovered,
    log = function(level, text) log(level, text) end,
  }
  local sys = rawget(_G, "sys")
  if sys ~= nil then
    sys.subscribe(M.BUS_MESSAGE, function(kind, ...)
      local handler = HANDLERS[kind]
      if handler then handler(...) end
    end)
  end

  -- The host side -------------------------------------------------------------------

  --- Attaches the network: `t` has publish(topic, text, qos, retain), subscribe(filter),
  --- unsubscribe(filter). `opts`: base_topic, globals, rules, homeassistant,
  --- homeassistant_prefix. Subscribes to every filter rules and the options need.
  function mqtt.attach(t, opts)
    for key, value in pairs(opts or {}) do options[key] = value end
    for _, filter in ipairs(control_filters()) do use_filter(filter) end
    transport = t
    for filter in pairs(filter_users) do transport.subscribe(filter) end
  end

  --- Publishes for other modules (notifications); false when not connected.
  mqtt.send = send

  --- For other modules: messages on `filter` go to handler(topic, payload, retained)
  --- instead of rules' `#mqtt` triggers (subscribed with QoS 1 while attached).
  function mqtt.listen(filter, handler)
    if listeners[filter] == nil then use_filter(filter) end
    listeners[filter] = handler
  end

  function mqtt.unlisten(filter)
    if listeners[filter] == nil then return end
    listeners[filter] = nil
    release_filter(filter)
  end

  --- fn(true) when the broker connection comes up, fn(false) when it goes down.
  function mqtt.on_connection(fn) connection_hooks[#connection_hooks + 1] = fn end

  --- The attached transport's options (base_topic, controller, status_topic, ...).
  function mqtt.options() return options end

  --- True while a transport is attached.
  function mqtt.attached() return transport ~= nil end

  function mqtt.detach()
    transport, connected = nil, false
  end

  --- Defines a discovered device now (the host does, before the rules, for the
  --- devices found while it waited for the broker at start).
  mqtt.define_discovered = define_discovered

  --- The filters subscribed for rules and control topics (for the host and tests).
  function mqtt.filters()
    local list = {}
    for filter in pairs(filter_users) do list[#list + 1] = filter end
    table.sort(list)
    return list
  end

  -- `mqtt.publish(topic, payload, {retain =, qos =})` for rules and scripts.
  base.G.mqtt = {
    publish = function(topic, payload, opts)
      if type(topic) ~= "string" or topic == "" or topic:find("[#+]") then
        error("mqtt.publish: the topic must be a non-empty string without wildcards", 2)
      end
      if opts ~= nil and type(opts) ~= "table" then error("mqtt.publish: options must be a table", 2) end
      opts = opts or {}
      local qos = opts.qos or 1
      if qos ~= 0 and qos ~= 1 and qos ~= 2 then error("mqtt.publish: qos must be 0, 1 or 2", 2) end
      if transport == nil then error("mqtt.publish: this engine has no MQTT connection (home.lua: mqtt = {...})", 2) end
      send(topic, payload, qos, opts.retain == true)
      return true
    end,
  }
  return mqtt
end

return M
