"""A locale the app sets by name at import (`locale.setlocale(locale.LC_ALL, "en_US.UTF-8")`) that this machine
never generated: compiled by localedef into Shipyard's cache, and the app runs with LOCPATH there (PyLander's
calendar_grid.py stopped its import with "unsupported locale setting")."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_tree
from shipyard import appconfig, locales
from shipyard.detect.locale_names import set_locales
from shipyard.project import Project

CALENDAR = """
    import locale
    from locale import setlocale, LC_TIME

    locale.setlocale(locale.LC_ALL, "en_US.UTF-8")
    setlocale(LC_TIME, locale="de_DE.utf8")
    locale.setlocale(locale.LC_ALL, "")          # the user's own
    locale.setlocale(locale.LC_ALL, "C.UTF-8")   # no language: every glibc has it
    locale.setlocale(locale.LC_ALL, "en_US.UTF-8")
    """


def test_the_locales_the_code_sets_by_name(tmp_path):
    assert set_locales(Project(make_tree(tmp_path, {"app/grid.py": CALENDAR}))) == ("en_US.UTF-8", "de_DE.utf8")
    assert set_locales(Project(make_tree(tmp_path / "none", {"app.py": "import locale\n"}))) == ()


def test_a_locale_the_machine_has_needs_nothing(tmp_path):
    assert locales.locale_path(("en_US.UTF-8",), tmp_path, frozenset({"en_US.utf8", "C.utf8"})) == (None, [])


def test_without_localedef_the_line_says_to_generate_it(tmp_path, monkeypatch):
    monkeypatch.setattr(locales.shutil, "which", lambda name: None)
    path, notes = locales.locale_path(("en_US.UTF-8",), tmp_path, frozenset())
    assert path is None and "locale-gen en_US.UTF-8" in notes[0]


@pytest.mark.skipif(shutil.which("localedef") is None or not Path("/usr/share/i18n/locales/en_US").is_file(),
                    reason="needs glibc's localedef and its locale sources")
def test_a_missing_locale_is_compiled_into_the_cache_and_the_app_runs_with_locpath(tmp_path):
    root = make_tree(tmp_path / "app", {"grid.py": "import locale\n\nlocale.setlocale(locale.LC_ALL, 'en_US.UTF-8')\n"})
    config = appconfig.run_config(root, ".", {"XDG_CACHE_HOME": str(tmp_path / "cache")}, mode="proof")
    folder = tmp_path / "cache" / "shipyard" / "locales"
    if locales._key("en_US.UTF-8") in locales.installed():
        assert "LOCPATH" not in config.environ     # this machine has it: nothing to make
        return
    assert config.environ["LOCPATH"] == str(folder) and (folder / "en_US.UTF-8" / "LC_CTYPE").is_file()
    assert any("compiled into" in n for n in config.notes)
    done = subprocess.run([sys.executable, "-c", "import grid"], cwd=root, capture_output=True, text=True,
                          env={"LOCPATH": config.environ["LOCPATH"], "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    without = subprocess.run([sys.executable, "-c", "import grid"], cwd=root, capture_output=True, text=True,
                             env={"PATH": "/usr/bin:/bin"})
    assert "unsupported locale setting" in without.stderr


def test_the_image_compiles_the_locales_the_code_sets_in_the_builder_and_runs_with_locpath(tmp_path, monkeypatch):
    from shipyard.plan import Plan
    from shipyard.planner import make_plan
    from shipyard.render import Target, render
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "app", {
        "app.py": "import locale\nfrom flask import Flask\n\nlocale.setlocale(locale.LC_ALL, 'de_DE.utf8')\n"
                  "locale.setlocale(locale.LC_TIME, 'sr_RS@latin')\napp = Flask(__name__)\n",
        "requirements.txt": "Flask==3.0.3\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.locales == ("de_DE.utf8", "sr_RS@latin") and Plan.from_json(plan.to_json()) == plan
    dockerfile = render(plan, Target.image())["Dockerfile"]
    builder, final = dockerfile.split("\nFROM ${BASE}")
    assert ("&& { localedef -i de_DE -f UTF-8 /opt/locales/de_DE.utf8 || test -f /opt/locales/de_DE.utf8/LC_CTYPE; }"
            in builder), builder
    assert "localedef -i sr_RS@latin -f UTF-8 /opt/locales/sr_RS@latin" in builder
    assert "apt-get install -y --no-install-recommends locales" in builder and "locales" not in final.replace(
        "/opt/locales", "")
    assert "    LOCPATH=/opt/locales \\\n" in final and "COPY --from=builder /opt/locales /opt/locales\n" in final
    # an app that sets none: nothing of it
    (root / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    assert "locale" not in render(make_plan(root, confirm=False, installed=False), Target.image())["Dockerfile"]
