"""Print N fresh ssh-ed25519 public keys as a JSON list (random 32-byte keys, valid in form)."""
import base64
import json
import os
import struct
import sys


def _string(data):
    return struct.pack(">I", len(data)) + data


count = int(sys.argv[1])
keys = ["ssh-ed25519 %s new-%03d@example.com" % (
    base64.b64encode(_string(b"ssh-ed25519") + _string(os.urandom(32))).decode("ascii"), i) for i in range(count)]
print(json.dumps(keys))
