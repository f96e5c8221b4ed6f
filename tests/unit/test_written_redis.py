"""The Redis a compose app's code writes (a service's name, the password its compose Redis asks for): found in
client calls and redis:// URLs, not in hosts that resolve or that come from the environment; the warning about
unresolved hosts leaves out the Redis ones when serve runs the app's Redis, which answers them."""

from __future__ import annotations

from conftest import make_tree
from shipyard.appconfig import run_config
from shipyard.detect.written_redis import WrittenRedis, written_password, written_redis
from shipyard.project import Project


def test_the_service_name_and_password_written_for_redis_are_found(tmp_path):
    root = make_tree(tmp_path, {
        "app/services.py": "import redis\n"
                           "r = redis.Redis(host='shipyardtestcache', port=6379, password='password')\n",
        "app/tasks.py": "import redis, os\n"
                        "BROKER_URL = 'redis://:s%40cret@shipyardtestbroker:6379/0'\n"
                        "a = redis.StrictRedis(host='localhost')\n"                            # resolves
                        "b = redis.Redis(host=os.getenv('REDIS_HOST', 'shipyardtestcache'))\n"  # read
                        "c = redis.Redis(host='cache.example.invalid')\n"                      # a domain
                        "d = dict(host='shipyardtestother')\n",                               # not a client
    })
    found = written_redis(Project(root))
    assert found == [WrittenRedis("app/services.py", 2, "shipyardtestcache", "password"),
                     WrittenRedis("app/tasks.py", 2, "shipyardtestbroker", "s@cret")]
    assert written_password(found) == "password"
    assert written_password([WrittenRedis("a.py", 1, "redis")]) == ""


def test_a_service_name_in_a_module_constant_the_client_call_names_is_found(tmp_path):
    # an aiohttp chat's server.py: REDIS_HOST = "redis" at the top, redis.asyncio.ConnectionPool(host=REDIS_HOST)
    # in its start-up; serve's Redis must answer that name as the compose one did
    root = make_tree(tmp_path, {
        "server.py": "import redis.asyncio as redis\n"
                     "REDIS_HOST = 'shipyardtestcache'\n"
                     "REDIS_PORT = 6379\n"
                     "REDIS_PASSWORD: str = 'secret'\n"
                     "async def init_redis(app):\n"
                     "    pool = redis.ConnectionPool(host=REDIS_HOST, port=REDIS_PORT, password=REDIS_PASSWORD)\n",
        # bound twice, in a loop, or as a parameter: not a constant of the module
        "other.py": "import redis\n"
                    "HOST = 'shipyardtestone'\n"
                    "HOST = 'shipyardtesttwo'\n"
                    "for NAME in ('shipyardtestloop',):\n"
                    "    pass\n"
                    "SHADOWED = 'shipyardtestshadow'\n"
                    "a = redis.Redis(host=HOST)\n"
                    "b = redis.Redis(host=NAME)\n"
                    "def make(SHADOWED):\n"
                    "    return redis.Redis(host=SHADOWED)\n",
    })
    assert written_redis(Project(root)) == [WrittenRedis("server.py", 6, "shipyardtestcache", "secret")]


APP = ("from flask import Flask\nfrom redis import Redis\n\napp = Flask(__name__)\n"
       "cache = Redis(host='shipyardtestcache', port=6379)\n"
       "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'shipyardtestdb'}}\n")


def warnings(root, environ, databases):
    return [n for n in run_config(root, ".", environ, mode="serve", databases=databases).notes
            if "do not resolve here" in n]


def test_the_unresolved_hosts_warning_leaves_out_redis_when_the_apps_redis_answers_it(tmp_path):
    root = make_tree(tmp_path / "app", {"app.py": APP})
    [note] = warnings(root, {}, ("postgres", "redis"))
    assert "shipyardtestdb" in note and "shipyardtestcache" not in note
    # no Redis of serve's (none needed, or the user's REDIS_URL): still named
    [note] = warnings(root, {}, ("postgres",))
    assert "shipyardtestcache" in note
    [note] = warnings(root, {"REDIS_URL": "redis://10.0.0.9:6379/0"}, ("postgres", "redis"))
    assert "shipyardtestcache" in note
