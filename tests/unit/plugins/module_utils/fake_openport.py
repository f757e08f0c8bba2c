# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory stand-in for OpenportClient (no sockets), for the key logic's unit tests."""

from __future__ import annotations

import base64
import struct
import threading

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError


def ed25519(seed, comment="test"):
    """A well-formed ssh-ed25519 line whose 32-byte key is derived from ``seed``."""
    raw = (("%08d" % seed) * 4).encode()[:32]
    blob = struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", 32) + raw
    return "ssh-ed25519 %s %s" % (base64.b64encode(blob).decode(), comment)


class FakeOpenport:
    """Keys in a dict (``records``); every call is logged as (method, what)."""

    workers = 4

    def __init__(self, keys=(), unique_names=True, foreign=()):
        self.records = {}
        self.calls = []
        self.unique_names = unique_names
        self.foreign = set(" ".join(k.split()[:2]) for k in foreign)
        self.next_id = 1000
        self.lock = threading.Lock()
        # Called (under the lock) before a POST is judged: another run's write landing first.
        self.before_create = None
        self.keys = FakeKeys(self)
        for name, public_key in keys:
            self._add(name, public_key)

    def _add(self, name, public_key):
        self.next_id += 1
        rec = {"id": self.next_id, "name": name, "public_key": public_key, "last_connection_time": None}
        self.records[rec["id"]] = rec
        return dict(rec)

    def writes(self):
        return [c for c in self.calls if c[0] != "GET"]


class FakeKeys:
    """The ``keys`` collection of FakeOpenport, with the methods of the real client's collections."""

    def __init__(self, fake):
        self.fake = fake

    def _refuse(self, method, field, text):
        raise TunnelApiError("openport", "%s: %s" % (field, text), status=400, method=method,
                             url="http://fake/keys/", outcome="rejected")

    def list(self):
        fake = self.fake
        with fake.lock:
            fake.calls.append(("GET", "keys"))
            return [dict(r) for r in sorted(fake.records.values(), key=lambda r: r["id"])]

    def create(self, body, find_existing=None):
        fake, public_key, name = self.fake, body["public_key"], body["name"]
        with fake.lock:
            fake.calls.append(("POST", name))
            if fake.before_create is not None:
                fake.before_create()
            ident = " ".join(public_key.split()[:2])
            if ident in fake.foreign or any(" ".join(r["public_key"].split()[:2]) == ident
                                            for r in fake.records.values()):
                self._refuse("POST", "public_key", "key with this public key already exists.")
            if fake.unique_names and any(r["name"] == name for r in fake.records.values()):
                self._refuse("POST", "name", "key with this name already exists.")
            return fake._add(name, public_key), False

    def update(self, key_id, body):
        fake, name = self.fake, body["name"]
        with fake.lock:
            fake.calls.append(("PATCH", key_id))
            if fake.unique_names and any(r["name"] == name and r["id"] != key_id for r in fake.records.values()):
                self._refuse("PATCH", "name", "key with this name already exists.")
            fake.records[key_id]["name"] = name
            return dict(fake.records[key_id])

    def delete(self, key_id):
        with self.fake.lock:
            self.fake.calls.append(("DELETE", key_id))
            del self.fake.records[key_id]
        return True
