# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every ngrok resource shares in the state machine: ids checked before any request."""

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import api_key, credential, ssh_credential
from ansible_collections.tunnelops.tunnels.plugins.module_utils._state.machine import ensure
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_ngrok import FakeNgrok


def params(**kwargs):
    base = dict(state="present", id=None, description=None, metadata=None, acl=None, owner_id=None, rotate=False,
                public_key=None, replace=False)
    base.update(kwargs)
    return base


@pytest.mark.parametrize("resource, bad", [
    (credential.TokenResource, "../api_keys/ak_2RfSBcv0nsy71XCHWOegjx1OoKh"),
    (credential.TokenResource, "ak_2RfSBcv0nsy71XCHWOegjx1OoKh"),
    (api_key.ApiKeyResource, "cr_2RfSBcv0nsy71XCHWOegjx1OoKh"),
    (ssh_credential.SshCredentialResource, "sshcr_x/../../credentials/cr_y"),
])
@pytest.mark.parametrize("state", ["present", "absent"])
def test_an_id_of_the_wrong_form_fails_before_any_request(resource, bad, state):
    client = FakeNgrok(credentials=[], api_keys=[], ssh_credentials=[])
    with pytest.raises(TunnelConfigError) as err:
        ensure(resource(FakeTM(client, params(id=bad, state=state))))
    assert err.value.option == "id"
    assert client.log == []


# -- over the real client: answers that cannot be believed are verified by reading back (16.25) --------

import json  # noqa: E402

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError  # noqa: E402
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.client import NgrokClient  # noqa: E402
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils._http.fake_http import (  # noqa: E402
    FakeAdapter, Reply, matches)

CR = "cr_2RfSBcv0nsy71XCHWOegjx1OoKh"
PORTAL = "<html><body><h1>Welcome to the hotel wifi</h1></body></html>"


class Server:
    """One authtoken; PATCH and DELETE answer with a captive portal's page, applied or not."""

    def __init__(self, applies, answer=None):
        self.record = {"id": CR, "description": "ci", "metadata": "old", "acl": [], "owner_id": "usr_me"}
        self.applies, self.answer = applies, answer or Reply(200, text=PORTAL)

    def __call__(self, request):
        if matches(request, "GET", "/credentials/" + CR):
            return Reply(200, self.record) if self.record else Reply(404, {"msg": "Resource not found",
                                                                           "status_code": 404, "details": {}})
        if matches(request, "PATCH", "/credentials/" + CR):
            if self.applies:
                self.record.update(json.loads(request.body))
            return self.answer
        if matches(request, "DELETE", "/credentials/" + CR):
            if self.applies:
                self.record = None
            return self.answer
        return Reply(500, {"msg": "unexpected %s %s" % (request.method, request.url)})


def run_real(server, **kwargs):
    client = NgrokClient("ngrok-key-1234", "https://api.ngrok.test", rate_limit=0, retries=0, sleep=lambda s: None)
    client.core.session.mount("https://", FakeAdapter(server))
    tm = FakeTM(client, params(id=CR, **kwargs))
    return ensure(credential.TokenResource(tm)), tm


@pytest.mark.parametrize("answer", [Reply(200, text=PORTAL), Reply(200, {"unexpected": "shape"}),
                                    Reply(200, text='{"id": "cr_')])
def test_an_update_answered_with_a_page_is_verified_by_reading_back(answer):
    result, tm = run_real(Server(applies=True, answer=answer), metadata="new")
    assert result["changed"] and result["credential"]["metadata"] == "new"
    assert tm.done == [{"action": "update authtoken", "id": CR, "description": "ci", "fields": ["metadata"],
                        "recovered": True}]
    with pytest.raises(TunnelApiError) as err:
        run_real(Server(applies=False, answer=answer), metadata="new")
    assert "shows that the update did not take effect" in str(err.value)


def test_a_delete_answered_with_a_page_is_verified_by_reading_back():
    result, tm = run_real(Server(applies=True), state="absent")
    assert result["changed"] and tm.done[0]["recovered"] is True
    with pytest.raises(TunnelApiError) as err:
        run_real(Server(applies=False), state="absent")
    assert "shows that the delete did not take effect" in str(err.value)


# -- two runs at once create one object (18.5) --------------------------------------------------------------

@pytest.mark.parametrize("resource, collection", [(credential.TokenResource, "credentials"),
                                                  (api_key.ApiKeyResource, "api_keys")])
def test_two_runs_at_once_create_one_object_and_the_loser_finds_it(tmp_path, monkeypatch, resource, collection):
    monkeypatch.setenv("TUNNELOPS_PACING_DIR", str(tmp_path))
    import threading
    import time
    client = FakeNgrok(**{collection: []})
    original_list = client.collection(collection).list

    class Slow(type(client.collection(collection))):
        def list(self):
            found = original_list()
            time.sleep(0.1)  # both runs list before either creates, unless they are serialized
            return found

    client.collection = lambda name: Slow(client, name)
    results = []

    def run_one():
        results.append(ensure(resource(FakeTM(client, params(description="ci")))))

    threads = [threading.Thread(target=run_one) for dummy in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(client.data[collection]) == 1, "two runs at once made %d objects" % len(client.data[collection])
    assert sorted(r["changed"] for r in results) == [False, True]
    assert sum(1 for r in results if "token" in r) == 1


def test_tunnel_session_ids_are_checked_before_any_request():
    from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import tunnel_session
    client = FakeNgrok(tunnel_sessions=[{"id": "ts_1"}])
    tm = FakeTM(client, dict(action="stop", id=["ts_1", "ts_x/../../api_keys"], metadata=None, credential_id=None,
                             region=None, agent_version=None))
    with pytest.raises(TunnelConfigError) as err:
        tunnel_session.run(tm)
    assert err.value.option == "id[1]" and client.log == []
