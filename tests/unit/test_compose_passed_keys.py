"""A key the app's code requires at import that its compose files take from the shell of whoever runs them, with
no value of their own (`GEOCODING_KEY=$GEOCODING_KEY` in docker-compose.test.yml, the main compose file reading an
uncommitted .env): listed for the user to fill, as an example env file's empty slot lists it. serve and dev run the
app with the marked placeholder, so its pages that do not use the key answer; the proof and the image get none."""

from __future__ import annotations

from conftest import make_tree
from shipyard import appconfig
from shipyard.detect import compose_env
from shipyard.project import Project

APP = {
    "app.py": "import os\nfrom flask import Flask\nfrom geo import token\n\napp = Flask(__name__)\n\n\n"
              "@app.route('/index')\ndef index():\n    return 'Welcome'\n",
    "geo.py": "import os\n\nGEO_TOKEN = os.environ['GEOCODING_KEY']\n\n\ndef token():\n    return GEO_TOKEN\n",
    "requirements.txt": "flask\n",
    "Dockerfile": "FROM python:3.7-slim\nCOPY . /app\n",
    "docker-compose.yml": "services:\n  web:\n    build: .\n    env_file:\n      - .env\n"
                          "    command: [\"gunicorn\", \"app:app\"]\n",
    "docker-compose.test.yml": "version: '3'\nservices:\n  web:\n    build: .\n    environment:\n"
                               "      - GEOCODING_KEY=$GEOCODING_KEY\n      - MAPS_KEY=${MAPS_KEY:?set it}\n"
                               "      - SENTRY_DSN\n      - REGION=${REGION:-eu}\n"
                               "      - DATABASE_URL=postgresql://app:app@db/app\n  db:\n    image: postgres\n"
                               "    environment:\n      - POSTGRES_PASSWORD=$PG_PASSWORD\n",
}


def test_the_keys_a_compose_file_takes_from_the_shell_are_listed(tmp_path):
    make_tree(tmp_path, APP)
    # not REGION (its own default), not DATABASE_URL (a value), not the database service's variable
    assert compose_env.left_to_fill(Project(tmp_path)) == {
        "GEOCODING_KEY": "docker-compose.test.yml", "MAPS_KEY": "docker-compose.test.yml",
        "SENTRY_DSN": "docker-compose.test.yml"}


def test_one_the_compose_files_own_env_gives_is_not(tmp_path):
    make_tree(tmp_path, {**APP, ".env.example": "GEOCODING_KEY=demo-key\n"})
    assert "GEOCODING_KEY" not in compose_env.left_to_fill(Project(tmp_path))


def test_serve_runs_the_app_with_a_marked_placeholder_and_the_proof_gets_none(tmp_path):
    make_tree(tmp_path, APP)
    served = appconfig.run_config(tmp_path, ".", {}, mode="serve", entry_module="app")
    assert dict(served.variables)["GEOCODING_KEY"] == appconfig.PLACEHOLDER
    assert any("PLACEHOLDERS" in n and "GEOCODING_KEY" in n and "docker-compose.test.yml" in n for n in served.notes)
    proof = appconfig.run_config(tmp_path, ".", {}, mode="proof", entry_module="app")
    assert "GEOCODING_KEY" not in dict(proof.variables)
    assert appconfig.placeheld_names(Project(tmp_path), ".", "app", ("GEOCODING_KEY",)) == ("GEOCODING_KEY",)


def test_a_read_with_a_default_gets_no_placeholder(tmp_path):
    make_tree(tmp_path, {**APP, "geo.py": "import os\n\nGEO_TOKEN = os.environ.get('GEOCODING_KEY', '')\n"})
    served = appconfig.run_config(tmp_path, ".", {}, mode="serve", entry_module="app")
    assert "GEOCODING_KEY" not in dict(served.variables)
