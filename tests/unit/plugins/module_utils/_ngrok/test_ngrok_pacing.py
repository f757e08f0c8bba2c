# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import time

from ansible_collections.tunnelops.tunnels.plugins.module_utils._ngrok.client import NgrokClient
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pacing import SlidingWindowPacer
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.module_utils._http.fake_http import FakeAdapter, Reply


def test_a_request_counts_from_its_answer():
    pacer = SlidingWindowPacer(2, 60, shared=False)
    pacer.acquire()
    left = pacer._starts[-1]
    time.sleep(0.05)
    pacer.answered()
    assert len(pacer._starts) == 1 and pacer._starts[0] >= left + 0.05
    moved = pacer._starts[0]
    pacer.answered()  # nothing left to move
    assert pacer._starts == [moved]


def test_the_client_reports_each_answer_to_the_shared_window(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNNELOPS_PACING_DIR", str(tmp_path))
    client = NgrokClient("ngrok-test-key", "https://api.ngrok.test", rate_limit=50, rate_window=60,
                         sleep=lambda s: None)

    def slow_answer(request):
        time.sleep(0.05)
        return Reply(200, {"credentials": [], "next_page_uri": None})

    client.core.session.mount("https://", FakeAdapter(slow_answer))
    before = time.time()
    client.credentials.list()
    with open(client.pacer._path) as handle:
        starts = json.load(handle)
    assert len(starts) == 1 and starts[0] >= before + 0.05
