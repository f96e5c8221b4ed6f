"""A module the app imports that the project ships only as a distribution of its own, in a folder with its
setup.cfg (the Django tutorial's reusable-app step: polls/ moved into a django-polls/ folder, still named in
INSTALLED_APPS). The entry stands (not proven, as inspect shows it) and the one line names the folder to install."""

from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.errors import AppConfigError
from shipyard.project import Project

from conftest import make_tree

PY = sys.executable
TIMEOUT = 30.0

APP = {
    "app.py": """
        from flask import Flask
        from polls import bp

        app = Flask(__name__)
        app.register_blueprint(bp)
        """,
    ".packaged/django-polls/polls/__init__.py": """
        from flask import Blueprint

        bp = Blueprint("polls", __name__)
        """,
    ".packaged/django-polls/pyproject.toml": "[build-system]\nrequires = ['setuptools']\n",
}
SETUP_CFG = "[metadata]\nname = django-polls\nversion = 0.1\n\n[options]\npackages = find:\n"


@pytest.mark.parametrize("setup_cfg", [True, False])
def test_a_package_only_in_a_local_distribution_keeps_the_entry_and_names_the_folder_to_install(tmp_path, setup_cfg):
    make_tree(tmp_path, {**APP, **({".packaged/django-polls/setup.cfg": SETUP_CFG} if setup_cfg else {})})
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "app:app"), found
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    named = "(setup.cfg names it django-polls)" if setup_cfg else "(with its pyproject.toml)"
    assert ("app.py:2: importing app:app needs 'polls', which the project has only in its own distribution "
            f".packaged/django-polls/ {named}, not installed and not importable from ./") in failed.value.message
    assert failed.value.hint == ("install it (pip install ./.packaged/django-polls), or put .packaged/django-polls/ "
                                 "on PYTHONPATH, and run again")


def test_the_distributions_the_app_imports_from_folders_of_their_own_are_the_ones_to_install(tmp_path):
    """greeter-lib/ (setup.py, greeter/ inside), inner-lib/ (which greeter imports) and tools/ (pyproject.toml,
    tools/tools/: a folder of the same name as its package, only a namespace from the root) are installed;
    vendor/requests/ is a copy of a package the app declares (the index's); helpers.py and lib/ are importable from
    the root; a guarded import is not needed."""
    from shipyard.detect.entry.local_distribution import needed_local_distributions
    make_tree(tmp_path, {
        "app.py": "import requests\nfrom greeter import greeting\nfrom tools.text import slug\nimport helpers\n"
                  "from lib import util\ntry:\n    import extras\nexcept ImportError:\n    extras = None\n",
        "helpers.py": "", "lib/util.py": "",
        "greeter-lib/setup.py": "from setuptools import setup\nsetup(name='greeter-lib', packages=['greeter'])\n",
        "greeter-lib/greeter/__init__.py": "import inner\n",
        "inner-lib/setup.py": "from setuptools import setup\nsetup(name='inner', packages=['inner'])\n",
        "inner-lib/inner/__init__.py": "",
        "tools/pyproject.toml": "[project]\nname = 'tools'\n", "tools/tools/__init__.py": "", "tools/tools/text.py": "",
        "vendor/requests/setup.py": "from setuptools import setup\nsetup(name='requests', packages=['requests'])\n",
        "vendor/requests/requests/__init__.py": "",
        "extras-lib/setup.py": "from setuptools import setup\nsetup(name='extras', packages=['extras'])\n",
        "extras-lib/extras/__init__.py": "",
    })
    found = needed_local_distributions(Project(tmp_path), ".", ["Flask", "requests"])
    assert [(d.folder, d.name) for d in found] == [("greeter-lib", "greeter-lib"), ("inner-lib", "inner"),
                                                   ("tools", "tools")]
    # the app declares the local one by its own name (its README's `pip install -e`): still the folder's
    assert [d.folder for d in needed_local_distributions(Project(tmp_path), ".", ["greeter-lib", "requests"])] \
        == ["greeter-lib", "inner-lib", "tools"]


GREETER = {
    "app.py": "from flask import Flask\nfrom greeter import greeting\n\napp = Flask(__name__)\n",
    "greeter-lib/setup.py": "from setuptools import setup\nsetup(name='greeter-lib', version='0.3', packages=['greeter'])\n",
    "greeter-lib/greeter/__init__.py": "def greeting(name):\n    return name\n",
}


@pytest.mark.parametrize("line", ["greeter-lib==0.1", "greeter-lib @ file:///home/author/greeter-lib",
                                  "greeter_lib>=0.1"])
def test_a_requirement_naming_the_projects_own_distribution_is_left_out_where_its_folder_is_installed(tmp_path, line):
    # greeter-lib==0.1 (no such release on the index) or a freeze's file:// line of the author's folder: the proof,
    # serve and the image install greeter-lib/ itself, so the line would only stop the install
    from shipyard.detect import deps
    from shipyard.detect.entry.local_distribution import installed_from_folders
    from shipyard.proving import proof_requirements

    make_tree(tmp_path, {**GREETER, "requirements.txt": f"Flask==3.0.3\n{line}\n"})
    declared = deps.declared(Project(tmp_path)).dependencies
    kept, left = installed_from_folders(Project(tmp_path), ".", declared)
    assert [d.requirement for d in kept] == ["Flask==3.0.3"]
    assert left == ((line, f"the app's requirements name {line} (requirements.txt), the project's own distribution "
                           "in greeter-lib/ (setup.py), which is installed from that folder instead"),)
    assert proof_requirements(Project(tmp_path), declared) == ("Flask==3.0.3",)
    # a copy of the index's distribution the app declares (vendor/requests/ beside requests==2.31.0) is no local one
    make_tree(tmp_path, {"app.py": "import requests\n", "requirements.txt": "requests==2.31.0\n",
                         "vendor/requests/setup.py": "from setuptools import setup\nsetup(name='requests')\n",
                         "vendor/requests/requests/__init__.py": ""})
    declared = deps.declared(Project(tmp_path)).dependencies
    assert installed_from_folders(Project(tmp_path), ".", declared)[1] == ()


@pytest.mark.parametrize("lines, dropped", [
    ("greeter-lib==0.1\n", "override"),
    ("greeter-lib @ file:///home/author/greeter-lib\n", "override"),
    ("-e ./greeter-lib\n", "-e ./greeter-lib"),
    ("-e file:///home/author/proj/greeter-lib\n", "-e file:///home/author/proj/greeter-lib"),
])
def test_the_plan_and_the_image_leave_out_the_line_of_a_distribution_installed_from_its_folder(tmp_path, lines,
                                                                                               dropped):
    import subprocess

    from shipyard.planner import make_plan
    from shipyard.render import render

    make_tree(tmp_path, {**GREETER, "requirements.txt": f"Flask==3.0.3\n{lines}"})
    plan = make_plan(tmp_path, confirm=False, installed=False)
    assert plan.local_distributions == ("greeter-lib",)
    assert [d.name for d in plan.dependencies if not d.inferred] == ["Flask"]
    assert [line for line, _ in plan.left_out] == [lines.strip()]
    # a pin no index has is the author's to remove; an editable folder line is a fine way to install it by hand
    note = next(n for n in plan.notes if "which is installed from that folder instead" in n)
    assert ("(remove it from the app's requirements)" in note) == (dropped == "override")
    assert not any("installed from the package index instead" in n for n in plan.notes)
    dockerfile = render(plan)["Dockerfile"]
    assert "COPY greeter-lib /tmp/local-distributions/1" in dockerfile
    if dropped == "override":
        assert "printf '%s\\n' 'greeter-lib ; sys_platform == \"never\"' >/tmp/relaxed-pins.txt" in dockerfile
        assert "sed -i" not in dockerfile
        return
    # uv cannot read a folder that is not in the build (no override drops it): the line is deleted from the copy
    sed = next(line for line in dockerfile.splitlines() if "sed -i -E" in line)
    assert sed.startswith("RUN sed -i -E -e '") and sed.endswith("' requirements.txt \\")
    expression = sed[len("RUN sed -i -E -e '"):-len("' requirements.txt \\")]
    copy = tmp_path / "copy.txt"
    copy.write_bytes(f"Flask==3.0.3\r\n  {dropped}/  # the author's\r\n{dropped}\n{dropped}2\n".encode())
    subprocess.run(["sed", "-i", "-E", "-e", expression, str(copy)], check=True)
    assert copy.read_bytes() == f"Flask==3.0.3\r\n{dropped}2\n".encode()
    assert "relaxed-pins" not in dockerfile


SELF_LINES = {
    "-e .": "installs . editable, the app itself, which the image installs as a package after its dependencies",
    ".": "installs ., the app itself, which the image installs as a package after its dependencies",
    # the author's own repository named by its distribution (setup.py's name): fetching it would install another
    # commit of the app, or fail where the host is out of reach, then be dropped as a package "the code does not
    # import"
    "-e git+https://example.invalid/author/my-app.git#egg=my_app":
        "names the app itself with -e git+https://example.invalid/author/my-app.git#egg=my_app (setup.py's name "
        "my-app), which is installed as a package from its own folder after its dependencies, not fetched",
}


@pytest.mark.parametrize("line", list(SELF_LINES))
def test_a_line_naming_the_packaged_app_itself_is_left_out_and_deleted_from_the_images_copy(tmp_path, line,
                                                                                           monkeypatch):
    """`-e .`, `.` or `-e git+<its repository>#egg=<its name>` in a packaged app's requirements.txt: the image
    installs the requirement files before the code is there (their own cached layer), then the app itself as a
    package, so the line is deleted from the copy; the proof and serve install the app from its folder too."""
    import subprocess

    from shipyard import dropped_pins, environments
    from shipyard.detect import deps
    from shipyard.planner import make_plan
    from shipyard.proving import proof_requirements
    from shipyard.render import render

    # an earlier Shipyard fetched the line, failed, and kept the lesson "not on the index, the code does not import
    # it": the app itself is still what the line names
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for minor in ("3.9", "3.10", "3.11", "3.12", "3.13", "3.14"):
        dropped_pins.remember(environments.cache_root(), dropped_pins.Dropped(
            "my-app", minor, "the app's code does not import it", fault="is not on the package index"))

    make_tree(tmp_path, {"setup.py": "from setuptools import setup\nsetup(name='my-app', packages=['myapp'])\n",
                         "myapp/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
                         "wsgi.py": "from myapp import app\n", "requirements.txt": f"{line}\nFlask==3.0.3\n"})
    assert proof_requirements(Project(tmp_path), deps.declared(Project(tmp_path)).dependencies) == ("Flask==3.0.3",)
    plan = make_plan(tmp_path, confirm=False, installed=False)
    assert plan.package
    assert [d.requirement for d in plan.dependencies if not d.inferred] == ["Flask==3.0.3"]
    assert [line for line, _ in plan.left_out] == [line]
    assert any(f"{SELF_LINES[line]}; the generated image leaves it out too" in n for n in plan.notes)
    assert not any("does not import" in n or "skipped (not a requirement" in n for n in plan.notes)
    dockerfile = render(plan)["Dockerfile"]
    assert "remove it from the app's requirements" not in dockerfile and "relaxed-pins" not in dockerfile
    sed = next(line for line in dockerfile.splitlines() if "sed -i -E" in line)
    expression = sed[len("RUN sed -i -E -e '"):-len("' requirements.txt \\")]
    copy = tmp_path / "copy.txt"
    copy.write_text(f"{line}\nFlask==3.0.3\n{line}/\n-e .. \n..\n")
    subprocess.run(["sed", "-i", "-E", "-e", expression, str(copy)], check=True)
    assert copy.read_text() == "Flask==3.0.3\n-e .. \n..\n"
    # the app installed as a package from its whole folder, after that
    assert dockerfile.index("sed -i -E") < dockerfile.index("--no-deps /tmp/app-src")
    # an app that is no package: the line stays the author's (the image never had it to install; a line of a
    # repository is a dependency like any other, which the lesson above then leaves out)
    (tmp_path / "setup.py").unlink()
    assert not any("itself" in why for _, why in make_plan(tmp_path, confirm=False, installed=False).left_out)
