"""Rules about the app and its services: debug mode, secrets, databases, dependencies."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ...detect.deps import normalize, read_requirements
from ...detect.imports import import_map
from .. import reference
from ..model import Example, Rule
from ..readers.command import split_shell
from ..setup import Setup

_DATABASES = re.compile(r"^(docker\.io/)?(library/)?(postgres|postgis/postgis|mysql|mariadb|redis|valkey|mongo|"
                        r"memcached|bitnami/(postgresql|mysql|redis|mongodb))([:@].*)?$")
_SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|ACCESS_KEY)", re.I)
_URL_PASSWORD = re.compile(r"://[^:/@\s]+:([^@\s]+)@")
_DEBUG_ENV = {"DEBUG", "FLASK_DEBUG", "DJANGO_DEBUG", "APP_DEBUG"}
_TRUE = {"1", "true", "yes", "on", "y", "t"}


def database_published(s: Setup):
    for c in s.composes.values():
        for svc in c.services.values():
            if not _DATABASES.match(svc.image):
                continue
            for host, target, line in svc.ports():
                if host in ("", "0.0.0.0", "::", "*"):
                    yield (c.path, line, f"{svc.image.split(':')[0]} ({svc.name}) publishes port {target} on every "
                           "interface of the host", f"remove `ports` (the app reaches {svc.name}:{target} on the "
                           f"compose network), or publish on loopback: \"127.0.0.1:{target}:{target}\"")


DATABASE_PUBLISHED = Rule(
    "SY401", "database-published", "error",
    "a database service is published on all the host's interfaces",
    "Docker's published ports bypass the host firewall: the database is open to the internet, where "
    "scanners try default passwords within minutes.",
    database_published,
    Example({"compose.yaml": "services:\n  db:\n    image: postgres:17\n    ports:\n      - \"5432:5432\"\n"},
            {"compose.yaml": "services:\n  db:\n    image: postgres:17\n"}, at=("compose.yaml", 5)),
    files="compose")


def inline_password(s: Setup):
    for c in s.composes.values():
        for svc in c.services.values():
            for name, (value, line) in svc.environment().items():
                if value is None or not value.strip() or "${" in value or value.startswith("$"):
                    continue
                url = _URL_PASSWORD.search(value)
                if (_SECRET_NAME.search(name) and not name.endswith(("_FILE", "_PATH"))) or \
                        (url and "$" not in url.group(1)):
                    yield (c.path, line, f"{name} of {svc.name} is written in the compose file",
                           f"env_file: [{reference.secrets_file()}] kept out of git, or {name}: ${{{name}}} from "
                           "the environment")


INLINE_PASSWORD = Rule(
    "SY402", "inline-password", "error",
    "a password or secret is written in the compose file",
    "the compose file is committed, copied and shared: the secret ends up in git history, CI logs and every "
    "clone, and cannot be rotated without a commit.",
    inline_password,
    Example({"compose.yaml": "services:\n  app:\n    build: .\n    environment:\n      - DB_PASSWORD=thepassword\n"},
            {"compose.yaml": "services:\n  app:\n    build: .\n    env_file: [shipyard.env]\n"}, at=("compose.yaml", 5)),
    seeds=("002",), files="compose")


def _entry_modules(s: Setup) -> set[str]:
    if s.plan is None:
        return set()
    out = {s.module_file(s.plan.entry.module)}
    if s.plan.entry.settings_module:
        out.add(s.module_file(s.plan.entry.settings_module))
    return {m for m in out if m}


def debug_on(s: Setup):
    for p in s.processes:                     # the environment of production processes
        for name, value in p.env.items():
            if name in _DEBUG_ENV and value.strip().strip("\"'").lower() in _TRUE:
                yield (p.path, _env_line(s, p, name), f"{name}={value} in the production environment",
                       f"remove {name} (debug belongs in compose.dev.yaml / `shipyard dev`)")
            if name == "FLASK_ENV" and value.lower() == "development":
                yield (p.path, _env_line(s, p, name), "FLASK_ENV=development turns on the debugger", f"remove {name}")
        if p.cmd.program == "flask-run" and "debug" in p.cmd.flags:
            yield (p.path, p.line, "flask run --debug in production", "serve with a production server")
        if p.cmd.program == "python-script":
            rel = s.find_file(p.cmd.script)
            module = s.python_modules.get(rel) if rel else None
            for st in (module.starts if module else []):
                if st.debug:
                    yield (rel, st.line, f"{st.text}: the production command runs this file, so the debugger "
                           "is on", "serve with a production server; keep debug for `shipyard dev`")
    for rel in _entry_modules(s) | _settings_files(s):
        module = s.python_modules.get(rel)
        for switch in (module.debug if module else []):
            yield (rel, switch.line, f"`{switch.text}` in code the production server imports",
                   "read it from the environment, off by default: DEBUG = os.environ.get(\"DEBUG\") == \"1\"")
        for st in (module.starts if module else []):
            if st.debug and not st.guarded:
                yield (rel, st.line, f"{st.text} runs when the server imports this module", "remove the call, "
                       "or guard it with if __name__ == \"__main__\":")


def _settings_files(s: Setup) -> set[str]:
    if s.plan is None or not s.plan.entry.settings_module:
        return set()
    folder = str(PurePosixPath(s.module_file(s.plan.entry.settings_module) or "").parent)
    return {rel for rel in s.python_modules if rel.startswith(folder + "/settings/")
            and re.search(r"(base|prod|production|common)\.py$", rel)}


def _env_line(s: Setup, p, name: str) -> int:
    text = s.texts.get(p.path, "")
    for n, line in enumerate(text.splitlines(), 1):
        if re.search(rf"\b{name}\b\s*[=:]", line):
            return n
    return p.line


DEBUG_ON = Rule(
    "SY501", "debug-in-production", "error",
    "debug mode is on in what production runs",
    "Werkzeug's and Django's debug pages show source, settings and secrets, and Werkzeug's debugger runs "
    "any Python code typed into the error page: remote code execution for whoever reaches the app.",
    debug_on,
    Example({"app.py": "from flask import Flask\napp = Flask(__name__)\n\nif __name__ == \"__main__\":\n"
             "    app.run(debug=True, host=\"0.0.0.0\")\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\nCMD [\"python3\", \"app.py\"]\n"},
            {"app.py": "from flask import Flask\napp = Flask(__name__)\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\n"
             "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n"}, at=("app.py", 5)),
    seeds=("002", "003"), files="the app's Python, Dockerfile ENV, compose environment, command lines")


def debug_start(s: Setup):
    if s.plan is None:
        return
    run_as_script = {s.find_file(p.cmd.script) for p in s.processes if p.cmd.program == "python-script"}
    for rel in _entry_modules(s) - run_as_script:        # those are SY501's
        module = s.python_modules.get(rel)
        for st in (module.starts if module else []):
            if st.debug and st.guarded:
                yield (rel, st.line, f"{st.text} in the module production imports: unused by the server, but "
                       f"`python {PurePosixPath(rel).name}` starts the debugger"
                       + (f" on {st.host}" if st.host else ""),
                       "drop debug= (use `flask --app ... run --debug` or `shipyard dev` while developing)")


DEBUG_START = Rule(
    "SY502", "debug-start-in-entry", "warning",
    "the module the server imports can start the debugger when run by hand",
    "the production server never runs the `__main__` block, but the file is one `python {file}` away "
    "from a debugger listening on the network, the habit the tutorials teach.",
    debug_start,
    Example({"manager.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/\")\ndef index():\n"
             "    return \"hi\"\n\nif __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\", debug=\"true\")\n"},
            {"manager.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/\")\ndef index():\n"
             "    return \"hi\"\n\nif __name__ == \"__main__\":\n    app.run()\n"}, at=("manager.py", 9)),
    seeds=("001",), files="the app's Python")

# What a declared framework brings along: lint reads no installed environment, so these are known here.
PULLED_IN = {
    "flask": {"werkzeug", "jinja2", "itsdangerous", "click", "markupsafe", "blinker"},
    "django": {"asgiref", "sqlparse"},
    "fastapi": {"starlette", "pydantic", "typing-extensions", "anyio"},
    "starlette": {"anyio"},
    "dash": {"flask", "werkzeug", "plotly"},
    "flask-restful": {"flask", "aniso8601", "pytz", "six"},
    "pyramid": {"webob", "zope-interface", "venusian", "translationstring", "hupper", "plaster", "plaster-pastedeploy"},
    "maxminddb-geolite2": {"maxminddb"},
    "requests": {"urllib3", "idna", "certifi", "charset-normalizer"},
    "uvicorn": {"click", "h11"},
    "flask-sqlalchemy": {"sqlalchemy", "flask"},
    "flask-migrate": {"alembic", "flask-sqlalchemy", "sqlalchemy", "flask"},
}


def _installed_by(s: Setup):
    """(Dockerfile, line, requirement files) of every `pip install -r FILE` in a Dockerfile."""
    for d in s.dockerfiles.values():
        for ins in d.instructions:
            if ins.cmd == "RUN" and re.search(r"\bpip[\d.]*\s+install\b", ins.args):
                for seg in split_shell(ins.args):
                    argv = seg.argv
                    if "install" not in argv or not any(re.search(r"\bpip[\d.]*$", a) for a in argv):
                        continue
                    words = argv[argv.index("install") + 1:]
                    files = [w.split("=", 1)[1] if "=" in w else words[i + 1] for i, w in enumerate(words)
                             if w in ("-r", "--requirement") or w.startswith("--requirement=")
                             if "=" in w or i + 1 < len(words)]
                    taken = {i + 1 for i, w in enumerate(words) if w in ("-r", "--requirement", "-c", "-i",
                                                                         "--index-url", "--constraint", "-t")}
                    packages = [w for i, w in enumerate(words) if i not in taken and not w.startswith("-")
                                and re.match(r"[A-Za-z]", w)]
                    yield d, ins, files, packages


def _named_after_import(source: str, declared: set[str]) -> bool:
    """A declared distribution named after the import (mysql-connector for `import mysql.connector`,
    psycopg2-binary for psycopg2) provides it, whatever the import map prefers."""
    m = re.match(r"import ([\w.]+) in ", source)
    top = normalize(m.group(1).split(".")[0]) if m else ""
    return bool(top) and any(top in name.split("-") for name in declared)


def missing_dependencies(s: Setup):
    if s.plan is None:
        return
    _, same = import_map()
    for d, ins, files, packages in _installed_by(s):
        if not files:
            continue
        declared: set[str] = set()
        for f in files:
            rel = s.find_file(f)
            if rel is None:
                continue
            found, _, _ = read_requirements(s.project, rel)
            declared |= {normalize(dep.name) for dep in found}
        declared |= {normalize(re.split(r"[\[=<>!~]", p)[0]) for p in packages}
        covered = set(declared)
        for key in list(declared):
            covered |= PULLED_IN.get(key, set()) | set(same.get(key, ()))
            covered |= {k for k, vs in same.items() if key in vs}
        missing = [dep for dep in s.plan.dependencies if dep.inferred and not dep.source.startswith("production")
                   and normalize(dep.name) not in covered and not _named_after_import(dep.source, declared)]
        if missing:
            names = ", ".join(f"{dep.name} ({dep.source})" for dep in missing)
            yield (d.path, ins.line, f"the image installs {', '.join(files)}, which lacks what the app imports: "
                   f"{names}", f"add {' '.join(dep.name for dep in missing)} to {files[0]} (shipyard reqs writes "
                   "the full list)")
    for p in s.processes:
        if p.cmd.program in ("gunicorn", "uwsgi", "granian", "uvicorn") and p.container.startswith("image:"):
            d = s.dockerfiles.get(p.container.split(":", 1)[1])
            if d is None or "apt-get" in " ".join(i.args for i in d.final("RUN")) and p.cmd.program == "uwsgi":
                continue
            installed = set()
            for d2, ins, files, packages in _installed_by(s):
                if d2 is not d:
                    continue
                installed |= {normalize(re.split(r"[\[=<>!~]", x)[0]) for x in packages}
                for f in files:
                    rel = s.find_file(f)
                    if rel:
                        installed |= {normalize(dep.name) for dep in read_requirements(s.project, rel)[0]}
            names = {p.cmd.program, "pyuwsgi"} if p.cmd.program == "uwsgi" else {p.cmd.program}
            if installed and not names & installed and not any(i.cmd == "COPY" and "--from" in i.args
                                                                  for i in d.final()):
                yield (d.path, p.line, f"{p.cmd.program} is started but the Dockerfile never installs it",
                       f"add {p.cmd.program} to the requirements the image installs")


MISSING_DEPENDENCIES = Rule(
    "SY601", "missing-dependencies", "error",
    "the requirements the image installs lack packages the app imports (or the server it starts)",
    "the image builds, then the app fails at its first import (ModuleNotFoundError) when the container "
    "starts: a crash loop in production, found only after the deploy.",
    missing_dependencies,
    Example({"app.py": "import yaml\nfrom flask import Flask\napp = Flask(__name__)\n",
             "requirements.txt": "Flask==3.0.3\ngunicorn\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
             "COPY . /app\nUSER 1000\n"},
            {"app.py": "import yaml\nfrom flask import Flask\napp = Flask(__name__)\n",
             "requirements.txt": "Flask==3.0.3\ngunicorn\nPyYAML\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
             "COPY . /app\nUSER 1000\n"}, at=("Dockerfile", 3)),
    seeds=("001",), files="Dockerfile, requirement files, the app's imports")

RULES = (DATABASE_PUBLISHED, INLINE_PASSWORD, DEBUG_ON, DEBUG_START, MISSING_DEPENDENCIES)
