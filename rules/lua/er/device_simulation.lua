-- The simulated home's actions (spec §10.2): an action changes the simulated state at
-- once (turnOn → true/99, turnOff → false/0, toggle inverts, open → 99, close → 0,
-- setX(v) sets x) and er.devices posts the change event for later delivery.
-- Each function is `fn(dev, source, a, b, c, d)`.

local on = require("er.device_dispatch").on

local M = {}

-- `update(dev, prop, value, source)` from er.devices; `ramps` from er.device_ramp.
function M.new(update, ramps)
  local S = {}

  local function set_value(dev, source, value) update(dev, "value", value, source) end
  local function switched_on(dev) return type(dev.values.value) ~= "boolean" and 99 or true end
  local function switched_off(dev) return type(dev.values.value) ~= "boolean" and 0 or false end

  local function set_state(state)
    return function(dev, source)
      if dev.props.state then update(dev, "state", state, source) end
    end
  end

  local ACTIONS = {
    turnOn = function(dev, source) set_value(dev, source, switched_on(dev)) end,
    turnOff = function(dev, source) set_value(dev, source, switched_off(dev)) end,
    toggle = function(dev, source)
      local value = dev.values.value
      if type(value) == "boolean" then
        value = not value
      else
        value = on(value) and 0 or 99
      end
      set_value(dev, source, value)
    end,
    setValue = set_value,
    open = function(dev, source) set_value(dev, source, 99) end,
    close = function(dev, source) set_value(dev, source, 0) end,
    play = set_state("playing"),
    pause = set_state("paused"),
    stop = function(dev, source)
      ramps.stop(dev)
      if dev.props.state then update(dev, "state", "stopped", source) end
    end,
    setColor = function(dev, source, r, g, b, w)
      update(dev, "color", {r, g, b, w or 0}, source)
    end,
    startLevelIncrease = function(dev, source) ramps.level(dev, 99, source) end,
    startLevelDecrease = function(dev, source) ramps.level(dev, 0, source) end,
    stopLevelChange = function(dev) ramps.stop(dev) end,
    secure = function(dev, source) update(dev, "secured", true, source) end,
    unsecure = function(dev, source) update(dev, "secured", false, source) end,
  }

  -- setX(v) for a property x the device has.
  local function property_setter(prop)
    return function(dev, source, value) update(dev, prop, value, source) end
  end

  -- The simulated behaviour of each action of `shape`; actions without one (a host
  -- type's, when the host gave no function) do nothing.
  function S.for_actions(shape)
    local simulate = {}
    for action in pairs(shape.actions) do
      local fn = ACTIONS[action]
      if fn == nil then
        local rest = action:match("^set(%u.*)$")
        local prop = rest and rest:sub(1, 1):lower() .. rest:sub(2)
        if prop ~= nil and shape.props[prop] then fn = property_setter(prop) end
      end
      simulate[action] = fn
    end
    return simulate
  end

  return S
end

return M
