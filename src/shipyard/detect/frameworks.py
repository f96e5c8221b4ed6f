"""What Shipyard knows about web frameworks, as data: which calls make an app, which calls register
routes on it, which calls start a development server, and which distribution provides an import.

The entry detector reads these tables; nothing here parses or imports anything. A new framework is a
row in FRAMEWORKS; the lists the detectors and messages use are derived from it below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Framework:
    name: str                              # Plan.framework
    title: str                             # as people write it, for reports and messages
    constructors: dict[str, str]           # fully qualified callable that makes an app -> its interface
    distribution: str = ""                 # the framework's own distribution (default: name)
    own_class: str = ""                    # a class only the framework's own source defines ("Flask")
    signs: tuple[str, ...] = ()            # words that mark a file as probably making an app (default: class names)
    routes_in_constructor: bool = False    # the app gets its routes when made (Litestar(route_handlers=...),
                                           # tornado's Application([...])): an app with no route calls is real
    serves_itself: tuple[str, ...] = ()    # methods that start the app's own server when a script's main()
                                           # calls them on it (tornado: app.listen(port)); such a script can be
                                           # the entry, run as `python script.py --port=N` (servers.py)
    runs_itself: tuple[str, ...] = ()      # functions that, given the app, start its own server on it (aiohttp's
                                           # web.run_app(app, port=...)): a function calling one is such a script too
    # the app object is not itself a WSGI callable: this call or attribute of it is one (web.py's app.wsgifunc(),
    # Dash's app.server before Dash made its app callable), which the server loads (through shipyard_entry.py:
    # servers take a name or a function call, not a method's or an attribute's)
    wsgi_call: str = ""
    # the keyword argument of the app class naming a settings file the framework looks for beside sys.argv[0] (the
    # script Python runs) when it is a relative name or left out (Eve's settings, default settings.py): under a
    # server, sys.argv[0] is the server's, so the app is served through shipyard_entry.py (entry/script_folder.py)
    settings_beside_script: str = ""


FRAMEWORKS: tuple[Framework, ...] = (
    Framework("flask", "Flask", {"flask.Flask": "wsgi", "flask.app.Flask": "wsgi"}, own_class="Flask"),
    # Channels: asgi.py's ProtocolTypeRouter is the app (HTTP and WebSocket), served as ASGI; django-configurations
    # projects (class settings chosen by DJANGO_CONFIGURATION) make theirs with its own wrappers of Django's
    Framework("django", "Django", {"django.core.wsgi.get_wsgi_application": "wsgi",
                                   "django.core.asgi.get_asgi_application": "asgi",
                                   "configurations.wsgi.get_wsgi_application": "wsgi",
                                   "configurations.asgi.get_asgi_application": "asgi",
                                   "channels.routing.ProtocolTypeRouter": "asgi",
                                   "channels.routing.get_default_application": "asgi"},   # Channels 2
              signs=("get_wsgi_application", "get_asgi_application", "ProtocolTypeRouter",
                     "get_default_application"),
              routes_in_constructor=True),
    Framework("bottle", "Bottle", {"bottle.Bottle": "wsgi"}, own_class="Bottle", signs=("Bottle", "default_app")),
    Framework("falcon", "Falcon", {"falcon.App": "wsgi", "falcon.API": "wsgi", "falcon.app.App": "wsgi",
                                   "falcon.asgi.App": "asgi", "falcon.asgi.app.App": "asgi"},
              signs=(r"falcon\.App", r"falcon\.asgi")),
    Framework("pyramid", "Pyramid", {}, signs=("make_wsgi_app",), routes_in_constructor=True),
    # CherryPy mounts an object tree (exposed methods are the routes): tree.mount() returns a WSGI Application;
    # quickstart() mounts on the process-wide cherrypy.tree and starts CherryPy's own server (entry/default_app.py)
    Framework("cherrypy", "CherryPy", {"cherrypy.tree.mount": "wsgi", "cherrypy.Application": "wsgi",
                                       "cherrypy._cptree.Application": "wsgi"},
              distribution="cherrypy", signs=(r"cherrypy",), routes_in_constructor=True),
    # web.py: web.application(urls, globals()) takes its routes when made; its WSGI callable is app.wsgifunc()
    Framework("webpy", "web.py", {"web.application": "wsgi", "web.auto_application": "wsgi",
                                  "web.application.application": "wsgi"},
              distribution="web.py", signs=(r"web\.application", r"web\.auto_application"),
              routes_in_constructor=True, wsgi_call="wsgifunc()"),
    # Dash: its Flask app is app.server (the object itself is callable only from Dash 3.x on)
    Framework("dash", "Dash", {"dash.Dash": "wsgi", "dash.dash.Dash": "wsgi"}, own_class="Dash", wsgi_call="server"),
    Framework("fastapi", "FastAPI", {"fastapi.FastAPI": "asgi", "fastapi.applications.FastAPI": "asgi"},
              own_class="FastAPI"),
    # Starlette 0.9-0.11 sites served a Router itself (`app = Router(routes=[...])`, then @app.route): an ASGI app of
    # its own; a Router mounted into another app (`Mount('/api', app=api)`) is part of that one (appscan.arg_syms)
    Framework("starlette", "Starlette", {"starlette.applications.Starlette": "asgi",
                                         "starlette.routing.Router": "asgi"}, own_class="Starlette"),
    # quart-trio's QuartTrio: a Quart app whose handlers run on trio (served by a trio server: hypercorn -k trio)
    Framework("quart", "Quart", {"quart.Quart": "asgi", "quart_trio.QuartTrio": "asgi",
                                 "quart_trio.app.QuartTrio": "asgi"}, own_class="Quart"),
    # Connexion routes an OpenAPI file (app.add_api("swagger.yaml")): before 3.0 its App is a Flask app behind a
    # WSGI call, from 3.0 an ASGI app (the import proof tells which: see probe.check)
    Framework("connexion", "Connexion", {"connexion.App": "wsgi", "connexion.FlaskApp": "wsgi",
                                         "connexion.apps.flask_app.FlaskApp": "wsgi", "connexion.AsyncApp": "asgi"},
              signs=("connexion",)),
    # Eve: a Flask subclass that builds its REST endpoints from the DOMAIN of its settings (Eve(settings=...) or
    # settings.py beside it), so an app with no route calls is real
    Framework("eve", "Eve", {"eve.Eve": "wsgi", "eve.flaskapp.Eve": "wsgi"}, distribution="Eve", own_class="Eve",
              routes_in_constructor=True, settings_beside_script="settings"),
    # Responder: api = responder.API(), then @api.route("/"), served as ASGI (a Starlette app underneath; its
    # 1.x releases before Starlette 0.12 speak ASGI 2, which the import proof tells)
    Framework("responder", "Responder", {"responder.API": "asgi", "responder.api.API": "asgi",
                                         "responder.core.API": "asgi"},
              signs=(r"responder\.API", r"responder\.api")),
    Framework("litestar", "Litestar", {"litestar.Litestar": "asgi", "litestar.app.Litestar": "asgi"},
              own_class="Litestar", routes_in_constructor=True),
    Framework("sanic", "Sanic", {"sanic.Sanic": "asgi", "sanic.app.Sanic": "asgi"}, own_class="Sanic"),
    # Neither WSGI nor ASGI: each is served by its own server (servers.py), behind nginx.
    Framework("aiohttp", "aiohttp", {"aiohttp.web.Application": "aiohttp", "aiohttp.web_app.Application": "aiohttp"},
              signs=(r"web\.Application", r"aiohttp"),
              # web.run_app(app), or the runner API: site = web.TCPSite(web.AppRunner(app), host, port)
              runs_itself=("aiohttp.web.run_app", "aiohttp.web.TCPSite", "aiohttp.web_runner.TCPSite"),
              # aiohttp's first API, still in 3.x: loop.create_server(app.make_handler(), host, port)
              serves_itself=("make_handler",)),
    Framework("tornado", "Tornado", {"tornado.web.Application": "tornado"}, signs=(r"tornado\.web",),
              # HTTPServer(app).add_sockets(bind_sockets(port)): tornado's multi-process pattern
              routes_in_constructor=True, serves_itself=("listen", "bind", "add_sockets")),
    # hug: `@hug.get()` on a module's functions builds that module's API, and hug sets the module's WSGI
    # callable itself, as `__hug_wsgi__` (`gunicorn app:__hug_wsgi__`): no line of the module names it
    # (or it is the module's API object itself: `router = hug.route.API(__name__)`, then `router.get('/users')(f)`)
    Framework("hug", "hug", {}, signs=(r"@hug\.", r"hug\.(?:route\.|api\.)?API"), routes_in_constructor=True),
    # TurboGears 2: a configurator from tg (MinimalApplicationConfigurator, FullStackApplicationConfigurator, the
    # older AppConfig) gives the app as Pyramid's does, by `config.make_wsgi_app()`; its root controller holds the routes
    Framework("turbogears", "TurboGears", {}, distribution="TurboGears2", signs=("make_wsgi_app",),
              routes_in_constructor=True),
)

# hug's route decorators (`@hug.get()`, `@hug.post(...)`, `@hug.http()`): each adds to the module's API
HUG_ROUTE_DECORATORS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "http", "call",
                                  "connect", "trace", "get_post", "put_post", "sink", "static", "not_found",
                                  "exception", "directive", "urls", "websocket"})
# the module attribute hug makes the module's WSGI app under
HUG_WSGI = "__hug_wsgi__"
# calls that give the API of the module named by their argument (`hug.API(__name__)`, hug.route.API's routers):
# with `__name__`, the calling module's own API, served as its __hug_wsgi__ as the decorators' is
HUG_MODULE_APIS = frozenset({"hug.API", "hug.api.API", "hug.route.API"})

# Calls that return Bottle's process-wide default app (the one module-level @route decorates).
BOTTLE_DEFAULT_APP = frozenset({"bottle.default_app", "bottle.app"})
# Module-level decorators/functions of bottle that register routes on the default app.
BOTTLE_ROUTE_FUNCS = frozenset({"route", "get", "post", "put", "delete", "patch", "error", "hook", "mount"})

# Calls that mount an app on CherryPy's process-wide tree (cherrypy.tree, itself a WSGI app): quickstart(Root())
# mounts and then starts CherryPy's own server, tree.mount(Root()) as a statement mounts for engine.start()
CHERRYPY_TREE_MOUNTS = frozenset({"cherrypy.quickstart", "cherrypy.tree.mount"})

# The Pyramid app comes from `Configurator(...).make_wsgi_app()`.
PYRAMID_MAKE_APP = "make_wsgi_app"

# Methods whose call on an app (or on a wrapper such as flask_restful.Api(app)) registers routes or handlers.
# decorators that add to an app's `flask shell` only, nothing it serves: a seed script's own
# `@app.shell_context_processor` on the app it made with `create_app("dev")` is no part of what a server loads
# (on a module-level app it imports, it still counts: microblog.py's, on the one app object there is)
SHELL_ONLY_HOOKS = frozenset({"shell_context_processor"})
REGISTER_METHODS = frozenset({
    "route", "add_url_rule", "register_blueprint", "errorhandler", "register_error_handler",
    "before_request", "after_request", "teardown_request", "context_processor",
    "add_route", "add_sink", "add_static_route", "add_error_handler", "add_middleware",  # falcon/starlette
    "add_resource", "add_namespace", "resource", "init_app",                                # flask-restful/-x
    "include_router", "add_api_route", "add_api_websocket_route", "mount", "add_websocket_route",
    "get", "post", "put", "delete", "patch", "head", "options", "websocket", "api_route", "callback",
    "exception_handler", "middleware", "on_event", "merge",
    "blueprint", "add_websocket_route", "static", "listener", "signal",                    # sanic
    "add_routes", "add_get", "add_post", "add_put", "add_patch", "add_delete", "add_view",  # aiohttp
    "add_handlers",                                                                          # tornado
    "add_api",                                                                               # connexion
})
# Methods of another object that register routes on the app given as their first argument: Flask-Classful's
# `DepartmentView.register(app, route_base="/departments/")`, a classmethod of the view class, not of the app
APP_ARGUMENT_REGISTERS = frozenset({"register"})
# Attributes of an app that register routes for it (aiohttp: `app.router.add_get(...)`).
ROUTER_ATTRS = frozenset({"router"})
# Attributes whose assignment configures an app's content (Dash: `app.layout = ...`).
REGISTER_ATTRS = frozenset({"layout"})

# Methods of an app object that start a development server (tornado's listen binds the port at import).
APP_SERVER_METHODS = frozenset({"run", "run_server", "listen"})
# Functions that start a server when called at import time.
SERVER_FUNCS = frozenset({
    "bottle.run", "werkzeug.serving.run_simple", "werkzeug.run_simple", "uvicorn.run", "waitress.serve",
    "hypercorn.run", "aiohttp.web.run_app", "wsgiref.simple_server.make_server",
    "cherrypy.quickstart", "cherrypy.engine.start", "cherrypy.engine.block",
    # Paste's threaded server (`httpserver.serve(app, host, port)`), which Bottle's tutorials call at import
    "paste.httpserver.serve",
})
# WSGI server classes whose object serves once started (`server = CherryPyWSGIServer(addr, app)`, then
# `server.start()` at import): a launcher's, like the functions above, not the app a production server loads
SERVER_CLASSES = frozenset({
    "cherrypy.wsgiserver.CherryPyWSGIServer", "cherrypy.wsgiserver.WSGIServer", "cherrypy.wsgiserver.wsgiserver2."
    "CherryPyWSGIServer", "cheroot.wsgi.Server", "cheroot.wsgi.WSGIServer", "gevent.pywsgi.WSGIServer",
    "wsgiref.simple_server.WSGIServer"})
SERVER_OBJECT_STARTS = frozenset({"start", "safe_start", "serve_forever"})
# Monkey patching that makes the whole process cooperative (greenlets): a module that calls it at import
# is written for gunicorn's gevent worker (`gunicorn -k gevent`); in granian's or gunicorn's threads its
# patched sockets and locks switch greenlets across threads and fail. (eventlet.monkey_patch() is not
# here: current gunicorn has no eventlet worker any more.)
COOPERATIVE_PATCHES = {"gevent.monkey.patch_all": "gevent"}
# Methods of server objects that block serving requests.
SERVE_METHODS = frozenset({"serve_forever", "handle_request"})
# Calls that run an event loop forever (tornado's `IOLoop.current().start()`, asyncio's `loop.run_forever()`):
# unlike the dev servers above, neither the import check nor the generated entry can make them no-ops, as the
# production servers run the same loops, so a module that makes one at import is refused before it is imported.
LOOP_FOREVER = re.compile(r"\bIOLoop\.(?:current|instance)\(\)\.start$|\.run_forever$")

# --- derived from FRAMEWORKS -----------------------------------------------------------------------

# Fully qualified callables that construct an app object -> (framework, interface).
CONSTRUCTORS: dict[str, tuple[str, str]] = {
    qual: (f.name, interface) for f in FRAMEWORKS for qual, interface in f.constructors.items()}


def _star_names() -> dict[str, frozenset[str]]:
    """module -> the names of app constructors, default apps, route functions and servers `from module import *`
    binds: `from flask import *` binds Flask, `from bottle import *` route and run, and `from dash import *` the
    submodule `dash` (dash/dash.py, which its __init__ imports), so that `dash.Dash(__name__)` is dash.dash.Dash."""
    names: dict[str, set[str]] = {}
    quals = [*CONSTRUCTORS, *BOTTLE_DEFAULT_APP, *(f"bottle.{n}" for n in BOTTLE_ROUTE_FUNCS), *SERVER_FUNCS,
             *CHERRYPY_TREE_MOUNTS]
    for qual in quals:
        parts = qual.split(".")
        for i in range(1, len(parts)):
            if not parts[i].startswith("_"):
                names.setdefault(".".join(parts[:i]), set()).add(parts[i])
    return {module: frozenset(found) for module, found in names.items()}


STAR_NAMES = _star_names()

# Distributions of the frameworks themselves: a folder whose project is one of these is the
# framework's own repository, not an app that uses it (plus libraries around them that read the same).
FRAMEWORK_DISTRIBUTIONS = frozenset({f.distribution or f.name for f in FRAMEWORKS}
                                    | {"werkzeug", "flask-restful", "channels"})
# Class names defined by a framework's own source (used to explain a framework repository).
# calls that run a coroutine to its end at import, as a module does with an async factory
# (app = asyncio.run(create_app())): the value is what the factory makes
RUN_COROUTINE = frozenset({"asyncio.run"})
RUN_COROUTINE_METHODS = frozenset({"run_until_complete"})
# the top-level modules the frameworks' apps are made from ("flask", "bottle", "django"...)
FRAMEWORK_MODULES = frozenset(c.split(".")[0] for f in FRAMEWORKS for c in f.constructors)
FRAMEWORK_CLASSES = frozenset(f.own_class for f in FRAMEWORKS if f.own_class)
# Words of factories and callables that make apps whatever the framework.
_GENERIC_SIGNS = ("create_app", "make_app", "get_wsgi_application", "make_wsgi_app", "default_app", "start_response")
# A file mentioning none of these cannot make an app (decoy folders are read only when they do).
SUSPICIOUS = re.compile(r"\b(" + "|".join(dict.fromkeys(
    [s for f in FRAMEWORKS for s in (f.signs or (f.own_class,) or ()) if s]
    + [q.rsplit(".", 1)[1] for f in FRAMEWORKS if not f.signs and not f.own_class for q in f.constructors]
    + list(_GENERIC_SIGNS))) + r")\b")
# Only modules mentioning one of these can make an app inside a function (a factory): the rest skip that walk.
MAKES_APPS = re.compile("|".join(dict.fromkeys(
    [q.rsplit(".", 1)[1] for q in CONSTRUCTORS] + ["make_wsgi_app", "default_app", r"app\("])))
# Frameworks whose module state a script's `__main__` block sets for their own server only (CherryPy's
# cherrypy.config.update with the socket host and port, more tree.mount()s and engine.start() for that server):
# not setup the app a production server loads needs (the app's own config goes to tree.mount)
OWN_SERVER_STATE = frozenset({"cherrypy"})
# framework -> the call on its app object that gives the WSGI callable (see Framework.wsgi_call)
WSGI_CALLS: dict[str, str] = {f.name: f.wsgi_call for f in FRAMEWORKS if f.wsgi_call}
# framework -> methods that start its own server on an app (see Framework.serves_itself).
SERVES_ITSELF: dict[str, tuple[str, ...]] = {f.name: f.serves_itself for f in FRAMEWORKS if f.serves_itself}
# function that starts an app's own server when given the app -> its framework (see Framework.runs_itself)
RUNS_ITSELF: dict[str, str] = {qual: f.name for f in FRAMEWORKS for qual in f.runs_itself}
# Frameworks whose app is real without a route registration Shipyard can see.
ROUTES_IN_CONSTRUCTOR = frozenset(f.name for f in FRAMEWORKS if f.routes_in_constructor)
# What "no web app found" says Shipyard looked for.
LOOKED_FOR = ", ".join(dict.fromkeys(f.title for f in FRAMEWORKS)) + \
    " apps, create_app() factories and WSGI/ASGI callables"
# framework -> its title, for messages ("web.py" for webpy)
TITLES: dict[str, str] = {f.name: f.title for f in FRAMEWORKS}
# app class -> its keyword naming a settings file looked for beside sys.argv[0] (see Framework.settings_beside_script)
SETTINGS_BESIDE_SCRIPT: dict[str, str] = {f.own_class: f.settings_beside_script for f in FRAMEWORKS
                                          if f.settings_beside_script}
