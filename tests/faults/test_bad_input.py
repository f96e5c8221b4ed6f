"""Bad input, as a catalogue: every row is a folder, file, setting or flag a user really gets wrong.

Each case runs the real CLI in its own session and asserts
  * the exit code (2: a bad flag, path or setting; 1: an app or file problem; 0: tolerated, with a note),
  * one line on stderr, `shipyard CMD: error: ...`, no traceback (or, when tolerated, the note on stdout),
  * that no file in the app's folder changed (checksums of every entry before and after),
  * that no process of the run is left behind.
docs/reliability.md ("Bad input") lists the same cases and what Shipyard does about each.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

import shipyard
from conftest import EXAMPLES, free_port

SRC = str(Path(shipyard.__file__).resolve().parent.parent)
FLASK_APP = 'from flask import Flask\napp = Flask(__name__)\n\n\n@app.route("/")\ndef index():\n    return "hi"\n'


# --- running the CLI and looking at what it leaves -------------------------------------------------------

@dataclass
class Result:
    code: int
    out: str
    err: str
    leftovers: list[str]


def _session_members(sid: int) -> list[str]:
    """`pid command` of every live process in session `sid` (the run's whole tree, however deep)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            found.append(f"{entry.name} {cmdline}")
    return found


def without_dac() -> list[str]:
    """Run as root but bound by file permissions (no CAP_DAC_OVERRIDE): chmod 000 / 0555 then mean
    what they mean for every other user. As a normal user nothing needs dropping."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to test permission errors as root"
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


def shipyard_cli(args: list[str], *, env: dict[str, str] | None = None, timeout: float = 60,
                 drop_dac: bool = False) -> Result:
    environ = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "SHIPYARD_DEBUG")}
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, (SRC, environ.get("PYTHONPATH"))))
    environ.update(env or {})
    cmd = [*(without_dac() if drop_dac else []), sys.executable, "-m", "shipyard", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            start_new_session=True, env=environ, text=True, errors="replace")
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"shipyard {' '.join(args)} still running after {timeout}s (a hang):\n{out}\n{err}")
    deadline = time.monotonic() + 3
    while (left := _session_members(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for line in left:   # do not leak them into the next test, but fail this one
        try:
            os.kill(int(line.split()[0]), signal.SIGKILL)
        except ProcessLookupError:
            pass
    return Result(proc.returncode, out, err, left)


def checksums(root: Path) -> dict[str, str]:
    """Every entry under `root` (not following links, never opening a FIFO or device): type, mode, content."""
    seen: dict[str, str] = {}
    if not root.exists():
        return seen
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            info = path.lstat()
            rel = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                seen[rel] = f"link {os.readlink(path)}"
            elif stat.S_ISREG(info.st_mode):
                if info.st_mode & 0o444 and os.access(path, os.R_OK):
                    seen[rel] = f"file {oct(info.st_mode)} {hashlib.sha256(path.read_bytes()).hexdigest()}"
                else:
                    seen[rel] = f"file {oct(info.st_mode)} size {info.st_size} mtime {info.st_mtime_ns}"
            else:
                seen[rel] = f"{stat.S_IFMT(info.st_mode)} {oct(info.st_mode)}"
    return seen


PROOF_PROGRESS = re.compile(r"shipyard: (building a proof environment with |  \.\.\. |proof environment ready in )")


def assert_one_line_error(result: Result, command: str, code: int, message: str) -> None:
    assert "Traceback" not in result.err + result.out, result.err
    assert result.code == code, f"exit {result.code}, wanted {code}\n{result.out}\n{result.err}"
    # the progress of a proof environment built first (whether one is cached depends on the tests run before)
    # is progress, not the error: the error is still one line
    lines = [ln for ln in result.err.splitlines() if ln.strip() and not PROOF_PROGRESS.match(ln)]
    assert len(lines) == 1, f"wanted one line on stderr, got:\n{result.err}"
    assert lines[0].startswith(f"shipyard {command}: error: "), lines[0]
    assert re.search(message, lines[0]), f"{message!r} not in: {lines[0]}"


# --- building the bad folders ----------------------------------------------------------------------------

def flask_app(root: Path, **extra: str | bytes) -> None:
    files: dict[str, str | bytes] = {"app.py": FLASK_APP, **extra}
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def pyproject(text: str) -> Callable[[Path], None]:
    return lambda root: flask_app(root, **{"pyproject.toml": text})


def with_special(kind: str, name: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        flask_app(root)
        path = root / name
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "socket":
            with socket.socket(socket.AF_UNIX) as s:
                s.bind(str(path))
        elif kind == "dangling":
            path.symlink_to(root / "does-not-exist.py")
        elif kind == "devzero":
            path.symlink_to("/dev/zero")
        elif kind == "loop":
            path.symlink_to(root / "loop_b.py")
            (root / "loop_b.py").symlink_to(path)
    return build


def many_files(root: Path) -> None:
    """6000 data files sorted before the app's folder: the old scan stopped at 5000 and found nothing."""
    flask_app(root / "web")
    data = root / "data"
    data.mkdir()
    for i in range(6000):
        (data / f"{i:05}.csv").touch()


def unreadable(rel: str, content: str = "flask\n") -> Callable[[Path], None]:
    def build(root: Path) -> None:
        flask_app(root, **{rel: content})
        (root / rel).chmod(0)
    return build


def read_only(root: Path) -> None:
    flask_app(root, **{"requirements.txt": "flask\n"})
    root.chmod(0o555)


def broken_venv(root: Path) -> None:
    flask_app(root)
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "pyvenv.cfg").write_text("home = /nonexistent\n")
    (root / ".venv" / "bin" / "python").symlink_to("/nonexistent/python3")


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Path], None]
    args: tuple[str, ...]            # "{app}" is replaced by the folder
    code: int
    message: str                     # regex: in the one stderr line, or (code 0) on stdout
    env: dict[str, str] = field(default_factory=dict)
    drop_dac: bool = False           # needs file permissions to apply even to root
    item: str = ""                   # the item number, where the case comes from one


def case(id, build, args, code, message, **kw) -> pytest.param:
    c = Case(id, build, tuple(args.split()) if isinstance(args, str) else tuple(args), code, message, **kw)
    return pytest.param(c, id=id)


CATALOGUE = [
    # -- bad folders -----------------------------------------------------------------------------------------
    case("folder-missing", flask_app, "inspect {app}/nope", 2, r"folder not found: .*nope \(pass the path"),
    case("file-instead-of-folder", flask_app, "inspect {app}/app.py", 2, r"not a folder: .*app\.py"),
    case("empty-folder", lambda root: None, "inspect {app}", 1, r"no web app found \(searched 0 Python modules"),
    case("binary-py-only", lambda root: flask_app(root, **{"app.py": b"\x00\x01\xfe\xff" * 64}),
         "inspect {app}", 1, r"app\.py: syntax error: source code string cannot contain null bytes"),
    case("syntax-error", lambda root: flask_app(root, **{"app.py": "from flask import Flask\napp = Flask(\n"}),
         "inspect {app}", 1, r"app\.py:2: syntax error"),
    case("non-utf8-source", lambda root: flask_app(root, **{"app.py": b"# caf\xe9 latin-1\n" + FLASK_APP.encode()}),
         "inspect {app}", 0, r"entry +app:app"),
    case("many-files", many_files, "inspect {app}", 0, r"entry +app:app[\s\S]*run from +web", item="5"),
    case("many-files-explicit-entry", many_files, "inspect {app} --entry web.app:app", 0, r"entry +web\.app:app",
         item="5"),
    case("fifo-named-py", with_special("fifo", "p.py"), "inspect {app}", 0, r"not read: p\.py \(FIFO\)", item="8"),
    case("symlink-to-dev-zero", with_special("devzero", "z.py"), "inspect {app}", 0,
         r"not read: z\.py \(character device\)", item="8"),
    case("dangling-symlink-py", with_special("dangling", "x.py"), "inspect {app}", 0,
         r"not read: x\.py \(dangling symlink\)", item="7"),
    case("unix-socket-py", with_special("socket", "x.py"), "inspect {app}", 0, r"not read: x\.py \(socket\)",
         item="7"),
    case("symlink-loop-py", with_special("loop", "loop_a.py"), "inspect {app}", 0, r"loop_a\.py \(symlink loop\)"),
    case("odd-path-unicode-space", lambda root: flask_app(root / "my ünï app"), ["inspect", "{app}/my ünï app"], 0,
         r"entry +app:app"),
    case("out-is-a-file", flask_app, "init {app} --out {app}/app.py --dry-run", 2, r"--out .*app\.py is a file"),
    case("folder-symlink-loop", lambda root: (flask_app(root), (root / "sub").mkdir(),
                                              (root / "sub" / "up").symlink_to(root)),
         "inspect {app}", 0, r"entry +app:app"),
    case("huge-py", lambda root: flask_app(root, **{"data.py": "x = 1\n" * 900_000}), "inspect {app}", 0,
         r"not read: data\.py \(5 MiB, larger than the 4 MiB"),
    case("unreadable-py", unreadable("helpers.py", "x = 1\n"), "inspect {app}", 0,
         r"not read: helpers\.py \(permission denied\)", drop_dac=True),
    case("fifo-requirements", with_special("fifo", "requirements.txt"), "reqs {app} --stdout", 0,
         r"Flask", item="8"),
    case("unreadable-requirements", unreadable("requirements.txt"), "reqs {app} --stdout", 2,
         r"cannot read requirements\.txt: permission denied \(make requirements\.txt readable", drop_dac=True),
    case("broken-venv", broken_venv, "inspect {app}", 0,
         r"note .*the app's \.venv has no working python \(a dangling symlink\?", item="12"),
    case("no-venv-missing-package", lambda root: flask_app(root, **{"app.py": "import nosuchpkg_xyz\n" + FLASK_APP}),
         # no environment can hold it: the static answer, marked not proven, with the reason
         "inspect {app}", 0, r"not proven .*nosuchpkg-xyz is not on the package index", item="12"),
    # the app's run-time configuration, not its code: the static answer, not proven, naming what to set
    case("env-var-unset-at-import",
         lambda root: flask_app(root, **{"app.py": "import os\nKEY = os.environ['SHIPYARD_FAULT_KEY']\n" + FLASK_APP}),
         "inspect {app}", 0, r"not proven +app\.py:2: importing app:app reads the environment variable "
         r"SHIPYARD_FAULT_KEY, which is not set"),
    case("env-var-unset-serve",
         lambda root: flask_app(root, **{"app.py": "import os\nKEY = os.environ['SHIPYARD_FAULT_KEY']\n" + FLASK_APP}),
         "serve {app} --port {port} --db none", 1,
         r"reads the environment variable SHIPYARD_FAULT_KEY, which is not set \(set SHIPYARD_FAULT_KEY"),
    case("unreadable-folder", lambda root: (flask_app(root), root.chmod(0)), "inspect {app}", 2,
         r"cannot read the folder .*: permission denied \(make it readable", drop_dac=True),
    case("unreadable-subfolder", lambda root: (flask_app(root, **{"lib/util.py": "x = 1\n"}), (root / "lib").chmod(0)),
         "inspect {app}", 0, r"not read: lib \(permission denied\)", drop_dac=True),
    # -- bad files -------------------------------------------------------------------------------------------
    case("pyproject-not-toml", pyproject("[project\nname = 'x'\n"), "inspect {app}", 2,
         r"pyproject\.toml is not valid TOML"),
    case("pyproject-tool-is-int", pyproject("tool = 5\n"), "inspect {app}", 2, r"tool = 5 is not a table", item="7"),
    case("pyproject-project-is-string", pyproject('project = "x"\n'), "inspect {app}", 2,
         r"project = 'x' is not a table", item="7"),
    case("pyproject-name-is-int", pyproject("[project]\nname = 5\n"), "inspect {app}", 2,
         r"project\.name = 5 is not a string", item="7"),
    case("dependencies-is-string", pyproject('[project]\nname = "a"\ndependencies = "flask"\n'),
         "reqs {app} --stdout", 2, r"project\.dependencies = 'flask' is not a list of strings", item="6"),
    case("dependencies-hold-a-number", pyproject('[project]\nname = "a"\ndependencies = ["flask", 3]\n'),
         "reqs {app} --stdout", 2, r"is not a list of strings"),
    case("optional-dependencies-is-list", pyproject('[project]\nname = "a"\noptional-dependencies = ["x"]\n'),
         "inspect {app}", 2, r"optional-dependencies is not a table of lists"),
    case("poetry-dependencies-is-list", pyproject('[tool.poetry]\ndependencies = ["flask"]\n'),
         "inspect {app}", 2, r"tool\.poetry\.dependencies = \['flask'\] is not a table", item="7"),
    case("pipfile-packages-is-list", lambda root: flask_app(root, Pipfile='packages = ["flask"]\n'),
         "inspect {app}", 2, r"Pipfile: packages = \['flask'\] is not a table"),
    case("requirements-include-missing", lambda root: flask_app(root, **{"requirements.txt": "-r nope.txt\n"}),
         "inspect {app}", 0, r"requirements\.txt includes nope\.txt, which does not exist"),
    # -- bad settings ([tool.shipyard], flags) -----------------------------------------------------------------
    case("tool-shipyard-is-int", pyproject("[tool]\nshipyard = 5\n"), "inspect {app}", 2,
         r"tool\.shipyard = 5 is not a table"),
    case("setting-unknown-key", pyproject("[tool.shipyard]\nwrokers = 2\n"), "inspect {app}", 2,
         r"unknown setting 'wrokers'.*known settings:"),
    case("setting-workers-word", pyproject('[tool.shipyard]\nworkers = "lots"\n'), "inspect {app}", 2,
         r"workers = 'lots' is not a whole number"),
    case("setting-workers-bool", pyproject("[tool.shipyard]\nworkers = true\n"), "inspect {app}", 2,
         r"workers = True is not a whole number"),
    case("setting-timeout-float", pyproject("[tool.shipyard]\ntimeout = 1.5\n"), "inspect {app}", 2,
         r"timeout = 1\.5 is not a whole number"),
    case("setting-port-too-big", pyproject("[tool.shipyard]\nport = 70000\n"), "inspect {app}", 2,
         r"port = 70000 is invalid \(expected a port number up to 65535\)"),
    case("setting-server-unknown", pyproject('[tool.shipyard]\nserver = "apache"\n'), "inspect {app}", 2,
         r"server = 'apache' is not allowed \(choose one of"),
    case("setting-entry-is-list", pyproject('[tool.shipyard]\nentry = ["app:app"]\n'), "inspect {app}", 2,
         r"entry = \['app:app'\] is not a string"),
    case("setting-smoke-paths-int", pyproject("[tool.shipyard]\nsmoke_paths = 5\n"), "inspect {app}", 2,
         r"smoke_paths = 5 is not a list of strings"),
    case("setting-health-path-relative", pyproject('[tool.shipyard]\nhealth_path = "health"\n'), "inspect {app}", 2,
         r"health_path = 'health' is invalid \(expected a URL path"),
    case("setting-body-size-word", pyproject('[tool.shipyard]\nmax_body_size = "huge"\n'), "inspect {app}", 2,
         r"max_body_size = 'huge' is invalid"),
    case("setting-release-int", pyproject("[tool.shipyard]\nrelease = 5\n"), "inspect {app}", 2,
         r"release = 5 is not a string \(quote it"),
    case("setting-python-2", pyproject('[tool.shipyard]\npython = "2.7"\n'), "inspect {app}", 2,
         r"python = '2\.7' is invalid \(expected a version such as 3\.12\)"),
    case("setting-topology-unknown", pyproject('[tool.shipyard]\ntopology = "k8s"\n'), "inspect {app}", 2,
         r"topology = 'k8s' is not allowed \(choose one of: bundle, app, compose\)"),
    case("setting-keepalive-negative", pyproject("[tool.shipyard]\nkeepalive = -1\n"), "inspect {app}", 2,
         r"keepalive = -1 is below 0"),
    case("setting-threads-too-many", pyproject("[tool.shipyard]\nthreads = 5000\n"), "inspect {app}", 2,
         r"threads = 5000 is above 1024"),
    case("setting-uid-root", pyproject("[tool.shipyard]\nuser_uid = 0\n"), "inspect {app}", 2,
         r"user_uid = 0 is below 1000"),
    case("setting-smoke-path-relative", pyproject('[tool.shipyard]\nsmoke_paths = ["health"]\n'), "inspect {app}", 2,
         r"smoke_paths = \['health'\] is invalid"),
    case("flag-workers-100000", flask_app, "init {app} --workers 100000 --dry-run", 2,
         r"workers = 100000 is above 512", item="12"),
    case("flag-workers-word", flask_app, "init {app} --workers lots --dry-run", 2, r"argument --workers"),
    case("flag-port-zero", flask_app, "init {app} --port 0 --dry-run", 2, r"port = 0 is below 1"),
    case("flag-entry-bad-syntax", flask_app, ["inspect", "{app}", "--entry", "app app"], 2,
         r"entry = 'app app' is invalid \(expected module:attr"),
    case("flag-entry-no-module", flask_app, "inspect {app} --entry web.nope:app", 1, r"no module web\.nope"),
    case("flag-entry-no-attr", flask_app, "inspect {app} --entry app:nothing", 1,
         r"app\.py has no top-level name 'nothing' \(names there that hold an app: app\)"),
    case("flag-server-unknown", flask_app, "init {app} --server apache --dry-run", 2, r"argument --server"),
    # -- writing into a folder that refuses it -----------------------------------------------------------------
    case("init-read-only-folder", read_only, "init {app}", 1,
         r"app/Dockerfile: Permission denied \(check the folder's permissions \(ls -ld .*app\)",
         drop_dac=True, item="7"),
    case("reqs-force-read-only-folder", read_only, "reqs {app} --force", 1,
         r"Permission denied.*check the folder's permissions", drop_dac=True, item="7"),
    case("serve-port-in-use", flask_app, "serve {app} --port {busy_port}", 1,
         r"port \d+ is already in use \(stop what listens there"),
    case("serve-socket-path-too-long", flask_app, "serve {app} --no-nginx --port {port}", 1,
         r"socket path is too long for a unix socket .*set TMPDIR to a short folder",
         env={"TMPDIR": "{long_tmp}"}, item="12"),
]


@pytest.mark.parametrize("c", CATALOGUE)
def test_bad_input(c: Case, tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    c.build(app)
    long_tmp = tmp_path / ("t" * 120)
    long_tmp.mkdir()
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    fill = {"app": str(app), "port": str(free_port()), "long_tmp": str(long_tmp),
            "busy_port": str(busy.getsockname()[1])}
    before = checksums(app)
    try:
        result = shipyard_cli([a.format(**fill) for a in c.args], env={k: v.format(**fill) for k, v in c.env.items()},
                              # a hang is what this bounds, with room for a first import proof on a busy machine
                              # with a cold cache (a proof environment to build)
                              drop_dac=c.drop_dac, timeout=180)
        after = checksums(app)      # before permissions are restored for the clean-up
    finally:
        busy.close()
        for path in (app, *app.rglob("*")) if c.drop_dac else ():
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
    command = c.args[0]
    if c.code == 0:
        assert "Traceback" not in result.err + result.out, result.err
        assert result.code == 0, f"exit {result.code}\n{result.out}\n{result.err}"
        assert re.search(c.message, result.out), f"{c.message!r} not in:\n{result.out}"
    else:
        assert_one_line_error(result, command, c.code, c.message)
    assert after == before, "a file in the app's folder changed"
    assert not result.leftovers, f"processes left behind: {result.leftovers}"
    assert not list(long_tmp.iterdir()), "a run folder was left in TMPDIR"


def test_catalogue_is_big_enough_distinct_and_documented():
    ids = [p.values[0].id for p in CATALOGUE]
    assert len(ids) == len(set(ids)) and len(ids) >= 30
    doc = (Path(__file__).resolve().parents[2] / "docs" / "reliability.md").read_text()
    assert not [i for i in ids if f"`{i}`" not in doc], "docs/reliability.md must list every case"
