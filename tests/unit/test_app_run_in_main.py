"""A Flask app set up and started only inside the script's own `async def main()` (routes added by functions it
awaits, then `app.run()`), run by `asyncio.run(main())`: no module holds the app with its routes, and the error
says so and what to do, not only "no web app found" with a hint to pass --entry to the bare app."""
from __future__ import annotations

import pytest

from shipyard.detect import entry
from shipyard.errors import AppNotFound
from shipyard.project import Project

from conftest import make_tree

FLASKER = """
    from flask import Flask


    def create_flask():
        app = Flask(__name__)
        return {"app": app}


    flask_dict = create_flask()
    app_ = flask_dict["app"]
    """


@pytest.mark.parametrize("main", [
    # the app imported, its routes added by an awaited function, then run
    """
    import asyncio

    from web.flasker import app_
    from web.routes import add_routes


    async def main():
        await add_routes(app_)
        app_.run(debug=True)


    if __name__ == "__main__":
        asyncio.run(main())
    """,
    # the app what an awaited function of the project returns, routes added (a 2024 referral service)
    """
    import asyncio

    from web.routes import app_router


    async def main():
        app = await app_router()
        app.run(debug=True)


    if __name__ == "__main__":
        asyncio.run(main())
    """,
])
def test_an_app_started_only_inside_the_scripts_main_is_said_with_what_to_do(tmp_path, main):
    make_tree(tmp_path, {
        "main.py": main,
        "web/__init__.py": "",
        "web/flasker.py": FLASKER,
        "web/routes.py": """
            from web.flasker import app_


            async def add_routes(app):
                @app.route("/")
                def home():
                    return "home"


            async def app_router():
                await add_routes(app_)
                return app_
            """,
    })
    with pytest.raises(AppNotFound) as raised:
        entry.find(Project(tmp_path), None)
    assert "main.py sets its app up and starts it only inside its main() (`app" in raised.value.message
    assert "run(debug=True)` there)" in raised.value.message
    assert "its routes at module level, or in a create_app()" in raised.value.hint
    assert "python main.py" in raised.value.hint


def test_a_script_that_runs_only_a_module_is_not_said_so(tmp_path):
    # main() calls asyncio.run / subprocess.run on modules, no app: the plain message stays
    make_tree(tmp_path, {
        "main.py": """
            import subprocess


            def main():
                subprocess.run(["echo"])


            if __name__ == "__main__":
                main()
            """,
    })
    with pytest.raises(AppNotFound) as raised:
        entry.find(Project(tmp_path), None)
    assert "no web app found" in raised.value.message and "sets its app up" not in raised.value.message
