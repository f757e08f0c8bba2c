# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options are declared once (connection.OPTIONS); the argument spec, the doc
fragments for modules and for plugins, and the inventory plugin must agree with that declaration."""

from __future__ import annotations

import pytest
import yaml

from ansible.module_utils.basic import env_fallback

from ansible_collections.tunnelops.tunnels.plugins.doc_fragments import common, ngrok, openport, pinggy
from ansible_collections.tunnelops.tunnels.plugins.inventory import tunnel_sessions
from ansible_collections.tunnelops.tunnels.plugins.module_utils import connection

FRAGMENTS = {"openport": openport, "ngrok": ngrok, "pinggy": pinggy, None: common}
CASES = [(option, variant) for option in connection.OPTIONS for variant in ("DOCUMENTATION", "PLUGINS")]


def documented(option, variant):
    text = getattr(FRAGMENTS[option.provider].ModuleDocFragment, variant)
    return yaml.safe_load(text)["options"].get(option.name)


@pytest.mark.parametrize("option, variant", CASES, ids=lambda v: getattr(v, "name", v))
def test_fragments_document_each_option_with_its_type_and_default(option, variant):
    doc = documented(option, variant)
    assert doc is not None, "%s is missing from the %s of its fragment" % (option.name, variant)
    assert doc["type"] == option.type
    assert doc.get("default") == option.default


@pytest.mark.parametrize("option", connection.OPTIONS, ids=lambda o: o.name)
def test_module_fragments_name_the_environment_variables(option):
    text = " ".join(documented(option, "DOCUMENTATION")["description"])
    for name in option.env:
        assert "E(%s)" % name in text, "%s: the module documentation does not name %s" % (option.name, name)


@pytest.mark.parametrize("option", connection.OPTIONS, ids=lambda o: o.name)
def test_plugin_fragments_read_the_same_environment_variables(option):
    doc = documented(option, "PLUGINS")
    assert [entry["name"] for entry in doc.get("env", [])] == list(option.env)


@pytest.mark.parametrize("option", connection.OPTIONS, ids=lambda o: o.name)
def test_argument_spec_follows_the_declaration(option):
    spec = connection.argument_spec()[option.name]
    assert spec["type"] == option.type
    assert spec.get("default") == option.default
    assert spec.get("no_log", False) is option.secret
    if option.env:
        assert spec["fallback"] == (env_fallback, list(option.env))
    else:
        assert "fallback" not in spec


def test_every_documented_connection_option_is_declared():
    declared = set(o.name for o in connection.OPTIONS)
    for fragment in FRAGMENTS.values():
        for variant in ("DOCUMENTATION", "PLUGINS"):
            names = set(yaml.safe_load(getattr(fragment.ModuleDocFragment, variant))["options"])
            assert names <= declared, "%s.%s documents %s" % (fragment.__name__, variant, names - declared)


def test_the_inventory_plugin_uses_the_plugin_fragments_and_the_declared_templating():
    extends = yaml.safe_load(tunnel_sessions.DOCUMENTATION)["extends_documentation_fragment"]
    for name in ("openport", "ngrok", "pinggy", "common"):
        assert "tunnelops.tunnels.%s.plugins" % name in extends
    assert tunnel_sessions.TEMPLATED_OPTIONS == set(o.name for o in connection.OPTIONS if o.templated)
    assert all(o.templated for o in connection.OPTIONS if o.secret)


def test_secrets_are_the_credentials():
    assert sorted(o.name for o in connection.OPTIONS if o.secret) == sorted(
        name for name, dummy in connection.CREDENTIAL_OPTIONS.values())


# -- checks of the connection options, before any request ------------------------------------------

def params_of(**values):
    params = dict((option.name, option.default) for option in connection.OPTIONS)
    params.update(values)
    return params


@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_credential_option_falls_back_to_the_environment(monkeypatch, empty):
    monkeypatch.setenv("OPENPORT_TOKEN", "op-from-the-environment")
    params = params_of(openport_token=empty)
    assert connection.select_providers(params) == ["openport"]
    client = connection.client_from_params("openport", params)
    assert client._credential == "op-from-the-environment"
    assert params["openport_token"] == empty, "the caller's options are left as they are"


def test_an_empty_credential_without_the_environment_says_the_option_is_empty(monkeypatch):
    monkeypatch.delenv("OPENPORT_TOKEN", raising=False)
    with pytest.raises(connection.TunnelConfigError) as err:
        connection.check_connection_params("openport", params_of(openport_token=""))
    assert err.value.option == "openport_token"
    assert str(err.value).startswith("openport_token: is empty and the OPENPORT_TOKEN environment variable is not "
                                     "set either")


def test_an_empty_url_option_falls_back_to_the_environment(monkeypatch):
    monkeypatch.setenv("NGROK_API_URL", "https://ngrok.example.test")
    assert connection.check_connection_params("ngrok", params_of(ngrok_api_key="k" * 8, ngrok_api_url="")) \
        == "https://ngrok.example.test"


@pytest.mark.parametrize("option, value", [
    ("ngrok_api_key", "key-\u00e9\u00e8-not-latin-1-\u20ac"),
    ("ngrok_api_key", "key-with-\u2028-separator"),
    ("pinggy_api_key", "pinggy-key\nX-Injected: 1"),
    ("openport_token", "t0ken with spaces"),
    ("openport_token", "tok\x00en"),
])
def test_a_credential_that_cannot_be_sent_is_refused_naming_the_option(option, value):
    provider = option.split("_")[0]
    with pytest.raises(connection.TunnelConfigError) as err:
        connection.client_from_params(provider, params_of(**{option: value}))
    assert err.value.option == option
    assert value not in str(err.value) and value.split()[0] not in str(err.value)


def test_a_huge_api_url_is_refused_without_repeating_it():
    url = "https://api.ngrok.com/" + "x" * 70000
    with pytest.raises(connection.TunnelConfigError) as err:
        connection.client_from_params("ngrok", params_of(ngrok_api_key="ngrok-key", ngrok_api_url=url))
    assert err.value.option == "ngrok_api_url" and len(str(err.value)) < 400


@pytest.mark.parametrize("url", ["https://", "https:///path", "https://exa mple.com/api", "https://host/\u00e9\nx"])
def test_a_url_without_a_host_or_with_spaces_is_refused(url):
    with pytest.raises(connection.TunnelConfigError) as err:
        connection.check_connection_params("pinggy", params_of(pinggy_api_key="pinggy-key", pinggy_api_url=url))
    assert err.value.option == "pinggy_api_url"


def test_a_ca_path_that_does_not_exist_is_refused_over_https(tmp_path):
    missing = str(tmp_path / "no-such-ca.pem")
    with pytest.raises(connection.TunnelConfigError) as err:
        connection.client_from_params("openport", params_of(openport_token="op-token", ca_path=missing))
    assert err.value.option == "ca_path" and missing in str(err.value)
    # Over plain http the CA is not used: no reason to refuse.
    connection.client_from_params("openport", params_of(openport_token="op-token", ca_path=missing,
                                                        openport_api_url="http://127.0.0.1:9/api/v2"))
    present = tmp_path / "ca.pem"
    present.write_text("-----BEGIN CERTIFICATE-----\n")
    connection.client_from_params("openport", params_of(openport_token="op-token", ca_path=str(present)))


# -- pacing: one budget per ngrok account -----------------------------------------------------------

def ngrok_client(**values):
    return connection.client_from_params("ngrok", params_of(**dict({"ngrok_api_key": "ngrok-key-one"}, **values)))


def test_two_api_keys_of_one_account_share_one_budget(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNNELOPS_PACING_DIR", str(tmp_path))
    first = ngrok_client(ngrok_rate_limit=3, ngrok_rate_window=60)
    second = ngrok_client(ngrok_api_key="ngrok-key-two", ngrok_rate_limit=3, ngrok_rate_window=60)
    assert first.pacer._path == second.pacer._path
    clock = [1000.0]
    for pacer in (first.pacer, second.pacer):
        pacer.clock, pacer.sleep = (lambda: clock[0]), (lambda s: clock.__setitem__(0, clock[0] + s))
    for dummy in range(3):
        assert first.pacer.acquire() == 0.0
    assert second.pacer.acquire() > 59.0, "the second key got a budget of its own"
    for path in tmp_path.iterdir():
        assert "ngrok-key" not in path.name and "ngrok-key" not in path.read_text()


def test_the_rate_scope_names_the_budget(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNNELOPS_PACING_DIR", str(tmp_path))
    default = ngrok_client()
    other_url = ngrok_client(ngrok_api_url="https://gateway.example.test/ngrok")
    assert default.pacer._path != other_url.pacer._path
    named = ngrok_client(ngrok_rate_scope="team-a")
    named_elsewhere = ngrok_client(ngrok_api_url="https://gateway.example.test/ngrok", ngrok_rate_scope="team-a")
    assert named.pacer._path == named_elsewhere.pacer._path != default.pacer._path
    monkeypatch.setenv("NGROK_RATE_SCOPE", "team-b")
    assert connection.argument_spec()["ngrok_rate_scope"]["fallback"][1] == ["NGROK_RATE_SCOPE"]
    assert "team-a" not in named.pacer._path


@pytest.mark.parametrize("provider", connection.PROVIDERS)
def test_clients_name_their_credential_when_it_is_refused(provider):
    option, env = connection.CREDENTIAL_OPTIONS[provider]
    url_option = connection.URL_OPTIONS[provider][0]
    client = connection.client_from_params(provider, {option: "secret-value", url_option: "https://api.example.test"})
    assert client.core.credential_names == (option, env)
