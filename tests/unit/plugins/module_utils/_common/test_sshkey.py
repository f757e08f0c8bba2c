# -*- coding: utf-8 -*-
# Copyright (c) 2026 tunnelops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of plugins/module_utils/sshkey.py.

The fixtures are real public keys made with ``ssh-keygen`` (OpenSSH 9.2); the
expected fingerprints are what ``ssh-keygen -lf`` printed for them.  The two
security-key (sk-*) fixtures were assembled from the Ed25519 / ECDSA-256 points
below with application "ssh:" and fingerprinted by ``ssh-keygen -lf`` too.
"""

from __future__ import annotations

import base64
import struct

import pytest

from ansible_collections.tunnelops.tunnels.plugins.module_utils._http.errors import TunnelConfigError
from ansible_collections.tunnelops.tunnels.plugins.module_utils._common.sshkey import (
    KEY_TYPES,
    PublicKey,
    SshKeyError,
    key_line,
    key_weakness,
    parse_key_option,
    parse_public_key,
    record_fingerprint,
    record_identity,
    same_key,
)

RSA_1024 = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCio7/DPXFO8V8nCcuhEdOAlTjKaC3EyMP3ld3J70uKuyYd/hehZtBXTKWziOrx"
    "55E5GjL1vXoxOraoGC4oGc2q524r9cdKhKTQW2tqo7tM4lYuZrf13PzgDv3JDz0kxlliKOVAe0vdJo58pRZJauC5eX/5L3lpsZyZ"
    "Rfv/BauwAQ== rsa1024@test"
)
RSA_2048 = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCxERxAoOmuhsS4+rS68ZaiHJZxvH9DnRFWkahncG7wiqAqvlKh0Y83SRM8lxLx"
    "I3urpi1fb3Wd0R3URl8kScjaI2hIYsp6Pu5I0UbkDverplGMDK6OhO+4rbEDt2J/jceZyfPdO3d4Lq8BZ1e7yS/EhtD3Pg2IpKfT"
    "j9WKhyBfx93zXqp0NwkQC6lUOTcgqVAxfIB94MQRGFYNXU++dwzmWmcQq1MsqQCfrNSAf2X8U5YQzPaR1YpJQUHRLVORkEtvUPLV"
    "EukL4Yg+/wlgO1u/U4B+qXUTjnYLEJWW3fTznegTl3WhfcE+8krPgJWtOUTEZav83HnfbhleJyVCZpfX rsa2048@test"
)
RSA_4096 = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAACAQC7Z59UYR5uOF3ZDYB4fbtKQDSkM5Di2g9ZLbLN054XV7vLgWm3E3xhvTN1JFVT"
    "gmxck7c0cOFDiS7pFjw5GqAqfyO4f7MSyCFOeyQ3w2+te8a9kmYUXjXii7sEdErdeQAXYrhvK+/q/bXJMBWvXYl0gi6cYgCF2tUa"
    "r0TiCS0ReFSAl3THCqknz9mYBZSolGfmcYAVvxiw1RNtcbPI9eWF3RKfzaYKlWPOl95eKMRcJuJ0S2vf/CTlAezgXHvbNVzPQzx3"
    "25QVW9FA8HwV4HEd6CbfLSZmBzEN6JIZchI5kEODFHASY6rLftpnTt4DMz5z6TLOcDBpEWX0HCEG0toSSNK7GbwkRSQi7TJHzeYB"
    "YbQC4AqQjsTdvpWt4zTVcAKqwKYZtIcnYJ3OgaNY5XmBBgYPBcr3/4FHZrvJ4cdxAPgXBWAVInFEWTzMCKVQ5agVOFYAQ29RDayY"
    "C+GRWduU7JHpgSVX1MpZDuQQpFtLoyV8kAl84DPnGy1VMQSSk9WHQgbuXPrnoG4c6gKU5eFycr1SEdwOeH2D3F5wMLtRZI04jCSX"
    "lvwzFl+3uWdvsPhB40S1GqMgCeJjXca6VcPRVYfvRblb5q9NTx3ukwG0cq9uwxbIdgyZCjBiFWajP/SOgBjzMBMel0jVH+cSyCMg"
    "9+i9hehJxZpdVDqBT6C99Q== alice@laptop"
)
DSA_1024 = (
    "ssh-dss AAAAB3NzaC1kc3MAAACBAM6rP+tZc2U4uZAqPjnwW4l2RmPk8c8C0SlWLztIMNZ4eejCgyfu221G9UtT+2qHOymzIUaB"
    "FGT/jU1IBJzWKXk0wGE+sAgBMkiUCiW7k7RVEr6Ow9tBhUd701P8ci4XUY08mR3cMYSTtoD/npTm3nfPPPNb9xOfz/XjuV6qQ7T3"
    "AAAAFQDo6sr/M1loCrC508mg3GlkNdWSjQAAAIApmLqMOxIoTBwHMdus99DTLzALawSJWToZlBvkn0jJiIwQf0+Mbh7Q+EozFzpx"
    "GMUHFEY0iI/PjdDNTZffqMR3PwUGx6z2co3041mF5yS9tQOzqpiyrHPUk2tu6muVEISpFv8fyZ6BIrqYKcVBs1gfnb5OM4jtRI9N"
    "FoE80A+V4QAAAIBihuKRnxUeCL8aYVN2WrfmARBYHjhhIh/VDpnjpkr5U3+wkt5D4CzJCqsDpRJFYQtamL79nSHX1GipsonKcPfk"
    "S6xUagTh2uXZtwn88WFWLPg0PpA76ZrBq3suiaXa35OO76i0LRDyxcdIvZDVKx69hSH4id3fMelnxNrcOibLkA== dsa@test"
)
ECDSA_256 = (
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFPnSlAC+Ab/EO5LVBI5CW7tARII"
    "I/SwIGytndg8rib7+hqzUzNfau8dK0YIHGjlBBRUlWEf28lrOfpZTGi6Y1s= ecdsa256@test"
)
ECDSA_384 = (
    "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBOeYmdbHVe5S56WD6wOnEnF2s7TM"
    "KesSxJ8O8swoeVfNkOyLR8BgPf7LqPJ9M0ndLzyKMNmZGaqg9W7vGUGw4gRnSN25OnGSt9VuCgpw8U7/FeB7SWBv66iskSGxagoL"
    "bg== ecdsa384@test"
)
ECDSA_521 = (
    "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBACuSiEZa1OywNN+zehcNmp59de/"
    "xXinOHa2OxMUQvLXhPwIdzZ+5rHYYf/PWf8E5qvfC0iPUV+XQBcfuSQivmJlugC6ZOI3YZMNr6oynt1AyaJQe57uio86abMZclHO"
    "XfAl4uGLsqZ/RvMgtMlFnMr9sywRRyjWIwqb1Wl7/oq3Tdt9Nw== ecdsa521@test"
)
ED25519 = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPx6K6o9LykBu0AWI6sj1N1OGLmQlKfGMoi0IZhRDEi1 bob@workstation"
)
SK_ECDSA = (
    "sk-ecdsa-sha2-nistp256@openssh.com AAAAInNrLWVjZHNhLXNoYTItbmlzdHAyNTZAb3BlbnNzaC5jb20AAAAIbmlzdHAyN"
    "TYAAABBBFPnSlAC+Ab/EO5LVBI5CW7tARIII/SwIGytndg8rib7+hqzUzNfau8dK0YIHGjlBBRUlWEf28lrOfpZTGi6Y1sAAAAEc"
    "3NoOg== yubi-ec@test"
)
SK_ED25519 = (
    "sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIPx6K6o9LykBu0AWI6sj1N1OGLmQl"
    "KfGMoi0IZhRDEi1AAAABHNzaDo= yubi@test"
)

# ssh-keygen -lf output for each fixture: (line, type, family, bits, fingerprint, comment)
FIXTURES = [
    (RSA_1024, "ssh-rsa", "rsa", 1024, "SHA256:WYKWVy2diEo89qi35DIwwWQAGPg1DNwPoVuHO4m0Gyg", "rsa1024@test"),
    (RSA_2048, "ssh-rsa", "rsa", 2048, "SHA256:c3O8D2SCOupSSEOIVkzX24Q6qJUJR+xadMENAiWa9h4", "rsa2048@test"),
    (RSA_4096, "ssh-rsa", "rsa", 4096, "SHA256:vW5DsRNTjs46DXyLza0osdbZ4jMsvC8JZa5XRQovwIA", "alice@laptop"),
    (DSA_1024, "ssh-dss", "dsa", 1024, "SHA256:WZdzPJSKM2of5alF+Prm0QDHFo7rLKS1RmNmd8HKG4M", "dsa@test"),
    (ECDSA_256, "ecdsa-sha2-nistp256", "ecdsa", 256, "SHA256:H+0/qqYbhVhnFVhUqKZ7j1SvzYnMSkArJQ0v6UdMJ7Y", "ecdsa256@test"),
    (ECDSA_384, "ecdsa-sha2-nistp384", "ecdsa", 384, "SHA256:g/mT2XEx8KGYt2yl/zLcIwdZ7X+0jU18d//Gg4oSYTY", "ecdsa384@test"),
    (ECDSA_521, "ecdsa-sha2-nistp521", "ecdsa", 521, "SHA256:3FXCzVZm0eFD4CEbFCNR6wFUMIm75UFvpBWH03T4uw0", "ecdsa521@test"),
    (ED25519, "ssh-ed25519", "ed25519", 256, "SHA256:QsDwsMMlTuQI+oCSLj9slydSk9zgZNe+2/gs38g9YLk", "bob@workstation"),
    (SK_ECDSA, "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa", 256,
     "SHA256:VJcg9iTtFkG7fa95l2XsXg7HzVVQHNc8xl3CDVpqq14", "yubi-ec@test"),
    (SK_ED25519, "sk-ssh-ed25519@openssh.com", "sk-ed25519", 256,
     "SHA256:2EwMoG736FokIiHrhfxOA8DYnhRSR+vO/dzXtaxTn+c", "yubi@test"),
]

ED25519_BLOB = ED25519.split()[1]
ED25519_IDENTITY = "ssh-ed25519 " + ED25519_BLOB
ED25519_FP = "SHA256:QsDwsMMlTuQI+oCSLj9slydSk9zgZNe+2/gs38g9YLk"

ALL_TYPES = ("ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, ssh-rsa, ssh-dss, "
             "sk-ecdsa-sha2-nistp256@openssh.com, sk-ssh-ed25519@openssh.com")


def _string(data):
    if isinstance(data, str):
        data = data.encode("ascii")
    return struct.pack(">I", len(data)) + data


def _mpint(value):
    return _string(value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _fields(line):
    """The SSH strings inside a fixture's key data."""
    raw, out = base64.b64decode(line.split()[1]), []
    while raw:
        (size,) = struct.unpack(">I", raw[:4])
        out.append(raw[4:4 + size])
        raw = raw[4 + size:]
    return out


def _line(key_type, blob, comment=None):
    text = key_type + " " + base64.b64encode(blob).decode("ascii")
    return text + " " + comment if comment else text


def _error(text):
    with pytest.raises(SshKeyError) as info:
        parse_public_key(text)
    return str(info.value)


# --- valid keys -------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, key_type, family, bits, fingerprint, comment", FIXTURES)
def test_parses_every_type(line, key_type, family, bits, fingerprint, comment):
    pk = parse_public_key(line)
    assert isinstance(pk, PublicKey)
    assert pk.type == key_type
    assert pk.algorithm_family == family
    assert pk.bits == bits
    assert pk.fingerprint == fingerprint
    assert pk.comment == comment
    assert pk.options is None
    assert pk.blob == line.split()[1]
    assert pk.blob_b64 == pk.blob
    assert pk.identity == key_type + " " + line.split()[1]
    assert pk.openssh() == pk.identity
    assert pk.openssh(with_comment=True) == line


def test_fixtures_cover_every_supported_type():
    assert set(f[1] for f in FIXTURES) == set(KEY_TYPES)


def test_openssh_without_comment():
    pk = parse_public_key(ED25519_IDENTITY)
    assert pk.comment is None
    assert pk.openssh(with_comment=True) == ED25519_IDENTITY


def test_public_key_is_immutable_and_repr_is_short():
    pk = parse_public_key(ED25519)
    with pytest.raises(AttributeError):
        pk.comment = "other"
    assert repr(pk) == ("PublicKey(type='ssh-ed25519', bits=256, fingerprint='%s', comment='bob@workstation')"
                        % ED25519_FP)


def test_public_key_object_passes_through():
    pk = parse_public_key(ED25519)
    assert parse_public_key(pk) is pk


def test_hand_built_dsa_2048_and_small_rsa():
    dsa = _string("ssh-dss") + _mpint((1 << 2047) | 1) + _mpint((1 << 255) | 1) + _mpint(2) + _mpint(3)
    pk = parse_public_key(_line("ssh-dss", dsa))
    assert (pk.algorithm_family, pk.bits) == ("dsa", 2048)
    rsa = _string("ssh-rsa") + _mpint(65537) + _mpint((1 << 511) | 1)
    pk = parse_public_key(_line("ssh-rsa", rsa))
    assert (pk.algorithm_family, pk.bits) == ("rsa", 512)
    assert key_weakness(pk) == "RSA key of 512 bits is below the minimum of 2048"


# --- options, comments, whitespace ------------------------------------------------------------------

@pytest.mark.parametrize("options", [
    "restrict",
    'no-pty,command="echo hi"',
    'command="echo \\"quoted ssh-rsa AAAA words\\" x",no-agent-forwarding',
    'from="10.0.0.0/8,192.168.1.*",environment="A=b c"',
])
def test_options_are_skipped(options):
    pk = parse_public_key(options + " " + ED25519)
    assert pk.options == options
    assert pk.type == "ssh-ed25519"
    assert pk.blob == ED25519_BLOB
    assert pk.comment == "bob@workstation"
    assert pk.fingerprint == ED25519_FP


def test_options_unterminated_quote():
    assert _error('command="echo hi ' + ED25519) == "the key options have an unterminated quoted string"


def test_identity_ignores_comment_and_options():
    plain = parse_public_key(ED25519)
    other = parse_public_key('restrict,command="uptime"  ' + ED25519_IDENTITY + "   another comment")
    assert other.comment == "another comment"
    assert other.identity == plain.identity == ED25519_IDENTITY
    assert other != plain  # the records differ; only the identity is equal
    assert same_key(ED25519, 'no-pty ' + ED25519_IDENTITY + " x") is True
    assert same_key(plain, ED25519_IDENTITY) is True


def test_same_key_false_for_different_keys():
    assert same_key(RSA_2048, RSA_4096) is False
    # Same 32-byte point, but a security-key type: a different key.
    assert same_key(ED25519, SK_ED25519) is False


def test_same_key_raises_on_invalid_key():
    with pytest.raises(SshKeyError, match="^the key is empty$"):
        same_key(ED25519, "")


@pytest.mark.parametrize("text", [
    "  " + ED25519 + "  \n",
    ED25519 + "\r\n",
    "\tssh-ed25519\t" + ED25519_BLOB + "\tbob@workstation\t",
    "ssh-ed25519    " + ED25519_BLOB + "     bob@workstation   ",
    "ssh-ed25519\u00a0" + ED25519_BLOB + " bob@workstation",
    ED25519.encode("ascii"),
])
def test_whitespace_variations(text):
    pk = parse_public_key(text)
    assert (pk.identity, pk.comment, pk.fingerprint) == (ED25519_IDENTITY, "bob@workstation", ED25519_FP)


def test_comment_keeps_inner_spaces_and_none_when_absent():
    assert parse_public_key(ED25519_IDENTITY + "  my key  (laptop) ").comment == "my key  (laptop)"
    assert parse_public_key(ED25519_IDENTITY + "   ").comment is None


def test_missing_padding_is_normalised():
    blob = ECDSA_256.split()[1]
    assert blob.endswith("=")
    pk = parse_public_key("ecdsa-sha2-nistp256 " + blob.rstrip("="))
    assert pk.blob == blob
    assert pk.fingerprint == "SHA256:H+0/qqYbhVhnFVhUqKZ7j1SvzYnMSkArJQ0v6UdMJ7Y"


# --- invalid key data -------------------------------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    (ED25519_BLOB[:10] + "!" + ED25519_BLOB[10:], "(unexpected character '!' at position 10)"),
    (ED25519_BLOB[:20] + "=" + ED25519_BLOB[20:], "(unexpected character '=' at position 20)"),
    (ED25519_BLOB[:30] + "_" + ED25519_BLOB[31:], "(unexpected character '_' at position 30)"),
    (ED25519_BLOB + "A", "(wrong length or padding)"),
    (ECDSA_256.split()[1] + "=", "(wrong length or padding)"),
    (ECDSA_256.split()[1][:-2] + "t=", "(non-zero bits in the last character)"),
])
def test_bad_base64(data, message):
    assert _error("ssh-ed25519 " + data) == "the key data is not valid base64 " + message


@pytest.mark.parametrize("line, message", [
    ("ssh-rsa " + ED25519_BLOB,
     "the key type 'ssh-rsa' does not match the type inside the key data ('ssh-ed25519')"),
    ("ecdsa-sha2-nistp384 " + ECDSA_256.split()[1],
     "the key type 'ecdsa-sha2-nistp384' does not match the type inside the key data ('ecdsa-sha2-nistp256')"),
    (_line("ssh-ed25519", _string(b"\xff" * 50) + _string(b"\x00" * 32)),
     "the key type 'ssh-ed25519' does not match the type inside the key data ('" + "\ufffd" * 40 + "...')"),
])
def test_mismatched_type(line, message):
    assert _error(line) == message


_RSA = _fields(RSA_2048)
_DSA = _fields(DSA_1024)
_EC384 = _fields(ECDSA_384)
_ED = _fields(ED25519)
_SKEC = _fields(SK_ECDSA)
_P256 = _fields(ECDSA_256)[2]


@pytest.mark.parametrize("key_type, blob, message", [
    ("ssh-rsa", base64.b64decode(RSA_2048.split()[1])[:-10], "the RSA key data is truncated"),
    ("ssh-rsa", _string(_RSA[0]) + _string(_RSA[1]), "the RSA key data is truncated"),
    ("ssh-dss", b"".join(_string(f) for f in _DSA[:4]), "the DSA key data is truncated"),
    ("ecdsa-sha2-nistp384", base64.b64decode(ECDSA_384.split()[1])[:-1], "the ECDSA key data is truncated"),
    ("ecdsa-sha2-nistp384", _string(_EC384[0]) + _string(_EC384[1]), "the ECDSA key data is truncated"),
    ("ssh-ed25519", base64.b64decode(ED25519_BLOB)[:-1], "the Ed25519 key data is truncated"),
    ("ssh-ed25519", b"\x00\x01", "the Ed25519 key data is truncated"),
    ("sk-ssh-ed25519@openssh.com", _string("sk-ssh-ed25519@openssh.com") + _string(_ED[1]),
     "the Ed25519-SK key data is truncated"),
    ("ssh-ed25519", base64.b64decode(ED25519_BLOB) + b"\x00", "the Ed25519 key data has 1 unexpected trailing byte"),
    ("ssh-rsa", base64.b64decode(RSA_1024.split()[1]) + _string("extra"),
     "the RSA key data has 9 unexpected trailing bytes"),
    ("sk-ecdsa-sha2-nistp256@openssh.com", base64.b64decode(SK_ECDSA.split()[1]) + b"\x00\x00",
     "the ECDSA-SK key data has 2 unexpected trailing bytes"),
    ("ssh-ed25519", _string("ssh-ed25519") + _string(b"\x01" * 31),
     "the Ed25519 public key is 31 bytes; it must be exactly 32"),
    ("ecdsa-sha2-nistp256", _string("ecdsa-sha2-nistp256") + _string("nistp384") + _string(_P256),
     "the ECDSA curve 'nistp384' inside the key data does not match the key type 'ecdsa-sha2-nistp256'"),
    ("ecdsa-sha2-nistp256", _string("ecdsa-sha2-nistp256") + _string("nistp256") + _string(_EC384[2]),
     "the ECDSA public point is 97 bytes; a nistp256 point must be 65 bytes"),
    ("ecdsa-sha2-nistp256", _string("ecdsa-sha2-nistp256") + _string("nistp256") + _string(b"\x02" + _P256[1:33]),
     "the ECDSA public point is not in uncompressed form (04 x y)"),
    ("ssh-rsa", _string("ssh-rsa") + _mpint(65537) + _string(b"\x80" + b"\x00" * 127), "the RSA modulus is negative"),
    ("ssh-rsa", _string("ssh-rsa") + _string(b"") + _mpint(12345), "the RSA public exponent is zero"),
    ("ssh-rsa", _string("ssh-rsa") + _mpint(65537) + _string(b"\x01" + b"\x00" * 2049),
     "the RSA modulus is too large (more than 16384 bits)"),
    ("ssh-dss", _string("ssh-dss") + _string(_DSA[1]) + _string(b"\x00") + _string(_DSA[3]) + _string(_DSA[4]),
     "the DSA q is zero"),
])
def test_bad_structure(key_type, blob, message):
    assert _error(_line(key_type, blob, "c")) == message


@pytest.mark.parametrize("line, curve", [
    (ECDSA_256, "nistp256"), (ECDSA_384, "nistp384"), (ECDSA_521, "nistp521"), (SK_ECDSA, "nistp256"),
])
def test_ecdsa_point_not_on_curve(line, curve):
    fields = _fields(line)
    fields[2] = fields[2][:-1] + bytes([fields[2][-1] ^ 1])
    label = "ECDSA-SK" if line == SK_ECDSA else "ECDSA"
    assert _error(_line(line.split()[0], b"".join(_string(f) for f in fields))) == (
        "the %s public point is not on the %s curve" % (label, curve))


# --- invalid text -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("ssh-foo " + ED25519_BLOB + " c", "unknown key type 'ssh-foo'; expected one of " + ALL_TYPES),
    ("no-pty ssh-foo " + ED25519_BLOB, "unknown key type 'ssh-foo'; expected one of " + ALL_TYPES),
    ("SSH-ED25519 " + ED25519_BLOB, "unknown key type 'SSH-ED25519'; expected one of " + ALL_TYPES),
    ("x" * 100 + " " + ED25519_BLOB, "unknown key type '" + "x" * 40 + "...'; expected one of " + ALL_TYPES),
    ("ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29tAAAAIEptJhZ5y2k",
     "certificate keys ('ssh-ed25519-cert-v01@openssh.com') are not supported; give the plain public key "
     "(the .pub file, not the -cert.pub file)"),
    ("cert-authority ssh-rsa-cert-v01@openssh.com AAAAHHNzaC1yc2EtY2VydC12MDFAb3BlbnNzaC5jb20",
     "certificate keys ('ssh-rsa-cert-v01@openssh.com') are not supported; give the plain public key "
     "(the .pub file, not the -cert.pub file)"),
    (ED25519_BLOB + " bob@workstation", "the key type is missing before the key data"),
    ("ssh-ed25519", "the key data is missing after the key type 'ssh-ed25519'"),
    ("restrict ssh-ed25519  ", "the key data is missing after the key type 'ssh-ed25519'"),
    ("hello world", "no OpenSSH public key found; expected '[options] <type> <base64 key data> [comment]'"),
    ("# bob's laptop", "the line is a comment, not a key"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n"
     "-----END OPENSSH PRIVATE KEY-----\n",
     "this is a private key, not a public key; give the contents of the .pub file (and never share the private key)"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
     "this is a private key, not a public key; give the contents of the .pub file (and never share the private key)"),
    ("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----",
     "this is a PEM block, not an OpenSSH public key line"),
    ('---- BEGIN SSH2 PUBLIC KEY ----\nComment: "bob"\n' + ED25519_BLOB + "\n---- END SSH2 PUBLIC KEY ----",
     "this is an RFC 4716 (SSH2) public key; convert it with 'ssh-keygen -i -f FILE' first"),
    (ED25519 + "\n" + RSA_2048, "the text has more than one line; give exactly one public key"),
    (ED25519 + "\r" + RSA_2048, "the text has more than one line; give exactly one public key"),
    ("", "the key is empty"),
    ("  \n\t  \r\n", "the key is empty"),
    (None, "the key is empty"),
    (b"", "the key is empty"),
    (b"\xff\xfe", "the key is not valid UTF-8 text"),
    (42, "the key must be a string, not int"),
])
def test_invalid_text(text, message):
    assert _error(text) == message


_RSA_4096_BLOB = RSA_4096.split()[1]


@pytest.mark.parametrize("line", [
    "ssh-ed25519 " + _RSA_4096_BLOB,
    "ssh-foo " + _RSA_4096_BLOB,
    "ssh-rsa " + _RSA_4096_BLOB[:-30] + "!" + _RSA_4096_BLOB[-29:],
    "ssh-rsa " + _RSA_4096_BLOB[:-30],
    _RSA_4096_BLOB,
])
def test_messages_never_repeat_the_key(line):
    message = _error(line)
    assert len(message) < 300
    assert _RSA_4096_BLOB[:60] not in message


def test_error_is_a_value_error():
    assert issubclass(SshKeyError, ValueError)
    with pytest.raises(ValueError):
        parse_public_key("ssh-ed25519 !!!!")


# --- weakness ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, minimum, reason", [
    (RSA_1024, 2048, "RSA key of 1024 bits is below the minimum of 2048"),
    (RSA_2048, 2048, None),
    (RSA_4096, 2048, None),
    (RSA_2048, 3072, "RSA key of 2048 bits is below the minimum of 3072"),
    (RSA_1024, 1024, None),
    (DSA_1024, 2048, "DSA keys are deprecated and insecure"),
    (ECDSA_256, 2048, None),
    (ECDSA_521, 2048, None),
    (ED25519, 2048, None),
    (SK_ECDSA, 2048, None),
    (SK_ED25519, 2048, None),
])
def test_key_weakness(line, minimum, reason):
    assert key_weakness(parse_public_key(line), min_rsa_bits=minimum) == reason
    assert key_weakness(line, minimum) == reason


def test_key_weakness_default_minimum_and_invalid_key():
    assert key_weakness(RSA_1024) == "RSA key of 1024 bits is below the minimum of 2048"
    with pytest.raises(SshKeyError, match="^the key is empty$"):
        key_weakness("   ")


# -- keys in module options and in provider records -------------------------------

def test_parse_key_option_names_the_option_and_the_reason():
    assert parse_key_option("public_key", ED25519).identity == ED25519_IDENTITY
    with pytest.raises(TunnelConfigError) as info:
        parse_key_option("keys[3].public_key", "ssh-ed25519 not-base64!")
    assert str(info.value).startswith("keys[3].public_key: not a valid OpenSSH public key: ")
    assert info.value.option == "keys[3].public_key"


def test_key_line_keeps_the_comment_and_drops_options():
    pk = parse_public_key('no-pty,command="/bin/true" ' + ED25519)
    assert key_line(pk) == ED25519


def test_record_identity_and_fingerprint_of_a_listed_key():
    record = {"public_key": ED25519.replace("bob@workstation", "someone else")}
    assert record_identity(record) == ED25519_IDENTITY
    assert record_fingerprint(record) == ED25519_FP


def test_record_of_a_key_that_does_not_parse():
    # the type inside the data is ed25519, the outer name says rsa: not a valid key,
    # yet it is still compared by its text and fingerprinted from its raw data
    record = {"public_key": "ssh-rsa %s mismatch" % ED25519_BLOB}
    assert record_identity(record) == "ssh-rsa " + ED25519_BLOB
    assert record_fingerprint(record) == ED25519_FP
    assert record_fingerprint({"public_key": "ssh-rsa ###"}) is None
    assert record_fingerprint({}) is None
    assert record_identity({"public_key": None}) == ""
