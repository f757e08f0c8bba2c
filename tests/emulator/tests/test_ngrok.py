"""ngrok: version header, error shapes, ids, representations, validation, actions, tunnels, endpoints."""

from __future__ import annotations

import random
import re

import pytest

from tests.emulator.sshkeys import make_key

ID = re.compile(r"^(ak|cr|sshcr|ts|tn|ep|usr)_[0-9A-Za-z]{27}$")
RFC3339_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
VERSION_MSG = ("Your request has not specified an API version. Please include the version you wish to use in the "
               "Ngrok-Version header. Supported versions: 2.")


def test_missing_version_exact_body(ng):
    r = ng.get("/credentials", headers={"ngrok-version": None})
    assert r.status_code == 400
    body = r.json()
    assert list(body) == ["error_code", "status_code", "msg", "details"]
    assert body["error_code"] == "ERR_NGROK_218" and body["status_code"] == 400 and body["msg"] == VERSION_MSG
    assert re.fullmatch(r"op_[0-9A-Za-z]{27}", body["details"]["operation_id"])


def test_bad_version(ng):
    r = ng.get("/credentials", headers={"ngrok-version": "3"})
    assert r.status_code == 400 and r.json()["error_code"] == "ERR_NGROK_217"


def test_unknown_path_and_wrong_method(ng, http):
    r = http.get(ng.url("/x"))
    assert r.status_code == 404 and r.json() == {"status_code": 404, "msg": "Not Found", "details": {"path": "/x"}}
    r = ng.put("/endpoints", json={})
    assert r.status_code == 404 and r.json()["details"] == {"path": "/endpoints"}


@pytest.mark.parametrize("method", ["GET", "DELETE", "PATCH", "POST"])
def test_wrong_base_url_prefix_names_the_path(ng, method):
    """Issue 16.4: a wrong ngrok_api_url prefix answers 404 'Not Found' with details.path (no operation_id),
    unlike a missing object (404 'Resource not found' with details.operation_id)."""
    path = "/v2/credentials/cr_" + "0" * 27
    r = ng.request(method, path, json={} if method in ("PATCH", "POST") else None)
    assert r.status_code == 404
    assert r.json() == {"status_code": 404, "msg": "Not Found", "details": {"path": path}}


def test_unknown_id_404_has_no_error_code(ng):
    r = ng.get("/credentials/cr_" + "0" * 27)
    assert r.status_code == 404
    body = r.json()
    assert set(body) == {"details", "msg", "status_code"} and body["msg"] == "Resource not found"
    assert ng.post("/tunnel_sessions/ts_" + "0" * 27 + "/stop", json={}).status_code == 404


def test_wrong_prefix(ng):
    r = ng.get("/credentials/ak_" + "0" * 27)
    assert r.status_code == 400 and r.json()["error_code"] == "ERR_NGROK_227"


def test_ids_and_timestamps(state):
    n = state["ngrok"]
    for coll in ("api_keys", "credentials", "ssh_credentials", "tunnel_sessions", "tunnels", "endpoints"):
        assert n[coll], coll
        for item in n[coll]:
            assert ID.match(item["id"]), item["id"]
            stamp = item.get("created_at") or item.get("started_at")
            assert RFC3339_Z.match(stamp)
    for t in n["tunnels"]:
        assert t["endpoint"]["id"] == "ep_" + t["id"][3:]


def test_api_key_lifecycle(ng):
    r = ng.post("/api_keys", json={"description": "ci"})
    assert r.status_code == 201
    key = r.json()
    assert key["token"].startswith(key["id"][3:] + "_") and "EMUSECRET" in key["token"]
    assert "metadata" not in key and key["owner_id"].startswith("usr_")
    got = ng.get(f"/api_keys/{key['id']}").json()
    assert got["token"] is None and got["description"] == "ci"
    listing = ng.get("/api_keys").json()
    assert list(listing) == ["keys", "uri", "next_page_uri"] and listing["keys"][0]["id"] == key["id"]
    r = ng.delete(f"/api_keys/{key['id']}")
    assert r.status_code == 204 and r.content == b""
    assert ng.get(f"/api_keys/{key['id']}").status_code == 404


def test_credential_representation(ng):
    r = ng.post("/credentials", json={"description": "", "metadata": ""})
    cred = r.json()
    assert r.status_code == 201
    assert set(cred) == {"id", "uri", "created_at", "owner_id", "token", "acl"} and cred["acl"] == []
    assert cred["uri"] == ng.url(f"/credentials/{cred['id']}")
    assert ng.get(f"/credentials/{cred['id']}").json()["token"] is None


def test_patch_leaves_missing_fields_and_clears_empty(ng):
    cred = ng.post("/credentials", json={"description": "d", "metadata": "m", "acl": ["bind:x.example.com"]}).json()
    r = ng.patch(f"/credentials/{cred['id']}", json={"metadata": "m2"})
    assert r.status_code == 200
    assert r.json()["description"] == "d" and r.json()["metadata"] == "m2" and r.json()["acl"] == ["bind:x.example.com"]
    r = ng.patch(f"/credentials/{cred['id']}", json={"description": ""})
    assert "description" not in r.json()


@pytest.mark.parametrize("coll,field,size,code", [
    ("credentials", "description", 256, "ERR_NGROK_604"), ("credentials", "metadata", 4097, "ERR_NGROK_605"),
    ("api_keys", "description", 256, "ERR_NGROK_18012"), ("api_keys", "metadata", 4097, "ERR_NGROK_18013")])
def test_field_limits(ng, coll, field, size, code):
    r = ng.post(f"/{coll}", json={field: "x" * size})
    assert r.status_code == 400 and r.json()["error_code"] == code
    assert ng.post(f"/{coll}", json={field: "x" * (size - 1)}).status_code == 201


def test_limits_count_bytes(ng):
    r = ng.post("/credentials", json={"description": "é" * 128})       # 128 chars, 256 bytes
    assert r.status_code == 400 and r.json()["error_code"] == "ERR_NGROK_604"


def test_ssh_credential_limits(ng):
    key = make_key(random.Random(9), "ed25519")
    r = ng.post("/ssh_credentials", json={"public_key": key, "metadata": "m" * 4097})
    assert r.json()["error_code"] == "ERR_NGROK_605"


def test_acl_rules(ng):
    r = ng.post("/credentials", json={"acl": ["bind:a.example.com", "tunnel:x"]})
    assert r.status_code == 400 and r.json()["error_code"] == "ERR_NGROK_600"
    assert ng.post("/credentials", json={"acl": ["*"]}).status_code == 201


@pytest.mark.parametrize("headers,data,code", [
    ({"Content-Type": None}, b'{"description": "x"}', "ERR_NGROK_216"),
    ({"Content-Type": "text/plain"}, b'{"description": "x"}', "ERR_NGROK_210"),
    ({"Content-Type": "application/json"}, b'{"description": ', "ERR_NGROK_213"),
    ({"Content-Type": "application/json"}, b'{"colour": "red"}', "ERR_NGROK_214"),
])
def test_body_rules(ng, headers, data, code):
    r = ng.post("/credentials", data=data, headers=headers)
    assert r.status_code == 400 and r.json()["error_code"] == code


def test_unknown_field_message_lists_supported(ng):
    msg = ng.post("/credentials", json={"colour": "red"}).json()["msg"]
    assert "colour" in msg and "acl, description, metadata, owner_id" in msg


def test_update_errors(ng, state):
    cred = state["ngrok"]["credentials"][0]["id"]
    assert ng.patch(f"/credentials/{cred}", json={}).json()["error_code"] == "ERR_NGROK_606"
    assert ng.patch(f"/credentials/{cred}", json={"owner_id": "usr_x"}).json()["error_code"] == "ERR_NGROK_627"
    ak = state["ngrok"]["api_keys"][0]["id"]
    assert ng.patch(f"/api_keys/{ak}", json={"owner_id": "usr_x"}).json()["error_code"] == "ERR_NGROK_628"
    ssh = state["ngrok"]["ssh_credentials"][0]["id"]
    assert ng.patch(f"/ssh_credentials/{ssh}", json={"owner_id": "usr_x"}).json()["error_code"] == "ERR_NGROK_629"
    r = ng.patch(f"/ssh_credentials/{ssh}", json={"public_key": make_key(random.Random(3))})
    assert r.status_code == 400 and r.json()["error_code"] == "ERR_NGROK_214"
    assert ng.patch(f"/api_keys/{ak}", json={}).status_code == 200       # only credentials refuse empty updates


def test_ssh_credential_create_and_errors(ng, state):
    key = make_key(random.Random(11), "rsa", 2048, comment="box@example.com")
    r = ng.post("/ssh_credentials", json={"public_key": key, "acl": ["bind:*.example.com"]})
    assert r.status_code == 201
    assert set(r.json()) == {"id", "uri", "created_at", "owner_id", "public_key", "acl"}
    assert r.json()["public_key"] == key
    codes = {}
    for name, body in [("missing", {}), ("empty", {"public_key": ""}), ("invalid", {"public_key": "ssh-rsa AAAA"}),
                       ("dup", {"public_key": key}),
                       ("dup-other-comment", {"public_key": key.rsplit(" ", 1)[0] + " renamed"}),
                       ("foreign", {"public_key": state["ngrok"]["foreign_ssh_keys"][0]})]:
        codes[name] = ng.post("/ssh_credentials", json=body).json()["error_code"]
    assert codes == {"missing": "ERR_NGROK_611", "empty": "ERR_NGROK_611", "invalid": "ERR_NGROK_612",
                     "dup": "ERR_NGROK_609", "dup-other-comment": "ERR_NGROK_609", "foreign": "ERR_NGROK_610"}


def test_tunnel_sessions_shape(ng, state):
    body = ng.get("/tunnel_sessions").json()
    assert len(body["tunnel_sessions"]) == 3
    for s in body["tunnel_sessions"]:
        assert set(s) - {"metadata"} == {"agent_version", "credential", "id", "ip", "os", "region", "started_at",
                                         "transport", "uri"}
        assert s["transport"] == "ngrok/2" and set(s["credential"]) == {"id", "uri"}
    versions = [s["agent_version"] for s in body["tunnel_sessions"]]
    assert any(v.startswith("2.") for v in versions)
    missing = [s for s in body["tunnel_sessions"] if ng.get(f"/credentials/{s['credential']['id']}").status_code == 404]
    assert len(missing) == 1


def test_restart_gives_new_session_and_tunnels(ng, state):
    live = [s for s in state["ngrok"]["tunnel_sessions"] if s["agent_version"] == "3.22.1"][0]
    before = [t for t in ng.get("/tunnels").json()["tunnels"] if t["tunnel_session"]["id"] == live["id"]]
    assert ng.post(f"/tunnel_sessions/{live['id']}/restart", json={}).status_code == 204
    assert ng.get(f"/tunnel_sessions/{live['id']}").status_code == 404
    newest = ng.get("/tunnel_sessions").json()["tunnel_sessions"][0]
    assert newest["id"] != live["id"] and newest["agent_version"] == live["agent_version"]
    after = [t for t in ng.get("/tunnels").json()["tunnels"] if t["tunnel_session"]["id"] == newest["id"]]
    assert sorted(t["public_url"] for t in after) == sorted(t["public_url"] for t in before)
    assert not {t["id"] for t in after} & {t["id"] for t in before}


def test_update_action_and_body_fields(ng, state):
    sid = [s for s in state["ngrok"]["tunnel_sessions"] if s["_update"] == "available"][0]["id"]
    assert ng.post(f"/tunnel_sessions/{sid}/update", json={"id": sid}).status_code == 204
    r = ng.post(f"/tunnel_sessions/{sid}/update", json={"force": True})
    assert r.json()["error_code"] == "ERR_NGROK_214"
    assert ng.get(f"/tunnel_sessions/{sid}").status_code == 200


def test_stop_removes_tunnels_and_endpoints(ng, ctl, state):
    ctl.post("/config", json={"ngrok_stop_linger_seconds": 0})
    sid = [s for s in state["ngrok"]["tunnel_sessions"] if s["agent_version"] == "3.22.1"][0]["id"]
    ng.post(f"/tunnel_sessions/{sid}/stop", json={})
    assert all(t["tunnel_session"]["id"] != sid for t in ng.get("/tunnels").json()["tunnels"])
    assert all(e.get("tunnel_session", {}).get("id") != sid for e in ng.get("/endpoints").json()["endpoints"])


def test_tunnels(ng):
    tunnels = ng.get("/tunnels").json()["tunnels"]
    tcp = [t for t in tunnels if t["proto"] == "tcp"]
    https = [t for t in tunnels if t["proto"] == "https"]
    assert tcp and https
    assert all(re.fullmatch(r"tcp://\d+\.tcp\.ngrok\.io:\d+", t["public_url"]) for t in tcp)
    assert all(re.fullmatch(r"https://[a-z0-9]+\.ngrok-free\.app", t["public_url"]) for t in https)
    for t in tunnels:
        assert set(t) - {"metadata"} == {"id", "public_url", "started_at", "proto", "region", "tunnel_session",
                                         "endpoint", "forwards_to"}
        assert ng.get(f"/endpoints/{t['endpoint']['id']}").json()["url"] == t["public_url"]


def test_cloud_endpoint_lifecycle(ng, state):
    r = ng.post("/endpoints", json={"url": "https://new.example.com", "type": "cloud", "traffic_policy": "{}"})
    assert r.status_code == 201
    ep = r.json()
    assert ep["type"] == "cloud" and ep["principal"]["uri"] == ""
    r = ng.patch(f"/endpoints/{ep['id']}", json={"description": "now described"})
    assert r.status_code == 200 and r.json()["description"] == "now described" and r.json()["url"] == ep["url"]
    assert ng.delete(f"/endpoints/{ep['id']}").status_code == 204
    assert ng.post("/endpoints", json={"url": "https://x.example.com"}).status_code == 400
    agent_ep = [e for e in state["ngrok"]["endpoints"] if e["type"] == "agent"][0]
    assert ng.delete(f"/endpoints/{agent_ep['id']}").status_code == 404


def test_endpoint_filters(ng, state):
    url = state["ngrok"]["endpoints"][0]["url"]
    body = ng.get("/endpoints", params={"url": url}).json()
    assert [e["url"] for e in body["endpoints"]] == [url]


def test_before_id_cursor(ng):
    all_ids = [c["id"] for c in ng.get("/credentials").json()["credentials"]]
    page = ng.get("/credentials", params={"before_id": all_ids[0], "limit": 1}).json()
    assert [c["id"] for c in page["credentials"]] == [all_ids[1]]
    assert page["next_page_uri"] == ng.url(f"/credentials?before_id={all_ids[1]}&limit=1")
    last = ng.get("/credentials", params={"before_id": all_ids[-1]}).json()
    assert last["credentials"] == [] and last["next_page_uri"] is None


@pytest.mark.parametrize("limit", ["0", "abc", "-1", "101"])
def test_bad_limits(ng, limit):
    r = ng.get("/credentials", params={"limit": limit})
    assert r.status_code == 400 and r.json()["error_code"] == "ERR_NGROK_215"


def test_created_items_are_listed_first(ng):
    created = ng.post("/credentials", json={"description": "newest"}).json()
    assert ng.get("/credentials").json()["credentials"][0]["id"] == created["id"]


def test_operation_id_header(ng):
    assert ng.get("/credentials").headers["ngrok-operation-id"].startswith("op_")
