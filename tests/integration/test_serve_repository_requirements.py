"""`shipyard serve --install web/` on an app folder of a repository whose one requirements.txt sits at its root, with
real uv installs and a real server (enclosing_deps.py, proving.prove):

- the root's pins are the app's (FastAPI 0.63.0, which brings Starlette 0.13.6), read from above while web/ stays
  the app's root (its imports, its static folder);
- Starlette 0.13.6's StaticFiles imports aiofiles, which neither Starlette nor the app's requirements name: the
  import proof adds it, and serve's .venv installs it, so the static files answer."""

from __future__ import annotations

import pytest

from conftest import free_port, make_tree, require_tool
from serveutil import Running, get
from shipyard.planner import make_plan

pytestmark = pytest.mark.slow

REPOSITORY = {
    "requirements.txt": "fastapi==0.63.0\n",
    "README.md": "pip install -r requirements.txt, then cd web and run uvicorn main:app\n",
    "web/main.py": """\
        from fastapi import FastAPI
        from fastapi.staticfiles import StaticFiles

        app = FastAPI()
        app.mount("/static", StaticFiles(directory="static"), name="static")


        @app.get("/hello")
        def hello():
            return {"hello": "old starlette"}
        """,
    "web/static/hi.txt": "static from web/\n",
}


def _repository(tmp_path):
    root = make_tree(tmp_path / "tutorial", REPOSITORY)
    (root / ".git").mkdir()      # a clone's root
    return root


def test_the_plan_reads_the_roots_pins_and_adds_what_old_starlette_imports(tmp_path, monkeypatch):
    monkeypatch.setenv("VIRTUAL_ENV", "")
    web = _repository(tmp_path) / "web"
    plan = make_plan(web)
    assert plan.proof.proven, plan.proof.reason
    assert (plan.entry.module, plan.entry.attr, plan.workdir) == ("main", "app", ".")
    assert plan.dependency_files == ("../requirements.txt",)
    by_name = {d.name: d for d in plan.dependencies}
    assert by_name["fastapi"].spec == "==0.63.0" and by_name["fastapi"].source == "../requirements.txt"
    assert by_name["aiofiles"].inferred and plan.proof.seeded == ("aiofiles",)


def test_serve_install_answers_the_static_files_of_the_named_folder(tmp_path):
    require_tool("nginx")
    web = _repository(tmp_path) / "web"
    port = free_port()
    run = Running("serve", "--install", str(web), "--port", str(port), env={"VIRTUAL_ENV": ""})
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 400), run.output
        status, _, body = get(f"http://127.0.0.1:{port}/hello")
        assert (status, body) == (200, '{"hello":"old starlette"}'), run.output
        status, _, body = get(f"http://127.0.0.1:{port}/static/hi.txt")
        assert (status, body) == (200, "static from web/\n"), run.output
    finally:
        run.discard()
    installed = {p.name.split("-")[0].lower() for p in (web / ".venv").glob("lib/python*/site-packages/*.dist-info")}
    assert {"fastapi", "starlette", "aiofiles"} <= installed, installed
    assert not (web.parent / ".venv").exists()      # the app's folder is web/, not the repository's root
