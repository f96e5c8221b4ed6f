"""What Shipyard knows about web frameworks, as data: which calls make an app, which calls register
routes on it, which calls start a development server, and which distribution provides an import.

The entry detector reads these tables; nothing here parses or imports anything.
"""

from __future__ import annotations

# Fully qualified callables that construct an app object -> (framework, interface).
CONSTRUCTORS: dict[str, tuple[str, str]] = {
    "flask.Flask": ("flask", "wsgi"),
    "flask.app.Flask": ("flask", "wsgi"),
    "bottle.Bottle": ("bottle", "wsgi"),
    "falcon.App": ("falcon", "wsgi"),
    "falcon.API": ("falcon", "wsgi"),
    "falcon.app.App": ("falcon", "wsgi"),
    "falcon.asgi.App": ("falcon", "asgi"),
    "falcon.asgi.app.App": ("falcon", "asgi"),
    "dash.Dash": ("dash", "wsgi"),
    "dash.dash.Dash": ("dash", "wsgi"),
    "fastapi.FastAPI": ("fastapi", "asgi"),
    "fastapi.applications.FastAPI": ("fastapi", "asgi"),
    "starlette.applications.Starlette": ("starlette", "asgi"),
    "quart.Quart": ("asgi", "asgi"),
    "litestar.Litestar": ("asgi", "asgi"),
    "django.core.wsgi.get_wsgi_application": ("django", "wsgi"),
    "django.core.asgi.get_asgi_application": ("django", "asgi"),
}

# Calls that return Bottle's process-wide default app (the one module-level @route decorates).
BOTTLE_DEFAULT_APP = frozenset({"bottle.default_app", "bottle.app"})
# Module-level decorators/functions of bottle that register routes on the default app.
BOTTLE_ROUTE_FUNCS = frozenset({"route", "get", "post", "put", "delete", "patch", "error", "hook", "mount"})

# The Pyramid app comes from `Configurator(...).make_wsgi_app()`.
PYRAMID_MAKE_APP = "make_wsgi_app"

# Methods whose call on an app (or on a wrapper such as flask_restful.Api(app)) registers routes or handlers.
REGISTER_METHODS = frozenset({
    "route", "add_url_rule", "register_blueprint", "errorhandler", "register_error_handler",
    "before_request", "after_request", "teardown_request", "context_processor",
    "add_route", "add_sink", "add_static_route", "add_error_handler", "add_middleware",  # falcon/starlette
    "add_resource", "add_namespace", "resource", "init_app",                                # flask-restful/-x
    "include_router", "add_api_route", "add_api_websocket_route", "mount", "add_websocket_route",
    "get", "post", "put", "delete", "patch", "head", "options", "websocket", "api_route", "callback",
    "exception_handler", "middleware", "on_event", "merge",
})
# Attributes whose assignment configures an app's content (Dash: `app.layout = ...`).
REGISTER_ATTRS = frozenset({"layout"})

# Methods of an app object that start a development server.
APP_SERVER_METHODS = frozenset({"run", "run_server"})
# Functions that start a server when called at import time.
SERVER_FUNCS = frozenset({
    "bottle.run", "werkzeug.serving.run_simple", "werkzeug.run_simple", "uvicorn.run", "waitress.serve",
    "hypercorn.run", "aiohttp.web.run_app", "wsgiref.simple_server.make_server",
})
# Methods of server objects that block serving requests.
SERVE_METHODS = frozenset({"serve_forever", "handle_request"})

# Distributions of the frameworks themselves: a folder whose project is one of these is the
# framework's own repository, not an app that uses it.
FRAMEWORK_DISTRIBUTIONS = frozenset({
    "flask", "django", "bottle", "falcon", "pyramid", "dash", "fastapi", "starlette", "werkzeug",
    "quart", "litestar", "flask-restful", "connexion", "sanic",
})
# Class names defined by a framework's own source (used to explain a framework repository).
FRAMEWORK_CLASSES = frozenset({"Flask", "Bottle", "Dash", "FastAPI", "Starlette", "Quart", "Litestar"})
