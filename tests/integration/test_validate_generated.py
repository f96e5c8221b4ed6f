"""Every generated file is read by the program that uses it: nginx -t, gunicorn --check-config (with a
real app), uWSGI's strict parser, supervisord's own config loader, docker-compose config, hadolint."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import IN_CI, VENV_BIN, require_tool
from shipyard.engine import cli
from shipyard.engine.compose import v1_copies
from shipyard.render import Target, render

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))
import plans  # noqa: E402

TOPOLOGIES = ("bundle", "app", "compose")
WSGI_SERVERS = ("gunicorn", "uwsgi", "granian")

# Real apps matching the hand-made plans, so servers that load the app can check it.
APPS = {
    "flask_wsgi": {"app.py": "from flask import Flask\napp = Flask(__name__)\n", "static/site.css": "b{}\n"},
    "flask_libpq": {"shop.py": "from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n"},
    "fastapi_asgi": {"src/main.py": "from fastapi import FastAPI\napp = FastAPI()\n"},
    "flask_redis": {"app.py": "from flask import Flask\napp = Flask(__name__)\n", "warm_cache.py": ""},
    "flask_mysql": {"app.py": "from flask import Flask\napp = Flask(__name__)\n"},
    "django_postgres": {
        "mysite/__init__.py": "",
        "mysite/settings.py": "SECRET_KEY = 'x'\nROOT_URLCONF = 'mysite.urls'\nALLOWED_HOSTS = ['*']\n"
                              "INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_URL = '/static/'\n"
                              "STATIC_ROOT = 'staticfiles'\n",
        "mysite/urls.py": "urlpatterns = []\n",
        "mysite/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        "staticfiles/.keep": "",
    },
}


def cases():
    for name in plans.ALL:
        asgi = name == "fastapi_asgi"
        for topology in TOPOLOGIES:
            for server in WSGI_SERVERS:
                if asgi and server == "uwsgi":
                    continue
                if name in ("flask_redis", "flask_mysql") and topology != "compose":
                    continue        # they differ from flask_wsgi only in the compose stack (redis, db services)
                yield pytest.param(name, topology, server, id=f"{name}-{topology}-{server}")


def _materialize(tmp_path: Path, name: str, topology: str, server: str, target_kind: str) -> tuple[Path, Path]:
    app_root, run_dir = tmp_path / "app", tmp_path / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    for rel, text in APPS[name].items():
        (app_root / rel).parent.mkdir(parents=True, exist_ok=True)
        (app_root / rel).write_text(text)
    plan = plans.ALL[name](topology=topology, server=server)
    if target_kind == "local":
        files, out = render(plan, Target.local(app_root, run_dir, VENV_BIN.parent)), run_dir
    else:
        files, out = render(plan, Target.image()), app_root
    for rel, text in files.items():
        (out / rel).write_text(text)
    return app_root, out


@pytest.mark.parametrize("name,topology,server", list(cases()))
def test_server_and_proxy_configs_parse(tmp_path, name, topology, server):
    app_root, run_dir = _materialize(tmp_path, name, topology, server, "local")
    if (run_dir / "nginx.conf").exists():
        nginx = require_tool("nginx") if Path("/usr/sbin/nginx").exists() is False else "/usr/sbin/nginx"
        text = (run_dir / "nginx.conf").read_text()
        if topology == "compose":   # upstream `app` and /tmp paths exist only in the compose network
            text = text.replace("server app:8000", "server 127.0.0.1:8000").replace(" /tmp/", f" {run_dir}/")
            (run_dir / "nginx.conf").write_text(text)
        r = subprocess.run([nginx, "-t", "-e", "stderr", "-c", str(run_dir / "nginx.conf")],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stderr
    if server == "gunicorn":
        gunicorn = require_tool("gunicorn")
        r = subprocess.run([gunicorn, "--check-config", "-c", str(run_dir / "gunicorn.conf.py")],
                           capture_output=True, text=True, timeout=60, cwd=app_root)
        assert r.returncode == 0, r.stdout + r.stderr
    if server == "uwsgi":
        uwsgi = require_tool("uwsgi")
        r = subprocess.run([uwsgi, "--ini", str(run_dir / "uwsgi.ini"), "--get", "processes", "--get", "harakiri"],
                           capture_output=True, text=True, timeout=30, env={"PATH": "/usr/bin:/bin"})
        assert r.returncode == 0, r.stdout + r.stderr
        processes, harakiri = r.stdout.split()
        assert int(processes) >= 1 and harakiri == "30"
    if (run_dir / "supervisord.conf").exists():
        r = subprocess.run([str(VENV_BIN / "python"), "-c",
                            "import sys\nfrom supervisor.options import ServerOptions\n"
                            "o = ServerOptions()\no.realize(args=['-c', sys.argv[1]])\n"
                            "print(' '.join(sorted(g.name for g in o.process_group_configs)))",
                            str(run_dir / "supervisord.conf")], capture_output=True, text=True, timeout=30)
        assert r.returncode == 0 and r.stdout.split() == ["app", "fatal", "nginx"], r.stdout + r.stderr
    runtime = subprocess.run([str(VENV_BIN / "python"), str(run_dir / "shipyard_runtime.py"), "workers"],
                             capture_output=True, text=True, timeout=30)
    assert runtime.returncode == 0 and int(runtime.stdout) >= 1


def _compose_v1() -> str | None:
    """Debian's docker-compose 1.x, when it is on PATH beside a v2 one."""
    for exe in cli.all_on_path("docker-compose"):
        done = subprocess.run([exe, "version"], capture_output=True, text=True, timeout=60)
        if done.returncode == 0 and re.search(r"version v?1\.", done.stdout):
            return exe
    return None


@pytest.mark.parametrize("name", sorted(plans.ALL))
def test_compose_files_pass_compose_v2_config(tmp_path, name):
    """Compose v2 (the compose plugin) reads the files as written, name: and develop.watch included; the
    copies `shipyard up` gives Compose v1 pass v1's own check."""
    docker = require_tool("docker")
    if subprocess.run([docker, "compose", "version"], capture_output=True, timeout=60).returncode != 0:
        pytest.fail("Compose v2 (the docker compose plugin) is required: scripts/setup-dev.sh installs it")
    app_root, _ = _materialize(tmp_path, name, "compose", "gunicorn", "image")
    (app_root / "shipyard.env").write_text("POSTGRES_PASSWORD=x\n")
    for files in (["compose.yaml"], ["compose.yaml", "compose.dev.yaml"]):
        args = [a for f in files for a in ("-f", f)]
        r = subprocess.run([docker, "compose", *args, "config", "-q"], capture_output=True, text=True,
                           cwd=app_root, timeout=60)
        assert r.returncode == 0, r.stderr
    text = (app_root / "compose.yaml").read_text()
    assert "version:" not in text and "\nname: " in text
    v1 = _compose_v1()
    if v1 is None:
        (pytest.fail if IN_CI else pytest.skip)("Debian's docker-compose 1.x is not installed (container-engine.sh up)")
    for files in (["compose.yaml"], ["compose.yaml", "compose.dev.yaml"]):
        copies = v1_copies([app_root / f for f in files], f"validate-{name}")
        args = [a for f in copies for a in ("-f", str(f))]
        r = subprocess.run([v1, "--project-directory", str(app_root), *args, "config", "-q"], capture_output=True,
                           text=True, cwd=app_root, timeout=60)
        assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("name,topology,server", list(cases()))
def test_dockerfile_passes_hadolint(tmp_path, name, topology, server):
    hadolint = require_tool("hadolint")
    app_root, _ = _materialize(tmp_path, name, topology, server, "image")
    r = subprocess.run([hadolint, "--no-color", str(app_root / "Dockerfile")], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and not r.stdout.strip(), r.stdout + r.stderr
