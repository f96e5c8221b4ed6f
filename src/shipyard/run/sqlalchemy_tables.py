"""Creates the missing tables of an app's plain SQLAlchemy models (a declarative Base, or SQLModel's table
models), run as `python -c <this file's text> ENTRY` with the APP's interpreter, from the app's folder (serve and
dev only, on a database they created: plan.first_run of an app with no migrations and no create_all of its own,
detect/first_run.py). Stand-alone on purpose, like create_all.py.

ENTRY is imported as the servers import it, so the models are loaded as when the app serves. The tables come
from the MetaData of the declarative bases the app's own modules hold, the engine from the engines they hold
(`engine = create_engine(...)` beside the Base): the one the app itself uses, with the URL it reads. Several
engines on different databases, or none, is not guessed: it says so and creates nothing. `create_all` with
checkfirst only creates what is missing: a second run changes nothing. It writes nothing but the tables.
"""

import asyncio
import importlib
import os
import sys


def _own_modules(root):
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None) or ""
        if path and os.path.abspath(path).startswith(root + os.sep) and "site-packages" not in path:
            yield module


def _found(root):
    """(the MetaData objects holding tables, the engines) the app's own modules hold."""
    from sqlalchemy import MetaData
    from sqlalchemy.engine import Engine
    kinds = (Engine,)
    try:
        from sqlalchemy.ext.asyncio import AsyncEngine
        kinds += (AsyncEngine,)
    except ImportError:            # SQLAlchemy before 1.4
        pass
    metadatas, engines = {}, {}
    for module in _own_modules(root):
        for value in list(vars(module).values()):
            if isinstance(value, kinds):
                engines[id(value)] = value
            elif isinstance(value, MetaData) and value.tables:
                metadatas[id(value)] = value
            elif isinstance(value, type) and isinstance(getattr(value, "metadata", None), MetaData) \
                    and value.metadata.tables:
                metadatas[id(value.metadata)] = value.metadata
    return list(metadatas.values()), list(engines.values())


def _url(engine):
    url = engine.url
    return url.render_as_string(hide_password=True) if hasattr(url, "render_as_string") else repr(url)


def _names(engine):
    import sqlalchemy
    try:
        if hasattr(engine, "sync_engine"):
            return None            # counted only on a plain engine
        return set(sqlalchemy.inspect(engine).get_table_names())
    except Exception:              # a count for the message only: never the reason to fail
        return None


async def _create_async(engine, metadatas):
    async with engine.begin() as conn:
        for metadata in metadatas:
            await conn.run_sync(metadata.create_all)


def main(target):
    module, _, attr = target.partition(":")
    root = os.path.abspath(os.getcwd())
    importlib.import_module(module)
    metadatas, engines = _found(root)
    if not metadatas:
        print(f"shipyard: importing {module} loads no SQLAlchemy models' tables: no table created", file=sys.stderr)
        return 1
    urls = {_url(e) for e in engines}
    if len(urls) != 1:
        said = "no engine" if not urls else f"{len(urls)} engines on different databases ({', '.join(sorted(urls))})"
        print(f"shipyard: the app's modules hold {said}: which database gets the models' tables is not guessed; "
              "no table created (create them with Base.metadata.create_all(engine))", file=sys.stderr)
        return 1
    engine = engines[0]
    before = _names(engine)
    if hasattr(engine, "sync_engine"):
        asyncio.run(_create_async(engine, metadatas))
    else:
        for metadata in metadatas:
            metadata.create_all(engine, checkfirst=True)
    after = _names(engine)
    if before is None or after is None:
        said = "created the models' tables that were missing"
    else:
        made = sorted(after - before)
        said = (f"created {len(made)} table(s): {', '.join(made)}" if made
                else "every table of the models exists already: nothing created")
    print(f"shipyard: {said} (metadata.create_all() of the app's SQLAlchemy models, on {_url(engine)})")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2:
        # the entry's import folder (`python backend/app.py` run from the root): first on sys.path, as the
        # server has it
        sys.path.insert(0, os.path.abspath(sys.argv[2]))
    sys.exit(main(sys.argv[1]))
