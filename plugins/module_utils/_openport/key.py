# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The openport_key module: one Openport SSH key present (with its name) or absent.

The key is identified by its public key; its name is a label changed in place.
The account is listed once per run and every decision is taken on that listing.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.sshkey import (
    key_line, parse_key_option, record_fingerprint)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.keyset import (
    AccountKeys, check_name, describe, diff_view, explain_refusal, finder, name_conflict, registered_meanwhile)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.machine import Resource, ensure


class OpenportKeyResource(Resource):
    label = "key"
    result_key = "key"
    verbs = {"create": "created key", "update": "renamed key", "delete": "deleted key",
             "delete_conflict": "deleted key holding the name"}

    @property
    def client(self):
        return self.tm.client("openport")

    def prepare(self):
        value = self.params.get("public_key")
        # "" (a lookup of an empty .pub file) is a key that is wrong, not a key left out.
        self.pk = parse_key_option("public_key", value) if value is not None else None
        self.name = check_name("name", self.params["name"]) if self.params.get("name") is not None else None

    def find(self):
        self.keys = AccountKeys(self.client.keys.list())
        return self.keys.find(self.pk) if self.pk is not None else None

    def absent_target(self, current):
        if self.pk is not None:
            return current
        targets = self.keys.named(self.name)
        if len(targets) > 1:
            raise TunnelConfigError("name", (
                "%r is ambiguous: %d keys have this name (%s); give public_key to say which one to remove"
                % (self.name, len(targets), ", ".join(describe(t) for t in targets))))
        return targets[0] if targets else None

    def changes(self, current):
        return {"name": self.name} if current.get("name") != self.name else {}

    def conflicts(self, current):
        holders = self.keys.named(self.name, other_than=current)
        if holders and not self.params["replace_conflicting_name"]:
            raise name_conflict("name", self.name, holders, (
                "key names are unique in an Openport account. Choose another name, remove that key, or set "
                "replace_conflicting_name=true to delete it and give its name to this key."))
        return holders

    def create_body(self, current=None):
        return {"public_key": key_line(self.pk), "name": self.name}

    def create(self, body):
        """Create; when another run registered the key meanwhile, converge on that key instead."""
        try:
            return super().create(body)
        except TunnelApiError as exc:
            found = registered_meanwhile(self.client, exc, self.pk)
            if found is None:
                raise
        changes = self.changes(found)
        return self.update(found, changes) if changes else found

    def post(self, body):
        return self.client.keys.create(body, find_existing=finder(self.client, self.pk))

    def patch(self, current, changes):
        return self.client.keys.update(current["id"], changes)

    def remove(self, record):
        self.client.keys.delete(record["id"])

    def describe(self, record):
        return {"id": record.get("id"), "name": record.get("name"),
                "public_key_fingerprint": record_fingerprint(record)}

    def note(self, kind, record, **extra):
        if kind == "delete_conflict":
            extra["public_key"] = record.get("public_key")
        super().note(kind, record, **extra)

    def explain(self, error):
        return explain_refusal(error, self.pk, self.name)

    def shown(self, outcome):
        return outcome.after or outcome.before or {}

    def diff(self, outcome):
        diffs = [{"before": diff_view(r), "after": {}, "before_header": "replaced: " + describe(r),
                  "after_header": "replaced: (deleted)"} for r in outcome.conflicts]
        diffs.append({"before": diff_view(outcome.before), "after": diff_view(outcome.after)})
        return diffs[0] if len(diffs) == 1 else diffs

    def finish(self, result, outcome):
        result["replaced_keys"] = outcome.conflicts


def run(tm):
    return ensure(OpenportKeyResource(tm))
