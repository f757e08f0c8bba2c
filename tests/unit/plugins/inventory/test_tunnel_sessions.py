# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the tunnel_sessions inventory plugin, with the provider listing patched out.

The integration target inventory_tunnel_sessions runs it against the emulator;
these tests pin naming, variables, groups, filters, caching and provider errors.
"""

from __future__ import annotations

import json

import pytest

from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader
from ansible.utils.display import Display

from ansible_collections.tunnelops.tunnels.plugins.inventory import tunnel_sessions as plugin_module
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions import normalize as ss
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import register_secret
from ansible_collections.tunnelops.tunnels.plugins.plugin_utils import tunnel_inventory as ti

from ansible_collections.tunnelops.tunnels.tests.unit.plugins.inventory.conftest import NGROK_KEY, PINGGY_KEY, TOKEN


def fleet():
    keys = {7: {"id": 7, "name": "web key"}}
    openport = [
        ss.normalize_openport_session({"key": "https://x/api/v2/keys/7/", "port": 6260, "local_port": 22,
                                       "server": "openport.io"}, keys),
        ss.normalize_openport_session({"key": "https://x/api/v2/keys/7/", "port": 6261, "local_port": 80,
                                       "server": "openport.io", "http_forwarding_address": "a.openport.io"}, keys),
    ]
    ngrok = ss.normalize_ngrok_sessions(
        [{"id": "ts_1", "region": "eu", "ip": "192.0.2.1", "agent_version": "3.1.0",
          "credential": {"id": "cr_1"}}],
        [{"id": "tn_1", "public_url": "tcp://1.tcp.eu.ngrok.io:20001", "proto": "tcp",
          "forwards_to": "localhost:22", "tunnel_session": {"id": "ts_1"}},
         {"id": "tn_2", "public_url": "https://abc.ngrok.app", "proto": "https",
          "forwards_to": "http://localhost:8080", "tunnel_session": {"id": "ts_1"}}],
        [{"id": "cr_1", "description": "web key", "token": "SHOULD-NOT-LEAK"}])
    pinggy = [ss.normalize_pinggy_session({"id": "b7e0", "mode": "tlstcp", "subdomain": "x.a.pinggy.link",
                                           "port": 40001, "tokenId": "t1", "tokenName": "laptop",
                                           "token_value": "SHOULD-NOT-LEAK"})]
    return openport + ngrok + pinggy


def load_plugin():
    # ansible-test units makes the collection loadable by the plugin loader.
    plugin = inventory_loader.get("tunnelops.tunnels.tunnel_sessions")
    assert plugin is not None, "run these tests with ansible-test units"
    return plugin


class FakeCollector:
    def __init__(self, sessions, errors=()):
        self.sessions = sessions
        self.errors = list(errors)
        self.calls = []

    def __call__(self, clients, workers=None):
        self.calls.append(sorted(clients))
        chosen = [s for s in self.sessions if s["provider"] in clients]
        return chosen, [e for e in self.errors if e["provider"] in clients]


def run(tmp_path, monkeypatch, config, collector, cache=True, name="t.tunnel_sessions.yml"):
    monkeypatch.setattr(plugin_module, "collect_sessions", collector)
    source = tmp_path / name
    source.write_text(config)
    inventory = InventoryData()
    plugin = load_plugin()
    assert plugin.verify_file(str(source))
    plugin.parse(inventory, DataLoader(), str(source), cache=cache)
    if getattr(plugin, "_cache", None) is not None and plugin.get_option("cache"):
        plugin.update_cache_if_changed()
    return inventory


def cached_source(tmp_path):
    """A source with the jsonfile cache in tmp_path/cache, and that folder."""
    cache_dir = tmp_path / "cache"
    return cache_dir, ("plugin: tunnelops.tunnels.tunnel_sessions\ncache: true\n"
                       "cache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\ncache_timeout: 300\n"
                       % cache_dir)


def hostvars(inventory, host):
    return inventory.get_host(host).get_vars()


def members(inventory, group):
    return sorted(h.name for h in inventory.groups[group].get_hosts())


def test_verify_file_accepts_only_tunnel_sessions_names(tmp_path):
    plugin = load_plugin()
    for name, expected in (("a.tunnel_sessions.yml", True), ("tunnel_sessions.yaml", True),
                           ("inventory.yml", False), ("tunnel_sessions.json", False)):
        path = tmp_path / name
        path.write_text("plugin: tunnelops.tunnels.tunnel_sessions\n")
        assert plugin.verify_file(str(path)) is expected, name


def test_hosts_vars_and_default_groups(tmp_path, monkeypatch, env):
    inventory = run(tmp_path, monkeypatch, "plugin: tunnelops.tunnels.tunnel_sessions\n", FakeCollector(fleet()))
    assert sorted(inventory.hosts) == ["b7e0", "openport-openport.io-6260", "openport-openport.io-6261",
                                       "tn_1", "tn_2"]
    tcp = hostvars(inventory, "tn_1")
    assert (tcp["ansible_host"], tcp["ansible_port"]) == ("1.tcp.eu.ngrok.io", 20001)
    assert tcp["tunnel_key_name"] == "web key" and tcp["tunnel_region"] == "eu"
    # raw_host_var is off by default: the provider's record is no host variable.
    assert set(k for k in tcp if k.startswith("tunnel_")) == set("tunnel_" + f for f in ss.SESSION_FIELDS) - {
        "tunnel_raw"}
    assert (hostvars(inventory, "b7e0")["ansible_host"], hostvars(inventory, "b7e0")["ansible_port"]) == \
        ("x.a.pinggy.link", 40001)
    http = hostvars(inventory, "tn_2")
    assert "ansible_host" not in http and http["tunnel_public_url"] == "https://abc.ngrok.app"
    assert "ansible_host" not in hostvars(inventory, "openport-openport.io-6261")
    assert members(inventory, "provider_ngrok") == ["tn_1", "tn_2"]
    assert members(inventory, "protocol_tcp") == ["openport-openport.io-6260", "tn_1"]
    assert members(inventory, "protocol_tlstcp") == ["b7e0"]
    assert members(inventory, "region_openport_io") == ["openport-openport.io-6260", "openport-openport.io-6261"]
    assert members(inventory, "key_web_key") == ["openport-openport.io-6260", "openport-openport.io-6261",
                                                 "tn_1", "tn_2"]
    text = json.dumps(dict((h, hostvars(inventory, h)) for h in inventory.hosts), default=str)
    for secret in (TOKEN, NGROK_KEY, PINGGY_KEY, "SHOULD-NOT-LEAK"):
        assert secret not in text


def test_raw_host_var_off_keeps_raw_for_templates_conditions_and_hostnames(tmp_path, monkeypatch, env):
    config = """
plugin: tunnelops.tunnels.tunnel_sessions
hostnames: ["{{ raw.session.ip }}-{{ tunnel_raw.tunnel.proto }}", raw.subdomain, id]
include:
  - raw.port | default(0) == 6260
  - "'session' in raw"
  - tunnel_raw.mode | default('') == 'tlstcp'
compose:
  agent: raw.session.agent_version
  forwards_to: tunnel_raw.tunnel.forwards_to
  record: raw
groups:
  eu_agents: raw.session.region == 'eu'
keyed_groups:
  - key: tunnel_raw.tunnel.proto
    prefix: proto
"""
    inventory = run(tmp_path, monkeypatch, config, FakeCollector(fleet()))
    assert sorted(inventory.hosts) == ["192.0.2.1-https", "192.0.2.1-tcp", "openport-openport.io-6260",
                                       "x.a.pinggy.link"]
    for host in inventory.hosts:
        assert "tunnel_raw" not in hostvars(inventory, host) and "raw" not in hostvars(inventory, host)
    tcp = hostvars(inventory, "192.0.2.1-tcp")
    assert (tcp["agent"], tcp["forwards_to"]) == ("3.1.0", "localhost:22")
    # compose can still set the whole record under a name of one's own
    assert tcp["record"]["session"]["region"] == "eu" and tcp["record"]["tunnel"]["id"] == "tn_1"
    assert "record" in hostvars(inventory, "openport-openport.io-6260")
    assert members(inventory, "eu_agents") == ["192.0.2.1-https", "192.0.2.1-tcp"]
    assert members(inventory, "proto_tcp") == ["192.0.2.1-tcp"]
    assert members(inventory, "proto_https") == ["192.0.2.1-https"]


@pytest.mark.parametrize("prefix", ["tunnel_", "t_", ""])
def test_raw_host_var_on_sets_the_record_without_secrets(tmp_path, monkeypatch, env, prefix):
    config = ("plugin: tunnelops.tunnels.tunnel_sessions\nraw_host_var: true\nhostvars_prefix: '%s'\n"
              "compose:\n  region_of_record: %sraw.session.region\n" % (prefix, prefix))
    sessions = fleet()
    inventory = run(tmp_path, monkeypatch, config, FakeCollector(sessions))
    by_id = dict((s["id"], s) for s in sessions)
    for host in inventory.hosts:
        assert hostvars(inventory, host)[prefix + "raw"] == by_id[host]["raw"]
    assert hostvars(inventory, "tn_1")[prefix + "raw"]["session"]["ip"] == "192.0.2.1"
    assert hostvars(inventory, "tn_1")["region_of_record"] == "eu"
    pinggy = hostvars(inventory, "b7e0")[prefix + "raw"]
    assert pinggy["subdomain"] == "x.a.pinggy.link" and "token_value" not in pinggy
    text = json.dumps(dict((h, hostvars(inventory, h)) for h in inventory.hosts), default=str)
    for secret in (TOKEN, NGROK_KEY, PINGGY_KEY, "SHOULD-NOT-LEAK"):
        assert secret not in text


def test_raw_host_var_applies_to_cached_sessions(tmp_path, monkeypatch, env):
    """The cache holds the records whatever the option says; the option applies when the hosts are made."""
    cache_dir, config = cached_source(tmp_path)
    collector = FakeCollector(fleet())
    first = run(tmp_path, monkeypatch, config, collector)
    assert "tunnel_raw" not in hostvars(first, "tn_1")
    text = [f for f in cache_dir.iterdir() if not f.name.endswith("_salt")][0].read_text()
    assert "192.0.2.1" in text and "localhost:22" in text  # the records are in the cache
    second = run(tmp_path, monkeypatch, config + "raw_host_var: true\n", collector)
    assert collector.calls == [["ngrok", "openport", "pinggy"]], "the second run must come from the cache"
    assert hostvars(second, "tn_1")["tunnel_raw"]["tunnel"]["forwards_to"] == "localhost:22"
    third = run(tmp_path, monkeypatch, config, collector)
    assert "tunnel_raw" not in hostvars(third, "tn_1") and len(collector.calls) == 1


def test_host_variables_leave_raw_out_only_when_asked():
    session = fleet()[2]  # ngrok tn_1, a TCP tunnel
    with_raw = ti.host_variables(session, "p_")
    without = ti.host_variables(session, "p_", raw=False)
    assert with_raw["p_raw"] == session["raw"] and "p_raw" not in without
    assert dict(without, p_raw=session["raw"]) == with_raw
    assert (without["ansible_host"], without["ansible_port"]) == ("1.tcp.eu.ngrok.io", 20001)
    variables = ti.template_variables(session, "p_", without)
    assert variables["raw"] == variables["p_raw"] == session["raw"]
    assert variables["p_id"] == variables["id"] == "tn_1"


def test_hostnames_templates_unique_suffixes_and_constructable(tmp_path, monkeypatch, env):
    config = """
plugin: tunnelops.tunnels.tunnel_sessions
hostnames: ["{{ key_name }}", id]
hostvars_prefix: t_
default_groups: []
compose:
  url: t_public_url
groups:
  web: protocol in ['http', 'https']
keyed_groups:
  - key: t_provider
    prefix: via
"""
    inventory = run(tmp_path, monkeypatch, config, FakeCollector(fleet()))
    # sorted by provider then id: ngrok tn_1, tn_2, openport ...6260, ...6261, pinggy b7e0
    assert hostvars(inventory, "web_key")["t_id"] == "tn_1"
    assert hostvars(inventory, "web_key-2")["t_id"] == "tn_2"
    assert hostvars(inventory, "web_key-3")["t_id"] == "openport-openport.io-6260"
    assert hostvars(inventory, "web_key-4")["t_id"] == "openport-openport.io-6261"
    assert hostvars(inventory, "web_key")["t_key_name"] == "web key"
    assert hostvars(inventory, "laptop")["url"] == "tcp://x.a.pinggy.link:40001"
    assert members(inventory, "web") == ["web_key-2", "web_key-4"]
    assert members(inventory, "via_openport") == ["web_key-3", "web_key-4"]
    assert "provider_ngrok" not in inventory.groups
    # Rendered names are plain str, or ansible-inventory --list on ansible-core < 2.19 shows them as objects.
    assert set(type(name) for name in inventory.hosts) == {str}


def test_filters_include_exclude(tmp_path, monkeypatch, env):
    config = """
plugin: tunnelops.tunnels.tunnel_sessions
providers: [ngrok, pinggy, openport]
filters:
  protocols: [tcp, tlstcp, https]
include:
  - tunnel_provider == 'ngrok'
  - public_port == 40001
exclude:
  - protocol == 'https'
"""
    collector = FakeCollector(fleet())
    inventory = run(tmp_path, monkeypatch, config, collector)
    assert sorted(inventory.hosts) == ["b7e0", "tn_1"]
    assert collector.calls == [["ngrok", "openport", "pinggy"]]


@pytest.mark.parametrize("name, expected", [
    ("prod agents", "prod_agents"), ("a,b:c*d?e[1]", "a_b_c_d_e_1_"), ("!web", "_web"), ("~web", "_web"),
    ("@list", "_list"), ("&x", "_x"), ("root@HQ", "root@HQ"), ("web!1", "web!1"), ("tab\there", "tab_here"),
])
def test_safe_hostname(name, expected):
    assert ti.safe_hostname(name) == expected


def test_sanitize_hostnames_off_keeps_the_rendered_name(tmp_path, monkeypatch, env):
    config = "plugin: tunnelops.tunnels.tunnel_sessions\nhostnames: [key_name, id]\nsanitize_hostnames: false\n"
    inventory = run(tmp_path, monkeypatch, config, FakeCollector(fleet()))
    assert "web key" in inventory.hosts and "web_key" not in inventory.hosts


def test_unique_names_never_take_a_name_in_use():
    assert ti.unique_names(["web", "web", "web-2", "db", "web"]) == ["web", "web-3", "web-2", "db", "web-4"]


def test_bad_hostnames_entry_fails_before_any_request(tmp_path, monkeypatch, env):
    collector = FakeCollector(fleet())
    with pytest.raises(Exception, match=r"hostnames\[0\]: 'no-such-field' is neither a session field"):
        run(tmp_path, monkeypatch, "plugin: tunnelops.tunnels.tunnel_sessions\nhostnames: [no-such-field]\n",
            collector)
    assert collector.calls == []


def test_missing_credential_names_option_and_env(tmp_path, monkeypatch, env):
    monkeypatch.delenv("PINGGY_API_KEY")
    collector = FakeCollector(fleet())
    with pytest.raises(Exception, match="pinggy_api_key: no pinggy credential was given; set the option or the "
                                        "PINGGY_API_KEY environment variable"):
        run(tmp_path, monkeypatch, "plugin: tunnelops.tunnels.tunnel_sessions\nproviders: [pinggy]\n", collector)
    assert collector.calls == []


def test_templated_credential_is_rendered(tmp_path, monkeypatch, env):
    monkeypatch.delenv("NGROK_API_KEY")
    monkeypatch.setenv("MY_NGROK", "ngrok-from-lookup-04")
    seen = {}

    def collector(clients, workers=None):
        seen["auth"] = clients["ngrok"].core.auth
        return [], []

    config = ("plugin: tunnelops.tunnels.tunnel_sessions\nproviders: [ngrok]\n"
              "ngrok_api_key: \"{{ lookup('ansible.builtin.env', 'MY_NGROK') }}\"\n")
    run(tmp_path, monkeypatch, config, collector)
    headers, params = {}, {}
    seen["auth"](headers, params)
    assert headers["Authorization"] == "Bearer ngrok-from-lookup-04"


def test_failing_provider_warns_and_others_still_give_hosts(tmp_path, monkeypatch, env):
    error = {"provider": "pinggy", "message": "pinggy API GET http://p/session/active returned HTTP 503: down",
             "status": 503, "code": None}
    warnings = []
    monkeypatch.setattr(Display(), "warning", lambda msg, *args, **kwargs: warnings.append(msg))
    sessions = [s for s in fleet() if s["provider"] != "pinggy"]
    inventory = run(tmp_path, monkeypatch, "plugin: tunnelops.tunnels.tunnel_sessions\n",
                    FakeCollector(sessions, [error]))
    assert "b7e0" not in inventory.hosts and "tn_1" in inventory.hosts
    assert warnings == ["tunnel_sessions: pinggy left out of the inventory: pinggy API GET "
                        "http://p/session/active returned HTTP 503: down"]


@pytest.mark.parametrize("config", [
    "plugin: tunnelops.tunnels.tunnel_sessions\nfail_on_provider_error: true\n",
    "plugin: tunnelops.tunnels.tunnel_sessions\nproviders: [pinggy]\n",  # every provider failed
])
def test_failing_provider_fails_with_option_or_when_all_failed(tmp_path, monkeypatch, env, config):
    error = {"provider": "pinggy", "message": "pinggy API returned HTTP 401: Unauthorized", "status": 401,
             "code": None}
    with pytest.raises(Exception, match="could not read the sessions of pinggy: pinggy API returned HTTP 401"):
        run(tmp_path, monkeypatch, config, FakeCollector(fleet(), [error]))


def test_cache_second_run_makes_no_listing_and_holds_no_secret(tmp_path, monkeypatch, env):
    cache_dir, config = cached_source(tmp_path)
    collector = FakeCollector(fleet())
    first = run(tmp_path, monkeypatch, config, collector)
    second = run(tmp_path, monkeypatch, config, collector)
    assert collector.calls == [["ngrok", "openport", "pinggy"]]
    assert sorted(first.hosts) == sorted(second.hosts)
    files = [f for f in cache_dir.iterdir() if not f.name.endswith("_salt")]  # the salt has an entry of its own
    assert len(files) == 1
    text = files[0].read_text()
    assert "tcp://1.tcp.eu.ngrok.io:20001" in text
    for secret in (TOKEN, NGROK_KEY, PINGGY_KEY, "SHOULD-NOT-LEAK"):
        assert secret not in text
    run(tmp_path, monkeypatch, config, collector, cache=False)  # --flush-cache asks again
    assert len(collector.calls) == 2


def test_provider_data_is_never_templated(tmp_path, monkeypatch, env):
    sessions = fleet()
    sessions[0] = dict(sessions[0], key_name="{{ 7 * 6 }}")
    config = "plugin: tunnelops.tunnels.tunnel_sessions\nhostnames: [key_name]\ncompose:\n  k: tunnel_key_name\n"
    inventory = run(tmp_path, monkeypatch, config, FakeCollector(sessions))
    names = sorted(inventory.hosts)
    assert "{{_7___6_}}" in names and "42" not in names
    assert hostvars(inventory, "{{_7___6_}}")["k"] == "{{ 7 * 6 }}"


def test_without_secrets_masks_a_credential_copied_into_another_field():
    register_secret("leaky-credential-77")
    sessions = [dict(fleet()[0], raw={"note": "key leaky-credential-77 here", "token": "x"})]
    clean = ti.without_secrets(sessions)
    assert clean[0]["raw"] == {"note": "key ******** here"}
    assert "leaky-credential-77" not in json.dumps(clean)
    assert ti.without_secrets(fleet()) == fleet()


def test_broken_condition_is_false_or_an_error_with_strict(tmp_path, monkeypatch, env):
    config = "plugin: tunnelops.tunnels.tunnel_sessions\ninclude:\n  - no_such_variable == 1\n  - provider == 'pinggy'\n"
    inventory = run(tmp_path, monkeypatch, config, FakeCollector(fleet()))
    assert sorted(inventory.hosts) == ["b7e0"]
    with pytest.raises(Exception, match=r"include: could not evaluate 'no_such_variable == 1' for ngrok session tn_1"):
        run(tmp_path, monkeypatch, config + "strict: true\n", FakeCollector(fleet()))
