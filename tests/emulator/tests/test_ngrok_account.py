"""One ngrok account, many API keys (issue 16.1), and the ACL-clearing variant (issue 16.9)."""

from __future__ import annotations

import pytest


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def new_key(ng, description="second key"):
    r = ng.post("/api_keys", json={"description": description})
    assert r.status_code == 201
    return r.json()


def test_created_api_key_authenticates(ng):
    key = new_key(ng)
    r = ng.get("/credentials", headers=bearer(key["token"]))
    assert r.status_code == 200 and len(r.json()["credentials"]) == 3


def test_deleted_api_key_is_revoked(ng):
    key = new_key(ng)
    assert ng.delete(f"/api_keys/{key['id']}").status_code == 204
    r = ng.get("/credentials", headers=bearer(key["token"]))
    assert r.status_code == 403 and r.json()["error_code"] == "ERR_NGROK_203"
    assert key["token"] not in r.text                             # 203 does not echo the credential


def test_deleting_the_account_key_revokes_the_key_given_at_start(ng, state):
    own = [k for k in state["ngrok"]["api_keys"] if k["description"] == "tunnelops emulator account key"][0]
    other = new_key(ng)
    assert ng.delete(f"/api_keys/{own['id']}").status_code == 204
    r = ng.get("/credentials")
    assert r.status_code == 403 and r.json()["error_code"] == "ERR_NGROK_203"
    assert ng.get("/credentials", headers=bearer(other["token"])).status_code == 200


def test_a_credential_token_is_no_api_key(ng):
    cred = ng.post("/credentials", json={}).json()
    r = ng.get("/credentials", headers=bearer(cred["token"]))
    assert r.status_code == 403 and r.json()["error_code"] in ("ERR_NGROK_202", "ERR_NGROK_203")


def test_a_raw_seeded_api_key_authenticates(ng, ctl):
    ctl.post("/seed/ngrok/api_keys", json={"items": [{"description": "raw", "token": "raw-token-of-a-seeded-key"}]})
    assert ng.get("/credentials", headers=bearer("raw-token-of-a-seeded-key")).status_code == 200


def test_two_keys_alternating_exhaust_one_budget(ng, ctl):
    ctl.post("/reset", json={"config": {"ngrok_rate_limit": 7, "ngrok_rate_window": 30}})
    other = new_key(ng)["token"]                    # the POST is the account's first request of seven
    codes = [ng.get("/api_keys", headers=bearer(other) if i % 2 else {}).status_code for i in range(8)]
    assert codes == [200] * 6 + [429] * 2
    r = ng.get("/api_keys", headers=bearer(other))
    assert r.status_code == 429 and r.json()["error_code"] == "ERR_NGROK_226"
    assert r.json()["msg"] == "Your account is rate limited to 7 API requests per 30s."
    assert "Retry-After" not in r.headers


def test_rate_limit_scope_variant_key(ng, ctl):
    ctl.post("/reset", json={"config": {"ngrok_rate_limit": 4, "ngrok_rate_window": 30,
                                        "ngrok_rate_limit_scope": "key"}})
    other = new_key(ng)["token"]                    # one request in the first key's window
    codes = [ng.get("/api_keys", headers=bearer(other) if i % 2 else {}).status_code for i in range(8)]
    assert codes == [200] * 6 + [429, 200] and ng.get("/api_keys", headers=bearer(other)).status_code == 429


# --------------------------------------------------------------------------- ACL: [] and ["*"]

@pytest.mark.parametrize("coll", ["credentials", "ssh_credentials"])
def test_acl_empty_list_clears_variant(ng, ctl, state, coll):
    ctl.post("/config", json={"ngrok_acl_empty": "clears"})
    rec = [c for c in state["ngrok"][coll] if c["acl"]][0]
    r = ng.patch(f"/{coll}/{rec['id']}", json={"acl": []})
    assert r.status_code == 200 and r.json()["acl"] == []


@pytest.mark.parametrize("coll", ["credentials", "ssh_credentials"])
def test_acl_empty_list_ignored_by_default(ng, state, coll):
    rec = [c for c in state["ngrok"][coll] if c["acl"]][0]
    r = ng.patch(f"/{coll}/{rec['id']}", json={"acl": []})
    assert r.status_code == 200 and r.json()["acl"] == rec["acl"]             # 200, the ACL as it was
    assert ng.get(f"/{coll}/{rec['id']}").json()["acl"] == rec["acl"]
    r = ng.patch(f"/{coll}/{rec['id']}", json={"acl": [], "description": "still changes"})
    assert r.json()["acl"] == rec["acl"] and r.json()["description"] == "still changes"
    r = ng.patch(f"/{coll}/{rec['id']}", json={"acl": ["*"]})                  # '*' equals no ACL: works on both
    assert r.status_code == 200 and r.json()["acl"] == ["*"]


def test_acl_star_is_accepted_on_create(ng):
    r = ng.post("/credentials", json={"acl": ["*"]})
    assert r.status_code == 201 and r.json()["acl"] == ["*"]
