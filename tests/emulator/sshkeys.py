"""OpenSSH public keys: build structurally valid ones, and check submitted ones.

No real cryptography: a blob only has to *look* right to a parser (the type string
inside the blob, RSA e and an n of the stated bit size, a 32-byte ed25519 key, an
ECDSA curve name and an uncompressed point of the right length).
"""

from __future__ import annotations

import base64
import binascii
import struct

ECDSA_POINT_LEN = {"nistp256": 65, "nistp384": 97, "nistp521": 133}
KNOWN_TYPES = {
    "ssh-rsa", "ssh-dss", "ssh-ed25519",
    "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
}


class SshKeyError(ValueError):
    """A submitted public key is not acceptable (the message says why)."""


def _string(b: bytes) -> bytes:
    return struct.pack(">I", len(b)) + b


def _mpint(n: int) -> bytes:
    raw = n.to_bytes((n.bit_length() + 7) // 8 or 1, "big")
    if raw[0] & 0x80:                 # keep it positive, as RFC 4251 mpint wants
        raw = b"\x00" + raw
    return _string(raw)


def rsa_blob(rng, bits=2048) -> bytes:
    n = rng.getrandbits(bits) | (1 << (bits - 1)) | 1   # exact bit size, odd
    return _string(b"ssh-rsa") + _mpint(65537) + _mpint(n)


def ed25519_blob(rng) -> bytes:
    return _string(b"ssh-ed25519") + _string(rng.randbytes(32))


# NIST P-256 (y^2 = x^3 - 3x + b mod p). p % 4 == 3, so a square root is one pow().
P256_P = 2**256 - 2**224 + 2**192 + 2**96 - 1
P256_B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B


def p256_point(rng) -> bytes:
    """An uncompressed point that really lies on the curve, so strict parsers load it too."""
    while True:
        x = rng.getrandbits(256) % P256_P
        rhs = (pow(x, 3, P256_P) - 3 * x + P256_B) % P256_P
        y = pow(rhs, (P256_P + 1) // 4, P256_P)
        if y * y % P256_P == rhs:
            return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")


def ecdsa_blob(rng) -> bytes:
    return _string(b"ecdsa-sha2-nistp256") + _string(b"nistp256") + _string(p256_point(rng))


def make_key(rng, kind="ed25519", bits=2048, comment="") -> str:
    """An authorized_keys line: '<type> <base64 blob> [comment]'."""
    if kind == "rsa":
        blob, name = rsa_blob(rng, bits), "ssh-rsa"
    elif kind == "ecdsa":
        blob, name = ecdsa_blob(rng), "ecdsa-sha2-nistp256"
    else:
        blob, name = ed25519_blob(rng), "ssh-ed25519"
    line = f"{name} {base64.b64encode(blob).decode()}"
    return f"{line} {comment}" if comment else line


def _read_string(blob: bytes, pos: int):
    if pos + 4 > len(blob):
        raise SshKeyError("truncated key blob")
    (size,) = struct.unpack_from(">I", blob, pos)
    end = pos + 4 + size
    if end > len(blob):
        raise SshKeyError("truncated key blob")
    return blob[pos + 4:end], end


def parse_key(text) -> tuple:
    """Check an authorized_keys line; return (type, base64 blob, comment).

    The (type, blob) pair is the key's identity: comments do not count when the
    providers decide whether a key is already registered.
    """
    if not isinstance(text, str) or not text.strip():
        raise SshKeyError("the key is empty")
    parts = text.strip().split(None, 2)
    if len(parts) < 2:
        raise SshKeyError("expected '<type> <base64> [comment]'")
    ktype, b64 = parts[0], parts[1]
    if ktype not in KNOWN_TYPES:
        raise SshKeyError(f"unknown key type {ktype!r}")
    try:
        blob = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise SshKeyError("the key data is not valid base64") from None
    inner, pos = _read_string(blob, 0)
    if inner.decode("latin-1") != ktype:
        raise SshKeyError("the key type does not match the key data")
    if ktype == "ssh-rsa":
        e, pos = _read_string(blob, pos)
        n, pos = _read_string(blob, pos)
        if not e or not n or int.from_bytes(n, "big").bit_length() < 512:
            raise SshKeyError("malformed RSA key")
    elif ktype == "ssh-ed25519":
        k, pos = _read_string(blob, pos)
        if len(k) != 32:
            raise SshKeyError("malformed ed25519 key")
    elif ktype.startswith("ecdsa-sha2-"):
        curve, pos = _read_string(blob, pos)
        point, pos = _read_string(blob, pos)
        want = ECDSA_POINT_LEN.get(curve.decode("latin-1"))
        if curve.decode("latin-1") != ktype[len("ecdsa-sha2-"):] or len(point) != want or point[:1] != b"\x04":
            raise SshKeyError("malformed ECDSA key")
    comment = parts[2] if len(parts) > 2 else ""
    return ktype, b64, comment


def identity(text):
    """(type, blob) of a key, or None when it does not parse."""
    try:
        ktype, b64, dummy = parse_key(text)
    except SshKeyError:
        return None
    return ktype, b64


def rsa_bits(text) -> int:
    """Bit size of an RSA key's modulus (used by tests of the seeds)."""
    blob = base64.b64decode(text.split()[1])
    dummy, pos = _read_string(blob, 0)
    dummy, pos = _read_string(blob, pos)
    n, dummy = _read_string(blob, pos)
    return int.from_bytes(n, "big").bit_length()
