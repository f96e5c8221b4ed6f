"""A MySQL app's generated stacks bring MariaDB (render/mysql_service.py), as `serve` does: `init` on apps written
here, the compose file read by `docker compose config`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from conftest import require_tool
from test_stack_login import _compose_config, _env, _init   # init on an app written here, its files read back


def _app(root: Path, uri: str, requirements: str = "flask\nflask-sqlalchemy\npymysql\n") -> Path:
    root.mkdir()
    (root / "app.py").write_text(
        "import os\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\n"
        f"app.config['SQLALCHEMY_DATABASE_URI'] = {uri}\n"
        "app.config['MYSQL_HOST'] = os.environ.get('MYSQL_HOST', 'localhost')\ndb = SQLAlchemy(app)\n\n\n"
        "@app.route('/')\ndef index():\n    return 'ok'\n")
    (root / "requirements.txt").write_text(requirements)
    return root


def test_compose_stack_of_a_pymysql_app_has_a_mariadb_the_app_waits_for(tmp_path):
    root = _app(tmp_path / "notes", 'os.environ.get("DATABASE_URL", "sqlite:///notes.db")')
    _init(root, "--topology", "compose")
    secrets = _env(root / "shipyard.env")
    password = secrets["MARIADB_PASSWORD"]
    assert (secrets["MARIADB_USER"], secrets["MARIADB_DATABASE"], secrets["MARIADB_RANDOM_ROOT_PASSWORD"]) == \
        ("app", "app", "1")
    # SQLAlchemy with PyMySQL: the scheme names the driver (a plain mysql:// loads MySQLdb, which it lacks)
    assert secrets["DATABASE_URL"] == f"mysql+pymysql://app:{password}@db:3306/app"
    assert password not in (root / "compose.yaml").read_text()
    assert "shipyard.env" in (root / ".gitignore").read_text().split()
    services = _compose_config(root)["services"]
    db = services["db"]
    assert db["image"] == "mariadb:11.4"
    assert db["healthcheck"]["test"] == ["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"]
    assert db["environment"]["MARIADB_USER"] == "app"
    assert any(v["target"] == "/var/lib/mysql" and v["type"] == "volume" for v in db["volumes"])
    app = services["app"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert app["environment"]["DATABASE_URL"] == secrets["DATABASE_URL"]
    assert app["environment"]["MYSQL_HOST"] == "db"            # a part the code reads, pointing at the service


def test_the_login_the_app_writes_is_the_one_mariadb_makes(tmp_path):
    root = _app(tmp_path / "shop", '"mysql+pymysql://shop:s3cret@localhost/shop"')
    _init(root, "--topology", "compose")
    secrets = _env(root / "shipyard.env")
    assert (secrets["MARIADB_USER"], secrets["MARIADB_PASSWORD"], secrets["MARIADB_DATABASE"]) == \
        ("shop", "s3cret", "shop")
    assert secrets["DATABASE_URL"] == "mysql+pymysql://shop:s3cret@db:3306/shop"
    assert "app.py:6 writes the app's login" in (root / "shipyard.env").read_text()


def test_a_written_root_login_gets_roots_password(tmp_path):
    """The image makes no second root (MARIADB_USER=root fails its start): root's own password is the written one."""
    root = _app(tmp_path / "tut", '"mysql+pymysql://root:toor@127.0.0.1:3306/tutorial"')
    said = _init(root, "--topology", "compose").stderr
    secrets = _env(root / "shipyard.env")
    assert (secrets["MARIADB_ROOT_PASSWORD"], secrets["MARIADB_DATABASE"]) == ("toor", "tutorial")
    assert "MARIADB_USER" not in secrets and "MARIADB_RANDOM_ROOT_PASSWORD" not in secrets
    assert "connects to MySQL at 127.0.0.1" in said


def test_the_apps_own_mysql_user_variable_does_not_reach_the_server(tmp_path):
    """The image reads MYSQL_USER where MARIADB_USER is unset: with a root login, MYSQL_USER=root from the secrets
    file would stop its first start ("MARIADB_USER=root ... cannot be used for the root user")."""
    root = _app(tmp_path / "tut", '"mysql+pymysql://root:toor@127.0.0.1/tutorial"\n'
                "app.config['MYSQL_USER'] = os.environ['MYSQL_USER']")
    _init(root, "--topology", "compose")
    assert _env(root / "shipyard.env")["MYSQL_USER"] == "root"
    services = _compose_config(root)["services"]
    assert services["app"]["environment"]["MYSQL_USER"] == "root"
    assert services["db"]["environment"]["MYSQL_USER"] == ""
    assert services["db"]["environment"]["MARIADB_ROOT_PASSWORD"] == "toor"


def test_a_django_app_on_mysqlclient_gets_a_plain_mysql_url(tmp_path):
    root = tmp_path / "site"
    (root / "mysite").mkdir(parents=True)
    (root / "manage.py").write_text("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n")
    (root / "mysite" / "__init__.py").write_text("")
    (root / "mysite" / "settings.py").write_text(
        "import dj_database_url\nSECRET_KEY = 'x'\nROOT_URLCONF = 'mysite.urls'\n"
        "DATABASES = {'default': dj_database_url.config(default='sqlite:///db.sqlite3')}\n"
        "DATABASES['default']['ENGINE'] = 'django.db.backends.mysql'\n")
    (root / "mysite" / "urls.py").write_text("urlpatterns = []\n")
    (root / "mysite" / "wsgi.py").write_text(
        "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n")
    (root / "requirements.txt").write_text("django\ndj-database-url\nmysqlclient\n")
    _init(root, "--topology", "compose")
    url = _env(root / "shipyard.env")["DATABASE_URL"]
    assert url.startswith("mysql://app:") and url.endswith("@db:3306/app")
    assert "db" in _compose_config(root)["services"]


def test_a_postgres_app_keeps_its_postgres_stack(tmp_path):
    root = _app(tmp_path / "pg", 'os.environ["DATABASE_URL"]', "flask\nflask-sqlalchemy\npsycopg2-binary\n")
    _init(root, "--topology", "compose")
    assert "POSTGRES_PASSWORD" in _env(root / "shipyard.env")
    assert "mariadb" not in (root / "compose.yaml").read_text()


def _swarm_options(values: dict[str, str]):
    from shipyard.render import swarm
    return swarm.SwarmOptions(stack="notes", app_image="notes-app:abc", nginx_image="notes-nginx:def", bind="0.0.0.0",
                              secrets={k: swarm.secret_name("notes", k, v) for k, v in values.items()
                                       if k not in swarm.DB_NAME_KEYS},
                              db_env={k: v for k, v in values.items() if k in swarm.DB_NAME_KEYS}, db_node="node-1")


def test_swarm_stack_of_a_mysql_app_runs_mariadb_with_its_password_from_a_secret(tmp_path):
    import plans
    from shipyard.render import secrets_env, swarm
    plan = plans.flask_mysql()
    values = _env_text(secrets_env(plan, "pw-generated"))
    text = swarm.render(plan, _swarm_options(values))[swarm.STACK_FILE]
    assert "pw-generated" not in text, "the password stays in the Swarm secret"
    (tmp_path / "stack.yaml").write_text(text)
    docker = require_tool("docker")
    done = subprocess.run([docker, "stack", "config", "-c", str(tmp_path / "stack.yaml")], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    stack = yaml.safe_load(done.stdout)
    db = stack["services"]["db"]
    assert db["image"] == "mariadb:11.4" and db["deploy"]["placement"]["constraints"] == ["node.hostname == node-1"]
    assert db["environment"] == {"MARIADB_USER": "app", "MARIADB_DATABASE": "app", "MARIADB_RANDOM_ROOT_PASSWORD": "1",
                                 "MARIADB_PASSWORD_FILE": "/run/secrets/mariadb_password"}
    assert [s["target"] for s in db["secrets"]] == ["mariadb_password"]
    assert "mysqldata" in stack["volumes"]
    app = stack["services"]["app"]["environment"]
    assert app["DATABASE_URL_FILE"] == "/run/secrets/database_url" and app["MYSQL_HOST"] == "db"
    assert app["MYSQL_PASSWORD_FILE"] == "/run/secrets/mysql_password"
    assert not any(k.startswith("MARIADB_") for k in app), "the server's login is not the app's"
    assert swarm.backing_services(plan) == {"db": "mariadb:11.4"}
    assert swarm.release_environment(plan, {})["MYSQL_PORT"] == "3306"
    row = next(r for r in swarm.translate(plan, _swarm_options(values)).rows if r.part == "db (MariaDB)")
    assert row.status == "translated" and "node-1" in row.how


def test_swarm_stack_of_a_written_root_login_gives_roots_password_file():
    import plans
    from shipyard.render import secrets_env, swarm
    from shipyard.detect.written_db import WrittenDatabase
    plan = plans.flask_mysql()
    values = _env_text(secrets_env(plan, "x", WrittenDatabase("root", "toor", "tutorial", "app.py", 3)))
    db = yaml.safe_load(swarm.render(plan, _swarm_options(values))[swarm.STACK_FILE])["services"]["db"]
    assert db["environment"] == {"MARIADB_DATABASE": "tutorial",
                                 "MARIADB_ROOT_PASSWORD_FILE": "/run/secrets/mariadb_root_password"}


def _env_text(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
