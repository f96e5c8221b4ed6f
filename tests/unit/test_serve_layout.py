"""How `serve` lays out the run folder for an app: what it waits for and how it reports the server."""

from __future__ import annotations

import sys

from conftest import make_tree
from shipyard.planner import make_plan
from shipyard.run.configs import write_layout

FLASK = {"app.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return 'hi'\n",
         "requirements.txt": "flask\n"}
TORNADO_SCRIPT = {"chat.py": """
    import tornado.ioloop
    import tornado.web
    from tornado.options import define, options, parse_command_line

    define("port", default=8888, type=int)


    class Main(tornado.web.RequestHandler):
        def get(self):
            self.write("hi")


    def main():
        parse_command_line()
        app = tornado.web.Application([(r"/", Main)])
        app.listen(options.port)
        tornado.ioloop.IOLoop.current().start()


    if __name__ == "__main__":
        main()
    """, "requirements.txt": "tornado\n"}


def run_dir(tmp_path):
    folder = tmp_path / "run"     # serve makes it (mkdtemp) before the layout is written into it
    folder.mkdir()
    return folder


def test_an_app_object_behind_nginx_is_awaited_on_its_socket_and_reported_as_the_generated_server(tmp_path):
    root = make_tree(tmp_path / "app", FLASK)
    layout = write_layout(make_plan(root, confirm=False, installed=False), root, run_dir(tmp_path), sys.executable,
                          "/usr/sbin/nginx")
    assert layout.app_socket is not None
    assert "the app's own" not in layout.server_config, layout.server_config


def test_a_script_that_starts_its_own_server_is_reported_as_such_and_awaited_through_nginx(tmp_path):
    root = make_tree(tmp_path / "script", TORNADO_SCRIPT)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.entry.kind == "script"
    layout = write_layout(plan, root, run_dir(tmp_path), sys.executable, "/usr/sbin/nginx")
    assert layout.app_socket is None
    assert layout.server_config.startswith("the app's own"), layout.server_config
