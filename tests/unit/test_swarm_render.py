"""The Swarm render target: the stack file Docker 20.10 accepts, the rollout and shutdown settings, secrets
never in clear, and the translation report that refuses what Swarm cannot keep."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest
import yaml

from conftest import EXAMPLES, require_tool
from shipyard.errors import TranslationLost
from shipyard.planner import make_plan
from shipyard.render import swarm
from shipyard.render.translation import Row, TranslationReport

import plans

PASSWORD = "s3cret-password-value"


def _plan(name: str):
    return make_plan(EXAMPLES / name, {}, confirm=False)


def _options(**changes) -> swarm.SwarmOptions:
    values = {"POSTGRES_PASSWORD": PASSWORD, "DATABASE_URL": f"postgresql://app:{PASSWORD}@db:5432/app"}
    base = swarm.SwarmOptions(stack="demo", app_image="demo-app:abc", nginx_image="demo-nginx:def", replicas=3,
                              port=8080, bind="0.0.0.0", endpoint_mode="dnsrr", endpoint_reason="no IPVS",
                              secrets={k: swarm.secret_name("demo", k, v) for k, v in values.items()},
                              db_node="node-1")
    return dataclasses.replace(base, **changes)


def test_stack_file_for_the_oldest_supported_client():
    text = swarm.render(_plan("easygeoip"), _options())[swarm.STACK_FILE]
    stack = yaml.safe_load(text)
    assert stack["version"] == "3.8" and "name" not in stack          # 20.10 needs version, refuses name
    assert not any("depends_on" in s for s in stack["services"].values())
    assert stack["networks"]["default"] == {"driver": "overlay", "attachable": True}
    assert PASSWORD not in text, "secret values never go into the stack file"
    assert all(s["external"] for s in stack["secrets"].values())


def test_app_rollout_health_and_shutdown():
    plan = _plan("easygeoip")
    app = yaml.safe_load(swarm.render(plan, _options())[swarm.STACK_FILE])["services"]["app"]
    deploy = app["deploy"]
    assert deploy["replicas"] == 3 and deploy["endpoint_mode"] == "dnsrr"
    update = deploy["update_config"]
    assert update["order"] == "start-first" and update["failure_action"] == "rollback"
    assert update["parallelism"] == 1 and update["monitor"].endswith("s")
    assert deploy["rollback_config"]["order"] == "start-first"
    assert "test" not in app["healthcheck"], "the image's own health check is the one that gates"
    assert int(app["stop_grace_period"].rstrip("s")) > plan.settings["graceful_timeout"]
    assert app["environment"]["DATABASE_URL_FILE"] == "/run/secrets/database_url"
    assert app["command"][1:3] == ["/app/shipyard_runtime.py", "exec"]


def test_postgres_pinned_with_a_volume_and_its_password_from_a_secret():
    db = yaml.safe_load(swarm.render(_plan("easygeoip"), _options())[swarm.STACK_FILE])["services"]["db"]
    assert db["deploy"]["replicas"] == 1
    assert db["deploy"]["placement"]["constraints"] == ["node.hostname == node-1"]
    assert db["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert "/run/secrets/postgres_password" in " ".join(db["entrypoint"])


def test_redis_is_carried_like_postgres_pinned_with_a_volume_and_named_in_the_apps_environment():
    plan = plans.flask_redis()
    options = _options(secrets={})
    stack = yaml.safe_load(swarm.render(plan, options)[swarm.STACK_FILE])
    redis = stack["services"]["redis"]
    assert redis["image"].startswith("redis:") and "ports" not in redis
    assert redis["volumes"] == ["redisdata:/data"] and "redisdata" in stack["volumes"]
    assert redis["deploy"]["replicas"] == 1
    assert redis["deploy"]["placement"]["constraints"] == ["node.hostname == node-1"]
    want = {"REDIS_URL": "redis://redis:6379/0", "CACHE_REDIS_URL": "redis://redis:6379/0",
            "REDIS_HOST": "redis", "REDIS_PORT": "6379"}
    assert want.items() <= stack["services"]["app"]["environment"].items()
    assert swarm.release_environment(plan, {}) == want
    assert swarm.backing_services(plan) == {"redis": redis["image"]}
    # before the release: Redis and the network only, not the app
    first = yaml.safe_load(swarm.render(plan, _options(secrets={}, db_only=True))[swarm.STACK_FILE])
    assert set(first["services"]) == {"redis"}
    row = next(r for r in swarm.translate(plan, options).rows if r.part.startswith("redis"))
    assert row.status == "translated" and "node-1" in row.how and "REDIS_HOST" in row.how
    without = plans.flask_redis(redis="none")
    assert "redis" not in yaml.safe_load(swarm.render(without, options)[swarm.STACK_FILE])["services"]
    assert swarm.backing_services(without) == {} and swarm.release_environment(without, {}) == {}


def test_stack_file_with_redis_and_postgres_passes_docker_stack_config(tmp_path):
    docker = require_tool("docker")
    plan = dataclasses.replace(plans.flask_redis(), services=plans.flask_redis().services
                               + plans.django_postgres().services)
    (tmp_path / "stack.yaml").write_text(swarm.render(plan, _options())[swarm.STACK_FILE])
    done = subprocess.run([docker, "stack", "config", "-c", str(tmp_path / "stack.yaml")], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert set(yaml.safe_load(done.stdout)["services"]) == {"app", "nginx", "db", "redis"}


def test_nginx_follows_the_replicas_through_dockers_dns():
    files = swarm.render(_plan("hello"), _options())
    conf = files[swarm.NGINX_CONF]
    assert "resolver 127.0.0.11" in conf and "set $app_upstream http://tasks.app:8000;" in conf
    assert "upstream app_server" not in conf
    assert "COPY --from=app /app/my_app/static/" in files[swarm.NGINX_DOCKERFILE]
    vip = swarm.render(_plan("hello"), _options(endpoint_mode="vip"))[swarm.NGINX_CONF]
    assert "http://app:8000;" in vip
    nginx = yaml.safe_load(files[swarm.STACK_FILE])["services"]["nginx"]
    assert nginx["ports"] == [{"target": 8080, "published": 8080, "protocol": "tcp", "mode": "host"}]


def test_generated_nginx_conf_passes_nginx_t(tmp_path):
    nginx = require_tool("nginx")
    conf = tmp_path / "nginx.conf"
    conf.write_text(swarm.render(_plan("hello"), _options())[swarm.NGINX_CONF].replace("/tmp/", f"{tmp_path}/"))
    done = subprocess.run([nginx, "-t", "-c", str(conf), "-e", "stderr"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


def test_secret_names_follow_their_content():
    assert swarm.secret_name("s", "DATABASE_URL", "a") != swarm.secret_name("s", "DATABASE_URL", "b")
    assert swarm.secret_name("s", "DATABASE_URL", "a").startswith("s_database_url_")


def test_report_refuses_loopback_publishing_with_a_hint():
    report = swarm.translate(_plan("hello"), _options(bind="127.0.0.1"))
    assert [r.part for r in report.lost] == ["ports: 127.0.0.1:PORT (loopback only)"]
    with pytest.raises(TranslationLost) as caught:
        report.check()
    assert "every interface" in caught.value.message and "--bind 0.0.0.0" in caught.value.hint


def test_report_rows_for_a_database_app():
    report = swarm.translate(_plan("easygeoip"), _options()).check()
    parts = {r.part: r for r in report.rows}
    assert parts["db (PostgreSQL)"].status == "translated" and "does not scale out" in parts["db (PostgreSQL)"].how
    assert "one-off service" in parts["release (depends_on: service_completed_successfully)"].how
    assert parts["depends_on conditions"].status == "dropped"
    data = report.to_dict()
    assert data["target"] == "swarm" and data["counts"]["lost"] == 0 and sum(data["counts"].values()) == len(report.rows)
    assert report.summary().startswith("swarm: ") and len(report.lines()) == len(report.rows)


def test_rows_take_known_statuses_only():
    with pytest.raises(ValueError):
        Row("x", "ignored", "")
    assert TranslationReport.of("kubernetes", [Row("a", "dropped", "why")]).check().target == "kubernetes"


def test_an_edited_dockerfile_is_not_dropped_silently():
    report = swarm.translate(_plan("hello"), _options(own_dockerfile="edited"))
    assert [r.part for r in report.lost] == ["Dockerfile (edited)"]
    with pytest.raises(TranslationLost) as caught:
        report.check()
    assert "--fresh" in caught.value.hint
    assert not swarm.translate(_plan("hello"), _options(own_dockerfile="edited", fresh=True)).lost


def test_render_command_prints_the_report_and_refuses_loopback(capsys):
    from shipyard.__main__ import main
    assert main(["swarm", "render", str(EXAMPLES / "hello"), "--no-import", "--endpoint-mode", "dnsrr"]) == 2
    out, err = capsys.readouterr()
    assert "lost" in out and "ports: 127.0.0.1:PORT (loopback only)" in out
    assert "swarm cannot keep ports: 127.0.0.1:PORT" in err and "--bind 0.0.0.0" in err
    assert main(["swarm", "render", str(EXAMPLES / "hello"), "--no-import", "--bind", "0.0.0.0", "--json",
                 "--endpoint-mode", "dnsrr", "--replicas", "4"]) == 0
    data = __import__("json").loads(capsys.readouterr().out)
    assert data["report"]["counts"]["lost"] == 0
    assert yaml.safe_load(data["files"]["stack.yaml"])["services"]["app"]["deploy"]["replicas"] == 4


def test_endpoint_mode_follows_ipvs(monkeypatch, tmp_path):
    from shipyard.engine import swarm as engine_swarm
    present = tmp_path / "ip_vs"
    present.write_text("")
    monkeypatch.setattr(engine_swarm, "IPVS_PROC", present)
    assert engine_swarm.routing_mesh({}).mode == "vip"
    remote = engine_swarm.routing_mesh({"DOCKER_HOST": "tcp://10.0.0.5:2376"})
    assert remote.mode == "dnsrr" and "remote" in remote.reason
    monkeypatch.setattr(engine_swarm, "IPVS_PROC", tmp_path / "missing")
    monkeypatch.setattr(engine_swarm.shutil, "which", lambda name: None)
    monkeypatch.setattr(engine_swarm.os, "access", lambda path, mode: False)
    choice = engine_swarm.routing_mesh({})
    assert choice.mode == "dnsrr" and "no IPVS" in choice.reason


def test_the_variables_read_into_allowed_hosts_come_from_the_deploying_shell_with_local_defaults():
    # a Django app whose ALLOWED_HOSTS holds os.environ["DOMAIN"] and EXTRA_HOSTS.split(","): without them every
    # request but the health check's answers 400, so the stack gives them, the user's value first
    plan = plans.django_hosts()
    stack = yaml.safe_load(swarm.render(plan, _options(secrets={}))[swarm.STACK_FILE])
    env = stack["services"]["app"]["environment"]
    assert env["DOMAIN"] == "${DOMAIN:-127.0.0.1}"
    assert env["EXTRA_HOSTS"] == "${EXTRA_HOSTS:-localhost,127.0.0.1,[::1]}"
    # the release one-off gets what the stack file resolves to
    release = swarm.release_environment(plan, {"DOMAIN": "shop.example.com"})
    assert (release["DOMAIN"], release["EXTRA_HOSTS"]) == ("shop.example.com", "localhost,127.0.0.1,[::1]")
    row = next(r for r in swarm.translate(plan, _options(secrets={})).rows if r.part == "allowed hosts")
    assert row.status == "translated" and "DOMAIN, EXTRA_HOSTS" in row.how and "export" in row.how
    # an app with no such variable: no row, no variable
    assert not any(r.part == "allowed hosts" for r in swarm.translate(_plan("easygeoip"), _options()).rows)


def test_a_redis_the_code_sends_a_password_asks_for_it_from_a_secret(tmp_path):
    # Redis(host='redis', password=...) in the app's code: compose's Redis asks for that password (--requirepass);
    # Swarm's had none, so redis-py's AUTH was refused and every page reading Redis answered 500. The password and
    # the app's Redis variables that carry it come as Swarm secrets, never in the stack file
    plan = plans.flask_redis()
    password = "s3cr$t pw"
    values = swarm.redis_secret_values(plan, password)
    assert values == {swarm.REDIS_PASSWORD_KEY: password, "REDIS_URL": "redis://:s3cr%24t%20pw@redis:6379/0",
                      "CACHE_REDIS_URL": "redis://:s3cr%24t%20pw@redis:6379/0"}
    options = _options(secrets={k: swarm.secret_name("demo", k, v) for k, v in values.items()})
    text = swarm.render(plan, options)[swarm.STACK_FILE]
    assert "s3cr" not in text
    stack = yaml.safe_load(text)
    redis, app = stack["services"]["redis"], stack["services"]["app"]
    assert "/run/secrets/redis_password" in " ".join(redis["entrypoint"])
    assert "--requirepass" in " ".join(redis["entrypoint"]) and "docker-entrypoint.sh redis-server" in redis["entrypoint"][-1]
    assert "REDISCLI_AUTH" in redis["healthcheck"]["test"][1] and "/run/secrets/redis_password" in redis["healthcheck"]["test"][1]
    assert [s["target"] for s in redis["secrets"]] == ["redis_password"]
    # the app reads the URLs through NAME_FILE (the entry shim exports them only where NAME is unset), the parts
    # without the password stay plain; the server's own password is never the app's
    env = app["environment"]
    assert env["REDIS_URL_FILE"] == "/run/secrets/redis_url" and "REDIS_URL" not in env and "CACHE_REDIS_URL" not in env
    assert env["REDIS_HOST"] == "redis" and "SHIPYARD_REDIS_PASSWORD_FILE" not in env
    assert {s["target"] for s in app["secrets"]} == {"cache_redis_url", "redis_url"}
    assert swarm.release_environment(plan, {}, tuple(options.secrets)) == {"REDIS_HOST": "redis", "REDIS_PORT": "6379"}
    row = next(r for r in swarm.translate(plan, options).rows if r.part.startswith("redis"))
    assert "password" in row.how
    # the entrypoint's shell sees $(...) and "$REDISCLI_AUTH", not a stack variable: docker stack config agrees
    docker = require_tool("docker")
    (tmp_path / "stack.yaml").write_text(text)
    done = subprocess.run([docker, "stack", "config", "-c", str(tmp_path / "stack.yaml")], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    configured = yaml.safe_load(done.stdout)["services"]["redis"]
    assert '"$(cat /run/secrets/redis_password)"' in configured["entrypoint"][-1]
    assert '--requirepass "$REDISCLI_AUTH"' in configured["entrypoint"][-1]
    # no password written: no secret, the plain Redis of before
    assert swarm.redis_secret_values(plan, "") == {}
    plain = yaml.safe_load(swarm.render(plan, _options())[swarm.STACK_FILE])["services"]["redis"]
    assert plain["command"] == ["redis-server", "--appendonly", "yes"] and "secrets" not in plain
