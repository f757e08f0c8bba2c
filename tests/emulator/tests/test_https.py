"""HTTPS mode: a generated CA that clients can trust explicitly, and links that stay https."""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest
import requests

from conftest import NG_KEY, OP_TOKEN
from tests.emulator import start_emulator


@pytest.fixture(scope="module")
def tls_emu(tmp_path_factory):
    cert_dir = tmp_path_factory.mktemp("certs")
    with start_emulator(https=True, cert_dir=str(cert_dir)) as emu:
        yield emu


def test_verified_with_the_generated_ca(tls_emu):
    assert tls_emu.ca_cert and os.path.dirname(tls_emu.ca_cert).endswith("certs0")
    assert all(u.startswith("https://127.0.0.1:") for u in tls_emu.urls.values())
    r = requests.get(tls_emu.urls["openport"] + "/keys/", params={"token": OP_TOKEN, "limit": 2},
                     verify=tls_emu.ca_cert, timeout=10)
    assert r.status_code == 200 and r.json()["next"].startswith(tls_emu.urls["openport"] + "/keys/?")
    r = requests.get(tls_emu.urls["ngrok"] + "/credentials", params={"limit": 1}, verify=tls_emu.ca_cert,
                     headers={"Authorization": f"Bearer {NG_KEY}", "ngrok-version": "2"}, timeout=10)
    assert r.json()["next_page_uri"].startswith("https://")


def test_localhost_name_is_covered(tls_emu):
    url = tls_emu.urls["openport"].replace("127.0.0.1", "localhost") + "/nodes/"
    assert requests.get(url, verify=tls_emu.ca_cert, timeout=10).status_code == 200


def test_default_verification_fails(tls_emu):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(tls_emu.urls["openport"] + "/nodes/", timeout=10)


def test_plain_http_to_the_tls_port_fails_cleanly(tls_emu):
    with pytest.raises(requests.ConnectionError):
        requests.get(tls_emu.urls["openport"].replace("https://", "http://") + "/nodes/", timeout=5)
    # and the server still serves TLS clients afterwards
    assert requests.get(tls_emu.urls["openport"] + "/nodes/", verify=tls_emu.ca_cert, timeout=10).ok


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl command on this machine")
def test_openssl_fallback_when_cryptography_is_missing(monkeypatch, tmp_path):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "cryptography" else real(name, *a))
    with start_emulator(https=True, cert_dir=str(tmp_path)) as emu:
        assert sorted(os.listdir(tmp_path))[:2] == ["ca-key.pem", "ca.pem"]
        assert requests.get(emu.urls["openport"] + "/nodes/", verify=emu.ca_cert, timeout=10).status_code == 200


def test_temporary_cert_dir_is_removed_on_stop():
    emu = start_emulator(https=True)
    ca = emu.ca_cert
    assert os.path.isfile(ca)
    emu.stop()
    assert not os.path.exists(os.path.dirname(ca))
