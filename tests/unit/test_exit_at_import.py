"""An app that stops itself at import after saying why (a Stripe example's `print("Please provide
STRIPE_SECRET_KEY"); exit(-1)` while the keys its README has you write into app.py are empty): the import check
keeps the entry (inspect names it) and says what the app printed, not only "move the sys.exit() call"."""

from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.errors import AppCodeError, AppConfigError, AppLoadError
from shipyard.project import Project

WSGI_TAIL = "\n\ndef app(environ, start_response):\n    start_response('200 OK', [])\n    return [b'x']\n"


def _confirm_error(app, kind, target=None, site=None):
    """The error `kind` that proving the app's entry raises, with `site` (packages written for the test) on its path."""
    p = Project(app)
    with pytest.raises(kind) as err:
        entry.confirm(p, entry.find(p, target), sys.executable, 30.0,
                      environ={"PATH": "/usr/bin:/bin", **({"PYTHONPATH": str(site)} if site else {})})
    return err.value


def test_an_exit_after_a_printed_reason_is_the_apps_own_stop_and_says_the_reason(tmp_path):
    (tmp_path / "app.py").write_text(
        "STRIPE_SECRET_KEY = ''\n\nif not STRIPE_SECRET_KEY:\n    print('Please provide STRIPE_SECRET_KEY')\n"
        "    exit(-1)\n" + WSGI_TAIL)
    error = _confirm_error(tmp_path, AppCodeError)
    assert error.message == ("app.py:5: importing app:app failed: it calls sys.exit(-1) at import, after printing "
                             "'Please provide STRIPE_SECRET_KEY'")
    assert error.hint.startswith("do what the app asks")


def test_a_silent_exit_keeps_its_advice(tmp_path):
    (tmp_path / "app.py").write_text("import sys\nsys.exit(2)\n" + WSGI_TAIL)
    error = _confirm_error(tmp_path, AppLoadError)
    assert "it calls sys.exit(2) at import" in error.message
    assert error.hint == "move the sys.exit() call under if __name__ == '__main__':"


def test_a_raise_under_a_test_of_an_unset_read_names_the_variable(tmp_path):
    # a client set up at import whose error names a file, not the variable (a hackathon app's Anthropic key)
    (tmp_path / "client.py").write_text(
        "import os\n\n\ndef setup():\n    api_key = os.environ.get('SHIPYARD_FIXTURE_AI_KEY')\n    if api_key is None:\n"
        "        raise Exception('Failed to load the API from the .env file.')\n    return api_key\n\n\n"
        "client = setup()\n")
    (tmp_path / "app.py").write_text("import client\n" + WSGI_TAIL)
    error = _confirm_error(tmp_path, AppConfigError)
    assert error.message == ("client.py:7: importing app:app failed: Exception: Failed to load the API from the .env "
                             "file. (it raises that while SHIPYARD_FIXTURE_AI_KEY is not set)")
    assert error.variables == ("SHIPYARD_FIXTURE_AI_KEY",)


def test_a_raise_under_a_test_of_something_else_is_the_apps_code(tmp_path):
    (tmp_path / "app.py").write_text(
        "import os\nNAME = os.environ.get('SHIPYARD_FIXTURE_NAME')\nLIMIT = 0\nif LIMIT == 0:\n"
        "    raise ValueError('limit must be positive')\n" + WSGI_TAIL)
    error = _confirm_error(tmp_path, AppCodeError)
    assert "ValueError: limit must be positive" in error.message


@pytest.mark.parametrize("error", [
    # SQLAlchemy's create_engine(os.getenv("DATABASE_URL")) with the variable unset: ArgumentError, "got None"
    "ArgumentError('Expected string or URL object, got None')",
    # firebase-admin's credentials.Certificate(os.getenv(...)): a ValueError quoting the None its own way
    "ValueError('Invalid certificate argument: \"%s\". Certificate argument must be a file path' % url)",
])
def test_a_packages_own_error_for_the_none_an_unset_read_gave_it_names_the_variable(tmp_path, error):
    site = tmp_path / "site"
    (site / "fakealchemy").mkdir(parents=True)
    (site / "fakealchemy" / "__init__.py").write_text(
        "class ArgumentError(Exception):\n    pass\n\n\ndef create_engine(url):\n    if url is None:\n"
        f"        raise {error}\n")
    app = tmp_path / "app"
    app.mkdir()
    (app / "app.py").write_text("import os\nfrom fakealchemy import create_engine\nOTHER = os.getenv('SHIPYARD_FIXTURE_"
                                "OTHER')\nURL = os.getenv('SHIPYARD_FIXTURE_DATABASE_URL')\n\nengine = create_engine(URL)\n"
                                + WSGI_TAIL)
    error = _confirm_error(app, AppConfigError, site=site)
    assert error.variables == ("SHIPYARD_FIXTURE_DATABASE_URL",)
    assert "): it reads SHIPYARD_FIXTURE_DATABASE_URL, which is not set" in error.message


@pytest.mark.parametrize("imports, uses", [
    ("from shop.config import config", "config.PROVIDER, user=config.USER"),    # the module, then its attributes
    ("from shop.config.config import PROVIDER, USER", "PROVIDER, user=USER"),   # its names
    ("import shop.config.config as config", "config.PROVIDER, user=config.USER"),
])
def test_a_package_refusing_what_a_config_module_read_from_an_unset_variable_names_the_variables(
        tmp_path, imports, uses):
    # Pony's db.bind(provider=config.PROVIDER, ...) with `PROVIDER = os.getenv("provider")` in another module:
    # "TypeError: Provider name should be string. Got: 'NoneType'", raised in a file that reads no variable itself
    site = tmp_path / "site"
    (site / "fakepony").mkdir(parents=True)
    (site / "fakepony" / "__init__.py").write_text(
        "def bind(provider, user=None):\n    if not isinstance(provider, str):\n        raise TypeError("
        "'Provider name should be string. Got: %r' % type(provider).__name__)\n")
    app = tmp_path / "app"
    for folder in ("shop", "shop/config", "shop/db"):
        (app / folder).mkdir(parents=True)
        (app / folder / "__init__.py").write_text("")
    (app / "shop/config/config.py").write_text(
        "import os\nPROVIDER = os.getenv('SHIPYARD_FIXTURE_provider')\nUSER = os.getenv('SHIPYARD_FIXTURE_user')\n"
        "OTHER = os.getenv('SHIPYARD_FIXTURE_other')\n")
    (app / "shop/db/database.py").write_text(f"import fakepony\n{imports}\n\nfakepony.bind({uses})\n")
    (app / "shop/main.py").write_text("from shop.db import database\n" + WSGI_TAIL)
    error = _confirm_error(app, AppConfigError, "shop.main:app", site)
    assert error.variables == ("SHIPYARD_FIXTURE_provider", "SHIPYARD_FIXTURE_user"), error.message
    assert "it reads SHIPYARD_FIXTURE_provider and SHIPYARD_FIXTURE_user, which are not set" in error.message


def test_a_file_no_python_parses_on_the_python_the_app_asks_for_is_its_own_syntax_error(tmp_path):
    # a chat line pasted at the top of a module ("[04:30 pm] Name", a 2024 LangChain back end's sqlChain.py), the
    # import run on the very Python the app asks for: the file to fix is said, and the entry stands (not proven)
    from conftest import require_python
    from shipyard.environments import Environment
    from shipyard.errors import UnreadSyntax
    from shipyard.proving import _failed
    python = require_python("3.12").path
    (tmp_path / "app.py").write_text("import chain\n" + WSGI_TAIL)
    (tmp_path / "chain.py").write_text("[04:30 pm] Yeshwanth\nimport os\n")
    p = Project(tmp_path)
    with pytest.raises(UnreadSyntax) as err:
        entry.confirm(p, entry.find(p, None), python, 30.0)
    proof = _failed(p, err.value, Environment(python, "test", "proof"), (), "3.12")
    assert not proof.proven and proof.code_error and not proof.needs_python, proof
    assert "a syntax error in the app's own code" in proof.reason and proof.hint == "fix the syntax of chain.py in the app's code"


@pytest.mark.parametrize("error, said", [
    # a LangChain tool class under pydantic 2: only "For further information visit https://errors.pydantic.dev/..."
    # was said
    ("Field 'name' defined on a base class was overridden by a non-annotated attribute.\n\nFor further information "
     "visit https://errors.pydantic.dev/2.14/u/model-field-overridden",
     "Field 'name' defined on a base class was overridden by a non-annotated attribute."),
    # Pony's generate_mapping() on a database without the app's tables: psycopg2 ends the error with the statement
    # it quotes and a caret under it, and only "^" was said
    ('relation "users" does not exist\nLINE 1: SELECT "u"."id" FROM "users" "u"\n                               ^\n',
     'relation "users" does not exist'),
])
def test_an_error_ending_with_a_link_or_a_caret_under_a_statement_is_said_by_its_first_line(tmp_path, error, said):
    site = tmp_path / "site"
    (site / "fakelib").mkdir(parents=True)
    (site / "fakelib" / "__init__.py").write_text(
        f"class LibraryError(Exception):\n    pass\n\n\ndef check():\n    raise LibraryError({error!r})\n")
    app = tmp_path / "app"
    app.mkdir()
    (app / "app.py").write_text("import fakelib\n\nfakelib.check()\n" + WSGI_TAIL)
    error = _confirm_error(app, AppCodeError, site=site)
    assert error.message.endswith(f"failed: fakelib.LibraryError: {said}"), error.message


@pytest.mark.parametrize("imports, uses", [
    ("from shop.config import settings", "settings.DATABASE_URL"),        # the settings object of the module
    ("from shop import config", "config.settings.DATABASE_URL"),           # through its module
    ("from shop.config import Settings", "Settings().DATABASE_URL"),       # the class itself
])
def test_a_settings_class_field_read_from_an_unset_variable_reaching_a_package_names_the_variable(
        tmp_path, imports, uses):
    # a pydantic BaseSettings field whose default is os.environ.get('X') (None when unset), then
    # create_engine(settings.DATABASE_URL) in another module: SQLAlchemy 1.4's "AttributeError: 'NoneType' object
    # has no attribute '_instantiate_plugins'", raised in a file that reads no variable itself
    site = tmp_path / "site"
    (site / "fakesa").mkdir(parents=True)
    (site / "fakesa" / "__init__.py").write_text(
        "def create_engine(url):\n    u = url if url is None else object()\n    u._instantiate_plugins({})\n")
    (site / "fakesettings.py").write_text("class BaseSettings:\n    pass\n")
    app = tmp_path / "app"
    (app / "shop").mkdir(parents=True)
    (app / "shop" / "__init__.py").write_text("")
    (app / "shop/config.py").write_text(
        "import os\nfrom fakesettings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
        "    DATABASE_URL: str = os.environ.get('SHIPYARD_FIXTURE_DATABASE_URL')\n"
        "    OTHER: str = os.environ.get('SHIPYARD_FIXTURE_OTHER')\n\n\nsettings = Settings()\n")
    (app / "shop/db.py").write_text(f"import fakesa\n{imports}\n\nengine = fakesa.create_engine({uses})\n")
    (app / "shop/main.py").write_text("from shop import db\n" + WSGI_TAIL)
    error = _confirm_error(app, AppConfigError, "shop.main:app", site)
    assert error.variables == ("SHIPYARD_FIXTURE_DATABASE_URL",), error.message
    assert "it reads SHIPYARD_FIXTURE_DATABASE_URL, which is not set" in error.message
    assert error.hint.startswith("set SHIPYARD_FIXTURE_DATABASE_URL")
