"""Print N fixed ed25519 public keys as a JSON list of {name, public_key} (key_provision test input)."""
import base64
import hashlib
import json
import struct
import sys


def _string(data):
    return struct.pack(">I", len(data)) + data


def key(index):
    blob = _string(b"ssh-ed25519") + _string(hashlib.sha256(b"scale-%d" % index).digest())
    return "ssh-ed25519 " + base64.b64encode(blob).decode()


print(json.dumps([{"name": "scale-%04d" % i, "public_key": key(i)} for i in range(int(sys.argv[1]))]))
