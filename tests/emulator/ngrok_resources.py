"""ngrok resources: representations, create/update validation (tunnel-session actions: ngrok_sessions.py).

Representation rules from real responses: empty string fields are left out
(description/metadata absent when empty), `acl` and `owner_id` always present,
`token` only on the create response (null afterwards), references are {id, uri}.
"""

from __future__ import annotations

from . import factories, ngrok_sessions
from .common import empty_response, fmt_ngrok, json_response, utcnow
from .ngrok import NgrokError, base_url, check_id, json_body, list_page, not_found
from .sshkeys import SshKeyError, parse_key

# Field limits and the error codes each resource uses for them.
DESC_MAX, META_MAX = 255, 4096
LIMIT_CODES = {"api_keys": (18012, 18013), "credentials": (604, 605), "ssh_credentials": (604, 605),
               "endpoints": (18012, 100)}
OWNER_CODES = {"api_keys": 628, "credentials": 627, "ssh_credentials": 629}
CREATE_FIELDS = {
    "api_keys": {"description", "metadata", "owner_id"},
    "credentials": {"description", "metadata", "acl", "owner_id"},
    "ssh_credentials": {"description", "metadata", "acl", "public_key", "owner_id"},
    "endpoints": {"url", "type", "traffic_policy", "description", "metadata", "bindings", "pooling_enabled"},
}
UPDATE_FIELDS = {
    "api_keys": {"id", "description", "metadata", "owner_id"},
    "credentials": {"id", "description", "metadata", "acl", "owner_id"},
    "ssh_credentials": {"id", "description", "metadata", "acl", "owner_id"},
    "endpoints": {"id", "url", "traffic_policy", "description", "metadata", "bindings", "pooling_enabled"},
}


# --------------------------------------------------------------------------- representations

def _ref(base, coll, rid):
    return {"id": rid, "uri": f"{base}/{coll}/{rid}"}


def _prune(obj):
    return {k: v for k, v in obj.items() if v != ""}


def render(coll, base, rec, with_token=False):
    rid = rec["id"]
    out = {"id": rid, "uri": f"{base}/{coll}/{rid}"}
    if coll in ("api_keys", "credentials", "ssh_credentials"):
        out.update(created_at=fmt_ngrok(rec["created_at"]), description=rec["description"],
                   metadata=rec["metadata"], owner_id=rec["owner_id"])
        if coll == "ssh_credentials":
            out.update(public_key=rec["public_key"], acl=list(rec["acl"]))
        else:
            out["token"] = rec["token"] if with_token else None
            if coll == "credentials":
                out["acl"] = list(rec["acl"])
    elif coll == "tunnel_sessions":
        cred = rec["credential"]
        out.update(agent_version=rec["agent_version"], ip=rec["ip"], metadata=rec["metadata"], os=rec["os"],
                   region=rec["region"], started_at=fmt_ngrok(rec["started_at"]), transport=rec["transport"],
                   credential=_ref(base, "ssh_credentials" if cred.startswith("sshcr_") else "credentials", cred))
    elif coll == "tunnels":
        del out["uri"]      # the Tunnel schema has no uri of its own
        out.update(public_url=rec["public_url"], started_at=fmt_ngrok(rec["started_at"]), metadata=rec["metadata"],
                   proto=rec["proto"], region=rec["region"], forwards_to=rec["forwards_to"],
                   tunnel_session=_ref(base, "tunnel_sessions", rec["tunnel_session"]))
        if rec["endpoint"]:
            out["endpoint"] = _ref(base, "endpoints", rec["endpoint"])
    elif coll == "endpoints":
        out.update({k: rec[k] for k in ("type", "region", "url", "public_url", "proto", "scheme", "host", "port",
                                        "hostport", "description", "metadata", "traffic_policy", "bindings",
                                        "pooling_enabled")})
        out.update(created_at=fmt_ngrok(rec["created_at"]), updated_at=fmt_ngrok(rec["updated_at"]),
                   principal={"id": rec["owner_id"], "uri": ""})   # real quirk: empty uri
        if rec.get("upstream_url"):
            out["upstream_url"] = rec["upstream_url"]
        if rec.get("tunnel"):
            out["tunnel"] = _ref(base, "tunnels", rec["tunnel"])
            out["tunnel_session"] = _ref(base, "tunnel_sessions", rec["tunnel_session"])
    return _prune(out)


# --------------------------------------------------------------------------- dispatch

def dispatch(core, req, coll, rid, action):
    base = base_url(req)
    items = core.state.ngrok.collection(coll)
    if rid is None:
        if req.method == "POST":
            return _create(core, req, coll, base)
        return list_page(core, req, coll, lambda r: render(coll, base, r), where=_list_filter(req, coll))
    check_id(coll, rid)
    rec = items.get(rid)
    if rec is None or (coll == "endpoints" and req.method in ("PATCH", "DELETE") and rec["type"] != "cloud"):
        raise not_found()
    if action:
        return ngrok_sessions.action(core, req, rec, action)
    if req.method == "DELETE":
        items.remove(rid)
        if coll == "api_keys":          # a deleted key is revoked: its token no longer authenticates
            core.state.ngrok.revoked_tokens.add(rec["token"])
        if coll in ("credentials", "ssh_credentials"):
            core.machines.ngrok_credential_deleted(rid)     # the sessions it authenticated end
        return empty_response(204)
    if req.method == "PATCH":
        _update(core, req, coll, rec)
    return json_response(200, render(coll, base, rec))


def _list_filter(req, coll):
    """GET /endpoints takes repeated id/url filters (ids/urls in older specs)."""
    if coll != "endpoints":
        return None
    ids = set(req.params.get("id", []) + req.params.get("ids", []))
    urls = set(req.params.get("url", []) + req.params.get("urls", []))
    if not ids and not urls:
        return None
    return lambda r: (not ids or r["id"] in ids) and (not urls or r["url"] in urls)


def _check_fields(coll, data):
    """Type checks, byte limits and ACL grammar shared by create and update."""
    desc_code, meta_code = LIMIT_CODES[coll]
    for field in ("description", "metadata", "traffic_policy", "url", "public_key", "owner_id", "type"):
        if field in data and not isinstance(data[field], str):
            raise NgrokError(400, 215, f"The value for parameter '{field}' must be a string.")
    for field, limit, code in (("description", DESC_MAX, desc_code), ("metadata", META_MAX, meta_code)):
        size = len(data.get(field, "").encode())
        if size > limit:
            raise NgrokError(400, code, f"The {field} is limited to {limit} characters; you have entered {size} "
                                        "characters.")
    for field in ("acl", "bindings"):
        if field in data and (not isinstance(data[field], list) or not all(isinstance(x, str) for x in data[field])):
            raise NgrokError(400, 215, f"The value for parameter '{field}' must be a list of strings.")
    for rule in data.get("acl", []):
        if rule != "*" and not rule.startswith("bind:"):
            raise NgrokError(400, 600, f"The ACL rule '{rule}' is invalid. Rules must be '*' or start with 'bind:'.")


def _clean(data):
    """JSON null means 'not given' (the official SDKs drop None before sending)."""
    return {k: v for k, v in data.items() if v is not None}


def _create(core, req, coll, base):
    data = _clean(json_body(req, CREATE_FIELDS[coll]))
    _check_fields(coll, data)
    st = core.state
    now = utcnow()
    if coll == "api_keys":
        rec = factories.ng_api_key(st, created_at=now, **data)
    elif coll == "credentials":
        rec = factories.ng_credential(st, created_at=now, **data)
    elif coll == "ssh_credentials":
        _check_ssh_key(st, data.get("public_key", ""))
        data["public_key"] = data["public_key"].strip()
        rec = factories.ng_ssh_credential(st, created_at=now, **data)
    else:
        missing = [f for f in ("url", "type", "traffic_policy") if not data.get(f)]
        if missing:
            raise NgrokError(400, 215, f"The parameter '{missing[0]}' is required.")
        if data["type"] != "cloud":
            raise NgrokError(400, 215, "Only endpoints of type 'cloud' can be created through the API.")
        rec = factories.ng_cloud_endpoint(st, created_at=now, **data)
    return json_response(201, render(coll, base, rec, with_token=True))


def _check_ssh_key(st, text):
    if not text or not text.strip():
        raise NgrokError(400, 611, "The SSH public key is missing or empty.")
    try:
        ktype, b64, dummy = parse_key(text)
    except SshKeyError as exc:
        raise NgrokError(400, 612, f"The SSH public key is invalid: {exc}.") from None
    ident = (ktype, b64)
    if any(r["_ident"] == ident for r in st.ngrok.ssh_credentials.items.values()):
        raise NgrokError(400, 609, "The SSH public key is already registered on your account.")
    if ident in st.ngrok.foreign_ssh:
        raise NgrokError(400, 610, "The SSH public key is already in use by another account.")


def _update(core, req, coll, rec):
    data = _clean(json_body(req, UPDATE_FIELDS[coll]))
    if "owner_id" in data:
        raise NgrokError(400, OWNER_CODES.get(coll, 214), "The owner of this resource cannot be changed.")
    data.pop("id", None)
    if not data and coll == "credentials":
        raise NgrokError(400, 606, "The credentials update failed because no values were provided.")
    _check_fields(coll, data)
    if data.get("acl") == [] and core.config["ngrok_acl_empty"] == "ignored":
        # Whether [] clears an ACL is UNCONFIRMED (ngrok-api-notes.md §1 "PATCH semantics": Go's omitempty
        # cannot even send it): this variant treats it as "not given". ["*"] always replaces the ACL, and
        # "'*' equals no ACL" (§2.2), so it is the way to clear that works on both.
        del data["acl"]
    rec.update(data)
    if coll == "endpoints":
        rec["updated_at"] = utcnow()
        if "url" in data:
            rec["public_url"] = data["url"]
