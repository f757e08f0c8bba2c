# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ngrok_ssh_credential module: one ngrok SSH credential.

A credential is identified by its public key (type and blob; comment and
options ignored).  ``description``, ``metadata`` and ``acl`` change in place;
``public_key`` and ``owner_id`` never do, so a credential whose key or owner
must change is replaced, and only when the task says ``replace: true``.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.sshkey import (
    key_line, parse_key_option, record_fingerprint, record_identity)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import fields
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.resource import NgrokResource
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.machine import (
    CREATE_FIRST, DELETE_FIRST, ensure)

COLLECTION = "ssh_credentials"


def view(record):
    """A credential as modules show it: no secret, empty fields filled in, and its key's fingerprint."""
    shown = fields.view(record)
    if shown:
        shown["fingerprint"] = record_fingerprint(record)
    return shown


def finder(api, pk):
    """``find_existing`` for a create whose answer was lost: list again and look the key up."""
    def find():
        return next((record for record in api.list() if record_identity(record) == pk.identity), None)
    return find


class SshCredentialResource(NgrokResource):
    collection = COLLECTION
    label = "SSH credential"
    result_key = "ssh_credential"

    def prepare(self):
        value = self.params.get("public_key")
        # An empty key (a lookup of an empty .pub file) is a bad key, not a key left out.
        self.pk = parse_key_option("public_key", value) if value is not None else None
        if self.pk is None and not self.params.get("id"):
            raise TunnelConfigError("public_key", "give the credential's public_key, or its id")
        super().prepare()

    def find(self):
        if self.params.get("id"):
            return self.api.get_or_none(self.params["id"])
        return finder(self.api, self.pk)()

    def absent_target(self, current):
        if current is not None and self.pk is not None and record_identity(current) != self.pk.identity:
            raise TunnelConfigError("public_key", "is not the key of SSH credential %s (which has key %s), so nothing "
                                    "was deleted; with id, public_key is the key the credential must have: give its "
                                    "key, or leave public_key out to delete by id alone"
                                    % (current["id"], record_fingerprint(current) or record_identity(current)))
        return current

    def check_present(self, current):
        if current is None and self.params.get("id"):
            raise TunnelConfigError("id", "no SSH credential has the id %r; ngrok chooses ids on create, so leave "
                                    "id out to create one for public_key" % self.params["id"])

    def replacement(self, current):
        new_key = self.pk is not None and record_identity(current) != self.pk.identity
        new_owner = fields.owner_differs(current, self.owner_id)
        if not (new_key or new_owner):
            return None
        what = "public_key" if new_key else "owner_id"
        if not self.params["replace"]:
            had = "key %s" % (record_fingerprint(current) or record_identity(current)) if new_key \
                else "owner %s" % current.get("owner_id")
            raise TunnelConfigError(what, "differs from SSH credential %s (which has %s), and ngrok cannot change %s "
                                    "in place; set replace=true to delete it and create a new credential"
                                    % (current["id"], had, what))
        # A new key can be added first, so the account is never without one; the same key
        # cannot be registered twice (ERR_NGROK_609), so a new owner means delete, then create.
        return CREATE_FIRST if new_key else DELETE_FIRST

    def create_body(self, current=None):
        pk = self.pk or parse_key_option("public_key", current.get("public_key"))
        body = {"public_key": key_line(pk)}
        body.update(super().create_body(current))
        return body

    def post(self, body):
        pk = parse_key_option("public_key", body["public_key"])
        return self.api.create(body, find_existing=finder(self.api, pk))

    def view(self, record):
        return view(record)

    def describe(self, record):
        return {"id": record.get("id"), "description": record.get("description"),
                "public_key_fingerprint": record_fingerprint(record)}

    def finish(self, result, outcome):
        super().finish(result, outcome)
        if outcome.replaced is not None:
            result["replaced_id"] = outcome.replaced["id"]


def run(tm):
    return ensure(SshCredentialResource(tm))
