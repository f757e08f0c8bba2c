# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parsing and validation of OpenSSH public keys (one ``authorized_keys`` line).

Standard library only (and the collection's errors module).  Used by the modules
that register SSH keys at Openport and ngrok (to validate input and compare keys)
and by the audit role (weak keys).

The key data is checked the way OpenSSH reads it: strict base64, the type name
inside the data equal to the outer one, every field of the key present and well
formed, and nothing left over.  Error messages never repeat the whole key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from collections import namedtuple

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError

__all__ = ("SshKeyError", "PublicKey", "KEY_TYPES", "parse_public_key", "same_key", "key_weakness",
           "parse_key_option", "key_line", "record_identity", "record_fingerprint")


class SshKeyError(ValueError):
    """The text is not a usable OpenSSH public key; ``str()`` says what is wrong."""


# key type -> (algorithm family, label used in messages, ECDSA curve or None)
KEY_TYPES = {
    "ssh-ed25519": ("ed25519", "Ed25519", None),
    "ecdsa-sha2-nistp256": ("ecdsa", "ECDSA", "nistp256"),
    "ecdsa-sha2-nistp384": ("ecdsa", "ECDSA", "nistp384"),
    "ecdsa-sha2-nistp521": ("ecdsa", "ECDSA", "nistp521"),
    "ssh-rsa": ("rsa", "RSA", None),
    "ssh-dss": ("dsa", "DSA", None),
    "sk-ecdsa-sha2-nistp256@openssh.com": ("sk-ecdsa", "ECDSA-SK", "nistp256"),
    "sk-ssh-ed25519@openssh.com": ("sk-ed25519", "Ed25519-SK", None),
}

# curve -> (bits, bytes per coordinate, p, b) of y^2 = x^3 - 3x + b (mod p)
_CURVES = {
    "nistp256": (256, 32, 2 ** 256 - 2 ** 224 + 2 ** 192 + 2 ** 96 - 1,
                 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b),
    "nistp384": (384, 48, 2 ** 384 - 2 ** 128 - 2 ** 96 + 2 ** 32 - 1,
                 int("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f50138"
                     "75ac656398d8a2ed19d2a85c8edd3ec2aef", 16)),
    "nistp521": (521, 66, 2 ** 521 - 1,
                 int("51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef1"
                     "09e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00", 16)),
}

_CERT_SUFFIX = "-cert-v01@openssh.com"
_WS = re.compile(r"\s+")
_NOT_B64 = re.compile(r"[^A-Za-z0-9+/]")
_MAX_MPINT = 16384 // 8 + 1  # as OpenSSH: 16384 bits, plus a leading zero byte


def _short(text, limit=40):
    """Quote a piece of user text for a message, cut to a short prefix."""
    return "'%s'" % (text if len(text) <= limit else text[:limit] + "...")


class PublicKey(namedtuple("PublicKey", "type blob comment options bits fingerprint")):
    """A parsed public key.  Two keys are the same key when their ``identity`` is equal."""

    __slots__ = ()

    @property
    def identity(self):
        """``'type blob'``: what keys are compared by (comment and options ignored)."""
        return self.type + " " + self.blob

    @property
    def blob_b64(self):
        return self.blob

    @property
    def algorithm_family(self):
        """One of 'rsa', 'dsa', 'ecdsa', 'ed25519', 'sk-ecdsa', 'sk-ed25519'."""
        return KEY_TYPES[self.type][0]

    def openssh(self, with_comment=False):
        """The key as an OpenSSH line: ``'type blob'``, or ``'type blob comment'``."""
        if with_comment and self.comment:
            return self.identity + " " + self.comment
        return self.identity

    def __repr__(self):
        return "PublicKey(type=%r, bits=%r, fingerprint=%r, comment=%r)" % (
            self.type, self.bits, self.fingerprint, self.comment)


class _Reader(object):
    """Reads the SSH wire encoding (RFC 4251 section 5) of a key blob."""

    def __init__(self, data, label):
        self.data = data
        self.pos = 0
        self.label = label

    def string(self):
        if len(self.data) - self.pos < 4:
            raise SshKeyError("the %s key data is truncated" % self.label)
        (size,) = struct.unpack_from(">I", self.data, self.pos)
        start = self.pos + 4
        if size > len(self.data) - start:
            raise SshKeyError("the %s key data is truncated" % self.label)
        self.pos = start + size
        return self.data[start:self.pos]

    def mpint(self, what):
        raw = self.string()
        if len(raw) > _MAX_MPINT:
            raise SshKeyError("the %s %s is too large (more than 16384 bits)" % (self.label, what))
        if raw and raw[0] & 0x80:
            raise SshKeyError("the %s %s is negative" % (self.label, what))
        value = int.from_bytes(raw, "big")
        if not value:
            raise SshKeyError("the %s %s is zero" % (self.label, what))
        return value


def _first_field(text):
    """Split off the first field, honouring "quoted strings" (authorized_keys options).

    Returns ``(field, rest, unterminated_quote)``.
    """
    quoted = False
    i = 0
    while i < len(text):
        char = text[i]
        if quoted and char == "\\" and i + 1 < len(text):
            i += 2
            continue
        if char == '"':
            quoted = not quoted
        elif not quoted and char.isspace():
            break
        i += 1
    return text[:i], text[i:].lstrip(), quoted


def _recognised(field):
    return field in KEY_TYPES or field.endswith(_CERT_SUFFIX)


def _looks_like_data(field):
    # Every blob starts with the 4-byte length of a short type name: 00 00 00 xx.
    return field.startswith("AAAA") and len(field) >= 16


def _split_line(text):
    """Return ``(options, type, data, comment)`` of one authorized_keys line."""
    parts = _WS.split(text, 2)
    options = None
    if not _recognised(parts[0]):
        first, rest, unterminated = _first_field(text)
        after = _WS.split(rest, 2) if rest else []
        if unterminated:
            raise SshKeyError("the key options have an unterminated quoted string")
        if after and _recognised(after[0]):
            options, parts = first, after
        elif _looks_like_data(parts[0]):
            raise SshKeyError("the key type is missing before the key data")
        elif len(parts) > 1 and _looks_like_data(parts[1]):
            raise SshKeyError("unknown key type %s; expected one of %s" % (_short(parts[0]), ", ".join(KEY_TYPES)))
        elif len(after) > 1 and _looks_like_data(after[1]):
            raise SshKeyError("unknown key type %s; expected one of %s" % (_short(after[0]), ", ".join(KEY_TYPES)))
        else:
            raise SshKeyError("no OpenSSH public key found; expected '[options] <type> <base64 key data> [comment]'")
    key_type = parts[0]
    if key_type.endswith(_CERT_SUFFIX):
        raise SshKeyError("certificate keys (%s) are not supported; give the plain public key (the .pub file, "
                          "not the -cert.pub file)" % _short(key_type))
    if len(parts) < 2:
        raise SshKeyError("the key data is missing after the key type '%s'" % key_type)
    comment = parts[2].strip() if len(parts) > 2 else ""
    return options, key_type, parts[1], comment or None


def _decode(data):
    """Strict base64 decoding; missing padding is tolerated.  Returns (bytes, canonical text)."""
    body = data.rstrip("=")
    bad = _NOT_B64.search(body)
    if bad:
        raise SshKeyError("the key data is not valid base64 (unexpected character %r at position %d)"
                          % (bad.group(), bad.start()))
    padded = body + "=" * (-len(body) % 4)
    if len(body) % 4 == 1 or (data != body and data != padded):
        raise SshKeyError("the key data is not valid base64 (wrong length or padding)")
    raw = base64.b64decode(padded)
    canonical = base64.b64encode(raw).decode("ascii")
    if canonical != padded:
        raise SshKeyError("the key data is not valid base64 (non-zero bits in the last character)")
    return raw, canonical


def _check_point(point, curve, label):
    bits, size, prime, coeff_b = _CURVES[curve]
    if not point or point[0] != 4:
        raise SshKeyError("the %s public point is not in uncompressed form (04 x y)" % label)
    if len(point) != 1 + 2 * size:
        raise SshKeyError("the %s public point is %d bytes; a %s point must be %d bytes"
                          % (label, len(point), curve, 1 + 2 * size))
    x = int.from_bytes(point[1:1 + size], "big")
    y = int.from_bytes(point[1 + size:], "big")
    if x >= prime or y >= prime or (y * y - (x * x * x - 3 * x + coeff_b)) % prime:
        raise SshKeyError("the %s public point is not on the %s curve" % (label, curve))
    return bits


def _parse_blob(key_type, raw):
    """Check the structure of the key data; return the key size in bits."""
    family, label, curve = KEY_TYPES[key_type]
    reader = _Reader(raw, label)
    inner = reader.string()
    if inner != key_type.encode("ascii"):
        raise SshKeyError("the key type '%s' does not match the type inside the key data (%s)"
                          % (key_type, _short(inner.decode("ascii", "replace"))))
    if family == "rsa":
        reader.mpint("public exponent")
        bits = reader.mpint("modulus").bit_length()
    elif family == "dsa":
        bits = reader.mpint("p").bit_length()
        for name in ("q", "g", "y"):
            reader.mpint(name)
    elif family in ("ecdsa", "sk-ecdsa"):
        name = reader.string()
        if name != curve.encode("ascii"):
            raise SshKeyError("the ECDSA curve %s inside the key data does not match the key type '%s'"
                              % (_short(name.decode("ascii", "replace")), key_type))
        bits = _check_point(reader.string(), curve, label)
    else:
        size = len(reader.string())
        if size != 32:
            raise SshKeyError("the %s public key is %d bytes; it must be exactly 32" % (label, size))
        bits = 256
    if family.startswith("sk-"):
        reader.string()  # the FIDO application, usually "ssh:"
    left = len(raw) - reader.pos
    if left:
        raise SshKeyError("the %s key data has %d unexpected trailing byte%s"
                          % (label, left, "" if left == 1 else "s"))
    return bits


def parse_public_key(text):
    """Parse one OpenSSH public key line (``[options] type base64 [comment]``).

    Returns a `PublicKey`; raises `SshKeyError` saying what is wrong.  A
    `PublicKey` given instead of text is returned as it is.
    """
    if isinstance(text, PublicKey):
        return text
    if text is None:
        raise SshKeyError("the key is empty")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise SshKeyError("the key is not valid UTF-8 text")
    if not isinstance(text, str):
        raise SshKeyError("the key must be a string, not %s" % type(text).__name__)
    text = text.strip()
    if not text:
        raise SshKeyError("the key is empty")
    if "-----BEGIN" in text:
        if "PRIVATE KEY" in text:
            raise SshKeyError("this is a private key, not a public key; give the contents of the .pub file "
                              "(and never share the private key)")
        raise SshKeyError("this is a PEM block, not an OpenSSH public key line")
    if text.startswith("---- BEGIN SSH2 PUBLIC KEY"):
        raise SshKeyError("this is an RFC 4716 (SSH2) public key; convert it with 'ssh-keygen -i -f FILE' first")
    if "\n" in text or "\r" in text:
        raise SshKeyError("the text has more than one line; give exactly one public key")
    if text.startswith("#"):
        raise SshKeyError("the line is a comment, not a key")
    options, key_type, data, comment = _split_line(text)
    raw, blob = _decode(data)
    bits = _parse_blob(key_type, raw)
    digest = base64.b64encode(hashlib.sha256(raw).digest()).decode("ascii").rstrip("=")
    return PublicKey(key_type, blob, comment, options, bits, "SHA256:" + digest)


def same_key(a, b):
    """True when the two keys (text or `PublicKey`) are the same key, whatever their comments and options."""
    return parse_public_key(a).identity == parse_public_key(b).identity


def key_weakness(pk, min_rsa_bits=2048):
    """None for an acceptable key, else a short reason why the key is weak."""
    pk = parse_public_key(pk)
    family = pk.algorithm_family
    if family == "dsa":
        return "DSA keys are deprecated and insecure"
    if family == "rsa" and pk.bits < min_rsa_bits:
        return "RSA key of %d bits is below the minimum of %d" % (pk.bits, min_rsa_bits)
    return None


# -- keys in module options and in provider records (Openport keys, ngrok SSH credentials) --

def parse_key_option(option, value):
    """The `PublicKey` of an option's value, or a TunnelConfigError saying what is wrong with it."""
    try:
        return parse_public_key(value)
    except SshKeyError as exc:
        raise TunnelConfigError(option, "not a valid OpenSSH public key: %s" % exc)


def key_line(pk):
    """What is sent to the provider: 'type blob comment' (authorized_keys options dropped)."""
    return pk.openssh(with_comment=True)


def record_identity(record):
    """The identity of a key the API listed; a key we cannot parse is compared by its text."""
    text = record.get("public_key") or ""
    try:
        return parse_public_key(text).identity
    except SshKeyError:
        return " ".join(text.split()[:2])


def record_fingerprint(record):
    """The SHA256 fingerprint of a listed key; of its raw data when the key does not parse."""
    text = record.get("public_key") or ""
    try:
        return parse_public_key(text).fingerprint
    except SshKeyError:
        fields = text.split()
        try:
            raw = base64.b64decode(fields[1], validate=True)
        except (IndexError, ValueError, binascii.Error):
            return None
        return "SHA256:" + base64.b64encode(hashlib.sha256(raw).digest()).decode("ascii").rstrip("=")
