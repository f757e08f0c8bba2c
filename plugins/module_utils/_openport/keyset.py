# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SSH keys of an Openport account: identity, validation, conflicts, and one key's convergence.

A key is identified by its public key (type and base64 blob; the comment and
any authorized_keys options are ignored).  Its ``name`` is a label that is
changed in place.  The account is listed once per run; every decision is taken
on that listing, and writes are only sent when something differs.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import (
    TunnelApiError, TunnelConfigError)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.client import refused_fields
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.sshkey import (
    key_line, parse_key_option, record_fingerprint, record_identity)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.timestamps import (
    check_window, parse_iso, parse_time_option)

DIFF_FIELDS = ("id", "name", "public_key")


def check_name(option, value):
    """A key name as Openport stores it: surrounding spaces removed (Django REST Framework trims them)."""
    if not isinstance(value, str) or not value.strip():
        raise TunnelConfigError(option, "must be a non-empty key name")
    return value.strip()


def describe(record):
    """``key id 12 'web-1' (SHA256:...)``: how a key is named in messages."""
    fingerprint = record_fingerprint(record)
    suffix = " (%s)" % fingerprint if fingerprint else ""
    return "key id %s %r%s" % (record.get("id"), record.get("name"), suffix)


def diff_view(record):
    return dict((field, record.get(field)) for field in DIFF_FIELDS if record and field in record)


class AccountKeys:
    """The account's keys, indexed by identity and by name."""

    def __init__(self, records):
        self.records = list(records)
        self.by_identity = {}
        self.by_name = {}
        for record in self.records:
            self.by_identity.setdefault(record_identity(record), record)
            self.by_name.setdefault(record.get("name"), []).append(record)

    def find(self, pk):
        return self.by_identity.get(pk.identity)

    def named(self, name, other_than=None):
        skip = other_than.get("id") if other_than else object()
        return [r for r in self.by_name.get(name, []) if r.get("id") != skip]


def finder(client, pk):
    """``find_existing`` for a POST whose answer was lost: list again and look the key up."""
    return lambda: AccountKeys(client.list_keys()).find(pk)


def explain_refusal(exc, pk, name, prefix=""):
    """Turn Openport's 400 on a key or a name into an error naming the option; other errors as they are."""
    if not isinstance(exc, TunnelApiError) or exc.status != 400:
        return exc
    fields = refused_fields(exc)
    if "public_key" in fields:
        return TunnelConfigError(prefix + "public_key", (
            "Openport refused the key %s: %s. A public key belongs to one Openport account only and this "
            "account does not hold it, so another account probably does: remove it there or use another key."
            % (pk.fingerprint, fields["public_key"].rstrip("."))))
    if "name" in fields:
        return TunnelConfigError(prefix + "name", (
            "Openport refused the name %r: %s. Another key probably took the name after the keys were listed; "
            "run again, or choose another name." % (name, fields["name"].rstrip("."))))
    return exc


def name_conflict(option, name, holders, remedy):
    return TunnelConfigError(option, "%r is already the name of %s; %s" % (
        name, " and ".join(describe(h) for h in holders), remedy))


def converge_key(tm, client, params):
    """The openport_key module: one key present (with its name) or absent."""
    state = params["state"]
    pk = parse_key_option("public_key", params["public_key"]) if params.get("public_key") else None
    name = check_name("name", params["name"]) if params.get("name") is not None else None
    keys = AccountKeys(client.list_keys())
    if state == "absent":
        return _absent(tm, client, keys, pk, name)

    current = keys.find(pk)
    holders = keys.named(name, other_than=current)
    if current is not None and current.get("name") == name:
        return _result(False, current, current, current)
    if holders and not params["replace_conflicting_name"]:
        raise name_conflict("name", name, holders, (
            "key names are unique in an Openport account. Choose another name, remove that key, or set "
            "replace_conflicting_name=true to delete it and give its name to this key."))
    replaced = []
    for holder in holders:
        if not tm.check_mode:
            client.delete_key(holder["id"])
            tm.record("deleted key holding the name", id=holder["id"], name=holder.get("name"),
                      public_key_fingerprint=record_fingerprint(holder), public_key=holder.get("public_key"))
        replaced.append(holder)
    try:
        if current is not None:
            after = dict(current, name=name)
            if not tm.check_mode:
                after = client.update_key(current["id"], name)
                tm.record("renamed key", id=current["id"], name=name)
        else:
            after = {"name": name, "public_key": key_line(pk)}
            if not tm.check_mode:
                after = client.create_key(key_line(pk), name, find_existing=finder(client, pk))
                tm.record("created key", id=after.get("id"), name=name, public_key_fingerprint=pk.fingerprint)
    except TunnelApiError as exc:
        raise explain_refusal(exc, pk, name)
    return _result(True, current, after, after, replaced)


def _absent(tm, client, keys, pk, name):
    if pk is not None:
        targets = [keys.find(pk)] if keys.find(pk) is not None else []
    else:
        targets = keys.named(name)
        if len(targets) > 1:
            raise TunnelConfigError("name", (
                "%r is ambiguous: %d keys have this name (%s); give public_key to say which one to remove"
                % (name, len(targets), ", ".join(describe(t) for t in targets))))
    if not targets:
        return _result(False, None, None, {})
    target = targets[0]
    if not tm.check_mode:
        client.delete_key(target["id"])
        tm.record("deleted key", id=target["id"], name=target.get("name"),
                  public_key_fingerprint=record_fingerprint(target))
    return _result(True, target, None, target)


def _result(changed, before, after, key, replaced=()):
    result = {"changed": changed, "key": key or {}, "replaced_keys": list(replaced)}
    diffs = [{"before": diff_view(r), "after": {}, "before_header": "replaced: " + describe(r),
              "after_header": "replaced: (deleted)"} for r in replaced]
    diffs.append({"before": diff_view(before), "after": diff_view(after)})
    result["diff"] = diffs[0] if len(diffs) == 1 else diffs
    return result


def key_info(client, params):
    """The openport_key_info module: every key, filtered on the listing (the API filters nothing)."""
    pk = parse_key_option("public_key", params["public_key"]) if params.get("public_key") else None
    before = parse_time_option("last_connection_before", params.get("last_connection_before"))
    after = parse_time_option("last_connection_after", params.get("last_connection_after"))
    check_window(after, before, "last_connection_after", "last_connection_before")
    names = set(params.get("name") or ())
    keys = []
    for record in client.list_keys():
        if names and record.get("name") not in names:
            continue
        if pk is not None and record_identity(record) != pk.identity:
            continue
        if before is not None or after is not None:
            when = parse_iso(record.get("last_connection_time"))
            if when is None or (before is not None and when >= before) or (after is not None and when < after):
                continue
        keys.append(record)
    return {"changed": False, "ssh_keys": keys}
