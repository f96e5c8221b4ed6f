"""cachefile.read_records / write_records: the shape every fact file in Shipyard's cache shares."""

from dataclasses import dataclass

from shipyard import cachefile


@dataclass(frozen=True)
class Fact:
    release: str
    python: str
    against: tuple[str, ...] = ()


def test_records_round_trip(tmp_path):
    facts = [Fact("a==1", "3.11", ("b==2", "c==3")), Fact("d==4", "3.9")]
    cachefile.write_records(tmp_path / "facts.json", "facts", facts)
    assert cachefile.read_records(tmp_path / "facts.json", "facts", Fact) == tuple(facts)


def test_missing_field_takes_its_default_and_a_required_one_drops_the_file(tmp_path):
    path = tmp_path / "facts.json"
    cachefile.write(path, {"facts": [{"release": "a==1", "python": 3.11}]})
    assert cachefile.read_records(path, "facts", Fact) == (Fact("a==1", "3.11"),)
    cachefile.write(path, {"facts": [{"release": "a==1"}]})
    assert cachefile.read_records(path, "facts", Fact) == ()


def test_unreadable_or_foreign_files_read_as_nothing(tmp_path):
    path = tmp_path / "facts.json"
    assert cachefile.read_records(path, "facts", Fact) == ()
    path.write_text("{not json")
    assert cachefile.read_records(path, "facts", Fact) == ()
    cachefile.write(path, ["a list"])
    assert cachefile.read_records(path, "facts", Fact) == ()
    cachefile.write(path, {"facts": "a string"})
    assert cachefile.read_records(path, "facts", Fact) == ()
