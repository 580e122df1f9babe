"""The control API of a real `eventrunner run` (docs/api.md): every endpoint, auth,
bad requests, concurrency, the WebSocket stream and reloads of edited files."""

import json
import os
import random
import stat
import subprocess
import threading
import time
import unittest
import urllib.parse

from engine_process import EVENTRUNNER, Engine, WebSocket, wait_for

HOME_LUA = """return {
  name = "api-test",
  location = {latitude = 52.52, longitude = 13.405, tz = "CET-1CEST,M3.5.0,M10.5.0/3"},
  devices = {
    {id = 55, name = "hall_lamp", type = "binarySwitch", props = {value = false}},
    {id = 66, name = "hall_motion", type = "binarySensor", props = {value = false}},
    {id = 77, name = "level", type = "multilevelSensor", props = {value = 0}},
  },
}
"""

LIGHTS = """::motion_light:: hall_motion:breached => hall_lamp:on
#doorbell => $Rang = ($Rang ?? 0) + 1
$Mode == "away" => log("mode is away")
"""

WAITER = """::slow_off:: #slow => wait(00:00:02); hall_lamp:off; $SlowDone = true
"""


class ApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS, "20-waiter.er": WAITER}).wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()

    def device(self, key):
        return self.engine.ok("GET", "/api/devices/" + key)

    # ---- Reading ------------------------------------------------------------------

    def test_health_names_the_home_and_counts(self):
        health = self.engine.ok("GET", "/api/health")
        self.assertEqual(health["home"], "api-test")
        self.assertEqual(health["counts"]["devices"], 3)
        self.assertGreaterEqual(health["counts"]["rules"], 4)
        self.assertFalse(health["virtual"])
        self.assertRegex(health["clock"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")

    def test_rules_have_identity_name_file_line_and_source(self):
        rules = self.engine.ok("GET", "/api/rules")["rules"]
        named = [r for r in rules if r["name"] == "motion_light"]
        self.assertEqual(len(named), 1)
        rule = named[0]
        self.assertEqual(rule["identity"], "motion_light")
        self.assertTrue(rule["file"].endswith("10-lights.er"))
        self.assertEqual(rule["line"], 1)
        self.assertIn("hall_motion:breached", rule["source"])
        self.assertTrue(rule["enabled"])
        self.assertIsNone(rule["error"])
        unnamed = [r for r in rules if r["name"].startswith("RULE")]
        self.assertTrue(all(r["identity"].startswith("10-lights.er:") for r in unnamed), unnamed)

    def test_devices_list_properties_and_availability(self):
        devices = {d["name"]: d for d in self.engine.ok("GET", "/api/devices")["devices"]}
        self.assertEqual(set(devices), {"hall_lamp", "hall_motion", "level"})
        self.assertEqual(devices["hall_lamp"]["id"], 55)
        self.assertEqual(devices["hall_lamp"]["type"], "binarySwitch")
        self.assertTrue(devices["hall_lamp"]["available"])
        self.assertIn("value", devices["hall_lamp"]["properties"])
        self.assertEqual(self.device("55")["name"], "hall_lamp")

    def test_names_for_completion(self):
        names = self.engine.ok("GET", "/api/names")
        self.assertIn("hall_lamp", names["devices"])
        self.assertIn("motion_light", names["rules"])
        self.assertIn("wait", names["builtins"])

    # ---- Changing -----------------------------------------------------------------

    def test_device_action_switches_the_lamp(self):
        self.engine.ok("POST", "/api/devices/hall_lamp", {"action": "turnOff"})
        self.engine.ok("POST", "/api/devices/hall_lamp", {"action": "turnOn", "args": []})
        self.assertTrue(self.device("hall_lamp")["properties"]["value"])
        status, answer = self.engine.post("/api/devices/hall_lamp", {"action": "fly"})
        self.assertEqual(status, 400)
        self.assertIn("fly", answer["error"])

    def test_injected_report_triggers_rules(self):
        self.engine.ok("POST", "/api/devices/hall_lamp", {"action": "turnOff"})
        self.engine.ok("POST", "/api/devices/66/report", {"property": "value", "value": True})
        wait_for(lambda: self.device("hall_lamp")["properties"]["value"] is True, what="the lamp on")
        self.engine.ok("POST", "/api/devices/66/report", {"property": "value", "value": False})

    def test_rule_enable_disable_run(self):
        answer = self.engine.ok("POST", "/api/rules/motion_light/disable")
        self.assertFalse(answer["rule"]["enabled"])
        self.assertFalse(self.engine.ok("GET", "/api/rules/motion_light")["enabled"])
        self.assertTrue(self.engine.ok("POST", "/api/rules/motion_light/enable")["rule"]["enabled"])
        self.engine.ok("POST", "/api/devices/hall_lamp", {"action": "turnOff"})
        self.engine.ok("POST", "/api/rules/motion_light/run")
        self.assertTrue(self.device("hall_lamp")["properties"]["value"])
        self.assertEqual(self.engine.post("/api/rules/no_such_rule/enable")[0], 404)

    def test_globals_put_get_and_trigger(self):
        answer = self.engine.ok("PUT", "/api/globals/Mode", {"value": "away"})
        self.assertEqual(answer, {"name": "Mode", "value": "away"})
        self.assertEqual(self.engine.ok("GET", "/api/globals")["globals"]["Mode"], "away")
        wait_for(lambda: "mode is away" in self.engine.stdout(), what="the $Mode rule")
        self.engine.ok("PUT", "/api/globals/Mode", {"value": None})
        self.assertEqual(self.engine.get("/api/globals/Mode")[0], 404)

    def test_posted_event_runs_rules(self):
        before = self.engine.ok("POST", "/api/eval", {"source": "$Rang ?? 0"})["values"][0]
        self.engine.ok("POST", "/api/events", {"type": "doorbell", "button": 1})
        wait_for(lambda: self.engine.ok("POST", "/api/eval", {"source": "$Rang"})["values"][0] == str(int(before) + 1),
                 what="$Rang counted")
        self.assertEqual(self.engine.post("/api/events", {"button": 1})[0], 400)

    def test_eval_answers_canonical_values_or_the_diagnostic(self):
        answer = self.engine.ok("POST", "/api/eval", {"source": "1 + 1, {b = 2, a = 1}, \"x\""})
        self.assertEqual(answer, {"ok": True, "values": ["2", "{a = 1, b = 2}", '"x"']})
        answer = self.engine.ok("POST", "/api/eval", {"source": "1 +"})
        self.assertFalse(answer["ok"])
        self.assertIn("^", answer["error"])
        answer = self.engine.ok("POST", "/api/eval", {"source": "wait(00:00:01); return 5"})
        self.assertEqual(answer, {"ok": True, "suspended": True})

    def test_check_reports_diagnostics_without_changing_anything(self):
        rules_before = len(self.engine.ok("GET", "/api/rules")["rules"])
        answer = self.engine.ok("POST", "/api/check", {"files": {"new.er": "x > 5 => log(x)\n"}})
        self.assertFalse(answer["ok"])
        diagnostic = answer["diagnostics"][0]
        self.assertEqual((diagnostic["file"], diagnostic["line"], diagnostic["col"]), ("new.er", 1, 1))
        self.assertIn("^", diagnostic["text"])
        good = self.engine.ok("POST", "/api/check", {"files": {"new.er": "hall_motion:breached => hall_lamp:on\n"}})
        self.assertTrue(good["ok"], good)
        self.assertEqual(len(self.engine.ok("GET", "/api/rules")["rules"]), rules_before)

    def test_timeline_since(self):
        first = self.engine.ok("GET", "/api/timeline?since=0")
        self.assertTrue(any("home 'api-test'" in line["text"] for line in first["lines"]))
        self.engine.ok("POST", "/api/devices/hall_lamp", {"action": "turnOn"})
        later = self.engine.ok("GET", "/api/timeline?since=%d" % first["next"])
        self.assertTrue(all(line["seq"] >= first["next"] for line in later["lines"]))
        self.assertTrue(any("[api] 55 hall_lamp: turnOn" in line["text"] for line in later["lines"]), later)

    # ---- Refusals -----------------------------------------------------------------

    def test_requests_without_the_token_are_refused(self):
        self.assertEqual(self.engine.get("/api/health", token=None)[0], 401)
        self.assertEqual(self.engine.get("/api/health", token="wrong")[0], 401)
        status, answer = self.engine.get("/api/devices", token="")
        self.assertEqual(status, 401)
        self.assertIn("error", answer)

    def test_bad_requests_get_their_status(self):
        status, answer = self.engine.post("/api/eval", raw=b"{not json")
        self.assertEqual(status, 400)
        self.assertIn("error", answer)
        self.assertEqual(self.engine.post("/api/eval", raw=b"[1, 2]")[0], 400)
        self.assertEqual(self.engine.post("/api/eval", {"source": 5})[0], 400)
        self.assertEqual(self.engine.get("/api/nothing/here")[0], 404)
        self.assertEqual(self.engine.get("/elsewhere")[0], 404)
        self.assertEqual(self.engine.request("DELETE", "/api/rules")[0], 405)
        self.assertEqual(self.engine.announce_body("/api/eval", 1024 * 1024 + 1), 413)
        # The engine kept running through all of it.
        self.assertEqual(self.engine.get("/api/health")[0], 200)

    def test_fifty_concurrent_clients_while_rules_run(self):
        results = []

        def client(n):
            for _ in range(5):
                status, answer = self.engine.post("/api/eval", {"source": "%d * 2" % n})
                results.append((status, answer["values"][0] if status == 200 else None, str(n * 2)))
                self.engine.post("/api/devices/77/report", {"property": "value", "value": n})

        threads = [threading.Thread(target=client, args=(n,)) for n in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(len(results), 250)
        self.assertTrue(all(status == 200 and got == want for status, got, want in results))

    # ---- The stream ---------------------------------------------------------------

    def test_stream_pushes_device_changes_in_order(self):
        ws = WebSocket(self.engine, "?kinds=device&match=level")
        try:
            for value in range(1, 41):
                self.engine.ok("POST", "/api/devices/level/report", {"property": "value", "value": 1000 + value})
            seen = []
            while len(seen) < 40:
                message = ws.receive()
                self.assertEqual(message["kind"], "device")
                self.assertEqual(message["name"], "level")
                seen.append(message["value"])
            self.assertEqual(seen, [1000 + v for v in range(1, 41)])
        finally:
            ws.close()

    def test_stream_without_token_is_refused(self):
        status, _ = self.engine.get("/api/stream", token=None,
                                    headers={"Upgrade": "websocket", "Connection": "Upgrade"})
        self.assertEqual(status, 401)


class RandomRequestsTest(unittest.TestCase):
    """A randomized test of the request handling, on an engine of its own (it enables,
    disables and sets whatever it draws)."""

    def test_random_requests_never_break_the_engine(self):
        # A randomized test of the request handling: methods, paths and bodies drawn
        # from what the API knows and from garbage; every answer has a 2xx or 4xx
        # status and, but for the web console's files, is a JSON object; the engine
        # answers normally afterwards.
        engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS, "20-waiter.er": WAITER}).wait_ready()
        self.addCleanup(engine.close)
        rng = random.Random(1107)
        methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]
        parts = ["api", "rules", "devices", "globals", "events", "eval", "check", "reload", "timeline",
                 "health", "names", "report", "enable", "disable", "55", "hall_lamp", "motion_light", "%00",
                 "..", "%2F", "\u00e9", "x" * 300]
        values = [None, True, 0, -1, 1.5, "", "x", [], {}, [1, {"a": []}], {"type": 5}, {"source": "1 +"},
                  {"source": "hall_lamp:value"}, {"files": {"a.er": 5}}, {"files": []}, {"value": {"deep": [1]}},
                  {"action": "turnOn", "args": {"a": 1}}, {"property": 1, "value": None}, {"dry_run": "yes"}]
        for _ in range(400):
            path = "/" + "/".join(rng.choice(parts) for _ in range(rng.randint(0, 4)))
            if rng.random() < 0.7:
                path = "/api" + path
            body = rng.choice(values) if rng.random() < 0.8 else None
            raw = None
            if rng.random() < 0.1:
                raw = bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))
            method = rng.choice(methods)
            if path.endswith("/reload") or path.endswith("/rollback"):
                continue  # Reloads are the subject of ReloadTest.
            status, answer = engine.request(method, urllib.parse.quote(path, safe="/%"),
                                                 None if raw else body, raw=raw)
            self.assertTrue(200 <= status < 300 or 400 <= status < 500, (method, path, body, status, answer))
            if method == "GET" and not path.startswith("/api"):
                continue  # The web console's files (docs/web.md): HTML, scripts or a 404.
            self.assertIsInstance(answer, dict, (method, path, body, status))
        self.assertEqual(engine.get("/api/health")[0], 200)


class FilesTest(unittest.TestCase):
    """The token and URL files, and a run with --state none."""

    def test_token_and_url_files_are_private_and_the_url_file_goes_away(self):
        engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS}).wait_ready()
        try:
            for suffix in (".token", ".url"):
                mode = stat.S_IMODE(os.stat(engine.state + suffix).st_mode)
                self.assertEqual(mode, 0o600, suffix)
            self.assertRegex(engine.token, r"^[0-9a-f]{64}$")
            self.assertTrue(engine.url.startswith("http://127.0.0.1:"))
            self.assertIn("api: " + engine.url, engine.stdout())
            self.assertNotIn(engine.token, engine.stdout() + engine.stderr())
        finally:
            engine.stop()
        self.assertFalse(os.path.exists(engine.state + ".url"))
        self.assertTrue(os.path.exists(engine.state + ".token"))
        engine.dir.cleanup()

    def test_state_none_prints_a_fresh_token(self):
        engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS}, state="none")
        try:
            line = wait_for(lambda: next((l for l in engine.stdout().splitlines() if "api: http" in l), None),
                            what="the API line")
            self.assertRegex(line, r"token for this run: [0-9a-f]{64}")
        finally:
            engine.close()


class ReloadTest(unittest.TestCase):
    """Hot reload of a running engine: edits on disk, the API, refusals, rollback."""

    def setUp(self):
        self.engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS, "20-waiter.er": WAITER}).wait_ready()

    def tearDown(self):
        self.engine.close()

    def rule_names(self):
        return {r["name"] for r in self.engine.ok("GET", "/api/rules")["rules"]}

    def test_an_edited_file_is_reloaded_within_a_second_and_a_pending_wait_completes(self):
        self.engine.ok("POST", "/api/devices/hall_lamp", {"action": "turnOn"})
        self.engine.ok("POST", "/api/events", {"type": "slow"})  # slow_off now waits 2 s.
        edited = time.monotonic()
        self.engine.write("10-lights.er", LIGHTS + "::evening:: @22:00 => hall_lamp:on\n")
        wait_for(lambda: "evening" in self.rule_names(), timeout=1.0, what="the reload")
        self.assertLess(time.monotonic() - edited, 1.0)
        wait_for(lambda: self.engine.ok("POST", "/api/eval", {"source": "$SlowDone ?? false"})["values"] == ["true"],
                 timeout=10, what="the pending wait of an unchanged rule")
        self.assertFalse(self.engine.ok("GET", "/api/devices/hall_lamp")["properties"]["value"])
        self.assertIn("reload: ", self.engine.stdout())

    def test_a_broken_edit_is_refused_and_the_old_rules_keep_running(self):
        answer = self.engine.ok("POST", "/api/reload", {"dry_run": True})
        self.assertTrue(answer["ok"], answer)
        self.engine.write("10-lights.er", LIGHTS + "::broken:: hall_motion:breached => (\n")
        wait_for(lambda: "refused" in self.engine.stdout() + self.engine.stderr(), what="the refusal")
        answer = self.engine.ok("POST", "/api/reload")
        self.assertFalse(answer["ok"])
        self.assertTrue(any(d["file"].endswith("10-lights.er") and "^" in d["text"] for d in answer["diagnostics"]))
        self.assertIn("motion_light", self.rule_names())
        self.assertNotIn("broken", self.rule_names())

    def test_rollback_restores_the_previous_rules(self):
        # An engine that does not watch its folder: a reload by the watcher between the
        # API's reload and the rollback would make another generation.
        self.engine.close()
        self.engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS, "20-waiter.er": WAITER},
                             extra_args=["--no-watch"]).wait_ready()
        status, _ = self.engine.post("/api/rollback")
        self.assertEqual(status, 409)
        self.engine.write("30-extra.er", "::extra:: #extra => log(\"extra ran\")\n")
        self.engine.ok("POST", "/api/reload")
        self.assertIn("extra", self.rule_names())
        answer = self.engine.ok("POST", "/api/rollback")
        self.assertTrue(answer["ok"])
        self.assertNotIn("extra", self.rule_names())
        self.assertIn("motion_light", self.rule_names())

    def test_a_reload_applies_the_trace_table_and_log_levels_of_home_lua(self):
        def trace_mode(name):
            return self.engine.ok("GET", "/api/rules/" + name + "/why")["trace"]

        self.assertEqual(trace_mode("motion_light"), "outcomes")
        edited = HOME_LUA.replace('  name = "api-test",', '  name = "api-test",\n'
                                  '  trace = {rules = {motion_light = "full"}},\n'
                                  '  log_levels = {motion_light = "debug"},')
        self.engine.write("home.lua", edited)
        self.assertTrue(self.engine.ok("POST", "/api/reload")["ok"])
        self.assertEqual(trace_mode("motion_light"), "full")
        self.assertEqual(self.engine.ok("GET", "/api/log-level")["rules"], {"motion_light": "debug"})
        self.engine.write("home.lua", HOME_LUA)
        self.assertTrue(self.engine.ok("POST", "/api/reload")["ok"])
        self.assertEqual(trace_mode("motion_light"), "outcomes")
        self.assertEqual(self.engine.ok("GET", "/api/log-level")["rules"], {})

    def test_sighup_reloads(self):
        self.engine.write("30-extra.er", "::hup_rule:: #hup => log(\"hup\")\n")
        # The watcher may reload first; SIGHUP must also work on its own.
        self.engine.process.send_signal(1)
        wait_for(lambda: "hup_rule" in self.rule_names(), what="the reload after SIGHUP")
        self.assertIsNone(self.engine.process.poll())


class TracesTest(unittest.TestCase):
    """/api/rules/{name}/why, /api/traces and /api/state (docs/traces.md)."""

    RULES = """::night_light:: hall_motion:breached & 22:00..06:00 & 06:00..22:00 => hall_lamp:on
::quiet:: #never_posted => log("never")
::bad:: #boom => local x = nil; x.y = 1
::plain:: #plain => log("plain")
"""

    @classmethod
    def setUpClass(cls):
        cls.engine = Engine({"home.lua": HOME_LUA, "10-rules.er": cls.RULES}).wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()

    def test_why_explains_a_false_condition(self):
        self.engine.ok("POST", "/api/devices/66/report", {"property": "value", "value": True})
        wait_for(lambda: self.engine.ok("GET", "/api/traces?rule=night_light")["traces"], what="a trace")
        answer = self.engine.ok("GET", "/api/rules/night_light/why")
        self.assertEqual(answer["rule"], "night_light")
        self.assertIn("has not run since start-up", answer["text"])
        self.assertIn("was false", answer["text"])
        self.assertEqual(answer["records"][0]["outcome"], "false")
        self.engine.ok("POST", "/api/devices/66/report", {"property": "value", "value": False})

    def test_why_of_a_rule_never_triggered_says_what_it_listens_to(self):
        answer = self.engine.ok("GET", "/api/rules/quiet/why")
        self.assertIn("has not been triggered since start-up", answer["text"])
        self.assertIn("#never_posted", answer["text"])
        self.assertEqual(answer["records"], [])

    def test_traces_filter_by_rule_and_outcome(self):
        self.engine.ok("POST", "/api/events", {"type": "boom"})
        wait_for(lambda: self.engine.ok("GET", "/api/traces?rule=bad&outcome=error")["traces"], what="the error")
        traces = self.engine.ok("GET", "/api/traces?rule=bad&outcome=error&limit=1")["traces"]
        self.assertEqual(len(traces), 1)
        self.assertIn("runtime error", traces[0]["error"])
        self.assertEqual(self.engine.ok("GET", "/api/traces?rule=bad&outcome=ran")["traces"], [])
        why = self.engine.ok("GET", "/api/rules/bad/why")["text"]
        self.assertTrue(why.startswith("bad was disabled by an error at "), why)
        self.assertEqual(self.engine.get("/api/traces?rule=no_such_rule")[0], 404)

    def test_why_says_an_event_was_never_posted(self):
        answer = self.engine.ok("GET", "/api/rules/quiet/why")
        self.assertIn("#never_posted (never posted)", answer["text"])

    def test_a_full_record_without_actions_has_an_empty_actions_array(self):
        self.engine.ok("POST", "/api/eval", {"source": "er.trace('plain', 'full')"})
        self.engine.ok("POST", "/api/events", {"type": "plain"})
        wait_for(lambda: self.engine.ok("GET", "/api/traces?rule=plain")["traces"], what="a trace of plain")
        traces = self.engine.ok("GET", "/api/traces?rule=plain&limit=1")["traces"]
        self.assertEqual(traces[0]["actions"], [])
        self.assertIsInstance(traces[0]["values"], list)

    def test_why_on_the_command_line_asks_the_running_engine(self):
        result = subprocess.run([EVENTRUNNER, "why", "quiet", "--state", self.engine.state], capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.startswith("quiet "), result.stdout)

    def test_state_lists_devices_globals_and_rules(self):
        state = self.engine.ok("GET", "/api/state")
        self.assertEqual([d["name"] for d in state["devices"]], ["hall_lamp", "hall_motion", "level"])
        self.assertIn("quiet", [r["name"] for r in state["rules"]])
        self.assertIn("devices:", state["text"])
        self.assertIn("rules:", state["text"])


if __name__ == "__main__":
    unittest.main()
