"""Run the whole test suite: ansible-test sanity/units/integration over the matrix,
plus the emulator's own tests, the reliability suite (tests/reliability) and the ecosystem checks
(tools/ecosystem.py). Ends with one tally line `N passed, N failed, N skipped`.

Keeps going after a failing step so every failure shows; exits 1 if any failed.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time

import ecosystem
from build_tree import build_tree
from common import (COLLECTION_TREE, DEV_PYTHON, MATRIX, REPO, REQUIREMENTS, VENVS, ensure_matrix_venv,
                    check_run, ensure_venv, find_python, log, matrix_venv, python_path_env)
from emulator import Emulator, EmulatorError, integration_config
from get_pip_stub import install_stubs

STEPS = ("sanity", "units", "integration", "emulator", "reliability", "ecosystem", "bench")
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

    def summary(self) -> int:
        counts = {"PASS": 0, "FAIL": 0, "SKIP": 0, "ok": 0}
        print("\n==> summary")
        for status, name, elapsed, note in self.results:
            counts[status] += 1
            first_line = note.splitlines()[0] if note else ""
            print(f"  {status:<4}  {name:<20} {elapsed:5.0f}s  {first_line}".rstrip())
        print(f"{counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped", flush=True)
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


def emulator_tests() -> None:
    if not has_files("tests/emulator_tests/**/test_*.py"):
        raise Skip("no tests in tests/emulator_tests")
    venv = os.path.join(VENVS, f"emulator-tests-py{DEV_PYTHON}")
    python = ensure_venv(venv, find_python(DEV_PYTHON), [
        os.path.join(REQUIREMENTS, "emulator-tests.txt"),
        os.path.join(REPO, "tests", "emulator_tests", "requirements.txt"),
    ])
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    try:
        run([python, "-m", "pytest", "tests/emulator_tests", "-p", "no:cacheprovider"], COLLECTION_TREE, env)
    except RuntimeError as ex:
        if "exited with 5" in str(ex):
            raise Skip("pytest collected no tests") from ex
        raise


def reliability_tests() -> None:
    """Faults, secret canaries, bad input, check mode and TLS through real ansible runs (docs/reliability.md)."""
    if not has_files("tests/reliability/test_*.py"):
        raise Skip("no tests in tests/reliability")
    venv = os.path.join(VENVS, f"reliability-py{DEV_PYTHON}")
    python = ensure_venv(venv, find_python(DEV_PYTHON), [
        os.path.join(REQUIREMENTS, "ansible-2.21.txt"),
        os.path.join(REPO, "tests", "reliability", "requirements.txt"),
    ])
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", RELIABILITY_COLLECTION_TREE=COLLECTION_TREE)
    env.pop("PYTHONPATH", None)
    run([python, "-m", "pytest", "tests/reliability", "-p", "no:cacheprovider", "-q", "-rf"], COLLECTION_TREE, env)


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


def main(argv: list[str]) -> int:
    options = parse_args(argv)
    runner = Runner(options)
    started = time.monotonic()
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
    return runner.summary()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
