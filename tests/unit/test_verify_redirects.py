"""verify's smoke requests follow a redirect on the address they asked (a login page), not one to another site: a
path that answers 302 to the project's page elsewhere has answered (flask-uv-src-weasyprint's /coc was "no
answer: Name or service not known" where that host does not resolve)."""

from __future__ import annotations

import http.server
import threading

from conftest import free_port
from shipyard.verify import _http_get


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/away":
            self.send_response(302)
            self.send_header("Location", "https://shipyard-test.invalid/code-of-conduct")
            self.end_headers()
        elif self.path == "/login-first":
            self.send_response(302)
            self.send_header("Location", "/login")
            self.end_headers()
        else:
            body = f"page {self.path}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_redirect_elsewhere_is_the_answer_and_one_on_the_same_address_is_followed():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert _http_get(base + "/away", timeout=10)[0] == 302
        assert _http_get(base + "/login-first", timeout=10) == (200, "page /login")
    finally:
        server.shutdown()
        server.server_close()
