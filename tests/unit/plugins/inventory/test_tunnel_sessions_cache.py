# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory cache follows the credentials (issue 16.19): another or a revoked credential never reads
the sessions cached for the previous one, and the cache holds no credential nor a plain hash of one."""

from __future__ import annotations

import hashlib

from ansible_collections.tunnelops.tunnels.tests.unit.plugins.inventory.conftest import NGROK_KEY, PINGGY_KEY, TOKEN
from ansible_collections.tunnelops.tunnels.tests.unit.plugins.inventory.test_tunnel_sessions import (
    FakeCollector, cached_source, fleet, run)


def cache_text(cache_dir):
    return "\n".join(f.name + "\n" + f.read_text() for f in sorted(cache_dir.iterdir()))


def test_another_credential_within_the_timeout_asks_the_api_again(tmp_path, monkeypatch, env):
    cache_dir, config = cached_source(tmp_path)
    collector = FakeCollector(fleet())
    run(tmp_path, monkeypatch, config, collector)
    run(tmp_path, monkeypatch, config, collector)
    assert len(collector.calls) == 1, "the same credentials read the cache"
    monkeypatch.setenv("OPENPORT_TOKEN", "op-another-account-0009")
    run(tmp_path, monkeypatch, config, collector)
    assert len(collector.calls) == 2, "another Openport token must not read the previous account's sessions"
    monkeypatch.setenv("NGROK_API_KEY", "ngrok-revoked-and-replaced-0010")
    run(tmp_path, monkeypatch, config, collector)
    assert len(collector.calls) == 3
    monkeypatch.setenv("OPENPORT_TOKEN", TOKEN)
    monkeypatch.setenv("NGROK_API_KEY", NGROK_KEY)
    run(tmp_path, monkeypatch, config, collector)
    assert len(collector.calls) == 3, "the first credentials' entry is still valid"


def test_a_credential_in_the_source_file_counts_too(tmp_path, monkeypatch, env):
    cache_dir, config = cached_source(tmp_path)
    collector = FakeCollector(fleet())
    run(tmp_path, monkeypatch, config + "pinggy_api_key: pinggy-in-the-source-0011\n", collector)
    run(tmp_path, monkeypatch, config + "pinggy_api_key: pinggy-in-the-source-0012\n", collector)
    assert len(collector.calls) == 2


def test_the_cache_holds_no_credential_nor_a_plain_hash_of_one(tmp_path, monkeypatch, env):
    cache_dir, config = cached_source(tmp_path)
    run(tmp_path, monkeypatch, config, FakeCollector(fleet()))
    monkeypatch.setenv("OPENPORT_TOKEN", "op-another-account-0009")
    run(tmp_path, monkeypatch, config, FakeCollector(fleet()))
    text = cache_text(cache_dir)
    for secret in (TOKEN, NGROK_KEY, PINGGY_KEY, "op-another-account-0009"):
        assert secret not in text
        for digest in (hashlib.sha256(secret.encode()).hexdigest(), hashlib.md5(secret.encode()).hexdigest(),
                       hashlib.sha1(secret.encode()).hexdigest()):
            assert digest[:10] not in text
    assert len(list(cache_dir.iterdir())) == 3  # one entry per credential set, and the salt
