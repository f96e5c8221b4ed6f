"""Creates the missing tables of an app's peewee models, run as `python -c <this file's text> ENTRY` with the APP's
interpreter, from the app's folder (serve and dev only, on a database they created: plan.first_run of a peewee app
whose code makes no table itself and has no peewee-migrate migrations, detect/first_run.py). Stand-alone on
purpose, like sqlalchemy_tables.py.

ENTRY is imported as the servers import it, so the models are loaded as when the app serves, each bound to the
database its Meta names (`db = PostgresqlDatabase(os.getenv('DATABASE'))`, with what serve gives the app). Each
database gets the tables of its own models, in dependency order, with safe=True (CREATE TABLE IF NOT EXISTS): a
second run changes nothing. It writes nothing but the tables; a model bound to no database is left alone.
"""

import importlib
import os
import sys


def _own_models(root):
    """The peewee Model classes the app's own modules define (not peewee's, nor a package's)."""
    import peewee
    seen, out = set(), []
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None) or ""
        if not path or not os.path.abspath(path).startswith(root + os.sep) or "site-packages" in path:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, type) and issubclass(value, peewee.Model) and value is not peewee.Model \
                    and value.__module__ == module.__name__ and id(value) not in seen:
                seen.add(id(value))
                out.append(value)
    return out


def main(target):
    module = target.partition(":")[0]
    root = os.path.abspath(os.getcwd())
    importlib.import_module(module)
    models = _own_models(root)
    by_database = {}
    for model in models:
        database = getattr(model._meta, "database", None)
        # a base the other models subclass (BaseModel, with only Meta.database) is no table of the app's; a model
        # bound to no database (or an uninitialised one) is left alone
        if database is None or getattr(database, "deferred", False) \
                or any(other is not model and issubclass(other, model) for other in models):
            continue
        by_database.setdefault(id(database), (database, []))[1].append(model)
    if not by_database:
        print(f"shipyard: importing {module} loads no peewee models bound to a database: no table created",
              file=sys.stderr)
        return 0
    for database, models in by_database.values():
        before = set(database.get_tables())
        database.create_tables(models, safe=True)
        made = sorted(set(database.get_tables()) - before)
        said = f"created {len(made)} table(s): {', '.join(made)}" if made else \
            "every table of the models exists already: nothing created"
        print(f"shipyard: {said} (create_tables() of the app's peewee models, on {database.database})")
        if not database.is_closed():
            database.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2:
        sys.path.insert(0, os.path.abspath(sys.argv[2]))
    sys.exit(main(sys.argv[1]))
