"""An example env file that spells a list setting the Python way (`experiment_target_col=['precipitation']`) for a
pydantic-settings field with a default: serve leaves that value out, so the app imports on its default instead of
failing with SettingsError (Similie's ML wrapper, 2025). Real uv install of pydantic-settings, real import."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import make_tree
from shipyard import appconfig
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

pytestmark = pytest.mark.slow

CONFIG = """
    from pydantic_settings import BaseSettings, SettingsConfigDict


    class ExperimentConfig(BaseSettings):
        model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_prefix="experiment_")
        target_col: list[str] = ["precipitation"]
        features: list[str] = ["precipitation"]
        prediction_window: int = 12
    """

APP = """
    import bottle

    from config import ExperimentConfig

    settings = ExperimentConfig()
    application = bottle.default_app()


    @bottle.route("/")
    def index():
        return {"target": settings.target_col, "features": settings.features}
    """


def _imports(python, root, env):
    return subprocess.run([python, "-c", "import app; print(app.settings.target_col, app.settings.features)"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_a_python_spelled_list_in_the_example_env_is_left_out_and_the_app_imports(tmp_path):
    root = make_tree(tmp_path / "wrapper", {
        "config.py": CONFIG, "app.py": APP,
        "requirements.txt": "bottle==0.12.25\npydantic==2.7.1\npydantic-settings==2.2.1\n",
        ".env.example": """
            experiment_features=["precipitation","humidity"]
            experiment_prediction_window=12
            experiment_target_col=['precipitation']
            """,
    })
    plan = make_plan(root, confirm=False, installed=False)
    env = install_app_env(root, plan, lambda line: None)
    config = appconfig.run_config(root, ".", {}, mode="serve", secret_file=tmp_path / "data" / "secret")
    assert "experiment_target_col" not in config.environ
    base = {k: v for k, v in os.environ.items() if not k.lower().startswith("experiment_")}
    done = _imports(env.python, root, config.under(base))
    assert done.returncode == 0, done.stderr
    # the default for the value left out, the example's JSON for the other
    assert done.stdout.split() == ["['precipitation']", "['precipitation',", "'humidity']"]
    # as the file gives it, the import fails: the reason the value is left out
    failed = _imports(env.python, root, {**config.under(base), "experiment_target_col": "['precipitation']"})
    assert failed.returncode != 0 and "SettingsError" in failed.stderr and "target_col" in failed.stderr
