"""A Starlette Router served as the app (detect/frameworks.py, appscan.arg_syms): sites of Starlette 0.9-0.11 wrote
`app = Router(routes=[...])` and ran `uvicorn main:app` (a 2019 personal site: "no web app found" before). A Router
mounted into a Starlette app (`Mount('/api', app=api)`, in the same module or imported, or whose `.routes` the app
takes) is part of that app, not a second one. The chosen Router loaded by the dev environment's Starlette answers
an ASGI request."""

from __future__ import annotations

import json

import pytest

from conftest import asgi_get, make_tree
from shipyard.detect.entry import find
from shipyard.project import Project

HOME = ("from starlette.responses import PlainTextResponse\n\n"
        "async def homepage(request):\n    return PlainTextResponse('home')\n\n")



def _entry(root) -> tuple[str, str]:
    found = find(Project(root), None)
    return found.framework, f"{found.workdir}|{found.entry.target}"


def test_a_router_nothing_mounts_is_the_app(tmp_path):
    root = make_tree(tmp_path / "site", {
        "main.py": "from starlette.routing import Router, Route\n" + HOME
                   + "app = Router(routes=[Route('/', homepage)])\n",
        "requirements.txt": "starlette\nuvicorn\n"})
    assert _entry(root) == ("starlette", ".|main:app")
    done = asgi_get(root, "main", "/")
    assert done.returncode == 0 and json.loads(done.stdout) == [200, "home"], done.stderr


@pytest.mark.parametrize("files, path", [
    # mounted in the same module
    ({"main.py": "from starlette.applications import Starlette\nfrom starlette.routing import Router, Route, Mount\n"
                + HOME + "api = Router(routes=[Route('/', homepage)])\n"
                "app = Starlette(routes=[Route('/', homepage), Mount('/api', app=api)])\n"}, "/api/"),
    # positionally, in a tuple
    ({"main.py": "from starlette.applications import Starlette\nfrom starlette.routing import Router, Route, Mount\n"
                + HOME + "api = Router([Route('/', homepage)])\n"
                "app = Starlette(routes=(Mount('/api', api),))\n"}, "/api/"),
    # imported from another module
    ({"api.py": "from starlette.routing import Router, Route\n" + HOME + "router = Router(routes=[Route('/', homepage)])\n",
     "main.py": "from starlette.applications import Starlette\nfrom starlette.routing import Mount\n"
                "from api import router\n\napp = Starlette(routes=[Mount('/api', app=router)])\n"}, "/api/"),
    # its routes taken
    ({"main.py": "from starlette.applications import Starlette\nfrom starlette.routing import Router, Route\n"
                + HOME + "api = Router(routes=[Route('/', homepage)])\napp = Starlette(routes=api.routes)\n"}, "/"),
])
def test_a_mounted_router_is_part_of_the_app(tmp_path, files, path):
    root = make_tree(tmp_path / "site", {**files, "requirements.txt": "starlette\nuvicorn\n"})
    assert _entry(root) == ("starlette", ".|main:app")
    # the mounted Router's route, through the app
    done = asgi_get(root, "main", path)
    assert done.returncode == 0 and json.loads(done.stdout) == [200, "home"], done.stderr
