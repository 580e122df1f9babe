-- er.controllers: rules across controllers (docs/multi-controller.md). Several engines
-- share one MQTT broker (or bridged brokers); each has a name, its controller, and
-- what it shares lives under `<base>/<controller>/`:
--
--   <base>/<controller>/status           online / offline (retained; the bridge's, with
--                                        its last will)
--   <base>/<controller>/events/<type>    what `publish(#type{...})` sends
--   <base>/<controller>/inbox            what `remote('<controller>', #type{...})` sends
--
--   local controllers = require("er.controllers").new(base, core, mqtt, match_event)
--
-- Events travel as JSON {"from": sender, "run": the sender's random run id, "seq": n,
-- "event": {...}} with QoS 1 on a persistent session. A message can arrive twice (a
-- retransmission after a broken connection), so each receiver applies an event at most
-- once: `seq` counts per sender run and topic, and the receiver keeps, per such stream,
-- the highest sequence applied without a gap and the ones applied past it. What is
-- published while the broker connection is down waits in an outbox (bounded) and goes
-- when it comes back.

local util = require("er.util")

local M = {}

-- Outbox bound: events published while the broker is unreachable. Past it the oldest
-- are dropped, counted and said once per outage.
M.OUTBOX_LIMIT = 10000

-- Applied sequence numbers kept past a gap per stream. A gap that never fills (an
-- event that never reached the broker) is given up once this many wait past it.
M.AHEAD_LIMIT = 4096

--------------------------------------------------------------------------------------
-- At most once: one stream per (sender, sender's run, topic)
--------------------------------------------------------------------------------------

-- Advances `stream` past the sequences applied without a gap.
local function close_gaps(stream)
  local ahead = stream.ahead
  while ahead[stream.applied + 1] do
    stream.applied = stream.applied + 1
    ahead[stream.applied] = nil
    stream.waiting = stream.waiting - 1
  end
end

-- Gives up the oldest gap: its event is lost for good (said by the caller).
local function skip_gap(stream)
  local lowest = math.huge
  for seq in pairs(stream.ahead) do
    if seq < lowest then lowest = seq end
  end
  stream.applied = lowest - 1
  close_gaps(stream)
end

-- True the first time `seq` is seen on `stream` (then it counts as applied).
local function first_time(stream, seq)
  if seq <= stream.applied or stream.ahead[seq] then return false end
  stream.ahead[seq] = true
  stream.waiting = stream.waiting + 1
  close_gaps(stream)
  if stream.waiting > M.AHEAD_LIMIT then skip_gap(stream) end
  return true
end
M.first_time = first_time

--- A new stream whose first message has sequence `seq` (none before it is expected).
function M.new_stream(seq)
  return {applied = seq - 1, ahead = {}, waiting = 0}
end

--------------------------------------------------------------------------------------
-- The wire format
--------------------------------------------------------------------------------------

-- A message as JSON text: `body` ({event =} or {action =, args =}) with from, run and
-- seq added; or nil and why it cannot be encoded.
local function encode(from, run, seq, body)
  body.from, body.run, body.seq = from, run, seq
  local ok, text = pcall(util.json_encode, body)
  if not ok then return nil, (tostring(text):gsub("^[^:]*:%d+: ", "")) end
  return text
end

-- The fields of a received message, or nil, what is wrong with it and the sender it
-- names (if any).
local function decode(payload)
  local ok, message = pcall(util.json_decode, payload)
  if not ok or type(message) ~= "table" then return nil, "not a JSON object" end
  if type(message.from) ~= "string" or message.from == "" then return nil, "no 'from' controller" end
  if math.type(message.run) ~= "integer" or math.type(message.seq) ~= "integer" then
    return nil, "no integer 'run' and 'seq'", message.from
  end
  return message
end

-- The event of a decoded message, or nil and what is wrong with it.
local function event_of(message)
  local event = message.event
  if type(event) ~= "table" or type(event.type) ~= "string" or event.type == "" then
    return nil, "no 'event' with a string 'type'"
  end
  return event
end
M.encode, M.decode, M.event_of = encode, decode, event_of

--------------------------------------------------------------------------------------
-- The module
--------------------------------------------------------------------------------------

-- One topic level made of an event type: MQTT's special characters replaced.
local function topic_level(text)
  return (text:gsub("[/+#]", "_"))
end

function M.new(base, core, mqtt, match_event)
  local log, G = base.log, base.G
  local controllers = {}
  local self_name, topics = nil, nil   -- Set by attach.
  local run = 0                        -- This engine's run: its start time (epoch ms).
  local sequences = {}                 -- topic -> last sequence sent
  local streams = {}                   -- "from\0run\0topic" -> stream
  local outbox, outbox_first, outbox_last, dropped = {}, 1, 0, 0  -- a queue: [first, last]
  local patterns = {}                  -- subscribe(...) patterns, in order
  local pattern_keys = {}              -- their canonical texts: a reload subscribes again
  local subscribed_types = {}          -- event type (or "#") -> true
  local warned = {}                    -- what was said once
  local counts = {sent = 0, received = 0, applied = 0, duplicates = 0, malformed = 0}

  local function warn_once(key, text)
    if warned[key] then return end
    warned[key] = true
    log("warn", text)
  end

  -- Sending -------------------------------------------------------------------------

  local function flush_outbox()
    while outbox[outbox_first] ~= nil do
      local message = outbox[outbox_first]
      if not mqtt.send(message[1], message[2], 1, false) then return false end
      outbox[outbox_first], outbox_first = nil, outbox_first + 1
      counts.sent = counts.sent + 1
    end
    if dropped > 0 then
      log("warn", "controllers: " .. dropped .. " event(s) published while the broker was unreachable were "
          .. "dropped (the outbox holds " .. M.OUTBOX_LIMIT .. ")")
      dropped = 0
    end
    return true
  end

  local function queue(topic, text)
    outbox_last = outbox_last + 1
    outbox[outbox_last] = {topic, text}
    if outbox_last - outbox_first + 1 > M.OUTBOX_LIMIT then
      outbox[outbox_first], outbox_first = nil, outbox_first + 1
      dropped = dropped + 1
    end
  end

  -- Sends `body` on `topic` now, or queues it (in order) until the broker is back.
  local function deliver(topic, body, who)
    local seq = (sequences[topic] or 0) + 1
    local text, problem = encode(self_name, run, seq, body)
    if text == nil then error(who .. ": this cannot be sent (" .. problem .. ")", 3) end
    sequences[topic] = seq
    if flush_outbox() and mqtt.send(topic, text, 1, false) then
      counts.sent = counts.sent + 1
    else
      queue(topic, text)
    end
    return true
  end

  -- An event argument of publish/remote: a table with a string `type`.
  local function check_event(event, who)
    if type(event) ~= "table" or type(event.type) ~= "string" or event.type == "" then
      error(who .. ": expected an event such as #alarm{zone = 'garage'}, got " .. util.canonical(event), 3)
    end
  end

  -- False (and said once) when no broker connection is configured.
  local function can_send(who)
    if topics ~= nil then return true end
    warn_once("no-mqtt", who .. ": this engine has no MQTT connection (home.lua: mqtt = {...}); events are not "
              .. "sent to other controllers")
    return false
  end

  -- Receiving -----------------------------------------------------------------------

  local function stream_of(message, topic)
    local key = message.from .. "\0" .. message.run .. "\0" .. topic
    local stream = streams[key]
    if stream == nil then
      stream = M.new_stream(message.seq)
      streams[key] = stream
    end
    return stream
  end

  local function wanted(event)
    for _, pattern in ipairs(patterns) do
      if match_event(pattern, event) then return true end
    end
    return false
  end

  -- Bad input from the network: said once per topic, with where it came from (the
  -- topic names the sender of an events topic; the message may name its sender).
  local function drop(topic, problem, sender)
    counts.malformed = counts.malformed + 1
    warn_once("bad:" .. topic, "controllers: a message on " .. topic .. (sender and " from " .. sender or "")
              .. ": " .. problem .. "; dropped (said once for this topic)")
  end

  -- The decoded message on `topic` when it is new and not our own; nil otherwise
  -- (malformed ones said once, duplicates counted).
  local function accept(topic, payload)
    counts.received = counts.received + 1
    local message, problem, sender = decode(payload)
    if message == nil then return drop(topic, problem, sender) end
    if message.from == self_name then return nil end  -- Our own, seen by our subscription.
    if not first_time(stream_of(message, topic), message.seq) then
      counts.duplicates = counts.duplicates + 1
      return nil
    end
    return message
  end

  -- A message on an events topic or this engine's inbox.
  local function on_message(topic, payload, retained)
    if retained then return end  -- Events are never retained; a retained one is not ours.
    local message = accept(topic, payload)
    if message == nil then return end
    local event, problem = event_of(message)
    if event == nil then return drop(topic, problem, message.from) end
    if topic ~= topics.inbox and not wanted(event) then return end
    counts.applied = counts.applied + 1
    event._from = message.from
    core.emit(event)
  end

  local function events_filter(event_type)
    return topics.base .. "/+/events/" .. (event_type == "#" and "#" or topic_level(event_type))
  end

  local function listen_for(event_type)
    if subscribed_types[event_type] then return end
    subscribed_types[event_type] = true
    if topics ~= nil then mqtt.listen(events_filter(event_type), on_message) end
  end

  -- The builtins ----------------------------------------------------------------------

  --- publish(#type{...}): to every controller that subscribed to a matching pattern.
  function G.publish(event)
    check_event(event, "publish")
    if not can_send("publish") then return false end
    return deliver(topics.mine .. "/events/" .. topic_level(event.type), {event = event}, "publish")
  end

  --- remote(controller, #type{...}): to that controller only (whether or not it subscribed).
  function G.remote(controller, event)
    if type(controller) ~= "string" or controller == "" or controller:find("[/+#]") then
      error("remote: expected a controller's name such as 'garage', got " .. util.canonical(controller), 2)
    end
    check_event(event, "remote")
    if not can_send("remote") then return false end
    return deliver(topics.base .. "/" .. controller .. "/inbox", {event = event}, "remote")
  end

  --- subscribe(#type{pattern}): events other controllers publish that match it are
  --- posted here, so `#type` rules trigger.
  function G.subscribe(pattern)
    if type(pattern) ~= "table" or type(pattern.type) ~= "string" or pattern.type == "" then
      error("subscribe: expected an event pattern such as #alarm{zone = '$z'}, got " .. util.canonical(pattern), 2)
    end
    local key = util.canonical(pattern)
    if pattern_keys[key] then return true end
    pattern_keys[key] = true
    patterns[#patterns + 1] = pattern
    -- A type with a capture (`type = '$t'`) cannot name a topic: every type is heard.
    listen_for(pattern.type:byte(1) == 36 and "#" or pattern.type)
    return true
  end

  -- The host side -------------------------------------------------------------------

  --- Starts sharing: `opts` are the MQTT transport's options (base_topic, controller).
  function controllers.attach(opts)
    self_name = opts.controller ~= "" and opts.controller or opts.base_topic
    local base_topic = opts.base_topic
    topics = {base = base_topic, mine = base_topic .. "/" .. self_name,
              inbox = base_topic .. "/" .. self_name .. "/inbox"}
    -- The run id tells this process's sequence numbers from an earlier run's. Not the
    -- clock: a virtual clock (`run --start`) starts at the same instant every time.
    -- Lua 5.4 seeds math.random randomly when the state is made.
    run = math.random(1, (1 << 53) - 1)
    mqtt.listen(topics.inbox, on_message)
    for event_type in pairs(subscribed_types) do mqtt.listen(events_filter(event_type), on_message) end
  end

  --- This engine's controller name (nil before attach).
  function controllers.name() return self_name end

  --- For er.remote_devices: the topics ({base =, mine =, inbox =}; nil before attach),
  --- deliver(topic, body, who) (QoS 1, numbered, queued while the broker is away),
  --- accept(topic, payload) (the decoded message once, else nil) and one topic level
  --- made of a name.
  function controllers.topics() return topics end
  controllers.deliver, controllers.accept, controllers.topic_level = deliver, accept, topic_level

  --- Counters: sent, received, applied, duplicates, malformed, queued; patterns.
  function controllers.stats()
    local copy = {}
    for key, value in pairs(counts) do copy[key] = value end
    copy.queued = outbox_last - outbox_first + 1
    copy.patterns = #patterns
    return copy
  end

  mqtt.on_connection(function(up)
    if up and topics ~= nil then flush_outbox() end
  end)

  base.on_reset(function()
    patterns, pattern_keys, subscribed_types, streams, sequences = {}, {}, {}, {}, {}
    outbox, outbox_first, outbox_last, dropped, warned = {}, 1, 0, 0, {}
  end)
  return controllers
end

return M
