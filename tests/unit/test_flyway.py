"""Flyway's SQL migrations (detect/flyway.py): which folder holds them (the flyway image's mount in the app's
compose file, flyway.conf/flyway.toml, Flyway's own flyway/sql layout) and the release that applies them."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect import flyway
from shipyard.planner import make_plan
from shipyard.project import Project

APP = "import os\nimport psycopg\nfrom starlette.applications import Starlette\napp = Starlette()\n"
COMPOSE = """services:
  app:
    build: .
  flyway:
    image: "flyway/flyway:10"
    command: -url=jdbc:postgresql://db:5432/app -user=postgres -password=pw migrate
    volumes:
      - ./db/migrations:/flyway/sql
"""


@pytest.mark.parametrize("files, found", [
    # the compose service running the flyway image, with the folder mounted where the image reads its SQL
    ({"docker-compose.yml": COMPOSE, "db/migrations/V1__init.sql": "CREATE TABLE t (id int);"},
     ("db/migrations", "docker-compose.yml's service 'flyway' (the flyway image)")),
    ({"flyway.conf": "flyway.url=jdbc:postgresql://localhost/app\nflyway.locations=filesystem:sql/schema\n",
      "sql/schema/V1_1__init.sql": "CREATE TABLE t (id int);"}, ("sql/schema", "flyway.conf")),
    ({"flyway.toml": '[flyway]\nlocations = ["filesystem:migrations"]\n',
      "migrations/V2__init.sql": "CREATE TABLE t (id int);"}, ("migrations", "flyway.toml")),
    ({"flyway/sql/V1__init.sql": "CREATE TABLE t (id int);"}, ("flyway/sql", "Flyway's folder layout")),
    # the mounted folder holds no versioned file; SQL files of another kind are not Flyway's
    ({"docker-compose.yml": COMPOSE, "db/migrations/README.md": "later"}, None),
    ({"sql/001_init.sql": "CREATE TABLE t (id int);"}, None),
])
def test_the_folder_of_the_apps_flyway_migrations(tmp_path, files, found):
    assert flyway.folder(Project(make_tree(tmp_path, {"app.py": APP, **files}))) == found


def test_the_release_applies_them_with_the_apps_interpreter_and_says_where_they_come_from(tmp_path):
    root = make_tree(tmp_path, {"app.py": APP, "requirements.txt": "starlette\npsycopg[binary]\n",
                                "docker-compose.yml": COMPOSE, "db/migrations/V1__init.sql": "CREATE TABLE t (id int);"})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release.argv == ("python", "-c", flyway.MIGRATE, "db/migrations")
    assert plan.release.workdir == "."
    assert plan.release.what == "Flyway's SQL migrations in db/migrations/ (applied as flyway migrate does)"
    assert any("flyway_schema_history" in note for note in plan.notes)


def test_the_checksum_is_flyways_crc32_of_the_lines_without_their_ends():
    # what Flyway 9/10 records for a file (ChecksumCalculator: CRC32 over each line read without its line end,
    # a leading BOM dropped), as a signed 32-bit int; computed here by the release script's own function
    scope: dict = {}
    source = flyway.MIGRATE.split("HISTORY = ", 1)[0].split("def checksum", 1)[1]
    exec("import zlib\ndef checksum" + source, scope)
    import zlib
    want = zlib.crc32(b"SELECT 1;", zlib.crc32(b"CREATE TABLE t (id int);"))
    assert scope["checksum"]("CREATE TABLE t (id int);\nSELECT 1;\n") == want - (1 << 32) * (want >= 1 << 31)
    assert scope["checksum"]("\ufeffCREATE TABLE t (id int);\r\nSELECT 1;") == scope["checksum"](
        "CREATE TABLE t (id int);\nSELECT 1;\n")
