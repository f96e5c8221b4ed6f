"""A requirements.txt frozen from an Ubuntu system Python (detect/system_freeze.py): its apt packages the code does
not use are left out of the installs and overridden away in the image; one the code imports stays."""

from __future__ import annotations

from conftest import make_tree
from shipyard.detect import deps
from shipyard.detect.system_freeze import frozen_from_system, is_system
from shipyard.project import Project

FREEZE = """\
asgiref==3.5.0
command-not-found==0.3
dbus-python==1.2.18
distro-info==1.1+ubuntu0.1
Django==3.2.12
PyGObject==3.42.1
python-apt==2.4.0+ubuntu2
ufw==0.36.1
whitenoise==6.6.0
"""


def test_a_system_pythons_packages_the_code_does_not_use_are_skipped_and_overridden_in_the_image(tmp_path):
    project = Project(make_tree(tmp_path, {"requirements.txt": FREEZE,
                                           "site/settings.py": "import gi\nINSTALLED_APPS = ['django.contrib.admin']\n"}))
    declared = deps.declared(project)
    assert [d.name for d in declared.dependencies] == ["asgiref", "Django", "PyGObject", "whitenoise"]
    assert any("command-not-found, dbus-python, distro-info, python-apt, ufw (remove them" in n
               for n in declared.notes), declared.notes
    assert deps.freeze_artifacts(project, declared.files) == ("command-not-found", "dbus-python", "distro-info",
                                                              "python-apt", "ufw")
    assert frozen_from_system(project)


def test_an_app_without_them_is_untouched():
    assert not is_system("Django==3.2.12") and not is_system("PyYAML==5.4.1")
    assert is_system("python-apt==2.4.0+ubuntu2") and is_system("netifaces==0.11.0-1build2") and is_system("ufw")


def test_a_freeze_of_an_ubuntu_1804_python_with_arbitrary_equality_pins(tmp_path):
    """Ubuntu 18.04's pip freeze writes `===` for the versions PEP 440 cannot read (reportbug===7.1.8ubuntu1,
    ubuntu-dev-tools===0.175-18.04.2): the system's own packages, which uv refuses to parse; they are left out as
    the others are, while an ordinary `===` pin of a PEP 440 version stays the app's."""
    assert is_system("reportbug===7.1.8ubuntu1") and is_system("ubuntu-dev-tools===0.175-18.04.2")
    assert not is_system("somepkg===1.0.2") and not is_system("Flask==2.0.0")
    project = Project(make_tree(tmp_path, {"requirements.txt": "Flask==2.0.0\nreportbug===7.1.8ubuntu1\n"
                                           "ubuntu-dev-tools===0.175-18.04.2\nsomepkg===1.0.2\n",
                                           "app.py": "from flask import Flask\napp = Flask(__name__)\n"}))
    assert [d.name for d in deps.declared(project).dependencies] == ["Flask", "somepkg"]
