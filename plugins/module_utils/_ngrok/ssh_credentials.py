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
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError
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

    @property
    def api(self):
        return self.tm.client("ngrok").collection(COLLECTION)

    def parse(self, option, item):
        pk = parse_key_option(option + ".public_key", item.get("public_key"))
        wanted = dict((field, check(item.get(field), option="%s.%s" % (option, field))) for field, check in CHECKS)
        return {"pk": pk, "fields": wanted}

    def identity(self, desired):
        return desired["pk"].identity

    def existing_identity(self, record):
        return record_identity(record)

    def settings(self, desired):
        # Entries of one key agree when they want the same fields and state (the comment and position do not matter).
        return dict(desired["fields"], state=desired["state"])

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
        return self.api.update(action.existing["id"], action.changes)

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


def run(tm):
    return converge(SshCredentialList(tm))
