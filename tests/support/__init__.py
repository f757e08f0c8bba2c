# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the test suites share, standard library only, imported as ``tests.support`` from the collection root.

- ``control``: the emulator's control API over HTTP (``Control``) and the secrets of its state
  (``secret_values``);
- ``inventory``: what the tunnel_sessions inventory must show, derived from the emulator's raw state,
  and ``unwrap`` for ``ansible-inventory --list`` output.

Users: the reliability suite (tests/reliability), the benchmark (tests/benchmarks), the ecosystem
checks (tests/ecosystem) and the inventory_tunnel_sessions integration target, which gets these files
through ``needs/file/`` aliases. The emulator itself is started by tools/emulator.py (another process)
or ``tests.emulator.start_emulator`` (in process).
"""
