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


@pytest.mark.parametrize("provider", connection.PROVIDERS)
def test_clients_name_their_credential_when_it_is_refused(provider):
    option, env = connection.CREDENTIAL_OPTIONS[provider]
    url_option = connection.URL_OPTIONS[provider][0]
    client = connection.client_from_params(provider, {option: "secret-value", url_option: "https://api.example.test"})
    assert client.core.credential_names == (option, env)
