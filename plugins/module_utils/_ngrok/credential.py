# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ngrok_credential module: agent authtokens, and the token-carrying resource ngrok_api_key shares.

Both are found by ``id`` or by a ``description`` that must be unique, both have
an ``owner_id`` that cannot change in place, and both show their token once, on
create.  A rotation creates the new one, then deletes the old one, so that a
failure half-way never leaves the user without a working token.

A create whose answer is lost (a dropped connection, a time-out, a 500 after the
object was made) would leave an object whose token nobody has: the run knows the
one it made (listed with this description, not there before), deletes that orphan,
creates once more, and names it in ``deleted_orphans``.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import (
    TunnelApiError, TunnelConfigError, TunnelError)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import fields
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.resource import NgrokResource
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.machine import CREATE_FIRST, ensure


def argument_spec(acl=True):
    spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        id=dict(type="str"),
        description=dict(type="str"),
        metadata=dict(type="raw"),
        owner_id=dict(type="str"),
        rotate=dict(type="bool", default=False),
    )
    if acl:
        spec["acl"] = dict(type="list", elements="str")
    return spec


class TokenResource(NgrokResource):
    """An object whose token the API shows once, on create: found by id or by a unique description."""

    collection = "credentials"
    label = "authtoken"
    result_key = "credential"

    def prepare(self):
        super().prepare()
        if not self.params.get("id") and not self.params.get("description"):
            raise TunnelConfigError("description", "give the %s's id, or a non-empty description that identifies it"
                                    % self.label)
        self.known_ids = None
        self.token = None
        # objects this run made whose create answer (and token) was lost, deleted again
        self.orphans = []

    def find(self):
        if self.params.get("id"):
            return self.api.get_or_none(self.params["id"])
        items = self.api.list()
        self.known_ids = set(item.get("id") for item in items)
        return fields.find_by_description(items, self.params["description"], self.label)

    def check_present(self, current):
        if current is None and self.params.get("id"):
            raise TunnelConfigError("id", "no %s has the id %r; ngrok chooses ids on create, so leave id out and "
                                    "name the %s by its description to create it"
                                    % (self.label, self.params["id"], self.label))
        if current is not None and fields.owner_differs(current, self.owner_id) and not self.params["rotate"]:
            raise TunnelConfigError("owner_id", "the %s %s is owned by %s and ngrok cannot change an owner in place; "
                                    "set rotate=true to create a new %s owned by %s and delete this one"
                                    % (self.label, current["id"], current.get("owner_id"), self.label,
                                       self.owner_id))

    def replacement(self, current):
        return CREATE_FIRST if self.params["rotate"] else None

    def post(self, body):
        if self.known_ids is None:
            # Found by id: the create must still be recognisable if its answer is lost.
            self.known_ids = set(item.get("id") for item in self.api.list())
        record, recovered = self._create(body)
        if recovered and not (record or {}).get("token"):
            # The answer was lost and the object found again, but its token is shown only once:
            # delete that orphan and create it once more.
            self._delete_orphan(record)
            record, recovered = self._create(body)
            if not (record or {}).get("token"):
                raise TunnelApiError("ngrok", "the %s %s was created but the API's answer, the only one that carries "
                                     "its token, was lost twice; delete it or run again with rotate=true"
                                     % (self.label, record.get("id")), outcome="unknown")
        self.token = record.get("token")
        return record, recovered

    def _create(self, body):
        """``api.create``; when its outcome is unknown (a 500 after the object was made, a time-out), the
        object this run made is looked for: ``(found, True)``, else the unknown outcome is raised as it was."""
        finder = self._finder(body)
        try:
            return self.api.create(body, find_existing=finder)
        except TunnelApiError as exc:
            if exc.outcome != "unknown":
                raise
            try:
                found = finder()
            except TunnelError:
                found = None  # the look-up failed too: the unknown outcome is what the user must hear of
            if found is None:
                raise exc
            return found, True

    def _delete_orphan(self, record):
        self.note("create", record, recovered=True)
        self.delete(record)
        self.known_ids.add(record.get("id"))
        self.orphans.append(record.get("id"))

    def _finder(self, body):
        """``find_existing`` for a create: a record with this description that was not there before."""
        description = body.get("description") or ""

        def find():
            for item in self.api.list():
                if item.get("id") not in self.known_ids and (item.get("description") or "") == description:
                    return item
            return None
        return find

    def finish(self, result, outcome):
        super().finish(result, outcome)
        if self.token and not self.tm.check_mode:
            result["token"] = self.token
        if outcome.replaced is not None:
            result["rotated_from"] = outcome.replaced["id"]
        if self.orphans:
            result["deleted_orphans"] = list(self.orphans)


def run(tm):
    return ensure(TokenResource(tm))
