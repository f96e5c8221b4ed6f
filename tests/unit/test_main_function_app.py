"""An app made inside the function a script's `__main__` block calls, then run there: swagger-codegen's Connexion
server (`swagger_server/__main__.py`: `def main(): app = connexion.App(...); app.add_api(...); app.run(port=8080)`,
run as `python -m swagger_server`). No module names the app, so it is found as the script's (main_setup): the
import check and the generated shipyard_entry.py run the module as __main__ with its run() made a no-op and serve
the app that run() was given. (A plain Flask app made the same way stands in for connexion's, whose run() runs
its Flask app's.)"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap

from shipyard.detect import entry
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import render

from conftest import make_tree

MAIN = """\
    from flask import Flask

    from {package} import greeting


    def main():
        app = Flask(__name__)

        @app.route("/students/")
        def students():
            return greeting.TEXT

        app.run(port={port})


    if __name__ == "__main__":
        main()
    """


def _server_package(root, port: int):
    return make_tree(root, {"student_server/__init__.py": "",
                            "student_server/greeting.py": 'TEXT = "hello from main()"\n',
                            "student_server/__main__.py": MAIN.format(package="student_server", port=port),
                            "requirements.txt": "flask\n"})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_app_a_main_function_makes_and_runs_is_the_scripts_entry(tmp_path):
    root = _server_package(tmp_path / "codegen", 8080)
    found = entry.find(Project(root), None)
    assert (found.workdir, found.entry.target, found.entry.kind, found.entry.main_setup) == \
        (".", "student_server.__main__:app", "attribute", True)
    assert any("inside main()" in n and "python -m student_server" in n for n in found.notes)
    # the proof runs the package's __main__ as `python -m student_server` does and finds the app main() ran
    entry.confirm(Project(root), found, sys.executable, 30.0)


def test_the_generated_entry_serves_the_app_main_ran_without_its_dev_server(tmp_path):
    dev_port = _free_port()
    root = _server_package(tmp_path / "codegen", dev_port)
    plan = make_plan(root, confirm=False, installed=False)
    shim = render(plan)["shipyard_entry.py"]
    assert 'runpy.run_module("student_server.__main__", run_name="__main__"' in shim
    (root / "shipyard_entry.py").write_text(shim)
    check = textwrap.dedent(f"""\
        import io, json, socket, sys
        sys.path.insert(0, ".")
        import shipyard_entry
        out = {{}}
        def start_response(status, headers, exc_info=None):
            out["status"] = status
        body = b"".join(shipyard_entry.app({{"REQUEST_METHOD": "GET", "PATH_INFO": "/students/", "SERVER_NAME": "x",
                                            "SERVER_PORT": "80", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http",
                                            "wsgi.errors": sys.stderr}}, start_response))
        with socket.socket() as s:
            listening = s.connect_ex(("127.0.0.1", {dev_port})) == 0
        print(json.dumps({{"status": out["status"], "body": body.decode(), "listening": listening}}))
        """)
    done = subprocess.run([sys.executable, "-c", check], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == \
        {"status": "200 OK", "body": "hello from main()", "listening": False}


def test_a_main_function_that_makes_an_app_it_never_runs_is_no_entry(tmp_path):
    # main() builds an app and hands it elsewhere (a test helper, an export): no app is served from it
    root = make_tree(tmp_path / "tool", {"tool.py": """
        from flask import Flask


        def main():
            app = Flask(__name__)
            print(app.url_map)


        if __name__ == "__main__":
            main()
        """})
    import pytest

    from shipyard.errors import AppNotFound
    with pytest.raises(AppNotFound):
        entry.find(Project(root), None)
