"""A CherryPy course lab renders its pages with a Jinja2 tool and a template plugin copied from CherryPy's recipes:
the plugin (a SimplePlugin) registers its template lookup on the bus in start(), called when the engine starts,
and the tool asks the bus for the template on every page. Both are set up under `__main__`, then
`cherrypy.quickstart(Root(), '', 'server.conf')`. Served as cherrypy.tree with quickstart made a mount only, the
engine never started: every page answered 500 (the lookup had no listener). Now shipyard_entry.py starts the
engine without CherryPy's HTTP server, as CherryPy's docs say to host it under another WSGI server, and a
launcher's Daemonizer is not started in the worker. Real installs of CherryPy and Jinja2, served by the production
server through nginx."""

from __future__ import annotations

import signal

import pytest

from conftest import free_port, make_tree, require_tool
from serveutil import Running, get

pytestmark = pytest.mark.slow

SERVER = '''\
import cherrypy
import jinja2
from cherrypy.process import plugins


class TemplatePlugin(plugins.SimplePlugin):
    def __init__(self, bus, env):
        plugins.SimplePlugin.__init__(self, bus)
        self.env = env

    def start(self):
        self.bus.subscribe("lookup-template", self.env.get_template)


class TemplateTool(cherrypy.Tool):
    def __init__(self):
        cherrypy.Tool.__init__(self, "before_finalize", self._render, priority=10)

    def _render(self, template=None):
        data = cherrypy.response.body or {}
        found = cherrypy.engine.publish("lookup-template", template).pop()
        cherrypy.response.body = found.render(**data).encode("utf-8")


class Lab:
    @cherrypy.expose
    def index(self):
        pass

    @cherrypy.expose
    def fact(self, number="5"):
        result = 1
        for k in range(2, int(number) + 1):
            result *= k
        return {"number": number, "fact": result}


if __name__ == "__main__":
    TemplatePlugin(cherrypy.engine, env=jinja2.Environment(loader=jinja2.FileSystemLoader("."))).subscribe()
    cherrypy.tools.template = TemplateTool()
    plugins.Daemonizer(cherrypy.engine).subscribe()      # how its author runs it on a server: detached
    cherrypy.quickstart(Lab(), "", "server.conf")
'''
CONF = '''\
[global]
server.socket_host: '0.0.0.0'
server.socket_port: int(os.environ.get('PORT', 5000))

[/]
tools.template.on: True
tools.template.template: 'templates/index.html'
tools.encode.on: False

[/fact]
tools.template.on: True
tools.template.template: 'templates/fact.html'
tools.encode.on: False
'''


def test_the_apps_engine_plugins_start_under_the_production_server(tmp_path):
    require_tool("nginx")
    root = make_tree(tmp_path / "lab", {
        "server.py": SERVER, "server.conf": CONF, "requirements.txt": "CherryPy\nJinja2\n",
        "templates/index.html": "<h1>Lab home</h1>\n",
        "templates/fact.html": "<p>{{ number }}! = {{ fact }}</p>\n",
    })
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port))
    try:
        assert run.wait_for(r"shipyard: serving .* at http://", 300), run.output
        status, headers, body = get(f"http://127.0.0.1:{port}/")
        assert (status, body) == (200, "<h1>Lab home</h1>"), (body, run.output)
        assert headers.get("Server", "").startswith("nginx"), headers
        status, _, body = get(f"http://127.0.0.1:{port}/fact?number=5")
        assert (status, body) == (200, "<p>5! = 120</p>"), (body, run.output)
        assert run.stop(signal.SIGTERM, timeout=60) == 0, run.output
    finally:
        run.discard()
