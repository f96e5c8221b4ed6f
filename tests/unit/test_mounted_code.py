"""Code the app's compose service mounts into its code folder from elsewhere in the project (`./web:/app` and
`./shared:/app/shared`): the proof, serve and dev import it from where the app runs, as the container does."""

from __future__ import annotations

import os
import sys

from shipyard import appconfig
from shipyard.detect import entry
from shipyard.detect.mounted_code import mounted_code
from shipyard.project import Project

from conftest import make_tree
from test_above_workdir_entry import COMPOSE, SERVICE

PY = sys.executable
TIMEOUT = 30.0


def test_the_proof_imports_a_package_the_compose_service_mounts_into_the_apps_code(tmp_path):
    root = make_tree(tmp_path / "platform", {**SERVICE, "docker-compose.yml": COMPOSE})
    project = Project(root)
    assert [(m.source, m.name, m.volume) for m in mounted_code(project, "web")] == \
        [("shared", "shared", "./shared:/app/shared")]
    found = entry.find(project, None)
    assert (found.workdir, found.entry.target) == ("web", "app:app")
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    config = appconfig.run_config(project, found.workdir, environ, mode="proof")
    assert any("./shared:/app/shared" in note and "importable from web/" in note for note in config.notes)
    # a real import of the app, through the link: no AppCodeError about shared/ any more
    entry.confirm(project, found, PY, TIMEOUT, config.under(environ))
    assert not (root / "web" / "shared").exists()      # the app's folder is left as it is


def test_mounts_elsewhere_or_of_the_apps_own_folder_make_nothing_importable(tmp_path):
    # shared/ mounted outside the code folder, a folder of the app's own, a named volume
    compose = COMPOSE.replace("- ./shared:/app/shared", "- ./shared:/srv/shared\n          - ./web/static:/app/static"
                              "\n          - media:/app/media")
    project = Project(make_tree(tmp_path / "platform", {**SERVICE, "docker-compose.yml": compose}))
    assert "- media:/app/media" in project.read_text("docker-compose.yml")
    assert mounted_code(project, "web") == ()
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    config = appconfig.run_config(project, "web", environ, mode="proof")
    assert "PYTHONPATH" not in dict(config.prepend)


def test_the_image_links_the_mounted_code_where_the_compose_service_mounts_it(tmp_path):
    # `./web:/app` and `./shared:/app/shared`: the image copies the whole project (shared/ at /app/shared) and runs
    # from /app/web, where `from shared.store import Store` failed; it links shared/ there now, as the mount does
    import shutil
    import subprocess

    from shipyard.planner import make_plan
    from shipyard.render import render

    root = make_tree(tmp_path / "platform", {**SERVICE, "docker-compose.yml": COMPOSE})
    plan = make_plan(root, {"topology": "bundle"}, confirm=False)
    assert plan.workdir == "web" and plan.mounted_code == (("shared", "web/shared"),)
    dockerfile = render(plan)["Dockerfile"]
    lines = dockerfile.splitlines()
    run = next(i for i, line in enumerate(lines) if line.startswith("RUN ln -s "))
    assert lines[run] == "RUN ln -s /app/shared /app/web/shared"
    assert lines.index("COPY . .") < run < lines.index("WORKDIR /app/web")
    # what that line makes of the copied project, with /app here: the app imports shared from web/
    image = tmp_path / "image"
    shutil.copytree(root, image)
    subprocess.run(lines[run].removeprefix("RUN ").replace("/app", str(image)), shell=True, check=True)
    done = subprocess.run([PY, "-c", "import sys; sys.path.insert(0, ''); import shared.store"], cwd=image / "web",
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    # a project whose app folder has a shared/ of its own: nothing linked (the image keeps the app's)
    own = make_tree(tmp_path / "own", {**SERVICE, "web/shared/__init__.py": "", "docker-compose.yml": COMPOSE})
    assert make_plan(own, {"topology": "bundle"}, confirm=False).mounted_code == ()
