# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collections over the real clients and a scripted transport: ids, not-found and unknown paths."""

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.client import NgrokClient
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.client import OpenportClient
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils._http.fake_http import (
    FakeAdapter, Reply, script)

CR = "cr_2RfSBcv0nsy71XCHWOegjx1OoKh"
DJANGO_404 = "<!doctype html><html><head><title>Not Found</title></head><body><h1>Not Found</h1></body></html>"


def ngrok(handler):
    client = NgrokClient("ngrok-key-1234", "https://api.ngrok.test", rate_limit=0, retries=1, sleep=lambda s: None)
    adapter = FakeAdapter(handler)
    client.core.session.mount("https://", adapter)
    return client, adapter


def openport(handler):
    client = OpenportClient("op-token-1234", "https://openport.test/api/v2", retries=1, sleep=lambda s: None)
    adapter = FakeAdapter(handler)
    client.core.session.mount("https://", adapter)
    return client, adapter


def test_a_404_for_a_missing_object_is_not_found():
    missing = {"status_code": 404, "msg": "Resource not found", "details": {"operation_id": "op_1"}}
    client, adapter = ngrok(script(Reply(404, missing)))
    assert client.credentials.get_or_none(CR) is None
    assert client.credentials.delete(CR) is False


@pytest.mark.parametrize("reply", [
    Reply(404, {"status_code": 404, "msg": "Not Found", "details": {"path": "/v1/credentials/" + CR}}),
    Reply(404, text="<html><body>404 page not found</body></html>"),
])
def test_a_404_for_an_unknown_path_is_a_wrong_url_never_absent(reply):
    client, adapter = ngrok(script(reply))
    for call in (lambda: client.credentials.get_or_none(CR), lambda: client.credentials.delete(CR)):
        with pytest.raises(TunnelApiError) as err:
            call()
        assert err.value.option == "ngrok_api_url" and not err.value.is_not_found
        assert "ngrok_api_url" in str(err.value)


def test_openports_html_404_names_the_url_option_and_its_json_404_is_not_found():
    client, adapter = openport(script(Reply(404, text=DJANGO_404)))
    with pytest.raises(TunnelApiError) as err:
        client.keys.delete(12)
    assert err.value.option == "openport_api_url" and "openport_api_url" in str(err.value)
    client, adapter = openport(script(Reply(404, {"detail": "Not found."})))
    assert client.keys.delete(12) is False and client.keys.get_or_none("12") is None


@pytest.mark.parametrize("collection, good, bad", [
    ("credentials", CR, ["../api_keys/ak_2RfSBcv0nsy71XCHWOegjx1OoKh", "ak_2RfSBcv0nsy71XCHWOegjx1OoKh", "cr_",
                         "cr_abc/stop", "cr_abc?x=1", "cr_\u00e9t\u00e9", "", None, 12]),
    ("api_keys", "ak_2RfSBcv0nsy71XCHWOegjx1OoKh", [CR]),
    ("ssh_credentials", "sshcr_2RfSBcv0nsy71XCHWOegjx1OoKh", ["sshcr_a b", CR]),
    ("tunnel_sessions", "ts_2RfSBcv0nsy71XCHWOegjx1OoKh", ["ts_x/../../api_keys"]),
])
def test_ngrok_ids_are_checked_before_any_request(collection, good, bad):
    client, adapter = ngrok(script(Reply(200, {"id": good})))
    coll = client.collection(collection)
    for value in bad:
        with pytest.raises(TunnelConfigError) as err:
            coll.get_or_none(value)
        assert err.value.option == "id"
        with pytest.raises(TunnelConfigError):
            coll.delete(value)
        with pytest.raises(TunnelConfigError) as err:
            coll.check_id(value, option="id[1]")
        assert err.value.option == "id[1]"
    assert adapter.requests == []
    assert coll.check_id(good) == good
    assert coll.get(good) == {"id": good}


def test_openport_ids_are_whole_numbers():
    client, adapter = openport(script(Reply(204)))
    for value in ("12/../13", "abc", "-1", "1.5", True):
        with pytest.raises(TunnelConfigError):
            client.keys.delete(value)
    assert adapter.requests == []
    assert client.keys.delete(349) is True and client.keys.delete("350") is True
    assert [r.path_url.split("?")[0] for r in adapter.requests] == ["/api/v2/keys/349/", "/api/v2/keys/350/"]


def pinggy(handler):
    from ansible_collections.tunnelops.tunnels.plugins.module_utils._pinggy.client import PinggyClient
    client = PinggyClient("pinggy-key-1234", "https://pinggy.test/backend/api/v1", retries=1, sleep=lambda s: None)
    adapter = FakeAdapter(handler)
    client.core.session.mount("https://", adapter)
    return client, adapter


@pytest.mark.parametrize("reply", [Reply(200), Reply(200, text=""), Reply(200, ["x"]), Reply(200, [None]),
                                   Reply(200, {"unexpected": "shape"}), Reply(200, "sessions")])
def test_pinggy_active_sessions_of_another_shape_are_an_error_never_no_sessions(reply):
    client, adapter = pinggy(script(reply))
    with pytest.raises(TunnelApiError) as err:
        client.list_active_sessions()
    assert "session/active" in str(err.value)


def test_pinggy_active_sessions_an_empty_list_is_no_sessions():
    client, adapter = pinggy(script(Reply(200, [])))
    assert client.list_active_sessions() == []


@pytest.mark.parametrize("reply", [Reply(200, {"unexpected": "shape"}), Reply(200, text="<html>portal</html>"),
                                   Reply(200, text="{")])
def test_a_delete_answered_with_anything_but_no_content_is_an_unknown_outcome(reply):
    client, adapter = ngrok(script(reply))
    with pytest.raises(TunnelApiError) as err:
        client.credentials.delete(CR)
    assert err.value.outcome == "unknown" and err.value.status == 200
    client, adapter = ngrok(script(Reply(204)))
    assert client.credentials.delete(CR) is True


@pytest.mark.parametrize("reply", [Reply(200, {"unexpected": "shape"}), Reply(200, ["x"]),
                                   Reply(200, text="<html>portal</html>")])
def test_an_update_answered_with_something_that_is_not_a_record_is_an_unknown_outcome(reply):
    client, adapter = openport(script(reply))
    with pytest.raises(TunnelApiError) as err:
        client.keys.update(12, {"name": "b"})
    assert err.value.outcome == "unknown"


def test_a_create_answered_with_another_shape_is_looked_up():
    client, adapter = openport(script(Reply(200, {"unexpected": "shape"})))
    record, recovered = client.keys.create({"name": "a"}, find_existing=lambda: {"id": 5, "name": "a"})
    assert record == {"id": 5, "name": "a"} and recovered is True
    client, adapter = openport(script(Reply(200, {"unexpected": "shape"})))
    with pytest.raises(TunnelApiError) as err:
        client.keys.create({"name": "a"}, find_existing=lambda: None)
    assert "did not take effect" in str(err.value)
