"""The services an app uses that serve does not run (run/unrun_services.py): one line each, naming the client,
the variable the app reads for its address and its default, and what to do."""

from __future__ import annotations

import dataclasses

from shipyard.plan import Dependency
from shipyard.planner import make_plan
from shipyard.run.unrun_services import unrun_services

from conftest import make_tree

TODO = {"requirements.txt": "aiohttp==3.10.6\nmotor==3.6.0\npymongo==4.9.1\n",
        "app.py": "import os\nimport motor.motor_asyncio\nfrom aiohttp import web\n"
                  "MONGO_URI = os.getenv('MONGO_URI', 'mongodb://localhost:27017')\n"
                  "client = motor.motor_asyncio.AsyncIOMotorClient(MONGO_URI)\n"
                  "app = web.Application()\n"}


def test_a_mongodb_client_is_said_with_the_variable_it_reads_and_its_default(tmp_path):
    root = make_tree(tmp_path / "app", TODO)
    plan = make_plan(root, confirm=False)
    [line] = unrun_services(plan, root, {})
    assert line.startswith("warning: the app uses MongoDB (motor, requirements.txt; it reads MONGO_URI, default "
                           "mongodb://localhost:27017), which serve does not run (Debian ships no MongoDB server)")
    assert line.endswith("set MONGO_URI to one you run")
    # the user's own MongoDB: nothing to say
    assert unrun_services(plan, root, {"MONGO_URI": "mongodb://10.0.0.5:27017"}) == []


def test_the_client_named_is_the_one_the_app_declares_before_one_only_imported(tmp_path):
    # a 2023 FastAPI app: motor declared, connecting in db.py; beanie only imported by a models module (inferred):
    # the line named beanie, the first client by name, as what uses MongoDB
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "fastapi\nmotor\n",
        "main.py": "from fastapi import FastAPI\nimport db\napp = FastAPI()\n",
        "db.py": "import motor.motor_asyncio\n"
                 "client = motor.motor_asyncio.AsyncIOMotorClient('mongodb://localhost:27017')\n",
        "models.py": "from beanie import Document\n"})
    plan = make_plan(root, confirm=False)
    plan = dataclasses.replace(plan, dependencies=(
        *plan.dependencies, Dependency("beanie", "", "import beanie in models.py", inferred=True)))
    [line] = unrun_services(plan, root, {})
    assert line.startswith("warning: the app uses MongoDB (motor, requirements.txt; it connects to "
                           "mongodb://localhost:27017, written in db.py)")


def test_a_rabbitmq_client_with_no_variable_and_an_app_with_neither(tmp_path):
    root = make_tree(tmp_path / "app", {"requirements.txt": "fastapi\npika\n",
                                        "main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    plan = make_plan(root, confirm=False)
    [line] = unrun_services(plan, root, {})
    assert "the app uses RabbitMQ (pika, requirements.txt), which serve does not run" in line
    assert line.endswith("run one where the app looks for it")
    # no client of either: nothing to say
    plain = dataclasses.replace(plan, dependencies=(Dependency("fastapi", "", "requirements.txt"),))
    assert unrun_services(plain, root, {}) == []


def test_the_app_servers_last_error_reaching_an_unrun_service_names_it():
    # a FastAPI lifespan running init_beanie on motor: gunicorn's worker output ends with pymongo's error after
    # 30 s, and serve said only "the server did not answer within 60s"
    from shipyard.run.tree import _cause
    from shipyard.run.unrun_services import unanswered_service
    lines = ["[2026-12-07 01:38:02 +0000] [812] [ERROR] Traceback (most recent call last):",
             '  File "/app/app.py", line 17, in lifespan',
             "pymongo.errors.ServerSelectionTimeoutError: localhost:27017: [Errno 111] Connection refused "
             "(configured timeouts: socketTimeoutMS: 20000.0ms), Timeout: 30s, Topology Description: <...>",
             "[2026-12-07 01:38:02 +0000] [812] [ERROR] Application startup failed. Exiting."]
    assert unanswered_service(_cause(lines)) == ("MongoDB", "Debian ships no MongoDB server")
    assert unanswered_service("pika.exceptions.AMQPConnectionError") is not None
    assert unanswered_service("AMQPConnectionError: connection refused")[0] == "RabbitMQ"
    assert unanswered_service("redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379") is None
    assert unanswered_service("ModuleNotFoundError: No module named 'pymongo'") is None


def test_an_error_that_hides_an_unreached_service_still_names_the_service():
    # a Litestar app whose async exception handler fails on motor's timeout: the output ends with the handler's
    # AttributeError, and the MongoDB serve does not run is the cause to say
    from shipyard.run.tree import _cause
    from shipyard.run.unrun_services import unanswered_under
    lines = ["Traceback (most recent call last):",
             '  File "/app/app/main.py", line 34, in index',
             "pymongo.errors.ServerSelectionTimeoutError: localhost:27017: [Errno 111] Connection refused",
             "",
             "During handling of the above exception, another exception occurred:",
             "Traceback (most recent call last):",
             "AttributeError: 'coroutine' object has no attribute 'to_asgi_response'"]
    assert _cause(lines).startswith("AttributeError")
    found = unanswered_under(lines)
    assert found[0].startswith("pymongo.errors.ServerSelectionTimeoutError: localhost:27017")
    assert found[1:] == ("MongoDB", "Debian ships no MongoDB server")
    assert unanswered_under(["AttributeError: 'coroutine' object has no attribute 'to_asgi_response'"]) is None


def test_a_boot_that_timed_out_says_the_service_the_first_page_waits_on(tmp_path):
    # the Litestar + motor app: GET / waits 30 s on MongoDB, then its async exception handler fails; the boot
    # timed out with only that handler's AttributeError said
    from shipyard.run.unrun_services import unanswered_boot, unrun_clients
    root = make_tree(tmp_path / "app", TODO)
    plan = make_plan(root, confirm=False)
    clients = unrun_clients(plan, root, {})
    assert clients == [("MongoDB", "motor")]
    timed_out = "the server did not answer within 60s: AttributeError: 'coroutine' object has no attribute 'x'"
    assert unanswered_boot(timed_out, clients) == ("; the app uses MongoDB (motor), which serve does not run: a page "
                                                   "that reaches it waits on the connection and then fails")
    # another failure, or the user's own MongoDB: nothing added
    assert unanswered_boot("app exited while starting (FATAL)", clients) == ""
    assert unrun_clients(plan, root, {"MONGO_URI": "mongodb://10.0.0.5:27017"}) == []


def test_a_mongodb_address_written_in_the_code_is_said_when_no_variable_names_it(tmp_path):
    # a Flask demo: config.py makes MongoClient("mongodb://localhost:27017/"), no variable to set; the line said
    # only "run one where the app looks for it", leaving the reader to find where that is
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "Flask==2.0.0\npymongo==3.11.4\n",
        "tests/test_app.py": "URL = 'mongodb://testhost:1/'\n",
        "config.py": "from flask import Flask\nfrom pymongo import MongoClient\napp = Flask(__name__)\n"
                     "client = MongoClient(\"mongodb://localhost:27017/\")\n",
        "main.py": "from config import app\n"})
    plan = make_plan(root, confirm=False)
    [line] = unrun_services(plan, root, {})
    assert "the app uses MongoDB (pymongo, requirements.txt; it connects to mongodb://localhost:27017/, written in " \
           "config.py), which serve does not run (Debian ships no MongoDB server)" in line
    assert line.endswith("run one there")


def test_a_sql_server_client_is_said(tmp_path):
    # a 2023 Falcon sample: create_engine('{engine}://...'.format(**settings.SQLSERVER)) with mssql+pymssql and a
    # compose SQL Server; /dogs answered 500 and serve said nothing of the server it does not run
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "falcon\nsqlalchemy\npymssql\n",
        "settings.py": "SQLSERVER = {'engine': 'mssql+pymssql', 'username': 'sa', 'host': 'db'}\n",
        "app.py": "import falcon\nfrom sqlalchemy import create_engine\nimport settings\n"
                  "engine = create_engine('{engine}://{username}@{host}/master'.format(**settings.SQLSERVER))\n"
                  "app = falcon.App()\n"})
    plan = make_plan(root, confirm=False)
    [line] = unrun_services(plan, root, {})
    assert "the app uses SQL Server (pymssql, requirements.txt), which serve does not run (Debian ships no SQL " \
           "Server)" in line
    assert line.endswith("run one where the app looks for it")
