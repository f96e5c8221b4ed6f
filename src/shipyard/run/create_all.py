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
import sys


def _tables(db):
    try:
        import sqlalchemy
        return set(sqlalchemy.inspect(db.engine).get_table_names())
    except Exception:          # a count for the message only: never the reason to fail
        return None


def _create(app, db):
    before = _tables(db)
    db.create_all()
    after = _tables(db)
    if before is None or after is None:
        return "created the models' tables that were missing"
    made = sorted(after - before)
    return (f"created {len(made)} table(s): {', '.join(made)}" if made
            else "every table of the models exists already: nothing created")


async def _create_async(app, db):
    # Quart's app context is entered with `async with`
    async with app.app_context():
        return _create(app, db)


def main(target):
    module, _, attr = target.partition(":")
    app = eval(attr or "app", vars(importlib.import_module(module)))
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
    sys.exit(main(sys.argv[1]))
