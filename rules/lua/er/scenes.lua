-- Named scenes (docs/eventscript.md "Scenes"): `scene cozy = {...}` compiles to
-- `cozy = defineScene("cozy", {activate = {...}, deactivate = {...}})`, built here.
--
-- An entry is {object, property, value} for `object:property = value` or
-- {object, action, action = true} for `object:action`; a value the compiler wrapped
-- in a function (any non-literal expression) is evaluated at each (de)activation.
--
-- A scene is a device-like object: id and name = the scene's name, type "scene",
-- property `isActive` and actions activate, deactivate, start (= activate) and kill
-- (= deactivate), so `cozy:activate`, `cozy:isActive` (a trigger) and a scene kept in
-- a variable work as with any device. Each (de)activation also posts
--   {type = "scene", name = <name>, id = <name>, active = bool}
-- A scene without a deactivate body restores, on deactivation, the properties it
-- changed to the values they had before it was activated. `isActive` and those saved
-- values persist as device properties (er.store), so a restart keeps both.

local util = require("er.util")

local M = {}

M.TYPE = "scene"

-- The property an entry changes on `dev`, to save before it and restore after: the
-- set property itself when it can be read and set back, else the value (an action,
-- or a setter such as `dim` that drives the value), else the state (a player).
local function affected_property(dev, entry)
  local property = entry[2]
  if not entry.action and dev.props[property] and dev.setters[property] then return property end
  if dev.props.value and dev.setters.value then return "value" end
  if dev.props.state and dev.setters.state then return "state" end
  return nil
end

-- The ids an entry's object names: one id, or each element of a list.
local function ids_of(object)
  if type(object) == "table" and getmetatable(object) == nil then return object end
  return {object}
end

--- Creates the scene registry: defines the built-in defineScene; returns S.
function M.new(base, core, devices)
  local S = {}
  local R = base.R
  local scenes = {}  -- name -> {dev=, activate=, deactivate=}
  local define_hooks = {}  -- fn(dev) for each scene defined (er.mqtt announces it)

  --- Calls `fn(dev)` with the device of each scene declared from now on.
  function S.on_define(fn) define_hooks[#define_hooks + 1] = fn end

  -- Saves, once per activation, the value each affected property had before.
  local function save_before(entry, saved)
    for _, id in ipairs(ids_of(entry[1])) do
      local dev = devices.get(id)
      local property = dev and affected_property(dev, entry)
      local key = property and (util.canonical(dev.id) .. ":" .. property)
      if key and not saved.seen[key] then
        saved.seen[key] = true
        saved.list[#saved.list + 1] = {dev.id, property, util.deep_copy(dev.values[property])}
      end
    end
  end

  local function apply(entry)
    if entry.action then return R.prop(nil, entry[1], entry[2], nil) end
    local value = entry[3]
    if type(value) == "function" then value = value() end
    R.setprop(nil, entry[1], entry[2], value, nil)
  end

  local function saved_of(scene)
    local saved = {list = util.deep_copy(scene.dev.values.savedValues or {}), seen = {}}
    for _, item in ipairs(saved.list) do saved.seen[util.canonical(item[1]) .. ":" .. item[2]] = true end
    return saved
  end

  local function set_active(scene, active, source)
    devices.update(scene.dev, "isActive", active, source)
    core.emit({type = "scene", name = scene.dev.name, id = scene.dev.id, active = active})
  end

  local function activate(scene, source)
    local restores = scene.deactivate == nil
    local saved = restores and saved_of(scene) or nil
    for _, entry in ipairs(scene.activate) do
      if restores then save_before(entry, saved) end
      apply(entry)
    end
    if restores then devices.update(scene.dev, "savedValues", saved.list, source) end
    set_active(scene, true, source)
    return true
  end

  -- The deactivate body, or else the saved values in reverse order of saving.
  local function deactivate(scene, source)
    if scene.deactivate ~= nil then
      for _, entry in ipairs(scene.deactivate) do apply(entry) end
    else
      local list = scene.dev.values.savedValues or {}
      for i = #list, 1, -1 do R.setprop(nil, list[i][1], list[i][2], list[i][3], nil) end
      devices.update(scene.dev, "savedValues", {}, source)
    end
    set_active(scene, false, source)
    return true
  end

  local function actions_of(scene)
    local on = function() return activate(scene, devices.current_source()) end
    local off = function() return deactivate(scene, devices.current_source()) end
    return {activate = on, start = on, deactivate = off, kill = off}
  end

  -- Checks one body: a list of entries whose objects and names exist now (§10.9).
  local function check_body(name, which, body)
    if type(body) ~= "table" then error("scene '" .. name .. "': " .. which .. " must be a list", 0) end
    for i, entry in ipairs(body) do
      if type(entry) ~= "table" or type(entry[2]) ~= "string" then
        error("scene '" .. name .. "': " .. which .. "[" .. i .. "] must be {object, property, value}", 0)
      end
      devices.check(entry[1], entry[2], entry.action and "get" or "set", nil)
    end
  end

  -- The scene called `name`, new, or the one declared before (a rules file defined
  -- again keeps the scene's state and takes the new bodies).
  local function scene_named(name)
    if scenes[name] ~= nil then return scenes[name] end
    local clash = devices.get(name) or devices.named(name)
    if clash ~= nil then
      error("scene '" .. name .. "': the name is already used by " .. devices.describe(clash), 0)
    end
    local scene = {}
    scene.dev = devices.define({id = name, name = name, type = M.TYPE,
                                props = {isActive = false, savedValues = {}},
                                actions = actions_of(scene)})
    scenes[name] = scene
    for _, fn in ipairs(define_hooks) do fn(scene.dev) end
    return scene
  end

  --- defineScene(name, {activate = entries [, deactivate = entries]}) -> the scene's id
  --- (its name), what `scene name = {...}` assigns to `name`.
  function base.G.defineScene(name, bodies)
    if type(name) ~= "string" or not name:match("^[%a_][%w_]*$") then
      error("defineScene: the name must be a name such as 'cozy', got " .. util.canonical(name), 2)
    end
    if type(bodies) ~= "table" then error("defineScene: expected {activate = {...}}", 2) end
    check_body(name, "activate", bodies.activate or {})
    if bodies.deactivate ~= nil then check_body(name, "deactivate", bodies.deactivate) end
    local scene = scene_named(name)
    scene.activate, scene.deactivate = bodies.activate or {}, bodies.deactivate
    return scene.dev.id
  end

  --- The scene device called `name`, or nil.
  function S.get(name) return scenes[name] and scenes[name].dev end

  base.on_reset(function() scenes = {} end)
  return S
end

return M
