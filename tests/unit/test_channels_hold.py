"""channels held below 4 for an app whose ProtocolTypeRouter names no "http" route (detect/channels_hold.py): Channels
2 and 3 filled that route in with Django's views, Channels 4 answers every page with "No application configured for
scope type 'http'". (Met: the corpus's Django 3.0 e-learning app, whose educa/routing.py routes "websocket" only.)"""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect import deps, holds, imports
from shipyard.project import Project
from test_crispy_hold import declared

ROUTER = ("from channels.routing import ProtocolTypeRouter, URLRouter\n"
          "application = ProtocolTypeRouter({{{routes}\n    'websocket': URLRouter([]),\n}})\n")


def app(tmp_path, requirements=None, http=False):
    tree = {"manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
            "site1/__init__.py": "", "site1/settings.py": 'INSTALLED_APPS = ["channels"]\n'
                                                          'ASGI_APPLICATION = "site1.routing.application"\n',
            "site1/routing.py": ROUTER.format(routes="\n    'http': get_asgi_application()," if http else "")}
    if requirements is not None:
        tree["requirements.txt"] = requirements
    return make_tree(tmp_path, tree)


@pytest.mark.parametrize("written, held", [("Django==3.0.14\nchannels\n", "channels<4"),
                                           ("Django==3.0.14\nchannels>=2.4\n", "channels>=2.4,<4")])
def test_an_open_channels_under_a_router_with_no_http_route_is_held_below_4(tmp_path, written, held):
    lines, notes = declared(app(tmp_path, written))
    assert held in lines, lines
    assert any(n.startswith("channels held below 4") and "site1/routing.py" in n for n in notes), notes
    assert holds.app_line(held) == written.split()[1]


@pytest.mark.parametrize("written, http", [("Django\nchannels==4.0.0\n", False), ("Django\nchannels>=4\n", False),
                                           ("Django\nchannels\n", True)])
def test_a_router_with_http_or_the_authors_channels_is_left(tmp_path, written, http):
    lines, notes = declared(app(tmp_path, written, http=http))
    assert lines == written.split(), lines
    assert not any(n.startswith("channels held") for n in notes), notes


def test_an_undeclared_channels_inferred_from_the_settings_is_held_too(tmp_path):
    project = Project(app(tmp_path))
    found = imports.infer(project, None, deps.declared(project), installed=False)
    assert "channels<4" in [d.requirement for d in found.dependencies], found.dependencies
    assert any(n.startswith("channels held below 4") for n in found.notes), found.notes
