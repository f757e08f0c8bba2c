# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that can never match are errors, raised before any request (issue 18.6)."""

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions import query, session_info
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils.fake_module import FakeTM


def test_check_filters_keeps_good_filters():
    assert query.check_filters(protocols=["tcp", "UDP"], key_names=["web-*"], ports=[22, 65535, 1]) == \
        {"protocols": ["tcp", "udp"], "key_names": ["web-*"], "ports": [22, 65535, 1]}
    assert query.check_filters() == {"protocols": None, "key_names": None, "ports": None}


@pytest.mark.parametrize("kwargs, option, text", [
    ({"protocols": ["ssh"]}, "protocols", "'ssh' is not a protocol of a session (tcp, http, https, tls, tlstcp, udp); "
                                          "a filter on it would keep no session"),
    ({"protocols": ["tcp", "bogus", "ssh"]}, "protocols", "'bogus', 'ssh' are not protocols of a session"),
    ({"ports": [-5, 99999]}, "ports", "-5, 99999 are not port numbers (1-65535); a filter on them would keep no session"),
    ({"ports": [0]}, "ports", "0 is not a port number (1-65535)"),
    ({"ports": [True]}, "ports", "True is not a port number"),
    ({"key_names": [7]}, "key_names", "7 is not a name pattern (a string such as 'web-*')"),
])
def test_check_filters_refuses_what_can_never_match(kwargs, option, text):
    with pytest.raises(TunnelConfigError) as err:
        query.check_filters(**kwargs)
    assert err.value.option == option and text in str(err.value), str(err.value)


def test_check_filters_names_the_option_under_a_prefix():
    with pytest.raises(TunnelConfigError) as err:
        query.check_filters(protocols=["bogus"], prefix="filters.")
    assert err.value.option == "filters.protocols"


@pytest.mark.parametrize("params, option", [({"ports": [-5, 99999]}, "ports"), ({"protocols": ["ssh"]}, "protocols")])
def test_session_info_refuses_them_before_any_client_is_built(params, option):
    tm = FakeTM(params=dict({"providers": None, "protocols": None, "key_names": None, "ports": None,
                             "query": None, "strict": False, "pinggy_api_key": "k"}, **params))
    with pytest.raises(TunnelConfigError) as err:
        session_info.run(tm)
    assert err.value.option == option and tm.built == []
