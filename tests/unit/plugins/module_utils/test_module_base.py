# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils import module_base
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError


class Failed(Exception):
    pass


class FakeAnsibleModule:
    """Stands in for AnsibleModule: records the spec and turns fail_json into an exception."""

    def __init__(self, argument_spec, supports_check_mode, **kwargs):
        self.argument_spec = argument_spec
        self.params = dict((name, spec.get("default")) for name, spec in argument_spec.items())
        self.check_mode = False
        self._diff = False
        self.warnings = []

    def fail_json(self, **result):
        raise Failed(result)

    def warn(self, text):
        self.warnings.append(text)


@pytest.fixture
def fake_module(monkeypatch):
    monkeypatch.setattr(module_base, "AnsibleModule", FakeAnsibleModule)


def test_missing_requests_gives_the_standard_message(fake_module, monkeypatch):
    monkeypatch.setattr(module_base, "HAS_REQUESTS", False)
    monkeypatch.setattr(module_base, "REQUESTS_IMPORT_ERROR", "Traceback: No module named 'requests'")
    with pytest.raises(Failed) as err:
        module_base.TunnelModule({}, providers=("openport",))
    result = err.value.args[0]
    assert result["msg"].startswith("Failed to import the required Python library (requests)")
    assert result["exception"] == "Traceback: No module named 'requests'"


def test_every_module_takes_every_providers_connection_options(fake_module):
    tm = module_base.TunnelModule({"name": dict(type="str")}, providers=("openport",))
    spec = tm.module.argument_spec
    for option in ("openport_token", "openport_api_url", "ngrok_api_key", "ngrok_api_url",
                   "ngrok_rate_limit", "ngrok_rate_window", "pinggy_api_key", "pinggy_api_url",
                   "validate_certs", "ca_path", "timeout", "retries", "name"):
        assert option in spec, option
    assert all(spec[o]["no_log"] for o in ("openport_token", "ngrok_api_key", "pinggy_api_key"))


def test_failure_lists_what_was_done_before_it_and_masks_secrets(fake_module):
    tm = module_base.TunnelModule({}, providers=("openport",))
    tm.record("created", id=7, name="web-1")
    exc = TunnelApiError("openport", "refused token=abc123SECRET", status=400, method="POST",
                         url="https://x/keys/?token=********")
    with pytest.raises(Failed) as err:
        tm.fail(exc)
    result = err.value.args[0]
    assert "abc123SECRET" not in repr(result)
    assert result["changed"] is True
    assert result["done_before_failure"] == [{"action": "created", "id": 7, "name": "web-1"}]
    assert result["msg"].endswith("Changes made before the failure: created id=7 name=web-1.")


def test_validate_certs_false_warns(fake_module, monkeypatch):
    original = FakeAnsibleModule.__init__

    def insecure(self, argument_spec, supports_check_mode, **kwargs):
        original(self, argument_spec, supports_check_mode, **kwargs)
        self.params["validate_certs"] = False
    monkeypatch.setattr(FakeAnsibleModule, "__init__", insecure)
    tm = module_base.TunnelModule({}, providers=("ngrok",))
    assert tm.module.warnings and "validate_certs is false" in tm.module.warnings[0]


def test_argument_error_names_the_option_where_ansible_core_does_not(fake_module, monkeypatch):
    """``keys: notalist``: ansible-core's first error comes from its no_log search and names no option."""
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    original = FakeAnsibleModule.__init__

    def validating(self, argument_spec, supports_check_mode, **kwargs):
        original(self, argument_spec, supports_check_mode, **kwargs)
        # What AnsibleModule.__init__ does with a failed check: fail with the first error's message.
        self.validation_result = ArgumentSpecValidator(argument_spec).validate({"keys": "notalist"})
        self.fail_json(msg=self.validation_result.errors.msg)
    monkeypatch.setattr(FakeAnsibleModule, "__init__", validating)
    spec = {"keys": dict(type="list", elements="dict", required=True,
                         options=dict(public_key=dict(type="str", required=True)))}
    with pytest.raises(Failed) as err:
        module_base.TunnelModule(spec, providers=("openport",))
    msg = err.value.args[0]["msg"]
    assert "option 'keys'" in msg and "convert to dict" in msg, msg
    assert not msg.startswith("dictionary requested")


def test_warnings_of_a_body_go_through_warn(fake_module, monkeypatch):
    exits = []
    monkeypatch.setattr(FakeAnsibleModule, "exit_json", lambda self, **result: exits.append(result), raising=False)
    tm = module_base.TunnelModule({}, providers=("pinggy",))
    tm.run(lambda tm: {"changed": False, "warnings": ["the 60-day edge"]})
    assert tm.module.warnings == ["the 60-day edge"] and exits == [{"changed": False}]
