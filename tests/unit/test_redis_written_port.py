"""An app that reads its Redis host from a variable but writes the port (`Redis(host=os.getenv("REDIS_HOST",
"localhost"), port=6379)`) connects to 6379 whatever serve says: its Redis listens there (when free), not on a
free port only a URL or a port variable could have told the app about."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.planner import make_plan
from shipyard.redis_vars import port_settable, redis_names

MAIN = "from fastapi import FastAPI\nfrom .cache import client\napp = FastAPI()\n"


@pytest.mark.parametrize("cache, settable", [
    # host only, the port written: 6379 it is
    ('import os, redis\nclient = redis.Redis(host=os.getenv("REDIS_HOST", "localhost"), port=6379)\n', False),
    ('import os, redis\nclient = redis.Redis(host=os.environ["CACHE_HOST"], port=6379, decode_responses=True)\n',
     False),
    # a port variable, a URL, a URL under a name of its own: the app follows wherever its Redis listens
    ('import os, redis\nclient = redis.Redis(host=os.getenv("REDIS_HOST"), port=int(os.getenv("REDIS_PORT", 6379)))\n',
     True),
    ('import os, redis\nclient = redis.from_url(os.getenv("REDIS_URL", "redis://localhost:6379"))\n', True),
    ('import os, redis\nclient = redis.from_url(os.environ["KV_AT"])\n', True),
])
def test_a_redis_read_as_a_host_only_keeps_the_written_port(tmp_path, cache, settable):
    root = make_tree(tmp_path, {"requirements.txt": "fastapi\nredis\n", "app/main.py": MAIN, "app/cache.py": cache})
    plan = make_plan(root, confirm=False, installed=False)
    assert any(s.name == "redis" for s in plan.services)
    assert redis_names(plan)
    assert port_settable(plan) is settable
