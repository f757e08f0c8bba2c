# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The state machine of one object, driven through a tiny in-memory resource."""

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.machine import (
    CREATE_FIRST, DELETE_FIRST, Resource, ensure)
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM


class Store:
    def __init__(self, *records):
        self.records = dict((r["id"], dict(r)) for r in records)
        self.log = []
        self.next = 100

    def writes(self):
        return self.log


class Thing(Resource):
    """Found by name; ``size`` changes in place; ``colour`` only by replacement (``replace_mode``)."""

    label = "thing"
    result_key = "thing"

    def __init__(self, tm, store, replace_mode=None, holders=()):
        super().__init__(tm)
        self.store, self.replace_mode, self.holders = store, replace_mode, list(holders)

    def find(self):
        return next((dict(r) for r in self.store.records.values() if r["name"] == self.params["name"]), None)

    def replacement(self, current):
        return self.replace_mode if current.get("colour") != self.params.get("colour") else None

    def changes(self, current):
        return {"size": self.params["size"]} if current.get("size") != self.params["size"] else {}

    def conflicts(self, current):
        return self.holders

    def create_body(self, current=None):
        return {"name": self.params["name"], "size": self.params["size"], "colour": self.params.get("colour"),
                "note": None}

    def post(self, body):
        self.store.next += 1
        record = dict(body, id=self.store.next)
        self.store.records[record["id"]] = record
        self.store.log.append(("create", record["id"]))
        return dict(record), False

    def patch(self, current, changes):
        self.store.records[current["id"]].update(changes)
        self.store.log.append(("update", current["id"]))
        return dict(self.store.records[current["id"]])

    def remove(self, record):
        self.store.records.pop(record["id"], None)
        self.store.log.append(("delete", record["id"]))

    def finish(self, result, outcome):
        if outcome.replaced is not None:
            result["replaced_id"] = outcome.replaced["id"]


def run(store, check_mode=False, diff=True, replace_mode=None, holders=(), **params):
    params = dict({"state": "present", "name": "a", "size": 1, "colour": "red"}, **params)
    tm = FakeTM(params=params, check_mode=check_mode, diff=diff)
    return ensure(Thing(tm, store, replace_mode, holders)), tm


def test_create_then_no_change():
    store = Store()
    result, tm = run(store)
    assert result["changed"] and result["thing"]["id"] == 101 and store.log == [("create", 101)]
    assert result["diff"] == {"before": {}, "after": result["thing"]}
    assert "note" not in store.records[101], "None values are not sent"
    assert tm.done == [{"action": "create thing", "id": 101, "recovered": False}]
    result, tm = run(store)
    assert not result["changed"] and store.log == [("create", 101)] and tm.done == []


def test_update_in_place_notes_the_fields():
    store = Store({"id": 1, "name": "a", "size": 1, "colour": "red"})
    result, tm = run(store, size=2)
    assert result["changed"] and store.log == [("update", 1)] and store.records[1]["size"] == 2
    assert result["diff"]["before"]["size"] == 1 and result["diff"]["after"]["size"] == 2
    assert tm.done == [{"action": "update thing", "id": 1, "fields": ["size"]}]


def test_check_mode_writes_nothing_and_shows_what_would_be():
    store = Store({"id": 1, "name": "a", "size": 1, "colour": "red"})
    result, tm = run(store, check_mode=True, size=5)
    assert result["changed"] and result["thing"]["size"] == 5 and store.log == [] and tm.done == []
    result = run(store, check_mode=True, name="b")[0]
    assert result["changed"] and result["thing"] == {"name": "b", "size": 1, "colour": "red"} and store.log == []
    result = run(store, check_mode=True, state="absent")[0]
    assert result["changed"] and result["diff"]["after"] == {} and store.log == []


def test_diff_only_when_asked():
    result = run(Store(), diff=False)[0]
    assert "diff" not in result


def test_absent_deletes_once():
    store = Store({"id": 1, "name": "a", "size": 1})
    result, tm = run(store, state="absent")
    assert result == {"changed": True, "thing": {}, "diff": {"before": {"id": 1, "name": "a", "size": 1},
                                                             "after": {}}}
    assert store.log == [("delete", 1)] and tm.done == [{"action": "delete thing", "id": 1}]
    assert not run(store, state="absent")[0]["changed"] and store.log == [("delete", 1)]


@pytest.mark.parametrize("mode, order", [(CREATE_FIRST, [("create", 101), ("delete", 1)]),
                                         (DELETE_FIRST, [("delete", 1), ("create", 101)])])
def test_replacement_order(mode, order):
    store = Store({"id": 1, "name": "a", "size": 1, "colour": "red"})
    result = run(store, replace_mode=mode, colour="blue")[0]
    assert store.log == order and result["replaced_id"] == 1 and result["thing"]["colour"] == "blue"


def test_a_field_that_cannot_change_is_not_updated_without_replacement():
    store = Store({"id": 1, "name": "a", "size": 1, "colour": "red"})
    result = run(store, colour="blue")[0]
    assert not result["changed"] and store.log == []


def test_conflicts_are_deleted_first_and_only_when_a_write_is_needed():
    holder = {"id": 7, "name": "x"}
    store = Store({"id": 1, "name": "a", "size": 1, "colour": "red"}, holder)
    result, tm = run(store, holders=[holder])
    assert not result["changed"] and store.log == []
    result, tm = run(store, holders=[holder], size=2)
    assert store.log == [("delete", 7), ("update", 1)]
    assert tm.done[0] == {"action": "delete_conflict thing", "id": 7}


def test_an_api_error_goes_through_explain_and_what_was_done_stays_noted():
    class Refusing(Thing):
        def patch(self, current, changes):
            raise TunnelApiError("test", "no", status=400)

        def explain(self, error):
            return TunnelConfigError("size", "refused: %s" % error.message)

    holder = {"id": 7, "name": "x"}
    store = Store({"id": 1, "name": "a", "size": 1, "colour": "red"}, holder)
    tm = FakeTM(params={"state": "present", "name": "a", "size": 2, "colour": "red"})
    with pytest.raises(TunnelConfigError) as err:
        ensure(Refusing(tm, store, holders=[holder]))
    assert err.value.option == "size" and tm.done == [{"action": "delete_conflict thing", "id": 7}]


def test_a_delete_the_api_answered_404_is_not_recorded_as_done():
    class Vanishing(Thing):
        def remove(self, record):
            self.store.log.append(("delete", record["id"]))
            return False  # the API answered 404: someone else deleted it meanwhile

    store = Store({"id": 1, "name": "a", "size": 1})
    tm = FakeTM(params={"state": "absent", "name": "a", "size": 1})
    result = ensure(Vanishing(tm, store))
    assert store.log == [("delete", 1)]
    assert result["changed"] is False and tm.done == []
