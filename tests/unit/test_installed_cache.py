"""What an environment has installed (detect/imports.py's environment script) is kept in Shipyard's cache under its
metadata files' sizes and times: read back while they are unchanged, read again from the distributions once one is
installed, removed or rewritten."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

from shipyard.detect import imports


def _dist(site: Path, name: str, version: str) -> None:
    info = site / f"{name}-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (site / name).mkdir(exist_ok=True)
    (site / name / "__init__.py").write_text("VALUE = 1\n")
    (info / "RECORD").write_text(f"{name}/__init__.py,,10\n{info.name}/METADATA,,\n")


def _read(site: Path, cache: Path, keep_from: int = 1) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(imports._ENV_SCRIPT, "<shipyard-env>", "exec"),
             {"PATHS": [str(site)], "CACHE": str(cache), "KEEP_FROM": keep_from})
    return json.loads(out.getvalue())


def test_the_answer_is_kept_and_read_back_while_the_metadata_is_unchanged(tmp_path):
    site, cache = tmp_path / "site-packages", tmp_path / "cache"
    _dist(site, "alpha", "1.0")
    _dist(site, "beta", "2.0")
    first = _read(site, cache)
    assert first["versions"] == {"alpha": "1.0", "beta": "2.0"} and first["packages"]["alpha"] == ["alpha"]
    kept = list(cache.glob("env-*.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text()) == first
    # what is kept is what the next run answers (marked here, to see it was not read again)
    kept[0].write_text(json.dumps({**first, "versions": {"alpha": "kept"}}))
    assert _read(site, cache)["versions"] == {"alpha": "kept"}


def test_an_install_a_removal_or_a_rewritten_metadata_file_is_read_again(tmp_path):
    site, cache = tmp_path / "site-packages", tmp_path / "cache"
    _dist(site, "alpha", "1.0")
    assert _read(site, cache)["versions"] == {"alpha": "1.0"}
    _dist(site, "gamma", "3.0")
    assert _read(site, cache)["versions"] == {"alpha": "1.0", "gamma": "3.0"}
    metadata = site / "gamma-3.0.dist-info" / "METADATA"
    metadata.write_text(metadata.read_text().replace("Version: 3.0", "Version: 3.0.1"))
    assert _read(site, cache)["versions"] == {"alpha": "1.0", "gamma": "3.0.1"}
    import shutil
    shutil.rmtree(site / "gamma-3.0.dist-info")
    assert _read(site, cache)["versions"] == {"alpha": "1.0"}


def test_a_small_environment_is_not_kept(tmp_path):
    site, cache = tmp_path / "site-packages", tmp_path / "cache"
    _dist(site, "alpha", "1.0")
    assert _read(site, cache, keep_from=2)["versions"] == {"alpha": "1.0"}
    assert not list(cache.glob("env-*.json"))


def test_this_interpreters_environment_is_the_same_read_or_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    python = str(Path(sys.executable).parent / "python3")
    imports.environment.cache_clear()
    first = imports.environment(python)
    kept = list((tmp_path / "xdg" / "shipyard" / imports.INSTALLED_FOLDER).glob("env-*.json"))
    assert len(kept) == (1 if len(first.versions) >= 50 else 0)
    imports.environment.cache_clear()
    assert imports.environment(python) == first
    imports.environment.cache_clear()
