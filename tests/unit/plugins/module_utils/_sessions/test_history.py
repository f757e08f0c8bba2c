# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The window of tunnel_session_history_info, checked after the end is clamped to today (issue 16.15)."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions import history as hist

TODAY = datetime.date(2026, 12, 5)
BOTH = ("openport", "pinggy")


def day(text):
    return datetime.date.fromisoformat(text)


@pytest.mark.parametrize("providers", [BOTH, ("openport",), ("pinggy",)])
def test_a_window_wholly_in_the_future_fails_naming_history_from(providers):
    with pytest.raises(TunnelConfigError) as err:
        hist.history_window("2026-12-20", "2026-12-31", providers=providers, today=TODAY)
    assert err.value.option == "history_from"
    assert str(err.value) == ("history_from: 2026-12-20 is after today (2026-12-05, UTC), so the window holds no "
                              "history yet; give a history_from of today or earlier")


@pytest.mark.parametrize("providers", [BOTH, ("openport",), ("pinggy",)])
def test_a_future_end_without_a_start_fails_naming_history_to(providers):
    with pytest.raises(TunnelConfigError) as err:
        hist.history_window(None, "2026-12-31", providers=providers, today=TODAY)
    assert err.value.option == "history_to"
    assert str(err.value) == (
        "history_to: the default window of 7 days ending on 2026-12-31 starts on 2026-12-25, after today (2026-12-05, "
        "UTC), so it holds no history yet; set history_from, or a history_to of today or earlier")


@pytest.mark.parametrize("providers", [BOTH, ("openport",), ("pinggy",)])
def test_an_end_after_today_is_today_for_every_provider(providers):
    assert hist.history_window("2026-12-01", "2026-12-31", providers=providers, today=TODAY) == \
        (day("2026-12-01"), TODAY)
    assert hist.history_window(None, "2026-12-07", providers=providers, today=TODAY) == (day("2026-12-01"), TODAY)
    assert hist.history_window("2026-12-05", "2026-12-05", providers=providers, today=TODAY) == (TODAY, TODAY)


def test_a_start_of_today_with_no_end_is_today():
    assert hist.history_window("2026-12-05", None, today=TODAY) == (TODAY, TODAY)


def test_pinggy_limit_without_a_start_names_history_to_and_says_why():
    with pytest.raises(TunnelConfigError) as err:
        hist.history_window(None, "2026-01-01", providers=("pinggy",), today=TODAY)
    assert err.value.option == "history_to"
    assert str(err.value) == (
        "history_to: the default window of 7 days ending on 2026-01-01 starts on 2025-12-26, more than 60 days ago; "
        "Pinggy keeps no history before 2026-10-06: set history_from, or a later history_to")


def test_pinggy_limit_with_a_start_names_history_from():
    with pytest.raises(TunnelConfigError) as err:
        hist.history_window("2026-10-05", "2026-10-10", providers=("pinggy",), today=TODAY)
    assert str(err.value) == ("history_from: 2026-10-05 is more than 60 days ago; Pinggy keeps no history before "
                              "2026-10-06")
    assert hist.history_window("2026-10-06", None, providers=("pinggy",), today=TODAY) == (day("2026-10-06"), TODAY)


# -- the walks' warnings reach the result (issues 16.7, 16.8) ------------------------------

class Walked:
    """A provider whose walk ends with ``warnings`` (as pagination.Walk and the Pinggy edge give them)."""

    stats = {"requests": 1}

    def __init__(self, rows, warnings):
        self.rows, self.warnings, self.walks = rows, warnings, []
        self.link_clicks = self

    def _walk(self, walk):
        self.walks.append(walk)
        walk.warnings = list(self.warnings)
        return iter(self.rows)

    def iter(self, walk=None):  # link_clicks.iter
        return self._walk(walk)

    def iter_history(self, start, end, walk=None, today=None):
        return self._walk(walk)


def test_collect_history_returns_the_walks_warnings():
    click = {"port": 1, "source_ip": "192.0.2.1", "timestamp": "2026-12-01T10:00:00Z", "key_name": "a"}
    openport = Walked([click], ["openport: the list moved during the walk"])
    pinggy = Walked([], ["Pinggy refused the history from 2026-10-06"])
    warnings = []
    entries, errors = hist.collect_history({"openport": openport, "pinggy": pinggy}, day("2026-11-30"), TODAY,
                                           today=TODAY, warnings=warnings)
    assert [e["client_ip"] for e in entries] == ["192.0.2.1"] and errors == []
    assert sorted(warnings) == ["Pinggy refused the history from 2026-10-06",
                                "openport: the list moved during the walk"]
    assert openport.walks[0] is not None and pinggy.walks[0] is not None


def test_history_info_puts_the_warnings_in_the_result():
    from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions import history_info
    from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM
    pinggy = Walked([], ["Pinggy refused the history from 2026-10-06"])
    tm = FakeTM(clients={"pinggy": pinggy}, params=dict(providers=["pinggy"], pinggy_api_key="k", query=None,
                                                        strict=False, history_from=None, history_to=None))
    result = history_info.run(tm)
    assert result["warnings"] == ["Pinggy refused the history from 2026-10-06"]
    tm = FakeTM(clients={"pinggy": Walked([], [])}, params=tm.params)
    assert "warnings" not in history_info.run(tm)
