"""`shipyard cache info|prune|clean` and the marks users leave (cache_store.py), on a cache of the test's own
(XDG_CACHE_HOME in tmp_path): prune keeps what was used recently and what another process is using now, removes
what killed builds left, says what it freed; clean removes the rest; once a day a build evicts the long unused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shipyard import cache_store, environments
from shipyard.__main__ import main

SRC = str(Path(environments.__file__).resolve().parents[1])
DAY = 86400


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = tmp_path / "xdg" / "shipyard"
    root.mkdir(parents=True)
    return root


def make_env(root: Path, name: str, used_days_ago: float | None = None, size: int = 4096) -> Path:
    """A folder shaped as a built environment: .complete, a python, some package files."""
    env = root / "envs" / name
    (env / "bin").mkdir(parents=True)
    (env / "bin" / "python").write_text("#!/bin/sh\n")
    site = env / "lib" / "python3.11" / "site-packages" / "pkg"
    site.mkdir(parents=True)
    (site / "__init__.py").write_bytes(b"x" * size)
    (env / ".complete").write_text("{}\n")
    if used_days_ago is not None:
        when = time.time() - used_days_ago * DAY
        (env / cache_store.USED).touch()
        os.utime(env / cache_store.USED, (when, when))
        os.utime(env / ".complete", (when, when))
    return env


def age(path: Path, days: float) -> None:
    when = time.time() - days * DAY
    for p in (path, *path.rglob("*")):
        os.utime(p, (when, when), follow_symlinks=False)


def holder(folder: Path, how: str = "use") -> subprocess.Popen:
    """Another Shipyard process using `folder` (how="use") or building in it (how="build") until stdin closes."""
    code = ("import sys; from pathlib import Path; from shipyard import cache_store as c\n"
            f"ok = c.use(Path(sys.argv[1])) if {how!r} == 'use' else c.lock_building(Path(sys.argv[1])) is not None\n"
            "print('held' if ok else 'no', flush=True); sys.stdin.read()\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": SRC})
    assert proc.stdout.readline().strip() == "held"
    return proc


def stop(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    proc.wait(10)


def test_use_marks_the_folder_used_now_and_prune_goes_by_that_mark(cache, capsys):
    old = make_env(cache, "py3.11.2-0000000000000001", used_days_ago=45)
    recent = make_env(cache, "py3.11.2-0000000000000002", used_days_ago=45)
    assert cache_store.use(recent)                     # a run used it today
    assert time.time() - (recent / cache_store.USED).stat().st_mtime < 60
    code = main(["cache", "prune"])
    out = capsys.readouterr().out
    assert code == 0
    assert not old.exists() and recent.exists()
    assert "removed 1 proof environment (not used for 30d)" in out and "freed" in out
    assert not list((cache / "envs").glob(".*removing*"))        # nothing half-removed left


def test_an_environment_built_before_marks_existed_goes_by_its_build_date(cache, capsys):
    env = make_env(cache, "py3.10.13-0000000000000003")
    age(env, 40)
    assert main(["cache", "prune", "--older-than", "41d"]) == 0
    assert env.exists()
    assert "nothing to remove (not used for 41d)" in capsys.readouterr().out
    assert main(["cache", "prune", "--older-than", "39d"]) == 0
    assert not env.exists()


def test_prune_and_clean_skip_what_another_process_uses_now_and_say_so(cache, capsys):
    env = make_env(cache, "py3.11.2-0000000000000004", used_days_ago=90)
    proc = holder(env)
    try:
        assert main(["cache", "prune"]) == 0
        assert env.exists()
        assert main(["cache", "clean"]) == 0
        assert env.exists() and (env / "bin" / "python").exists()
        err = capsys.readouterr().err
        assert f"skipped {env}: in use by another Shipyard process now" in err
    finally:
        stop(proc)
    assert main(["cache", "clean"]) == 0
    assert not env.exists()


def test_what_a_killed_build_left_is_removed_a_build_in_progress_is_not(cache, capsys):
    dead = cache / "envs" / ".py3.11.2-0000000000000005.building-abcd1234"
    (dead / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    age(dead, 1)
    live = cache / "envs" / ".py3.11.2-0000000000000006.building-efgh5678"
    live.mkdir(parents=True)
    age(live, 1)
    fresh = cache / "overlays" / ".py3.11.2-gunicorn.building-ijkl9012"   # unlocked but minutes old: an older
    fresh.mkdir(parents=True)                                              # Shipyard (no locks) may be filling it
    half_removed = cache / "envs" / ".py3.11.2-0000000000000007.removing-0badc0de"
    (half_removed / "bin").mkdir(parents=True)
    killed_now = cache / "envs" / ".py3.11.2-0000000000000011.building-locked-mnop3456"   # a Shipyard that locks:
    (killed_now / "bin").mkdir(parents=True)                                               # unlocked is dead
    proc = holder(live, "build")
    try:
        assert main(["cache", "prune", "--older-than", "9999d"]) == 0
    finally:
        stop(proc)
    captured = capsys.readouterr()
    assert not dead.exists() and not half_removed.exists() and not killed_now.exists()
    assert live.exists() and fresh.exists()
    assert "3 folders left by killed builds or removals" in captured.out
    assert f"skipped {live}: a build in progress" in captured.err


def test_clean_removes_everything_it_may_and_says_what(cache, capsys):
    make_env(cache, "py3.11.2-0000000000000008", used_days_ago=0)
    (cache / "overlays" / "py3.11.2-gunicorn").mkdir(parents=True)
    (cache / "logs").mkdir()
    (cache / "logs" / "proof-x.log").write_text("log\n")
    (cache / "pin-conflicts.json").write_text("{}\n")
    (cache / "proof-searches").mkdir()
    (cache / "proof-searches" / "abc.json").write_text("{}\n")
    (cache / "locales" / "tr_TR.UTF-8").mkdir(parents=True)
    assert main(["cache", "clean", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    kinds = sorted(e["kind"] for e in result["removed"])
    assert kinds == ["envs", "logs", "memos", "memos", "overlays", "runtime"]
    left = [p for p in cache.rglob("*") if p.is_file()]
    assert left == []
    assert result["freed_bytes"] == result["on_disk_bytes"] > 4096      # folders included: nothing is shared


def test_a_memo_being_written_is_left_to_its_writer_an_abandoned_one_is_removed(cache, capsys):
    writing = cache / ".moved-pins-abc123"          # cachefile.write's temporary file, renamed into place next
    writing.write_text("{")
    abandoned = cache / "proof-searches" / ".search-def456"
    abandoned.parent.mkdir()
    abandoned.write_text("{")
    age(abandoned, 1)
    assert main(["cache", "clean"]) == 0
    assert writing.exists() and not abandoned.exists()
    assert f"skipped {writing}" in capsys.readouterr().err


def test_prune_keeps_the_memos_and_recent_logs_and_removes_old_logs(cache):
    (cache / "logs").mkdir()
    old_log, new_log = cache / "logs" / "old.log", cache / "logs" / "new.log"
    old_log.write_text("x")
    new_log.write_text("y")
    age(old_log, 40)
    memo = cache / "moved-pins.json"
    memo.write_text("{}")
    age(memo, 400)
    assert main(["cache", "prune"]) == 0
    assert not old_log.exists() and new_log.exists() and memo.exists()


def test_dry_run_removes_nothing(cache, capsys):
    env = make_env(cache, "py3.11.2-0000000000000009", used_days_ago=90)
    assert main(["cache", "prune", "--dry-run"]) == 0
    assert env.exists()
    assert "would remove 1 proof environment" in capsys.readouterr().out


def test_info_counts_and_sizes_per_kind_and_what_only_the_cache_holds(cache, tmp_path, capsys):
    env = make_env(cache, "py3.11.2-000000000000000a", used_days_ago=3, size=64 * 1024)
    # as uv installs: the package file is a hard link to uv's own cache, which keeps it when the env goes
    uv_copy = tmp_path / "uv-cache" / "big.py"
    uv_copy.parent.mkdir()
    uv_copy.write_bytes(b"y" * 256 * 1024)
    os.link(uv_copy, env / "lib" / "python3.11" / "site-packages" / "pkg" / "big.py")
    (cache / "envs" / ".py3.11.2-000000000000000b.building-zzzz0000").mkdir()
    assert main(["cache", "info", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    envs = next(k for k in data["kinds"] if k["kind"] == "envs")
    assert data["cache"] == str(cache)
    assert envs["count"] == 1 and envs["leftovers"] == 1
    assert envs["on_disk_bytes"] >= (256 + 64) * 1024
    assert 64 * 1024 <= envs["only_here_bytes"] < 256 * 1024       # the hard link to uv's cache frees nothing
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert f"cache: {cache}" in out and "(1 left by killed builds or removals)" in out


def test_a_bad_age_is_one_line_saying_what_to_give(cache, capsys):
    assert main(["cache", "prune", "--older-than", "soon"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "--older-than 'soon' is not an age" in err and "30d" in err


def test_a_user_waiting_on_a_removed_folder_finds_it_gone(cache):
    env = make_env(cache, "py3.11.2-000000000000000c", used_days_ago=90)
    outcome = cache_store.remove_all(cache_store.choose(cache_store.entries(cache), 30 * DAY, time.time()),
                                     now=time.time())
    assert [e.path for e in outcome.removed] == [env]
    assert not cache_store.use(env)            # the caller builds it again


def test_a_build_holds_its_folder_while_it_fills_it_and_uses_it_once_built(cache):
    final = cache / "envs" / "py3.11.2-000000000000000d"
    seen = {}

    def build(tmp: Path) -> None:
        (tmp / ".complete").write_text("{}")
        listing = cache_store.entries(cache)
        chosen = cache_store.choose(listing, None, time.time() + 10 * DAY)   # even days later, with no grace left
        seen["during"] = cache_store.remove_all(chosen, now=time.time() + 10 * DAY)

    environments._build_atomically(final, build)
    assert [e.state for e in seen["during"].building] == ["building"] and not seen["during"].removed
    assert final.is_dir() and (final / cache_store.USED).exists()
    # this process holds it now: another process's clean leaves it
    done = subprocess.run([sys.executable, "-m", "shipyard", "cache", "clean"], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": SRC}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert final.is_dir() and "in use by another Shipyard process" in done.stderr


def test_once_a_day_a_build_evicts_what_nobody_used_for_sixty_days(cache):
    stale = make_env(cache, "py3.11.2-000000000000000e", used_days_ago=61)
    kept = make_env(cache, "py3.11.2-000000000000000f", used_days_ago=59)
    lines: list[str] = []
    outcome = cache_store.evict_unused(cache, say=lines.append)
    assert outcome is not None and [e.path for e in outcome.removed] == [stale]
    assert kept.exists() and "unused for 60 days" in lines[0]
    later = make_env(cache, "py3.11.2-0000000000000010", used_days_ago=100)
    assert cache_store.evict_unused(cache) is None          # done today already
    assert later.exists()
    assert cache_store.evict_unused(cache, now=time.time() + DAY + 60) is not None
    assert not later.exists()


def test_ages_in_days_hours_and_weeks():
    assert cache_store.parse_age("30") == 30 * DAY
    assert cache_store.parse_age("12h") == 12 * 3600
    assert cache_store.parse_age("2w") == 14 * DAY
    with pytest.raises(ValueError):
        cache_store.parse_age("-1d")


def test_a_cached_proof_environment_and_overlay_are_marked_and_held_when_a_run_reuses_them(cache):
    python = environments.interpreter_info(sys.executable)
    spec = environments.InstallSpec(("six==1.16.0",))
    env = cache / "envs" / f"py{python.version}-{spec.key(python)}"
    make_env(cache, env.name, used_days_ago=45)
    found = environments.proof_environment(spec, python, timeout=5, say=None)
    assert Path(found.python).parents[1] == env
    overlay = cache / "overlays" / f"py{python.version}-gunicorn"
    (overlay / "lib" / f"python{python.minor}" / "site-packages").mkdir(parents=True)
    (overlay / ".complete").write_text("gunicorn\n")
    site = environments.overlay_site(environments.Environment(sys.executable, "test"), ("gunicorn",), say=None)
    assert site.parents[2] == overlay
    for folder in (env, overlay):
        assert time.time() - (folder / cache_store.USED).stat().st_mtime < 60
    # held by this process: another process's prune of everything leaves both
    done = subprocess.run([sys.executable, "-m", "shipyard", "cache", "prune", "--older-than", "0h"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert env.is_dir() and overlay.is_dir()
    assert done.stderr.count("in use by another Shipyard process") == 2, done.stderr


def test_a_cache_path_that_is_a_file_is_one_line_saying_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "shipyard").write_text("not a folder")
    assert main(["cache", "prune"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "is not a folder" in err and "XDG_CACHE_HOME" in err
