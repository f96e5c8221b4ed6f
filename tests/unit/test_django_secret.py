"""Django settings that never set SECRET_KEY (it lived in a .gitignore'd local_settings.py): found statically, and
given a throwaway key through serve's settings module, which Django really loads over the app's settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import make_tree
from shipyard import appconfig, serve_settings
from shipyard.detect.django_secret import unset_secret_key
from shipyard.project import Project

SETTINGS_TAIL = """
try:
    from .local_settings import *
except ImportError:
    pass
"""


@pytest.mark.parametrize("files, unset", [
    # the castles shape: no key anywhere, the module that held it is not in the clone
    ({"castle/settings.py": "DEBUG = True\n" + SETTINGS_TAIL}, True),
    ({"castle/settings.py": "SECRET_KEY = 'x'\n" + SETTINGS_TAIL}, False),
    # an empty placeholder (a 2021 blog's; its Dockerfile writes the real one in): Django refuses it as unset
    ({"castle/settings.py": "SECRET_KEY = ''\n" + SETTINGS_TAIL}, True),
    ({"castle/settings.py": "import os\nSECRET_KEY = ''\nSECRET_KEY = os.environ['KEY']\n"}, False),
    ({"castle/settings.py": "import os\nSECRET_KEY = os.environ.get('SECRET_KEY')\n"}, False),
    ({"castle/settings.py": "if True:\n    SECRET_KEY, DEBUG = 'x', True\n"}, False),
    # imported by name from a module of the project: there, it gives it; missing, it does not
    ({"castle/settings.py": "from .secrets import SECRET_KEY\n", "castle/secrets.py": "SECRET_KEY = 'x'\n"}, False),
    ({"castle/settings.py": "try:\n    from .secrets import SECRET_KEY\nexcept ImportError:\n    pass\n"}, True),
    # another distribution's module (a settings helper package) may give it
    ({"castle/settings.py": "from shared_settings import SECRET_KEY\n"}, False),
    # a settings package: base.py star-imported, with the key or without
    ({"castle/settings/__init__.py": "from .base import *\n" + SETTINGS_TAIL,
      "castle/settings/base.py": "SECRET_KEY = 'x'\n"}, False),
    ({"castle/settings/__init__.py": "from .base import *\n" + SETTINGS_TAIL,
      "castle/settings/base.py": "DEBUG = True\n"}, True),
    # written in ways not read here: the app's own error stands
    ({"castle/settings.py": "import django_heroku\ndjango_heroku.settings(locals())\n"}, False),
    ({"castle/settings.py": "globals().update({'SECRET_KEY': 'x'})\n"}, False),
])
def test_settings_that_set_no_secret_key(tmp_path, files, unset):
    make_tree(tmp_path, {"manage.py": "", **files})
    found = unset_secret_key(Project(tmp_path), ".", "castle.settings")
    assert (found is not None) == unset
    if unset:
        assert found in files


def test_no_settings_module_or_file_is_not_read(tmp_path):
    make_tree(tmp_path, {"castle/settings.py": "DEBUG = True\n"})
    assert unset_secret_key(Project(tmp_path), ".", None) is None
    assert unset_secret_key(Project(tmp_path), ".", "other.settings") is None


def _castles(tmp_path):
    """A project in backend/ whose settings import a local_settings.py the clone lacks."""
    return make_tree(tmp_path / "app", {
        "backend/manage.py": "",
        "backend/castle/__init__.py": "",
        "backend/castle/settings.py": "DEBUG = False\nINSTALLED_APPS = []\nALLOWED_HOSTS = ['*']\n"
                                    "DATABASES = {}\n" + SETTINGS_TAIL,
        ".gitignore": "local_settings.py\n",
    })


@pytest.mark.parametrize("mode", ["proof", "serve"])
def test_serve_settings_give_django_a_key_where_the_settings_set_none(tmp_path, mode):
    root = _castles(tmp_path)
    environ = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(tmp_path / "mine")}
    secret_file = tmp_path / "data" / "secret_key" if mode == "serve" else None
    config = appconfig.run_config(root, "backend", environ, mode=mode, secret_file=secret_file,
                                  django_settings="castle.settings")
    given = config.under(environ)
    assert given["DJANGO_SETTINGS_MODULE"] == serve_settings.MODULE
    assert given[serve_settings.APP_SETTINGS] == "castle.settings"
    # the module's folder goes in front of the environment's own path, which stays
    folder = tmp_path / "cache" / "shipyard" / f"django-settings-{serve_settings.VERSION}"
    assert given["PYTHONPATH"].split(os.pathsep) == [str(folder), str(tmp_path / "mine")]
    assert (folder / f"{serve_settings.MODULE}.py").read_text() == serve_settings.SOURCE
    assert any("sets no SECRET_KEY" in note and "backend/castle/settings.py" in note for note in config.notes)
    if secret_file is not None:
        assert secret_file.read_text().strip() == given[serve_settings.SECRET_KEY]    # kept between runs
    assert not list(root.rglob(f"{serve_settings.MODULE}.py"))                       # never in the app's folder

    # Django itself loads it: the app's settings, with the key, from the app's workdir
    probe = ("import json, django\nfrom django.conf import settings\ndjango.setup()\n"
             "print(json.dumps([settings.SECRET_KEY, settings.DEBUG, settings.ALLOWED_HOSTS]))")
    env = {**os.environ, **given}
    env["PYTHONPATH"] = os.pathsep.join([given["PYTHONPATH"], os.environ.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-c", probe], cwd=root / "backend", env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    key, debug, hosts = json.loads(done.stdout)
    assert key == given[serve_settings.SECRET_KEY] and len(key) > 40
    assert (debug, hosts) == (False, ["*"])


def test_a_key_in_the_settings_or_a_settings_module_of_yours_is_left_alone(tmp_path):
    root = _castles(tmp_path)
    (root / "backend/castle/settings.py").write_text("SECRET_KEY = 'mine'\n" + SETTINGS_TAIL)
    config = appconfig.run_config(root, "backend", {"XDG_CACHE_HOME": str(tmp_path / "c")}, mode="proof",
                                  django_settings="castle.settings")
    assert "DJANGO_SETTINGS_MODULE" not in config.environ and not config.prepend
    (root / "backend/castle/settings.py").write_text("DEBUG = True\n" + SETTINGS_TAIL)
    config = appconfig.run_config(root, "backend", {"XDG_CACHE_HOME": str(tmp_path / "c"),
                                                    "DJANGO_SETTINGS_MODULE": "castle.mine"},
                                  mode="proof", django_settings="castle.settings")
    assert "DJANGO_SETTINGS_MODULE" not in config.environ and not config.prepend


def test_a_mezzanine_shaped_settings_without_its_local_settings_gets_a_key_and_local_hosts(tmp_path):
    # Mezzanine's settings.py: DEBUG False, no SECRET_KEY nor ALLOWED_HOSTS, exec of local_settings.py when the
    # file exists (a clone has none), then set_dynamic_settings(globals()), which puts a lazy host list (the sites'
    # domains) in ALLOWED_HOSTS when none is set: Django 4.2 refuses it at import ("must be a list or a tuple").
    # The exec under `if os.path.exists` and globals() given to set_dynamic_settings write no key of the checkout's
    conf = ("class SitesAllowedHosts:\n    def __iter__(self):\n        return iter(['example.com'])\n\n\n"
            "def set_dynamic_settings(s):\n    s.setdefault('ALLOWED_HOSTS', SitesAllowedHosts())\n")
    settings = ("import os\nDEBUG = False\nINSTALLED_APPS = []\nDATABASES = {}\nROOT_URLCONF = 'castle.urls'\n"
                "f = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'local_settings.py')\n"
                "if os.path.exists(f):\n    exec(open(f, 'rb').read())\n\n"
                "from castle.conf import set_dynamic_settings\nset_dynamic_settings(globals())\n")
    root = make_tree(tmp_path / "app", {"site/manage.py": "", "site/castle/__init__.py": "",
                                        "site/castle/conf.py": conf, "site/castle/settings.py": settings,
                                        "site/castle/urls.py": "urlpatterns = []\n"})
    assert unset_secret_key(Project(root), "site", "castle.settings") == "site/castle/settings.py"
    environ = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    given = appconfig.run_config(root, "site", environ, mode="proof", django_settings="castle.settings").under(environ)
    probe = ("import json, django\nfrom django.conf import settings\ndjango.setup()\n"
             "print(json.dumps([bool(settings.SECRET_KEY), list(settings.ALLOWED_HOSTS)]))")
    env = {**os.environ, **given}
    env["PYTHONPATH"] = os.pathsep.join([given["PYTHONPATH"], os.environ.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-c", probe], cwd=root / "site", env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [True, ["127.0.0.1", "localhost", "[::1]"]]
    # a settings module that execs a file the checkout has, unguarded, may set the key: left alone
    (root / "site/castle/settings.py").write_text(settings.replace("if os.path.exists(f):\n    exec(", "exec("))
    assert unset_secret_key(Project(root), "site", "castle.settings") is None
