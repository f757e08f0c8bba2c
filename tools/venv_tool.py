"""Create the developer venv `.venv` (or a matrix venv) if missing or out of date.

Usage: python tools/venv_tool.py            -> .venv
       python tools/venv_tool.py 2.16 2.21  -> build/venvs/ansible-<series>-py<python>
"""

from __future__ import annotations

import os
import sys

from common import DEV_PYTHON, REPO, REQUIREMENTS, ensure_matrix_venv, ensure_venv, find_python

DEV_VENV = os.path.join(REPO, ".venv")


def ensure_dev_venv() -> str:
    """Python 3.12 + newest ansible-core + requests/jmespath + test tools. Returns the venv path."""
    ensure_venv(DEV_VENV, find_python(DEV_PYTHON), [
        os.path.join(REQUIREMENTS, "ansible-2.21.txt"),
        os.path.join(REQUIREMENTS, "dev.txt"),
        os.path.join(REPO, "tests", "unit", "requirements.txt"),
        os.path.join(REPO, "tests", "emulator", "tests", "requirements.txt"),
    ])
    return DEV_VENV


if __name__ == "__main__":
    if len(sys.argv) > 1:
        for series in sys.argv[1:]:
            print(os.path.dirname(os.path.dirname(ensure_matrix_venv(series))))
    else:
        print(ensure_dev_venv())
