# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two runs registering one key at once (issue 18.5): the run that loses looks again and converges."""

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport import key
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport import keys as key_list
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_openport import FakeOpenport, ed25519

K1, K2 = ed25519(1, "a@one"), ed25519(2, "b@two")


def one(client, **params):
    params = dict({"state": "present", "replace_conflicting_name": False}, **params)
    tm = FakeTM(client, params)
    return key.run(tm), tm


def bulk(client, keys):
    tm = FakeTM(client, {"keys": [dict({"state": "present"}, **k) for k in keys], "exclusive": False,
                         "allow_empty_exclusive": False, "replace_conflicting_name": False})
    return key_list.run(tm), tm


def other_run_registers(client, name, public_key):
    """The other run's POST lands between this run's listing and its POST (once)."""
    def land():
        client.before_create = None
        client._add(name, public_key)
    client.before_create = land


def test_losing_run_finds_the_key_the_other_run_made():
    client = FakeOpenport()
    other_run_registers(client, "web-1", K1)
    result, tm = one(client, public_key=K1, name="web-1")
    assert result["key"]["id"] == 1001 and result["key"]["name"] == "web-1"
    assert client.calls == [("GET", "keys"), ("POST", "web-1"), ("GET", "keys")]
    assert len(client.records) == 1
    assert [d["action"] for d in tm.done] == []  # this run wrote nothing


def test_losing_run_renames_the_key_the_other_run_made_under_another_name():
    client = FakeOpenport()
    other_run_registers(client, "laptop", K1)
    result, tm = one(client, public_key=K1, name="web-1")
    assert result["changed"] and result["key"]["name"] == "web-1"
    assert client.writes() == [("POST", "web-1"), ("PATCH", 1001)]
    assert [d["action"] for d in tm.done] == ["renamed key"]


def test_a_key_of_another_account_is_still_refused_after_looking_again():
    client = FakeOpenport(foreign=[K2])
    with pytest.raises(TunnelConfigError) as err:
        one(client, public_key=K2, name="x")
    assert err.value.option == "public_key" and "another account" in str(err.value)
    assert client.calls == [("GET", "keys"), ("POST", "x"), ("GET", "keys")]


def test_bulk_losing_run_converges_and_says_so():
    client = FakeOpenport()
    other_run_registers(client, "laptop", K1)
    result, tm = bulk(client, [{"public_key": K1, "name": "web-1"}])
    assert client.records[1001]["name"] == "web-1" and len(client.records) == 1
    assert [k["id"] for k in result["created"]] == [1001]
    assert [d["action"] for d in tm.done] == ["renamed key registered meanwhile by another run"]


def test_bulk_key_of_another_account_names_the_entry():
    client = FakeOpenport(foreign=[K2])
    with pytest.raises(TunnelConfigError) as err:
        bulk(client, [{"public_key": K1, "name": "a"}, {"public_key": K2, "name": "b"}])
    assert err.value.option == "keys[1].public_key" and "another account" in str(err.value)


def test_bulk_losing_run_with_the_same_name_writes_and_notes_nothing_more():
    client = FakeOpenport()
    other_run_registers(client, "web-1", K1)
    result, tm = bulk(client, [{"public_key": K1, "name": "web-1"}, {"public_key": K2, "name": "web-2"}])
    assert sorted(k["name"] for k in result["created"]) == ["web-1", "web-2"]
    assert [d["action"] for d in tm.done] == ["created key"] and tm.done[0]["name"] == "web-2"
