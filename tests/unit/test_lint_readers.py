"""lint's readers: command lines seen through their wrappers, nginx and compose with their lines."""

from __future__ import annotations

import pytest

from shipyard.lint.readers import command, compose, dockerfile, nginx, shell


@pytest.mark.parametrize("argv, program, wrapped, workers", [
    (["gunicorn", "-w", "4", "manager:app", "-b", "0.0.0.0:8123"], "gunicorn", False, "4"),
    (["gunicorn", "-w4", "-b:5000", "wsgi:app"], "gunicorn", False, "4"),
    (["/bin/sh", "-c", "gunicorn --workers=3 app:app"], "gunicorn", True, "3"),
    (["sh", "-c", "exec gunicorn app:app"], "gunicorn", False, None),
    (["gosu", "app", "uwsgi", "--ini", "app.ini", "--processes", "2"], "uwsgi", False, "2"),
    (["uv", "run", "--frozen", "granian", "--workers", "2", "app:app"], "granian", False, "2"),
    (["tini", "--", "uvicorn", "main:app", "--workers", "4"], "uvicorn", False, "4"),
    (["python", "-m", "flask", "run", "--host=0.0.0.0"], "flask-run", False, None),
    (["python", "manage.py", "runserver", "0.0.0.0:8000"], "runserver", False, None),
    (["python3", "app/app.py"], "python-script", False, None),
    (["pip3", "install", "-r", "requirements.txt"], "installer", False, None),
    (["/bin/bash", "/entry-point.sh"], "shell-script", False, None),
    (["/opt/venv/bin/python", "/app/shipyard_runtime.py", "start", "--", "/opt/venv/bin/gunicorn", "-c",
      "/app/gunicorn.conf.py"], "gunicorn", False, None),
    (["/opt/venv/bin/python", "/app/shipyard_runtime.py", "granian"], "granian", False, None),
])
def test_command_lines(argv, program, wrapped, workers):
    cmd = command.parse(argv)
    assert (cmd.program, cmd.wrapped_by_shell, cmd.opt("workers")) == (program, wrapped, workers)


def test_shell_steps_keep_lines_exec_and_background():
    steps = shell.read("#!/bin/sh\nset -e\nif [ -e x ]; then\n  pip install -r r.txt\nfi\n"
                       "nginx &\nexec gunicorn \\\n  app:app\n")
    assert [(s.line, s.segment.argv[0], s.segment.exec_, s.segment.background) for s in steps] == [
        (4, "pip", False, False), (6, "nginx", False, True), (7, "gunicorn", True, False)]


def test_nginx_directives_lines_and_quotes():
    conf = nginx.read("n.conf", 'upstream app { server web:8000; }\nserver {\n  listen 80;\n'
                                '  location / { proxy_pass http://app; add_header X "a;b"; }\n}\n')
    passes = conf.find("proxy_pass")
    assert [(d.args, d.line) for d in passes] == [(["http://app"], 4)]
    assert conf.find("add_header")[0].args == ["X", "a;b"] and not conf.error


@pytest.mark.parametrize("item, host, target", [
    ("5432:5432", "", 5432), ("127.0.0.1:5432:5432", "127.0.0.1", 5432), ("5432", "", 5432),
    ("[::1]:8080:80", "::1", 80), ("8000-8001:8000", "", 8000), ("9091:9091/udp", "", 9091),
])
def test_compose_port_forms(item, host, target):
    data = compose.read("c.yaml", f"services:\n  s:\n    image: x\n    ports:\n      - \"{item}\"\n")
    assert data.services["s"].ports() == [(host, target, 5)]


def test_dockerfile_continuations_stages_and_forms():
    doc = dockerfile.read("Dockerfile", "FROM a AS build\nRUN x \\\n  # note\n  && y\nFROM b\n"
                                        "CMD gunicorn app:app\nENTRYPOINT [\"tini\", \"--\"]\n")
    assert doc.stage_names == ["build", ""]
    run = doc.stage(0)[1]
    assert (run.cmd, run.line, run.args) == ("RUN", 2, "x && y")
    assert doc.last("CMD").exec_form is None and doc.last("ENTRYPOINT").exec_form == ["tini", "--"]
