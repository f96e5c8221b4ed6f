"""Config classes chosen by an environment variable, from a dict: `config[os.getenv('FLASK_CONFIG', 'default')]`,
`config_map.get(env, Config)` in a helper (`app.config.from_object(get_config())`), `config_by_name[name]` in a
factory that reads `name = os.getenv(...)` itself, or a module-level `env = os.getenv('APP_ENV', 'dev')` another
module imports. The dict's keys are the values the variable takes (`{'development': DevelopmentConfig,
'production': ProductionConfig}`, `dict(dev=..., prod=...)`); the one whose class is production's (or whose key
says production) is the value serve gives the variable, development's the one `dev` gives. Or by comparing it:
`if env == "production": config = ProdConfig` (the value compared in the branch naming the production class), or
`if config('ENVIRONMENT') == 'production': from .production import *` in a Django settings package.

Read statically: nothing is imported. Unlike configclass.py's variables, whose value is a dotted path to the
class, these take a key of the app's own dict.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..project import Project
from .ast_nodes import ast_nodes
from .configclass import KINDS, names_kind, variable_reader
from .source import parsed

KINDS_PICKED = ("production", "development")


@dataclass(frozen=True)
class ConfigChoice:
    variable: str                 # FLASK_CONFIG
    production: str | None        # the key of the production class ("production", "prod")
    development: str | None
    rel: str                      # where the dict is indexed with it, for the note
    line: int


@dataclass(frozen=True)
class UnusableValue:
    variable: str                 # DJANGO_ENV
    value: str                    # "production": the value that picks the unusable module
    module: str                   # backend/config/settings/prod.py
    why: str                      # "is empty" / "does `from base import *` ..."


def choices(project: Project) -> tuple[ConfigChoice, ...]:
    """Each variable whose value indexes a dict of config classes, with that dict's production and development
    keys; one per variable (the first by path and line), sorted by variable."""
    return _scan(project)[0]


def unusable_values(project: Project) -> tuple[UnusableValue, ...]:
    """The production values of the variables compared in settings code (`if DJANGO_ENV == "production": from
    .prod import *`) whose branch imports only modules that configure nothing (empty) or that no Python 3 imports
    (`from base import *` beside base.py): an example env file giving that value picks a configuration the app
    cannot run with, where leaving it unset runs the default branch. Sorted by variable."""
    return tuple(sorted(_scan(project)[1].values(), key=lambda u: u.variable))


def _scan(project: Project) -> tuple[tuple[ConfigChoice, ...], dict[str, UnusableValue]]:
    trees = parsed(project)
    unusable: dict[str, UnusableValue] = {}
    dicts: dict[str, dict[str, str]] = {}                  # module-level config dicts of all modules, by name
    exported: dict[tuple[str, str], str] = {}              # (module, name) -> variable, for `from m import env`
    for rel, tree in trees.items():
        read = variable_reader(tree)
        for node in tree.body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        if (classes := _config_dict(node.value)) is not None:
                            dicts.setdefault(target.id, classes)
                        if (variable := read(node.value)) is not None:
                            exported[(_module_of(rel), target.id)] = variable
    found: dict[str, ConfigChoice] = {}
    for rel, tree in sorted(trees.items()):
        read = variable_reader(tree)
        imported = {alias.asname or alias.name: variable
                    for node in ast_nodes(tree) if isinstance(node, ast.ImportFrom) and node.module
                    for alias in node.names
                    if (variable := _exported(exported, node.module, alias.name)
                        or _exported(_skipped_module(project, trees, rel, node.module), node.module, alias.name))}
        module_bound = {**imported, **_bound(tree.body, read)}
        scopes = [(tree, module_bound)] + [
            (fn, {**module_bound, **_bound(ast_nodes(fn), read)}) for fn in ast_nodes(tree)
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for scope, bound in scopes:
            local_dicts = {**dicts, **{t.id: classes for node in ast_nodes(scope) if isinstance(node, ast.Assign)
                                       and (classes := _config_dict(node.value)) is not None
                                       for t in node.targets if isinstance(t, ast.Name)}}
            for node in ast_nodes(scope):
                compared = _compared(node, bound, read)
                if compared is not None and compared[0] not in found:
                    variable, value, branch, other = compared
                    kinds = [kind for kind in ("production", "development") if _mentions_kind(branch, kind)]
                    if kinds == ["production"] and (why := _imports_unusable_modules(trees, rel, branch)):
                        # `if DJANGO_ENV == "prod": from .django.prod import *` of a prod.py left empty, or one
                        # whose `from base import *` no Python 3 imports: that value configures nothing (no
                        # DATABASES) or fails; the default branch is the app's configuration
                        unusable.setdefault(variable, UnusableValue(variable, value, *why))
                        continue
                    if len(kinds) == 1:
                        keys = {kinds[0]: value}
                        # `if environment == "dev": from .dev import * / else: from .prod import *`: any other value
                        # takes the else branch; when it is production's, a value naming it picks that one (the
                        # app may need the variable set: base.py's `os.environ.get("ENVIRONMENT").upper()`)
                        if kinds == ["development"] and \
                                [k for k in KINDS_PICKED if _mentions_kind(other, k)] == ["production"] \
                                and (word := _kind_word(other, "production")) != value:
                            keys["production"] = word
                        found[variable] = ConfigChoice(variable, keys.get("production"), keys.get("development"),
                                                       rel, node.lineno)
                    continue
                picked = _indexed(node)
                if picked is None:
                    continue
                name, key = picked
                classes = local_dicts.get(name)
                variable = bound.get(key.id) if isinstance(key, ast.Name) else read(key)
                if classes is None or variable is None or variable in found:
                    continue
                production, development = _key_of(classes, "production"), _key_of(classes, "development")
                if production or development:
                    found[variable] = ConfigChoice(variable, production, development, rel, node.lineno)
    return tuple(found[v] for v in sorted(found)), unusable


def _skipped_module(project: Project, trees: dict[str, ast.Module], importer: str,
                    module: str) -> dict[tuple[str, str], str]:
    """The module-level reads of the app's module `module` when parsed() left it out (a package named `env`,
    taken there for a virtualenv: new-bunjang-eat's app/env/__init__.py), looked for from each folder above the
    module `importer` that imports it."""
    path = module.replace(".", "/")
    folders = [str(p) for p in PurePosixPath(importer).parents]
    for rel in (f"{folder}/{tail}".removeprefix("./") for folder in folders
                for tail in (f"{path}.py", f"{path}/__init__.py")):
        if rel in trees or not project.is_file(rel):
            continue
        try:
            tree = ast.parse(project.read_text(rel))
        except (SyntaxError, ValueError, OSError):
            continue
        return {(_module_of(rel), name): variable for name, variable in _bound(tree.body, variable_reader(tree)).items()}
    return {}


def _bound(nodes, read) -> dict[str, str]:
    """Names assigned a read of the environment among `nodes` (statements, or a function's walk)."""
    return {t.id: variable for node in nodes if isinstance(node, ast.Assign)
            and (variable := read(node.value)) is not None for t in node.targets if isinstance(t, ast.Name)}


def _compared(node: ast.AST, bound: dict[str, str], read) -> tuple[str, str, list[ast.AST], list[ast.AST]] | None:
    """(variable, value, the branch taken when they are equal, the one taken otherwise) of `if env == "production":
    config = ProdConfig` or `ProdConfig if os.getenv("ENV") == "prod" else DevConfig`."""
    if not isinstance(node, (ast.If, ast.IfExp)):
        return None
    test = node.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return None
    for side, other in ((test.left, test.comparators[0]), (test.comparators[0], test.left)):
        variable = bound.get(side.id) if isinstance(side, ast.Name) else read(side)
        if variable is not None and isinstance(other, ast.Constant) and isinstance(other.value, str):
            return (variable, other.value, node.body if isinstance(node.body, list) else [node.body],
                    node.orelse if isinstance(node.orelse, list) else [node.orelse])
    return None


def _kind_word(branch: list[ast.AST], kind: str) -> str:
    """The value that names `kind` for a branch taken by any value but the compared one: the name of the settings
    module it imports for that kind (`from .prod import *`: "prod"), else the kind itself ("production")."""
    return next((n.module.rpartition(".")[2] for statement in branch for n in ast_nodes(statement)
                 if isinstance(n, ast.ImportFrom) and n.module and names_kind(n.module.rpartition(".")[2], kind)),
                kind)


def _mentions_kind(branch: list[ast.AST], kind: str) -> bool:
    """Whether the statements name a config class for `kind` (ProdConfig, config.ProductionConfig), or import a
    settings module for it (a Django settings package's `from .production import *`)."""
    return any(names_kind(n.id if isinstance(n, ast.Name) else n.attr, kind)
               for statement in branch for n in ast_nodes(statement) if isinstance(n, (ast.Name, ast.Attribute))) \
        or any(names_kind(n.module.rpartition(".")[2], kind)
               for statement in branch for n in ast_nodes(statement) if isinstance(n, ast.ImportFrom) and n.module)


def _imports_unusable_modules(trees: dict[str, ast.Module], rel: str,
                              branch: list[ast.AST]) -> tuple[str, str] | None:
    """(the first module, why) when the branch only imports (from) modules of the project that are empty (nothing
    but a docstring) or that star-import a sibling module by its bare name (`from base import *` in
    config/settings/prod.py); else None."""
    if not branch or not all(isinstance(statement, ast.ImportFrom) for statement in branch):
        return None
    first: tuple[str, str] | None = None
    for statement in branch:
        base = PurePosixPath(rel).parent
        for _ in range(max(statement.level - 1, 0)):
            base = base.parent
        path = PurePosixPath(*(statement.module or "").split(".")) if statement.module else PurePosixPath()
        where = [str(base / path) if statement.level else str(path)]
        found = next(((f"{w}{tail}".removeprefix("./"), trees[f"{w}{tail}".removeprefix("./")])
                      for w in where for tail in (".py", "/__init__.py")
                      if f"{w}{tail}".removeprefix("./") in trees), None)
        if found is None:
            return None
        module, tree = found
        if all(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) for node in tree.body):
            first = first or (module, "is empty")
        elif (sibling := _star_imports_sibling_by_bare_name(trees, module, tree)) is not None:
            first = first or (module, f"does `from {sibling} import *`, Python 2's implicit relative import of the "
                                      f"{sibling}.py beside it, which Python 3 cannot import")
        else:
            return None
    return first


def _star_imports_sibling_by_bare_name(trees: dict[str, ast.Module], module: str, tree: ast.Module) -> str | None:
    """Whether a module inside a package does `from base import *` at its top level where base.py (or base/) is
    its own sibling: Python 2's implicit relative import, which Python 3 reads as a top-level module `base`, so
    importing the module fails wherever it runs from (its package's folder is not on the path)."""
    folder = PurePosixPath(module).parent
    if str(folder / "__init__.py").removeprefix("./") not in trees:
        return None
    return next((node.module for node in tree.body
                 if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and "." not in node.module
                 and any(alias.name == "*" for alias in node.names)
                 and any(str(folder / tail).removeprefix("./") in trees
                         for tail in (f"{node.module}.py", f"{node.module}/__init__.py"))), None)


def _indexed(node: ast.AST) -> tuple[str, ast.expr] | None:
    """(dict name, key expression) of `d[key]` or `d.get(key, ...)`."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.ctx, ast.Load):
        return node.value.id, node.slice
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
            and isinstance(node.func.value, ast.Name) and node.args:
        return node.func.value.id, node.args[0]
    return None


def _config_dict(node: ast.expr) -> dict[str, str] | None:
    """{key: class name} of `{'prod': ProductionConfig, ...}` or `dict(prod=ProductionConfig)` whose values are
    all names (or dotted names), one of them a config class for production or development; else None."""
    if isinstance(node, ast.Dict) and node.keys:
        pairs = list(zip(node.keys, node.values))
        if not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k, _ in pairs):
            return None
        items = [(k.value, v) for k, v in pairs]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" \
            and not node.args and node.keywords and all(k.arg for k in node.keywords):
        items = [(k.arg, k.value) for k in node.keywords]
    else:
        return None
    classes = {}
    for key, value in items:
        name = value.attr if isinstance(value, ast.Attribute) else getattr(value, "id", None)
        if name is None:
            return None
        classes[key] = name
    if not any(names_kind(c, kind) for c in classes.values() for kind in KINDS):
        return None
    return classes


def _key_of(classes: dict[str, str], kind: str) -> str | None:
    """The key whose class is `kind`'s (ProductionConfig), else the key that says it ("prod")."""
    return next((k for k, c in classes.items() if names_kind(c, kind)), None) or \
        next((k for k in classes if k.lower() in KINDS[kind]), None)


def _exported(exported: dict[tuple[str, str], str], module: str, name: str) -> str | None:
    """The variable `from module import name` brings, the module matched by its tail (the project's modules
    are named from its root; the app imports them from its workdir, or relatively)."""
    return next((v for (m, n), v in exported.items() if n == name and (m == module or m.endswith("." + module))),
                None)


def _module_of(rel: str) -> str:
    parts = rel[:-3].split("/") if rel.endswith(".py") else rel.split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)
