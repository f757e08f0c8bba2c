# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import tunnel_session as sa
from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.client import ERROR_ADVICE
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import (
    TunnelConfigError, TunnelResultError)
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_ngrok import FakeNgrok

SESSIONS = [
    {"id": "ts_1", "region": "eu", "agent_version": "3.5.0", "metadata": "a", "credential": {"id": "cr_1"}},
    {"id": "ts_2", "region": "us", "agent_version": "3.5.0", "credential": {"id": "cr_2"}},
    {"id": "ts_3", "region": "eu", "agent_version": "3.18.4", "metadata": "a", "credential": {"id": "cr_1"}},
]


def act(client, check_mode=False, **kwargs):
    params = dict(action="stop", id=None, metadata=None, credential_id=None, region=None, agent_version=None)
    params.update(kwargs)
    return sa.run(FakeTM(client, params, check_mode=check_mode))


def test_select_ands_the_filters():
    chosen, missing = sa.select(SESSIONS, filters={"region": "eu", "agent_version": "3.5.0"})
    assert [s["id"] for s in chosen] == ["ts_1"] and missing == []
    chosen = sa.select(SESSIONS, filters={"credential_id": "cr_1", "metadata": "a"})[0]
    assert [s["id"] for s in chosen] == ["ts_1", "ts_3"]
    chosen, missing = sa.select(SESSIONS, ids=["ts_2", "ts_9"], filters={"region": "us"})
    assert [s["id"] for s in chosen] == ["ts_2"] and missing == ["ts_9"]


def test_nothing_named_is_an_error():
    with pytest.raises(TunnelConfigError) as err:
        act(FakeNgrok(tunnel_sessions=SESSIONS), id=[])
    assert err.value.option == "id"


def test_check_mode_lists_without_acting():
    client = FakeNgrok(tunnel_sessions=SESSIONS)
    result = act(client, check_mode=True, region="eu")
    assert result["changed"] and [s["outcome"] for s in result["sessions"]] == ["would be stopped"] * 2
    assert client.writes() == []


def test_stop_counts_810_as_stopped_and_missing_ids_as_gone():
    client = FakeNgrok(tunnel_sessions=SESSIONS)
    client.action_errors["ts_1"] = (400, "ERR_NGROK_810")
    result = act(client, id=["ts_1", "ts_2", "ts_gone"])
    assert result["changed"] and result["missing"] == ["ts_gone"]
    assert [s["outcome"] for s in result["sessions"]] == ["stopped (the agent exited)", "stopped"]
    assert client.writes() == [("POST", "tunnel_sessions", "ts_1", "stop"), ("POST", "tunnel_sessions", "ts_2", "stop")]


def test_restart_of_a_missing_id_fails_before_any_action():
    client = FakeNgrok(tunnel_sessions=SESSIONS)
    with pytest.raises(TunnelConfigError, match="ts_gone"):
        act(client, action="restart", id=["ts_1", "ts_gone"])
    assert client.writes() == []


def test_no_match_is_no_change():
    client = FakeNgrok(tunnel_sessions=SESSIONS)
    result = act(client, action="update", region="ap")
    assert not result["changed"] and result["sessions"] == []


def test_failure_reports_what_was_done():
    client = FakeNgrok(tunnel_sessions=SESSIONS)
    client.action_errors["ts_3"] = (400, "ERR_NGROK_806")
    tm = FakeTM(client, dict(action="update", id=None, metadata="a", credential_id=None, region=None,
                             agent_version=None))
    with pytest.raises(TunnelResultError):
        sa.run(tm)
    assert tm.done == [{"action": "update agent session", "id": "ts_1"}]


# -- refusals per session (issue 16.2, 16.3, 16.12) -------------------------------


def outcomes(result):
    return [(s["id"], s["outcome"], s["changed"]) for s in result["sessions"]]


def test_update_refused_with_809_is_not_applicable_whatever_the_4xx():
    client = FakeNgrok(tunnel_sessions=SESSIONS)
    client.action_errors["ts_1"] = (409, "ERR_NGROK_809")
    result = act(client, action="update", metadata="a")
    assert result["changed"] is True
    assert outcomes(result) == [("ts_1", "not applicable", False), ("ts_3", "update requested", True)]
    assert "ERR_NGROK_809" in result["sessions"][0]["reason"] and "no update to apply" in result["sessions"][0]["reason"]
    assert "reason" not in result["sessions"][1]


@pytest.mark.parametrize("status", [400, 500])
def test_nothing_done_is_not_changed(status):
    client = FakeNgrok(tunnel_sessions=SESSIONS)
    client.action_errors["ts_2"] = (status, "ERR_NGROK_809")
    result = act(client, action="update", id=["ts_2"])
    assert result["changed"] is False and outcomes(result) == [("ts_2", "not applicable", False)]


def test_restart_refusals_of_windows_and_ssh_sessions_are_not_applicable():
    client = FakeNgrok(tunnel_sessions=SESSIONS)
    client.action_errors["ts_1"] = (400, "ERR_NGROK_804")
    client.action_errors["ts_3"] = (400, "ERR_NGROK_1122")
    result = act(client, action="restart", region="eu")
    assert result["changed"] is False
    assert outcomes(result) == [("ts_1", "not applicable", False), ("ts_3", "not applicable", False)]
    assert "Windows" in result["sessions"][0]["reason"] and "SSH" in result["sessions"][1]["reason"]


def test_a_failure_does_not_stop_the_others_and_the_task_fails_at_the_end():
    client = FakeNgrok(tunnel_sessions=SESSIONS)
    client.action_errors["ts_1"] = (400, "ERR_NGROK_806")
    client.action_errors["ts_3"] = (400, "ERR_NGROK_1121")
    tm = FakeTM(client, dict(action="update", id=["ts_1", "ts_2", "ts_3"], metadata=None, credential_id=None,
                             region=None, agent_version=None))
    with pytest.raises(TunnelResultError) as err:
        sa.run(tm)
    assert [w[2] for w in client.writes()] == ["ts_1", "ts_2", "ts_3"]
    result = err.value.result
    assert outcomes(result) == [("ts_1", "failed", False), ("ts_2", "update requested", True),
                                ("ts_3", "not applicable", False)]
    assert result["changed"] is True and result["failed_sessions"] == ["ts_1"]
    assert "ts_1" in str(err.value) and "ERR_NGROK_806" in str(err.value)
    assert "1 of 3" in str(err.value) and str(err.value).endswith(".")
    assert tm.done == [{"action": "update agent session", "id": "ts_2"}]


def test_stop_answered_404_is_already_gone_and_not_changed():
    client = FakeNgrok(tunnel_sessions=SESSIONS)
    client.action_errors["ts_1"] = (404, None)
    result = act(client, id=["ts_1"])
    assert result["changed"] is False and outcomes(result) == [("ts_1", "already gone", False)]
    assert client.writes() == [("POST", "tunnel_sessions", "ts_1", "stop")]


def test_restart_answered_404_is_a_failure():
    client = FakeNgrok(tunnel_sessions=SESSIONS)
    client.action_errors["ts_1"] = (404, None)
    with pytest.raises(TunnelResultError) as err:
        act(client, action="restart", id=["ts_1", "ts_2"])
    assert outcomes(err.value.result) == [("ts_1", "failed", False), ("ts_2", "restarted", True)]
    assert "no longer online" in err.value.result["sessions"][0]["reason"]


def test_the_same_id_twice_is_acted_on_once_and_said():
    client = FakeNgrok(tunnel_sessions=SESSIONS)
    result = act(client, id=["ts_1", "ts_2", "ts_1", "ts_gone", "ts_gone"])
    assert client.writes() == [("POST", "tunnel_sessions", "ts_1", "stop"), ("POST", "tunnel_sessions", "ts_2", "stop")]
    assert result["duplicate_ids"] == ["ts_1", "ts_gone"] and result["missing"] == ["ts_gone"]
    assert [s["id"] for s in result["sessions"]] == ["ts_1", "ts_2"]


def test_without_repeats_duplicate_ids_is_empty():
    result = act(FakeNgrok(tunnel_sessions=SESSIONS), id=["ts_1"], check_mode=True)
    assert result["duplicate_ids"] == [] and result["sessions"][0]["changed"] is True


def test_a_reason_quotes_ngrok_without_the_advice_it_restates():
    client = FakeNgrok(tunnel_sessions=SESSIONS)
    client.action_errors["ts_2"] = (400, "ERR_NGROK_809")
    client.action_message = "The agent failed to update: no update is available (%s)" % ERROR_ADVICE["ERR_NGROK_809"]
    reason = act(client, action="update", id=["ts_2"])["sessions"][0]["reason"]
    assert reason.endswith("(ERR_NGROK_809: The agent failed to update: no update is available)")
