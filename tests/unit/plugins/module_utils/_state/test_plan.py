# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import threading

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.plan import (
    ApplyError, ConvergenceError, apply_actions, apply_noting, plan_convergence)


def ident(item):
    return item["key"]


def rename(desired, existing):
    return {"name": desired["name"]} if desired["name"] != existing["name"] else {}


def plan(desired, existing, **kwargs):
    kwargs.setdefault("changes", rename)
    return plan_convergence(desired, existing, identity=ident, **kwargs)


EXISTING = [
    {"id": 1, "key": "a", "name": "alpha"},
    {"id": 2, "key": "b", "name": "beta"},
    {"id": 3, "key": "c", "name": "gamma"},
]


def kinds(p):
    return {kind: [a.index for a in getattr(p, kind)] for kind in ("create", "update", "delete", "unchanged")}


def test_create_update_unchanged_and_counts():
    desired = [{"key": "a", "name": "alpha"}, {"key": "b", "name": "BETA"}, {"key": "d", "name": "delta"}]
    p = plan(desired, EXISTING)
    assert kinds(p) == {"create": [2], "update": [1], "delete": [], "unchanged": [0]}
    assert p.update[0].changes == {"name": "BETA"}
    assert p.update[0].existing["id"] == 2
    assert p.counts() == {"created": 1, "updated": 1, "removed": 0, "unchanged": 1}
    assert p.changed and p.writes == 2


def test_in_sync_plan_has_no_writes():
    desired = [{"key": e["key"], "name": e["name"]} for e in EXISTING]
    p = plan(desired, EXISTING)
    assert not p.changed and p.writes == 0
    assert [a.existing["id"] for a in p.unchanged] == [1, 2, 3]


def test_exclusive_deletes_unlisted_only_when_asked():
    desired = [{"key": "a", "name": "alpha"}]
    assert plan(desired, EXISTING).delete == []
    p = plan(desired, EXISTING, exclusive=True)
    assert sorted(a.existing["id"] for a in p.delete) == [2, 3]
    assert all(a.index is None for a in p.delete)


def test_exclusive_with_empty_desired_deletes_everything():
    # Refusing an empty exclusive list is the module's job; the planner is exact.
    p = plan([], EXISTING, exclusive=True)
    assert len(p.delete) == 3 and p.counts()["removed"] == 3


def test_absent_items_delete_or_stay_unchanged():
    desired = [{"key": "b", "name": "x", "state": "absent"}, {"key": "z", "name": "x", "state": "absent"}]
    p = plan(desired, EXISTING, wants_absent=lambda item: item.get("state") == "absent")
    assert [a.existing["id"] for a in p.delete] == [2]
    assert [a.index for a in p.unchanged] == [1]


def test_conflicting_duplicates_are_errors_naming_both_items():
    desired = [{"key": "a", "name": "one"}, {"key": "b", "name": "beta"}, {"key": "a", "name": "two"}]
    with pytest.raises(ConvergenceError) as err:
        plan(desired, EXISTING)
    assert err.value.problems == ["item 0 and item 2 name the same object with different settings"]


def test_identical_duplicates_are_merged_and_reported():
    desired = [{"key": "a", "name": "alpha"}, {"key": "a", "name": "alpha"}]
    p = plan(desired, EXISTING)
    assert p.merged_duplicates == [(0, 1)]
    assert len(p.unchanged) == 1 and not p.changed


def test_same_decides_which_repeats_agree():
    desired = [{"key": "a", "name": "alpha", "pos": 0}, {"key": "a", "name": "alpha", "pos": 1}]
    with pytest.raises(ConvergenceError):
        plan(desired, EXISTING)
    p = plan(desired, EXISTING, same=lambda x, y: x["name"] == y["name"])
    assert p.merged_duplicates == [(0, 1)] and [a.index for a in p.unchanged] == [0]


def test_unique_values_must_not_repeat():
    desired = [{"key": "x", "name": "same"}, {"key": "y", "name": "other"}, {"key": "z", "name": "same"}]
    with pytest.raises(ConvergenceError) as err:
        plan(desired, EXISTING, unique={"name": lambda item: item["name"]})
    assert str(err.value) == "item 0 and item 2 both have name 'same'"


def test_labels_name_items_in_messages():
    desired = [{"key": "a", "name": "one"}, {"key": "a", "name": "two"}]
    with pytest.raises(ConvergenceError) as err:
        plan(desired, [], label=lambda i: "keys[%d]" % i)
    assert str(err.value) == "keys[0] and keys[1] name the same object with different settings"


def test_conflicting_duplicates_say_which_settings_differ():
    desired = [{"key": "a", "name": "one", "size": 1}, {"key": "a", "name": "two", "size": 1}]
    with pytest.raises(ConvergenceError) as err:
        plan(desired, [], label=lambda i: "keys[%d]" % i, settings=lambda item: item)
    assert str(err.value) == ("keys[0] and keys[1] name the same object with different settings: "
                              "name ('one' in keys[0], 'two' in keys[1])")


def test_unique_ignores_absent_items_and_none():
    desired = [{"key": "x", "name": "same"}, {"key": "y", "name": "same", "state": "absent"},
               {"key": "z", "name": None}, {"key": "w", "name": None}]
    p = plan(desired, [], unique={"name": lambda item: item["name"]},
             wants_absent=lambda item: item.get("state") == "absent", changes=None)
    assert len(p.create) == 3


def test_existing_identity_function_and_existing_duplicates():
    existing = [{"id": 1, "pk": "A"}, {"id": 2, "pk": "A"}, {"id": 3, "pk": "B"}]
    desired = [{"key": "a", "name": None}]
    p = plan_convergence(desired, existing, identity=ident, existing_identity=lambda r: r["pk"].lower())
    assert [a.existing["id"] for a in p.unchanged] == [1]
    assert [r["id"] for r in p.existing_duplicates] == [2]
    assert p.delete == []
    p = plan_convergence(desired, existing, identity=ident, existing_identity=lambda r: r["pk"].lower(),
                         exclusive=True)
    assert sorted(a.existing["id"] for a in p.delete) == [2, 3]


def test_actions_order_deletes_then_updates_then_creates():
    desired = [{"key": "d", "name": "delta"}, {"key": "b", "name": "BETA"}]
    p = plan(desired, EXISTING, exclusive=True)
    assert [a.kind for a in p.actions()] == ["delete", "delete", "update", "create"]


@pytest.mark.parametrize("workers", [1, 4])
def test_apply_actions_keeps_order_and_results(workers):
    p = plan([{"key": str(i), "name": "n%d" % i} for i in range(20)], [])
    done = apply_actions(p.create, lambda a: a.desired["name"].upper(), workers=workers)
    assert [result for action, result in done] == ["N%d" % i for i in range(20)]


@pytest.mark.parametrize("workers", [1, 4])
def test_apply_actions_stops_at_first_error_and_reports_done(workers):
    p = plan([{"key": str(i), "name": "n%d" % i} for i in range(50)], [])
    calls = []
    lock = threading.Lock()

    def fn(action):
        with lock:
            calls.append(action.index)
        if action.index == 5:
            raise RuntimeError("boom at 5")
        return action.index

    with pytest.raises(ApplyError) as err:
        apply_actions(p.create, fn, workers=workers)
    assert str(err.value) == "boom at 5"
    assert isinstance(err.value.error, RuntimeError)
    assert err.value.action.index == 5
    done = [result for action, result in err.value.done]
    assert 5 not in done and set(range(5)) <= set(done)
    # No new call starts once a failure is known: at most the calls in flight finish.
    assert len(calls) < 50


def test_apply_noting_notes_successes_and_explains_the_failure():
    p = plan([{"key": str(i), "name": "n%d" % i} for i in range(4)], [])
    noted = []

    def fn(action):
        if action.index == 2:
            raise RuntimeError("refused")
        return action.index

    with pytest.raises(ValueError) as err:
        apply_noting(p.create, fn, lambda a, r: noted.append(r),
                     explain=lambda a, e: ValueError("item %d: %s" % (a.index, e)))
    assert str(err.value) == "item 2: refused"
    assert noted == [0, 1]
    noted[:] = []
    assert len(apply_noting(p.create[:2], fn, lambda a, r: noted.append(r), workers=3)) == 2
    assert sorted(noted) == [0, 1]
