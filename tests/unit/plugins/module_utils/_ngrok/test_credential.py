# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import api_key, credential
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.machine import ensure
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_ngrok import FakeNgrok


def params(**kwargs):
    base = dict(state="present", id=None, description=None, metadata=None, acl=None, owner_id=None, rotate=False)
    base.update(kwargs)
    return base


def existing(**kwargs):
    record = {"id": "cr_old", "description": "ci", "acl": [], "owner_id": "usr_me"}
    record.update(kwargs)
    return record


def run(client, check_mode=False, collection="credentials", **kwargs):
    tm = FakeTM(client, params(**kwargs), check_mode=check_mode)
    resource = credential.TokenResource if collection == "credentials" else api_key.ApiKeyResource
    return ensure(resource(tm)), tm


def test_create_returns_the_token_once_and_not_in_the_record_or_diff():
    client = FakeNgrok(credentials=[])
    result, tm = run(client, description="ci", metadata={"b": 1, "a": 2}, acl=["bind:*.ci.example.com"])
    assert result["changed"] is True
    assert result["token"].endswith("_SECRET")
    assert "token" not in result["credential"]
    assert "SECRET" not in repr(result["diff"]) and "SECRET" not in repr(tm.done)
    assert client.writes() == [("POST", "credentials", None, {
        "description": "ci", "metadata": '{"a":2,"b":1}', "acl": ["bind:*.ci.example.com"]})]


def test_rerun_sends_no_write_and_no_token():
    client = FakeNgrok(credentials=[existing(metadata='{"a":2,"b":1}')])
    result = run(client, description="ci", metadata={"a": 2, "b": 1}, acl=[])[0]
    assert result["changed"] is False and "token" not in result
    assert client.writes() == []


def test_update_patches_only_what_differs():
    client = FakeNgrok(credentials=[existing(metadata="old")])
    result = run(client, description="ci", metadata="new", acl=[])[0]
    assert result["changed"] is True and "token" not in result
    assert client.writes() == [("PATCH", "credentials", "cr_old", {"metadata": "new"})]
    assert result["diff"]["before"]["metadata"] == "old" and result["diff"]["after"]["metadata"] == "new"


def test_check_mode_sends_nothing_and_returns_no_token():
    client = FakeNgrok(credentials=[])
    result = run(client, check_mode=True, description="ci")[0]
    assert result["changed"] is True and "token" not in result
    assert client.writes() == []


def test_ambiguous_description_fails_before_any_write():
    client = FakeNgrok(credentials=[existing(id="cr_1"), existing(id="cr_2")])
    with pytest.raises(TunnelConfigError, match="cr_1, cr_2"):
        run(client, description="ci", state="absent")
    assert client.writes() == []


def test_unknown_id_cannot_be_created():
    client = FakeNgrok(credentials=[])
    with pytest.raises(TunnelConfigError) as err:
        run(client, id="cr_nope", description="x")
    assert err.value.option == "id" and "chooses ids" in str(err.value)


def test_absent_deletes_then_is_a_no_op():
    client = FakeNgrok(api_keys=[existing(id="ak_1")])
    result = run(client, collection="api_keys", description="ci", state="absent")[0]
    assert result["changed"] is True and result["api_key"] == {}
    assert client.writes() == [("DELETE", "api_keys", "ak_1", None)]
    result = run(client, collection="api_keys", description="ci", state="absent")[0]
    assert result["changed"] is False


def test_rotate_creates_the_new_one_before_deleting_the_old_and_keeps_its_fields():
    client = FakeNgrok(credentials=[existing(metadata="m", acl=["bind:x.example.com"])])
    result, tm = run(client, description="ci", rotate=True)
    methods = [w[0] for w in client.writes()]
    assert methods == ["POST", "DELETE"]
    assert client.writes()[0][3] == {"description": "ci", "metadata": "m", "acl": ["bind:x.example.com"],
                                     "owner_id": "usr_me"}
    assert result["rotated_from"] == "cr_old" and result["token"]
    assert [r["id"] for r in client.data["credentials"]] == [result["credential"]["id"]]


def test_owner_change_needs_rotate():
    client = FakeNgrok(credentials=[existing()])
    with pytest.raises(TunnelConfigError) as err:
        run(client, description="ci", owner_id="usr_other")
    assert err.value.option == "owner_id" and "rotate=true" in str(err.value)
    assert client.writes() == []
    result = run(client, description="ci", owner_id="usr_other", rotate=True)[0]
    assert client.writes()[0][3]["owner_id"] == "usr_other" and result["rotated_from"] == "cr_old"


def test_a_lost_create_answer_is_found_again_then_recreated_for_its_token():
    client = FakeNgrok(credentials=[existing(id="cr_other", description="another")])
    client.lose_create_answers = 1
    result, tm = run(client, description="ci")
    assert [w[0] for w in client.writes()] == ["POST", "DELETE", "POST"]
    assert result["token"]
    assert len([r for r in client.data["credentials"] if r["description"] == "ci"]) == 1
    assert [d["action"] for d in tm.done] == ["create authtoken", "delete authtoken", "create authtoken"]


def test_rotate_by_id_lists_first_so_a_lost_answer_is_recognised():
    client = FakeNgrok(credentials=[existing()])
    client.lose_create_answers = 1
    result = run(client, id="cr_old", rotate=True)[0]
    assert result["token"] and result["rotated_from"] == "cr_old"
    assert [r["description"] for r in client.data["credentials"]] == ["ci"]


def test_no_identity_is_an_error():
    with pytest.raises(TunnelConfigError) as err:
        run(FakeNgrok(), description="")
    assert err.value.option == "description"


def test_an_acl_kept_by_an_empty_list_is_cleared_with_a_star_and_said():
    client = FakeNgrok(credentials=[existing(acl=["bind:x.example.com"])])
    client.keep_acl_on_empty = True
    result = run(client, description="ci", acl=[])[0]
    assert client.writes() == [("PATCH", "credentials", "cr_old", {"acl": []}),
                               ("PATCH", "credentials", "cr_old", {"acl": ["*"]})]
    assert result["changed"] and result["credential"]["acl"] == ["*"] and len(result["acl_notes"]) == 1
    assert run(client, description="ci", acl=[])[0]["changed"] is False


def test_acl_star_is_said_to_mean_no_restriction_and_api_keys_have_no_acl_notes():
    result = run(FakeNgrok(credentials=[existing()]), description="ci", acl=["*"])[0]
    assert result["changed"] is False and "no restriction" in result["acl_notes"][0]
    assert "acl_notes" not in run(FakeNgrok(credentials=[existing()]), description="ci", acl=["*"], state="absent")[0]
    assert "acl_notes" not in run(FakeNgrok(api_keys=[]), collection="api_keys", description="ci")[0]


# -- a create whose answer is lost leaves an orphan nobody has the token of (issue 16.26) ----------


def unknown(status=500):
    return TunnelApiError("ngrok", "Internal Server Error", status=status, method="POST", outcome="unknown")


def test_a_lost_answer_found_again_reports_the_orphan_it_deleted():
    client = FakeNgrok(credentials=[])
    client.lose_create_answers = 1
    result, tm = run(client, description="ci")
    deleted = [w[2] for w in client.writes() if w[0] == "DELETE"]
    assert result["deleted_orphans"] == deleted and len(deleted) == 1
    assert result["credential"]["id"] not in deleted and result["token"]


@pytest.mark.parametrize("collection", ["api_keys", "credentials"])
def test_a_500_after_the_key_was_made_deletes_the_orphan_and_creates_once_more(collection):
    client = FakeNgrok(**{collection: [existing(id="cr_other", description="another")]})
    client.fail_after_create = [unknown()]
    result, tm = run(client, collection=collection, description="ci")
    methods = [w[0] for w in client.writes()]
    assert methods == ["POST", "DELETE", "POST"]
    orphan = client.writes()[1][2]
    assert result["deleted_orphans"] == [orphan] and result["token"]
    held = [r["id"] for r in client.data[collection] if r["description"] == "ci"]
    assert held == [result[tm_key(collection)]["id"]] and orphan not in held
    assert [d["action"].split(" ")[0] for d in tm.done] == ["create", "delete", "create"]


def tm_key(collection):
    return "api_key" if collection == "api_keys" else "credential"


def test_a_rotation_whose_create_answer_is_lost_keeps_one_new_key_and_deletes_the_old():
    client = FakeNgrok(api_keys=[existing(id="ak_old")])
    client.fail_after_create = [unknown()]
    result = run(client, collection="api_keys", description="ci", rotate=True)[0]
    assert [w[0] for w in client.writes()] == ["POST", "DELETE", "POST", "DELETE"]
    assert result["rotated_from"] == "ak_old" and len(result["deleted_orphans"]) == 1
    assert [r["id"] for r in client.data["api_keys"]] == [result["api_key"]["id"]]


def test_an_unknown_outcome_with_nothing_made_fails_as_unknown_without_a_delete():
    client = FakeNgrok(credentials=[])

    def refuse(name, body):
        raise unknown(503)
    client.before_create = refuse
    with pytest.raises(TunnelApiError) as err:
        run(client, description="ci")
    assert err.value.outcome == "unknown" and err.value.status == 503
    assert client.writes() == []


def test_an_unknown_outcome_whose_lookup_fails_keeps_the_unknown_error():
    client = FakeNgrok(credentials=[])
    client.fail_after_create = [unknown()]
    tm = FakeTM(client, params(description="ci"))
    resource = credential.TokenResource(tm)
    resource.prepare()
    resource.find()
    client.list_errors = [TunnelApiError("ngrok", "Service Unavailable", status=503, method="GET")]
    with pytest.raises(TunnelApiError) as err:
        resource.post(resource.create_body())
    assert err.value.outcome == "unknown" and err.value.status == 500
