"""verify's static check: a file of each folder the image's nginx serves (the Dockerfile's dev.shipyard.static
label) is asked for through it; here the container's file list comes from a stand-in engine and the answers
from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import http.server
import threading

import pytest

from shipyard.verify import _check_static


class FilesOnly:
    """What _check_static asks of the engine: `find` in the container."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = files

    def exec(self, container, argv, timeout=30):
        folder = argv[2]
        if folder not in self.files:
            return 1, f"find: '{folder}': No such file or directory\n"
        found = self.files[folder]
        return (0, found + "\n") if found else (0, "")


@pytest.fixture
def server():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/static/admin/base%20x.css" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def checks(engine, base_url, label):
    seen = []
    _check_static(engine, "c", base_url, label, lambda name, ok, detail: seen.append((name, ok, detail)))
    return seen


def test_a_file_of_each_folder_answers_through_the_images_nginx(server):
    engine = FilesOnly({"/app/staticfiles": "/app/staticfiles/admin/base x.css"})
    assert checks(engine, server, "/static/=/app/staticfiles") == [
        ("static files", True, "GET /static/admin/base%20x.css: 200 through the image's nginx")]


def test_a_folder_answering_404_or_missing_from_the_image_fails(server):
    engine = FilesOnly({"/app/staticfiles": "/app/staticfiles/admin/base x.css", "/app/media": "/app/media/a.png"})
    [(name, ok, detail)] = checks(engine, server, "/static/=/app/staticfiles /media/=/app/media /js/=/app/js")
    assert (name, ok) == ("static files", False)
    assert detail == ("GET /media/a.png: 404; /app/js (served at /js/) is not in the image; "
                      "GET /static/admin/base%20x.css: 200"), detail


def test_an_empty_folder_has_nothing_to_fetch_and_fails_nothing(server):
    # a committed static/ holding only a .gitkeep
    engine = FilesOnly({"/app/staticfiles": "/app/staticfiles/admin/base x.css", "/app/static": ""})
    assert checks(engine, server, "/static/=/app/staticfiles /assets/=/app/static") == [
        ("static files", True, "GET /static/admin/base%20x.css: 200 through the image's nginx; "
                               "/app/static (served at /assets/) holds no file to fetch")]
    assert checks(FilesOnly({"/app/static": ""}), server, "/assets/=/app/static") == [
        ("static files", None, "/app/static (served at /assets/) holds no file to fetch")]


def test_an_image_without_the_label_gets_no_static_check(server):
    assert checks(FilesOnly({}), server, "") == []
