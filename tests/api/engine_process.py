"""A real `eventrunner run` for the control API tests, and small clients for it.

The engine is started on a temporary home with `--http 127.0.0.1:0` (any free port) and
a state file in a temporary folder; the tests find its URL and token in the files the
engine writes beside the state file, exactly as `eventrunner console` does. Every wait
is for a condition with a deadline, never a fixed sleep.
"""

import base64
import http.client
import json
import os
import socket
import struct
import subprocess
import tempfile
import time
import urllib.parse

EVENTRUNNER = os.environ.get("EVENTRUNNER", "eventrunner")


def wait_for(predicate, timeout=10.0, what="condition"):
    """Polls predicate() until it returns a true value; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.02)


class Engine:
    """`eventrunner run HOME` in real time, serving the API on a free loopback port."""

    def __init__(self, files, extra_args=(), state="file"):
        self.dir = tempfile.TemporaryDirectory(prefix="er-api-")
        self.home = os.path.join(self.dir.name, "home")
        os.mkdir(self.home)
        for name, text in files.items():
            self.write(name, text)
        self.state = os.path.join(self.dir.name, "state.db")
        state_args = ["--state", self.state] if state == "file" else ["--state", "none"]
        self.out_path = os.path.join(self.dir.name, "out.txt")
        self.err_path = os.path.join(self.dir.name, "err.txt")
        self.out = open(self.out_path, "wb")
        self.err = open(self.err_path, "wb")
        args = [EVENTRUNNER, "run", self.home, "--http", "127.0.0.1:0"] + state_args + list(extra_args)
        self.process = subprocess.Popen(args, stdout=self.out, stderr=self.err, stdin=subprocess.DEVNULL)
        self.url = None
        self.token = None

    def write(self, name, text):
        """Writes a home file the way editors do: a temporary file renamed over it."""
        path = os.path.join(self.home, name)
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.rename(path + ".tmp", path)

    def wait_ready(self, timeout=20.0):
        url_file = self.state + ".url"

        def ready():
            if self.process.poll() is not None:
                raise AssertionError("eventrunner ended early:\n" + self.stderr())
            return os.path.exists(url_file)

        wait_for(ready, timeout, "the URL file")
        with open(url_file) as f:
            self.url = f.read().strip()
        with open(self.state + ".token") as f:
            self.token = f.read().strip()
        return self

    def stdout(self):
        with open(self.out_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stderr(self):
        with open(self.err_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.out.close()
        self.err.close()

    def close(self):
        self.stop()
        self.dir.cleanup()

    # ---- HTTP ---------------------------------------------------------------------

    def request(self, method, path, body=None, token="default", raw=None, headers=None):
        """Sends one request; returns (status, parsed JSON body or None)."""
        parsed = urllib.parse.urlparse(self.url)
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        all_headers = dict(headers or {})
        if token == "default":
            token = self.token
        if token is not None:
            all_headers["Authorization"] = "Bearer " + token
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            all_headers.setdefault("Content-Type", "application/json")
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        text = response.read()
        connection.close()
        try:
            return response.status, json.loads(text) if text else None
        except ValueError:
            return response.status, None

    def announce_body(self, path, length):
        """Sends only the headers of a POST whose body would be `length` bytes, and
        returns the status the engine answers without waiting for the body."""
        parsed = urllib.parse.urlparse(self.url)
        with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as sock:
            sock.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                          "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                          % (path, self.token, length)).encode())
            head = b""
            while b"\r\n" not in head:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                head += chunk
        return int(head.split(b" ", 2)[1])

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def ok(self, method, path, body=None):
        status, answer = self.request(method, path, body)
        if status != 200:
            raise AssertionError("%s %s answered %d: %r" % (method, path, status, answer))
        return answer


class WebSocket:
    """A minimal RFC 6455 client: text frames in, close out (enough for /api/stream)."""

    def __init__(self, engine, query=""):
        parsed = urllib.parse.urlparse(engine.url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        request = ("GET /api/stream%s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer %s\r\n\r\n"
                   % (query, parsed.hostname, parsed.port, key, engine.token))
        self.sock.sendall(request.encode())
        self.buffer = b""
        head = self._read_until(b"\r\n\r\n")
        self.status_line = head.split(b"\r\n", 1)[0].decode()
        if " 101 " not in self.status_line:
            raise AssertionError("no upgrade: " + self.status_line)
        hello = self.receive()
        if hello.get("kind") != "hello":
            raise AssertionError("the stream did not start with its hello: %r" % hello)

    def _read_until(self, marker):
        while marker not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise AssertionError("connection closed")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(marker, 1)
        return head

    def _read_exact(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise AssertionError("connection closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def receive(self, timeout=10.0):
        """The next text message as parsed JSON."""
        self.sock.settimeout(timeout)
        while True:
            first, second = self._read_exact(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._read_exact(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._read_exact(8))[0]
            payload = self._read_exact(length)
            if opcode == 1:
                return json.loads(payload)
            if opcode == 8:
                raise AssertionError("the server closed the stream")

    def close(self):
        try:
            self.sock.sendall(bytes([0x88, 0x80]) + os.urandom(4))
        except OSError:
            pass
        self.sock.close()
