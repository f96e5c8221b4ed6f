"""Hosts written in the app's code that do not resolve here (compose service names): serve and dev warn,
naming the file and line, before the app starts."""

from __future__ import annotations

from conftest import make_tree
from shipyard.appconfig import run_config

# names no resolver answers for: compose service names as tutorials write them, made unlikely to exist here
REDIS_APP = ("from flask import Flask\nfrom redis import Redis\n\napp = Flask(__name__)\n"
             "cache = Redis(host='shipyardtestcache', port=6379)\n")
DJANGO_SETTINGS = ("DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n"
                   "        'HOST': 'shipyardtestdb',\n        'PORT': '5432',\n    },\n}\n")


def warnings(root, mode="serve"):
    return [n for n in run_config(root, ".", {}, mode=mode).notes if "do not resolve here" in n]


def test_a_redis_host_and_a_django_database_host_written_in_the_code_are_named_with_their_lines(tmp_path):
    root = make_tree(tmp_path / "app", {"app.py": REDIS_APP, "site/settings.py": DJANGO_SETTINGS})
    [note] = warnings(root)
    assert "app.py:5 ('shipyardtestcache')" in note and "site/settings.py:4 ('shipyardtestdb')" in note
    assert "DATABASE_URL and REDIS_URL" in note
    assert "a HOST in Django's DATABASES is pointed at the app's own database when serve runs one" in note
    assert len(warnings(root, "dev")) == 1
    # the Redis host alone: nothing about DATABASES
    [note] = warnings(make_tree(tmp_path / "redis_only", {"app.py": REDIS_APP}))
    assert "DATABASES" not in note
    assert warnings(root, "proof") == []      # the import check connects to nothing


def test_hosts_that_resolve_or_come_from_the_environment_are_left_alone(tmp_path):
    root = make_tree(tmp_path / "fine", {"app.py": (
        "import os\nfrom redis import Redis\n"
        "a = Redis(host='localhost')\n"
        "b = Redis(host=os.environ.get('REDIS_HOST', 'shipyardtestcache'))\n"   # read from the environment
        "c = Redis(host='cache.example.invalid')\n"                             # a domain, not a service name
        "app_run = dict(host='0.0.0.0')\n")})
    assert warnings(root) == []


def test_a_service_url_written_in_the_code_is_named_with_its_line(tmp_path):
    # a compose tutorial's settings: the broker at the compose service `redis`; Celery's .delay() retries it
    # until the server's timeout (502) under serve, which gives the app its Redis as REDIS_URL
    root = make_tree(tmp_path / "app", {"core/settings.py": (
        "import os\n"
        "CELERY_BROKER_URL = 'redis://shipyardtestbroker:6379'\n"
        "CACHES = {'default': {'LOCATION': 'redis://shipyardtestcache:6379/1'}}\n"
        "ENGINE_URL: str = 'postgresql+psycopg2://app:pw@shipyardtestdb:5432/app'\n")})
    [note] = warnings(root)
    assert "core/settings.py:2 ('shipyardtestbroker')" in note, note
    assert "core/settings.py:3 ('shipyardtestcache')" in note and "core/settings.py:4 ('shipyardtestdb')" in note


def test_service_urls_read_from_the_environment_or_on_hosts_that_resolve_are_left_alone(tmp_path):
    root = make_tree(tmp_path / "fine", {"core/settings.py": (
        "import os\nfrom decouple import config\n"
        "A = os.getenv('REDIS_URL', 'redis://shipyardtestbroker:6379')\n"     # a default: REDIS_URL wins
        "B = config('CELERY_BROKER_URL', default='redis://shipyardtestbroker:6379')\n"
        "C = 'redis://localhost:6379'\n"
        "D = 'amqp://guest@broker.example.invalid//'\n"                      # a domain, not a service name
        "E = 'see redis://shipyardtestbroker:6379 in the docs'\n")})         # text that mentions one
    assert warnings(root) == []
