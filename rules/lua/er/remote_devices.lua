-- er.remote_devices: devices of other controllers (docs/multi-controller.md).
--
-- Every controller shares its own devices: each one's state is a retained JSON message
--   <base>/<controller>/device/<name>        {"id", "name", "type", "props": {...}}
-- published when the broker connection comes up and after every change. A home imports
-- devices of another controller with `remote = {garage = {"garage_door"}}` (or
-- `remote = {garage = "all"}`): each becomes a device `garage.garage_door` (its id and
-- name), of the owner's type, its state mirrored from the owner's topic, `available`
-- false while the owner's status is not `online`. Rules read `garage.garage_door`
-- through the table `garage` ({garage_door = "garage.garage_door"}). Its actions go to
--   <base>/<controller>/device/<name>/call   {"from", "run", "seq", "device", "action",
--                                             "args", "n"}
-- with QoS 1, numbered and applied at most once by the owner (er.controllers).
--
--   local remote = require("er.remote_devices").new(base, devices, mqtt, controllers)

local util = require("er.util")

local M = {}

M.BACKEND = "controllers"

-- Checks home.lua's `remote` table: controller -> list of device names, or "all" / true.
-- Returns {controller -> {name -> true} or true (all)}; raises on a malformed one.
function M.parse(remote)
  local imports = {}
  for controller, what in pairs(remote or {}) do
    if type(controller) ~= "string" or controller == "" or controller:find("[/+#.]") then
      error("remote: '" .. tostring(controller) .. "' is not a controller's name", 0)
    end
    if what == true or what == "all" then
      imports[controller] = true
    elseif type(what) == "table" then
      local names = {}
      for _, name in ipairs(what) do
        if type(name) ~= "string" then error("remote." .. controller .. ": device names must be strings", 0) end
        names[name] = true
      end
      imports[controller] = names
    else
      error("remote." .. controller .. ": expected a list of device names or \"all\"", 0)
    end
  end
  return imports
end

function M.new(base, devices, mqtt, controllers)
  local log, G = base.log, base.G
  local remote = {}
  local imports = {}       -- controller -> {name -> true} or true
  local owner_up = {}      -- controller -> its status is online
  local mirrors = {}       -- device id -> {controller =, name =, available = the owner's own}
  local warned = {}
  local topics = nil
  local sharing = false    -- this controller publishes its devices (it is named)

  local function warn_once(key, text)
    if warned[key] then return end
    warned[key] = true
    log("warn", text)
  end

  -- Sharing this controller's devices ------------------------------------------------

  local function shared(dev) return dev ~= nil and dev.backend ~= M.BACKEND and dev.contact == nil end

  local function state_topic(controller, name)
    return topics.base .. "/" .. controller .. "/device/" .. controllers.topic_level(name)
  end

  local function share(dev)
    if not sharing or topics == nil or not shared(dev) then return end
    local ok, text = pcall(util.json_encode, {id = dev.id, name = dev.name, type = dev.type, props = dev.values})
    if not ok then
      warn_once("share:" .. dev.name, "controllers: " .. dev.name .. " cannot be shared: " .. tostring(text))
      return
    end
    mqtt.send(state_topic(controllers.name(), dev.name), text, 1, true)
  end

  local function share_all()
    for _, dev in devices.each() do share(dev) end
  end

  devices.on_change(function(id) share(devices.get(id)) end)

  -- An action another controller sent to one of ours.
  local function on_call(topic, payload, retained)
    if retained then return end
    local message = controllers.accept(topic, payload)
    if message == nil then return end
    local dev = type(message.device) == "string" and devices.named(message.device) or nil
    if not shared(dev) or type(message.action) ~= "string" then
      warn_once("call:" .. topic, "controllers: a call on " .. topic .. " from " .. message.from
                .. " names no device of this controller or no action; dropped (said once for this topic)")
      return
    end
    local args = type(message.args) == "table" and message.args or {}
    local n = math.type(message.n) == "integer" and message.n or #args
    local ok, err = pcall(dev.call, dev, message.action, table.unpack(args, 1, n))
    if not ok then log("warn", "controllers: " .. dev.name .. ":" .. message.action .. " from " .. message.from
                       .. ": " .. tostring(err)) end
  end

  -- Mirroring another controller's devices ------------------------------------------

  local function mirror_id(controller, name) return controller .. "." .. name end

  local function set_available(id)
    local mirror = mirrors[id]
    local available = owner_up[mirror.controller] == true and mirror.available ~= false
    devices.apply_report(id, "available", available, "update")
  end

  local function define_mirror(controller, spec)
    local id = mirror_id(controller, spec.name)
    local props = {}
    for key, value in pairs(spec.props) do props[key] = value end
    props.available = owner_up[controller] == true and spec.props.available ~= false
    local ok, err = pcall(devices.define, {id = id, name = id, type = spec.type, backend = M.BACKEND, props = props})
    if not ok then
      warn_once("define:" .. id, "controllers: " .. id .. " cannot be imported: " .. tostring(err))
      return false
    end
    mirrors[id] = {controller = controller, name = spec.name, available = spec.props.available}
    local names = rawget(G, controller)
    if type(names) == "table" then names[spec.name] = id end
    log("info", "controllers: imported " .. id .. " (" .. spec.type .. ")")
    return true
  end

  -- The owner's state of one of its devices.
  local function on_state(topic, payload)
    if payload == "" then return end  -- A cleared retained message.
    local controller = topic:sub(#topics.base + 2):match("^([^/]+)/device/")
    local wanted = imports[controller]
    local ok, spec = pcall(util.json_decode, payload)
    if not ok or type(spec) ~= "table" or type(spec.name) ~= "string" or type(spec.type) ~= "string"
       or type(spec.props) ~= "table" then
      warn_once("state:" .. topic, "controllers: a device state on " .. topic .. " is not {name, type, props}; "
                .. "dropped (said once for this topic)")
      return
    end
    if wanted == nil or (wanted ~= true and not wanted[spec.name]) then return end
    local id = mirror_id(controller, spec.name)
    if mirrors[id] == nil then
      define_mirror(controller, spec)
      return
    end
    mirrors[id].available = spec.props.available
    for key, value in pairs(spec.props) do
      if key ~= "available" then devices.apply_report(id, key, value, "update") end
    end
    set_available(id)
  end

  local function on_status(topic, payload)
    local controller = topic:sub(#topics.base + 2):match("^([^/]+)/status$")
    owner_up[controller] = payload == "online"
    for id, mirror in pairs(mirrors) do
      if mirror.controller == controller then set_available(id) end
    end
  end

  local function on_message(topic, payload)
    if topic:sub(-7) == "/status" then return on_status(topic, payload) end
    return on_state(topic, payload)
  end

  -- The backend: actions on mirrors go to their owner.
  local function forward(id, action, wire, n, json_mask)
    local mirror = mirrors[id]
    if mirror == nil or topics == nil then return end
    local args = {}
    for i = 1, n do
      args[i] = (json_mask & (1 << (i - 1))) ~= 0 and util.json_decode(wire[i]) or wire[i]
    end
    controllers.deliver(state_topic(mirror.controller, mirror.name) .. "/call",
                        {device = mirror.name, action = action, args = args, n = n}, "remote device")
  end

  -- The host side -------------------------------------------------------------------

  --- Reads home.lua's `remote` (raises on a malformed one); returns the filters whose
  --- retained messages the host should hold for define_held.
  function remote.configure(remote_table, base_topic)
    imports = M.parse(remote_table)
    local filters = {}
    for controller in pairs(imports) do
      filters[#filters + 1] = base_topic .. "/" .. controller .. "/status"
      filters[#filters + 1] = base_topic .. "/" .. controller .. "/device/+"
    end
    table.sort(filters)
    return filters
  end

  --- Starts mirroring over the attached MQTT connection, and sharing this
  --- controller's devices when `share_devices` (home.lua names the controller: an
  --- engine alone on its broker does not publish every change a second time).
  function remote.attach(share_devices)
    topics = controllers.topics()
    sharing = share_devices == true
    devices.attach_backend(M.BACKEND, forward)
    mqtt.listen(topics.mine .. "/device/+/call", on_call)
    for controller in pairs(imports) do
      if rawget(G, controller) == nil and devices.named(controller) == nil then rawset(G, controller, {}) end
      mqtt.listen(topics.base .. "/" .. controller .. "/status", on_message)
      mqtt.listen(topics.base .. "/" .. controller .. "/device/+", on_message)
    end
    mqtt.on_connection(function(up) if up then share_all() end end)
  end

  --- Applies the retained messages the host held at start ({topic = payload}):
  --- statuses first, so mirrors are defined with their availability.
  function remote.define_held(held)
    local states = {}
    for topic, payload in pairs(held or {}) do
      if topic:sub(-7) == "/status" then on_status(topic, payload) else states[#states + 1] = topic end
    end
    table.sort(states)
    for _, topic in ipairs(states) do on_state(topic, held[topic]) end
  end

  return remote
end

return M
