"""A distribution declared twice, the second time with extras (`pydantic` then `pydantic[dotenv]`): both lines'
extras are installed, as pip installs both lines."""

from __future__ import annotations

from conftest import make_tree
from shipyard.detect import deps
from shipyard.plan import Dependency
from shipyard.project import Project
from shipyard.detect.repeated_requirements import extras_of, joined


def _declared(tmp_path, files):
    return deps.declared(Project(make_tree(tmp_path, files)))


def test_a_repeated_line_with_extras_keeps_them(tmp_path):
    # the 2022 FastAPI + ormar example's requirements.txt, unpinned
    result = _declared(tmp_path, {"requirements.txt": "pydantic\npydantic[dotenv]\nfastapi\ndatabases[asyncpg]\n"
                                                      "ormar[postgresql]\nuvicorn\nsqlalchemy\n"})
    by_name = {d.name: d.requirement for d in result.dependencies}
    assert by_name["pydantic"] == "pydantic[dotenv]"
    assert by_name["databases"] == "databases[asyncpg]"
    assert any("declares pydantic twice" in n and "installed as pydantic[dotenv]" in n for n in result.notes), \
        result.notes


def test_extras_of_both_lines_and_the_version_of_the_same_file(tmp_path):
    result = _declared(tmp_path, {"requirements.txt": "uvicorn[standard]\nUvicorn[Standard]\nuvicorn[foo]==0.20\n"
                                                      "requests==2.31.0\nrequests[socks]\n"})
    by_name = {deps.normalize(d.name): d.requirement for d in result.dependencies}
    assert by_name["uvicorn"] == "uvicorn[foo,standard]==0.20"
    assert by_name["requests"] == "requests[socks]==2.31.0"


def test_across_two_manifests_only_extras_are_taken(tmp_path):
    # requirements.txt wins; pyproject's fastapi[all] range is for another install, but its extras are asked for
    result = _declared(tmp_path, {"requirements.txt": "fastapi\n",
                                  "pyproject.toml": '[project]\nname = "x"\nversion = "0"\n'
                                                    'dependencies = ["fastapi[all]>=0.100", "jinja2>=3"]\n'})
    by_name = {d.name: d for d in result.dependencies}
    assert by_name["fastapi"].requirement == "fastapi[all]"
    assert by_name["fastapi"].source == "requirements.txt"


def test_nothing_changes_when_the_repeat_adds_nothing_or_holds_only_under_a_marker():
    kept = Dependency("pydantic", "[dotenv]>=1.8", "requirements.txt")
    assert joined(kept, Dependency("pydantic", "", "requirements.txt")) == (kept, "")
    assert joined(kept, Dependency("pydantic", "[dotenv]", "requirements.txt")) == (kept, "")
    marked = Dependency("pydantic", '[email]; python_version < "3.8"', "requirements.txt")
    assert joined(kept, marked) == (kept, "")
    at_url = Dependency("pydantic", "[email] @ https://example.invalid/p.whl", "requirements.txt")
    assert joined(kept, at_url) == (kept, "")
    assert extras_of("[a, B]>=1") == {"a", "b"} and extras_of(">=1") == frozenset()
