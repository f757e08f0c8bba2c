# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Locks shared by every process of the user on this host, for steps that must not run twice at once.

Ansible runs every task and fork in a process of its own, and two playbooks may run side by
side: a find-then-create (list the authtokens, none has this description, create one) run by two
of them at once creates two objects.  A ``FileLock`` named by the account and what is created
serializes them, so that the second finds what the first created.  The lock files sit beside the
pacing files (``TUNNELOPS_PACING_DIR``), named by a hash: no description, URL or credential on disk.
Where file locking is not available, threads of the same process are still serialized.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pacing import pacing_dir

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # pragma: no cover - not a POSIX controller
    HAS_FCNTL = False

DEFAULT_TIMEOUT = 600.0
_local_locks = {}
_local_guard = threading.Lock()


class FileLock:
    """An exclusive lock named by ``scope``; waits up to ``timeout`` seconds, then fails naming ``what``."""

    def __init__(self, scope, timeout=DEFAULT_TIMEOUT, what="this object", poll=0.05):
        self.digest = hashlib.sha256(scope.encode("utf-8")).hexdigest()[:24]
        self.timeout = timeout
        self.what = what
        self.poll = poll
        self._handle = None
        self._held = False
        with _local_guard:
            self._thread_lock = _local_locks.setdefault(self.digest, threading.Lock())

    def __enter__(self):
        deadline = time.monotonic() + self.timeout
        if not self._thread_lock.acquire(timeout=self.timeout):
            raise self._timed_out()
        self._held = True
        try:
            self._handle = self._open()
            while self._handle is not None and not self._try_lock():
                if time.monotonic() >= deadline:
                    raise self._timed_out()
                time.sleep(self.poll)
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc_info):
        self._release()
        return False

    def _open(self):
        if not HAS_FCNTL:
            return None
        try:
            os.makedirs(pacing_dir(), mode=0o700, exist_ok=True)
            fd = os.open(os.path.join(pacing_dir(), "lock-%s" % self.digest), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return None  # no writable directory: threads are still serialized
        return os.fdopen(fd, "r+")

    def _try_lock(self):
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _release(self):
        if self._handle is not None:
            try:
                fcntl.flock(self._handle, fcntl.LOCK_UN)
            finally:
                self._handle.close()
                self._handle = None
        if self._held:
            self._held = False
            self._thread_lock.release()

    def _timed_out(self):
        return TunnelError("another run on this host has been changing %s for more than %d seconds; wait for it "
                           "to end and run again" % (self.what, self.timeout))
