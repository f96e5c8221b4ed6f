"""An app whose module makes a Kafka producer at import (a 2019 Sanic test task's service_api/kafka_producer.py:
`producer = KafkaProducer(bootstrap_servers=['0.0.0.0:9092'])`, imported by its resources) cannot import where no
broker answers: kafka-python raises NoBrokersAvailable, whose text is only its name. serve runs no Kafka; the import
proof says the app connects to Kafka, which serve does not run, and where to start one, instead of asking to fix
the app's code. Real kafka-python 1.4.3 (the app's pin) installed with uv, its broker address a closed loopback port of this helper's."""

from __future__ import annotations

import os
import socket
import subprocess

import pytest

from shipyard.detect import entry
from shipyard.errors import AppConfigError
from shipyard.project import Project

from conftest import make_tree, require_tool


def _closed_port() -> int:
    """A port of this helper's range nothing listens on."""
    for port in range(23600, 23700):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no closed port in 23600-23699")


def test_a_kafka_producer_made_at_import_is_said_to_need_a_broker_serve_does_not_run(tmp_path):
    uv = require_tool("uv")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", "-p", "python3", str(venv)], check=True, timeout=120)
    subprocess.run([uv, "pip", "install", "-q", "kafka-python==1.4.3"], check=True, timeout=300,
                   env={**os.environ, "VIRTUAL_ENV": str(venv)})
    root = make_tree(tmp_path / "contracts", {
        "producer.py": f"""
            from kafka import KafkaProducer

            producer = KafkaProducer(bootstrap_servers=["127.0.0.1:{_closed_port()}"])
            """,
        "wsgi.py": """
            from producer import producer


            def application(environ, start_response):
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [b"ok"]
            """,
        "requirements.txt": "kafka-python\n"})
    found = entry.find(Project(root), None)
    assert found.entry.target == "wsgi:application"
    with pytest.raises(AppConfigError) as raised:
        entry.confirm(Project(root), found, str(venv / "bin" / "python"), 60.0)
    message = str(raised.value)
    assert message.startswith("producer.py:3: importing wsgi:application connects to Kafka (kafka), which serve does "
                              "not run: NoBrokersAvailable"), message
    assert raised.value.hint.startswith("start Kafka where the app connects (localhost:9092 unless its settings say "
                                        "otherwise)"), raised.value.hint
