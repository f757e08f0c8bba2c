# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import fields as res
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.client import parse_ngrok_error


def test_description_limit_is_in_bytes():
    assert res.check_description("é" * 127) == "é" * 127  # 254 bytes
    with pytest.raises(TunnelConfigError) as err:
        res.check_description("é" * 128)
    assert err.value.option == "description"
    assert "256 bytes" in str(err.value) and "at most 255" in str(err.value)


def test_metadata_dict_is_canonical_json():
    assert res.canonical_metadata({"b": 1, "a": {"z": 2, "y": [1]}}) == '{"a":{"y":[1],"z":2},"b":1}'
    assert res.canonical_metadata("free text") == "free text"
    assert res.canonical_metadata(None) is None


def test_metadata_limit_names_the_json_size():
    with pytest.raises(TunnelConfigError) as err:
        res.canonical_metadata({"k": "x" * 4090})
    assert err.value.option == "metadata"
    assert "as JSON" in str(err.value) and "4096" in str(err.value)
    assert res.canonical_metadata("x" * 4096) == "x" * 4096


def test_metadata_of_another_type_is_refused():
    with pytest.raises(TunnelConfigError, match="string or a dictionary"):
        res.canonical_metadata(12)


@pytest.mark.parametrize("rule", ["*", "bind:example.ngrok.io", "bind:*.example.com", "bind:1.tcp.ngrok.io:20002",
                                  "bind:*=example"])
def test_acl_rules_accepted(rule):
    assert res.check_acl([rule]) == [rule]


@pytest.mark.parametrize("rule", ["example.com", "bind:", "bind: x", "BIND:x", "", "allow:x"])
def test_acl_rules_refused_with_the_rule_number(rule):
    with pytest.raises(TunnelConfigError) as err:
        res.check_acl(["*", rule])
    assert err.value.option == "acl"
    assert "rule 2" in str(err.value) and "bind:" in str(err.value)


def test_same_metadata_compares_json_semantically_but_text_exactly():
    assert res.same_metadata('{"b": 1, "a": 2}', '{"a":2,"b":1}')
    assert res.same_metadata(None, "")
    assert not res.same_metadata("x", "y")
    assert not res.same_metadata('"a"', "a")


def test_changed_fields_ignores_unset_order_of_acl_and_absent_empty_fields():
    current = {"id": "cr_1", "description": "d", "acl": ["bind:b", "bind:a"]}
    assert res.changed_fields(current, {"description": "d", "metadata": None, "acl": ["bind:a", "bind:b"]}) == {}
    assert res.changed_fields(current, {"metadata": ""}) == {}
    assert res.changed_fields({"acl": []}, {"acl": ["*"]}) == {}
    assert res.changed_fields(current, {"description": "e", "acl": []}) == {"description": "e", "acl": []}


def test_owner_differs_only_for_ids():
    record = {"owner_id": "usr_1"}
    assert res.owner_differs(record, "usr_2")
    assert not res.owner_differs(record, "usr_1")
    assert not res.owner_differs(record, "alice@example.com")
    assert not res.owner_differs(record, None)


def test_find_by_description_refuses_ambiguity_and_lists_ids():
    items = [{"id": "cr_1", "description": "x"}, {"id": "cr_2", "description": "x"}, {"id": "cr_3"}]
    with pytest.raises(TunnelConfigError) as err:
        res.find_by_description(items, "x", "authtoken")
    assert err.value.option == "description"
    assert "2 authtokens" in str(err.value) and "cr_1, cr_2" in str(err.value)
    assert res.find_by_description(items, "y", "authtoken") is None


def test_view_drops_the_token_and_fills_empty_fields():
    shown = res.view({"id": "cr_1", "token": "secret-token-value"})
    assert shown == {"id": "cr_1", "description": "", "metadata": ""}
    assert res.view(None) == {}


# -- parse_ngrok_error: every documented error the modules can meet reads clearly --------


def _body(code, msg, status):
    body = {"status_code": status, "msg": msg, "details": {"operation_id": "op_x"}}
    if code:
        body["error_code"] = code
    return body


@pytest.mark.parametrize("code,status,msg,expect", [
    ("ERR_NGROK_609", 400, "The SSH public key is already registered.", "already registered on the account"),
    ("ERR_NGROK_610", 400, "Key in use.", "another ngrok account"),
    ("ERR_NGROK_215", 400, "Invalid value for limit.", "a parameter has an invalid value"),
    ("ERR_NGROK_226", 429, "Your account is rate limited to 120 API requests per 60s.", "ngrok_rate_limit"),
    ("ERR_NGROK_218", 400, "Your request has not specified an API version.", "ngrok-version header"),
    ("ERR_NGROK_600", 400, "Invalid ACL rule.", "'*' or start with 'bind:'"),
    ("ERR_NGROK_604", 400, "Description too long.", "at most 255 bytes"),
    ("ERR_NGROK_605", 400, "Metadata too long.", "at most 4096 bytes"),
    ("ERR_NGROK_612", 400, "Invalid key.", "not a valid SSH public key"),
    ("ERR_NGROK_627", 400, "Cannot update owner.", "replaced"),
    ("ERR_NGROK_810", 400, "Network error.", "while the agent was exiting"),
    ("ERR_NGROK_203", 403, "The authentication you specified is not valid.", "check ngrok_api_key"),
])
def test_parse_ngrok_error_adds_advice(code, status, msg, expect):
    got_code, message = parse_ngrok_error(status, _body(code, msg, status), "")
    assert got_code == code
    assert msg.rstrip(".") in message and expect in message


def test_parse_ngrok_error_404_without_code():
    assert parse_ngrok_error(404, _body(None, "Resource not found", 404), "") == (None, "Resource not found")


def test_parse_ngrok_error_404_unknown_path():
    code, message = parse_ngrok_error(404, {"status_code": 404, "msg": "Not Found", "details": {"path": "/x"}}, "")
    assert code is None and "no such API path: /x" in message and "ngrok_api_url" in message


def test_parse_ngrok_error_without_json():
    assert parse_ngrok_error(502, None, "<html>bad gateway</html>") == (None, None)
