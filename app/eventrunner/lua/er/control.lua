-- er.control: the control API of `eventrunner run` (docs/api.md), on the loop thread.
--
--   local control = require("er.control").new(E, home, reload)
--   control.attach(api)          -- serve the requests of the HTTP server `api`
--   control.line(level, text)    -- a timeline line: kept for /api/timeline, streamed
--
-- The HTTP server (adapters/http) reads, authenticates and validates each request on
-- its own thread and posts it to the bus as ("er.api", "request", id); this module
-- takes it, routes it, and answers with api.reply(id, status, body). Bodies are Lua
-- tables converted from and to JSON by the host (api.null stands for JSON null,
-- api.array(t) marks a table that must be a JSON array even when empty). Stream
-- messages are built only while a client listens (api.streaming()).
--
-- `reload` is the engine's reload module (er.reload: reload, rollback, check_files);
-- `home` is the loaded home's description ({name=, dir=}).

local control_files = require("er.control_files")
local control_metrics = require("er.control_metrics")
local inspect_module = require("er.inspect")

local M = {}

M.BUS_MESSAGE = "er.api"

-- How many timeline lines /api/timeline keeps.
local TIMELINE_KEEP = 1000

-- An error a handler raises to answer a status other than 500.
local HttpError = {}
-- `extra` adds fields to the error's body (a 409 of PUT /api/files says the version).
local function fail(status, message, extra)
  error(setmetatable({status = status, message = message, extra = extra}, HttpError), 0)
end

local function field(body, name, kind)
  local v = body and body[name]
  if type(v) ~= kind then fail(400, string.format("'%s' must be a %s", name, kind == "table" and "JSON object" or kind)) end
  return v
end

function M.new(E, home, reload)
  local control = {}
  local api = nil
  local timeline = {first = 1, next = 1}   -- seq -> line text
  local started_ms = E.native.epoch_ms()

  local function null_if_nil(v) if v == nil then return api.null end return v end

  local function stamp(epoch) return home.stamp(epoch) end

  -- Timeline ----------------------------------------------------------------------------

  --- A timeline line as `run` printed it (without the newline): kept and streamed.
  function control.line(_, text)
    local seq = timeline.next
    timeline[seq] = text
    timeline.next = seq + 1
    if seq - timeline.first >= TIMELINE_KEEP then
      timeline[timeline.first] = nil
      timeline.first = timeline.first + 1
    end
    if api and api.streaming() then api.publish("timeline", text, {kind = "timeline", seq = seq, text = text}) end
  end

  local function timeline_since(since)
    local lines = {}
    for seq = math.max(since, timeline.first), timeline.next - 1 do
      lines[#lines + 1] = {seq = seq, text = timeline[seq]}
    end
    return {lines = api.array(lines), next = timeline.next}
  end

  -- Rules -------------------------------------------------------------------------------

  local function identity_of(rule) return rule.identity or rule.name end

  local function rule_json(rule)
    local info = rule:info()
    local stats = rule.stats
    return {identity = identity_of(rule), name = rule.name, file = null_if_nil(info.file),
            line = null_if_nil(info.line), source = info.source, group = null_if_nil(rule.group),
            enabled = rule.enabled, error = null_if_nil(rule.disabled_error),
            stats = {triggered = stats.triggered, fired = stats.fired, errors = stats.errors},
            runs = info.runs, next = info.next and stamp(info.next) or api.null}
  end

  local function sorted_rules()
    local list = {}
    for _, rule in pairs(E.rules) do list[#list + 1] = rule end
    table.sort(list, function(a, b) return a.id < b.id end)
    return list
  end

  local function find_rule(key)
    local rule = E.rule_by_name[key] or E.rule_by_identity[key]
    if rule == nil then fail(404, "no rule '" .. key .. "'") end
    return rule
  end

  -- Devices -----------------------------------------------------------------------------

  local function find_device(key)
    local dev = E.devices.named(key) or E.devices.get(tonumber(key) or key)
    if dev == nil then fail(404, "no device '" .. key .. "'") end
    return dev
  end

  local function last_changed(dev)
    local latest = nil
    for _, ms in pairs(dev.changed) do
      if latest == nil or ms > latest then latest = ms end
    end
    return latest and latest / 1000 or api.null
  end

  local function device_json(dev)
    local properties = {}
    for name, value in pairs(dev.values) do properties[name] = value end
    local available = dev.values.available
    return {id = dev.id, name = dev.name, type = null_if_nil(dev.type), properties = properties,
            available = available ~= false, lastChanged = last_changed(dev)}
  end

  local function all_devices()
    local list = {}
    for _, dev in E.devices.each() do list[#list + 1] = device_json(dev) end
    return {devices = api.array(list)}
  end

  -- The action or report runs as the API: its timeline lines say [api].
  local function as_api(fn, ...)
    control.acting = "api"
    local ok, err = pcall(fn, ...)
    control.acting = nil
    if not ok then fail(400, tostring(type(err) == "table" and err.message or err)) end
  end

  local function device_action(dev, body)
    local action = field(body, "action", "string")
    local args = body.args or {}
    if type(args) ~= "table" then fail(400, "'args' must be a JSON array") end
    if not dev.actions[action] then fail(400, "device " .. dev.name .. " has no action '" .. action .. "'") end
    as_api(function() dev:call(action, table.unpack(args, 1, #args)) end)
    return {ok = true}
  end

  local function device_report(dev, body)
    local property = field(body, "property", "string")
    local value = body.value
    if value == nil or value == api.null then fail(400, "'value' is missing") end
    as_api(E.devices.apply_report, dev.id, property, value, "update")
    return {ok = true}
  end

  -- Globals -----------------------------------------------------------------------------

  local function all_globals()
    local out = {}
    for name, value in pairs(E.er.globals) do out[name] = value end
    return {globals = out}
  end

  local function set_global(name, body)
    if type(body) ~= "table" then fail(400, "the body must be {\"value\": ...}") end
    local value = body.value
    if value == api.null then value = nil end
    local ok, err = pcall(function() E.er.globals[name] = value end)
    if not ok then fail(400, tostring(err)) end
    return {name = name, value = null_if_nil(E.er.globals[name])}
  end

  -- Eval and check ----------------------------------------------------------------------

  -- Runs fn with the engine's error lines captured; returns fn's results and the lines.
  local function capturing_errors(fn)
    local sink, lines = E.log_sink, {}
    E.log_sink = function(level, text)
      if level == "error" then lines[#lines + 1] = (text:gsub("\n$", "")) end
      sink(level, text)
    end
    local ok, a, b = pcall(fn)
    E.log_sink = sink
    if not ok then error(a, 0) end
    return a, b, lines
  end

  local function canonical_values(values)
    local texts = {}
    for i = 1, values.n do
      local v = values[i]
      local mt = type(v) == "table" and getmetatable(v)
      texts[i] = (type(mt) == "table" and mt.__name == "rule") and tostring(v) or E.util.canonical(v)
    end
    return api.array(texts)
  end

  local function eval(body)
    local source = field(body, "source", "string")
    local run, values, errors = capturing_errors(function()
      return E.eval_tracked(M.eval_source(E, source), {file = "eval"})
    end)
    if #errors > 0 and (run == nil or run.failed) then return {ok = false, error = table.concat(errors, "\n")} end
    if run ~= nil and not run.done then return {ok = true, suspended = true} end
    if run ~= nil then values = run.results or {n = 0} end
    return {ok = true, values = canonical_values(values)}
  end

  local function diagnostics_json(list)
    local out = {}
    for i, d in ipairs(list or {}) do
      out[i] = {file = d.file, line = d.line, col = d.col, severity = d.severity, message = d.message, text = d.text}
    end
    return api.array(out)
  end

  local function check(body)
    local files = field(body, "files", "table")
    for name, text in pairs(files) do
      if type(name) ~= "string" or type(text) ~= "string" then fail(400, "'files' must map file names to texts") end
    end
    local result = reload.check_files(files)
    return {ok = result.ok, diagnostics = diagnostics_json(result.diagnostics)}
  end

  -- Reload ------------------------------------------------------------------------------

  local function rules_diff_json(list)
    local out = {}
    for i, r in ipairs(list or {}) do
      out[i] = {identity = r.identity, name = r.name, file = null_if_nil(r.file), line = null_if_nil(r.line),
                fate = r.fate}
    end
    return api.array(out)
  end

  local function reload_json(result)
    return {ok = result.ok, dry_run = result.dry_run or false, generation = null_if_nil(result.generation),
            summary = result.summary or {unchanged = 0, changed = 0, added = 0, removed = 0},
            rules = rules_diff_json(result.rules), diagnostics = diagnostics_json(result.diagnostics)}
  end

  -- {"dry_run": true, "files": {name: text}} validates the home as if those files
  -- had these texts: what an editor shows before it saves and deploys.
  local function do_reload(body)
    local dry_run = type(body) == "table" and body.dry_run == true
    local files = type(body) == "table" and body.files or nil
    if files ~= nil then
      if not dry_run then fail(400, "'files' is only for a dry run (save the files, then reload)") end
      if type(files) ~= "table" then fail(400, "'files' must map file names to texts") end
      for name, text in pairs(files) do
        if type(name) ~= "string" or type(text) ~= "string" or not name:match("^[%w_][%w_%-%.]*%.er$") then
          fail(400, "'files' must map rules file names (*.er) to texts")
        end
      end
    end
    return reload_json(reload.reload(home.dir, {dry_run = dry_run, files = files}))
  end

  local function do_rollback()
    local result, problem = reload.rollback()
    if result == nil then fail(409, problem) end
    return reload_json(result)
  end

  -- Health and names --------------------------------------------------------------------

  local function counts()
    local c = {devices = 0, rules = 0, enabled = 0, disabled_by_error = 0, globals = 0, runs = 0, errors = 0}
    for _ in E.devices.each() do c.devices = c.devices + 1 end
    for _, rule in pairs(E.rules) do
      c.rules = c.rules + 1
      if rule.enabled then c.enabled = c.enabled + 1 end
      if rule.disabled_error then c.disabled_by_error = c.disabled_by_error + 1 end
      c.runs, c.errors = c.runs + rule.triggered, c.errors + rule.errors
    end
    for _ in pairs(E.er.globals) do c.globals = c.globals + 1 end
    return c
  end

  local function health()
    return {home = home.name, version = home.version, uptime = (E.native.epoch_ms() - started_ms) / 1000,
            clock = stamp(), virtual = home.virtual, generation = null_if_nil(reload.generation and reload.generation()),
            counts = counts()}
  end

  local function sorted_keys(t)
    local out = {}
    for k in pairs(t) do if type(k) == "string" then out[#out + 1] = k end end
    table.sort(out)
    return api.array(out)
  end

  local function names()
    local rules = {}
    for _, rule in ipairs(sorted_rules()) do rules[#rules + 1] = rule.name end
    local globals = {}
    for name in pairs(E.er.globals) do globals[name] = true end
    local builtins = {}
    for name in pairs(E.G) do builtins[name] = true end
    for name in pairs(E.dynamic) do builtins[name] = true end
    return {devices = api.array(E.devices.names()), globals = sorted_keys(globals), rules = api.array(rules),
            builtins = sorted_keys(builtins)}
  end

  -- Routing -----------------------------------------------------------------------------

  local function rules_list()
    local list = {}
    for _, rule in ipairs(sorted_rules()) do list[#list + 1] = rule_json(rule) end
    return {rules = api.array(list)}
  end

  local function rule_verb(key, verb)
    local rule = find_rule(key)
    if verb == "enable" then rule:enable() elseif verb == "disable" then rule:disable()
    elseif verb == "run" then as_api(function() rule:start() end)
    else fail(404, "no such rule operation '" .. verb .. "'") end
    return {rule = rule_json(rule)}
  end

  local function post_event(body)
    if type(body) ~= "table" or type(body.type) ~= "string" then
      fail(400, "an event needs a string 'type' field")
    end
    local ev = {}
    for k, v in pairs(body) do if v ~= api.null then ev[k] = v end end
    E.post(ev)
    return {ok = true}
  end

  -- Traces and inspection (docs/traces.md): why, traces and state come from er.inspect.
  local inspect = inspect_module.new(E)

  -- A full record's lists are JSON arrays also when empty (`"actions": []`).
  local function records_json(list)
    for _, rec in ipairs(list) do
      if rec.values then rec.values = api.array(rec.values) end
      if rec.actions then
        for _, action in ipairs(rec.actions) do
          if action.args then action.args = api.array(action.args) end
        end
        rec.actions = api.array(rec.actions)
      end
    end
    return api.array(list)
  end

  local function traces(query)
    local rule = query.rule and query.rule ~= "" and find_rule(query.rule) or nil
    local outcome = query.outcome ~= "" and query.outcome or nil
    local answer = inspect.traces(rule, outcome, tonumber(query.limit))
    answer.traces = records_json(answer.traces)
    return answer
  end

  local function why(rule)
    local answer = inspect.why(rule)
    answer.records = records_json(answer.records)
    return answer
  end

  local function state()
    local answer = inspect.state()
    for _, list in ipairs({"devices", "globals", "rules"}) do answer[list] = api.array(answer[list]) end
    return answer
  end

  -- Routes: path pattern (segments; ":x" captures) -> {METHOD = handler(captures, req)}.
  local ROUTES = {
    {{"health"}, {GET = function() return health() end}},
    {{"names"}, {GET = function() return names() end}},
    {{"rules"}, {GET = function() return rules_list() end}},
    {{"rules", ":rule"}, {GET = function(c) return rule_json(find_rule(c[1])) end}},
    {{"rules", ":rule", ":verb"}, {POST = function(c) return rule_verb(c[1], c[2]) end,
                                   GET = function(c)
                                     if c[2] ~= "why" then fail(404, "no such path: rules/" .. c[1] .. "/" .. c[2]) end
                                     return why(find_rule(c[1]))
                                   end}},
    {{"traces"}, {GET = function(_, req) return traces(req.query or {}) end}},
    {{"state"}, {GET = function() return state() end}},
    {{"devices"}, {GET = function() return all_devices() end}},
    {{"devices", ":device"}, {GET = function(c) return device_json(find_device(c[1])) end,
                              POST = function(c, req) return device_action(find_device(c[1]), req.body) end}},
    {{"devices", ":device", "report"}, {POST = function(c, req) return device_report(find_device(c[1]), req.body) end}},
    {{"globals"}, {GET = function() return all_globals() end}},
    {{"globals", ":name"}, {
      GET = function(c)
        local value = E.er.globals[c[1]]
        if value == nil then fail(404, "no global '" .. c[1] .. "'") end
        return {name = c[1], value = value}
      end,
      PUT = function(c, req) return set_global(c[1], req.body) end}},
    {{"events"}, {POST = function(_, req) return post_event(req.body) end}},
    {{"eval"}, {POST = function(_, req) return eval(req.body) end}},
    {{"check"}, {POST = function(_, req) return check(req.body) end}},
    {{"reload"}, {POST = function(_, req) return do_reload(req.body) end}},
    {{"rollback"}, {POST = function() return do_rollback() end}},
    {{"timeline"}, {GET = function(_, req) return timeline_since(tonumber(req.query.since) or 0) end}},
  }
  -- Metrics and log levels (er.control_metrics); GET /metrics is outside /api.
  local watch = control_metrics.new(E, home, fail, function() return api end)
  for _, entry in ipairs(watch.routes) do ROUTES[#ROUTES + 1] = entry end
  -- The web console's files and day history (er.control_files).
  local files = control_files.new(E, home, fail, function() return api end)
  for _, entry in ipairs(files.routes) do ROUTES[#ROUTES + 1] = entry end

  local function segments(path)
    local out = {}
    for part in path:gmatch("[^/]+") do out[#out + 1] = part end
    return out
  end

  local function match(pattern, parts)
    if #pattern ~= #parts then return nil end
    local captures = {}
    for i, want in ipairs(pattern) do
      if want:sub(1, 1) == ":" then captures[#captures + 1] = parts[i]
      elseif want ~= parts[i] then return nil end
    end
    return captures
  end

  local function route(req)
    local parts = segments(req.path)
    if req.path == "/metrics" then
      if req.method ~= "GET" then fail(405, req.method .. " is not allowed on " .. req.path) end
      return watch.prometheus()
    end
    if parts[1] ~= "api" then fail(404, "no such path: " .. req.path) end
    table.remove(parts, 1)
    for _, entry in ipairs(ROUTES) do
      local captures = match(entry[1], parts)
      if captures then
        local handler = entry[2][req.method]
        if handler == nil then fail(405, req.method .. " is not allowed on " .. req.path) end
        return handler(captures, req)
      end
    end
    fail(404, "no such path: " .. req.path)
  end

  --- Answers request `req` ({method=, path=, query=, body=}): status, body table.
  function control.handle(req)
    local ok, result = pcall(route, req)
    if ok then return 200, result end
    if getmetatable(result) == HttpError then
      local body = {error = result.message}
      for k, v in pairs(result.extra or {}) do body[k] = v end
      return result.status, body
    end
    E.log("error", "api: " .. req.method .. " " .. req.path .. ": " .. tostring(result))
    return 500, {error = tostring(result)}
  end

  -- Streams -----------------------------------------------------------------------------

  local function publish_device(id, property, value, old)
    if not api.streaming() then return end
    local dev = E.devices.get(id)
    local name = dev and dev.name or tostring(id)
    api.publish("device", name .. " " .. tostring(id) .. " " .. property,
      {kind = "device", id = id, name = name, property = property, value = null_if_nil(value), old = null_if_nil(old)})
  end

  local function publish_rule(rule)
    if not api.streaming() then return end
    api.publish("rule", rule.name .. " " .. identity_of(rule), {kind = "rule", name = rule.name,
      identity = identity_of(rule), enabled = rule.enabled, error = null_if_nil(rule.disabled_error)})
  end

  --- A log line of the engine for the stream.
  function control.log(level, text)
    if api and api.streaming() then api.publish("log", text, {kind = "log", level = level, text = text}) end
  end

  --- A reload's result for the stream.
  function control.reloaded(result)
    if api and api.streaming() then
      api.publish("reload", "reload", {kind = "reload", ok = result.ok, summary = reload_json(result).summary,
                                       generation = null_if_nil(result.generation)})
    end
  end

  --- Serves the requests of `api` from now on.
  function control.attach(server)
    api = server
    sys.subscribe(M.BUS_MESSAGE, function(kind, id)
      if kind ~= "request" then return end
      local req = api.take(id)
      if req == nil then return end  -- The client went away.
      local status, body = control.handle(req)
      if control_metrics.is_text(body) then api.reply_text(id, status, body.text, body.content_type)
      else api.reply(id, status, body) end
    end)
    E.devices.on_change(publish_device)
    E.rules_module.on_switch(publish_rule)
  end

  return control
end

-- The chunk to evaluate: the source as written, or `return <source>` when only that
-- compiles, so that `eventrunner eval` and /api/eval answer `hall_lamp:value` as written.
function M.eval_source(E, source)
  local names = {}
  for name in pairs(E.trigger_vars or {}) do names[#names + 1] = name end
  local options = {file = "eval", kind = "definition", trigger_variables = names}
  if E.native.compile(source, options) then return source end
  local returned = "return " .. source
  if E.native.compile(returned, options) then return returned end
  return source
end

return M
