# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ngrok's API keys, authtokens and SSH credentials share as resources of the state machine.

Their mutable fields (``description``, ``metadata``, and ``acl`` except on API keys)
are checked before any request, compared the way ngrok stores them, and changed
in place with one PATCH (two when ``acl: []`` did not clear the ACL, see
``fields.update_clearing_acl``); ``owner_id`` never changes in place.
"""

from __future__ import annotations

import contextlib

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import fields
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.machine import Resource


class NgrokResource(Resource):
    """A resource in one ngrok collection; subclasses name ``collection`` and ``fields``."""

    collection = None
    fields = ("description", "metadata", "acl")
    provider = "ngrok"

    @property
    def api(self):
        return self.tm.client("ngrok").collection(self.collection)

    def prepare(self):
        if self.params.get("id") is not None:
            # An id goes into a URL path: one of another form never leaves (../api_keys/ak_... say).
            self.api.check_id(self.params["id"], option="id")
        self.desired = fields.desired_fields(self.params, self.fields)
        self.owner_id = fields.check_owner_id(self.params.get("owner_id"))
        self.acl_notes = []

    def exclusive(self):
        """Runs that may create an object with one description in one account go one at a time on this host:
        ngrok keeps descriptions apart by nothing, so two at once would both create one (18.5)."""
        description = self.params.get("description")
        if self.tm.check_mode or self.wants_absent() or description is None:
            return contextlib.nullcontext()
        return self.tm.client("ngrok").lock("%s|%s" % (self.collection, description),
                                            what="the %s described %r" % (self.label, description))

    def changes(self, current):
        return fields.changed_fields(current, self.desired)

    def create_body(self, current=None):
        """The new object: the task's values, then the replaced object's, for each field."""
        body = {}
        for field in self.fields:
            value = self.desired.get(field)
            if value is None and current:
                value = current.get(field)
            if value is not None:
                body[field] = value
        owner = self.owner_id or (current or {}).get("owner_id")
        if owner:
            body["owner_id"] = owner
        return body

    def patch(self, current, changes):
        record, notes = fields.update_clearing_acl(self.api, current["id"], changes)
        self.acl_notes.extend(notes)
        return record

    def remove(self, record):
        return self.api.delete(record["id"])

    def fetch(self, record):
        """Read back by id (every ngrok object can be): a write whose answer could not be believed is verified."""
        ident = (record or {}).get("id")
        return self.api.get_or_none(ident) if ident else super().fetch(record)

    def view(self, record):
        return fields.view(record)

    def describe(self, record):
        return {"id": record.get("id"), "description": record.get("description")}

    def finish(self, result, outcome):
        notes = ([] if self.wants_absent() else fields.acl_notes(self.desired.get("acl"))) + self.acl_notes
        if notes:
            result["acl_notes"] = notes
