-- Notifications (docs/notifications.md) delivered to the local servers
-- outbound_test.py starts: push services are ER_TEST_HTTP/notify..., mail goes to the
-- SMTP sink at ER_TEST_SMTP, and the HTTP server reports what arrived (/posted, /mails).
local test = require("eventrunner.test")

local BASE = assert(os.getenv("ER_TEST_HTTP"), "run by tests/outbound/outbound_test.py")
local SMTP = assert(os.getenv("ER_TEST_SMTP"))
local REFUSED = assert(os.getenv("ER_TEST_REFUSED"))

local function start(targets, extra)
  local config = {targets = targets, retries = 3, retry_delay = 10}
  for k, v in pairs(extra or {}) do config[k] = v end
  test.start{notify = config, send_notifications = true}
  test.device{id = 10, name = "ann", type = "user", push = {"phone"}, email = "ann@example.com"}
end

-- What the server recorded under `path` (/posted or /mails), read by a rule.
local function server_list(path)
  test.eval("#read_server => __server = http.get('" .. BASE .. path .. "')")
  test.post{type = "read_server"}
  test.advance("00:00:01")
  return test.eval("return __server")
end

-- The requests posted to the server whose path starts with `prefix`.
local function posted(prefix)
  local list = {}
  for _, request in ipairs(server_list("/posted")) do
    if request.path:sub(1, #prefix) == prefix then list[#list + 1] = request end
  end
  return list
end

test.case("user:msg pushes to the user's ntfy target with its token", function()
  start({phone = {type = "ntfy", url = BASE .. "/notify/ntfy", token = "tk1"}})
  test.eval("ann:msg = 'door open'")
  test.advance("00:00:01")
  local got = posted("/notify/ntfy")
  test.eq(#got, 1)
  test.eq(got[1].body, "door open")
  test.eq(got[1].headers.authorization, "Bearer tk1")
  test.eq(test.actions()[1].action, "sendPush")
end)

test.case("notify(target, text, title) and to a list; Gotify, Pushover and Telegram shapes", function()
  start({g = {type = "gotify", url = BASE .. "/notify/gotify", token = "gk"},
         p = {type = "pushover", url = BASE .. "/notify/pushover", token = "pk", user = "uk"},
         t = {type = "telegram", url = BASE .. "/notify/tg", token = "123:abc", chat = 42}})
  test.eval("notify({'g', 'p', 't'}, 'water leak', 'Alarm')")
  test.advance("00:00:01")
  local gotify = posted("/notify/gotify/message")[1]
  test.eq(gotify.headers["x-gotify-key"], "gk")
  test.ok(gotify.body:find('"message":"water leak"', 1, true), gotify.body)
  test.ok(gotify.body:find('"title":"Alarm"', 1, true), gotify.body)
  local pushover = posted("/notify/pushover")[1]
  test.ok(pushover.body:find('"token":"pk"', 1, true) and pushover.body:find('"user":"uk"', 1, true), pushover.body)
  local telegram = posted("/notify/tg/bot123:abc/sendMessage")[1]
  test.ok(telegram.body:find('"chat_id":42', 1, true) and telegram.body:find('Alarm\\nwater leak', 1, true),
          telegram.body)
end)

test.case("an http target fills its JSON template, escaping the text", function()
  start({hook = {type = "http", url = BASE .. "/notify/hook", headers = {["X-Who"] = "{title}"},
                 body = {msg = "{text}", kind = "home"}}})
  test.eval([[notify('hook', 'say "hi"', 'bot')]])
  test.advance("00:00:01")
  local hook = posted("/notify/hook")[1]
  test.eq(hook.body, '{"kind":"home","msg":"say \\"hi\\""}')
  test.eq(hook.headers["x-who"], "bot")
  test.eq(hook.headers["content-type"], "application/json")
end)

test.case("a failing push is retried with a doubling delay until it goes through", function()
  start({phone = {type = "ntfy", url = BASE .. "/notify/retry?key=retry&fail=2"}})
  test.eval("ann:msg = 'try again'")
  test.advance("00:00:05")
  test.eq(#posted("/notify/retry"), 0)
  test.advance("00:01")
  test.eq(#posted("/notify/retry"), 1)
  test.log_has("notify: phone: attempt 1 failed (HTTP 503); retrying in 10 s")
  test.log_has("notify: phone: attempt 2 failed (HTTP 503); retrying in 20 s")
end)

test.case("a notification still failing after its retries is logged and posts #notify_failed", function()
  start({phone = {type = "ntfy", url = REFUSED}}, {retries = 1, retry_delay = 5})
  test.eval("#notify_failed{target='$t', text='$x'} => log('lost %s to %s', x, t)")
  test.eval("ann:msg = 'gone'")
  test.advance("00:01")
  test.log_has("notify: phone: attempt 1 failed (cannot connect to 127.0.0.1")
  test.log_has("notify: phone: not delivered after 2 attempts: cannot connect")
  test.log_has("lost gone to phone")
end)

test.case("user:email sends 'subject:body' over SMTP; defemail sends a named email", function()
  start({mail = {type = "email", url = SMTP, from = "home@example.com", user = "home", password = "pw",
                 tls = "none"}}, {emails = {alarm = "Alarm!:The alarm went off"}})
  test.eval("ann:email = 'Door:The front door is open'")
  test.eval("ann:defemail = 'alarm'")
  test.advance("00:00:01")
  local mails = server_list("/mails")
  test.eq(#mails, 2, table.concat(test.logs(), "\n"))
  -- Both are sent at once: they may arrive in either order.
  local function is_door(mail) return mail.data:find("Subject: Door", 1, true) ~= nil end
  table.sort(mails, function(a, b) return is_door(a) and not is_door(b) end)
  test.eq(mails[1].to, {"<ann@example.com>"})
  test.eq(mails[1].from, "<home@example.com>")
  test.eq(mails[1].user, "home")
  test.ok(mails[1].data:find("Subject: Door", 1, true), mails[1].data)
  test.ok(mails[1].data:find("The front door is open", 1, true), mails[1].data)
  test.ok(mails[2].data:find("Subject: Alarm!", 1, true), mails[2].data)
end)

test.case("email over smtp:// upgrades with STARTTLS unless tls = 'none'", function()
  start({mail = {type = "email", url = SMTP, from = "home@example.com", to = "ops@example.com",
                 verify = false}})
  test.eval("notify('mail', 'sent over TLS', 'TLS')")
  test.advance("00:00:01")
  local found = false
  for _, mail in ipairs(server_list("/mails")) do
    if mail.data:find("sent over TLS", 1, true) and mail.data:find("Subject: TLS", 1, true) then found = true end
  end
  test.ok(found, "the mail arrived")
end)

test.case("without send_notifications a notification is only logged", function()
  test.start{notify = {targets = {phone = {type = "ntfy", url = BASE .. "/notify/quiet"}}}}
  test.device{id = 10, name = "ann", type = "user", push = "phone"}
  test.eval("ann:msg = 'just a test'")
  test.advance("00:00:01")
  test.log_has("notify phone: just a test")
  test.eq(#posted("/notify/quiet"), 0)
end)

test.case("configuration mistakes and unknown targets are clear errors", function()
  local ok, problem = pcall(test.start, {notify = {targets = {fax = {type = "fax"}}}})
  test.eq(ok, false)
  test.ok(tostring(problem.message):find("target 'fax': type must be ntfy, gotify", 1, true), problem.message)
  start({})
  test.eval("#go => notify('nowhere', 'x')")
  test.post{type = "go"}
  test.advance("00:00:01")
  test.log_has("notify: unknown target 'nowhere'")
  local _, message = test.eval("ann:email = 'x:y'")
  test.ok(tostring(message):find("no email target", 1, true), message)
end)

test.case("other devices have no msg", function()
  test.start{home = "reference"}
  local _, message = test.eval("55:msg = 'x'")
  test.ok(tostring(message):find("does not support setting 'msg'", 1, true), message)
end)

test.case("a command target runs its program with the message as arguments, no shell", function()
  local out = os.tmpname()
  start({script = {type = "command", command = {"sh", "-c", 'printf "%s|%s" "$1" "$2" > "$3"', "notify",
                                                "{title}", "{text}", out}}})
  test.eval([[notify('script', 'door $(touch /tmp/x) open', 'Alarm')]])
  test.advance("00:00:01")
  local file = assert(io.open(out))
  local written = file:read("a")
  file:close()
  os.remove(out)
  test.eq(written, "Alarm|door $(touch /tmp/x) open")
end)

test.case("a command that fails or cannot start is retried, then posts #notify_failed", function()
  start({bad = {type = "command", command = {"false"}}, missing = {type = "command", command = {"/nonexistent/x"}}},
        {retries = 1, retry_delay = 5})
  test.eval("#notify_failed{target='$t', error='$e'} => log('%s: %s', t, e)")
  test.eval("notify('bad', 'x'); notify('missing', 'y')")
  test.advance("00:01")
  test.log_has("bad: the command exited with 1")
  test.log_has("missing: cannot run '/nonexistent/x': No such file or directory")
end)
