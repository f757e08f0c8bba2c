# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""This target's view of the emulator: its URLs and credentials, and its control API with the
functional tests' settings. The shared helpers (``tests.support``) come with the target through the
``needs/file/`` aliases: ansible-test copies them to the same place in its temporary directory.
"""

from __future__ import annotations

import os
import sys

# <root>/tests/integration/targets/<this target>: <root> holds tests/support, in ansible-test's copy too.
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", ".."))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# pylint: disable=wrong-import-position
from tests.support import control  # noqa: E402
from tests.support.inventory import (STANDARD_INVENTORY_UPDATE_ENV, expected_names, expected_requests,  # noqa: E402
                                     expected_sessions, unwrap)

__all__ = ["CONFIG_KEYS", "NGROK_RATE_LIMIT_RAISED", "SECRET_FIELDS", "STANDARD_INVENTORY_UPDATE_ENV", "Control",
           "expected_names", "expected_requests", "expected_sessions", "load_config", "unwrap"]

CONFIG_KEYS = ("emulator_openport_url", "emulator_ngrok_url", "emulator_pinggy_url", "emulator_control_url",
               "openport_token", "ngrok_api_key", "pinggy_api_key")
# The ngrok rate limit of these functional tests, at the emulator (Control.reset) and in the client (its env).
NGROK_RATE_LIMIT_RAISED = "6000"
SECRET_FIELDS = control.SECRET_FIELDS


def load_config(path):
    """The emulator URLs and credentials: integration_config.yml, overridden by the environment.

    ``EMULATOR_CONTROL_URL``, ``OPENPORT_TOKEN``, ... (the key names in upper case) win over the
    file, so the target also runs by hand against an emulator started with ``python -m tests.emulator``.
    """
    config = {}
    if os.path.exists(path):
        import yaml  # ansible-core depends on PyYAML
        with open(path, encoding="utf-8") as handle:
            config.update(yaml.safe_load(handle) or {})
    for key in CONFIG_KEYS:
        if os.environ.get(key.upper()):
            config[key] = os.environ[key.upper()]
    missing = [key for key in CONFIG_KEYS if not config.get(key)]
    if missing:
        raise SystemExit("inventory_tunnel_sessions: %s not found in %s or the environment"
                         % (", ".join(missing), path))
    return config


class Control(control.Control):
    """The control API, its resets raising ngrok's rate limit as in the client (NGROK_RATE_LIMIT_RAISED): these
    are functional tests, and the client's pacing window is shared with the targets that ran before."""

    def reset(self, seed="default", scale=None, config=None, items=None):
        config = dict({"ngrok_rate_limit": int(NGROK_RATE_LIMIT_RAISED)}, **(config or {}))
        return super().reset(seed, scale, config, items)
