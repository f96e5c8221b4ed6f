"""A MySQL driver the app's own code imports by name (`import MySQLdb` in a DB-API wrapper that connects with the
values of its own variables, DB_MASTER_HOST...) is selected by that import: no URL, engine or dialect names MySQL,
but the app cannot be imported without it, so an install that does not build it is not "a driver nothing selects"
to leave out (a hug app of 2016 then stopped at `import MySQLdb`)."""

from __future__ import annotations

from shipyard.detect import services

from test_services import dep, make_project

WRAPPER = ("import os\nimport MySQLdb\n\n\ndef get_db():\n    return MySQLdb.connect(host=os.environ.get('DB_MASTER_HOST'),"
           " user=os.environ.get('DB_MASTER_UID'))\n")
DECLARED = (dep("hug"), dep("mysqlclient"), dep("PyMySQL"))


def test_a_driver_the_code_imports_is_selected_and_one_it_does_not_is_not(tmp_path):
    project = make_project(tmp_path, {"app.py": "import hug\nfrom dao.simplemysql import get_db\n",
                                      "dao/__init__.py": "", "dao/simplemysql.py": WRAPPER})
    assert services.unselected_drivers(project, DECLARED, {}) == {"pymysql": "MySQL"}


def test_an_import_from_a_drivers_submodule_selects_it_too(tmp_path):
    project = make_project(tmp_path, {"app.py": "import hug\nfrom pymysql.cursors import DictCursor\n"})
    assert services.unselected_drivers(project, DECLARED, {}) == {"mysqlclient": "MySQL"}


def test_with_no_import_both_stay_unselected(tmp_path):
    project = make_project(tmp_path, {"app.py": "import hug\n"})
    assert services.unselected_drivers(project, DECLARED, {}) == {"mysqlclient": "MySQL", "pymysql": "MySQL"}
