"""A Flask-Migrate history that creates a table twice (a regenerated first migration kept beside the old one):
found by reading the revision files, and on a database serve made in this run the models' tables are made with
create_all and the history stamped at head instead of the upgrade's "already exists"."""

from __future__ import annotations

import pytest

from shipyard import spawn
from shipyard.detect.recreated_tables import Assumed, Recreated, assumed_tables, recreated_tables
from shipyard.environments import Environment
from shipyard.errors import ShipyardError
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.run.migrate import run_migrations

from conftest import make_tree

REVISION = '''
from alembic import op
import sqlalchemy as sa

revision = "{rev}"
down_revision = {down}


def upgrade():
{body}


def downgrade():
    pass
'''
CREATE = "    op.create_table('{0}', sa.Column('id', sa.Integer(), nullable=False))\n"
APP = {
    "app.py": """
        from flask import Flask
        from flask_migrate import Migrate
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        migrate = Migrate()


        class User(db.Model):
            __tablename__ = "users"
            id = db.Column(db.Integer, primary_key=True)


        def create_app():
            app = Flask(__name__)
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
            db.init_app(app)
            migrate.init_app(app, db)
            return app
        """,
    "requirements.txt": "flask\nflask-sqlalchemy\nflask-migrate\n",
    "migrations/env.py": "from alembic import context\n",
    "migrations/alembic.ini": "[alembic]\n",
}


def _history(root, *revisions):
    for name, rev, down, tables in revisions:
        body = "".join(CREATE.format(t) if not t.startswith("-") else f"    op.drop_table('{t[1:]}')\n"
                       for t in tables) or "    pass\n"
        make_tree(root, {f"migrations/versions/{name}.py": REVISION.format(rev=rev, down=down, body=body)})
    return root


@pytest.mark.parametrize("revisions, found", [
    # the 2022 todo API's shape: the first migration regenerated, chained after the old one
    ([("4452_", "4452", None, ["users", "todo"]), ("11a9_", "11a9", "'4452'", ["users", "todo", "tokens"])],
     [("todo", "4452_", "11a9_"), ("users", "4452_", "11a9_")]),
    # dropped in between, then made again: a history that applies
    ([("a_", "a", None, ["users"]), ("b_", "b", "'a'", ["-users"]), ("c_", "c", "'b'", ["users"])], []),
    # an ordinary history
    ([("a_", "a", None, ["users"]), ("b_", "b", "'a'", ["todo"])], []),
    # two branches that each create the same table are not one chain (migration_heads says what to do)
    ([("a_", "a", None, []), ("b_", "b", "'a'", ["users"]), ("c_", "c", "'a'", ["users"])], []),
])
def test_tables_a_history_creates_twice_are_found(tmp_path, revisions, found):
    root = _history(make_tree(tmp_path, APP), *revisions)
    assert recreated_tables(Project(root), "migrations/versions") == [
        Recreated(t, f"migrations/versions/{a}.py", f"migrations/versions/{b}.py") for t, a, b in found]


ADD_COLUMN = "    op.add_column('{0}', sa.Column('phone', sa.String(), nullable=True))\n"
INDEX = "    op.create_index('ix_{0}_phone', '{0}', ['phone'])\n"


@pytest.mark.parametrize("revisions, found", [
    # the 2025 FastAPI todo's shape: create_all made the tables at start-up, the first revision adds a column
    ([("a_", "a", None, ADD_COLUMN.format("users")), ("b_", "b", "'a'", CREATE.format("address")),
      ("c_", "c", "'b'", ADD_COLUMN.format("address") + INDEX.format("users"))],
     [("users", "a_")]),
    # an ordinary history: every table it alters, a revision before made
    ([("a_", "a", None, CREATE.format("users")), ("b_", "b", "'a'", ADD_COLUMN.format("users"))], []),
    # made and altered in the same revision
    ([("a_", "a", None, CREATE.format("users") + INDEX.format("users"))], []),
    # dropped, then altered: the history alters a table it removed
    ([("a_", "a", None, CREATE.format("users")), ("b_", "b", "'a'", "    op.drop_table('users')\n"),
      ("c_", "c", "'b'", ADD_COLUMN.format("users"))], [("users", "c_")]),
])
def test_tables_a_history_alters_without_creating_them_are_found(tmp_path, revisions, found):
    root = make_tree(tmp_path, APP)
    for name, rev, down, body in revisions:
        make_tree(root, {f"migrations/versions/{name}.py": REVISION.format(rev=rev, down=down, body=body)})
    assert assumed_tables(Project(root), "migrations/versions") == [
        Assumed(t, f"migrations/versions/{r}.py") for t, r in found]
    # and they are not tables created twice
    assert recreated_tables(Project(root), "migrations/versions") == []


class _Env(Environment):
    def require(self, module: str, why: str) -> None:     # flask_migrate is the app's, not Shipyard's own
        pass


@pytest.mark.parametrize("fresh, error, falls_back", [
    (True, 'sqlalchemy.exc.ProgrammingError: relation "users" already exists', True),
    # a database that is not new (the user's data, `shipyard migrate`): never replaced by create_all
    (False, 'sqlalchemy.exc.ProgrammingError: relation "users" already exists', False),
    # another failure: the upgrade's own error
    (True, "sqlalchemy.exc.OperationalError: connection refused", False),
])
def test_serve_makes_the_tables_and_stamps_head_on_a_new_database(tmp_path, monkeypatch, fresh, error, falls_back):
    root = _history(make_tree(tmp_path, APP), ("a_", "a", None, ["users"]), ("b_", "b", "'a'", ["users"]))
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release is not None and plan.release.what.startswith("Flask-Migrate")
    calls = []
    answers = iter([(1, error), (0, ""), (0, "")])
    monkeypatch.setattr(spawn, "call_keeping_errors", lambda argv, **kw: calls.append(list(argv)) or next(answers))
    env = _Env("/app/.venv/bin/python", "the app's .venv", "app")
    if not falls_back:
        with pytest.raises(ShipyardError, match="Flask-Migrate .* failed"):
            run_migrations(plan, root, env, fresh=fresh)
        assert len(calls) == 1
        return
    notes = run_migrations(plan, root, env, fresh=True)
    assert notes[0].startswith("warning: migrations/versions/b_.py creates table 'users', which "
                               "migrations/versions/a_.py already created")
    assert calls[0][-2:] == ["db", "upgrade"]
    assert calls[1][:2] == ["/app/.venv/bin/python", "-c"] and calls[1][-1] == plan.entry.target
    assert calls[2][0] == "/app/.venv/bin/python" and calls[2][-3:] == ["db", "stamp", "head"]
