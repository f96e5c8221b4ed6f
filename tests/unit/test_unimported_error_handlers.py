"""A module that only adds error handlers to an app made elsewhere, imported by nothing and running nothing, while
the app's routes are registered by its own module: the app never ran with it, so it is neither a part the entry must
register nor the module to serve."""
from __future__ import annotations

from shipyard.detect import entry
from shipyard.project import Project

from conftest import make_tree

APP = """
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/list/")
    async def listing():
        return []
    """

HANDLER = """
    import fastapi

    from app import app


    @app.exception_handler(ValueError)
    async def value_error(request, exc):
        return fastapi.responses.JSONResponse({"message": str(exc)}, status_code=400)
    """


def test_an_unimported_module_of_error_handlers_is_not_the_entry(tmp_path):
    # backend/app.py makes the app and its routes; exception_handler.py adds a handler but nothing imports it;
    # main.py runs uvicorn.run("app:app") (a 2023 notifications API)
    make_tree(tmp_path, {
        "app.py": APP,
        "exception_handler.py": HANDLER,
        "main.py": """
            import uvicorn

            if __name__ == "__main__":
                uvicorn.run("app:app", port=8000)
            """,
    })
    assert entry.find(Project(tmp_path), None).entry.target == "app:app"


def test_an_imported_module_of_error_handlers_stays_the_app_s(tmp_path):
    # server.py imports the handlers' module: the app runs with them, so the module that imports them is the entry
    make_tree(tmp_path, {
        "app.py": APP,
        "exception_handler.py": HANDLER,
        "server.py": """
            from exception_handler import app
            """,
    })
    assert entry.find(Project(tmp_path), None).entry.target == "server:app"
