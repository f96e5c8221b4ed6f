"""Where an app makes its SQLAlchemy tables itself (detect/own_create_all.py)."""

from __future__ import annotations

from conftest import make_tree
from shipyard.detect.own_create_all import own_create_all
from shipyard.project import Project


def test_create_all_at_import_in_a_lifespan_and_handed_to_run_sync(tmp_path):
    at_import = make_tree(tmp_path / "a", {"database.py": "from models import Base\nengine = None\n\n"
                                                          "Base.metadata.create_all(bind=engine)\n"})
    assert own_create_all(Project(at_import)) == "database.py, line 4"
    handed = make_tree(tmp_path / "b", {"app/main.py": "async def lifespan(app):\n    async with engine.begin() as c:\n"
                                                       "        await c.run_sync(SQLModel.metadata.create_all)\n"})
    assert own_create_all(Project(handed)) == "app/main.py, line 3"
    bare = make_tree(tmp_path / "c", {"db.py": "metadata.create_all(engine)\n"})
    assert own_create_all(Project(bare)) == "db.py, line 1"


def test_tests_migrations_and_other_create_alls_do_not_count(tmp_path):
    root = make_tree(tmp_path / "d", {
        "tests/conftest.py": "Base.metadata.create_all(engine)\n",
        "test_models.py": "Base.metadata.create_all(engine)\n",
        "alembic/versions/0001_x.py": "Base.metadata.create_all(op.get_bind())\n",
        "app.py": "db.create_all()\nmanager.create_all()\n",   # Flask-SQLAlchemy's is another step of its own
    })
    assert own_create_all(Project(root), "alembic/versions") is None
