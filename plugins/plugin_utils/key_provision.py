# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The key_provision role's key list: split per provider and checked whole, before any request.

The role converges one list through two bulk modules, Openport's first.  If the list were
checked by each module on its own, a problem in the ngrok part of an entry would be found
after Openport had been written to, and named by the module's own list (``credentials[0]``).
So the list is checked here first, on the controller, with the modules' own checks (each
provider's ``ListResource.parse`` and ``rules``, so the role can never accept what a module
refuses), and every problem is named by the user's entry and field
(``key_provision_keys[1].ngrok_acl``).  The result also says which user entry each module
item came from, so that an error a module raises later can be named the same way.
"""

from __future__ import annotations

import re

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.ssh_credentials import SshCredentialList
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.keys import OpenportKeyList
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.plan import ConvergenceError, check_desired

OPTION = "key_provision_keys"
PROVIDERS = ("openport", "ngrok")
RESOURCES = {"openport": OpenportKeyList, "ngrok": SshCredentialList}
# The ngrok item's fields and the entry's fields they come from (``description`` from ``name`` unless set).
NGROK_FIELDS = {"description": "ngrok_description", "metadata": "ngrok_metadata", "acl": "ngrok_acl"}
_ENTRY = re.compile(r"%s\[(\d+)\]" % re.escape(OPTION))
_ITEM_FIELD = re.compile(r"(%s\[\d+\])\.(description|metadata|acl)\b" % re.escape(OPTION))


class _Task:
    """What a ListResource reads of its module: the options (nothing here talks to an API)."""

    def __init__(self, params):
        self.params = params


def openport_item(entry):
    return {"public_key": entry.get("public_key"), "name": entry.get("name"), "state": _state(entry)}


def ngrok_item(entry):
    item = {"public_key": entry.get("public_key"), "state": _state(entry)}
    if item["state"] == "present":
        item["description"] = entry.get("ngrok_description") or entry.get("name")
        for field in ("metadata", "acl"):
            if entry.get(NGROK_FIELDS[field]) is not None:
                item[field] = entry[NGROK_FIELDS[field]]
    return item


ITEMS = {"openport": openport_item, "ngrok": ngrok_item}


def _state(entry):
    return entry.get("state") or "present"


def plain(value):
    """The value with Ansible's tagged types (2.19+) made plain, so that messages name ``int``, not a tag class."""
    if isinstance(value, dict):
        return dict((plain(k), plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    return value


def split(keys):
    """provider -> [(index of the user's entry, module item)], in the list's order."""
    out = dict((provider, []) for provider in PROVIDERS)
    for index, entry in enumerate(keys or []):
        for provider in entry.get("providers") or PROVIDERS:
            if provider in out:
                out[provider].append((index, ITEMS[provider](entry)))
    return out


def _user_fields(text, entry):
    """``key_provision_keys[1].acl`` -> ``key_provision_keys[1].ngrok_acl``: the field the user wrote."""
    def field(match):
        if match.group(2) == "description" and not entry.get("ngrok_description"):
            return match.group(1) + ".name"
        return "%s.%s" % (match.group(1), NGROK_FIELDS[match.group(2)])
    return _ITEM_FIELD.sub(field, text)


def check_provider(provider, pairs, keys):
    """The problems of one provider's part of the list, each naming the user's entry."""
    resource = RESOURCES[provider]
    res = resource(_Task({resource.option: [item for dummy, item in pairs]}))
    desired, labels, problems = [], [], []
    for index, item in pairs:
        label = "%s[%d]" % (OPTION, index)
        try:
            entry = res.parse(label, item)
        except TunnelConfigError as exc:
            problems.append(_user_fields(str(exc), keys[index]))
            continue
        entry.setdefault("state", item["state"])
        entry["option"] = label
        desired.append(entry)
        labels.append(label)
    rules = dict(res.rules(), label=lambda position: labels[position])
    try:
        check_desired(desired, **rules)
    except ConvergenceError as exc:
        problems.extend(exc.problems)
    return problems


def _entry_index(problem):
    found = _ENTRY.search(problem)
    return int(found.group(1)) if found else float("inf")


def emptied(parts, providers, exclusive):
    """The providers an exclusive run would empty: no entry goes there with state present."""
    return [p for p in PROVIDERS if p in providers and exclusive.get(p)
            and not any(item["state"] == "present" for dummy, item in parts[p])]


def key_lists(keys, providers=PROVIDERS, openport_exclusive=False, ngrok_exclusive=False,
              allow_empty_exclusive=False):
    """The role's plan of the list: each provider's module items, where they came from, and every problem."""
    keys = plain(list(keys or []))
    parts = split(keys)
    problems = []
    for provider in PROVIDERS:
        for problem in check_provider(provider, parts[provider], keys):
            if problem not in problems:  # a bad public key is found by both providers' checks
                problems.append(problem)
    if not allow_empty_exclusive:
        exclusive = {"openport": openport_exclusive, "ngrok": ngrok_exclusive}
        problems.extend("key_provision_%s_exclusive is true but no key of %s goes to %s with state present, so every "
                        "key there would be removed; give the keys to keep, or set "
                        "key_provision_allow_empty_exclusive to true if removing them all is intended"
                        % (p, OPTION, p) for p in emptied(parts, providers, exclusive))
    problems.sort(key=_entry_index)  # stable: one entry's problems stay in the order they were found
    result = dict((p, [item for dummy, item in parts[p]]) for p in PROVIDERS)
    result["entries"] = dict((p, [index for index, dummy in parts[p]]) for p in PROVIDERS)
    result["problems"] = problems
    return result
