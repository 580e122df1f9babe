"""Rules' outbound traffic against real local servers: the rule tests under rules/ run
with `eventrunner test` (simulated time) while this file serves HTTP (and SMTP) on free
loopback ports and tells them where through the environment.
"""

import os
import subprocess
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

    def test_http_from_rules(self):
        code, output = run_rule_tests("http_test.lua", {"ER_TEST_HTTP": self.http.url,
                                                        "ER_TEST_REFUSED": local_servers.refused_url()})
        print(output)
        self.assertEqual(code, 0, output)
        self.assertIn(" 0 failed", output)


if __name__ == "__main__":
    unittest.main()
