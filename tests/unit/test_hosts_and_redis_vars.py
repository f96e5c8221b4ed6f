"""Variables of the app's own names, known by where its code uses them: one put into Django's ALLOWED_HOSTS
gets the host names serve and dev answer at (detect/hosts_vars.py); one used as the Redis address (a
django-redis LOCATION, redis.from_url, Redis(host=...), a Celery broker, or set to redis:// in its env files)
gets the app's Redis (detect/redis_uses.py); a redis:// URL in an env file no code reads starts no Redis."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard import appconfig
from shipyard.detect.hosts_vars import HostsVariable, hosts_variables
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.redis_vars import redis_env, redis_names


@pytest.mark.parametrize("settings, expected", [
    ("ALLOWED_HOSTS = [os.environ.get('DOMAIN'),]", [HostsVariable("DOMAIN", None)]),
    ("DOMAIN = os.getenv('SITE')\nALLOWED_HOSTS = ['.example.org', DOMAIN]", [HostsVariable("SITE", None)]),
    ("ALLOWED_HOSTS = os.environ['HOSTS'].split(',')", [HostsVariable("HOSTS", ",")]),
    ("H = os.environ.get('HOSTS', '')\nALLOWED_HOSTS = H.split()", [HostsVariable("HOSTS", " ")]),
    ("env = environ.Env()\nALLOWED_HOSTS = env.list('WEB_HOSTS')", [HostsVariable("WEB_HOSTS", ",")]),
    ("ALLOWED_HOSTS = config('HOSTNAMES', cast=Csv())", [HostsVariable("HOSTNAMES", ",")]),
    ("ALLOWED_HOSTS = ['localhost']\nALLOWED_HOSTS.append(os.environ['PUBLIC_HOST'])",
     [HostsVariable("PUBLIC_HOST", None)]),
    ("ALLOWED_HOSTS = []\nALLOWED_HOSTS += [os.environ['PUBLIC_HOST']]", [HostsVariable("PUBLIC_HOST", None)]),
    # also tested to choose the configuration (Azure's WEBSITE_HOSTNAME picks production settings): left alone
    ("SETTINGS = 'prod' if 'SITE_HOST' in os.environ else 'dev'\n"
     "ALLOWED_HOSTS = [os.environ['SITE_HOST']] if 'SITE_HOST' in os.environ else []", []),
    ("if os.getenv('PUBLIC'):\n    ALLOWED_HOSTS = [os.getenv('PUBLIC')]", []),
    # tested only inside the hosts' own expression, in production settings a package already chose (whose
    # CSRF_TRUSTED_ORIGINS needs it set): that test guards the read, and chooses nothing else
    ("ALLOWED_HOSTS = [os.environ['SITE_HOST']] if 'SITE_HOST' in os.environ else []\n"
     "CSRF_TRUSTED_ORIGINS = ['https://' + os.environ['SITE_HOST']]", [HostsVariable("SITE_HOST", None)]),
    # a URL whose host the code takes is no host name
    ("ALLOWED_HOSTS = [urlparse(os.environ['SITE_URL']).hostname]", []),
    ("ALLOWED_HOSTS = [urlparse(os.getenv('SITE', 'https://example.com')).hostname]", []),
    # a part of an object the read made (its item, its attribute) is not the read's value
    ("conf = load(os.getenv('PROFILE'))\nALLOWED_HOSTS = conf['hosts'] + [conf.extra]", []),
    # read, but not into ALLOWED_HOSTS
    ("ALLOWED_HOSTS = ['*']\nDOMAIN = os.environ.get('DOMAIN')", []),
    # by its name, as before: the list itself
    ("ALLOWED = os.environ.get('DJANGO_ALLOWED_HOSTS', '').split(' ')", [HostsVariable("DJANGO_ALLOWED_HOSTS", " ")]),
    # split on spaces through a name, str() or .strip(): still a list of space-separated hosts
    ("H = os.environ.get('DJANGO_ALLOWED_HOSTS', '')\nALLOWED_HOSTS = H.split(' ')",
     [HostsVariable("DJANGO_ALLOWED_HOSTS", " ")]),
    ("ALLOWED_HOSTS = str(os.getenv('DJANGO_ALLOWED_HOSTS')).split(' ')", [HostsVariable("DJANGO_ALLOWED_HOSTS", " ")]),
    ("ALLOWED_HOSTS = os.getenv('ALLOWED_HOSTS', '').strip().split()", [HostsVariable("ALLOWED_HOSTS", " ")]),
    ("ALLOWED_HOSTS = os.getenv('ALLOWED_HOSTS', '').split(sep=';')", [HostsVariable("ALLOWED_HOSTS", ";")]),
])
def test_the_variables_the_code_puts_into_allowed_hosts(tmp_path, settings, expected):
    make_tree(tmp_path, {"site/settings.py": "import os\nimport environ\nfrom decouple import config, Csv\n"
                                             + settings + "\n"})
    assert list(hosts_variables(Project(tmp_path))) == expected


def test_a_hosts_variable_read_in_a_config_module_the_settings_import_from(tmp_path):
    # the settings take ALLOWED_HOSTS from a name they import from the project's own config module, which reads
    # it with a list default it then splits (unset, the import fails on `[].split`); tested only there
    app = make_tree(tmp_path, {
        "config/__init__.py": "",
        "config/settings.py": "import os\nHOSTS_CONF = os.getenv('HOSTS_CONF', []).split(',') "
                              "if os.getenv('HOSTS_CONF', []).split(',') != [''] else []\n",
        "site/settings.py": "from typing import List\nfrom config.settings import HOSTS_CONF\n"
                            "ALLOWED_HOSTS: List[str] = HOSTS_CONF\n"})
    assert list(hosts_variables(Project(app))) == [HostsVariable("HOSTS_CONF", ",")]
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k",
                                  served_at="127.0.0.1:8123")
    assert config.environ["HOSTS_CONF"] == "localhost,127.0.0.1,[::1]"


@pytest.mark.parametrize("code, expected", [
    # Starlette's TrustedHostMiddleware on a variable its Config reads from .env (read into a name first)
    ("from starlette.config import Config\nfrom starlette.middleware import Middleware\n"
     "from starlette.middleware.trustedhost import TrustedHostMiddleware\n\nconfig = Config('.env')\n"
     "URL = config('URL')\nmiddleware = [Middleware(TrustedHostMiddleware, allowed_hosts=[URL])]\n",
     [HostsVariable("URL", None, "allowed_hosts")]),
    # FastAPI's add_middleware, a comma list
    ("import os\nfrom fastapi import FastAPI\nfrom fastapi.middleware.trustedhost import TrustedHostMiddleware\n"
     "app = FastAPI()\napp.add_middleware(TrustedHostMiddleware, "
     "allowed_hosts=os.environ['TRUSTED_HOSTS'].split(','))\n", [HostsVariable("TRUSTED_HOSTS", ",", "allowed_hosts")]),
    # Litestar's app takes allowed_hosts= too
    ("import os\nfrom litestar import Litestar\napp = Litestar([], allowed_hosts=[os.getenv('SITE_HOST')])\n",
     [HostsVariable("SITE_HOST", None, "allowed_hosts")]),
    # another keyword is not the hosts the app accepts
    ("import os\nfrom fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n"
     "app = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=[os.getenv('FRONT')])\n", []),
])
def test_the_variables_an_asgi_app_gives_as_allowed_hosts(tmp_path, code, expected):
    app = make_tree(tmp_path, {"main.py": code})
    assert list(hosts_variables(Project(app))) == expected
    if expected:
        config = appconfig.run_config(app, ".", {}, mode="serve", served_at="127.0.0.1:8123")
        name, separator = expected[0].name, expected[0].separator
        assert config.environ[name] == ("localhost,127.0.0.1,[::1]" if separator else "127.0.0.1")
        assert "(the code gives it as allowed_hosts=: the app answers only the hosts named there)" \
            in "\n".join(config.notes)


DOMAIN_SETTINGS = """
    import os
    DEBUG = os.environ.get('DEBUG') == "True"
    ALLOWED_HOSTS = [os.environ.get('DOMAIN'),]
    if DEBUG:
        ALLOWED_HOSTS = ["*",]
    HOSTS = os.environ.get('EXTRA_HOSTS', '').split(',')
    ALLOWED_HOSTS += HOSTS
    """


@pytest.mark.parametrize("mode", ["serve", "dev"])
def test_serve_and_dev_give_them_the_hosts_they_answer_at_and_yours_wins(tmp_path, mode):
    app = make_tree(tmp_path, {"site/settings.py": DOMAIN_SETTINGS})
    config = appconfig.run_config(app, ".", {}, mode=mode, secret_file=tmp_path / "k", served_at="127.0.0.1:8123")
    # one host where the code takes one (the one serve prints), the local ones where it splits a list
    assert config.environ["DOMAIN"] == "127.0.0.1"
    assert config.environ["EXTRA_HOSTS"] == "localhost,127.0.0.1,[::1]"
    assert "DOMAIN=127.0.0.1 (the code puts it into ALLOWED_HOSTS" in "\n".join(config.notes)
    mine = appconfig.run_config(app, ".", {"DOMAIN": "example.com", "EXTRA_HOSTS": "a.example.com"}, mode=mode,
                                served_at="127.0.0.1:8123").environ
    assert "DOMAIN" not in mine and "EXTRA_HOSTS" not in mine


@pytest.mark.parametrize("split", ["split(' ')", "split()"])
def test_serve_joins_the_hosts_by_spaces_where_the_code_splits_on_them(tmp_path, split):
    app = make_tree(tmp_path, {"site/settings.py": "import os\n"
                               f"ALLOWED_HOSTS = os.environ.get('DJANGO_ALLOWED_HOSTS', '').{split}\n"})
    served = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k",
                                  served_at="127.0.0.1:8123").environ
    assert served["DJANGO_ALLOWED_HOSTS"] == "localhost 127.0.0.1 [::1]"


def test_the_example_files_production_host_gives_way_in_serve_and_stays_for_the_proof(tmp_path):
    app = make_tree(tmp_path, {"site/settings.py": DOMAIN_SETTINGS,
                               ".env.example": "DOMAIN=example.com\nEXTRA_HOSTS=localhost,example.com\n"})
    served = appconfig.run_config(app, ".", {}, mode="serve", served_at="127.0.0.1:8000").environ
    assert served["DOMAIN"] == "127.0.0.1"                     # example.com is not where serve answers
    assert served["EXTRA_HOSTS"] == "localhost,example.com"    # it accepts this machine already: kept
    assert appconfig.run_config(app, ".", {}, mode="proof").environ["DOMAIN"] == "example.com"


WSGI = ("import os\nfrom django.core.wsgi import get_wsgi_application\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\napplication = get_wsgi_application()\n")

REDIS_APP = {
    "requirements.txt": "django\ndjango-redis\ncelery\n",
    "site/wsgi.py": WSGI,
    "site/settings.py": """
        import os
        CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache"}}
        CACHES["default"]["LOCATION"] = os.environ.get("CACHELOCATION")
        SESSION_ENGINE = "django.contrib.sessions.backends.cache"
        CELERY_BROKER_URL = os.environ.get("QUEUE_AT")
        CELERY_RESULT_BACKEND = os.environ.get("RESULTS_AT")
        """,
    "site/jobs.py": """
        import os
        import redis
        from celery import Celery
        counter = redis.from_url(os.environ["COUNTER_URL"])
        HOST = os.getenv("KV_HOST", "kv")
        kv = redis.Redis(host=HOST, port=int(os.environ.get("KV_PORT", "6379")))
        app = Celery("jobs", broker=os.environ.get("TASKS"))
        NOT_REDIS = os.environ.get("MAIL_URL")
        """,
    # the compose-network host the app was written for; QUEUE_AT's value says RabbitMQ, not Redis
    ".env": "CACHELOCATION=redis://redis:6379/0\nQUEUE_AT=amqp://guest@rabbit//\nSTATS=redis://stats:6379/2\n",
    "site/stats.py": "import os\nSTATS = os.environ['STATS']\n",
}


def test_the_variables_the_code_uses_as_its_redis_address_get_its_redis(tmp_path):
    root = make_tree(tmp_path, REDIS_APP)
    plan = make_plan(root, confirm=False, installed=False)
    redis = next(s for s in plan.services if s.name == "redis")
    assert redis.variables == ("CACHELOCATION", "COUNTER_URL", "RESULTS_AT", "STATS", "TASKS")
    assert redis.parts == (("KV_HOST", "HOST"), ("KV_PORT", "PORT"))
    assert set(redis_names(plan)) == {*redis.variables, "KV_HOST", "KV_PORT"}
    env = redis_env(plan, "127.0.0.1", 7001)
    assert env == {"REDIS_URL": "redis://127.0.0.1:7001/0", "KV_HOST": "127.0.0.1", "KV_PORT": "7001",
                   **{n: "redis://127.0.0.1:7001/0" for n in redis.variables}}
    # the stacks' redis service gets the same names
    assert redis_env(plan, "redis", 6379)["CACHELOCATION"] == "redis://redis:6379/0"


def test_a_setting_of_an_object_made_from_a_variable_is_no_redis_address(tmp_path):
    # Redis(host=app.config["RQ_HOST"]) with app = create_app(os.getenv("FLASK_CONFIG")): the config's name picks
    # the app's configuration class, the host comes from elsewhere (FLASK_CONFIG=127.0.0.1 broke the import)
    root = make_tree(tmp_path, {
        "requirements.txt": "flask\nredis\n",
        "manage.py": """
            import os
            from flask import Flask
            from redis import Redis
            CONFIGS = {"default": {}}
            def create_app(name):
                app = Flask(__name__)
                app.config.update(CONFIGS[name])
                return app
            app = create_app(os.getenv("FLASK_CONFIG") or "default")
            conn = Redis(host=app.config["RQ_HOST"], db=app.config.get("RQ_DB"))
            HOST = os.getenv("KV_HOST", "kv")
            kv = Redis(host=HOST.strip())
            """})
    plan = make_plan(root, confirm=False, installed=False)
    assert next(s for s in plan.services if s.name == "redis").parts == (("KV_HOST", "HOST"),)
    assert "FLASK_CONFIG" not in redis_names(plan)


def test_a_memcached_location_is_no_redis_address(tmp_path):
    root = make_tree(tmp_path, {
        "requirements.txt": "django\nredis\n",
        "site/wsgi.py": WSGI,
        "site/settings.py": "import os\nCACHES = {'default': {'BACKEND': "
                            "'django.core.cache.backends.memcached.PyMemcacheCache', "
                            "'LOCATION': os.environ.get('MEMCACHED_AT')}}\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert "MEMCACHED_AT" not in redis_names(plan)


@pytest.mark.parametrize("code, starts", [
    ("x = 1\n", False),                                       # nothing reads the .env's Redis URL
    ("import os\nQ = os.environ['BROKER']\n", True),          # the code reads the variable set to it
])
def test_a_redis_url_in_an_env_file_starts_a_redis_only_when_the_code_reads_it(tmp_path, code, starts):
    root = make_tree(tmp_path, {
        "requirements.txt": "flask\n",
        "app.py": "from flask import Flask\napp = Flask(__name__)\n" + code,
        ".env": "BROKER=redis://localhost:6379/0\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.needs_redis is starts
    if starts:
        assert next(s for s in plan.services if s.name == "redis").variables == ("BROKER",)


def test_the_compose_stack_gives_them_its_hosts_and_yours_win(tmp_path):
    """docker compose itself reads the file: the app (and its release) get this machine's hosts, which nginx is
    published on, unless the shell (or the .env beside compose.yaml) sets the variable."""
    import json
    import os
    import subprocess

    import plans
    from conftest import require_tool
    from shipyard.render import render

    import dataclasses

    docker = require_tool("docker")
    plan = plans.django_hosts(topology="compose")
    plan = dataclasses.replace(plan, release=dataclasses.replace(plan.release, declared=True))   # a release service
    for rel, text in render(plan).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)

    def environment(**given: str) -> dict[str, dict[str, str]]:
        env = {k: v for k, v in os.environ.items() if k not in ("DOMAIN", "EXTRA_HOSTS")} | given
        done = subprocess.run([docker, "compose", "-f", str(tmp_path / "compose.yaml"), "config", "--format", "json"],
                              capture_output=True, text=True, timeout=60, env=env)
        assert done.returncode == 0, done.stderr
        services = json.loads(done.stdout)["services"]
        return {name: services[name].get("environment", {}) for name in ("app", "release")}

    for service in environment().values():
        assert service["DOMAIN"] == "127.0.0.1" and service["EXTRA_HOSTS"] == "localhost,127.0.0.1,[::1]"
    assert environment(DOMAIN="cms.example.com")["app"]["DOMAIN"] == "cms.example.com"


def test_builds_check_runs_the_image_with_the_local_hosts_unless_given():
    import plans
    from shipyard.commands.build import check_env
    from shipyard.served_hosts import local_hosts_env

    hosts = local_hosts_env(plans.django_hosts())
    assert check_env(None, hosts) == (["DOMAIN=127.0.0.1", "EXTRA_HOSTS=localhost,127.0.0.1,[::1]"],
                                      ["DOMAIN=127.0.0.1", "EXTRA_HOSTS=localhost,127.0.0.1,[::1]"], [], [])
    items, added, _, _ = check_env(["DOMAIN=cms.example.com", "X=1"], hosts)
    assert items == ["DOMAIN=cms.example.com", "X=1", "EXTRA_HOSTS=localhost,127.0.0.1,[::1]"]
    assert added == ["EXTRA_HOSTS=localhost,127.0.0.1,[::1]"]
    assert check_env(["X=1"], local_hosts_env(plans.flask_wsgi())) == (["X=1"], [], [], [])


def test_builds_check_gives_a_secret_key_read_with_no_default_a_throwaway_unless_given():
    from shipyard.commands.build import check_env

    items, added, keys, _ = check_env(["X=1"], {}, ("SECRET_KEY", "TODOAPP_SECRET_KEY"))
    assert added == [] and keys == ["SECRET_KEY", "TODOAPP_SECRET_KEY"]
    values = dict(item.split("=", 1) for item in items)
    assert values["X"] == "1" and len(values["SECRET_KEY"]) >= 32 and values["SECRET_KEY"] != values["TODOAPP_SECRET_KEY"]
    items, _, keys, _ = check_env(["SECRET_KEY=mine"], {}, ("SECRET_KEY",))
    assert items == ["SECRET_KEY=mine"] and keys == []


def test_a_setting_named_for_redis_gives_its_host_and_port_variables_and_a_redis_only_package_starts_one(tmp_path):
    # django-cacheops: CACHEOPS_REDIS = {"host": ...} read with no default (KeyError at import) and no redis
    # package declared: no Redis was started and REDIS_HOST stayed unset
    root = make_tree(tmp_path, {
        "requirements.txt": "django\ndjango-cacheops==6.1\n",
        "site/wsgi.py": WSGI,
        "site/settings.py": """
            import os
            CACHEOPS_REDIS = {"host": os.environ["REDIS_HOST"], "port": int(os.environ.get("REDIS_PORT", "6379")),
                              "db": 1}
            SESSION_REDIS = os.environ.get("SESSIONS_AT")
            NOT_REDIS_HOST = os.environ.get("MAIL_HOST")
            """})
    plan = make_plan(root, confirm=False, installed=False)
    redis = next(s for s in plan.services if s.name == "redis")
    assert redis.reason == "django-cacheops (requirements.txt)"
    assert redis.parts == (("REDIS_HOST", "HOST"), ("REDIS_PORT", "PORT")) and redis.variables == ("SESSIONS_AT",)
    assert redis_env(plan, "127.0.0.1", 7001)["REDIS_HOST"] == "127.0.0.1"
    assert "MAIL_HOST" not in redis_names(plan)


def test_a_redis_password_the_code_reads_is_none_for_redis_without_one(tmp_path):
    # REDIS_PASSWORD from an example env file's placeholder made redis-py send AUTH, which serve's Redis (no
    # password) refuses: the variable gets the empty password, with which redis-py sends none
    root = make_tree(tmp_path, {"requirements.txt": "flask\nredis\n", "app.py": """
        import os
        import redis
        from flask import Flask
        app = Flask(__name__)
        r = redis.Redis(host=os.environ["REDIS_HOST"], port=int(os.environ["REDIS_PORT"]),
                        password=os.environ["REDIS_PASSWORD"])
        """})
    plan = make_plan(root, confirm=False, installed=False)
    env = redis_env(plan, "127.0.0.1", 7001)
    assert (env["REDIS_HOST"], env["REDIS_PORT"], env["REDIS_PASSWORD"]) == ("127.0.0.1", "7001", "")
