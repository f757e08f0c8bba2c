"""Benchmark plumbing: the emulator in its own process, its control API, timed child processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time

# bench.py puts this directory, the repository root and tools/ on sys.path.
from emulator import Emulator as Launcher, environment  # pylint: disable=import-error  # tools/emulator.py
from tests.support.control import Control

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Emulator(Launcher):
    """``python -m tests.emulator`` in a process of its own (tools/emulator.py), so that its work does not
    share our GIL: an empty account with the benchmark's latency, and its control API."""

    def __init__(self, python, latency_ms, workdir):
        super().__init__(python, REPO, ["--seed", "empty", "--latency-ms", str(latency_ms)], workdir)
        self.latency_ms = latency_ms
        self.urls = None
        self.control = None

    def start(self):
        self.urls = super().start()
        self.control = Control(self.urls["control"], timeout=600)  # a reset at scale builds the fleet first
        return self.urls

    def reset(self, scale=None, **config):
        """A fresh account (empty seed plus ``scale``), a clean log and rate window, then ``config``."""
        self.control.reset("empty", scale, config=dict({"latency_ms": self.latency_ms}, **config))

    def environment(self):
        """What the collection and the naive scripts read: the URLs and the seeded account's credentials."""
        return environment(self.urls)


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
