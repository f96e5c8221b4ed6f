"""Creates the missing tables of a Flask-SQLAlchemy app's models, run as `python -c <this file's text> ENTRY`
with the APP's interpreter, from the app's folder (serve and dev only: plan.first_run of an app that has no
migrations, detect/first_run.py). Stand-alone on purpose: Shipyard is not installed in the app's environment,
and `-c` keeps this file's folder off sys.path. It writes nothing but the tables.

ENTRY is the plan's entry ("autoapp:app", "blog:create_app()"), loaded as the servers load it, so the app's
models are imported as they are when it serves. The SQLAlchemy object is `app.extensions["sqlalchemy"]`
(Flask-SQLAlchemy 3 stores it there; 2.x stores a state whose `.db` is it). `create_all()` only creates
what is missing: a second run changes nothing.
"""

import asyncio
import importlib
import os
import sys


def _tables(db):
    try:
        import sqlalchemy
        return set(sqlalchemy.inspect(db.engine).get_table_names())
    except Exception:          # a count for the message only: never the reason to fail
        return None


def _one_by_one(db):
    """After a table the database refuses (a model's own mistake, e.g. a foreign key to a column that is not
    unique, which PostgreSQL rejects): every other table of the default database, each on its own, so the
    pages that do not need the refused one work. Returns the tables still refused."""
    refused = []
    for table in db.Model.metadata.sorted_tables:
        if table.info.get("bind_key") or getattr(table.metadata, "info", {}).get("bind_key"):
            continue
        try:
            table.create(bind=db.engine, checkfirst=True)
        except Exception as exc:
            refused.append(f"{table.name} ({str(getattr(exc, 'orig', exc)).strip().splitlines()[0]})")
    return refused or None


def _create(app, db):
    before = _tables(db)
    refused = None
    try:
        db.create_all()
    except Exception as exc:
        print(f"shipyard: db.create_all() stopped: {exc}", file=sys.stderr)
        refused = _one_by_one(db) if hasattr(db, "Model") else ["(the models' metadata is not reachable)"]
    after = _tables(db)
    if before is None or after is None:
        said = "created the models' tables that were missing"
    else:
        made = sorted(after - before)
        said = (f"created {len(made)} table(s): {', '.join(made)}" if made
                else "every table of the models exists already: nothing created")
    if refused:
        raise SystemExit(f"shipyard: {said}; the database refused {', '.join(refused)}")
    return said


async def _create_async(app, db):
    # Quart's app context is entered with `async with`
    async with app.app_context():
        return _create(app, db)


def _run_as_main(module):
    """The globals `python -m module` leaves, with Flask's and Quart's app.run() made no-ops."""
    import runpy
    for name, cls in (("flask", "Flask"), ("quart", "Quart")):
        try:
            setattr(getattr(importlib.import_module(name), cls), "run", lambda *args, **kwargs: None)
        except (ImportError, AttributeError):
            pass
    return runpy.run_module(module, run_name="__main__", alter_sys=True)


def main(target):
    module, _, attr = target.partition(":")
    try:
        app = eval(attr or "app", vars(importlib.import_module(module)))
    except NameError:
        # an app the script makes, or imports and sets up, only in its `__main__` block (the entry's main_setup):
        # run it as __main__, as shipyard_entry.py serves it, with the development server made a no-op
        app = eval(attr or "app", _run_as_main(module))
    ext = (getattr(app, "extensions", None) or {}).get("sqlalchemy")
    db = getattr(ext, "db", ext)
    if db is None or not hasattr(db, "create_all"):
        print(f"shipyard: {target} has no Flask-SQLAlchemy extension (app.extensions['sqlalchemy']): "
              "no table created", file=sys.stderr)
        return 1
    context = app.app_context()
    if hasattr(context, "__enter__"):
        with context:
            said = _create(app, db)
    else:
        said = asyncio.run(_create_async(app, db))
    print(f"shipyard: {said} (db.create_all())")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2:
        # the entry's import folder (`python backend/app.py` run from the root): first on sys.path, as the
        # server has it
        sys.path.insert(0, os.path.abspath(sys.argv[2]))
    sys.exit(main(sys.argv[1]))
