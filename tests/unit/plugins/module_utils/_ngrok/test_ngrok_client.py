# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NgrokClient over a scripted transport: tunnel-session actions and the advice added to ngrok's error codes."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.client import ERROR_ADVICE, NgrokClient
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils._http.fake_http import (
    Reply, matches, script, session_with)

NOT_FOUND = Reply(404, {"details": {"operation_id": "op_1"}, "msg": "Resource not found", "status_code": 404})


def client_with(handler):
    client = NgrokClient("ngrok-test-key", "https://api.ngrok.test", rate_limit=0, retries=2, sleep=lambda s: None)
    session, adapter = session_with(handler)
    session.headers.update(client.core.session.headers)
    client.core.session = session
    return client, adapter


def refusal(status, number, msg="refused"):
    code = "ERR_NGROK_%d" % number
    return Reply(status, {"error_code": code, "status_code": status, "msg": msg, "details": {}})


def test_stop_answered_404_means_the_agent_already_left():
    client, adapter = client_with(script(NOT_FOUND))
    assert client.session_action("ts_1", "stop") == "gone"
    assert [r.method for r in adapter.requests] == ["POST"]


def test_stop_answered_810_means_the_agent_exited_on_it():
    client, adapter = client_with(script(refusal(400, 810)))
    assert client.session_action("ts_1", "stop") == "exited"


def test_a_404_naming_a_path_is_not_a_gone_session():
    client, adapter = client_with(script(Reply(404, {"status_code": 404, "msg": "Not Found",
                                                     "details": {"path": "/v2/tunnel_sessions/ts_1/stop"}})))
    with pytest.raises(TunnelApiError) as err:
        client.session_action("ts_1", "stop")
    assert err.value.status == 404


@pytest.mark.parametrize("action", ["restart", "update"])
def test_restart_and_update_answered_404_are_errors(action):
    client, adapter = client_with(script(NOT_FOUND))
    with pytest.raises(TunnelApiError) as err:
        client.session_action("ts_1", action)
    assert err.value.status == 404


def test_an_update_refusal_keeps_its_code_whatever_its_status():
    client, adapter = client_with(script(refusal(409, 809, "The agent failed to update.")))
    with pytest.raises(TunnelApiError) as err:
        client.session_action("ts_1", "update")
    assert err.value.code == "ERR_NGROK_809" and err.value.status == 409
    assert matches(adapter.requests[0], "POST", r"/tunnel_sessions/ts_1/update$")
    assert adapter.requests[0].body in ("{}", b"{}") and adapter.requests[0].headers["Content-Type"] == "application/json"


# What each code means, from /work/shared/providers/ngrok-api-notes.md (and ngrok's errors/err_ngrok_<n> pages):
# the advice must name that meaning (issue 16.5: 807 and 808 were swapped).
MEANINGS = {
    "ERR_NGROK_200": "no API key", "ERR_NGROK_202": "does not look like", "ERR_NGROK_203": "not valid",
    "ERR_NGROK_204": "not allowed to use the API", "ERR_NGROK_206": "authtoken", "ERR_NGROK_207": "authtoken",
    "ERR_NGROK_208": "ID", "ERR_NGROK_213": "could not be parsed", "ERR_NGROK_214": "does not know one of the fields",
    "ERR_NGROK_215": "invalid value", "ERR_NGROK_216": "Content-Type", "ERR_NGROK_217": "not supported",
    "ERR_NGROK_218": "missing", "ERR_NGROK_220": "IP", "ERR_NGROK_225": "simultaneous",
    "ERR_NGROK_226": "rate limit", "ERR_NGROK_227": "prefix", "ERR_NGROK_600": "bind:",
    "ERR_NGROK_601": "cannot be deleted", "ERR_NGROK_602": "authtokens", "ERR_NGROK_603": "API keys",
    "ERR_NGROK_604": "description", "ERR_NGROK_605": "metadata", "ERR_NGROK_606": "no values",
    "ERR_NGROK_607": "SSH", "ERR_NGROK_608": "SSH credentials", "ERR_NGROK_609": "already registered on the account",
    "ERR_NGROK_610": "another ngrok account", "ERR_NGROK_611": "missing or empty", "ERR_NGROK_612": "not a valid",
    "ERR_NGROK_613": "API keys", "ERR_NGROK_614": "too many API keys", "ERR_NGROK_615": "authtokens",
    "ERR_NGROK_617": "SSH credentials", "ERR_NGROK_619": "plan", "ERR_NGROK_620": "plan",
    "ERR_NGROK_622": "pay-as-you-go", "ERR_NGROK_627": "owner_id", "ERR_NGROK_628": "owner_id",
    "ERR_NGROK_629": "owner_id", "ERR_NGROK_804": "remote restart", "ERR_NGROK_805": "remote stop",
    "ERR_NGROK_806": "remote update", "ERR_NGROK_807": "failed to stop", "ERR_NGROK_808": "failed to restart",
    "ERR_NGROK_809": "failed to update", "ERR_NGROK_810": "networking error", "ERR_NGROK_1121": "updated",
    "ERR_NGROK_1122": "restarted", "ERR_NGROK_18012": "description", "ERR_NGROK_18013": "metadata",
}


def test_every_advice_says_what_its_code_means():
    assert set(ERROR_ADVICE) == set(MEANINGS)
    wrong = dict((code, ERROR_ADVICE[code]) for code, words in MEANINGS.items() if words not in ERROR_ADVICE[code])
    assert wrong == {}


def test_an_authtoken_is_not_blamed_for_a_value_that_is_no_credential():
    assert "authtoken" not in ERROR_ADVICE["ERR_NGROK_202"]


# -- a stop whose answer is lost, of an agent that lingers in the list while it leaves (issue 16.3) -------


def lingering(first):
    """The stop is applied whatever ``first`` says; the session stays listed; a later stop answers 404."""
    state = {"stops": 0}

    def handler(request):
        if request.method == "GET":
            return Reply(200, {"id": "ts_1", "agent_version": "3.22.1"})
        state["stops"] += 1
        return first if state["stops"] == 1 else NOT_FOUND
    return handler, state


def test_a_stop_whose_connection_dropped_is_done_when_the_retry_finds_the_agent_leaving():
    handler, state = lingering(Reply(raises=requests.exceptions.ConnectionError("Connection aborted.")))
    client, adapter = client_with(handler)
    assert client.session_action("ts_1", "stop") == "done"
    assert [r.method for r in adapter.requests] == ["POST", "GET", "POST"]


def test_a_stop_that_timed_out_is_sent_once_more_and_its_404_means_done():
    handler, state = lingering(Reply(raises=requests.exceptions.ReadTimeout("read timed out")))
    client, adapter = client_with(handler)
    assert client.session_action("ts_1", "stop") == "done"
    assert [r.method for r in adapter.requests] == ["POST", "GET", "POST"]


def test_a_restart_that_timed_out_is_not_sent_again():
    handler, state = lingering(Reply(raises=requests.exceptions.ReadTimeout("read timed out")))
    client, adapter = client_with(handler)
    with pytest.raises(TunnelApiError) as err:
        client.session_action("ts_1", "restart")
    assert err.value.outcome == "unknown" and [r.method for r in adapter.requests] == ["POST"]


@pytest.mark.parametrize("first", [Reply(200, text="<html><body>Welcome to the hotel wifi</body></html>"),
                                   Reply(200, text='{"count": 3, "next": null, "results": [{"id": 1, "name": "trunc')])
def test_a_stop_answered_with_an_unreadable_body_is_sent_once_more_while_the_agent_lingers(first):
    # The agent may still be listed after a stop that took (agents leave asynchronously): still being listed
    # is no proof that the stop did not take, so the stop is sent again and its 404 shows the first one took.
    handler, state = lingering(first)
    client, adapter = client_with(handler)
    assert client.session_action("ts_1", "stop") == "done"
    assert [r.method for r in adapter.requests] == ["POST", "GET", "POST"]
