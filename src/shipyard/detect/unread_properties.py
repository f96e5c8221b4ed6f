"""Database URLs written in a property of a class that nothing reads: Flask's documentation's config example
(`@property def DATABASE_URI(self): return f"mysql://user@{self.DB_SERVER}/foo"`), kept in an app's config.py whose
classes set SQLALCHEMY_DATABASE_URI themselves. No code reads `.DATABASE_URI` or `config["DATABASE_URI"]`, so the
URL is never opened: it names no driver to install and no server for serve to start (a MariaDB for nothing).

A property counts as read when its name appears anywhere in the project's code as a name, an attribute, or a
string (`getattr(cfg, "DATABASE_URI")`, `app.config["DATABASE_URI"]`), or when it is a key an extension reads from
the config that Flask's from_object copies from an instance (SQLALCHEMY_DATABASE_URI, SQLALCHEMY_BINDS)."""

from __future__ import annotations

import ast
import copy

from .ast_nodes import KEPT, ast_nodes

# config keys Flask-SQLAlchemy reads itself: a property of that name is read without the app naming it
_READ_BY_EXTENSIONS = frozenset({"SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_BINDS"})
_PROPERTIES = frozenset({"property", "cached_property"})


def without_unread_url_properties(trees: dict[str, ast.AST]) -> dict[str, ast.AST]:
    """`trees` with the properties that write a URL ("://") and that nothing reads taken out of their classes
    (copies of the trees that hold one; the others as they are)."""
    holding = {rel: found for rel, tree in trees.items() if (found := _url_properties(tree))}
    if not holding:
        return trees
    read = _names_read(trees)
    out = dict(trees)
    for rel, found in holding.items():
        unread_names = {f.name for f in found if f.name not in read and f.name not in _READ_BY_EXTENSIONS}
        if not unread_names:
            continue
        # the copy's node list (ast_nodes keeps one on each module tree) is the original's: made again once pruned
        tree = copy.deepcopy(trees[rel])
        tree.__dict__.pop(KEPT, None)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                node.body = [s for s in node.body if not (isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                                                          and _is_property(s) and s.name in unread_names)] \
                    or [ast.Pass()]
        out[rel] = tree
    return out


def _url_properties(tree: ast.AST) -> list[ast.FunctionDef]:
    return [item for node in ast_nodes(tree) if isinstance(node, ast.ClassDef) for item in node.body
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_property(item)
            and any(isinstance(n, ast.Constant) and isinstance(n.value, str) and "://" in n.value
                    for n in ast_nodes(item))]


def _is_property(func: ast.FunctionDef) -> bool:
    return any((d.id if isinstance(d, ast.Name) else d.attr if isinstance(d, ast.Attribute) else "") in _PROPERTIES
               for d in func.decorator_list)


def _names_read(trees: dict[str, ast.AST]) -> set[str]:
    read: set[str] = set()
    for tree in trees.values():
        for node in ast_nodes(tree):
            if isinstance(node, ast.Attribute):
                read.add(node.attr)
            elif isinstance(node, ast.Name):
                read.add(node.id)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 100:
                read.add(node.value)
    return read
