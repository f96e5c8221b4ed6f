"""A Django settings switch between SQLite and PostgreSQL (detect/database_switch.py): the stacks give the value that
takes PostgreSQL's branch beside their PostgreSQL. A 2024 blog's `USE_SQLITE = os.getenv('USE_SQLITE', 'true')
.lower() == 'true'` kept its stack's app on a SQLite file in its container (the release job migrated another one:
`no such table: django_site` on every login page). `init` on apps written here; the settings loaded by the dev
environment's Django with the stack's secrets file; the Kubernetes overlay read by `kubectl kustomize`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import make_tree, require_tool
from shipyard.detect.database_switch import switches
from shipyard.project import Project

SHIPYARD = [sys.executable, "-m", "shipyard"]

SQLITE = "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}\n"
POSTGRES = ("DATABASES = {'default': {'ENGINE': os.getenv('DB_ENGINE', 'django.db.backends.postgresql'),\n"
            "    'NAME': os.getenv('DB_NAME', 'blog'), 'USER': os.getenv('POSTGRES_USER', 'user'),\n"
            "    'PASSWORD': os.getenv('POSTGRES_PASSWORD', 'password'), 'HOST': os.getenv('DB_HOST', 'localhost'),\n"
            "    'PORT': os.getenv('DB_PORT', 5432)}}\n")


def _indent(text: str) -> str:
    return "".join("    " + line + "\n" for line in text.splitlines())


def _settings(switch: str, test: str, sqlite_first: bool = True) -> str:
    first, second = (SQLITE, POSTGRES) if sqlite_first else (POSTGRES, SQLITE)
    return ("import os\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
            f"{switch}\n\nif {test}:\n{_indent(first)}else:\n{_indent(second)}")


@pytest.mark.parametrize("switch, test, sqlite_first, found", [
    # the 2024 blog's
    ("USE_SQLITE = os.getenv('USE_SQLITE', 'true').lower() == 'true'", "USE_SQLITE", True, ("USE_SQLITE", "false")),
    # django-environ's boolean, the debug setting choosing the database
    ("import environ\nenv = environ.Env()\nDEBUG = env.bool('DEBUG', default=True)", "DEBUG", True,
     ("DEBUG", "false")),
    # the other way round: PostgreSQL when the variable says so
    ("", "os.environ.get('USE_POSTGRES') == '1'", False, ("USE_POSTGRES", "1")),
    # a value the test compares with
    ("", "os.environ.get('DB_TYPE', 'sqlite') not in ('postgres', 'postgresql')", True, ("DB_TYPE", "postgres")),
    # decouple's cast
    ("from decouple import config\nUSE_SQLITE = config('USE_SQLITE', default=True, cast=bool)", "not USE_SQLITE",
     False, ("USE_SQLITE", "false")),
])
def test_the_value_that_takes_the_servers_branch(tmp_path, switch, test, sqlite_first, found):
    root = make_tree(tmp_path / "blog", {"blogs/settings.py": _settings(switch, test, sqlite_first)})
    got = [(s.variable, s.server, s.engine) for s in switches(Project(root))]
    assert got == [(*found, "postgres")]


@pytest.mark.parametrize("settings", [
    # no else: nothing to switch to
    "import os\nBASE_DIR = '.'\nif os.getenv('USE_SQLITE'):\n" + _indent(SQLITE),
    # both branches SQLite
    "import os\nBASE_DIR = '.'\nif os.getenv('LOCAL'):\n" + _indent(SQLITE) + "else:\n" + _indent(SQLITE),
    # a test of something that is no variable
    "import os, sys\nBASE_DIR = '.'\nif 'test' in sys.argv:\n" + _indent(SQLITE) + "else:\n" + _indent(POSTGRES),
])
def test_no_switch(tmp_path, settings):
    root = make_tree(tmp_path / "blog", {"blogs/settings.py": settings})
    assert switches(Project(root)) == ()


def _blog(root: Path) -> Path:
    return make_tree(root, {
        "manage.py": "import os, sys\n\nif __name__ == '__main__':\n"
                     "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'blogs.settings')\n"
                     "    from django.core.management import execute_from_command_line\n"
                     "    execute_from_command_line(sys.argv)\n",
        "blogs/__init__.py": "",
        "blogs/settings.py": _settings("USE_SQLITE = os.getenv('USE_SQLITE', 'true').lower() == 'true'",
                                       "USE_SQLITE")
        + "SECRET_KEY = 'x'\nROOT_URLCONF = 'blogs.urls'\nINSTALLED_APPS = ['django.contrib.contenttypes']\n",
        "blogs/urls.py": "urlpatterns = []\n",
        "blogs/wsgi.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n\n"
                         "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'blogs.settings')\n"
                         "application = get_wsgi_application()\n",
        "requirements.txt": "Django>=4.2,<5\npsycopg2-binary\n"})


def _init(root: Path, *flags: str) -> None:
    done = subprocess.run([*SHIPYARD, "init", str(root), "--no-import", *flags], capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr


def _env(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))


def test_the_compose_stacks_app_takes_its_postgresql(tmp_path):
    root = _blog(tmp_path / "blog")
    _init(root, "--topology", "compose")
    secrets = _env(root / "shipyard.env")
    assert secrets["USE_SQLITE"] == "false" and secrets["DB_HOST"] == "db", secrets
    # the settings as the stack's app loads them: PostgreSQL's backend, at the stack's database service
    code = ("import django; from django.conf import settings; django.setup(); "
            "d = settings.DATABASES['default']; print(d['ENGINE'], d.get('HOST', ''))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "blogs.settings", **secrets})
    assert loaded.stdout.split() == ["django.db.backends.postgresql", "db"], loaded.stderr
    # without it, the SQLite file the blog fell back to
    del secrets["USE_SQLITE"]
    loaded = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "blogs.settings", **secrets})
    assert loaded.stdout.split()[:1] == ["django.db.backends.sqlite3"], loaded.stderr


def _app_switch_from_kubernetes(root: Path) -> dict:
    """`init --kubernetes` of `root`: the example overlay's secrets set USE_SQLITE=false, and the app's Deployment
    (not its database's) reads the switch from the Secret; that env entry."""
    kubectl = require_tool("kubectl")
    _init(root, "--kubernetes")
    overlay = root / "deploy/kubernetes/overlays/example"
    assert _env(overlay / "secrets.env")["USE_SQLITE"] == "false"
    built = subprocess.run([kubectl, "kustomize", str(overlay)], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    objects = [d for d in yaml.safe_load_all(built.stdout) if d]
    deployment = next(o for o in objects if o["kind"] == "Deployment" and "db" not in o["metadata"]["name"])
    env = {e["name"]: e for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert "USE_SQLITE" in env, env.keys()
    return env["USE_SQLITE"]


def test_kubernetes_gives_the_switch_from_the_secret(tmp_path):
    switch = _app_switch_from_kubernetes(_blog(tmp_path / "blog"))
    assert switch["valueFrom"]["secretKeyRef"]["key"] == "USE_SQLITE"


MYSQL = ("DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': os.getenv('DB_NAME', 'shop'),\n"
         "    'USER': os.getenv('DB_USER', 'shop'), 'PASSWORD': os.getenv('DB_PASSWORD', ''),\n"
         "    'HOST': os.getenv('DB_HOST', '127.0.0.1'), 'PORT': os.getenv('DB_PORT', '3306')}}\n")


def _shop(root: Path) -> Path:
    """A Django shop on SQLite until USE_SQLITE=0, then on MySQL (mysqlclient) from DB_* parts."""
    root = _blog(root)
    (root / "blogs/settings.py").write_text(
        "import os\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
        f"USE_SQLITE = os.environ.get('USE_SQLITE', '1') == '1'\n\nif USE_SQLITE:\n{_indent(SQLITE)}else:\n"
        f"{_indent(MYSQL)}"
        "SECRET_KEY = 'x'\nROOT_URLCONF = 'blogs.urls'\nINSTALLED_APPS = ['django.contrib.contenttypes']\n")
    (root / "requirements.txt").write_text("Django>=4.2,<5\nmysqlclient\n")
    return root


def test_a_mysql_stacks_app_takes_its_mariadb(tmp_path):
    root = _shop(tmp_path / "shop")
    assert [(s.variable, s.server, s.engine) for s in switches(Project(root))] == [("USE_SQLITE", "false", "mysql")]
    _init(root, "--topology", "compose")
    secrets = _env(root / "shipyard.env")
    assert "MARIADB_USER" in secrets and secrets["USE_SQLITE"] == "false", secrets
    stack = yaml.safe_load((root / "compose.yaml").read_text())
    plain = {k: v for k, v in (stack["services"]["app"].get("environment") or {}).items()}
    code = ("import django; from django.conf import settings; django.setup(); "
            "d = settings.DATABASES['default']; print(d['ENGINE'], d.get('HOST', ''), d['USER'] == d['USER'])")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "blogs.settings", **plain,
                                 **secrets})
    assert loaded.stdout.split()[:2] == ["django.db.backends.mysql", "db"], (loaded.stdout, loaded.stderr, plain)


def test_kubernetes_gives_a_mysql_stacks_switch_from_the_secret(tmp_path):
    switch = _app_switch_from_kubernetes(_shop(tmp_path / "shop"))
    assert switch["valueFrom"]["secretKeyRef"]["key"] == "USE_SQLITE"
