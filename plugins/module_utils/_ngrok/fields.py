# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fields of ngrok's API keys, authtokens and SSH credentials: checks, comparison, look-ups, view.

ngrok's API keys, authtokens (``/credentials``) and SSH credentials have the same
mutable fields (``description``, ``metadata``, and ``acl`` except on API keys),
the same limits, and fields that can never change in place (``owner_id``, and
the SSH ``public_key``).  Every check here runs before the first request.
"""

from __future__ import annotations

import json
import re

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import redact

DESCRIPTION_MAX_BYTES = 255
METADATA_MAX_BYTES = 4096

# ids of users and bots; an owner given as an e-mail address cannot be compared with the record
_OWNER_ID = re.compile(r"^[a-z]+_[A-Za-z0-9]+$")
_ACL_BIND = re.compile(r"^bind:\S+$")


# -- checks of the desired values -------------------------------------------


def check_description(value, option="description"):
    if value is None:
        return None
    if not isinstance(value, str):
        raise TunnelConfigError(option, "must be a string, got %s" % type(value).__name__)
    size = len(value.encode("utf-8"))
    if size > DESCRIPTION_MAX_BYTES:
        raise TunnelConfigError(option, "is %d bytes long; ngrok allows at most %d bytes (UTF-8)"
                                % (size, DESCRIPTION_MAX_BYTES))
    return value


def canonical_metadata(value, option="metadata"):
    """Metadata as ngrok stores it: a string; a dict or list becomes canonical JSON (sorted keys)."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    elif isinstance(value, str):
        text = value
    else:
        raise TunnelConfigError(option, "must be a string or a dictionary (sent as JSON), got %s"
                                % type(value).__name__)
    size = len(text.encode("utf-8"))
    if size > METADATA_MAX_BYTES:
        raise TunnelConfigError(option, "is %d bytes long%s; ngrok allows at most %d bytes"
                                % (size, " as JSON" if text is not value else "", METADATA_MAX_BYTES))
    return text


def check_acl(rules, option="acl"):
    """ACL rules: each '*' or 'bind:<pattern>' (what ngrok accepts, ERR_NGROK_600); every bad rule is named."""
    if rules is None:
        return None
    bad = []
    for index, rule in enumerate(rules):
        if not isinstance(rule, str):
            bad.append("rule %d must be a string, got %s" % (index + 1, type(rule).__name__))
        elif rule != "*" and not _ACL_BIND.match(rule):
            bad.append("rule %d (%r) is not an ACL rule" % (index + 1, rule[:80]))
    if bad:
        raise TunnelConfigError(option, "%s: use '*' or 'bind:<host or address>', for example 'bind:*.example.com' "
                                "or 'bind:1.tcp.ngrok.io:20002'" % "; ".join(bad))
    return list(rules)


def check_owner_id(value, option="owner_id"):
    if value is not None and not value.strip():
        raise TunnelConfigError(option, "must not be empty; leave it out to own the object by the API key's owner")
    return value


def desired_fields(params, fields):
    """The checked values of the mutable fields the task sets (None: leave as it is)."""
    desired = {}
    if "description" in fields:
        desired["description"] = check_description(params.get("description"))
    if "metadata" in fields:
        desired["metadata"] = canonical_metadata(params.get("metadata"))
    if "acl" in fields:
        desired["acl"] = check_acl(params.get("acl"))
    return desired


# -- comparison ----------------------------------------------------------------


def same_metadata(have, want):
    have = have or ""
    if have == want:
        return True
    # JSON written elsewhere with another key order or spacing holds the same data.
    try:
        parsed_have, parsed_want = json.loads(have), json.loads(want)
    except ValueError:
        return False
    return isinstance(parsed_want, (dict, list)) and parsed_have == parsed_want


def same_value(field, have, want):
    if field == "metadata":
        return same_metadata(have, want)
    if field == "acl":
        return acl_key(have) == acl_key(want)
    return (have or "") == (want or "")


def acl_key(rules):
    """An ACL as compared: the order of rules carries no meaning, and '*' alone means no restriction, like []."""
    rules = sorted(set(rules or []))
    return [] if rules == ["*"] else rules


def changed_fields(current, desired):
    """The desired (not None) fields whose value differs from the record's."""
    return dict((field, want) for field, want in desired.items()
                if want is not None and not same_value(field, (current or {}).get(field), want))


def owner_differs(current, owner_id):
    """True when the task names an owner id (not an e-mail) other than the record's."""
    if not owner_id or not current or not _OWNER_ID.match(owner_id):
        return False
    return current.get("owner_id") not in (None, owner_id)


def view(record):
    """A record as modules return and show it: secrets removed, empty fields filled in."""
    if not record:
        return {}
    shown = redact(record)
    shown.setdefault("description", "")
    shown.setdefault("metadata", "")
    return shown


# -- look-ups ------------------------------------------------------------------


def find_by_description(items, description, label, option="description"):
    """The one record with this description, None when there is none; ambiguity is an error."""
    found = [item for item in items if (item.get("description") or "") == description]
    if len(found) > 1:
        ids = ", ".join(item.get("id", "?") for item in found)
        raise TunnelConfigError(option, "%d %ss have the description %r (ids %s); give id to choose one, or make "
                                "the descriptions unique" % (len(found), label, description, ids))
    return found[0] if found else None


# -- the ACL: what ngrok does with '*' and [] ------------------------------------------

STAR_NOTE = ("acl ['*'] means no restriction, the same as []; ngrok may show either, and the two are compared as "
             "equal")
WILDCARD_NOTE = ("the ACL kept its rules when acl [] was sent, so ['*'] (which ngrok documents as equal to no ACL) "
                 "was sent to clear it")


def acl_notes(rules):
    """What the result says about an ACL the task gives as ['*'] (issue 16.23)."""
    return [STAR_NOTE] if rules and set(rules) == {"*"} else []


def update_clearing_acl(api, item_id, changes):
    """PATCH ``changes``; ``(record, notes)``.

    Whether ``acl: []`` clears an ACL is unconfirmed (Go's SDK cannot even send it): when the
    answer (or, where it does not show the ACL, the record read back) still has rules, the ACL is
    cleared with ``['*']``, which ngrok documents as equal to no ACL, and a note says so.
    """
    record = api.update(item_id, changes)
    if changes.get("acl") != []:
        return record, []
    after = record if isinstance(record, dict) and "acl" in record else api.get_or_none(item_id)
    if not acl_key((after or {}).get("acl")):
        return record, []
    return api.update(item_id, {"acl": ["*"]}), [WILDCARD_NOTE]
