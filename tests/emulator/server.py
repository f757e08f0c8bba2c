"""HTTP(S) front end: a threading HTTP/1.1 server, and the Emulator handle tests use.

Keep-alive matters (clients reuse connections, and benchmarks count on it): every
response has an exact Content-Length, headers and body leave in one buffered write,
and Nagle is off, so small JSON replies never wait for a delayed ACK.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import control, openport_site, tls
from .common import Request, json_response
from .core import Core
from .machines import parse_specs

PREFIXES = (("openport", "/openport/api/v2"), ("ngrok", "/ngrok"), ("pinggy", "/pinggy/backend/api/v1"),
            ("control", "/_emulator"), ("openport_site", "/openport"))


def split_prefix(path):
    for name, prefix in PREFIXES:
        if path == prefix or path.startswith(prefix + "/"):
            return name, path[len(prefix):]
    return None, path


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "tunnelops-emulator"
    sys_version = ""
    wbufsize = 64 * 1024           # buffered: handle_one_request() flushes once per response
    disable_nagle_algorithm = True
    timeout = 120                  # idle keep-alive connections close after this

    def log_message(self, fmt, *args):
        pass                       # the core logs provider requests itself (masked, --verbose only)

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self):
        emu = self.server.emulator
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            return self._send(json_response(400, {"error": "bad Content-Length or chunked body"}))
        path, dummy, query = self.path.partition("?")
        provider, sub = split_prefix(path)
        req = Request(method=self.command, path=path, query=query, headers=self.headers, body=body,
                      scheme=emu.scheme, host=self.headers.get("Host") or emu.hostport, subpath=sub,
                      client_ip=self.client_address[0])
        if provider == "control":
            resp = control.handle(emu.core, req, emu.urls)
        elif provider == "openport_site":     # logged, delayed and faulted as Openport requests
            resp = emu.core.handle("openport", req, openport_site.handle)
        elif provider:
            resp = emu.core.handle(provider, req)
        else:
            resp = json_response(404, {"error": f"no emulated API at {path}", "urls": emu.urls})
        if resp is None:
            return self._drop()
        self._send(resp)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch

    def _send(self, resp):
        self.send_response_only(resp.status)
        if not any(name.lower() == "server" for name, dummy in resp.headers):   # faults may pose as nginx
            self.send_header("Server", self.version_string())
        self.send_header("Date", self.date_time_string())
        if resp.content_type:
            self.send_header("Content-Type", resp.content_type)
        for name, value in resp.headers:
            self.send_header(name, value)
        if resp.status != 204 and resp.status >= 200:
            self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if self.command != "HEAD" and resp.body and resp.status != 204:
            self.wfile.write(resp.body)

    def _drop(self):
        """Fault 'drop': close the connection without a byte of answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, emulator, ssl_ctx):
        self.emulator = emulator
        self.ssl_ctx = ssl_ctx
        self.connections = set()
        self._conn_lock = threading.Lock()
        super().__init__(address, Handler)

    def process_request_thread(self, request, client_address):
        # The TLS handshake runs here, in the connection's own thread, so a slow or
        # broken client never holds up accept() for everybody else.
        with self._conn_lock:
            self.connections.add(request)
        conn = request
        try:
            if self.ssl_ctx is not None:
                request.settimeout(10)
                conn = self.ssl_ctx.wrap_socket(request, server_side=True)
            self.finish_request(conn, client_address)
        except (OSError, ssl.SSLError):
            pass                   # client went away, failed handshake, ...: nothing to report
        except Exception:
            self.handle_error(conn, client_address)
        finally:
            with self._conn_lock:
                self.connections.discard(request)
            self.shutdown_request(conn)

    def close_connections(self):
        with self._conn_lock:
            conns = list(self.connections)
        for sock in conns:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Emulator:
    """The emulator running in a background thread (or the foreground, see __main__)."""

    def __init__(self, host="127.0.0.1", port=0, seed="default", scale=None, latency_ms=0, jitter_ms=0,
                 https=False, cert_dir=None, ngrok_rate_limit=120, ngrok_rate_window=60, openport_token=None,
                 ngrok_api_key=None, pinggy_api_key=None, verbose=False, machines=None):
        creds = {"openport_token": openport_token, "ngrok_api_key": ngrok_api_key, "pinggy_api_key": pinggy_api_key}
        config = {"latency_ms": latency_ms, "jitter_ms": jitter_ms, "ngrok_rate_limit": ngrok_rate_limit,
                  "ngrok_rate_window": ngrok_rate_window}
        self.core = Core(seed, scale, creds, config, verbose)
        ssl_ctx, self.ca_cert, self._temp_cert_dir = None, None, None
        if https:
            if cert_dir is None:          # ours to remove on stop()
                cert_dir = self._temp_cert_dir = tempfile.mkdtemp(prefix="tunnelops-emulator-tls-")
            paths = tls.make_certs(cert_dir)
            ssl_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ssl_ctx.load_cert_chain(paths["cert"], paths["key"])
            self.ca_cert = paths["ca_cert"]
        self.httpd = _Server((host, port), self, ssl_ctx)
        self.port = self.httpd.server_address[1]
        self.scheme = "https" if https else "http"
        self.hostport = f"[{host}]:{self.port}" if ":" in host else f"{host}:{self.port}"
        origin = f"{self.scheme}://{self.hostport}"
        self.urls = {"openport": origin + "/openport/api/v2", "ngrok": origin + "/ngrok",
                     "pinggy": origin + "/pinggy/backend/api/v1", "control": origin + "/_emulator"}
        self.core.machines.origin = origin
        # machines start once the server listens (specs checked now: a bad one fails the constructor)
        self._machine_specs = parse_specs(machines) if machines is not None else []
        self._thread = None

    @property
    def banner(self):
        """The contract's first stdout line."""
        u = self.urls
        return (f"tunnelops-emulator openport={u['openport']} ngrok={u['ngrok']} "
                f"pinggy={u['pinggy']} control={u['control']}")

    @property
    def creds(self):
        return dict(self.core.creds)

    def start(self):
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="tunnelops-emulator", daemon=True)
        self._thread.start()
        if self._machine_specs:
            self.core.machines.start(self._machine_specs)
            self._machine_specs = []
        return self

    def stop(self):
        self.core.stop_event.set()          # wakes stalled and delayed requests
        self.core.machines.shutdown()       # forwards and their connections close
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(5)
            self._thread = None
        self.httpd.server_close()
        self.httpd.close_connections()
        if self._temp_cert_dir:
            shutil.rmtree(self._temp_cert_dir, ignore_errors=True)
            self._temp_cert_dir = None

    def __enter__(self):
        return self if self._thread else self.start()

    def __exit__(self, *exc):
        self.stop()

    # In-process shortcuts for tests and benchmarks (the same as the control API).
    def reset(self, seed="default", scale=None):
        self.core.reset(seed, scale)

    def configure(self, **changes):
        return self.core.configure(changes)

    def add_faults(self, *rules):
        with self.core.lock:
            self.core.faults.add(list(rules))

    def requests(self):
        return self.core.log.snapshot()

    def counters(self):
        return self.core.log.counter_snapshot()

    def secrets(self):
        return self.core.secrets()

    # Machines (the same as /_emulator/machines and /_emulator/clock).
    def start_machines(self, machines):
        """Start machines (a list of specs, as POST /_emulator/machines takes them); returns their listing."""
        return self.core.machines.start(parse_specs(machines))

    def machines(self):
        return self.core.machines.infos()

    def machine(self, name):
        with self.core.lock:
            return self.core.machines.describe(self.core.machines.get(name))

    def stop_machines(self, name=None):
        return self.core.machines.stop_all() if name is None else [self.core.machines.stop(name)["name"]]

    def move_machine(self, name):
        return self.core.machines.move(name)

    def advance_clock(self, seconds):
        return self.core.machines.advance_clock(seconds)

    def set_key_settings(self, key_id, **settings):
        return self.core.machines.key_settings(key_id, settings)


def start_emulator(**options) -> Emulator:
    """Start an emulator in a background thread; see Emulator for the options."""
    return Emulator(**options).start()
