# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OpenportClient.open_link: the link's page, outside the API, never with the API token."""

from __future__ import annotations

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelApiError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._openport.client import OpenportClient
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils._http.fake_http import (
    FakeAdapter, Reply, script)

TOKEN = "op-SECRET-token-5678"
LINK = "https://api.openport.test/l/6260/LINKSECRETabc"


def client_with(*replies):
    client = OpenportClient(TOKEN, "https://api.openport.test/api/v2", retries=1, sleep=lambda s: None)
    adapter = FakeAdapter(script(*replies))
    client._page_core().session.mount("https://", adapter)
    client.core.session.mount("https://", adapter)
    return client, adapter


def test_the_link_is_opened_without_the_token_and_its_page_returned():
    page = "<p>Port openport.io:6260 is now available for your IP address 203.0.113.9 for 24 hours.</p>"
    client, adapter = client_with(Reply(200, text=page, headers={"Content-Type": "text/html"}))
    assert client.open_link(LINK) == page
    sent = adapter.requests[0]
    assert sent.url == LINK and TOKEN not in sent.url and "token" not in sent.url
    assert TOKEN not in str(sent.headers) and "text/html" in sent.headers["Accept"]


def test_api_requests_still_carry_the_token():
    client, adapter = client_with(Reply(200, {"count": 0, "next": None, "previous": None, "results": []}))
    assert client.sessions.list() == []
    assert "token=" + TOKEN in adapter.requests[0].url


def test_a_refused_link_is_an_error_with_the_secret_masked():
    client, adapter = client_with(Reply(404, text="<h1>Not Found</h1>"))
    with pytest.raises(TunnelApiError) as err:
        client.open_link(LINK)
    assert err.value.status == 404 and "LINKSECRETabc" not in str(err.value)
    assert "/l/6260/********" in str(err.value)
