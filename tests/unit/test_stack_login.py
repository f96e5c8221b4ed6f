"""The deploy outputs' PostgreSQL login follows the one the app writes (render/db_login.py): `init` on apps written
here, the compose files read by `docker compose config` and the Kubernetes overlay by `kubectl kustomize`."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import make_tree, require_tool

SHIPYARD = [sys.executable, "-m", "shipyard"]
REQUIREMENTS = "flask\nflask-sqlalchemy\npsycopg2-binary\n"


def _app(root: Path, uri: str) -> Path:
    root.mkdir()
    (root / "app.py").write_text(
        "import os\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\n"
        f"app.config['SQLALCHEMY_DATABASE_URI'] = {uri}\ndb = SQLAlchemy(app)\n")
    (root / "requirements.txt").write_text(REQUIREMENTS)
    return root


def _init(src: Path, *flags: str) -> subprocess.CompletedProcess:
    done = subprocess.run([*SHIPYARD, "init", str(src), "--no-import", *flags], capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr
    return done


def _env(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))


def _compose_config(root: Path) -> dict:
    docker = require_tool("docker")
    done = subprocess.run([docker, "compose", "-f", "compose.yaml", "config", "--format", "yaml"], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def test_compose_stack_makes_the_login_the_app_writes(tmp_path):
    root = _app(tmp_path / "todo", '"postgresql://todo_user:s3cret@/todo"')
    said = _init(root, "--topology", "compose").stderr
    secrets = _env(root / "shipyard.env")
    assert (secrets["POSTGRES_USER"], secrets["POSTGRES_PASSWORD"], secrets["POSTGRES_DB"]) == \
        ("todo_user", "s3cret", "todo")
    assert secrets["DATABASE_URL"] == "postgresql+psycopg2://todo_user:s3cret@db:5432/todo"
    assert (secrets["PGUSER"], secrets["PGPASSWORD"], secrets["PGDATABASE"]) == ("todo_user", "s3cret", "todo")
    assert "s3cret" not in (root / "compose.yaml").read_text()          # the password stays in the secrets file
    assert "shipyard.env" in (root / ".gitignore").read_text().split()
    assert "connects to PostgreSQL at" not in said                        # no host written: PGHOST reaches db
    services = _compose_config(root)["services"]
    assert services["db"]["environment"]["POSTGRES_USER"] == "todo_user"
    app = services["app"]["environment"]
    assert (app["PGHOST"], app["PGPORT"], app["PGUSER"], app["PGDATABASE"]) == ("db", "5432", "todo_user", "todo")


def test_a_login_at_localhost_is_made_and_said(tmp_path):
    root = _app(tmp_path / "blog", '"postgresql://blog:pw@localhost:5432/blog"')
    said = _init(root, "--topology", "compose").stderr
    assert _env(root / "shipyard.env")["POSTGRES_USER"] == "blog"
    assert "app.py:6 connects to PostgreSQL at localhost" in said


def test_a_libpq_login_at_localhost_is_taken_to_the_database_service_at_start(tmp_path):
    """A course app connects with `psycopg2`'s libpq at localhost, which in the stack is the app's own container:
    its processes set PGHOSTADDR to PGHOST's address at start (the generated runtime, and gunicorn's config when
    gunicorn serves it), and libpq connects there whatever host the code names. Run here for real: PGHOST=localhost
    gives 127.0.0.1; a PGHOSTADDR already set is kept. An asyncpg app (no libpq) and a login with no host get none."""
    import os
    root = _app(tmp_path / "blog", '"postgresql://blog:pw@localhost:5432/blog"')
    said = _init(root, "--topology", "compose").stderr
    assert "app.py:6 connects to PostgreSQL at localhost, the app's own container in the compose stack: its " \
           "processes set PGHOSTADDR" in said, said
    probe = [sys.executable, str(root / "shipyard_runtime.py"), "exec", sys.executable, "-c",
             "import os; print(os.environ.get('PGHOSTADDR', '-'))"]
    env = {k: v for k, v in os.environ.items() if k != "PGHOSTADDR"}
    done = subprocess.run(probe, capture_output=True, text=True, timeout=60, env={**env, "PGHOST": "localhost"})
    assert done.stdout.strip() == "127.0.0.1", done.stderr
    done = subprocess.run(probe, capture_output=True, text=True, timeout=60,
                          env={**env, "PGHOST": "localhost", "PGHOSTADDR": "10.1.2.3"})
    assert done.stdout.strip() == "10.1.2.3", done.stderr
    if (root / "gunicorn.conf.py").exists():
        conf = subprocess.run([sys.executable, "-c", "import os, runpy; runpy.run_path('gunicorn.conf.py'); "
                               "print(os.environ.get('PGHOSTADDR', '-'))"], cwd=root, capture_output=True, text=True,
                              timeout=60, env={**env, "PGHOST": "localhost", "SHIPYARD_CHDIR": str(root)})
        assert conf.stdout.strip().splitlines()[-1] == "127.0.0.1", conf.stderr
    # the release (Flask-Migrate's upgrade here) connects as the app does: run through the runtime, which sets it
    (root / "app.py").write_text((root / "app.py").read_text().replace(
        "from flask_sqlalchemy import SQLAlchemy\n", "from flask_sqlalchemy import SQLAlchemy\nfrom flask_migrate import Migrate\n")
        + "migrate = Migrate(app, db)\n")
    (root / "requirements.txt").write_text(REQUIREMENTS + "flask-migrate\n")
    for rel, text in {"migrations/alembic.ini": "[alembic]\n", "migrations/env.py": "from alembic import context\n",
                      "migrations/versions/1_first.py": "revision = '1'\ndown_revision = None\n"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    _init(root, "--topology", "compose", "--force")
    release = yaml.safe_load((root / "compose.yaml").read_text())["services"]["release"]["command"]
    assert release[1:3] == ["/app/shipyard_runtime.py", "exec"] and release[-2:] == ["db", "upgrade"], release
    # no host written (PGHOST reaches db already), or a driver that reads no PGHOSTADDR: nothing added
    plain = _app(tmp_path / "todo", '"postgresql://todo:pw@/todo"')
    _init(plain, "--topology", "compose")
    assert "PGHOSTADDR" not in (plain / "shipyard_runtime.py").read_text()
    own = _app(tmp_path / "fast", '"postgresql+asyncpg://fast:pw@localhost/fast"')
    (own / "requirements.txt").write_text(REQUIREMENTS + "asyncpg\n")
    _init(own, "--topology", "compose")
    assert "PGHOSTADDR" not in (own / "shipyard_runtime.py").read_text()


def test_a_url_the_app_takes_from_database_url_keeps_the_generated_login(tmp_path):
    root = _app(tmp_path / "shop", 'os.environ.get("DATABASE_URL", "postgresql://shop:shop@localhost/shop")')
    _init(root, "--topology", "compose")
    secrets = _env(root / "shipyard.env")
    assert (secrets["POSTGRES_USER"], secrets["POSTGRES_DB"]) == ("app", "app")
    assert secrets["POSTGRES_PASSWORD"] not in ("", "shop")


def test_a_password_an_env_file_cannot_carry_keeps_the_generated_login(tmp_path):
    root = _app(tmp_path / "odd", '"postgresql://odd:pa\x27ss@/odd"')
    said = _init(root, "--topology", "compose").stderr
    assert _env(root / "shipyard.env")["POSTGRES_USER"] == "app"
    assert "which the stack's PostgreSQL cannot make" in said


def test_kubernetes_secret_and_pod_carry_the_written_login(tmp_path):
    kubectl = require_tool("kubectl")
    root = _app(tmp_path / "notes", '"postgresql://notes:n0tes@/notes"')
    _init(root, "--kubernetes")
    overlay = root / "deploy/kubernetes/overlays/example"
    assert _env(overlay / "secrets.env")["DATABASE_URL"] == "postgresql+psycopg2://notes:n0tes@notes-db:5432/notes"
    built = subprocess.run([kubectl, "kustomize", str(overlay)], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    objects = [d for d in yaml.safe_load_all(built.stdout) if d]
    secret = next(o for o in objects if o["kind"] == "Secret")
    assert base64.b64decode(secret["data"]["POSTGRES_USER"]).decode() == "notes"
    deployment = next(o for o in objects if o["kind"] == "Deployment")
    env = {e["name"]: e for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["PGHOST"]["value"] == "notes-db"
    assert env["PGUSER"]["valueFrom"]["secretKeyRef"] == {"name": secret["metadata"]["name"], "key": "POSTGRES_USER"}


def test_a_default_of_a_variable_the_stack_does_not_give_is_the_login(tmp_path):
    """serve sets every database variable the app reads; the stack gives DATABASE_URL, libpq's PG* and the
    variables named as a database's URL or login part (BLOG_DB is neither: its default names the login)."""
    root = _app(tmp_path / "blog", 'os.environ.get("BLOG_DB", "postgresql://blog:pw@/blog")')
    _init(root, "--topology", "compose")
    assert _env(root / "shipyard.env")["POSTGRES_USER"] == "blog"


def test_a_secrets_file_made_before_is_kept_and_said(tmp_path):
    root = _app(tmp_path / "todo", '"postgresql://todo_user:s3cret@/todo"')
    (root / "shipyard.env").write_text("POSTGRES_USER=app\nPOSTGRES_PASSWORD=x\nPOSTGRES_DB=app\n")
    said = _init(root, "--topology", "compose").stderr
    assert _env(root / "shipyard.env")["POSTGRES_USER"] == "app"
    assert "shipyard.env was made before with another PostgreSQL login than the one app.py:6 writes" in said


def test_swarm_render_takes_the_written_login_too(tmp_path):
    """`swarm render` (no shipyard.env yet): the stack's db service makes the written role and database."""
    root = _app(tmp_path / "todo", '"postgresql://todo_user:s3cret@/todo"')
    done = subprocess.run([*SHIPYARD, "swarm", "render", str(root), "--no-import", "--bind", "0.0.0.0"],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert 'POSTGRES_USER: "todo_user"' in done.stdout and 'POSTGRES_DB: "todo"' in done.stdout, done.stdout
    assert "s3cret" not in done.stdout                  # a Swarm secret, never in the stack file


def test_the_apps_own_database_names_get_the_stacks_login_but_libpqs_host_stays_in_the_stack_file(tmp_path):
    """DATABASE_URI, DB_USER... as serve gives them; PGHOST would reach the PostgreSQL container too (it reads
    the same file), whose first start makes its database over the local socket: the stack file sets it instead."""
    root = _app(tmp_path / "own", 'os.environ["DATABASE_URI"]')
    (root / "db.py").write_text("import os\nUSER = os.environ['DB_USER']\nHOST = os.environ.get('PGHOST')\n")
    _init(root, "--topology", "compose")
    env = _env(root / "shipyard.env")
    assert env["DATABASE_URI"] == env["DATABASE_URL"] and env["DATABASE_URI"].startswith("postgresql")
    assert env["DB_USER"] == env["POSTGRES_USER"]
    assert "PGHOST" not in env and "PGPORT" not in env
    assert "PGHOST: \"db\"" in (root / "compose.yaml").read_text()


def test_a_secret_key_the_code_requires_gets_a_random_one_in_the_stacks_secrets_file(tmp_path):
    """`app.secret_key = os.environ["TODOAPP_SECRET_KEY"]` with no database server: the app and its release read
    the secrets file, which holds a random key made once (init never rewrites it)."""
    root = tmp_path / "todo"
    root.mkdir()
    (root / "app.py").write_text("import os\nfrom flask import Flask\napp = Flask(__name__)\n"
                                 "app.secret_key = os.environ['TODOAPP_SECRET_KEY']\n"
                                 "DEBUG = os.environ['TODOAPP_DEBUG']\n")
    (root / "requirements.txt").write_text("flask\n")
    _init(root, "--topology", "compose")
    env = _env(root / "shipyard.env")
    assert len(env["TODOAPP_SECRET_KEY"]) >= 48 and "TODOAPP_DEBUG" not in env
    config = _compose_config(root)
    assert config["services"]["app"]["environment"]["TODOAPP_SECRET_KEY"] == env["TODOAPP_SECRET_KEY"]
    first = (root / "shipyard.env").read_text()
    _init(root, "--topology", "compose")
    assert (root / "shipyard.env").read_text() == first


def test_a_django_engine_read_from_the_environment_names_postgresql_beside_the_stacks_db(tmp_path):
    """testdriven.io's settings: ENGINE and the parts from SQL_*, SQLite by default. The parts alone would name a
    SQLite file `app` (the database's name); serve sets the ENGINE to PostgreSQL's backend, so does the stack."""
    root = tmp_path / "site"
    (root / "conf").mkdir(parents=True)
    (root / "manage.py").write_text("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'conf.settings')\n")
    (root / "conf" / "__init__.py").write_text("")
    (root / "conf" / "wsgi.py").write_text("from django.core.wsgi import get_wsgi_application\n"
                                           "application = get_wsgi_application()\n")
    (root / "conf" / "settings.py").write_text(
        "import os\nSECRET_KEY = os.environ.get('SECRET_KEY', 'x')\nDATABASES = {'default': {\n"
        "    'ENGINE': os.environ.get('SQL_ENGINE', 'django.db.backends.sqlite3'),\n"
        "    'NAME': os.environ.get('SQL_DATABASE', 'db.sqlite3'),\n"
        "    'USER': os.environ.get('SQL_USER', 'user'),\n    'HOST': os.environ.get('SQL_HOST', 'localhost')}}\n")
    (root / "requirements.txt").write_text("Django==5.1.4\npsycopg2-binary==2.9.10\n")
    _init(root, "--topology", "compose")
    env = _env(root / "shipyard.env")
    assert env["SQL_ENGINE"] == "django.db.backends.postgresql"
    assert (env["SQL_DATABASE"], env["SQL_USER"], env["SQL_HOST"]) == (env["POSTGRES_DB"], env["POSTGRES_USER"], "db")


def test_kubernetes_gives_the_apps_own_database_names_from_the_secret(tmp_path):
    kubectl = require_tool("kubectl")
    root = _app(tmp_path / "own", 'os.environ["DATABASE_URI"]')
    _init(root, "--kubernetes")
    overlay = root / "deploy/kubernetes/overlays/example"
    secrets = _env(overlay / "secrets.env")
    assert secrets["DATABASE_URI"] == secrets["DATABASE_URL"] and "PGHOST" not in secrets
    built = subprocess.run([kubectl, "kustomize", str(overlay)], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    objects = [d for d in yaml.safe_load_all(built.stdout) if d]
    secret = next(o for o in objects if o["kind"] == "Secret")
    deployment = next(o for o in objects if o["kind"] == "Deployment")
    env = {e["name"]: e for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["DATABASE_URI"]["valueFrom"]["secretKeyRef"] == {"name": secret["metadata"]["name"],
                                                                "key": "DATABASE_URI"}


def test_kubernetes_gives_a_required_secret_key_from_the_overlays_secret(tmp_path):
    """No database: the overlay still makes a Secret from secrets.env, for the key the code requires."""
    kubectl = require_tool("kubectl")
    root = tmp_path / "todo"
    root.mkdir()
    (root / "app.py").write_text("import os\nfrom flask import Flask\napp = Flask(__name__)\n"
                                 "app.secret_key = os.environ['TODOAPP_SECRET_KEY']\n")
    (root / "requirements.txt").write_text("flask\n")
    _init(root, "--kubernetes")
    overlay = root / "deploy/kubernetes/overlays/example"
    secrets = _env(overlay / "secrets.env")
    assert list(secrets) == ["TODOAPP_SECRET_KEY"] and len(secrets["TODOAPP_SECRET_KEY"]) >= 48
    assert "secrets.env" in (overlay / ".gitignore").read_text().split()
    built = subprocess.run([kubectl, "kustomize", str(overlay)], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    objects = [d for d in yaml.safe_load_all(built.stdout) if d]
    secret = next(o for o in objects if o["kind"] == "Secret")
    assert base64.b64decode(secret["data"]["TODOAPP_SECRET_KEY"]).decode() == secrets["TODOAPP_SECRET_KEY"]
    deployment = next(o for o in objects if o["kind"] == "Deployment")
    env = {e["name"]: e for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["TODOAPP_SECRET_KEY"]["valueFrom"]["secretKeyRef"] == {"name": secret["metadata"]["name"],
                                                                      "key": "TODOAPP_SECRET_KEY"}
    assert "DATABASE_URL" not in env


def test_a_settings_class_required_secret_key_field_gets_a_random_one_in_the_stacks_secrets_file(tmp_path):
    """`SECRET_KEY: str` with no default in a pydantic BaseSettings (pydantic.v1's here): the app does not import
    without it; the stack's secrets file gives a random one, as for a key read with os.environ[...]."""
    from shipyard.detect.secret_vars import secret_key_variables
    from shipyard.project import Project
    root = make_tree(tmp_path / "servit", {
        "app/__init__.py": "",
        "app/config.py": "from pydantic.v1 import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
                         "    PROJECT_NAME: str = 'x'\n    SECRET_KEY: str\n    ALGORITHM: str = 'HS256'\n\n\n"
                         "settings = Settings()\n",
        "app/main.py": "from fastapi import FastAPI\nfrom app.config import settings\n"
                       "app = FastAPI(title=settings.PROJECT_NAME)\n",
        "requirements.txt": "fastapi\npydantic\n"})
    assert secret_key_variables(Project(root)) == {"SECRET_KEY"}
    _init(root, "--topology", "compose")
    assert len(_env(root / "shipyard.env")["SECRET_KEY"]) >= 48
    # one with a default is the app's own
    (root / "app" / "config.py").write_text((root / "app" / "config.py").read_text().replace(
        "SECRET_KEY: str\n", "SECRET_KEY: str = 'dev'\n"))
    assert secret_key_variables(Project(root)) == frozenset()


def test_secret_key_read_with_no_default_into_a_field_of_another_name_gets_a_random_one_in_the_stacks_secrets(
        tmp_path):
    """A pydantic-settings class whose field of another name (here misspelt, as a 2026 to-do API has it) defaults to
    os.getenv("SECRET_KEY"): pydantic validates that default, so the app does not import without SECRET_KEY. serve
    and the proof gave it a throwaway (the name alone says it is the app's key); the stack's secrets file did not,
    and the stack's app stopped on the validation error. Now the file has one, as for a SECRET_KEY setting."""
    from shipyard.detect.secret_vars import secret_key_variables
    from shipyard.project import Project
    root = make_tree(tmp_path / "todos", {
        "app/__init__.py": "", "app/core/__init__.py": "",
        "app/core/config.py": "import os\nfrom pydantic_settings import BaseSettings\n\n\n"
                              "class Settings(BaseSettings):\n    APP_NAME: str = 'Todo API'\n    SECRETE_KEY: str = os.getenv('SECRET_KEY')\n"
                              "    JWT_KEY: str = os.getenv('DJANGO_SECRET_KEY') or 'dev'\n"
                              "    ALGORITHM: str = 'HS256'\n\n\nsettings = Settings()\n",
        "app/main.py": "from fastapi import FastAPI\nfrom app.core.config import settings\n\n"
                       "app = FastAPI(title=settings.APP_NAME)\n",
        "requirements.txt": "fastapi\npydantic-settings\n"})
    # DJANGO_SECRET_KEY has a default (`or 'dev'`): the app's own
    assert secret_key_variables(Project(root)) == {"SECRET_KEY"}
    _init(root, "--topology", "compose")
    env = _env(root / "shipyard.env")
    assert len(env["SECRET_KEY"]) >= 48 and "DJANGO_SECRET_KEY" not in env
    assert "env_file: [shipyard.env]" in (root / "compose.yaml").read_text()
    # read with a default, it is the app's own again
    (root / "app" / "core" / "config.py").write_text((root / "app" / "core" / "config.py").read_text().replace(
        "os.getenv('SECRET_KEY')", "os.getenv('SECRET_KEY', 'dev')"))
    assert secret_key_variables(Project(root)) == frozenset()


def test_a_password_the_app_types_as_a_number_is_made_of_digits_in_every_stacks_secrets(tmp_path):
    # a settings class's `POSTGRES_PASSWORD: int` (its README's password is 1234): the stack's random password
    # with letters stopped the release on pydantic's validation; serve's own PostgreSQL already gave it digits
    root = tmp_path / "records"
    root.mkdir()
    (root / "settings.py").write_text(
        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
        "    POSTGRES_HOST: str = 'localhost'\n    POSTGRES_USER: str = 'postgres'\n"
        "    POSTGRES_PASSWORD: int = 1234\n    POSTGRES_DB: str = 'records'\n\nsettings = Settings()\n")
    (root / "app.py").write_text("import psycopg2\nfrom flask import Flask\nfrom settings import settings\n\n"
                                 "app = Flask(__name__)\n")
    (root / "requirements.txt").write_text("flask\npsycopg2-binary\npydantic-settings\n")
    said = _init(root, "--topology", "compose").stderr
    assert "types POSTGRES_PASSWORD as a number" in said
    _init(root, "--kubernetes", "--force")
    for path in (root / "shipyard.env", root / "deploy/kubernetes/overlays/example/secrets.env"):
        env = _env(path)
        assert env["POSTGRES_PASSWORD"].isdigit() and len(env["POSTGRES_PASSWORD"]) == 32, path
        assert env["PGPASSWORD"] == env["POSTGRES_PASSWORD"] and f":{env['POSTGRES_PASSWORD']}@" in env["DATABASE_URL"]
    # without the int, the password keeps letters (token_urlsafe: digits only by a one-in-10^38 chance)
    (root / "settings.py").write_text((root / "settings.py").read_text().replace("PASSWORD: int", "PASSWORD: str"))
    (root / "shipyard.env").unlink()
    _init(root, "--topology", "compose", "--force")
    assert not _env(root / "shipyard.env")["POSTGRES_PASSWORD"].isdigit()


def test_a_part_named_variable_whose_value_is_a_url_scheme_stays_the_apps_in_the_stack(tmp_path):
    # aiohttp-rest-jwt: `POSTGRES_NAME: str = 'postgresql'` is its URL's scheme (f"{POSTGRES_NAME}://..."); the
    # stack's secrets gave it the database's name, `app`, and the release stopped on SQLAlchemy's "Can't load
    # plugin: sqlalchemy.dialects:app". serve already left it to the app (run/database.scheme_parts)
    root = tmp_path / "records"
    root.mkdir()
    (root / "settings.py").write_text(
        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
        "    POSTGRES_NAME: str = 'postgresql'\n    POSTGRES_USER: str = 'postgres'\n"
        "    POSTGRES_PASSWORD: str = '1234'\n    POSTGRES_HOST: str = 'localhost'\n"
        "    POSTGRES_DB: str = 'records'\n\nsettings = Settings()\n"
        "url = f'{settings.POSTGRES_NAME}://{settings.POSTGRES_USER}:{settings.POSTGRES_PASSWORD}@"
        "{settings.POSTGRES_HOST}/{settings.POSTGRES_DB}'\n")
    (root / "app.py").write_text("import psycopg2\nfrom flask import Flask\nfrom settings import url\n\n"
                                 "app = Flask(__name__)\n")
    (root / "requirements.txt").write_text("flask\npsycopg2-binary\npydantic-settings\n")
    _init(root, "--topology", "compose")
    env = _env(root / "shipyard.env")
    assert "POSTGRES_NAME" not in env
    assert (env["POSTGRES_DB"], env["POSTGRES_HOST"]) == ("app", "db")
    _init(root, "--kubernetes", "--force")
    assert "POSTGRES_NAME" not in _env(root / "deploy/kubernetes/overlays/example/secrets.env")


def test_django_settings_writing_the_login_at_the_stacks_db_service_get_it_made_there(tmp_path):
    """A 2020 Django 2.2 project written for its own compose file: DATABASES names user_dev/pass_dev/develop_db at
    HOST 'db'. The stack's PostgreSQL makes that login (it made role `app`, and migrate failed on password
    authentication); serve's own server is untouched by it (a host that is not this machine's: its settings
    overlay gives serve's login). A login at another service's name (redis) is no login of the stack's."""
    root = tmp_path / "site"
    (root / "conf").mkdir(parents=True)
    (root / "manage.py").write_text("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'conf.settings')\n")
    (root / "conf" / "__init__.py").write_text("")
    (root / "conf" / "wsgi.py").write_text("from django.core.wsgi import get_wsgi_application\n"
                                           "application = get_wsgi_application()\n")
    settings = ("SECRET_KEY = 'x'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql_psycopg2',\n"
                "    'NAME': 'develop_db', 'USER': 'user_dev', 'PASSWORD': 'pass_dev', 'HOST': 'db', 'PORT': 5432}}\n")
    (root / "conf" / "settings.py").write_text(settings)
    (root / "requirements.txt").write_text("Django==2.2.28\npsycopg2-binary==2.8.6\n")
    said = _init(root, "--topology", "compose").stderr
    env = _env(root / "shipyard.env")
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"], env["POSTGRES_DB"]) == ("user_dev", "pass_dev",
                                                                                    "develop_db")
    assert "app's own container" not in said                  # db is the database service itself
    services = _compose_config(root)["services"]
    assert services["db"]["environment"]["POSTGRES_USER"] == "user_dev"
    # serve's reading is unchanged: only this machine's hosts are its server's
    from shipyard.detect.written_db import written_database
    from shipyard.project import Project
    assert written_database(Project(root), "conf/settings.py") is None

    other = tmp_path / "other"
    (other / "conf").mkdir(parents=True)
    for name in ("manage.py", "conf/__init__.py", "conf/wsgi.py", "requirements.txt"):
        (other / name).write_text((root / name).read_text())
    (other / "conf" / "settings.py").write_text(settings.replace("'HOST': 'db'", "'HOST': 'redis'"))
    _init(other, "--topology", "compose")
    assert _env(other / "shipyard.env")["POSTGRES_USER"] == "app"
