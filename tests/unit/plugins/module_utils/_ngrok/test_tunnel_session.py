# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok import tunnel_session as sa
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError, TunnelConfigError
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
    client.action_errors["ts_1"] = "ERR_NGROK_810"
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
    client.action_errors["ts_3"] = "ERR_NGROK_806"
    tm = FakeTM(client, dict(action="update", id=None, metadata="a", credential_id=None, region=None,
                             agent_version=None))
    with pytest.raises(TunnelApiError):
        sa.run(tm)
    assert tm.done == [{"action": "update agent session", "id": "ts_1"}]
