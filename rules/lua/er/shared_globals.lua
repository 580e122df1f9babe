-- er.shared_globals: `$globals` shared between controllers (docs/multi-controller.md).
--
-- home.lua `shared = {"Mode", "Away"}` names the globals this controller shares. Each
-- one's value is a retained message
--   <base>/shared/<name>    {"value": ..., "hlc": [wall ms, counter], "from": controller}
-- written by whoever changed it last. Every write is stamped by a hybrid logical clock
-- (Kulkarni et al., 2014): the stamp is above every stamp this controller has seen and
-- at least its wall clock, so causally later writes win even across clock skew. Two
-- writes compare by (wall, counter, controller name); the greatest wins everywhere
-- (last writer wins), so after a partition every controller converges on the same
-- value. A controller that receives a value older than its own publishes its own
-- again: the broker's retained copy (which a healed bridge may have overwritten with
-- the other side's) ends with the winner too.
--
--   local shared = require("er.shared_globals").new(base, store, mqtt, controllers)

local util = require("er.util")

local M = {}

-- True when stamp a = {wall, counter, from} is later than b.
local function later(a, b)
  if a[1] ~= b[1] then return a[1] > b[1] end
  if a[2] ~= b[2] then return a[2] > b[2] end
  return a[3] > b[3]
end
M.later = later

--- The hybrid logical clock: {wall =, counter =}; tick(now) for a local write,
--- observe(stamp, now) for a received one.
function M.clock()
  local hlc = {wall = 0, counter = 0}
  function hlc.tick(now)
    if now > hlc.wall then hlc.wall, hlc.counter = now, 0 else hlc.counter = hlc.counter + 1 end
    return hlc.wall, hlc.counter
  end
  function hlc.observe(wall, counter, now)
    local top = math.max(hlc.wall, wall, now)
    if top == hlc.wall and top == wall then
      hlc.counter = math.max(hlc.counter, counter) + 1
    elseif top == hlc.wall then
      hlc.counter = hlc.counter + 1
    elseif top == wall then
      hlc.counter = counter + 1
    else
      hlc.counter = 0
    end
    hlc.wall = top
  end
  return hlc
end

function M.new(base, store, mqtt, controllers)
  local log, er = base.log, base.er
  local shared = {}
  local names = {}         -- name -> true: the shared globals
  local stamps = {}        -- name -> {wall, counter, from} of the value held here
  local hlc = M.clock()
  local applying = nil     -- the name being set from the network (not published back)
  local topics, self_name = nil, nil
  local warned = {}

  local function topic_of(name) return topics.base .. "/shared/" .. controllers.topic_level(name) end

  local function publish(name, value)
    local stamp = stamps[name]
    local ok, text = pcall(util.json_encode, {name = name, value = value, hlc = {stamp[1], stamp[2]}, from = stamp[3]})
    if ok then mqtt.send(topic_of(name), text, 1, true) end
  end

  -- A local write of a shared global: a new stamp, published (retained).
  store.on_global(function(name, value)
    if not names[name] or name == applying or topics == nil then return end
    local wall, counter = hlc.tick(base.epoch_ms())
    stamps[name] = {wall, counter, self_name}
    publish(name, value)
  end)

  local function bad(topic, problem)
    if warned[topic] then return end
    warned[topic] = true
    log("warn", "controllers: a shared global on " .. topic .. ": " .. problem .. "; dropped (said once for this topic)")
  end

  -- Another controller's write (or the broker's retained copy of one).
  local function on_message(topic, payload)
    if payload == "" then return end
    local ok, message = pcall(util.json_decode, payload)
    if not ok or type(message) ~= "table" or type(message.name) ~= "string" or type(message.hlc) ~= "table"
       or math.type(message.hlc[1]) ~= "integer" or math.type(message.hlc[2]) ~= "integer"
       or type(message.from) ~= "string" then
      return bad(topic, "not {name, value, hlc = [wall, counter], from}")
    end
    local name = message.name
    if not names[name] then return end
    local stamp = {message.hlc[1], message.hlc[2], message.from}
    hlc.observe(stamp[1], stamp[2], base.epoch_ms())
    local mine = stamps[name]
    if mine ~= nil and not later(stamp, mine) then
      -- Ours is newer (or the same write): make sure the broker holds ours.
      if later(mine, stamp) and mine[3] == self_name then publish(name, er.globals[name]) end
      return
    end
    stamps[name] = stamp
    applying = name
    local set_ok, err = pcall(function() er.globals[name] = message.value end)
    applying = nil
    if not set_ok then log("warn", "controllers: shared $" .. name .. " from " .. message.from .. ": " .. tostring(err)) end
  end

  --- Reads home.lua's `shared` (a list of global names); raises on a malformed one.
  function shared.configure(list)
    names = {}
    for _, name in ipairs(list or {}) do
      if type(name) ~= "string" or name == "" then error("shared: global names must be strings", 0) end
      names[name] = true
    end
  end

  --- Starts sharing over the attached connection (after er.controllers.attach).
  function shared.attach()
    if next(names) == nil then return end
    topics, self_name = controllers.topics(), controllers.name()
    mqtt.listen(topics.base .. "/shared/+", on_message)
  end

  --- The stamp of a shared global here ({wall, counter, from}), for tests.
  function shared.stamp(name) return stamps[name] end

  return shared
end

return M
