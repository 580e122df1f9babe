-- er.control_metrics: the control API's routes for watching a running engine
-- (docs/api.md, docs/metrics.md): the metrics as JSON and in Prometheus' text format,
-- and the log levels.
--
--   local watch = require("er.control_metrics").new(E, home, fail, get_api)
--   watch.routes                -- entries for er.control's route table (under /api)
--   watch.prometheus()          -- the answer of GET /metrics: a text answer (M.text)
--
-- `home.log` is the run's er.log_filter (nil: the log-level routes answer 404);
-- `fail(status, message)` raises an HTTP error; `get_api()` the server's api table.

local M = {}

--- Prometheus' text exposition format, version 0.0.4.
M.PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

-- An answer that is not JSON: {text=, content_type=} with this metatable.
local Text = {}
function M.text(text, content_type) return setmetatable({text = text, content_type = content_type}, Text) end
function M.is_text(v) return getmetatable(v) == Text end

function M.new(E, home, fail, get_api)
  local O = {}

  local function info() return {version = home.version, home = home.name} end

  -- The snapshot as JSON: rules as an array, the source list (for the text format) left out.
  local function metrics_json()
    local snapshot = E.metrics.snapshot()
    snapshot.extra = nil
    snapshot.rules = get_api().array(snapshot.rules)
    snapshot.home, snapshot.version = home.name, home.version
    return snapshot
  end

  local function log_filter()
    if home.log == nil then fail(404, "this engine has no adjustable log") end
    return home.log
  end

  local function levels_json()
    local log = log_filter()
    return {level = log.level(), rules = log.rule_levels()}
  end

  -- PUT {"level": LEVEL, "rule": NAME (optional)}; a null level with a rule makes the
  -- rule follow the engine's level again.
  local function set_level(body)
    local log = log_filter()
    if type(body) ~= "table" then fail(400, "the body must be {\"level\": ..., \"rule\": ...}") end
    local level, rule = body.level, body.rule
    if level == get_api().null then level = nil end
    if rule ~= nil and type(rule) ~= "string" then fail(400, "'rule' must be a string") end
    if level == nil and rule == nil then fail(400, "'level' is missing") end
    if rule ~= nil then  -- Lines name rules by name: an identity is taken to its rule's name.
      local target = E.rule_by_name[rule] or E.rule_by_identity[rule]
      if target == nil then fail(404, "no rule '" .. rule .. "'") end
      rule = target.name
    end
    local ok, problem = log.set_level(level, rule)
    if not ok then fail(400, problem) end
    E.log("info", "log level " .. (rule and ("of " .. rule .. " ") or "") .. "set to " .. (level or "the engine's"))
    return levels_json()
  end

  O.routes = {
    {{"metrics"}, {GET = function() return metrics_json() end}},
    {{"log-level"}, {GET = function() return levels_json() end, PUT = function(_, req) return set_level(req.body) end}},
  }

  function O.prometheus()
    return M.text(E.metrics.prometheus(E.metrics.snapshot(), info()), M.PROMETHEUS_CONTENT_TYPE)
  end

  return O
end

return M
