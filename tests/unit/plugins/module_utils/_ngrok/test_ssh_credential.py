# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import ssh_credential, ssh_credentials
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_ngrok import KEY1, KEY2, KEY3, FakeNgrok


def one(client, check_mode=False, **kwargs):
    params = dict(state="present", public_key=None, id=None, description=None, metadata=None, acl=None,
                  owner_id=None, replace=False)
    params.update(kwargs)
    tm = FakeTM(client, params, check_mode=check_mode)
    return ssh_credential.run(tm), tm


def record(key, **kwargs):
    rec = {"id": "sshcr_1", "public_key": key, "description": "d", "acl": [], "owner_id": "usr_me"}
    rec.update(kwargs)
    return rec


def test_create_sends_the_key_without_options_and_is_then_a_no_op():
    client = FakeNgrok(ssh_credentials=[])
    result = one(client, public_key='no-pty,from="10.0.0.1" ' + KEY1, description="d", metadata={"h": 1})[0]
    assert result["changed"] and result["ssh_credential"]["fingerprint"].startswith("SHA256:")
    assert client.writes() == [("POST", "ssh_credentials", None,
                                {"public_key": KEY1, "description": "d", "metadata": '{"h":1}'})]
    result = one(client, public_key=KEY1.rsplit(" ", 1)[0] + " other comment", description="d",
                 metadata={"h": 1})[0]
    assert not result["changed"] and len(client.writes()) == 1


def test_invalid_key_fails_before_any_request():
    client = FakeNgrok()
    with pytest.raises(TunnelConfigError) as err:
        one(client, public_key="ssh-ed25519 AAAAnotakey")
    assert err.value.option == "public_key"
    assert client.log == []


def test_update_in_place():
    client = FakeNgrok(ssh_credentials=[record(KEY1)])
    result = one(client, public_key=KEY1, acl=["bind:a.example.com"])[0]
    assert client.writes() == [("PATCH", "ssh_credentials", "sshcr_1", {"acl": ["bind:a.example.com"]})]
    assert result["diff"]["before"]["acl"] == [] and result["diff"]["after"]["acl"] == ["bind:a.example.com"]


def test_new_key_by_id_needs_replace_then_creates_before_deleting():
    client = FakeNgrok(ssh_credentials=[record(KEY1)])
    with pytest.raises(TunnelConfigError) as err:
        one(client, id="sshcr_1", public_key=KEY2)
    assert err.value.option == "public_key" and "replace=true" in str(err.value)
    assert client.writes() == []
    result = one(client, id="sshcr_1", public_key=KEY2, replace=True)[0]
    assert [w[0] for w in client.writes()] == ["POST", "DELETE"]
    assert client.writes()[0][3]["public_key"] == KEY2 and client.writes()[0][3]["description"] == "d"
    assert result["replaced_id"] == "sshcr_1"


def test_new_owner_deletes_before_creating_the_same_key():
    client = FakeNgrok(ssh_credentials=[record(KEY1)])
    with pytest.raises(TunnelConfigError) as err:
        one(client, public_key=KEY1, owner_id="usr_other")
    assert err.value.option == "owner_id"
    one(client, public_key=KEY1, owner_id="usr_other", replace=True)
    assert [w[0] for w in client.writes()] == ["DELETE", "POST"]
    assert client.writes()[1][3]["owner_id"] == "usr_other"


def test_absent_by_key_and_check_mode():
    client = FakeNgrok(ssh_credentials=[record(KEY1)])
    result = one(client, check_mode=True, public_key=KEY1, state="absent")[0]
    assert result["changed"] and client.writes() == []
    result = one(client, public_key=KEY1, state="absent")[0]
    assert client.writes() == [("DELETE", "ssh_credentials", "sshcr_1", None)]


def many(client, items, check_mode=False, **kwargs):
    params = dict(credentials=items, exclusive=False, allow_empty_exclusive=False)
    params.update(kwargs)
    tm = FakeTM(client, params, check_mode=check_mode)
    return ssh_credentials.run(tm), tm


def test_bulk_lists_once_and_writes_only_what_differs():
    client = FakeNgrok(ssh_credentials=[record(KEY1), record(KEY2, id="sshcr_2", description="old"),
                                        record(KEY3, id="sshcr_3")])
    items = [{"public_key": KEY1, "description": "d"}, {"public_key": KEY2, "description": "new"}]
    result = many(client, items, exclusive=True)[0]
    assert [e[0] for e in client.log].count("GET") == 1
    assert sorted((w[0], w[2]) for w in client.writes()) == [("DELETE", "sshcr_3"), ("PATCH", "sshcr_2")]
    assert result["counts"] == {"created": 0, "updated": 1, "removed": 1, "unchanged": 1}
    result = many(client, items, exclusive=True)[0]
    assert not result["changed"] and len(client.writes()) == 2


def test_bulk_check_mode_reports_without_writing():
    client = FakeNgrok(ssh_credentials=[])
    result = many(client, [{"public_key": KEY1, "description": "a"}], check_mode=True)[0]
    assert result["changed"] and result["counts"]["created"] == 1 and client.writes() == []
    assert result["created"][0]["fingerprint"].startswith("SHA256:")


def test_bulk_reports_every_bad_item_at_once():
    with pytest.raises(TunnelConfigError) as err:
        many(FakeNgrok(), [{"public_key": "nope"}, {"public_key": KEY1, "acl": ["x"]},
                           {"public_key": KEY2, "description": "é" * 200}])
    text = str(err.value)
    assert "credentials[0].public_key" in text and "credentials[1].acl" in text
    assert "credentials[2].description" in text


def test_bulk_exclusive_refuses_an_empty_list_unless_allowed():
    client = FakeNgrok(ssh_credentials=[record(KEY1)])
    with pytest.raises(TunnelConfigError, match="allow_empty_exclusive"):
        many(client, [], exclusive=True)
    assert client.log == []
    result = many(client, [], exclusive=True, allow_empty_exclusive=True)[0]
    assert result["counts"]["removed"] == 1


def test_bulk_api_failure_names_the_item_and_what_was_done():
    client = FakeNgrok(ssh_credentials=[])
    calls = []

    def before_create(collection, body):
        calls.append(body)
        if len(calls) == 2:
            raise TunnelApiError("ngrok", "key in use", status=400, code="ERR_NGROK_610")
    client.before_create = before_create
    with pytest.raises(TunnelApiError) as err:
        many(client, [{"public_key": KEY1}, {"public_key": KEY2}])
    assert "credentials[1]: key in use" in str(err.value) and err.value.code == "ERR_NGROK_610"


def test_bulk_contradiction_fails_before_the_listing():
    client = FakeNgrok(ssh_credentials=[])
    with pytest.raises(TunnelConfigError, match=r"credentials\[0\] and credentials\[1\]"):
        many(client, [{"public_key": KEY1, "description": "a"}, {"public_key": KEY1, "description": "b"}])
    assert client.log == []


# -- issue 16.11, 16.13, 16.21, 16.23 ------------------------------------------------


@pytest.mark.parametrize("state", ["present", "absent"])
@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_public_key_is_named_before_any_request(state, empty):
    client = FakeNgrok(ssh_credentials=[record(KEY1)])
    with pytest.raises(TunnelConfigError) as err:
        one(client, public_key=empty, state=state)
    assert err.value.option == "public_key" and "empty" in str(err.value)
    assert client.log == []


def test_delete_by_id_refuses_a_public_key_the_credential_does_not_have():
    client = FakeNgrok(ssh_credentials=[record(KEY1)])
    with pytest.raises(TunnelConfigError) as err:
        one(client, id="sshcr_1", public_key=KEY2, state="absent")
    assert err.value.option == "public_key" and "sshcr_1" in str(err.value) and "nothing was deleted" in str(err.value)
    assert client.writes() == []
    result = one(client, id="sshcr_1", public_key=KEY1.rsplit(" ", 1)[0] + " renamed@host", state="absent")[0]
    assert result["changed"] and client.writes() == [("DELETE", "ssh_credentials", "sshcr_1", None)]


def test_delete_by_id_alone_still_deletes():
    client = FakeNgrok(ssh_credentials=[record(KEY1)])
    assert one(client, id="sshcr_1", state="absent")[0]["changed"]
    assert client.writes() == [("DELETE", "ssh_credentials", "sshcr_1", None)]


def test_acl_star_is_said_to_mean_no_restriction():
    client = FakeNgrok(ssh_credentials=[record(KEY1)])
    result = one(client, public_key=KEY1, acl=["*"])[0]
    assert not result["changed"] and client.writes() == []
    assert result["ssh_credential"]["acl"] == [] and "no restriction" in result["acl_notes"][0]
    assert "acl_notes" not in one(client, public_key=KEY1, acl=[])[0]


def keeps_acl(**collections):
    """A server that answers a PATCH of ``acl: []`` without clearing the rules (unconfirmed at ngrok)."""
    client = FakeNgrok(**collections)
    client.keep_acl_on_empty = True
    return client


def test_an_acl_left_in_place_by_an_empty_list_is_cleared_with_a_star():
    client = keeps_acl(ssh_credentials=[record(KEY1, acl=["bind:a.example.com"])])
    result = one(client, public_key=KEY1, acl=[])[0]
    assert client.writes() == [("PATCH", "ssh_credentials", "sshcr_1", {"acl": []}),
                               ("PATCH", "ssh_credentials", "sshcr_1", {"acl": ["*"]})]
    assert result["changed"] and result["ssh_credential"]["acl"] == ["*"]
    assert "['*']" in result["acl_notes"][0]
    assert one(client, public_key=KEY1, acl=[])[0]["changed"] is False


def test_an_acl_cleared_by_an_empty_list_is_left_so():
    client = FakeNgrok(ssh_credentials=[record(KEY1, acl=["bind:a.example.com"])])
    result = one(client, public_key=KEY1, acl=[])[0]
    assert client.writes() == [("PATCH", "ssh_credentials", "sshcr_1", {"acl": []})]
    assert "acl_notes" not in result


def test_bulk_merges_an_item_listed_twice_identically():
    client = FakeNgrok(ssh_credentials=[])
    item = {"public_key": KEY1, "description": "a", "metadata": {"h": 1}, "acl": ["bind:b", "bind:a"]}
    again = dict(item, public_key=KEY1.rsplit(" ", 1)[0] + " other@host", metadata='{"h":1}', acl=["bind:a", "bind:b"])
    result = many(client, [item, again])[0]
    assert result["merged_duplicates"] == ["credentials[1] repeats credentials[0]"]
    assert [w[0] for w in client.writes()] == ["POST"] and result["counts"]["created"] == 1


def test_bulk_merges_absent_repeats_whatever_their_fields():
    client = FakeNgrok(ssh_credentials=[record(KEY1)])
    result = many(client, [{"public_key": KEY1, "state": "absent", "description": "x"},
                           {"public_key": KEY1, "state": "absent"}])[0]
    assert result["counts"]["removed"] == 1 and len(result["merged_duplicates"]) == 1


def test_bulk_lists_every_problem_of_an_item():
    with pytest.raises(TunnelConfigError) as err:
        many(FakeNgrok(), [{"public_key": "nope", "acl": ["x", "bind:ok", "y"], "description": "é" * 200,
                            "metadata": 5}])
    text = str(err.value)
    for option in ("credentials[0].public_key", "credentials[0].acl", "credentials[0].description",
                   "credentials[0].metadata"):
        assert option in text
    assert "'x'" in text and "'y'" in text


def test_bulk_clears_a_kept_acl_with_a_star_and_notes_acl_star_items():
    client = keeps_acl(ssh_credentials=[record(KEY1, acl=["bind:a.example.com"]), record(KEY2, id="sshcr_2")])
    result = many(client, [{"public_key": KEY1, "acl": []}, {"public_key": KEY2, "acl": ["*"]}])[0]
    assert client.writes()[-1] == ("PATCH", "ssh_credentials", "sshcr_1", {"acl": ["*"]})
    assert result["updated"][0]["acl"] == ["*"]
    notes = result["acl_notes"]
    assert len(notes) == 2 and notes[0].startswith("credentials[0]: ") and notes[1].startswith("credentials[1]: ")
