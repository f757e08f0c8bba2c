# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Client-side pacing under a provider's rate limit (ngrok: 120 requests per rolling 60 s).

Ansible runs every task, and every fork, in a process of its own, so a limit kept
in memory would let a play of many tasks overrun the provider.  The window is
therefore kept in a small file per API key and base URL, shared by every
process of the same user under a file lock.  Where file locking is not
available the pacer falls back to the process alone.

A request is counted from when it leaves, and counted again from when its
answer comes back (``answered()``): the provider counts it when it arrives,
which on a busy host or network can be well after it left, and once the answer
is back it has certainly arrived.  Counting from the answer is never early and
costs one round trip per window.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # pragma: no cover - not a POSIX controller
    HAS_FCNTL = False

# Requests reach the server some time after we send them; a small margin keeps
# the server's rolling window from seeing one request more than ours does.
DEFAULT_MARGIN = 0.25


def pacing_dir():
    base = os.environ.get("TUNNELOPS_PACING_DIR")
    if not base:
        uid = os.getuid() if hasattr(os, "getuid") else 0
        base = os.path.join(tempfile.gettempdir(), "tunnelops-pacing-%d" % uid)
    return base


class SlidingWindowPacer:
    """Allows at most ``limit`` request starts in any ``window`` seconds."""

    def __init__(self, limit, window, scope=None, shared=True, clock=time.time,
                 sleep=time.sleep, margin=DEFAULT_MARGIN):
        self.limit = int(limit) if limit and limit > 0 else 0
        self.window = float(window)
        self.margin = margin
        self.clock = clock
        self.sleep = sleep
        self.waited = 0.0
        self._lock = threading.Lock()
        self._local = threading.local()
        self._starts = []
        self._path = None
        if limit and shared and scope and HAS_FCNTL:
            digest = hashlib.sha256(scope.encode("utf-8")).hexdigest()[:24]
            self._path = os.path.join(pacing_dir(), "%s.json" % digest)

    def acquire(self):
        """Block until one more request may start, then record it."""
        if not self.limit:
            return 0.0
        total = 0.0
        while True:
            with self._lock:
                wait = self._try_take()
            if wait <= 0:
                self.waited += total
                return total
            self.sleep(wait)
            total += wait

    def answered(self):
        """The answer to this thread's last request is back: count the request from now."""
        taken = getattr(self._local, "taken", None)
        self._local.taken = None
        if taken is None:
            return
        now = self.clock()

        def move(starts):
            if taken in starts:
                starts.remove(taken)
                starts.append(now)
            return starts
        with self._lock:
            self._update(move)

    def penalise(self, seconds):
        """The server refused a request for the rate: hold everyone back."""
        if not self.limit:
            return
        with self._lock:
            def push(starts):
                # Fill the window so that nothing starts for `seconds`.
                until = self.clock() + seconds - self.window
                return sorted(starts + [until] * self.limit)[-self.limit:]
            self._update(push)

    def _try_take(self):
        result = {}

        def take(starts):
            now = self.clock()
            starts = [t for t in starts if t > now - self.window]
            if len(starts) < self.limit:
                starts.append(now)
                self._local.taken = now
                result["wait"] = 0.0
            else:
                oldest = sorted(starts)[len(starts) - self.limit]
                result["wait"] = max(0.01, oldest + self.window + self.margin - now)
            return starts

        self._update(take)
        return result["wait"]

    def _update(self, change):
        if self._path is None:
            self._starts = change(self._starts)
            return
        try:
            os.makedirs(os.path.dirname(self._path), mode=0o700, exist_ok=True)
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            self._path = None
            self._starts = change(self._starts)
            return
        with os.fdopen(fd, "r+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                try:
                    starts = [float(t) for t in json.loads(handle.read() or "[]")]
                except ValueError:
                    starts = []
                starts = change(starts)
                handle.seek(0)
                handle.truncate()
                handle.write(json.dumps(starts[-max(self.limit, 1):]))
                handle.flush()
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
