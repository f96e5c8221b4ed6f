"""Of a Pyramid app's paste inis, production.ini is the one served, unless it leaves out a setting the app's
main() reads by subscript (`settings['login.secret']`): main() then raises KeyError before it returns an app, and
the ini that sets it is the one that starts (a 2017 ZODB sandbox's production.ini had no login.secret, which only
development.ini set; `pserve development.ini` was its README's way)."""

from __future__ import annotations

import sys

from shipyard.detect import entry
from shipyard.detect.entry import paste
from shipyard.project import Project

from conftest import make_tree

APP = """
    from pyramid.authentication import AuthTktAuthenticationPolicy
    from pyramid.authorization import ACLAuthorizationPolicy
    from pyramid.config import Configurator
    from pyramid.response import Response


    def home(request):
        return Response("home")


    def main(global_config, **settings):
        config = Configurator(settings=settings)
        config.set_authentication_policy(AuthTktAuthenticationPolicy(settings['login.secret'], hashalg='sha512'))
        config.set_authorization_policy(ACLAuthorizationPolicy())
        config.add_route("home", "/")
        config.add_view(home, route_name="home")
        return config.make_wsgi_app()
    """
PRODUCTION = """
    [app:main]
    use = call:sandbox:main
    pyramid.reload_templates = false
    {extra}
    [server:main]
    use = egg:waitress#main
    listen = *:6543
    """
DEVELOPMENT = """
    [app:main]
    use = call:sandbox:main
    pyramid.reload_templates = true
    login.secret = 98zd

    [server:main]
    use = egg:waitress#main
    listen = localhost:6543
    """


def found(tmp_path, production_extra: str, app: str = APP):
    root = make_tree(tmp_path / "site", {"sandbox/__init__.py": app, "development.ini": DEVELOPMENT,
                                         "production.ini": PRODUCTION.format(extra=production_extra)})
    return root, entry.find(Project(root), None)


def test_the_ini_that_sets_what_main_requires_is_served_when_production_ini_does_not(tmp_path):
    root, f = found(tmp_path, "")
    assert (f.entry.kind, f.entry.paste_ini) == ("paste", "development.ini")
    # and it loads: paste builds the app from it (production.ini's would raise KeyError: 'login.secret')
    entry.confirm(Project(root), f, sys.executable, 30.0)


def test_a_production_ini_with_every_required_setting_stays_first(tmp_path):
    _, f = found(tmp_path, "login.secret = from-production\n")
    assert f.entry.paste_ini == "production.ini"


def test_settings_read_with_a_default_require_nothing(tmp_path):
    _, f = found(tmp_path, "", APP.replace("settings['login.secret']", "settings.get('login.secret', 'x')"))
    assert f.entry.paste_ini == "production.ini"


def test_only_subscripts_of_mains_own_settings_count():
    source = ("def main(global_config, **conf):\n    x = conf['a.b']\n    y = global_config['here']\n"
              "    conf['set.here'] = 1\n    return other['c']\n\n\ndef helper(**settings):\n    return settings['d']\n")
    assert paste.required_settings(source, "main") == frozenset({"a.b"})
    assert paste.required_settings("def main(global_config):\n    return 1\n", "main") == frozenset()
