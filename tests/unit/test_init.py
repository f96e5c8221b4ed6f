"""`shipyard init`: writes once, changes nothing on a re-run, never overwrites an edited or foreign file
without --force, keeps a backup when forced, and writes nothing with --dry-run or --diff."""

from __future__ import annotations

import json
import shutil
import stat

import pytest

from conftest import EXAMPLES
from shipyard.__main__ import main


@pytest.fixture
def app(tmp_path):
    root = tmp_path / "hello"
    shutil.copytree(EXAMPLES / "hello", root)
    return root


def init(capsys, *args):
    code = main(["init", *map(str, args), "--no-import"])
    out = capsys.readouterr()
    return code, out.out, out.err


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_second_run_changes_nothing(app, capsys):
    code, out, _ = init(capsys, app)
    assert code == 0 and "Dockerfile" in out and "created" in out
    before = snapshot(app)
    code, out, _ = init(capsys, app)
    assert code == 0 and "created" not in out and "updated" not in out
    assert all(line.split()[-1] == "unchanged" for line in out.splitlines()[1:])
    assert snapshot(app) == before


def test_edited_file_survives_and_force_keeps_a_backup(app, capsys):
    init(capsys, app)
    dockerfile = app / "Dockerfile"
    edited = dockerfile.read_text() + "# my own line\n"
    dockerfile.write_text(edited)
    code, out, _ = init(capsys, app, "--port", "9000")
    assert code == 0 and "kept (edited by you; --force to replace)" in out
    assert dockerfile.read_text() == edited
    assert "listen 9000 backlog=" in (app / "nginx.conf").read_text()     # unedited files follow the new plan
    code, out, _ = init(capsys, app, "--port", "9000", "--force")
    assert "replaced" in out and (app / "Dockerfile.shipyard-bak").read_text() == edited
    assert "# my own line" not in dockerfile.read_text() and "EXPOSE 9000" in dockerfile.read_text()


def test_file_never_generated_counts_as_the_users(app, capsys):
    (app / "gunicorn.conf.py").write_text("workers = 2\n")
    code, out, _ = init(capsys, app, "--server", "gunicorn")
    assert "not written by shipyard" in out and (app / "gunicorn.conf.py").read_text() == "workers = 2\n"


def test_dry_run_and_diff_write_nothing(app, capsys):
    before = snapshot(app)
    code, out, _ = init(capsys, app, "--dry-run")
    assert code == 0 and "nothing written" in out and "Dockerfile" in out
    code, out, _ = init(capsys, app, "--diff")
    assert "+++ b/Dockerfile" in out and "+USER 10001:10001" in out
    assert snapshot(app) == before


def test_json_output_and_out_folder(app, tmp_path, capsys):
    out_dir = tmp_path / "deploy"
    code, out, _ = init(capsys, app, "--out", out_dir, "--json", "--server", "uwsgi", "--topology", "app")
    data = json.loads(out)
    assert data["written"] and data["server"] == "uwsgi"
    assert {f["path"]: f["status"] for f in data["files"]} == {
        "Dockerfile": "created", ".dockerignore": "created", "uwsgi.ini": "created",
        "shipyard_runtime.py": "created"}
    assert (out_dir / "uwsgi.ini").exists() and not (app / "uwsgi.ini").exists()


def test_compose_with_postgres_creates_secrets_once(app, capsys):
    code, out, _ = init(capsys, app, "--topology", "compose", "--db", "postgres")
    assert code == 0
    env = app / "shipyard.env"
    secret = env.read_text()
    assert "POSTGRES_PASSWORD=" in secret and "DATABASE_URL=postgresql://" in secret
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert "shipyard.env" in (app / ".gitignore").read_text().splitlines()
    assert "shipyard.env" in (app / ".dockerignore").read_text().splitlines()
    init(capsys, app, "--topology", "compose", "--db", "postgres")
    assert env.read_text() == secret                                  # never regenerated
    assert (app / ".gitignore").read_text().count("shipyard.env") == 1


def test_unsupported_combination_is_one_clear_line(tmp_path, capsys):
    root = tmp_path / "api"
    shutil.copytree(EXAMPLES / "fastapi-app", root)
    code, _, err = init(capsys, root, "--server", "uwsgi")
    assert code == 2 and err.count("\n") == 1 and "ASGI" in err and "gunicorn" in err
