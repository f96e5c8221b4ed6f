"""shipyard lint: every rule's own example, the seeds' mistakes in fixtures written in their style,
[tool.shipyard.lint], the output formats and the exit status."""

from __future__ import annotations

import json
import re

import pytest

from conftest import FIXTURES, ROOT, make_tree, require_tool
from shipyard.__main__ import main
from shipyard.errors import SettingError
from shipyard.lint import RULES, lint
from shipyard.lint.config import load
from shipyard.lint.docs import markdown
from shipyard.lint.model import SEVERITIES
from shipyard.planner import make_plan

LINT_FIXTURES = FIXTURES / "lint"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_example_is_found_and_its_fix_is_clean(rule, tmp_path):
    bad = lint(make_tree(tmp_path / "bad", rule.example.bad), use_hadolint=False)
    assert rule.example.at in [(f.path, f.line) for f in bad.findings if f.rule == rule.id], bad.findings
    good = lint(make_tree(tmp_path / "good", rule.example.good), use_hadolint=False)
    assert [f for f in good.findings if f.rule == rule.id] == []


def test_rule_table_is_well_formed():
    assert len({r.name for r in RULES}) == len(RULES)
    for rule in RULES:
        assert re.fullmatch(r"SY\d{3}", rule.id) and rule.severity in SEVERITIES
        assert rule.title and rule.why and rule.example.bad and rule.example.good
        assert rule.example.at[0] in rule.example.bad


# The mistakes each seed shows, as shipyard's findings (rule, file, line) on fixtures written in its style.
SEEDS = {
    "seed000": {("SY103", "Dockerfile", 5), ("SY102", "Dockerfile", 18), ("SY204", "supervisord.conf", 5),
                ("SY304", "supervisord.conf", 5), ("SY207", "supervisord.conf", 9)},
    "seed001": {("SY101", "Dockerfile", 15), ("SY102", "Dockerfile", 13), ("SY204", "Dockerfile", 15),
                ("SY304", "Dockerfile", 15), ("SY502", "manager.py", 4)},
    "seed001-pipreqs": {("SY601", "Dockerfile", 4), ("SY601", "Dockerfile", 8), ("SY304", "Dockerfile", 8),
                        ("SY502", "manager.py", 4)},
    "seed002": {("SY104", "Dockerfile", 8), ("SY202", "docker-compose.yml", 6), ("SY402", "docker-compose.yml", 12),
                ("SY501", "docker-compose.yml", 13)},
    "seed003": {("SY104", "Dockerfile", 3), ("SY102", "Dockerfile", 21), ("SY105", "Dockerfile", 16),
                ("SY308", "nginx.conf", 16), ("SY204", "app.ini", 9),
                ("SY206", "app.ini", 1), ("SY501", "app/app.py", 14), ("SY203", "entry-point.sh", 7),
                ("SY203", "entry-point.sh", 10), ("SY202", "entry-point.sh", 27), ("SY201", "entry-point.sh", 30)},
    "seed004": {("SY104", "Dockerfile", 3), ("SY204", "hello-flask.ini", 11), ("SY305", "nginx/default.conf", 13),
                ("SY307", "hello-flask.ini", 6), ("SY307", "hello-flask.ini", 14)},
    "seed004-gunicorn": {("SY104", "Dockerfile", 3), ("SY302", "Dockerfile", 20), ("SY204", "hello-flask.ini", 11),
                         ("SY305", "nginx/default.conf", 13)},
    "seed004-flask-run": {("SY102", "Dockerfile", 12), ("SY202", "Dockerfile", 12)},
}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_mistakes_are_found_with_their_lines(name):
    result = lint(LINT_FIXTURES / name, use_hadolint=False)
    found = {(f.rule, f.path, f.line) for f in result.findings}
    assert found == SEEDS[name]
    assert all(f.why and f.fix and f.message for f in result.findings)


def test_every_seed_fixture_is_checked():
    assert {p.name for p in LINT_FIXTURES.iterdir() if p.is_dir()} == set(SEEDS)


def test_fix_is_the_line_init_writes():
    result = lint(LINT_FIXTURES / "seed000", use_hadolint=False)
    root = next(f for f in result.findings if f.rule == "SY102")
    assert root.fix.endswith("USER 10001:10001")
    workers = next(f for f in result.findings if f.rule == "SY204")
    assert 'workers = container_workers(_env_int("WEB_CONCURRENCY", 0), asgi=False)' in workers.fix


def test_hadolint_findings_are_merged_and_not_duplicated():
    require_tool("hadolint")
    result = lint(LINT_FIXTURES / "seed001", use_hadolint=True)
    shell_form = next(f for f in result.findings if f.rule == "SY101")
    assert shell_form.also == ("hadolint DL3025",)
    assert not any(f.rule == "DL3025" for f in result.findings)
    maintainer = lint(LINT_FIXTURES / "seed000", use_hadolint=True)
    assert any(f.rule == "DL4000" and f.tool == "hadolint" and f.line == 3 for f in maintainer.findings)


def _project(tmp_path, table: str):
    return make_tree(tmp_path / "app", {
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n",
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "pyproject.toml": f"[project]\nname = \"demo\"\ndependencies = [\"flask\", \"gunicorn\"]\n\n{table}\n"})


def test_disable_with_reason_switches_a_rule_off(tmp_path, capsys):
    root = _project(tmp_path, '[tool.shipyard.lint]\ndisable = {SY102 = "the platform sets the user", '
                              'SY304 = "a buffering load balancer is in front"}')
    assert main(["lint", str(root), "--no-hadolint"]) == 0
    out = capsys.readouterr().out
    assert "SY102" not in out.splitlines()[0] and "switched off" in out and "the platform sets the user" in out
    data = json.loads(_run(capsys, root, "--json")[1])
    assert {f["rule"]: f.get("suppressed") for f in data["findings"]}["SY102"] == "the platform sets the user"
    # the rest of [tool.shipyard] keeps working beside the lint table
    assert make_plan(root, confirm=False, installed=False).name == "demo"


@pytest.mark.parametrize("table, message", [
    ('[tool.shipyard.lint]\ndisable = {SY999 = "x"}', "unknown rule 'SY999'"),
    ('[tool.shipyard.lint]\ndisable = {SY102 = ""}', "disable.SY102 has no reason"),
    ('[tool.shipyard.lint]\ndisable = ["SY102"]', "disable must be a table"),
    ('[tool.shipyard.lint]\nfail-on = "fatal"', "fail-on = 'fatal' is not allowed"),
    ('[tool.shipyard.lint]\nignore = ["SY102"]', "unknown key 'ignore'"),
    ('[tool.shipyard]\nlint = "strict"', "is not a table"),
])
def test_bad_lint_table_is_one_clear_error(tmp_path, capsys, table, message):
    root = _project(tmp_path, table)
    assert main(["lint", str(root), "--no-hadolint"]) == 2
    err = capsys.readouterr().err
    assert message in err and "[tool.shipyard.lint]" in err and len(err.strip().splitlines()) == 1


def test_config_accepts_hadolint_ids():
    assert load({"disable": {"DL3008": "pinned by digest"}}).disable == {"DL3008": "pinned by digest"}
    with pytest.raises(SettingError):
        load({"hadolint": "yes"})


def _run(capsys, root, *args):
    code = main(["lint", str(root), "--no-hadolint", *args])
    return code, capsys.readouterr().out


def test_exit_status_follows_fail_on(capsys, tmp_path):
    seed = make_tree(tmp_path / "warnings", {"Procfile": "web: gunicorn -b 0.0.0.0:$PORT -w 4 run:app\n"})
    code, out = _run(capsys, seed)
    assert code == 0 and "SY204" in out           # a warning only
    assert _run(capsys, seed, "--fail-on", "warning")[0] == 1
    assert _run(capsys, LINT_FIXTURES / "seed001")[0] == 1
    assert _run(capsys, LINT_FIXTURES / "seed001", "--fail-on", "never")[0] == 0


def test_json_and_sarif_output(capsys):
    seed = LINT_FIXTURES / "seed001"
    data = json.loads(_run(capsys, seed, "--json")[1])
    assert {"rule", "severity", "path", "line", "message", "why", "fix", "tool"} <= set(data["findings"][0])
    sarif = json.loads(_run(capsys, seed, "--format", "sarif")[1])
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"] and result["level"] in ("error", "warning", "note")
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "SRCROOT" and location["region"]["startLine"] >= 1
    assert {"SY101", "SY502"} <= {r["ruleId"] for r in run["results"]}


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit):
        main(["lint", "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "--format sarif" in out and "--fail-on" in out


def test_folder_without_app_or_files_still_lints(tmp_path, capsys):
    root = make_tree(tmp_path / "bare", {"compose.yaml": "services:\n  db:\n    image: postgres:17\n    ports: ['5432:5432']\n"})
    code, out = _run(capsys, root)
    assert code == 1 and "SY401" in out and "no app plan" in out


def test_docs_are_up_to_date():
    committed = (ROOT / "docs" / "lint.md").read_text()
    assert committed == markdown(), "regenerate it: shipyard lint --docs > docs/lint.md"


def test_images_that_drop_privileges_themselves_are_not_root_findings(tmp_path):
    root = make_tree(tmp_path / "proxy", {"Dockerfile": "FROM --platform=linux/amd64 nginx:1.27\nCOPY nginx.conf /etc/nginx/conf.d/\n"})
    assert [f.rule for f in lint(root, use_hadolint=False).findings] == []


def test_a_distribution_named_after_the_import_covers_it(tmp_path):
    root = make_tree(tmp_path / "app", {
        "app.py": "import mysql.connector\nfrom flask import Flask\napp = Flask(__name__)\n",
        "requirements.txt": "Flask\nmysql-connector==2.2.9\ngunicorn\n",
        "Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n"
                      "USER 1000\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:$PORT\", \"app:app\"]\n"})
    assert [f.rule for f in lint(root, use_hadolint=False).findings if f.rule == "SY601"] == []


# More shapes of the same mistakes than the rules' own examples show.
CASES = [
    ({"gunicorn.conf.py": "import multiprocessing\nbind = '0.0.0.0:8000'\nworkers = multiprocessing.cpu_count() * 2 + 1\n"},
     "SY204", ("gunicorn.conf.py", 3)),
    ({"compose.yaml": "services:\n  web:\n    build: .\n    command: [\"uwsgi\", \"--http-socket\", \":8000\", \"--processes\", \"9\"]\n"
                      "    deploy:\n      resources:\n        limits:\n          cpus: \"2\"\n"},
     "SY205", ("compose.yaml", 4)),
    ({"Dockerfile": "FROM python:3.12-slim\nUSER 1000\nSTOPSIGNAL SIGQUIT\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:$PORT\", \"app:app\"]\n"},
     "SY206", ("Dockerfile", 3)),
    ({"supervisord.conf": "[supervisord]\nnodaemon=true\n\n[program:nginx]\ncommand=nginx -g 'daemon off;'\n"},
     "SY206", ("supervisord.conf", 4)),
    ({"Dockerfile": "FROM python:3.12-slim\nUSER 1000\nENV FLASK_DEBUG=1\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:$PORT\", \"app:app\"]\n"},
     "SY501", ("Dockerfile", 3)),
    ({"compose.yaml": "services:\n  app:\n    build: .\n    environment:\n      DATABASE_URL: postgresql://app:s3cret@db/app\n"},
     "SY402", ("compose.yaml", 5)),
    ({"Dockerfile": "FROM python:3.12-slim\nUSER 1000\nCMD [\"/bin/sh\", \"-c\", \"python manage.py migrate && gunicorn -b 0.0.0.0:$PORT app:app\"]\n"},
     "SY201", ("Dockerfile", 3)),
    ({"nginx.conf": "events {}\nhttp { server { listen 80; location / { proxy_pass http://127.0.0.1:8000; } } }\n",
      "Dockerfile": "FROM python:3.12-slim\nCOPY nginx.conf /etc/nginx/nginx.conf\nUSER 1000\n"
                    "CMD [\"supervisord\", \"-c\", \"/etc/supervisord.conf\"]\n",
      "supervisord.conf": "[supervisord]\nnodaemon=true\n[program:app]\ncommand=gunicorn -b unix:/tmp/app.sock app:app\n"},
     "SY302", ("supervisord.conf", 4)),
]


@pytest.mark.parametrize("files, rule, at", CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_more_shapes_of_the_mistakes(tmp_path, files, rule, at):
    result = lint(make_tree(tmp_path / "case", files), use_hadolint=False)
    assert at in [(f.path, f.line) for f in result.findings if f.rule == rule], result.findings


def test_development_files_are_listed_but_not_checked(tmp_path):
    root = make_tree(tmp_path / "app", {"Dockerfile.dev": "FROM python:3.12\nCMD [\"flask\", \"run\"]\n",
                                        "compose.dev.yaml": "services:\n  app:\n    environment: [DEBUG=1]\n"})
    result = lint(root, use_hadolint=False)
    assert result.files == {"Dockerfile.dev": "dockerfile-dev", "compose.dev.yaml": "compose-dev"}
    assert result.findings == []


def test_the_debug_start_warning_names_the_file_that_starts_it(tmp_path):
    # SY502's why said "one `python manager.py` away" whatever the file; a recipe site's app.py starts the debugger
    root = make_tree(tmp_path / "recipes", {
        "app.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/\")\ndef recipes():\n"
                  "    return \"soup\"\n\nif __name__ == \"__main__\":\n    app.run(debug=True)\n",
        "requirements.txt": "Flask\n"})
    found = [f for f in lint(root, use_hadolint=False).findings if f.rule == "SY502"]
    assert [(f.path, f.line) for f in found] == [("app.py", 9)], found
    assert "one `python app.py` away" in found[0].why and "manager.py" not in found[0].why, found[0].why
    # the rule's docs keep their example's file
    assert "one `python manager.py` away" in markdown()
