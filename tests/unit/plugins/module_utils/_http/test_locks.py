# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import multiprocessing
import os
import threading
import time

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.locks import FileLock


def test_a_lock_is_held_by_one_holder_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNNELOPS_PACING_DIR", str(tmp_path))
    inside, overlaps = [], []

    def hold():
        with FileLock("ngrok|https://api.ngrok.test|lock|credentials|ci"):
            inside.append(1)
            if len(inside) > 1:
                overlaps.append(1)
            time.sleep(0.05)
            inside.pop()

    threads = [threading.Thread(target=hold) for dummy in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == []
    # The file is named by a hash: neither the description nor the URL shows on disk.
    assert all("ci" not in name and "ngrok" not in name for name in os.listdir(str(tmp_path)))


def _hold_in_another_process(directory, scope, ready, release):
    os.environ["TUNNELOPS_PACING_DIR"] = directory
    with FileLock(scope):
        ready.set()
        release.wait(10)


def test_a_lock_is_shared_with_other_processes_and_times_out_clearly(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNNELOPS_PACING_DIR", str(tmp_path))
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    other = ctx.Process(target=_hold_in_another_process, args=(str(tmp_path), "scope-a", ready, release))
    other.start()
    try:
        assert ready.wait(10)
        with pytest.raises(TunnelError) as err:
            with FileLock("scope-a", timeout=0.3, what="the authtoken described 'ci'"):
                pass
        assert "the authtoken described 'ci'" in str(err.value) and "another run" in str(err.value)
        with FileLock("scope-b", timeout=0.3):
            pass  # another scope is free
    finally:
        release.set()
        other.join(10)
    with FileLock("scope-a", timeout=2):
        pass
