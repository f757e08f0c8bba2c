"""The benchmark's results as JSON and as a Markdown table."""

from __future__ import annotations

import json
import os
import platform
import subprocess


def machine(python):
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            memory = "%.0f GiB" % (int(handle.readline().split()[1]) / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    versions = subprocess.run([python, "-c", "import sys, ansible.release as r; print(sys.version.split()[0], r.__version__)"],
                              capture_output=True, text=True, check=False).stdout.split()
    return {"cpu": cpu, "cores": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 1), "memory": memory, "os": platform.platform(terse=True),
            "python": versions[0] if versions else None, "ansible_core": versions[1] if len(versions) > 1 else None}


def _num(value, digits=2):
    if value is None:
        return ""
    if isinstance(value, float):
        return ("%%.%df" % digits) % value
    return format(value, ",") if isinstance(value, int) else str(value)


def markdown(results):
    m = results["machine"]
    lines = [
        "Run %s (%s mode), %g ms per request, on %s cores (%s), %s, Python %s, ansible-core %s; "
        "load average %s at the start, %s at the end."
        % (results["date"], results["mode"], results["latency_ms"], m["cores"], m["cpu"], m["memory"],
           m["python"], m["ansible_core"], m.get("load_average_1m"), results.get("load_average_end")),
        "Start-up on an empty account (in each floor): %s."
        % ", ".join("%s %.2f s" % (k, v) for k, v in results["startup_s"].items()),
        "",
        "| scenario | way | wall s | CPU s | requests | writes | 429s | floor s | x floor | naive / ours | peak RSS MB | notes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    last = None
    for r in results["rows"]:
        scenario = r["scenario"] if r["scenario"] != last else ""
        last = r["scenario"]
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            scenario, r["way"], _num(r["wall_s"]), _num(r.get("cpu_s")), _num(r["requests"]), _num(r["writes"]), _num(r["http_429"]),
            _num(r.get("floor_s")), _num(r.get("x_floor")), _num(r.get("x_naive")), _num(r["peak_rss_mb"], 0),
            (r.get("note") or "").replace("|", "/")))
    lines += ["", "| target | met | measured |", "|---|---|---|"]
    for t in results["targets"]:
        lines.append("| %s | %s | %s |" % (t["target"], "yes" if t["met"] else "**no**", t["measured"]))
    return "\n".join(lines) + "\n"


def write(out, results):
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)
    with open(os.path.join(out, "results.md"), "w", encoding="utf-8") as handle:
        handle.write(markdown(results))
