"""Benchmark plumbing: the emulator in its own process, its control API, timed child processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CREDENTIALS = {
    "OPENPORT_TOKEN": "op-emulator-token",
    "NGROK_API_KEY": "ngrok-emulator-key",
    "PINGGY_API_KEY": "pinggy-emulator-key",
}


class Emulator:
    """``python -m tests.emulator`` in a process of its own, so that its work does not share our GIL."""

    def __init__(self, python, latency_ms, workdir):
        self.python = python
        self.latency_ms = latency_ms
        self.workdir = workdir
        self.process = None
        self.urls = None

    def start(self):
        ready = os.path.join(self.workdir, "emulator-ready.json")
        if os.path.exists(ready):
            os.unlink(ready)
        log = open(os.path.join(self.workdir, "emulator.log"), "w", encoding="utf-8")  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [self.python, "-m", "tests.emulator", "--seed", "empty", "--latency-ms", str(self.latency_ms),
             "--ready-file", ready],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.time() + 60
        while not os.path.exists(ready) or not os.path.getsize(ready):
            if self.process.poll() is not None or time.time() > deadline:
                raise RuntimeError("the emulator did not start; see %s" % log.name)
            time.sleep(0.05)
        time.sleep(0.05)
        with open(ready, encoding="utf-8") as handle:
            self.urls = json.load(handle)
        return self.urls

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def control(self, method, path, body=None, timeout=600):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.urls["control"] + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)

    def reset(self, scale=None, **config):
        """A fresh account (empty seed plus ``scale``), a clean log and rate window, then ``config``."""
        self.control("POST", "/reset", {"seed": "empty", "scale": scale or {}})
        self.control("POST", "/config", dict({"latency_ms": self.latency_ms}, **config))

    def clear_log(self):
        self.control("POST", "/log/clear", {})

    def counters(self):
        return self.control("GET", "/counters")

    def state(self):
        return self.control("GET", "/state")

    def environment(self):
        """What the collection and the naive scripts read: the URLs and the seeded account's credentials."""
        return dict(CREDENTIALS, OPENPORT_API_URL=self.urls["openport"], NGROK_API_BASE_URL=self.urls["ngrok"],
                    PINGGY_API_URL=self.urls["pinggy"], TUNNELOPS_EMULATOR_CONTROL_URL=self.urls["control"])


class Timed:
    """What one child process cost: wall time, peak memory of the process tree, exit code, output."""

    def __init__(self, wall, cpu, max_rss_mb, rc, output):
        self.wall = wall
        self.cpu = cpu
        self.max_rss_mb = max_rss_mb
        self.rc = rc
        self.output = output


GNU_TIME = "/usr/bin/time"


def _gnu_time():
    try:
        probe = subprocess.run([GNU_TIME, "-f", "%M", "true"], capture_output=True, text=True, check=False)
    except OSError:
        return False
    return probe.returncode == 0 and probe.stderr.strip().isdigit()


HAS_GNU_TIME = _gnu_time()


def run_timed(cmd, env, cwd, log_path=None):
    """Run ``cmd``; wall time, CPU time and peak RSS of it and the children it waited for.

    GNU time starts the command from a small process: the peak RSS of a child forked straight from
    this (large) process would count this process's memory at the fork.  Without GNU time, wait4.
    """
    stats = tempfile.NamedTemporaryFile(mode="r", suffix=".time", delete=False)  # pylint: disable=consider-using-with
    stats.close()
    wrapped = [GNU_TIME, "-q", "-f", "%U %S %M", "-o", stats.name] + list(cmd) if HAS_GNU_TIME else list(cmd)
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as out:
        start = time.perf_counter()
        process = subprocess.Popen(wrapped, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,  # pylint: disable=consider-using-with
                                   stdin=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    # ru_maxrss and GNU time's %M are in KiB on Linux.
    cpu, max_rss_kib = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    with open(stats.name, encoding="utf-8") as handle:
        fields = handle.read().split()
    os.unlink(stats.name)
    if HAS_GNU_TIME and len(fields) >= 3:
        cpu, max_rss_kib = float(fields[-3]) + float(fields[-2]), int(fields[-1])
    if log_path:
        with open(log_path, "w", encoding="utf-8") as handle:
            handle.write("$ %s\n%s" % (" ".join(cmd), output))
    return Timed(wall, cpu, max_rss_kib / 1024.0, process.returncode, output)


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def python_env(base_env):
    env = dict(base_env)
    env.pop("PYTHONPATH", None)
    return env


def this_python():
    return sys.executable
