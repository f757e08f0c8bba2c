# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the integration targets written as scripts (inventory_tunnel_sessions, plugin_examples) share: the
emulator's URLs and credentials, and its control API with the functional tests' settings."""

from __future__ import annotations

import os

from tests.support import control

CONFIG_KEYS = ("emulator_openport_url", "emulator_ngrok_url", "emulator_pinggy_url", "emulator_control_url",
               "openport_token", "ngrok_api_key", "pinggy_api_key")
# The ngrok rate limit of the functional tests, at the emulator (Control.reset) and in the client (its env).
NGROK_RATE_LIMIT_RAISED = "6000"


def load_config(path):
    """The emulator URLs and credentials: integration_config.yml, overridden by the environment.

    ``EMULATOR_CONTROL_URL``, ``OPENPORT_TOKEN``, ... (the key names in upper case) win over the
    file, so a target also runs by hand against an emulator started with ``python -m tests.emulator``.
    """
    config = {}
    if os.path.exists(path):
        import yaml  # ansible-core depends on PyYAML  # pylint: disable=import-outside-toplevel
        with open(path, encoding="utf-8") as handle:
            config.update(yaml.safe_load(handle) or {})
    for key in CONFIG_KEYS:
        if os.environ.get(key.upper()):
            config[key] = os.environ[key.upper()]
    missing = [key for key in CONFIG_KEYS if not config.get(key)]
    if missing:
        raise SystemExit("%s not found in %s or the environment" % (", ".join(missing), path))
    return config


def urls(config):
    """The emulator's URLs by provider and control, as tests.support.connection takes them."""
    return dict((name, config["emulator_%s_url" % name]) for name in ("openport", "ngrok", "pinggy", "control"))


class Control(control.Control):
    """The control API, its resets raising ngrok's rate limit as in the client (NGROK_RATE_LIMIT_RAISED): these
    are functional tests, and the client's pacing window is shared with the targets that ran before."""

    def reset(self, seed="default", scale=None, config=None, items=None):
        config = dict({"ngrok_rate_limit": int(NGROK_RATE_LIMIT_RAISED)}, **(config or {}))
        return super().reset(seed, scale, config, items)
