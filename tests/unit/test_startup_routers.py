"""A FastAPI app whose routers are included inside its start-up hook (`@app.on_event("startup")`, a lifespan
function): the hook's imports and registrations are the app's, and a module nobody imports that repeats them at its
top (the layout before the hook) is a leftover copy, not the module that "registers every route"."""
from __future__ import annotations

from shipyard.detect import appscan, entry
from shipyard.project import Project

from conftest import make_tree

ROUTER = """
    from fastapi import APIRouter

    router = APIRouter()


    @router.get("/{name}")
    def read(name: str):
        return {"name": name}
    """


def test_routers_included_in_the_startup_hook_leave_the_old_module_that_included_them_at_its_top(tmp_path):
    # base/settings.py makes the app; base/event_handle.py includes the routers in `@app.on_event("startup")`;
    # base/routers.py, whose import main.py has commented out, includes the same routers at its top; the
    # Procfile and main.py's uvicorn.run serve main:app (a 2022 news API): not base.routers:app
    make_tree(tmp_path, {
        "main.py": """
            import uvicorn

            # from base.routers import app
            from base.event_handle import app

            if __name__ == "__main__":
                uvicorn.run("main:app", port=8080)
            """,
        "base/__init__.py": "",
        "base/settings.py": """
            from fastapi import FastAPI

            app = FastAPI(title="news")
            """,
        "base/event_handle.py": """
            from .settings import app


            @app.on_event("startup")
            async def startup():
                from api import news, users
                app.include_router(news.router, prefix="/news")
                app.include_router(users.router)
            """,
        "base/routers.py": """
            from .settings import app
            from .event_handle import *
            from api import news, users

            app.include_router(news.router, prefix="/news")
            app.include_router(users.router)
            """,
        "api/__init__.py": "",
        "api/news.py": ROUTER,
        "api/users.py": ROUTER,
        "Procfile": "web: gunicorn -k uvicorn.workers.UvicornWorker main:app\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "main:app"), found


def test_a_module_that_registers_more_than_the_startup_hook_is_no_copy(tmp_path):
    # routes_all.py, imported by nothing, includes a router the hook does not: it is not the hook's leftover, so
    # it stays among the registrations (the entry that has them all is its)
    make_tree(tmp_path, {
        "main.py": """
            from contextlib import asynccontextmanager

            from fastapi import FastAPI


            @asynccontextmanager
            async def lifespan(app):
                from api import news
                app.include_router(news.router)
                yield


            app = FastAPI(lifespan=lifespan)
            """,
        "routes_all.py": """
            from main import app
            from api import news, users

            app.include_router(news.router)
            app.include_router(users.router)
            """,
        "api/__init__.py": "",
        "api/news.py": ROUTER,
        "api/users.py": ROUTER,
    })
    assert entry.find(Project(tmp_path), None).entry.target == "routes_all:app"


def test_a_lifespan_function_s_routers_are_the_app_s(tmp_path):
    # main.py's lifespan includes the routers; server.py, imported by nothing, is the old copy including them at
    # its top: main:app is the app
    make_tree(tmp_path, {
        "main.py": """
            from contextlib import asynccontextmanager

            from fastapi import FastAPI

            import api


            @asynccontextmanager
            async def lifespan(application: FastAPI):
                app.include_router(api.router)
                yield


            app = FastAPI(lifespan=lifespan)
            """,
        "server.py": """
            from main import app
            import api

            app.include_router(api.router)
            """,
        "api.py": ROUTER,
    })
    assert entry.find(Project(tmp_path), None).entry.target == "main:app"


def test_the_scan_reads_the_imports_and_registrations_of_each_kind_of_startup_hook():
    for source in (
        'from fastapi import FastAPI\napp = FastAPI()\n@app.on_event("startup")\n'
        'async def s():\n    from api import news\n    app.include_router(news.router)\n',
        'from fastapi import FastAPI\napp = FastAPI()\nasync def s():\n    from api import news\n'
        '    app.include_router(news.router)\napp.add_event_handler("startup", s)\n',
        'from starlette.applications import Starlette\napp = Starlette()\nasync def s():\n    from api import news\n'
        '    app.include_router(news.router)\napp = Starlette(on_startup=[s])\n',
        'from quart import Quart\napp = Quart(__name__)\n@app.before_serving\n'
        'async def s():\n    from api import news\n    app.include_router(news.router)\n',
    ):
        scan = appscan.scan("main.py", source)
        assert [imp.module for imp in scan.startup_imports] == ["api"], source
        assert scan.startup_registrations == {"include_router(news.router)"}, source
    # a function that is no hook: neither
    scan = appscan.scan("main.py", "from fastapi import FastAPI\napp = FastAPI()\n"
                        "def later():\n    from api import news\n    app.include_router(news.router)\n")
    assert not scan.startup_imports and not scan.startup_registrations
