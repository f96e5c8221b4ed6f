"""leaks.py: what `verify`'s "no secrets" check calls a secret, and what it lets pass (the real-image cases
are in tests/faults/test_verify_secrets.py)."""

from __future__ import annotations

import pytest

from shipyard import leaks


@pytest.mark.parametrize("name, value, found", [
    ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI", "secret-looking name"),
    ("DJANGO_SECRET_KEY", "s3cr3t-value", "secret-looking name"),
    ("DATABASE_URL", "postgresql://app:hunter2@db:5432/app", "a password in a URL"),
    ("SOME_SETTING", "ghp_" + "a" * 36, "a GitHub token"),
    ("X", "AKIAIOSFODNN7EXAMPLE", "an AWS access key id"),
    ("SECRET_KEY", "", None),                      # empty: a placeholder to fill at run time
    ("API_TOKEN", "changeme", None),
    ("SECRET_KEY_FILE", "/run/secrets/key", None),  # where the secret is, not the secret
    ("GPG_KEY", "A035C8C19219BA821ECEA86B64E628F8D684696D", None),   # the python image's public key id
    ("PYTHONDONTWRITEBYTECODE", "1", None),
    ("DATABASE_URL", "postgresql://app@db/app", None),
])
def test_env(name, value, found):
    result = leaks.env_findings({name: value})
    if found is None:
        assert result == []
    else:
        assert len(result) == 1 and found in result[0] and value not in result[0], result


def test_history_build_arguments_and_env():
    steps = [
        "RUN |2 NPM_TOKEN=npm_abcdefghijabcdefghijabcdefghij12 BASE=img /bin/sh -c npm ci # buildkit",
        "ENV API_KEY=abc123",
        "ARG BASE=localhost/bookworm-py:latest",
        # Shipyard's own Dockerfile runs collectstatic with a placeholder key on the command line
        "RUN /bin/sh -c SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput # buildkit",
    ]
    assert leaks.history_findings(steps) == ["build argument NPM_TOKEN holds an npm token",
                                             "history ENV API_KEY (a secret-looking name with a value)"]


def test_paths():
    paths = ["app/.env", "app/.env.production", "app/.env.example", "root/.aws/credentials",
             "home/u/.ssh/id_ed25519", "home/u/.ssh/id_ed25519.pub", "etc/ssl/certs/ca.pem",
             "app/.npmrc", "home/app/.docker/config.json",
             "opt/venv/lib/python3.12/site-packages/pkg/tests/.env"]
    assert leaks.path_findings(paths) == [
        ".env file (/app/.env)", ".env file (/app/.env.production)", "AWS credentials (/root/.aws/credentials)",
        "an SSH private key (/home/u/.ssh/id_ed25519)", ".npmrc (/app/.npmrc)",
        "a Docker client config (/home/app/.docker/config.json)"]


def test_contents_private_key_but_not_a_certificate():
    files = {"app/deploy.pem": b"-----BEGIN PRIVATE KEY-----\nMC4CAQAw\n-----END PRIVATE KEY-----\n",
             "app/id": b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n",
             "etc/ssl/certs/ca.pem": b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}
    assert leaks.content_findings(files) == ["a private key (/app/deploy.pem)", "a private key (/app/id)"]
    assert leaks.wants_content("etc/ssl/certs/ca.pem", 2000)
    assert not leaks.wants_content("usr/lib/x86_64-linux-gnu/libc.so.6", 2000)
    assert not leaks.wants_content("app/big.pem", leaks.MAX_READ + 1)


def test_a_marker_quoted_in_code_is_not_a_key_and_packages_files_are_not_read():
    code = {"app/sshkeys.py": b'_SK_START = b"-----BEGIN OPENSSH PRIVATE KEY-----"\n_SK_END = b"-----END OPENSSH"\n',
            "app/escaped.json": b'{"key": "-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY-----"}\n',
            "app/settings.py": b'KEY = """\n    -----BEGIN RSA PRIVATE KEY-----\n    Proc-Type: 4,ENCRYPTED\n'
                               b'    DEK-Info: AES-128-CBC,3F1\n\n    MIIEowIBAAKCAQEA\n    -----END RSA PRIVATE KEY-----\n"""\n'}
    assert leaks.content_findings(code) == ["a private key (/app/settings.py)"]
    assert not leaks.wants_content("opt/venv/lib/python3.12/site-packages/autobahn/wamp/cryptosign.py", 2000)
    assert leaks.wants_content("app/deploy/key.txt", 2000)
