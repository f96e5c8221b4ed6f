"""MariaDB's installer, when it fails: tried once more from an empty data folder, and said by its first error (the
cause), not by the "[ERROR] Aborting" its output ends with. A corpus run on a loaded machine (session 26) stopped at
"mariadb-install-db .../server/data failed: ... [ERROR] Aborting", and the same app's next run passed. The failure
here is a real one: a stray InnoDB system file in the data folder (what an install killed halfway leaves)."""

from __future__ import annotations

import pytest

from conftest import require_tool
from shipyard.errors import ShipyardError
from shipyard.run import mariadb

pytestmark = pytest.mark.slow


def _server(tmp_path):
    require_tool("mariadb-install-db")
    programs = mariadb.find_programs()
    assert programs is not None
    data = tmp_path / "server" / "data"
    data.mkdir(parents=True)
    (data / "ibdata1").write_bytes(b"\x5a" * 65536)          # no InnoDB can start on it
    return mariadb.MariaDBServer(programs, data, tmp_path / "run", 3306, tmp_path / "server" / "server.log")


def test_a_failed_install_is_tried_again_from_an_empty_folder(tmp_path):
    server = _server(tmp_path)
    server.init()
    assert server.initialized
    assert "InnoDB" in (tmp_path / "server" / "install.log").read_text()      # the first run's output, kept


def test_a_failure_is_said_by_its_first_error_and_the_output_is_kept(tmp_path):
    server = _server(tmp_path)
    with pytest.raises(ShipyardError) as failed:
        server.init(attempts=1)
    message = failed.value.message
    assert message.startswith("mariadb-install-db ") and " failed: InnoDB: " in message, message
    assert "Aborting" not in message
    kept = tmp_path / "server" / "install.log"
    assert str(kept) in failed.value.hint and "[ERROR] Aborting" in kept.read_text()
    assert not server.data.exists()                 # half made: made again next time


def test_the_first_error_is_the_cause():
    said = ("2026-12-06 18:44:54 0 [ERROR] InnoDB: File ./ib_logfile0 was not found\n"
            "2026-12-06 18:44:54 0 [ERROR] Unknown/unsupported storage engine: InnoDB\n"
            "2026-12-06 18:44:54 0 [ERROR] Aborting\n")
    assert mariadb.install_error(said) == "InnoDB: File ./ib_logfile0 was not found"
    assert mariadb.install_error("2026-12-06 18:36:29 0 [ERROR] Aborting\n") == "Aborting"
    assert mariadb.install_error("mysql_install_db: no such option\n") == "mysql_install_db: no such option"
