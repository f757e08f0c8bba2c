# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The logic behind openport_key and openport_keys, against an in-memory account."""

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport import key, key_info
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport import keys as key_list
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_openport import FakeOpenport, ed25519

K1, K2, K3, K4 = ed25519(1, "a@one"), ed25519(2, "b@two"), ed25519(3, "c@three"), ed25519(4, "d@four")


def one(client, check_mode=False, **params):
    params.setdefault("state", "present")
    params.setdefault("replace_conflicting_name", False)
    params.setdefault("public_key", None)
    params.setdefault("name", None)
    return key.run(FakeTM(client, params, check_mode=check_mode))


def bulk(client, keys, check_mode=False, **params):
    params.setdefault("exclusive", False)
    params.setdefault("allow_empty_exclusive", False)
    params.setdefault("replace_conflicting_name", False)
    params["keys"] = [dict({"state": "present"}, **k) for k in keys]
    return key_list.run(FakeTM(client, params, check_mode=check_mode))


# -- openport_key -------------------------------------------------------------

def test_create_then_idempotent_with_other_comment():
    client = FakeOpenport()
    result = one(client, public_key=K1, name="web-1")
    assert result["changed"] and result["key"]["name"] == "web-1"
    assert client.writes() == [("POST", "web-1")]
    result = one(client, public_key=ed25519(1, "another comment"), name=" web-1 ")
    assert not result["changed"]
    assert len(client.writes()) == 1


def test_rename_in_place_and_diff():
    client = FakeOpenport([("old", K1)])
    result = one(client, public_key=K1, name="new")
    assert client.writes() == [("PATCH", 1001)]
    assert result["diff"]["before"]["name"] == "old" and result["diff"]["after"]["name"] == "new"
    assert client.records[1001]["name"] == "new"


def test_check_mode_writes_nothing():
    client = FakeOpenport([("old", K1)])
    assert one(client, check_mode=True, public_key=K1, name="new")["changed"]
    assert one(client, check_mode=True, public_key=K2, name="two")["key"] == {"name": "two", "public_key": K2}
    assert one(client, check_mode=True, name="old", state="absent")["changed"]
    assert client.writes() == []


def test_name_held_by_another_key_fails_before_any_write():
    client = FakeOpenport([("web-1", K1)])
    with pytest.raises(TunnelConfigError) as err:
        one(client, public_key=K2, name="web-1")
    assert err.value.option == "name"
    assert "'web-1' is already the name of key id 1001 'web-1' (SHA256:" in str(err.value)
    assert "replace_conflicting_name=true" in str(err.value)
    assert client.writes() == []


def test_replace_conflicting_name_deletes_the_holder_first():
    client = FakeOpenport([("web-1", K1)])
    result = one(client, public_key=K2, name="web-1", replace_conflicting_name=True)
    assert client.writes() == [("DELETE", 1001), ("POST", "web-1")]
    assert [k["id"] for k in result["replaced_keys"]] == [1001]
    assert isinstance(result["diff"], list) and len(result["diff"]) == 2


def test_rename_onto_a_held_name_with_replace():
    client = FakeOpenport([("web-1", K1), ("web-2", K2)])
    with pytest.raises(TunnelConfigError):
        one(client, public_key=K2, name="web-1")
    result = one(client, check_mode=True, public_key=K2, name="web-1", replace_conflicting_name=True)
    assert result["changed"] and [k["id"] for k in result["replaced_keys"]] == [1001] and client.writes() == []
    result = one(client, public_key=K2, name="web-1", replace_conflicting_name=True)
    assert client.writes() == [("DELETE", 1001), ("PATCH", 1002)]
    assert result["key"] == {"id": 1002, "name": "web-1", "public_key": K2, "last_connection_time": None}


def test_foreign_public_key_is_explained():
    client = FakeOpenport(foreign=[K3])
    with pytest.raises(TunnelConfigError) as err:
        one(client, public_key=K3, name="x")
    assert err.value.option == "public_key"
    assert "Openport refused the key SHA256:" in str(err.value)
    assert "key with this public key already exists." in str(err.value)
    assert "another account" in str(err.value)


def test_absent_by_name_refuses_an_ambiguous_name():
    client = FakeOpenport([("dup", K1), ("dup", K2)], unique_names=False)
    with pytest.raises(TunnelConfigError) as err:
        one(client, name="dup", state="absent")
    assert str(err.value).startswith("name: 'dup' is ambiguous: 2 keys have this name (key id 1001 'dup'")
    assert client.writes() == []
    result = one(client, public_key=K2, name="dup", state="absent")
    assert client.writes() == [("DELETE", 1002)] and result["key"]["id"] == 1002


def test_absent_of_missing_key_is_unchanged():
    client = FakeOpenport([("a", K1)])
    assert not one(client, public_key=K2, state="absent")["changed"]
    assert not one(client, name="zzz", state="absent")["changed"]
    assert client.writes() == []


@pytest.mark.parametrize("text, reason", [
    ("ssh-foo AAAAC3NzaC1lZDI1NTE5AAAA", "unknown key type 'ssh-foo'"),
    ("ssh-ed25519 AAAA!!!", "not valid base64"),
    (ed25519(1).replace("ssh-ed25519 ", "ssh-rsa ", 1), "does not match the type inside the key data"),
])
def test_invalid_public_key_names_the_option(text, reason):
    client = FakeOpenport()
    with pytest.raises(TunnelConfigError) as err:
        one(client, public_key=text, name="x")
    assert err.value.option == "public_key" and reason in str(err.value)
    assert client.calls == []


# -- openport_keys ------------------------------------------------------------

def test_bulk_lists_once_and_writes_only_changes():
    existing = [("k%d" % i, ed25519(100 + i)) for i in range(50)]
    client = FakeOpenport(existing)
    wanted = [{"public_key": ed25519(100 + i), "name": "k%d" % i} for i in range(50)]
    wanted[3]["name"] = "renamed"
    wanted.append({"public_key": K1, "name": "new"})
    result = bulk(client, wanted)
    assert result["counts"] == {"created": 1, "updated": 1, "removed": 0, "unchanged": 49}
    assert [c for c in client.calls if c[0] == "GET"] == [("GET", "keys")]
    assert sorted(client.writes(), key=str) == [("PATCH", 1004), ("POST", "new")]
    again = bulk(client, wanted)
    assert not again["changed"] and again["counts"]["unchanged"] == 51


def test_bulk_exclusive_refuses_an_empty_list_and_check_mode_shows_removals():
    client = FakeOpenport([("a", K1), ("b", K2)])
    with pytest.raises(TunnelConfigError) as err:
        bulk(client, [], exclusive=True)
    assert "allow_empty_exclusive=true" in str(err.value) and client.calls == []
    result = bulk(client, [{"public_key": K1, "name": "a"}], exclusive=True, check_mode=True)
    assert [k["name"] for k in result["removed"]] == ["b"] and client.writes() == []
    result = bulk(client, [], exclusive=True, allow_empty_exclusive=True)
    assert result["counts"]["removed"] == 2 and client.records == {}


def test_bulk_reports_every_input_problem_at_once():
    client = FakeOpenport()
    with pytest.raises(TunnelConfigError) as err:
        bulk(client, [{"public_key": "nope", "name": "a"}, {"public_key": K1, "name": ""}])
    assert str(err.value).startswith("keys: keys[0].public_key: not a valid OpenSSH public key")
    assert "keys[1].name: must be a non-empty key name" in str(err.value)
    with pytest.raises(TunnelConfigError) as err:
        bulk(client, [{"public_key": K1, "name": "a"}, {"public_key": K2, "name": "a"},
                      {"public_key": ed25519(1, "other comment"), "name": "b"}])
    assert str(err.value) == ("keys: keys[0] and keys[2] name the same object with different settings; "
                              "keys[0] and keys[1] both have name 'a'")
    assert client.calls == []


def test_bulk_merges_entries_that_agree():
    client = FakeOpenport()
    result = bulk(client, [{"public_key": K1, "name": "a"}, {"public_key": K2, "name": "b"},
                           {"public_key": ed25519(1, "other comment"), "name": "a"}])
    assert result["merged_duplicates"] == ["keys[2] repeats keys[0]"]
    assert result["counts"]["created"] == 2 and len(client.writes()) == 2


def test_bulk_name_conflicts_with_unlisted_keys():
    client = FakeOpenport([("web", K1)])
    with pytest.raises(TunnelConfigError) as err:
        bulk(client, [{"public_key": K2, "name": "web"}])
    assert "keys[0].name 'web' is already the name of key id 1001 'web'" in str(err.value)
    assert client.writes() == []
    result = bulk(client, [{"public_key": K2, "name": "web"}], replace_conflicting_name=True)
    assert client.writes() == [("DELETE", 1001), ("POST", "web")]
    assert [k["id"] for k in result["replaced_keys"]] == [1001]


def test_bulk_rename_chain_runs_in_order_and_cycles_are_refused():
    client = FakeOpenport([("a", K1), ("b", K2)])
    bulk(client, [{"public_key": K1, "name": "b"}, {"public_key": K2, "name": "c"}])
    assert client.writes() == [("PATCH", 1002), ("PATCH", 1001)]
    client = FakeOpenport([("a", K1), ("b", K2)])
    with pytest.raises(TunnelConfigError) as err:
        bulk(client, [{"public_key": K1, "name": "b"}, {"public_key": K2, "name": "a"}])
    assert "go round in a circle" in str(err.value) and client.writes() == []


def test_bulk_failure_lists_what_was_done():
    client = FakeOpenport(foreign=[K4])
    tm = FakeTM(client, {"keys": [{"public_key": K1, "name": "a", "state": "present"},
                                  {"public_key": K4, "name": "d", "state": "present"}],
                         "exclusive": False, "allow_empty_exclusive": False, "replace_conflicting_name": False})
    with pytest.raises(TunnelConfigError) as err:
        key_list.run(tm)
    assert err.value.option == "keys[1].public_key"
    assert [d["name"] for d in tm.done] == ["a"]


def test_key_info_filters():
    client = FakeOpenport([("a", K1), ("b", K2), ("c", K3)])
    client.records[1001]["last_connection_time"] = "2026-01-10T10:00:00+01:00"
    client.records[1002]["last_connection_time"] = "2025-06-01T00:00:00Z"
    params = {"name": None, "public_key": None, "last_connection_before": None, "last_connection_after": None}
    assert len(key_info.run(FakeTM(client, params))["ssh_keys"]) == 3
    got = key_info.run(FakeTM(client, dict(params, last_connection_before="2026-01-01")))["ssh_keys"]
    assert [k["name"] for k in got] == ["b"]
    got = key_info.run(FakeTM(client, dict(params, last_connection_after="2026-01-10T09:00:00Z")))["ssh_keys"]
    assert [k["name"] for k in got] == ["a"]
    assert [k["name"] for k in key_info.run(FakeTM(client, dict(params, public_key=ed25519(3, "x"))))["ssh_keys"]] == ["c"]
    assert [k["name"] for k in key_info.run(FakeTM(client, dict(params, name=["a", "c"])))["ssh_keys"]] == ["a", "c"]
    with pytest.raises(TunnelConfigError) as err:
        key_info.run(FakeTM(client, dict(params, last_connection_after="yesterday")))
    assert str(err.value).startswith("last_connection_after: 'yesterday' is not a date (YYYY-MM-DD)")


# -- issue 16.13, 16.21, 18.7: input checked before any request ----------------

@pytest.mark.parametrize("state", ["present", "absent"])
def test_empty_public_key_is_an_error_naming_the_option_before_any_request(state):
    client = FakeOpenport([("web-1", K1)])
    with pytest.raises(TunnelConfigError) as err:
        one(client, public_key="", name="web-1", state=state)
    assert err.value.option == "public_key" and "the key is empty" in str(err.value)
    assert client.calls == []


@pytest.mark.parametrize("name, reason", [
    ("n" * 100000, "is 100000 characters long; the collection allows at most 255"),
    ("web\n1", "holds a control character"),
])
def test_key_name_limits_before_any_request(name, reason):
    client = FakeOpenport()
    with pytest.raises(TunnelConfigError) as err:
        one(client, public_key=K1, name=name)
    assert err.value.option == "name" and reason in str(err.value)
    with pytest.raises(TunnelConfigError) as err:
        bulk(client, [{"public_key": K1, "name": "ok"}, {"public_key": K2, "name": name}])
    assert "keys[1].name: " in str(err.value) and reason in str(err.value)
    assert client.calls == []
    assert len(str(err.value)) < 400, "the message must not echo a huge value"


def test_bulk_lists_every_problem_of_every_item():
    client = FakeOpenport()
    with pytest.raises(TunnelConfigError) as err:
        bulk(client, [{"public_key": "nope", "name": ""}, {"public_key": K1, "name": "fine"},
                      {"public_key": "", "name": None}])
    text = str(err.value)
    for part in ("keys[0].public_key: not a valid OpenSSH public key", "keys[0].name: must be a non-empty key name",
                 "keys[2].public_key: not a valid OpenSSH public key: the key is empty",
                 "keys[2].name: must be a non-empty key name"):
        assert part in text, text
    assert client.calls == []
