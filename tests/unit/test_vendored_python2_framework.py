"""A 2012 App Engine app kept Tornado 2 in its own tornado/ folder (python27 had no pip), and its handlers are
Python 2 (httplib, StringIO). The first Python 2 file on the import path is the copy's tornado/template.py (an exec
statement): "`2to3 -w tornado` does most of it" sent the user to port a framework's copy. The hint says what the
folder is: delete it, declare the framework, port the app's own modules. The app's own Python 2 module keeps the
2to3 hint; a folder named like web.py's `web` is an app's own."""

from __future__ import annotations

from shipyard.detect import entry
from shipyard.detect.python2_reach import python2_on_import_path
from shipyard.detect.python2_syntax import python2_error
from shipyard.project import Project

from conftest import make_tree

APP = {
    "server.py": "import tornado.ioloop\nimport tornado.web\n\nimport handlers\n\n"
                 "application = tornado.web.Application([(r'/', handlers.IndexHandler)])\n\n"
                 "if __name__ == '__main__':\n    application.listen(8888)\n"
                 "    tornado.ioloop.IOLoop.instance().start()\n",
    "handlers.py": "import httplib\nimport tornado.web\n\n\nclass IndexHandler(tornado.web.RequestHandler):\n"
                   "    def get(self):\n        self.write('hi')\n",
    "tornado/__init__.py": "version = '2.2'\n",
    "tornado/web.py": "from tornado import template\n\n\nclass Application(object):\n    pass\n\n\n"
                      "class RequestHandler(object):\n    pass\n",
    "tornado/template.py": "def compile_template(code, namespace):\n    exec code in namespace\n",
    "tornado/ioloop.py": "class IOLoop(object):\n    pass\n",
}


def test_a_python2_copy_of_a_framework_in_the_apps_folder_is_named_as_such(tmp_path):
    project = Project(make_tree(tmp_path / "ft2json", APP))
    said = python2_on_import_path(project, entry.find(project, None))
    assert said is not None
    message, hint = said
    assert message.startswith("tornado/template.py:2: ") and "is Python 2 code (an exec statement)" in message
    assert "(tornado/ is a copy of Tornado kept in the app's folder, written for Python 2)" in message
    assert hint.startswith("delete tornado/ and declare tornado in the app's requirements") and "2to3 -w" not in hint


def test_the_apps_own_python2_module_and_a_web_folder_keep_the_2to3_hint():
    source = "def f():\n    print 'x'\n"
    for path in ("handlers.py", "web/helpers.py", "app/tornado_views.py"):
        message, hint = python2_error(path, 2, "Missing parentheses in call to 'print'", source)
        assert "a copy of" not in message and hint.startswith("port the app to Python 3 (`2to3 -w"), path
