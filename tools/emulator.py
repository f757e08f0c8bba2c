"""Start the API emulator in the background and stop it again (tests/emulator)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time

from common import log
from tests.support.connection import CREDENTIALS, environment as provider_environment

READY_TIMEOUT = 60


class EmulatorError(RuntimeError):
    pass


class Emulator:
    """Context manager: `with Emulator(python, root) as urls:` gives the ready-file JSON.

    ``python -m tests.emulator`` from ``root`` in a process of its own; its ready file and its log
    (emulator.log) go to ``workdir`` (default: a new temporary directory)."""

    def __init__(self, python: str, root: str, extra_args: list[str] | None = None, workdir: str | None = None):
        self.python = python
        self.root = root
        self.extra_args = extra_args or []
        self.process: subprocess.Popen | None = None
        self.workdir = workdir or tempfile.mkdtemp(prefix="tunnelops-emulator-")
        self.ready_file = os.path.join(self.workdir, "ready.json")
        self.log_path = os.path.join(self.workdir, "emulator.log")

    def start(self) -> dict:
        if not os.path.isdir(os.path.join(self.root, "tests", "emulator")):
            raise EmulatorError(f"no emulator package in {self.root}/tests/emulator")
        cmd = [self.python, "-m", "tests.emulator", "--host", "127.0.0.1", "--port", "0",
               "--ready-file", self.ready_file] + self.extra_args
        with open(self.log_path, "wb") as output:
            self.process = subprocess.Popen(cmd, cwd=self.root, stdout=output, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EmulatorError(f"emulator exited with {self.process.returncode}:\n{self.output()}")
            urls = self._read_ready()
            if urls:
                log("==> emulator " + " ".join(f"{k}={urls[k]}" for k in ("openport", "ngrok", "pinggy", "control")))
                return urls
            time.sleep(0.1)
        self.stop()
        raise EmulatorError(f"emulator not ready after {READY_TIMEOUT}s:\n{self.output()}")

    def _read_ready(self) -> dict | None:
        try:
            with open(self.ready_file, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None  # not there yet, or half written
        return data if all(k in data for k in ("openport", "ngrok", "pinggy", "control")) else None

    def output(self) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as handle:
                return handle.read()[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> dict:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def environment(urls: dict) -> dict[str, str]:
    """Environment variables that point the modules at the emulator, and name its control API."""
    return dict(provider_environment(urls), TUNNELOPS_EMULATOR_CONTROL_URL=urls["control"])


def integration_config(urls: dict) -> dict[str, str]:
    """Variables for tests/integration/integration_config.yml."""
    config = {
        "emulator_openport_url": urls["openport"],
        "emulator_ngrok_url": urls["ngrok"],
        "emulator_pinggy_url": urls["pinggy"],
        "emulator_control_url": urls["control"],
    }
    config.update(CREDENTIALS)
    return config
