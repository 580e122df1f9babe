"""Rules' outbound traffic against real local servers: the rule tests under rules/ run
with `eventrunner test` (simulated time) while this file serves HTTP (and SMTP) on free
loopback ports and tells them where through the environment.
"""

import json
import os
import subprocess
import tempfile
import time
import unittest

import local_servers

EVENTRUNNER = os.environ.get("EVENTRUNNER", "eventrunner")
HERE = os.path.dirname(os.path.abspath(__file__))


def run_rule_tests(name, env):
    path = os.path.join(HERE, "rules", name)
    done = subprocess.run([EVENTRUNNER, "test", path], env=dict(os.environ, **env), capture_output=True,
                          text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


class HttpRulesTest(unittest.TestCase):
    def setUp(self):
        self.http = local_servers.HttpServer()
        self.addCleanup(self.http.server_close)
        self.addCleanup(self.http.shutdown)

    def test_weather_over_http(self):
        code, output = run_rule_tests("weather_test.lua", {"ER_TEST_HTTP": self.http.url})
        print(output)
        self.assertEqual(code, 0, output)
        self.assertIn(" 0 failed", output)

    def test_http_from_rules(self):
        code, output = run_rule_tests("http_test.lua", {"ER_TEST_HTTP": self.http.url,
                                                        "ER_TEST_REFUSED": local_servers.refused_url()})
        print(output)
        self.assertEqual(code, 0, output)
        self.assertIn(" 0 failed", output)


class NotifyRulesTest(unittest.TestCase):
    def setUp(self):
        self.certs = tempfile.TemporaryDirectory(prefix="er-smtp-tls-")
        self.addCleanup(self.certs.cleanup)
        self.smtp = local_servers.SmtpSink(local_servers.self_signed_context(self.certs.name))
        self.addCleanup(self.smtp.server_close)
        self.addCleanup(self.smtp.shutdown)
        self.http = local_servers.HttpServer(self.smtp)
        self.addCleanup(self.http.server_close)
        self.addCleanup(self.http.shutdown)

    def test_notifications_from_rules(self):
        code, output = run_rule_tests("notify_test.lua", {"ER_TEST_HTTP": self.http.url, "ER_TEST_SMTP": self.smtp.url,
                                                          "ER_TEST_REFUSED": local_servers.refused_url()})
        print(output)
        self.assertEqual(code, 0, output)
        self.assertIn(" 0 failed", output)
        self.assertGreaterEqual(self.smtp.tls_sessions, 1)  # The STARTTLS case upgraded.


HOME_LUA = """return {
  devices = {{id = 10, name = "ann", type = "user", push = "phone"}},
  notify = {targets = {phone = {type = "ntfy", url = "$URL/notify/run", token_file = "ntfy.token"}}},
}
"""

RULES = """#startup =>
  ann:msg = 'engine up'
  local d, s = http.get('$URL/json')
  http.post('$URL/notify/result', nil, {state = d.state, status = s})
"""


class RunningEngineTest(unittest.TestCase):
    """A real `eventrunner run` in real time: its startup rule calls HTTP and pushes a
    notification whose token comes from a private file of the home."""

    def test_run_sends_http_and_notifications(self):
        server = local_servers.HttpServer()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        home = tempfile.TemporaryDirectory(prefix="er-outbound-")
        self.addCleanup(home.cleanup)
        with open(os.path.join(home.name, "home.lua"), "w") as f:
            f.write(HOME_LUA.replace("$URL", server.url))
        with open(os.path.join(home.name, "rules.er"), "w") as f:
            f.write(RULES.replace("$URL", server.url))
        token = os.path.join(home.name, "ntfy.token")
        with open(token, "w") as f:
            f.write("secret-token-77\n")
        os.chmod(token, 0o600)
        engine = subprocess.Popen([EVENTRUNNER, "run", home.name, "--state", "none", "--http", "off"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 20
            while len(server.posted) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            engine.terminate()
            output = engine.communicate(timeout=20)[0]
        posted = {request["path"]: request for request in server.posted}
        self.assertEqual(len(posted), 2, output)
        self.assertEqual(posted["/notify/run"]["body"], "engine up")
        self.assertEqual(posted["/notify/run"]["headers"]["authorization"], "Bearer secret-token-77")
        self.assertEqual(json.loads(posted["/notify/result"]["body"]), {"state": "on", "status": 200})
        self.assertNotIn("secret-token-77", output)


if __name__ == "__main__":
    unittest.main()
