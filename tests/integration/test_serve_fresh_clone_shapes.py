"""`serve` on app shapes that public apps have and fresh clones show: a Django project on SQLite with no
database file yet answers its pages (not 500 "no such table")."""

from __future__ import annotations

import re
import shutil
import urllib.request

import pytest

from conftest import FIXTURES, free_port, make_tree, require_tool
from serveutil import Running, get

pytestmark = pytest.mark.slow


def _notes_copy(tmp_path):
    """A fresh copy of the Django notes app on SQLite (no database file yet)."""
    return shutil.copytree(FIXTURES / "apps" / "django_sqlite_fresh", tmp_path / "app")


def _serves_no_notes(root, said: str, **env: str) -> None:
    """serve answers `/` with "0 notes" at 127.0.0.1, having said `said` on the way."""
    require_tool("nginx")
    port = free_port()
    run = Running("serve", str(root), "--port", str(port), env=env or None)
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        assert said in run.output, run.output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert (status, body) == (200, "0 notes"), run.output
    finally:
        run.discard()


def test_django_on_sqlite_fresh_clone_is_migrated_then_served(tmp_path):
    root = _notes_copy(tmp_path)
    _serves_no_notes(root, "notes.sqlite3 does not exist yet")
    assert (root / "notes.sqlite3").exists()


def test_django_app_whose_migrations_were_never_committed_gets_them_made_outside_the_app(tmp_path):
    """A tutorial repository whose .gitignore left migrations/ out: `migrate` alone makes no table of the app's
    and its pages fail "no such table"; serve makes the migrations in its own folder for the app, never the
    app's, then migrates."""
    root = _notes_copy(tmp_path)
    shutil.rmtree(root / "notes" / "migrations")
    _serves_no_notes(root, "models with no migrations in the repository")
    assert not (root / "notes" / "migrations").exists()


def test_django_settings_with_startprojects_empty_allowed_hosts_answer_on_this_machine(tmp_path):
    """`ALLOWED_HOSTS = []` left from startproject, DEBUG off: Django accepts no host (400 on every page). serve
    gives the local names Django accepts under DEBUG through settings of its own, never the app's file."""
    root = _notes_copy(tmp_path)
    production = root / "site_config" / "settings" / "production.py"
    production.write_text(production.read_text() + "ALLOWED_HOSTS = []\n")
    before = production.read_text()
    _serves_no_notes(root, "give ALLOWED_HOSTS = [] with DEBUG off", XDG_DATA_HOME=str(tmp_path / "data"))
    assert production.read_text() == before


def test_django_static_files_are_collected_for_nginx_to_serve(tmp_path):
    """STATIC_ROOT is not in a fresh clone: serve runs collectstatic, so nginx's /static/ answers (not 404)."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "django_static_root", tmp_path / "app")
    port = free_port()
    run = Running("serve", str(root), "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        assert f"collected the app's static files into {root / 'collected'}" in run.output
        status, _, body = get(f"http://127.0.0.1:{port}/static/catalog/site.css")
        assert (status, body) == (200, "body { color: teal; }\n"), run.output
    finally:
        run.discard()


def test_uploaded_files_in_media_root_are_served_by_nginx_at_media_url(tmp_path):
    """runserver serves MEDIA_URL only through `static()`, which does nothing once DEBUG is off: behind serve's
    nginx a picture a user uploaded answered 404. nginx now aliases MEDIA_URL to MEDIA_ROOT as the settings compute
    them (here from an environment variable, as a settings package or django-environ does), and the folder the
    first upload needs is made."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "django_static_root", tmp_path / "app")
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text() + 'import os\nMEDIA_URL = "media/"\n'
                        'MEDIA_ROOT = BASE_DIR / os.environ.get("UPLOADS", "uploads") / "media"\n')
    picture = root / "uploads" / "media" / "avatars" / "ada.png"
    picture.parent.mkdir(parents=True)
    picture.write_bytes(b"\x89PNG\r\n\x1a\nfixture")
    port = free_port()
    run = Running("serve", str(root), "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        assert f"uploaded files: nginx serves /media/ from {root / 'uploads' / 'media'}" in run.output, run.output
        status, _, body = get(f"http://127.0.0.1:{port}/media/avatars/ada.png")
        assert status == 200 and body.startswith("\ufffdPNG"), (status, body, run.output)
        status, _, _ = get(f"http://127.0.0.1:{port}/media/avatars/missing.png")
        assert status == 404, run.output
    finally:
        run.discard()
    # a MEDIA_ROOT a fresh clone does not have is made, so the app's first upload has a folder
    shutil.rmtree(root / "uploads")
    port = free_port()      # the first serve's nginx may still be letting go of its port
    run = Running("serve", str(root), "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        assert (root / "uploads" / "media").is_dir(), run.output
    finally:
        run.discard()


def test_offline_compressed_blocks_are_built_by_compress_after_collectstatic(tmp_path):
    """django-compressor with COMPRESS_OFFLINE (healthchecks; parsifal once DEBUG is off) renders {% compress %}
    only from the manifest `manage.py compress` writes: without it every such page is a 500
    (OfflineGenerationError). serve runs it after collectstatic; nginx serves the compressed file it wrote."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "django_static_root", tmp_path / "app")
    (root / "requirements.txt").write_text("Django\ndjango-compressor\n")
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text().replace('"catalog"]', '"catalog", "compressor"]') + (
        'STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.AppDirectoriesFinder",\n'
        '                       "compressor.finders.CompressorFinder"]\n'
        'COMPRESS_ENABLED = True\nCOMPRESS_OFFLINE = True\n'
        'TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]\n'))
    (root / "catalog" / "templates").mkdir()
    (root / "catalog" / "templates" / "page.html").write_text(
        '{% load static compress %}{% compress css %}<link rel="stylesheet" href="{% static "catalog/site.css" %}">'
        '{% endcompress %}catalog')
    urls = root / "shop" / "urls.py"
    urls.write_text(urls.read_text().replace("from django.http import HttpResponse",
                                             "from django.http import HttpResponse\nfrom django.shortcuts import render")
                    .replace("return HttpResponse(", "return render(request, 'page.html')\n    HttpResponse("))
    port = free_port()
    run = Running("serve", str(root), "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 300), run.output
        assert "compress failed" not in run.output, run.output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and body.endswith("catalog"), (status, body, run.output)
        compressed = re.search(r'href="(/static/CACHE/css/[^"]+)"', body)
        assert compressed, body
        status, _, css = get(f"http://127.0.0.1:{port}{compressed.group(1)}")
        assert (status, css.strip()) == (200, "body{color:teal}") or (status == 200 and "teal" in css), (status, css)
    finally:
        run.discard()


def test_an_app_that_redirects_plain_http_to_https_is_said_with_how_to_reach_it(tmp_path):
    """Production settings with SECURE_SSL_REDIRECT (djangogirls.org's `= not DEBUG`, parsifal's True) send every
    plain-HTTP request to https://127.0.0.1:PORT/, which nothing answers: serve says so, and that a request
    carrying the header a TLS proxy in front would send (X-Forwarded-Proto, which nginx passes on) is served."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "django_static_root", tmp_path / "app")
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text() + 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n'
                        'SECURE_SSL_REDIRECT = not DEBUG\n'
                        'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n')
    port = free_port()
    run = Running("serve", str(root), "--port", str(port))
    try:
        assert run.wait_for(r"warning: the app redirects plain HTTP to https", 120), run.output
        assert f"/ -> https://127.0.0.1:{port}/; Django's SECURE_SSL_REDIRECT" in run.output, run.output
        assert f"curl -H 'X-Forwarded-Proto: https' http://127.0.0.1:{port}/" in run.output, run.output
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert (response.status, response.read().decode().endswith("catalog")) == (200, True)
    finally:
        run.discard()


def test_an_https_redirect_to_the_production_domain_nginx_passes_is_said_too(tmp_path):
    """A 2019 blog's production settings accept only its Heroku and PythonAnywhere names (ALLOWED_HOSTS) and
    set SECURE_SSL_REDIRECT: nginx passes the first name as Host, so every page redirects to
    https://that-name:PORT/. serve said nothing of it (it looked for a redirect to 127.0.0.1 only), and the
    user met a 301 to an address nothing answers; now it warns as for any https redirect."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "django_static_root", tmp_path / "app")
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text() + 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n'
                        'ALLOWED_HOSTS = ["myblog.example.org"]\n'
                        'SECURE_SSL_REDIRECT = True\n'
                        'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n')
    port = free_port()
    run = Running("serve", str(root), "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://", 120), run.output
        assert run.wait_for(r"warning: the app redirects plain HTTP to https", 30), run.output
        assert f"/ -> https://myblog.example.org:{port}/; Django's SECURE_SSL_REDIRECT" in run.output, run.output
        assert f"curl -H 'X-Forwarded-Proto: https' http://127.0.0.1:{port}/" in run.output, run.output
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert (response.status, response.read().decode().endswith("catalog")) == (200, True)
    finally:
        run.discard()


def test_an_absolute_static_root_is_collected_and_served_from_where_it_is(tmp_path):
    """STATIC_ROOT = "/srv/static" under STATIC_URL /static/static/, outside the project in a folder that exists:
    collectstatic writes there, and nginx serves STATIC_URL from that folder (it was dropped as "not a project
    folder": 404)."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "django_static_root", tmp_path / "app")
    (tmp_path / "srv").mkdir()
    outside = tmp_path / "srv" / "static"           # absolute, outside the project
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text().replace('STATIC_URL = "/static/"', 'STATIC_URL = "/static/static/"')
                        .replace('STATIC_ROOT = BASE_DIR / "collected"', f'STATIC_ROOT = "{outside}"'))
    port = free_port()
    run = Running("serve", str(root), "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        assert f"collected the app's static files into {outside}" in run.output
        status, _, body = get(f"http://127.0.0.1:{port}/static/static/catalog/site.css")
        assert (status, body) == (200, "body { color: teal; }\n"), run.output
    finally:
        run.discard()


def test_a_static_root_at_a_containers_path_is_served_from_serves_own_folder(tmp_path):
    """STATIC_ROOT = "/vol/web/static" (a Docker tutorial's volume, which its Dockerfile makes) under STATIC_URL
    /static/static/: this machine has no such folder (collectstatic: "Permission denied: '/vol'", and root wrote
    into the machine's /); serve collects into its own folder for the app and nginx serves STATIC_URL from there,
    not from the settings' folder."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "django_static_root", tmp_path / "app")
    container = tmp_path / "vol" / "web" / "static"
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text().replace('STATIC_URL = "/static/"', 'STATIC_URL = "/static/static/"')
                        .replace('STATIC_ROOT = BASE_DIR / "collected"', f'STATIC_ROOT = "{container}"'))
    port = free_port()
    run = Running("serve", str(root), "--port", str(port), env={"XDG_DATA_HOME": str(tmp_path / "data")})
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        assert f"the settings' STATIC_ROOT {container} is a container's path" in run.output, run.output
        status, _, body = get(f"http://127.0.0.1:{port}/static/static/catalog/site.css")
        assert (status, body) == (200, "body { color: teal; }\n"), run.output
    finally:
        run.discard()
    assert not (tmp_path / "vol").exists()


def test_a_static_root_above_the_project_folder_is_served_from_where_collectstatic_put_it(tmp_path):
    """STATIC_ROOT = BASE_DIR.parent.parent / "static" (parsifal: a server's home holds the checkout and the
    collected folder side by side): reading the settings stops at the project root, so nginx had no /static/
    location; serve takes the folder collectstatic filled."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "django_static_root", tmp_path / "home" / "app")
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text().replace('STATIC_ROOT = BASE_DIR / "collected"',
                                                     'STATIC_ROOT = BASE_DIR.parent / "collected"'))
    port = free_port()
    run = Running("serve", str(root), "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        outside = tmp_path / "home" / "collected"
        assert f"nginx serves /static/ from {outside}, where collectstatic put them" in run.output, run.output
        status, headers, body = get(f"http://127.0.0.1:{port}/static/catalog/site.css")
        assert (status, body) == (200, "body { color: teal; }\n"), run.output
    finally:
        run.discard()


def test_settings_without_static_root_have_the_apps_static_files_served_by_nginx(tmp_path):
    """startproject's settings name no STATIC_ROOT (runserver serves every app's static files itself in DEBUG):
    serve collects them into its own folder for the app and nginx serves STATIC_URL from there."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "django_static_root", tmp_path / "app")
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text().replace('STATIC_ROOT = BASE_DIR / "collected"\n', ""))
    port = free_port()
    run = Running("serve", str(root), "--port", str(port), env={"XDG_DATA_HOME": str(tmp_path / "data")})
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        assert "the settings name no STATIC_ROOT, so serve collected them into its own folder" in run.output, \
            run.output
        status, _, body = get(f"http://127.0.0.1:{port}/static/catalog/site.css")
        assert (status, body) == (200, "body { color: teal; }\n"), run.output
    finally:
        run.discard()
    assert not (root / "collected").exists()


def test_an_asgi2_django_router_is_served_by_an_asgi3_server(tmp_path):
    """Channels 2's shape: the ASGI application is called with the scope and returns what to await; granian
    speaks ASGI 3, so serve loads it through shipyard_entry.py (not 'not an ASGI app')."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "django_asgi2", tmp_path / "app")
    port = free_port()
    run = Running("serve", str(root), "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert (status, body) == (200, "asgi2 router: the ASGI 2 router"), run.output
    finally:
        run.discard()


def test_flask_app_with_its_own_init_db_command_is_initialised_once_then_served(tmp_path):
    """The Flask tutorial's shape: a factory, SQLite in instance/, `flask init-db` (which drops the tables)."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "flask_initdb_fresh", tmp_path / "app")
    port = free_port()
    run = Running("serve", str(root), "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        assert "instance/notebook.sqlite does not exist yet" in run.output
        assert "Initialized the database." in run.output          # the app's own command, its own output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert (status, body) == (200, "1 notes: welcome"), run.output
    finally:
        run.discard()


def test_flask_sqlalchemy_app_without_migrations_gets_its_tables_then_answers(tmp_path):
    """No migrations/, no init command: serve makes the models' tables with db.create_all(), once."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "flask_sqlalchemy_no_migrations", tmp_path / "app")
    port = free_port()
    run = Running("serve", str(root), "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        assert "instance/shop.sqlite does not exist yet" in run.output
        assert "shipyard: created 1 table(s): item (db.create_all())" in run.output     # the helper's own line
        status, _, body = get(f"http://127.0.0.1:{port}/items")
        assert (status, body.strip()) == (200, "[]"), run.output
    finally:
        run.discard()



@pytest.mark.parametrize("fixture, said, body", [
    # a tutorial's shape: the settings default to sqlite:///example.db, env.py reads them (not alembic.ini),
    # the README says `alembic upgrade head` before the first run; the file is found by asking env.py
    ("alembic_sqlite_fresh", ("example.db does not exist yet", "migrations applied with Alembic"), "0 recipes"),
    # Pyramid's cookiecutter: [alembic] in production.ini (`alembic -c production.ini upgrade head`), then
    # `initialize_notes_db production.ini` fills the table the migration made
    ("pyramid_alembic_initdb", ("notes.sqlite does not exist yet", "alembic -c production.ini"), "welcome"),
])
def test_an_app_migrated_by_alembic_gets_its_sqlite_file_made_by_alembic_then_answers(tmp_path, fixture, said,
                                                                                      body):
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / fixture, tmp_path / "app")
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 300), run.output
        assert all(line in run.output for line in said), run.output
        assert get(f"http://127.0.0.1:{port}/")[::2] == (200, body), run.output
    finally:
        run.discard()


def test_an_example_env_files_placeholder_sqlite_path_becomes_a_file_in_shipyards_folder_for_the_app(tmp_path):
    """notes/.env.example (beside the settings that read notes/.env) gives sqlite:////path/to/...: serve puts the
    database in its own folder for the app instead, and Alembic (notes/alembic.ini, whose URL names another
    file) migrates that one, so the app finds its table."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "sqlite_placeholder_env", tmp_path / "app")
    data = tmp_path / "data"
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port), env={"XDG_DATA_HOME": str(data)})
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 300), run.output
        assert "variables from the app's example env file notes/.env.example" in run.output
        assert "NOTES_DATABASE_URL names /path/to/notes-project/notes.db, whose folder does not exist" in run.output
        assert "Alembic migrates it there" in run.output and "migrations applied with Alembic" in run.output
        assert get(f"http://127.0.0.1:{port}/")[::2] == (200, "0 notes"), run.output
        assert list(data.glob("shipyard/apps/*/notes.db")) and not (root / "notes.db").exists()
    finally:
        run.discard()


def test_a_quart_db_app_on_sqlite_with_no_dependency_file_gets_the_async_driver_its_url_needs(tmp_path):
    """Quart-DB opens sqlite:// with aiosqlite, which `pip install quart-db` alone does not bring."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "quart_db_sqlite", tmp_path / "app")
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 300), run.output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and body.startswith("visits: "), run.output
    finally:
        run.discard()


def test_the_tables_a_scripts_main_block_creates_before_its_dev_server_are_made_by_serve(tmp_path):
    """bottle + peewee with `db.create_tables([Visit])` then `run()` under __main__, which serve never runs."""
    require_tool("nginx")
    root = shutil.copytree(FIXTURES / "apps" / "bottle_peewee_main", tmp_path / "app")
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 300), run.output
        assert "visits.db does not exist yet" in run.output
        status, _, body = get(f"http://127.0.0.1:{port}/hello/world")
        assert (status, body) == (200, "hello world: 1 visit(s)"), run.output
    finally:
        run.discard()


def test_a_package_importing_itself_by_name_and_its_siblings_as_top_level_names_is_served(tmp_path):
    """app/main.py imports `from app.routes import`, app/routes.py `from views import` (app/views.py), as an IDE
    that puts the root and app/ on sys.path runs it: the server imports it through shipyard_entry.py with app/ on
    sys.path too, and the page answers (the import failed on `views` before)."""
    require_tool("nginx")
    root = make_tree(tmp_path / "board", {
        "app/__init__.py": "",
        "app/main.py": "from starlette.applications import Starlette\n\nfrom app.routes import routes\n\n"
                       "app = Starlette(routes=routes)\n",
        "app/routes.py": "from starlette.routing import Route\n\nfrom views import home\n\nroutes = [Route('/', home)]\n",
        "app/views.py": "from starlette.responses import PlainTextResponse\n\n\n"
                        "async def home(request):\n    return PlainTextResponse('board')\n",
        "requirements.txt": "starlette\n"})
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port))
    try:
        answer = get(f"http://127.0.0.1:{port}/") if run.wait_for(r"serving .* at", 300) else None
    finally:
        run.discard()
    assert answer is not None and answer[::2] == (200, "board"), run.output


def test_a_sqlite_file_the_apps_import_makes_with_a_table_of_its_own_still_gets_the_models_tables(tmp_path):
    """A Flask-AppBuilder-like app: making the app creates tables of its own in its SQLite file (FAB's security
    manager makes its ab_* tables) before its models are imported, so the file exists, with a table, once serve's
    import check is done; the models' tables were never made ('no such table: note', 500). serve counts the file
    the import check made as a new database and runs the first run, once."""
    root = make_tree(tmp_path / "notes", {
        "app.py": (
            "import os\n\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom sqlalchemy import text\n\n"
            "app = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///' + os.path.join(\n"
            "    os.path.dirname(os.path.abspath(__file__)), 'notes.db')\ndb = SQLAlchemy(app)\n"
            "with app.app_context():        # the extension's own table, made when the app is\n"
            "    db.session.execute(text('CREATE TABLE IF NOT EXISTS ab_user (id INTEGER PRIMARY KEY)'))\n"
            "    db.session.commit()\n\nfrom models import Note  # noqa: E402\n\n\n"
            "@app.route('/')\ndef index():\n    return f'{db.session.query(Note).count()} notes'\n"),
        "models.py": "from app import db\n\n\nclass Note(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n",
        "requirements.txt": "Flask>=3\nFlask-SQLAlchemy>=3\n"})
    _serves_no_notes(root, "notes.db was made by its import check just now")
