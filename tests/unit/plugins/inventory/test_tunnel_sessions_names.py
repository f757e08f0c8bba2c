# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""hostnames candidates that an empty variable leaves incomplete fall through to the next (issue 16.17)."""

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions import normalize as ss
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.inventory.test_tunnel_sessions import (
    FakeCollector, run)


def pinggy(session_id, key_name, port=40001):
    record = {"id": session_id, "mode": "tcp", "subdomain": "x.a.pinggy.link", "port": port}
    if key_name is not None:
        record["tokenName"] = key_name
    return ss.normalize_pinggy_session(record)


FLEET = [pinggy("nokey", None), pinggy("blank", ""), pinggy("named", "laptop"), pinggy("dashed", "web-", 40002)]


@pytest.mark.parametrize("template, names", [
    # The example of the docs: provider and key name, else the id.
    ('"{{ provider }}-{{ key_name }}"', ["blank", "nokey", "pinggy-laptop", "pinggy-web-"]),
    ('"{{ key_name }}-{{ provider }}"', ["blank", "nokey", "laptop-pinggy", "web--pinggy"]),
    ('"{{ provider }}-{{ key_name }}-{{ public_port }}"',
     ["blank", "nokey", "pinggy-laptop-40001", "pinggy-web--40002"]),
    ('"{{ provider }}_{{ key_name }}"', ["blank", "nokey", "pinggy_laptop", "pinggy_web-"]),
    ('"{{ provider }}.{{ key_name }}"', ["blank", "nokey", "pinggy.laptop", "pinggy.web-"]),
    ('"{{ key_name }}"', ["blank", "nokey", "laptop", "web-"]),
    # An empty value the template deals with itself is no problem.
    ('"{{ provider }}-{{ key_name or \'anon\' }}"', ["pinggy-anon", "pinggy-anon-2", "pinggy-laptop", "pinggy-web-"]),
    ('"{{ key_name }}{{ public_port }}"', ["40001", "40001-2", "laptop40001", "web-40002"]),
])
def test_a_name_an_empty_variable_left_incomplete_falls_back(tmp_path, monkeypatch, env, template, names):
    config = "plugin: tunnelops.tunnels.tunnel_sessions\nhostnames:\n  - %s\n  - id\n" % template
    inventory = run(tmp_path, monkeypatch, config, FakeCollector(FLEET))
    assert sorted(inventory.hosts) == sorted(names)


def test_with_no_fallback_the_session_is_left_out(tmp_path, monkeypatch, env):
    config = "plugin: tunnelops.tunnels.tunnel_sessions\nhostnames: ['{{ provider }}-{{ key_name }}']\n"
    inventory = run(tmp_path, monkeypatch, config, FakeCollector(FLEET))
    assert sorted(inventory.hosts) == ["pinggy-laptop", "pinggy-web-"]
