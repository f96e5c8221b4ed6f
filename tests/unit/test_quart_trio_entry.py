"""quart-trio's QuartTrio is a Quart app (on trio): `app = QuartTrio(__name__)` in server.py was "no web app
found"."""

from __future__ import annotations

from conftest import make_tree
from shipyard.planner import make_plan

SERVER = ("import trio\nfrom quart import render_template\nfrom quart_trio import QuartTrio\n\n"
          "app = QuartTrio(__name__, template_folder='templates')\n\n\n"
          "@app.route('/')\nasync def index():\n    return await render_template('index.html')\n\n\n"
          "if __name__ == '__main__':\n    trio.run(app.run_task)\n")


def test_a_quart_trio_app_is_the_entry(tmp_path):
    root = make_tree(tmp_path, {"server.py": SERVER, "requirements.txt": "quart==0.16.3\nquart-trio==0.9.1\n",
                                "templates/index.html": "hi\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.framework, plan.entry.target, plan.entry.interface) == ("quart", "server:app", "asgi")
    # imported as `import quart_trio` too
    (root / "server.py").write_text(SERVER.replace("from quart_trio import QuartTrio", "import quart_trio")
                                    .replace("= QuartTrio(", "= quart_trio.QuartTrio("))
    assert make_plan(root, confirm=False, installed=False).entry.target == "server:app"
