"""EventRunner7's log.<colour>: `eventrunner run` on a terminal shows the line in that
colour; with NO_COLOR, or when the output is not a terminal, the line is plain."""

import os
import pty
import subprocess
import tempfile
import unittest

EVENTRUNNER = os.environ.get("EVENTRUNNER", "eventrunner")

RULES = "#startup => log.red('alarm'); log.orange('warm'); log.sparkly('plain')\n"


def make_home(tmp):
    with open(os.path.join(tmp, "home.lua"), "w") as f:
        f.write("return {}\n")
    with open(os.path.join(tmp, "rules.er"), "w") as f:
        f.write(RULES)


def run_on_terminal(home, env):
    """The output of a short virtual run whose standard output is a pseudo-terminal."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(EVENTRUNNER, [EVENTRUNNER, "run", home, "--virtual", "--for", "1s", "--state", "none",
                                 "--http", "off"], env)
    output = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # The child closed the terminal: it ended.
            break
        if not chunk:
            break
        output += chunk
    os.waitpid(pid, 0)
    return output.decode()


class LogColoursTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="er-colours-")
        self.addCleanup(self.tmp.cleanup)
        make_home(self.tmp.name)
        self.env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        self.env["TERM"] = "xterm"

    def test_colours_on_a_terminal(self):
        output = run_on_terminal(self.tmp.name, self.env)
        self.assertIn("\x1b[31m[RULE1] alarm\x1b[0m", output)
        self.assertIn("\x1b[38;5;208m[RULE1] warm\x1b[0m", output)
        self.assertIn("  [RULE1] plain", output)  # An unknown colour name: plain.

    def test_no_color_turns_them_off(self):
        output = run_on_terminal(self.tmp.name, dict(self.env, NO_COLOR="1"))
        self.assertIn("[RULE1] alarm", output)
        self.assertNotIn("\x1b[", output)

    def test_plain_when_not_a_terminal(self):
        done = subprocess.run([EVENTRUNNER, "run", self.tmp.name, "--virtual", "--for", "1s", "--state", "none",
                               "--http", "off"], env=self.env, capture_output=True, text=True, timeout=60)
        self.assertIn("[RULE1] alarm", done.stdout)
        self.assertNotIn("\x1b[", done.stdout)


if __name__ == "__main__":
    unittest.main()
