"""CherryPy and web.py apps: what reading them finds (entry, kind, the served expression), what the generated
entry module serves, and web.py's static folder. Serving them with a real install: tests/integration/
test_frameworks_serve.py (test_cherrypy_and_webpy_apps_are_served_from_the_venv_serve_installs)."""

from __future__ import annotations

import textwrap

from shipyard.detect import entry
from shipyard.detect.services import static_dirs
from shipyard.project import Project

from conftest import make_tree, rendered_shim

ROOT_CLASS = textwrap.dedent("""
    import cherrypy


    class Root:
        @cherrypy.expose
        def index(self):
            return "hi"

""")


def found(tmp_path, files):
    return entry.find(Project(make_tree(tmp_path / "app", files)), None)


def test_a_tree_mount_assigned_at_module_level_is_the_app(tmp_path):
    # the `__main__` block configures and starts CherryPy's own server (more mounts, engine.start): not setup the
    # app the production server loads needs, so the module is imported, not run as __main__
    f = found(tmp_path, {"wsgi.py": ROOT_CLASS + textwrap.dedent("""
        app = cherrypy.tree.mount(Root(), "/", {"/": {"tools.sessions.on": True}})

        if __name__ == "__main__":
            cherrypy.config.update({"server.socket_port": 8080})
            cherrypy.tree.mount(Root(), "/other")
            cherrypy.engine.start()
            cherrypy.engine.block()
        """)})
    assert (f.framework, f.entry.target, f.entry.kind, f.entry.interface) == ("cherrypy", "wsgi:app", "attribute", "wsgi")
    assert not f.entry.main_setup and not f.entry.starts_server_on_import


def test_quickstart_at_import_serves_the_cherrypy_tree(tmp_path):
    f = found(tmp_path, {"app.py": ROOT_CLASS + 'cherrypy.quickstart(Root(), "/", {"global": {"server.socket_port": 5000}})\n'})
    assert (f.framework, f.entry.target, f.entry.kind) == ("cherrypy", "app:tree", "default_app")
    assert f.entry.starts_server_on_import and not f.entry.main_setup
    assert any("cherrypy.quickstart() at import" in n for n in f.notes)


def test_quickstart_under_the_main_guard_runs_the_script_as_main(tmp_path):
    f = found(tmp_path, {"hello.py": ROOT_CLASS + 'if __name__ == "__main__":\n    cherrypy.quickstart(Root())\n'})
    assert (f.entry.target, f.entry.kind) == ("hello:tree", "default_app")
    assert f.entry.main_setup and not f.entry.starts_server_on_import


def test_a_runner_that_imports_the_module_of_a_guarded_quickstart_is_not_the_script(tmp_path):
    # Azure's web.config runs run_server.py, which imports app.py (the module, not an app) and hands it to
    # waitress at import; the mount happens only when app.py itself runs as __main__
    f = found(tmp_path, {
        "app.py": ROOT_CLASS + 'if __name__ == "__main__":\n    cherrypy.config.update({"server.socket_port": 8000})\n'
                               '    cherrypy.quickstart(Root())\n',
        "run_server.py": "import os\n\nfrom waitress import serve\n\nimport app\n\n"
                         "serve(app, host='0.0.0.0', port=os.environ['PORT'])\n"})
    assert (f.entry.target, f.entry.kind, f.entry.main_setup) == ("app:tree", "default_app", True)
    assert not f.entry.starts_server_on_import


def test_mounts_in_a_function_the_main_guard_calls_run_the_script_as_main(tmp_path):
    # server.py's main() sets a tool up, mounts two roots on the tree and starts the engine
    f = found(tmp_path, {"server.py": ROOT_CLASS + textwrap.dedent("""
        def main():
            cherrypy.tools.render = cherrypy.Tool("before_finalize", lambda: None)
            cherrypy.tree.mount(Root(), "/api")
            cherrypy.tree.mount(Root(), "/")
            cherrypy.engine.start()
            cherrypy.engine.block()


        if __name__ == "__main__":
            main()
        """)})
    assert (f.entry.target, f.entry.kind, f.entry.main_setup) == ("server:tree", "default_app", True)


def test_an_imported_cherrypy_alias_is_read_too(tmp_path):
    f = found(tmp_path, {"site.py": ROOT_CLASS.replace("import cherrypy", "import cherrypy as cp")
                         .replace("@cherrypy.", "@cp.") + "cp.tree.mount(Root())\ncp.engine.start()\ncp.engine.block()\n"})
    assert (f.framework, f.entry.target, f.entry.kind) == ("cherrypy", "site:tree", "default_app")


WEBPY = {"app.py": """
    import web

    urls = ("/", "Index")
    app = web.application(urls, globals())


    class Index:
        def GET(self):
            return "hi"


    if __name__ == "__main__":
        app.run()
    """}


def test_a_webpy_app_is_served_by_its_wsgifunc(tmp_path):
    f = found(tmp_path, WEBPY)
    assert (f.framework, f.entry.target, f.entry.kind, f.entry.interface) == \
        ("webpy", "app:app.wsgifunc()", "attribute", "wsgi")
    assert any("not a WSGI callable" in n for n in f.notes)


def test_a_method_call_entry_and_the_cherrypy_tree_go_through_the_entry_module(tmp_path):
    from shipyard.planner import make_plan

    for files, served in ((WEBPY, "app = _module.app.wsgifunc()"),
                          ({"app.py": ROOT_CLASS + "cherrypy.quickstart(Root())\n"}, "app = cherrypy.tree"),
                          ({"main.py": ROOT_CLASS + 'if __name__ == "__main__":\n    cherrypy.quickstart(Root())\n'},
                           'run_name="__main__"')):
        root = make_tree(tmp_path / next(iter(files))[:-3], files)
        shim = rendered_shim(make_plan(root, confirm=False))
        assert served in shim


def test_webpy_static_folder_is_served_by_nginx(tmp_path):
    root = make_tree(tmp_path / "app", {**WEBPY, "static/app.css": "body {}\n"})
    project = Project(root)
    dirs = static_dirs(project, entry.find(project, None))
    assert [(d.url, d.path) for d in dirs] == [("/static/", "static")]
    # without the folder there is nothing to serve
    (root / "static/app.css").unlink()
    (root / "static").rmdir()
    assert static_dirs(project, entry.find(project, None)) == ()
