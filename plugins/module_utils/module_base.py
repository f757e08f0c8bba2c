# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module of the collection shares: options, clients, errors, results."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.errors import NoLogError

from ansible_collections.tunnelops.tunnels.plugins.module_utils import connection
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import (
    TunnelApiError, TunnelConfigError, TunnelDependencyError, TunnelError)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.core import (
    HAS_REQUESTS, REQUESTS_IMPORT_ERROR)
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.masking import mask_text, redact


class TunnelModule:
    """An AnsibleModule for one or more providers.

    ``providers`` names the providers the module talks to; ``argument_spec``
    holds the module's own options.  Every module accepts the connection
    options of all three providers, so that one ``module_defaults`` entry for
    ``group/tunnelops.tunnels.tunnels`` can carry every credential; a module
    uses only those of its own providers.  ``self.done`` collects what was
    changed, so that a failure half-way says what had already happened.
    """

    def __init__(self, argument_spec, providers=(), supports_check_mode=True, **kwargs):
        spec = connection.argument_spec()
        spec.update(argument_spec)
        self.module = _naming_options(AnsibleModule)(argument_spec=spec, supports_check_mode=supports_check_mode,
                                                     **kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        # Whether the task asked for a diff (--diff or diff: true); the state machines return one only then.
        self.diff = self.module._diff
        self.providers = providers
        self.done = []
        self._clients = {}
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        if not self.params.get("validate_certs", True):
            self.module.warn("validate_certs is false: TLS certificates are not verified, so the "
                             "credentials could be read by anyone in the path to the API.")

    def client(self, provider):
        if provider not in self._clients:
            try:
                self._clients[provider] = connection.client_from_params(provider, self.params)
            except TunnelConfigError as exc:
                self.fail(exc)
        return self._clients[provider]

    def record(self, action, **details):
        """Note a change made at a provider (reported if a later step fails)."""
        entry = {"action": action}
        entry.update(details)
        self.done.append(entry)

    def fail(self, exc, **result):
        """Fail with a masked message that names the option or the API error."""
        result = dict(getattr(exc, "result", None) or {}, **result)
        if isinstance(exc, TunnelDependencyError):
            self.module.fail_json(msg="%s (%s)" % (missing_required_lib(exc.library), str(exc)),
                                  exception=exc.traceback, **result)
        if isinstance(exc, TunnelApiError):
            result["api_error"] = redact(exc.as_dict())
        if isinstance(exc, TunnelConfigError):
            result["option"] = exc.option
        msg = mask_text(str(exc))
        if self.done:
            result["done_before_failure"] = redact(self.done)
            msg += " Changes made before the failure: %s." % "; ".join(
                _describe(entry) for entry in self.done)
        result.setdefault("changed", bool(self.done))
        self.module.fail_json(msg=msg, **result)

    def run(self, body):
        """Call ``body(self)`` and turn collection errors into failures."""
        try:
            result = body(self)
        except TunnelError as exc:
            self.fail(exc)
        # A body returns its warnings as data; ansible-core takes them through warn() (a ``warnings`` key given to
        # exit_json is deprecated).
        for text in result.pop("warnings", None) or ():
            self.module.warn(text)
        self.module.exit_json(**result)


def _naming_options(module_class):
    """``module_class`` whose failed argument check names the option.

    For a string where a list of dicts is wanted (``keys: notalist``), ansible-core's first
    error comes from its search for no_log values and names no option ("dictionary requested,
    could not parse JSON or key=value"); the errors after it do name the option.
    """
    class Module(module_class):
        def fail_json(self, msg=None, **kwargs):
            result = getattr(self, "validation_result", None)
            errors = list(getattr(getattr(result, "errors", None), "errors", None) or ())
            named = [error.args[0] for error in errors if not isinstance(error, NoLogError)]
            if errors and isinstance(errors[0], NoLogError) and named:
                msg = "; ".join(named)
            super().fail_json(msg=msg, **kwargs)
    return Module


def _describe(entry):
    parts = [entry["action"]]
    for key in ("id", "name", "public_key_fingerprint", "description"):
        if entry.get(key):
            parts.append("%s=%s" % (key, entry[key]))
    return " ".join(str(p) for p in parts)
