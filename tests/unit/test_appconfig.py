"""The app's configuration here: which example env file is read and how, the environment variables the code
reads (names, defaults, how a list is split), and the framework variables Shipyard sets when they are unset."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import make_tree
from shipyard import appconfig
from shipyard.detect import compose_env, envfile
from shipyard.detect.services import env_reads
from shipyard.project import Project


@pytest.mark.parametrize("names, chosen", [
    ([".env.example"], ".env.example"),
    ([".env.sample", ".env.prod"], ".env.sample"),
    (["env.example", ".env.dev"], "env.example"),            # the generic example beats a development one
    ([".env.dev", ".env.prod", ".env.prod.db"], ".env.dev"),  # development before production
    ([".env.prod", ".env.prod.db"], ".env.prod"),             # .env.prod.db is the database container's
    ([".env.local.example", ".env.template"], ".env.template"),  # both generic: the shorter name
    ([".env.test", ".env.production"], ".env.test"),
    ([".env.docker"], ".env.docker"),
    (["example.env"], "example.env"),
    ([".env-mysql", ".envrc", "env.py", "environment.yml", "README.md"], None),
    ([], None),
])
def test_which_example_env_file_is_read(names, chosen):
    assert envfile.pick(names) == chosen


def test_the_file_is_read_as_dotenv_reads_it():
    text = """
        # comment
        export DATABASE_URL=postgresql://u:p@db:5432/app   # where
        SECRET_KEY='literal $NOT ${EXPANDED}'
        GREETING="hello\\nworld"
        EMPTY=
        BASE=http://localhost
        API=${BASE}/api
        FALLBACK=${NOT_SET:-plan-b}
        not a line
        """
    values = envfile.parse(text.replace("\n        ", "\n"))
    assert values == {"DATABASE_URL": "postgresql://u:p@db:5432/app", "SECRET_KEY": "literal $NOT ${EXPANDED}",
                      "GREETING": "hello\nworld", "EMPTY": "", "BASE": "http://localhost",
                      "API": "http://localhost/api", "FALLBACK": "plan-b"}


def test_an_app_with_its_own_env_file_is_left_to_it(tmp_path):
    make_tree(tmp_path, {"app.py": "x = 1\n", ".env.example": "A=1\n", ".env": "A=2\n"})
    assert envfile.find(Project(tmp_path)) is None


def test_the_example_file_may_sit_in_the_apps_workdir(tmp_path):
    make_tree(tmp_path, {"src/app.py": "x = 1\n", "src/.env.sample": "A=1\n", "src/.env.prod": "A=2\n"})
    found = envfile.find(Project(tmp_path), (".", "src"))
    assert found.path == "src/.env.sample" and dict(found.values) == {"A": "1"}
    assert "src/.env.prod" in found.note()


def test_env_reads_names_defaults_and_list_separators(tmp_path):
    make_tree(tmp_path, {"settings.py": """
        import os
        from os import environ, getenv
        import environ as django_environ
        from decouple import config, Csv
        env = django_environ.Env()
        SECRET_KEY = os.environ["SECRET_KEY"]
        DEBUG = int(os.environ.get("DEBUG", default=0))
        ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS").split(" ")
        HOSTS = (environ.get("HOSTS") or "").split(",")
        DB = getenv("DATABASE_URL") or "sqlite://"
        CACHE = env.list("CACHE_HOSTS")
        ORIGINS = config("ORIGINS", cast=Csv())
        TOKEN = config("TOKEN", default="x")
        """})
    reads = {r.name: r for r in env_reads(Project(tmp_path))}
    assert set(reads) == {"SECRET_KEY", "DEBUG", "DJANGO_ALLOWED_HOSTS", "HOSTS", "DATABASE_URL", "CACHE_HOSTS",
                          "ORIGINS", "TOKEN"}
    assert not reads["SECRET_KEY"].default and reads["DEBUG"].default and reads["DATABASE_URL"].default
    assert reads["TOKEN"].default and not reads["DJANGO_ALLOWED_HOSTS"].default
    assert reads["DJANGO_ALLOWED_HOSTS"].separator == " " and reads["HOSTS"].separator == ","
    assert reads["CACHE_HOSTS"].separator == "," and reads["ORIGINS"].separator == ","
    assert reads["SECRET_KEY"].separator is None and reads["SECRET_KEY"].line == 6


def test_env_reads_through_a_settings_reader_object(tmp_path):
    """Starlette's Config and python-decouple's Config/AutoConfig are instances called with the name."""
    make_tree(tmp_path, {"core/config.py": """
        import os
        from starlette.config import Config
        import decouple
        from decouple import AutoConfig, RepositoryEnv
        config = Config(os.path.join(os.path.dirname(__file__), "..", ".env"))
        auto = AutoConfig(search_path=".")
        repo = decouple.Config(RepositoryEnv(".env"))
        SECRET_KEY = config("SECRET_KEY", cast=str)
        SERVER = config("POSTGRES_SERVER", default="localhost")
        TOKEN = auto("API_TOKEN")
        MAIL = repo("MAIL_HOST", default="localhost")
        class Settings:
            name: str = config("APP_NAME", default="app")
        """, "other.py": """
        from myapp import Config
        cfg = Config()
        VALUE = cfg("NOT_AN_ENV_READ")
        """})
    reads = {r.name: r for r in env_reads(Project(tmp_path))}
    assert set(reads) == {"SECRET_KEY", "POSTGRES_SERVER", "API_TOKEN", "MAIL_HOST", "APP_NAME"}
    assert not reads["SECRET_KEY"].default and not reads["API_TOKEN"].default
    assert reads["POSTGRES_SERVER"].default and reads["MAIL_HOST"].default
    # so the throwaway key is given where the app's settings reader would fail without one
    config = appconfig.run_config(tmp_path, ".", {}, mode="proof")
    assert len(config.environ["SECRET_KEY"]) > 40


def test_env_reads_through_a_decouple_reader_an_env_module_makes_in_a_function(tmp_path):
    """Coding for Entrepreneurs' course projects: cfehome/env.py binds `config = get_config()`, a cached function
    returning decouple's Config(RepositoryEnv(...)) when the .env above the project exists and decouple's own
    config otherwise; the settings import it. DJANGO_SECRET_KEY (default None) was no read, so no throwaway key was
    given and every page of a 2025 micro-eCommerce shop answered 500 (SECRET_KEY must not be empty)."""
    make_tree(tmp_path, {"src/cfehome/__init__.py": "", "src/cfehome/env.py": """
        from functools import lru_cache
        from pathlib import Path
        from decouple import config as decouple_config, Config, RepositoryEnv

        ENV_FILE_PATH = Path(__file__).resolve().parent.parent.parent / ".env"

        @lru_cache()
        def get_config():
            if ENV_FILE_PATH.exists():
                return Config(RepositoryEnv(str(ENV_FILE_PATH)))
            return decouple_config

        config = get_config()
        """, "src/cfehome/settings.py": """
        from cfehome.env import config
        SECRET_KEY = config("DJANGO_SECRET_KEY", default=None)
        DEBUG = config("DJANGO_DEBUG", default=False, cast=bool)
        """, "src/cfehome/other.py": """
        def make():
            return {"x": 1}
        settings = make()
        VALUE = settings("NOT_AN_ENV_READ")
        """})
    reads = {r.name: r for r in env_reads(Project(tmp_path))}
    assert set(reads) == {"DJANGO_SECRET_KEY", "DJANGO_DEBUG"}
    assert not reads["DJANGO_SECRET_KEY"].default and reads["DJANGO_DEBUG"].default
    config = appconfig.run_config(tmp_path, "src", {}, mode="proof")
    assert len(config.environ["DJANGO_SECRET_KEY"]) > 40

def test_env_reads_of_django_configurations_values_take_their_prefix_and_environ_name(tmp_path):
    """django-configurations: a value reads DJANGO_<its environ_name, else the attribute's name>, or under the prefix
    it gives (None: none); the URL values read their own name; SecretValue raises unset, environ=False reads nothing."""
    make_tree(tmp_path, {"site/settings.py": """
        from configurations import Configuration, values
        from configurations.values import SecretValue


        class Base(Configuration):
            DEBUG = values.BooleanValue(False)
            SECRET_KEY = SecretValue()
            DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql",
                                     "HOST": values.Value("localhost", environ_name="DB_HOST")}}
            CACHES = values.CacheURLValue("locmem://")
            SENTRY = values.Value(environ_prefix=None, environ_name="SENTRY_DSN")
            MAIL = values.Value("smtp", environ_prefix="APP_")
            FIXED = values.Value("x", environ=False)
        """})
    reads = {r.name: r for r in env_reads(Project(tmp_path))}
    assert set(reads) == {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_DB_HOST", "CACHE_URL", "SENTRY_DSN",
                          "APP_MAIL"}
    assert reads["DJANGO_SECRET_KEY"].required and not reads["DJANGO_SECRET_KEY"].default
    assert reads["DJANGO_DB_HOST"].default and reads["DJANGO_DB_HOST"].default_text == "localhost"
    assert not reads["DJANGO_DB_HOST"].required and not reads["SENTRY_DSN"].default


def test_env_reads_of_environ_config_classes_and_their_secret_key_gets_a_throwaway(tmp_path):
    """environ-config: a field of an @environ.config class reads PREFIX_<ATTRIBUTE> (APP_ when the decorator names
    no prefix, the field's name= itself); one with no default raises at environ.to_config() unset. A Quart portal
    put `secret_key = environ.var()` (prefix SNIKKET_WEB) into app.config["SECRET_KEY"] and failed at create_app()
    with MissingEnvValueError; a django-environ Env() is not such a class."""
    app = make_tree(tmp_path / "app", {"portal/__init__.py": """
        import environ
        from environ import bool_var, config


        @environ.config(prefix="PORTAL_WEB")
        class AppConfig:
            secret_key = environ.var()
            endpoint = environ.var("http://localhost:5280")
            metrics = environ.bool_var(True)
            sentry = environ.var(None, name="SENTRY_DSN")


        @config
        class Other:
            debug = bool_var(default=False)


        env = environ.Env()
        PLAIN = env.str("PLAIN_SETTING", default="x")
        """})
    reads = {r.name: r for r in env_reads(Project(app))}
    assert set(reads) == {"PORTAL_WEB_SECRET_KEY", "PORTAL_WEB_ENDPOINT", "PORTAL_WEB_METRICS", "SENTRY_DSN",
                          "APP_DEBUG", "PLAIN_SETTING"}
    assert reads["PORTAL_WEB_SECRET_KEY"].required and not reads["PORTAL_WEB_SECRET_KEY"].default
    assert reads["PORTAL_WEB_ENDPOINT"].default_text == "http://localhost:5280"
    assert not reads["PORTAL_WEB_ENDPOINT"].required and reads["SENTRY_DSN"].default
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "data" / "secret_key")
    assert sorted(config.environ) == ["PORTAL_WEB_SECRET_KEY"] and len(config.environ["PORTAL_WEB_SECRET_KEY"]) > 40


def test_env_reads_through_a_reader_object_imported_from_another_settings_module(tmp_path):
    """cookiecutter-django: base.py binds `env = environ.Env()`, production.py reads with `from .base import env`
    (or gets it through `import *`, or an absolute import); a same-named object from elsewhere is not a reader."""
    make_tree(tmp_path, {
        "config/__init__.py": "", "config/settings/__init__.py": "",
        "config/settings/base.py": """
            import environ
            env = environ.Env()
            DEBUG = env.bool("DJANGO_DEBUG", False)
            """,
        "config/settings/production.py": """
            from .base import *  # noqa
            from .base import env
            SECRET_KEY = env("DJANGO_SECRET_KEY")
            ADMIN_URL = env.str("DJANGO_ADMIN_URL")
            """,
        "config/settings/staging.py": """
            from .base import *  # noqa
            CACHE = env("STAGING_CACHE_URL")
            """,
        "config/settings/local.py": """
            from config.settings.base import env as reader
            KEY = reader("LOCAL_KEY", default="x")
            """,
        "other/settings.py": """
            from .helpers import env
            VALUE = env("NOT_AN_ENV_READ")
            """,
        "other/helpers.py": "def env(name):\n    return name.lower()\n",
    })
    reads = {r.name: r for r in env_reads(Project(tmp_path))}
    assert set(reads) == {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ADMIN_URL", "STAGING_CACHE_URL", "LOCAL_KEY"}
    assert reads["DJANGO_SECRET_KEY"].required and reads["DJANGO_ADMIN_URL"].required
    assert not reads["LOCAL_KEY"].required
    # so the import proof of production settings gets a throwaway DJANGO_SECRET_KEY, as serve does
    config = appconfig.run_config(tmp_path, ".", {}, mode="proof")
    assert len(config.environ["DJANGO_SECRET_KEY"]) > 40


def test_the_fields_of_a_pydantic_settings_class_are_environment_variables(tmp_path):
    make_tree(tmp_path, {"app/settings.py": """
        from typing import List, Optional
        import pydantic
        from pydantic import Field
        from pydantic_settings import BaseSettings, SettingsConfigDict

        class Settings(BaseSettings):
            db_uri: str
            echo_sql: bool = False
            secret_key: str = Field(...)
            token: str = Field(default="t")
            origins: List[str] = []
            hosts: "Optional[list[str]]" = None
            postgres_user: str = "app"
            postgres_uri: str = f"{postgres_user}:pw@localhost/app"
            model_config = SettingsConfigDict(env_file=".env")

        class Prefixed(Settings):
            model_config = SettingsConfigDict(env_prefix="APP_", case_sensitive=True)
            Name: str

        class Old(pydantic.BaseSettings):
            redis_url: str = "redis://localhost"
            class Config:
                env_prefix = "OLD_"

        class NotSettings:
            plain: str
        """})
    reads = {r.name: r for r in env_reads(Project(tmp_path))}
    # postgres_uri is derived from the other fields (the app puts a scheme before it): not one to set
    assert set(reads) == {"DB_URI", "ECHO_SQL", "SECRET_KEY", "TOKEN", "POSTGRES_USER", "APP_Name", "OLD_REDIS_URL"}
    assert not reads["DB_URI"].default and not reads["SECRET_KEY"].default and not reads["APP_Name"].default
    assert reads["ECHO_SQL"].default and reads["TOKEN"].default and reads["OLD_REDIS_URL"].default
    # a required secret gets its throwaway, as one read with os.environ["SECRET_KEY"] does
    assert len(appconfig.run_config(tmp_path, ".", {}, mode="proof").environ["SECRET_KEY"]) > 40


def test_a_settings_field_that_names_its_variable_reads_that_one_without_the_prefix(tmp_path):
    """pydantic 1's `Field(..., env="BACKEND_PG_DSN")` and pydantic-settings' validation_alias, alias and
    AliasChoices name the variable the field reads: not the field's name, and with no env_prefix (pydantic applies
    none to them). The proof's "which variable to set" names that variable too."""
    from shipyard.detect.entry.proof import _settings_variables
    make_tree(tmp_path, {"app/config.py": """
        import pydantic
        from pydantic import AliasChoices, Field
        from pydantic_settings import BaseSettings, SettingsConfigDict

        class Old(pydantic.BaseSettings):
            redis_uri: str = Field(..., env="BACKEND_REDIS_DSN")
            hosts: str = Field("x", env=["APP_HOSTS", "HOSTS"])
            debug: bool = Field(default=False, env="BACKEND_DEBUG")
            level: str = Field("info", alias="LOG_LEVEL")      # pydantic 1 reads no variable by its alias

        class New(BaseSettings):
            model_config = SettingsConfigDict(env_prefix="APP_")
            db_url: str = Field(validation_alias="PG_DSN")
            token: str = Field(alias="api_token")
            mail: str = Field(validation_alias=AliasChoices("MAIL_URL", "SMTP_URL"))
            name: str
        """})
    reads = {r.name: r for r in env_reads(Project(tmp_path))}
    assert set(reads) == {"BACKEND_REDIS_DSN", "APP_HOSTS", "BACKEND_DEBUG", "LEVEL", "PG_DSN", "API_TOKEN",
                          "MAIL_URL", "APP_NAME"}, set(reads)
    assert not reads["BACKEND_REDIS_DSN"].default and reads["BACKEND_DEBUG"].default and not reads["PG_DSN"].default
    # pydantic's error names the field: the variable to set is the one it reads
    assert _settings_variables(Project(tmp_path), ["redis_uri", "db_url", "name"], {}) == \
        ("BACKEND_REDIS_DSN", "PG_DSN", "APP_NAME")


DJANGO_SETTINGS = """
    import os
    SECRET_KEY = os.environ.get("SECRET_KEY")
    DEBUG = os.environ["DEBUG"] == "1"
    ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS").split(" ")
    DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3")
    REDIS_HOST = os.environ.get("REDIS_HOST", "localhost")
    """


def test_serve_takes_the_example_file_sets_known_variables_and_keeps_the_secret(tmp_path):
    app = make_tree(tmp_path / "app", {"mysite/settings.py": DJANGO_SETTINGS, ".env.example": """
        SECRET_KEY=
        DATABASE_URL=postgresql://user:pass@db.invalid:5432/app
        REDIS_HOST=redis.invalid
        MAIL_FROM=me@example.com
        SET_BY_YOU=from-the-file
        """})
    secret = tmp_path / "data" / "secret_key"
    config = appconfig.run_config(app, ".", {"SET_BY_YOU": "yours"}, mode="serve", secret_file=secret)
    env = config.environ
    assert env["MAIL_FROM"] == "me@example.com"
    assert "SET_BY_YOU" not in env and config.under({"SET_BY_YOU": "yours"})["SET_BY_YOU"] == "yours"
    # hosts that do not resolve here (compose services) are not taken: serve's own database replaces them
    assert "DATABASE_URL" not in env and "REDIS_HOST" not in env
    # the empty SECRET_KEY of the example is filled with a throwaway kept outside the app's folder
    assert env["SECRET_KEY"] == secret.read_text().strip() and len(env["SECRET_KEY"]) > 40
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert env["DJANGO_ALLOWED_HOSTS"] == "localhost 127.0.0.1 [::1]"       # split on " " by the code
    assert env["DEBUG"] == "0"                                           # read with no default: off
    again = appconfig.run_config(app, ".", {}, mode="serve", secret_file=secret)
    assert again.environ["SECRET_KEY"] == env["SECRET_KEY"]               # sessions survive a restart
    notes = "\n".join(config.notes)
    assert ".env.example" in notes and "MAIL_FROM" in notes and "DATABASE_URL (host db.invalid)" in notes
    assert "SECRET_KEY (a throwaway, kept in" in notes and env["SECRET_KEY"] not in notes
    assert sorted(p.name for p in app.iterdir()) == [".env.example", "mysite"]    # nothing written in the app


def test_the_apps_own_signing_keys_under_other_names_get_a_throwaway_kept_apart(tmp_path):
    # aiohttp_jwt's middleware raises at import without its key: JWT_SECRET_KEY, read with no default, is the app's
    # own signing key (any random value works, as for SECRET_KEY); a third party's credential is not made up, nor is
    # a key the code gives a default
    app = make_tree(tmp_path / "app", {"settings.py": """
        import os

        JWT_SECRET_KEY = os.environ.get('JWT_SECRET_KEY')
        SESSION_SECRET = os.environ['SESSION_SECRET']
        STRIPE_SECRET_KEY = os.environ.get('STRIPE_SECRET_KEY')
        GOOGLE_CLIENT_SECRET = os.environ.get('GOOGLE_CLIENT_SECRET')
        COOKIE_SECRET = os.environ.get('COOKIE_SECRET', 'dev-only')
        """})
    secret = tmp_path / "data" / "secret_key"
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=secret)
    env = config.environ
    assert sorted(env) == ["JWT_SECRET_KEY", "SESSION_SECRET"], env
    assert len({env["JWT_SECRET_KEY"], env["SESSION_SECRET"]}) == 2 and len(env["JWT_SECRET_KEY"]) > 40
    again = appconfig.run_config(app, ".", {}, mode="serve", secret_file=secret).environ
    assert again == env                                                   # tokens survive a restart
    assert stat.S_IMODE((tmp_path / "data" / "secret_key.jwt_secret_key").stat().st_mode) == 0o600
    assert "JWT_SECRET_KEY (a throwaway signing key, kept in" in "\n".join(config.notes)
    assert appconfig.run_config(app, ".", {"JWT_SECRET_KEY": "yours"}, mode="serve",
                                secret_file=secret).environ.get("JWT_SECRET_KEY") is None    # yours wins
    assert sorted(p.name for p in app.iterdir()) == ["settings.py"]      # nothing written in the app


@pytest.mark.parametrize("where", [
    "class Config:\n    SECRET_KEY = os.environ.get('SIMPYINVOICE_SECRET_KEY')\n",
    "app.config['SECRET_KEY'] = os.getenv('SIMPYINVOICE_SECRET_KEY')\n",
    "app.secret_key = os.environ['SIMPYINVOICE_SECRET_KEY']\n",
    "app.config.update(SECRET_KEY=os.environ.get('SIMPYINVOICE_SECRET_KEY'), DEBUG=False)\n",
])
def test_a_variable_the_code_puts_into_secret_key_under_its_own_name_gets_a_throwaway(tmp_path, where):
    """SimPyInvoice's `SECRET_KEY = os.environ.get("SIMPYINVOICE_SECRET_KEY")`: unset, Flask-WTF's login form
    failed on every request. A third party's key that goes elsewhere, and one with a default, are not made up."""
    app = make_tree(tmp_path / "app", {"app.py": "import os\nfrom flask import Flask\n\napp = Flask(__name__)\n"
                                                 + where + "STRIPE = os.environ.get('STRIPE_SECRET_KEY')\n"
                                                 "OTHER = {'SECRET_KEY': os.getenv('KEY_WITH_DEFAULT', 'dev')}\n"})
    secret = tmp_path / "data" / "secret_key"
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=secret)
    assert sorted(config.environ) == ["SIMPYINVOICE_SECRET_KEY"] and len(config.environ["SIMPYINVOICE_SECRET_KEY"]) > 40
    assert "SIMPYINVOICE_SECRET_KEY (a throwaway, kept in" in "\n".join(config.notes)
    assert appconfig.run_config(app, ".", {"SIMPYINVOICE_SECRET_KEY": "yours"}, mode="serve",
                                secret_file=secret).environ == {}


FLASK_READS_ENV = ("import os\nfrom flask import Flask\n\napp = Flask(__name__)\n"
                   "app.config['URI'] = 'postgresql://{}@{}/{}'.format(os.environ['DBUSER'], os.environ['DBHOST'], "
                   "os.environ['DBNAME'])\n")


def test_a_flask_app_gets_the_env_files_the_flask_cli_would_load(tmp_path):
    # Azure's sample: `flask run` loads the committed .env through python-dotenv; granian or gunicorn does not
    app = make_tree(tmp_path / "app", {
        "app.py": FLASK_READS_ENV, "requirements.txt": "Flask\npython-dotenv\n",
        ".env": "DBUSER=app_user\nDBHOST=localhost\nDBNAME=app\nFLASK_DEBUG=True\nSHARED=from-env\n",
        ".flaskenv": "FLASK_APP=app\nFLASK_RUN_PORT=4000\nSHARED=from-flaskenv\nONLY_FLASKENV=1\n"})
    config = appconfig.run_config(app, ".", {"DBNAME": "yours"}, mode="serve")
    assert config.environ == {"DBUSER": "app_user", "DBHOST": "localhost", "SHARED": "from-env",
                              "FLASK_APP": "app", "ONLY_FLASKENV": "1"}           # .env wins, yours win over both
    assert any(".env and .flaskenv, which the flask CLI loads" in n for n in config.notes), config.notes
    # the development server's own switches only for dev (Flask() turns debug on from FLASK_DEBUG)
    dev = appconfig.run_config(app, ".", {}, mode="dev").environ
    assert dev["FLASK_DEBUG"] == "True" and dev["FLASK_RUN_PORT"] == "4000"
    # the CLI finds them from a subfolder it runs in, as python-dotenv walks up
    nested = make_tree(tmp_path / "nested", {"backend/app.py": FLASK_READS_ENV, "backend/requirements.txt":
                                             "Flask\npython-dotenv\n", ".env": "DBUSER=up_there\n"})
    assert appconfig.run_config(nested, "backend", {}, mode="proof").environ == {"DBUSER": "up_there"}


def test_env_files_the_app_loads_itself_or_the_cli_cannot_load_are_left_to_it(tmp_path):
    loads = make_tree(tmp_path / "loads", {"app.py": "from dotenv import load_dotenv\nload_dotenv()\n" + FLASK_READS_ENV,
                                           "requirements.txt": "Flask\npython-dotenv\n", ".env": "DBUSER=u\n"})
    assert "DBUSER" not in appconfig.run_config(loads, ".", {}, mode="serve").environ
    no_dotenv = make_tree(tmp_path / "no_dotenv", {"app.py": FLASK_READS_ENV, "requirements.txt": "Flask\n",
                                                   ".env": "DBUSER=u\n"})
    assert "DBUSER" not in appconfig.run_config(no_dotenv, ".", {}, mode="serve").environ
    not_flask = make_tree(tmp_path / "not_flask", {"main.py": "import os\nUSER = os.environ['DBUSER']\n",
                                                   "requirements.txt": "fastapi\npython-dotenv\n", ".env": "DBUSER=u\n"})
    assert "DBUSER" not in appconfig.run_config(not_flask, ".", {}, mode="serve").environ


def test_the_proof_keeps_example_values_and_dev_turns_debug_on(tmp_path):
    app = make_tree(tmp_path, {"settings.py": DJANGO_SETTINGS,
                               ".env.dev": "DATABASE_URL=postgresql://u:p@db.invalid/app\n"})
    proof = appconfig.run_config(app, ".", {}, mode="proof").environ
    assert proof["DATABASE_URL"] == "postgresql://u:p@db.invalid/app"      # the import does not connect
    assert appconfig.run_config(app, ".", {}, mode="dev").environ["DEBUG"] == "1"


def test_known_variables_only_when_the_code_reads_them(tmp_path):
    app = make_tree(tmp_path, {"app.py": """
        import os
        from flask import Flask
        app = Flask(__name__)
        app.config["SECRET_KEY"] = os.getenv("SECRET_KEY")
        ALLOWED = os.environ.get("ALLOWED_HOSTS", "").split(",")
        DEBUG = os.environ.get("DEBUG", "0") == "1"
        """})
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    assert set(config.environ) == {"SECRET_KEY", "ALLOWED_HOSTS"}          # DEBUG has the app's default
    assert config.environ["ALLOWED_HOSTS"] == "localhost,127.0.0.1,[::1]"
    assert appconfig.run_config(app, ".", {"SECRET_KEY": "mine"}, mode="serve").environ.get("SECRET_KEY") is None
    plain = make_tree(tmp_path / "plain", {"app.py": "def app(environ, start_response):\n    return []\n"})
    assert appconfig.run_config(plain, ".", {}, mode="serve").variables == ()


def test_framework_settings_read_with_no_default_get_the_frameworks_own(tmp_path):
    # a course project's config.py and settings.py, their .env left out of the repository
    app = make_tree(tmp_path, {"config.py": """
        import os
        from decouple import config
        SQLALCHEMY_TRACK_MODIFICATIONS = bool(os.environ["SQLALCHEMY_TRACK_MODIFICATIONS"])
        EMAIL_PORT = config("EMAIL_PORT")
        EMAIL_HOST_USER = config("EMAIL_HOST_USER")
        EMAIL_USE_TLS = config("EMAIL_USE_TLS", default="True")
        MAIL_SERVER = os.environ.get("MAIL_SERVER")
        STRIPE_KEY = os.environ["STRIPE_KEY"]
        """})
    config = appconfig.run_config(app, ".", {"EMAIL_HOST_USER": "me@example.org"}, mode="serve",
                                  secret_file=tmp_path / "k")
    # the app's own default (EMAIL_USE_TLS), an optional read (MAIL_SERVER), the user's value and a service's
    # credential (STRIPE_KEY) are left alone
    assert config.environ == {"SQLALCHEMY_TRACK_MODIFICATIONS": "False", "EMAIL_PORT": "25"}
    assert "EMAIL_PORT='25' (Django's default)" in config.notes[-1]
    assert appconfig.run_config(app, ".", {}, mode="proof").environ["EMAIL_HOST_USER"] == ""


def test_variables_read_only_into_mail_settings_get_those_settings_defaults(tmp_path):
    """A 2019 DRF starter's production settings read the sender and its SMTP password under names of their own,
    with os.environ[...]: the import stopped on DEFAULT_EMAIL, a value that matters only when the app sends mail.
    Each gets the default of the setting it goes into (the sender's, for one that is both the login and the
    sender); a variable also read elsewhere, or with a default of its own, is left alone."""
    app = make_tree(tmp_path, {"production.py": """
        import os
        EMAIL_HOST = 'mail'
        EMAIL_HOST_USER = os.environ['DEFAULT_EMAIL']
        DEFAULT_FROM_EMAIL = os.environ['DEFAULT_EMAIL']
        EMAIL_HOST_PASSWORD = os.environ['DEFAULT_EMAIL_PASSWORD']
        EMAIL_PORT = int(os.environ.get('SMTP_PORT', '587'))
        EMAIL_HOST_USER = os.environ['SHARED_LOGIN']
        API_LOGIN = os.environ['SHARED_LOGIN']
        """})
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    assert config.environ["DEFAULT_EMAIL"] == "webmaster@localhost"
    assert config.environ["DEFAULT_EMAIL_PASSWORD"] == ""
    assert "SMTP_PORT" not in config.environ and "SHARED_LOGIN" not in config.environ
    assert "DEFAULT_EMAIL_PASSWORD='' (the code reads it only into EMAIL_HOST_PASSWORD: Django's default" \
        in config.notes[-1], config.notes
    # yours wins
    assert appconfig.run_config(app, ".", {"DEFAULT_EMAIL": "me@example.org"}, mode="serve",
                                secret_file=tmp_path / "k").environ.get("DEFAULT_EMAIL") is None


def test_variables_read_only_as_a_logging_handlers_file_get_a_file_of_shipyards(tmp_path):
    """A 2022 Django to-do API: LOGGING's file handler takes `'filename': os.environ.get('LOGGING_PATH')`, empty
    in the env template, and Django stopped at start-up with "Unable to configure handler 'file'". serve gives it
    a file in its folder for the app, the proof one in a temporary folder; a variable also read elsewhere, one
    given a default, or one that is only part of the path is left alone."""
    import logging.config
    app = make_tree(tmp_path / "app", {"settings.py": """
        import logging
        import os
        LOGGING = {
            'version': 1,
            'handlers': {'file': {'class': 'logging.FileHandler', 'filename': os.environ.get('LOGGING_PATH')},
                         'errors': {'class': 'logging.FileHandler', 'filename': os.getenv('ERRORS_LOG', 'e.log')},
                         'dir': {'class': 'logging.FileHandler',
                                 'filename': os.path.join(os.environ['LOG_DIR'], 'app.log')}},
        }
        UPLOAD = {'filename': os.environ['UPLOAD_NAME'], 'size': 0}
        REPORT = dict(filename=os.environ['REPORT_NAME'])
        logging.basicConfig(filename=os.environ['BASIC_LOG'])
        AUDIT = logging.FileHandler(os.environ['AUDIT_LOG'])
        SHARED = logging.FileHandler(os.environ['SHARED_PATH'])
        UPLOADS = os.environ['SHARED_PATH']
        """})
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k",
                                  data_folder=tmp_path / "data")
    assert config.environ["LOGGING_PATH"] == str(tmp_path / "data" / "logs" / "logging_path.log")
    assert config.environ["AUDIT_LOG"] == str(tmp_path / "data" / "logs" / "audit_log.log")
    assert config.environ["BASIC_LOG"] == str(tmp_path / "data" / "logs" / "basic_log.log")
    assert not {"ERRORS_LOG", "LOG_DIR", "SHARED_PATH", "UPLOAD_NAME", "REPORT_NAME"} & set(config.environ)
    assert any("LOGGING_PATH=" in note and "only as a logging handler's file" in note for note in config.notes)
    # the handler opens it: the folder is there
    logging.config.dictConfig({"version": 1, "handlers": {"file": {"class": "logging.FileHandler",
                                                                   "filename": config.environ["LOGGING_PATH"]}}})
    logging.config.dictConfig({"version": 1})
    proof = appconfig.run_config(app, ".", {}, mode="proof").environ["LOGGING_PATH"]
    assert Path(proof).parent.is_dir() and not Path(proof).is_relative_to(app)
    # yours wins
    assert "LOGGING_PATH" not in appconfig.run_config(app, ".", {"LOGGING_PATH": "/var/log/app.log"}, mode="serve",
                                                      secret_file=tmp_path / "k").environ


def test_a_read_with_no_default_that_only_switches_a_block_on_is_given_empty(tmp_path):
    """A Django starter's production settings: `if config("ROLLBAR_ACCESS_TOKEN"):` raises unset (python-decouple
    has no default), and empty the test is false and the Rollbar setup it guards never runs."""
    app = make_tree(tmp_path, {"production.py": """
        import os
        from decouple import config
        if config("ROLLBAR_ACCESS_TOKEN"):
            ROLLBAR = {"access_token": config("ROLLBAR_ACCESS_TOKEN")}
        if config("EMAIL_HOST", default=None) and config("EMAIL_HOST_USER", default=None):
            EMAIL_HOST = config("EMAIL_HOST")
        SENTRY = os.environ["SENTRY_DSN"] if not os.environ["SENTRY_OFF"] else None
        if config("WEBHOOK_TOKEN"):
            pass
        HOOK = config("WEBHOOK_TOKEN")
        if int(config("WORKERS")):
            pass
        """})
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    # ROLLBAR_ACCESS_TOKEN: empty; EMAIL_HOST: its test has a default, so the guarded read never runs unset;
    # SENTRY_OFF: a test too (`not`), SENTRY_DSN is read outside any test of its own (empty all the same, as
    # Sentry's "not configured", not as a switch); WEBHOOK_TOKEN is also read outside its test; WORKERS must be a number
    assert config.environ["ROLLBAR_ACCESS_TOKEN"] == ""
    assert config.environ["SENTRY_OFF"] == ""
    assert config.environ["SENTRY_DSN"] == "" and not any(n.startswith("SENTRY_DSN= (empty: production.py")
                                                          for n in config.notes)
    assert not {"EMAIL_HOST", "WEBHOOK_TOKEN", "WORKERS"} & set(config.environ), config.environ
    assert any("ROLLBAR_ACCESS_TOKEN= (empty: production.py:3 reads it with no default only to test whether it is "
               "set" in note for note in config.notes), config.notes
    # the user's own value wins
    given = appconfig.run_config(app, ".", {"ROLLBAR_ACCESS_TOKEN": "tok"}, mode="proof")
    assert "ROLLBAR_ACCESS_TOKEN" not in given.environ


def test_a_read_with_no_default_turned_into_a_number_gets_the_extensions_default(tmp_path):
    """A 2021 JWT boilerplate's settings.py, its .env left out: `int(os.environ.get(...))` raises on None as
    os.environ[...] would (before: left unset, and the import stopped on int(None)). A read with a default of its
    own, or whose None the app handles (`or`), is left alone."""
    app = make_tree(tmp_path, {"settings.py": """
        import os
        from flask import Flask
        app = Flask(__name__)
        app.config.update({
            'JWT_ACCESS_TOKEN_EXPIRES': int(os.environ.get('JWT_ACCESS_TOKEN_EXPIRES')),
            'JWT_REFRESH_TOKEN_EXPIRES': int(os.environ.get('JWT_REFRESH_TOKEN_EXPIRES') or 86400),
            'MAIL_PORT': os.environ.get('MAIL_PORT'),
        })
        """})
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    assert config.environ == {"JWT_ACCESS_TOKEN_EXPIRES": "900"}
    assert "JWT_ACCESS_TOKEN_EXPIRES='900' (Flask-JWT-Extended's, 15 minutes in seconds)" in config.notes[-1]
    [read] = [r for r in env_reads(Project(app)) if r.name == "JWT_ACCESS_TOKEN_EXPIRES"]
    assert read.required and read.numeric and not read.default


def test_a_fastapi_templates_required_settings_get_the_values_their_names_say(tmp_path):
    """A 2023 todo API grown from FastAPI's full-stack template: ten required fields, no .env committed. The
    database parts come from serve's PostgreSQL, the JWT key is a throwaway; the name, path prefix, algorithm
    and token lifetime are what the template writes. A field with a default and one no convention names (a
    third party's key) are left alone."""
    app = make_tree(tmp_path / "todo-api", {"app/core/config.py": """
        from pydantic_settings import BaseSettings


        class Settings(BaseSettings):
            PROJECT_NAME: str
            API_V1_STR: str
            JWT_SECRET_KEY: str
            JWT_ALGORITHM: str
            JWT_ACCESS_TOKEN_EXPIRE_MINUTES: int
            REFRESH_TOKEN_EXPIRE_DAYS: int = 14
            SENDGRID_API_KEY: str


        settings = Settings()
        """})
    config = appconfig.run_config(app, ".", {"API_V1_STR": "/v2"}, mode="serve", secret_file=tmp_path / "k")
    given = config.environ
    assert {k: given[k] for k in ("PROJECT_NAME", "JWT_ALGORITHM", "JWT_ACCESS_TOKEN_EXPIRE_MINUTES")} == {
        "PROJECT_NAME": "todo-api", "JWT_ALGORITHM": "HS256", "JWT_ACCESS_TOKEN_EXPIRE_MINUTES": "30"}
    assert "API_V1_STR" not in given and "REFRESH_TOKEN_EXPIRE_DAYS" not in given and "SENDGRID_API_KEY" not in given
    assert given["JWT_SECRET_KEY"]
    assert "JWT_ALGORITHM='HS256' (HMAC, for a token signed with a shared secret key)" in config.notes[-1]
    unset = appconfig.run_config(app, ".", {}, mode="proof").environ
    assert unset["API_V1_STR"] == "/api/v1"


def test_a_required_sentry_dsn_is_given_empty_the_sdks_not_configured(tmp_path):
    """A 2022 FastAPI API whose settings class requires sentry_dsn (and calls sentry_sdk.init with it at import),
    its .env.example leaving it empty: every mode gives the empty string, with which the SDK starts and sends
    nothing; a placeholder would be refused as a malformed DSN."""
    app = make_tree(tmp_path / "manga-api", {".env.example": "SENTRY_DSN=\n", "api/config.py": """
        from pydantic import BaseSettings


        class Settings(BaseSettings):
            sentry_dsn: str


        settings = Settings()
        """})
    for mode in ("serve", "proof"):
        config = appconfig.run_config(app, ".", {}, mode=mode, secret_file=tmp_path / "k")
        assert config.environ["SENTRY_DSN"] == ""
        assert any("SENTRY_DSN='' (empty: the Sentry SDK's own" in note for note in config.notes)
    assert "SENTRY_DSN" not in appconfig.run_config(app, ".", {"SENTRY_DSN": "https://k@o1.ingest.sentry.io/1"},
                                                    mode="serve", secret_file=tmp_path / "k").environ


@pytest.mark.parametrize("name, value", [
    ("API_V1_STR", "/api/v1"), ("API_PREFIX", "/api"), ("API_V2_PREFIX", "/api/v2"), ("API_PREFIX_V1", "/api/v1"),
    ("APP_TITLE", "shop"), ("ALGORITHM", "HS256"), ("ACCESS_TOKEN_EXPIRE_MINUTES", "30"),
    ("REFRESH_TOKEN_EXPIRE_DAYS", "7"), ("JWT_EXPIRES_IN_SECONDS", "1800"), ("TOKEN_EXPIRE_SECONDS", "1800"),
    ("API_KEY", None), ("ENCRYPTION_ALGORITHM_KEY", None), ("STR", None),
    ("ACCESS_EXPIRE_TIME", "30"), ("REFRESH_TOKEN_EXPIRE", "30"), ("JWT_EXPIRATION", "30"),
    ("ACCESS_TOKEN_EXPIRES_IN", "30"), ("REFRESH_TOKEN_EXPIRES_IN", "30"),
    ("SESSION_EXPIRE_TIME", None), ("EXPIRE_TIME", None), ("ACCESS_KEY", None), ("EXPIRES_IN", None),
    ("SENTRY_DSN", ""), ("BACKEND_SENTRY_DSN", ""), ("SENTRY_DSN_URL", None), ("DSN", None),
])
def test_conventional_values_by_name(name, value):
    from shipyard.conventional_values import conventional_value
    found = conventional_value(name, "shop")
    assert (found[0] if found else None) == value


@pytest.mark.parametrize("unit, value", [("minutes", "30"), ("seconds", "1800"), ("days", "7")])
def test_a_token_lifetime_named_without_a_unit_is_counted_in_the_unit_the_codes_timedelta_takes(tmp_path, unit,
                                                                                                   value):
    """A 2024 puzzle API: config.py's plain class reads int(os.getenv("ACCESS_EXPIRE_TIME")) at import (int(None)
    raises without the .env its author kept), and the JWT service hands the value, through an attribute and a
    parameter, to timedelta(minutes=...). The lifetime gets the FastAPI tutorial's value in that unit; a
    timedelta of a constant (a cookie's fixed age) does not count."""
    app = make_tree(tmp_path / "puzzle", {"app/config.py": """
        import os


        class Settings:
            ALGORITHM = os.getenv("ALGORITHM")
            ACCESS_EXPIRE_TIME = int(os.getenv("ACCESS_EXPIRE_TIME"))
            REFRESH_EXPIRE_TIME = int(os.getenv("REFRESH_EXPIRE_TIME"))


        settings = Settings()
        """, "app/auth/jwt.py": f"""
        from datetime import datetime, timedelta

        from app.config import settings


        class JWTService:
            def __init__(self):
                self.access_expire_time = settings.ACCESS_EXPIRE_TIME

            def encode(self, expires_delta: int):
                return datetime.now() + timedelta({unit}=expires_delta)

            def cookie_age(self):
                return timedelta(hours=1)
        """})
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    assert config.environ["ACCESS_EXPIRE_TIME"] == config.environ["REFRESH_EXPIRE_TIME"] == value
    assert (f"ACCESS_EXPIRE_TIME='{value}' (a token lifetime of {value} {unit} (the unit the code's timedelta takes))"
            in config.notes[-1])


def test_a_token_lifetime_named_without_a_unit_is_minutes_when_the_code_says_nothing(tmp_path):
    app = make_tree(tmp_path, {"config.py": """
        import os
        from datetime import timedelta

        TOKEN_EXPIRY = int(os.environ["TOKEN_EXPIRY"])
        MIXED = [timedelta(seconds=TOKEN_EXPIRY), timedelta(days=TOKEN_EXPIRY)]
        """})
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    assert config.environ["TOKEN_EXPIRY"] == "30"
    assert "(its name gives no unit: minutes assumed)" in config.notes[-1]


def test_a_sender_address_read_with_no_default_gets_a_placeholder(tmp_path):
    # a 2021 blog's config.py: every mail setting through its own helper that raises when one is unset
    app = make_tree(tmp_path, {"config.py": """
        import os

        def get_env_variable(name):
            try:
                return os.environ[name]
            except KeyError:
                raise Exception(f"Expected environment variable {name} not set.")

        class Config:
            MAIL_PORT = int(get_env_variable('MAIL_PORT'))
            MAIL_FROM = get_env_variable('MAIL_FROM')
        """})
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    assert config.environ == {"MAIL_PORT": "25", "MAIL_FROM": "webmaster@example.com"}
    assert "MAIL_FROM='webmaster@example.com' (a placeholder sender: flask-mailing requires one)" in config.notes[-1]
    assert appconfig.run_config(app, ".", {"MAIL_FROM": "me@example.org"}, mode="serve",
                                secret_file=tmp_path / "k").environ == {"MAIL_PORT": "25"}


def test_a_mysql_init_command_read_with_no_default_gets_the_strict_mode_djangos_notes_give(tmp_path):
    app = make_tree(tmp_path, {"mysite/settings.py": """
        from decouple import config
        DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "NAME": config("DB_NAME"),
                                 "OPTIONS": {"init_command": config("DB_INIT_COMMAND")}}}
        CACHE_COMMAND = config("CACHE_COMMAND")
        """})
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    assert config.environ == {"DB_INIT_COMMAND": "SET sql_mode='STRICT_TRANS_TABLES'"}   # DB_NAME: the database's
    assert appconfig.run_config(app, ".", {"DB_INIT_COMMAND": "SET x=1"}, mode="serve").environ == {}


def test_which_reads_require_the_variable(tmp_path):
    make_tree(tmp_path, {"config.py": """
        import os
        from os import getenv
        import environ
        from decouple import config
        env = environ.Env()
        A = os.environ["A"]
        B = os.environ.get("B")
        C = getenv("C")
        D = config("D")
        E = config("E", default="e")
        F = env.str("F")
        G = env("G")
        H = "H" in os.environ
        I = os.environ.pop("I")
        J = os.environ.pop("J", None)
        K = os.getenv("K", "k")
        """})
    required = {r.name for r in env_reads(Project(tmp_path)) if r.required}
    assert required == {"A", "D", "F", "G", "I"}


SERVER_NAME_CONFIG = """
    import os
    class ProductionConfig:
        SERVER_NAME = os.environ['SERVER_NAME']  # configure the domain name in use
    """


@pytest.mark.parametrize("mode", ["serve", "dev"])
def test_serve_and_dev_give_a_required_server_name_their_address(tmp_path, mode):
    app = make_tree(tmp_path, {"config.py": SERVER_NAME_CONFIG})
    config = appconfig.run_config(app, ".", {}, mode=mode, secret_file=tmp_path / "k", served_at="127.0.0.1:8123")
    assert config.environ == {"SERVER_NAME": "127.0.0.1:8123"}
    assert f"SERVER_NAME=127.0.0.1:8123 (the address {mode} answers at" in "\n".join(config.notes)
    # yours always wins, and the note does not claim otherwise
    mine = appconfig.run_config(app, ".", {"SERVER_NAME": "example.com"}, mode=mode, served_at="127.0.0.1:8123")
    assert mine.variables == () and mine.notes == ()


def test_the_proof_never_sets_server_name_and_says_whose_it_is(tmp_path):
    app = make_tree(tmp_path, {"config.py": SERVER_NAME_CONFIG})
    assert appconfig.run_config(app, ".", {}, mode="proof").variables == ()
    with pytest.raises(ValueError):
        appconfig.run_config(app, ".", {}, mode="proof", served_at="127.0.0.1:8000")
    note = appconfig.served_host_note(("SECRET_KEY", "SERVER_NAME"))
    assert note.startswith("SERVER_NAME is the host name the app is served under") and "--env SERVER_NAME=" in note
    assert appconfig.served_host_note(("SECRET_KEY",)) is None


BASE_URL_SETTINGS = """
    from pydantic_settings import BaseSettings, SettingsConfigDict

    class Settings(BaseSettings):
        db_url: str
        base_url: str
        model_config = SettingsConfigDict(env_file=".env")

    settings = Settings()
    """


@pytest.mark.parametrize("mode", ["serve", "dev"])
def test_serve_and_dev_give_a_required_base_url_their_own_address(tmp_path, mode):
    # a URL shortener's f"{settings.base_url}/{short_id}": no .env, no example; pydantic refuses the import unset
    app = make_tree(tmp_path, {"config.py": BASE_URL_SETTINGS})
    config = appconfig.run_config(app, ".", {}, mode=mode, secret_file=tmp_path / "k", served_at="127.0.0.1:8123",
                                  data_folder=tmp_path / "data")
    assert config.environ["BASE_URL"] == "http://127.0.0.1:8123"
    assert f"BASE_URL=http://127.0.0.1:8123 (the app's own address, which {mode} answers at" in "\n".join(config.notes)
    # yours wins; the proof (no address yet) and a read with a default of its own are left alone
    assert "BASE_URL" not in appconfig.run_config(app, ".", {"BASE_URL": "https://sho.rt"}, mode=mode,
                                                  served_at="127.0.0.1:8123").environ
    assert "BASE_URL" not in appconfig.run_config(app, ".", {}, mode="proof").environ
    defaulted = make_tree(tmp_path / "d", {"config.py": "import os\nBASE_URL = os.getenv('BASE_URL', 'http://x')\n"})
    assert "BASE_URL" not in appconfig.run_config(defaulted, ".", {}, mode=mode, served_at="127.0.0.1:8123").environ


def test_server_name_read_with_a_fallback_is_left_to_the_app(tmp_path):
    # os.environ.get gives None when unset, and Flask then uses the request's Host: nothing to set
    app = make_tree(tmp_path, {"config.py": "import os\nSERVER_NAME = os.environ.get('SERVER_NAME')\n"})
    assert appconfig.run_config(app, ".", {}, mode="serve", served_at="127.0.0.1:8000").variables == ()


@pytest.mark.parametrize("read", ["os.getenv('SERVER_NAME', 'localhost:5000')",
                                  "os.environ.get('SERVER_NAME', default='localhost')"])
def test_server_name_defaulting_to_a_development_address_gets_the_address_served_at(tmp_path, read):
    # Flask before 3.1 answers 404 to every request whose Host is not SERVER_NAME: with the app's default,
    # every page through serve's nginx (127.0.0.1:PORT) would be a 404
    app = make_tree(tmp_path, {"config.py": f"import os\nclass Config:\n    SERVER_NAME = {read}\n"})
    config = appconfig.run_config(app, ".", {}, mode="serve", served_at="127.0.0.1:8123")
    assert config.environ == {"SERVER_NAME": "127.0.0.1:8123"}
    assert "SERVER_NAME=127.0.0.1:8123 (the address serve answers at, not the app's default 'localhost" \
        in "\n".join(config.notes)
    # yours wins; the proof has no address; a default that is the address served at needs nothing
    assert appconfig.run_config(app, ".", {"SERVER_NAME": "example.com"}, mode="serve",
                                served_at="127.0.0.1:8123").variables == ()
    assert appconfig.run_config(app, ".", {}, mode="proof").variables == ()
    same = make_tree(tmp_path / "same", {"config.py": "import os\nSERVER_NAME = os.getenv('SERVER_NAME', "
                                                      "'127.0.0.1:8123')\n"})
    assert appconfig.run_config(same, ".", {}, mode="serve", served_at="127.0.0.1:8123").variables == ()


def test_the_example_files_production_domain_is_replaced_by_the_address_served_at(tmp_path):
    app = make_tree(tmp_path, {"config.py": "import os\nSERVER_NAME = os.environ.get('SERVER_NAME')\n",
                               ".env.example": "SERVER_NAME=example.com\nMAIL_FROM=me@example.com\n"})
    served = appconfig.run_config(app, ".", {}, mode="serve", served_at="127.0.0.1:8000").environ
    assert served == {"SERVER_NAME": "127.0.0.1:8000", "MAIL_FROM": "me@example.com"}
    assert appconfig.run_config(app, ".", {}, mode="proof").environ["SERVER_NAME"] == "example.com"


COMPOSE = """
    services:
      worker:
        build: .
        command: celery -A core worker
        environment:
          - CELERY_BROKER=redis://redis:6379/0
      web:
        build:
          context: .
        command: python manage.py runserver 0.0.0.0:8000
        ports:
          - 1337:8000
        env_file: ./.env.compose
        environment:
          - DEBUG=1
          - DJANGO_ALLOWED_HOSTS=localhost 127.0.0.1 [::1]
          - CELERY_BROKER=redis://redis:6379/0
          - SECURE_SSL_REDIRECT=${SSL_REDIRECT:-False}
          - FROM_THE_HOST
      redis:
        image: redis:7-alpine
    """


def test_the_compose_file_gives_the_environment_of_the_service_that_builds_the_app(tmp_path):
    app = make_tree(tmp_path, {"manage.py": "x = 1\n", "docker-compose.yml": COMPOSE,
                               ".env.compose": "SECRET_KEY=from-env-file\nDEBUG=0\n"})
    found = compose_env.find(Project(app))
    # web publishes a port, the worker beside it none; env_file first, environment over it; a name passed
    # through from the host has no value to give
    assert (found.path, found.service) == ("docker-compose.yml", "web")
    assert dict(found.values) == {"SECRET_KEY": "from-env-file", "DEBUG": "1",
                                  "DJANGO_ALLOWED_HOSTS": "localhost 127.0.0.1 [::1]",
                                  "CELERY_BROKER": "redis://redis:6379/0", "SECURE_SSL_REDIRECT": "False"}


@pytest.mark.parametrize("example", ["docker/environments/app.env.example", "docker/environments/app.env.sample"])
def test_an_env_file_left_out_of_the_repository_is_read_from_its_example_beside_it(tmp_path, example):
    # a FastAPI repository's compose gives its web service docker/environments/app.env, which .gitignore leaves out;
    # the committed app.env.example beside it is what a person copies first. Another folder's example is not it.
    compose = ("services:\n  web:\n    build: .\n    ports: ['8000:8000']\n"
               "    env_file:\n      - docker/environments/app.env\n    environment:\n      - DEBUG=0\n")
    app = make_tree(tmp_path, {"main.py": "x = 1\n", "docker-compose.yml": compose,
                               example: "DB_URI=mongodb://mongo:27017\nDB_NAME=notes\nDEBUG=1\n",
                               "other/app.env.example": "DB_NAME=other\n"})
    found = compose_env.find(Project(app))
    assert dict(found.values) == {"DB_URI": "mongodb://mongo:27017", "DB_NAME": "notes", "DEBUG": "0"}


def test_a_compose_file_in_a_deployment_folder_gives_the_service_that_builds_the_apps_folder(tmp_path):
    # docker/docker-compose.yml builds ../backend/ and gives it docker/environments/*.env (a notifications service's
    # layout, `cd docker && docker compose up`): the app in backend/ gets those values
    compose = ("services:\n  web:\n    build:\n      context: ../backend/\n    command: python main.py\n"
               "    env_file:\n      - ./environments/db.env\n      - ./environments/backend.env\n"
               "  db:\n    image: mongo:latest\n    env_file:\n      - ./environments/db.env\n")
    app = make_tree(tmp_path, {"backend/main.py": "x = 1\n", "docker/docker-compose.yml": compose,
                               "docker/environments/db.env": "DB_NAME=notes\n",
                               "docker/environments/backend.env": "PORT=8000\nDB_URI=mongodb://db:27017\n"})
    found = compose_env.find(Project(app), (".", "backend"))
    assert (found.path, found.service) == ("docker/docker-compose.yml", "web")
    assert dict(found.values) == {"DB_NAME": "notes", "PORT": "8000", "DB_URI": "mongodb://db:27017"}
    # a service there that builds another folder is not the app's
    assert compose_env.find(Project(app), (".", "frontend")) is None


@pytest.mark.parametrize("files, service", [
    # the map form, booleans as compose passes them; the app in a subfolder the compose file builds
    ({"compose.yaml": "services:\n  api:\n    build: ./backend\n    environment:\n      DEBUG: true\n      N: 2\n"
                      "  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: x\n"}, "api"),
    # nothing builds the app: no service is its own
    ({"docker-compose.yml": "services:\n  db:\n    image: postgres\n    environment:\n      - A=1\n"}, None),
    # the compose file Shipyard wrote is not the app's
    ({"compose.yaml": "# Generated by shipyard 1.0 from the app's plan. sha256:0\nservices:\n  app:\n"
                      "    build: .\n    environment:\n      - A=1\n"}, None),
    ({"docker-compose.yml": "services: [not, a, mapping\n"}, None),
])
def test_which_compose_service_is_the_apps(tmp_path, files, service):
    app = make_tree(tmp_path, {"backend/app.py": "x = 1\n", **files})
    found = compose_env.find(Project(app), (".", "backend"))
    assert (found.service if found else None) == service
    if found:
        assert dict(found.values) == {"DEBUG": "true", "N": "2"}


def test_a_service_building_a_folder_that_holds_the_apps_workdir_is_the_apps(tmp_path):
    # a starter's layout: compose builds ./services/backend, whose Dockerfile copies app/ in, and runs
    # `uvicorn src.main:app` from services/backend/app; its environment (JWT keys read at import) is the app's.
    # A service building a folder beside the app's (the front end) is not.
    compose = ("services:\n  frontend:\n    build: ./services/frontend\n    ports: ['3000:3000']\n"
               "    environment:\n      - NODE_ENV=development\n"
               "  backend:\n    build: ./services/backend\n    working_dir: /backend/app\n    ports: ['8000:8000']\n"
               "    environment:\n      - JWT_SECRET_KEY=super_secret_key\n")
    app = make_tree(tmp_path, {"docker-compose.yml": compose, "services/backend/Dockerfile": "FROM python:3.10-slim\n",
                               "services/backend/app/src/main.py": "x = 1\n", "services/frontend/package.json": "{}"})
    found = compose_env.find(Project(app), (".", "services/backend/app"))
    assert (found.service, dict(found.values)) == ("backend", {"JWT_SECRET_KEY": "super_secret_key"})
    assert compose_env.find(Project(app), (".", "services/other")) is None


COMPOSE_DEV = ("services:\n  eaasy:\n    build:\n      context: ./eaasy\n      dockerfile: Dockerfile-dev\n"
               "    ports:\n      - 5001:5000\n    environment:\n      - APP_SETTINGS=project.config.DevelopmentConfig\n"
               "      - ENCRYPTION_KEY=from-the-dev-file\n")


@pytest.mark.parametrize("files, path", [
    # testdriven.io's layout: only docker-compose-dev.yml (the README and CI run it with -f), the app in eaasy/
    ({"docker-compose-dev.yml": COMPOSE_DEV}, "docker-compose-dev.yml"),
    # a development variant before a production one; a test one is not the app's setup
    ({"docker-compose.prod.yml": COMPOSE_DEV.replace("from-the-dev-file", "prod"), "docker-compose.dev.yml": COMPOSE_DEV,
      "docker-compose.test.yml": COMPOSE_DEV.replace("from-the-dev-file", "test")}, "docker-compose.dev.yml"),
    ({"compose.prod.yaml": COMPOSE_DEV, "docker-compose.ci.yml": COMPOSE_DEV.replace("from-the-dev-file", "ci")},
     "compose.prod.yaml"),
])
def test_a_folder_without_a_standard_compose_file_has_its_setup_in_a_variant(tmp_path, files, path):
    app = make_tree(tmp_path, {"eaasy/manage.py": "import os\nKEY = os.environ['ENCRYPTION_KEY']\n", **files})
    found = compose_env.find(Project(app), (".", "eaasy"))
    assert (found.path, found.service, found.dockerfile) == (path, "eaasy", "eaasy/Dockerfile-dev")
    assert dict(found.values)["ENCRYPTION_KEY"] == "from-the-dev-file"
    # serve gives the app what that file sets
    env = appconfig.run_config(app, "eaasy", {}, mode="serve", secret_file=tmp_path / "k").environ
    assert env["ENCRYPTION_KEY"] == "from-the-dev-file"
    # a standard compose file there wins over every variant; only test/CI variants: none is the app's
    both = make_tree(tmp_path / "both", {"eaasy/manage.py": "x = 1\n", "docker-compose-dev.yml": COMPOSE_DEV,
                                         "docker-compose.yml": COMPOSE_DEV.replace("from-the-dev-file", "base")})
    assert dict(compose_env.find(Project(both), (".", "eaasy")).values)["ENCRYPTION_KEY"] == "base"
    tests_only = make_tree(tmp_path / "tests", {"eaasy/manage.py": "x = 1\n", "docker-compose.test.yml": COMPOSE_DEV})
    assert compose_env.find(Project(tests_only), (".", "eaasy")) is None


COMPOSE_FROM_DOTENV = """
    services:
      app:
        build: .
        ports:
          - "${PORT}:${PORT}"
        environment:
          - PORT=${PORT}
          - DATABASE_URI=postgres://${DATABASE_USER}:${DATABASE_PASSWORD}@db:${DATABASE_PORT}/${DATABASE_NAME}
          - JWT_EXPIRES_SECONDS=${JWT_EXPIRES_SECONDS}
          - MISSING=${NOT_IN_DOTENV:-fallback}
    """
CONFIG_READING_ENVIRON = "import os\nSECRET = os.environ['JWT_EXPIRES_SECONDS']\nDB = os.environ['DATABASE_URI']\n"


@pytest.mark.parametrize("dotenv", [".env", ".env.example"])
def test_compose_substitutes_the_variables_of_the_projects_env_file_into_the_services_environment(tmp_path, dotenv):
    # Compose reads the .env beside the compose file for ${...} (it does not pass that file to the container);
    # with no .env, the example the README says to copy there
    app = make_tree(tmp_path, {"conduit/config.py": CONFIG_READING_ENVIRON, "docker-compose.yaml": COMPOSE_FROM_DOTENV,
                               dotenv: "DATABASE_USER=postgres\nDATABASE_PASSWORD=pw\nDATABASE_PORT=5432\n"
                                       "DATABASE_NAME=conduit\nPORT=8080\nJWT_EXPIRES_SECONDS=3600\n"})
    found = compose_env.find(Project(app))
    assert dict(found.values) == {"PORT": "8080", "DATABASE_URI": "postgres://postgres:pw@db:5432/conduit",
                                  "JWT_EXPIRES_SECONDS": "3600", "MISSING": "fallback"}
    # serve: the service's value the app reads at import is given; the compose host `db` is not one here
    env = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k").environ
    assert env["JWT_EXPIRES_SECONDS"] == "3600" and "DATABASE_URI" not in env


def test_serve_takes_the_compose_environment_after_the_example_file_and_drops_unreachable_hosts(tmp_path):
    app = make_tree(tmp_path, {"core/settings.py": DJANGO_SETTINGS, "docker-compose.yml": COMPOSE,
                               ".env.example": "DEBUG=0\n"})
    config = appconfig.run_config(app, ".", {"SECURE_SSL_REDIRECT": "True"}, mode="serve",
                                  secret_file=tmp_path / "k")
    env = config.environ
    assert env["DEBUG"] == "0"                                   # the example file's, read first
    assert env["DJANGO_ALLOWED_HOSTS"] == "localhost 127.0.0.1 [::1]"
    assert "SECURE_SSL_REDIRECT" not in env                      # yours wins
    assert "CELERY_BROKER" not in env                            # redis: a compose service, not a host here
    notes = "\n".join(config.notes)
    assert "service 'web' in the app's docker-compose.yml" in notes and "CELERY_BROKER (host redis)" in notes
    # the proof too: a compose service's host exists only on the compose network
    assert "CELERY_BROKER" not in appconfig.run_config(app, ".", {}, mode="proof").environ


@pytest.mark.parametrize("mode", ["proof", "serve"])
def test_a_path_that_exists_only_in_the_container_is_not_taken_from_the_compose_file(tmp_path, mode):
    here = tmp_path / "data"
    here.mkdir()
    compose = ("services:\n  web:\n    build: .\n    ports: ['8000:8000']\n    environment:\n"
               "      - DATABASE_NAME=/srv/nowhere-here/example.db\n"
               "      - SQLITE_URL=sqlite:////srv/nowhere-here/app.db\n"
               f"      - UPLOADS={here}/uploads\n      - WORKERS=2\n")
    app = make_tree(tmp_path / "app", {"manage.py": "x = 1\n", "docker-compose.yml": compose})
    config = appconfig.run_config(app, ".", {}, mode=mode, secret_file=tmp_path / "k")
    assert "DATABASE_NAME" not in config.environ and "SQLITE_URL" not in config.environ
    assert config.environ["UPLOADS"] == f"{here}/uploads" and config.environ["WORKERS"] == "2"
    assert "DATABASE_NAME (path /srv/nowhere-here/example.db)" in "\n".join(config.notes)


def test_the_import_proof_passes_with_what_the_compose_file_sets(tmp_path):
    import os
    import sys

    from shipyard.detect import entry
    from shipyard.errors import AppConfigError
    app = make_tree(tmp_path, {
        "app.py": "import os\nfrom flask import Flask\napp = Flask(__name__)\n"
                  "app.config['SECRET_KEY'] = os.environ['FLASK_SECRET']\n"
                  "HOSTS = os.environ['ALLOWED'].split(',')\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n"
                              "      FLASK_SECRET: dev-only\n      ALLOWED: localhost\n"})
    project = Project(app)
    found = entry.find(project, None)
    base = {k: v for k, v in os.environ.items() if k not in ("FLASK_SECRET", "ALLOWED")}
    with pytest.raises(AppConfigError):
        entry.confirm(project, found, sys.executable, 30.0, environ=base)
    config = appconfig.run_config(app, ".", base, mode="proof")
    entry.confirm(project, found, sys.executable, 30.0, environ=config.under(base))


@pytest.mark.parametrize("value, taken", [("True", False), ("1", False), ("on", False), ("0", True), ("False", True)])
def test_serve_never_takes_debug_on_from_the_apps_env_file(tmp_path, value, taken):
    # a developer's .env.example turns debug on; serve is the production tree: the app's own default (off) stands,
    # and the note says why; dev takes the file's value as it is
    app = make_tree(tmp_path, {"settings.py": 'import os\nDEBUG = os.environ.get("DEBUG", "0") == "1"\n',
                               ".env.example": f"DEBUG={value}\nMAIL_FROM=me@example.com\n"})
    config = appconfig.run_config(app, ".", {}, mode="serve")
    assert config.environ["MAIL_FROM"] == "me@example.com"
    assert ("DEBUG" in config.environ) is taken, config.environ
    assert any(f"DEBUG={value}" in note and "debug mode" in note for note in config.notes) is not taken, config.notes
    assert appconfig.run_config(app, ".", {}, mode="dev").environ["DEBUG"] == value


@pytest.mark.parametrize("files", [
    {".flaskenv": "FLASK_APP=app\nFLASK_ENV=development\n"},              # the flask CLI's file
    {".env": "FLASK_ENV=development\n", "loads.py": "from dotenv import load_dotenv\nload_dotenv()\n"},  # its own
    {".env.example": "FLASK_ENV=development\nMAIL_FROM=me@example.com\n"},   # the example file
])
def test_serve_runs_flask_in_production_whatever_a_developers_env_file_says(tmp_path, files):
    app = make_tree(tmp_path, {**files, "requirements.txt": "Flask==2.0.3\npython-dotenv\n",
                               "app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    config = appconfig.run_config(app, ".", {}, mode="serve")
    assert config.environ["FLASK_ENV"] == "production"
    assert any(n.startswith("FLASK_ENV=production: serve runs the production tree, not ") and "FLASK_ENV=development"
               in n for n in config.notes), config.notes
    # dev takes it; yours wins
    assert appconfig.run_config(app, ".", {}, mode="dev").environ.get("FLASK_ENV") in (None, "development")
    assert "FLASK_ENV" not in appconfig.run_config(app, ".", {"FLASK_ENV": "staging"}, mode="serve").environ
    # a production value is left as it is
    calm = make_tree(tmp_path / "calm", {".flaskenv": "FLASK_ENV=production\n", "app.py": "import flask\n",
                                         "requirements.txt": "Flask\npython-dotenv\n"})
    assert "FLASK_ENV" not in appconfig.run_config(calm, ".", {}, mode="serve").environ


_STARLETTE_PACKAGE = {
    "shop/__init__.py": "from starlette.applications import Starlette\nfrom .settings import GROUP\n"
                        "app = Starlette()\n",
    # the settings module reads the .env beside it (not the one where the app runs), as starlette's docs show
    "shop/settings.py": "from pathlib import Path\nfrom starlette.config import Config\n"
                        "env_path = Path(__file__).parent / '.env'\nconfig = Config(f'{env_path.absolute()}')\n"
                        "GROUP = config('DEFAULT_GROUP')\nPER_PAGE = config('PER_PAGE', cast=int, default=10)\n",
}


def test_the_example_beside_the_env_file_the_settings_module_loads_is_read(tmp_path):
    import os
    import sys

    from shipyard.detect import entry
    from shipyard.errors import AppConfigError
    app = make_tree(tmp_path, {**_STARLETTE_PACKAGE, "shop/.env.sample": "DEFAULT_GROUP=users\nPER_PAGE=20\n",
                               ".env.docker": "POSTGRES_USER=app\n"})
    project = Project(app)
    found = entry.find(project, None)
    assert found.entry.target == "shop:app"
    assert envfile.named_folders(project) == ("shop",)
    base = {k: v for k, v in os.environ.items() if k not in ("DEFAULT_GROUP", "PER_PAGE")}
    with pytest.raises(AppConfigError):
        entry.confirm(project, found, sys.executable, 30.0, environ=base)
    config = appconfig.run_config(app, ".", base, mode="proof", entry_module="shop")
    assert config.environ == {"DEFAULT_GROUP": "users", "PER_PAGE": "20"}     # not the root's other file
    assert "shop/.env.sample" in config.notes[0]
    entry.confirm(project, found, sys.executable, 30.0, environ=config.under(base))


def test_a_missing_starlette_config_value_is_configuration_naming_the_variable_and_the_example(tmp_path):
    import os
    import sys

    from shipyard.detect import entry
    from shipyard.errors import AppConfigError
    app = make_tree(tmp_path, {**_STARLETTE_PACKAGE, "shop/.env.sample": "DEFAULT_GROUP=\nPER_PAGE=20\n"})
    project = Project(app)
    found = entry.find(project, None)
    base = {k: v for k, v in os.environ.items() if k not in ("DEFAULT_GROUP", "PER_PAGE")}
    config = appconfig.run_config(app, ".", base, mode="proof", entry_module="shop")
    with pytest.raises(AppConfigError) as caught:
        entry.confirm(project, found, sys.executable, 30.0, environ=config.under(base))
    assert caught.value.variables == ("DEFAULT_GROUP",)
    assert "reads the variable DEFAULT_GROUP" in caught.value.message
    assert "shop/.env.sample leaves it empty" in caught.value.message
    assert "app's code" not in caught.value.hint


@pytest.mark.parametrize("files, folder", [
    # django-environ from a settings package: BASE_DIR two folders up
    ({"site/conf/settings/base.py": "import os, environ\n"
      "BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n"
      "environ.Env.read_env(os.path.join(BASE_DIR, '.env'))\n"}, "site/conf"),
    # python-dotenv
    ({"api/config.py": "from pathlib import Path\nfrom dotenv import load_dotenv\n"
      "load_dotenv(dotenv_path=Path(__file__).resolve().parent.parent / 'deploy' / '.env')\n"}, "deploy"),
    # a pydantic settings class's env_file
    ({"core/settings.py": "from pathlib import Path\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n"
      "class S(BaseSettings):\n    model_config = SettingsConfigDict(env_file=Path(__file__).parent / '.env.local')\n"},
     "core"),
    # a bare ".env" is read where the app runs: the root and the workdir cover it, no folder of its own
    ({"app.py": "from dotenv import load_dotenv\nload_dotenv('.env')\n"}, None),
])
def test_the_folder_of_the_env_file_the_code_names(tmp_path, files, folder):
    project = Project(make_tree(tmp_path, files))
    assert envfile.named_folders(project) == ((folder,) if folder else ())


def test_the_entry_packages_folder_is_looked_in_after_the_root(tmp_path):
    # the code names its .env in a way not read statically: the entry package's folder still holds the example
    app = make_tree(tmp_path, {"shop/__init__.py": "import os\nfrom dotenv import load_dotenv\n"
                                                   "load_dotenv(os.environ.get('ENV_FILE'))\n",
                               "shop/.env.example": "A=1\n"})
    project = Project(app)
    assert envfile.folders(project, ".", "shop") == (".", "shop", *envfile.DEPLOYMENT_FOLDERS)
    assert envfile.for_app(project, ".", "shop").path == "shop/.env.example"
    assert envfile.for_app(project, ".", None) is None


def test_the_example_beside_the_app_in_a_subfolder_wins_over_the_roots(tmp_path):
    # a 2024 chat app run from emlinh_mng/ (its README: cd emlinh_mng, cp .env.example .env) beside a root
    # .env.example of the repository's other project: the nearer example is the one copied, python-dotenv's
    # find_dotenv walking up from the code finds that copy first
    app = make_tree(tmp_path / "app", {
        ".env.example": "OTHER_TOKEN=\n",
        "emlinh_mng/.env.example": "OPENAI_API_KEY=sk-dummy\n",
        "emlinh_mng/backend/env.sample": "DEEPER=1\n",
        "emlinh_mng/app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    project = Project(app)
    assert envfile.folders(project, "emlinh_mng")[:2] == ("emlinh_mng", ".")
    assert envfile.for_app(project, "emlinh_mng", "app").path == "emlinh_mng/.env.example"
    assert envfile.for_app(project, "emlinh_mng/backend", None).path == "emlinh_mng/backend/env.sample"
    assert envfile.for_app(project, ".", None).path == ".env.example"       # run from the root: the root's
    (app / "emlinh_mng" / ".env.example").unlink()
    assert envfile.for_app(project, "emlinh_mng", "app").path == ".env.example"   # none nearer: the root's


def test_an_example_kept_only_in_a_deployment_folder_is_read_when_no_nearer_folder_has_one(tmp_path):
    # Sanic backend whose settings read the environment with no default; its one example env file sits with the
    # production compose file in deployment/ (`.env_template`): the file a person copies to .env
    app = make_tree(tmp_path, {"main.py": "import settings\n",
                               "settings.py": "from environs import Env\nenv = Env()\nenv.read_env()\n"
                                              "ENGINE = env('DATABASE_ENGINE')\n",
                               "deployment/.env_template": "DATABASE_ENGINE=postgres\nDATABASE_HOST=postgres\n",
                               "deployment/docker-compose_prod.yml": "services: {}\n"})
    assert envfile.for_app(Project(app), ".", "main").path == "deployment/.env_template"
    env = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k").environ
    assert env["DATABASE_ENGINE"] == "postgres" and "DATABASE_HOST" not in env      # a compose host: not here
    # a nearer example wins; so does the app's own .env at the root (its configuration: no example read)
    (app / ".env.example").write_text("DATABASE_ENGINE=sqlite\n")
    assert envfile.for_app(Project(app), ".", "main").path == ".env.example"
    (app / ".env").write_text("DATABASE_ENGINE=sqlite\n")
    assert envfile.for_app(Project(app), ".", "main") is None


def test_a_settings_value_that_does_not_fit_its_field_names_the_field_and_where_the_value_came_from(tmp_path):
    import os
    import sys

    from shipyard.detect import entry
    from shipyard.errors import AppCodeError, AppConfigError
    app = make_tree(tmp_path, {
        "config.py": "from pydantic.v1 import BaseSettings\nclass Db(BaseSettings):\n"
                     "    POSTGRES_PASSWORD: int = 1234\n    POSTGRES_USER: str = 'postgres'\n"
                     "db = Db()\n",
        "app.py": "from flask import Flask\nimport config\napp = Flask(__name__)\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n    environment:\n"
                              "      POSTGRES_PASSWORD: s3cret-pw\n"})
    project = Project(app)
    found = entry.find(project, None)
    base = {k: v for k, v in os.environ.items() if not k.startswith("POSTGRES_")}
    config = appconfig.run_config(app, ".", base, mode="proof")
    with pytest.raises(AppConfigError) as caught:
        entry.confirm(project, found, sys.executable, 30.0, environ=config.under(base))
    error = caught.value
    assert error.variables == ("POSTGRES_PASSWORD",)
    assert "POSTGRES_PASSWORD: value is not a valid integer" in error.message and "s3cret" not in error.message
    assert "POSTGRES_PASSWORD is set in the environment" in error.message
    assert appconfig.said_origins(error.variables, dict(config.origins)) == \
        " (POSTGRES_PASSWORD from docker-compose.yml)"

    # a model that is no settings class: the app's code, with the field named instead of pydantic's link
    (app / "config.py").write_text("from pydantic import BaseModel\nclass Limits(BaseModel):\n"
                                   "    per_page: int\nlimits = Limits(per_page='many')\n")
    with pytest.raises(AppCodeError) as caught:
        entry.confirm(Project(app), found, sys.executable, 30.0, environ=base)
    assert "per_page: Input should be a valid integer" in caught.value.message
    assert "errors.pydantic.dev" not in caught.value.message


def test_a_settings_value_its_own_env_file_leaves_empty_is_said_as_that_files_slot_to_fill(tmp_path):
    # a Poetry FastAPI template: a committed .env with every slot empty, read with dotenv_values(".env") and
    # passed to the settings class: the value is the file's empty one, which only the file can fill
    import os
    import sys

    from shipyard.detect import entry
    from shipyard.errors import AppConfigError
    app = make_tree(tmp_path, {
        ".env": "\nDB_HOST=\nSESSION_LIVE_TIME=",
        "src/config.py": "from pathlib import Path\n\nfrom pydantic.v1 import BaseSettings\n\n"
                         "text = (Path(__file__).parent.parent / '.env').read_text()\n"
                         "config = dict(line.split('=', 1) for line in text.split() if '=' in line)  # dotenv_values\n\n\n"
                         "class ConfigClass(BaseSettings):\n    SESSION_LIVE_TIME: int\n\n\n"
                         "Config = ConfigClass.parse_obj(config)\n",
        "src/main.py": "from fastapi import FastAPI\nfrom src.config import Config\napp = FastAPI()\n"})
    project = Project(app)
    found = entry.find(project, None)
    base = {k: v for k, v in os.environ.items() if k != "SESSION_LIVE_TIME"}
    with pytest.raises(AppConfigError) as caught:
        entry.confirm(project, found, sys.executable, 30.0, environ=base)
    error = caught.value
    assert error.variables == ("SESSION_LIVE_TIME",)
    assert "the app's own .env writes SESSION_LIVE_TIME empty (SESSION_LIVE_TIME=)" in error.message
    assert "in .env" in error.hint


def test_a_placeholder_sqlite_path_in_the_example_goes_to_shipyards_folder_for_the_app_in_serve(tmp_path):
    here = tmp_path / "existing"
    here.mkdir()
    app = make_tree(tmp_path / "app", {"settings.py": "import os\nDB = os.environ['DB_URL']\n",
                                       ".env.example": "DB_URL=sqlite:////path/to/nowhere-here/app.db\n"
                                                       f"CACHE_DB={here}/cache.sqlite3\n"})
    folder = tmp_path / "data" / "apps" / "app-1234"
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=folder / "k", data_folder=folder)
    assert config.environ["DB_URL"] == f"sqlite:///{folder}/app.db" and folder.is_dir()
    assert config.environ["CACHE_DB"] == f"{here}/cache.sqlite3"            # its folder exists: the user's path
    assert any("DB_URL names /path/to/nowhere-here/app.db, whose folder does not exist here" in n
               for n in config.notes)
    # the import proof keeps no data: the value stands (importing rarely opens the file)
    proof = appconfig.run_config(app, ".", {}, mode="proof")
    assert proof.environ["DB_URL"] == "sqlite:////path/to/nowhere-here/app.db"


def test_settings_fields_the_example_file_leaves_empty_are_said_to_be_the_users_to_fill(tmp_path):
    """pydantic's "field required" for values only the user has (a mail server's), which .env.example lists
    empty: the line that names them says so; one the example does not list gets no such words."""
    from shipyard.detect import entry
    from shipyard.detect.entry.proof import _example_leaves_empty
    app = make_tree(tmp_path, {"main.py": "from starlette.applications import Starlette\napp = Starlette()\n",
                               ".env.example": "MAIL_SERVER=\nMAIL_PORT=\nDEBUG=1\n"})
    project = Project(app)
    found = entry.find(project, None)
    assert _example_leaves_empty(project, found, ("MAIL_SERVER", "MAIL_PORT")) == \
        "; the app's example env file .env.example leaves them empty, for you to fill"
    assert _example_leaves_empty(project, found, ("MAIL_SERVER",)).endswith("leaves it empty, for you to fill")
    assert _example_leaves_empty(project, found, ("MAIL_SERVER", "JWT_ALGORITHM")) == ""
    assert _example_leaves_empty(project, found, ("DEBUG",)) == ""


@pytest.mark.parametrize("read, name", [
    ('DEBUG = os.getenv("DJANGO_DEBUG") != "FALSE"', "DJANGO_DEBUG"),                  # djangogirls.org
    ('DEBUG = os.environ.get("DEBUG", "True") == "True"', "DEBUG"),
    ('DEBUG = os.environ.get("DEBUG", "true").lower() in ("1", "true", "yes")', "DEBUG"),
    ('DEBUG = os.environ.get("DEBUG", "True") not in ("False", "0")', "DEBUG"),
    ('DEBUG = bool(os.environ.get("DEBUG", "True"))', "DEBUG"),
    ('DEBUG = int(os.environ.get("DEBUG", default=1))', "DEBUG"),
    ('DEBUG = os.environ.get("DEBUG", "True") in ("True", "1") and os.name != "nt"', "DEBUG"),
    ('DEBUG = os.environ.get("DEBUG") == "1"', "DEBUG"),                            # no default: "0" as before
    # the string itself is the flag (a Django School tutorial's environ['DJANGO_DEBUG']): "0" was a true one
    ('from os import environ\nDEBUG = environ["DJANGO_DEBUG"]', "DJANGO_DEBUG"),
    ('DEBUG = os.environ.get("DEBUG")', "DEBUG"),
    ('DEBUG: str = os.getenv("DEBUG", "yes")', "DEBUG"),
    # Starlette's (and python-decouple's) config("X") with no cast is the string too (Nav_LBMS, 2023)
    ('from starlette.config import Config\nconfig = Config()\nDEBUG = config("DEBUG")', "DEBUG"),
    # the comparison holding turns it off: "0" was on for these
    ('DEBUG = False if os.getenv("DJANGO_DEBUG", "True") == "False" else True', "DJANGO_DEBUG"),
    ('DEBUG = not os.environ.get("DEBUG", "1") == "0"', "DEBUG"),
    ('DEBUG = False if os.environ.get("DEBUG", "on") != "on" else True', "DEBUG"),
])
def test_serve_turns_debug_off_as_the_apps_own_read_understands_off(tmp_path, read, name):
    # the settings line is then run with what serve sets: debug must come out off
    app = make_tree(tmp_path, {"settings.py": f"import os\n{read}\n"})
    env = appconfig.run_config(app, ".", {}, mode="serve").environ
    assert name in env, env
    scope: dict = {}
    saved = dict(os.environ)
    try:
        os.environ.pop(name, None)
        os.environ.update(env)
        exec((app / "settings.py").read_text(), scope)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert not scope["DEBUG"], (env[name], read)


def test_a_decouple_read_with_no_cast_is_the_string_itself_so_off_is_empty(tmp_path):
    # DEBUG = config('DEBUG'): decouple returns the text, and "0" is a true one
    app = make_tree(tmp_path, {"settings.py": "from decouple import config\nDEBUG = config('DEBUG')\n"
                                              "TEMPLATE_DEBUG = config('TEMPLATE_DEBUG', cast=bool)\n"})
    config = appconfig.run_config(app, ".", {}, mode="serve")
    assert config.environ["DEBUG"] == ""
    assert any("DEBUG= (off as settings.py:2 reads it)" in note for note in config.notes), config.notes
    assert appconfig.run_config(app, ".", {}, mode="dev").environ["DEBUG"] == "1"


@pytest.mark.parametrize("read, value", [
    ('DEBUG = config("DEBUG", default=True, cast=bool)', "False"),      # python-decouple
    ('DEBUG = env.bool("DJANGO_DEBUG", True)', "False"),               # django-environ
    ('DEBUG = bool(strtobool(os.environ.get("DEBUG", default="TRUE")))', "FALSE"),
])
def test_a_default_that_is_on_is_negated_in_its_own_spelling(tmp_path, read, value):
    app = make_tree(tmp_path, {"settings.py": f"""
        import os
        import environ
        from decouple import config
        from distutils.util import strtobool
        env = environ.Env()
        {read}
    """})
    config = appconfig.run_config(app, ".", {}, mode="serve")
    name = next(n for n in ("DJANGO_DEBUG", "DEBUG") if n in read)
    assert config.environ[name] == value
    assert any(f"{name}={value} (off as settings.py:6 reads it)" in note for note in config.notes), config.notes
    assert appconfig.run_config(app, ".", {}, mode="dev").environ[name] == "1"


@pytest.mark.parametrize("read", [
    'DEBUG = os.environ.get("DEBUG", "False") == "True"',        # off unless told: nothing to set
    'DEBUG = config("DEBUG", default=False, cast=bool)',
    'DEBUG = os.environ.get("DEBUG", "0") == "1"',
    # a Django starter's production settings: off when it is "False", its default ("0" turned it on)
    'DEBUG = False if config("DEBUG", default="False") == "False" else True',
])
def test_a_read_that_is_off_by_default_is_left_to_the_app(tmp_path, read):
    app = make_tree(tmp_path, {"settings.py": f"import os\nfrom decouple import config\n{read}\n"})
    assert "DEBUG" not in appconfig.run_config(app, ".", {}, mode="serve").environ


DEV_COMPOSE = """\
services:
  app:
    build:
      context: .
      dockerfile: {dockerfile}
    environment:
      - FLASK_ENV=docker
      - LOG_LEVEL=debug
    ports:
      - 5000:5000
"""
# a Heroku/now boilerplate's production image: the config class it runs with, picked by a key
PRODUCTION_DOCKERFILE = "FROM python:3.7-alpine\nCOPY . /app\nWORKDIR /app\nENV FLASK_ENV=prod\n" \
                        'ENTRYPOINT ["gunicorn", "manage:app"]\n'
CONFIG_BY_KEY = """\
import os

config = {"dev": "api.config.Dev", "prod": "api.config.Prod", "docker": "api.config.Docker"}
chosen = config[os.environ.get("FLASK_ENV", "dev")]
level = os.environ.get("LOG_LEVEL", "info")
"""


@pytest.mark.parametrize("dockerfile, mode, wanted", [
    ("Dockerfile-dev", "serve", "prod"),       # compose builds a development image: production's ENV
    ("Dockerfile-dev", "proof", "prod"),
    ("Dockerfile-dev", "dev", "docker"),       # `dev` is the development setup compose describes
    ("Dockerfile", "serve", "docker"),         # compose builds the production image itself: its value wins
])
def test_a_development_compose_service_gives_way_to_the_production_dockerfile(tmp_path, dockerfile, mode, wanted):
    app = make_tree(tmp_path, {"api/__init__.py": CONFIG_BY_KEY, "docker-compose.yml": DEV_COMPOSE.format(
        dockerfile=dockerfile), "Dockerfile": PRODUCTION_DOCKERFILE, "Dockerfile-dev": "FROM python:3.7\n"})
    config = appconfig.run_config(app, ".", {}, mode=mode)
    # only the names both set: the compose file's others stay
    assert (config.environ["FLASK_ENV"], config.environ["LOG_LEVEL"]) == (wanted, "debug")
    said = " ".join(config.notes)
    assert ("the production Dockerfile's ENV gives FLASK_ENV=prod (not docker)" in said) == (wanted == "prod")
    assert dict(config.origins)["FLASK_ENV"] == ("Dockerfile" if wanted == "prod" else "docker-compose.yml")


@pytest.mark.parametrize("config, line", [
    ("class Config:\n    DEBUG = False\n\n\nclass DevConfig(Config):\n    SERVER_NAME = 'localhost:5000'\n", 6),
    ("from flask import Flask\n\napp = Flask(__name__)\napp.config['SERVER_NAME'] = 'localhost:5000'\n", 4),
    ("CONFIG = {\n    'SERVER_NAME': 'localhost:5000',\n}\n", 2),
])
def test_a_server_name_written_in_the_code_is_warned_of_where_serve_answers_elsewhere(tmp_path, config, line):
    make_tree(tmp_path, {"settings.py": config, "app.py": "from flask import Flask\n\napp = Flask(__name__)\n"})
    served = appconfig.run_config(tmp_path, ".", {}, mode="serve", served_at="127.0.0.1:8123",
                                  secret_file=tmp_path / "secret")
    warned = [n for n in served.notes if "SERVER_NAME" in n]
    assert len(warned) == 1 and f"settings.py:{line} ('localhost:5000')" in warned[0]
    assert "answers at 127.0.0.1:8123" in warned[0]
    # nothing to say for the proof (no address), nor where it is served at the written address
    assert not [n for n in appconfig.run_config(tmp_path, ".", {}, mode="proof").notes if "SERVER_NAME" in n]
    at_it = appconfig.run_config(tmp_path, ".", {}, mode="serve", served_at="localhost:5000",
                                 secret_file=tmp_path / "secret")
    assert not [n for n in at_it.notes if "SERVER_NAME" in n]


def test_a_server_name_written_for_the_development_server_under_main_is_not_warned_of(tmp_path):
    # `if __name__ == "__main__": app.config["SERVER_NAME"] = "localhost:8000"; app.run()`: a production server
    # imports the module and never runs the block
    make_tree(tmp_path, {"app.py": "from quart import Quart\n\napp = Quart(__name__)\n\n\nif __name__ == '__main__':\n"
                                   "    app.config['SERVER_NAME'] = 'localhost:8000'\n    app.run()\n"})
    served = appconfig.run_config(tmp_path, ".", {}, mode="serve", served_at="127.0.0.1:8123",
                                  secret_file=tmp_path / "secret")
    assert not [n for n in served.notes if "SERVER_NAME" in n]


def test_a_server_name_read_from_the_environment_is_not_warned_of(tmp_path):
    make_tree(tmp_path, {"settings.py": "import os\n\nSERVER_NAME = os.environ.get('SERVER_NAME', 'localhost')\n"})
    served = appconfig.run_config(tmp_path, ".", {}, mode="serve", served_at="127.0.0.1:8123",
                                  secret_file=tmp_path / "secret")
    assert not [n for n in served.notes if n.startswith("warning") and "SERVER_NAME" in n]


def test_a_server_name_written_in_a_sanic_app_is_not_warned_of(tmp_path):
    # Sanic builds URLs with SERVER_NAME and answers requests for any host
    make_tree(tmp_path, {"app.py": "from sanic import Sanic\n\napp = Sanic('x')\napp.config.SERVER_NAME = 'a:1'\n",
                         "settings.py": "SERVER_NAME = 'localhost:5000'\n"})
    served = appconfig.run_config(tmp_path, ".", {}, mode="serve", served_at="127.0.0.1:8123",
                                  secret_file=tmp_path / "secret")
    assert not [n for n in served.notes if "SERVER_NAME" in n]


PORT_APP = """
    import os
    port = int(os.getenv("PORT"))       # for its own uvicorn.run(app, port=port) under __main__


    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"ok"]
    """


def test_an_app_reading_port_with_no_default_gets_the_port_it_is_served_on(tmp_path):
    import subprocess
    import sys
    app = make_tree(tmp_path / "app", {"main.py": PORT_APP})
    env = {k: v for k, v in os.environ.items() if k != "PORT"}
    served = appconfig.run_config(app, ".", env, mode="serve", secret_file=tmp_path / "k", served_at="127.0.0.1:8123")
    assert served.environ == {"PORT": "8123"}
    assert "PORT=8123 (the port serve answers at)" in "\n".join(served.notes)
    # the proof: the port an image is given (its ENV PORT, Shipyard's default port), and the import succeeds with it
    proof = appconfig.run_config(app, ".", env, mode="proof")
    assert proof.environ == {"PORT": "8000"}
    done = subprocess.run([sys.executable, "-c", "import main; print(main.port)"], cwd=app, capture_output=True,
                          text=True, env=proof.under(env))
    assert done.returncode == 0 and done.stdout.strip() == "8000", done.stderr
    without = subprocess.run([sys.executable, "-c", "import main"], cwd=app, capture_output=True, env=env)
    assert without.returncode != 0      # what the proof saw before
    # yours wins; a read with a default is left to the app
    assert appconfig.run_config(app, ".", {**env, "PORT": "5000"}, mode="proof").variables == ()
    other = make_tree(tmp_path / "other", {"main.py": "import os\nport = int(os.getenv('PORT', 5000))\n"})
    assert appconfig.run_config(other, ".", env, mode="serve", served_at="127.0.0.1:8123").variables == ()


CONFIG_LOADER = """\
import os
import tomllib


def load_config():
    if not (path := os.getenv("BASE_CONFIG")):
        raise RuntimeError("Not found path to config.toml")
    with open(path, mode="rb") as file:
        return tomllib.load(file)
"""


def test_a_config_path_variable_whose_example_is_a_placeholder_gets_the_example_config_the_app_ships(tmp_path):
    app = make_tree(tmp_path, {"src/app/config.py": CONFIG_LOADER,
                               ".env.example": 'BASE_CONFIG="<YOUR_PATH_TO_CONFIG>"\nPOSTGRES_USER=postgres\n',
                               "config/example.config.toml": "[database]\nurl = 'sqlite:///x'\n"})
    config = appconfig.run_config(app, "src", {}, mode="serve", secret_file=tmp_path / "k")
    assert config.environ["BASE_CONFIG"] == str((app / "config" / "example.config.toml").resolve())
    assert any("BASE_CONFIG=<YOUR_PATH_TO_CONFIG> is a placeholder for the app's config file: serve gives it the "
               "example the app ships, config/example.config.toml" in note for note in config.notes)
    # yours wins; the proof reads the same example
    assert "BASE_CONFIG" not in appconfig.run_config(app, "src", {"BASE_CONFIG": "mine.toml"}, mode="proof").variables
    assert appconfig.run_config(app, "src", {}, mode="proof").environ["BASE_CONFIG"].endswith("example.config.toml")


@pytest.mark.parametrize("files", [
    # two example configs: no choice to guess, the placeholder stays (the app's error names it)
    {"config/example.config.toml": "a = 1\n", "config/config.sample.yaml": "a: 1\n"},
    # no example config at all
    {"config/config.toml.j2": "a = 1\n"},
])
def test_a_placeholder_stays_when_the_example_config_is_not_one_file(tmp_path, files):
    app = make_tree(tmp_path, {"src/app/config.py": CONFIG_LOADER,
                               ".env.example": 'BASE_CONFIG="<YOUR_PATH_TO_CONFIG>"\n', **files})
    assert appconfig.run_config(app, "src", {}, mode="proof").environ["BASE_CONFIG"] == "<YOUR_PATH_TO_CONFIG>"


@pytest.mark.parametrize("name, value, taken", [
    ("BASE_CONFIG", "<YOUR_PATH_TO_CONFIG>", True),
    ("APP_CONFIG_FILE", "<path/to/config.toml>", True),
    ("SETTINGS_PATH", "<settings>", True),
    ("API_KEY", "<YOUR_API_KEY>", False),                       # not a config file's path
    ("CONFIG_PATH", "config/local.toml", False),                # a value, not a placeholder
])
def test_which_variables_and_values_say_config_path_placeholder(name, value, taken):
    from shipyard.detect import config_path
    assert (config_path.names_config_file(name) and config_path.is_placeholder(value)) is taken


def test_the_environment_variable_scan_runs_once_per_project(tmp_path, monkeypatch):
    """ephios-dev/ephios: the scan of every read of the environment took 13s on its code, and ran once per
    detector that asks (hosts, secret keys, config loaders, services) and again for the run configuration: inspect
    took 142s. It runs once per Project, and the planner's Project is the one the run configuration reads."""
    from shipyard.detect import services
    make_tree(tmp_path, {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
        "site/__init__.py": "",
        "site/settings.py": """
            import os
            SECRET_KEY = os.environ["SITE_SECRET_KEY"]
            ALLOWED_HOSTS = os.environ.get("SITE_HOSTS", "").split(",")
            DEBUG = os.environ.get("DEBUG") == "1"
            """,
    })
    scans = []
    scan = services._scan_env_reads
    monkeypatch.setattr(services, "_scan_env_reads", lambda project: scans.append(project) or scan(project))
    project = Project(tmp_path)
    config = appconfig.run_config(project, ".", {}, mode="proof")
    assert {"SITE_SECRET_KEY", "SITE_HOSTS"} <= set(config.environ)
    assert {r.name for r in env_reads(project)} == {"SITE_SECRET_KEY", "SITE_HOSTS", "DEBUG"}
    assert scans == [project]
    env_reads(Project(tmp_path))                  # another Project of the same folder scans its own files
    assert len(scans) == 2


ENGINE_URL_APP = {
    "app/config.py": "import os\n\n\nclass Config:\n    DB_URL = {read}\n",
    "app/db.py": "from sqlalchemy.ext.asyncio import {engine}\n\n\ndef get_engine(url):\n    return {engine}(url)\n",
}


@pytest.mark.parametrize("read, engine, extra, given", [
    # the aiohttp chat's shape: os.getenv with no default, the .env left out, an async engine at start-up
    ("os.getenv('DB_URL')", "create_async_engine", {}, "sqlite+aiosqlite"),
    ("os.environ.get('DB_URL')", "create_engine", {}, "sqlite"),
    # a default of its own: the app's choice
    ("os.getenv('DB_URL', 'sqlite:///chat.db')", "create_async_engine", {}, None),
    # an empty default is none: an engine on "" fails as one on None does (starlette Config's default="")
    ("os.getenv('DB_URL', '')", "create_engine", {}, "sqlite"),
    # a database the app names elsewhere: not Shipyard's to replace with SQLite
    ("os.getenv('DB_URL')", "create_async_engine", {"app/alembic.ini": "[alembic]\nsqlalchemy.url = "
                                                    "postgresql://app:app@localhost/chat\n"}, None),
    # a PostgreSQL driver the app declares: it has a database server, not Shipyard's to replace with SQLite
    ("os.getenv('DB_URL')", "create_async_engine", {"app/requirements.txt": "SQLAlchemy\nasyncpg==0.29\n"}, None),
])
def test_a_database_url_an_engine_opens_and_the_app_reads_with_no_default_gets_a_sqlite_file(
        tmp_path, read, engine, extra, given):
    files = {k: v.format(read=read, engine=engine) for k, v in ENGINE_URL_APP.items()}
    _gets_a_sqlite_file(make_tree(tmp_path / "app", {**files, **extra}), tmp_path / "data", "DB_URL", given)


def _gets_a_sqlite_file(app, folder, name, scheme):
    """serve gives `name` a `scheme` URL of a file in its data folder (none when `scheme` is None); yours wins, and
    the proof (no folder) sets none."""
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=folder / "k", data_folder=folder)
    assert config.environ.get(name) == (f"{scheme}:///{folder / 'db.sqlite3'}" if scheme else None)
    if scheme:    # SQLite makes the file, not its folder: an app with a secret key of its own made none before
        assert folder.is_dir() and not (folder / "k").exists()
    assert name not in appconfig.run_config(app, ".", {name: "sqlite:///x"}, mode="serve",
                                            data_folder=folder).environ
    assert name not in appconfig.run_config(app, ".", {}, mode="proof").environ


FLASK_CONFIG_URL_APP = {
    "todo/__init__.py": "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom .config import *\n\n"
                        "db = SQLAlchemy()\n\n\ndef create_app(config_class=DevelopmentConfig):\n"
                        "    app = Flask(__name__)\n    app.config.from_object(config_class)\n"
                        "    db.init_app(app)\n    return app\n",
    "todo/config.py": "import os\n\n\nclass DevelopmentConfig:\n    SQLALCHEMY_DATABASE_URI = {read}\n",
}


@pytest.mark.parametrize("read, extra, given", [
    # a 2024 todo API: the config class reads DEV_URI with no default, its .env left out, no driver named
    ("os.environ.get('DEV_URI')", {}, "sqlite"),
    ("os.getenv('DEV_URI', None)", {}, "sqlite"),
    # a default of its own: the app's choice
    ("os.environ.get('DEV_URI') or 'sqlite:///todo.db'", {}, None),
    # a MySQL driver the app declares: serve's MariaDB gives it the URL instead (db_part_vars), not a SQLite file
    ("os.environ.get('DEV_URI')", {"requirements.txt": "flask\nflask-sqlalchemy\npymysql\n"}, None),
])
def test_a_url_a_flask_config_class_reads_with_no_default_gets_a_sqlite_file(tmp_path, read, extra, given):
    files = {k: v.format(read=read) if k.endswith("config.py") else v for k, v in FLASK_CONFIG_URL_APP.items()}
    _gets_a_sqlite_file(make_tree(tmp_path / "app", {**files, **extra}), tmp_path / "data", "DEV_URI", given)


@pytest.mark.parametrize("settings, given", [
    ("from decouple import config\nimport dj_database_url\n"
     "DATABASES = {'default': dj_database_url.config(default=config('DATABASE_URL'))}\n", True),
    ("import environ\nenv = environ.Env()\nDATABASES = {'default': env.db()}\n", True),
    # a default of its own: the app's choice
    ("import os\nDATABASE_URL = os.environ.get('DATABASE_URL', 'sqlite:///db.sqlite3')\n", False),
])
def test_a_required_database_url_gets_a_sqlite_file_in_shipyards_folder(tmp_path, settings, given):
    _gets_a_sqlite_file(make_tree(tmp_path / "app", {"site/settings.py": settings}), tmp_path / "data",
                        "DATABASE_URL", "sqlite" if given else None)


README_ENV = (
    "# Shop API\n\n## .env file example\n\n```env\n"
    "DATABASE_URL=postgresql+asyncpg://postgres:12345@db.invalid:5432/shop\nDB_ECHO=True\n\n"
    "SHOP_PG_USER=postgres\n\n\nSimple FastAPI app with alembic\n")     # the fence is never closed
BOOL_SETTINGS = ("import os\nfrom pydantic_settings import BaseSettings\n\n\n"
                 "class Settings(BaseSettings):\n    DATABASE_URL: str = os.getenv('DATABASE_URL')\n"
                 "    DB_ECHO: bool = os.getenv('DB_ECHO')\n\n\nsettings = Settings()\n")


def test_the_env_a_readme_shows_is_the_example_of_an_app_that_ships_none(tmp_path):
    app = make_tree(tmp_path, {"app/settings.py": BOOL_SETTINGS, "README.md": README_ENV})
    found = envfile.for_app(Project(app), ".")
    assert found.path == "README.md" and found.shown
    assert dict(found.values) == {"DATABASE_URL": "postgresql+asyncpg://postgres:12345@db.invalid:5432/shop",
                                  "DB_ECHO": "True", "SHOP_PG_USER": "postgres"}   # not the prose after it
    config = appconfig.run_config(app, ".", {}, mode="serve")
    assert config.environ["DB_ECHO"] == "True"
    assert "DATABASE_URL" not in config.environ           # a compose host: serve's own database instead
    notes = "\n".join(config.notes)
    assert "the .env its README shows (README.md)" in notes and "DATABASE_URL (host db.invalid)" in notes
    # an example file, or the app's own .env, comes first
    (app / ".env.example").write_text("DB_ECHO=false\n")
    assert envfile.for_app(Project(app), ".").path == ".env.example"
    (app / ".env.example").unlink()
    (app / ".env").write_text("DB_ECHO=false\n")
    assert envfile.for_app(Project(app), ".") is None


@pytest.mark.parametrize("readme, values", [
    ("Create `.env`:\n\n```\nAPI_KEY=abc\n# a comment\nexport MODE=prod\n```\n", {"API_KEY": "abc", "MODE": "prod"}),
    ("```dotenv\nA=1\n```\n", {"A": "1"}),
    # instructions, not the file: a command among the lines, or a block nothing says is the .env
    ("Set up your .env:\n\n```bash\ncp .env.example .env\nA=1\n```\n", None),
    ("Run it:\n\n```bash\nPORT=8000 python app.py\n```\n", None),
    ("In your .env:\n\n```\nPORT=8000 python app.py\n```\n", None),
    ("In your .env:\n\n```\nNAME=\"My shop\"  # shown in titles\n```\n", {"NAME": "My shop"}),
    ("```python\nA = 1\n```\n", None),
    # a block fenced as a file's format is read as dotenv reads it: a value runs to the end of the line
    ("Create `.env` file:\n\n```ini\nAPP_NAME=Hello World\n\nSECRET_KEY=\nADMINS=Your name, your email\n```\n",
     {"APP_NAME": "Hello World", "SECRET_KEY": "", "ADMINS": "Your name, your email"}),
    ("Set up your .env:\n\n```bash\nAPP_NAME=Hello World\n```\n", None),
    ("Copy the .env file, then:\n\n```\npip install -r requirements.txt\n```\n\n```env\nB=2\n```\n", {"B": "2"}),
])
def test_which_readme_block_is_a_env_file(tmp_path, readme, values):
    make_tree(tmp_path, {"app.py": "x = 1\n", "README.md": readme})
    found = envfile.for_app(Project(tmp_path), ".")
    assert (dict(found.values) if found else None) == values


SWITCHING_SETTINGS = ("import os\nfrom .base import *\n\nif os.environ['APP_SERVER'] == 'PROD':\n"
                      "    from .prod import *\nelse:\n    from .dev import *\n")
DOCKER_ONLY = {
    "proj/settings/__init__.py": SWITCHING_SETTINGS,
    "proj/settings/base.py": "import os\nDATA = os.environ.get('DATA_DIR', 'data')\n",
    # the production image's switch, a path inside its container, and what Shipyard sets itself
    "Dockerfile": "FROM python:3.11\nENV PYTHONUNBUFFERED=1\nENV APP_SERVER=PROD DATA_DIR=/srv/nowhere-here/data\n"
                  "ENV DJANGO_SETTINGS_MODULE=proj.settings.prod UNREAD=1\nCMD python manage.py runserver\n",
    "Dockerfile.dev": "FROM python:3.11\nENV APP_SERVER=DEV\n",
    "docker-compose.yml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.dev\n"
                          "    ports: ['8000:8000']\n",
}


@pytest.mark.parametrize("mode, value", [("proof", "PROD"), ("serve", "PROD"), ("dev", "DEV")])
def test_the_switch_the_apps_own_dockerfile_sets_is_given_where_nothing_else_sets_it(tmp_path, mode, value):
    # serve and the proof run as the production image (the root Dockerfile), dev as the compose service's image
    app = make_tree(tmp_path / "app", DOCKER_ONLY)
    config = appconfig.run_config(app, ".", {}, mode=mode, **({"secret_file": tmp_path / "k"} if mode != "proof"
                                                              else {}))
    assert config.environ.get("APP_SERVER") == value
    # a container's path, a variable Shipyard decides, and one the code never reads are not taken
    assert not {"DATA_DIR", "DJANGO_SETTINGS_MODULE", "UNREAD", "PYTHONUNBUFFERED"} & set(config.environ)
    assert "the ENV of the app's own Dockerfile" in "\n".join(config.notes)


def test_the_dockerfiles_env_comes_after_the_example_file_and_yours(tmp_path):
    app = make_tree(tmp_path / "app", {**DOCKER_ONLY, ".env.example": "APP_SERVER=LOCAL\n"})
    assert appconfig.run_config(app, ".", {}, mode="proof").environ["APP_SERVER"] == "LOCAL"
    app = make_tree(tmp_path / "mine", DOCKER_ONLY)
    assert "APP_SERVER" not in appconfig.run_config(app, ".", {"APP_SERVER": "DEV"}, mode="proof").environ


RUN_SCRIPT = {
    "stripeapp.py": "import os\n\nSECRET_KEY = os.environ['SECRET_KEY']\nPUBLISHABLE_KEY = os.environ['PUBLISHABLE_KEY']\n"
                    "MODE = os.environ['SHOP_MODE']\nHOME_DIR = os.environ['SHOP_HOME']\n",
    # the values the author starts the app with; a value built from another variable is not one
    "stripeapp.sh": "#!/bin/sh\nexport SHOP_MODE=test\nexport SHOP_HOME=$HOME/shop\n"
                    "PUBLISHABLE_KEY=pk_test_123 SECRET_KEY=sk_test_456 python stripeapp.py\n",
}


def test_the_values_a_run_script_starts_the_app_with_are_example_values(tmp_path):
    # `NAME=value python app.py` (and `export NAME=value` before it) in the app's committed run script: taken
    # last, for names the code reads; its signing key keeps the throwaway (probe35h: irakasleibiltaria/stripe)
    app = make_tree(tmp_path / "app", RUN_SCRIPT)
    config = appconfig.run_config(app, ".", {}, mode="proof")
    assert config.environ["PUBLISHABLE_KEY"] == "pk_test_123" and config.environ["SHOP_MODE"] == "test"
    assert config.environ["SECRET_KEY"] != "sk_test_456" and "SHOP_HOME" not in config.environ
    assert "the command that starts the app in its own stripeapp.sh" in "\n".join(config.notes)
    # an example env file, and what you set, come first; a line that does not start the app gives nothing
    app = make_tree(tmp_path / "example", {**RUN_SCRIPT, ".env.example": "PUBLISHABLE_KEY=pk_example\n"})
    assert appconfig.run_config(app, ".", {}, mode="proof").environ["PUBLISHABLE_KEY"] == "pk_example"
    assert "PUBLISHABLE_KEY" not in appconfig.run_config(app, ".", {"PUBLISHABLE_KEY": "mine"}, mode="proof").environ
    app = make_tree(tmp_path / "other", {**RUN_SCRIPT, "stripeapp.sh": "PUBLISHABLE_KEY=pk_test_123 ./deploy\n"})
    assert "PUBLISHABLE_KEY" not in appconfig.run_config(app, ".", {}, mode="proof").environ
    # a Makefile recipe and a README's shell line are run scripts too
    for rel, text in (("Makefile", "run:\n\tPUBLISHABLE_KEY=pk_make flask --app stripeapp run\n"),
                      ("README.md", "Run it:\n\n    $ PUBLISHABLE_KEY=pk_readme gunicorn stripeapp:app\n")):
        app = make_tree(tmp_path / rel, {"stripeapp.py": RUN_SCRIPT["stripeapp.py"], rel: text})
        assert appconfig.run_config(app, ".", {}, mode="proof").environ["PUBLISHABLE_KEY"].startswith("pk_"), rel


def test_the_reads_with_no_default_beside_the_one_that_failed_are_named_at_once(tmp_path):
    # python-decouple's config() stops on the first key it lacks; the two after it fail on the next runs
    import os
    import sys

    from shipyard.detect import entry
    from shipyard.errors import AppConfigError
    lib = make_tree(tmp_path / "lib", {"decouple.py": """
        import os
        class UndefinedValueError(Exception):
            pass
        def config(name, default=None):
            if name in os.environ:
                return os.environ[name]
            if default is not None:
                return default
            raise UndefinedValueError(f"{name} not found. Declare it as envvar or define a default value.")
        """})
    app = make_tree(tmp_path / "app", {
        "app.py": "from decouple import config\nfrom flask import Flask\n"
                  "CLOUD = config('CLOUD_NAME')\nKEY = config('CLOUD_KEY')\nSECRET = config('CLOUD_SECRET')\n"
                  "REGION = config('CLOUD_REGION', default='eu')\napp = Flask(__name__)\n"})
    project = Project(app)
    found = entry.find(project, None)
    base = {k: v for k, v in os.environ.items() if not k.startswith("CLOUD_")}
    base["PYTHONPATH"] = os.pathsep.join(filter(None, (str(lib), os.environ.get("PYTHONPATH"))))
    with pytest.raises(AppConfigError) as raised:
        entry.confirm(project, found, sys.executable, 30.0, environ={**base, "CLOUD_KEY": "given"})
    assert raised.value.variables == ("CLOUD_NAME", "CLOUD_SECRET")     # CLOUD_KEY is set, CLOUD_REGION has one
    assert "app.py also reads CLOUD_SECRET with no default, which is not set" in raised.value.message
    assert raised.value.hint.startswith("set CLOUD_NAME and CLOUD_SECRET")


DECOUPLE_WSGI = """\
import os
from decouple import config
from django.core.wsgi import get_wsgi_application

if config('ENVIRONMENT_STATUS') == 'development':
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'backend.settings.local')
elif config('ENVIRONMENT_STATUS') == 'production':
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'backend.settings.production')

application = get_wsgi_application()
"""


@pytest.mark.parametrize("settings, value", [("backend.settings.local", "development"),
                                             ("backend.settings.production", "production")])
def test_a_variable_read_only_to_pick_the_django_settings_module_gets_the_value_that_picks_the_same(
        tmp_path, settings, value):
    # decouple's config('ENVIRONMENT_STATUS') with no default raised at import ("not found. Declare it as envvar")
    # though DJANGO_SETTINGS_MODULE, which serve sets, made the choice moot
    app = make_tree(tmp_path, {"backend/wsgi.py": DECOUPLE_WSGI, "backend/settings/local.py": "DEBUG = True\n",
                               "backend/settings/production.py": "DEBUG = False\n", "backend/__init__.py": ""})
    config = appconfig.run_config(app, ".", {}, mode="serve", django_settings=settings,
                                  secret_file=tmp_path / "secret")
    assert config.environ["ENVIRONMENT_STATUS"] == value
    assert any(f"ENVIRONMENT_STATUS={value} (the value under which backend/wsgi.py:" in n for n in config.notes)
    # one the user sets wins; a settings module no comparison picks sets nothing
    assert "ENVIRONMENT_STATUS" not in appconfig.run_config(
        app, ".", {"ENVIRONMENT_STATUS": "staging"}, mode="proof", django_settings=settings).environ
    assert "ENVIRONMENT_STATUS" not in appconfig.run_config(
        app, ".", {}, mode="proof", django_settings="backend.settings.test").environ
    # the image gets no value from serve: inspect, init and build say which to give it
    assert any(n.startswith("ENVIRONMENT_STATUS picks the Django settings module at backend/wsgi.py:") and
               f"give the image ENVIRONMENT_STATUS={value}" in n for n in appconfig.config_class_notes(app, ".", settings))


def test_a_third_partys_credential_the_example_leaves_empty_gets_a_marked_placeholder_in_serve_only(tmp_path):
    # calendlybot's shape: Stripe and Slack credentials read with os.environ[...] at import, listed empty in the
    # example env file: only the author has them. serve and dev run the app with a marked placeholder so the
    # pages not using them answer; the proof (the image's check) does not get one, nor does a credential the
    # example does not list, one with a default, a number that is not an id, or an address
    app = make_tree(tmp_path / "app", {
        ".env.example": """
            STRIPE_SECRET_KEY=
            SLACK_CLIENT_ID=
            TELEGRAM_CHAT_ID=
            OPENAI_API_KEY=
            JWT_LIFETIME=
            SENTRY_DSN=
            MAILGUN_TOKEN=
            SLACK_BOT_SCOPE=
            APP_ENV=
            GREETING=hello
            """,
        "settings.py": """
            import os
            from pydantic_settings import BaseSettings

            STRIPE_SECRET_KEY = os.environ["STRIPE_SECRET_KEY"]
            SLACK_CLIENT_ID = os.environ["SLACK_CLIENT_ID"]
            CHAT = int(os.getenv("TELEGRAM_CHAT_ID"))
            LIFETIME = int(os.getenv("JWT_LIFETIME"))
            DSN = os.environ["SENTRY_DSN"]
            MAILGUN = os.getenv("MAILGUN_TOKEN", "")
            UNLISTED = os.environ["TWILIO_AUTH_TOKEN"]
            SCOPE = os.environ["SLACK_BOT_SCOPE"]
            MODE = os.environ["APP_ENV"]

            class Settings(BaseSettings):
                openai_api_key: str
            """})
    served = appconfig.run_config(app, ".", {}, mode="serve")
    env = served.environ
    assert env["STRIPE_SECRET_KEY"] == env["SLACK_CLIENT_ID"] == env["OPENAI_API_KEY"] == "shipyard-placeholder"
    assert env["TELEGRAM_CHAT_ID"] == "0"                              # int() of it: a number that says nothing
    assert env["SLACK_BOT_SCOPE"] == "shipyard-placeholder"            # the author's value, not a credential
    # a duration, a read with a default, a name the example does not list, the app's mode; Sentry's DSN (an
    # address) is no placeholder: empty, the SDK's "not configured"
    for name in ("JWT_LIFETIME", "MAILGUN_TOKEN", "TWILIO_AUTH_TOKEN", "APP_ENV"):
        assert name not in env, name
    assert env["SENTRY_DSN"] == ""
    notes = [n for n in served.notes if n.startswith("PLACEHOLDERS")]
    assert notes == ["PLACEHOLDERS, not real values: OPENAI_API_KEY, SLACK_BOT_SCOPE, SLACK_CLIENT_ID, "
                     "STRIPE_SECRET_KEY, TELEGRAM_CHAT_ID (the app's example env file .env.example leaves them for you to fill, and "
                     "the code requires them at import) given 'shipyard-placeholder' in serve only, so the pages "
                     "that do not use them answer; what does fails until you set them (export "
                     "OPENAI_API_KEY=...); the image never gets a placeholder"], served.notes
    assert dict(served.origins)["STRIPE_SECRET_KEY"] == "Shipyard"
    assert appconfig.run_config(app, ".", {}, mode="dev").environ["STRIPE_SECRET_KEY"] == "shipyard-placeholder"
    proof = appconfig.run_config(app, ".", {}, mode="proof")
    assert "STRIPE_SECRET_KEY" not in proof.environ and not any("PLACEHOLDER" in n for n in proof.notes)
    yours = appconfig.run_config(app, ".", {"STRIPE_SECRET_KEY": "sk_test_yours"}, mode="serve").environ
    assert "STRIPE_SECRET_KEY" not in yours and yours["SLACK_CLIENT_ID"] == "shipyard-placeholder"   # yours wins


def test_the_variables_herokus_app_json_asks_for_with_no_value_are_placeheld_as_an_examples_are(tmp_path):
    # calendlybot: no example env file; app.json's env lists the Stripe and Slack values `required` with no value,
    # and gives DJANGO_SETTINGS_MODULE's (a production value, never taken) and a generated secret
    app = make_tree(tmp_path / "app", {
        "app.json": """
            {"name": "bot", "env": {"STRIPE_PLAN_ID_SM": {"required": true}, "SLACK_CLIENT_ID": {"required": true},
             "DJANGO_SETTINGS_MODULE": {"required": true, "value": "web.settings.prod"},
             "API_TOKEN": {"generator": "secret"}, "CLOUDAMQP_URL": {"required": true},
             "SMTP_PASSWORD": {"required": true}}}
            """,
        # read with a default where the app runs, required only by the production settings
        "prod.py": "import os\nSMTP = os.environ['SMTP_PASSWORD']\n",
        "settings.py": """
            import os
            PLAN = os.environ["STRIPE_PLAN_ID_SM"]
            CLIENT = os.environ["SLACK_CLIENT_ID"]
            TOKEN = os.environ["API_TOKEN"]
            BROKER = os.environ["CLOUDAMQP_URL"]
            SMTP = os.getenv("SMTP_PASSWORD", "")
            """})
    served = appconfig.run_config(app, ".", {}, mode="serve")
    assert _placeheld(served) == {"STRIPE_PLAN_ID_SM", "SLACK_CLIENT_ID"}, served.environ
    assert "API_TOKEN" not in served.environ and "CLOUDAMQP_URL" not in served.environ
    assert "SMTP_PASSWORD" not in served.environ
    assert "DJANGO_SETTINGS_MODULE" not in served.environ
    assert any(n.startswith("PLACEHOLDERS, not real values: SLACK_CLIENT_ID, STRIPE_PLAN_ID_SM (app.json leaves them")
               for n in served.notes), served.notes



def test_the_variables_a_settings_modules_committed_sample_writes_as_placeholder_text_are_placeheld(tmp_path):
    # open-weather-flask: settings.py reads the API key with os.environ[...] at import; settings-dist.py, the sample
    # the README has the user copy, writes it as "PLACE YOUR ... HERE". A value the sample gives for real (a city),
    # a name only the sample has, and a read with a default are no slots
    app = make_tree(tmp_path / "app", {
        "settings-dist.py": """
            OPEN_WEATHER_API_KEY = "PLACE YOUR OPEN WEATHER API KEY HERE"
            MAPS_TOKEN = "<your token>"
            HOME_CITY = "Durham"
            UNREAD = ""
            LOG_TOKEN = "your-token"
            """,
        "settings.py": """
            import os
            OPEN_WEATHER_API_KEY = os.environ["OPEN_WEATHER_API_KEY"]
            MAPS_TOKEN = os.environ["MAPS_TOKEN"]
            HOME_CITY = os.environ["HOME_CITY"]
            LOG_TOKEN = os.getenv("LOG_TOKEN", "")
            """})
    served = appconfig.run_config(app, ".", {}, mode="serve")
    assert _placeheld(served) == {"OPEN_WEATHER_API_KEY", "MAPS_TOKEN"}, served.environ
    assert "HOME_CITY" not in served.environ and "LOG_TOKEN" not in served.environ
    assert any(n.startswith("PLACEHOLDERS, not real values: MAPS_TOKEN, OPEN_WEATHER_API_KEY (settings.py's sample "
                            "settings-dist.py leaves them for you to fill") for n in served.notes), served.notes
    assert "OPEN_WEATHER_API_KEY" not in appconfig.run_config(app, ".", {}, mode="proof").environ



def _placeheld(served) -> set[str]:
    """The variables a run configuration gives the marked placeholder."""
    return {name for name, value in served.environ.items() if value == appconfig.PLACEHOLDER}

SELF_HOSTED_COMPOSE = """
services:
  influxdb:
    image: influxdb:2
    ports: ['8086:8086']
  auth:
    image: example/auth-server
  postgres:
    image: postgres:17
    environment:
      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD}
  dashboard:
    image: someone/dashboard:latest
    environment:
      - DATABASE_URL=postgresql://postgres:${POSTGRES_PASSWORD}@postgres:5432/dash
      - INFLUXDB_URL=http://influxdb:8086
      - AUTH_URL=http://auth:6969
      - CACHE_URL=http://cache-nowhere:80
      - REPORTS_TOKEN=${REPORTS_TOKEN}
    ports:
      - '127.0.0.1:8000:8000/tcp'
    depends_on: [postgres, influxdb, auth]
"""
SELF_HOSTED_APP = ("import os\nfrom flask import Flask\n"
                   "INFLUX = os.getenv('INFLUXDB_URL')\nAUTH = os.environ['AUTH_URL']\n"
                   "CACHE = os.getenv('CACHE_URL', 'http://localhost:11211')\n"
                   "app = Flask(__name__)\n")


@pytest.mark.parametrize("dockerfile, service", [
    # the repository's Dockerfile makes the image the compose file runs as published: the service that
    # publishes the port it EXPOSEs (influxdb publishes one too, not that one)
    ("FROM python:3.11-slim\nWORKDIR /app\nCOPY server/ .\nEXPOSE 8000/tcp\nCMD gunicorn app:app\n", "dashboard"),
    # no EXPOSE to go by, or no Dockerfile: no service is known to be the app's
    ("FROM python:3.11-slim\nCMD gunicorn app:app\n", None),
    (None, None),
])
def test_a_self_hosting_compose_file_runs_the_projects_image_as_the_apps_service(tmp_path, dockerfile, service):
    files = {"docker-compose.yml": SELF_HOSTED_COMPOSE, "docker-compose.env": "POSTGRES_PASSWORD=pw\nREPORTS_TOKEN=t\n",
             "server/app.py": SELF_HOSTED_APP}
    if dockerfile:
        files["Dockerfile"] = dockerfile
    found = compose_env.find(Project(make_tree(tmp_path, files)), (".", "server"))
    assert (found.service if found else None) == service
    if found:
        assert dict(found.values)["DATABASE_URL"] == "postgresql://postgres:pw@postgres:5432/dash"
        assert dict(found.values)["REPORTS_TOKEN"] == "t"


@pytest.mark.parametrize("mode", ["proof", "serve"])
def test_a_web_services_url_the_code_requires_is_kept_though_its_host_is_the_compose_networks(tmp_path, mode):
    # INFLUXDB_URL and AUTH_URL: read with no default to build clients at import; unset, the import fails, so they
    # stay (requests to them fail here, as they would with nothing there); the database URL and a URL the code
    # defaults (CACHE_URL) go as before: serve gives its own database, the default takes the other's place
    app = make_tree(tmp_path / "app", {"docker-compose.yml": SELF_HOSTED_COMPOSE, "server/app.py": SELF_HOSTED_APP,
                                       "docker-compose.env": "POSTGRES_PASSWORD=pw\n",
                                       "Dockerfile": "FROM python:3.11-slim\nEXPOSE 8000\n"})
    config = appconfig.run_config(app, "server", {}, mode=mode, secret_file=tmp_path / "k")
    assert config.environ["INFLUXDB_URL"] == "http://influxdb:8086" and config.environ["AUTH_URL"] == "http://auth:6969"
    assert "DATABASE_URL" not in config.environ and "CACHE_URL" not in config.environ
    notes = "\n".join(config.notes)
    assert "AUTH_URL (host auth), INFLUXDB_URL (host influxdb)" in notes or \
        "INFLUXDB_URL (host influxdb), AUTH_URL (host auth)" in notes, notes
    assert "CACHE_URL (host cache-nowhere)" in notes and "DATABASE_URL (host postgres)" in notes


def test_a_required_variable_the_example_leaves_out_is_taken_from_another_env_file_beside_it(tmp_path):
    # a 2021 FastAPI starter: its pydantic BaseSettings require PHASE and the MySQL names; env.example (the one
    # to copy) sets the MySQL ones, only .env.sandbox sets PHASE. A production file is never read for it, nor is a
    # name the code does not require taken from the others
    app = make_tree(tmp_path / "app", {
        "project/config.py": """
            from pydantic import BaseSettings

            class Settings(BaseSettings):
                PHASE: str
                MYSQL_USER: str
                REGION: str
                PROJECT_NAME: str = "fastapi"
            """,
        "env.example": "PROJECT_NAME=fastapi-demo\nMYSQL_USER=root\n",
        ".env.sandbox": "PHASE=sdb\nPROJECT_NAME=from-sandbox\nMYSQL_USER=sandbox\n",
        ".env.prod": "REGION=eu-prod-1\n"})
    config = appconfig.run_config(app, ".", {}, mode="proof")
    env = config.environ
    assert (env["PHASE"], env["MYSQL_USER"], env["PROJECT_NAME"]) == ("sdb", "root", "fastapi-demo")
    assert "REGION" not in env
    assert dict(config.origins)["PHASE"] == ".env.sandbox"
    assert any(n.startswith("variables from the app's example env file .env.sandbox") and n.endswith(": PHASE")
               for n in config.notes), config.notes
    # nothing beside it: nothing more
    alone = make_tree(tmp_path / "alone", {"project/config.py": "import os\nPHASE = os.environ['PHASE']\n",
                                           "env.example": "MYSQL_USER=root\n"})
    assert "PHASE" not in appconfig.run_config(alone, ".", {}, mode="proof").environ


def test_a_read_the_settings_refuse_to_run_without_counts_as_required(tmp_path):
    """A settings package whose base reads `EMAIL_HOST = os.environ.get("EMAIL_HOST")` and whose production
    module (star-importing it) stops the import with `if not EMAIL_HOST: raise ValueError(...)`: unset, the
    import fails as `os.environ["EMAIL_HOST"]` would, so the run configuration gives it Django's default, as it
    does a read with no default. A read nothing guards stays optional."""
    import subprocess
    import sys
    app = make_tree(tmp_path, {
        "mysite/__init__.py": "",
        "mysite/settings/__init__.py": "",
        "mysite/settings/base.py": """
            import os
            EMAIL_HOST = os.environ.get("EMAIL_HOST")
            EMAIL_PORT = os.environ.get("EMAIL_PORT")
            SENTRY_DSN = os.environ.get("SENTRY_DSN")
            """,
        "mysite/settings/prod.py": """
            from .base import *
            if not EMAIL_HOST:
                raise ValueError("EMAIL_HOST must be set in production")
            if EMAIL_PORT is None:
                raise ValueError("EMAIL_PORT must be set in production")
            if SENTRY_DSN:
                pass
            """,
        "other/conf.py": """
            import os
            DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL")
            """,
        "other/prod.py": """
            from other.conf import *
            assert DEFAULT_FROM_EMAIL
            """,
    })
    reads = {r.name: r for r in env_reads(Project(app))}
    assert reads["EMAIL_HOST"].required and reads["EMAIL_PORT"].required and reads["DEFAULT_FROM_EMAIL"].required
    assert not reads["SENTRY_DSN"].required
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    assert config.environ["EMAIL_HOST"] == "localhost" and config.environ["EMAIL_PORT"] == "25"
    assert config.environ["DEFAULT_FROM_EMAIL"] == "webmaster@localhost"
    assert "SENTRY_DSN" not in config.environ
    # the production settings import with it, and stop without it
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(app)}
    run = [sys.executable, "-c", "import mysite.settings.prod, other.prod"]
    assert subprocess.run(run, env=base, cwd=app, capture_output=True, timeout=60).returncode != 0
    done = subprocess.run(run, env=config.under(base), cwd=app, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_a_host_read_beside_the_port_with_no_default_gets_the_address_it_is_served_on(tmp_path):
    import subprocess
    import sys
    # starlette's Config: HOST and PORT required, for the app's own uvicorn.run(host=HOST, port=PORT) and the URLs
    # it builds; importing the app fails without them
    app = make_tree(tmp_path / "app", {"config.py": """
        from starlette.config import Config

        config = Config(".env")
        HOST = config("HOST")
        PORT = int(config("PORT"))
        """})
    env = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT")}
    served = appconfig.run_config(app, ".", env, mode="serve", secret_file=tmp_path / "k", served_at="127.0.0.1:8123")
    assert served.environ == {"HOST": "127.0.0.1", "PORT": "8123"}
    assert "HOST=127.0.0.1 (the host serve answers at, read beside the port)" in "\n".join(served.notes)
    proof = appconfig.run_config(app, ".", env, mode="proof")
    assert proof.environ == {"HOST": "0.0.0.0", "PORT": "8000"}
    done = subprocess.run([sys.executable, "-c", "import config; print(config.HOST, config.PORT)"], cwd=app,
                          capture_output=True, text=True, env=proof.under(env))
    assert done.returncode == 0 and done.stdout.strip() == "0.0.0.0 8000", done.stderr
    # a HOST with no PORT beside it (a database's, a mail server's) is the user's to set; yours wins
    other = make_tree(tmp_path / "other", {"db.py": "import os\n\nHOST = os.environ['HOST']\n",
                                           "main.py": "import os\n\nport = int(os.getenv('PORT'))\n"})
    assert appconfig.run_config(other, ".", env, mode="serve", served_at="127.0.0.1:8123").environ == {"PORT": "8123"}
    assert appconfig.run_config(app, ".", {**env, "HOST": "10.0.0.5"}, mode="serve",
                                served_at="127.0.0.1:8123").environ == {"PORT": "8123"}


# readme.so's "Environment Variables" section: names only, in inline code, the values the person's to fill
README_SO_ENV = (
    "# Topic generator\n\nAn OpenAI powered app.\n\n## Environment Variables\n\n"
    "To run this project, you will need to add the following environment variables to your .env file\n\n"
    "`SECRET_KEY` your django SECRET_KEY\n\n`OPEN_API_KEY` KEY from the OPENAI\n\n"
    "## Run Locally\n\nClone the project\n\n```bash\n  git clone https://example.invalid/topics\n```\n")
DECOUPLE_REQUIRED_KEY = ("from decouple import config\nSECRET_KEY = config('SECRET_KEY')\n"
                         "OPEN_API_KEY = config('OPEN_API_KEY')\nDEBUG = True\n")


def test_the_variables_a_readme_lists_by_name_for_the_env_file_are_its_empty_lines(tmp_path):
    app = make_tree(tmp_path / "app", {"gen/settings.py": DECOUPLE_REQUIRED_KEY, "readme.md": README_SO_ENV})
    found = envfile.for_app(Project(app), ".")
    assert found.path == "readme.md" and found.shown
    assert dict(found.values) == {"SECRET_KEY": "", "OPEN_API_KEY": ""}
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    # the credential only the author has gets the marked placeholder in serve, the signing key a throwaway
    assert config.environ["OPEN_API_KEY"] == appconfig.PLACEHOLDER
    assert config.environ["SECRET_KEY"] not in ("", appconfig.PLACEHOLDER)
    assert "OPEN_API_KEY (the .env its README shows (readme.md) leaves it for you to fill" in "\n".join(config.notes)
    # never in the proof
    assert "OPEN_API_KEY" not in appconfig.run_config(app, ".", {}, mode="proof").environ


@pytest.mark.parametrize("readme", [
    # names in a section that is not about the environment
    "## Usage\n\nAdd to your .env file:\n\n`Ctrl`\n\n## Config\n\n`DEBUG` turns debug on\n",
    # a section about environment variables that never names the .env file (exported in a shell, a platform's)
    "## Environment Variables\n\nSet these on Heroku:\n\n`OPEN_API_KEY` the key\n",
    # names inside prose, not one to a line
    "## Environment variables\n\nPut `OPEN_API_KEY` and `SECRET_KEY` in your .env file.\n",
])
def test_names_a_readme_mentions_elsewhere_are_no_env_file(tmp_path, readme):
    make_tree(tmp_path, {"app.py": "x = 1\n", "README.md": readme})
    assert envfile.for_app(Project(tmp_path), ".") is None



# a 2023 boilerplate's base settings: os.environ.get with no default, then a method of the string called on it
DEREFERENCED = """
    import os
    SITE = {
        "PROJECT_NAME": os.environ.get("PROJECT_NAME").title(),
        "ENVIRONMENT": os.environ.get("ENVIRONMENT").upper(),
    }
    ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS").split(" ")
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1").strip()
    SUBJECT = (os.environ.get("SUBJECT") or "hi").title()
    PLAIN = os.environ.get("PLAIN")
    """


def test_a_read_with_no_default_whose_value_has_a_method_called_on_it_is_required(tmp_path):
    app = make_tree(tmp_path, {"core/settings.py": DEREFERENCED})
    required = {r.name for r in env_reads(Project(app)) if r.required}
    # None has no title(), upper() or split(): unset raises at import, as os.environ["X"] would
    assert required == {"PROJECT_NAME", "ENVIRONMENT", "DJANGO_ALLOWED_HOSTS"}
    assert not any(r.numeric for r in env_reads(Project(app)))


def test_csrf_trusted_origins_read_as_text_with_no_default_gets_djangos_empty_default(tmp_path):
    # Nav_LBMS (2023): CSRF_TRUSTED_ORIGINS = config('CSRF_TRUSTED_ORIGINS'), a .env nobody else has; the text goes
    # to Django as it is, so only the empty one is a valid value (Django's own: no trusted origins)
    app = make_tree(tmp_path, {"settings.py": "from decouple import config, Csv\n"
                                              "CSRF_TRUSTED_ORIGINS = config('CSRF_TRUSTED_ORIGINS')\n"})
    config = appconfig.run_config(app, ".", {}, mode="serve")
    assert config.environ["CSRF_TRUSTED_ORIGINS"] == ""
    assert any("CSRF_TRUSTED_ORIGINS= (Django's default, no trusted origins: settings.py:2" in n for n in config.notes)
    # split or wrapped in a list, the empty text would be one origin with no scheme: left to the user as before
    for line in ("CSRF_TRUSTED_ORIGINS = [config('CSRF_TRUSTED_ORIGINS')]",
                 "CSRF_TRUSTED_ORIGINS = config('CSRF_TRUSTED_ORIGINS').split(',')"):
        (app / "settings.py").write_text(f"from decouple import config\n{line}\n")
        assert "CSRF_TRUSTED_ORIGINS" not in appconfig.run_config(app, ".", {}, mode="serve").environ


def test_the_rabbitmq_images_variables_read_with_no_default_get_rabbitmqs_own_account(tmp_path):
    """A 2022 Flask + Celery stack builds its broker URL from the official RabbitMQ image's variables, which its
    compose .env (left out of the repository) gives the broker and the app alike: environs' env() raised unset.
    RabbitMQ's own default account (guest:guest on /) is what a broker started without them has."""
    app = make_tree(tmp_path, {"app/settings.py": """
        from environs import Env
        env = Env()
        CELERY = {"broker_url": f"amqp://{env('RABBITMQ_DEFAULT_USER')}:{env('RABBITMQ_DEFAULT_PASS')}@rabbitmq//"}
        VHOST = env("RABBITMQ_DEFAULT_VHOST")
        """})
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    assert {k: config.environ[k] for k in ("RABBITMQ_DEFAULT_USER", "RABBITMQ_DEFAULT_PASS", "RABBITMQ_DEFAULT_VHOST")} \
        == {"RABBITMQ_DEFAULT_USER": "guest", "RABBITMQ_DEFAULT_PASS": "guest", "RABBITMQ_DEFAULT_VHOST": "/"}
    assert any("RABBITMQ_DEFAULT_USER='guest' (RabbitMQ's default)" in n for n in config.notes)
    # the user's own value wins
    assert "RABBITMQ_DEFAULT_USER" not in appconfig.run_config(app, ".", {"RABBITMQ_DEFAULT_USER": "me"},
                                                               mode="serve").environ


def test_a_memcached_caches_location_read_from_an_unset_variable_gets_memcacheds_own_address(tmp_path):
    # a 2017 Heroku blog: CACHES' django_bmemcached LOCATION is os.environ.get('MEMCACHEDCLOUD_SERVERS').split(','),
    # the MemCachier add-on's address; unset, the import stopped on None.split. With memcached's own address the app
    # imports (and with no memcached running, django-bmemcached misses: its pages answered 200, uncached)
    make_tree(tmp_path, {"proj/settings.py": """
        import os
        CACHES = {
            'default': {
                'BACKEND': 'django_bmemcached.memcached.BMemcached',
                'LOCATION': os.environ.get('MEMCACHEDCLOUD_SERVERS').split(','),
                'OPTIONS': {'username': os.environ.get('MEMCACHEDCLOUD_USERNAME')},
            },
            'sessions': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
                         'LOCATION': os.environ.get('SESSION_CACHE', '127.0.0.1:11211')},
            'other': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': os.environ.get('CACHE_URL')},
        }
        """})
    config = appconfig.run_config(tmp_path, ".", {}, mode="proof")
    assert config.environ["MEMCACHEDCLOUD_SERVERS"] == "127.0.0.1:11211"
    assert not {"MEMCACHEDCLOUD_USERNAME", "SESSION_CACHE", "CACHE_URL"} & set(config.environ)
    assert any("MEMCACHEDCLOUD_SERVERS=127.0.0.1:11211 (memcached's own address" in n for n in config.notes)
    # the user's own memcached wins
    assert "MEMCACHEDCLOUD_SERVERS" not in appconfig.run_config(
        tmp_path, ".", {"MEMCACHEDCLOUD_SERVERS": "10.0.0.5:11211"}, mode="proof").environ


@pytest.mark.parametrize("value", ["url de base de datos", "<your-db-url>", "changeme", "'your database url here'"])
def test_a_database_url_the_example_leaves_as_prose_is_a_placeholder_not_a_value(tmp_path, value):
    # SQLAlchemy stopped the proof on "Could not parse SQLAlchemy URL from string 'url de base de datos'"; unset,
    # the proof says which variable to set. A URL, and a URL setting of another kind (a path), are taken
    app = make_tree(tmp_path / "app", {"db.py": "import os\nURL = os.environ['DATABASE_URL']\n", ".env.example": (
        f"DATABASE_URL={value}\nCELERY_BROKER_URL=<redis url>\nREDIS_URL=redis://localhost:6379/0\n"
        "LOGIN_URL=/login\nIMG_URL=pictures\n")})
    for mode in ("proof", "serve"):
        config = appconfig.run_config(app, ".", {}, mode=mode, secret_file=tmp_path / "k")
        assert "DATABASE_URL" not in config.environ and "CELERY_BROKER_URL" not in config.environ
        assert config.environ["REDIS_URL"] == "redis://localhost:6379/0" and config.environ["LOGIN_URL"] == "/login"
        assert config.environ["IMG_URL"] == "pictures"
        assert any(n.startswith("not taken from .env.example: DATABASE_URL=") and "a placeholder to fill in, not a URL"
                   in n for n in config.notes)
