"""Small programs run with the app's interpreter, in its folder, that say where its SQLite database is (and
make it): `serve` runs them on this machine (run/sqlite_release.py, run/first_run.py), and the image's runtime
runs the same ones in a fresh container (render/database_setup.py). Each prints its answer as JSON on its last
line.
"""

# prints the SQLite files the app's config names, and those its own modules open with sqlite3.connect, absolute
# (relative ones are relative to the app's folder, as the app opens them); the entry is loaded as the servers
# load it ("app", "create_app()")
CONFIG_SQLITE = """\
import importlib, json, os, re, sqlite3, sys
module, _, attr = os.environ["SHIPYARD_ENTRY"].partition(":")
if os.environ.get("SHIPYARD_IMPORT_FOLDER"):      # a script run by its path from above (`python app/app.py`)
    sys.path.insert(0, os.path.abspath(os.environ["SHIPYARD_IMPORT_FOLDER"]))
try:
    app = eval(attr, vars(importlib.import_module(module)))
except NameError:
    app = None      # bottle's default_app(), which the module does not name: its own database objects still count
config = getattr(app, "config", None) or {}
engine_known = "sqlalchemy" in (getattr(app, "extensions", None) or {})
names = []
for key, value in list(config.items()):
    if not isinstance(key, str) or not re.search(r"DATABASE|DB|SQLITE", key.upper()):
        continue
    value = os.fspath(value) if isinstance(value, os.PathLike) else value
    if not isinstance(value, str) or not value:
        continue
    if value.startswith("sqlite:"):
        # Flask-SQLAlchemy resolves a relative URL itself: its engine is read by sqlite_release
        path = "" if engine_known or ":///" not in value else value.split(":///", 1)[1].split("?", 1)[0]
    elif re.search(r"[.](db|db3|sqlite|sqlite3)$", value, re.I):
        path = value
    else:
        continue
    if path and path != ":memory:" and not path.startswith("file:"):
        names.append(os.path.abspath(path))
# the entry module's own database objects: peewee's `db = SqliteDatabase("app.db")`, a SQLAlchemy engine, also
# held by a class it names (`class Config: ENGINE = create_engine("sqlite:///app.db")`); then those of the app's
# other modules the import loaded (routes.py importing models.py's engine), files of this folder outside site-packages
entry = importlib.import_module(module)
here = os.path.abspath(os.getcwd()) + os.sep
own = [m for m in list(sys.modules.values()) if m is not entry and isinstance(getattr(m, "__file__", None), str)
       and os.path.abspath(m.__file__).startswith(here) and "site-packages" not in m.__file__]
objects = list(vars(entry).values()) + [v for m in own for v in list(vars(m).values())]
objects += [v for o in objects if isinstance(o, type) for v in list(vars(o).values())]
for value in objects:
    # a SQLAlchemy engine, or the async one (`create_async_engine("sqlite+aiosqlite:///test.db")`)
    path, url = None, getattr(value, "url", None) if type(value).__name__ in ("Engine", "AsyncEngine") else None
    if type(value).__name__.endswith("SqliteDatabase"):
        path = getattr(value, "database", None)
    elif hasattr(url, "get_backend_name") and url.get_backend_name() == "sqlite":
        path = url.database
    if isinstance(path, str) and path and path != ":memory:" and not path.startswith("file:"):
        names.append(os.path.abspath(path))
# the file the app's own modules open with sqlite3.connect("blog.db") (the Flask tutorials' get_db_connection()),
# written there or as a module constant (`DATABASE_PATH = "mylib/database.sqlite"`, or a pathlib.Path, then
# connect(DATABASE_PATH))
import ast
for m in [entry, *own]:
    try:
        with open(m.__file__, encoding="utf-8") as source:
            tree = ast.parse(source.read())
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError, TypeError):
        continue
    space = vars(m)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            opener = space.get(func.value.id) is sqlite3 and func.attr == "connect"
        else:
            opener = isinstance(func, ast.Name) and space.get(func.id) is sqlite3.connect
        arg = node.args[0]
        # Python before 3.8 parses a string as ast.Str (its .s), which 3.12 no longer has
        path = arg.value if isinstance(arg, ast.Constant) else arg.s if type(arg).__name__ == "Str" else \
            space.get(arg.id) if isinstance(arg, ast.Name) else None
        # a module constant built as a path: `DB_PATH = Path(__file__).parent / "inventory.db"`
        path = os.fspath(path) if isinstance(path, os.PathLike) else path
        if opener and isinstance(path, str) and path and path != ":memory:" and not path.startswith("file:"):
            names.append(os.path.abspath(path))
print(json.dumps(sorted(set(names))))
"""

# Django's SQLite databases, from the settings module DJANGO_SETTINGS_MODULE names (the settings alone: no app is
# loaded, nothing connects)
DJANGO_SQLITE = """\
import json, os
from django.conf import settings
names = [os.fspath(db.get("NAME") or "") for db in settings.DATABASES.values() if "sqlite3" in str(db.get("ENGINE", ""))]
print(json.dumps([os.path.abspath(n) for n in names if n and n != ":memory:" and not n.startswith("file:")]))
"""

# Flask-SQLAlchemy (2.x and 3.x) through Flask's own app loader (FLASK_APP works from Flask 1.0 on): prints the
# SQLite file of the app's engine; with "create", makes it (Flask-Migrate's upgrade when the app has it)
FLASK_SQLITE = """\
import json, os, sys
if os.environ.get("SHIPYARD_IMPORT_FOLDER"):      # the entry's modules import their siblings (`from models import`)
    sys.path.insert(0, os.path.abspath(os.environ["SHIPYARD_IMPORT_FOLDER"]))
from flask.cli import ScriptInfo
app = ScriptInfo(app_import_path=os.environ["FLASK_APP"]).load_app()
with app.app_context():
    ext = app.extensions.get("sqlalchemy")
    db = getattr(ext, "db", ext)
    url = db.engine.url if db is not None else None
    name = url.database if url is not None and url.get_backend_name() == "sqlite" else ""
    name = os.path.join(app.root_path, name) if name and name != ":memory:" and not os.path.isabs(name) else name
    if sys.argv[1:] == ["create"]:
        if "migrate" in app.extensions and os.path.isfile(os.path.join("migrations", "env.py")):
            import flask_migrate
            flask_migrate.upgrade()
            print(json.dumps("Flask-Migrate's upgrade"))
        else:
            db.create_all()
            print(json.dumps("the models' tables (db.create_all())"))
    else:
        print(json.dumps([name] if name else []))
"""
