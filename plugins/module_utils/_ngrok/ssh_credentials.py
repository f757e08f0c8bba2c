# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ngrok_ssh_credentials module: many ngrok SSH credentials at once.

The account is listed once; credentials are matched by their public key, and only
the writes needed are sent.  ``description``, ``metadata`` and ``acl`` change in place.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.sshkey import (
    key_line, parse_key_option, record_fingerprint, record_identity)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import fields
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.ssh_credential import COLLECTION, finder, view
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.convergence import ListResource, converge

CHECKS = (("description", fields.check_description), ("metadata", fields.canonical_metadata),
          ("acl", fields.check_acl))


class SshCredentialList(ListResource):
    provider = "ngrok"
    option = "credentials"
    item_word = "credential"
    everything = "delete every SSH credential of the account"
    verbs = {"delete": "delete SSH credential", "update": "update SSH credential", "create": "create SSH credential"}

    def __init__(self, tm):
        super().__init__(tm)
        self.acl_notes = []

    @property
    def api(self):
        return self.tm.client("ngrok").collection(COLLECTION)

    def parse(self, option, item):
        """The entry of one item; every problem of the item is named at once."""
        problems, entry = [], {"fields": {}}
        checks = (("pk", "public_key", parse_key_option),) + tuple((f, f, c) for f, c in CHECKS)
        for key, field, check in checks:
            try:
                value = check("%s.%s" % (option, field), item.get(field)) if key == "pk" \
                    else check(item.get(field), option="%s.%s" % (option, field))
            except TunnelConfigError as exc:
                problems.append(exc)
                continue
            if key == "pk":
                entry["pk"] = value
            else:
                entry["fields"][key] = value
        if problems:
            raise TunnelConfigError.combine(problems)
        return entry

    def identity(self, desired):
        return desired["pk"].identity

    def existing_identity(self, record):
        return record_identity(record)

    def settings(self, desired):
        # Repeats agree when they want the same fields and state: the item's place, the key's comment, the
        # order of ACL rules and the spelling of JSON metadata do not matter, nor the fields of an absent key.
        if desired["state"] == "absent":
            return {"state": "absent"}
        wanted = dict(desired["fields"], state="present")
        if wanted["acl"] is not None:
            wanted["acl"] = fields.acl_key(wanted["acl"])
        return wanted

    def changes(self, desired, record):
        return fields.changed_fields(record, desired["fields"])

    def list(self):
        return self.api.list()

    def create_body(self, desired):
        body = {"public_key": key_line(desired["pk"])}
        body.update((k, v) for k, v in desired["fields"].items() if v is not None)
        return body

    def create(self, action):
        return self.api.create(self.create_body(action.desired), find_existing=finder(self.api, action.desired["pk"]))[0]

    def update(self, action):
        record, notes = fields.update_clearing_acl(self.api, action.existing["id"], action.changes)
        self.acl_notes.extend((action.index, note) for note in notes)
        return record

    def delete(self, action):
        return action.existing if self.api.delete(action.existing["id"]) else False

    def view(self, record):
        return view(record)

    def line(self, record):
        return "%s %s" % (record_fingerprint(record) or record_identity(record), record.get("description") or "")

    def describe(self, record):
        return {"id": record.get("id"), "description": record.get("description"),
                "public_key_fingerprint": record_fingerprint(record)}

    def explain(self, action, error):
        """Say which item of the list the API refused."""
        if not isinstance(error, TunnelApiError) or action.desired is None:
            return error
        return TunnelApiError(error.provider, "%s: %s" % (action.desired["option"], error.message),
                              status=error.status, code=error.code, method=error.method, url=error.url,
                              details=error.details, outcome=error.outcome, attempts=error.attempts)

    def finish(self, result, plan, adjusted):
        notes = list(self.acl_notes)
        for index, item in enumerate(self.params[self.option]):
            if (item.get("state") or "present") == "present":
                notes.extend((index, note) for note in fields.acl_notes(item.get("acl")))
        if notes:
            result["acl_notes"] = ["%s[%d]: %s" % (self.option, index, note) for index, note in sorted(notes)]


def run(tm):
    return converge(SshCredentialList(tm))
