# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory NgrokClient for unit tests of the ngrok resource logic (the module stand-in is fake_module.FakeTM)."""

from __future__ import annotations

import itertools

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.client import prefixed_ids
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.locks import FileLock

PREFIX = {"credentials": "cr_", "api_keys": "ak_", "ssh_credentials": "sshcr_", "tunnel_sessions": "ts_",
          "tunnels": "tn_", "endpoints": "ep_"}

KEY1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEHtATJgF1RonfGRDKDwBn+G13NqTGMLSx3wVwNDwIo3 user1@example.com"
KEY2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAQ+gx9g6gikw+YedD7iJBiR4S1UDRd3IJntxNvOGAL3 user2@example.com"
KEY3 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEtcVLLOf4tef4Nsu+h6yt4TF+BXQt9lHbpTuvJc4GUC user3@example.com"


class FakeCollection:
    """One collection of FakeNgrok, with the methods of the real client's collections."""

    def __init__(self, fake, name):
        self.fake = fake
        self.name = name

    def check_id(self, item_id, option="id"):
        return prefixed_ids(PREFIX[self.name], self.name).check(item_id, option)

    def list(self):
        self.fake.log.append(("GET", self.name, None, None))
        if self.fake.list_errors:
            raise self.fake.list_errors.pop(0)
        return [dict(r) for r in self.fake.data.setdefault(self.name, [])]

    def get_or_none(self, item_id):
        self.check_id(item_id)
        self.fake.log.append(("GET", self.name, item_id, None))
        return next((dict(r) for r in self.fake.data.get(self.name, []) if r["id"] == item_id), None)

    def create(self, body, find_existing=None):
        fake = self.fake
        if fake.before_create:
            fake.before_create(self.name, body)
        fake.log.append(("POST", self.name, None, dict(body)))
        n = next(fake.counter)
        record = dict(body, id="%s%027d" % (PREFIX[self.name], n), owner_id=body.get("owner_id", "usr_me"))
        record.setdefault("acl", [])
        fake.data.setdefault(self.name, []).insert(0, dict(record))
        if self.name in ("credentials", "api_keys"):
            record["token"] = "tok%d_SECRET" % n
        if fake.lose_create_answers:
            fake.lose_create_answers -= 1
            return find_existing(), True
        if fake.fail_after_create:
            raise fake.fail_after_create.pop(0)
        return record, False

    def update(self, item_id, body):
        self.fake.log.append(("PATCH", self.name, item_id, dict(body)))
        for record in self.fake.data[self.name]:
            if record["id"] == item_id:
                record.update((k, v) for k, v in body.items() if not (k == "acl" and v == [] and self.fake.keep_acl_on_empty))
                return dict(record)
        raise TunnelApiError("ngrok", "Resource not found", status=404)

    def delete(self, item_id):
        self.fake.log.append(("DELETE", self.name, item_id, None))
        before = len(self.fake.data[self.name])
        self.fake.data[self.name] = [r for r in self.fake.data[self.name] if r["id"] != item_id]
        return len(self.fake.data[self.name]) < before


class FakeNgrok:
    """Keeps records per collection and a log of (method, collection, id, body)."""

    workers = 1

    def __init__(self, **collections):
        self.data = dict((k, list(v)) for k, v in collections.items())
        self.log = []
        self.counter = itertools.count(100)
        # creates whose answer is lost and whose object the core finds again (find_existing)
        self.lose_create_answers = 0
        # errors raised by creates after the object was made (a 500 after the key was made, say)
        self.fail_after_create = []
        # errors raised by the next listings
        self.list_errors = []
        # session id -> (status, code) of the API's answer to an action, with action_message
        self.action_errors = {}
        self.action_message = "refused"
        self.before_create = None
        # True: a PATCH of ``acl: []`` leaves the rules as they are (whether [] clears an ACL is unconfirmed)
        self.keep_acl_on_empty = False

    def __getattr__(self, name):
        if name in PREFIX:
            return FakeCollection(self, name)
        raise AttributeError(name)

    def collection(self, name):
        return FakeCollection(self, name)

    def lock(self, name, what="this object"):
        return FileLock("fake-ngrok|%d|lock|%s" % (id(self), name), what=what)

    def list_many(self, names):
        return dict((name, self.collection(name).list()) for name in names)

    def writes(self):
        return [entry for entry in self.log if entry[0] != "GET"]

    def session_action(self, session_id, action):
        """As NgrokClient.session_action: ``action_errors[id] = (status, code)`` is how the API answers."""
        self.log.append(("POST", "tunnel_sessions", session_id, action))
        if session_id not in self.action_errors:
            return "done"
        status, code = self.action_errors[session_id]
        if action == "stop" and code == "ERR_NGROK_810":
            return "exited"
        if action == "stop" and status == 404:
            return "gone"
        raise TunnelApiError("ngrok", "Resource not found" if status == 404 else self.action_message, status=status,
                             code=code, method="POST", outcome="rejected")
