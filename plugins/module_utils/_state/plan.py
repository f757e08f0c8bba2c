# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan and apply the convergence of a set of objects (provider-neutral): the primitives of convergence.py.

A bulk module lists what exists once, states what it wants, and lets this
module decide which objects to create, update, delete or leave alone.  Nothing
here knows a provider: the caller passes functions.

Planning::

    plan = plan_convergence(
        desired,                  # iterable of what is wanted (any objects, e.g. dicts from a module option)
        existing,                 # iterable of the records the API listed
        identity=fn,              # desired item -> hashable identity (e.g. a key's type and blob)
        existing_identity=fn,     # existing record -> identity (default: ``identity``)
        changes=fn,               # (desired, existing) -> dict of the fields to change; empty: in sync
        wants_absent=fn,          # desired item -> True when it must not exist (default: never)
        exclusive=False,          # True: existing objects that no desired item names are deleted
        unique=None,              # {"name": fn(desired) -> value or None}: values that must not repeat
        label=None,               # index -> how an input item is named in messages (default "item 3")
        same=None,                # (desired, desired) -> True when two items with one identity agree (default ==)
        settings=None,            # desired -> dict of what two such items must agree on (instead of same);
                                  # a contradiction then names the settings that differ and both values
    )

``plan_convergence`` (and ``check_desired``, which it calls and which a module may
call before listing anything) raises ``ConvergenceError`` (with ``.problems``, one text per
problem) when two desired items have the same identity but different contents,
or when a ``unique`` value repeats.  Identical repeats are merged and listed in
``plan.merged_duplicates`` (``(first_index, repeated_index)`` pairs).

``Plan`` holds lists of ``Action(kind, desired, existing, changes, index)`` where
``kind`` is ``create``, ``update``, ``delete`` or ``unchanged``; ``index`` is the
desired item's position in the input (None for deletes made by ``exclusive``).
``plan.counts()`` gives ``{"created": n, "updated": n, "removed": n, "unchanged": n}``
and ``plan.changed`` is True when any write is planned.  Several existing records
with one identity (a provider that does not enforce uniqueness) are listed in
``plan.existing_duplicates``; the first is matched, the others are deleted only
when ``exclusive`` is set.

Applying::

    results = apply_actions(actions, fn, workers=4)

calls ``fn(action)`` for each action, in parallel when ``workers`` > 1, and
returns the list of ``(action, result)`` in input order.  On the first error it
stops starting new calls, waits for those in flight, and raises
``ApplyError`` carrying ``.done`` (the pairs that succeeded) and ``.error``
(the original exception), so that a module can say what it did before failing.

    apply_noting(actions, fn, note, workers=4, explain=None)

does the same and calls ``note(action, result)`` for every call that succeeded,
also for those done before a failure; on a failure it raises
``explain(action, error)`` (default: the error itself), for instance an error that
names the input item the API refused.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

CREATE = "create"
UPDATE = "update"
DELETE = "delete"
UNCHANGED = "unchanged"
COUNT_NAMES = {CREATE: "created", UPDATE: "updated", DELETE: "removed", UNCHANGED: "unchanged"}


class ConvergenceError(ValueError):
    """The desired list contradicts itself; ``problems`` lists each contradiction."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class ApplyError(Exception):
    """A call failed while applying a plan; ``done`` holds what succeeded before."""

    def __init__(self, error, done, action):
        self.error = error
        self.done = done
        self.action = action
        super().__init__(str(error))


class Action:
    __slots__ = ("kind", "desired", "existing", "changes", "index")

    def __init__(self, kind, desired=None, existing=None, changes=None, index=None):
        self.kind = kind
        self.desired = desired
        self.existing = existing
        self.changes = changes or {}
        self.index = index

    def __repr__(self):
        return "Action(%s, index=%r, changes=%r)" % (self.kind, self.index, self.changes)


class Plan:
    def __init__(self):
        self.create = []
        self.update = []
        self.delete = []
        self.unchanged = []
        self.merged_duplicates = []
        self.existing_duplicates = []

    @property
    def changed(self):
        return bool(self.create or self.update or self.delete)

    @property
    def writes(self):
        return len(self.create) + len(self.update) + len(self.delete)

    def actions(self):
        """Every action, deletes first (they free names and quota), then updates, then creates."""
        return self.delete + self.update + self.create + self.unchanged

    def counts(self):
        return dict((COUNT_NAMES[kind], len(getattr(self, kind))) for kind in (CREATE, UPDATE, DELETE, UNCHANGED))


def _no_changes(desired, existing):
    return {}


def _differing(settings, label, first, previous, index, item):
    """``name ('a' in keys[0], 'b' in keys[3])`` for each setting in which two repeats differ."""
    before, after = settings(previous), settings(item)
    names = sorted(set(before) | set(after), key=str)
    return ", ".join("%s (%s in %s, %s in %s)" % (name, _short(before.get(name)), label(first),
                                                  _short(after.get(name)), label(index))
                     for name in names if before.get(name) != after.get(name))


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _index_desired(desired, identity, label, same, settings):
    """identity -> (index, item), the identities in order, the merged repeats and the contradictions."""
    problems, merged, wanted, order = [], [], {}, []
    for index, item in enumerate(desired):
        ident = identity(item)
        if ident not in wanted:
            wanted[ident] = (index, item)
            order.append(ident)
            continue
        first, previous = wanted[ident]
        if same(previous, item):
            merged.append((first, index))
            continue
        problem = "%s and %s name the same object with different settings" % (label(first), label(index))
        differing = _differing(settings, label, first, previous, index, item) if settings else ""
        problems.append(problem + (": " + differing if differing else ""))
    return wanted, order, merged, problems


def check_desired(desired, identity, wants_absent=None, unique=None, label=None, same=None, settings=None):
    """Index the desired items by identity; raise ConvergenceError when they contradict each other.

    Returns ``(wanted, order, merged)``: identity -> ``(index, item)``, the identities in
    input order, and the ``(first_index, repeated_index)`` pairs merged.  Call it before
    listing anything, so that a bad input costs no request.  With ``settings`` (item -> dict),
    two items with one identity agree when their settings are equal, and a contradiction
    names the settings that differ.
    """
    label = label or (lambda index: "item %d" % index)
    wants_absent = wants_absent or (lambda item: False)
    if same is None:
        same = (lambda a, b: settings(a) == settings(b)) if settings else (lambda a, b: a == b)
    wanted, order, merged, problems = _index_desired(desired, identity, label, same, settings)

    for name, value_of in sorted((unique or {}).items()):
        holders = {}
        for ident in order:
            index, item = wanted[ident]
            if wants_absent(item):
                continue
            value = value_of(item)
            if value is None:
                continue
            if value in holders:
                problems.append("%s and %s both have %s %r" % (label(holders[value]), label(index), name, value))
            else:
                holders[value] = index
    if problems:
        raise ConvergenceError(problems)
    return wanted, order, merged


def plan_convergence(desired, existing, identity, existing_identity=None, changes=None,
                     wants_absent=None, exclusive=False, unique=None, label=None, same=None, settings=None):
    """Compare what is wanted with what exists; see the module docstring."""
    existing_identity = existing_identity or identity
    changes = changes or _no_changes
    wants_absent = wants_absent or (lambda item: False)
    plan = Plan()
    wanted, order, plan.merged_duplicates = check_desired(desired, identity, wants_absent, unique, label, same,
                                                          settings)

    found = {}
    for record in existing:
        ident = existing_identity(record)
        if ident in found:
            plan.existing_duplicates.append(record)
            if exclusive:
                plan.delete.append(Action(DELETE, existing=record))
            continue
        found[ident] = record

    for ident in order:
        index, item = wanted[ident]
        record = found.get(ident)
        if wants_absent(item):
            if record is not None:
                plan.delete.append(Action(DELETE, desired=item, existing=record, index=index))
            else:
                plan.unchanged.append(Action(UNCHANGED, desired=item, index=index))
        elif record is None:
            plan.create.append(Action(CREATE, desired=item, index=index))
        else:
            diff = changes(item, record)
            kind = UPDATE if diff else UNCHANGED
            getattr(plan, kind).append(Action(kind, desired=item, existing=record, changes=diff, index=index))

    if exclusive:
        for ident, record in found.items():
            if ident not in wanted:
                plan.delete.append(Action(DELETE, existing=record))
    return plan


def apply_actions(actions, fn, workers=1):
    """Run ``fn(action)`` for every action; see the module docstring."""
    actions = list(actions)
    if workers <= 1 or len(actions) <= 1:
        done = []
        for action in actions:
            try:
                done.append((action, fn(action)))
            except Exception as exc:
                raise ApplyError(exc, done, action)
        return done

    results = [None] * len(actions)
    failure = []
    with ThreadPoolExecutor(max_workers=min(workers, len(actions))) as pool:
        futures = []

        def run(position, action):
            if failure:
                return False
            try:
                results[position] = (action, fn(action))
                return True
            except Exception as exc:
                failure.append((position, exc, action))
                return False

        for position, action in enumerate(actions):
            futures.append(pool.submit(run, position, action))
        for future in futures:
            future.result()
    done = [pair for pair in results if pair is not None]
    if failure:
        position, exc, action = min(failure, key=lambda f: f[0])
        raise ApplyError(exc, done, action)
    return done


def apply_noting(actions, fn, note, workers=1, explain=None):
    """Run ``apply_actions`` and note every success; see the module docstring."""
    try:
        done = apply_actions(actions, fn, workers=workers)
    except ApplyError as exc:
        for action, result in exc.done:
            note(action, result)
        raise explain(exc.action, exc.error) if explain else exc.error
    for action, result in done:
        note(action, result)
    return done
