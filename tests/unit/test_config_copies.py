"""serve and dev copy a configuration file's example to the name the app's code opens (run/config_copies.py), as
the README's `cp config.example.ini config.ini` does: once, never over the user's own file."""

from __future__ import annotations

from shipyard.run.config_copies import copy_config_examples

from conftest import make_tree

APP = {"rana/run.py": "from configparser import ConfigParser\ncfg = ConfigParser()\ncfg.read('config.ini')\n"
                      "KEYS = open('conf/keys.json')\n",
       "config.example.ini": "[rana:database]\nhost=localhost\nuser=rana\npassword=123\n",
       "conf/keys.json.sample": "{}\n",
       "data.yaml.example": "x: 1\n"}            # an example no code opens: left alone


def test_the_examples_of_the_files_the_code_opens_are_copied_once(tmp_path):
    root = make_tree(tmp_path / "app", APP)
    said: list[str] = []
    assert copy_config_examples(root, ".", said.append) == ["config.ini", "conf/keys.json"]
    assert (root / "config.ini").read_text() == APP["config.example.ini"]
    assert (root / "conf/keys.json").read_text() == "{}\n"
    assert not (root / "data.yaml").exists()
    assert "config.ini: the app's code opens it and the project ships only its example config.example.ini" in said[0]
    # the copy is the user's now: edited, it stays as it is
    (root / "config.ini").write_text("[rana:database]\nhost=db.example.com\n")
    assert copy_config_examples(root, ".", said.append) == []
    assert (root / "config.ini").read_text() == "[rana:database]\nhost=db.example.com\n"


def test_the_names_are_relative_to_the_folder_the_app_runs_in(tmp_path):
    root = make_tree(tmp_path / "repo", {"backend/main.py": "import json\nCONF = json.load(open('settings.json'))\n",
                                         "backend/settings.json.example": "{\"debug\": false}\n",
                                         "settings.json.example": "{}\n"})
    assert copy_config_examples(root, "backend", lambda line: None) == ["backend/settings.json"]
    assert (root / "backend/settings.json").read_text() == "{\"debug\": false}\n"
    assert not (root / "settings.json").exists()


SETTINGS_MODULES = {
    # app/base.py imports app/config/main.py, kept out of git; its example is the config package's lone module
    "app/__init__.py": "from flask import Flask\nfrom app.base import engine\napp = Flask(__name__)\n",
    "app/base.py": "from app.config.main import SQLALCHEMY_URI\nengine = SQLALCHEMY_URI\n",
    "app/config/example.py": "SQLALCHEMY_URI = 'postgresql://username:password@localhost/db_name'\n",
    # README: cp shop/config/config.py.example shop/config/config.py; imported as a name of its package
    "shop/__init__.py": "",
    "shop/config/__init__.py": "",
    "shop/config/config.py.example": "database = 'test_db'\n",
    "shop/app.py": "from shop.config import config\n",
    # an optional module imported under try: the app runs without it, as its author meant
    "shop/settings.py": "try:\n    from .local_settings import *\nexcept ImportError:\n    pass\n",
    "shop/local_settings_example.py": "DEBUG = True\n",
    # example.py beside the package's other modules is no example of a module the code imports from it
    "web/__init__.py": "", "web/views.py": "from web import forms\n", "web/example.py": "X = 1\n",
}


def test_the_examples_of_the_settings_modules_the_code_imports_are_copied(tmp_path):
    root = make_tree(tmp_path / "app", SETTINGS_MODULES)
    said: list[str] = []
    assert copy_config_examples(root, ".", said.append) == ["app/config/main.py", "shop/config/config.py"]
    assert (root / "app/config/main.py").read_text() == SETTINGS_MODULES["app/config/example.py"]
    assert (root / "shop/config/config.py").read_text() == "database = 'test_db'\n"
    assert not (root / "shop/local_settings.py").exists() and not (root / "web/forms.py").exists()
    assert said[0].startswith("app/config/main.py: the app's code imports it and the project ships only its "
                              "example app/config/example.py: copied")
    assert copy_config_examples(root, ".", said.append) == []
