"""Simulated machines: agents that hold sessions at the emulated providers, with real TCP forwards.

A machine has a name, a provider, an SSH public key (Openport, ngrok; generated from the name
when not given) or an ngrok authtoken, and a local port on 127.0.0.1 (its sshd in the tests).
While its session lives, the emulator listens on a real port on 127.0.0.1 and forwards every
admitted connection to that local port (forward.py). An agent whose key is not registered keeps
trying every `retry_interval` seconds, so registering the key makes its session appear shortly
after; deleting the key (or the ngrok credential) ends the session and the agent retries again.

`Machines` (one per Core, `core.machines`) owns the machines, their forwards, a supervisor
thread for the retries, and the hooks the provider modules call where a session ends.
Everything that touches the state runs under `core.lock`.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from . import agents, openport_site
from .forward import ForwardHub
from .sshkeys import identity, make_key

PROVIDERS = ("openport", "ngrok", "pinggy")
DEFAULT_RETRY = 1.0
FIELDS = {"name", "provider", "local_port", "local_host", "public_key", "credential", "authtoken", "register",
          "request_port", "ip_link_protection", "subdomain", "token_name", "metadata", "retry_interval"}


@dataclass
class Machine:
    name: str
    provider: str
    local_port: int
    local_host: str = "127.0.0.1"
    public_key: str | None = None
    credential: str | None = None       # ngrok: the authtoken's credential id (cr_...)
    authtoken: str | None = None        # ngrok: the authtoken itself
    register: bool = False              # add the key to the account when the machine starts
    request_port: int | None = None     # Openport: the port the agent asks for
    ip_link_protection: bool | None = None   # Openport: per-session override (None: the key's setting)
    subdomain: str = "127.0.0.1"        # Pinggy
    token_name: str | None = None       # Pinggy: tokenName (default: the machine's name)
    metadata: str = ""                  # ngrok session and tunnel metadata
    retry_interval: float = DEFAULT_RETRY
    status: str = "connecting"          # connecting (retrying) | connected | stopped (the agent exited)
    attempts: int = 0
    last_error: str | None = None
    next_attempt: float = 0.0
    session_id: object = None
    last_session_id: object = None
    last_port: int | None = None
    token: str | None = None            # Openport session token (restart_session_token)
    identity: tuple | None = field(default=None, repr=False)


def _spec_error(i, name, text):
    return ValueError(f"machines[{name or i}]: {text}")


def parse_specs(items, default_retry=DEFAULT_RETRY) -> list:
    """Check a list of machine specs (JSON objects); ValueError names the machine and the field."""
    if not isinstance(items, list):
        raise ValueError('machines must be a list of {"name", "provider", "local_port", ...}')
    out, names = [], set()
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _spec_error(i, None, "must be a JSON object")
        name = item.get("name")
        unknown = sorted(set(item) - FIELDS)
        if unknown:
            raise _spec_error(i, name, f"unknown fields {unknown}; known: {sorted(FIELDS)}")
        if not isinstance(name, str) or not name or name in names:
            raise _spec_error(i, name, "name must be a non-empty string, unique in the list")
        names.add(name)
        out.append(_machine(i, dict(item), default_retry))
    return out


def _port(i, name, value, what):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise _spec_error(i, name, f"{what} must be a port number (1-65535)")
    return value


def _machine(i, item, default_retry):
    name, provider = item["name"], item.get("provider")
    if provider not in PROVIDERS:
        raise _spec_error(i, name, f"provider must be one of {list(PROVIDERS)}")
    item["local_port"] = _port(i, name, item.get("local_port"), "local_port")
    if item.get("request_port") is not None:
        item["request_port"] = _port(i, name, item["request_port"], "request_port")
    retry = item.setdefault("retry_interval", default_retry)
    if isinstance(retry, bool) or not isinstance(retry, (int, float)) or retry < 0.01:
        raise _spec_error(i, name, "retry_interval must be a number of seconds >= 0.01")
    for flag in ("register", "ip_link_protection"):
        if item.get(flag) is not None and not isinstance(item[flag], bool):
            raise _spec_error(i, name, f"{flag} must be true or false")
    item["register"] = bool(item.get("register"))
    m = Machine(**item)
    _credentials(i, m)
    if m.token_name is None:
        m.token_name = name
    m.last_port = m.request_port
    return m


def _credentials(i, m):
    by_token = m.provider == "ngrok" and (m.credential or m.authtoken)
    if m.provider == "pinggy" or by_token:
        if m.public_key or (m.provider == "pinggy" and (m.credential or m.authtoken)):
            raise _spec_error(i, m.name, "pinggy machines take no key; an ngrok machine takes a public_key "
                                         "or a credential/authtoken, not both")
        return
    if m.credential or m.authtoken:
        raise _spec_error(i, m.name, "credential and authtoken are for ngrok machines")
    if m.public_key is None:              # the same key for the same name, run after run
        m.public_key = make_key(random.Random(f"tunnelops-machine/{m.name}"), "ed25519", comment=m.name)
    m.identity = identity(m.public_key)
    if m.identity is None:
        raise _spec_error(i, m.name, "public_key is not an OpenSSH public key")


def generate_specs(count, local_port, providers=PROVIDERS, retry_interval=DEFAULT_RETRY) -> list:
    """`--machines N`: N machines, providers in turn, keys registered, all forwarding to local_port."""
    width = max(3, len(str(count)))
    return [{"name": f"machine-{i + 1:0{width}d}", "provider": providers[i % len(providers)],
             "local_port": local_port, "register": True, "retry_interval": retry_interval} for i in range(count)]


class Machines:
    def __init__(self, core):
        self.core = core
        self.hub = ForwardHub()
        self.origin = "http://127.0.0.1"        # the emulator's own origin (set once it listens)
        self.by_name = {}
        self.forwards = {}                      # (provider, session id) -> Forward
        self.bound = {}                         # (provider, session id) -> machine name
        self.foreign_sessions = []              # Openport sessions of keys at another account
        self.advanced = 0.0
        self._sid = 100000
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._thread = None

    # ------------------------------------------------------------------ lifecycle

    def start(self, specs) -> list:
        """Start parsed machines (a running machine of the same name is refused; a stopped one replaced)."""
        with self.core.lock:
            for m in specs:
                old = self.by_name.get(m.name)
                if old is not None and old.status != "stopped":
                    raise ValueError(f"machines[{m.name}]: a machine of that name is running; DELETE it first")
            for m in specs:
                if m.register:
                    agents.register(self.core, m)
            for m in specs:
                self.by_name[m.name] = m
                self._attempt(m)             # at once: a registered key is connected when this returns
            infos = [self.describe(m) for m in specs]
        self._ensure_thread()
        return infos

    def stop(self, name):
        with self.core.lock:
            m = self.get(name)
            agents.disconnect(self.core, m)
            m.status = "stopped"
            del self.by_name[name]
            return self.describe(m)

    def stop_all(self):
        with self.core.lock:
            return [self.stop(name)["name"] for name in list(self.by_name)]

    def discard_all(self):
        """On reset: the state is being replaced, so only the sockets and the books are cleared."""
        with self.core.lock:
            for fwd in self.forwards.values():
                fwd.close()
            self.by_name, self.forwards, self.bound, self.foreign_sessions = {}, {}, {}, []
            self.advanced = 0.0

    def shutdown(self):
        self.discard_all()
        self._closing.set()
        self._wake.set()
        self.hub.stop()

    def get(self, name):
        m = self.by_name.get(name)
        if m is None:
            raise LookupError(f"no machine named {name!r}")
        return m

    def move(self, name):
        """Openport's volatile ports: the session restarts on another port (redirect_url follows it)."""
        with self.core.lock:
            m = self.get(name)
            if m.provider != "openport" or m.status != "connected":
                raise ValueError(f"machine {name!r}: only a connected Openport machine can move")
            old_port = m.last_port
            agents.disconnect(self.core, m)
            m.last_port, m.token = None, None
            self._attempt(m, avoid_port=old_port)
            return self.describe(m)

    # ------------------------------------------------------------------ agents

    def _attempt(self, m, avoid_port=None):
        m.attempts += 1
        if agents.connect(self.core, m, avoid_port):
            m.status, m.last_error = "connected", None
        elif m.status != "stopped":
            m.status = "connecting"
        m.next_attempt = time.monotonic() + m.retry_interval

    def _ensure_thread(self):
        if self._thread is None or not self._thread.is_alive():
            self._closing.clear()
            self._thread = threading.Thread(target=self._run, name="machines", daemon=True)
            self._thread.start()

    def _run(self):
        while not self._closing.is_set():
            with self.core.lock:
                now = time.monotonic()
                waiting = [m for m in self.by_name.values() if m.status == "connecting"]
                for m in waiting:
                    if m.next_attempt <= now:
                        self._attempt(m)
                due = min((m.next_attempt for m in waiting), default=now + 0.5)
            self._wake.wait(min(max(due - time.monotonic(), 0.01), 0.5))
            self._wake.clear()

    def describe(self, m) -> dict:
        fwd = self.forwards.get((m.provider, m.session_id))
        counts = fwd.describe() if fwd else None
        return {"name": m.name, "provider": m.provider, "status": m.status, "local_host": m.local_host,
                "local_port": m.local_port, "public_key": m.public_key, "retry_interval": m.retry_interval,
                "attempts": m.attempts, "last_error": m.last_error,
                "public_host": fwd.host if fwd else None, "forward_port": fwd.port if fwd else None,
                "connections": {k: counts[k] for k in ("accepted", "refused", "open")} if counts else None,
                "session": agents.session_info(self.core, m)}

    def infos(self) -> list:
        with self.core.lock:
            return [self.describe(m) for m in self.by_name.values()]

    # ------------------------------------------------------------------ forwards and sessions

    def next_session_id(self):
        self._sid += 1
        return self._sid

    def open_forward(self, provider, sid, target, allow, port=None, avoid=None):
        """Listen for a session: on `port` when it is free, else on any port other than `avoid`."""
        allow = allow or (lambda ip: True)
        fwd = None
        if port:
            try:
                fwd = self.hub.open(target, allow, port=port)
            except OSError:
                fwd = None
        if fwd is None:
            fwd = self.hub.open(target, allow)
            if fwd.port == avoid:           # the OS handed the old port back: take another one
                other = self.hub.open(target, allow)
                fwd.close()
                fwd = other
        self.forwards[(provider, sid)] = fwd
        return fwd

    def bind(self, name, provider, sid):
        self.bound[(provider, sid)] = name
        m = self.by_name.get(name)
        if m is not None:
            m.session_id = m.last_session_id = sid
            m.status = "connected"

    def session_ended(self, provider, sid, retry):
        """A session is gone: close its forward; its agent retries (retry) or has exited."""
        fwd = self.forwards.pop((provider, sid), None)
        if fwd is not None:
            fwd.close()
        m = self.by_name.get(self.bound.pop((provider, sid), None))
        if m is not None and m.session_id == sid:
            m.session_id = None
            m.status = "connecting" if retry else "stopped"
            m.next_attempt = time.monotonic() + m.retry_interval
            self._wake.set()

    # ------------------------------------------------------------------ hooks the provider modules call

    def openport_key_deleted(self, key_id):
        """DELETE /keys/<id>/: the key's sessions end (their agents keep retrying)."""
        openport_site.end_key_sessions(self.core, key_id)

    def ngrok_credential_deleted(self, cred_id):
        """DELETE /credentials/<id> or /ssh_credentials/<id>: the sessions it authenticated end."""
        from .ngrok_sessions import remove_session
        n = self.core.state.ngrok
        for rec in [r for r in n.tunnel_sessions.items.values() if r["credential"] == cred_id]:
            remove_session(self.core, rec["id"])
            for m in self.by_name.values():
                if m.last_session_id == rec["id"] and m.status == "stopped":
                    m.status = "connecting"          # the agent was cut off, not told to exit
        self._wake.set()

    def ngrok_session_ended(self, sid):
        """Where an ngrok tunnel session really ends (ngrok_sessions.remove_session): stop or restart."""
        self.session_ended("ngrok", sid, retry=False)

    def ngrok_session_restarted(self, old_sid, new_sid):
        """`restart`: the agent reconnects as `new_sid`; its forward re-opens (on the same port if free)."""
        for m in self.by_name.values():
            if m.provider == "ngrok" and m.last_session_id == old_sid:
                agents.reopen_ngrok(self.core, m, new_sid)

    def key_settings(self, key_id, changes=None):
        """An Openport key's "ip link protection" setting (a web-UI checkbox; usage.rst), not in the v2 API."""
        unknown = sorted(set(changes or {}) - {"ip_link_protection"})
        if unknown:
            raise ValueError(f"unknown key settings {unknown}; known: ['ip_link_protection']")
        if "ip_link_protection" in (changes or {}) and not isinstance(changes["ip_link_protection"], bool):
            raise ValueError("ip_link_protection must be true or false")
        with self.core.lock:
            key = self.core.state.openport.keys.get(int(key_id)) if str(key_id).isdigit() else None
            if key is None:
                raise LookupError(f"no Openport key with id {key_id!r} at this account")
            if changes:
                key["_ip_link_protection"] = changes["ip_link_protection"]
            return {"id": key["id"], "name": key["name"], "ip_link_protection": key.get("_ip_link_protection", True)}

    # ------------------------------------------------------------------ clock

    def advance_clock(self, seconds):
        """Time passes for the link clicks: every click, every admission and every key's times get `seconds` older."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0:
            raise ValueError("advance_seconds must be a number > 0")
        delta = timedelta(seconds=seconds)
        with self.core.lock:
            for rec in openport_site.all_sessions(self.core):
                grants = rec.get("_grants") or {}
                for ip in grants:
                    grants[ip] -= delta
            for click in self.core.state.openport.clicks:
                click["timestamp"] -= delta
            # The keys' times age too: a client compares a click with its session's start, which the API shows
            # only as the key's last_connection_time (a decision: the notes say nothing of a clock).
            for key in self.core.state.openport.keys.items.values():
                for field in ("last_connection_time", "creation_time"):
                    if key.get(field) is not None:
                        key[field] -= delta
            self.advanced += seconds
            return self.advanced
