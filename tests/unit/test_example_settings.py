"""A setting the code requires (read with no default) that only the README's `.env` block gives: serve takes its value
for a run here; build's check and the compose stack's secrets file now start from it too (the stack's release stopped
on `DB_ECHO ... valid boolean`). Secrets, hosts, URLs, ports and debug switches are not taken."""

from __future__ import annotations

from conftest import make_tree
from shipyard.commands.build import check_env
from shipyard.detect.example_settings import example_settings
from shipyard.plan import Plan
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import Target, render
from shipyard.render.render import secrets_env

SETTINGS = """
    import os

    from pydantic_settings import BaseSettings


    class Settings(BaseSettings):
        DATABASE_URL: str = os.getenv('DATABASE_URL')
        DB_ECHO: bool = os.getenv('DB_ECHO')
        API_TOKEN: str = os.getenv('API_TOKEN')
        DEBUG: bool = os.getenv('DEBUG')
        PAGE_SIZE: int = os.getenv('PAGE_SIZE', '20')
        MODE: str = os.getenv('MODE')
        CACHE_HOST: str = os.getenv('CACHE_HOST')


    settings = Settings()
    """

README = """
    # Products

    ## .env file example

    ```env
    DATABASE_URL=postgresql+asyncpg://postgres:12345@db:5432/products
    DB_ECHO=True
    API_TOKEN=abc
    DEBUG=True
    PAGE_SIZE=50
    MODE=shop
    CACHE_HOST=cache
    UNREAD=1
    ```
    """

MAIN = """
    from fastapi import FastAPI
    from sqlalchemy.ext.asyncio import create_async_engine

    from app.settings import settings

    engine = create_async_engine(settings.DATABASE_URL, echo=settings.DB_ECHO)
    app = FastAPI()
    """


def _app(tmp_path):
    return make_tree(tmp_path / "products", {"app/__init__.py": "", "app/settings.py": SETTINGS, "app/main.py": MAIN,
                                             "README.md": README,
                                             "requirements.txt": "fastapi\npydantic-settings\nSQLAlchemy\nasyncpg\n"})


def test_only_required_plain_settings_are_taken_from_the_readmes_env(tmp_path):
    found = example_settings(Project(_app(tmp_path)), ".", "app.main")
    assert [(n, v) for n, v, _ in found] == [("DB_ECHO", "True"), ("MODE", "shop")]
    assert found[0][2] == "the .env its README shows (README.md)"
    # an app with its own .env has its configuration: nothing is taken from an example
    root = _app(tmp_path / "own")
    (root / ".env").write_text("DB_ECHO=False\n")
    assert example_settings(Project(root), ".", "app.main") == ()


def test_the_stacks_secrets_file_and_builds_check_start_from_them(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    plan = make_plan(_app(tmp_path), {"topology": "compose"}, confirm=False, installed=False)
    assert [(n, v) for n, v, _ in plan.example_settings] == [("DB_ECHO", "True"), ("MODE", "shop")]
    assert Plan.from_json(plan.to_json()) == plan
    assert ("the code requires DB_ECHO, MODE (read with no default), which only the .env its README shows (README.md) "
            "gives: build's check and the compose stack's secrets file take DB_ECHO=True MODE=shop") in "\n".join(
        plan.notes)
    text = secrets_env(plan, "pw")
    assert text.endswith("# settings the app requires (read with no default), as the .env its README shows "
                         "(README.md) gives them: edit to your own\nDB_ECHO=True\nMODE=shop\n"), text
    assert text.count("DATABASE_URL=") == 1 and "@db:5432/products" not in text
    assert "env_file: [shipyard.env]" in render(plan, Target.image())["compose.yaml"]
    items, _, _, taken = check_env(["MODE=mine"], {}, (), plan.example_settings)
    assert items == ["MODE=mine", "DB_ECHO=True"] and taken == ["DB_ECHO=True"]


def test_the_kubernetes_overlay_secret_holds_them_and_the_pod_reads_them(tmp_path, monkeypatch):
    from shipyard.render import kubernetes
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    plan = make_plan(_app(tmp_path), confirm=False, installed=False)
    assert kubernetes.example_names(plan) == ("DB_ECHO", "MODE")
    assert kubernetes.secrets_env(plan, "pw").endswith("DB_ECHO=True\nMODE=shop\n")
    deployment = "\n".join(text for path, text in kubernetes.files(plan).items() if "deployment" in path)
    assert "- name: DB_ECHO\n              valueFrom:\n                secretKeyRef:" in deployment, deployment


def test_builds_check_takes_them_for_a_dockerfile_init_wrote_too(tmp_path, monkeypatch):
    # the usual path: `shipyard init`, then `shipyard build` on the app's folder (its Dockerfile now exists)
    from shipyard.commands.build import prepare_context
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _app(tmp_path)
    (root / "Dockerfile").write_text("FROM python:3.12-slim\nCOPY . /app\n")
    ctx, chosen, _ = prepare_context(root, {}, fresh=False, confirm=False)
    assert [(n, v) for n, v, _ in chosen["_example_settings"]] == [("DB_ECHO", "True"), ("MODE", "shop")]


def test_a_sqlite_url_only_the_example_gives_is_taken(tmp_path):
    """A 2026 notes product: create_app() sets SQLALCHEMY_DATABASE_URI = os.environ.get('DATABASE_URI') (no default),
    and only .env.example gives DATABASE_URI=sqlite:///db.sqlite3: the image's check and the stack's app stopped on
    Flask-SQLAlchemy's "Either 'SQLALCHEMY_DATABASE_URI' or 'SQLALCHEMY_BINDS' must be set". A SQLite file's URL
    names no host and no secret: taken; a server's URL still is not."""
    root = make_tree(tmp_path / "notes", {
        "app.py": "import os\nfrom flask import Flask\n\napp = Flask(__name__)\n"
                  "app.config['SQLALCHEMY_DATABASE_URI'] = os.environ.get('DATABASE_URI')\n"
                  "app.config['CACHE_URL'] = os.environ.get('CACHE_URL')\n",
        ".env.example": 'DATABASE_URI="sqlite:///db.sqlite3"\nCACHE_URL=redis://localhost:6379/0\n'
                        'SECRET_KEY="super_secret_here"\n',
        "requirements.txt": "flask\nflask-sqlalchemy\n"})
    found = example_settings(Project(root), ".", "app")
    assert [(n, v) for n, v, _ in found] == [("DATABASE_URI", "sqlite:///db.sqlite3")]
