"""What a server needs of a package the app's environment already has, beyond what the server's releases
declare (deps.SERVER_NEEDS: granian's command line fails on click 8.0): found from the installed packages,
so a click that a dependency brought (uvicorn's, resolved as of the app's date) is upgraded too."""

from shipyard.run.server_fit import older_than_the_server_needs


def test_a_dependencys_click_older_than_granian_works_with_is_upgraded():
    pins = ("click==8.0.3", "starlette==0.17.1", "uvicorn==0.17.0")
    assert older_than_the_server_needs(("granian>=2.6",), pins) == (("click==8.0.3", "click>=8.1"),)


def test_a_new_enough_click_another_server_or_a_click_already_asked_for_adds_nothing():
    assert older_than_the_server_needs(("granian>=2.6",), ("click==8.1.7",)) == ()
    assert older_than_the_server_needs(("gunicorn>=23.0", "uvicorn-worker>=0.2"), ("click==8.0.3",)) == ()
    # the app's own click, pinned old, comes as a requirement of its own (deps.outdated_server_pins)
    assert older_than_the_server_needs(("granian>=2.6", "click>=8.1"), ("click==8.0.3",)) == ()
    # no click installed: granian brings its own
    assert older_than_the_server_needs(("granian>=2.6",), ("starlette==0.17.1",)) == ()
