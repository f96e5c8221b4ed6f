"""A package whose __init__.py loads its view modules with importlib.import_module("app.views") (a name written
out) instead of an import statement: those modules' routes are the package's, as importing it runs them. The entry
is the module that makes the app (app.main:app, whose import runs the package's __init__.py first), not one of the
view modules that import it to add routes (app.views:app, chosen when those calls were not read as imports)."""

from __future__ import annotations

from shipyard.detect import entry
from shipyard.detect.appscan import Imp, scan
from shipyard.project import Project

from conftest import make_tree

MAIN = """
    from flask import Flask

    app = Flask(__name__)
    app.config["SECRET_KEY"] = "x"
    """

VIEWS = """
    from app.main import app
    from app.recipes.models import Recipe


    @app.route("/")
    def index():
        return "home"
    """

RECIPE_VIEWS = """
    from app.main import app


    @app.route("/recipes")
    def recipes():
        return "recipes"
    """


def tree(init: str) -> dict[str, str]:
    return {"app/__init__.py": init, "app/main.py": MAIN, "app/views.py": VIEWS,
            "app/recipes/__init__.py": "", "app/recipes/models.py": "class Recipe:\n    pass\n",
            "app/recipes/views.py": RECIPE_VIEWS}


def test_views_loaded_by_import_module_make_the_package_the_entry(tmp_path):
    make_tree(tmp_path, tree("""
        from importlib import import_module

        from app.main import app

        import_module("app.views")
        import_module("app.recipes.views")
        """))
    assert entry.find(Project(tmp_path), None).entry.target == "app.main:app"


def test_relative_names_resolved_against_the_package_count_too(tmp_path):
    make_tree(tmp_path, tree("""
        import importlib

        from .main import app

        importlib.import_module(".views", __name__)
        importlib.import_module(".recipes.views", package=__package__)
        """))
    assert entry.find(Project(tmp_path), None).entry.target == "app.main:app"


def test_only_names_written_out_at_module_level_are_imports():
    text = ("import importlib\nfrom importlib import import_module\nimport_module('app.views')\n"
            "mod = importlib.import_module('.models', __package__)\n__import__('app.extra')\n"
            "import_module(NAME)\nimport_module('.other', 'elsewhere')\n"
            "def load():\n    import_module('app.lazy')\n")
    imports = [i for i in scan("app/loader.py", text).imports if i.module != "importlib"]
    assert imports == [Imp("app.views", ()), Imp("", ("models",), 1), Imp("app.extra", ())]
    # __name__ is the package only in its __init__.py
    assert scan("app/loader.py", "import importlib\nimportlib.import_module('.views', __name__)\n").imports \
        == [Imp("importlib", ())]
