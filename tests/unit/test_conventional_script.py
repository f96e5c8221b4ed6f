"""Several scripts in one folder, each running an app of its own at import (no `__main__` guard): the one with the
conventional name of an entry is the app (detect/entry/choose.py's conventional_script), with a note naming the
others; without one such name the choice stays the user's."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect import entry
from shipyard.errors import AmbiguousApp
from shipyard.project import Project

BOARD = """\
    from aiohttp import web

    routes = web.RouteTableDef()


    @routes.get("/get_boards")
    async def boards(request):
        return web.json_response([])

    {name} = web.Application()
    {name}.add_routes(routes)
    web.run_app({name})
    """


def test_of_two_scripts_that_each_run_their_app_the_conventionally_named_one_is_the_entry(tmp_path):
    # a 2021 aiohttp imageboard: app.py serves the board, admin.py an admin panel run on its own
    root = make_tree(tmp_path / "board", {"app.py": BOARD.format(name="app"), "admin.py": BOARD.format(name="admin")})
    found = entry.find(Project(root), None)
    assert (found.entry.module, found.entry.attr) == ("app", "app")
    assert any("2 scripts here each run an app of their own (app.py, admin.py): app.py" in n for n in found.notes)


@pytest.mark.parametrize("files", [
    {"board.py": BOARD.format(name="board"), "admin.py": BOARD.format(name="admin")},     # no conventional name
    {"main.py": BOARD.format(name="app"), "server.py": BOARD.format(name="app")},         # two of the same rank
])
def test_without_one_conventional_name_the_choice_is_the_users(tmp_path, files):
    with pytest.raises(AmbiguousApp):
        entry.find(Project(make_tree(tmp_path / "app", files)), None)
