"""An ASGI 2 app ("double callable": Channels 2's ProtocolTypeRouter, called with the scope, returns the instance
to await with receive and send) is proven by its import, marked in the plan, and served through
shipyard_entry.py, which speaks ASGI 3 to the server."""

from __future__ import annotations

import asyncio
import shutil
import sys

from shipyard.detect import probe
from shipyard.planner import make_plan
from shipyard.render.render import ENTRY_SHIM, needs_shim, render, served_entry

from conftest import FIXTURES, get_through_shim

APP = FIXTURES / "apps" / "django_asgi2"


class Router:
    def __call__(self, scope):
        async def instance(receive, send):
            pass
        return instance


def test_the_probe_takes_a_call_with_the_scope_alone_for_asgi2():
    assert probe.check(Router(), "asgi") == {"ok": True, "type": "Router", "asgi2": True}

    async def asgi3(scope, receive, send):
        pass
    assert probe.check(asgi3, "asgi") == {"ok": True, "type": "function"}
    assert probe.check(lambda a, b: None, "asgi")["error"] == "wrong_interface"


def test_an_asgi2_app_is_served_through_the_shim_that_speaks_asgi3(tmp_path):
    root = shutil.copytree(APP, tmp_path / "app")
    plan = make_plan(root, python_exe=sys.executable)         # Shipyard's own Python has Django
    assert plan.proof.proven and plan.proof.asgi2 and plan.entry.asgi2, plan.proof
    assert needs_shim(plan) and served_entry(plan).target == "shipyard_entry:app"
    (root / ENTRY_SHIM).write_text(render(plan, only=(ENTRY_SHIM,))[ENTRY_SHIM])
    # the server's one call, (scope, receive, send), reaches the app's two
    done = get_through_shim(root, {"DJANGO_SETTINGS_MODULE": "mysite.settings", "PATH": "/usr/bin:/bin"})
    assert done.stdout.strip() == '[200, "asgi2 router: the ASGI 2 router"]', done.stderr
    assert plan.to_json() and type(plan).from_json(plan.to_json()).entry.asgi2      # kept through JSON
