"""An app whose code hands the URL it reads to psycopg2 itself (`psycopg2.connect(os.environ["DATABASE_URL"])`,
raw SQL, as course APIs write) is given the plain postgresql:// scheme, even when its freeze also lists
Flask-SQLAlchemy: libpq refuses SQLAlchemy's postgresql+psycopg2:// ("invalid dsn"), which stopped such an app
at import under serve. An app whose SQLAlchemy reads the URL keeps the driver's scheme."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard import dburl
from shipyard.detect.libpq_urls import libpq_url_variables
from shipyard.planner import make_plan
from shipyard.project import Project

FREEZE = "Flask==2.2.2\nFlask-Cors==3.0.10\nFlask-SQLAlchemy==2.4.3\nSQLAlchemy==1.3.18\npsycopg2-binary==2.9.5\n"

# the course API's shape: a folder with no __init__.py, tables made with raw SQL at import
RAW_SQL_APP = {
    "app/database.py": "import os\nimport psycopg2\n\n\nclass Database:\n    def connect_to_db():\n"
                       "        connect = psycopg2.connect(os.environ['DATABASE_URL'])\n"
                       "        connect.autocommit = True\n        return connect.cursor()\n",
    "app/app.py": "from flask import Flask, jsonify\nfrom flask_cors import CORS\nfrom app.database import Database\n\n"
                  "app = Flask(__name__)\nCORS(app)\nDatabase.connect_to_db()\n\n\n@app.get('/api/items')\n"
                  "def items():\n    return jsonify([])\n",
    "manage.py": "from app.app import app\n\nif __name__ == '__main__':\n    app.run()\n",
    "requirements.txt": FREEZE,
}


def plan_of(root):
    return make_plan(root, confirm=False, installed=False)


def test_a_url_handed_to_psycopg2_gets_the_plain_scheme_despite_a_declared_flask_sqlalchemy(tmp_path):
    make_tree(tmp_path, RAW_SQL_APP)
    assert libpq_url_variables(Project(tmp_path)) == ("DATABASE_URL",)
    assert dburl.url_scheme(plan_of(tmp_path)) == "postgresql"


def test_a_url_bound_to_a_module_name_first_counts_too(tmp_path):
    make_tree(tmp_path, {**RAW_SQL_APP, "app/database.py":
                         "import os\nimport psycopg2\n\nDB_URL = os.getenv('DB_URL')\n\n\ndef cursor():\n"
                         "    return psycopg2.connect(dsn=DB_URL).cursor()\n"})
    assert libpq_url_variables(Project(tmp_path)) == ("DB_URL",)
    assert dburl.url_scheme(plan_of(tmp_path)) == "postgresql"


@pytest.mark.parametrize("database_py", [
    # SQLAlchemy reads the URL: it wants the driver named (2.1 opens a plain one with psycopg 3)
    "import os\nfrom flask_sqlalchemy import SQLAlchemy\n\nURI = os.environ['DATABASE_URL']\ndb = SQLAlchemy()\n",
    # psycopg2 given the parts, not a URL
    "import os\nimport psycopg2\n\n\ndef cursor():\n    return psycopg2.connect(host=os.environ['DB_HOST'], "
    "dbname='app').cursor()\n",
])
def test_an_app_that_hands_no_url_to_libpq_keeps_the_drivers_scheme(tmp_path, database_py):
    make_tree(tmp_path, {**RAW_SQL_APP, "app/database.py": database_py,
                         "app/app.py": "from flask import Flask\nimport app.database\n\napp = Flask(__name__)\n"})
    assert libpq_url_variables(Project(tmp_path)) == ()
    assert dburl.url_scheme(plan_of(tmp_path)) == "postgresql+psycopg2"


def test_libpq_itself_takes_the_plain_url_and_refuses_the_drivers_one():
    # psycopg2's own parser (libpq's rules), as the app's connect call meets the URL serve gives
    from psycopg2 import extensions      # the dev environment has psycopg2-binary
    assert extensions.parse_dsn("postgresql://app:pw@127.0.0.1:5432/app")["host"] == "127.0.0.1"
    with pytest.raises(Exception, match="invalid dsn"):
        extensions.parse_dsn("postgresql+psycopg2://app:pw@127.0.0.1:5432/app")
