-- er.control_files: the control API's routes for the web console's editor and charts
-- (docs/api.md, docs/web.md): the home's rules files with a version for conflict
-- detection, and the device history of a day.
--
--   local files = require("er.control_files").new(E, home, fail, get_api)
--   files.routes                -- entries for er.control's route table (under /api)
--
-- Only `*.er` files directly in the home folder are reachable: a name is checked
-- against a strict pattern before any path is built, so no request can name a file
-- elsewhere. A file's version is a hash of its text (FNV-1a, 64 bits), not its mtime:
-- two saves within the file system's timestamp resolution still differ, and a file
-- rewritten with the same text is no conflict.
--
-- The history is kept in memory, per device, in bounded rings (HISTORY_KEEP changes
-- each), with the device actions rules took (ACTIONS_KEEP): enough for a day's chart
-- of a home; it starts empty at each start of the engine (docs/web.md says why).

local home_module = require("er.home")
local ring = require("er.ring")

local M = {}

local HISTORY_KEEP = 2000
local ACTIONS_KEEP = 5000
local FILE_NAME = "^[%w_][%w_%-%.]*%.er$"

--- The version of a text: 16 hex digits of its FNV-1a 64-bit hash.
function M.version(text)
  local hash = -3750763034362895579  -- 0xcbf29ce484222325, the FNV offset basis
  for i = 1, #text do hash = (hash ~ text:byte(i)) * 1099511628211 end
  return string.format("%016x", hash)
end

function M.new(E, home, fail, get_api)
  local F = {}

  -- Files ------------------------------------------------------------------------

  local function checked_name(name)
    if type(name) ~= "string" or not name:match(FILE_NAME) or name:find("..", 1, true) then
      fail(404, "no rules file '" .. tostring(name) .. "' (only *.er files of the home folder)")
    end
    return name
  end

  local function path_of(name) return home.dir .. "/" .. checked_name(name) end

  local function read(name)
    local file = io.open(path_of(name), "rb")
    if file == nil then return nil end
    local text = file:read("a")
    file:close()
    return text
  end

  local function list_files()
    local out = {}
    for _, path in ipairs(home_module.rules_files(home.dir) or {}) do
      local name = path:match("([^/]+)$")
      local text = name:match(FILE_NAME) and read(name)
      if text then out[#out + 1] = {name = name, version = M.version(text), size = #text} end
    end
    return {files = get_api().array(out)}
  end

  local function get_file(name)
    local text = read(name)
    if text == nil then fail(404, "no rules file '" .. name .. "'") end
    return {name = name, text = text, version = M.version(text)}
  end

  -- Writes the way editors do (a temporary file renamed over the old one), so the
  -- folder watcher and a concurrent reader never see half a file.
  local function write(name, text)
    local path = path_of(name)
    local file, err = io.open(path .. ".tmp", "wb")
    if file == nil then fail(500, "cannot write '" .. name .. "': " .. tostring(err)) end
    file:write(text)
    file:close()
    local ok, problem = os.rename(path .. ".tmp", path)
    if not ok then fail(500, "cannot write '" .. name .. "': " .. tostring(problem)) end
  end

  -- PUT {text=, base=}: `base` is the version the editor opened (null for a new file).
  -- A file that changed on disk since answers 409 with its current version.
  local function put_file(name, body)
    checked_name(name)
    if type(body) ~= "table" or type(body.text) ~= "string" then fail(400, "'text' must be a string") end
    local api, base = get_api(), body.base
    if base == nil then fail(400, "'base' is missing (the version opened, or null for a new file)") end
    local current = read(name)
    local current_version = current and M.version(current) or api.null
    if current_version ~= base then
      fail(409, "'" .. name .. "' changed on disk since it was opened", {version = current_version})
    end
    write(name, body.text)
    return {name = name, version = M.version(body.text)}
  end

  -- History ----------------------------------------------------------------------

  local changes = {}                        -- device id -> ring of (at, value)
  local actions = ring.new(ACTIONS_KEEP)    -- ring of (at, {rule=, device=, action=})

  local function record(id, value)
    local changed = changes[id]
    if changed == nil then changed = ring.new(HISTORY_KEEP); changes[id] = changed end
    changed:push(E.native.epoch_ms() / 1000, value)
  end

  -- Each device's value when the API starts, so a chart has a line from the start on
  -- rather than from the first change.
  for _, dev in E.devices.each() do
    if dev.values.value ~= nil then record(dev.id, dev.values.value) end
  end
  E.devices.on_change(function(id, property, value)
    if property == "value" then record(id, value) end
  end)

  E.devices.on_action(function(id, action)
    local run = E.current_run()
    local rule = run and run.rule and run.rule.name
    if rule then
      actions:push(E.native.epoch_ms() / 1000, {rule = rule, device = id, action = action})
    end
  end)

  local function chartable(v) return type(v) == "boolean" or type(v) == "number" end

  -- A device's points within [from, to): the value before `from` (if kept) first.
  local function device_points(dev, from, to)
    local changed, points, before = changes[dev.id], {}, nil
    if changed == nil then return points, before end
    for at, value in changed:entries() do
      if at < from then before = value
      elseif at < to and chartable(value) then points[#points + 1] = {at, value} end
    end
    return points, before
  end

  local function day_bounds(day)
    local y, m, d = tostring(day or ""):match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
    if y == nil then
      local today = home.stamp():sub(1, 10)
      y, m, d = today:match("^(%d+)%-(%d+)%-(%d+)$")
    end
    y, m, d = tonumber(y), tonumber(m), tonumber(d)
    local from = home_module.local_epoch(y, m, d, 0)
    -- The next midnight, not from + 24 h: days with a DST change have 23 or 25 hours.
    local to = home_module.local_epoch(y, m, d + 1, 0)
    return string.format("%04d-%02d-%02d", y, m, d), from, to
  end

  local function rule_runs(from, to)
    local out = {}
    for _, rule in pairs(E.rules) do
      for _, rec in ipairs(E.trace.records(rule, "ran") or {}) do
        local at = rec.at / 1000
        if at >= from and at < to then out[#out + 1] = {at = at, rule = rule.name} end
      end
    end
    table.sort(out, function(a, b) return a.at < b.at end)
    return out
  end

  local function history(query)
    local api = get_api()
    local day, from, to = day_bounds(query.day)
    local devices = {}
    for _, dev in E.devices.each() do
      local points, before = device_points(dev, from, to)
      local now = dev.values.value
      if #points > 0 or chartable(before) or chartable(now) then
        local kind = type(now) == "number" and "number" or (type(now) == "boolean" and "boolean")
                     or (points[1] and type(points[1][2]) == "number" and "number" or "boolean")
        devices[#devices + 1] = {id = dev.id, name = dev.name, type = dev.type or api.null, kind = kind,
                                 before = chartable(before) and before or api.null,
                                 points = api.array(points)}
      end
    end
    table.sort(devices, function(a, b) return tostring(a.name) < tostring(b.name) end)
    local acted = {}
    for at, a in actions:entries() do
      if at >= from and at < to then
        acted[#acted + 1] = {at = at, rule = a.rule, device = a.device, action = a.action}
      end
    end
    return {day = day, from = from, to = to, now = E.native.epoch_ms() / 1000, devices = api.array(devices),
            runs = api.array(rule_runs(from, to)), actions = api.array(acted)}
  end

  F.routes = {
    {{"files"}, {GET = function() return list_files() end}},
    {{"files", ":name"}, {GET = function(c) return get_file(checked_name(c[1])) end,
                          PUT = function(c, req) return put_file(c[1], req.body) end}},
    {{"history"}, {GET = function(_, req) return history(req.query or {}) end}},
  }
  return F
end

return M
