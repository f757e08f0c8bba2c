# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory NgrokClient and a TunnelModule stand-in for unit tests of the ngrok resource logic."""

from __future__ import annotations

import itertools

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError

PREFIX = {"credentials": "cr_", "api_keys": "ak_", "ssh_credentials": "sshcr_", "tunnel_sessions": "ts_"}

KEY1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEHtATJgF1RonfGRDKDwBn+G13NqTGMLSx3wVwNDwIo3 user1@example.com"
KEY2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAQ+gx9g6gikw+YedD7iJBiR4S1UDRd3IJntxNvOGAL3 user2@example.com"
KEY3 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEtcVLLOf4tef4Nsu+h6yt4TF+BXQt9lHbpTuvJc4GUC user3@example.com"


class FakeNgrok:
    """Keeps records per collection and a log of (method, collection, id, body)."""

    workers = 1

    def __init__(self, **collections):
        self.data = dict((k, list(v)) for k, v in collections.items())
        self.log = []
        self.counter = itertools.count(100)
        self.lose_create_answers = 0
        self.action_errors = {}

    def writes(self):
        return [entry for entry in self.log if entry[0] != "GET"]

    def list(self, collection, params=None):
        self.log.append(("GET", collection, None, None))
        return [dict(r) for r in self.data.setdefault(collection, [])]

    def get_or_none(self, collection, item_id):
        self.log.append(("GET", collection, item_id, None))
        return next((dict(r) for r in self.data.get(collection, []) if r["id"] == item_id), None)

    def create(self, collection, body, find_existing=None):
        self.log.append(("POST", collection, None, dict(body)))
        n = next(self.counter)
        record = dict(body, id="%s%027d" % (PREFIX[collection], n), owner_id=body.get("owner_id", "usr_me"))
        record.setdefault("acl", [])
        self.data.setdefault(collection, []).insert(0, dict(record))
        if collection in ("credentials", "api_keys"):
            record["token"] = "tok%d_SECRET" % n
        if self.lose_create_answers:
            self.lose_create_answers -= 1
            return find_existing(), True
        return record, False

    def update(self, collection, item_id, body):
        self.log.append(("PATCH", collection, item_id, dict(body)))
        for record in self.data[collection]:
            if record["id"] == item_id:
                record.update(body)
                return dict(record)
        raise TunnelApiError("ngrok", "Resource not found", status=404)

    def delete(self, collection, item_id):
        self.log.append(("DELETE", collection, item_id, None))
        before = len(self.data[collection])
        self.data[collection] = [r for r in self.data[collection] if r["id"] != item_id]
        return len(self.data[collection]) < before

    def session_action(self, session_id, action):
        self.log.append(("POST", "tunnel_sessions", session_id, action))
        error = self.action_errors.get(session_id)
        if error == "ERR_NGROK_810" and action == "stop":
            return "already_gone"
        if error:
            raise TunnelApiError("ngrok", "failed", status=400, code=error)
        return "done"


class _Module:
    def __init__(self, diff):
        self._diff = diff


class FakeTM:
    def __init__(self, client, params, check_mode=False, diff=True):
        self._client = client
        self.params = params
        self.check_mode = check_mode
        self.module = _Module(diff)
        self.done = []

    def client(self, provider):
        return self._client

    def record(self, action, **details):
        self.done.append(dict(details, action=action))
