# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The attributes every module shares. A module adds its own check_mode and diff_mode
    # (with details of what they show); an info module takes INFO_MODULE instead.
    DOCUMENTATION = r"""
options: {}
attributes:
  platform:
    platforms: all
    details: The module runs on the controller and talks only to the tunnel providers' APIs.
"""

    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
    details: The module only reads; it does the same in check mode.
  diff_mode:
    support: N/A
    details: The module only reads.
  platform:
    platforms: all
    details: The module runs on the controller and talks only to the tunnel providers' APIs.
"""
