"""Run the whole test suite: ansible-test sanity/units/integration over the matrix,
plus the emulator's own tests, the reliability suite (tests/reliability), the end-to-end suite over real
SSH (tests/e2e) and the ecosystem checks
(tools/ecosystem.py). Ends with one tally line `N passed, N failed, N skipped`.

Keeps going after a failing step so every failure shows; exits 1 if any failed.

With ``--jobs N`` (default: the number of CPUs, at most 4) the steps run in lanes, N lanes at a
time: one lane per ansible-core series (sanity, units, integration), one for the reliability suite,
one for the rest. Each lane is this script again, in a process of its own, with a collection tree of
its own (build/lanes/<lane>); its "==>" progress lines show as they come, prefixed with the lane,
and its whole log is printed when it ends (kept in build/lanes/<lane>.log).
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import ecosystem
from build_tree import build_tree
from common import (BUILD, COLLECTION_TREE, DEV_PYTHON, MATRIX, REPO, REQUIREMENTS, VENVS, ensure_matrix_venv,
                    check_run, ensure_venv, find_python, log, matrix_venv, python_path_env)
from emulator import Emulator, EmulatorError, integration_config
from get_pip_stub import install_stubs

STEPS = ("sanity", "units", "integration", "emulator", "reliability", "e2e", "ecosystem", "bench")
SKIP_MARKERS = ("All targets skipped.",)


class Skip(Exception):
    pass


class Runner:
    def __init__(self, options: argparse.Namespace):
        self.options = options
        self.results: list[tuple[str, str, float, str]] = []

    def step(self, name: str, func, *args, setup: bool = False) -> None:
        log(f"\n==> [{name}] start")
        started = time.monotonic()
        try:
            func(*args)
            status, note = "PASS", ""
        except Skip as ex:
            status, note = "SKIP", str(ex)
        except Exception as ex:  # pylint: disable=broad-except  # report and go on
            status, note = "FAIL", str(ex) or type(ex).__name__
        elapsed = time.monotonic() - started
        if setup and status == "PASS":
            status = "ok"  # preparation, not a test: shown but not counted
        self.results.append((status, name, elapsed, note))
        log(f"==> [{name}] {status} in {elapsed:.0f}s {note}".rstrip())

    def fail_all(self, names: list[str], note: str) -> None:
        for name in names:
            self.results.append(("FAIL", name, 0.0, note))

    def summary(self, tally: str = "") -> int:
        """Print every step's result and the tally line; ``tally`` prefixes it (a lane's is not the run's)."""
        counts = {"PASS": 0, "FAIL": 0, "SKIP": 0, "ok": 0}
        print("\n==> summary")
        for status, name, elapsed, note in self.results:
            counts[status] += 1
            first_line = note.splitlines()[0] if note else ""
            print(f"  {status:<4}  {name:<20} {elapsed:5.0f}s  {first_line}".rstrip())
        print(f"{tally}{counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped", flush=True)
        return 1 if counts["FAIL"] else 0


def run(cmd: list[str], cwd: str, env: dict | None = None) -> str:
    """Run cmd, echoing its output; raise on failure, Skip when ansible-test found nothing to do."""
    output = check_run(cmd, cwd=cwd, env=env)
    if any(marker in output for marker in SKIP_MARKERS):
        raise Skip("ansible-test: all targets skipped")
    return output


def has_files(pattern: str) -> bool:
    return bool(glob.glob(os.path.join(COLLECTION_TREE, pattern), recursive=True))


class MatrixEntry:
    def __init__(self, series: str, runner: Runner):
        self.series = series
        self.runner = runner
        self.python_version = MATRIX[series]
        self.venv = matrix_venv(series)
        self.env: dict = {}

    def setup(self) -> None:
        ensure_matrix_venv(self.series)
        install_stubs(self.venv)
        # ansible-test --venv looks up python<version> on PATH; pyenv shims fail there.
        self.env = python_path_env([find_python(self.python_version)])
        self.env.pop("PYTHONPATH", None)

    def ansible_test(self, *args: str) -> list[str]:
        return [os.path.join(self.venv, "bin", "ansible-test"), *args, "--venv", "--python", self.python_version,
                "--color", "no"] + self.runner.options.ansible_test_args

    def sanity(self) -> None:
        tests = []
        for name in self.runner.options.sanity_tests:
            tests += ["--test", name]
        run(self.ansible_test("sanity", *tests), COLLECTION_TREE, self.env)

    def units(self) -> None:
        if not has_files("tests/unit/**/test_*.py"):
            raise Skip("no unit tests in tests/unit")
        run(self.ansible_test("units"), COLLECTION_TREE, self.env)

    def integration(self) -> None:
        if not has_files("tests/integration/targets/*/"):
            raise Skip("no targets in tests/integration/targets")
        config_path = os.path.join(COLLECTION_TREE, "tests", "integration", "integration_config.yml")
        try:
            with Emulator(find_python(self.python_version), COLLECTION_TREE) as urls:
                with open(config_path, "w", encoding="utf-8") as handle:
                    # JSON strings are valid YAML scalars; no YAML library needed here.
                    handle.write("".join(f"{k}: {json.dumps(v)}\n" for k, v in integration_config(urls).items()))
                # every failing target shows, not only the first
                run(self.ansible_test("integration", "--continue-on-error"), COLLECTION_TREE, self.env)
        except EmulatorError as ex:
            raise RuntimeError(str(ex)) from ex


def pytest_step(venv_name: str, requirement_files: list[str], args: list[str], extra_env: dict | None = None) -> None:
    """pytest from a venv of its own (built from ``requirement_files``), run in the collection tree.

    A suite whose files hold no test fails (pytest's exit 5): the steps skip only when the files are missing."""
    venv = os.path.join(VENVS, f"{venv_name}-py{DEV_PYTHON}")
    python = ensure_venv(venv, find_python(DEV_PYTHON), requirement_files)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **(extra_env or {}))
    env.pop("PYTHONPATH", None)
    run([python, "-m", "pytest", *args, "-p", "no:cacheprovider"], COLLECTION_TREE, env)


def emulator_tests() -> None:
    if not has_files("tests/emulator/tests/**/test_*.py"):
        raise Skip("no tests in tests/emulator/tests")
    pytest_step("emulator-tests", [os.path.join(REQUIREMENTS, "emulator-tests.txt"),
                                   os.path.join(REPO, "tests", "emulator", "tests", "requirements.txt")],
                ["tests/emulator/tests"])


def reliability_tests() -> None:
    """Faults, secret canaries, bad input, check mode and TLS through real ansible runs (docs/reliability.md)."""
    if not has_files("tests/reliability/test_*.py"):
        raise Skip("no tests in tests/reliability")
    pytest_step("reliability", [os.path.join(REQUIREMENTS, "ansible-2.21.txt"),
                                os.path.join(REPO, "tests", "reliability", "requirements.txt")],
                ["tests/reliability", "-q", "-rf"], {"RELIABILITY_COLLECTION_TREE": COLLECTION_TREE})


def e2e_tests() -> None:
    """The machines behind the tunnels reached over real SSH through the inventory (tests/e2e, issue 17).

    It needs OpenSSH's sshd: installed here when missing and the machine allows it (root and apt-get),
    otherwise the step fails naming the package; it never skips."""
    if not has_files("tests/e2e/test_*.py"):
        raise Skip("no tests in tests/e2e")
    spec = importlib.util.spec_from_file_location("e2e_sshd", os.path.join(COLLECTION_TREE, "tests", "e2e", "sshd.py"))
    sshd = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sshd)
    try:
        log(f"==> sshd: {sshd.find_sshd()}")
    except sshd.SshdUnavailable as ex:
        raise RuntimeError(str(ex)) from ex
    pytest_step("e2e", [os.path.join(REQUIREMENTS, "ansible-2.21.txt"),
                        os.path.join(REPO, "tests", "e2e", "requirements.txt")],
                ["tests/e2e", "-q", "-x", "-rf"], {"E2E_COLLECTION_TREE": COLLECTION_TREE})


def bench_smoke() -> None:
    """The benchmark at a tiny size: proof that it runs, never a timed test (tests/benchmarks)."""
    if not has_files("tests/benchmarks/bench.py"):
        raise Skip("no benchmark in tests/benchmarks")
    out = os.path.join(REPO, "build", "bench-smoke")
    run([sys.executable, os.path.join(REPO, "tests", "benchmarks", "bench.py"), "--smoke", "--out", out], REPO)
    if not os.path.exists(os.path.join(out, "results.json")):
        raise RuntimeError("the benchmark smoke run wrote no results.json")


def split_list(values: list[str]) -> list[str]:
    return [item for value in values for item in value.replace(",", " ").split()]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--matrix", action="append", default=[],
                        help=f"ansible-core series to test (default: all of {' '.join(MATRIX)})")
    parser.add_argument("--steps", action="append", default=[], help=f"steps to run (default: {' '.join(STEPS)})")
    parser.add_argument("--sanity-test", dest="sanity_tests", action="append", default=[],
                        help="run only these sanity tests (default: all)")
    parser.add_argument("--ansible-test-args", default="", help="extra arguments for every ansible-test call")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="lanes run at a time (default: the CPU count, at most 4); 1 runs every step in turn")
    parser.add_argument("--results", help=argparse.SUPPRESS)  # a lane writes its results here, as JSON
    options = parser.parse_args(argv)
    options.matrix = split_list(options.matrix) or list(MATRIX)
    options.steps = split_list(options.steps) or list(STEPS)
    options.sanity_tests = split_list(options.sanity_tests)
    options.ansible_test_args = options.ansible_test_args.split()
    for series in options.matrix:
        if series not in MATRIX:
            parser.error(f"unknown matrix entry {series!r}; known: {' '.join(MATRIX)}")
    for step in options.steps:
        if step not in STEPS:
            parser.error(f"unknown step {step!r}; known: {' '.join(STEPS)}")
    return options


def default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def plan_lanes(options: argparse.Namespace) -> list[tuple[str, list[str]]]:
    """The lanes of this run, the longest first: (name, arguments for this script)."""
    lanes = []
    matrix_steps = [step for step in ("sanity", "units", "integration") if step in options.steps]
    if matrix_steps:
        for series in reversed(options.matrix):  # the newest ansible-core is the slowest
            lanes.append((f"ansible-{series}", ["--matrix", series, "--steps", ",".join(matrix_steps)]))
    if "reliability" in options.steps:
        lanes.append(("reliability", ["--steps", "reliability"]))
    rest = [step for step in ("emulator", "e2e", "ecosystem", "bench") if step in options.steps]
    if rest:
        lanes.append(("other", ["--steps", ",".join(rest)]))
    return lanes


class Lanes:
    """Run lanes as child processes, ``jobs`` at a time; gather their results in plan order."""

    def __init__(self, options: argparse.Namespace, lanes: list[tuple[str, list[str]]]):
        self.options = options
        self.lanes = lanes
        self.directory = os.path.join(BUILD, "lanes")
        self.print_lock = threading.Lock()

    def passthrough(self) -> list[str]:
        args = ["--jobs", "1"]
        if self.options.sanity_tests:
            args += ["--sanity-test", " ".join(self.options.sanity_tests)]
        if self.options.ansible_test_args:
            args += ["--ansible-test-args", " ".join(self.options.ansible_test_args)]
        return args

    def say(self, text: str) -> None:
        with self.print_lock:
            sys.stdout.write(text)
            sys.stdout.flush()

    def run_lane(self, name: str, args: list[str]) -> list[tuple[str, str, float, str]]:
        results_path = os.path.join(self.directory, f"{name}.json")
        log_path = os.path.join(self.directory, f"{name}.log")
        if os.path.exists(results_path):
            os.unlink(results_path)
        env = dict(os.environ, TUNNELOPS_COLLECTIONS_ROOT=os.path.join(self.directory, name))
        cmd = [sys.executable, os.path.abspath(__file__), *args, *self.passthrough(), "--results", results_path]
        started = time.monotonic()
        self.say(f"==> [lane {name}] start: {' '.join(args)}\n")
        with open(log_path, "w", encoding="utf-8") as log_file, \
                subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, text=True, errors="replace") as process:
            for line in process.stdout:
                log_file.write(line)
                if line.startswith("==> ["):
                    self.say(f"[{name} +{time.monotonic() - started:.0f}s] {line}")
            rc = process.wait()
        with open(log_path, encoding="utf-8") as handle:
            text = handle.read()
        self.say(f"\n==> [lane {name}] ended with rc={rc} in {time.monotonic() - started:.0f}s; its log:\n"
                 f"{text}==> [lane {name}] end of log\n\n")
        try:
            with open(results_path, encoding="utf-8") as handle:
                results = [tuple(item) for item in json.load(handle)]
            # every lane lays out its own tree: name them apart in the summary
            return [(status, f"{step} ({name})" if step == "build tree" else step, elapsed, note)
                    for status, step, elapsed, note in results]
        except (OSError, ValueError):
            return [("FAIL", f"lane {name}", time.monotonic() - started,
                     f"the lane ended (rc={rc}) without results; see {os.path.relpath(log_path, REPO)}")]

    def run(self, runner: Runner) -> None:
        os.makedirs(self.directory, exist_ok=True)
        with ThreadPoolExecutor(max_workers=self.options.jobs) as pool:
            futures = [pool.submit(self.run_lane, name, args) for name, args in self.lanes]
            for future in futures:
                runner.results.extend(future.result())


def main(argv: list[str]) -> int:
    options = parse_args(argv)
    runner = Runner(options)
    started = time.monotonic()
    lanes = plan_lanes(options)
    if options.jobs > 1 and len(lanes) > 1 and not options.results:
        log(f"==> {len(lanes)} lanes, {options.jobs} at a time: {', '.join(name for name, dummy in lanes)}")
        Lanes(options, lanes).run(runner)
        log(f"==> total wall time {time.monotonic() - started:.0f}s")
        return runner.summary()
    try:
        return run_steps(options, runner, started)
    finally:
        if options.results:
            with open(options.results, "w", encoding="utf-8") as handle:
                json.dump(runner.results, handle)


def run_steps(options: argparse.Namespace, runner: Runner, started: float) -> int:
    runner.step("build tree", build_tree, setup=True)
    if runner.results[-1][0] == "FAIL":
        return runner.summary()
    for series in options.matrix:
        entry = MatrixEntry(series, runner)
        names = [f"{step} {series}" for step in ("sanity", "units", "integration") if step in options.steps]
        if not names:
            continue
        runner.step(f"setup {series}", entry.setup, setup=True)
        if runner.results[-1][0] == "FAIL":
            runner.fail_all(names, "setup failed")
            continue
        for name in names:
            runner.step(name, getattr(entry, name.split()[0]))
    if "emulator" in options.steps:
        runner.step("emulator tests", emulator_tests)
    if "reliability" in options.steps:
        runner.step("reliability", reliability_tests)
    if "e2e" in options.steps:
        runner.step("end-to-end", e2e_tests)
    if "ecosystem" in options.steps:
        # docs, linters, changelog, Galaxy import, execution environment, AWX-style runs (tools/ecosystem.py)
        runner.step("setup ecosystem", ecosystem.setup, setup=True)
        names = [f"ecosystem {name}" for name in ecosystem.CHECKS]
        if runner.results[-1][0] == "FAIL":
            runner.fail_all(names, "setup failed")
        else:
            for name, check in zip(names, ecosystem.CHECKS.values()):
                runner.step(name, check)
    if "bench" in options.steps:
        runner.step("benchmark smoke", bench_smoke)
    log(f"==> total wall time {time.monotonic() - started:.0f}s")
    return runner.summary("lane: " if options.results else "")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
