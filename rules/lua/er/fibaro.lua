-- er.fibaro: the `fibaro.*` calls EventRunner7 rules make in their actions (on the
-- HC3 these are the QuickApp API), on this engine's devices, globals and log, so such
-- actions port unchanged (docs/porting-from-eventrunner.md).
--
--   fibaro.call(id | {ids}, action, ...)      the device action
--   fibaro.get(id, prop) -> value, changed    fibaro.getValue(id, prop) -> value
--   fibaro.getName(id), fibaro.getType(id), fibaro.getRoomNameByDeviceID(id)
--   fibaro.getGlobalVariable(name) -> value, changed; fibaro.setGlobalVariable(name, v)
--   fibaro.alert(kind, {user ids}, text)      a notification (er.notify's user devices)
--   fibaro.sleep(ms)                          wait(ms / 1000)
--   fibaro.debug/trace/warning/error(tag, ...) a log line

local M = {}

local LEVEL_OF = {debug = "debug", trace = "debug", warning = "warn", error = "error"}

function M.new(base, core, devices)
  local F = {}

  local function device(id, what)
    local dev = devices.get(id) or (type(id) == "string" and devices.named(id)) or nil
    if dev == nil then error("fibaro." .. what .. ": no such device: " .. tostring(id), 3) end
    return dev
  end

  function F.call(id, action, ...)
    if type(id) == "table" then
      for _, each in ipairs(id) do F.call(each, action, ...) end
      return
    end
    if type(action) ~= "string" then error("fibaro.call: the action must be a string", 2) end
    local dev = device(id, "call")
    if not dev.actions[action] then error("fibaro.call: " .. tostring(dev) .. " has no action '" .. action .. "'", 2) end
    dev:call(action, ...)
  end

  function F.get(id, prop)
    local dev = device(id, "get")
    local changed = dev.changed[prop]
    return dev.values[prop], changed and changed // 1000
  end

  function F.getValue(id, prop) return (F.get(id, prop)) end
  function F.getName(id) return device(id, "getName").name end
  function F.getType(id) return device(id, "getType").type end
  function F.getRoomNameByDeviceID(id) return device(id, "getRoomNameByDeviceID").room end

  function F.getGlobalVariable(name) return base.er.globals[name] end
  function F.setGlobalVariable(name, value) base.er.globals[name] = value end

  -- HC3's alert kinds: "push" (and "simplePush") for `msg`, "email" for `email`.
  function F.alert(kind, ids, text)
    local action = kind == "email" and "sendEmail" or "sendPush"
    for _, id in ipairs(type(ids) == "table" and ids or {ids}) do F.call(id, action, text) end
  end

  function F.sleep(ms) core.wait((tonumber(ms) or 0) / 1000) end

  for name, level in pairs(LEVEL_OF) do
    F[name] = function(tag, ...)
      local parts = {}
      for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
      base.log(level, (tag and ("[" .. tostring(tag) .. "] ") or "") .. table.concat(parts, " "))
    end
  end

  base.G.fibaro = F
  return F
end

return M
