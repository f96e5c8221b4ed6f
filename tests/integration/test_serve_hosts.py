"""The host an app is served under, through `shipyard serve` with real nginx: the Host the app sees keeps the
client's port (redirects and external URLs point back at 127.0.0.1:PORT, not port 80), and an app that
requires SERVER_NAME at import gets the address serve listens on."""

from __future__ import annotations

import os
import signal
import socket
import textwrap
from pathlib import Path

import pytest

from conftest import free_port, require_tool

pytestmark = pytest.mark.slow


def raw_request(port: int, head: str) -> tuple[int, dict[str, str], str]:
    """Send `head` (request line and headers) as written, to see what a client without Host, or with an
    absolute request line, gets; urllib would add its own Host and follow redirects."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    header, _, body = data.decode("utf-8", "replace").partition("\r\n\r\n")
    lines = header.split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def flask_app(folder: Path, settings: str = "") -> Path:
    """A Flask app that redirects to an external URL and says which host it sees; `settings`: its config
    module, read when the app is imported."""
    folder.mkdir()
    (folder / "requirements.txt").write_text("Flask\n")
    (folder / "app.py").write_text(textwrap.dedent("""\
        from flask import Flask, redirect, request, url_for

        app = Flask(__name__)
        app.config.from_object("settings")


        @app.route("/")
        def index():
            return "home"


        @app.route("/go")
        def go():
            return redirect(url_for("where", _external=True))


        @app.route("/where")
        def where():
            return f"host={request.host} root={request.url_root}"
        """))
    (folder / "settings.py").write_text(settings or "DEBUG = False\n")
    return folder


@pytest.mark.parametrize("server", ["granian", "gunicorn", "uwsgi"])
def test_redirects_and_external_urls_keep_the_port_nginx_listens_on(serving, tmp_path, server):
    require_tool("nginx")
    app = flask_app(tmp_path / "hosts")
    port = free_port()
    run = serving(str(app), "--port", str(port), "--server", server, "--workers", "1")
    assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
    assert f"nginx in front of {server}" in run.output

    # what a browser sends: Host with the port; the app builds its URLs with it
    status, headers, _ = raw_request(port, f"GET /go HTTP/1.1\nHost: 127.0.0.1:{port}\nConnection: close\n")
    assert status == 302 and headers["location"] == f"http://127.0.0.1:{port}/where", (headers, run.output)
    status, _, body = raw_request(port, f"GET /where HTTP/1.1\nHost: localhost:{port}\nConnection: close\n")
    assert status == 200 and body == f"host=localhost:{port} root=http://localhost:{port}/", body

    # on the default port the client names no port, and the app gets none
    status, _, body = raw_request(port, "GET /where HTTP/1.1\nHost: example.test\nConnection: close\n")
    assert status == 200 and body == "host=example.test root=http://example.test/", body

    # HTTP/1.0 without Host: the address the request came in on, not nginx's catch-all server name "_"
    status, _, body = raw_request(port, "GET /where HTTP/1.0\n")
    assert status == 200 and body == f"host=127.0.0.1:{port} root=http://127.0.0.1:{port}/", body

    # an absolute request line: the host nginx routed on, never the Host header's other host
    status, _, body = raw_request(port, f"GET http://example.test:{port}/where HTTP/1.1\n"
                                        f"Host: spoofed.test:{port}\nConnection: close\n")
    assert status == 200 and "spoofed" not in body and body.startswith("host=example.test"), body
    assert run.stop(signal.SIGTERM) == 0, run.output


OWN_SERVERS = {
    "aiohttp": textwrap.dedent("""\
        from aiohttp import web


        async def where(request):
            return web.Response(text=f"host={request.host} url={request.url}")


        app = web.Application()
        app.router.add_get("/where", where)
        """),
    "tornado": textwrap.dedent("""\
        import tornado.web


        class Where(tornado.web.RequestHandler):
            def get(self):
                self.write(f"host={self.request.host} url={self.request.full_url()}")


        def make_app():
            return tornado.web.Application([(r"/where", Where)])
        """),
}


@pytest.mark.parametrize("framework", sorted(OWN_SERVERS))
def test_frameworks_serving_themselves_see_the_port_too(serving, tmp_path, framework):
    require_tool("nginx")
    app = tmp_path / f"{framework}_hosts"
    app.mkdir()
    (app / "requirements.txt").write_text(f"{framework}\n")
    (app / "app.py").write_text(OWN_SERVERS[framework])
    port = free_port()
    run = serving(str(app), "--port", str(port), "--workers", "1")
    assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
    status, _, body = raw_request(port, f"GET /where HTTP/1.1\nHost: 127.0.0.1:{port}\nConnection: close\n")
    assert status == 200 and body == f"host=127.0.0.1:{port} url=http://127.0.0.1:{port}/where", (body, run.output)
    assert run.stop(signal.SIGTERM) == 0, run.output


def test_an_app_requiring_server_name_at_import_is_served_under_serves_address(serving, tmp_path):
    """flasky's ProductionConfig shape: SERVER_NAME read with os.environ[...] in the class body. With Flask's
    SERVER_NAME set, a request whose Host does not match it is not routed, so both halves must agree."""
    require_tool("nginx")
    app = flask_app(tmp_path / "needs_server_name",
                    settings="import os\nSERVER_NAME = os.environ['SERVER_NAME']  # the domain name in use\n")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SERVER_NAME"}
    run = serving(str(app), "--port", str(port), "--workers", "1", env=env)
    assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
    assert f"SERVER_NAME=127.0.0.1:{port}" in run.output, run.output
    status, _, body = raw_request(port, f"GET / HTTP/1.1\nHost: 127.0.0.1:{port}\nConnection: close\n")
    assert status == 200 and body == "home", (status, body, run.output)
    status, headers, _ = raw_request(port, f"GET /go HTTP/1.1\nHost: 127.0.0.1:{port}\nConnection: close\n")
    assert status == 302 and headers["location"] == f"http://127.0.0.1:{port}/where", headers
    assert run.stop(signal.SIGTERM) == 0, run.output


def test_an_app_whose_server_name_defaults_to_its_development_address_answers_at_serves(serving, tmp_path):
    """SERVER_NAME = os.getenv('SERVER_NAME', 'localhost:5000'): Flask before 3.1 routes no request whose Host
    is another, so under the app's default every page through serve's nginx would be a 404."""
    require_tool("nginx")
    app = flask_app(tmp_path / "server_name_default",
                    settings="import os\nSERVER_NAME = os.getenv('SERVER_NAME', 'localhost:5000')\n")
    (app / "requirements.txt").write_text("Flask==3.0.3\n")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SERVER_NAME"}
    run = serving(str(app), "--port", str(port), "--workers", "1", env=env)
    assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 180), run.output
    assert f"SERVER_NAME=127.0.0.1:{port} (the address serve answers at, not the app's default" in run.output
    status, _, body = raw_request(port, f"GET / HTTP/1.1\nHost: 127.0.0.1:{port}\nConnection: close\n")
    assert status == 200 and body == "home", (status, body, run.output)
    assert run.stop(signal.SIGTERM) == 0, run.output


def test_the_users_server_name_wins(serving, tmp_path):
    require_tool("nginx")
    app = flask_app(tmp_path / "own_server_name",
                    settings="import os\nSERVER_NAME = os.environ['SERVER_NAME']\n")
    port = free_port()
    env = {**os.environ, "SERVER_NAME": f"localhost:{port}"}
    run = serving(str(app), "--port", str(port), "--workers", "1", env=env)
    assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
    assert "SERVER_NAME=" not in run.output, run.output
    status, headers, _ = raw_request(port, f"GET /go HTTP/1.1\nHost: localhost:{port}\nConnection: close\n")
    assert status == 302 and headers["location"] == f"http://localhost:{port}/where", headers
    assert run.stop(signal.SIGTERM) == 0, run.output


def django_app(folder: Path, hosts: str, files: dict[str, str] | None = None) -> Path:
    """A Django app whose settings compute ALLOWED_HOSTS with `hosts` (a Python expression), and whose page says
    which host it was asked for; `files`: more of the app's files (its example env file)."""
    files = {
        "requirements.txt": "Django\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_config.settings')\n",
        "site_config/__init__.py": "",
        "site_config/settings.py": f"""\
            import os
            SECRET_KEY = "not-a-secret-for-this-test"
            DEBUG = False
            ALLOWED_HOSTS = {hosts}
            ROOT_URLCONF = "site_config.urls"
            INSTALLED_APPS = []
            DATABASES = {{}}
            """,
        "site_config/urls.py": """\
            from django.http import HttpResponse
            from django.urls import path
            urlpatterns = [path("", lambda request: HttpResponse(f"host={request.get_host()}"))]
            """,
        "site_config/wsgi.py": """\
            import os
            from django.core.wsgi import get_wsgi_application
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
            application = get_wsgi_application()
            """,
        **(files or {}),
    }
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(textwrap.dedent(text))
    return folder


@pytest.mark.parametrize("hosts, files", [
    # the example env file's value, read from the environment (taken: it names a local host)
    ('os.environ["ALLOWED_HOSTS"].split(",")', {".env.example": "ALLOWED_HOSTS=localhost\n"}),
    # written in the settings, where no variable of serve's reaches
    ('["localhost"]', {}),
])
def test_a_django_app_accepting_only_localhost_is_served_at_localhost(serving, tmp_path, hosts, files):
    """ALLOWED_HOSTS=localhost: Django answers 400 to Host 127.0.0.1, the address serve used to print. serve reads
    the list the settings compute, prints http://localhost:PORT/, and nginx passes Host localhost:PORT for a
    request under another name; a request to localhost keeps its own Host."""
    require_tool("nginx")
    app = django_app(tmp_path / "localhost_only", hosts, files)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "ALLOWED_HOSTS"}
    run = serving(str(app), "--port", str(port), "--workers", "1", env=env)
    assert run.wait_for(r"serving .* at http://localhost:%d/" % port, 180), run.output
    assert "the app accepts localhost and not 127.0.0.1" in run.output, run.output
    status, _, body = raw_request(port, f"GET / HTTP/1.1\nHost: localhost:{port}\nConnection: close\n")
    assert status == 200 and f"host=localhost:{port}\r\n" in body, (status, body, run.output)
    status, _, body = raw_request(port, f"GET / HTTP/1.1\nHost: 127.0.0.1:{port}\nConnection: close\n")
    assert status == 200 and f"host=localhost:{port}\r\n" in body, (status, body, run.output)
    assert run.stop(signal.SIGTERM) == 0, run.output


def test_a_django_app_accepting_this_machine_keeps_the_clients_host(serving, tmp_path):
    require_tool("nginx")
    app = django_app(tmp_path / "local_hosts", '["localhost", "127.0.0.1"]')
    port = free_port()
    run = serving(str(app), "--port", str(port), "--workers", "1")
    assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 180), run.output
    assert "accepts localhost" not in run.output, run.output
    status, _, body = raw_request(port, f"GET / HTTP/1.1\nHost: 127.0.0.1:{port}\nConnection: close\n")
    assert status == 200 and f"host=127.0.0.1:{port}\r\n" in body, (status, body, run.output)
    status, _, _ = raw_request(port, f"GET / HTTP/1.1\nHost: example.test:{port}\nConnection: close\n")
    assert status == 400
    assert run.stop(signal.SIGTERM) == 0, run.output
