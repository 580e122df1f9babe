"""Metrics and logging of a real `eventrunner run` (docs/metrics.md,
docs/operations.md#logging): GET /metrics in the Prometheus text format (checked by a
strict reader of the format), GET /api/metrics, `eventrunner top --once`, log levels
changed live through the API and `ctl`, and the log options of `run` (levels, the
rotated log file, the systemd journal)."""

import http.client
import os
import re
import stat
import subprocess
import tempfile
import unittest
import urllib.parse

import prometheus_format
from engine_process import EVENTRUNNER, Engine, wait_for

HOME_LUA = """return {
  name = 'metrics "test" home',
  devices = {
    {id = 55, name = "hall_lamp", type = "binarySwitch", props = {value = false}},
    {id = 66, name = "hall_motion", type = "binarySensor", props = {value = false}},
  },
}
"""

RULES = """::hall_night:: hall_motion:breached => hall_lamp:on
::chatty:: #chat{n = '$n'} => log("chat " ++ n)
::sleeper:: #sleep => wait(00:10:00); log("woke")
"""

STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  ")


def get_text(engine, path, token="default"):
    """GET `path`; returns (status, content type, body text)."""
    parsed = urllib.parse.urlparse(engine.url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    headers = {} if token is None else {"Authorization": "Bearer " + (engine.token if token == "default" else token)}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    connection.close()
    return response.status, response.getheader("Content-Type"), body


def run_command(*args, env=None):
    return subprocess.run([EVENTRUNNER] + list(args), capture_output=True, text=True, timeout=60, env=env)


class MetricsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = Engine({"home.lua": HOME_LUA, "10-rules.er": RULES}).wait_ready()
        cls.engine.ok("POST", "/api/devices/hall_motion/report", {"property": "value", "value": True})
        cls.engine.ok("POST", "/api/events", {"type": "sleep"})
        wait_for(lambda: cls.rule("hall_night")["runs"] == 1 and cls.rule("sleeper")["in_flight"] == 1,
                 what="the runs to be counted")

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()

    @classmethod
    def rule(cls, name):
        rules = cls.engine.ok("GET", "/api/metrics")["rules"]
        return next(r for r in rules if r["name"] == name)

    def ctl(self, *args):
        return run_command("ctl", "--connect", self.engine.url, "--token-file", self.engine.state + ".token", *args)

    # ---- GET /metrics ---------------------------------------------------------------

    def test_metrics_text_follows_the_exposition_format(self):
        status, content_type, text = get_text(self.engine, "/metrics")
        self.assertEqual(status, 200)
        self.assertEqual(content_type, "text/plain; version=0.0.4; charset=utf-8")
        families = prometheus_format.parse(text)
        for name in ("eventrunner_events_total", "eventrunner_loop_lag_seconds", "eventrunner_lua_heap_bytes",
                     "eventrunner_bus_dropped_total", "eventrunner_runs_in_flight", "eventrunner_rule_runs_total",
                     "eventrunner_rule_run_seconds_total", "eventrunner_rule_suspended_seconds_total",
                     "eventrunner_log_lines_total"):
            self.assertIn(name, families)
        self.assertEqual(families["eventrunner_loop_lag_seconds"]["type"], "summary")
        info = families["eventrunner_info"]["samples"][0][1]
        self.assertEqual(info["home"], 'metrics "test" home')  # Escaped in the text, read back.

    def test_every_rule_has_its_series(self):
        families = prometheus_format.parse(get_text(self.engine, "/metrics")[2])
        runs = {labels["rule"]: value for _, labels, value in families["eventrunner_rule_runs_total"]["samples"]}
        self.assertEqual(set(runs), {"hall_night", "chatty", "sleeper"})
        self.assertGreaterEqual(runs["hall_night"], 1)
        in_flight = {l["rule"]: v for _, l, v in families["eventrunner_rule_runs_in_flight"]["samples"]}
        self.assertEqual(in_flight["sleeper"], 1)

    def test_metrics_needs_the_token(self):
        self.assertEqual(get_text(self.engine, "/metrics", token=None)[0], 401)
        self.assertEqual(get_text(self.engine, "/metrics", token="wrong")[0], 401)

    def test_metrics_is_read_only(self):
        status, answer = self.engine.post("/metrics", {})
        self.assertEqual(status, 405)
        self.assertIn("error", answer)

    # ---- GET /api/metrics -----------------------------------------------------------

    def test_api_metrics_has_the_engine_and_each_rule(self):
        answer = self.engine.ok("GET", "/api/metrics")
        self.assertEqual(answer["home"], 'metrics "test" home')
        engine = answer["engine"]
        for key in ("events", "events_per_second", "bus_depth", "bus_dropped", "heap_bytes", "runs_in_flight",
                    "uptime_seconds"):
            self.assertIn(key, engine)
        self.assertEqual(set(engine["loop_lag"]) >= {"p50_seconds", "p99_seconds", "count"}, True)
        self.assertGreaterEqual(engine["runs_in_flight"], 1)
        night = self.rule("hall_night")
        self.assertEqual((night["runs"], night["conditions"], night["actions"], night["errors"]), (1, 1, 1, 0))
        self.assertGreater(night["run_seconds"], 0)
        self.assertIn("lines", answer["log"])

    # ---- top ------------------------------------------------------------------------

    def test_top_once_prints_one_snapshot(self):
        result = run_command("top", "--once", "--connect", self.engine.url, "--token-file",
                             self.engine.state + ".token")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('metrics "test" home', result.stdout)
        self.assertRegex(result.stdout, r"events [\d.]+/s avg")
        self.assertRegex(result.stdout, r"\nRULE +RUNS +CONDITIONS +ACTIONS +ERRORS +TIME +MEAN +MAX +SUSPENDED")
        for name in ("hall_night", "chatty", "sleeper"):
            self.assertRegex(result.stdout, r"\n%s +\d" % name)
        self.assertNotIn("\x1b[", result.stdout)  # Not a terminal: no screen control.

    def test_top_reports_an_unreachable_engine(self):
        result = run_command("top", "--once", "--connect", "http://127.0.0.1:9", "--token-file",
                             self.engine.state + ".token")
        self.assertEqual(result.returncode, 1)
        self.assertIn("cannot reach", result.stderr)

    # ---- Log levels, live -----------------------------------------------------------

    def chat(self, n):
        self.engine.ok("POST", "/api/events", {"type": "chat", "n": n})
        wait_for(lambda: self.rule("chatty")["runs"] >= n, what="chat %d to run" % n)

    def test_log_levels_change_live_for_the_engine_and_one_rule(self):
        levels = self.engine.ok("GET", "/api/log-level")
        self.assertEqual(levels, {"level": "info", "rules": {}})
        self.engine.ok("PUT", "/api/log-level", {"level": "warn"})
        self.chat(1)
        self.engine.ok("PUT", "/api/log-level", {"level": "info", "rule": "chatty"})
        self.chat(2)
        wait_for(lambda: "[chatty] chat 2" in self.engine.stdout(), what="chat 2 in the timeline")
        self.assertNotIn("[chatty] chat 1", self.engine.stdout())
        self.assertEqual(self.engine.ok("GET", "/api/log-level"), {"level": "warn", "rules": {"chatty": "info"}})
        self.engine.ok("PUT", "/api/log-level", {"level": None, "rule": "chatty"})
        self.engine.ok("PUT", "/api/log-level", {"level": "info"})
        self.assertEqual(self.engine.ok("GET", "/api/log-level"), {"level": "info", "rules": {}})

    def test_bad_log_level_requests(self):
        self.assertEqual(self.engine.request("PUT", "/api/log-level", {"level": "loud"})[0], 400)
        self.assertEqual(self.engine.request("PUT", "/api/log-level", {"level": "info", "rule": "nope"})[0], 404)
        self.assertEqual(self.engine.request("PUT", "/api/log-level", {})[0], 400)

    def test_ctl_log_level(self):
        result = self.ctl("log-level", "chatty", "debug")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("chatty: debug", result.stdout)
        result = self.ctl("log-level", "chatty", "default")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.ctl("log-level").stdout, "level: info\n")
        self.assertEqual(self.ctl("log-level", "shouty").returncode, 1)


class PrometheusFormatTest(unittest.TestCase):
    """The reader refuses what it should, so that its passing means something."""

    GOOD = "# HELP eventrunner_x_total X.\n# TYPE eventrunner_x_total counter\neventrunner_x_total{a=\"b\"} 1\n"

    def test_a_good_text_passes(self):
        self.assertIn("eventrunner_x_total", prometheus_format.parse(self.GOOD))

    def test_mistakes_are_refused(self):
        bad = [
            self.GOOD.replace('"b"', '"b\\t"'),                       # an escape the format lacks
            self.GOOD.replace("x_total", "x"),                          # a counter without _total
            self.GOOD.split("\n", 1)[1],                                # no HELP
            "# TYPE eventrunner_x_total counter\neventrunner_x_total 1\n# HELP eventrunner_x_total X.\n",
            self.GOOD + "# HELP eventrunner_y Y.\n# TYPE eventrunner_y gauge\neventrunner_y 1\neventrunner_x_total 2\n",
            self.GOOD + 'eventrunner_x_total{a="b"} 2\n',               # a series twice
            self.GOOD.replace(" 1\n", " one\n"),                        # not a number
            self.GOOD.rstrip("\n"),                                     # no final newline
            self.GOOD.replace("eventrunner_", "other_"),                # no prefix
        ]
        for text in bad:
            with self.assertRaises(prometheus_format.FormatError, msg=text):
                prometheus_format.parse(text)


TICKER_HOME = """return {
  name = "ticker",
  log_levels = %s,
}
"""

TICKER_RULES = """::ticker:: @@00:01 => log("tick")
::hourly:: @@01:00 => log("hour")
"""


class LogOptionsTest(unittest.TestCase):
    """The log options of `run`, on the virtual clock (no API needed)."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="er-log-")
        self.home = os.path.join(self.dir.name, "home")

    def tearDown(self):
        self.dir.cleanup()

    def make_home(self, log_levels="{}"):
        os.makedirs(self.home, exist_ok=True)
        with open(os.path.join(self.home, "home.lua"), "w") as f:
            f.write(TICKER_HOME % log_levels)
        with open(os.path.join(self.home, "10-rules.er"), "w") as f:
            f.write(TICKER_RULES)

    def run_home(self, *args, env=None):
        return run_command("run", self.home, "--virtual", "--start", "2025-05-14 12:00", *args, env=env)

    def test_log_file_rotates_by_size_and_keeps_three_private_files(self):
        self.make_home()
        log = os.path.join(self.dir.name, "er.log")
        result = self.run_home("--for", "1d", "--log-file", log, "--log-size", "4k")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "")  # Everything went to the file.
        names = sorted(n for n in os.listdir(self.dir.name) if n.startswith("er.log"))
        self.assertEqual(names, ["er.log", "er.log.1", "er.log.2", "er.log.3"])
        for name in names:
            path = os.path.join(self.dir.name, name)
            self.assertLessEqual(os.path.getsize(path), 4096, name)
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600, name)
            with open(path) as f:
                lines = f.read().splitlines()
            self.assertTrue(all(STAMP.match(line) for line in lines), name)  # Whole lines only.
        with open(log) as f:
            self.assertIn("summary:", f.read())
        with open(os.path.join(self.dir.name, "er.log.1")) as f:
            self.assertIn("[ticker] tick", f.read())

    def test_log_level_warn_leaves_only_the_banner_and_summary(self):
        self.make_home()
        result = self.run_home("--for", "1h", "--log-level", "warn")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("[ticker] tick", result.stdout)
        self.assertIn("home 'ticker'", result.stdout)

    def test_bad_log_options_are_usage_errors(self):
        self.make_home()
        self.assertEqual(self.run_home("--log-level", "loud").returncode, 2)
        self.assertEqual(self.run_home("--log-size", "1m").returncode, 2)  # Without --log-file.

    def test_home_lua_sets_per_rule_levels(self):
        self.make_home('{ticker = "warn"}')
        result = self.run_home("--for", "2h")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("[ticker] tick", result.stdout)
        self.assertIn("[hourly] hour", result.stdout)

    def test_an_unknown_level_in_home_lua_stops_the_start(self):
        self.make_home('{ticker = "loud"}')
        result = self.run_home("--for", "1h")
        self.assertEqual(result.returncode, 1)
        self.assertIn("log_levels.ticker: unknown log level 'loud'", result.stderr)

    def test_journal_lines_have_a_priority_and_no_stamp(self):
        self.make_home()
        err_path = os.path.join(self.dir.name, "err.txt")
        with open(err_path, "wb") as err:
            info = os.fstat(err.fileno())
            env = dict(os.environ, JOURNAL_STREAM="%d:%d" % (info.st_dev, info.st_ino))
            result = subprocess.run([EVENTRUNNER, "run", self.home, "--virtual", "--for", "3m"], stdout=subprocess.PIPE,
                                    stderr=err, text=True, timeout=60, env=env)
        self.assertEqual(result.returncode, 0)
        lines = result.stdout.splitlines()
        self.assertTrue(any(line == "<6>[ticker] tick" for line in lines), lines)
        self.assertFalse(any(STAMP.match(line) for line in lines if "tick" in line or "home " in line), lines)

    def test_without_the_journal_lines_are_stamped(self):
        self.make_home()
        env = dict(os.environ, JOURNAL_STREAM="1:1")  # Names some other file.
        result = self.run_home("--for", "3m", env=env)
        self.assertTrue(any(STAMP.match(line) and line.endswith("[ticker] tick") for line in result.stdout.splitlines()))


if __name__ == "__main__":
    unittest.main()
