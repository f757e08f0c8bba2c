# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ngrok objects that carry a token shown once, on create: agent authtokens and API keys.

Both are found by ``id`` or by a ``description`` that must be unique, both have
an ``owner_id`` that cannot change in place, and both are rotated the same way:
create the new one, then delete the old one, so that a failure half-way never
leaves the user without a working token.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import fields as res


def argument_spec(collection):
    spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        id=dict(type="str"),
        description=dict(type="str"),
        metadata=dict(type="raw"),
        owner_id=dict(type="str"),
        rotate=dict(type="bool", default=False),
    )
    if "acl" in res.RESOURCES[collection][2]:
        spec["acl"] = dict(type="list", elements="str")
    return spec


def ensure(tm, collection):
    """Bring one authtoken or API key to the state the task asks for; return the module result."""
    params = tm.params
    label, key, fields = res.RESOURCES[collection]
    desired = res.desired_fields(params, fields)
    owner_id = res.check_owner_id(params.get("owner_id"))
    item_id, description = params.get("id"), params.get("description")
    if not item_id and not description:
        raise TunnelConfigError("description", "give the %s's id, or a non-empty description that identifies it"
                                % label)
    client = tm.client("ngrok")
    current, known_ids = res.lookup(client, collection, item_id, description)

    if params["state"] == "absent":
        if current:
            res.delete(tm, client, collection, current)
        return _result(tm, key, bool(current), current, None, None)

    if current is None and item_id:
        raise TunnelConfigError("id", "no %s has the id %r; ngrok chooses ids on create, so leave id out and "
                                "name the %s by its description to create it" % (label, item_id, label))
    rotate = params.get("rotate")
    if current is not None and res.owner_differs(current, owner_id) and not rotate:
        raise TunnelConfigError("owner_id", "the %s %s is owned by %s and ngrok cannot change an owner in place; "
                                "set rotate=true to create a new %s owned by %s and delete this one"
                                % (label, current["id"], current.get("owner_id"), label, owner_id))
    if current is not None and not rotate:
        changes = res.changed_fields(current, desired)
        after = res.update(tm, client, collection, current, changes) if changes else current
        return _result(tm, key, bool(changes), current, after, None)

    body = _create_body(current, desired, owner_id, fields)
    if known_ids is None:
        # Found by id: the create must still be recognisable if its answer is lost.
        known_ids = set(item.get("id") for item in client.list(collection))
    created = _create_with_token(tm, client, collection, body, known_ids)
    if current is not None:
        res.delete(tm, client, collection, current)
    result = _result(tm, key, True, current, created, created.get("token"))
    if current is not None:
        result["rotated_from"] = current["id"]
    return result


def _create_body(current, desired, owner_id, fields):
    """The new object: the task's values, then the replaced object's, for each field."""
    body = {}
    for field in fields:
        value = desired.get(field)
        if value is None and current:
            value = current.get(field)
        if value is not None:
            body[field] = value
    owner = owner_id or (current or {}).get("owner_id")
    if owner:
        body["owner_id"] = owner
    return body


def _create_with_token(tm, client, collection, body, known_ids):
    find = res.finder_by_description(client, collection, body.get("description"), known_ids)
    record = res.create(tm, client, collection, body, find)
    if tm.check_mode or record.get("token"):
        return record
    # The answer to the create was lost and the object found again, but its token
    # is shown only once: delete that object and create it once more.
    res.delete(tm, client, collection, record)
    known_ids = set(known_ids) | set([record.get("id")])
    find = res.finder_by_description(client, collection, body.get("description"), known_ids)
    record = res.create(tm, client, collection, body, find)
    if not record.get("token"):
        raise TunnelApiError("ngrok", "the %s %s was created but the API's answer, the only one that carries its "
                             "token, was lost twice; delete it or run again with rotate=true"
                             % (res.label_of(collection), record.get("id")), outcome="unknown")
    return record


def _result(tm, key, changed, before, after, token):
    result = {"changed": changed, key: res.view(after)}
    if token and not tm.check_mode:
        result["token"] = token
    if tm.module._diff:
        result["diff"] = res.diff_of(before, after)
    return result
