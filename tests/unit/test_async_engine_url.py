"""An app that opens its SQLAlchemy engine with the asyncio API reads a URL that must name its async driver:
the URL serve (and compose, Kubernetes) gives it names the one it declares, unless the code adds it itself;
a migration env that removes the driver again needs the dialect's default one (psycopg2)."""

from __future__ import annotations

import pytest

from conftest import async_app_writing_no_url, make_tree
from shipyard import dburl
from shipyard.planner import make_plan


def plan_of(root):
    return make_plan(root, confirm=False, installed=False)


def test_an_async_engine_on_a_url_the_app_does_not_write_gets_its_declared_async_driver(tmp_path):
    plan = plan_of(async_app_writing_no_url(tmp_path / "app"))
    assert dburl.url_scheme(plan) == "postgresql+asyncpg"
    # its Alembic env removes "+asyncpg": SQLAlchemy then loads its default driver, which the plan adds, saying
    # why: psycopg (3) for the SQLAlchemy 2.1 that `SQLAlchemy[asyncio]>=2.0` admits
    driver = next(d for d in plan.dependencies if d.name in ("psycopg", "psycopg2"))
    assert driver.name == "psycopg", driver
    assert driver.inferred and "migrations/env.py makes by removing '+asyncpg'" in driver.source


@pytest.mark.parametrize("sqlalchemy, driver", [("SQLAlchemy[asyncio]==2.0.41", "psycopg2"),
                                                ("SQLAlchemy[asyncio]>=1.4,<2.1", "psycopg2"),
                                                ("SQLAlchemy[asyncio]", "psycopg")])
def test_the_driver_for_a_url_the_code_strips_is_the_default_of_the_sqlalchemy_declared(tmp_path, sqlalchemy,
                                                                                         driver):
    root = async_app_writing_no_url(tmp_path / "app")
    (root / "requirements.txt").write_text(f"starlette\n{sqlalchemy}\nasyncpg\nalembic\n")
    names = {d.name for d in plan_of(root).dependencies if d.inferred}
    assert driver in names and ({"psycopg", "psycopg2"} - {driver}).isdisjoint(names), names


@pytest.mark.parametrize("requirements, scheme", [("SQLAlchemy[asyncio]\npsycopg[binary]\n", "postgresql+psycopg"),
                                                  ("SQLAlchemy[asyncio]\nasyncpg\npsycopg\n", "postgresql+asyncpg")])
def test_the_async_driver_is_the_one_the_app_declares(tmp_path, requirements, scheme):
    app = async_app_writing_no_url(tmp_path / "app")
    (app / "requirements.txt").write_text("starlette\n" + requirements)
    (app / "migrations" / "env.py").unlink()
    assert dburl.url_scheme(plan_of(app)) == scheme


def test_an_app_that_adds_the_driver_to_the_url_itself_gets_the_plain_one_it_expects(tmp_path):
    # given postgresql+asyncpg://, this app would make postgresql+asyncpg+asyncpg://
    code = (async_app_writing_no_url(tmp_path / "app") / "app.py").read_text().replace(
        'create_async_engine(os.environ["DB_URI"])',
        'create_async_engine(os.environ["DB_URI"].replace("postgresql", "postgresql+asyncpg", 1))')
    make_tree(tmp_path / "own", {"app.py": code, "requirements.txt": "starlette\nSQLAlchemy[asyncio]\nasyncpg\n"})
    assert dburl.url_scheme(plan_of(tmp_path / "own")) == "postgresql"


def test_a_synchronous_engine_keeps_the_plain_url(tmp_path):
    make_tree(tmp_path, {"app.py": "import os\nimport sqlalchemy\nfrom starlette.applications import Starlette\n"
                                   "engine = sqlalchemy.create_engine(os.environ['DB_URI'])\napp = Starlette()\n",
                         "requirements.txt": "starlette\nSQLAlchemy\nasyncpg\n"})
    assert dburl.url_scheme(plan_of(tmp_path)) == "postgresql"
