"""Request log and counters behind GET /_emulator/requests and /_emulator/counters.

Secrets never enter the log: the path's query is masked, the Authorization header
keeps only its scheme, and credential-like keys of JSON bodies are masked.
"""

from __future__ import annotations

import json
import threading
from collections import deque

from .common import mask_auth, mask_body, mask_path

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
LOGGED_HEADERS = ("Authorization", "Content-Type", "ngrok-version", "User-Agent", "Accept")
MAX_ENTRIES = 100_000      # enough for a benchmark run; the oldest entries go first


def _empty_counter():
    return {"reads": 0, "writes": 0, "requests": 0, "status": {}}


class RequestLog:
    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self):
        with self._lock:
            self.entries = deque(maxlen=MAX_ENTRIES)
            self.seq = 0
            self.counters = {p: _empty_counter() for p in ("openport", "ngrok", "pinggy", "total")}

    def record(self, provider, req, status, fault):
        """Log one provider request; status None means the connection was dropped."""
        headers = {}
        for name in LOGGED_HEADERS:
            value = req.header(name)
            if value is not None:
                headers[name] = mask_auth(value) if name == "Authorization" else value
        try:
            body = mask_body(json.loads(req.body)) if req.body else None
        except ValueError:
            body = None
        write = req.method in WRITE_METHODS
        with self._lock:
            self.seq += 1
            entry = {"seq": self.seq, "provider": provider, "method": req.method,
                     "path": mask_path(req.full_path), "status": status, "write": write,
                     "fault": fault, "headers": headers, "body": body}
            self.entries.append(entry)
            key = str(status) if status is not None else "dropped"
            for name in (provider, "total"):
                c = self.counters[name]
                c["requests"] += 1
                c["writes" if write else "reads"] += 1
                c["status"][key] = c["status"].get(key, 0) + 1
        return entry

    def snapshot(self, since=0):
        with self._lock:
            return [dict(e) for e in self.entries if e["seq"] > since]

    def counter_snapshot(self):
        with self._lock:
            return json.loads(json.dumps(self.counters))
