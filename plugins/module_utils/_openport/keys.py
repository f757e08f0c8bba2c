# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The openport_keys module: many Openport keys at once.

The account is listed once, then only the writes needed are sent, in three phases:
deletes (which free names), renames (in waves, so that a key giving up a name is
renamed before the key that takes it), then creates.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.sshkey import (
    key_line, parse_key_option, record_fingerprint, record_identity)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import (
    TunnelApiError, TunnelConfigError, TunnelError)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.keyset import (
    AccountKeys, check_name, describe, explain_refusal, finder, registered_meanwhile)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.convergence import ListResource, converge
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.plan import CREATE, DELETE, Action


class OpenportKeyList(ListResource):
    provider = "openport"
    option = "keys"
    item_word = "key"
    everything = "remove every key of the account"
    verbs = {"delete": "deleted key", "update": "renamed key", "create": "created key"}
    unique = {"name": lambda d: d["name"]}

    def __init__(self, tm):
        super().__init__(tm)
        self.meanwhile = {}  # key id -> what was done to a key another run registered meanwhile

    @property
    def client(self):
        return self.tm.client("openport")

    def parse(self, option, item):
        """The entry's key and name; every problem of the entry at once (TunnelConfigError)."""
        problems, entry = [], {"name": item.get("name")}
        wants_name = item.get("state", "present") == "present" or entry["name"] is not None
        checks = [("pk", lambda: parse_key_option(option + ".public_key", item.get("public_key")))]
        if wants_name:
            checks.append(("name", lambda: check_name(option + ".name", entry["name"])))
        for field, check in checks:
            try:
                entry[field] = check()
            except TunnelConfigError as exc:
                problems.append(exc)
        if problems:
            raise TunnelConfigError.combine(problems)
        return entry

    def identity(self, desired):
        return desired["pk"].identity

    def existing_identity(self, record):
        return record_identity(record)

    def settings(self, desired):
        # Entries of one key agree when they want the same name and state (the comment and position do not matter).
        return {"name": desired["name"], "state": desired["state"]}

    def changes(self, desired, record):
        return {"name": desired["name"]} if desired["name"] != record.get("name") else {}

    def list(self):
        return self.client.keys.list()

    def adjust(self, plan, records):
        replaced = resolve_name_conflicts(plan, records, self.params["replace_conflicting_name"])
        self._waves = rename_waves(plan.update)
        return replaced

    def waves(self, updates):
        return self._waves

    def create_body(self, desired):
        return {"name": desired["name"], "public_key": key_line(desired["pk"])}

    def create(self, action):
        pk, name = action.desired["pk"], action.desired["name"]
        try:
            return self.client.keys.create(self.create_body(action.desired), find_existing=finder(self.client, pk))[0]
        except TunnelApiError as exc:
            found = registered_meanwhile(self.client, exc, pk)
            if found is None:
                raise
        self.meanwhile[found.get("id")] = None  # nothing written: nothing to note
        if found.get("name") == name:
            return found
        self.meanwhile[found.get("id")] = "renamed key registered meanwhile by another run"
        return self.client.keys.update(found["id"], {"name": name}) or dict(found, name=name)

    def note(self, action, record, **extra):
        key_id = (record or {}).get("id")
        if action.kind != CREATE or key_id not in self.meanwhile:
            return super().note(action, record, **extra)
        if self.meanwhile[key_id]:
            self.tm.record(self.meanwhile[key_id], **self.describe(record))
        return None

    def update(self, action):
        return self.client.keys.update(action.existing["id"], action.changes)

    def delete(self, action):
        return action.existing if self.client.keys.delete(action.existing["id"]) else False

    def line(self, record):
        return "%s %s" % (record_fingerprint(record) or record_identity(record), record.get("name"))

    def describe(self, record):
        return {"id": record.get("id"), "name": record.get("name"),
                "public_key_fingerprint": record_fingerprint(record)}

    def explain(self, action, error):
        """Name the entry of the list whose write Openport refused."""
        want = action.desired
        if want is None or not isinstance(error, TunnelError):
            return error
        return explain_refusal(error, want["pk"], want["name"], prefix=want["option"] + ".")

    def finish(self, result, plan, adjusted):
        result["replaced_keys"] = adjusted


def resolve_name_conflicts(plan, records, replace_conflicting_name):
    """Refuse, or with ``replace_conflicting_name`` delete, the keys that hold a name the plan gives away."""
    final = dict((record.get("id"), record.get("name")) for record in records)  # key id -> name after the plan
    for action in plan.delete:
        final[action.existing.get("id")] = None
    for action in plan.update:
        final[action.existing.get("id")] = action.changes["name"]
    account = AccountKeys(records)
    conflicts, replaced = [], []
    for action in plan.update + plan.create:
        mine = action.existing.get("id") if action.existing else None
        holders = [r for r in account.named(action.desired["name"])
                   if r.get("id") != mine and final.get(r.get("id")) == action.desired["name"]]
        if holders and replace_conflicting_name:
            for holder in holders:
                final[holder.get("id")] = None
                replaced.append(holder)
                plan.delete.append(Action(DELETE, existing=holder))
        elif holders:
            conflicts.append("%s.name %r is already the name of %s" % (
                action.desired["option"], action.desired["name"], " and ".join(describe(h) for h in holders)))
    if conflicts:
        raise TunnelConfigError("keys", "%s. Key names are unique in an Openport account: choose other names, "
                                "set exclusive=true to remove keys that are not listed, or set "
                                "replace_conflicting_name=true to delete the holders." % "; ".join(conflicts))
    return replaced


def rename_waves(updates):
    """Split renames so that a key giving up a name goes in a wave before the key that takes it."""
    giving_up = dict((a.existing.get("name"), a) for a in updates)
    waves, done, pending = [], set(), list(updates)
    while pending:
        wave = [a for a in pending if giving_up.get(a.changes["name"]) in (None, a)
                or id(giving_up[a.changes["name"]]) in done]
        if not wave:
            raise TunnelConfigError("keys", "the renames of %s go round in a circle (%s); Openport keeps names "
                                    "unique, so rename one of them to a free name in a separate run" % (
                                        ", ".join(a.desired["option"] for a in pending),
                                        ", ".join("%r -> %r" % (a.existing.get("name"), a.changes["name"])
                                                  for a in pending)))
        waves.append(wave)
        done.update(id(a) for a in wave)
        pending = [a for a in pending if id(a) not in done]
    return waves


def run(tm):
    return converge(OpenportKeyList(tm))
