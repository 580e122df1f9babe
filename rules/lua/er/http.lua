-- er.http: HTTP from rules (docs/http.md) — EventRunner7's `http.get/put/post/delete`.
--
--   local data, status, headers = http.get(url [, opts [, default]])
--   local data, status, headers = http.post(url [, opts [, body [, default]]])
--
-- A call suspends only the calling run, like wait. An answer gives its body (decoded
-- when it is JSON), its status and its headers; any status is an answer. A transfer
-- that got no answer gives `default` (nil unless given) and the reason as text
-- ("timeout after 10 s"): errors are values, not rule crashes.
--
-- The network is the host's (adapters/http_client): it attaches a transport with
-- request(spec) -> id and take(id), and announces each finished transfer as the bus
-- message ("er.http", id). Other modules (notifications, weather) send with M.send and
-- a callback instead of suspending.

local M = {}

M.BUS_MESSAGE = "er.http"

-- Requests wait this long for their answer unless opts.timeout says otherwise
-- (EventRunner7's default), and read bodies up to this size.
M.DEFAULT_TIMEOUT_S = 30
M.DEFAULT_MAX_BYTES = 4 * 1024 * 1024

local METHODS = {get = "GET", put = "PUT", post = "POST", delete = "DELETE", patch = "PATCH", head = "HEAD"}
local WITH_BODY = {put = true, post = true, patch = true}

-- The options a rule may give (anything else is a mistake worth naming).
local OPTIONS = {timeout = true, headers = true, body = true, user = true, pwd = true, type = true, json = true,
                 max_bytes = true, redirects = true, verify = true}

-- "http://user:secret@host/x" without its credentials: what log lines may show.
function M.safe_url(url)
  return (tostring(url):gsub("^(%a[%w+.-]*://)[^/@]*@", "%1"))
end

local function check_options(what, opts)
  if opts == nil then return {} end
  if type(opts) ~= "table" then error(what .. ": options must be a table, got " .. type(opts), 4) end
  for key in pairs(opts) do
    if not OPTIONS[key] then error(what .. ": unknown option '" .. tostring(key) .. "'", 4) end
  end
  if opts.timeout ~= nil and (type(opts.timeout) ~= "number" or opts.timeout <= 0) then
    error(what .. ": timeout must be a positive number of seconds", 4)
  end
  return opts
end

local function is_json_type(content_type)
  return content_type ~= nil and content_type:lower():match("^%s*application/[%w.+-]*json") ~= nil
end

function M.new(base, core, util)
  local H = {}
  local transport = nil   -- {request(spec) -> id, take(id) -> status, body, headers | nil, error}
  local callbacks = {}    -- id -> function(status | nil, body | error, headers)

  -- The body and content type a request sends: a table goes as JSON.
  local function encode_body(body, content_type)
    if body == nil then return nil, content_type end
    if type(body) == "table" then return util.json_encode(body), content_type or "application/json" end
    body = tostring(body)
    if content_type == nil then
      content_type = body:match("^%s*[%[{]") and "application/json" or "text/plain; charset=utf-8"
    end
    return body, content_type
  end

  -- The spec the transport takes, from a rule's arguments.
  local function build_spec(method, url, opts, body)
    local headers = {}
    for name, value in pairs(opts.headers or {}) do headers[tostring(name)] = tostring(value) end
    local text, content_type = encode_body(body, opts.type)
    if content_type and headers["Content-Type"] == nil and headers["content-type"] == nil then
      headers["Content-Type"] = content_type
    end
    return {method = method, url = url, body = text, headers = headers,
            username = opts.user and tostring(opts.user), password = opts.pwd and tostring(opts.pwd),
            timeout_ms = math.max(1, math.floor((opts.timeout or M.DEFAULT_TIMEOUT_S) * 1000 + 0.5)),
            max_bytes = opts.max_bytes or M.DEFAULT_MAX_BYTES, redirects = opts.redirects,
            verify = opts.verify}
  end

  -- What a rule gets for an answer: the decoded JSON when the answer is JSON (or
  -- looks like it, as EventRunner7 decodes any body that parses), else the text.
  local function answer_value(body, headers, json)
    if json == false then return body end
    local looks_json = is_json_type(headers["content-type"]) or json == true or body:match("^%s*[%[{]")
    if not looks_json then return body end
    local ok, value = pcall(util.json_decode, body)
    if ok then return value end
    return body
  end

  --- Sends `spec` (as the transport takes it) and calls `done(status, body, headers)`
  --- with the answer, or `done(nil, reason)`, on the loop when it finished.
  function H.send(spec, done)
    if transport == nil then
      done(nil, "HTTP is not available in this engine")
      return
    end
    callbacks[transport.request(spec)] = done
  end

  -- The reply to request `id` arrived: its callback gets the result.
  local function on_reply(id)
    local done = callbacks[id]
    callbacks[id] = nil
    local status, body, headers = transport.take(id)
    if done and status ~= false then done(status, body, headers) end
  end

  -- Suspends the calling run until the answer to `spec` came.
  local function exchange(what, spec)
    local topic = nil
    local result = nil
    H.send(spec, function(status, body, headers)
      result = table.pack(status, body, headers)
      if topic then sys.publish(topic) end
    end)
    if result == nil then
      topic = "er.http.reply." .. tostring(spec)
      core.await(what, "http " .. spec.method .. " " .. M.safe_url(spec.url), sys.waitUntil, topic)
    end
    return table.unpack(result, 1, result.n)
  end

  local function request(name, url, opts, body, default)
    local what = "http." .. name
    if type(url) ~= "string" then error(what .. ": expected a URL string, got " .. type(url), 3) end
    opts = check_options(what, opts)
    if body == nil then body = opts.body end
    local spec = build_spec(METHODS[name], url, opts, body)
    local status, text, headers = exchange(what, spec)
    if status == nil then return default, text end
    return answer_value(text, headers, opts.json), status, headers
  end

  -- The `http` table rules see: get/delete/head take (url, opts, default), put/post/
  -- patch take (url, opts, body, default).
  local api = {}
  for name in pairs(METHODS) do
    if WITH_BODY[name] then
      api[name] = function(url, opts, body, default) return request(name, url, opts, body, default) end
    else
      api[name] = function(url, opts, default) return request(name, url, opts, nil, default) end
    end
  end
  base.G.http = api

  --- Attaches the host's transport (once; later calls keep the first).
  function H.attach(t)
    if transport ~= nil then return end
    transport = t
    sys.subscribe(M.BUS_MESSAGE, on_reply)
  end

  function H.stats() return transport and transport.stats() or {requests = 0, failures = 0, in_flight = 0} end
  return H
end

return M
