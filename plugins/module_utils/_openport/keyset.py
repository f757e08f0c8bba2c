# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SSH keys of an Openport account: identity, validation, names and conflicts.

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
    record_fingerprint, record_identity)

DIFF_FIELDS = ("id", "name", "public_key")
# Openport documents no limit; this is the collection's, so that a mistaken value (a file's contents)
# is refused before it is sent. Django's usual CharField length.
NAME_MAX_LENGTH = 255


def check_name(option, value):
    """A key name as Openport stores it: surrounding spaces removed (Django REST Framework trims them)."""
    if not isinstance(value, str) or not value.strip():
        raise TunnelConfigError(option, "must be a non-empty key name")
    name = value.strip()
    if len(name) > NAME_MAX_LENGTH:
        raise TunnelConfigError(option, "is %d characters long; the collection allows at most %d for an Openport "
                                "key name" % (len(name), NAME_MAX_LENGTH))
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        raise TunnelConfigError(option, "%r holds a control character (a line break or tab, say); give the name on "
                                "one line of printable characters" % name)
    return name


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
    return lambda: AccountKeys(client.keys.list()).find(pk)


def registered_meanwhile(client, exc, pk):
    """The account's key ``pk`` when Openport refused to create it because the account holds it now.

    Another run (two plays, two AWX jobs) may register the key between this run's listing
    and its POST; the refusal alone cannot tell that from a key of another account, so
    the account is listed again.  None when the refusal is another one or the key is not there.
    """
    if "public_key" not in refused_fields(exc):
        return None
    return AccountKeys(client.keys.list()).find(pk)


def explain_refusal(exc, pk, name, prefix=""):
    """Turn Openport's 400 on a key or a name into an error naming the option; other errors as they are."""
    if not isinstance(exc, TunnelApiError) or exc.status != 400:
        return exc
    fields = refused_fields(exc)
    if "public_key" in fields:
        return TunnelConfigError(prefix + "public_key", (
            "Openport refused the key %s: %s. A public key belongs to one Openport account only and this "
            "account does not hold it (listed again after the refusal), so another account probably does: remove it "
            "there or use another key."
            % (pk.fingerprint, fields["public_key"].rstrip("."))))
    if "name" in fields:
        return TunnelConfigError(prefix + "name", (
            "Openport refused the name %r: %s. Another key probably took the name after the keys were listed; "
            "run again, or choose another name." % (name, fields["name"].rstrip("."))))
    return exc


def name_conflict(option, name, holders, remedy):
    return TunnelConfigError(option, "%r is already the name of %s; %s" % (
        name, " and ".join(describe(h) for h in holders), remedy))
