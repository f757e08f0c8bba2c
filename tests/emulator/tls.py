"""Certificates for --https: a throw-away CA and a server certificate it signs.

A separate CA (basicConstraints CA:TRUE) and leaf (SAN 127.0.0.1, ::1, localhost;
serverAuth) pass strict X.509 verification, which a lone self-signed leaf may not.
Uses `cryptography` when importable, else the `openssl` command.
"""

from __future__ import annotations

import datetime
import importlib.util
import ipaddress
import os
import subprocess
import tempfile

CA_FILE, CERT_FILE, KEY_FILE = "ca.pem", "server.pem", "server-key.pem"


def make_certs(cert_dir=None) -> dict:
    """Write the CA and server files into cert_dir (a new temp dir by default)."""
    cert_dir = cert_dir or tempfile.mkdtemp(prefix="tunnelops-emulator-tls-")
    os.makedirs(cert_dir, exist_ok=True)
    paths = {name: os.path.join(cert_dir, f) for name, f in
             (("ca_cert", CA_FILE), ("cert", CERT_FILE), ("key", KEY_FILE))}
    if importlib.util.find_spec("cryptography") is not None:
        _with_cryptography(paths)
    else:
        _with_openssl(cert_dir, paths)
    return paths


def _with_cryptography(paths):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tunnelops emulator test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    san = x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                       x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                       x509.IPAddress(ipaddress.ip_address("::1"))])
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(san, critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    with open(paths["ca_cert"], "wb") as fh:
        fh.write(ca.public_bytes(pem))
    with open(paths["cert"], "wb") as fh:
        fh.write(leaf.public_bytes(pem))
    with open(paths["key"], "wb") as fh:
        fh.write(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def _with_openssl(cert_dir, paths):
    ca_key = os.path.join(cert_dir, "ca-key.pem")
    csr = os.path.join(cert_dir, "server.csr")
    ext = os.path.join(cert_dir, "server.ext")
    with open(ext, "w") as fh:
        fh.write("basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n"
                 "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nauthorityKeyIdentifier=keyid\n")

    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", ca_key, "-out", paths["ca_cert"], "-days", "30", "-subj", "/CN=tunnelops emulator test CA",
        "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", paths["key"], "-out", csr, "-subj", "/CN=localhost")
    run("x509", "-req", "-in", csr, "-CA", paths["ca_cert"], "-CAkey", ca_key, "-CAcreateserial",
        "-out", paths["cert"], "-days", "30", "-extfile", ext)
