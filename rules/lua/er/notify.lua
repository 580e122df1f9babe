-- er.notify: notifications (docs/notifications.md) — EventRunner7's `user:msg = text`,
-- `user:email = 'subject:body'`, `user:defemail = name`, and `notify(target, text)`.
--
-- Targets are configured in home.lua (`notify = {targets = {...}}`): HTTP push services
-- (ntfy, Gotify, Pushover, a Telegram bot, or any URL with a body template), email over
-- SMTP, an MQTT topic, or a command. Users are devices of type "user" that name their push
-- targets and their email address. Delivery goes through er.http's callbacks and never
-- blocks the loop; a failed attempt is logged and retried with a doubling delay, and
-- a notification still failing after its retries posts #notify_failed{target=,
-- text=, error=}. Nothing is dropped in silence.

local M = {}

M.DEFAULT_RETRIES = 3
M.DEFAULT_RETRY_DELAY_S = 10
M.BACKEND = "notify"

local PUSH_TYPES = {ntfy = true, gotify = true, pushover = true, telegram = true, http = true}
local TARGET_KEYS = {
  type = true, url = true, token = true, token_file = true, user = true, priority = true, chat = true,
  method = true, headers = true, body = true, content_type = true, from = true, to = true, password = true,
  password_file = true, tls = true, topic = true, retain = true, verify = true, timeout = true,
  command = true,
}

-- Replaces {text}, {title} and {subject} in the strings of a body template (a string,
-- or a table whose string values are templates, sent as JSON).
local function fill(template, message)
  if type(template) == "string" then
    return (template:gsub("{(%a+)}", function(key) return message[key] or "" end))
  end
  if type(template) ~= "table" then return template end
  local out = {}
  for k, v in pairs(template) do out[k] = fill(v, message) end
  return out
end

-- The HTTP request each push service takes for `message` {title=, text=}.
local PUSH_REQUESTS = {
  ntfy = function(t, message)
    return {url = t.url, body = message.text,
            headers = {Title = message.title, Priority = t.priority and tostring(t.priority),
                       Authorization = t.secret and ("Bearer " .. t.secret)}}
  end,
  gotify = function(t, message)
    return {url = t.url:gsub("/*$", "") .. "/message", headers = {["X-Gotify-Key"] = t.secret},
            body = {title = message.title, message = message.text, priority = t.priority or 5}}
  end,
  pushover = function(t, message)
    return {url = t.url or "https://api.pushover.net/1/messages.json",
            body = {token = t.secret, user = t.user, title = message.title, message = message.text,
                    priority = t.priority}}
  end,
  telegram = function(t, message)
    local text = message.title and (message.title .. "\n" .. message.text) or message.text
    return {url = (t.url or "https://api.telegram.org"):gsub("/*$", "") .. "/bot" .. t.secret .. "/sendMessage",
            body = {chat_id = t.chat, text = text}}
  end,
  http = function(t, message)
    local headers = {}
    for k, v in pairs(t.headers or {}) do headers[k] = fill(v, message) end
    return {url = fill(t.url, message), method = t.method, headers = headers,
            body = fill(t.body or "{text}", message)}
  end,
}

function M.new(base, core, http, mqtt, devices, util)
  local N = {}
  local targets = {}       -- name -> checked target table (with .secret read from its file)
  local settings = {retries = M.DEFAULT_RETRIES, retry_delay = M.DEFAULT_RETRY_DELAY_S, emails = {}}
  local delivering = false -- false: notifications are logged, not sent (rule tests)
  local log = base.log

  -- Configuration ----------------------------------------------------------------------

  local function check_target(name, t, read_secret)
    local function fail(text) error("target '" .. name .. "': " .. text, 0) end
    if type(t) ~= "table" then fail("must be a table") end
    for key in pairs(t) do if not TARGET_KEYS[key] then fail("unknown key '" .. tostring(key) .. "'") end end
    if not (PUSH_TYPES[t.type] or t.type == "email" or t.type == "mqtt" or t.type == "command") then
      fail("type must be ntfy, gotify, pushover, telegram, http, email, mqtt or command, got " .. tostring(t.type))
    end
    local checked = util.deep_copy(t)
    checked.name = name
    checked.secret = t.token or t.password
    local file = t.token_file or t.password_file
    if file ~= nil then checked.secret = read_secret(file) end
    checked.token, checked.password = nil, nil
    if t.type == "mqtt" then
      if type(t.topic) ~= "string" then fail("topic must be a string") end
    elseif t.type == "command" then
      if type(t.command) ~= "table" or type(t.command[1]) ~= "string" then
        fail("command must be a list: the program and its arguments")
      end
    elseif type(t.url) ~= "string" and t.type ~= "pushover" and t.type ~= "telegram" then
      fail("url must be a string")
    end
    if t.type == "email" and (type(t.from) ~= "string" or t.url:match("^smtps?://") == nil) then
      fail("an email target needs url = \"smtp://host:port\" (or smtps://) and from")
    end
    if (t.type == "gotify" or t.type == "pushover" or t.type == "telegram") and checked.secret == nil then
      fail(t.type .. " needs token or token_file")
    end
    if t.type == "telegram" and t.chat == nil then fail("telegram needs chat") end
    return checked
  end

  --- Reads home.lua's `notify` table: targets, retries, retry_delay (seconds), emails
  --- (named messages for `defemail`). `read_secret(file)` reads a token or password
  --- file of the home. Raises with the problem. `deliver`: send for real.
  function N.configure(config, read_secret, deliver)
    if type(config) ~= "table" then error("must be a table", 0) end
    local checked = {}
    for name, t in pairs(config.targets or {}) do checked[name] = check_target(tostring(name), t, read_secret) end
    if config.retries ~= nil and (math.type(config.retries) ~= "integer" or config.retries < 0) then
      error("retries must be a whole number >= 0", 0)
    end
    if config.retry_delay ~= nil and (type(config.retry_delay) ~= "number" or config.retry_delay <= 0) then
      error("retry_delay must be a positive number of seconds", 0)
    end
    targets = checked
    settings = {retries = config.retries or M.DEFAULT_RETRIES,
                retry_delay = config.retry_delay or M.DEFAULT_RETRY_DELAY_S, emails = config.emails or {}}
    delivering = deliver == true
  end

  -- Delivery ---------------------------------------------------------------------------

  local function rfc5322(t, to, message)
    local subject = message.subject or message.title or ""
    local lines = {"From: " .. t.from, "To: " .. table.concat(to, ", "), "Subject: " .. subject,
                   "Date: " .. base.G.osdate("!%a, %d %b %Y %H:%M:%S +0000"), "MIME-Version: 1.0",
                   "Content-Type: text/plain; charset=utf-8", "", message.text}
    return table.concat(lines, "\r\n") .. "\r\n"
  end

  local function mail_spec(t, message)
    local to = message.to and {message.to} or (type(t.to) == "table" and t.to or {t.to})
    local starttls = t.tls ~= "none" and t.url:match("^smtp://") ~= nil
    return {method = "MAIL", url = t.url, body = rfc5322(t, to, message), mail_from = t.from, mail_to = to,
            username = t.user, password = t.secret, starttls = starttls, verify = t.verify,
            timeout_ms = math.floor((t.timeout or 30) * 1000)}
  end

  local function push_spec(t, message)
    local request = PUSH_REQUESTS[t.type](t, message)
    local body, content_type = request.body, t.content_type
    if type(body) == "table" then body, content_type = util.json_encode(body), content_type or "application/json" end
    local headers = request.headers or {}
    headers["Content-Type"] = headers["Content-Type"] or content_type or "text/plain; charset=utf-8"
    return {method = request.method or "POST", url = request.url, body = body, headers = headers, verify = t.verify,
            timeout_ms = math.floor((t.timeout or 30) * 1000)}
  end

  -- Each kind of target sends once and calls `done(reason)`, nil on success.
  local function send_mqtt(t, message, done)
    local payload = t.body and util.json_encode(fill(t.body, message)) or message.text
    if mqtt.send(t.topic, payload, 1, t.retain == true) then done(nil) else done("not connected to MQTT") end
  end

  local function send_command(t, message, done)
    local argv = {}
    for i, arg in ipairs(t.command) do argv[i] = fill(tostring(arg), message) end
    http.send({method = "COMMAND", command = argv, timeout_ms = math.floor((t.timeout or 30) * 1000)},
      function(status, reason)
        if status == nil then return done(reason) end
        if status ~= 0 then return done("the command exited with " .. status) end
        done(nil)
      end)
  end

  local function send_request(t, message, done)
    local spec = t.type == "email" and mail_spec(t, message) or push_spec(t, message)
    http.send(spec, function(status, body)
      if status == nil then return done(body) end
      if t.type ~= "email" and status >= 300 then return done("HTTP " .. status) end
      done(nil)
    end)
  end

  local function send_once(t, message, done)
    if t.type == "mqtt" then return send_mqtt(t, message, done) end
    if t.type == "command" then return send_command(t, message, done) end
    send_request(t, message, done)
  end

  local function attempt(job)
    job.attempts = job.attempts + 1
    send_once(job.target, job.message, function(reason)
      if reason == nil then return end
      local where = "notify: " .. job.target.name
      if job.attempts <= settings.retries then
        local delay = settings.retry_delay * 2 ^ (job.attempts - 1)
        log("warn", string.format("%s: attempt %d failed (%s); retrying in %g s", where, job.attempts, reason, delay))
        core.timer(nil, math.floor(delay * 1000), attempt, job)
        return
      end
      log("error", string.format("%s: not delivered after %d attempts: %s", where, job.attempts, reason))
      core.post({type = "notify_failed", target = job.target.name, text = job.message.text, error = reason})
    end)
  end

  --- Sends `message` {text=, title=, subject=, to=} to the target named `name`.
  function N.send(name, message)
    local t = targets[name]
    if t == nil then error("notify: unknown target '" .. tostring(name) .. "'", 0) end
    if t.type == "email" and message.to == nil and t.to == nil then
      error("notify: email target '" .. name .. "' has no 'to' address", 0)
    end
    if not delivering then
      log("info", "notify " .. name .. ": " .. (message.subject and (message.subject .. ": ") or "") .. message.text)
      return
    end
    attempt({target = t, message = message, attempts = 0})
  end

  -- Users ------------------------------------------------------------------------------

  -- The email target of a user: the one they name, else the only one there is.
  local function email_target(user)
    if user.email_target then return user.email_target end
    local found = nil
    for name, t in pairs(targets) do
      if t.type == "email" then
        if found then error("notify: user " .. user.name .. ": several email targets; set email_target", 0) end
        found = name
      end
    end
    if found == nil then error("notify: no email target in home.lua's notify.targets", 0) end
    return found
  end

  local function user_push(user, text)
    local names = user.push or {}
    if type(names) == "string" then names = {names} end
    if #names == 0 then error("notify: user " .. user.name .. " has no push targets (push = {...})", 0) end
    for _, name in ipairs(names) do N.send(name, {text = tostring(text)}) end
  end

  local function user_email(user, subject, text)
    if type(user.email) ~= "string" then error("notify: user " .. user.name .. " has no email address", 0) end
    N.send(email_target(user), {subject = subject, text = text, to = user.email})
  end

  -- `user:email = 'subject:body'` (EventRunner7's form: the subject before the first ':').
  local function split_email(value)
    value = tostring(value)
    local subject, body = value:match("^(.-):(.*)$")
    if subject == nil then return value, value end
    return subject, body
  end

  --- The device backend of users: their sendPush/sendEmail/sendDefinedEmail actions.
  function N.perform(user, action, args)
    if action == "sendPush" then return user_push(user, args[1]) end
    if action == "sendEmail" then return user_email(user, split_email(args[1])) end
    if action == "sendDefinedEmail" then
      local defined = settings.emails[args[1]]
      if defined == nil then error("notify: no email '" .. tostring(args[1]) .. "' in notify.emails", 0) end
      return user_email(user, split_email(defined))
    end
  end

  devices.attach_backend(M.BACKEND, function(id, action, wire)
    N.perform(devices.get(id).contact, action, wire)
  end)

  -- The user device `target` names (a name or an id), if any.
  local function user_named(target)
    local dev = devices.named(tostring(target)) or devices.get(target)
    return dev and dev.contact
  end

  -- `notify(target, text [, title])`: target a target name, a user (name or id) or a
  -- list of them.
  local function notify(target, text, title)
    if type(target) == "table" then
      for _, each in ipairs(target) do notify(each, text, title) end
      return true
    end
    if text == nil then error("notify: expected a text", 2) end
    local user = targets[target] == nil and user_named(target)
    if user then
      user_push(user, text)
    else
      N.send(target, {text = tostring(text), title = title and tostring(title)})
    end
    return true
  end
  base.G.notify = notify

  base.on_reset(function()
    targets, delivering = {}, false
    settings = {retries = M.DEFAULT_RETRIES, retry_delay = M.DEFAULT_RETRY_DELAY_S, emails = {}}
  end)
  return N
end

return M
