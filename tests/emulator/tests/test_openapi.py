"""Every ngrok response the emulator gives for list/get/create/update validates against ngrok's OpenAPI spec.

The spec (shared/providers/ngrok-openapi.yaml, official and generated) declares no
`nullable` at all, yet ngrok documents two nulls: `token` ("Otherwise it is null")
and `next_page_uri` ("If there are no more results, next_page_uri will be null").
Those two fields, and only those, are marked nullable before validating;
test_unpatched_spec_only_objects_to_documented_nulls proves nothing else differs.
"""

from __future__ import annotations

import copy
import functools
import random
from pathlib import Path

import pytest

from conftest import ROOT
from tests.emulator.sshkeys import make_key

SPEC_REL = Path("shared") / "providers" / "ngrok-openapi.yaml"


def _find_spec() -> Path:
    """<repo>/../shared/providers/ngrok-openapi.yaml.

    The test tooling runs these tests from a copy of the collection laid out under
    <repo>/build/collections/ansible_collections/tunnelops/tunnels, so the nearest
    ancestor that has shared/ beside it is taken.
    """
    for base in (ROOT, *ROOT.parents):
        if (base.parent / SPEC_REL).is_file():
            return base.parent / SPEC_REL
    return ROOT.parent / SPEC_REL


SPEC = _find_spec()
LISTS = {"api_keys": ("APIKeyList", "keys"), "credentials": ("CredentialList", "credentials"),
         "ssh_credentials": ("SSHCredentialList", "ssh_credentials"),
         "tunnel_sessions": ("TunnelSessionList", "tunnel_sessions"), "tunnels": ("TunnelList", "tunnels"),
         "endpoints": ("EndpointList", "endpoints")}


def _str_keys(obj):
    """YAML reads response codes (201:) as ints; OpenAPI wants strings."""
    if isinstance(obj, dict):
        return {str(k): _str_keys(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_str_keys(v) for v in obj]
    return obj


@functools.lru_cache(maxsize=1)
def _parsed_spec():
    import yaml
    return _str_keys(yaml.safe_load(Path(SPEC).read_text()))     # ~340 KB of YAML: parse it once


def load_spec(server, patch=True):
    if not Path(SPEC).is_file():
        pytest.skip(f"ngrok OpenAPI spec not found at {SPEC}: the shared/providers folder is absent, "
                    "so OpenAPI validation of the emulator is skipped")
    pytest.importorskip("yaml")
    core = pytest.importorskip("openapi_core")
    spec = copy.deepcopy(_parsed_spec())
    spec["servers"] = [{"url": server.urls["ngrok"]}]
    if not patch:     # the spec document itself was checked by the patched load: skip that slow step
        return core.OpenAPI.from_dict(spec, config=core.Config(spec_validator_cls=None))
    schemas = spec["components"]["schemas"]
    for name in ("APIKey", "Credential"):
        schemas[name]["properties"]["token"]["nullable"] = True
    for name, dummy in LISTS.values():
        schemas[name]["properties"]["next_page_uri"]["nullable"] = True
    return core.OpenAPI.from_dict(spec)


@pytest.fixture(scope="module")
def openapi(server):
    return load_spec(server)


def check(openapi, resp):
    from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
    openapi.validate_response(RequestsOpenAPIRequest(resp.request), RequestsOpenAPIResponse(resp))
    return resp


@pytest.mark.parametrize("coll", list(LISTS))
def test_lists_and_gets_validate(openapi, ng, coll):
    if coll == "api_keys":
        ng.post("/api_keys", json={})            # two items, so that limit=1 gives a next page
    full = check(openapi, ng.get(f"/{coll}"))
    assert full.status_code == 200 and full.json()["next_page_uri"] is None
    paged = check(openapi, ng.get(f"/{coll}", params={"limit": 1}))
    assert paged.json()["next_page_uri"]
    items = full.json()[LISTS[coll][1]]
    assert items
    for item in items:
        assert check(openapi, ng.get(f"/{coll}/{item['id']}")).status_code == 200


CREATES = {
    "api_keys": ({"description": "oas", "metadata": "m"}, {"description": "oas 2"}),
    "credentials": ({"description": "oas", "acl": ["bind:*.example.com"]}, {"metadata": "{}", "acl": []}),
    "ssh_credentials": ({"public_key": make_key(random.Random(31), "ecdsa"), "description": "oas"},
                        {"description": "oas 2", "acl": ["*"]}),
    "endpoints": ({"url": "https://oas.example.com", "type": "cloud", "traffic_policy": "{}",
                   "bindings": ["public"], "pooling_enabled": True}, {"description": "oas endpoint"}),
}


@pytest.mark.parametrize("coll", list(CREATES))
def test_create_update_delete_validate(openapi, ng, coll):
    create, update = CREATES[coll]
    created = check(openapi, ng.post(f"/{coll}", json=create))
    assert created.status_code == 201
    rid = created.json()["id"]
    updated = check(openapi, ng.patch(f"/{coll}/{rid}", json=update))
    assert updated.status_code == 200
    assert check(openapi, ng.delete(f"/{coll}/{rid}")).status_code == 204


def test_unpatched_spec_only_objects_to_documented_nulls(server, ng):
    from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
    from openapi_core.validation.response.exceptions import InvalidData
    raw = load_spec(server, patch=False)
    resp = ng.get("/credentials")
    with pytest.raises(InvalidData) as info:
        raw.validate_response(RequestsOpenAPIRequest(resp.request), RequestsOpenAPIResponse(resp))
    errors = info.value.__cause__.schema_errors
    assert errors and {e.path[-1] for e in errors} <= {"token", "next_page_uri"}
    assert all(e.instance is None for e in errors)
    created = ng.post("/credentials", json={})            # token is a string here: valid as is
    raw.validate_response(RequestsOpenAPIRequest(created.request), RequestsOpenAPIResponse(created))
