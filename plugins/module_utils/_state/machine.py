# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One object brought to the state a task asks for: the state machine of every changing module.

A :class:`Resource` describes one kind of provider object: how to check the task's
options, find the object, tell what differs, and create, update, delete (or, where
the API cannot change a field in place, replace) it.  :func:`ensure` owns the rest,
the same for every kind: the order of the steps, check mode (nothing is written,
the result shows what would be), diff (only when the task asks for it), a
``changed`` that tells the truth, a note of every write (so that a failure half-way
says what was done) and the result.

The steps, in order::

    prepare()                          options checked, before any request
    current = find()
    absent:  delete(absent_target(current))
    present: check_present(current)
             unchanged, when neither replacement(current) nor changes(current) asks for a write
             conflicts(current) deleted first (objects that hold what this one needs)
             create | update | replace (create then delete, or delete then create)

A write is believed only when its answer shows it done (a created or updated record that
holds what was sent, a delete answered 2xx or 404); otherwise the object is read back
(``fetch``) to see whether it took effect (verify.py).
"""

from __future__ import annotations

import contextlib

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.verify import (
    UNKNOWN, Check, differs, is_record, verified)

CREATE_FIRST = "create_first"
DELETE_FIRST = "delete_first"


def without_none(body):
    return dict((k, v) for k, v in body.items() if v is not None)


def projected(current, changes):
    """What a record will look like after ``changes`` (check mode, and an update answered without a body)."""
    after = dict(current or {})
    after.update(changes)
    return after


class Outcome:
    """What :func:`ensure` did: the object before and after, and what it replaced or deleted on the way."""

    def __init__(self, before, after, changed, conflicts=(), replaced=None):
        self.before = before
        self.after = after
        self.changed = changed
        self.conflicts = list(conflicts)
        self.replaced = replaced


class Resource:
    """One kind of provider object, as :func:`ensure` drives it; see the module docstring.

    ``tm`` is the TunnelModule (``params``, ``check_mode``, ``diff``, ``record``).
    """

    label = "object"
    result_key = "object"
    verbs = {}
    provider = None

    def __init__(self, tm):
        self.tm = tm
        self.params = tm.params
        # The object the task found (ensure() sets it): what fetch() can find again by default.
        self.found = None

    # -- what a kind of object defines ---------------------------------------

    def prepare(self):
        """Check the task's options; raise TunnelConfigError before any request."""

    def exclusive(self):
        """A context held from ``find`` to the last write: two runs at once that would both create the object
        (find-then-create) are serialized, and the second finds what the first created. Default: none."""
        return contextlib.nullcontext()

    def find(self):
        raise NotImplementedError

    def wants_absent(self):
        return self.params.get("state") == "absent"

    def absent_target(self, current):
        return current

    def check_present(self, current):
        """Refuse what cannot be made true (raise TunnelConfigError)."""

    def replacement(self, current):
        """None, CREATE_FIRST or DELETE_FIRST when ``current`` must be replaced."""
        return None

    def changes(self, current):
        return {}

    def conflicts(self, current):
        """Objects to delete before the write (they hold what this one needs), or raise."""
        return []

    def create_body(self, current=None):
        raise NotImplementedError

    def post(self, body):
        """Create at the provider; ``(record, recovered)``."""
        raise NotImplementedError

    def patch(self, current, changes):
        raise NotImplementedError

    def remove(self, record):
        """Delete at the provider; False when the API said it was gone already (then nothing is noted)."""
        raise NotImplementedError

    def view(self, record):
        return dict(record or {})

    def describe(self, record):
        """The fields that name ``record`` in the list of what was done."""
        return {"id": (record or {}).get("id")}

    def fetch(self, record):
        """The object ``record`` names (by its id), as the API holds it now; None when it does not exist.

        Reads an object back to verify a write whose answer was lost or was not the record the
        API documents.  Default: found again as the task found it (``find``; with state=absent,
        ``absent_target``); an object the task does not find that way (a conflict, a replaced
        object that another one now stands in for) cannot be read back by default, which leaves
        the write's outcome unknown.  A kind whose objects can be read by id overrides this.
        """
        ident = (record or {}).get("id")
        again = self.find()
        if self.wants_absent():
            again = self.absent_target(again)
        if again is not None and (ident is None or again.get("id") == ident):
            return again
        if again is None and (ident is None or ident == (self.found or {}).get("id")):
            return None
        raise TunnelApiError(self.provider or "the provider", "the %s %s cannot be read back" % (self.label, ident))

    def explain(self, error):
        """An API error of a write, made clearer where the kind knows more (the option to change)."""
        return error

    def shown(self, outcome):
        return self.view(outcome.after)

    def diff(self, outcome):
        return {"before": self.view(outcome.before), "after": self.view(outcome.after)}

    def finish(self, result, outcome):
        """Add the kind's own result keys."""

    # -- the writes: check mode aware, each one noted -----------------------------

    def note(self, kind, record, **extra):
        details = self.describe(record)
        details.update(extra)
        self.tm.record(self.verbs.get(kind) or "%s %s" % (kind, self.label), **details)

    def check(self, kind, record, believe, done):
        """How the write ``kind`` of ``record`` is verified when its answer cannot be believed (verify.py)."""
        return Check(self.provider, kind.split("_")[0], self.label, lambda: self.fetch(record), believe, done)

    def in_effect(self, record):
        """True when ``record`` holds what the task asks for."""
        return is_record(record) and not self.changes(record)

    def create(self, body):
        if self.tm.check_mode:
            return without_none(body)
        sent = without_none(body)
        try:
            record, recovered = self.post(sent)
        except TunnelApiError as exc:
            if exc.outcome == UNKNOWN:
                self.note("create", sent, outcome=UNKNOWN)
            raise
        self.note("create", record or body, recovered=recovered)
        if self.in_effect(record):
            return record
        # A created record that does not hold what was sent is not believed: read it back once.
        now = self.fetch(record)
        if now is None or not self.in_effect(now):
            raise differs(self.check("create", record, None, None), record, self.changes(now or record) or ["id"])
        return now

    def update(self, current, changes):
        if self.tm.check_mode:
            return projected(current, changes)
        check = self.check("update", current, self.in_effect, lambda now: now is not None and self.in_effect(now))
        record, recovered = verified(check, lambda: self.patch(current, changes),
                                     lambda: self.note("update", current, fields=sorted(changes), outcome=UNKNOWN))
        self.note("update", record, fields=sorted(changes), **({"recovered": True} if recovered else {}))
        return record

    def delete(self, record, kind="delete"):
        """True when the object was (or, in check mode, would be) deleted by this task."""
        if self.tm.check_mode:
            return True
        check = self.check(kind, record, lambda answer: True, lambda now: now is None)
        answer, recovered = verified(check, lambda: self.remove(record),
                                     lambda: self.note(kind, record, outcome=UNKNOWN))
        if answer is False and not recovered:
            return False  # the API answered 404: someone else deleted it meanwhile, not this task
        self.note(kind, record, **({"recovered": True} if recovered else {}))
        return True


def ensure(res):
    """Bring one object to the state the task asks for; return the module result."""
    res.prepare()
    with res.exclusive():
        current = res.find()
        res.found = current
        if res.wants_absent():
            target = res.found = res.absent_target(current)
            deleted = target is not None and res.delete(target)
            return _result(res, Outcome(target, None, deleted))
        res.check_present(current)
        try:
            outcome = _present(res, current)
        except TunnelApiError as exc:
            raise res.explain(exc)
    return _result(res, outcome)


def _present(res, current):
    mode = res.replacement(current) if current is not None else None
    changes = res.changes(current) if current is not None and not mode else {}
    if current is not None and not mode and not changes:
        return Outcome(current, current, False)
    conflicts = res.conflicts(current)
    for holder in conflicts:
        res.delete(holder, kind="delete_conflict")
    if current is None:
        after = res.create(res.create_body())
    elif mode == CREATE_FIRST:
        after = res.create(res.create_body(current))
        res.delete(current)
    elif mode == DELETE_FIRST:
        res.delete(current)
        after = res.create(res.create_body(current))
    else:
        after = res.update(current, changes)
    return Outcome(current, after, True, conflicts, replaced=current if mode else None)


def _result(res, outcome):
    result = {"changed": outcome.changed, res.result_key: res.shown(outcome)}
    if res.tm.diff:
        result["diff"] = res.diff(outcome)
    res.finish(result, outcome)
    return result
