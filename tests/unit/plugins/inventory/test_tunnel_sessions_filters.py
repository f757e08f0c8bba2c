# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the tunnel_sessions inventory that can never match, and an inventory its own filters empty
(issue 18.6): an AWX sync with overwrite on would delete every host without a word."""

from __future__ import annotations

import pytest

from ansible.utils.display import Display

from ansible_collections.tunnelops.tunnels.tests.unit.plugins.inventory.test_tunnel_sessions import (
    FakeCollector, fleet, run)

SOURCE = "plugin: tunnelops.tunnels.tunnel_sessions\n"


@pytest.fixture
def warnings(monkeypatch):
    seen = []
    monkeypatch.setattr(Display(), "warning", lambda msg, *args, **kwargs: seen.append(msg))
    return seen


@pytest.mark.parametrize("filters, text", [
    ("{protocols: [bogus]}", "filters.protocols: 'bogus' is not a protocol of a session (tcp, http, https, tls, "
                             "tlstcp, udp); a filter on it would keep no session"),
    ("{ports: [-5, 99999]}", "filters.ports: -5, 99999 are not port numbers (1-65535)"),
    ("{ports: [ssh]}", "filters.ports: ['ssh'] is not a list of port numbers"),
])
def test_filters_that_can_never_match_fail_before_any_request(tmp_path, monkeypatch, env, filters, text):
    collector = FakeCollector(fleet())
    with pytest.raises(Exception) as err:
        run(tmp_path, monkeypatch, SOURCE + "filters: %s\n" % filters, collector)
    assert text in str(err.value), str(err.value)
    assert collector.calls == []


def test_protocols_are_matched_whatever_their_case(tmp_path, monkeypatch, env):
    inventory = run(tmp_path, monkeypatch, SOURCE + "filters: {protocols: [TLSTCP]}\n", FakeCollector(fleet()))
    assert sorted(inventory.hosts) == ["b7e0"]


@pytest.mark.parametrize("options, text", [
    ("filters: {ports: [2222]}", "filters left out 5"),
    ("include: [\"provider == 'localtunnel'\"]", "include and exclude left out 5"),
    ("filters: {protocols: [tcp, tlstcp]}\nexclude: [\"provider != ''\"]",
     "filters left out 2, include and exclude left out 3"),
])
def test_an_inventory_emptied_by_its_own_filters_says_so(tmp_path, monkeypatch, env, warnings, options, text):
    inventory = run(tmp_path, monkeypatch, SOURCE + options + "\n", FakeCollector(fleet()))
    assert list(inventory.hosts) == []
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("tunnel_sessions: the inventory is empty, but the providers have 5 sessions: ")
    assert text in warnings[0] and "an inventory sync that overwrites" in warnings[0], warnings[0]


def test_an_account_without_sessions_gives_an_empty_inventory_without_a_word(tmp_path, monkeypatch, env, warnings):
    inventory = run(tmp_path, monkeypatch, SOURCE + "filters: {ports: [2222]}\n", FakeCollector([]))
    assert list(inventory.hosts) == [] and warnings == []


def test_a_partly_filtered_inventory_says_nothing(tmp_path, monkeypatch, env, warnings):
    inventory = run(tmp_path, monkeypatch, SOURCE + "filters: {ports: [22]}\n", FakeCollector(fleet()))
    assert sorted(inventory.hosts) == ["openport-openport.io-6260", "tn_1"] and warnings == []
