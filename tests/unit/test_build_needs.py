"""An sdist whose setup.py imports the package itself, whose module imports the package's own dependencies
(peewee-db-evolve 3.7.0: `__import__('peeweedbevolve').__version__`, and peeweedbevolve imports peewee): uv builds
it with the app's requirement of those beside the build tools (extra-build-dependencies), the install learns it
once and keeps it in the cache (build_needs.py), and the plan carries it into the image's builder."""

from __future__ import annotations

import tomllib
from pathlib import Path

from shipyard import build_needs, environments
from shipyard.environments import InstallSpec
from shipyard.install_errors import self_importing_module
from shipyard.install_retries import SelfImportingBuild, changed, retry_steps, with_known_build_needs
from shipyard.plan import Plan
from shipyard.planner import make_plan
from shipyard.render import Target, render

from test_install_errors import SETUP_IMPORTS_ITSELF
from test_install_retries import _attempt, _failure

UNPACKED = "/root/.cache/uv/sdists-v11/pypi/peewee-db-evolve/3.7.0/Vn2Qsj7qQ0qVn9U4/src/peeweedbevolve.py"
# the module's imports, as such a module writes them: its dependency guarded, a fallback the index may not have
MODULE = ("from __future__ import print_function\nimport os, sys\nfrom collections import defaultdict\n"
          "try:\n    import peewee as pw\nexcept ImportError:\n    print('peewee or herman not installed')\n"
          "    try:\n        import herman as pw\n    except ImportError:\n        pass\n"
          "try:\n    import colorama\nexcept ImportError:\n    print('colorama not installed')\n"
          "from .helpers import x\n__version__ = '3.7.0'\n")


def _unpacked(tmp_path: Path) -> Path:
    module = tmp_path / "sdists" / "src" / "peeweedbevolve.py"
    module.parent.mkdir(parents=True)
    module.write_text(MODULE)
    return module


def _failure_at(module: Path):
    failure = _failure(SETUP_IMPORTS_ITSELF.replace(UNPACKED, str(module)))
    failure.unbuilt = "peewee-db-evolve==3.7.0"
    return failure


def test_the_failing_builds_own_module_and_what_it_imports_are_read():
    assert self_importing_module(SETUP_IMPORTS_ITSELF) == UNPACKED
    # setuptools 58+'s "<string>" frame: the next frame outside the build tools
    text = SETUP_IMPORTS_ITSELF.replace('File "setup.py", line 16, in <module>\n'
                                        "             version=__import__('peeweedbevolve').__version__,\n",
                                        'File "<string>", line 16, in <module>\n')
    assert self_importing_module(text) == UNPACKED
    # a setup.py failing another way names no module
    other = SETUP_IMPORTS_ITSELF.replace("version=__import__('peeweedbevolve').__version__,", "long_description=x,")
    assert self_importing_module(other) is None


# uv wraps its error lines at word breaks: a frame with a long path (a cache under a deep folder) goes on three lines
WRAPPED = """error: Failed to build `peewee-db-evolve==3.7.0`
  cause: Call to `setuptools.build_meta:__legacy__.get_requires_for_build_wheel`
         failed (exit status: 1)

         [stderr]
         Traceback (most recent call last):
           File "<string>", line 14, in <module>
           File
         "/home/someone/projects/shop/.cache/uv/builds-v0/.tmpUvX9XU/lib/python3.12/site-packages/setuptools/build_meta.py",
         line 338, in run_setup
             exec(code, locals())
           File "<string>", line 2, in <module>
           File
         "/home/someone/projects/shop/.cache/uv/sdists-v11/index/e5329e27d713e1c5/peewee-db-evolve/3.7.0/peIZuqPhjSmPWiNo/src/peeweedbevolve.py",
         line 5, in <module>
             VALUE = pw.VALUE
         NameError: name 'pw' is not defined
"""


def test_a_frame_uv_wrapped_over_lines_is_read_too():
    # seen in CI: under pytest-xdist's longer temporary folders uv wrapped the module's frame, the failure was not
    # recognised, and the install gave up instead of building with the module's imports
    assert self_importing_module(WRAPPED) == ("/home/someone/projects/shop/.cache/uv/sdists-v11/index/e5329e27d713e1c5/"
                                              "peewee-db-evolve/3.7.0/peIZuqPhjSmPWiNo/src/peeweedbevolve.py")


def test_the_modules_imports_the_app_requires_are_its_build_needs(tmp_path):
    module = _unpacked(tmp_path)
    assert build_needs.imports_of(module) == ("peewee", "herman", "colorama")
    assert build_needs.requirements_for(("peewee", "herman", "colorama"),
                                        ("Flask==1.0.2", "Peewee==3.8.2  # orm", "peewee-db-evolve==3.7.0")) \
        == ("Peewee==3.8.2",)
    assert build_needs.imports_of(tmp_path / "missing.py") == ()


def test_an_install_builds_it_with_the_apps_requirement_of_its_imports_and_keeps_that(tmp_path):
    module = _unpacked(tmp_path)
    said: list[str] = []
    at, steps = _attempt(tmp_path, said), retry_steps()
    spec = InstallSpec(("Flask==1.0.2", "peewee==3.8.2", "peewee-db-evolve==3.7.0"))
    again = changed(_failure_at(module), spec, at, steps)
    assert again is not None and again.build_needs == (("peewee-db-evolve", ("peewee==3.8.2",)),)
    assert said == ["peewee-db-evolve==3.7.0's setup.py imports the package itself, whose module imports peewee, "
                    "herman, colorama: building it with peewee==3.8.2 beside the build tools (uv's "
                    "extra-build-dependencies)"]
    assert again.key(environments.Interpreter("/x", "3.8.18")) != spec.key(environments.Interpreter("/x", "3.8.18"))
    # once: the same failure again is not this step's
    assert SelfImportingBuild()(_failure_at(module), again, at) is None
    # uv gets it as its setting, in a configuration file beside the requirements
    reqs = tmp_path / "reqs.txt"
    options = environments._uv_options("uv", "python3", again, str(reqs), tmp_path / "log")
    config = Path(options[options.index("--config-file") + 1])
    assert tomllib.loads(config.read_text()) == {"extra-build-dependencies": {"peewee-db-evolve": ["peewee==3.8.2"]}}
    # the next install (serve's, after the proof's; on a fresh uv cache) builds it so from the start
    fresh = with_known_build_needs(spec, at)
    assert fresh.build_needs == again.build_needs
    assert said[-1] == ("peewee-db-evolve's setup.py imports the package itself: building it with peewee==3.8.2 "
                        "beside the build tools, as an earlier install here found")
    assert with_known_build_needs(spec, at) == fresh and len(said) == 2        # said once a run
    # an app that requires none of the module's imports: nothing to give the build
    assert SelfImportingBuild()(_failure_at(module), InstallSpec(("peewee-db-evolve==3.7.0",)),
                                _attempt(tmp_path / "other", [])) is None


def test_a_plan_pinning_such_a_release_gives_the_images_builder_the_same_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "app"
    root.mkdir()
    (root / "app.py").write_text("import peewee\nimport peeweedbevolve\nfrom flask import Flask\n"
                                 "app = Flask(__name__)\n")
    (root / "requirements.txt").write_text("Flask==2.0.2\npeewee==3.8.2\npeewee-db-evolve==3.7.0\n")
    before = make_plan(root, confirm=False, installed=False)
    assert before.build_needs == () and "--config-file" not in render(before, Target.image())["Dockerfile"]
    build_needs.remember(tmp_path / "cache" / "shipyard", "peewee-db-evolve==3.7.0", ("peewee", "colorama"))
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.build_needs == (("peewee-db-evolve==3.7.0", ("peewee==3.8.2",)),)
    assert Plan.from_json(plan.to_json()) == plan
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert ("printf '%s\\n' '[extra-build-dependencies]' '\"peewee-db-evolve\" = [\"peewee==3.8.2\"]' "
            ">/tmp/uv-build-needs.toml \\\n && /opt/uv/bin/uv pip install --python /opt/venv/bin/python "
            "--config-file /tmp/uv-build-needs.toml -r requirements.txt") in dockerfile
    assert "# peewee-db-evolve==3.7.0's setup.py imports the package itself" in dockerfile
