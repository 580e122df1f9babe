-- HTTP from rules (docs/http.md) against the local server http_rules_test.py starts:
-- its URL is ER_TEST_HTTP, and ER_TEST_REFUSED is a port nothing listens on.
local test = require("eventrunner.test")

local BASE = assert(os.getenv("ER_TEST_HTTP"), "run by tests/outbound/outbound_test.py")
local REFUSED = assert(os.getenv("ER_TEST_REFUSED"))

-- Defines `#go => <action>` with $URL replaced by the server's URL, posts #go and lets
-- a second of simulated time pass.
local function run_action(action)
  test.start{}
  test.eval("#go => " .. action:gsub("%$URL", BASE):gsub("%$REFUSED", REFUSED))
  test.post{type = "go"}
  test.advance("00:00:01")
  return test.logs()
end

test.case("get decodes a JSON answer and gives the status and the headers", function()
  test.eq(run_action("local d, s, h = http.get('$URL/json'); log('%s %s %s %s', d.state, d.n, s, h['content-type'])"),
          {"on 3 200 application/json"})
end)

test.case("a text answer stays text; json = false keeps a JSON answer's text", function()
  test.eq(run_action("local t = http.get('$URL/text'); local j = http.get('$URL/json', {json = false}); " ..
                     "log('%s|%s', t, j)"), {'hello there|{"state": "on", "n": 3}'})
end)

test.case("post sends a table as JSON; put a string; delete; basic auth; headers", function()
  local logs = run_action([[
    local e = http.post('$URL/echo', {user = 'ann', pwd = 's3cret', headers = {['X-Home'] = 'main'}}, {a = 1})
    log('%s %s %s %s %s', e.method, e.body, e.headers['content-type'], e.user, e.headers['x-home'])
    e = http.put('$URL/echo', nil, 'plain words')
    log('%s %s %s', e.method, e.body, e.headers['content-type'])
    e = http.delete('$URL/echo')
    log('%s', e.method)
    e = http.post('$URL/echo', {body = {b = 2}, type = 'application/vnd.home+json'})
    log('%s %s', e.body, e.headers['content-type'])]])
  test.eq(logs, {'POST {"a":1} application/json ann:s3cret main', "PUT plain words text/plain; charset=utf-8",
                 "DELETE", '{"b":2} application/vnd.home+json'})
end)

test.case("an error status is an answer: body and status", function()
  test.eq(run_action("local d, s = http.get('$URL/status/500'); log('%s %s', d.status, s)"), {"500 500"})
end)

test.case("a timeout is a value: the default (nil unless given) and the reason", function()
  test.eq(run_action("local d, why = http.get('$URL/slow?ms=3000', {timeout = 0.3}); log('%s, %s', d, why); " ..
                     "d = http.get('$URL/slow?ms=3000', {timeout = 0.2}, 'fallback'); log(d)"),
          {"nil, timeout after 0.3 s", "fallback"})
end)

test.case("a refused connection is a value and the rule goes on", function()
  local logs = run_action("local d, why = http.get('$REFUSED'); log('%s %s', d, why:gsub('port %d+', 'port N'))")
  test.eq(logs, {"nil cannot connect to 127.0.0.1 port N: Connection refused"})
end)

test.case("an answer over max_bytes is refused", function()
  test.eq(run_action("local d, why = http.get('$URL/big?n=5000', {max_bytes = 1000}); log('%s, %s', d, why); " ..
                     "log(string.len(http.get('$URL/big?n=5000')))"), {"nil, response larger than 1000 bytes", "5000"})
end)

test.case("redirects are followed up to a limit; redirects = 0 shows the redirect", function()
  test.eq(run_action("log(http.get('$URL/redirect').state); log(select(2, http.get('$URL/redirect', " ..
                     "{redirects = 0}))); log(select(2, http.get('$URL/loop', {redirects = 3})))"),
          {"on", "302", "more than 3 redirects"})
end)

test.case("only the calling rule waits, and simulated time stands still meanwhile", function()
  test.start{}
  test.eval("#slow => local t = os.time(); http.get('" .. BASE .. "/slow?ms=400'); log('slow done +%d s', os.time() - t)")
  test.eval("#quick => log('quick ran')")
  test.post{type = "slow"}
  test.post{type = "quick"}
  test.advance("00:10")
  test.eq(test.logs(), {"quick ran", "slow done +0 s"})
end)

test.case("bad arguments are rule errors that name the problem", function()
  test.start{}
  test.eval("#a => http.get(42)")
  test.eval("#b => http.get('" .. BASE .. "/json', {tiemout = 3})")
  test.post{type = "a"}
  test.post{type = "b"}
  test.advance("00:00:01")
  test.log_has("http.get: expected a URL string, got number")
  test.log_has("http.get: unknown option 'tiemout'")
end)

test.case("http in a rule condition is refused", function()
  test.start{}
  test.eval("#c & http.get('" .. BASE .. "/json') => log('never')")
  test.post{type = "c"}
  test.advance("00:00:01")
  test.log_has("http.get is not allowed in a rule condition")
end)

test.case("a run cancelled while it waits for its answer ends quietly", function()
  test.start{}
  test.eval("r1 = rule(\"#go => http.get('" .. BASE .. "/slow?ms=300'); log('not reached')\")")
  test.post{type = "go"}
  test.settle()
  test.eval("r1.disable()")
  test.advance("00:00:02")
  test.eval("r1.enable()")
  test.eq(test.logs(), {})
end)
