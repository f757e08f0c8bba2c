# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ngrok SSH credentials, one at a time or many at once.

A credential is identified by its public key (type and blob; comment and
options ignored).  ``description``, ``metadata`` and ``acl`` change in place;
``public_key`` and ``owner_id`` never do, so a credential whose key or owner
must change is replaced, and only when the task says ``replace: true``.
The account is listed once per run and only the writes needed are sent.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import fields as res
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.convergence import (
    ApplyError, ConvergenceError, apply_actions, plan_convergence)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.sshkey import (
    key_line, parse_key_option, record_fingerprint, record_identity)

COLLECTION = "ssh_credentials"
FIELDS = res.RESOURCES[COLLECTION][2]


def finder(client, pk):
    """``find_existing`` for a create whose answer was lost: list again and look the key up."""
    def find():
        for record in client.list(COLLECTION):
            if record_identity(record) == pk.identity:
                return record
        return None
    return find


def create_body(pk, desired, owner_id=None, current=None):
    body = {"public_key": key_line(pk)}
    for field in FIELDS:
        value = desired.get(field)
        if value is None and current:
            value = current.get(field)
        if value is not None:
            body[field] = value
    owner = owner_id or (current or {}).get("owner_id")
    if owner:
        body["owner_id"] = owner
    return body


def view(record):
    shown = res.view(record)
    if shown:
        shown["fingerprint"] = record_fingerprint(record)
    return shown


# -- one credential (ngrok_ssh_credential) ----------------------------------------


def ensure_one(tm):
    params = tm.params
    pk = parse_key_option("public_key", params["public_key"]) if params.get("public_key") else None
    desired = res.desired_fields(params, FIELDS)
    owner_id = res.check_owner_id(params.get("owner_id"))
    item_id = params.get("id")
    client = tm.client("ngrok")
    if item_id:
        current = client.get_or_none(COLLECTION, item_id)
    else:
        current = next((r for r in client.list(COLLECTION) if record_identity(r) == pk.identity), None)

    if params["state"] == "absent":
        if current:
            res.delete(tm, client, COLLECTION, current)
        return _result(tm, bool(current), current, None)
    if current is None and item_id:
        raise TunnelConfigError("id", "no SSH credential has the id %r; ngrok chooses ids on create, so leave id "
                                "out to create one for public_key" % item_id)
    if current is None:
        after = res.create(tm, client, COLLECTION, create_body(pk, desired, owner_id), finder(client, pk))
        return _result(tm, True, None, after)

    new_key = pk is not None and record_identity(current) != pk.identity
    new_owner = res.owner_differs(current, owner_id)
    if (new_key or new_owner) and not params["replace"]:
        what = "public_key" if new_key else "owner_id"
        raise TunnelConfigError(what, "differs from SSH credential %s (which has %s), and ngrok cannot change %s in place; "
                                "set replace=true to delete it and create a new credential" % (
                                    current["id"], _describe_current(current, new_key), what))
    if new_key or new_owner:
        body = create_body(pk or parse_key_option("public_key", current.get("public_key")), desired, owner_id,
                           current)
        if new_key:
            # A new key can be added first, so the account is never without one.
            after = res.create(tm, client, COLLECTION, body, finder(client, pk))
            res.delete(tm, client, COLLECTION, current)
        else:
            # The same key cannot be registered twice (ERR_NGROK_609): delete, then create.
            res.delete(tm, client, COLLECTION, current)
            after = res.create(tm, client, COLLECTION, body, finder(client, parse_key_option(
                "public_key", body["public_key"])))
        result = _result(tm, True, current, after)
        result["replaced_id"] = current["id"]
        return result
    changes = res.changed_fields(current, desired)
    after = res.update(tm, client, COLLECTION, current, changes) if changes else current
    return _result(tm, bool(changes), current, after)


def _describe_current(record, key):
    if key:
        return "key %s" % (record_fingerprint(record) or record_identity(record))
    return "owner %s" % record.get("owner_id")


def _result(tm, changed, before, after):
    result = {"changed": changed, "ssh_credential": view(after)}
    if tm.module._diff:
        result["diff"] = {"before": view(before), "after": view(after)}
    return result


# -- many credentials (ngrok_ssh_credentials) ---------------------------------------


def desired_list(items):
    """Validate the ``credentials`` option before any request; every problem is reported at once."""
    desired, problems = [], []
    for index, item in enumerate(items):
        option = "credentials[%d]" % index
        try:
            pk = parse_key_option(option + ".public_key", item.get("public_key"))
            fields = {}
            for field, check in (("description", res.check_description), ("metadata", res.canonical_metadata),
                                 ("acl", res.check_acl)):
                fields[field] = check(item.get(field), option="%s.%s" % (option, field))
            desired.append({"pk": pk, "fields": fields, "state": item.get("state") or "present", "option": option})
        except TunnelConfigError as exc:
            problems.append(str(exc))
    if problems:
        raise TunnelConfigError("credentials", "; ".join(problems))
    return desired


def converge_many(tm):
    params = tm.params
    desired = desired_list(params["credentials"])
    if params["exclusive"] and not any(d["state"] == "present" for d in desired) \
            and not params["allow_empty_exclusive"]:
        raise TunnelConfigError("credentials", "lists no credential to keep while exclusive=true, which would delete "
                                "every SSH credential of the account; set allow_empty_exclusive=true if that is "
                                "really wanted")

    def plan_for(records):
        try:
            return plan_convergence(
                desired, records, identity=lambda d: d["pk"].identity, existing_identity=record_identity,
                changes=lambda d, r: res.changed_fields(r, d["fields"]),
                wants_absent=lambda d: d["state"] == "absent", exclusive=params["exclusive"],
                label=lambda index: "credentials[%d]" % index)
        except ConvergenceError as exc:
            raise TunnelConfigError("credentials", "; ".join(exc.problems))

    plan_for([])  # a list that contradicts itself fails before any request
    client = tm.client("ngrok")
    records = client.list(COLLECTION)
    plan = plan_for(records)
    out = {"created": [], "updated": [], "removed": [],
           "unchanged": [view(a.existing) for a in plan.unchanged if a.existing]}
    if tm.check_mode:
        out["removed"] = [view(a.existing) for a in plan.delete]
        out["updated"] = [view(res.projected(a.existing, a.changes)) for a in plan.update]
        out["created"] = [view(create_body(a.desired["pk"], a.desired["fields"])) for a in plan.create]
    else:
        workers = getattr(client, "workers", 1)
        _apply(tm, plan.delete, lambda a: _delete(client, a), workers, out["removed"])
        _apply(tm, plan.update, lambda a: client.update(COLLECTION, a.existing["id"], a.changes), workers,
               out["updated"])
        _apply(tm, plan.create, lambda a: client.create(
            COLLECTION, create_body(a.desired["pk"], a.desired["fields"]), find_existing=finder(
                client, a.desired["pk"]))[0], workers, out["created"])
    result = dict(out, changed=plan.changed, counts=dict((kind, len(out[kind])) for kind in out))
    if tm.module._diff:
        result["diff"] = {"before": _listing(records), "after": _listing(records, plan)}
    return result


def _delete(client, action):
    client.delete(COLLECTION, action.existing["id"])
    return action.existing


_VERBS = {"delete": "delete SSH credential", "update": "update SSH credential", "create": "create SSH credential"}


def _apply(tm, actions, fn, workers, into):
    try:
        done = apply_actions(actions, fn, workers=workers)
    except ApplyError as exc:
        for action, record in exc.done:
            _note(tm, action, record)
        err = exc.error
        if isinstance(err, TunnelApiError) and exc.action.desired is not None:
            # Say which item of the list the API refused.
            raise TunnelApiError(err.provider, "%s: %s" % (exc.action.desired["option"], err.message),
                                 status=err.status, code=err.code, method=err.method, url=err.url,
                                 details=err.details, outcome=err.outcome, attempts=err.attempts)
        raise err
    for action, record in done:
        _note(tm, action, record)
        into.append(view(record or action.existing))


def _note(tm, action, record):
    record = record or action.existing or {}
    tm.record(_VERBS[action.kind], id=record.get("id"), description=record.get("description"),
              public_key_fingerprint=record_fingerprint(record))


def _listing(records, plan=None):
    """One line per credential, 'fingerprint description', for a readable diff of the account."""
    lines = dict((r.get("id"), "%s %s" % (record_fingerprint(r) or record_identity(r), r.get("description") or ""))
                 for r in records)
    if plan is not None:
        for action in plan.delete:
            lines.pop(action.existing.get("id"), None)
        for action in plan.update:
            after = res.projected(action.existing, action.changes)
            lines[after.get("id")] = "%s %s" % (record_fingerprint(after), after.get("description") or "")
        for index, action in enumerate(plan.create):
            lines["new-%d" % index] = "%s %s" % (action.desired["pk"].fingerprint,
                                                 action.desired["fields"].get("description") or "")
    return "\n".join(sorted(lines.values())) + "\n"
