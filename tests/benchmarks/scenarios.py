"""The benchmark's scenarios: fleets, the commands measured (ours and the naive way) and their floors."""

from __future__ import annotations

import json
import math
import os
import random

from harness import REPO, fresh_dir, run_timed

OPENPORT_PAGE, OPENPORT_WORKERS = 1000, 8   # plugins/module_utils/_openport/client.py, _http/pagination.py
NGROK_PAGE = 100                            # plugins/module_utils/_ngrok/client.py

SIZES = {
    "full": {
        "inventory": {"openport_keys": 200, "openport_sessions": 5000, "ngrok_credentials": 50,
                      "ngrok_sessions": 1000, "ngrok_tunnels": 3000, "pinggy_sessions": 2000},
        "account_keys": 1044, "wanted_keys": 1000, "renamed": 10, "new_keys": 50,
        # A uri task per key costs about a second: the naive loop runs on a sample, scaled up.
        "naive_keys": 100,
        "ngrok_requests": 300, "ngrok_rate": (120, 60.0),
        # openport_ip_link: links opened for this many Openport hosts in one task; the uri loop on a sample
        "links": 1000, "naive_links": 100,
        "large": {"openport_keys": 1000, "openport_sessions": 50000, "ngrok_credentials": 100,
                  "ngrok_sessions": 10000, "ngrok_tunnels": 30000, "pinggy_sessions": 20000},
    },
    "smoke": {
        "inventory": {"openport_keys": 5, "openport_sessions": 50, "ngrok_credentials": 3,
                      "ngrok_sessions": 10, "ngrok_tunnels": 30, "pinggy_sessions": 20},
        "account_keys": 30, "wanted_keys": 20, "renamed": 2, "new_keys": 3, "naive_keys": 2,
        "ngrok_requests": 15, "ngrok_rate": (10, 2.0), "links": 20, "naive_links": 4,
        "large": {"openport_keys": 10, "openport_sessions": 100, "ngrok_credentials": 3,
                  "ngrok_sessions": 20, "ngrok_tunnels": 60, "pinggy_sessions": 40},
    },
}


# -- floors: the round trips that the pagination forces, one after another -------------------------

def offset_rounds(count, page=OPENPORT_PAGE, workers=OPENPORT_WORKERS):
    """First page, then the rest ``workers`` at a time."""
    pages = max(1, math.ceil(count / page))
    return 1 + math.ceil((pages - 1) / workers)


def cursor_pages(count, page=NGROK_PAGE):
    """ngrok pages follow one another; a full last page still links to an empty one."""
    return count // page + 1


def fleet_counts(scale):
    return {
        "openport_sessions": scale.get("openport_sessions", 0),
        "openport_keys": scale.get("openport_keys", 0) or (1 if scale.get("openport_sessions") else 0),
        "ngrok_tunnels": scale.get("ngrok_tunnels", 0),
        "ngrok_sessions": scale.get("ngrok_sessions", 0),
        "ngrok_credentials": scale.get("ngrok_credentials", 0) or (1 if scale.get("ngrok_sessions") else 0),
        "pinggy_sessions": scale.get("pinggy_sessions", 0),
    }


def session_rounds(scale):
    """Providers side by side; inside each, its lists side by side."""
    n = fleet_counts(scale)
    openport = max(offset_rounds(n["openport_sessions"]), offset_rounds(n["openport_keys"]))
    ngrok = max(cursor_pages(n["ngrok_tunnels"]), cursor_pages(n["ngrok_sessions"]),
                cursor_pages(n["ngrok_credentials"]), cursor_pages(0))
    return max(openport, ngrok, 1)


def session_entries(scale):
    n = fleet_counts(scale)
    # every generated ngrok session gets tunnels when there are at least as many tunnels as sessions
    lone = max(0, n["ngrok_sessions"] - n["ngrok_tunnels"])
    return n["openport_sessions"] + n["ngrok_tunnels"] + lone + n["pinggy_sessions"]


# -- inputs --------------------------------------------------------------------------------------

def wanted_openport_keys(state, size):
    """``wanted_keys`` keys of the account: most kept as they are, ``renamed`` renamed, ``new_keys`` new."""
    usable = [k for k in state["openport"]["keys"] if not k["public_key"].startswith("ecdsa-")]
    kept = usable[:size["wanted_keys"] - size["new_keys"]]
    wanted = []
    for index, key in enumerate(kept):
        renamed = index < size["renamed"]
        wanted.append({"public_key": key["public_key"], "name": key["name"] + ("-renamed" if renamed else "")})
    from tests.emulator.sshkeys import make_key  # pylint: disable=import-outside-toplevel
    rng = random.Random(8)
    for i in range(size["new_keys"]):
        wanted.append({"public_key": make_key(rng, "ed25519", comment="bench%d" % i), "name": "bench-new-%04d" % i})
    return wanted


def ngrok_ssh_keys(count):
    from tests.emulator.sshkeys import make_key  # pylint: disable=import-outside-toplevel
    rng = random.Random(4)
    return [{"public_key": make_key(rng, "ed25519", comment="bench%d" % i), "description": "bench key %d" % i}
            for i in range(count)]


# -- files ------------------------------------------------------------------------------------------

def inventory_source(directory, name, cache_dir=None, ngrok_rate_limit=None, raw_host_var=False):
    lines = ["plugin: tunnelops.tunnels.tunnel_sessions"]
    if raw_host_var:
        lines.append("raw_host_var: true")
    if ngrok_rate_limit is not None:
        lines.append("ngrok_rate_limit: %d" % ngrok_rate_limit)
    if cache_dir:
        lines += ["cache: true", "cache_plugin: ansible.builtin.jsonfile",
                  "cache_connection: %s" % cache_dir, "cache_timeout: 3600"]
    path = os.path.join(directory, "%s.tunnel_sessions.yml" % name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


PLAYBOOKS = {
    "session_info": """
- hosts: localhost
  gather_facts: false
  tasks:
    - tunnelops.tunnels.tunnel_session_info:
      register: found
    - ansible.builtin.debug:
        msg: "BENCH sessions={{ found.sessions | length }} errors={{ found.errors | length }}"
""",
    "openport_keys": """
- hosts: localhost
  gather_facts: false
  tasks:
    - tunnelops.tunnels.openport_keys:
        keys: "{{ lookup('ansible.builtin.file', bench_input) | from_json }}"
      register: fleet
    - ansible.builtin.debug:
        msg: "BENCH {{ fleet.counts | to_json }}"
""",
    "uri_loop": """
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.uri:
        url: "{{ lookup('ansible.builtin.env', 'OPENPORT_API_URL') }}/keys/?token={{ lookup('ansible.builtin.env', 'OPENPORT_TOKEN') }}"
        method: POST
        body_format: json
        body: {public_key: "{{ item.public_key }}", name: "{{ item.name }}"}
        status_code: [201, 400]
      loop: "{{ lookup('ansible.builtin.file', bench_input) | from_json }}"
      loop_control:
        label: "{{ item.name }}"
""",
    "ip_link": """
- hosts: localhost
  gather_facts: false
  tasks:
    - tunnelops.tunnels.openport_ip_link:
        sessions: "{{ lookup('ansible.builtin.file', bench_input) | from_json }}"
      register: links
    - ansible.builtin.debug:
        msg: "BENCH {{ {'opened': links.opened, 'unchanged': links.unchanged, 'source_ip_from': links.source_ip_from} | to_json }}"
""",
    # The naive way: list the sessions with uri, then one uri task per link (the secret in a loop variable).
    "uri_links": """
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.uri:
        url: "{{ lookup('ansible.builtin.env', 'OPENPORT_API_URL') }}/sessions/?limit=100000&token={{ lookup('ansible.builtin.env', 'OPENPORT_TOKEN') }}"
      register: listed
    - ansible.builtin.uri:
        url: "{{ item.open_port_for_ip_link }}"
        return_content: true
      loop: "{{ listed.json.results | selectattr('port', 'in', lookup('ansible.builtin.file', bench_input) | from_json) | list }}"
      loop_control:
        label: "{{ item.port }}"
      no_log: true
""",
    "ngrok_ssh": """
- hosts: localhost
  gather_facts: false
  tasks:
    - tunnelops.tunnels.ngrok_ssh_credentials:
        credentials: "{{ lookup('ansible.builtin.file', bench_input) | from_json }}"
      register: fleet
    - ansible.builtin.debug:
        msg: "BENCH {{ fleet.counts | to_json }}"
""",
}


def write_json(directory, name, data):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    return path


class Runner:
    """Runs commands against the emulator and records what each cost."""

    def __init__(self, emulator, venv_bin, collections_root, workdir):
        self.emu = emulator
        self.bin = venv_bin
        self.workdir = workdir
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root, ANSIBLE_NOCOLOR="1",
                        ANSIBLE_FORCE_COLOR="0", ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_HOST_KEY_CHECKING="0",
                        ANSIBLE_INVENTORY_UNPARSED_WARNING="0", ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="1",
                        ANSIBLE_PYTHON_INTERPRETER=os.path.join(venv_bin, "python"),
                        ANSIBLE_LOCAL_TEMP=os.path.join(workdir, "ansible-tmp"),
                        ANSIBLE_CACHE_PLUGIN_CONNECTION=os.path.join(workdir, "fact-cache"))
        self.env.pop("PYTHONPATH", None)
        for name in ("NGROK_RATE_LIMIT", "NGROK_RATE_WINDOW"):
            self.env.pop(name, None)
        self.count = 0

    def measure(self, label, cmd, extra_env=None, clear=True):
        """Run ``cmd`` after clearing the request log; wall time, peak RSS, and what the emulator saw."""
        self.count += 1
        env = dict(self.env, **self.emu.environment())
        # A pacing window of its own: another run's requests are not this one's.
        env["TUNNELOPS_PACING_DIR"] = fresh_dir(os.path.join(self.workdir, "pacing", str(self.count)))
        env.update(extra_env or {})
        if clear:
            self.emu.control.clear_log()
        log_path = os.path.join(self.workdir, "logs", "%02d-%s.log" % (self.count, label))
        timed = run_timed(cmd, env, self.workdir, log_path)
        counters = self.emu.control.counters()
        total = counters.get("total", {})
        if timed.rc != 0:
            raise RuntimeError("%s failed (exit %s); see %s" % (label, timed.rc, log_path))
        return {"wall_s": round(timed.wall, 3), "cpu_s": round(timed.cpu, 2), "peak_rss_mb": round(timed.max_rss_mb, 1),
                "requests": total.get("requests", 0), "writes": total.get("writes", 0),
                "http_429": total.get("status", {}).get("429", 0),
                "per_provider": dict((p, counters.get(p, {}).get("requests", 0)) for p in ("openport", "ngrok", "pinggy")),
                "output": timed.output, "log": os.path.relpath(log_path, REPO)}

    def inventory(self, label, source, keep=False):
        out = os.path.join(self.workdir, "%s-inventory.json" % label)
        result = self.measure(label, [os.path.join(self.bin, "ansible-inventory"), "-i", source, "--list",
                                      "--output", out])
        with open(out, encoding="utf-8") as handle:
            result["hosts"] = len(json.load(handle).get("_meta", {}).get("hostvars", {}))
        if keep:
            result["listing"] = out
        else:
            os.unlink(out)
        return result

    def static_inventory(self, label, listing):
        """ansible-core alone: the same ``--list`` JSON served by an inventory script, no API behind it."""
        script = os.path.join(self.workdir, "static_inventory.sh")
        with open(script, "w", encoding="utf-8") as handle:
            handle.write("#!/bin/sh\n[ \"$1\" = --list ] && exec cat %s\necho '{}'\n" % listing)
        os.chmod(script, 0o755)
        out = os.path.join(self.workdir, "%s-inventory.json" % label)
        result = self.measure(label, [os.path.join(self.bin, "ansible-inventory"), "-i", script, "--list",
                                      "--output", out])
        os.unlink(out)
        return result

    def playbook(self, label, name, bench_input=None, extra_env=None):
        path = os.path.join(self.workdir, "%s.yml" % name)
        if not os.path.exists(path):
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(PLAYBOOKS[name].lstrip())
        cmd = [os.path.join(self.bin, "ansible-playbook"), "-i", "localhost,", "-c", "local", path]
        if bench_input:
            cmd += ["-e", "bench_input=%s" % bench_input]
        result = self.measure(label, cmd, extra_env)
        for line in result["output"].splitlines():
            if "BENCH " in line:
                result["reported"] = line.split("BENCH ", 1)[1].strip().strip('"').replace('\\"', '"')
        return result

    def walk(self, label, collections_root):
        """The collection's walk alone (walk.py): the same requests as the inventory, no Ansible around them."""
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "walk.py")
        result = self.measure(label, [os.path.join(self.bin, "python"), script],
                              {"PYTHONPATH": collections_root})
        result["reported"] = result["output"].strip().splitlines()[-1]
        return result

    def naive(self, label, *args, extra_env=None):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "naive.py")
        result = self.measure(label, [os.path.join(self.bin, "python"), script] + list(args), extra_env)
        result["reported"] = result["output"].strip().splitlines()[-1]
        return result
