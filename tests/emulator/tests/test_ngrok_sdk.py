"""The official `ngrok-api` SDK, pointed at the emulator, works as it would against api.ngrok.com."""

from __future__ import annotations

import random

import pytest

from conftest import NG_KEY
from tests.emulator.sshkeys import make_key

ngrok = pytest.importorskip("ngrok")


@pytest.fixture
def client(emu):
    return ngrok.Client(NG_KEY, base_url=emu.urls["ngrok"])


def ngrok_requests(ctl, prefix):
    return [e for e in ctl.get("/requests").json()["requests"] if e["path"].startswith("/ngrok" + prefix)]


def test_iterates_across_pages(client, ctl):
    ctl.post("/reset", json={"scale": {"ngrok_credentials": 230}})
    ids = [c.id for c in client.credentials.list()]
    assert len(ids) == 233 == len(set(ids)) and ids == sorted(ids, reverse=True)
    pages = ngrok_requests(ctl, "/credentials")
    assert len(pages) == 3
    assert pages[1]["path"] == f"/ngrok/credentials?before_id={ids[99]}&limit=100"


def test_iterates_with_a_limit(client, ctl):
    ids = [s.id for s in client.ssh_credentials.list(limit=1)]
    assert len(ids) == 3
    assert len(ngrok_requests(ctl, "/ssh_credentials")) == 3


def test_api_key_create_get_delete(client):
    key = client.api_keys.create(description="via sdk")
    assert key.token and "EMUSECRET" in key.token and key.description == "via sdk"
    assert client.api_keys.get(key.id).token is None
    client.api_keys.delete(key.id)
    with pytest.raises(ngrok.NotFoundError) as info:
        client.api_keys.get(key.id)
    assert info.value.http_status_code == 404 and info.value.error_code is None


def test_credential_create_update_delete(client):
    cred = client.credentials.create(description="sdk cred", acl=["bind:*.example.com"])
    assert cred.token and cred.acl == ["bind:*.example.com"]
    updated = client.credentials.update(cred.id, metadata='{"by":"sdk"}')
    assert updated.metadata == '{"by":"sdk"}' and updated.description == "sdk cred"
    assert client.credentials.get(cred.id).token is None
    client.credentials.delete(cred.id)
    assert cred.id not in [c.id for c in client.credentials.list()]


def test_ssh_credential_and_endpoint(client):
    key = make_key(random.Random(41), "rsa", 2048, comment="sdk@example.com")
    ssh = client.ssh_credentials.create(public_key=key, description="sdk ssh")
    assert client.ssh_credentials.get(ssh.id).public_key == key
    with pytest.raises(ngrok.Error) as info:
        client.ssh_credentials.create(public_key=key)
    assert info.value.error_code == "ERR_NGROK_609" and info.value.http_status_code == 400
    client.ssh_credentials.delete(ssh.id)
    ep = client.endpoints.create(url="https://sdk.example.com", type="cloud", traffic_policy="{}")
    assert client.endpoints.get(ep.id).url == "https://sdk.example.com"
    client.endpoints.delete(ep.id)


def test_reads_sessions_and_tunnels(client):
    sessions = list(client.tunnel_sessions.list())
    assert len(sessions) == 3 and all(s.transport == "ngrok/2" for s in sessions)
    tunnels = list(client.tunnels.list())
    assert {t.proto for t in tunnels} == {"tcp", "https"}
    assert client.tunnels.get(tunnels[0].id).public_url == tunnels[0].public_url


def test_errors_carry_codes(emu):
    bad = ngrok.Client("nope", base_url=emu.urls["ngrok"])
    with pytest.raises(ngrok.Error) as info:
        list(bad.credentials.list())
    assert info.value.error_code == "ERR_NGROK_202" and info.value.http_status_code == 403
    assert info.value.operation_id.startswith("op_")


def test_sdk_actions_send_no_body_and_get_216(client):
    """Known SDK quirk (ngrok-api-python#29): stop() posts without Content-Type, the API says 216."""
    session = list(client.tunnel_sessions.list())[0]
    with pytest.raises(ngrok.Error) as info:
        client.tunnel_sessions.stop(session.id)
    assert info.value.error_code == "ERR_NGROK_216"
