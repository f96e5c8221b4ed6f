"""When the server install has to move some of the app's pins (uvicorn needs a later h11 than Hypercorn 0.2's
0.7), the moved releases are of a later day, and may import what only later releases of their own dependencies
have, which their metadata does not bound: h11 0.14 requires typing_extensions with no floor and imports its
Literal (3.7.4+), under the app's typing-extensions==3.6.5. server_fit.left_behind names those pins to move too."""

from conftest import make_tree
from shipyard.environments import Environment
from shipyard.run.server_fit import left_behind, unbounded_requirements

H11 = ("Metadata-Version: 2.1\nName: h11\nVersion: 0.14.0\n"
       "Requires-Dist: typing_extensions ; python_version < \"3.8\"\n"
       "Requires-Dist: pytest (>=6) ; extra == \"test\"\n\n")


def _venv(tmp_path):
    make_tree(tmp_path / "venv", {
        "bin/python": "",
        "lib/python3.7/site-packages/h11-0.14.0.dist-info/METADATA": H11,
        "lib/python3.7/site-packages/click-8.1.8.dist-info/METADATA": "Name: click\nVersion: 8.1.8\n"
                                                                       "Requires-Dist: colorama; platform_system == 'Windows'\n",
        "lib/python3.7/site-packages/typing_extensions-3.6.5.dist-info/METADATA": "Name: typing_extensions\n",
    })
    return Environment(str(tmp_path / "venv" / "bin" / "python"), "the app's .venv")


def test_a_pin_a_moved_release_requires_without_a_bound_moves_too(tmp_path):
    before = ("click==6.7", "h11==0.7.0", "typing-extensions==3.6.5", "quart==0.6.6")
    after = ("click==8.1.8", "h11==0.14.0", "typing-extensions==3.6.5", "quart==0.6.6", "uvicorn==0.22.0")
    assert left_behind(_venv(tmp_path), before, after) == ("typing-extensions==3.6.5",)


def test_nothing_moved_or_nothing_required_leaves_the_pins(tmp_path):
    env = _venv(tmp_path)
    pins = ("h11==0.14.0", "typing-extensions==3.6.5")
    assert left_behind(env, pins, pins) == ()
    # the dependency moved too already: nothing left behind
    assert left_behind(env, ("h11==0.7.0", "typing-extensions==3.6.5"),
                       ("h11==0.14.0", "typing-extensions==4.7.1")) == ()


def test_requirements_with_a_bound_or_of_an_extra_are_not_unbounded():
    assert unbounded_requirements(H11) == ("typing_extensions",)
    assert unbounded_requirements("Requires-Dist: anyio (<5,>=3.4.0)\nRequires-Dist: idna>=2.8\n"
                                  "Requires-Dist: sniffio\nRequires-Dist: uvloop[x]; sys_platform != 'win32'\n") \
        == ("sniffio", "uvloop")
