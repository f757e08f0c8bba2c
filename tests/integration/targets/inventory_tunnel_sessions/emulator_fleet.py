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
from tests.support.integration import CONFIG_KEYS, NGROK_RATE_LIMIT_RAISED, Control, load_config  # noqa: E402
from tests.support.inventory import (STANDARD_INVENTORY_UPDATE_ENV, expected_names, expected_requests,  # noqa: E402
                                     expected_sessions, unwrap)

__all__ = ["CONFIG_KEYS", "NGROK_RATE_LIMIT_RAISED", "SECRET_FIELDS", "STANDARD_INVENTORY_UPDATE_ENV", "Control",
           "expected_names", "expected_requests", "expected_sessions", "load_config", "unwrap"]

SECRET_FIELDS = control.SECRET_FIELDS
