# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A list of objects brought to the state a task asks for: the state machine of the bulk modules.

A :class:`ListResource` describes one kind of object in a list option: how an
entry is read and checked, what identifies an object, what may change in place,
and the API calls.  :func:`converge` owns the rest, the same for every kind:

- every entry is checked before any request, and every problem is reported at once;
- an ``exclusive`` list that keeps nothing is refused unless ``allow_empty_exclusive``;
- entries that contradict each other fail before the listing, identical repeats are merged;
- the account is listed once, the plan made on that listing (plan.py);
- check mode writes nothing and returns what the writes would give;
- the writes go in phases (deletes, which free names and quota; updates, in waves
  where the kind asks for it; creates), each phase in parallel on the client's workers;
  every write done is noted, so that a failure says what was done before it; a write whose
  answer cannot be believed is verified by reading the object back (``fetch``, verify.py);
- the result: ``created``, ``updated``, ``removed``, ``unchanged``, their ``counts``,
  ``merged_duplicates``, and with diff a listing of the account before and after.
"""

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.machine import projected
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.plan import (
    CREATE, DELETE, UPDATE, ConvergenceError, apply_noting, check_desired, plan_convergence)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.verify import (
    UNKNOWN, Check, differs, is_record, verified)

OUT_KEYS = {DELETE: "removed", UPDATE: "updated", CREATE: "created"}


class ListResource:
    """One kind of object in a list option, as :func:`converge` drives it; see the module docstring.

    A desired entry is the dict ``parse`` returns, with ``state`` and ``option`` (its
    place in the list, ``keys[3]``) added.
    """

    provider = None
    option = "items"
    item_word = "item"
    everything = "delete every object of the account"
    verbs = {}
    unique = {}

    def __init__(self, tm):
        self.tm = tm
        self.params = tm.params

    # -- what a kind of object defines ---------------------------------------

    def parse(self, option, item):
        """The desired entry of one list item (raise TunnelConfigError naming ``option``)."""
        raise NotImplementedError

    def identity(self, desired):
        raise NotImplementedError

    def existing_identity(self, record):
        raise NotImplementedError

    def settings(self, desired):
        """What two entries with one identity must agree on to be merged as repeats: a dict, so that a
        contradiction can name the settings that differ (default: the entry without its place in the list)."""
        return dict((name, value) for name, value in desired.items() if name != "option")

    def changes(self, desired, record):
        return {}

    def list(self):
        raise NotImplementedError

    def adjust(self, plan, records):
        """Change the plan before any write (resolve or refuse conflicts); the records it adds to delete."""
        return []

    def waves(self, updates):
        """The updates in the order they may run: a list of lists run one after another."""
        return [updates]

    def create_body(self, desired):
        raise NotImplementedError

    def create(self, action):
        raise NotImplementedError

    def update(self, action):
        raise NotImplementedError

    def delete(self, action):
        """Delete ``action.existing``; False when the API said it was gone already (not counted or noted)."""
        raise NotImplementedError

    def view(self, record):
        return dict(record or {})

    def line(self, record):
        """One line of the account's listing in a diff."""
        raise NotImplementedError

    def describe(self, record):
        return {"id": record.get("id")}

    def fetch(self, action):
        """The object ``action`` is about, as the API holds it now (None when it does not exist): found by id,
        or, for a create, by identity, in a new listing.  Verifies a write whose answer could not be believed."""
        for record in self.list():
            if action.existing is not None and record.get("id") == action.existing.get("id"):
                return record
            if action.existing is None and self.existing_identity(record) == self.identity(action.desired):
                return record
        return None

    def explain(self, action, error):
        return error

    def finish(self, result, plan, adjusted):
        """Add the kind's own result keys."""

    # -- shared --------------------------------------------------------------------

    def rules(self):
        return dict(identity=self.identity, wants_absent=lambda d: d["state"] == "absent", unique=self.unique,
                    label=lambda index: "%s[%d]" % (self.option, index), settings=self.settings)

    def note(self, action, record, **extra):
        record = record or action.existing or {}
        details = self.describe(record)
        details.update(extra)
        self.tm.record(self.verbs.get(action.kind) or "%s %s" % (action.kind, self.item_word), **details)

    def holds(self, action, record):
        """True when ``record`` holds what ``action`` asks for."""
        return is_record(record) and (action.desired is None or not self.changes(action.desired, record))

    def check(self, action):
        """How a write is verified when its answer cannot be believed (verify.py)."""
        def believe(answer):
            return action.kind == DELETE or self.holds(action, answer)

        def done(now):
            if action.kind == DELETE:
                return now is None
            # A create that made its object is done (what it holds is checked next); an update must show.
            return now is not None and (action.kind == CREATE or self.holds(action, now))
        return Check(self.provider, action.kind, self.item_word, lambda: self.fetch(action), believe, done)

    def verified_write(self, write):
        """``write(action)``, believed only when its answer shows it done; else verified (verify.py)."""
        def run(action):
            check = self.check(action)
            subject = action.existing or self.create_body(action.desired)
            answer, dummy = verified(check, lambda: write(action), lambda: self.note(action, subject, outcome=UNKNOWN))
            if action.kind != DELETE and not self.holds(action, answer):
                # The object is there, but without what was sent.
                self.note(action, answer)
                raise differs(check, answer, self.changes(action.desired, answer) or ["id"])
            return answer
        return run


def converge(res):
    """Bring the list option's objects to the state the task asks for; return the module result."""
    desired = _parse_all(res)
    _refuse_empty_exclusive(res, desired)
    rules = res.rules()
    try:
        check_desired(desired, **rules)  # a list that contradicts itself fails before any request
        records = res.list()
        plan = plan_convergence(desired, records, existing_identity=res.existing_identity, changes=res.changes,
                                exclusive=res.params["exclusive"], **rules)
    except ConvergenceError as exc:
        raise TunnelConfigError(res.option, "; ".join(exc.problems))
    adjusted = res.adjust(plan, records)
    # The diff is worked out before any write: it must not depend on what the writes return.
    diff = {"before": _listing(res, records), "after": _listing(res, records, plan)} if res.tm.diff else None
    out = _project(res, plan) if res.tm.check_mode else _apply(res, plan)
    changed = plan.changed if res.tm.check_mode else any(out[kind] for kind in OUT_KEYS.values())
    result = dict(out, changed=changed, counts=dict((kind, len(out[kind])) for kind in out))
    result["merged_duplicates"] = ["%s[%d] repeats %s[%d]" % (res.option, b, res.option, a)
                                   for a, b in plan.merged_duplicates]
    if diff is not None:
        result["diff"] = diff
    res.finish(result, plan, adjusted)
    return result


def _parse_all(res):
    """Every entry checked before any request; every problem reported at once."""
    desired, problems = [], []
    for index, item in enumerate(res.params[res.option]):
        option = "%s[%d]" % (res.option, index)
        try:
            entry = res.parse(option, item)
        except TunnelConfigError as exc:
            problems.append(str(exc))
            continue
        entry.setdefault("state", item.get("state") or "present")
        entry["option"] = option
        desired.append(entry)
    if problems:
        raise TunnelConfigError(res.option, "; ".join(problems))
    return desired


def _refuse_empty_exclusive(res, desired):
    if res.params["exclusive"] and not res.params["allow_empty_exclusive"] \
            and not any(d["state"] == "present" for d in desired):
        raise TunnelConfigError(res.option, "lists no %s to keep while exclusive=true, which would %s; set "
                                "allow_empty_exclusive=true if that is really wanted" % (res.item_word, res.everything))


def _project(res, plan):
    """What the writes would give, without sending them (check mode)."""
    out = _unchanged(res, plan)
    out["removed"] = [res.view(a.existing) for a in plan.delete]
    out["updated"] = [res.view(projected(a.existing, a.changes)) for a in plan.update]
    out["created"] = [res.view(res.create_body(a.desired)) for a in plan.create]
    return out


def _apply(res, plan):
    """The writes, phase after phase, each phase in parallel; every write done is noted."""
    out = _unchanged(res, plan)
    workers = getattr(res.tm.client(res.provider), "workers", 1)
    phases = [(plan.delete, res.verified_write(res.delete))] \
        + [(wave, res.verified_write(res.update)) for wave in res.waves(plan.update)] \
        + [(plan.create, res.verified_write(res.create))]

    def note(action, record):
        if action.kind == DELETE and record is False:
            return  # gone already: not this task's doing
        res.note(action, record)
        out[OUT_KEYS[action.kind]].append(res.view(record or action.existing))

    for actions, write in phases:
        apply_noting(actions, write, note, workers=workers, explain=res.explain)
    return out


def _unchanged(res, plan):
    return {"created": [], "updated": [], "removed": [],
            "unchanged": [res.view(a.existing) for a in plan.unchanged if a.existing]}


def _listing(res, records, plan=None):
    """One line per object, for a readable diff of the account; with ``plan``, as it will be."""
    lines = dict((id(r), res.line(r)) for r in records)
    if plan is not None:
        for action in plan.delete:
            lines.pop(id(action.existing), None)
        for action in plan.update:
            lines[id(action.existing)] = res.line(projected(action.existing, action.changes))
        for action in plan.create:
            lines[id(action)] = res.line(res.create_body(action.desired))
    return "\n".join(sorted(lines.values())) + "\n"
