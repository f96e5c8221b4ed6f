"""A subfolder served on its own whose code puts a folder above it on sys.path (`sys.path.append("../scripts/")`):
the modules there are the repository's, and what they import is what the app needs."""

from __future__ import annotations

from shipyard.detect import imports
from shipyard.detect.findings import DeclaredDependencies
from shipyard.project import Project

from conftest import make_tree

NONE = DeclaredDependencies((), (), False)


def infer(folder):
    found = imports.infer(Project(folder), None, NONE, python_exe=str(folder / "no-python"))
    return {d.name for d in found}, found.unresolved


def test_modules_of_a_folder_above_put_on_sys_path_are_provided_and_their_imports_needed(tmp_path):
    make_tree(tmp_path, {
        "deployment/main.py": """
            import sys
            from fastapi import FastAPI

            sys.path.append("../scripts/")
            import procesing

            app = FastAPI()
            """,
        "scripts/procesing.py": "import pandas as pd\nimport config\nimport matplotlib.pyplot as plt\n",
        "scripts/config.py": "COLUMNS = ['a']\n",
        "scripts/train.py": "import xgboost\n",   # never reached from the app: not its need
    })
    names, unresolved = infer(tmp_path / "deployment")
    assert {"fastapi", "pandas", "matplotlib"} <= names
    assert not names & {"procesing", "config", "xgboost"}
    assert not unresolved


def test_a_folder_inside_the_project_is_left_to_the_project_s_own_reading(tmp_path):
    make_tree(tmp_path, {
        "main.py": "import sys\nsys.path.insert(0, 'lib')\nimport helpers\nfrom flask import Flask\n",
        "lib/helpers.py": "import requests\n",
    })
    names, _ = infer(tmp_path)
    assert "flask" in {n.lower() for n in names}
    assert "helpers" not in names


def test_the_image_holds_the_folder_outside_the_app_where_its_code_finds_it(tmp_path):
    # deployment/ served on its own, `sys.path.append("../scripts/")`: serve ran from the checkout, but the image's
    # build context was deployment/ alone, so `import procesing` failed in the container. Shipyard's builds copy
    # ../scripts into the context (.shipyard-outside/scripts), the Dockerfile moves it beside the app folder
    # (/scripts for /app), and compose.yaml mounts it there (its build is the folder alone)
    import subprocess
    import sys

    import yaml

    from conftest import require_tool
    from shipyard.engine import context as build_context
    from shipyard.planner import make_plan
    from shipyard.render import render
    from shipyard.render.render import outside_sources

    make_tree(tmp_path / "repo", {
        "deployment/main.py": ("import sys\nfrom flask import Flask\n\nsys.path.append('../scripts/')\n"
                               "import procesing\n\napp = Flask(__name__)\n"),
        "deployment/requirements.txt": "flask\n",
        "scripts/procesing.py": "COLUMNS = ['a']\n",
        "lib/helpers.py": "X = 1\n",
    })
    root = tmp_path / "repo" / "deployment"
    (root / "more.py").write_text("import sys\nsys.path.insert(0, '../lib')\n")     # would land in the image's /lib
    plan = make_plan(root, {"topology": "compose"}, confirm=False)
    assert plan.outside_code == ("../scripts", "../lib")
    files = render(plan)
    lines = files["Dockerfile"].splitlines()
    run = next(i for i, line in enumerate(lines) if ".shipyard-outside" in line and line.startswith("RUN "))
    assert lines.index("COPY . .") < run and "/lib" not in lines[run - 1]
    app = yaml.safe_load(files["compose.yaml"])["services"]["app"]
    assert "../scripts:/scripts:ro" in app["volumes"] and not any("lib" in v for v in app["volumes"])
    # Shipyard's build context: the app, its rendered files, and ../scripts under .shipyard-outside/
    with build_context.overlay(root, files, outside_sources(plan, root)) as ctx:
        assert (ctx.root / ".shipyard-outside/scripts/procesing.py").is_file()
        assert not (ctx.root / ".shipyard-outside/lib").exists()
        # the Dockerfile's line on that context, with a folder here for the image's / (COPY . . put it in /app)
        image = tmp_path / "image"
        (image / "app").parent.mkdir(parents=True)
        subprocess.run(["cp", "-a", str(ctx.root), str(image / "app")], check=True)
    command = lines[run].removeprefix("RUN ").replace("/. / ", f"/. {image}/ ")
    subprocess.run(["sh", "-c", command], cwd=image / "app", check=True)
    done = subprocess.run([sys.executable, "-c", "import sys; sys.path.append('../scripts/'); import procesing"],
                          cwd=image / "app", capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert not (image / "app/.shipyard-outside").exists()
    # without it in the context (`docker build .` of init's files, compose's build): the line does nothing
    again = tmp_path / "bare"
    subprocess.run(["cp", "-a", str(root), str(again)], check=True)
    subprocess.run(["sh", "-c", command.replace(str(image), str(tmp_path / "nowhere"))], cwd=again, check=True)
    # compose reads the mount as a folder beside the app's
    docker = require_tool("docker")
    (root / "compose.yaml").write_text(files["compose.yaml"])
    done = subprocess.run([docker, "compose", "-f", str(root / "compose.yaml"), "config"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    mounts = yaml.safe_load(done.stdout)["services"]["app"]["volumes"]
    assert {"type": "bind", "source": str(tmp_path / "repo" / "scripts"), "target": "/scripts", "read_only": True,
            "bind": {}} in mounts or any(m.get("source") == str(tmp_path / "repo" / "scripts") for m in mounts)


def test_the_release_one_off_mounts_the_outside_code_as_the_app_does():
    import dataclasses

    import yaml

    import plans
    from shipyard.render import render
    plan = dataclasses.replace(plans.django_postgres(topology="compose"), outside_code=("../scripts",))
    services = yaml.safe_load(render(plan)["compose.yaml"])["services"]
    assert services["release"]["volumes"] == services["app"]["volumes"] == ["../scripts:/scripts:ro"]
