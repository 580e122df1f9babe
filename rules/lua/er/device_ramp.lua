-- Value ramps of the device layer: dimming (`X:dim = {sec, dir, ...}`, spec §10.6) and
-- the simulated level change of multilevel switches (startLevelIncrease/Decrease,
-- stopLevelChange). A device has at most one ramp (`dev.ramp`); starting another one
-- replaces it, and any other change of the value stops it (er.devices calls
-- `value_changed`). A ramp's timers are owned by the rule of the run that started it,
-- so disabling that rule stops the ramp (§8.3).

local M = {}

local floor, min = math.floor, math.min

-- Penner's easing functions on p in [0, 1], e(0) = 0 and e(1) = 1.
local function in_expo(p) return p == 0 and 0 or 2 ^ (10 * (p - 1)) end
local function out_expo(p) return p == 1 and 1 or 1 - 2 ^ (-10 * p) end
M.CURVES = {
  linear = function(p) return p end,
  inQuad = function(p) return p * p end,
  inOutQuad = function(p)
    if p < 0.5 then return 2 * p * p end
    return 1 - (2 - 2 * p) ^ 2 / 2
  end,
  inExpo = in_expo,
  outExpo = out_expo,
  inOutExpo = function(p)
    if p == 0 or p == 1 then return p end
    if p < 0.5 then return 2 ^ (20 * p - 10) / 2 end
    return (2 - 2 ^ (10 - 20 * p)) / 2
  end,
  outInExpo = function(p)
    if p < 0.5 then return out_expo(2 * p) / 2 end
    return 0.5 + in_expo(2 * p - 1) / 2
  end,
}

local DIM_USAGE = "dim: expected {seconds, \"up\"|\"down\" [, step [, curve [, start [, stop]]]]}"
local LEVEL_STEP_MS = 1000        -- a level change moves once a second ...
local LEVEL_MS_PER_UNIT = 100     -- ... by 10 units, so 0 to 99 takes 9.9 s.

-- `core`: er.core's object (timer, cancel_timer, current_run); `ops`: perform(dev,
-- action, source, n, ...), update(dev, prop, value, source), fail(p, msg).
function M.new(core, ops)
  local R = {}

  local function stop(dev)
    local ramp = dev.ramp
    if ramp == nil then return end
    dev.ramp = nil
    if ramp.timer ~= nil then core.cancel_timer(ramp.timer) end
  end
  R.stop = stop

  -- Sets the ramp's value for its current elapsed time.
  local function apply(ramp)
    local p = ramp.elapsed >= ramp.total and 1 or ramp.elapsed / ramp.total
    local value = floor(ramp.from + (ramp.to - ramp.from) * ramp.curve(p) + 0.5)
    ramp.last, ramp.applying = value, true
    local ok, message
    if ramp.dim then
      ok, message = pcall(ops.perform, ramp.dev, "setValue", ramp.source, 1, value)
    else
      ok, message = pcall(ops.update, ramp.dev, "value", value, ramp.source)
    end
    ramp.applying = false
    if not ok then error(message, 0) end
  end

  local function tick(ramp)
    local dev = ramp.dev
    if dev.ramp ~= ramp then return end  -- replaced or stopped meanwhile
    ramp.timer = nil
    apply(ramp)
    if dev.ramp ~= ramp then return end  -- the device refused or overrode the value
    if ramp.elapsed >= ramp.total then
      dev.ramp = nil
      return
    end
    local next_elapsed = min(ramp.elapsed + ramp.step, ramp.total)
    local delay = next_elapsed - ramp.elapsed
    ramp.elapsed = next_elapsed
    ramp.timer = core.timer(ramp.owner, delay, tick, ramp)
  end

  -- Starts `ramp` on its device at elapsed 0, replacing the device's current ramp.
  local function start(ramp)
    local run = core.current_run()
    ramp.owner = run and run.rule or nil
    ramp.elapsed = 0
    stop(ramp.dev)
    ramp.dev.ramp = ramp
    tick(ramp)
  end

  -- Called by er.devices before a device's value changes to `value`: a change that
  -- is not the ramp's own stops it. A real device echoing the ramp's last setValue is
  -- the ramp's own change too.
  function R.value_changed(dev, value)
    local ramp = dev.ramp
    if ramp.applying or (dev.backend ~= nil and value == ramp.last) then return end
    stop(dev)
  end

  local function dim_options(value, p)
    if type(value) ~= "table" then ops.fail(p, DIM_USAGE) end
    local sec, dir = value[1], value[2]
    local step, curve = value[3] or 1, value[4] or "linear"
    if type(sec) ~= "number" or sec <= 0 or (dir ~= "up" and dir ~= "down")
        or type(step) ~= "number" or step <= 0 then
      ops.fail(p, DIM_USAGE)
    end
    if M.CURVES[curve] == nil then ops.fail(p, "dim: unknown curve '" .. tostring(curve) .. "'") end
    local up = dir == "up"
    local from, to = value[5] or (up and 0 or 99), value[6] or (up and 99 or 0)
    if type(from) ~= "number" or type(to) ~= "number" then ops.fail(p, DIM_USAGE) end
    return sec, step, curve, from, to
  end

  -- The `dim` setter (§10.6): ramps by setValue actions, source "script".
  function R.dim(dev, value, p)
    local sec, step, curve, from, to = dim_options(value, p)
    start({dev = dev, dim = true, source = "script", from = from, to = to,
           curve = M.CURVES[curve], total = math.max(1, floor(sec * 1000 + 0.5)),
           step = math.max(1, floor(step * 1000 + 0.5))})
  end

  -- The simulated startLevelIncrease / startLevelDecrease: the device itself moves
  -- its value towards 99 / 0.
  function R.level(dev, to, source)
    local from = dev.values.value
    if type(from) ~= "number" then from = 0 end
    if from == to then
      stop(dev)
      return
    end
    local total = math.max(1, floor(math.abs(to - from) * LEVEL_MS_PER_UNIT + 0.5))
    start({dev = dev, dim = false, source = source, from = from, to = to,
           curve = M.CURVES.linear, total = total, step = LEVEL_STEP_MS})
  end

  return R
end

return M
