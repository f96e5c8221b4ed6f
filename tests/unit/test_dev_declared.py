"""A module no import table maps, which only the app's development declarations provide under a namesake
distribution (wemake-django-template's development settings load 'querycount.middleware.QueryCountMiddleware', which
only [tool.poetry.dev-dependencies]' django-querycount provides). zqcount is a made-up name, so no table knows it."""
from __future__ import annotations

import sys

import pytest

from shipyard.detect import deps, entry, imports
from shipyard.detect.dev_declared import dev_declared
from shipyard.errors import MissingDependency
from shipyard.project import Project

from conftest import make_tree

_POETRY = ('[tool.poetry]\nname = "ticket"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.8"\n'
           'django = "^4.2"\n')
_SETTINGS = ('INSTALLED_APPS = ["django.contrib.admin"]\n'
             'MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\n')
_DEVELOPMENT = ('from site.settings import INSTALLED_APPS, MIDDLEWARE\n'
                'INSTALLED_APPS += ("django.contrib.admindocs",)\n'
                'MIDDLEWARE += ("zqcount.middleware.QueryCountMiddleware",)\n')


def _django(tmp_path, files):
    make_tree(tmp_path, {"manage.py": "import django\n", "site/__init__.py": "", "site/settings.py": _SETTINGS,
                         "site/development.py": _DEVELOPMENT, **files})
    project = Project(tmp_path)
    return {d.name: d for d in imports.infer(project, None, deps.declared(project), installed=False).dependencies}


def test_a_settings_module_only_the_poetry_dev_dependencies_provide_is_added_by_their_name(tmp_path):
    added = _django(tmp_path, {"pyproject.toml": _POETRY + '\n[tool.poetry.dev-dependencies]\n'
                                                          'django-zqcount = "^0.7"\npytest = "^5.4"\n'})
    assert "django-zqcount" in added and "zqcount" not in added
    assert "pyproject.toml (dev-dependencies) declares django-zqcount" in added["django-zqcount"].source
    assert "pytest" not in added     # what the settings do not load stays out


def test_a_dev_requirements_file_and_a_pep735_group_name_the_provider_too(tmp_path):
    added = _django(tmp_path, {"requirements.txt": "Django==4.2.2\n",
                               "requirements-dev.txt": "django-zqcount==0.8.3\nflake8\n"})
    assert "django-zqcount" in added and "flake8" not in added
    other = tmp_path / "other"
    added = _django(other, {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\ndependencies = ["django"]\n\n'
                                              '[dependency-groups]\ndev = ["django-zqcount>=0.7"]\n'})
    assert "django-zqcount" in added


def test_with_no_development_declaration_the_unmapped_module_is_not_guessed(tmp_path):
    added = _django(tmp_path, {"pyproject.toml": _POETRY})
    assert not {"zqcount", "django-zqcount"} & set(added)


def test_dev_declared_leaves_the_production_dependencies_out(tmp_path):
    make_tree(tmp_path, {"pyproject.toml": _POETRY + '\n[tool.poetry.group.dev.dependencies]\nnplusone = "^1.0"\n'
                                                     '\n[tool.poetry.group.web.dependencies]\ngunicorn = "*"\n'})
    assert set(dev_declared(Project(tmp_path))) == {"nplusone"}


def test_the_missing_module_message_names_the_dev_declared_distribution(tmp_path):
    # the import proof's message when the install did not bring it: the distribution the dev-dependencies name,
    # not the module's own name (a package index may hold an unrelated one under it)
    make_tree(tmp_path, {"app.py": "import zqcount\nfrom flask import Flask\n\napp = Flask(__name__)\n",
                         "pyproject.toml": '[tool.poetry]\nname = "x"\nversion = "1"\n\n[tool.poetry.dependencies]\n'
                                           'python = "^3.8"\nflask = "*"\n\n[tool.poetry.dev-dependencies]\n'
                                           'flask-zqcount = "*"\n'})
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(MissingDependency) as err:
        entry.confirm(Project(tmp_path), found, sys.executable, 30.0)
    assert "(distribution flask-zqcount, which pyproject.toml (dev-dependencies) declares for development only)" \
        in err.value.message
    assert "pip install flask-zqcount" in err.value.hint
