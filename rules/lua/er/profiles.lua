-- Home modes, EventRunner7's (and HC3's) "profiles" (docs/homes.md "profiles",
-- docs/eventscript.md "Home modes"). home.lua declares them in order, which gives
-- each its id (1, 2, ...), and which one is active at the first start:
--
--   profiles = {"Home", "Away", "Night", "Vacation", active = "Home"}
--
-- The modes live on one device-like object, the home: id and name "home", type
-- "home", properties `profile` (the active mode's name) and `profileId` (its id), and
-- the action setProfile(name or id), so `home:profile = "Away"` switches and
-- `home:profile` is a trigger. A switch also posts EventRunner7's event
--   {type = "profile", property = "activeProfile", value = <id>, old = <id>,
--    name = <name>, oldName = <name>}
-- The active mode persists as a device property (er.store).

local util = require("er.util")

local M = {}

M.HOME_ID = "home"
M.TYPE = "home"

--- Creates the profiles: returns P (configure, names, active).
function M.new(base, core, devices)
  local P = {}
  local names, ids = {}, {}  -- id -> name; name -> id
  local home = nil           -- the home device while profiles are configured

  -- The id of `ref`, a mode's name or id; nil if there is no such mode.
  local function id_of(ref)
    local n = type(ref) == "number" and math.tointeger(ref) or nil
    if n ~= nil and names[n] ~= nil then return n end
    return ids[ref]
  end

  local function switch_to(ref)
    local id = id_of(ref)
    if id == nil then
      error("no home mode " .. util.canonical(ref) .. " (modes: " .. table.concat(names, ", ") .. ")", 0)
    end
    local old_name = home.values.profile
    if old_name == names[id] then return true end
    local source = devices.current_source()
    devices.update(home, "profileId", id, source)
    devices.update(home, "profile", names[id], source)
    core.emit({type = "profile", property = "activeProfile", value = id, old = ids[old_name],
               name = names[id], oldName = old_name})
    return true
  end

  local function check_names(spec)
    if type(spec) ~= "table" or #spec == 0 then
      error('profiles must be a list of mode names, such as {"Home", "Away", active = "Home"}', 0)
    end
    for i, name in ipairs(spec) do
      if type(name) ~= "string" or name == "" then
        error("profiles[" .. i .. "] must be a non-empty string, got " .. util.canonical(name), 0)
      end
      if ids[name] ~= nil then error("profiles[" .. i .. "]: '" .. name .. "' is listed twice", 0) end
      names[i], ids[name] = name, i
    end
    if spec.active ~= nil and id_of(spec.active) == nil then
      error("profiles.active: " .. util.canonical(spec.active) .. " is not one of the modes", 0)
    end
  end

  local function define_home(spec)
    local clash = devices.get(M.HOME_ID) or devices.named(M.HOME_ID)
    if clash ~= nil then
      error("profiles: the home object is named 'home', but " .. devices.describe(clash)
        .. " already uses that name", 0)
    end
    local first = id_of(spec.active) or 1
    home = devices.define({id = M.HOME_ID, name = M.HOME_ID, type = M.TYPE,
                           props = {profile = names[first], profileId = first},
                           actions = {setProfile = function(_, ref) return switch_to(ref) end}})
    -- A mode kept in the state file that home.lua no longer lists: back to `active`.
    local kept = id_of(home.values.profile)
    if kept == nil then
      base.log("warn", "profiles: the stored mode " .. util.canonical(home.values.profile)
        .. " is no longer listed; the active mode is " .. names[first])
      kept = first
    end
    devices.apply_report(M.HOME_ID, "profile", names[kept], "restore")
    devices.apply_report(M.HOME_ID, "profileId", kept, "restore")
  end

  local function reset() names, ids, home = {}, {}, nil end

  --- Declares the modes of home.lua's `profiles` (nil: none, and no home object).
  --- Raises an error naming the problem.
  function P.configure(spec)
    reset()
    if spec == nil then return end
    check_names(spec)
    define_home(spec)
  end

  --- The modes' names, in id order.
  function P.names() return util.deep_copy(names) end

  base.on_reset(reset)
  return P
end

return M
