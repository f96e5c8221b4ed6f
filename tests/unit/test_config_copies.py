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
