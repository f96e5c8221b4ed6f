"""A folder the app writes where it runs, which its own compose file gives a named volume: the image makes it,
owned by the app's user (the code stays read-only); bind mounts and volumes outside the working directory are not
such folders."""

from __future__ import annotations

from conftest import make_tree
from data_volume_app import APP
from shipyard.detect.data_volumes import data_folders
from shipyard.plan import Plan
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import Target, render


def test_a_named_volume_inside_the_working_directory_is_a_folder_the_app_writes(tmp_path):
    root = make_tree(tmp_path / "app", APP)
    assert data_folders(Project(root), ".") == ("session_data",)
    # working_dir of the service decides over the Dockerfile's WORKDIR; outside it, nothing
    (root / "docker-compose.yml").write_text((root / "docker-compose.yml").read_text().replace(
        "    build:", "    working_dir: /opt\n    build:", 1))
    assert data_folders(Project(root), ".") == ()
    none = make_tree(tmp_path / "none", {k: v for k, v in APP.items() if k != "docker-compose.yml"})
    assert data_folders(Project(none), ".") == ()


def test_the_image_makes_it_owned_by_the_apps_user(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    plan = make_plan(make_tree(tmp_path / "app", APP), confirm=False, installed=False)
    assert plan.data_folders == ("session_data",) and Plan.from_json(plan.to_json()) == plan
    dockerfile = render(plan, Target.image())["Dockerfile"]
    made = "RUN install -d -o app -g app -m 0750 /app/session_data \\\n && chown -R app:app /app/session_data\nUSER "
    assert made in dockerfile, dockerfile
    assert dockerfile.index("COPY . .") < dockerfile.index(made)


def test_the_compose_stack_keeps_it_on_a_volume_of_its_own(tmp_path, monkeypatch):
    # the image made the folder writable, but Shipyard's compose file kept what the app wrote there (litestar-books'
    # sessions) in the container only: a new container lost it, where the app's own compose file kept a volume
    import yaml
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    plan = make_plan(make_tree(tmp_path / "app", APP), {"topology": "compose"}, confirm=False, installed=False)
    compose = yaml.safe_load(render(plan, Target.image())["compose.yaml"])
    assert compose["services"]["app"]["volumes"] == ["data-session-data:/app/session_data"]
    assert "data-session-data" in compose["volumes"]
    assert "volumes" not in compose["services"]["nginx"] or \
        not any("session" in v for v in compose["services"]["nginx"]["volumes"])
    alone = make_plan(make_tree(tmp_path / "none", {k: v for k, v in APP.items() if k != "docker-compose.yml"}),
                      {"topology": "compose"}, confirm=False, installed=False)
    assert "volumes" not in yaml.safe_load(render(alone, Target.image())["compose.yaml"])["services"]["app"]
