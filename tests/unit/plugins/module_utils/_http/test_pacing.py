# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.pacing import SlidingWindowPacer


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_pacer_allows_limit_then_waits_for_window(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNNELOPS_PACING_DIR", str(tmp_path))
    clock = Clock()
    pacer = SlidingWindowPacer(5, 10, scope="k", clock=clock, sleep=clock.sleep, margin=0.25)
    for dummy in range(5):
        assert pacer.acquire() == 0.0
    waited = pacer.acquire()
    assert abs(waited - 10.25) < 1e-6
    assert clock.now == 1010.25


def test_pacer_is_shared_between_instances_through_its_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNNELOPS_PACING_DIR", str(tmp_path))
    clock = Clock()
    first = SlidingWindowPacer(3, 60, scope="same-key", clock=clock, sleep=clock.sleep)
    second = SlidingWindowPacer(3, 60, scope="same-key", clock=clock, sleep=clock.sleep)
    other = SlidingWindowPacer(3, 60, scope="other-key", clock=clock, sleep=clock.sleep)
    for dummy in range(3):
        first.acquire()
    assert other.acquire() == 0.0
    assert second.acquire() > 59.0
    assert list(tmp_path.iterdir())
    # the file holds timestamps only, never the key
    for path in tmp_path.iterdir():
        assert "same-key" not in path.read_text() and "same-key" not in path.name


def test_pacer_penalise_holds_everyone(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNNELOPS_PACING_DIR", str(tmp_path))
    clock = Clock()
    pacer = SlidingWindowPacer(10, 60, scope="p", clock=clock, sleep=clock.sleep, margin=0)
    pacer.penalise(5)
    assert abs(pacer.acquire() - 5.0) < 1e-6


def test_pacer_off_when_limit_zero():
    pacer = SlidingWindowPacer(0, 60)
    assert all(pacer.acquire() == 0.0 for dummy in range(1000))


def test_pacer_rate_over_a_long_run(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNNELOPS_PACING_DIR", str(tmp_path))
    clock = Clock()
    pacer = SlidingWindowPacer(120, 60, scope="r", clock=clock, sleep=clock.sleep, margin=0.25)
    starts = []
    for dummy in range(300):
        pacer.acquire()
        starts.append(clock.now)
    # never more than 120 starts in any 60 s window
    for i, t in enumerate(starts):
        assert sum(1 for u in starts[i:] if u < t + 60) <= 120
    # and not much slower than the limit allows: 300 requests need two full windows
    assert starts[-1] - starts[0] <= 2 * 60 + 1
