# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Many Openport keys at once: list the account once, then send only the writes needed.

Writes go in three phases: deletes (which free names), renames (in waves, so
that a key giving up a name is renamed before the key that takes it), then
creates.  Inside a phase the writes run in parallel on the client's workers.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.convergence import (
    DELETE, Action, ConvergenceError, apply_noting, check_desired, plan_convergence)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError, TunnelError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.keyset import (
    AccountKeys, check_name, describe, explain_refusal, finder)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.sshkey import (
    key_line, parse_key_option, record_fingerprint, record_identity)


def desired_keys(items):
    """Validate the ``keys`` option before any request; every problem is reported at once."""
    desired, problems = [], []
    for index, item in enumerate(items):
        option = "keys[%d]" % index
        try:
            pk = parse_key_option(option + ".public_key", item.get("public_key"))
            name = item.get("name")
            if item.get("state", "present") == "present" or name is not None:
                name = check_name(option + ".name", name)
            desired.append({"pk": pk, "name": name, "state": item.get("state") or "present", "option": option})
        except TunnelConfigError as exc:
            problems.append(str(exc))
    if problems:
        raise TunnelConfigError("keys", "; ".join(problems))
    return desired


def _changes(want, record):
    return {"name": want["name"]} if want["name"] != record.get("name") else {}


def _settings(want):
    return (want["pk"].identity, want["name"], want["state"])


# Entries agree when they want the same key, name and state (the comment and position do not matter).
RULES = dict(identity=lambda d: d["pk"].identity, wants_absent=lambda d: d["state"] == "absent",
             unique={"name": lambda d: d["name"]}, label=lambda index: "keys[%d]" % index,
             same=lambda a, b: _settings(a) == _settings(b))


def check_keys(desired):
    """Refuse contradictions in the list (before anything is listed)."""
    try:
        check_desired(desired, **RULES)
    except ConvergenceError as exc:
        raise TunnelConfigError("keys", "; ".join(exc.problems))


def plan_keys(desired, records, exclusive, replace_conflicting_name):
    """The convergence plan, with name conflicts resolved or refused before any write."""
    check_keys(desired)
    plan = plan_convergence(desired, records, existing_identity=record_identity, changes=_changes,
                            exclusive=exclusive, **RULES)
    final = {}  # key id -> its name once the plan is done (None: deleted)
    for record in records:
        final[record.get("id")] = record.get("name")
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
    return plan, replaced


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


def converge_keys(tm, client, params):
    """The openport_keys module."""
    desired = desired_keys(params["keys"])
    check_keys(desired)
    if params["exclusive"] and not any(d["state"] == "present" for d in desired) and not params["allow_empty_exclusive"]:
        raise TunnelConfigError("keys", "lists no key to keep while exclusive=true, which would remove every key "
                                "of the account; set allow_empty_exclusive=true if that is really wanted")
    records = client.list_keys()
    plan, replaced = plan_keys(desired, records, params["exclusive"], params["replace_conflicting_name"])
    waves = rename_waves(plan.update)
    out = {"created": [], "updated": [], "removed": [], "unchanged": [a.existing for a in plan.unchanged if a.existing]}
    if tm.check_mode:
        out["removed"] = [a.existing for a in plan.delete]
        out["updated"] = [dict(a.existing, **a.changes) for a in plan.update]
        out["created"] = [{"name": a.desired["name"], "public_key": key_line(a.desired["pk"])} for a in plan.create]
    else:
        workers = getattr(client, "workers", 1)
        _apply(tm, plan.delete, lambda a: _delete(client, a), workers, out["removed"])
        for wave in waves:
            _apply(tm, wave, lambda a: _rename(client, a), workers, out["updated"])
        _apply(tm, plan.create, lambda a: _create(client, a), workers, out["created"])
    counts = dict((kind, len(out[kind])) for kind in out)
    result = dict(out, changed=plan.changed, counts=counts, replaced_keys=replaced,
                  merged_duplicates=["keys[%d] repeats keys[%d]" % (b, a) for a, b in plan.merged_duplicates])
    result["diff"] = {"before": _listing(records, {}), "after": _listing(records, out, plan.create)}
    return result


def _delete(client, action):
    client.delete_key(action.existing["id"])
    return action.existing


def _rename(client, action):
    return client.update_key(action.existing["id"], action.changes["name"])


def _create(client, action):
    pk = action.desired["pk"]
    return client.create_key(key_line(pk), action.desired["name"], find_existing=finder(client, pk))


_VERBS = {"delete": "deleted key", "update": "renamed key", "create": "created key"}


def _apply(tm, actions, fn, workers, into):
    def note(action, record):
        record = record or action.existing or {}
        tm.record(_VERBS[action.kind], id=record.get("id"), name=record.get("name"),
                  public_key_fingerprint=record_fingerprint(record))
        into.append(record)

    apply_noting(actions, fn, note, workers=workers, explain=_explain)


def _explain(action, error):
    """Name the entry of the list whose write Openport refused."""
    want = action.desired
    if want is None or not isinstance(error, TunnelError):
        return error
    return explain_refusal(error, want["pk"], want["name"], prefix=want["option"] + ".")


def _listing(records, out, creates=()):
    """One line per key, 'fingerprint name', for a readable diff of the account."""
    names = dict((r.get("id"), r.get("name")) for r in records)
    for record in out.get("removed", []):
        names.pop(record.get("id"), None)
    for record in out.get("updated", []):
        names[record.get("id")] = record.get("name")
    lines = ["%s %s" % (record_fingerprint(r) or record_identity(r), names[r.get("id")])
             for r in records if r.get("id") in names]
    lines += ["%s %s" % (a.desired["pk"].fingerprint, a.desired["name"]) for a in creates]
    return "\n".join(sorted(lines)) + "\n"
