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


# -- writes whose answer cannot be believed are verified by reading the object back (16.25, 18.1, 18.2) --

def unreadable(method):
    return TunnelApiError("test", "the answer is not valid JSON: Welcome to the hotel wifi", status=200,
                          method=method, url="https://api.test/things/1", outcome="unknown")


class Flaky(Thing):
    """Writes that take effect (or not) and then answer with something that cannot be believed."""

    def __init__(self, tm, store, applies=True, answer="error", lookup_fails=False, **kwargs):
        super().__init__(tm, store, **kwargs)
        self.applies, self.answer, self.lookup_fails = applies, answer, lookup_fails
        self.wrote = False

    def find(self):
        if self.wrote and self.lookup_fails:
            raise TunnelApiError("test", "Service Unavailable", status=503, method="GET", url="https://api.test/things")
        return super().find()

    def _answer(self, method, record):
        self.wrote = True
        if self.answer == "error":
            raise unreadable(method)
        return {"unexpected": "shape"} if self.answer == "shape" else record

    def patch(self, current, changes):
        record = super().patch(current, changes) if self.applies else dict(current)
        return self._answer("PATCH", record)

    def remove(self, record):
        if self.applies:
            super().remove(record)
        return self._answer("DELETE", None)


def run_flaky(store, **kwargs):
    params = dict({"state": "present", "name": "a", "size": 1, "colour": "red"}, **kwargs.pop("params", {}))
    tm = FakeTM(params=params)
    return Flaky(tm, store, **kwargs), tm


@pytest.mark.parametrize("answer", ["error", "shape"])
def test_an_update_whose_answer_cannot_be_read_is_verified_and_done(answer):
    store = Store({"id": 1, "name": "a", "size": 1, "colour": "red"})
    res, tm = run_flaky(store, answer=answer, params={"size": 2})
    result = ensure(res)
    assert result["changed"] and result["thing"]["size"] == 2 and store.records[1]["size"] == 2
    assert tm.done == [{"action": "update thing", "id": 1, "fields": ["size"], "recovered": True}]


@pytest.mark.parametrize("answer", ["error", "shape"])
def test_an_update_whose_answer_cannot_be_read_and_did_not_take_effect_fails_clearly(answer):
    store = Store({"id": 1, "name": "a", "size": 1, "colour": "red"})
    res, tm = run_flaky(store, answer=answer, applies=False, params={"size": 2})
    with pytest.raises(TunnelApiError) as err:
        ensure(res)
    assert "reading the thing back shows that the update did not take effect" in str(err.value)
    assert tm.done == [] and err.value.outcome != "unknown"


def test_an_update_whose_verification_fails_keeps_the_unknown_outcome_and_notes_it():
    store = Store({"id": 1, "name": "a", "size": 1, "colour": "red"})
    res, tm = run_flaky(store, lookup_fails=True, params={"size": 2})
    with pytest.raises(TunnelApiError) as err:
        ensure(res)
    text = str(err.value)
    assert err.value.outcome == "unknown" and "may or may not have taken effect" in text
    assert "not valid JSON" in text and "503" in text
    assert tm.done == [{"action": "update thing", "id": 1, "fields": ["size"], "outcome": "unknown"}]


@pytest.mark.parametrize("applies", [True, False])
def test_a_delete_whose_answer_cannot_be_read_is_verified(applies):
    store = Store({"id": 1, "name": "a", "size": 1, "colour": "red"})
    res, tm = run_flaky(store, applies=applies, params={"state": "absent"})
    if applies:
        result = ensure(res)
        assert result["changed"] and 1 not in store.records
        assert tm.done == [{"action": "delete thing", "id": 1, "recovered": True}]
    else:
        with pytest.raises(TunnelApiError) as err:
            ensure(res)
        assert "the delete did not take effect" in str(err.value) and tm.done == []


def test_a_create_whose_outcome_is_unknown_is_noted_as_such():
    class LostCreate(Thing):
        def post(self, body):
            super().post(body)
            raise TunnelApiError("test", "the connection failed or was dropped; looking the object up afterwards "
                                 "failed too: HTTP 503", method="POST", url="https://api.test/things", outcome="unknown")

    store = Store()
    tm = FakeTM(params={"state": "present", "name": "a", "size": 1, "colour": "red"})
    with pytest.raises(TunnelApiError) as err:
        ensure(LostCreate(tm, store))
    assert err.value.outcome == "unknown"
    assert tm.done == [{"action": "create thing", "id": None, "outcome": "unknown"}]


def test_a_created_record_that_does_not_hold_what_was_sent_is_not_believed():
    class Forgetful(Thing):
        def post(self, body):
            record, recovered = super().post(dict(body, size=99))  # the API kept another size
            return record, recovered

    store = Store()
    tm = FakeTM(params={"state": "present", "name": "a", "size": 1, "colour": "red"})
    with pytest.raises(TunnelApiError) as err:
        ensure(Forgetful(tm, store))
    assert "size" in str(err.value) and "created" in str(err.value)
    assert [d["action"] for d in tm.done] == ["create thing"]
