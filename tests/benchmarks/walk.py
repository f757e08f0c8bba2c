"""The collection's own walk, without Ansible: ``collect_sessions`` over every provider, in one process.

    PYTHONPATH=<collections root> python walk.py

Shows what the pagination strategy costs next to the naive walk (naive.py), apart from what
ansible-inventory then spends on each host.  Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys

# pylint: disable=import-error
from ansible_collections.tunnelops.tunnels.plugins.module_utils import connection
from ansible_collections.tunnelops.tunnels.plugins.module_utils._sessions.collect import collect_sessions


def main():
    params = {}
    for provider in connection.PROVIDERS:
        option, names = connection.CREDENTIAL_OPTIONS[provider]
        params[option] = os.environ.get(names[0])
        url_option, url_names = connection.URL_OPTIONS[provider]
        params[url_option] = os.environ.get(url_names[0])
    clients = dict((p, connection.client_from_params(p, params)) for p in connection.PROVIDERS)
    sessions, errors = collect_sessions(clients)
    print(json.dumps({"entries": len(sessions), "errors": len(errors)}))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
