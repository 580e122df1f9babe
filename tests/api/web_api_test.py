"""The control API's parts for the web console (docs/web.md, docs/api.md): the static
files (content types, no token, no path traversal, the "not built" page), the stream's
subprotocol token, the rules files with versions and conflicts, the dry-run diff and
the day history."""

import base64
import os
import shutil
import socket
import tempfile
import unittest
import urllib.parse

from engine_process import Engine, wait_for

HOME_LUA = """return {
  name = "web-test",
  devices = {
    {id = 55, name = "hall_lamp", type = "binarySwitch", props = {value = false}},
    {id = 66, name = "hall_motion", type = "binarySensor", props = {value = false}},
    {id = 77, name = "level", type = "multilevelSensor", props = {value = 0}},
  },
}
"""

LIGHTS = """::motion_light:: hall_motion:breached => hall_lamp:on
::lamp_log:: hall_lamp:isOn => log("lamp on")
"""


def raw_get(engine, target, headers=""):
    """Sends a request target exactly as given (no client-side normalisation of '..');
    returns (status, headers text, body bytes)."""
    parsed = urllib.parse.urlparse(engine.url)
    with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as sock:
        sock.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s\r\n" % (target, headers)).encode())
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), head.decode("latin-1"), body


class WebServerTest(unittest.TestCase):
    """Static files from --web-dir, without the token, and nothing outside it."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="er-web-")
        root = cls.tmp.name
        cls.web = os.path.join(root, "web")
        os.makedirs(os.path.join(cls.web, "sub"))
        for name, text in {"index.html": "<!doctype html><p>console</p>", "app.js": "export const x = 1;",
                           "style.css": "body{}", "sub/page.json": "{}", ".hidden": "no"}.items():
            with open(os.path.join(cls.web, name), "w") as f:
                f.write(text)
        with open(os.path.join(root, "secret.txt"), "w") as f:
            f.write("top secret")
        cls.engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS},
                            extra_args=["--web-dir", cls.web, "--no-watch"]).wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()
        cls.tmp.cleanup()

    def test_index_and_assets_have_their_content_types_without_a_token(self):
        for target, kind in [("/", "text/html"), ("/index.html", "text/html"), ("/app.js", "text/javascript"),
                             ("/style.css", "text/css"), ("/sub/page.json", "application/json")]:
            status, head, _ = raw_get(self.engine, target)
            self.assertEqual(status, 200, target)
            self.assertIn("Content-Type: " + kind, head, target)
            self.assertIn("Content-Security-Policy: default-src 'self'", head)
            self.assertIn("X-Content-Type-Options: nosniff", head)

    def test_the_api_still_needs_the_token_and_unknown_api_paths_stay_json_404(self):
        status, _, _ = raw_get(self.engine, "/api/health")
        self.assertEqual(status, 401)
        status, body = self.engine.get("/api/no/such/thing")
        self.assertEqual(status, 404)
        self.assertIn("error", body)
        status, _, _ = raw_get(self.engine, "/metrics")
        self.assertEqual(status, 401)

    def test_paths_cannot_leave_the_web_folder(self):
        for target in ["/../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt", "/sub/%2E%2E/%2e%2e/secret.txt",
                       "/..%2fsecret.txt", "/sub%2f..%2f..%2fsecret.txt", "/.hidden", "/sub/./page.json",
                       "/..\\secret.txt", "/%00"]:
            status, _, body = raw_get(self.engine, target)
            self.assertEqual(status, 404, target)
            self.assertNotIn(b"top secret", body, target)

    def test_an_unknown_file_is_404(self):
        status, _, _ = raw_get(self.engine, "/nothing.js")
        self.assertEqual(status, 404)


class WebNotBuiltTest(unittest.TestCase):
    def test_root_says_the_console_is_not_built_when_the_folder_has_no_index(self):
        with tempfile.TemporaryDirectory(prefix="er-web-empty-") as empty:
            engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS},
                            extra_args=["--web-dir", empty, "--no-watch"]).wait_ready()
            try:
                status, head, body = raw_get(engine, "/")
                self.assertEqual(status, 200)
                self.assertIn("text/html", head)
                self.assertIn(b"web console is not built", body)
                self.assertEqual(engine.get("/api/health")[0], 200)
            finally:
                engine.close()


class WebBundleTest(unittest.TestCase):
    def test_the_engine_finds_the_built_console_beside_its_executable(self):
        exe = os.path.realpath(shutil.which(os.environ.get("EVENTRUNNER", "eventrunner")) or "")
        built = os.path.join(os.path.dirname(os.path.dirname(exe)), "share", "eventrunner", "web")
        if not os.path.exists(os.path.join(built, "index.html")):
            self.skipTest("the web console is not built (no web/node_modules)")
        saved = os.environ.pop("EVENTRUNNER_WEB_DIR", None)
        try:
            engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS}, extra_args=["--no-watch"]).wait_ready()
        finally:
            if saved is not None:
                os.environ["EVENTRUNNER_WEB_DIR"] = saved
        try:
            status, head, body = raw_get(engine, "/")
            self.assertEqual(status, 200)
            self.assertIn(b'src="app.js"', body)
            status, head, body = raw_get(engine, "/app.js")
            self.assertEqual(status, 200)
            self.assertIn("text/javascript", head)
        finally:
            engine.close()


class StreamSubprotocolTest(unittest.TestCase):
    """Browsers cannot set Authorization on a WebSocket: the token rides as a subprotocol."""

    @classmethod
    def setUpClass(cls):
        cls.engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS}, extra_args=["--no-watch"]).wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()

    def upgrade(self, protocols):
        key = base64.b64encode(os.urandom(16)).decode()
        headers = ("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                   "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: %s\r\n" % (key, protocols))
        parsed = urllib.parse.urlparse(self.engine.url)
        with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as sock:
            sock.sendall(("GET /api/stream HTTP/1.1\r\nHost: x\r\n%s\r\n" % headers).encode())
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                head += chunk
        return head.decode("latin-1")

    def test_the_right_token_upgrades_and_names_the_protocol(self):
        head = self.upgrade("eventrunner, bearer." + self.engine.token)
        self.assertIn(" 101 ", head.split("\r\n")[0])
        self.assertIn("Sec-WebSocket-Protocol: eventrunner", head)

    def test_a_wrong_or_missing_token_is_refused(self):
        self.assertIn(" 401 ", self.upgrade("eventrunner, bearer.nope").split("\r\n")[0])
        self.assertIn(" 401 ", self.upgrade("eventrunner").split("\r\n")[0])


class RulesFilesTest(unittest.TestCase):
    def setUp(self):
        self.engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS}, extra_args=["--no-watch"]).wait_ready()

    def tearDown(self):
        self.engine.close()

    def test_list_read_and_write_with_a_version(self):
        files = self.engine.ok("GET", "/api/files")["files"]
        self.assertEqual([f["name"] for f in files], ["10-lights.er"])
        got = self.engine.ok("GET", "/api/files/10-lights.er")
        self.assertEqual(got["text"], LIGHTS)
        self.assertEqual(got["version"], files[0]["version"])
        text = LIGHTS + "::extra:: #ping => log('pong')\n"
        saved = self.engine.ok("PUT", "/api/files/10-lights.er", {"text": text, "base": got["version"]})
        self.assertNotEqual(saved["version"], got["version"])
        with open(os.path.join(self.engine.home, "10-lights.er")) as f:
            self.assertEqual(f.read(), text)

    def test_a_file_changed_on_disk_since_it_was_opened_is_a_conflict(self):
        got = self.engine.ok("GET", "/api/files/10-lights.er")
        self.engine.write("10-lights.er", LIGHTS + "-- edited elsewhere\n")
        status, body = self.engine.request("PUT", "/api/files/10-lights.er", {"text": "x", "base": got["version"]})
        self.assertEqual(status, 409)
        self.assertIn("changed on disk", body["error"])
        self.assertEqual(body["version"], self.engine.ok("GET", "/api/files/10-lights.er")["version"])
        with open(os.path.join(self.engine.home, "10-lights.er")) as f:
            self.assertIn("edited elsewhere", f.read())

    def test_a_new_file_needs_a_null_base(self):
        self.engine.ok("PUT", "/api/files/20-new.er", {"text": "#ping => log('pong')\n", "base": None})
        status, _ = self.engine.request("PUT", "/api/files/20-new.er", {"text": "", "base": None})
        self.assertEqual(status, 409)

    def test_only_rules_files_of_the_home_folder(self):
        for name in ["home.lua", "..%2Fstate.db", "..%2F..%2Fetc%2Fpasswd", "a%2Fb.er", ".hidden.er", "x..er"]:
            self.assertEqual(self.engine.get("/api/files/" + name)[0], 404, name)
            status, _ = self.engine.request("PUT", "/api/files/" + name, {"text": "x", "base": None})
            self.assertEqual(status, 404, name)
        self.assertFalse(os.path.exists(os.path.join(self.engine.dir.name, "state.db.tmp")))


class DeployDiffTest(unittest.TestCase):
    def setUp(self):
        self.engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS}, extra_args=["--no-watch"]).wait_ready()

    def tearDown(self):
        self.engine.close()

    def test_a_dry_run_with_edited_texts_lists_each_rule_and_applies_nothing(self):
        edited = ("::motion_light:: hall_motion:breached => hall_lamp:off\n"
                  "::added_rule:: #ping => log('pong')\n")
        result = self.engine.ok("POST", "/api/reload", {"dry_run": True, "files": {"10-lights.er": edited}})
        self.assertTrue(result["ok"])
        fates = {r["name"]: r["fate"] for r in result["rules"]}
        self.assertEqual(fates, {"motion_light": "changed", "added_rule": "added", "lamp_log": "removed"})
        self.assertEqual(result["summary"], {"unchanged": 0, "changed": 1, "added": 1, "removed": 1})
        names = [r["name"] for r in self.engine.ok("GET", "/api/rules")["rules"]]
        self.assertEqual(sorted(names), ["lamp_log", "motion_light"])

    def test_a_dry_run_with_an_error_reports_it_at_its_line(self):
        result = self.engine.ok("POST", "/api/reload",
                                {"dry_run": True, "files": {"10-lights.er": LIGHTS + "x > 5 => log(x)\n"}})
        self.assertFalse(result["ok"])
        self.assertEqual([(d["file"], d["line"]) for d in result["diagnostics"]], [("10-lights.er", 3)])

    def test_files_only_with_a_dry_run(self):
        status, _ = self.engine.request("POST", "/api/reload", {"files": {"10-lights.er": LIGHTS}})
        self.assertEqual(status, 400)
        status, _ = self.engine.request("POST", "/api/reload", {"dry_run": True, "files": {"../x.er": ""}})
        self.assertEqual(status, 400)

    def test_an_applied_reload_lists_its_rules_too(self):
        self.engine.write("10-lights.er", LIGHTS.replace("lamp on", "lamp is on"))
        result = self.engine.ok("POST", "/api/reload", {})
        self.assertEqual({r["name"]: r["fate"] for r in result["rules"]},
                         {"motion_light": "unchanged", "lamp_log": "changed"})


class HistoryTest(unittest.TestCase):
    def test_the_day_history_has_device_changes_and_rule_runs(self):
        engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS}, extra_args=["--no-watch"]).wait_ready()
        try:
            engine.ok("POST", "/api/devices/hall_motion/report", {"property": "value", "value": True})
            engine.ok("POST", "/api/devices/level/report", {"property": "value", "value": 42})
            wait_for(lambda: engine.ok("GET", "/api/devices/hall_lamp")["properties"]["value"] is True,
                     what="the rule to switch the lamp on")
            history = engine.ok("GET", "/api/history")
            devices = {d["name"]: d for d in history["devices"]}
            self.assertEqual(devices["hall_lamp"]["kind"], "boolean")
            self.assertEqual(devices["hall_lamp"]["points"][-1][1], True)
            self.assertEqual(devices["level"]["kind"], "number")
            self.assertEqual(devices["level"]["points"][-1][1], 42)
            self.assertTrue(history["from"] <= devices["level"]["points"][-1][0] < history["to"])
            self.assertIn("motion_light", [r["rule"] for r in history["runs"]])
            self.assertIn(("motion_light", 55), [(a["rule"], a["device"]) for a in history["actions"]])
            other = engine.ok("GET", "/api/history?day=2001-01-01")
            self.assertEqual(other["day"], "2001-01-01")
            self.assertTrue(all(d["points"] == [] for d in other["devices"]))
        finally:
            engine.close()


if __name__ == "__main__":
    unittest.main()
