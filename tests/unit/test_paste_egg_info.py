"""A NAME.egg-info committed in a Pyramid app's folder (a 2020 tutorial kept one from an old `setup.py develop`)
lists requirements the app no longer has (pyramid_debugtoolbar, since moved to Poetry's dev dependencies); the
folder comes first on sys.path, so paste's `use = egg:NAME` checked those and raised DistributionNotFound, in the
import proof and in gunicorn. The installed NAME's metadata is the one pkg_resources resolves now. Real
pkg_resources, in a fresh interpreter: the app's folder first on sys.path, an installed dist-info after it."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import shipyard.paste_drop as paste_drop
from shipyard.detect import probe

from conftest import make_tree

CHECK = """
import sys
sys.path.insert(0, {app!r})
sys.path.append({site!r})
exec(open({source!r}).read())
{fix}
import pkg_resources
try:
    pkg_resources.require("demoapp")
except pkg_resources.DistributionNotFound as exc:
    print("missing", exc.req)
else:
    print("resolved", pkg_resources.get_distribution("demoapp").location)
"""


def _run(tmp_path: Path, source: str, fix: str) -> str:
    app = make_tree(tmp_path / "app", {
        "demoapp/__init__.py": "",
        "demoapp.egg-info/PKG-INFO": "Metadata-Version: 1.2\nName: demoapp\nVersion: 0.1.0\n",
        "demoapp.egg-info/requires.txt": "surely-not-installed-debugtoolbar<5\n",
        "demoapp.egg-info/top_level.txt": "demoapp\n"})
    site = make_tree(tmp_path / "site", {
        "demoapp-0.1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: demoapp\nVersion: 0.1.0\n",
        "demoapp-0.1.0.dist-info/RECORD": ""})
    code = CHECK.format(app=str(app), site=str(site), source=source, fix=fix)
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], cwd=app, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_installed_apps_metadata_wins_over_an_egg_info_committed_in_its_folder(tmp_path):
    source = paste_drop.__file__
    assert _run(tmp_path / "before", source, "").startswith("missing surely-not-installed-debugtoolbar")
    assert _run(tmp_path / "server", source, "installed_over_committed_egg_info({app!r})".format(
        app=str(tmp_path / "server" / "app"))) == f"resolved {tmp_path / 'server' / 'site'}"
    # the import proof's copy (probe.py runs in the app's environment, without shipyard) does the same
    copy = tmp_path / "probe_copy.py"
    copy.write_text("import os\nimport sys\n\n" + inspect.getsource(probe._installed_over_committed_egg_info))
    assert _run(tmp_path / "proof", str(copy), "_installed_over_committed_egg_info({app!r})".format(
        app=str(tmp_path / "proof" / "app"))) == f"resolved {tmp_path / 'proof' / 'site'}"


def test_alembic_run_by_serve_resolves_the_app_the_same_way(tmp_path):
    # a Pyramid env.py reads the ini's settings through pyramid.paster (egg: check): serve's Alembic command line
    # carries the same function and calls it before the app's env.py runs
    from shipyard.run import alembic_cli
    for program in (alembic_cli.AIMED, alembic_cli.MODELS_THEN_STAMP):
        compile(program, "alembic_cli", "exec")
        assert program.index("def installed_over_committed_egg_info") \
            < program.index("installed_over_committed_egg_info(os.getcwd())")
