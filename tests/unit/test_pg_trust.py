"""The app trusts its own PostgreSQL's certificate: PGSSLROOTCERT, and an SSL_CERT_FILE bundle that keeps the CAs
its other TLS connections verify with. (A real verifying client: tests/integration/test_serve_database.py.)"""

from __future__ import annotations

from shipyard.run import pg_trust

OURS = "-----BEGIN CERTIFICATE-----\nOURS\n-----END CERTIFICATE-----\n"
SYSTEM = "-----BEGIN CERTIFICATE-----\nSYSTEM\n-----END CERTIFICATE-----\n"


def test_the_app_trusts_the_servers_certificate_beside_the_cas_it_trusted(tmp_path):
    cert, system = tmp_path / "server.crt", tmp_path / "system.pem"
    cert.write_text(OURS)
    system.write_text(SYSTEM)
    folder = tmp_path / "app"
    folder.mkdir()
    env = pg_trust.trust_env(cert, folder, {"SSL_CERT_FILE": str(system)})
    assert (folder / "server-root.crt").read_text() == OURS and env["PGSSLROOTCERT"] == str(folder / "server-root.crt")
    bundle = (folder / "ca-bundle.crt").read_text()
    assert env["SSL_CERT_FILE"] == str(folder / "ca-bundle.crt") and SYSTEM in bundle and OURS in bundle
    # a root certificate the user names is theirs
    assert "PGSSLROOTCERT" not in pg_trust.trust_env(cert, folder, {"PGSSLROOTCERT": "/theirs.crt"})
    # no certificate to read: nothing set
    assert pg_trust.trust_env(tmp_path / "missing.crt", folder, {}) == {}
