"""bench/corpus.py: its entry match (the manifest's entries against the plan `inspect --json` gives), and the
line that says why a serve failed."""
import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("bench_corpus", Path(__file__).parents[2] / "bench" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

# src/app.py importing its siblings flat and opening 'src/db/events.csv': run from the root with src/ on sys.path
FROM_ROOT = {"workdir": ".", "entry": {"module": "app", "attr": "app", "kind": "attribute", "import_folder": "src"}}
FROM_SRC = {"workdir": "src", "entry": {"module": "app", "attr": "app", "kind": "attribute", "import_folder": None}}
APP = {"entry": {"workdir": "src", "target": "app:app"},
       "entry_also": [{"workdir": ".", "target": "app:app", "import_folder": "src"}]}


def test_a_want_with_an_import_folder_matches_that_run_only():
    assert corpus.entry_matches(FROM_SRC, APP)
    assert corpus.entry_matches(FROM_ROOT, APP)
    # the root with no import folder would import a top-level app.py the project does not have
    no_folder = {"workdir": ".", "entry": {**FROM_ROOT["entry"], "import_folder": None}}
    assert not corpus.entry_matches(no_folder, APP)
    assert not corpus.entry_matches({"workdir": ".", "entry": {**FROM_ROOT["entry"], "import_folder": "lib"}}, APP)


def test_a_want_without_an_import_folder_still_matches_on_workdir_and_target():
    assert not corpus.entry_matches(FROM_ROOT, {"entry": {"workdir": "src", "target": "app:app"}})
    assert corpus.entry_matches(FROM_SRC, {"entry": {"workdir": "src", "target": "app:app"}})


def test_a_script_want_matches_its_app_imported_from_the_folder_that_command_puts_on_sys_path():
    # `python src/app.py` from the root (uvicorn.run(app) under __main__): the app object imported from src/
    # with the root as working directory is that run; from src/ (no import folder) it is not
    want = {"entry": {"workdir": ".", "script": "src/app.py"}}
    assert corpus.entry_matches(FROM_ROOT, want)
    assert not corpus.entry_matches(FROM_SRC, want)
    assert not corpus.entry_matches({"workdir": ".", "entry": {**FROM_ROOT["entry"], "import_folder": "lib"}}, want)


def test_an_app_that_answers_wrong_is_explained_by_serves_last_warning_not_the_stop_notice():
    answers = [{"path": "/", "want": 200, "got": 500}]
    log = ("shipyard: installing 2 packages\nshipyard: warning: init_db() failed (exit status 1): TypeError: x\n"
           "shipyard: starting app + nginx under supervisord\n[INFO] Started worker-1\n")
    assert corpus.answered_why(answers, log) == \
        "answered / 500 (want 200); log: shipyard: warning: init_db() failed (exit status 1): TypeError: x"
    assert corpus.answered_why(answers, "shipyard: starting app\n") == \
        "answered / 500 (want 200); log: shipyard: starting app"


def _git(repo: Path, *args: str, when: int | None = None) -> str:
    import os
    import subprocess
    env = {**os.environ, "GIT_AUTHOR_DATE": f"@{when} +0000", "GIT_COMMITTER_DATE": f"@{when} +0000"} if when \
        else None
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True,
                          capture_output=True, text=True, env=env).stdout.strip()


def test_a_checkout_is_a_repository_with_commits_that_keep_each_files_date(tmp_path):
    """An app reading its own HEAD at import (a portal's `git describe --always`) fails on `git init` with no commit,
    where a clone answers; the checkout's history still dates each file as the repository's does, which is what
    Shipyard resolves an app's open packages as of (environments.last_changed, code_changed)."""
    import subprocess
    import sys
    from shipyard import environments
    mirror = tmp_path / "mirrors" / "someone+portal" / "repo"
    mirror.mkdir(parents=True)
    _git(mirror, "init", "-q")
    (mirror / "requirements.txt").write_text("flask\n")
    (mirror / ".gitignore").write_text("version.txt\n")
    _git(mirror, "add", "-A")
    _git(mirror, "commit", "-q", "-m", "2019", when=1556755200)                 # 2019-05-02
    (mirror / "app.py").write_text("import subprocess\n"
                                   "VERSION = subprocess.check_output(['git', 'rev-parse', 'HEAD'], text=True)\n")
    (mirror / "version.txt").write_text("1.0\n")
    _git(mirror, "add", "-A", "-f")
    _git(mirror, "commit", "-q", "-m", "2021", when=1619913600)                 # 2021-05-02
    app = {"id": "portal", "repo": "someone/portal", "commit": _git(mirror, "rev-parse", "HEAD")}
    corpus.checkout([app], tmp_path / "co", tmp_path / "mirrors")
    target = tmp_path / "co" / "portal"
    done = subprocess.run([sys.executable, "-c", "import app; print(app.VERSION)"], cwd=target, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert environments.last_changed(target, "requirements.txt") == (1556755200, "when requirements.txt last "
                                                                                 "changed in git")
    assert environments.code_changed(target) == (1619913600, "when its Python files last changed in git")
    assert _git(target, "ls-files", "version.txt") == "version.txt"          # committed, though .gitignore names it
    assert not _git(target, "status", "--porcelain")
