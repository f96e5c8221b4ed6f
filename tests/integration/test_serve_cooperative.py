"""`serve --install` on an app that monkey-patches itself with gevent when imported (CTFd's wsgi.py): with a
real gevent installed from the index, gunicorn's gevent worker serves it behind nginx, each request in a
gevent greenlet (granian's threads answered it outside any, and CTFd with 500s)."""

from __future__ import annotations

import pytest

from conftest import free_port, make_tree, require_tool
from serveutil import Running, get

pytestmark = pytest.mark.slow

WSGI = """import os

if not os.getenv("FLASK_RUN_FROM_CLI"):
    from gevent import monkey

    monkey.patch_all()

import gevent


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"in a gevent greenlet: {isinstance(gevent.getcurrent(), gevent.Greenlet)}".encode()]
"""


# gevent today, and one older than 24.10.1, which gunicorn >= 24's gevent worker refuses at start, beside an
# older gunicorn pin that is upgraded (falcon-boilerplate: gevent==23.9.1, gunicorn==22.0.0): gunicorn 23 serves
# both
@pytest.mark.parametrize("gevent", ["gevent", "gevent==23.9.1\ngunicorn==22.0.0"])
def test_an_app_that_gevent_patches_at_import_is_served_by_gunicorns_gevent_worker(tmp_path, gevent):
    require_tool("nginx")
    root = make_tree(tmp_path / "app", {"wsgi.py": WSGI, "requirements.txt": f"{gevent}\n"})
    port = free_port()
    run = Running("serve", "--install", str(root), "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 240), run.output
        assert "nginx in front of gunicorn" in run.output and "Using worker: gevent" in run.output, run.output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert (status, body) == (200, "in a gevent greenlet: True"), run.output
    finally:
        run.discard()
