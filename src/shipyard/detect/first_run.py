"""The app's own database-initialisation command: what its README asks a person to run once after cloning
(Flask's tutorial `flask --app flaskr init-db`, a Poetry script `init_db = "blog:init_db"`), without which
every page that reads a table answers 500.

Found by reading the source (ast), never by running it, first match wins:
  * a click command on the app's CLI: `@app.cli.command("init-db")`, or `@click.command("init-db")` added
    with `app.cli.add_command(...)` (Flask and Quart; run as `python -m flask|quart --app ENTRY NAME`);
  * a command of a manage script next to the app (`cli = FlaskGroup(app)`, `@cli.command("create_db")`,
    `if __name__ == "__main__": cli()`; run as `python manage.py create_db`; or a `@click.command("generate-db")`
    the script adds with `cli.add_command(...)`), or an argparse subcommand of one
    (`add_parser("init_db").set_defaults(func=...)`; run as `python script.py init_db`);
  * a script of the project (`[project.scripts]`, `[tool.poetry.scripts]`, setup.py's console_scripts)
    pointing at a function (run as `python -c "from MODULE import FUNC; FUNC()"`; a Pyramid app's
    `initialize_<project>_db` gets its paste ini as argv[1], as its README runs it);
  * a file next to the app named for it (create_db.py, init_db.py) that runs with no argument
    (run as `python create_db.py`);
  * a file next to the app, named otherwise, that its README runs (`python3 database.py` before `python3
    main.py`) and that makes tables when run: a create_all()/create_tables() call, or create_all handed to
    SQLAlchemy's async `conn.run_sync(Base.metadata.create_all)`; not the entry's own module, nor one
    that starts a server once its tables are made (`python app.py` as the README runs the app);
  * the SQL files the README loads into the app's SQLite file with the sqlite3 shell (`sqlite3 database.db <
    schema.sql`, then `< init.sql`; detect/sqlite_cli.py), loaded in its order with Python's sqlite3 module;
  * a script in the database folder next to the app (db/, database/, sql/, schema/) that nothing imports and
    that only creates tables (`cd db; python migrations.py`: CREATE TABLE through its sibling connection
    module); not a seed, reset or test script, nor one that writes rows or drops anything;
  * the table-creating calls of the entry module's `if __name__ == "__main__":` block, made before it starts
    its own dev server (peewee's `db.create_tables([Model])`, SQLAlchemy's `Base.metadata.create_all(engine)`;
    run in the imported module's namespace): serve imports the module, so that block never runs; else a call
    there of the module's own function whose body makes tables (the tutorials' `init_db()` running CREATE TABLE
    through sqlite3 before `app.run()`). Failing that, the same calls in that block of a module the entry
    imports (models.py, run once as `python models.py`); or, where that block makes the tables with what it
    builds itself (`engine = create_engine(url)`, then `create_tables(engine)`) and starts no server, the file
    run as its author runs it (`python db.py`), also beside an entry that starts its dev server when imported;
  * the table-creating calls a launcher the project declares as its script makes before it starts the app's
    server (Poetry's `start = "pkg:run"` whose run() calls `Config.up()`, a create_all, then `app.run()`):
    direct ones, or calls of the project's one function or class method of that name whose body creates them;
    run in the entry module's namespace.
A command, script or file must be named for it: init-db, init_db, initdb, create-db, create_all, create-tables,
create-schemas, db-init, setup-db, generate-db, initialize_<project>_db... (case, `-` and `_` aside).
Reset/seed/drop commands are never taken.

Whether running it twice is harmless decides where it may run. Many such commands clear the data first
(Flask's tutorial: "Clear existing data and create new tables": its schema.sql drops the tables), so a
command is idempotent only when everything it is seen doing creates what is missing and nothing else:
`create_all()`, SQL whose statements are all `CREATE ... IF NOT EXISTS`. Anything else (DROP, DELETE,
rows added with `session.add()` or INSERT, a plain CREATE TABLE that fails the second time, code this
reader cannot follow) counts as unsafe to repeat.

A Flask (or Quart) app on Flask-SQLAlchemy with none of that and no migrations gets Shipyard's own step
instead (create_all()): its models' tables made with `db.create_all()` in the app context
(run/create_all.py); an ASGI app on Tortoise ORM without aerich migrations, `Tortoise.generate_schemas()`
after its lifespan's start-up (run/tortoise_schemas.py); any other app whose plain SQLAlchemy models (a
declarative Base, SQLModel) nothing in its code ever makes tables of, `metadata.create_all(engine)` on the engine
its modules hold (run/sqlalchemy_tables.py): the FastAPI tutorial's shape with its create_all line left out, or
kept in a script the repository lacks. It is never the release (`shipyard migrate`):
production schemas come from migrations. A PostgreSQL stack with no release runs the first run as its release job
(render/database_setup.server_first_run): create_all on every deploy, an init command only on a database with no
table yet.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..plan import Dependency, Release
from ..project import Project, is_decoy_dir
from . import entry_points, imports, sqlite_cli, sqlite_use, task_scripts
from .ast_nodes import ast_nodes
from .findings import EntryFinding
from .entry.graph import is_test_code
from .generated import untouched_output
from .frameworks import APP_SERVER_METHODS, SERVE_METHODS
from .source import dotted_name, imported_modules, imported_names, parsed

# names that say "create the database", compared without case, '-', '_' or spaces
INIT_NAMES = frozenset({"initdb", "initdatabase", "initializedb", "initialisedb", "initializedatabase",
                        "initialisedatabase", "initschema", "createdb", "createdatabase", "createall",
                        "createtables", "createschema", "createschemas", "dbinit", "dbcreate", "dbcreateall",
                        "setupdb", "setupdatabase", "dbsetup", "generatedb", "generatedatabase",
                        "generatetables", "generateschema"})
CLI_FRAMEWORKS = ("flask", "quart")
# click 8.2 drops these suffixes from a name taken from the function; older click keeps them: ambiguous
_CLICK_SUFFIXES = ("-command", "-cmd", "-group", "-grp")

_DESTRUCTIVE_SQL = re.compile(r"\b(DROP\s+(TABLE|DATABASE|SCHEMA|INDEX|VIEW)|DELETE\s+FROM|TRUNCATE)\b", re.I)
_CREATE = re.compile(r"\bCREATE\s+(?:UNIQUE\s+)?(?:TEMP(?:ORARY)?\s+)?(TABLE|INDEX|VIEW|TRIGGER|SCHEMA)\b"
                     r"(\s+IF\s+NOT\s+EXISTS)?", re.I)
_WRITES_SQL = re.compile(r"\b(INSERT|UPDATE|REPLACE)\b", re.I)
_DESTRUCTIVE_CALLS = frozenset({"drop_all", "drop_tables", "drop_table", "truncate", "reflect"})
_CREATING_CALLS = frozenset({"create_all", "create_tables"})
# ORM calls that add or change rows: a second run adds them again (or fails on a unique key)
_WRITING_CALLS = frozenset({"add", "add_all", "bulk_save_objects", "bulk_insert_mappings", "bulk_create", "merge",
                            "insert", "insert_one", "insert_many", "save", "create", "update", "delete"})


@dataclass(frozen=True)
class FirstRun:
    release: Release             # the command, as a release (argv with a leading "python", workdir, what)
    idempotent: bool             # running it on a database that has data keeps the data
    why: str                     # what decided it: "flaskr/schema.sql drops tables", "db.create_all() only"


# Shipyard's own first-run step for a Flask-SQLAlchemy app without migrations (run with the app's python)
CREATE_ALL_HELPER = Path(__file__).resolve().parent.parent / "run" / "create_all.py"
CREATE_ALL_WHAT = "Shipyard's db.create_all() of the app's models (Flask-SQLAlchemy, no migrations)"
# the same for a Tortoise ORM app (ASGI): its lifespan started, then Tortoise.generate_schemas(safe=True)
TORTOISE_SCHEMAS_HELPER = CREATE_ALL_HELPER.parent / "tortoise_schemas.py"
TORTOISE_SCHEMAS_WHAT = "Shipyard's Tortoise.generate_schemas() of the app's models (Tortoise ORM, no migrations)"
# the same for plain SQLAlchemy models (a declarative Base, SQLModel) that nothing in the app makes tables of
SQLALCHEMY_TABLES_HELPER = CREATE_ALL_HELPER.parent / "sqlalchemy_tables.py"
SQLALCHEMY_TABLES_WHAT = ("Shipyard's metadata.create_all() of the app's SQLAlchemy models (a declarative Base, no "
                          "migrations, no create_all of its own)")


def normalized(name: str) -> str:
    return re.sub(r"[-_\s]+", "", name.lower())


def is_init_name(name: str) -> bool:
    """init-db and kin, and Pyramid's `initialize_<project>_db`."""
    n = normalized(name)
    return n in INIT_NAMES or re.fullmatch(r"(init|initiali[sz]e)[a-z0-9]{0,30}(db|database)", n) is not None


def detect(project: Project, finding: EntryFinding) -> FirstRun | None:
    """The app's database-initialisation command, or None."""
    for find in (_task_steps, _cli_command, _manage_command, _subcommand, _project_script, _init_file,
                 _readme_script, _sqlite_shell_load, _db_folder_script, _main_block_tables, _imported_main_script,
                 _launcher_tables, _uncalled_init):
        found = find(project, finding)
        if found is not None:
            return found
    return None


def create_all(project: Project, finding: EntryFinding, dependencies: tuple[Dependency, ...]) -> Release | None:
    """Shipyard's own step that creates the models' missing tables, for an app that has no migrations of any
    kind (the caller has found no release and no init command): `db.create_all()` in the app context for a
    Flask or Quart app using Flask-SQLAlchemy, `Tortoise.generate_schemas()` after the lifespan's start-up for
    an ASGI app on Tortoise ORM. None otherwise."""
    names = {re.sub(r"[-_.]+", "-", d.name.lower()) for d in dependencies}
    if finding.framework in CLI_FRAMEWORKS and _flask_sqlalchemy(project, names) and not has_migration_versions(project):
        helper, what = CREATE_ALL_HELPER, CREATE_ALL_WHAT
    elif finding.entry.interface == "asgi" and "tortoise-orm" in names:
        helper, what = TORTOISE_SCHEMAS_HELPER, TORTOISE_SCHEMAS_WHAT
    elif finding.framework != "django" and not _flask_sqlalchemy(project, names) \
            and plain_sqlalchemy_models(project, _served_files(project, finding)) and not has_migration_versions(project):
        helper, what = SQLALCHEMY_TABLES_HELPER, SQLALCHEMY_TABLES_WHAT
    elif finding.framework != "django" and plain_peewee_models(project, _served_files(project, finding)):
        helper, what = PEEWEE_TABLES_HELPER, PEEWEE_TABLES_WHAT
    else:
        return None
    # the entry's import folder, where the served entry has one (`python backend/app.py` from the root): the helper
    # puts it first on sys.path, as the server does
    folder = (finding.entry.import_folder,) if finding.entry.import_folder else ()
    return Release(("python", "-c", helper.read_text(encoding="utf-8"), finding.entry.target, *folder),
                   finding.workdir, what)


# a declarative Base (`declarative_base()`, `class Base(DeclarativeBase)`, `registry()`) or SQLModel's table models
_DECLARATIVE = re.compile(r"\bdeclarative_base\s*\(|\bDeclarativeBase\b|\bregistry\s*\(\s*\)|\btable\s*=\s*True\b")
# any call that makes tables, wherever the app makes it (its start-up, a script, a function it may call)
_MAKES_TABLES = re.compile(r"\.(create_all|create_tables)\s*\(|\bcreate_all\s*\(")


def plain_sqlalchemy_models(project: Project, served: set[str] | None = None) -> bool:
    """The app's code declares SQLAlchemy (or SQLModel) models on a declarative base, and nothing in it ever makes
    their tables (no create_all, anywhere): with no migrations either, a new database has none of them. The files
    `shipyard init` wrote do not count (the image's runtime carries this very step's create_all), and a model
    counts only as a class of the code: a docstring's example `__tablename__ = ...` is not one.
    `served`: the files importing the app runs, when known; a create_all only in a file outside them (api/migrate_db.py,
    which the Makefile's `make migrate` runs by hand: drop_all, then create_all) makes no table where serve runs the
    app, so its tables still come from nothing."""
    if not {"sqlalchemy", "sqlmodel"} & set(imports.tops_of(imports.all_imports(project))):
        return False
    declares = outside = False
    for rel in project.python_files:
        text = project.scan_text(rel) or ""
        if untouched_output(text) or is_test_code(rel):
            continue        # a test's fixture making its tables (conftest.py's create_all) makes none where the app runs
        if _MAKES_TABLES.search(text):
            if served is None or rel in served:
                return False
            outside = True
        declares = declares or bool(_DECLARATIVE.search(text))
    mapped = {rel for rel, tree in parsed(project).items() if any(_maps_a_table(node) for node in ast_nodes(tree))}
    # past a script's create_all, only models the served app imports: those are the tables its pages read
    return declares and bool(mapped) and (not outside or bool(served and mapped & served))


def _served_files(project: Project, finding: EntryFinding) -> set[str] | None:
    """The project files importing the entry runs: its module, the modules it imports at top level (transitively),
    and their packages' __init__.py; None when the entry is not a module read here."""
    found = _entry_module(project, finding)
    if found is None:
        return None
    files = {rel for _, rel, _ in _imported_modules(project, _import_folder(finding), finding.entry.module,
                                                     found[0], found[1])}
    if len(files) >= _MAX_IMPORTED:
        return None     # past the bound: the app may import more than was followed
    inits = {str(parent / "__init__.py") for rel in files for parent in PurePosixPath(rel).parents}
    return files | {f for f in inits if project.is_file(f)}


def _maps_a_table(node: ast.AST) -> bool:
    """A class with `__tablename__ = ...` in its body, or SQLModel's `class X(SQLModel, table=True)`."""
    if not isinstance(node, ast.ClassDef):
        return False
    return any(k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value is True
               for k in node.keywords) \
        or any(isinstance(stmt, (ast.Assign, ast.AnnAssign))
               and any(getattr(t, "id", None) == "__tablename__"
                       for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]))
               for stmt in node.body)


def _flask_sqlalchemy(project: Project, names: set[str]) -> bool:
    """Declared, or imported by the app's code while only a package that requires it is declared (a freeze with
    flask-migrate, which brings Flask-SQLAlchemy, and no line of its own). Flask-AppBuilder's SQLA is Flask-SQLAlchemy
    (its models, and its own ab_* tables, on db.Model's metadata): an app with FAB_CREATE_DB = False has them made
    by `flask fab create-db`, its README's step, which is create_all too."""
    tops = imports.tops_of(imports.all_imports(project))
    return bool({"flask-sqlalchemy", "flask-appbuilder"} & names or {"flask_sqlalchemy", "flask_appbuilder"} & tops)


# what each of those steps runs, and the migrations that would replace it (for notes and `shipyard migrate`)
CREATE_ALL_HOW = {
    CREATE_ALL_WHAT: ("db.create_all() in the app context",
                      "Flask-Migrate: `flask db init`, `flask db migrate`, commit migrations/"),
    TORTOISE_SCHEMAS_WHAT: ("Tortoise.generate_schemas() after the app's start-up",
                            "aerich: `aerich init -t MODULE.TORTOISE_ORM`, `aerich init-db`, commit migrations/ "
                            "and pyproject.toml"),
    SQLALCHEMY_TABLES_WHAT: ("Base.metadata.create_all(engine) on the engine the app's modules hold",
                             "Alembic: `alembic init migrations`, target_metadata = Base.metadata in env.py, "
                             "`alembic revision --autogenerate`, commit alembic.ini and migrations/"),
}


# peewee models nothing makes tables of: the tables of the models the app defines (peewee is not SQLAlchemy)
PEEWEE_TABLES_HELPER = CREATE_ALL_HELPER.parent / "peewee_tables.py"
PEEWEE_TABLES_WHAT = ("Shipyard's create_tables() of the app's peewee models (no migrations, no create_tables of its "
                      "own)")
CREATE_ALL_HOW[PEEWEE_TABLES_WHAT] = ("database.create_tables([models], safe=True) on the database the models name",
                                      "peewee-migrate: `pw_migrate create --auto --directory migrations NAME`, commit "
                                      "migrations/")
# any call of the app's code that makes a peewee table (create_tables, Model.create_table)
_PEEWEE_MAKES = re.compile(r"\.create_tables?\s*\(")


def plain_peewee_models(project: Project, served: set[str] | None = None) -> bool:
    """The app's code defines peewee models (a class with a Meta naming its database, or one deriving from a
    peewee Model) and nothing in it ever makes their tables (no create_tables()/create_table() outside tests), with
    no peewee-migrate migrations: a new database has none of them. peewee-db-evolve's `db.evolve()` asks for a
    typed "yes" before it changes anything, so a CLI command running it is no step serve can run."""
    if not {"peewee", "playhouse"} & set(imports.tops_of(imports.all_imports(project))):
        return False
    models = False
    for rel, tree in parsed(project).items():
        text = project.scan_text(rel) or ""
        if is_test_code(rel) or untouched_output(text):
            continue
        if _PEEWEE_MAKES.search(text):
            return False
        models = models or (served is None or rel in served) and any(_peewee_model(n) for n in ast_nodes(tree))
    return models and not _peewee_migrations(project)


def _peewee_model(node: ast.AST) -> bool:
    """`class X(Model)` / `class X(pw.Model)` / `class X(peewee.Model)`, or a class whose Meta binds a database."""
    if not isinstance(node, ast.ClassDef):
        return False
    if any(isinstance(b, (ast.Name, ast.Attribute)) and (getattr(b, "id", None) or getattr(b, "attr", None)) == "Model"
           for b in node.bases):
        return True
    return any(isinstance(s, ast.ClassDef) and s.name == "Meta" and any(
        isinstance(a, ast.Assign) and any(getattr(t, "id", None) == "database" for t in a.targets) for a in s.body)
        for s in node.body)


def _peewee_migrations(project: Project) -> bool:
    from .release import peewee_migrations
    return bool(peewee_migrations(project, ""))


def is_create_all(release: Release | None) -> bool:
    """The release is one of Shipyard's own create-the-missing-tables steps (serve and dev only)."""
    return release is not None and release.what in (CREATE_ALL_WHAT, TORTOISE_SCHEMAS_WHAT, SQLALCHEMY_TABLES_WHAT,
                                                    PEEWEE_TABLES_WHAT)


def has_migration_versions(project: Project) -> bool:
    """A migrations/ or alembic/ folder with revision files and the env.py that runs them (Flask-Migrate,
    Alembic), wherever it is. Revisions committed without env.py never run (Alembic needs it to load them): the
    tables then come from create_all(), as for an app without migrations."""
    folders = _revision_folders(project)
    return any(project.is_file(f"{folder}/env.py") for folder in folders)


def migrations_without_env(project: Project) -> tuple[str, ...]:
    """The migrations/ or alembic/ folders that hold revision files but no env.py (left out of git), sorted."""
    return tuple(sorted(f for f in _revision_folders(project) if not project.is_file(f"{f}/env.py")))


def _revision_folders(project: Project) -> set[str]:
    folders = set()
    for rel in project.files:
        parts = PurePosixPath(rel).parts
        if rel.endswith(".py") and len(parts) >= 3 and parts[-2] == "versions" \
                and parts[-3] in ("migrations", "alembic"):
            folders.add(str(PurePosixPath(*parts[:-2])))
    return folders


# ---------------------------------------------------------------------------------------------- task runners

# Runs a task runner's steps as `pdm run` does: each a shell command with the interpreter's own bin folder first
# on PATH (the app's `quart`, `alembic`, `python`), stopping at the first that fails
TASK_STEPS = (
    "import os, subprocess, sys\n"
    "env = dict(os.environ, PATH=os.pathsep.join(filter(None, (os.path.dirname(sys.executable), os.environ.get('PATH')))))\n"
    "for step in sys.argv[1:]:\n"
    "    print('+ ' + step, file=sys.stderr, flush=True)\n"
    "    code = subprocess.call(step, shell=True, env=env)\n"
    "    if code:\n"
    "        sys.exit(code)\n")


def _task_steps(project: Project, finding: EntryFinding) -> FirstRun | None:
    """`pdm run start_app`'s steps before its server (`quart --app=main:app init_db`, then `... migrate -a`):
    the project's own recipe for a new database (detect/task_scripts.py). Never taken as safe to repeat:
    Shipyard cannot see what those commands do to data."""
    if finding.workdir not in ("", ".") or not finding.entry.module:
        return None     # the scripts run from the project's root: an entry elsewhere is not the one they name
    found = task_scripts.setup_steps(project, finding.entry.module)
    if found is None:
        return None
    shown = "; ".join(found.steps)
    release = Release(("python", "-c", TASK_STEPS, *found.steps), ".",
                      f"the start script `{found.runner}`, up to its server ({shown})")
    return FirstRun(release, False, "commands Shipyard does not read")


# ---------------------------------------------------------------------------------------------- click commands

def _cli_command(project: Project, finding: EntryFinding) -> FirstRun | None:
    if finding.framework not in CLI_FRAMEWORKS:
        return None
    trees = parsed(project)
    # click commands by function name ("init_db_command" -> ("init-db", its def, its module)), and the names
    # added to an app's CLI with `X.cli.add_command(func[, name])`
    commands: dict[str, tuple[str | None, ast.FunctionDef, str]] = {}
    added: dict[str, str | None] = {}
    direct: list[tuple[str | None, ast.FunctionDef, str]] = []
    for rel, tree in sorted(trees.items()):
        for node in ast_nodes(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for deco in node.decorator_list:
                    kind, name = _click_decorator(deco)
                    if kind == "app":
                        direct.append((name, node, rel))
                    elif kind == "click":
                        commands[node.name] = (name, node, rel)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "add_command" and _is_cli(node.func.value) and node.args \
                    and isinstance(node.args[0], ast.Name):
                name = _str_arg(node, 1, "name")
                added[node.args[0].id] = name
    found = list(direct)
    for func, name in added.items():
        if func in commands:
            own, node, rel = commands[func]
            found.append((name or own, node, rel))
    for name, node, rel in found:
        cli_name = name or _name_from_function(node.name)
        if cli_name is None or not is_init_name(cli_name) or _needs_input(node):
            continue
        idempotent, why = _classify(project, trees[rel], node, rel)
        # the app named by FLASK_APP (QUART_APP), which every version of the CLI reads, rather than --app
        argv = ("python", "-m", finding.framework, cli_name)
        env = ((f"{finding.framework.upper()}_APP", finding.entry.target),)
        what = f"the app's `{finding.framework} --app {finding.entry.target} {cli_name}` command"
        return FirstRun(Release(argv, finding.workdir, what, env=env), idempotent, why)
    return None


def _click_decorator(node: ast.expr) -> tuple[str | None, str | None]:
    """("app", name) for `@X.cli.command(...)`, ("click", name) for `@click.command(...)`, else (None, None)."""
    call = node if isinstance(node, ast.Call) else None
    func = call.func if call is not None else node
    if not (isinstance(func, ast.Attribute) and func.attr == "command"):
        return None, None
    name = _str_arg(call, 0, "name") if call is not None else None
    if _is_cli(func.value):
        return "app", name
    if isinstance(func.value, ast.Name) and func.value.id == "click":
        return "click", name
    return None, None


def _is_cli(node: ast.expr) -> bool:
    """`app.cli`, `self.app.cli`: the app's own command group."""
    return isinstance(node, ast.Attribute) and node.attr == "cli"


def _str_arg(call: ast.Call | None, index: int, keyword: str) -> str | None:
    if call is None:
        return None
    value = call.args[index] if len(call.args) > index else \
        next((k.value for k in call.keywords if k.arg == keyword), None)
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None


def _name_from_function(func: str) -> str | None:
    name = func.lower().replace("_", "-")
    return None if name.endswith(_CLICK_SUFFIXES) else name


def _needs_input(node: ast.FunctionDef) -> bool:
    """A command with an argument, or an option that prompts, cannot run unattended."""
    for deco in node.decorator_list:
        if isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute):
            if deco.func.attr == "argument" and not any(k.arg == "default" for k in deco.keywords):
                return True
            if deco.func.attr == "option" and any(k.arg in ("prompt", "required") for k in deco.keywords):
                return True
            if deco.func.attr in ("confirmation_option", "password_option"):
                return True
    return False


# ---------------------------------------------------------------------------------------------- manage scripts

def _manage_command(project: Project, finding: EntryFinding) -> FirstRun | None:
    """`python manage.py create_db`: a script next to the app whose command group (`cli = FlaskGroup(app)`,
    `@click.group()`) runs under `if __name__ == "__main__"`."""
    for rel, tree in sorted(parsed(project).items()):
        path = PurePosixPath(rel)
        if str(path.parent) not in (finding.workdir, ".") or not _has_main_guard(tree):
            continue
        groups = _command_groups(tree)
        added = _added_to_groups(tree, groups)
        for node in tree.body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for deco in node.decorator_list:
                call = deco if isinstance(deco, ast.Call) else None
                func = call.func if call is not None else deco
                on_group = isinstance(func, ast.Attribute) and func.attr == "command" \
                    and isinstance(func.value, ast.Name) and func.value.id in groups
                # `@click.command("generate-db")` registered with `cli.add_command(func[, name])`
                if not on_group and not (node.name in added and _click_decorator(deco)[0] == "click"):
                    continue
                name = added.get(node.name) or _str_arg(call, 0, "name") or _name_from_function(node.name)
                if name is None or not is_init_name(name) or _needs_input(node):
                    continue
                idempotent, why = _classify(project, tree, node, rel)
                argv = ("python", path.name, name)
                return FirstRun(Release(argv, str(path.parent), f"the app's `python {path.name} {name}` command",
                                        env=_located_app(tree, path.stem)), idempotent, why)
    return None


def _located_app(tree: ast.Module, module: str) -> tuple[tuple[str, str], ...]:
    """FLASK_APP for a script whose FlaskGroup is given no create_app (`cli = FlaskGroup(app)`: that argument is
    add_default_commands) while the script binds `app` itself: its commands, run under the app context, locate the
    app only through FLASK_APP (or a wsgi.py/app.py beside it) and stop on "Could not locate a Flask application"
    otherwise. The script's own app, as `flask --app manage` finds it; () when the group is told how to make it."""
    group = [n.value for n in tree.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
             and (n.value.func.attr if isinstance(n.value.func, ast.Attribute) else
                  n.value.func.id if isinstance(n.value.func, ast.Name) else "") == "FlaskGroup"]
    if len(group) != 1 or any(k.arg == "create_app" for k in group[0].keywords) or len(group[0].args) > 1:
        return ()
    binds = any(isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "app" for t in n.targets)
                or isinstance(n, ast.ImportFrom) and any((a.asname or a.name) == "app" for a in n.names)
                for n in tree.body)
    return (("FLASK_APP", f"{module}:app"),) if binds else ()


def _subcommand(project: Project, finding: EntryFinding) -> FirstRun | None:
    """`./tornado_parcel.py init_db`: an argparse subcommand of a script next to the app, named for it, whose
    handler (`set_defaults(func=create_all_db_tables)`) is a function of the script or of the project module it
    imports it from."""
    from .entry.script import subcommand_handlers
    for rel, tree in sorted(parsed(project).items()):
        path = PurePosixPath(rel)
        if str(path.parent) not in (finding.workdir, ".") or not _has_main_guard(tree):
            continue
        for command, handler in subcommand_handlers(project.scan_text(rel) or ""):
            if not (is_init_name(command) or is_init_name(handler)):
                continue
            found = _defined_or_imported(project, tree, rel, handler, str(path.parent))
            if found is None or _needs_input(found[2]):
                continue
            idempotent, why = _classify(project, found[1], found[2], found[0])
            argv = ("python", path.name, command)
            return FirstRun(Release(argv, str(path.parent), f"the app's `python {path.name} {command}` command"),
                            idempotent, why)
    return None


def _defined_or_imported(project: Project, tree: ast.Module, rel: str, name: str, workdir: str
                         ) -> tuple[str, ast.Module, ast.FunctionDef] | None:
    """(file, its tree, the def) of a function the module defines, or imports by name from a project module."""
    node = _function(tree, name)
    if node is not None:
        return rel, tree, node
    for imp in (n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module and not n.level):
        if any((a.asname or a.name) == name for a in imp.names):
            original = next(a.name for a in imp.names if (a.asname or a.name) == name)
            located = _module_file(project, imp.module, workdir)
            other = _tree(project, located[1]) if located else None
            node = _function(other, original) if other is not None else None
            if node is not None:
                return located[1], other, node
    return None


def _has_main_guard(tree: ast.Module) -> bool:
    return any(isinstance(n, ast.If) and isinstance(n.test, ast.Compare) and isinstance(n.test.left, ast.Name)
               and n.test.left.id == "__name__" for n in tree.body)


def _added_to_groups(tree: ast.Module, groups: set[str]) -> dict[str, str | None]:
    """Functions the script adds to one of its groups, `cli.add_command(generate_database[, "name"])`: their
    name there, None where the command keeps its own."""
    found: dict[str, str | None] = {}
    for node in ast_nodes(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_command" \
                and isinstance(node.func.value, ast.Name) and node.func.value.id in groups \
                and node.args and isinstance(node.args[0], ast.Name):
            found[node.args[0].id] = _str_arg(node, 1, "name")
    return found


def _command_groups(tree: ast.Module) -> set[str]:
    """Names bound to a click group: `cli = FlaskGroup(...)`, `cli = click.Group()`, `@click.group() def cli`."""
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in ("FlaskGroup", "QuartGroup", "AppGroup", "Group", "group"):
                found.update(t.id for t in node.targets if isinstance(t, ast.Name))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for deco in node.decorator_list:
                func = deco.func if isinstance(deco, ast.Call) else deco
                if isinstance(func, ast.Attribute) and func.attr == "group":
                    found.add(node.name)
    return found


# ---------------------------------------------------------------------------------------------- stand-alone files

def _init_file(project: Project, finding: EntryFinding) -> FirstRun | None:
    """`python create_db.py`: a script next to the app, named for what it does, that runs with no argument."""
    for rel, tree in sorted(parsed(project).items()):
        path = PurePosixPath(rel)
        if str(path.parent) not in (finding.workdir, ".") or not is_init_name(path.stem):
            continue
        if not _runs_something(tree) or _needs_arguments(tree):
            continue
        idempotent, why = _classify(project, tree, tree, rel)
        return FirstRun(Release(("python", path.name), str(path.parent), f"the app's `python {path.name}` script",
                                files=_opened_sqlite_files(tree)), idempotent, why)
    return None


# `python database.py` / `python3 db.py` on one line of a README (a shell block, inline code, a list item), with
# the options it gives (`python init.py -c prod --drop`), never a positional argument
_README_RUN = re.compile(r"(?:^|[\s`$>])python(?:3(?:\.\d+)?)?\s+([\w./-]+\.py)\b"
                         r"((?:[ \t]+--?\w[\w-]*(?:=[\w.:/-]+|[ \t]+(?!-)[\w.:/-]+)?)*)(?![ \t]+\w)")
# an option value that names the production configuration: the README's line serve takes among its variants
_PRODUCTION_OPTION = re.compile(r"[ =](?:prod|production)\b", re.I)


def _readme_script(project: Project, finding: EntryFinding) -> FirstRun | None:
    """`python3 database.py`, a README's step: a script next to the app, with no positional argument, that makes
    tables (itself, or through the project's one function it calls: `setup_database(app, options.drop)`), with
    the options the README gives it. Where the README runs it several ways (`-c dev`, then `-c prod`), the
    production one, which serve runs."""
    from .sql_dump import _READMES
    entry_file = f"{finding.entry.module.replace('.', '/')}.py" if finding.entry.module else ""
    for folder in dict.fromkeys((finding.workdir or ".", ".")):
        for name in _READMES:
            readme = str(PurePosixPath(folder) / name)
            if not project.is_file(readme):
                continue
            matches = [m for m in _README_RUN.finditer(project.scan_text(readme) or "")
                       if not re.search(r"(?:^|\s)(?:-h|--help|--version)\b", m.group(2))]
            first = {}
            for match in matches:
                first.setdefault(match.group(1), len(first))
            # in the README's order of scripts; of one script's lines, the production one first
            for match in sorted(matches, key=lambda m: (first[m.group(1)], not _PRODUCTION_OPTION.search(m.group(2)))):
                rel = str(PurePosixPath(folder) / match.group(1))
                tree = parsed(project).get(rel)
                path = PurePosixPath(rel)
                # next to the app, or in a subfolder the README names it by (`python project/models/model.py`,
                # run from the README's folder, where the app then opens the SQLite file it makes)
                beside = str(path.parent) in (finding.workdir or ".", ".")
                if tree is None or path.name in (entry_file, "manage.py") or "test" in path.stem.lower() or (
                        not beside and (".." in path.parts or any(is_decoy_dir(p) for p in path.parent.parts))):
                    continue
                if not _runs_something(tree) or _needs_arguments(tree):
                    continue
                called = None if _makes_tables(project, rel, tree) else next(
                    (made for c in ast_nodes(tree) if isinstance(c, ast.Call)
                     and (made := _creates_tables(project, tree, rel, c)) is not None), None)
                if called is None and not _makes_tables(project, rel, tree):
                    continue
                if _serves(tree):
                    continue   # `python app.py` that makes its tables, then app.run(): how it runs, not a step
                idempotent, why = _classify(project, tree, tree, rel)
                if called is not None and not called[0]:
                    idempotent, why = called      # the function it calls drops or fails on tables that exist
                options = tuple(match.group(2).split())
                # beside the app it runs from its own folder; from a subfolder, as the README runs it, from there
                script = path.name if beside else match.group(1)
                shown = " ".join((script, *options))
                return FirstRun(Release(("python", script, *options), str(path.parent) if beside else folder,
                                        f"the app's `python {shown}` script (its README's step)",
                                        files=_opened_sqlite_files(tree)), idempotent, why)
    return None


def _sqlite_shell_load(project: Project, finding: EntryFinding) -> FirstRun | None:
    """`sqlite3 database.db < schema.sql`, a README's step: its SQL files loaded into the app's SQLite file
    (detect/sqlite_cli.py)."""
    found = sqlite_cli.first_run(project, finding.workdir)
    return FirstRun(*found) if found is not None else None


def _db_folder_script(project: Project, finding: EntryFinding) -> FirstRun | None:
    """`cd db; python migrations.py`: a script in the database folder next to the app (db/, database/, sql/,
    schema/) that nothing of the project imports and that, run with no argument, makes tables and nothing else
    (CREATE TABLE through the app's own connection module, which it imports as its sibling); not a seed, reset
    or test script, nor one that writes rows or drops anything. A 2025 FastAPI API on MySQL kept its
    `CREATE TABLE` statements there, run by hand once; without them every page that reads a table answers 500."""
    from .mysql_schema import FOLDERS
    trees = parsed(project)
    workdir = finding.workdir or "."
    for rel, tree in sorted(trees.items()):
        path = PurePosixPath(rel)
        folder = path.parent
        if not folder.name or folder.name not in FOLDERS or str(folder.parent) != workdir \
                or _UNTAKEN_SCRIPT.search(path.stem):
            continue
        dotted = ".".join(folder.relative_to(workdir).parts if workdir != "." else folder.parts)
        if any(_imports_module(t, name) for t in trees.values()
               for name in (f"{dotted}.{path.stem}", path.stem)):
            continue
        if not _runs_something(tree) or _needs_arguments(tree) or _serves(tree) \
                or not _makes_tables(project, rel, tree) or not _only_creates(tree):
            continue
        idempotent, why = _classify(project, tree, tree, rel)
        return FirstRun(Release(("python", path.name), str(folder), f"the app's `python {rel}` script",
                                files=_opened_sqlite_files(tree)), idempotent, why)
    return None


# scripts that are not the one-time schema step: seed data, resets, tests
_UNTAKEN_SCRIPT = re.compile(r"seed|sample|fixture|populate|fake|reset|drop|clear|test", re.I)


def _imports_module(tree: ast.Module, module: str) -> bool:
    """`import module`, `from module import x` or `from package import stem` naming `module`."""
    for node in ast_nodes(tree):
        if isinstance(node, ast.Import) and any(a.name == module for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and not node.level and node.module and (
                node.module == module or any(f"{node.module}.{a.name}" == module for a in node.names)):
            return True
    return False


def _only_creates(tree: ast.Module) -> bool:
    """Its SQL and ORM calls create tables only: no row written, nothing dropped or deleted."""
    for sub in ast_nodes(tree):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) \
                and sub.func.attr in _WRITING_CALLS | _DESTRUCTIVE_CALLS:
            return False
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            if _DESTRUCTIVE_SQL.search(sub.value) or (
                    not _CREATE.search(sub.value) and re.search(r"\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b",
                                                              sub.value, re.I)):
                return False
    return True


def _opened_sqlite_files(tree: ast.Module) -> tuple[str, ...]:
    """The SQLite files a script opens by a literal name (`sqlite3.connect("todo.db")`, peewee's
    `SqliteDatabase("app.db")`): the database it initialises, wherever the app's config may not say so."""
    imported, modules = imported_names(tree), imported_modules(tree)
    return tuple(sorted({node.args[0].value for node in ast_nodes(tree)
                         if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                         and isinstance(node.args[0].value, str) and node.args[0].value.strip(":") not in ("", "memory")
                         and dotted_name(node.func, imported, modules) in sqlite_use.OPENERS}))


# ---------------------------------------------------------------------------------------------- the entry's __main__

# Table-creating calls that need no app context: peewee's `db.create_tables([Model])` (safe=True: IF NOT EXISTS)
# and SQLAlchemy's `Base.metadata.create_all(engine)` (checkfirst=True). Flask-SQLAlchemy's argument-less
# `db.create_all()` needs the app context: Shipyard's own create_all step does that one.
_SAFE_KEYWORD = {"create_tables": "safe", "create_all": "checkfirst"}
# modules whose run() starts a server (uvicorn.run(app), hypercorn's, waitress'): a launcher's last step
_SERVER_MODULES = frozenset({"uvicorn", "hypercorn", "waitress", "bottle", "granian"})
_MAIN_BLOCK_CODE = ("import importlib, sys\nsys.path.insert(0, {folder!r})\nmodule = importlib.import_module({module!r})\n"
                    "exec(compile({code!r}, {where!r}, 'exec'), vars(module))\n")


def _entry_module(project: Project, finding: EntryFinding) -> tuple[str, ast.Module, set[str] | None] | None:
    """(file, parsed, names bound at its top level) of the entry's module, imported from the entry's folder;
    None for an entry that starts its server when imported or is not a module of that folder."""
    entry = finding.entry
    if entry.starts_server_on_import or not entry.module:
        return None
    found = _module_file(project, entry.module, _import_folder(finding))
    tree = _tree(project, found[1]) if found else None
    if tree is None or found[0] != _import_folder(finding):
        return None
    return found[1], tree, _module_names(tree)


def _imported_entry_module(project: Project, finding: EntryFinding) -> tuple[str, ast.Module, set[str] | None] | None:
    """_entry_module, for an entry that names a module to import (not Django's settings, a paste ini, a script)."""
    if finding.entry.kind in ("django", "paste", "script"):
        return None
    return _entry_module(project, finding)


def _import_folder(finding: EntryFinding) -> str:
    """The folder the entry's modules import from: its workdir, or the folder a script run by its path from
    above has first on sys.path (`python app/app.py` from the root: app/)."""
    folder = finding.entry.import_folder
    return str(PurePosixPath(finding.workdir, folder)) if folder else finding.workdir


def _sys_path_folder(finding: EntryFinding) -> str:
    """What the release puts first on sys.path, relative to the workdir it runs in."""
    return finding.entry.import_folder or ""


def _main_block_tables(project: Project, finding: EntryFinding) -> FirstRun | None:
    """The tables an entry module makes in its `if __name__ == "__main__":` block before starting its own dev
    server (`db.create_tables([Person])` then bottle's `run()`): serve imports the module, so that block never
    runs and every page reading a table answers 500. Those calls, run in the imported module's namespace.
    Failing that, the same block of a project module the entry imports (flat, from the entry's folder): a
    models.py whose `__main__` is `Base.metadata.create_all(engine)`, the `python models.py` a README runs once."""
    entry = finding.entry
    if entry.kind in ("django", "paste"):
        return None
    found = _entry_module(project, finding)
    if found is None:
        return None
    for module, rel, tree in _imported_modules(project, _import_folder(finding), entry.module, found[0], found[1]):
        bound = found[2] if rel == found[0] else _module_names(tree)
        calls = _main_block_creating_calls(tree, bound)
        if calls:
            unsafe = [c for c in calls for k in c.keywords if k.arg == _SAFE_KEYWORD[c.func.attr]
                      and isinstance(k.value, ast.Constant) and k.value.value is False]
            idempotent = not unsafe
            why = (f"{ast.unparse(unsafe[0])} fails on tables that exist" if unsafe
                   else "it only creates what is missing ("
                   + ", ".join(dict.fromkeys(f"{c.func.attr}()" for c in calls)) + ")")
        elif own := _main_block_init_call(project, tree, rel):
            calls, (idempotent, why) = [own[0]], own[1]
        else:
            continue
        code = "\n".join(ast.unparse(c) for c in calls)
        argv = ("python", "-c", _MAIN_BLOCK_CODE.format(folder=_sys_path_folder(finding), module=module, code=code,
                                                       where=f"{rel} (its __main__ block)"))
        return FirstRun(Release(argv, finding.workdir, f"the tables {rel}'s __main__ block creates ({code})"),
                        idempotent, why)
    return None


def _imported_main_script(project: Project, finding: EntryFinding) -> FirstRun | None:
    """`python db.py`, once: a flat module the entry imports (from the entry's folder) whose `__main__` block
    makes the tables with what the block itself builds and starts no server: the aiohttp polls tutorial's
    `engine = create_engine(DSN.format(**config)); create_tables(engine); demo_data(engine)`. Those calls
    cannot run in the imported module's namespace (_main_block_tables), so the file runs as its author runs it.
    The entry may start its dev server when imported (`web.run_app(app)` at module level): only the module is
    run, never the entry."""
    entry = finding.entry
    if entry.kind in ("django", "paste") or not entry.module:
        return None
    folder = _import_folder(finding)
    found = _module_file(project, entry.module, folder)
    tree = _tree(project, found[1]) if found else None
    if tree is None or found[0] != folder:
        return None
    for module, rel, sub in _imported_modules(project, folder, entry.module, found[1], tree):
        if rel == found[1] or "." in module or rel.endswith("__init__.py"):
            continue   # the entry itself, or a package's module (run as a file, its package imports break)
        blocks = [n for n in sub.body if isinstance(n, ast.If) and isinstance(n.test, ast.Compare)
                  and isinstance(n.test.left, ast.Name) and n.test.left.id == "__name__"]
        if not blocks or any(_serves(b) for b in blocks) or _needs_arguments(sub):
            continue
        own = [node for b in blocks for c in ast_nodes(b) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
               and (node := _function(sub, c.func.id)) is not None]
        if not any(_makes_tables(project, rel, node) for node in [*blocks, *own]):
            continue
        idempotent, why = _classify(project, sub, ast.Module(body=blocks, type_ignores=[]), rel)
        path = PurePosixPath(rel)
        return FirstRun(Release(("python", path.name), str(path.parent),
                                f"the app's `python {path.name}` (the tables its __main__ block creates)",
                                files=_opened_sqlite_files(sub)), idempotent, why)
    return None


def _main_block_init_call(project: Project, tree: ast.Module, rel: str) -> tuple[ast.Call, tuple[bool, str]] | None:
    """(call, (idempotent, why)) for the module's own function that its `__main__` block calls, with no
    argument, before starting its dev server, whose body makes tables (`init_db()` running `CREATE TABLE`
    through sqlite3, or a create_all()): the Flask tutorials' `if __name__ == "__main__": init_db();
    app.run()`, which serve, importing the module, never runs."""
    for block in tree.body:
        if not (isinstance(block, ast.If) and isinstance(block.test, ast.Compare)
                and isinstance(block.test.left, ast.Name) and block.test.left.id == "__name__"):
            continue
        for stmt in block.body:
            if any(isinstance(c, ast.Call) and _starts_server(c) for c in ast_nodes(stmt)):
                break
            call = stmt.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) else None
            if call is None or call.args or call.keywords or not isinstance(call.func, ast.Name):
                continue
            node = _function(tree, call.func.id)
            if node is None or not _makes_tables(project, rel, node):
                continue
            return call, _classify(project, tree, node, rel)
    return None


def _makes_tables(project: Project, rel: str, node: ast.AST) -> bool:
    """Whether a function's body creates tables: a create_all()/create_tables() call, SQL with CREATE TABLE, or
    a .sql file it names that has one."""
    for sub in ast_nodes(node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in _CREATING_CALLS:
            return True
        # SQLAlchemy's async engines: `await conn.run_sync(Base.metadata.create_all)`
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "run_sync" \
                and any(isinstance(a, ast.Attribute) and a.attr in _CREATING_CALLS for a in sub.args):
            return True
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            text = sub.value
            if text.lower().endswith(".sql"):
                text = (_sql_file(project, rel, text) or ("", ""))[1]
            if re.search(r"\bCREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE\b", text, re.I):
                return True
    return False


def _main_block_creating_calls(tree: ast.Module, bound: set[str] | None) -> list[ast.Call]:
    """`Base.metadata.create_all(engine)` and `db.create_tables([...])` statements of the module's `__main__`
    block that use only names the module binds (not one the block itself makes)."""
    calls = []
    for block in tree.body:
        if not (isinstance(block, ast.If) and isinstance(block.test, ast.Compare)
                and isinstance(block.test.left, ast.Name) and block.test.left.id == "__name__"):
            continue
        for stmt in block.body:
            call = stmt.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) else None
            func = call.func if call is not None else None
            if not (isinstance(func, ast.Attribute) and (func.attr == "create_tables" or (
                    func.attr == "create_all" and call.args and isinstance(func.value, ast.Attribute)
                    and func.value.attr == "metadata"))):
                continue
            names = {n.id for n in ast_nodes(call) if isinstance(n, ast.Name)}
            if bound is not None and names - bound - set(dir(builtins)):
                continue   # it uses a name the block itself makes: not runnable on its own
            calls.append(call)
    return calls


_MAX_IMPORTED = 60   # modules followed from the entry: a small app's own, not a whole project's


def _imported_modules(project: Project, workdir: str, module: str, rel: str, tree: ast.Module):
    """(dotted name, file, parsed) of the entry module, then of the project modules it imports at top level,
    transitively (breadth first), each importable from the entry's folder."""
    seen = {rel}
    todo = [(module, rel, tree)]
    while todo and len(seen) <= _MAX_IMPORTED:
        name, rel, tree = todo.pop(0)
        yield name, rel, tree
        package = name if rel.endswith("/__init__.py") else name.rpartition(".")[0]
        for dotted in _top_level_imports(tree, package):
            located = _module_file(project, dotted, workdir)
            if located is None or located[0] != workdir or located[1] in seen:
                continue
            seen.add(located[1])
            sub = _tree(project, located[1])
            if sub is not None:
                todo.append((dotted, located[1], sub))


def _top_level_imports(tree: ast.Module, package: str) -> list[str]:
    """Dotted modules a module imports at its top level (`import routes`, `from models import session`,
    `from . import models` inside a package), relative ones resolved against its package."""
    found: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".") if package else []
                if node.level - 1 > len(parts):
                    continue
                parts = parts[:len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            if base:
                found.append(base)
            found += [f"{base}.{alias.name}" if base else alias.name for alias in node.names if alias.name != "*"]
    return found


def _launcher_tables(project: Project, finding: EntryFinding) -> FirstRun | None:
    """The tables a launcher the project declares as its script makes before it starts the app's server
    (Poetry's `start = "src.pkg:run"`, whose run() calls `Config.up()`, a `metadata.create_all(engine)`, then
    `app.run()`): serve imports the app, so the launcher never runs and every page reading a table answers 500.
    Those calls, run in the entry module's namespace, when each creates tables itself or through the one
    function (or class method) of that name the project defines."""
    entry = finding.entry
    found = _imported_entry_module(project, finding)
    if found is None:
        return None
    rel, tree, bound = found
    for name, target in sorted(entry_points.console_scripts(project).items()):
        m = re.fullmatch(r"\s*([\w.]+)\s*:\s*(\w+)\s*", target) if isinstance(target, str) else None
        located = _module_file(project, m.group(1), finding.workdir) if m else None
        node = _function(tree, m.group(2)) if located is not None and located[1] == rel else None
        before = _calls_before_server_start(node) if node is not None else None
        if not before:
            continue
        calls, verdicts = [], []
        for call in before:
            verdict = _creates_tables(project, tree, rel, call)
            names = {n.id for n in ast_nodes(call) if isinstance(n, ast.Name)}
            if verdict is None or (bound is not None and names - bound - set(dir(builtins))):
                continue   # not table-making, or a name the launcher itself makes: not runnable on its own
            calls.append(call)
            verdicts.append(verdict)
        if not calls:
            continue
        code = "\n".join(ast.unparse(c) for c in calls)
        unsafe = next((why for idempotent, why in verdicts if not idempotent), None)
        why = unsafe or "it only creates what is missing"
        where = f"{rel} ({name} script's {m.group(2)}())"
        argv = ("python", "-c", _MAIN_BLOCK_CODE.format(folder=_sys_path_folder(finding), module=entry.module,
                                                       code=code, where=where))
        what = f"the tables the project's `{name}` script ({target.strip()}) creates before it starts the app ({code})"
        return FirstRun(Release(argv, finding.workdir, what), unsafe is None, why)
    return None


def _uncalled_init(project: Project, finding: EntryFinding) -> FirstRun | None:
    """`from microblog import init_db; init_db()`, once: a function named for it, of the entry module or a project
    module it imports (Flask's SQLAlchemy pattern: database.py's init_db() with `Base.metadata.create_all()`),
    taking no argument and with no decorator, whose body makes tables (executescript of its schema.sql, a
    create_all()), that nothing in the app calls or hands on, only its tests: the step the first Flask tutorial
    and Flask's patterns have a person type in a Python shell after cloning. Without it every page reading a table
    answers 500. Run in the imported entry module's namespace, as _main_block_tables runs its calls; a Flask app's
    within the served app's context (`with app.app_context():`, the factory's app for a factory entry)."""
    entry = finding.entry
    found = _imported_entry_module(project, finding)
    if found is None:
        return None
    for module, rel, tree in _imported_modules(project, _import_folder(finding), entry.module, found[0], found[1]):
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.decorator_list or not is_init_name(node.name):
                continue
            args = node.args
            if len(args.posonlyargs) + len(args.args) > len(args.defaults) or None in args.kw_defaults:
                continue
            if _used_by_app(project, node.name) or _prompts(node) or not _makes_tables(project, rel, node):
                continue
            idempotent, why = _classify(project, tree, node, rel)
            call = f"{node.name}()"
            # one line a person can type: the entry module imported first, as the server imports it; a Flask
            # app's function may read current_app or g (Flask-SQLAlchemy's create_all does): in the app's context
            flask = finding.framework == "flask" and entry.kind in ("attribute", "factory")
            names = [re.split(r"[.(]", entry.attr)[0]] if flask else []
            names += [node.name] if module == entry.module else []
            steps = [f"from {entry.module} import {', '.join(names)}" if names else f"import {entry.module}"]
            steps += [] if module == entry.module else [f"from {module} import {node.name}"]
            steps += [f"{entry.attr}.app_context().push()"] if flask else []
            folder = _sys_path_folder(finding)
            steps = [f"import sys; sys.path.insert(0, {folder!r})"] * bool(folder) + steps + [call]
            what = f"{rel}'s own {call}, which nothing in the app calls (a step run by hand after cloning)"
            return FirstRun(Release(("python", "-c", "; ".join(steps)), finding.workdir, what), idempotent, why)
    return None


def _prompts(node: ast.FunctionDef) -> bool:
    """It asks at the terminal (`input("Admin password: ")`, getpass()): nobody answers a first run."""
    return any(isinstance(c, ast.Call) and (isinstance(c.func, ast.Name) and c.func.id in ("input", "getpass")
               or isinstance(c.func, ast.Attribute) and c.func.attr == "getpass") for c in ast_nodes(node))


def _used_by_app(project: Project, name: str) -> bool:
    """Whether any module of the app, tests aside, calls or hands on `name` (`init_db()`, `app.before_first_request
    (init_db)`, `models.init_db()`): then the app makes its tables itself, or a person runs it otherwise."""
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
               or isinstance(n, ast.Attribute) and n.attr == name
               for rel, tree in parsed(project).items() if not is_test_code(rel) for n in ast_nodes(tree))


def _calls_before_server_start(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Call] | None:
    """The calls a launcher makes as statements before the one that starts a server (`app.run()`,
    `uvicorn.run(...)`, `web.run_app(app)`), looking into `try:` and `with` bodies; None when it starts none."""
    calls: list[ast.Call] = []
    todo = list(node.body)
    while todo:
        stmt = todo.pop(0)
        if isinstance(stmt, ast.Try):
            todo[:0] = stmt.body          # its `finally:` runs after the server stops (Config.down())
            continue
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            todo[:0] = stmt.body
            continue
        if any(isinstance(c, ast.Call) and _starts_server(c) for c in ast_nodes(stmt)):
            return calls
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            calls.append(stmt.value)
    return None


# `asyncio.run(main())`: runs a coroutine (a database script's create_all) and returns, no server
_RUNNERS = frozenset({"asyncio", "anyio", "trio", "subprocess"})


def _serves(tree: ast.Module) -> bool:
    """The script starts a server when run (`app.run(debug=True)` after its `db.create_all()`, a wsgiref
    `serve_forever()`): it never returns, so it is the app's way to run, not a step that finishes."""
    return any(isinstance(c, ast.Call) and _starts_server(c) and not (
        isinstance(c.func, ast.Attribute) and isinstance(c.func.value, ast.Name) and c.func.value.id in _RUNNERS)
        for c in ast_nodes(tree))


def _starts_server(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr in APP_SERVER_METHODS | SERVE_METHODS or func.attr == "run_app" or \
            (func.attr == "run" and isinstance(func.value, ast.Name) and func.value.id in _SERVER_MODULES)
    return isinstance(func, ast.Name) and func.id in ("run", "run_app", "run_simple")


def _creates_tables(project: Project, tree: ast.Module, rel: str, call: ast.Call) -> tuple[bool, str] | None:
    """(idempotent, why) when the call makes tables: `Base.metadata.create_all(engine)`, `db.create_tables([...])`,
    or a call of the project's one function (or class method, `Config.up()`) of that name whose body does;
    None otherwise."""
    func = call.func
    if isinstance(func, ast.Attribute) and (func.attr == "create_tables" or (
            func.attr == "create_all" and call.args and isinstance(func.value, ast.Attribute)
            and func.value.attr == "metadata")):
        unsafe = any(k.arg == _SAFE_KEYWORD[func.attr] and isinstance(k.value, ast.Constant) and k.value.value is False
                     for k in call.keywords)
        return (False, f"{ast.unparse(call)} fails on tables that exist") if unsafe else \
            (True, f"it only creates what is missing ({func.attr}())")
    defined = _project_def(project, func)
    if defined is None:
        return None
    where, body = defined
    if not any(isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr in _CREATING_CALLS
               for c in ast_nodes(body)):
        return None
    return _classify(project, parsed(project)[where], body, where)


def _project_def(project: Project, func: ast.expr) -> tuple[str, ast.AST] | None:
    """(file, def) of the one function `name` (for `name()`) or method `m` of the one class `C` (for `C.m()`)
    the project defines at the top level of a module; None when it defines none or several."""
    if isinstance(func, ast.Name):
        wanted = lambda n: isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == func.id  # noqa: E731
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        wanted = lambda n: isinstance(n, ast.ClassDef) and n.name == func.value.id  # noqa: E731
    else:
        return None
    found = [(rel, n) for rel, t in parsed(project).items() for n in t.body if wanted(n)]
    if len(found) != 1:
        return None
    rel, node = found[0]
    if isinstance(node, ast.ClassDef):
        node = next((n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                     and n.name == func.attr), None)
    return (rel, node) if node is not None else None


def _module_names(tree: ast.Module) -> set[str] | None:
    """Names bound at the module's top level; None when a star import may bind any."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    return None
                names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast_nodes(t) if isinstance(n, ast.Name))
    return names


def _runs_something(tree: ast.Module) -> bool:
    """The file does something when run (a call at top level, a `with`, a `try:` around its work, a __main__ block),
    not only defines."""
    return any(isinstance(n, (ast.Expr, ast.With, ast.AsyncWith)) and any(isinstance(c, ast.Call) for c in ast_nodes(n))
               or isinstance(n, ast.Try) and any(isinstance(c, ast.Call) for b in n.body for c in ast_nodes(b))
               for n in tree.body) or _has_main_guard(tree)


def _needs_arguments(tree: ast.Module) -> bool:
    """It reads sys.argv[N], or declares a positional argparse argument."""
    for node in ast_nodes(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "argv":
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_argument" \
                and node.args and isinstance(node.args[0], ast.Constant) \
                and not str(node.args[0].value).startswith("-"):
            return True
    return False


# ---------------------------------------------------------------------------------------------- project scripts

def _project_script(project: Project, finding: EntryFinding) -> FirstRun | None:
    scripts = entry_points.console_scripts(project)
    for name, target in sorted(scripts.items()):
        if not is_init_name(name) or not isinstance(target, str):
            continue
        m = re.fullmatch(r"\s*([\w.]+)\s*:\s*(\w+)\s*", target)
        if m is None:
            continue
        module, func = m.groups()
        located = _module_file(project, module, finding.workdir)
        if located is None:
            continue
        workdir, rel = located
        tree = _tree(project, rel)
        node = _function(tree, func) if tree is not None else None
        if node is None:
            continue
        idempotent, why = _classify(project, tree, node, rel)
        ini = finding.entry.paste_ini
        if ini:
            # Pyramid's `initialize_<project>_db production.ini`: main(argv) reads the app's paste ini from argv[1]
            ini = str(PurePosixPath(finding.workdir, ini).relative_to(PurePosixPath(workdir))) \
                if workdir == "." or (finding.workdir + "/").startswith(workdir + "/") else ini
            argv = ("python", "-c", f"import sys; from {module} import {func}; sys.exit({func}([{name!r}, {ini!r}]))")
            what = f"the project's `{name} {ini}` script ({module}:{func})"
        else:
            argv = ("python", "-c", f"from {module} import {func}; {func}()")
            what = f"the project's `{name}` script ({module}:{func})"
        return FirstRun(Release(argv, workdir, what), idempotent, why)
    return None


def _tree(project: Project, rel: str) -> ast.Module | None:
    """The parsed file, also where the app scan skips it (setup.py, a scripts/ folder)."""
    tree = parsed(project).get(rel)
    if tree is None and project.is_file(rel):
        text = project.scan_text(rel)
        try:
            tree = ast.parse(text) if text is not None else None
        except (SyntaxError, ValueError):
            tree = None
    return tree


def _module_file(project: Project, module: str, workdir: str) -> tuple[str, str] | None:
    """(the folder the module imports from, its file) for a dotted module, from the entry's folder or the root."""
    path = module.replace(".", "/")
    for base in dict.fromkeys((workdir, ".", "src")):
        prefix = "" if base == "." else f"{base}/"
        for rel in (f"{prefix}{path}.py", f"{prefix}{path}/__init__.py"):
            if project.is_file(rel):
                return base, rel
    return None


def _function(tree: ast.Module, name: str) -> ast.FunctionDef | None:
    return next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name),
                None)


# ---------------------------------------------------------------------------------------------- idempotence

def _classify(project: Project, tree: ast.Module, node: ast.AST, rel: str) -> tuple[bool, str]:
    """(idempotent, why): the command's body (or a whole script) and the module's functions it calls (one
    level), read for what they do to the database."""
    bodies = [node]
    called = {c.func.id for c in ast_nodes(node) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
    bodies += [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
               and n.name in called and n is not node]
    creates: list[str] = []
    # a function's docstring ("Create table structure inside DB.") is prose, not SQL it runs
    docstrings = {id(b.body[0].value) for b in bodies if isinstance(b, (ast.FunctionDef, ast.AsyncFunctionDef))
                  and b.body and isinstance(b.body[0], ast.Expr) and isinstance(b.body[0].value, ast.Constant)}
    for body in bodies:
        for sub in ast_nodes(body):
            if id(sub) in docstrings:
                continue
            if isinstance(sub, ast.Call):
                attr = sub.func.attr if isinstance(sub.func, ast.Attribute) else \
                    sub.func.id if isinstance(sub.func, ast.Name) else ""
                if attr in _DESTRUCTIVE_CALLS:
                    return False, f"it calls {attr}()"
                if attr in _WRITING_CALLS and isinstance(sub.func, ast.Attribute):
                    return False, f"it writes rows ({attr}())"
                if attr in _CREATING_CALLS:
                    creates.append(f"{attr}()")
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                text = sub.value
                sql = _sql_file(project, rel, text) if text.lower().endswith(".sql") else None
                shown = sql[0] if sql else "its SQL"
                content = sql[1] if sql else (text if _CREATE.search(text) or _DESTRUCTIVE_SQL.search(text) else None)
                if text.lower().endswith(".sql") and sql is None:
                    return False, f"it runs {text}, which Shipyard did not find to read"
                if content is None:
                    continue
                verdict = _classify_sql(content)
                if verdict is not None:
                    return False, f"{shown} {verdict}"
                creates.append(shown)
    if not creates:
        return False, "Shipyard cannot tell what it does to existing data"
    return True, f"it only creates what is missing ({', '.join(dict.fromkeys(creates))})"


def _classify_sql(sql: str) -> str | None:
    """None when the SQL only creates what is missing; else what makes it unsafe to run twice."""
    if _DESTRUCTIVE_SQL.search(sql):
        return "drops or deletes data"
    plain = [m.group(1).upper() for m in _CREATE.finditer(sql) if not m.group(2)]
    if plain:
        return f"creates a {plain[0]} without IF NOT EXISTS (fails the second time)"
    if _WRITES_SQL.search(sql):
        return "writes rows (a second run adds or changes them)"
    return None


def _sql_file(project: Project, rel: str, name: str) -> tuple[str, str] | None:
    """(path, text) of a .sql file the code names: next to the module, else anywhere in the project by name."""
    near = str(PurePosixPath(rel).parent / name)
    candidates = [near] + [f for f in project.files if PurePosixPath(f).name == PurePosixPath(name).name]
    for candidate in dict.fromkeys(candidates):
        if project.is_file(candidate):
            text = project.scan_text(candidate)
            if text is not None:
                return candidate, text
    return None
