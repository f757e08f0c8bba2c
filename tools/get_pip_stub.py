"""Let ansible-test bootstrap pip in its --venv environments without the internet.

ansible-test (ansible_test/_util/target/setup/requirements.py, bootstrap()) downloads
get-pip-<pip version>.py from its CI file server unless the cache file
~/.ansible/test/cache/get_pip_<pip_version with _>.py already exists. It runs that
file as __main__ with pip install arguments (e.g. `pip==25.2 --no-setuptools`).
We place a stand-in there: ensurepip, then pip install from the package index.
"""

from __future__ import annotations

import glob
import os
import re
import sys

from common import log

MARKER = "tunnelops stand-in for get-pip.py"
CACHE_DIR = os.path.expanduser("~/.ansible/test/cache")

STUB = '''"""%s (written by tools/get_pip_stub.py)."""
import subprocess
import sys

# Options of get-pip.py itself, which pip install does not know.
GET_PIP_ONLY = ("--no-setuptools", "--no-wheel", "--no-pip")


def main():
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
    subprocess.check_call([sys.executable, "-m", "ensurepip"], stdout=sys.stderr)
    sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + args))


if __name__ == "__main__":
    main()
''' % MARKER

PIP_PIN = re.compile(r"""\bpip\s*=\s*['"]([0-9][0-9.]*)['"]""")


def pip_versions(venv: str) -> set[str]:
    """The pip versions this venv's ansible-test bootstraps (read from its source)."""
    pattern = os.path.join(venv, "lib", "python*", "site-packages", "ansible_test",
                           "_internal", "python_requirements.py")
    versions: set[str] = set()
    for path in glob.glob(pattern):
        with open(path, encoding="utf-8") as handle:
            versions.update(PIP_PIN.findall(handle.read()))
    return versions


def cache_path(pip_version: str) -> str:
    return os.path.join(CACHE_DIR, "get_pip_%s.py" % pip_version.replace(".", "_"))


def install_stubs(venv: str) -> list[str]:
    versions = pip_versions(venv)
    if not versions:
        raise RuntimeError(f"no pip version found in ansible-test of {venv}")
    os.makedirs(CACHE_DIR, exist_ok=True)
    paths = []
    for version in sorted(versions):
        path = cache_path(version)
        paths.append(path)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                if MARKER not in handle.read():
                    continue  # a real get-pip.py: leave it alone
        # two test lanes may write it at once: write aside, then rename (atomic)
        partial = "%s.%d.tmp" % (path, os.getpid())
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(STUB)
        os.replace(partial, path)
    log("==> get-pip stand-ins: " + " ".join(paths))
    return paths


if __name__ == "__main__":
    for venv_dir in sys.argv[1:]:
        install_stubs(venv_dir)
