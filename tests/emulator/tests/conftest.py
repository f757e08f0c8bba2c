"""Fixtures: one in-process emulator for the whole session, reset to the default seed per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:          # `tests.emulator` is imported from the repository root
    sys.path.insert(0, str(ROOT))

from tests.emulator import DEFAULT_CREDS, start_emulator  # noqa: E402

OP_TOKEN = DEFAULT_CREDS["openport_token"]
NG_KEY = DEFAULT_CREDS["ngrok_api_key"]
PG_KEY = DEFAULT_CREDS["pinggy_api_key"]


class Api:
    """requests against one provider base URL, with that provider's credentials added."""

    def __init__(self, base, session, params=None, headers=None):
        self.base, self.s = base, session
        self.params, self.headers = params or {}, headers or {}

    def url(self, path):
        return self.base + path

    def request(self, method, path, params=None, headers=None, **kw):
        merged = dict(self.headers, **(headers or {}))
        return self.s.request(method, self.url(path), params={**self.params, **(params or {})},
                              headers={k: v for k, v in merged.items() if v is not None}, timeout=10, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


@pytest.fixture(scope="session")
def server():
    emu = start_emulator(port=0)
    yield emu
    emu.stop()


@pytest.fixture
def emu(server):
    server.reset("default")
    return server


@pytest.fixture
def http():
    with requests.Session() as s:
        yield s


@pytest.fixture
def op(emu, http):
    return Api(emu.urls["openport"], http, params={"token": OP_TOKEN})


@pytest.fixture
def ng(emu, http):
    return Api(emu.urls["ngrok"], http, headers={"Authorization": f"Bearer {NG_KEY}", "ngrok-version": "2"})


@pytest.fixture
def pg(emu, http):
    return Api(emu.urls["pinggy"], http, headers={"Authorization": f"Bearer {PG_KEY}"})


@pytest.fixture
def ctl(emu, http):
    return Api(emu.urls["control"], http)


@pytest.fixture
def state(ctl):
    """The emulator's whole state (fresh default seed) as the control API shows it."""
    return ctl.get("/state").json()


@pytest.fixture
def echo():
    """A machine's sshd in the machines' tests: an echo server on 127.0.0.1 (machines_util.EchoServer)."""
    from machines_util import EchoServer
    server = EchoServer()
    yield server
    server.close()
