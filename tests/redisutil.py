"""The Redis stacks' test app and image (tests/integration/test_compose.py, test_swarm.py): a Flask app that
counts its hits in the Redis that REDIS_HOST and REDIS_PORT name, and the official redis image's stand-in
(no registry is reachable here), built from tests/fixtures/standins/redis with the tag a stack file names."""

from __future__ import annotations

import subprocess

from conftest import FIXTURES

STANDIN = FIXTURES / "standins" / "redis"
COUNTER_APP = {
    "requirements.txt": "flask\nredis\n",
    "app.py": '''"""Counts its hits in the Redis that REDIS_HOST and REDIS_PORT name (no default: unset is a 500)."""
import os

import redis
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "ok"


@app.route("/count")
def count():
    store = redis.Redis(host=os.environ["REDIS_HOST"], port=int(os.environ["REDIS_PORT"]))
    return f"count {store.incr('hits')} via {os.environ['REDIS_URL']}"
''',
    # a release one-off: starts the count at 10, through REDIS_URL (the release gets it too)
    "start_at_ten.py": "import os\n\nimport redis\n\nredis.Redis.from_url(os.environ['REDIS_URL']).set('hits', 10)\n",
}


def build_standin(tag: str, base_image: str) -> None:
    """The stand-in tagged `tag` (cached layers make a rebuild take a second)."""
    built = subprocess.run(["docker", "build", "-q", "--network", "host", "--build-arg", f"BASE={base_image}",
                            "-t", tag, str(STANDIN)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
