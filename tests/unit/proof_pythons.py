"""Stand-ins for the proof's environments: a shell script a site (python-NAME beside the site's folder) that runs
this interpreter with only that site's packages on PYTHONPATH, and a proving._environment that answers with the
site the requirements choose."""

from __future__ import annotations

import sys
from typing import Callable

from conftest import make_tree
from shipyard import environments, proving


def site_pythons(tmp_path, sites: dict[str, dict[str, str]], *, folder: str = "", isolated: bool = False) -> None:
    """For each site name, its files in tmp_path/NAME (/`folder` under it) and tmp_path/python-NAME, which runs
    this interpreter with that folder on PYTHONPATH. `isolated`: -S, without the site-packages of the Python
    running the tests, which may hold a real package of the same name."""
    for site, files in sites.items():
        packages = tmp_path / site / folder if folder else tmp_path / site
        make_tree(packages, files)
        script = tmp_path / f"python-{site}"
        script.write_text(f"#!/bin/sh\nPYTHONPATH={packages} exec {sys.executable}{' -S' if isolated else ''} \"$@\"\n")
        script.chmod(0o755)


def proof_environments(tmp_path, monkeypatch, choose: Callable[[tuple[str, ...]], str]) -> list[tuple[str, ...]]:
    """proving._environment answering with python-SITE, SITE = choose(the requirements): the requirements of each
    environment asked for, in order."""
    asked: list[tuple[str, ...]] = []

    def environment(project, requirements, *args):
        asked.append(requirements)
        site = choose(requirements)
        return environments.ProofResult(environments.Environment(str(tmp_path / f"python-{site}"), site, "proof"), ())
    monkeypatch.setattr(proving, "_environment", environment)
    return asked
