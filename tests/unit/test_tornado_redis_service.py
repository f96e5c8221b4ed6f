"""A 2016 Tornado chat keeps its users and messages in Redis through tornado-redis (`import tornadoredis`,
`tornadoredis.Client(host='127.0.0.1', port=6379).connect()` in its Application's __init__): the driver was not
one Shipyard knew for Redis, so serve started none and the app stopped at start ("tornadoredis.exceptions.
ConnectionError: [Errno 111] Connection refused"). tornado-redis now selects Redis like redis-py does."""

from __future__ import annotations

from conftest import make_tree
from shipyard.planner import make_plan
from tornado_chat import CHAT

def test_tornado_redis_needs_a_redis(tmp_path):
    plan = make_plan(make_tree(tmp_path / "chat", {"app.py": CHAT, "requirements.txt": "tornado\ntornado-redis\n"}),
                     confirm=False)
    assert [s.name for s in plan.services] == ["redis"], plan.services
