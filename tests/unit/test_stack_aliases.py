"""The host names an app's code writes for its PostgreSQL and Redis (its own compose file's service names:
`@database:5432`, `Redis(host="cache")`): the compose stack's db and redis services answer to them as well
(render/stack_aliases.py, compose.yaml's network aliases), whatever the driver."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from conftest import make_tree, require_tool
from shipyard.detect.code_hosts import unresolved_hosts
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import render
from shipyard.render.stack_aliases import stack_aliases

# names no resolver answers for here, as compose tutorials write them
FLASK_APP = (
    "import psycopg2\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom redis import Redis\n\n"
    "app = Flask(__name__)\n"
    "app.config['SQLALCHEMY_DATABASE_URI'] = 'postgresql://postgres:postgres@shipyardtestdatabase:5432/mydb'\n"
    "db = SQLAlchemy(app)\n"
    "cache = Redis(host='shipyardtestcache', port=6379)\n\n\n"
    "@app.route('/')\ndef index():\n    return str(cache.incr('hits'))\n")
REQUIREMENTS = "Flask==2.3.3\nFlask-SQLAlchemy==3.1.1\npsycopg2-binary==2.9.9\nredis==5.0.1\n"


def _stack(root):
    plan = make_plan(root, {"topology": "compose"}, confirm=False)
    aliases = stack_aliases(plan, root)
    return plan, aliases, yaml.safe_load(render(plan, aliases=aliases)["compose.yaml"])


def test_each_written_host_is_said_with_the_server_it_names(tmp_path):
    root = make_tree(tmp_path / "app", {"app.py": FLASK_APP + (
        "conn = psycopg2.connect(host='shipyardtestpg', dbname='x')\n"
        "import pymysql\nm = pymysql.connect(host='shipyardtestmysql')\n"
        "BROKER = 'amqp://guest@shipyardtestrabbit//'\n"
        "other = dict(host='shipyardtestother')\n"),
        "site/settings.py": "DATABASES = {'default': {'ENGINE': 'x', 'HOST': 'shipyardtestdjango'}}\n"})
    found = {h.host: h.service for h in unresolved_hosts(Project(root))}
    assert found == {"shipyardtestdatabase": "postgres", "shipyardtestcache": "redis", "shipyardtestpg": "postgres",
                     "shipyardtestmysql": "mysql", "shipyardtestrabbit": "", "shipyardtestother": "",
                     "shipyardtestdjango": "database"}


def test_the_stacks_db_and_redis_answer_to_the_names_the_code_writes(tmp_path):
    root = make_tree(tmp_path / "app", {"app.py": FLASK_APP, "requirements.txt": REQUIREMENTS})
    plan, aliases, stack = _stack(root)
    assert plan.needs_postgres and plan.needs_redis
    assert aliases == {"db": ("shipyardtestdatabase",), "redis": ("shipyardtestcache",)}
    assert stack["services"]["db"]["networks"] == {"default": {"aliases": ["shipyardtestdatabase"]}}
    assert stack["services"]["redis"]["networks"] == {"default": {"aliases": ["shipyardtestcache"]}}
    assert "networks" not in stack["services"]["app"]


def test_no_alias_for_the_stacks_own_names_nor_outside_compose(tmp_path):
    # `@db:5432` and Redis(host='redis') already reach the stack's services; a name another service has is not
    # taken from it; hosts that resolve or come from the environment are not the code's
    root = make_tree(tmp_path / "own", {"app.py": FLASK_APP.replace("shipyardtestdatabase", "db").replace(
        "shipyardtestcache", "redis") + "other = Redis(host='nginx')\nimport os\n"
        "more = Redis(host=os.environ.get('REDIS_HOST', 'shipyardtestenv'))\n",
        "requirements.txt": REQUIREMENTS})
    _, aliases, stack = _stack(root)
    assert aliases == {}
    assert "networks" not in stack["services"]["db"] and "networks" not in stack["services"]["redis"]
    bundle = make_plan(make_tree(tmp_path / "bundle", {"app.py": FLASK_APP, "requirements.txt": REQUIREMENTS}),
                       {"topology": "bundle"}, confirm=False)
    assert stack_aliases(bundle, tmp_path / "bundle") == {}


def test_a_host_written_in_an_f_string_url_is_the_codes_and_a_placeholder_host_is_not(tmp_path):
    # a 2022 Flask stack's settings.py: the login from the environment (environs), the host its compose service's
    # name, in an f-string; a Redis URL with a placeholder host comes from the environment, not the code
    root = make_tree(tmp_path / "app", {"settings.py": (
        "from environs import Env\nenv = Env()\n"
        "SQLALCHEMY_DATABASE_URI = ('postgresql://'\n"
        "    f\"{env('POSTGRES_USER')}:{env('POSTGRES_PASSWORD')}@shipyardtestpostgres:5432/\"\n"
        "    f\"{env('POSTGRES_DB')}\"\n)\n"
        "CACHE = f\"redis://{env('REDIS_HOST')}:6379/0\"\n"
        "BROKER = {'broker_url': f\"amqp://{env('RABBITMQ_DEFAULT_USER')}@shipyardtestrabbit:5672//\"}\n")})
    found = {(h.host, h.service, h.line) for h in unresolved_hosts(Project(root))}
    assert found == {("shipyardtestpostgres", "postgres", 3), ("shipyardtestrabbit", "", 8)}


def test_the_stacks_redis_asks_for_the_password_the_code_sends_it(tmp_path):
    # Redis(host='redis', password=...) as a compose tutorial writes it: the stack's Redis had no password, so
    # redis-py's AUTH was refused ("called without any password configured") and each page reading Redis answered
    # 500. It asks for that password now, its health check sends it, and the app's Redis variables carry it
    from shipyard.render.stack_aliases import stack_redis_password
    app = FLASK_APP.replace("shipyardtestdatabase", "db").replace(
        "Redis(host='shipyardtestcache', port=6379)", "Redis(host='redis', port=6379, password='s3cr$t')")
    root = make_tree(tmp_path / "app", {"app.py": app + "import os\nURL = os.environ.get('REDIS_URL')\n",
                                        "requirements.txt": REQUIREMENTS})
    plan = make_plan(root, {"topology": "compose"}, confirm=False)
    password = stack_redis_password(plan, root)
    assert password == "s3cr$t"
    text = render(plan, redis_password=password)["compose.yaml"]
    redis = yaml.safe_load(text)["services"]["redis"]
    # compose reads $$ as one $ (a lone $ would be a variable)
    assert redis["command"] == ["redis-server", "--appendonly", "yes", "--requirepass", "s3cr$$t"]
    assert redis["environment"] == {"REDISCLI_AUTH": "s3cr$$t"}
    assert yaml.safe_load(text)["services"]["app"]["environment"]["REDIS_URL"] == "redis://:s3cr%24t@redis:6379/0"
    # no password written: the stack's Redis asks none, as before
    root2 = make_tree(tmp_path / "open", {"app.py": FLASK_APP, "requirements.txt": REQUIREMENTS})
    plan2 = make_plan(root2, {"topology": "compose"}, confirm=False)
    assert stack_redis_password(plan2, root2) == ""
    plain = yaml.safe_load(render(plan2)["compose.yaml"])["services"]["redis"]
    assert plain["command"] == ["redis-server", "--appendonly", "yes"] and "environment" not in plain


def test_the_clusters_redis_takes_the_password_the_code_sends_whatever_the_topology(tmp_path):
    # init --kubernetes (bundle or app topology): the password the code writes beside its Redis host is the
    # Redis component's too (render/kubernetes.py reads it from the Secret); compose's rule keeps to compose
    from shipyard.render.stack_aliases import stack_redis_password, written_redis_password
    app = FLASK_APP.replace("Redis(host='shipyardtestcache', port=6379)", "Redis(host='redis', port=6379, password='pw1')")
    root = make_tree(tmp_path / "app", {"app.py": app, "requirements.txt": REQUIREMENTS})
    plan = make_plan(root, {"topology": "bundle"}, confirm=False)
    assert written_redis_password(plan, root) == "pw1" and stack_redis_password(plan, root) == ""


def test_the_clusters_services_answer_to_the_names_the_code_writes_whatever_the_topology(tmp_path):
    # Redis(host='redis') and `@db:5432` reach compose's and Swarm's services, but the cluster's Services are
    # {app}-redis and {app}-db: the pods resolved neither name. Each written name is a Service of the same pods
    from shipyard.render import kubernetes
    from shipyard.render.stack_aliases import cluster_aliases
    root = make_tree(tmp_path / "shop", {"app.py": FLASK_APP.replace("shipyardtestdatabase", "db").replace(
        "shipyardtestcache", "redis") + "other = Redis(host='shop-redis')\n", "requirements.txt": REQUIREMENTS})
    plan = make_plan(root, {"topology": "bundle"}, confirm=False)
    aliases = cluster_aliases(plan, root, kubernetes.own_services(plan))
    assert aliases == {"db": ("db",), "redis": ("redis",)}              # shop-redis is the manifests' own name
    files = kubernetes.files(plan, "", aliases)
    for component, name, port in (("postgres", "db", 5432), ("redis", "redis", 6379)):
        services = [d for d in yaml.safe_load_all(files[f"deploy/kubernetes/components/{component}/service.yaml"]) if d]
        own, alias = services
        assert alias["metadata"]["name"] == name and alias["spec"]["selector"] == own["spec"]["selector"]
        assert alias["spec"]["ports"] == own["spec"]["ports"] and own["spec"]["ports"][0]["port"] == port
    row = next(r for r in kubernetes.translation(plan, aliases) if r.part == "hosts the code writes")
    assert row.how.startswith("Service db for the database pod; Service redis for the Redis pod")
    # no written name: the single Service of before
    plain = kubernetes.files(plan, "", None)["deploy/kubernetes/components/redis/service.yaml"]
    assert len([d for d in yaml.safe_load_all(plain) if d]) == 1
    # a name no Service can take is left out
    assert kubernetes.service_aliases(plan, {"redis": ("my_redis", "Cache", "redis.local")}) == {"redis": ("cache",)}


MYSQL_APP = ("import pymysql\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n"
             "    conn = pymysql.connect(host='HOST', user='shop', password='pw', database='shop')\n"
             "    return str(conn.open)\n")


def test_the_mysql_server_answers_to_the_host_the_code_writes_in_compose_and_the_cluster(tmp_path):
    # pymysql.connect(host='mysql'): the stack's MariaDB is its db service, the cluster's {app}-db Service, so the
    # written name resolved nowhere; compose's db gets it as a network alias, the cluster a Service of that name
    from shipyard.render import kubernetes
    from shipyard.render.stack_aliases import cluster_aliases
    root = make_tree(tmp_path / "shop", {"app.py": MYSQL_APP.replace("HOST", "shipyardtestmysql"),
                                         "requirements.txt": "Flask==2.3.3\nPyMySQL==1.1.0\n"})
    plan, aliases, stack = _stack(root)
    assert plan.needs_mysql and not plan.needs_postgres
    assert aliases == {"db": ("shipyardtestmysql",)}
    assert stack["services"]["db"]["image"].startswith("mariadb")
    assert stack["services"]["db"]["networks"] == {"default": {"aliases": ["shipyardtestmysql"]}}
    (root / "app.py").write_text(MYSQL_APP.replace("HOST", "mysql"))
    plan = make_plan(root, {"topology": "bundle"}, confirm=False)
    aliases = cluster_aliases(plan, root, kubernetes.own_services(plan))
    assert aliases == {"db": ("mysql",)}
    own, alias = [d for d in yaml.safe_load_all(
        kubernetes.files(plan, "", aliases)["deploy/kubernetes/components/mysql/service.yaml"]) if d]
    assert alias["metadata"]["name"] == "mysql" and alias["spec"]["selector"] == own["spec"]["selector"]
    assert alias["spec"]["ports"] == own["spec"]["ports"] and own["spec"]["ports"][0]["port"] == 3306


@pytest.mark.parametrize("app, requirements, want", [
    (FLASK_APP, REQUIREMENTS, {"db": ["shipyardtestdatabase"], "redis": ["shipyardtestcache"]}),
    (MYSQL_APP.replace("HOST", "shipyardtestmysql"), "Flask==2.3.3\nPyMySQL==1.1.0\n", {"db": ["shipyardtestmysql"]}),
])
def test_the_swarm_stacks_db_and_redis_answer_to_the_names_the_code_writes(tmp_path, capsys, app, requirements, want):
    # compose's stack and the cluster answered `@database:5432`, Redis(host='cache'), pymysql's host='mysql';
    # Swarm's services resolved only as db and redis, so the app stopped on "could not translate host name"
    import json

    from shipyard.__main__ import main
    root = make_tree(tmp_path / "app", {"app.py": app, "requirements.txt": requirements})
    assert main(["swarm", "render", str(root), "--no-import", "--bind", "0.0.0.0", "--json",
                 "--endpoint-mode", "dnsrr"]) == 0
    data = json.loads(capsys.readouterr().out)
    text = data["files"]["stack.yaml"]
    services = yaml.safe_load(text)["services"]
    for service, names in want.items():
        assert services[service]["networks"] == {"default": {"aliases": names}}
        assert any(row["part"] == f"{service} network aliases" for row in data["report"]["rows"])
    assert services["app"]["networks"] == services["nginx"]["networks"] == ["default"]
    assert all(services[s]["networks"] == ["default"] for s in services if s not in want and s in ("db", "redis"))
    # `docker stack config` reads the aliases as it reads the rest of the file
    docker = require_tool("docker")
    (tmp_path / "stack.yaml").write_text(text)
    done = subprocess.run([docker, "stack", "config", "-c", str(tmp_path / "stack.yaml")], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    configured = yaml.safe_load(done.stdout)["services"]
    for service, names in want.items():
        assert configured[service]["networks"]["default"]["aliases"] == names
