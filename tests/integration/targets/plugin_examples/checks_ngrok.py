# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ngrok modules' examples: what they return, what the emulator holds and received afterwards.

Where an example names an object by id (as a user copies it from ngrok's dashboard), the emulator is
seeded with an object of that id, so that the example acts on something."""

from __future__ import annotations

import os
import stat

import yaml

from examples_lib import HERE, expect

# The ids the examples name.
API_KEY_ID = "ak_2ZyxWVuTsRqPoNmLkJiHgFeDcBa"
SSH_CREDENTIAL_ID = "sshcr_2ZyxWVuTsRqPoNmLkJiHgFeDcBa"
CREDENTIAL_ID = "cr_2ZyxWVuTsRqPoNmLkJiHgFeDcBa"
# The authtoken of the other agents (not leaked).
OFFICE_ID = "cr_2OfficeAgents00000000000000"


def key_file(name):
    with open(os.path.join(HERE, "files", name), encoding="utf-8") as handle:
        return handle.read().strip()


def key_data(text):
    return " ".join(text.split()[:2])


def writes_to(run, collection):
    """(method, the path after the collection: "" for a create, "<id>", "<id>/stop") of the writes to one
    ngrok collection."""
    found = []
    for method, provider, path in run.writes():
        parts = path.split("?")[0].strip("/").split("/")
        if provider == "ngrok" and collection in parts:
            found.append((method, "/".join(parts[parts.index(collection) + 1:])))
    return found


def check_ngrok_api_key(run, examples):
    run.reset(items={"ngrok/api_keys": [{"id": API_KEY_ID, "description": "old deploy key"}]})
    got, _folder = run.play("ngrok_api_key", examples)
    keys = run.ctl.state()["ngrok"]["api_keys"]
    monitoring = [k for k in keys if k.get("description") == "monitoring"]
    expect(len(monitoring) == 1 and monitoring[0]["metadata"] == '{"owner":"sre"}', "one monitoring key", keys)
    rotated = got["monitoring_key"]
    expect(rotated["api_key"]["id"] == monitoring[0]["id"] and rotated["token"] == monitoring[0]["token"],
           "the rotation registered the new key and its token", rotated["api_key"])
    expect(API_KEY_ID not in [k["id"] for k in keys], "the key named by id is gone", keys)
    first = rotated["rotated_from"]
    expect(writes_to(run, "api_keys") == [("POST", ""), ("POST", ""), ("DELETE", first), ("DELETE", API_KEY_ID)],
           "create, rotate (create, then delete the old one), delete by id", run.writes())


def check_ngrok_credential(run, examples):
    run.reset()
    got, folder = run.play("ngrok_credential", examples)
    created, rotated = got["build_token"], got["rotated"]
    config = os.path.join(folder, "home", ".config", "ngrok", "ngrok.yml")
    expect(os.path.exists(config), "the token was written to the agent's configuration", config)
    expect(stat.S_IMODE(os.stat(config).st_mode) == 0o600, "the configuration is readable by its owner only")
    with open(config, encoding="utf-8") as handle:
        agent = yaml.safe_load(handle)
    expect(agent["agent"]["authtoken"] == created["token"] and created["token"] in run.ctl.secrets(),
           "the configuration holds the token the emulator made", sorted(agent))
    expect(created["credential"]["acl"] == ["bind:*.ci.example.com"]
           and created["credential"]["metadata"] == '{"team":"ci"}', "the credential's settings", created)
    expect(rotated["rotated_from"] == created["credential"]["id"] and rotated["token"] != created["token"],
           "the rotation replaced it", rotated.get("rotated_from"))
    left = [c for c in run.ctl.state()["ngrok"]["credentials"] if c.get("description") == "build agents"]
    expect(left == [], "the last example deleted it", left)
    new = rotated["credential"]["id"]
    expect(writes_to(run, "credentials") == [("POST", ""), ("POST", ""), ("DELETE", created["credential"]["id"]),
                                             ("DELETE", new)], "create, rotate, delete", run.writes())


def check_ngrok_info(run, examples):
    run.reset(items={"ngrok/credentials": [{"description": "build agents"}]})
    state = run.ctl.state()["ngrok"]
    got, folder = run.play("ngrok_info", examples)
    urls = sorted(t["public_url"] for t in state["tunnels"])
    expect(sorted(t["public_url"] for t in got["ngrok"]["tunnels"]) == urls, "the tunnels", got["ngrok"]["tunnels"])
    with open(os.path.join(folder, "output.txt"), encoding="utf-8") as handle:
        output = handle.read()
    expect(all(url in output for url in urls), "the debug task shows the public URLs", urls)
    build = [c["id"] for c in state["credentials"] if c.get("description") == "build agents"]
    expect([c["id"] for c in got["build"]["credentials"]] == build and len(build) == 1, "the build agents' authtoken",
           got["build"]["credentials"])
    expect(run.writes() == [], "an info module writes nothing", run.writes())


def check_ngrok_ssh_credential(run, examples):
    run.reset(items={"ngrok/ssh_credentials": [{"id": SSH_CREDENTIAL_ID, "description": "bastion 2026"}]})
    before = run.ctl.state()["ngrok"]["ssh_credentials"]
    run.play("ngrok_ssh_credential", examples)
    after = run.ctl.state()["ngrok"]["ssh_credentials"]
    replaced = [c for c in after if key_data(c["public_key"]) == key_data(key_file("bastion-2027.pub"))]
    expect(len(replaced) == 1 and replaced[0]["description"] == "bastion 2026", "the credential got its new key, its "
           "description kept", after)
    expect(sorted(c["id"] for c in after) == sorted([c["id"] for c in before if c["id"] != SSH_CREDENTIAL_ID]
                                                    + [replaced[0]["id"]]),
           "the bastion's first key was registered and removed again, the old credential replaced", after)
    expect([m for m, _id in writes_to(run, "ssh_credentials")] == ["POST", "POST", "DELETE", "DELETE"],
           "register, replace (create, then delete), remove", run.writes())


def check_ngrok_ssh_credentials(run, examples):
    run.reset()
    before = run.ctl.state()["ngrok"]["ssh_credentials"]
    got, _folder = run.play("ngrok_ssh_credentials", examples)
    after = run.ctl.state()["ngrok"]["ssh_credentials"]
    expect([(key_data(c["public_key"]), c["description"]) for c in after]
           == [(key_data(key_file("keys/alice.pub")), "alice")], "alice's key alone is left", after)
    writes = writes_to(run, "ssh_credentials")
    expect(sorted(writes) == sorted([("DELETE", c["id"]) for c in before] + [("POST", "")] * 2
                                    + [("DELETE", writes[-1][1])]), "the seed's keys deleted, two created, one "
           "retired", writes)
    expect(got == {}, "the examples register nothing", got)


def check_ngrok_tunnel_session(run, examples):
    leaked = [{"credential": CREDENTIAL_ID, "region": "us"}, {"credential": CREDENTIAL_ID, "region": "eu"}]
    old = [{"credential": OFFICE_ID, "region": "eu", "agent_version": "3.5.0", "_update": "available"},
           {"credential": OFFICE_ID, "region": "us", "agent_version": "3.5.0", "_update": "available"}]
    answer = run.reset(items={"ngrok/credentials": [{"id": CREDENTIAL_ID, "description": "leaked"},
                                                    {"id": OFFICE_ID, "description": "office agents"}],
                              "ngrok/tunnel_sessions": leaked + old})
    leaked_ids, old_ids = answer["ids"]["ngrok/tunnel_sessions"][:2], answer["ids"]["ngrok/tunnel_sessions"][2:]
    got, _folder = run.play("ngrok_tunnel_session", examples)
    sessions = dict((s["id"], s) for s in run.ctl.state()["ngrok"]["tunnel_sessions"])
    expect(not any(i in sessions for i in leaked_ids), "the leaked authtoken's agents were stopped", sorted(sessions))
    updated = [s["id"] for s in got["updated"]["sessions"] if s.get("changed", True)]
    expect(updated == old_ids[:1], "the agent with an update available was updated", got["updated"]["sessions"])
    expect(old_ids[0] not in sessions and old_ids[1] in sessions, "the updated agent restarted (a new session id), "
           "the one in another region was left as it was", sorted(sessions))
    actions = writes_to(run, "tunnel_sessions")
    expect(sorted(actions) == sorted([("POST", i + "/stop") for i in leaked_ids]
                                     + [("POST", old_ids[0] + "/update"), ("POST", old_ids[0] + "/restart")]),
           "two stops, an update and a restart", actions)


CHECKS = {
    ("module", "ngrok_api_key"): check_ngrok_api_key,
    ("module", "ngrok_credential"): check_ngrok_credential,
    ("module", "ngrok_info"): check_ngrok_info,
    ("module", "ngrok_ssh_credential"): check_ngrok_ssh_credential,
    ("module", "ngrok_ssh_credentials"): check_ngrok_ssh_credentials,
    ("module", "ngrok_tunnel_session"): check_ngrok_tunnel_session,
}
