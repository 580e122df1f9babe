"""Local servers for the outbound tests: an HTTP server with the answers the rules'
`http` calls are tested against, and (smtp_sink) a minimal SMTP server that keeps the
mails it receives. Both listen on a free loopback port and run in a daemon thread.
"""

import base64
import http.server
import os
import ssl
import subprocess
import json
import socket
import socketserver
import threading
import time
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    """The test answers:
      /json            {"state": "on", "n": 3} as application/json
      /text            plain text
      /status/N        status N with a JSON body {"status": N}
      /slow?ms=N       answers after N ms
      /big?n=N         N bytes of text
      /redirect        302 to /json;  /loop: 302 to itself
      /echo            the request as JSON: method, path, headers, body, user
      /posted          the requests made to /notify... so far, as a JSON list
      /notify...       records the request (a push service); ?key=K&fail=N fails the
                       first N calls with key K with 503
      /mails           the mails the SMTP sink received, as a JSON list
      /open-meteo      current weather in Open-Meteo's shape; /weather-set?k=v changes it
    """

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # Quiet: the test prints what matters.
        pass

    def send_body(self, status, body, content_type="application/json", headers=()):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode() if length else ""

    def basic_user(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return None
        return base64.b64decode(auth[6:]).decode()

    def handle_any(self):
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        body = self.read_body()
        path = url.path
        if path == "/json":
            self.send_body(200, json.dumps({"state": "on", "n": 3}))
        elif path == "/text":
            self.send_body(200, "hello there", "text/plain")
        elif path.startswith("/status/"):
            code = int(path.split("/")[2])
            self.send_body(code, json.dumps({"status": code}))
        elif path == "/slow":
            time.sleep(int(query.get("ms", "1000")) / 1000)
            self.send_body(200, json.dumps({"slow": True}))
        elif path == "/big":
            self.send_body(200, "x" * int(query.get("n", "1000")), "text/plain")
        elif path == "/redirect":
            self.send_body(302, "", "text/plain", [("Location", "/json")])
        elif path == "/loop":
            self.send_body(302, "", "text/plain", [("Location", "/loop")])
        elif path == "/echo":
            answer = {"method": self.command, "path": self.path, "body": body, "user": self.basic_user(),
                      "headers": {k.lower(): v for k, v in self.headers.items()}}
            self.send_body(200, json.dumps(answer))
        elif path.startswith("/notify"):
            self.server.record(self, query, body)
        elif path == "/posted":
            self.send_body(200, json.dumps(self.server.posted))
        elif path == "/open-meteo":
            self.send_body(200, json.dumps({"current": self.server.weather}))
        elif path == "/weather-set":
            self.server.weather.update({k: float(v) for k, v in query.items()})
            self.send_body(200, json.dumps(self.server.weather))
        elif path == "/mails":
            self.send_body(200, json.dumps(self.server.smtp.mails if self.server.smtp else []))
        else:
            self.send_body(404, json.dumps({"error": "not found"}))

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any


class HttpServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up (a rule's timeout) closes its end: not a server error.
        pass

    def __init__(self, smtp=None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.smtp = smtp
        self.posted = []
        self.weather = {"temperature_2m": 3.5, "relative_humidity_2m": 81, "wind_speed_10m": 4.2,
                        "pressure_msl": 1012.3, "weather_code": 61}
        self.failures = {}
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server_address[1]

    def record(self, handler, query, body):
        key = query.get("key", "")
        with self.lock:
            failed = self.failures.get(key, 0)
            if failed < int(query.get("fail", "0")):
                self.failures[key] = failed + 1
                handler.send_body(503, json.dumps({"error": "busy"}))
                return
            self.posted.append({"path": handler.path, "body": body,
                                "headers": {k.lower(): v for k, v in handler.headers.items()}})
        handler.send_body(200, json.dumps({"ok": True}))


def refused_url():
    """A loopback URL nothing listens on: a port taken and released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return "http://127.0.0.1:%d/" % port


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for curl: EHLO, STARTTLS (when the sink has a certificate),
    AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    def start_tls(self):
        self.reply("220 go ahead")
        self.wfile.flush()
        self.connection = self.server.tls.wrap_socket(self.request, server_side=True)
        self.rfile = self.connection.makefile("rb")
        self.wfile = self.connection.makefile("wb", buffering=0)
        self.server.tls_sessions += 1

    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 sink ready")
        mail = {"from": None, "to": [], "data": "", "user": None}
        while True:
            line = self.rfile.readline().decode(errors="replace").rstrip("\r\n")
            if not line:
                return
            verb = line.split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-sink")
                if self.server.tls is not None:
                    self.reply("250-STARTTLS")
                self.reply("250 AUTH PLAIN")
            elif verb == "STARTTLS" and self.server.tls is not None:
                self.start_tls()
            elif verb == "AUTH":
                parts = line.split(" ")
                if len(parts) > 2:
                    answer = parts[2]
                else:  # No initial response: ask for it.
                    self.reply("334 ")
                    answer = self.rfile.readline().decode().strip()
                decoded = base64.b64decode(answer).decode()
                mail["user"] = decoded.split("\0")[1] if "\0" in decoded else decoded
                self.reply("235 ok")
            elif verb == "MAIL":
                mail["from"] = line[line.index(":") + 1:].strip()
                self.reply("250 ok")
            elif verb == "RCPT":
                mail["to"].append(line[line.index(":") + 1:].strip())
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                mail["data"] = self.read_data()
                self.server.mails.append(dict(mail))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")

    def read_data(self):
        lines = []
        while True:
            line = self.rfile.readline().decode(errors="replace").rstrip("\r\n")
            if line == ".":
                return "\n".join(lines)
            lines.append(line[1:] if line.startswith("..") else line)


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, tls=None):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.tls = tls  # An ssl.SSLContext: offer STARTTLS with its certificate.
        self.tls_sessions = 0
        self.mails = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return "smtp://127.0.0.1:%d" % self.server_address[1]


def self_signed_context(folder):
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1."""
    key, cert = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
