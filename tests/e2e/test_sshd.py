# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Without sshd, the end-to-end step fails naming the package (it never skips)."""

from __future__ import annotations

import pytest

import sshd


def test_missing_sshd_that_cannot_be_installed_names_the_package(monkeypatch):
    monkeypatch.setattr(sshd, "SSHD_CANDIDATES", ())
    monkeypatch.setattr(sshd.shutil, "which", lambda name: None)
    with pytest.raises(sshd.SshdUnavailable) as err:
        sshd.find_sshd()
    assert "openssh-server" in str(err.value) and "apt-get install openssh-server" in str(err.value)


def test_a_failed_install_reads_the_package_lists_then_names_the_package(monkeypatch):
    calls = []

    class Done:
        returncode, stderr = 100, "E: Unable to locate package openssh-server"

    monkeypatch.setattr(sshd, "SSHD_CANDIDATES", ())
    monkeypatch.setattr(sshd.shutil, "which", lambda name: "/usr/bin/apt-get" if name == "apt-get" else None)
    monkeypatch.setattr(sshd.os, "geteuid", lambda: 0)
    monkeypatch.setattr(sshd.subprocess, "run", lambda cmd, **kwargs: calls.append(cmd[1]) or Done())
    with pytest.raises(sshd.SshdUnavailable) as err:
        sshd.find_sshd()
    assert calls == ["install", "update", "install"]
    assert "apt-get install openssh-server failed" in str(err.value)
