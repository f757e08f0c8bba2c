# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.timestamps import (
    check_window, parse_time_option)


def test_a_reversed_window_names_the_option_once():
    after = parse_time_option("last_connection_after", "2026-05-01")
    before = parse_time_option("last_connection_before", "2026-01-01")
    with pytest.raises(TunnelConfigError) as err:
        check_window(after, before, "last_connection_after", "last_connection_before")
    text = str(err.value)
    assert err.value.option == "last_connection_after"
    assert text.count("last_connection_after") == 1, text
    assert text.startswith("last_connection_after: must be earlier than last_connection_before")
