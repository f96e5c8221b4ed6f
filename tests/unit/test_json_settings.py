"""An example env file's value for a pydantic settings field typed a list or dict, which pydantic parses as JSON,
is left out when it is not JSON and the field has a default: Similie's ML wrapper (2025) ships
`experiment_target_col=['precipitation']` for `target_col: list[str] = ["precipitation"]`, and taken as given it
fails the import with pydantic-settings' SettingsError where the default serves."""

from __future__ import annotations

import ast

from conftest import make_tree
from shipyard import appconfig
from shipyard.detect.json_settings import json_settings, unparsable
from shipyard.detect.settings_classes import json_fields, settings_fields
from shipyard.detect.source import imported_modules, imported_names
from shipyard.project import Project

SETTINGS = """
    from typing import Dict, List, Optional, Union
    from pydantic_settings import BaseSettings, SettingsConfigDict


    class ExperimentConfig(BaseSettings):
        model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_prefix="experiment_")
        target_col: list[str] = ["precipitation"]
        features: List[str] = ["precipitation", "temperature"]
        weights: Optional[Dict[str, float]] = None
        labels: Union[list[str], str] = "all"
        columns: list[str]
        prediction_window: int = 12
    """


def _fields(source: str):
    tree = ast.parse(source.replace("\n    ", "\n"))
    return tree, imported_names(tree), imported_modules(tree)


def test_the_fields_pydantic_parses_as_json_are_the_list_and_dict_typed_ones():
    tree, names, modules = _fields(SETTINGS)
    found = {f.name: f.default for f in json_fields(tree, names, modules)}
    # a union with text takes any value (pydantic falls back to the text); an int is no JSON field
    assert found == {"EXPERIMENT_TARGET_COL": True, "EXPERIMENT_FEATURES": True, "EXPERIMENT_WEIGHTS": True,
                     "EXPERIMENT_COLUMNS": False}
    # the plain fields are as before (any field that mentions a JSON type is none of them)
    assert [f.name for f in settings_fields(tree, names, modules)] == ["EXPERIMENT_PREDICTION_WINDOW"]


def test_a_class_that_turns_decoding_off_has_no_json_fields():
    tree, names, modules = _fields(SETTINGS.replace('env_prefix="experiment_")',
                                                    'env_prefix="experiment_", enable_decoding=False)'))
    assert json_fields(tree, names, modules) == []


def test_a_value_that_is_not_json_is_unparsable_only_for_a_field_with_a_default(tmp_path):
    root = make_tree(tmp_path / "app", {"config.py": SETTINGS})
    fields = json_settings(Project(root))
    assert unparsable(fields, "experiment_target_col", "['precipitation']").name == "EXPERIMENT_TARGET_COL"
    assert unparsable(fields, "EXPERIMENT_FEATURES", "rain,wind") is not None
    assert unparsable(fields, "experiment_features", '["rain", "wind"]') is None     # JSON: pydantic parses it
    assert unparsable(fields, "experiment_columns", "['a']") is None     # no default: left to fail as it would
    assert unparsable(fields, "experiment_labels", "['a']") is None      # takes any text
    assert unparsable(fields, "experiment_prediction_window", "twelve") is None


def test_serve_leaves_the_example_files_python_spelled_list_out_and_says_so(tmp_path):
    root = make_tree(tmp_path / "app", {"config.py": SETTINGS, "main.py": "from config import ExperimentConfig\n"
                                        "settings = ExperimentConfig(columns=['a'])\n",
                                        ".env.example": """
        experiment_features=["precipitation","temperature","humidity"]
        experiment_prediction_window=12
        experiment_target_col=['precipitation']
        """})
    for mode in ("serve", "proof", "dev"):
        config = appconfig.run_config(root, ".", {}, mode=mode, secret_file=tmp_path / "data" / "secret")
        env = config.environ
        assert env["experiment_features"] == '["precipitation","temperature","humidity"]'
        assert env["experiment_prediction_window"] == "12"
        assert "experiment_target_col" not in env
        notes = "\n".join(config.notes)
        assert "not taken from .env.example: experiment_target_col=['precipitation'] (pydantic reads a list" in notes


def test_a_name_other_code_reads_too_keeps_the_files_value(tmp_path):
    # os.getenv("EXPERIMENT_FEATURES").split(",") elsewhere needs the text as given
    root = make_tree(tmp_path / "app", {"config.py": SETTINGS, "main.py": """
        import os

        FEATURES = os.getenv("EXPERIMENT_FEATURES").split(",")
        """, ".env.example": "EXPERIMENT_FEATURES=rain,wind\nexperiment_target_col=['precipitation']\n"})
    env = appconfig.run_config(root, ".", {}, mode="serve", secret_file=tmp_path / "data" / "secret").environ
    assert env["EXPERIMENT_FEATURES"] == "rain,wind" and "experiment_target_col" not in env
