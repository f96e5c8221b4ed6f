"""Bad input whose outcome is more than an exit code: what ends up on disk, in the generated files at run
time, and at the error boundary itself. Listed with the catalogue in docs/reliability.md ("Bad input")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import VENV_BIN, free_port, require_tool
from serveutil import Running, get
from shipyard.__main__ import EXIT_INTERNAL, main
from shipyard.planner import make_plan
from shipyard.render import Target, render
from test_bad_input import FLASK_APP, checksums, shipyard_cli


def _app(root: Path, **files: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "app.py").write_text(FLASK_APP)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_init_force_twice_keeps_every_edit(tmp_path):
    """Item 9: the second --force used to overwrite FILE.shipyard-bak, losing the first edit."""
    app = _app(tmp_path / "app")
    assert shipyard_cli(["init", str(app), "--no-import"]).code == 0
    dockerfile = app / "Dockerfile"
    first_edit = dockerfile.read_text() + "# my first edit\n"
    dockerfile.write_text(first_edit)
    r = shipyard_cli(["init", str(app), "--no-import", "--force"])
    assert r.code == 0 and "previous copy in Dockerfile.shipyard-bak" in r.out, r.out + r.err
    second_edit = dockerfile.read_text() + "# my second edit\n"
    dockerfile.write_text(second_edit)
    r = shipyard_cli(["init", str(app), "--no-import", "--force"])
    assert r.code == 0 and "previous copy in Dockerfile.shipyard-bak.1" in r.out, r.out + r.err
    assert (app / "Dockerfile.shipyard-bak").read_text() == first_edit
    assert (app / "Dockerfile.shipyard-bak.1").read_text() == second_edit
    # the numbered backups stay out of the image like the first one
    assert "**/*.shipyard-bak.*" in (app / ".dockerignore").read_text()


def test_reqs_force_keeps_index_options_and_every_backup(tmp_path):
    """Item 12: `reqs --force` dropped --index-url lines, so the next install silently used PyPI."""
    original = ("--index-url https://pypi.example.internal/simple\n--extra-index-url https://mirror.example/simple\n"
                "--find-links ./wheels\nflask\n")
    app = _app(tmp_path / "app", **{"requirements.txt": original})
    r = shipyard_cli(["reqs", str(app), "--force"])
    assert r.code == 0, r.err
    written = (app / "requirements.txt").read_text()
    for line in original.splitlines()[:3]:
        assert line in written.splitlines(), written
    assert "flask" in written.splitlines()
    assert (app / "requirements.txt.bak").read_text() == original
    r = shipyard_cli(["reqs", str(app), "--force"])
    assert r.code == 0, r.err
    assert (app / "requirements.txt.bak").read_text() == original          # the first copy is never replaced
    assert (app / "requirements.txt.bak.1").read_text() == written


def test_bad_worker_count_in_the_environment_falls_back_with_a_warning(tmp_path):
    """Item 7: WEB_CONCURRENCY=lots raised ValueError inside the generated shipyard_runtime.py (in the
    image too). The generated file now warns in one line and uses the computed default."""
    app = _app(tmp_path / "app")
    plan = make_plan(app, confirm=False)
    runtime = tmp_path / "shipyard_runtime.py"
    runtime.write_text(render(plan, Target.image())["shipyard_runtime.py"])
    base = {k: v for k, v in os.environ.items() if k != "WEB_CONCURRENCY"}
    good = subprocess.run([sys.executable, str(runtime), "workers"], capture_output=True, text=True,
                          timeout=30, env=base)
    bad = subprocess.run([sys.executable, str(runtime), "workers"], capture_output=True, text=True,
                         timeout=30, env={**base, "WEB_CONCURRENCY": "lots"})
    assert good.returncode == 0 and bad.returncode == 0, bad.stderr
    assert bad.stdout == good.stdout and int(bad.stdout) >= 1
    assert bad.stderr.strip() == "shipyard: ignoring WEB_CONCURRENCY='lots' (not a whole number >= 0); using 0"


def test_gunicorn_started_by_the_runtime_survives_a_bad_worker_count(tmp_path):
    """gunicorn reads WEB_CONCURRENCY itself before its config file; supervisord starts it through
    `shipyard_runtime.py start`, which drops a non-number with a warning so gunicorn sizes itself."""
    gunicorn = require_tool("gunicorn")
    app = _app(tmp_path / "app")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    plan = make_plan(app, {"server": "gunicorn"}, confirm=False)
    files = render(plan, Target.local(app, run_dir, VENV_BIN.parent))
    for rel in ("gunicorn.conf.py", "shipyard_runtime.py"):
        (run_dir / rel).write_text(files[rel])
    env = {**os.environ, "WEB_CONCURRENCY": "lots"}
    check = subprocess.run([sys.executable, str(run_dir / "shipyard_runtime.py"), "start", "--", gunicorn,
                            "--check-config", "-c", str(run_dir / "gunicorn.conf.py")], cwd=app, env=env,
                           capture_output=True, text=True, timeout=60, start_new_session=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "ignoring WEB_CONCURRENCY='lots'" in check.stderr and "Traceback" not in check.stderr
    plain = subprocess.run([gunicorn, "--check-config", "-c", str(run_dir / "gunicorn.conf.py")], cwd=app, env=env,
                           capture_output=True, text=True, timeout=60)
    assert plain.returncode != 0 and "ValueError" in plain.stderr   # what the wrapper spares the container


@pytest.mark.slow
def test_serve_from_a_folder_with_a_space_and_static_files(tmp_path):
    """Item 4: nginx refused `alias /my app/static/;` (two arguments). The whole tree now runs from such a
    folder (nginx, supervisord and granian read quoted paths) and serves the static file and the app."""
    require_tool("nginx")
    app = _app(tmp_path / "my app", **{"static/site.css": "body { color: red }\n"})
    before = checksums(app)
    port = free_port()
    run = Running("serve", str(app), "--port", str(port), env={"VIRTUAL_ENV": ""})
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:\d+/", 60), run.output
        assert get(f"http://127.0.0.1:{port}/static/site.css")[::2] == (200, "body { color: red }\n"), run.output
        assert get(f"http://127.0.0.1:{port}/")[::2] == (200, "hi"), run.output
        assert run.stop() == 0, run.output
    finally:
        run.kill()
    assert checksums(app) == before


def test_error_boundary_one_line_then_traceback_with_debug(monkeypatch, capsys):
    """main() is the one boundary: a bug (an exception no one expected) is one line, exit 70, and a pointer
    to --debug; --debug and SHIPYARD_DEBUG=1 show the traceback."""
    import shipyard.commands.settings as settings_cmd

    def broken(args):
        raise RuntimeError("something Shipyard did not expect")

    monkeypatch.setattr(settings_cmd, "run", broken)
    monkeypatch.delenv("SHIPYARD_DEBUG", raising=False)
    assert main(["settings"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("shipyard settings: error: unexpected RuntimeError: something Shipyard did not expect")
    assert "run with --debug for the traceback" in err
    assert main(["--debug", "settings"]) == EXIT_INTERNAL
    assert "Traceback (most recent call last)" in capsys.readouterr().err
    assert main(["settings", "--debug"]) == EXIT_INTERNAL
    assert "Traceback (most recent call last)" in capsys.readouterr().err
    monkeypatch.setenv("SHIPYARD_DEBUG", "1")
    assert main(["settings"]) == EXIT_INTERNAL
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_error_boundary_turns_os_errors_into_one_line(monkeypatch, capsys):
    import shipyard.commands.settings as settings_cmd

    def full_disk(args):
        raise OSError(28, "No space left on device", "/app/Dockerfile")

    monkeypatch.setattr(settings_cmd, "run", full_disk)
    assert main(["settings"]) == 1
    err = capsys.readouterr().err
    assert err == "shipyard settings: error: /app/Dockerfile: No space left on device (free some disk space and run again)\n"
