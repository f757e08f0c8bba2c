"""Emulator of the Openport, ngrok and Pinggy REST APIs, for tests, benchmarks and demos.

    from tests.emulator import start_emulator
    with start_emulator(port=0) as emu:
        emu.urls["ngrok"]  # http://127.0.0.1:PORT/ngrok

Command line: `python -m tests.emulator --help` (from the repository root).
The behaviour follows docs/dev/contracts.md and shared/providers/README.md.
"""

from .core import DEFAULT_CREDS
from .server import Emulator, start_emulator

__all__ = ["DEFAULT_CREDS", "Emulator", "start_emulator"]
