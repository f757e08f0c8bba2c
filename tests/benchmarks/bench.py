"""`make bench`: the collection against the naive way, on a generated fleet behind the emulator.

    python tests/benchmarks/bench.py [--latency-ms 50] [--out build/bench] [--smoke]

Builds (once) the venv build/venvs/bench (ansible-core 2.21, the ngrok-api SDK, pyinstrument), lays the
collection out under the output directory, starts the emulator in a process of its own with the given
latency, and measures each scenario side by side with the naive way.  Writes results.json and
results.md to the output directory.  --smoke runs tiny fleets in well under a minute (a check that the
benchmark works, not a measurement).
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TOOLS = os.path.join(REPO, "tools")
# this directory's modules, tests.emulator and tests.support, and the tooling (venvs, tree, emulator launcher)
sys.path[:0] = [HERE, REPO, TOOLS]
VENV_MARK = "TUNNELOPS_BENCH_VENV"

# pylint: disable=wrong-import-position,import-error
from build_tree import build_tree
from common import DEV_PYTHON, REQUIREMENTS, VENVS, ensure_venv, find_python
from harness import Emulator, fresh_dir
import report
from scenarios import (SIZES, Runner, cursor_pages, inventory_source, ngrok_ssh_keys, offset_rounds,
                       session_entries, session_rounds, wanted_openport_keys, write_json)


def bench_venv():
    """The benchmark's venv (re-used while its requirement files stay the same)."""
    venv = os.path.join(VENVS, "bench")
    requirements = [os.path.join(REQUIREMENTS, "ansible-2.21.txt"), os.path.join(HERE, "requirements.txt")]
    ensure_venv(venv, find_python(DEV_PYTHON), requirements)
    return venv


def collection_tree(out):
    root = os.path.join(out, "collections")
    build_tree(os.path.join(root, "ansible_collections", "tunnelops", "tunnels"))
    return root


def ratio(value, base):
    return round(value / base, 2) if base else None


def row(scenario, way, result, floor=None, naive=None, note=""):
    entry = dict((k, v) for k, v in result.items() if k not in ("output", "listing"))
    entry.update(scenario=scenario, way=way, note=note)
    if floor is not None:
        entry["floor_s"] = round(floor, 3)
        entry["x_floor"] = ratio(result["wall_s"], floor)
    if naive is not None:
        entry["x_naive"] = ratio(naive["wall_s"], result["wall_s"])
    return entry


def scaled(result, factor, startup, what="key"):
    """A loop measured on a sample of the items, scaled to all of them (start-up counted once)."""
    if factor == 1:
        result["note"] = ""
        return result
    measured = result["wall_s"]
    result.update(measured_wall_s=measured, wall_s=round(startup + (measured - startup) * factor, 3),
                  requests=int(round(result["requests"] * factor)), writes=int(round(result["writes"] * factor)),
                  note="measured on 1 %s in %g (%.1f s), scaled" % (what, factor, measured))
    return result


def links_scenario(runner, emu, size, latency, startup, work, rows, targets, scenario):
    """6. openport_ip_link for N Openport hosts in one task, first run and no-op run, beside a uri loop."""
    count = size["links"]
    label = scenario("6. open-for-IP links of %s Openport hosts" % format(count, ","))
    fleet = {"openport_sessions": count}
    emu.reset(fleet)
    sessions = emu.control.state()["openport"]["sessions"]
    ids = write_json(work, "link-sessions.json", ["openport-%s-%s" % (r["server"], r["port"]) for r in sessions])
    cache = {"TUNNELOPS_SOURCE_IP_CACHE": os.path.join(work, "source-ip.json")}
    first = runner.playbook("links-first", "ip_link", ids, extra_env=cache)
    noop = runner.playbook("links-noop", "ip_link", ids, extra_env=cache)
    emu.reset(fleet)
    sample = [r["port"] for r in sessions][::max(1, count // size["naive_links"])][:size["naive_links"]]
    factor = count / float(len(sample))
    naive = scaled(runner.playbook("naive-links", "uri_links", write_json(work, "naive-links.json", sample)),
                   factor, startup["uri_loop"], "link")
    opened = json.loads(first.get("reported") or "{}").get("opened", 0)
    again = json.loads(noop.get("reported") or "{}")
    # The floor: the clicks, 10 at a time (the default concurrency), one round trip each.
    floor = startup["ip_link"] + math.ceil(count / 10.0) * latency
    rows += [row(label, "openport_ip_link (one task), first run", first, floor, naive,
                 "%d links opened 10 at a time, %d API reads (sessions, keys, the click log twice: address "
                 "learned); %s" % (opened, first["requests"] - opened, first.get("reported", ""))),
             row(label, "openport_ip_link, no-op run", noop, startup["ip_link"] + 2 * offset_rounds(count) * latency,
                 None, noop.get("reported", "")),
             row(label, "naive: uri list, then a uri task per link", naive, note=naive["note"])]
    targets.append(("Links for %s hosts: at most 5 s above (hosts / concurrency) x latency" % format(count, ","),
                    opened == count and first["wall_s"] <= floor + 5,
                    "%.1f s for a floor of %.1f s (%d opened)" % (first["wall_s"], floor, opened)))
    targets.append(("Links: the no-op run opens no link", again.get("opened") == 0 and noop["writes"] == 0,
                    "%s opened, %d requests" % (again.get("opened"), noop["requests"])))


def run(args, venv):
    size = SIZES["smoke" if args.smoke else "full"]
    out = fresh_dir(os.path.abspath(args.out))
    work = fresh_dir(os.path.join(out, "work"))
    os.makedirs(os.path.join(work, "logs"))
    python = os.path.join(venv, "bin", "python")
    latency = args.latency_ms / 1000.0
    host = report.machine(python)
    emu = Emulator(python, args.latency_ms, work)
    emu.start()
    rows, startup, targets = [], {}, []
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": host,
        "mode": "smoke" if args.smoke else "full",
        "latency_ms": args.latency_ms,
        "startup_s": startup,
        "rows": rows,
        "targets": [],
    }

    def save():
        """Results so far: a scenario that fails or is stopped leaves the ones before it."""
        results["load_average_end"] = round(os.getloadavg()[0], 1)
        results["targets"] = [{"target": t, "met": bool(m), "measured": v} for t, m, v in targets]
        report.write(out, results)

    def scenario(label, note=""):
        """The next scenario: the results so far saved, its header printed; gives its label."""
        save()
        print("==> " + label + note, flush=True)
        return label
    try:
        collections = collection_tree(out)
        runner = Runner(emu, os.path.join(venv, "bin"), collections, work)
        plain = inventory_source(work, "plain")
        with_raw = inventory_source(work, "with-raw", raw_host_var=True)
        empty = write_json(work, "empty.json", [])

        print("==> start-up on an empty account, without latency", flush=True)
        emu.reset({}, latency_ms=0)
        startup["inventory"] = runner.inventory("startup-inventory", plain)["wall_s"]
        startup["session_info"] = runner.playbook("startup-session-info", "session_info")["wall_s"]
        startup["openport_keys"] = runner.playbook("startup-openport-keys", "openport_keys", empty)["wall_s"]
        startup["ngrok_ssh"] = runner.playbook("startup-ngrok-ssh", "ngrok_ssh", empty)["wall_s"]
        startup["uri_loop"] = runner.playbook("startup-uri-loop", "uri_loop", empty)["wall_s"]
        startup["ip_link"] = runner.playbook("startup-ip-link", "ip_link", empty)["wall_s"]
        startup["naive_python"] = runner.naive("startup-naive", "inventory", os.path.join(work, "naive.json"))["wall_s"]

        fleet = size["inventory"]
        entries = session_entries(fleet)
        rounds = session_rounds(fleet)
        label = scenario("1. inventory of %s sessions" % format(entries, ","))
        emu.reset(fleet)
        ours = runner.inventory("inventory", plain, keep=True)
        static = runner.static_inventory("static-inventory", ours["listing"])
        emu.reset(fleet)
        raw = runner.inventory("inventory-raw", with_raw)
        emu.reset(fleet)
        walk = runner.walk("walk", collections)
        emu.reset(fleet)
        naive = runner.naive("naive-inventory", "inventory", os.path.join(work, "naive.json"))
        inv_floor = rounds * latency + startup["inventory"]
        rows += [row(label, "tunnel_sessions (ansible-inventory --list)", ours, inv_floor, naive,
                     "%d hosts; %d sequential round trips" % (ours["hosts"], rounds)),
                 row(label, "ansible-core alone: the same hosts from an inventory script", static,
                     note="no API: what ansible-inventory costs for these hosts"),
                 row(label, "tunnel_sessions with raw_host_var: true", raw, inv_floor, naive,
                     "every provider record as a host variable too"),
                 row(label, "the collection's walk alone (collect_sessions, no Ansible)", walk,
                     rounds * latency + startup["naive_python"], naive, walk["reported"]),
                 row(label, "naive: sequential walk (requests, ngrok-api SDK)", naive, note=naive["reported"])]
        targets.append(("Inventory of %s: at most 1.25 x the floor" % format(entries, ","),
                        ours["wall_s"] <= 1.25 * inv_floor, "%.2f x" % (ours["wall_s"] / inv_floor)))
        targets.append(("Inventory of %s: at least 5 x faster than the naive walk" % format(entries, ","),
                        naive["wall_s"] >= 5 * ours["wall_s"], "%.2f x (the walk alone: %.2f x)"
                        % (naive["wall_s"] / ours["wall_s"], naive["wall_s"] / walk["wall_s"])))

        label = scenario("2. tunnel_session_info, %s sessions" % format(entries, ","))
        emu.reset(fleet)
        info = runner.playbook("session-info", "session_info")
        rows += [row(label, "tunnel_session_info (one task)", info, rounds * latency + startup["session_info"], naive,
                     info.get("reported", "")),
                 row(label, "naive: the same sequential walk as 1", naive)]

        label = scenario("3. %s keys on an account of %s" % (format(size["wanted_keys"], ","), format(size["account_keys"], ",")))
        account = {"openport_keys": size["account_keys"]}
        emu.reset(account)
        wanted = write_json(work, "wanted-keys.json", wanted_openport_keys(emu.control.state(), size))
        first = runner.playbook("keys-first", "openport_keys", wanted)
        noop = runner.playbook("keys-noop", "openport_keys", wanted)
        counts = json.loads(first.get("reported") or "{}")
        changes = counts.get("created", 0) + counts.get("updated", 0) + counts.get("removed", 0)
        list_pages = math.ceil(size["account_keys"] / 1000)
        list_rounds = offset_rounds(size["account_keys"])
        write_rounds = sum(math.ceil(counts.get(k, 0) / 8) for k in ("removed", "updated", "created"))
        emu.reset(account)
        every = json.load(open(wanted, encoding="utf-8"))  # pylint: disable=consider-using-with
        sample = every[::max(1, len(every) // size["naive_keys"])][:size["naive_keys"]]
        factor = len(every) / float(len(sample))
        sample_path = write_json(work, "naive-keys.json", sample)
        naive_first = scaled(runner.playbook("naive-keys-first", "uri_loop", sample_path), factor, startup["uri_loop"])
        naive_noop = scaled(runner.playbook("naive-keys-noop", "uri_loop", sample_path), factor, startup["uri_loop"])
        rows += [row(label, "openport_keys, first run", first, (list_rounds + write_rounds) * latency + startup["openport_keys"],
                     naive_first, "%d list pages + %d changes %s" % (list_pages, changes, first.get("reported", ""))),
                 row(label, "openport_keys, no-op run", noop, list_rounds * latency + startup["openport_keys"], naive_noop,
                     noop.get("reported", "")),
                 row(label, "naive: uri loop, first run", naive_first, note=naive_first["note"]),
                 row(label, "naive: uri loop, no-op run", naive_noop, note=naive_noop["note"])]
        targets.append(("Keys: requests <= list pages + changes", first["requests"] <= list_pages + changes,
                        "%d requests, %d pages + %d changes" % (first["requests"], list_pages, changes)))
        targets.append(("Keys: the no-op run makes zero writes", noop["writes"] == 0, "%d writes" % noop["writes"]))

        limit, window = size["ngrok_rate"]
        count = size["ngrok_requests"]
        label = scenario("4. ngrok, %d requests at %d per %gs" % (count, limit, window),
                         " (takes the time the limit allows)")
        keys = write_json(work, "ssh-keys.json", ngrok_ssh_keys(count - 1))   # one list page + the creates
        rate_env = {"NGROK_RATE_LIMIT": str(limit), "NGROK_RATE_WINDOW": str(window)}
        emu.reset({}, ngrok_rate_limit=limit, ngrok_rate_window=window)
        paced = runner.playbook("ngrok-ssh", "ngrok_ssh", keys, extra_env=rate_env)
        emu.reset({}, ngrok_rate_limit=limit, ngrok_rate_window=window)
        naive_ngrok = runner.naive("naive-ngrok-ssh", "ngrok-ssh", keys)
        allowed = (count - 1) // limit * window + latency
        rows += [row(label, "ngrok_ssh_credentials (one task)", paced, allowed + startup["ngrok_ssh"], naive_ngrok,
                     "rate limit allows %.1f s; %s" % (allowed, paced.get("reported", ""))),
                 row(label, "naive: ngrok-api SDK, wait 1 s on 429", naive_ngrok, note=naive_ngrok["reported"])]
        targets.append(("ngrok: zero 429s seen by the user", paced["http_429"] == 0,
                        "%d answered 429 (naive: %d)" % (paced["http_429"], naive_ngrok["http_429"])))
        targets.append(("ngrok: within 1.2 x the time the rate limit allows",
                        paced["wall_s"] <= 1.2 * (allowed + startup["ngrok_ssh"]),
                        "%.1f s for %.1f s allowed + %.1f s start-up" % (paced["wall_s"], allowed, startup["ngrok_ssh"])))

        links_scenario(runner, emu, size, latency, startup, work, rows, targets, scenario)

        large = size["large"]
        entries = session_entries(large)
        rounds = session_rounds(large)
        label = scenario("5. inventory of %s sessions" % format(entries, ","))
        # The ngrok limit is lifted here: this scenario measures the plugin's own time and memory.
        no_limit = {"ngrok_rate_limit": 1000000}
        cached = inventory_source(work, "cached", cache_dir=fresh_dir(os.path.join(work, "inventory-cache")),
                                  ngrok_rate_limit=0)
        emu.reset(large, **no_limit)
        big = runner.inventory("inventory-large", cached)
        again = runner.inventory("inventory-cached", cached)
        emu.reset(large, **no_limit)
        naive_big = runner.naive("naive-inventory-large", "inventory", os.path.join(work, "naive.json"))
        ngrok_pages = cursor_pages(large["ngrok_tunnels"]) + cursor_pages(large["ngrok_sessions"])
        rows += [row(label, "tunnel_sessions, cache on (first run writes it)", big,
                     rounds * latency + startup["inventory"], naive_big,
                     "%d hosts; %d sequential round trips; ngrok limit lifted (%d+ ngrok pages)"
                     % (big["hosts"], rounds, ngrok_pages)),
                 row(label, "tunnel_sessions, cached run", again, startup["inventory"], naive_big,
                     "%d hosts" % again["hosts"]),
                 row(label, "naive: sequential walk", naive_big, note=naive_big["reported"])]
        targets.append(("Cached inventory: zero requests", again["requests"] == 0, "%d requests" % again["requests"]))
    finally:
        emu.stop()
    save()
    return results


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=50.0, help="added to every provider request (default 50)")
    parser.add_argument("--out", default=os.path.join(REPO, "build", "bench"), help="output directory")
    parser.add_argument("--smoke", action="store_true", help="tiny fleets, 5 ms latency unless given: checks that it works")
    args = parser.parse_args(argv)
    if args.smoke and "--latency-ms" not in " ".join(argv):
        args.latency_ms = 5.0
    if os.path.realpath(os.environ.get(VENV_MARK, "/nonexistent")) != os.path.realpath(sys.prefix):
        venv = bench_venv()
        python = os.path.join(venv, "bin", "python")
        env = dict(os.environ)
        env[VENV_MARK] = os.path.realpath(venv)
        os.execve(python, [python, os.path.abspath(__file__)] + argv, env)
    results = run(args, sys.prefix)
    print(report.markdown(results))
    # Not a timed test: targets missed are reported, not failed.
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
