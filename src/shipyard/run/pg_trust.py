"""The app trusts its own PostgreSQL's certificate, as an app written for hosted PostgreSQL (Neon, Supabase, RDS)
trusts its provider's: a client that verifies the server (asyncpg's `connect_args={"ssl": True}`, which checks
the certificate and the host name against the system's CAs; libpq's sslmode=verify-full) then reaches serve's
server, whose certificate is self-signed (run/postgres.py names 127.0.0.1 and localhost in it).

  * PGSSLROOTCERT: the root certificate libpq (and asyncpg, for a string sslmode) verifies the server against.
  * SSL_CERT_FILE: the CA file OpenSSL's default verify paths read (Python's ssl.create_default_context()), set to
    a bundle of the system's CAs (or the file SSL_CERT_FILE already names) and the server's certificate, so the
    app's other TLS connections still verify as before. Left unset when no system CA file is found.

Both are copied into the app's own folder under Shipyard's data folder, which the app's account can read (the
data folder is the server account's).
"""

from __future__ import annotations

import os
import ssl
from pathlib import Path
from typing import Mapping

# where distributions keep the system's CA bundle, after what this Python's OpenSSL was built to read
_SYSTEM_BUNDLES = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem",
                   "/etc/ssl/ca-bundle.pem")


def system_bundle(environ: Mapping[str, str]) -> Path | None:
    """The CA file the app's TLS connections verify with today: SSL_CERT_FILE, else the system's."""
    paths = ssl.get_default_verify_paths()
    for candidate in (environ.get("SSL_CERT_FILE"), paths.cafile, paths.openssl_cafile, *_SYSTEM_BUNDLES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def trust_env(certificate: Path, folder: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """PGSSLROOTCERT and SSL_CERT_FILE (rule above), written into `folder`; {} when the certificate cannot be read.
    A PGSSLROOTCERT the user set is left alone."""
    try:
        pem = certificate.read_text()
    except OSError:
        return {}
    out: dict[str, str] = {}
    if not environ.get("PGSSLROOTCERT"):
        root = folder / "server-root.crt"
        root.write_text(pem)
        out["PGSSLROOTCERT"] = str(root)
    bundle = system_bundle(environ)
    if bundle is not None:
        try:
            system = bundle.read_text()
        except OSError:
            return out
        made = folder / "ca-bundle.crt"
        made.write_text(system.rstrip("\n") + "\n" + pem)
        os.chmod(made, 0o644)
        out["SSL_CERT_FILE"] = str(made)
    return out
