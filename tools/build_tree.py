"""Lay the collection out under build/collections/ansible_collections/tunnelops/tunnels.

ansible-test needs the collection at that path. The copy is fresh each time and
holds the tracked plus untracked-but-not-ignored files of the work tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from common import COLLECTION_TREE, REPO, log

EXCLUDED_TOP = {"build", ".git", "tests/output"}
# ansible-test --venv keeps its controller venvs here; keeping them across fresh
# copies saves a pip bootstrap (tens of seconds) per Python on every run.
KEPT = os.path.join("tests", "output", ".tmp", "delegation")


def _excluded(relpath: str) -> bool:
    parts = relpath.split("/")
    if parts[0] in EXCLUDED_TOP or parts[0].startswith(".venv"):
        return True
    if "/".join(parts[:2]) in EXCLUDED_TOP:
        return True
    return "__pycache__" in parts or relpath.endswith((".pyc", ".pyo"))


def _git_files() -> list[str] | None:
    if not os.path.exists(os.path.join(REPO, ".git")):
        return None
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=REPO, check=True, capture_output=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [name for name in out.decode().split("\0") if name]


def _walk_files() -> list[str]:
    found = []
    for root, dirs, files in os.walk(REPO):
        rel_root = os.path.relpath(root, REPO)
        dirs[:] = [d for d in dirs if not _excluded(os.path.normpath(os.path.join(rel_root, d)))]
        for name in files:
            found.append(os.path.normpath(os.path.join(rel_root, name)))
    return found


def collection_files() -> list[str]:
    files = _git_files()
    if files is None:
        files = _walk_files()
    return sorted(f for f in set(files) if not _excluded(f) and os.path.isfile(os.path.join(REPO, f)))


def build_tree(destination: str = COLLECTION_TREE) -> str:
    kept = os.path.join(destination, KEPT)
    parked = destination.rstrip(os.sep) + ".kept"
    shutil.rmtree(parked, ignore_errors=True)
    if os.path.isdir(kept):
        os.rename(kept, parked)
    shutil.rmtree(destination, ignore_errors=True)
    files = collection_files()
    for relpath in files:
        target = os.path.join(destination, relpath)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(REPO, relpath), target)
    if os.path.isdir(parked):
        os.makedirs(os.path.dirname(kept), exist_ok=True)
        os.rename(parked, kept)
    # ansible-test lists content with git when it finds a .git walking up; without
    # its own, it would find the outer work tree, where build/ is ignored.
    subprocess.run(["git", "init", "-q", destination], check=True)
    log(f"==> collection laid out in {os.path.relpath(destination, REPO)} ({len(files)} files)")
    return destination


if __name__ == "__main__":
    print(build_tree(*sys.argv[1:2]))
