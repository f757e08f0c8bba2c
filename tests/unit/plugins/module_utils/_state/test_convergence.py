# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The convergence of a list, driven through a tiny in-memory list resource."""

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.convergence import ListResource, converge
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM


class Account:
    workers = 1

    def __init__(self, *records):
        self.records = [dict(r) for r in records]
        self.log = []


class Things(ListResource):
    provider = "test"
    option = "things"
    item_word = "thing"
    everything = "delete every thing"
    unique = {"label": lambda d: d["label"]}

    def parse(self, option, item):
        problems = []
        if not item.get("name"):
            problems.append("%s.name: must not be empty" % option)
        if not isinstance(item.get("size", 0), int):
            problems.append("%s.size: must be a number" % option)
        if problems:
            raise TunnelConfigError(option, "; ".join(problems))
        return {"name": item["name"], "size": item.get("size", 0), "label": item.get("label")}

    def identity(self, desired):
        return desired["name"]

    def existing_identity(self, record):
        return record["name"]

    def settings(self, desired):
        return {"size": desired["size"], "label": desired["label"], "state": desired["state"]}

    def changes(self, desired, record):
        return {"size": desired["size"]} if desired["size"] != record.get("size") else {}

    def list(self):
        self.account.log.append(("list",))
        return [dict(r) for r in self.account.records]

    def create_body(self, desired):
        return {"name": desired["name"], "size": desired["size"]}

    def create(self, action):
        if action.desired["name"] == "refused":
            raise TunnelApiError("test", "refused", status=400)
        record = dict(self.create_body(action.desired), id=len(self.account.records) + 100)
        self.account.records.append(record)
        self.account.log.append(("create", record["name"]))
        return record

    def update(self, action):
        action.existing.update(action.changes)
        for record in self.account.records:
            if record["id"] == action.existing["id"]:
                record.update(action.changes)
        self.account.log.append(("update", action.existing["name"]))
        return action.existing

    def delete(self, action):
        self.account.records = [r for r in self.account.records if r["id"] != action.existing["id"]]
        self.account.log.append(("delete", action.existing["name"]))
        return action.existing

    def line(self, record):
        return "%s=%s" % (record["name"], record.get("size"))

    def explain(self, action, error):
        return TunnelConfigError(action.desired["option"], error.message)


def run(account, items, check_mode=False, diff=True, **params):
    params = dict({"things": items, "exclusive": False, "allow_empty_exclusive": False}, **params)
    tm = FakeTM(client=account, params=params, check_mode=check_mode, diff=diff)
    resource = Things(tm)
    resource.account = account
    return converge(resource), tm


def test_lists_once_writes_in_phases_and_counts():
    account = Account({"id": 1, "name": "a", "size": 1}, {"id": 2, "name": "b", "size": 1},
                      {"id": 3, "name": "c", "size": 1})
    result, tm = run(account, [{"name": "a", "size": 1}, {"name": "b", "size": 2}, {"name": "d"}], exclusive=True)
    assert account.log == [("list",), ("delete", "c"), ("update", "b"), ("create", "d")]
    assert result["counts"] == {"created": 1, "updated": 1, "removed": 1, "unchanged": 1}
    assert result["diff"] == {"before": "a=1\nb=1\nc=1\n", "after": "a=1\nb=2\nd=0\n"}
    assert [d["action"] for d in tm.done] == ["delete thing", "update thing", "create thing"]
    result = run(account, [{"name": "a", "size": 1}, {"name": "b", "size": 2}, {"name": "d"}], exclusive=True)[0]
    assert not result["changed"] and account.log[-1] == ("list",)


def test_every_bad_entry_is_reported_at_once_before_any_request():
    account = Account()
    with pytest.raises(TunnelConfigError) as err:
        run(account, [{"name": ""}, {"name": "ok"}, {"name": "x", "size": "big"}])
    assert err.value.option == "things"
    assert "things[0].name" in str(err.value) and "things[2].size" in str(err.value)
    assert account.log == []


def test_contradictions_and_repeated_unique_values_fail_before_the_listing():
    account = Account()
    with pytest.raises(TunnelConfigError) as err:
        run(account, [{"name": "a", "size": 1}, {"name": "a", "size": 2}, {"name": "b", "label": "l"},
                      {"name": "c", "label": "l"}])
    assert "things[0] and things[1] name the same object with different settings: size (1 in things[0], " \
        "2 in things[1])" in str(err.value)
    assert "things[2] and things[3] both have label 'l'" in str(err.value) and account.log == []


def test_identical_repeats_are_merged():
    result = run(Account(), [{"name": "a"}, {"name": "a"}])[0]
    assert result["merged_duplicates"] == ["things[1] repeats things[0]"] and result["counts"]["created"] == 1


def test_an_exclusive_list_that_keeps_nothing_needs_allow_empty_exclusive():
    account = Account({"id": 1, "name": "a", "size": 0})
    with pytest.raises(TunnelConfigError) as err:
        run(account, [{"name": "a", "state": "absent"}], exclusive=True)
    assert str(err.value) == ("things: lists no thing to keep while exclusive=true, which would delete every thing; "
                              "set allow_empty_exclusive=true if that is really wanted")
    assert account.log == []
    assert run(account, [], exclusive=True, allow_empty_exclusive=True)[0]["counts"]["removed"] == 1


def test_check_mode_projects_without_writing():
    account = Account({"id": 1, "name": "a", "size": 1}, {"id": 2, "name": "b", "size": 1})
    result, tm = run(account, [{"name": "a", "size": 3}, {"name": "c"}], check_mode=True, exclusive=True)
    assert account.log == [("list",)] and tm.done == []
    assert result["updated"] == [{"id": 1, "name": "a", "size": 3}]
    assert result["created"] == [{"name": "c", "size": 0}] and [r["name"] for r in result["removed"]] == ["b"]


def test_a_failure_keeps_what_was_done_and_is_explained():
    account = Account({"id": 1, "name": "a", "size": 1})
    with pytest.raises(TunnelConfigError) as err:
        run(account, [{"name": "a", "size": 2}, {"name": "refused"}])
    assert err.value.option == "things[1]"
    assert account.log == [("list",), ("update", "a")]


def test_no_diff_unless_asked():
    assert "diff" not in run(Account(), [{"name": "a"}], diff=False)[0]


def test_a_delete_the_api_answered_404_is_not_counted_or_noted():
    class Vanishing(Things):
        def delete(self, action):
            self.account.log.append(("delete", action.existing["name"]))
            return False  # gone already

    account = Account({"id": 1, "name": "a", "size": 1}, {"id": 2, "name": "b", "size": 1})
    tm = FakeTM(client=account, params={"things": [{"name": "a", "size": 1}], "exclusive": True,
                                        "allow_empty_exclusive": False})
    resource = Vanishing(tm)
    resource.account = account
    result = converge(resource)
    assert account.log == [("list",), ("delete", "b")]
    assert result["removed"] == [] and result["counts"]["removed"] == 0 and tm.done == []


# -- writes whose answer cannot be believed are verified by reading back (16.25, 18.1, 18.2) -------------

class Unbelievable(Things):
    """Each write takes effect (or not), then answers with something that cannot be believed."""

    applies, answer, list_fails_after_writes = True, "error", False

    def explain(self, action, error):
        return error

    def list(self):
        if self.list_fails_after_writes and any(entry[0] != "list" for entry in self.account.log):
            raise TunnelApiError("test", "Service Unavailable", status=503, method="GET", url="https://api.test/things")
        return super().list()

    def _answer(self, method, record):
        if self.answer == "error":
            raise TunnelApiError("test", "the answer is not valid JSON: <html>", status=200, method=method,
                                 url="https://api.test/things", outcome="unknown")
        return {"unexpected": "shape"}

    def create(self, action):
        if self.applies:
            super().create(action)
        else:
            self.account.log.append(("create", action.desired["name"]))
        return self._answer("POST", None)

    def update(self, action):
        if self.applies:
            super().update(action)
        else:
            self.account.log.append(("update", action.existing["name"]))
        return self._answer("PATCH", None)

    def delete(self, action):
        if self.applies:
            super().delete(action)
        else:
            self.account.log.append(("delete", action.existing["name"]))
        # Collection.delete answers True or False, or raises with an unknown outcome for any other answer.
        raise TunnelApiError("test", "the answer is not an empty answer: {}", status=200, method="DELETE",
                             url="https://api.test/things", outcome="unknown")


def run_unbelievable(account, items, **attrs):
    tm = FakeTM(client=account, params={"things": items, "exclusive": True, "allow_empty_exclusive": False})
    resource = Unbelievable(tm)
    resource.account = account
    for name, value in attrs.items():
        setattr(resource, name, value)
    return resource, tm


@pytest.mark.parametrize("answer", ["error", "shape"])
def test_list_writes_whose_answers_cannot_be_believed_are_verified(answer):
    account = Account({"id": 1, "name": "a", "size": 1}, {"id": 2, "name": "b", "size": 1})
    resource, tm = run_unbelievable(account, [{"name": "a", "size": 2}, {"name": "c"}], answer=answer)
    result = converge(resource)
    assert result["counts"] == {"created": 1, "updated": 1, "removed": 1, "unchanged": 0}
    assert [d["action"] for d in tm.done] == ["delete thing", "update thing", "create thing"]
    assert sorted(r["name"] for r in account.records) == ["a", "c"]
    assert result["created"][0]["name"] == "c" and result["updated"][0] == {"id": 1, "name": "a", "size": 2}


@pytest.mark.parametrize("answer", ["error", "shape"])
def test_a_list_write_that_did_not_take_effect_fails_clearly(answer):
    account = Account({"id": 1, "name": "a", "size": 1}, {"id": 2, "name": "b", "size": 1})
    resource, tm = run_unbelievable(account, [{"name": "a", "size": 1}], answer=answer, applies=False)
    with pytest.raises(TunnelApiError) as err:
        converge(resource)
    assert "shows that the delete did not take effect" in str(err.value) and tm.done == []


def test_a_list_create_whose_verification_fails_keeps_the_unknown_outcome():
    account = Account({"id": 1, "name": "a", "size": 1})
    resource, tm = run_unbelievable(account, [{"name": "a", "size": 1}, {"name": "c", "size": 3}],
                                    list_fails_after_writes=True)
    with pytest.raises(TunnelApiError) as err:
        converge(resource)
    assert err.value.outcome == "unknown" and "503" in str(err.value)
    assert tm.done == [{"action": "create thing", "id": None, "outcome": "unknown"}]


def test_a_list_update_that_did_not_take_effect_fails_clearly():
    account = Account({"id": 1, "name": "a", "size": 1})
    resource, tm = run_unbelievable(account, [{"name": "a", "size": 5}], applies=False, answer="shape")
    with pytest.raises(TunnelApiError) as err:
        converge(resource)
    assert "shows that the update did not take effect" in str(err.value) and tm.done == []
