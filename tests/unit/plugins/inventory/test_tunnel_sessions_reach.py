# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory leads to the machines (issue 17): whether a port is protected, the redirect URL, never the link."""

from __future__ import annotations

import json

from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions import normalize as ss
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.inventory.test_tunnel_sessions import (
    FakeCollector, hostvars, run)

LINK_SECRET = "LINKsecret0123456"
REDIRECT_TOKEN = "pdDrqgF7"


def reach_fleet():
    openport = ss.normalize_openport_session({
        "key": "https://x/api/v2/keys/7/", "port": 6260, "local_port": 22, "server": "openport.io",
        "open_port_for_ip_link": "https://api.openport.io/l/6260/" + LINK_SECRET,
        "redirect_url": "https://api.openport.io/r/%s/22" % REDIRECT_TOKEN}, {7: {"id": 7, "name": "pi-1"}})
    ngrok = ss.normalize_ngrok_sessions(
        [{"id": "ts_1", "credential": {"id": "cr_1"}}],
        [{"id": "tn_1", "public_url": "tcp://1.tcp.eu.ngrok.io:20001", "proto": "tcp", "forwards_to": "localhost:22",
          "tunnel_session": {"id": "ts_1"}}], [{"id": "cr_1", "description": "ng-1"}])
    pinggy = [ss.normalize_pinggy_session({"id": "b7e0", "mode": "tcp", "subdomain": "x.a.pinggy.link",
                                           "port": 40001, "tokenId": "t1", "tokenName": "pg-1"})]
    return [openport] + ngrok + pinggy


def test_hosts_say_whether_their_port_is_protected_and_mask_the_redirect_url(tmp_path, monkeypatch, env):
    source = "plugin: tunnelops.tunnels.tunnel_sessions\nhostnames: [key_name]\nraw_host_var: true\n"
    inventory = run(tmp_path, monkeypatch, source, FakeCollector(reach_fleet()))
    op, ng, pg = hostvars(inventory, "pi-1"), hostvars(inventory, "ng-1"), hostvars(inventory, "pg-1")
    assert (op["tunnel_protected"], ng["tunnel_protected"], pg["tunnel_protected"]) == (True, False, None)
    assert op["tunnel_redirect_url"] == "https://api.openport.io/r/********/22"
    assert (ng["tunnel_redirect_url"], pg["tunnel_redirect_url"]) == (None, None)
    assert (op["ansible_host"], op["ansible_port"]) == ("openport.io", 6260)
    # the link is a secret: no host variable holds it, the raw record neither
    text = json.dumps(dict((k, str(v)) for k, v in op.items()))
    assert LINK_SECRET not in text and REDIRECT_TOKEN not in text
