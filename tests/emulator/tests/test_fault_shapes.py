"""Faults that look like success (issues 16.25, 18.2, 18.3): 2xx answers that are not what the API documents,
on any provider and method, with the write applied (apply: true) or not."""

from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest

from tests.emulator.sshkeys import make_key


def add(ctl, **rule):
    r = ctl.post("/faults", json={"rules": [rule]})
    assert r.status_code == 200, r.text


def op_name(op, kid=349):
    return op.get(f"/keys/{kid}/").json()["name"]


SHAPES = {
    "html": {"action": "html", "status": 200},
    "malformed": {"action": "malformed"},
    "other-shape": {"action": "status", "status": 200, "body": {"unexpected": "shape"}},
}


def check_shape(r, shape):
    assert r.status_code == 200
    if shape == "html":
        assert r.headers["Content-Type"] == "text/html" and "<form" in r.text
    elif shape == "malformed":
        assert r.headers["Content-Type"] == "application/json"
        with pytest.raises(ValueError):
            r.json()
    else:
        assert r.json() == {"unexpected": "shape"}


@pytest.mark.parametrize("apply", [True, False])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_openport_rename_answered_2xx_with_a_wrong_body(op, ctl, shape, apply):
    add(ctl, provider="openport", method="PATCH", path="/keys/349/$", apply=apply, **SHAPES[shape])
    check_shape(op.patch("/keys/349/", json={"name": "renamed"}), shape)
    assert op_name(op) == ("renamed" if apply else "root@HQ")


@pytest.mark.parametrize("apply", [True, False])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_openport_delete_answered_2xx_with_a_wrong_body(op, ctl, shape, apply):
    add(ctl, provider="openport", method="DELETE", path="/keys/349/$", apply=apply, **SHAPES[shape])
    check_shape(op.delete("/keys/349/"), shape)
    assert op.get("/keys/349/").status_code == (404 if apply else 200)


@pytest.mark.parametrize("apply", [True, False])
@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("coll", ["credentials", "ssh_credentials"])
def test_ngrok_updates_and_deletes_answered_2xx_with_a_wrong_body(ng, ctl, state, coll, shape, apply):
    rid = state["ngrok"][coll][0]["id"]
    add(ctl, provider="ngrok", method="PATCH", path=f"/{coll}/{rid}$", apply=apply, **SHAPES[shape])
    check_shape(ng.patch(f"/{coll}/{rid}", json={"description": "changed"}), shape)
    assert (ng.get(f"/{coll}/{rid}").json().get("description") == "changed") is apply
    add(ctl, provider="ngrok", method="DELETE", path=f"/{coll}/{rid}$", apply=apply, **SHAPES[shape])
    check_shape(ng.delete(f"/{coll}/{rid}"), shape)
    assert ng.get(f"/{coll}/{rid}").status_code == (404 if apply else 200)


@pytest.mark.parametrize("apply", [True, False])
def test_create_answered_with_json_of_another_shape(op, ng, ctl, apply):
    add(ctl, provider="ngrok", method="POST", path="/credentials$", apply=apply, action="status", status=201,
        body={"unexpected": "shape"}, times=None)
    add(ctl, provider="openport", method="POST", path="/keys/$", apply=apply, action="status", status=201,
        body={"unexpected": "shape"})
    r = ng.post("/credentials", json={"description": "made?"})
    assert r.status_code == 201 and r.json() == {"unexpected": "shape"}
    made = [c for c in ng.get("/credentials").json()["credentials"] if c.get("description") == "made?"]
    assert len(made) == (1 if apply else 0)
    r = op.post("/keys/", json={"name": "made?", "public_key": make_key(random.Random(5), "ed25519")})
    assert r.status_code == 201 and r.json() == {"unexpected": "shape"}
    assert ("made?" in [k["name"] for k in op.get("/keys/").json()["results"]]) is apply


# --------------------------------------------------------------------------- lists whose items are not records

def test_bad_items_openport_keeps_the_envelope(op, ctl):
    add(ctl, provider="openport", method="GET", path="/keys/$", action="bad_items")
    body = op.get("/keys/").json()
    assert body["results"] == ["x"] and body["count"] == 6 and body["next"] is None
    assert len(op.get("/keys/").json()["results"]) == 6                  # times: 1


def test_bad_items_ngrok(ng, ctl):
    add(ctl, provider="ngrok", method="GET", path="/ssh_credentials$", action="bad_items")
    body = ng.get("/ssh_credentials").json()
    assert body["ssh_credentials"] == ["x"] and body["uri"].endswith("/ssh_credentials")
    assert "next_page_uri" in body


@pytest.mark.parametrize("path,key", [("/session/active", None), ("/session/history/{d}/{d}", "content")])
def test_bad_items_pinggy(pg, ctl, path, key):
    day = datetime.now(timezone.utc).date().isoformat()
    add(ctl, provider="pinggy", method="GET", path="/session/", action="bad_items", items=["x", 1, None])
    body = pg.get(path.format(d=day)).json()
    assert (body if key is None else body[key]) == ["x", 1, None]


def test_bad_items_leaves_answers_without_a_list(ng, ctl, state):
    rid = state["ngrok"]["credentials"][0]["id"]
    add(ctl, provider="ngrok", method="GET", path="/credentials/", action="bad_items")
    assert ng.get(f"/credentials/{rid}").json()["id"] == rid


def test_bad_items_needs_a_read_or_apply(ctl):
    for rule in ({"action": "bad_items"}, {"action": "bad_items", "method": "POST"}):
        r = ctl.post("/faults", json={"rules": [rule]})
        assert r.status_code == 400 and "bad_items" in r.json()["error"]
    assert ctl.post("/faults", json={"rules": [{"action": "bad_items", "apply": True}]}).status_code == 200


def test_bad_items_on_a_write_with_apply(ng, ctl):
    add(ctl, provider="ngrok", method="POST", path="/credentials$", action="bad_items", apply=True)
    assert ng.post("/credentials", json={"description": "real"}).status_code == 201   # no list: passes as is


# --------------------------------------------------------------------------- raw bodies

def test_pinggy_active_answers_200_with_an_empty_body(pg, ctl):
    add(ctl, provider="pinggy", method="GET", path="/session/active$", action="status", status=200, raw="")
    r = pg.get("/session/active")
    assert r.status_code == 200 and r.content == b"" and r.headers["Content-Length"] == "0"
    assert r.headers["Content-Type"] == "application/json"
    assert len(pg.get("/session/active").json()) == 3


def test_raw_body_with_its_own_content_type_or_none(op, ctl):
    add(ctl, provider="openport", action="status", status=200, raw="OK", content_type="text/plain")
    r = op.get("/keys/")
    assert r.text == "OK" and r.headers["Content-Type"] == "text/plain"
    add(ctl, provider="openport", action="status", status=200, raw="", content_type=None)
    assert "Content-Type" not in op.get("/keys/").headers


@pytest.mark.parametrize("rule", [{"raw": 5}, {"items": "x"}, {"content_type": 1}])
def test_shape_options_are_checked(ctl, rule):
    assert ctl.post("/faults", json={"rules": [dict(rule, action="status")]}).status_code == 400


def test_list_shapes_with_the_status_action(ng, pg, ctl):
    add(ctl, provider="ngrok", method="GET", path="/ssh_credentials$", action="status", status=200,
        body={"ssh_credentials": ["x"]})
    add(ctl, provider="pinggy", method="GET", path="/session/active$", action="status", status=200, body=["x"])
    assert ng.get("/ssh_credentials").json() == {"ssh_credentials": ["x"]}
    assert pg.get("/session/active").json() == ["x"]
