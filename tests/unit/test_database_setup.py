"""The steps an image of an app on SQLite runs before its server (render/database_setup.py), as rendered into
the runtime, the Dockerfile's CMD and supervisord's program; the container test is in test_build.py."""

from __future__ import annotations

import ast
import dataclasses

import pytest

import plans
from shipyard.detect.first_run import CREATE_ALL_WHAT
from shipyard.plan import Dependency, Entry, Release
from shipyard.render import Target, render
from shipyard.render.database_setup import database_setup
from shipyard.sqlite_probes import CONFIG_SQLITE

MIGRATE = Release(("python", "-m", "django", "migrate", "--noinput"), ".", "Django migrate")
INIT_DB = Release(("python", "-m", "flask", "init-db"), ".", "the app's `flask init-db` command",
                  env=(("FLASK_APP", "app"),))


def django_sqlite(**changes):
    return dataclasses.replace(plans.django_postgres(**changes), services=(), sqlite="Django's sqlite3 backend")


def flask_init_db(**changes):
    return dataclasses.replace(plans.flask_wsgi(**changes), first_run=INIT_DB, sqlite="sqlite3.connect(...) in app.py")


def runtime_setup(files: dict[str, str]) -> dict:
    """DATABASE_SETUP as the rendered runtime holds it (the file must parse)."""
    tree = ast.parse(files["shipyard_runtime.py"])
    value = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                 and getattr(node.targets[0], "id", "") == "DATABASE_SETUP")
    return ast.literal_eval(value)


def test_django_on_sqlite_migrates_on_every_start_of_its_image_through_the_runtime():
    files = render(django_sqlite(server="gunicorn"))
    setup = runtime_setup(files)
    assert [s["argv"] for s in setup["every_start"]] == [["/opt/venv/bin/python", "-m", "django", "migrate",
                                                           "--noinput"]]
    assert setup["once"] is None and setup["unless_set"] == []
    assert "shipyard_runtime.py start --database -- /opt/venv/bin/gunicorn" in files["supervisord.conf"]
    assert "Each start of the container first runs Django migrate" in files["Dockerfile"]


def test_the_app_topology_cmd_goes_through_the_runtime_only_when_there_is_a_database_to_make():
    made = render(django_sqlite(server="gunicorn", topology="app"))["Dockerfile"]
    assert 'CMD ["/opt/venv/bin/python", "/app/shipyard_runtime.py", "start", "--database", "--", ' \
           '"/opt/venv/bin/gunicorn", "-c", "/app/gunicorn.conf.py"]' in made
    plain = render(plans.flask_wsgi(server="gunicorn", topology="app"))
    assert 'CMD ["/opt/venv/bin/gunicorn", "-c", "/app/gunicorn.conf.py"]' in plain["Dockerfile"]
    assert "DATABASE_SETUP" not in plain["shipyard_runtime.py"] and "--database" not in plain["shipyard_runtime.py"]


def test_granian_makes_the_database_inside_its_own_runtime_command():
    files = render(django_sqlite(server="granian"))
    assert "shipyard_runtime.py granian" in files["supervisord.conf"]
    granian = files["shipyard_runtime.py"].split("def granian():", 1)[1].split("\ndef ", 1)[0]
    assert "prepare_database()" in granian


def test_an_init_command_that_may_clear_data_runs_once_where_the_app_says_its_files_are():
    files = render(flask_init_db())
    setup = runtime_setup(files)
    assert setup["every_start"] == []
    assert setup["once"]["argv"] == ["/opt/venv/bin/python", "-m", "flask", "init-db"]
    assert setup["once"]["env"] == {"FLASK_APP": "app"}
    assert [f["probe"] for f in setup["finders"]] == ["CONFIG_SQLITE"]
    # the probe is written into the runtime as the same program serve runs
    tree = ast.parse(files["shipyard_runtime.py"])
    probe = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                 and getattr(node.targets[0], "id", "") == "CONFIG_SQLITE")
    assert probe.strip() == CONFIG_SQLITE.strip()


def test_flask_sqlalchemy_apps_are_also_asked_for_their_engines_file():
    plan = flask_init_db()
    plan = dataclasses.replace(plan, dependencies=plan.dependencies + (Dependency("Flask-SQLAlchemy", "",
                                                                                        "requirements.txt"),))
    setup = database_setup(plan, Target.image())
    assert [f["probe"] for f in setup["finders"]] == ["CONFIG_SQLITE", "FLASK_SQLITE"]
    # an entry whose modules import their siblings (app/routes.py's `from models import`): both probes load it so
    entry = dataclasses.replace(plan.entry, module="app.routes", attr="app", import_folder="app")
    setup = database_setup(dataclasses.replace(plan, entry=entry), Target.image())
    assert [f["env"]["SHIPYARD_IMPORT_FOLDER"] for f in setup["finders"]] == ["app", "app"]


def test_an_idempotent_init_command_that_is_the_release_runs_on_every_start_not_once():
    plan = dataclasses.replace(flask_init_db(), release=INIT_DB)
    setup = database_setup(plan, Target.image())
    assert [s["what"] for s in setup["every_start"]] == [INIT_DB.what] and setup["once"] is None


def test_migrations_run_before_the_seeding_command_of_a_new_database():
    seed = Release(("initialize_db", "production.ini"), ".", "the app's initialize_db")
    plan = dataclasses.replace(flask_init_db(), release=MIGRATE, first_run=seed)
    setup = database_setup(plan, Target.image())
    assert [s["what"] for s in setup["every_start"]] == ["Django migrate"]
    assert setup["once"]["argv"] == ["initialize_db", "production.ini"]


def test_a_paste_entry_has_no_finder_so_its_init_command_is_left_to_the_user():
    plan = dataclasses.replace(flask_init_db(), entry=Entry(module="app", attr="main", kind="factory",
                                                           interface="wsgi", paste_ini="production.ini"))
    assert database_setup(plan, Target.image())["finders"] == []


def test_nothing_runs_without_a_sqlite_file():
    assert database_setup(plans.flask_wsgi(), Target.image()) is None


def test_a_paste_entry_with_no_step_has_nothing_to_run_nor_a_way_to_find_its_files():
    plan = dataclasses.replace(plans.flask_wsgi(), sqlite="app.db",
                               entry=Entry(module="app", attr="main", kind="factory", interface="wsgi",
                                           paste_ini="production.ini"))
    assert database_setup(plan, Target.image()) is None


def test_an_app_on_sqlite_with_no_step_still_has_its_files_kept_in_the_images_sqlite_folder():
    """Each `up` made a new container, and the SQLite file the app wrote in the old one was gone with it."""
    plan = dataclasses.replace(plans.flask_wsgi(server="gunicorn", topology="compose"), sqlite="app.db")
    setup = database_setup(plan, Target.image())
    assert setup["every_start"] == [] and setup["once"] is None
    assert [f["probe"] for f in setup["finders"]] == ["CONFIG_SQLITE"]
    assert (setup["app_dir"], setup["sqlite_dir"]) == ("/app", "/var/lib/app")
    files = render(plan)
    assert "install -d -o app -g app -m 0750 /var/lib/app" in files["Dockerfile"]
    assert '/shipyard_runtime.py", "start", "--database", "--"' in files["Dockerfile"]
    compose = files["compose.yaml"]
    assert "      - sqlite:/var/lib/app\n" in compose and "\n  sqlite:\n" in compose


def test_a_stack_with_a_database_server_also_keeps_a_sqlite_file_the_app_may_use_instead():
    """A pip freeze with psycopg2-binary gave the stack PostgreSQL; the app kept its hard-coded sqlite:///api.db
    and lost it on each `up`. The runtime asks the app before DATABASE_URL decides: an app on the server names no
    file, and the volume stays empty."""
    plan = dataclasses.replace(plans.django_postgres(topology="compose"), sqlite="Django's sqlite3 backend")
    assert "      - sqlite:/var/lib/app\n" in render(plan)["compose.yaml"]
    runtime = render(plan)["shipyard_runtime.py"].split("def prepare_database():", 1)[1]
    assert runtime.index("keep_sqlite_files(files)") < runtime.index('DATABASE_SETUP["unless_set"]')


def test_django_is_asked_for_its_files_through_its_settings():
    setup = database_setup(django_sqlite(), Target.image())
    assert [f["probe"] for f in setup["finders"]] == ["DJANGO_SQLITE"]


def test_serve_makes_the_database_itself_so_the_local_runtime_has_no_setup(tmp_path):
    local = Target.local(tmp_path, tmp_path / "run", tmp_path / ".venv")
    assert database_setup(django_sqlite(), local) is None


def test_an_app_with_a_database_server_makes_its_fallback_file_only_when_it_has_no_server_url():
    plan = dataclasses.replace(plans.django_postgres(), sqlite="Django's sqlite3 backend (the default)")
    assert database_setup(plan, Target.image())["unless_set"] == ["DATABASE_URL"]


def test_a_mysql_app_with_a_sqlite_fallback_makes_the_file_only_without_the_stacks_url():
    """Its compose stack and Kubernetes Secret give it DATABASE_URL to their MariaDB, as PostgreSQL's do."""
    plan = dataclasses.replace(plans.flask_mysql(), sqlite="sqlite:// default in app.py")
    assert database_setup(plan, Target.image())["unless_set"] == ["DATABASE_URL"]


def test_shipyards_own_table_step_is_for_sqlite_alone_not_for_an_app_with_a_database_server():
    tables = Release(("python", "-c", "db.create_all()"), ".", CREATE_ALL_WHAT)
    alone = dataclasses.replace(plans.flask_wsgi(), first_run=tables, sqlite="sqlite:// URL in app.py")
    assert [s["what"] for s in database_setup(alone, Target.image())["every_start"]] == [CREATE_ALL_WHAT]
    served = dataclasses.replace(plans.django_postgres(), release=None, first_run=tables, sqlite="fallback")
    setup = database_setup(served, Target.image())
    assert setup["every_start"] == [] and setup["once"] is None     # only its files kept, if it names any


# ---- the first run of an app on PostgreSQL, as its stack's release job (server_first_run) ----
def postgres_first_run(first_run: Release, **changes):
    """django_postgres's plan (psycopg2, PostgreSQL) with no release of its own and the given first run."""
    return dataclasses.replace(plans.django_postgres(topology="compose", **changes), release=None,
                               first_run=first_run)


def runtime_first_run(files: dict[str, str]) -> dict:
    tree = ast.parse(files["shipyard_runtime.py"])
    return ast.literal_eval(next(node.value for node in tree.body if isinstance(node, ast.Assign)
                                 and getattr(node.targets[0], "id", "") == "FIRST_RUN"))


def test_an_init_command_of_an_app_on_postgresql_is_its_stacks_release_job_through_the_runtime():
    # quart-pdm-asyncpg: serve ran its `init_db` + `migrate -a` on the database it made; the stack ran nothing,
    # and /api/v1/todos/ answered 500 (relation "todos" does not exist)
    import yaml
    files = render(postgres_first_run(INIT_DB))
    release = yaml.safe_load(files["compose.yaml"])["services"]["release"]
    assert release["command"] == ["/opt/venv/bin/python", "/app/shipyard_runtime.py", "first-run"]
    step = runtime_first_run(files)
    assert step["argv"] == ["/opt/venv/bin/python", "-m", "flask", "init-db"] and step["repeatable"] is False
    assert "on a database with no table yet" in files["compose.yaml"]
    tables = Release(("python", "-c", "db.create_all()"), ".", CREATE_ALL_WHAT)
    assert runtime_first_run(render(postgres_first_run(tables)))["repeatable"] is True
    # a release of its own is the job, as serve runs it alone; no PostgreSQL, no job
    own = dataclasses.replace(postgres_first_run(INIT_DB), release=MIGRATE)
    assert yaml.safe_load(render(own)["compose.yaml"])["services"]["release"]["command"][1:] == \
        ["-m", "django", "migrate", "--noinput"]
    assert "FIRST_RUN" not in render(own)["shipyard_runtime.py"]
    alone = dataclasses.replace(postgres_first_run(INIT_DB), services=())
    assert "FIRST_RUN" not in render(alone)["shipyard_runtime.py"]


def _first_run_in_runtime(tmp_path, step: Release, tables: int | None):
    """The rendered runtime's `first-run` of `step`, run here (its python and /app moved to ours), against the
    app's psycopg2 answering the table count with `tables` (None: the app has no driver)."""
    import subprocess
    import sys
    runtime = render(postgres_first_run(step))["shipyard_runtime.py"]
    runtime = runtime.replace("'/opt/venv/bin/python'", repr(sys.executable)).replace("'cwd': '/app'",
                                                                                     f"'cwd': {str(tmp_path)!r}")
    (tmp_path / "shipyard_runtime.py").write_text(runtime)
    fakes = tmp_path / "fakes"
    fakes.mkdir()
    if tables is not None:
        (fakes / "psycopg2.py").write_text(
            "class _C:\n    def execute(self, q):\n        assert 'information_schema.tables' in q\n"
            f"    def fetchone(self):\n        return ({tables},)\n"
            "class _Conn:\n    def cursor(self):\n        return _C()\n    def close(self):\n        pass\n"
            "def connect(url):\n    assert url.startswith('postgresql://app:pw@db:5432/app'), url\n    return _Conn()\n")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(fakes),
           "DATABASE_URL": "postgresql+psycopg2://app:pw@db:5432/app"}
    done = subprocess.run([sys.executable, "-S", str(tmp_path / "shipyard_runtime.py"), "first-run"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.parametrize("tables, repeatable, runs, said", [
    (0, False, True, "holds no table yet"),
    (3, False, False, "holds 3 table(s)"),
    (None, False, False, "cannot be told"),           # no driver the app has: never guessed
    (3, True, True, "creates only what is missing"),  # a create_all runs on every deploy
])
def test_the_runtime_runs_an_init_command_only_on_a_database_with_no_table(tmp_path, tables, repeatable, runs, said):
    what = CREATE_ALL_WHAT if repeatable else "the app's `init_db`"
    done = _first_run_in_runtime(tmp_path, Release(("python", "-c", "open('ran', 'w').write('yes')"), ".", what),
                                 tables)
    assert (tmp_path / "ran").exists() == runs, done.stderr
    assert said in done.stderr


@pytest.mark.parametrize("body, said", [
    ("import sys; print('relation users already exists', file=sys.stderr); sys.exit(1)", "its error is above"),
    ("import sys; sys.exit(1)", "it printed nothing"),
])
def test_the_runtimes_failed_first_run_says_whether_its_error_is_above(tmp_path, body, said):
    """A first run that exited 1 saying nothing was reported as "its error is above", sending the user to look for
    an error that is not in the log."""
    done = _first_run_in_runtime(tmp_path, Release(("python", "-c", body), ".", "the app's `init_db`"), 0)
    assert f"failed (exit 1): {said};" in done.stderr, done.stderr
    assert ("relation users already exists" in done.stderr) == ("print" in body)


def _runtime_module(tmp_path, plan):
    """The rendered runtime loaded as a module, its app folder and SQLite folder moved under tmp_path."""
    import importlib.util
    source = render(plan)["shipyard_runtime.py"]
    source = source.replace("'app_dir': '/app'", f"'app_dir': {str(tmp_path / 'app')!r}") \
        .replace("'sqlite_dir': '/var/lib/app'", f"'sqlite_dir': {str(tmp_path / 'kept')!r}")
    (tmp_path / "shipyard_runtime.py").write_text(source)
    spec = importlib.util.spec_from_file_location(f"runtime_{tmp_path.name}", tmp_path / "shipyard_runtime.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_runtime_keeps_the_sqlite_file_in_its_folder_and_links_it_back_in_the_next_container(tmp_path):
    """The image's runtime moves the file the app named into the kept folder (a volume in the stack) and links
    it where the app opens it; a new container (a fresh app folder, the same kept folder) gets the link back,
    with what the first one wrote, even when the app made a fresh empty file at import before the runtime ran."""
    import sqlite3
    plan = dataclasses.replace(plans.flask_wsgi(server="gunicorn", topology="compose"), sqlite="app.db")
    app, kept = tmp_path / "app", tmp_path / "kept"
    app.mkdir(), kept.mkdir()
    first = _runtime_module(tmp_path, plan)
    with sqlite3.connect(app / "app.db") as db:          # the first container: the app made its file
        db.execute("create table notes (body text)")
    first.keep_sqlite_files([str(app / "app.db")])
    assert (app / "app.db").is_symlink() and (kept / "app.db").is_file()
    with sqlite3.connect(app / "app.db") as db:          # the app writes through the link
        db.execute("insert into notes values ('kept')")
    assert not list(app.glob("app.db-*")), "SQLite's journal goes beside the kept file"
    # the next container: a new app folder (the image's), where the app's import made an empty file again
    for path in app.iterdir():
        path.unlink()
    sqlite3.connect(app / "app.db").close()
    second = _runtime_module(tmp_path, plan)
    second.keep_sqlite_files([str(app / "app.db")])
    with sqlite3.connect(app / "app.db") as db:
        assert db.execute("select body from notes").fetchall() == [("kept",)]
    # and when the finder cannot tell (None), what the kept folder holds is linked back all the same
    (app / "app.db").unlink()
    second.keep_sqlite_files(None)
    assert (app / "app.db").is_symlink()


def test_the_runtime_leaves_a_file_older_than_its_start_where_it_is(tmp_path):
    import os
    plan = dataclasses.replace(plans.flask_wsgi(server="gunicorn", topology="compose"), sqlite="app.db")
    app, kept = tmp_path / "app", tmp_path / "kept"
    app.mkdir(), kept.mkdir()
    (kept / "app.db").write_text("kept")
    (app / "app.db").write_text("the user's")
    os.utime(app / "app.db", (1, 1))
    _runtime_module(tmp_path, plan).keep_sqlite_files([str(app / "app.db")])
    assert (app / "app.db").read_text() == "the user's" and not (app / "app.db").is_symlink()


def test_the_config_probe_finds_the_file_of_an_async_engine(tmp_path):
    """`engine = create_async_engine("sqlite+aiosqlite:///test.db")` at module level (FastAPI on aiosqlite): the
    probe named no file, so the image did not keep it."""
    import json
    import subprocess
    import sys
    (tmp_path / "main.py").write_text(
        "class _Url:\n    database = 'test.db'\n    def get_backend_name(self):\n        return 'sqlite'\n"
        "class AsyncEngine:\n    url = _Url()\n"
        "engine = AsyncEngine()\napp = object()\n")
    done = subprocess.run([sys.executable, "-c", CONFIG_SQLITE], cwd=tmp_path, capture_output=True, text=True,
                          env={"SHIPYARD_ENTRY": "main:app", "PATH": "/usr/bin:/bin"}, timeout=60)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [str(tmp_path / "test.db")], done.stderr


def test_the_runtime_runs_its_probes_on_python_36():
    """The image of an app on Python 3.6 failed its health check: subprocess.run has no capture_output there."""
    runtime = render(dataclasses.replace(plans.flask_wsgi(server="gunicorn"), sqlite="app.db"))["shipyard_runtime.py"]
    assert "_sqlite_files" in runtime and "capture_output" not in runtime and "text=True" not in runtime


def test_the_build_step_moves_the_contexts_sqlite_databases_where_the_app_may_write_them(tmp_path, monkeypatch):
    """A committed website/database.db was root-owned in a root-owned folder: the app read it and could not
    write it ("attempt to write a readonly database"). `keep-databases` moves it to the kept folder, the app's
    user's, and links it back; a file that only has the name, and node_modules, stay as they are."""
    import os
    import sqlite3
    plan = dataclasses.replace(plans.flask_wsgi(server="gunicorn", topology="compose"), sqlite="app.db")
    app, kept = tmp_path / "app", tmp_path / "kept"
    (app / "website").mkdir(parents=True)
    (app / "node_modules").mkdir()
    kept.mkdir()
    with sqlite3.connect(app / "website" / "database.db") as db:
        db.execute("create table users (name text)")
    (app / "notes.db").write_text("not a database")
    (app / "node_modules" / "cache.db").write_bytes((app / "website" / "database.db").read_bytes())
    owners = {}
    monkeypatch.setattr(os, "chown", lambda path, uid, gid: owners.__setitem__(str(path), (uid, gid)))
    runtime = _runtime_module(tmp_path, plan)
    assert runtime.main(["shipyard_runtime.py", "keep-databases"]) == 0
    link = app / "website" / "database.db"
    assert link.is_symlink() and os.readlink(link) == str(kept / "website" / "database.db")
    with sqlite3.connect(link) as db:
        assert db.execute("select name from sqlite_master").fetchall() == [("users",)]
    assert owners[str(kept / "website" / "database.db")] == (10001, 10001) and owners[str(kept)] == (10001, 10001)
    assert not (app / "notes.db").is_symlink() and not (app / "node_modules" / "cache.db").is_symlink()
    assert "keep-databases" in render(plan)["Dockerfile"]


def test_an_app_starting_its_server_at_import_is_asked_for_its_files_through_the_shim(tmp_path, monkeypatch):
    """bottle's todo tutorial calls run() at module level: the probe imported todo.py as it is, served forever,
    and the image's runtime never started the server (its health check failed). The probe imports the shim the
    server imports (shipyard_entry.py, run() a no-op) and names the file; one that never returns is given up."""
    import time
    from conftest import free_port, make_tree
    from shipyard.planner import make_plan
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = make_tree(tmp_path / "app", {
        "todo.py": '''
            import sqlite3
            from bottle import route, run

            @route("/todo")
            def todo():
                return str(sqlite3.connect("todo.db").execute("select count(*) from todo").fetchone()[0])

            run(host="127.0.0.1", port=PORT)
            '''.replace("PORT", str(free_port())),
        "initdb.py": "import sqlite3\nsqlite3.connect('todo.db').execute('create table todo (task text)')\n",
    })
    plan = make_plan(app, {"server": "gunicorn"}, confirm=False, installed=False)
    assert plan.entry.starts_server_on_import and plan.sqlite
    files = render(plan)
    setup = runtime_setup(files)
    assert setup["finders"][0]["env"]["SHIPYARD_ENTRY"] == "shipyard_entry:app", setup
    (app / "shipyard_entry.py").write_text(files["shipyard_entry.py"])
    runtime = _runtime_module(tmp_path, plan)
    finders = [dict(f, cwd=str(app)) for f in setup["finders"]]
    started = time.monotonic()
    assert runtime._sqlite_files(finders) == [str(app / "todo.db")]
    assert time.monotonic() - started < runtime.PROBE_TIMEOUT
    # imported as it is, the probe never returns: given up after PROBE_TIMEOUT, the server starts all the same
    monkeypatch.setattr(runtime, "PROBE_TIMEOUT", 3)
    said = []
    monkeypatch.setattr(runtime, "say", said.append)
    blocking = [dict(finders[0], env=dict(finders[0]["env"], SHIPYARD_ENTRY="todo:default_app()"))]
    assert runtime._sqlite_files(blocking) is None and "took over 3 s" in said[0]


@pytest.mark.parametrize("minor", [6, 7])
def test_the_config_probe_reads_the_file_a_module_opens_on_pythons_before_38(tmp_path, minor):
    """Python 3.6 and 3.7 parse a string as ast.Str, not ast.Constant: in a 3.6 image the probe named no file for
    bottle's todo.py (`sqlite3.connect('todo.db')` in a view), so its initdb.py never ran and /todo answered 500."""
    import json
    import subprocess
    from shipyard.environments import python_of
    found = python_of(minor)
    if found is None:
        pytest.skip(f"no Python 3.{minor} on this machine")
    (tmp_path / "todo.py").write_text("import sqlite3\n\n\ndef todos():\n    return sqlite3.connect('todo.db')\n\n\n"
                                      "app = object()\n")
    done = subprocess.run([found.path, "-c", CONFIG_SQLITE], cwd=tmp_path, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True,
                          env={"SHIPYARD_ENTRY": "todo:app", "PATH": "/usr/bin:/bin"}, timeout=60)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [str(tmp_path / "todo.db")], done.stderr


def test_a_committed_database_the_runtime_cannot_ask_about_is_made_the_apps_to_write(tmp_path, monkeypatch):
    """A repository that commits data.db, read through code no SQLite finder covers (nothing says the app writes
    SQLite, or a paste ini entry): the image held the file root-owned among the code, which the app's user could
    read and not write. The build's keep-databases step runs for it too, with no database setup at start."""
    import os
    import sqlite3
    plan = dataclasses.replace(plans.flask_wsgi(server="gunicorn"), committed_databases=("data.db",))
    assert database_setup(plan, Target.image()) is None
    files = render(plan)
    builder, final = files["Dockerfile"].split("\nFROM ${BASE}\n")
    assert "install -d -o app -g app -m 0750 /var/lib/app \\\n && /opt/venv/bin/python /app/shipyard_runtime.py " \
           "keep-databases\n" in final
    assert "The build context holds SQLite data (data.db)" in final and "--database" not in final
    app, kept = tmp_path / "app", tmp_path / "kept"
    app.mkdir(), kept.mkdir()
    with sqlite3.connect(app / "data.db") as db:
        db.execute("create table items (name text)")
    monkeypatch.setattr(os, "chown", lambda path, uid, gid: None)
    runtime = _runtime_module(tmp_path, plan)
    assert not hasattr(runtime, "DATABASE_SETUP")
    assert runtime.main(["shipyard_runtime.py", "keep-databases"]) == 0
    assert (app / "data.db").is_symlink() and os.readlink(app / "data.db") == str(kept / "data.db")
    with sqlite3.connect(app / "data.db") as db:
        db.execute("insert into items values ('written')")
    # an app with neither SQLite nor committed data gets no such step; a local target (serve) never does
    assert "keep-databases" not in render(plans.flask_wsgi(server="gunicorn"))["Dockerfile"]
    local = Target.local(tmp_path / "app", tmp_path / "run", tmp_path / "venv")
    assert "keep_image_databases" not in render(plan, local, only=("shipyard_runtime.py",))["shipyard_runtime.py"]
