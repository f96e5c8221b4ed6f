"""The frameworks beyond WSGI/ASGI basics (Sanic, Litestar, Quart, Falcon ASGI, Django Channels, aiohttp,
Tornado) and the app shapes around them (factories with arguments, async factories, monorepos, an app
that imports its own folder by name): one fixture app per shape under tests/fixtures/apps/, detected
statically, then proven by the import check with the real framework, then rendered for its server."""

from __future__ import annotations

import dataclasses
import sys

import pytest

from shipyard import servers
from shipyard.detect import entry
from shipyard.detect import frameworks as fw
from shipyard.errors import AmbiguousApp, UsageError
from shipyard.plan import StaticDir
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import render
from shipyard.report import FRAMEWORK_NAMES

from conftest import FIXTURES, make_tree

APPS = FIXTURES / "apps"
PY = sys.executable
TIMEOUT = 30.0

# case -> target, framework, workdir, kind, interface, the server the plan picks by default
SHAPES = {
    "sanic_app": ("server:app", "sanic", ".", "attribute", "asgi", "granian"),
    "litestar_app": ("main:app", "litestar", ".", "attribute", "asgi", "granian"),
    "quart_static_root": ("app:app", "quart", ".", "attribute", "asgi", "granian"),
    "falcon_asgi": ("asgi_app:app", "falcon", ".", "attribute", "asgi", "granian"),
    # Channels: asgi.py's ProtocolTypeRouter, not wsgi.py, and not the Django app it wraps
    "channels_project": ("mysite.asgi:application", "django", ".", "django", "asgi", "granian"),
    "aiohttp_app": ("app:app", "aiohttp", ".", "attribute", "aiohttp", "gunicorn"),
    "aiohttp_async_factory": ("main:init_app()", "aiohttp", ".", "factory", "aiohttp", "gunicorn"),
    "aiohttp_argv_factory": ("hello:init_func([])", "aiohttp", ".", "factory", "aiohttp", "gunicorn"),
    "tornado_app": ("app:make_app()", "tornado", ".", "factory", "tornado", "tornado"),
    # tornado's demos: the Application is made in main(), which calls app.listen(options.port): the script runs
    "tornado_script": ("chat:main", "tornado", ".", "script", "tornado", "tornado"),
    # a package's main() that builds the Application and listens, run as setup.py's console script serve_todo
    "tornado_console_script": ("todo_server:main", "tornado", ".", "script", "tornado", "tornado"),
    # runserver.py reads its config file and calls the package's main(config), which ends in web.run_app
    "aiohttp_run_script": ("runserver:__main__", "aiohttp", ".", "script", "aiohttp", "aiohttp"),
    # Channels 2: routing.py holds the router, asgi.py loads it after django.setup()
    "channels2_project": ("mysite.asgi:application", "django", ".", "django", "asgi", "granian"),
    # create_app(config_name) with a config dict that has a "production" key
    "factory_args": ("manage:create_app('production')", "flask", ".", "factory", "wsgi", "granian"),
    # one web app among libraries and infrastructure code
    "monorepo_one": ("main:app", "fastapi", "services/api", "attribute", "asgi", "granian"),
    # src/main.py imports `from src.db import ...`: it runs from the root as src.main
    "src_self_import": ("src.main:app", "flask", ".", "attribute", "wsgi", "granian"),
    # src/server.py imports `from .utilities.factory import ...` with no src/__init__.py: it runs as src.server
    "src_relative_imports": ("src.server:app", "flask", ".", "attribute", "wsgi", "granian"),
    # the other way round: src/__init__.py exists, but src/app.py imports `from config import ...`; run from a
    # folder holding an __init__.py, gunicorn serves it (granian would import it as src.app: servers.default_for)
    "src_sibling_imports": ("app:app", "flask", "src", "attribute", "wsgi", "gunicorn"),
    # but core/redis.py imports the installed redis (Celery's proj/celery.py likewise): core/ is a package
    "django_redis_namesake": ("core.wsgi:application", "django", ".", "django", "wsgi", "granian"),
}
# shapes whose framework add-on the test environment does not hold: detected here, proven by a real install
# in tests/integration/test_django_configurations.py
STATIC_ONLY = {
    # django-configurations: wsgi.py makes the app with configurations.wsgi.get_wsgi_application
    "django_configurations": ("confsite.wsgi:application", "django", ".", "django", "wsgi", "granian"),
}


def find(case: str):
    return entry.find(Project(APPS / case), None)


@pytest.mark.parametrize("case", sorted({**SHAPES, **STATIC_ONLY}))
def test_detects_the_entry(case):
    target, framework, workdir, kind, interface, _ = {**SHAPES, **STATIC_ONLY}[case]
    found = find(case)
    assert (found.entry.target, found.framework, found.workdir, found.entry.kind, found.entry.interface) == \
        (target, framework, workdir, kind, interface)


@pytest.mark.parametrize("case", sorted(SHAPES))
def test_the_import_check_proves_it_with_the_real_framework(case):
    entry.confirm(Project(APPS / case), find(case), PY, TIMEOUT)


@pytest.mark.parametrize("case", sorted(SHAPES))
def test_the_plan_picks_a_server_that_can_serve_it(case):
    plan = make_plan(APPS / case, confirm=False)
    assert plan.settings["server"] == SHAPES[case][5]
    files = render(plan)
    assert "Dockerfile" in files and "supervisord.conf" in files


def test_a_django_configurations_project_runs_djangos_tools_through_configurations_with_its_class():
    # its settings classes load only once configurations' importer is installed, with DJANGO_CONFIGURATION set
    found = find("django_configurations")
    assert (found.entry.settings_module, found.entry.django_configuration) == ("confsite.settings", "Dev")
    plan = make_plan(APPS / "django_configurations", confirm=False)
    assert plan.release.argv == ("python", "-m", "configurations", "migrate", "--noinput")
    assert plan.entry.django_env == {"DJANGO_SETTINGS_MODULE": "confsite.settings", "DJANGO_CONFIGURATION": "Dev"}
    assert "    DJANGO_CONFIGURATION=Dev \\\n" in render(plan)["Dockerfile"]
    # STATIC_ROOT as a class attribute is not read before the build: as when it is, collected through configurations
    collected = dataclasses.replace(plan, static=(StaticDir("/static/", "collected"),))
    # (the runtime's collectstatic loads the settings through configurations.setup() when DJANGO_CONFIGURATION is set)
    files = render(collected)
    assert "/opt/venv/bin/python /app/shipyard_runtime.py collectstatic\n" in files["Dockerfile"]
    assert "through django-configurations" in files["Dockerfile"] and "configurations.setup()" in files["shipyard_runtime.py"]
    plain = make_plan(APPS / "django_redis_namesake", confirm=False)          # plain Django: as before
    assert plain.release.argv[:3] == ("python", "-m", "django") and plain.entry.django_configuration is None
    assert "DJANGO_CONFIGURATION" not in render(plain)["Dockerfile"]


def test_async_factory_is_marked_and_handed_to_aiohttps_worker_uncalled():
    found = find("aiohttp_async_factory")
    assert found.entry.async_factory
    files = render(make_plan(APPS / "aiohttp_async_factory", confirm=False))
    conf = files["gunicorn.conf.py"]
    assert 'wsgi_app = "main:init_app"' in conf and 'worker_class = "aiohttp.GunicornWebWorker"' in conf
    assert "with aiohttp's worker" in files["Dockerfile"].splitlines()[1]


def test_tornado_runs_under_its_own_server_from_the_runtime():
    files = render(make_plan(APPS / "tornado_app", confirm=False))
    assert "gunicorn.conf.py" not in files
    assert "shipyard_runtime.py tornado" in files["supervisord.conf"]
    runtime = files["shipyard_runtime.py"]
    assert "_module.make_app()" in runtime and "HTTPServer(_tornado_app(), xheaders=True)" in runtime
    compile(runtime, "shipyard_runtime.py", "exec")
    app_only = render(make_plan(APPS / "tornado_app", {"topology": "app"}, confirm=False))
    assert '"/opt/venv/bin/python", "/app/shipyard_runtime.py", "tornado"]' in app_only["Dockerfile"]


def test_a_tornado_script_runs_itself_with_the_port_it_parses_behind_nginx():
    found = find("tornado_script")
    assert found.entry.port_from == "--port" and "chat.py starts its own tornado server in main()" in found.notes[0]
    files = render(make_plan(APPS / "tornado_script", confirm=False))
    # behind nginx in one container: its own TCP port beside the public one (no unix socket)
    assert "start -- /opt/venv/bin/python /app/chat.py --port=8001\n" in files["supervisord.conf"]
    assert "server 127.0.0.1:8001 fail_timeout=0;" in files["nginx.conf"]
    app_only = render(make_plan(APPS / "tornado_script", {"topology": "app"}, confirm=False))
    assert '"/opt/venv/bin/python", "/app/chat.py", "--port=8000"]' in app_only["Dockerfile"]
    compose = render(make_plan(APPS / "tornado_script", {"topology": "compose"}, confirm=False))
    assert '"/app/chat.py", "--port=8000"]' in compose["Dockerfile"] and "server app:8000" in compose["nginx.conf"]


def test_a_script_that_reads_port_gets_it_from_the_environment(tmp_path):
    source = (APPS / "tornado_script" / "chat.py").read_text()
    (tmp_path / "chat.py").write_text(source.replace("app.listen(options.port)",
                                                     "app.listen(int(os.environ.get('PORT', '8888')))")
                                      .replace("import asyncio\n", "import asyncio\nimport os\n")
                                      .replace('define("port"', 'define("other"'))
    plan = make_plan(tmp_path, confirm=False)
    assert plan.entry.port_from == "PORT"
    conf = render(plan)["supervisord.conf"]
    assert "/app/chat.py\n" in conf and 'environment = PORT="8001"\n' in conf


# the shapes a script binds its own port in: Application.listen, HTTPServer.bind + start, netutil.bind_sockets
OWN_PORT_SERVERS = {
    "app.listen": "    app.listen(OWN)\n",
    "server.bind": "    server = tornado.httpserver.HTTPServer(app)\n    server.bind(OWN)\n    server.start(1)\n",
    "bind_sockets": "    server = tornado.httpserver.HTTPServer(app)\n"
                    "    server.add_sockets(tornado.netutil.bind_sockets(OWN, 'localhost'))\n",
}


@pytest.mark.parametrize("shape", sorted(OWN_PORT_SERVERS))
def test_a_script_that_listens_on_a_port_of_its_own_runs_through_the_shim_on_the_port_given(tmp_path, shape):
    """No tornado.options port and no PORT: the script runs through shipyard_entry.py, which binds the port
    it names to PORT on the host the topology listens on. The rendered shim runs the script for real."""
    import socket
    import subprocess
    import time
    import urllib.request

    from conftest import free_port
    from shipyard.render import Target

    own, given = free_port(), free_port()
    (tmp_path / "server.py").write_text(
        "import sys\n\nimport tornado.httpserver\nimport tornado.ioloop\nimport tornado.netutil\nimport tornado.web\n\n\n"
        "class Home(tornado.web.RequestHandler):\n    def get(self):\n"
        "        self.write('port %d argv %s' % (self.request.connection.stream.socket.getsockname()[1], sys.argv[1:]))\n\n\n"
        "def main():\n    app = tornado.web.Application([(r'/', Home)])\n"
        + OWN_PORT_SERVERS[shape].replace("OWN", str(own)) +
        "    tornado.ioloop.IOLoop.current().start()\n\n\nif __name__ == '__main__':\n    main()\n")
    plan = make_plan(tmp_path, confirm=False)
    assert (plan.entry.kind, plan.entry.port_from) == ("script", "listen")
    files = render(plan)
    assert "start -- /opt/venv/bin/python /app/shipyard_entry.py\n" in files["supervisord.conf"]
    assert 'environment = PORT="8001"\n' in files["supervisord.conf"] and 'HOST = "127.0.0.1"' in files["shipyard_entry.py"]
    compose = render(make_plan(tmp_path, {"topology": "compose"}, confirm=False))
    assert '"/app/shipyard_entry.py"]' in compose["Dockerfile"] and 'HOST = "0.0.0.0"' in compose["shipyard_entry.py"]
    local = render(plan.with_settings(topology="app"), Target.local(tmp_path, tmp_path / "run", tmp_path / "venv"))
    (tmp_path / "shim.py").write_text(local["shipyard_entry.py"])
    proc = subprocess.Popen([PY, str(tmp_path / "shim.py"), "--flag"], cwd=tmp_path, env={"PORT": str(given)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        body, deadline = "", time.monotonic() + 20
        while time.monotonic() < deadline and not body:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{given}/", timeout=2).read().decode()
            except OSError:
                time.sleep(0.2)
        assert body == f"port {given} argv ['--flag']"
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", own)) != 0, "the script listened on its own port"
    finally:
        proc.kill()
        output = proc.communicate(timeout=10)[0]
    assert body, output


def test_a_loadable_app_wins_over_the_script_that_serves_it():
    # tornado_app's main() also calls app.listen(): its make_app() factory is what the server loads
    assert find("tornado_app").entry.kind == "factory"


@pytest.mark.parametrize("case, server", [
    ("aiohttp_app", "granian"), ("aiohttp_app", "uwsgi"), ("aiohttp_app", "tornado"),
    ("tornado_app", "gunicorn"), ("tornado_app", "granian"), ("sanic_app", "tornado"), ("sanic_app", "uwsgi"),
])
def test_a_server_that_cannot_load_the_app_is_refused_with_the_ones_that_can(case, server):
    plan = make_plan(APPS / case, {"server": server}, confirm=False)
    with pytest.raises(UsageError) as err:
        render(plan)
    able = [s for s, interfaces in servers.SERVES.items() if plan.interface in interfaces and s not in servers.SCRIPT_ONLY]
    assert err.value.message.startswith(f"{server} cannot serve {plan.entry.target}")
    assert all(f"--server {s}" in err.value.hint for s in able)


def test_aiohttps_own_server_is_refused_for_an_app_object_it_would_have_to_start():
    """`--server aiohttp` names the server a script starts with web.run_app: for an app object nothing would."""
    plan = make_plan(APPS / "aiohttp_app", {"server": "aiohttp"}, confirm=False)
    with pytest.raises(UsageError) as err:
        render(plan)
    assert "runs only a script that starts it" in err.value.message and err.value.hint == "use --server gunicorn"


def test_granian_gets_a_shim_for_a_factory_with_arguments():
    plan = make_plan(APPS / "factory_args", confirm=False)
    files = render(plan)
    shim = files["shipyard_entry.py"]
    assert "_module.create_app('production')" in shim
    assert '"shipyard_entry:app"' in files["shipyard_runtime.py"] and "--factory" not in files["shipyard_runtime.py"]
    gunicorn = render(plan.with_settings(server="gunicorn"))
    assert "shipyard_entry.py" not in gunicorn        # gunicorn calls factories with literal arguments itself
    assert "wsgi_app = \"manage:create_app('production')\"" in gunicorn["gunicorn.conf.py"]


def test_several_apps_in_different_folders_say_to_pass_the_folder():
    with pytest.raises(AmbiguousApp) as err:
        find("monorepo_two")
    assert "app:app (in services/admin/)" in err.value.message and "main:app (in services/api/)" in err.value.message
    assert err.value.hint.startswith("pass the app's folder as the path (e.g. shipyard serve services/admin)")


def test_static_files_at_the_url_root_go_through_try_files_in_front_of_the_app():
    nginx = render(make_plan(APPS / "quart_static_root", confirm=False))["nginx.conf"]
    assert nginx.count("location / {") == 1
    assert "try_files $uri @app;" in nginx and "location @app {" in nginx
    assert "root /app/public;" in nginx


def test_framework_facts_come_from_the_one_table():
    titles = {f.title for f in fw.FRAMEWORKS}
    assert {"Sanic", "Litestar", "Quart", "aiohttp", "Tornado"} <= titles
    assert all(t in fw.LOOKED_FOR for t in titles)
    assert all(FRAMEWORK_NAMES[f.name] for f in fw.FRAMEWORKS)
    assert fw.SUSPICIOUS.search("app = Sanic('x')") and fw.SUSPICIOUS.search("import tornado.web")
    assert not fw.SUSPICIOUS.search("def helper():\n    return 1\n")


def test_dev_runs_aiohttp_and_tornado_with_a_reloader(tmp_path):
    from shipyard.run.appenv import AppEnv
    from shipyard.run.dev import dev_command

    env = AppEnv(PY, "the test's Python")
    aio = dev_command(make_plan(APPS / "aiohttp_async_factory", confirm=False), APPS / "aiohttp_async_factory",
                      env, 8000, tmp_path)
    conf = str(tmp_path / "gunicorn_dev.conf.py")
    assert aio.argv[:6] == ["-m", "gunicorn", "-c", conf, "--reload", "--workers"]
    assert "aiohttp.GunicornWebWorker" in aio.argv
    assert "def post_fork(server, worker):\n    del sys.argv[1:]\n" in (tmp_path / "gunicorn_dev.conf.py").read_text()
    assert aio.argv[-1] == "main:init_app"      # the worker awaits the async factory itself
    tornado = dev_command(make_plan(APPS / "tornado_app", confirm=False), APPS / "tornado_app", env, 8000, tmp_path)
    assert tornado.argv[0] == str(tmp_path / "tornado_dev.py") and tornado.argv[1] == "app:make_app()"
    assert "tornado.autoreload.start()" in (tmp_path / "tornado_dev.py").read_text()
    script = dev_command(make_plan(APPS / "tornado_script", confirm=False), APPS / "tornado_script", env, 8000,
                         tmp_path)
    assert script.argv == ["-m", "tornado.autoreload", "chat.py", "--port=8000"]


def test_an_async_factory_with_arguments_is_awaited_by_the_shim(tmp_path):
    (tmp_path / "settings.py").write_text("config = {'development': {}, 'production': {}}\n")
    (tmp_path / "server.py").write_text(
        "from aiohttp import web\nfrom settings import config\n\n\n"
        "async def index(request):\n    return web.Response(text=request.app['name'])\n\n\n"
        "async def init_app(config_name):\n    app = web.Application()\n    app['name'] = config_name\n"
        "    app.router.add_get('/', index)\n    return app\n")
    found = entry.find(Project(tmp_path), None)
    assert (found.entry.target, found.entry.async_factory) == ("server:init_app('production')", True)
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)     # the probe awaits it
    files = render(make_plan(tmp_path, confirm=False))
    assert 'wsgi_app = "shipyard_entry:app"' in files["gunicorn.conf.py"]
    assert "async def app():\n" in files["shipyard_entry.py"]    # awaited in the worker's own loop
    assert "return await _module.init_app('production')" in files["shipyard_entry.py"]
    compile(files["shipyard_entry.py"], "shipyard_entry.py", "exec")


def test_flask_static_files_at_the_url_root_too(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "favicon.ico").write_text("icon")
    (tmp_path / "app.py").write_text("from flask import Flask\napp = Flask(__name__, static_url_path='')\n\n\n"
                                     "@app.route('/')\ndef index():\n    return 'hi'\n")
    plan = make_plan(tmp_path, confirm=False)
    assert [(d.url, d.path) for d in plan.static] == [("/", "static")]
    for topology, root in (("bundle", "root /app/static;"), ("compose", "root /srv/static/static;")):
        nginx = render(plan.with_settings(topology=topology))["nginx.conf"]
        assert nginx.count("location / {") == 1 and root in nginx and "try_files $uri @app;" in nginx


@pytest.mark.parametrize("settings, interface", [
    ("INSTALLED_APPS = ['daphne', 'django.contrib.staticfiles']\n", "asgi"),
    ("INSTALLED_APPS = ['channels']\n", "asgi"),
    ("INSTALLED_APPS = ['django.contrib.staticfiles']\n", "wsgi"),     # a plain project: wsgi.py as before
])
def test_django_with_channels_or_daphne_installed_serves_asgi_py(tmp_path, settings, interface):
    site = tmp_path / "site"
    site.mkdir()
    (site / "__init__.py").write_text("")
    (site / "settings.py").write_text("SECRET_KEY = 'x'\n" + settings)
    for kind in ("wsgi", "asgi"):
        (site / f"{kind}.py").write_text(f"import os\nfrom django.core.{kind} import get_{kind}_application\n"
                                         "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"
                                         f"application = get_{kind}_application()\n")
    found = entry.find(Project(tmp_path), None)
    assert (found.entry.target, found.entry.interface) == (f"site.{interface}:application", interface)


def test_a_tornado_script_that_takes_its_database_as_options_is_given_it_on_its_command_line(tmp_path):
    from shipyard.script_options import database_part, option_args
    found = find("tornado_script_postgres")
    assert found.entry.db_options == ("db_host", "db_port", "db_database", "db_user", "db_password")
    assert [database_part(n) for n in ("pg_host", "DATABASE_NAME", "postgres_username", "port", "debug")] == \
        ["host", "database", "user", None, None]
    url = "postgresql+psycopg2://app:p%25w@127.0.0.1:5433/notes"
    assert option_args(found.entry.db_options, url) == [
        "--db_host=127.0.0.1", "--db_port=5433", "--db_database=notes", "--db_user=app", "--db_password=p%w"]
    assert option_args(("db_url",), url) == ["--db_url=postgresql://app:p%25w@127.0.0.1:5433/notes"]
    # no database brought (--db none, no DATABASE_URL) or not a PostgreSQL one: the script's own defaults
    assert option_args(found.entry.db_options, None) == [] and option_args(found.entry.db_options, "mysql://a@b/c") == []
    # options that are not parsed from the command line cannot be given there
    source = (APPS / "tornado_script_postgres" / "blog.py").read_text()
    (tmp_path / "blog.py").write_text(source.replace("    parse_command_line()\n", ""))
    (tmp_path / "requirements.txt").write_text((APPS / "tornado_script_postgres" / "requirements.txt").read_text())
    assert make_plan(tmp_path, confirm=False).entry.db_options == ()


# Connexion routes an OpenAPI file: App(__name__) + add_api(...) is the app, whatever Connexion's release
@pytest.mark.parametrize("made", ["connexion.App(__name__)", "connexion.FlaskApp(__name__)",
                                  "connexion.AsyncApp(__name__)"])
def test_a_connexion_app_routed_by_its_openapi_file_is_the_entry(tmp_path, made):
    (tmp_path / "app.py").write_text(
        "import connexion\n\n\ndef get_pets():\n    return []\n\n\n"
        f"app = {made}\napp.add_api('swagger.yaml')\n# for uWSGI\napplication = app.app\n")
    found = entry.find(Project(tmp_path), None)
    interface = "asgi" if "Async" in made else "wsgi"      # before 3.0 App is WSGI; the import check tells after
    assert (found.entry.target, found.framework, found.entry.interface) == ("app:app", "connexion", interface)


def test_the_import_check_takes_an_async_app_read_as_wsgi_for_asgi():
    # Connexion 3's App, or app = WsgiToAsgi(app): the object speaks ASGI, so it is served as ASGI
    from shipyard.detect import probe

    class App:
        async def __call__(self, scope, receive, send):
            pass

    assert probe.check(App(), "wsgi") == {"ok": True, "type": "App", "interface": "asgi"}
    assert probe.check(lambda environ, start_response: None, "wsgi") == {"ok": True, "type": "function"}


def test_a_sanic_before_asgi_is_served_by_gunicorn_with_sanics_own_worker(tmp_path):
    """Sanic before 19.6 speaks no ASGI (its app's call is not async): the import proof says interface "sanic",
    and gunicorn serves it with sanic.worker.GunicornWorker, in production and in dev."""
    from shipyard.report import plan_report
    from shipyard.run.appenv import AppEnv
    from shipyard.run.dev import dev_command

    root = make_tree(tmp_path / "app", {"app.py": "from sanic import Sanic\napp = Sanic('notes')\n",
                                        "requirements.txt": "sanic==18.12.0\n"})
    static = make_plan(root, confirm=False)
    assert static.entry.interface == "asgi"
    entry = dataclasses.replace(static.entry, interface="sanic")
    plan = dataclasses.replace(static, entry=entry).with_settings(server=servers.default_for("sanic"))
    assert plan.settings["server"] == "gunicorn"
    files = render(plan)
    assert 'worker_class = "sanic.worker.GunicornWorker"' in files["gunicorn.conf.py"]
    assert "gunicorn with Sanic's worker" in plan_report(plan)
    dev = dev_command(plan, root, AppEnv(PY, "the test's Python"), 8000, tmp_path)
    assert "sanic.worker.GunicornWorker" in dev.argv and dev.argv[-1] == "app:app"
    servers.check("gunicorn", "sanic", "app:app")
    with pytest.raises(UsageError) as refused:
        servers.check("granian", "sanic", "app:app")
    assert "it is a Sanic app from before Sanic 19.6 (no ASGI)" in refused.value.message
    assert "--server gunicorn" in refused.value.hint
