-- The home alarm (docs/homes.md "alarm", docs/eventscript.md "Alarm partitions"): the
-- partitions declared in home.lua, each a device of type "alarmPartition" with the
-- properties `armed` and `breached` and the actions arm, disarm, tryArm and setArmed,
-- so rules address a partition by its id or name as they address any device
-- (`house:armed`, `house:arm`, `1:isAlarmBreached`).
--
-- Arming waits `exit_delay` seconds; a member device that becomes breached while its
-- partition is armed breaches the partition after `entry_delay` seconds unless the
-- partition is disarmed first. Each change posts the device event (so `house:armed`
-- is a trigger) and the event HC3 and EventRunner7 post:
--   {type = "alarm", property = "armed" | "breached", id = <partition>, value = bool}
--   {type = "alarm", property = "homeArmed" | "homeBreached", value = bool}
-- `armed` and `breached` persist as device properties (er.store); a delay that was
-- running when the engine stopped is not resumed.

local util = require("er.util")
local on = require("er.device_dispatch").on

local M = {}

M.TYPE = "alarmPartition"

-- "alarm.partitions[2].devices[1]" and the like.
local function where(i, field, j)
  local text = "alarm.partitions[" .. i .. "]"
  if field ~= nil then text = text .. "." .. field end
  if j ~= nil then text = text .. "[" .. j .. "]" end
  return text
end

local function check_delay(value, i, field)
  if value == nil then return 0 end
  if type(value) ~= "number" or value < 0 then
    error(where(i, field) .. " must be a number of seconds >= 0, got " .. util.canonical(value), 0)
  end
  return value
end

--- Creates the alarm: returns A (configure, partitions).
function M.new(base, core, devices)
  local A = {}
  local partitions = {}   -- list, in declaration order
  local by_device = {}    -- member device id -> list of partitions
  local home_state = {armed = false, breached = false}

  -- The home-wide states: all partitions armed, any partition breached.
  local function home_now()
    local all_armed, any_breached = #partitions > 0, false
    for _, p in ipairs(partitions) do
      all_armed = all_armed and p.dev.values.armed == true
      any_breached = any_breached or p.dev.values.breached == true
    end
    return all_armed, any_breached
  end

  local function post_home_changes()
    local all_armed, any_breached = home_now()
    if all_armed ~= home_state.armed then
      home_state.armed = all_armed
      core.emit({type = "alarm", property = "homeArmed", value = all_armed})
    end
    if any_breached ~= home_state.breached then
      home_state.breached = any_breached
      core.emit({type = "alarm", property = "homeBreached", value = any_breached})
    end
  end

  -- Sets `armed` or `breached`; a change posts the device and the alarm events.
  local function set_state(p, property, value)
    if not devices.update(p.dev, property, value, devices.current_source()) then return end
    core.emit({type = "alarm", property = property, id = p.dev.id, value = value})
    post_home_changes()
  end

  local function cancel_delays(p)
    core.cancel_timer(p.exit_timer)
    core.cancel_timer(p.entry_timer)
    p.exit_timer, p.entry_timer = nil, nil
  end

  -- Starts arming: armed now, or after the exit delay (the timer belongs to no rule,
  -- so disabling the rule that armed does not stop it).
  local function arm(p)
    if p.dev.values.armed == true or p.exit_timer ~= nil then return true end
    if p.exit_delay == 0 then
      set_state(p, "armed", true)
    else
      p.exit_timer = core.timer(nil, p.exit_delay * 1000, function()
        p.exit_timer = nil
        set_state(p, "armed", true)
      end)
    end
    return true
  end

  local function disarm(p)
    cancel_delays(p)
    set_state(p, "armed", false)
    set_state(p, "breached", false)
    return true
  end

  -- The member devices that are breached now (their value is on), in member order.
  local function breached_members(p)
    local list = {}
    for _, id in ipairs(p.members) do
      local dev = devices.get(id)
      if dev ~= nil and on(dev.values.value) then list[#list + 1] = id end
    end
    return list
  end

  -- HC3's tryArm: arms only if no member is breached; otherwise it posts the
  -- devices in the way, as EventRunner7 does ({[partition] = {ids}}), and answers them.
  local function try_arm(p)
    local breached = breached_members(p)
    if #breached == 0 then
      arm(p)
      return {}
    end
    core.emit({type = "alarm", id = p.dev.id, action = "tryArm", property = "delayed",
               value = {[p.dev.id] = util.deep_copy(breached)}})
    return breached
  end

  local function start_entry_delay(p)
    if p.entry_timer ~= nil or p.dev.values.breached == true then return end
    if p.entry_delay == 0 then return set_state(p, "breached", true) end
    p.entry_timer = core.timer(nil, p.entry_delay * 1000, function()
      p.entry_timer = nil
      if p.dev.values.armed == true then set_state(p, "breached", true) end
    end)
  end

  -- A member device that turns on (breached) while its partition is armed starts the
  -- entry delay. A device breached already when arming completed is bypassed until
  -- it is safe again, as a forced arm on HC3.
  devices.on_change(function(id, property, value, old)
    if property ~= "value" then return end
    local list = by_device[id]
    if list == nil or not on(value) or on(old) then return end
    for _, p in ipairs(list) do
      if p.dev.values.armed == true then start_entry_delay(p) end
    end
  end)

  local function actions_of(p)
    return {
      arm = function() return arm(p) end,
      disarm = function() return disarm(p) end,
      tryArm = function() return try_arm(p) end,
      setArmed = function(_, value)
        if value == true or on(value) then return arm(p) end
        return disarm(p)
      end,
    }
  end

  -- A member given by id or by name, as a device id.
  local function member_id(ref, i, j)
    local dev = devices.get(ref) or (type(ref) == "string" and devices.named(ref)) or nil
    if dev == nil then error(where(i, "devices", j) .. ": no such device " .. util.canonical(ref), 0) end
    if dev.type == M.TYPE then
      error(where(i, "devices", j) .. ": " .. util.canonical(ref) .. " is a partition, not a device", 0)
    end
    return dev.id
  end

  local function check_identity(spec, i)
    if math.type(spec.id) ~= "integer" and type(spec.id) ~= "string" then
      error(where(i, "id") .. " must be an integer or a string, got " .. util.canonical(spec.id), 0)
    end
    if devices.get(spec.id) ~= nil then
      error(where(i, "id") .. ": " .. util.canonical(spec.id) .. " is already the id of "
        .. devices.describe(devices.get(spec.id)), 0)
    end
    if spec.name ~= nil and type(spec.name) ~= "string" then
      error(where(i, "name") .. " must be a string, got " .. util.canonical(spec.name), 0)
    end
    if spec.name ~= nil and devices.named(spec.name) ~= nil then
      error(where(i, "name") .. ": '" .. spec.name .. "' already names "
        .. devices.describe(devices.named(spec.name)), 0)
    end
  end

  local function define_partition(spec, i)
    if type(spec) ~= "table" then error(where(i) .. " must be a table", 0) end
    check_identity(spec, i)
    if spec.devices ~= nil and type(spec.devices) ~= "table" then
      error(where(i, "devices") .. " must be a list of device ids or names", 0)
    end
    local p = {members = {}, exit_delay = check_delay(spec.exit_delay, i, "exit_delay"),
               entry_delay = check_delay(spec.entry_delay, i, "entry_delay")}
    for j, ref in ipairs(spec.devices or {}) do p.members[j] = member_id(ref, i, j) end
    p.dev = devices.define({id = spec.id, name = spec.name, type = M.TYPE,
                            props = {armed = false, breached = false}, actions = actions_of(p)})
    for _, id in ipairs(p.members) do
      by_device[id] = by_device[id] or {}
      table.insert(by_device[id], p)
    end
    partitions[#partitions + 1] = p
  end

  local function reset()
    for _, p in ipairs(partitions) do cancel_delays(p) end
    partitions, by_device = {}, {}
    home_state.armed, home_state.breached = false, false
  end

  --- Declares the partitions of home.lua's `alarm` table (nil: no alarm). Raises an
  --- error naming the field at fault ("alarm.partitions[1].devices[2]: no such device 'x'").
  function A.configure(spec)
    reset()
    if spec == nil then return end
    if type(spec) ~= "table" or type(spec.partitions) ~= "table" then
      error("alarm must be a table {partitions = {{id =, name =, devices = {...}}, ...}}", 0)
    end
    for i, p in ipairs(spec.partitions) do define_partition(p, i) end
    home_state.armed, home_state.breached = home_now()
  end

  --- The partition devices, in declaration order.
  function A.partitions()
    local list = {}
    for i, p in ipairs(partitions) do list[i] = p.dev end
    return list
  end

  base.on_reset(reset)
  return A
end

return M
