"""Environments with a real uv and a real cache: the app's own, the cached proof environment (reused by a
second run and by another app with the same requirements), the static answer when none can be had
(offline, an unreachable index, the time limit), the server overlay that leaves the user's virtualenv
unchanged, the Python the app asks for, and one-line install failures."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import free_port, make_tree, require_tool
from serveutil import SHIPYARD, Running, kill_mentioning, wait_status
from shipyard import environments
from shipyard.environments import EnvironmentUnavailable, InstallSpec

pytestmark = pytest.mark.slow

# a plain WSGI app that needs one small package, pinned to a release Shipyard's own environment does not have
WSGI_APP = """
import itsdangerous

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"signed with itsdangerous " + itsdangerous.__name__.encode()]
"""
PIN = "itsdangerous==2.1.2"


@pytest.fixture(scope="session")
def cache(tmp_path_factory) -> Path:
    """One cache folder for the whole session, so environments are built once."""
    require_tool("uv")
    return tmp_path_factory.mktemp("xdg-cache")


def shipyard(*args: str, cache: Path, extra: dict[str, str] | None = None, timeout: float = 300):
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), **(extra or {})}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run([*SHIPYARD, *args], capture_output=True, text=True, env=env, timeout=timeout)


def inspect_json(app: Path, cache: Path, extra: dict[str, str] | None = None) -> tuple[dict, str]:
    done = shipyard("inspect", str(app), "--json", cache=cache, extra=extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def wsgi_app(root: Path, requirements: str = PIN + "\n") -> Path:
    return make_tree(root, {"app.py": WSGI_APP, "requirements.txt": requirements})


def test_proof_environment_is_built_once_and_shared_by_apps_with_the_same_requirements(tmp_path, cache):
    first = wsgi_app(tmp_path / "first")
    plan, progress = inspect_json(first, cache)
    assert plan["proof"]["proven"] is True, plan["proof"]
    assert plan["proof"]["environment"].startswith("proof environment"), plan["proof"]
    assert "building a proof environment with uv" in progress
    python = plan["proof"]["python"]
    assert python.startswith(str(cache / "shipyard" / "envs")), python
    version = subprocess.run([python, "-c", "import importlib.metadata as m; print(m.version('itsdangerous'))"],
                             capture_output=True, text=True).stdout.strip()
    assert version == "2.1.2"

    again, progress = inspect_json(first, cache)
    assert again["proof"]["python"] == python and "building" not in progress
    other, progress = inspect_json(wsgi_app(tmp_path / "other"), cache)
    assert other["proof"]["python"] == python and "building" not in progress
    envs = list((cache / "shipyard" / "envs").iterdir())
    assert not [e for e in envs if ".building-" in e.name], envs


def test_the_apps_own_virtualenv_is_used_first(tmp_path, cache):
    app = wsgi_app(tmp_path / "own")
    uv = require_tool("uv")
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(app / ".venv")], check=True)
    subprocess.run([uv, "pip", "install", "-q", "--python", str(app / ".venv" / "bin" / "python"), PIN], check=True,
                   env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    plan, progress = inspect_json(app, cache)
    assert plan["proof"]["environment"] == "the app's .venv"
    assert plan["proof"]["python"] == str(app / ".venv" / "bin" / "python")
    assert "building" not in progress


def test_offline_without_the_packages_keeps_the_static_answer_marked_not_proven(tmp_path, cache):
    app = wsgi_app(tmp_path / "offline", "itsdangerous==2.0.1\n")    # a release no other test downloads
    offline_cache = tmp_path / "empty-cache"
    plan, _ = inspect_json(app, offline_cache, {"UV_OFFLINE": "1"})
    assert plan["proof"]["proven"] is False
    assert "offline" in plan["proof"]["reason"] and "itsdangerous" not in plan["proof"]["python"]
    assert plan["entry"]["target"] == "app:app"
    # init goes on, with one warning line
    done = shipyard("init", str(app), "--dry-run", cache=offline_cache, extra={"UV_OFFLINE": "1"})
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "not proven" in warnings[0], done.stderr
    assert not list((offline_cache / "shipyard" / "envs").glob("*")), "a failed build left an environment behind"


def test_an_unreachable_index_in_requirements_is_named(tmp_path, cache):
    app = wsgi_app(tmp_path / "index", f"--index-url http://127.0.0.1:9/simple\n{PIN}\n")
    plan, _ = inspect_json(app, tmp_path / "cache")
    assert plan["proof"]["proven"] is False
    assert "cannot reach http://127.0.0.1:9" in plan["proof"]["reason"], plan["proof"]


def test_the_time_limit_ends_a_build_and_leaves_no_half_environment(tmp_path, cache):
    # an index that accepts connections and never answers: only the time limit can end the build
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def hold() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        port = listener.getsockname()[1]
        app = make_tree(tmp_path / "slow", {
            "app.py": WSGI_APP,
            "requirements.txt": f"--index-url http://127.0.0.1:{port}/simple\n{PIN}\n",
            "pyproject.toml": "[tool.shipyard]\nproof_timeout = 3\n"})
        plan, _ = inspect_json(app, tmp_path / "cache")
    finally:
        stop.set()
        thread.join(5)
        for conn in accepted:
            conn.close()
        listener.close()
    assert plan["proof"]["proven"] is False
    assert "did not build within 3s" in plan["proof"]["reason"], plan["proof"]
    envs = tmp_path / "cache" / "shipyard" / "envs"
    assert not list(envs.iterdir()) if envs.exists() else True


def test_serve_runs_the_server_from_an_overlay_and_leaves_the_users_virtualenv_unchanged(tmp_path, cache):
    require_tool("nginx")
    uv = require_tool("uv")
    app = make_tree(tmp_path / "flaskonly", {
        "app.py": """
            from flask import Flask
            app = Flask(__name__)

            @app.get("/")
            def index():
                return "only flask here"
            """,
        "requirements.txt": "flask\n"})
    venv = tmp_path / "flaskonly" / ".venv"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True, env=env)
    subprocess.run([uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python"), "flask", "pip"],
                   check=True, env=env)

    def freeze() -> str:
        return subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "freeze", "--all"], capture_output=True,
                              text=True, check=True).stdout

    before = freeze()
    assert "granian" not in before.lower()
    port = free_port()
    run = Running("serve", str(app), "--port", str(port), env={"XDG_CACHE_HOME": str(cache)})
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 180), run.output
        answer = wait_status(f"http://127.0.0.1:{port}/", 30)
        assert answer is not None and "only flask here" in answer[2], run.output
        assert "from the overlay" in run.output
    finally:
        folder = next((l.split("run folder ", 1)[1].split(";")[0] for l in run.lines if "run folder " in l), None)
        run.stop()
        if folder:
            kill_mentioning(folder)
    assert freeze() == before


def test_the_python_the_app_asks_for_else_the_nearest_with_a_note():
    installed = environments.installed_pythons()
    assert installed, "no Python found on this machine"
    some = installed[0]
    chosen, note = environments.choose_python(some.minor)
    assert chosen.minor == some.minor and note == ""
    have = {int(i.minor.split(".")[1]) for i in installed}
    missing = next(m for m in range(environments.OLDEST, environments.NEWEST + 1) if m not in have)
    chosen, note = environments.choose_python(f"3.{missing}")
    assert f"Python 3.{missing}" in note and chosen.minor in note and chosen.path in note
    assert abs(int(chosen.minor.split(".")[1]) - missing) == min(abs(m - missing) for m in have)


def test_serve_install_creates_the_venv_with_the_python_the_app_asks_for(tmp_path, cache):
    others = [i for i in environments.installed_pythons() if i.minor != "%d.%d" % sys.version_info[:2]]
    if not others:
        pytest.skip("only one Python version on this machine")
    wanted = others[-1]
    app = make_tree(tmp_path / "versioned", {"app.py": WSGI_APP, "requirements.txt": PIN + "\n",
                                              ".python-version": wanted.minor + "\n"})
    from shipyard.planner import make_plan
    from shipyard.run.appenv import install_app_env
    lines: list[str] = []
    os.environ["XDG_CACHE_HOME"] = str(cache)
    try:
        env = install_app_env(app, make_plan(app, confirm=False), lines.append)
    finally:
        del os.environ["XDG_CACHE_HOME"]
    version = subprocess.run([env.python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True).stdout.strip()
    assert version == wanted.minor
    assert any("with uv" in line for line in lines), lines


def test_serve_install_venv_lets_a_server_started_from_its_bin_import_bottle(tmp_path, cache):
    # bottle installs its module as the script bin/bottle.py too; a server run from .venv/bin (granian,
    # gunicorn) has that folder first on sys.path, so `import bottle` loads the script: it must be Python
    # (0.12 starts with `from __future__ import`, which a relocatable script's shell line breaks)
    app = make_tree(tmp_path / "bottleapp", {"requirements.txt": "bottle==0.12.25\n", "app.py": """
        import bottle

        app = bottle.Bottle()


        @app.route("/")
        def index():
            return "bottle"
        """})
    from shipyard.planner import make_plan
    from shipyard.run.appenv import install_app_env
    os.environ["XDG_CACHE_HOME"] = str(cache)
    try:
        env = install_app_env(app, make_plan(app, confirm=False), lambda line: None)
    finally:
        del os.environ["XDG_CACHE_HOME"]
    bin_dir = str(Path(env.python).parent)
    done = subprocess.run([env.python, "-c", f"import sys; sys.path.insert(0, {bin_dir!r}); import bottle; "
                                             "print(bottle.__file__)"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("requirement, expected, hint", [
    ("flask==99.0", "no release of flask==99.0", "relax that pin"),
    # a range, not a pin, against flask's requirement: nothing to relax (two exact pins would be: pin_conflicts.py)
    ("flask==3.0.0\nwerkzeug<3", "resolver conflict between flask==3.0.0 and werkzeug<3", "relax one"),
    ("psycopg2==2.9.10", "psycopg2==2.9.10 does not build: PostgreSQL's pg_config", "libpq-dev"),
], ids=["missing-pin", "conflict", "pg_config"])
def test_install_failures_say_which_package_and_what_to_do_in_one_line(tmp_path, cache, monkeypatch,
                                                                        requirement, expected, hint):
    uv = require_tool("uv")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    # no pg_config (nor anything else) on PATH: psycopg2 cannot build from source
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "own-cache"))   # no built wheel from another test
    monkeypatch.setattr(environments, "find_uv", lambda environ=None: uv)
    log = tmp_path / "install.log"
    with pytest.raises(EnvironmentUnavailable) as failed:
        environments.install(str(venv / "bin" / "python"), InstallSpec(tuple(requirement.split("\n"))),
                             log=log, timeout=120, say=None, what="installing")
    message = failed.value.message
    assert expected in message and "\n" not in message, message
    assert hint in failed.value.hint and str(log) in failed.value.hint
    assert "subprocess" not in message and "See above" not in message


def commit_dated(git: str, app: Path, when: str) -> None:
    """Make `app` a git repository whose one commit (every file) is dated `when`, as an old clone is."""
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for argv in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", when[:4]]):
        subprocess.run([git, *argv], cwd=app, env=env, check=True, capture_output=True)


def test_an_old_apps_unpinned_packages_resolve_as_of_its_last_dependency_change(tmp_path, cache):
    git = require_tool("git")
    # six is pinned (to a release Shipyard's own Python does not have), itsdangerous is not
    app = wsgi_app(tmp_path / "oldapp", "itsdangerous\nsix==1.12.0\n")
    commit_dated(git, app, "2019-06-01T12:00:00+00:00")
    plan, progress = inspect_json(app, cache)
    assert plan["proof"]["proven"] is True, plan["proof"]
    assert any("resolved as of 2019-06-02" in note and "git" in note for note in plan["proof"]["notes"]), plan
    # (the proof ran on the Python current in 2019, 3.7 here, which has no importlib.metadata)
    version = subprocess.run([plan["proof"]["python"], "-c", "import itsdangerous; print(itsdangerous.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    assert version == "1.1.0"      # the release of that day (2.0 came in 2021)


def test_an_old_app_whose_every_line_is_pinned_still_gets_the_dependencies_of_its_day(tmp_path, cache):
    git = require_tool("git")
    # the file pins python-dateutil only; six (what it needs, >=1.5) is the resolver's choice: as of the
    # file's date, not today's (a Pipfile.lock's Flask==2.0.2 with today's Werkzeug 3 fails to import)
    app = make_tree(tmp_path / "pinnedapp", {"requirements.txt": "python-dateutil==2.8.0\n", "app.py": """
        import dateutil

        def app(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [dateutil.__name__.encode()]
        """})
    commit_dated(git, app, "2019-06-01T12:00:00+00:00")
    plan, progress = inspect_json(app, cache)
    assert plan["proof"]["proven"] is True, plan["proof"]
    assert any("pins depend on" in note and "resolved as of 2019-06-02" in note
               for note in plan["proof"]["notes"]), plan["proof"]
    version = subprocess.run([plan["proof"]["python"], "-c", "import six; print(six.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    assert version == "1.12.0"      # six of that day (1.13.0 came in November 2019)


UV_LOCK = """
    version = 1
    requires-python = ">=3.9"

    [[package]]
    name = "lockedapp"
    version = "0.1.0"
    source = { virtual = "." }
    dependencies = [{ name = "python-dateutil" }]

    [[package]]
    name = "python-dateutil"
    version = "2.9.0.post0"
    source = { registry = "https://pypi.org/simple" }
    dependencies = [{ name = "six" }]

    [[package]]
    name = "six"
    version = "1.15.0"
    source = { registry = "https://pypi.org/simple" }
    """


def test_the_packages_a_lock_file_pins_are_installed_at_its_versions(tmp_path, cache):
    """The app names python-dateutil; its uv.lock also pins what that brings (six 1.15.0, not today's):
    the versions its authors run it with."""
    app = make_tree(tmp_path / "lockedapp", {
        "pyproject.toml": '[project]\nname = "lockedapp"\nversion = "0.1.0"\ndependencies = ["python-dateutil"]\n',
        "uv.lock": UV_LOCK, "app.py": """
        import dateutil

        def app(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [dateutil.__name__.encode()]
        """})
    plan, _ = inspect_json(app, cache)
    assert plan["proof"]["proven"] is True, plan["proof"]
    version = subprocess.run([plan["proof"]["python"], "-c", "import six; print(six.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    assert version == "1.15.0"      # six 1.17.0 is today's


def test_a_settings_class_that_requires_a_secret_key_is_proven_with_a_throwaway(tmp_path, cache):
    """pydantic-settings fails the import on a required field that is not set: SECRET_KEY is one Shipyard
    knows how to give for a run here."""
    app = make_tree(tmp_path / "settingsapp", {"requirements.txt": "pydantic-settings>=2\n", "app.py": """
        from pydantic_settings import BaseSettings

        class Settings(BaseSettings):
            secret_key: str
            debug: bool = False

        settings = Settings()

        def app(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"configured"]
        """})
    plan, _ = inspect_json(app, cache)
    assert plan["proof"]["proven"] is True, plan["proof"]
    assert "SECRET_KEY" in plan["env_vars"]


def test_a_settings_class_missing_required_variables_keeps_the_static_entry_and_names_them(tmp_path, cache):
    """pydantic's ValidationError for required fields that are not set is the app's configuration, not its
    code: inspect goes on with the static entry, not proven, naming the variables (env_prefix included)."""
    app = make_tree(tmp_path / "needsdb", {"requirements.txt": "pydantic-settings>=2\n", "app.py": """
        from pydantic_settings import BaseSettings, SettingsConfigDict

        class Settings(BaseSettings):
            model_config = SettingsConfigDict(env_prefix="SHIPYARD_FIXTURE_")
            db_name: str
            db_port: int
            debug: bool = False

        settings = Settings()

        def app(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [settings.db_name.encode()]
        """})
    plan, err = inspect_json(app, cache)
    assert plan["entry"]["module"] == "app" and plan["entry"]["attr"] == "app"
    assert plan["proof"]["proven"] is False
    assert plan["proof"]["variables"] == ["SHIPYARD_FIXTURE_DB_NAME", "SHIPYARD_FIXTURE_DB_PORT"], plan["proof"]
    assert "2 validation errors for Settings" in plan["proof"]["reason"]
    assert "only the app's tests use" not in plan["proof"]["reason"]


def test_a_required_setting_only_the_tests_use_is_said_to_take_any_value(tmp_path, cache):
    """TEST_DB_NAME, required by the settings class but read only by a file under tests/: the reason says so,
    since any value lets the app start (the app's own db_name is read by its code, and not said)."""
    app = make_tree(tmp_path / "testsetting", {"requirements.txt": "pydantic-settings>=2\n", "app.py": """
        from pydantic_settings import BaseSettings

        class Settings(BaseSettings):
            shipyard_fixture_name: str
            shipyard_fixture_test_name: str

        settings = Settings()

        def app(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [settings.shipyard_fixture_name.encode()]
        """, "tests/conf_test.py": "from app import settings\n\nNAME = settings.shipyard_fixture_test_name\n"})
    plan, _ = inspect_json(app, cache)
    assert plan["proof"]["variables"] == ["SHIPYARD_FIXTURE_NAME", "SHIPYARD_FIXTURE_TEST_NAME"], plan["proof"]
    assert plan["proof"]["reason"].endswith("; only the app's tests use SHIPYARD_FIXTURE_TEST_NAME "
                                            "(tests/conf_test.py): any value lets it start"), plan["proof"]


def test_an_exact_pin_newer_than_the_resolution_date_is_still_installed(tmp_path):
    # the date is for what the app leaves to the resolver; a pin is the app's word (one taken from its dev
    # requirements may be newer than its production files: aiopg's SQLAlchemy==2.0.52 pin in a 2019 demo)
    assert environments.find_uv() is not None, "uv (a dependency of Shipyard) is needed: pip ignores the date"
    python = environments.interpreter_info(sys.executable)
    spec = InstallSpec(("six==1.16.0",), exclude_newer="2019-06-02T00:00:00Z")     # 1.16.0 came in May 2021
    env = environments.proof_environment(spec, python, timeout=120, say=None,
                                         environ={"XDG_CACHE_HOME": str(tmp_path)})
    version = subprocess.run([env.python, "-c", "import six; print(six.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    assert version == "1.16.0"


def test_a_proof_environment_pip_builds_is_not_cached_as_resolved_as_of_a_date(tmp_path, monkeypatch):
    # without uv, pip resolves as of today: cached under the dated key, a later run with uv would reuse it
    monkeypatch.setattr(environments, "find_uv", lambda environ=None: None)
    python = environments.interpreter_info(sys.executable)
    dated = InstallSpec(("six",), exclude_newer="2019-06-02T00:00:00Z")
    lines: list[str] = []
    env = environments.proof_environment(dated, python, timeout=120, say=lines.append,
                                         environ={"XDG_CACHE_HOME": str(tmp_path)})
    assert Path(env.python).parents[1].name == f"py{python.version}-{InstallSpec(('six',)).key(python)}"
    assert any("pip cannot resolve packages as of a date" in line for line in lines), lines


def test_serve_install_installs_an_app_that_is_a_package_editable(tmp_path, cache, monkeypatch):
    # a Pyramid app's `use = egg:NAME` finds the app through its installed distribution's entry points
    app = make_tree(tmp_path / "pkgapp", {
        "pyproject.toml": """
            [project]
            name = "pkgapp"
            version = "1.0"
            dependencies = []

            [project.entry-points."paste.app_factory"]
            main = "pkgapp:main"

            [build-system]
            requires = ["setuptools>=64"]
            build-backend = "setuptools.build_meta"
            """,
        "pkgapp/__init__.py": WSGI_APP.replace("import itsdangerous\n", "") .replace(
            ' + itsdangerous.__name__.encode()', '') + "\n\ndef main(global_config, **settings):\n    return app\n"})
    from shipyard.planner import make_plan
    from shipyard.run.appenv import install_app_env
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    lines: list[str] = []
    env = install_app_env(app, make_plan(app, confirm=False), lines.append)
    assert any("the app itself, editable" in line for line in lines), lines
    code = ("import importlib.metadata as m, json; d = m.distribution('pkgapp'); "
            "print(json.loads(d.read_text('direct_url.json'))['dir_info'].get('editable')); "
            "print([e.value for e in d.entry_points if e.group == 'paste.app_factory'])")
    out = subprocess.run([env.python, "-c", code], capture_output=True, text=True, cwd=tmp_path).stdout.split("\n")
    assert out[0] == "True" and "pkgapp:main" in out[1], out


def test_an_app_carrying_its_libraries_in_a_folder_it_puts_on_sys_path_is_proven_with_nothing_to_install(
        tmp_path, cache):
    # lib/bottlish.py stands for a copied library (bottle.py): named after a distribution (six), with its
    # version; an optional server it imports inside a function does not exist on any index
    app = make_tree(tmp_path / "carried", {
        "app.py": "import os, sys\n"
                  "sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'lib'))\n"
                  "import six\n\n"
                  "def app(environ, start_response):\n"
                  "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
                  "    return [six.b('carried')]\n",
        "lib/six.py": "__version__ = '1.16.0'\n\ndef b(s):\n    return s.encode('latin-1')\n\n"
                      "def run_with_an_optional_server():\n    import shipyard_no_such_server_dist\n",
    })
    data, err = inspect_json(app, cache)
    assert data["proof"]["proven"] is True, (data["proof"], err)
    assert [d for d in data["dependencies"] if not d["source"].startswith("production server")] == [], \
        data["dependencies"]
