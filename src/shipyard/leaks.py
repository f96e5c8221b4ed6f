"""What in an image gives a secret away: the checks a reviewer runs, as pure functions over what the engine
reports (the image config's environment, its build history, the paths and small files of its file system).

Each function returns findings ("ENV AWS_SECRET_ACCESS_KEY (a secret-looking name)"); `verify` turns them
into one check and says exactly what was looked at. Values are never printed, only where they are.
"""

from __future__ import annotations

import re
import shlex
from typing import Iterable, Mapping

# A variable or build argument whose name says it holds a secret.
SECRET_NAME = re.compile(r"(?i)(secret|passw(or)?d|passwd|pwd$|token|api_?key|private_?key|access_?key|"
                         r"credential|auth|session_?key|signing_?key|encryption_?key|client_?secret|dsn$)")
# Names that match the above but hold no secret.
HARMLESS_NAME = re.compile(r"(?i)^(\w*_)?(file|path|dir|url|host|port|user(name)?|enabled?|type|method|"
                           r"mode|backend|header|timeout|length|id)$|_(FILE|PATH|DIR|URL|HOST|PORT|USER|"
                           r"USERNAME|ENABLED|TYPE|METHOD|MODE|BACKEND|HEADER|TIMEOUT|LENGTH)$")
# Values that are secrets whatever their name (well-known token formats).
SECRET_VALUE = (
    ("an AWS access key id", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{30,}")),
    ("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),
    ("a Stripe live key", re.compile(r"\b[sr]k_live_[A-Za-z0-9]{16,}")),
    ("an npm token", re.compile(r"\bnpm_[A-Za-z0-9]{30,}")),
    ("a PyPI token", re.compile(r"\bpypi-[A-Za-z0-9_-]{40,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY")),
    ("a password in a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@")),
)
# Values that are placeholders, not secrets.
PLACEHOLDER = re.compile(r"(?i)^(|changeme|change-me|example|dummy|none|null|false|true|0|1|x+|\*+|"
                         r"\$\{?\w+\}?|<[^>]*>|your[-_ ].*)$")

# Files that hold credentials by their very name (matched against the path without a leading /).
CREDENTIAL_FILES = (
    (".env file", re.compile(r"(^|/)\.env(\.(?!example$|sample$|template$|dist$)[\w.-]+)?$")),
    (".npmrc", re.compile(r"(^|/)\.npmrc$")),
    (".pypirc", re.compile(r"(^|/)\.pypirc$")),
    (".netrc", re.compile(r"(^|/)\.netrc$")),
    ("git credentials", re.compile(r"(^|/)\.git-credentials$")),
    ("AWS credentials", re.compile(r"(^|/)\.aws/(credentials|config)$")),
    ("gcloud credentials", re.compile(r"(^|/)\.config/gcloud/(credentials\.db|access_tokens\.db|"
                                      r"application_default_credentials\.json|legacy_credentials/.+)$")),
    ("a Docker client config", re.compile(r"(^|/)\.docker/config\.json$")),
    ("a kubeconfig", re.compile(r"(^|/)\.kube/config$")),
    ("an SSH private key", re.compile(r"(^|/)id_(rsa|dsa|ecdsa|ed25519)(_sk)?$")),
    ("a key file", re.compile(r"\.(pem|key|p12|pfx|jks|keystore)$")),
)
# Key files are named, not condemned: a .pem is often a public certificate (the system's CA bundle), so
# such files are read and only a PRIVATE KEY block counts: the marker beginning a line, then the key's first
# line (after PEM headers such as Proc-Type), not a marker quoted in code (cryptography's ssh.py, rsa, ecdsa).
# Test fixtures of installed packages are not the app's secrets; nor are their documentation's sample keys
# (autobahn's docstrings, a README in METADATA): installed packages' files are not read.
READ_ONLY_NAMES = {"a key file"}
PRIVATE_KEY = re.compile(rb"(?m)^[ \t]*-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----\r?\n"
                         rb"(?:[ \t]*[A-Za-z-]+:.*\r?\n)*(?:[ \t]*\r?\n)?[ \t]*[A-Za-z0-9+/=]{4,}\r?$")
PACKAGE_TESTS = re.compile(r"/site-packages/.+/tests?/|^usr/share/doc/")
PACKAGE_FILES = re.compile(r"/(site|dist)-packages/")
MAX_READ = 1_000_000   # bytes: files larger than this are not read (keys are small)
NOT_TEXT = re.compile(r"\.(so(\.\d+)*|pyc|whl|zip|gz|xz|bz2|zst|png|jpe?g|gif|ico|woff2?|ttf|mo|db|sqlite3?)$")


def env_findings(env: Mapping[str, str], where: str = "ENV") -> list[str]:
    found = []
    for name, value in env.items():
        if (kind := _secret_value(value)):
            found.append(f"{where} {name} holds {kind}")
        elif _secret_name(name) and not PLACEHOLDER.match(value.strip()):
            found.append(f"{where} {name} (a secret-looking name with a value)")
    return found


def history_findings(created_by: Iterable[str]) -> list[str]:
    """Build arguments and ENV values recorded in the image's history (`docker history --no-trunc`): a
    RUN that used build arguments records them as `|N NAME=value ... /bin/sh -c ...`."""
    found = []
    for step in created_by:
        text = step.strip()
        m = re.match(r"^(?:RUN )?\|(\d+) (.*)$", text, re.S)
        if m:
            try:
                words = shlex.split(m.group(2))[:int(m.group(1))]
            except ValueError:
                words = m.group(2).split()[:int(m.group(1))]
            args = dict(w.split("=", 1) for w in words if "=" in w)
            found += env_findings(args, "build argument")
            continue
        m = re.match(r"^(?:/bin/sh -c #\(nop\) )?\s*(ENV|ARG|LABEL) (.*)$", text, re.S)
        if m and m.group(1) != "LABEL":
            pairs = re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', m.group(2))
            found += env_findings({k: v.strip('"') for k, v in pairs},
                                  "history " + m.group(1))
        elif (kind := _secret_value(text)):
            found.append(f"a build step's command line holds {kind}")
    return sorted(set(found))


def path_findings(paths: Iterable[str]) -> list[str]:
    """Files that are credentials by name (key files only when `wants_content` later finds a key)."""
    found = []
    for path in paths:
        for label, pattern in CREDENTIAL_FILES:
            if label not in READ_ONLY_NAMES and pattern.search(path) and not PACKAGE_TESTS.search("/" + path):
                found.append(f"{label} (/{path})")
                break
    return found


def wants_content(path: str, size: int) -> bool:
    """Which files to read for a private-key block: small, not binary, not a package's test fixture."""
    return (size <= MAX_READ and not NOT_TEXT.search(path) and not PACKAGE_TESTS.search("/" + path)
            and not PACKAGE_FILES.search("/" + path))


def content_findings(files: Mapping[str, bytes]) -> list[str]:
    return [f"a private key (/{path})" for path, data in sorted(files.items()) if PRIVATE_KEY.search(data)]


def _secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name)) and not HARMLESS_NAME.search(name)


def _secret_value(value: str) -> str | None:
    return next((label for label, pattern in SECRET_VALUE if pattern.search(value)), None)
