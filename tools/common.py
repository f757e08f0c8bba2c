"""Shared helpers of the test tooling: paths, the test matrix, interpreters, venvs."""

from __future__ import annotations

import fcntl
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.append(REPO)  # tests.support (what the test suites share) is imported from the repository root
BUILD = os.path.join(REPO, "build")
VENVS = os.path.join(BUILD, "venvs")
REQUIREMENTS = os.path.join(REPO, "tools", "requirements")
# A test lane of `make test` (tools/run_tests.py --jobs) gets a tree of its own, so lanes never share
# ansible-test's output directory or rebuild each other's copy.
COLLECTIONS_ROOT = os.environ.get("TUNNELOPS_COLLECTIONS_ROOT") or os.path.join(BUILD, "collections")
COLLECTION_TREE = os.path.join(COLLECTIONS_ROOT, "ansible_collections", "tunnelops", "tunnels")

# ansible-core series -> the Python that runs it. Oldest and newest supported.
MATRIX = {
    "2.16": "3.11",
    "2.21": "3.12",
}
DEV_PYTHON = "3.12"

STAMP = ".tunnelops-requirements.sha256"

# Noise from this machine's pip configuration (index directories that do not exist).
NOISE_PREFIXES = ("WARNING: Location 'file:///opt/",)
TIMED_PREFIXES = ("Running ", "Unit test ", "TASK [", "PLAY RECAP")


def log(message: str) -> None:
    """Progress message on stderr, so stdout stays for results."""
    print(message, file=sys.stderr, flush=True)


def run_echo(cmd: list[str], cwd: str | None = None, env: dict | None = None) -> tuple[int, str]:
    """Run cmd with stdout+stderr echoed to our stdout (minus known noise); return (rc, output)."""
    log("$ " + " ".join(cmd))
    started = time.monotonic()
    with subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, text=True, errors="replace") as process:
        lines = []
        for line in process.stdout:
            if line.startswith(NOISE_PREFIXES):
                continue
            lines.append(line)
            if line.startswith(TIMED_PREFIXES):
                # elapsed time before each ansible-test phase shows which one is slow
                line = f"[+{time.monotonic() - started:.0f}s] {line}"
            sys.stdout.write(line)
            sys.stdout.flush()
        rc = process.wait()
    return rc, "".join(lines)


def check_run(cmd: list[str], **kwargs) -> str:
    rc, output = run_echo(cmd, **kwargs)
    if rc != 0:
        raise RuntimeError(f"{os.path.basename(cmd[0])} {cmd[1] if len(cmd) > 1 else ''} exited with {rc}".strip())
    return output


def _runs(path: str) -> bool:
    try:
        subprocess.run([path, "-c", "pass"], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def _pyenv_roots() -> list[str]:
    roots = [os.environ.get("PYENV_ROOT", ""), os.path.expanduser("~/.pyenv")]
    if shutil.which("pyenv"):
        try:
            roots.append(subprocess.run(["pyenv", "root"], capture_output=True, text=True, timeout=30,
                                        check=False).stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    return [root for root in dict.fromkeys(roots) if root and os.path.isdir(root)]


def find_python(version: str) -> str:
    """Path of a working python<version>.

    pyenv shims fail for versions that are installed but not active, so the real
    binaries under the pyenv root come first, then whatever PATH offers.
    """
    candidates = []
    for root in _pyenv_roots():
        pattern = os.path.join(root, "versions", version + ".*", "bin", "python" + version)
        candidates += sorted(glob.glob(pattern), key=_version_key, reverse=True)
    on_path = shutil.which("python" + version)
    if on_path:
        candidates.append(on_path)
    for candidate in candidates:
        if _runs(candidate):
            return candidate
    raise RuntimeError(f"Python {version} not found (looked under the pyenv root and on PATH)")


def _version_key(path: str) -> tuple:
    release = path.split(os.sep + "versions" + os.sep, 1)[1].split(os.sep, 1)[0]
    return tuple(int(part) if part.isdigit() else 0 for part in release.split("."))


def python_path_env(pythons: list[str]) -> dict[str, str]:
    """Environment whose PATH finds the given interpreters' real bin dirs first."""
    env = dict(os.environ)
    dirs = []
    for python in pythons:
        directory = os.path.dirname(python)
        if directory not in dirs:
            dirs.append(directory)
    env["PATH"] = os.pathsep.join(dirs + [env.get("PATH", "")])
    return env


def requirements_digest(files: list[str], python: str) -> str:
    digest = hashlib.sha256(python.encode())
    for path in files:
        # the path inside the checkout, not where the checkout is: two work trees sharing build/venvs agree
        digest.update(os.path.relpath(path, REPO).encode())
        if os.path.exists(path):
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


def venv_python(venv: str) -> str:
    return os.path.join(venv, "bin", "python")


def ensure_venv(venv: str, python: str, requirement_files: list[str]) -> str:
    """Create venv with the requirements unless it exists with the same ones.

    Returns the venv's python. The venv is rebuilt from scratch when any
    requirement file or the interpreter changed.
    """
    files = [path for path in requirement_files if os.path.exists(path)]
    digest = requirements_digest(files, python)
    # One builder at a time: the test lanes of one checkout may ask at once. The lock lives in
    # build/locks (ignored by git, never copied into a build tree), whichever venv it guards.
    locks = os.path.join(BUILD, "locks")
    os.makedirs(locks, exist_ok=True)
    name = hashlib.sha256(os.path.realpath(venv).encode()).hexdigest()[:16]
    with open(os.path.join(locks, f"venv-{os.path.basename(venv.rstrip(os.sep))}-{name}.lock"), "w",
              encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _ensure_venv_locked(venv, python, files, digest)


def _ensure_venv_locked(venv: str, python: str, files: list[str], digest: str) -> str:
    stamp = os.path.join(venv, STAMP)
    if os.path.exists(stamp) and _runs(venv_python(venv)):
        with open(stamp, encoding="utf-8") as handle:
            if handle.read().strip() == digest:
                return venv_python(venv)
    log(f"==> creating venv {os.path.relpath(venv, REPO)} ({python})")
    shutil.rmtree(venv, ignore_errors=True)
    check_run([python, "-m", "venv", venv])
    pip = [venv_python(venv), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    check_run(pip + ["--upgrade", "pip"])
    args = []
    for path in files:
        args += ["-r", path]
    check_run(pip + args)
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(digest + "\n")
    return venv_python(venv)


def matrix_venv(series: str) -> str:
    return os.path.join(VENVS, f"ansible-{series}-py{MATRIX[series]}")


def ensure_matrix_venv(series: str) -> str:
    python = find_python(MATRIX[series])
    requirements = os.path.join(REQUIREMENTS, f"ansible-{series}.txt")
    return ensure_venv(matrix_venv(series), python, [requirements])
