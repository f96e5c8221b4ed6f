"""The app's example environment file (`.env.example` and its kin): which one, and what it sets.

A person following an app's README copies its example env file to `.env` and runs the app. Shipyard reads the
file in place instead (nothing in the app folder is copied or changed) and passes its variables to the import
proof, `serve` and `dev`; never into the image or the generated files, where secrets do not belong. An app
that has a `.env` of its own is left to it.

The choice among several, stated once (`pick`): the generic example (`.env.example`, `.env.sample`,
`.env.template`, `env.example`, `.env.dist`...) first, as READMEs say to copy that one; then a development one
(`.env.dev`, `.env.development`, `.env.local`); then any other; test files, then production ones
(`.env.prod`, which name production hosts and want real secrets) last; among equals the shorter name, then
the first in alphabetical order. Files for another container (`.env.prod.db`, `.env-mysql`) are not the app's.

Where (`folders`): first the folders of the `.env` files the app's code names by a path built on `__file__`
(`Config(Path(__file__).parent / ".env")`, `load_dotenv(os.path.join(BASE_DIR, ".env"))`,
`environ.Env.read_env(...)`, a pydantic `env_file=`): the example beside the file a loader reads is the one to
copy there. Then the app's workdir and the folders above it, nearest first, then the project root (a bare ".env"
is read from the folder the app runs in, and python-dotenv's find_dotenv walks up from the code: the example
nearest the app is the one its README says to copy, not the repository root's), then the entry module's own folder (`pastebin/` for the entry `pastebin:app`). Last, when none of those
has one, a deployment folder at the root (`deployment/.env_template` beside the production compose file,
`docker/.env.example`, `envs/.env.example`): the only example the app ships is still the one a person copies.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Mapping

from ..project import Project
from . import readme_env
from .ast_nodes import ast_nodes
from .generated import SECRETS_FILE
from .source import parsed
from .source_paths import assigned, project_path

_WORDS = re.compile(r"[^a-z0-9]+")
GENERIC = {"example", "examples", "sample", "samples", "template", "tpl", "dist", "default", "defaults", "in"}
DEVELOPMENT = {"dev", "develop", "development", "local"}
TEST = {"test", "tests", "testing", "ci"}
PRODUCTION = {"prod", "production", "live"}
OTHER_CONTAINER = {"db", "database", "postgres", "postgresql", "pg", "mysql", "mariadb", "redis", "mongo",
                   "mongodb", "nginx", "rabbitmq", "celery", "worker"}
NOT_ENV = {"py", "sh", "json", "yml", "yaml", "toml", "txt", "md", "cfg", "ini", "j2", "bak", "swp"}
# root folders that keep an app's deployment files, its example env file among them: looked in last
DEPLOYMENT_FOLDERS = ("deploy", "deployment", "deployments", "docker", "envs", ".envs", "env", "environments",
                      "config", "ops", "infra")


def _words(name: str) -> list[str] | None:
    """The words around `env` in an env file's name (".env.local.example" -> ["local", "example"]), or None
    when the name is not an env file's."""
    words = [w for w in _WORDS.split(name.lower()) if w]
    if name == SECRETS_FILE or "env" not in words or name.lower() in (".env", ".envrc") or words[-1] in NOT_ENV:
        return None
    others = [w for w in words if w != "env"]
    return others if others else None


def rank(name: str) -> tuple[int, int, str] | None:
    """Sort key of an example env file's name (lower is preferred), or None when it is not one."""
    words = _words(name)
    if words is None or OTHER_CONTAINER & set(words):
        return None
    kinds = set(words)
    if kinds & GENERIC:
        order = 0
    elif kinds & PRODUCTION:
        order = 4
    elif kinds & TEST:
        order = 3
    elif kinds & DEVELOPMENT:
        order = 1
    else:
        order = 2
    return order, len(name), name


def pick(names: list[str]) -> str | None:
    """The example env file to read among `names` (file names in one folder), by the rule above."""
    ranked = sorted((key, name) for name in names if (key := rank(name)) is not None)
    return ranked[0][1] if ranked else None


@dataclass(frozen=True)
class EnvFile:
    path: str                             # relative to the project root
    values: tuple[tuple[str, str], ...]   # in file order
    others: tuple[str, ...] = ()          # the example files not chosen, for the note
    shown: bool = False                   # the `.env` a README shows (detect/readme_env.py), not a file

    @property
    def described(self) -> str:
        return f"the .env its README shows ({self.path})" if self.shown else f"the app's example env file {self.path}"

    def note(self) -> str:
        also = f"; not {', '.join(self.others)}" if self.others else ""
        return f"{self.described}{also}"


def find(project: Project, folders: tuple[str, ...] = (".",)) -> EnvFile | None:
    """The app's example env file in the first of `folders` (the project root, then the app's workdir) that
    has one, read; None when the app has a `.env` there (its own configuration) or no example file."""
    for folder in dict.fromkeys(folders):
        base = PurePosixPath(folder)
        if project.is_file(str(base / ".env")):
            return None
        names = sorted(p.name for p in _children(project, base))
        chosen = pick(names)
        if chosen is not None:
            rel = str(base / chosen) if folder != "." else chosen
            others = tuple(str(base / n) if folder != "." else n for n in names
                           if n != chosen and rank(n) is not None)
            return EnvFile(rel, tuple(parse(project.read_text(rel)).items()), others)
    return None


def siblings(project: Project, chosen: EnvFile | None, required: set[str]) -> tuple[EnvFile, ...]:
    """The other env files beside the chosen example (`chosen.others`, best first by the rule above), each read
    for the `required` names (read by the code with no default) that the chosen one leaves out: a 2021 FastAPI
    starter's settings require PHASE, which only its .env.sandbox sets, beside env.example's MySQL names. A
    person copies the example, the import stops on PHASE, and the value they write is the one the project
    ships. Production files are left out (they name production hosts and want real secrets)."""
    if chosen is None or chosen.shown or not required:
        return ()
    missing = required - {name for name, value in chosen.values if value}
    out = []
    for rel in chosen.others:
        key = rank(PurePosixPath(rel).name)
        if not missing or key is None or key[0] == 4:
            continue
        values = tuple((n, v) for n, v in parse(project.read_text(rel)).items() if n in missing and v)
        if values:
            out.append(EnvFile(rel, values))
            missing -= {n for n, _ in values}
    return tuple(out)


def folders(project: Project, workdir: str, entry_module: str | None = None) -> tuple[str, ...]:
    """Where to look for the app's example env file, in order (rule in the module docstring)."""
    return tuple(dict.fromkeys((*named_folders(project), *_up_from(workdir), ".",
                                *_entry_folder(project, workdir, entry_module), *DEPLOYMENT_FOLDERS)))


def _up_from(workdir: str) -> tuple[str, ...]:
    """The app's workdir and the folders above it, nearest first, the root left out (`emlinh_mng`, for an app run
    from emlinh_mng/ whose .env.example sits beside it while the root's is another project's)."""
    folder = PurePosixPath(workdir or ".")
    out = []
    while str(folder) not in (".", ""):
        out.append(str(folder))
        folder = folder.parent
    return tuple(out)


def for_app(project: Project, workdir: str, entry_module: str | None = None) -> EnvFile | None:
    """The app's example env file, looked for where `folders` says; else, for an app with no `.env` of its own,
    the one its README shows."""
    found = find(project, folders(project, workdir, entry_module))
    if found is not None or any(project.is_file(str(PurePosixPath(f) / ".env")) for f in (".", workdir)):
        return found
    shown = readme_env.find(project, (".", workdir))
    return EnvFile(shown[0], tuple(parse(shown[1]).items()), shown=True) if shown else None


def named_folders(project: Project) -> tuple[str, ...]:
    """The folders of the env files (`.env`, `.env.local`) that the app's code names by a path built on
    `__file__`, in file order."""
    out: list[str] = []
    for rel, tree in parsed(project).items():
        if not any(isinstance(n, ast.Constant) and isinstance(n.value, str) and ".env" in n.value
                   for n in ast_nodes(tree)):
            continue                      # most files: no env file named at all
        names = assigned(tree)
        for node in ast_nodes(tree):
            if not isinstance(node, (ast.BinOp, ast.Call, ast.JoinedStr)):
                continue
            path = project_path(node, rel, names, literals=False)
            if path is None:
                continue
            name = PurePosixPath(path).name
            if name == ".env" or _words(name) is not None:
                out.append(str(PurePosixPath(path).parent))
    return tuple(dict.fromkeys(out))


def _entry_folder(project: Project, workdir: str, module: str | None) -> tuple[str, ...]:
    """The folder of the entry module's file (`pastebin` for `pastebin/__init__.py`, `app` for app/main.py)."""
    if not module:
        return ()
    base = PurePosixPath(workdir, *module.split("."))
    if project.is_file(str(base / "__init__.py")):
        return (str(base),)
    return (str(base.parent),) if project.is_file(f"{base}.py") else ()


def _children(project: Project, base: PurePosixPath) -> list[PurePosixPath]:
    folder = project.root / base
    try:
        return [PurePosixPath(p.name) for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []


_ASSIGN = re.compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}")


def parse(text: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """NAME=value lines as python-dotenv and Compose read them: `export` prefixes, quotes, comments,
    ${OTHER} (and ${OTHER:-default}) from earlier lines or `environ`; no command substitution."""
    values: dict[str, str] = {}
    env = environ or {}
    for line in text.splitlines():
        match = _ASSIGN.match(line)
        if not match:
            continue
        name, raw = match.group(1), match.group(2).strip()
        if raw[:1] in ("'", '"') and raw.find(raw[0], 1) > 0:
            quote = raw[0]
            value = raw[1:raw.find(quote, 1)]
            if quote == "'":
                values[name] = value            # single quotes: literal
                continue
            value = value.replace("\\n", "\n").replace('\\"', '"')
        else:
            value = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
        values[name] = interpolate(value, values, env)
    return values


def interpolate(value: str, known: Mapping[str, str], environ: Mapping[str, str] | None = None) -> str:
    """${OTHER} and ${OTHER:-default} in `value`, from `known` (earlier lines), then `environ`."""
    env = environ or {}
    return _REFERENCE.sub(lambda m: known.get(m.group(1)) or env.get(m.group(1)) or (m.group(2) or ""), value)
