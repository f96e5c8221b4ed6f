"""A Pony ORM app names its MySQL by a provider dict and nothing else (Flask-Pony's `PONY = {'provider': 'mysql',
'dbname': 'test'}`, README "flask+pony+mariadb"): no URL, no user, no host, so Pony's driver (PyMySQL, as
implied) connects to localhost:3306 as the OS user, with no password, into database test. serve's MariaDB gets
that login and database, on 3306 (here a held stand-in for it, so at another loopback address mapped in the app's
process). Before, the app reached whatever held 127.0.0.1:3306 ("Access denied for user 'root'@'127.0.0.1'")."""

from __future__ import annotations

import getpass
import subprocess

from shipyard.planner import make_plan
from shipyard.run import database, mysql_database

from conftest import make_tree, require_tool
from serveutil import held_loopback_port, processes_mentioning, serves_database_environ

PONY_FILES = {
    "manage.py": """
        from flask import Flask
        from db.mypony import pony

        app = Flask(__name__)
        app.config.from_object('settings.Config')
        pony.init_app(app)
        pony.connect()
        """,
    "db/__init__.py": "",
    "db/mypony.py": "from flask_pony import Pony\npony = Pony()\n",
    "settings.py": """
        class Config(object):
            PONY = {
                'provider': 'mysql',
                'dbname': 'test'
            }
        """,
}


def test_a_pony_provider_dict_gets_its_database_for_the_os_user_on_the_port_the_driver_defaults_to(tmp_path, monkeypatch):
    require_tool("mariadb-install-db")
    root = make_tree(tmp_path / "mag", PONY_FILES)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.needs_mysql and any(d.name == "PyMySQL" for d in plan.dependencies)
    said: list[str] = []
    user = getpass.getuser()
    with held_loopback_port() as held, serves_database_environ(tmp_path / "data") as environ:
        monkeypatch.setattr(mysql_database, "DEFAULT_PORT", held)    # stands in for 3306, which the driver connects to
        with database.app_database(plan, root, say=said.append, environ=environ) as db:
            assert any(f"settings.py:2 writes the app's database: its MariaDB gets user {user} and database test"
                       in line for line in said), said
            assert db.parts["port"] == str(held) and db.parts["host"] != "127.0.0.1", said
            # the login Pony's driver uses (the OS user, no password) gets into database test there
            login = subprocess.run(["mariadb", "--no-defaults", "-h", db.parts["host"], "-P", str(held), "-u", user,
                                    "test", "-e", "SELECT DATABASE()"], capture_output=True, text=True, timeout=30)
            assert login.returncode == 0 and "test" in login.stdout, login.stderr
            assert "SHIPYARD_HOST_ALIASES" in db.environ    # localhost:held mapped to it in the app's process
            folder = db.folder
        assert processes_mentioning(str(folder)) == []
