"""A KeyError for a name the app reads from a dotenv file it loads with `dotenv_values(".env")`: the file's
values alone, not the environment (no variable set for the app reaches it), and the file is not in the project,
only its example. A 2023 aiohttp homework reads USER, PASSWORD, HOST, PORT and DB_NAME so from .env, beside a
.env.example that lists them empty; its README says to write .env from it. The step the user takes, in one line,
instead of `KeyError: 'USER'`."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ...project import Project
from ..ast_nodes import ast_nodes

_KEY = re.compile(r"""^(?:KeyError: )?['"]([^'"]+)['"]$""")
_EXAMPLES = ("{}.example", "{}.sample", "{}.dist", "{}.template", "{}.default", "example{}", "{}_example")


@dataclass(frozen=True)
class DotenvFile:
    reader: str                 # the app's file that reads it ("models.py"), relative to the project root
    file: str                   # the dotenv file it loads (".env"), relative to the project root
    example: str | None         # its example in the project (".env.example"), None for none
    names: tuple[str, ...]      # the names the reader takes from it, in order ("USER", "PASSWORD", ...)


def explained(dotenv: DotenvFile) -> tuple[str, str]:
    """What the app does and what to do, one line each: for the import check, and for a server whose start-up
    hook (FastAPI's on_event("startup")) takes the value from the file."""
    listed = ", ".join(dotenv.names)
    said = (f"{dotenv.reader} reads {listed} from {dotenv.file} with dotenv_values (the file alone, not the "
            f"environment), and {dotenv.file} is not in the project"
            + (f"; its example {dotenv.example} lists what to write" if dotenv.example else ""))
    todo = (f"cp {dotenv.example} {dotenv.file}, fill in " if dotenv.example else
            f"write {dotenv.file} with ") + f"{listed}, and run again"
    return said, todo


def dotenv_file_read(project: Project, workdir: str, where: str | None, message: str) -> DotenvFile | None:
    """The dotenv file a KeyError (`message`, raised at `where`: path:line from the workdir) is a missing value of:
    the failing file subscripts `dotenv_values("<literal>")`'s result with that key, and that file is absent."""
    key = _KEY.match((message or "").strip())
    rel = str(where or "").rpartition(":")[0]
    if key is None or not rel:
        return None
    reader = str(PurePosixPath(workdir, rel)) if workdir not in ("", ".") else rel
    source = project.scan_text(reader) if project.exists(reader) else None
    try:
        tree = ast.parse(source or "")
    except SyntaxError:
        return None
    loaded = {}                 # the name a dotenv_values(...) result is assigned to -> the file it reads
    for node in ast_nodes(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and _is_dotenv_values(node.value.func) \
                and node.value.args and isinstance(node.value.args[0], ast.Constant) \
                and isinstance(node.value.args[0].value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    loaded[target.id] = node.value.args[0].value
    names: dict[str, list[str]] = {}
    for node in ast_nodes(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in loaded \
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            names.setdefault(node.value.id, []).append(node.slice.value)
    for variable, keys in names.items():
        if key.group(1) not in keys:
            continue
        name = loaded[variable]
        if name.startswith("/") or ".." in PurePosixPath(name).parts:
            return None
        file = str(PurePosixPath(workdir, name)) if workdir not in ("", ".") else name
        if project.exists(file):
            return None
        example = next((str(PurePosixPath(file).with_name(e.format(PurePosixPath(file).name)))
                        for e in _EXAMPLES if project.exists(str(PurePosixPath(file).with_name(
                            e.format(PurePosixPath(file).name))))), None)
        return DotenvFile(reader, file, example, tuple(dict.fromkeys(keys)))
    return None


def _is_dotenv_values(func: ast.AST) -> bool:
    return (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) == "dotenv_values"


# `KEY=value` lines of a dotenv example (`export KEY=`, comments and blank lines aside)
_EXAMPLE_KEY = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=", re.MULTILINE)


def loaded_from_example(project: Project, workdir: str) -> DotenvFile | None:
    """The dotenv file an app module loads with load_dotenv() (no argument: the .env its search finds; or a literal
    name) when the project has no such file, only its example, with the names the example lists that the app's code
    reads: a 2021 Flask app's api/config/keys.py runs load_dotenv() then os.getenv("DB_URL"), and only .env.sample
    is committed; Flask-PyMongo then stops on a URI of None. None when any part of that is not the case."""
    within = "" if workdir in ("", ".") else workdir.rstrip("/") + "/"
    texts = {path: text for path in project.python_files if path.startswith(within)
             and (text := project.scan_text(path))}
    for reader, text in sorted(texts.items()):
        if "load_dotenv" not in text:
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        for node in ast_nodes(tree):
            if not (isinstance(node, ast.Call) and _called(node.func) == "load_dotenv"):
                continue
            arg = node.args[0] if node.args else next((k.value for k in node.keywords
                                                      if k.arg == "dotenv_path"), None)
            if arg is None or isinstance(arg, ast.Call) and _called(arg.func) == "find_dotenv" and not arg.args:
                # the search from the caller's folder up to the root: any .env on the way is found
                folders = [str(p) for p in PurePosixPath(reader).parents if str(p).startswith(within.rstrip("/"))]
                name, found = ".env", [str(PurePosixPath(f, ".env")) if f != "." else ".env" for f in folders]
            elif isinstance(arg, ast.Constant) and isinstance(arg.value, str) and not arg.value.startswith("/") \
                    and ".." not in PurePosixPath(arg.value).parts:
                name, found = arg.value, [str(PurePosixPath(within or ".", arg.value))]
            else:
                continue
            if any(project.exists(f) for f in found):
                return None
            file = found[-1] if found else str(PurePosixPath(within or ".", name))
            example = next((str(PurePosixPath(f).with_name(e.format(PurePosixPath(f).name))) for f in found
                            for e in _EXAMPLES if project.exists(str(PurePosixPath(f).with_name(
                                e.format(PurePosixPath(f).name))))), None)
            if example is None:
                return None
            listed = dict.fromkeys(_EXAMPLE_KEY.findall(project.scan_text(example) or ""))
            read = tuple(k for k in listed if any(f'"{k}"' in t or f"'{k}'" in t for t in texts.values()))
            return DotenvFile(reader, file, example, read) if read else None
    return None


def explained_loaded(dotenv: DotenvFile) -> tuple[str, str]:
    """What the app does and what to do, one line each, for loaded_from_example's file."""
    listed = ", ".join(dotenv.names)
    return (f"{dotenv.reader} loads {dotenv.file} with load_dotenv and reads {listed}, unset here: {dotenv.file} is "
            f"not in the project, only its example {dotenv.example}",
            f"cp {dotenv.example} {dotenv.file}, fill in {listed}, and run again")


def _called(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
