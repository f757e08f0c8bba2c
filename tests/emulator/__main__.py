"""python -m tests.emulator: run the emulator in the foreground until SIGTERM/SIGINT.

The first stdout line is the contract's banner (docs/dev/contracts.md); with
--ready-file the same URLs, the pid and the CA path are written as JSON once the
server accepts connections.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading

from .core import DEFAULT_CREDS
from .machines import DEFAULT_RETRY, PROVIDERS, generate_specs
from .seed import SEEDS, parse_scale
from .server import Emulator


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m tests.emulator", description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--seed", default="default", choices=SEEDS)
    p.add_argument("--scale", default="", help="kind=N,... e.g. openport_keys=10000,ngrok_sessions=500")
    p.add_argument("--latency-ms", type=float, default=0)
    p.add_argument("--jitter-ms", type=float, default=0)
    p.add_argument("--https", action="store_true", help="serve HTTPS with a generated CA (see ca_cert)")
    p.add_argument("--cert-dir", default=None, help="where --https writes its CA and certificate")
    p.add_argument("--ngrok-rate-limit", type=int, default=120)
    p.add_argument("--ngrok-rate-window", type=float, default=60)
    p.add_argument("--openport-token", default=DEFAULT_CREDS["openport_token"])
    p.add_argument("--ngrok-api-key", default=DEFAULT_CREDS["ngrok_api_key"])
    p.add_argument("--pinggy-api-key", default=DEFAULT_CREDS["pinggy_api_key"])
    p.add_argument("--ready-file", default=None)
    p.add_argument("--verbose", action="store_true", help="log each provider request to stderr (secrets masked)")
    p.add_argument("--machines", default=None, metavar="FILE.json|N",
                   help="start simulated machines: a JSON list of specs, or N generated ones (see --machine-port)")
    p.add_argument("--machine-port", type=int, default=None, help="the local port N generated machines forward to")
    p.add_argument("--machine-providers", default=",".join(PROVIDERS),
                   help="providers of the N generated machines, in turn (default: %(default)s)")
    p.add_argument("--machine-retry", type=float, default=DEFAULT_RETRY,
                   help="seconds between an agent's attempts while its key is not registered")
    return p.parse_args(argv)


def machine_specs(args):
    """The specs --machines asks for (a file's list, or N generated), or None."""
    value = args.machines
    if value is None:
        return None
    if value.isdigit():
        providers = tuple(p.strip() for p in args.machine_providers.split(",") if p.strip())
        if args.machine_port is None or not providers or set(providers) - set(PROVIDERS):
            raise ValueError(f"--machines {value} needs --machine-port and providers among {list(PROVIDERS)}")
        return generate_specs(int(value), args.machine_port, providers, args.machine_retry)
    with open(value, encoding="utf-8") as fh:
        data = json.load(fh)
    specs = data.get("machines") if isinstance(data, dict) else data
    if isinstance(specs, list):
        for spec in specs:
            if isinstance(spec, dict):
                spec.setdefault("retry_interval", args.machine_retry)
    return specs


def main(argv=None):
    args = parse_args(argv)
    try:
        scale = parse_scale(args.scale)
        machines = machine_specs(args)
        emu = Emulator(host=args.host, port=args.port, seed=args.seed, scale=scale, latency_ms=args.latency_ms,
                       jitter_ms=args.jitter_ms, https=args.https, cert_dir=args.cert_dir,
                       ngrok_rate_limit=args.ngrok_rate_limit, ngrok_rate_window=args.ngrok_rate_window,
                       openport_token=args.openport_token, ngrok_api_key=args.ngrok_api_key,
                       pinggy_api_key=args.pinggy_api_key, verbose=args.verbose, machines=machines)
    except (ValueError, OSError) as exc:
        print(f"tunnelops-emulator: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        emu.start()
    except ValueError as exc:               # a machine could not start (e.g. its key's name is taken)
        emu.stop()
        print(f"tunnelops-emulator: {exc}", file=sys.stderr)
        return 2
    print(emu.banner, flush=True)
    if args.ready_file:
        info = dict(emu.urls, pid=os.getpid(), ca_cert=emu.ca_cert)
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(info, fh)
        os.replace(tmp, args.ready_file)      # readers never see a half-written file
    while not stop.wait(0.5):
        pass
    emu.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
