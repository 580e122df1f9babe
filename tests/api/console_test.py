"""`eventrunner console` on a pseudo-terminal, attached to a real running engine: line
editing and tab completion (libedit), evaluation, multi-line input and a reload."""

import os
import pty
import select
import signal
import time
import unittest

from engine_process import EVENTRUNNER, Engine, wait_for
from api_test import HOME_LUA, LIGHTS


class Terminal:
    """A program on a pseudo-terminal: what it printed, and keys typed into it."""

    def __init__(self, args):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["TERM"] = "dumb"
            os.execv(args[0], args)
        self.output = b""

    def read_until(self, text, timeout=10.0):
        deadline = time.monotonic() + timeout
        while text.encode() not in self.output:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("timed out waiting for %r; the console printed:\n%s"
                                     % (text, self.output.decode("utf-8", "replace")))
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    break
        return self.output.decode("utf-8", "replace")

    def type(self, keys):
        os.write(self.fd, keys.encode())

    def close(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


class ConsoleTest(unittest.TestCase):
    def setUp(self):
        self.engine = Engine({"home.lua": HOME_LUA, "10-lights.er": LIGHTS}).wait_ready()
        self.addCleanup(self.engine.close)
        self.console = Terminal([EVENTRUNNER, "console", self.engine.home, "--state", self.engine.state])
        self.addCleanup(self.console.close)
        self.console.read_until("> ")

    def test_tab_completes_a_device_name_and_the_line_is_evaluated(self):
        self.console.type("hall_l\t")
        self.console.read_until("hall_lamp")
        self.console.type(":value\r")
        self.assertIn("false", self.console.read_until("false"))

    def test_a_block_continues_over_lines(self):
        self.console.type("if hall_lamp:value == false then\r")
        self.console.read_until(".. ")
        self.console.type("  return 40 + 2\r")
        self.console.type("end\r")
        self.console.read_until("42")

    def test_reload_from_the_console(self):
        self.engine.write("30-extra.er", "::extra:: #extra => log(\"extra\")\n")
        self.console.type(".reload\r")
        self.console.read_until("unchanged")
        wait_for(lambda: any(r["name"] == "extra" for r in self.engine.ok("GET", "/api/rules")["rules"]),
                 what="the rule of the reloaded file")


if __name__ == "__main__":
    unittest.main()
