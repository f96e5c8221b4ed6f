"""An app whose tables its models make (create_all at start-up) and whose Alembic history only alters them
afterwards (`op.add_column("users", ...)` as the first revision): on a new database `alembic upgrade head` stops
on "no such table: users". On a database serve made in this run, the models' tables are made through the app's
own env.py and the history stamped at head; on any other, the upgrade's error stands. A real install of Alembic,
real migrations into new SQLite files."""

from __future__ import annotations

import os
import sqlite3

import pytest

from conftest import make_tree
from shipyard.errors import ShipyardError
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env
from shipyard.run.migrate import run_migrations

pytestmark = pytest.mark.slow

MODELS = """from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String)
    phone = Column(String)
"""
APP = """def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"""
# as `alembic init` writes it, with the models imported and target_metadata left None (the app's own env.py)
ENV_PY = """from alembic import context
from sqlalchemy import create_engine

from models import Base

target_metadata = Base.metadata
target_metadata = None

with create_engine(context.config.get_main_option("sqlalchemy.url")).connect() as connection:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
"""
PHONE = """import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade():
    op.add_column("users", sa.Column("phone", sa.String(), nullable=True))


def downgrade():
    op.drop_column("users", "phone")
"""


# where Alembic's config says the history is: alembic.ini's script_location, or (Alembic 1.16) only pyproject.toml's
# [tool.alembic], with no alembic.ini at all
CONFIGS = {
    "alembic.ini": {"requirements.txt": "alembic>=1.7\nSQLAlchemy>=1.4\n",
                    "alembic.ini": "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///todo.db\n"},
    "pyproject.toml": {"requirements.txt": "alembic>=1.16\nSQLAlchemy>=1.4\n",
                       "pyproject.toml": '[tool.alembic]\nscript_location = "%(here)s/migrations"\n'},
}


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_a_history_that_alters_tables_it_never_creates_gets_the_models_tables_on_a_new_database(tmp_path, config):
    root = make_tree(tmp_path / "todo", {
        "wsgi.py": APP,
        "models.py": MODELS,
        **CONFIGS[config],
        "migrations/env.py": ENV_PY,
        "migrations/script.py.mako": "",
        "migrations/versions/0001_phone.py": PHONE,
    })
    plan = make_plan(root, {"entry": "wsgi:app"}, confirm=False, installed=False)
    assert plan.release.argv == ("python", "-m", "alembic", "upgrade", "head"), plan.release
    env = install_app_env(root, plan, lambda line: None)
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}

    # a database serve did not make in this run (the user's, `shipyard migrate`): the upgrade's own error
    with pytest.raises(ShipyardError, match=r"failed .*no such table: users"):
        run_migrations(plan, root, env, environ=environ, database_url=f"sqlite:///{tmp_path / 'theirs.db'}")

    ours = tmp_path / "ours.db"
    notes = run_migrations(plan, root, env, environ=environ, database_url=f"sqlite:///{ours}", fresh=True)
    assert notes[0].startswith("warning: migrations/versions/0001_phone.py alters table 'users', which no "
                               "revision before it creates"), notes
    assert "`alembic stamp head`" in notes[0]
    columns = {row[1] for row in sqlite3.connect(ours).execute("pragma table_info(users)")}
    assert {"id", "name", "phone"} <= columns, columns
    assert [row[0] for row in sqlite3.connect(ours).execute("select version_num from alembic_version")] == ["0001"]
    # the next upgrade starts from the head: nothing to apply, nothing fails
    assert run_migrations(plan, root, env, environ=environ, database_url=f"sqlite:///{ours}") == \
        ["migrations applied with Alembic (alembic upgrade head)"]
