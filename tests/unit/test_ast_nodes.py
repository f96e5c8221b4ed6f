"""detect/ast_nodes.py: a module's nodes listed once, in ast.walk's order; smaller nodes walked as ast.walk does."""

from __future__ import annotations

import ast

from shipyard.detect.ast_nodes import ast_nodes

SOURCE = """
import os

class Config:
    DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///app.db")

def create_app(name="production"):
    app = {"name": name, "debug": False}
    return [app[k] for k in app]
"""


def test_a_module_s_nodes_are_ast_walk_s_in_its_order_and_listed_once():
    tree = ast.parse(SOURCE)
    first = ast_nodes(tree)
    assert [type(n) for n in first] == [type(n) for n in ast.walk(ast.parse(SOURCE))]
    assert list(first) == list(ast.walk(tree))
    assert ast_nodes(tree) is first                    # kept on the tree: the second walk lists nothing again
    # the tree is still the tree: compiled and dumped as before
    compile(tree, "<test>", "exec")
    assert ast.dump(tree) == ast.dump(ast.parse(SOURCE))


def test_a_function_or_class_is_walked_as_ast_walk_walks_it():
    tree = ast.parse(SOURCE)
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    assert list(ast_nodes(function)) == list(ast.walk(function))
    assert not hasattr(function, "_shipyard_nodes")    # only whole modules are kept
