"""Which tests go to the engine's xdist group (tests/conftest.py): a test whose own code, fixture, or a helper of its
module that it calls (in turn) needs the engine; not the other tests of the same module. The sample modules are
written at run time, so this file names no engine mark itself (it would put its own tests in the engine group)."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

from conftest import _code_uses_engine

MARK = "require_engine" + "()"
IMAGE = "image_of" + "(plan, root, base)"


def _module(tmp_path: Path, name: str, text: str):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_test_naming_a_mark_itself_or_through_its_modules_helpers_uses_the_engine(tmp_path):
    sample = _module(tmp_path, "sample_engine_module", f"""
        def {MARK}:
            pass

        def {IMAGE.replace("plan, root, base", "*args")}:
            pass

        def _deep():
            {MARK}

        def _helper():
            return _deep()

        def test_direct():
            {MARK}

        def test_through_helpers():
            _helper()

        def test_in_a_nested_function():
            def inner():
                return _helper()
            return inner

        def test_image():
            plan = root = base = None
            with {IMAGE}:
                pass

        def test_serves_only():
            return sorted([3, 1])
        """)
    assert _code_uses_engine(sample.test_direct)
    assert _code_uses_engine(sample.test_through_helpers)
    assert _code_uses_engine(sample.test_in_a_nested_function)
    assert _code_uses_engine(sample.test_image)
    assert not _code_uses_engine(sample.test_serves_only)


def test_helpers_calling_each_other_end_the_search(tmp_path):
    sample = _module(tmp_path, "sample_cycle_module", """
        def _ping(n):
            return _pong(n - 1) if n else 0

        def _pong(n):
            return _ping(n)

        def test_cycle():
            _ping(3)
        """)
    assert not _code_uses_engine(sample.test_cycle)


# what a stack module names, built here so that this file names none of them
UP, SWARM, COMPOSE, PODMAN = '"' + 'up"', '"' + 'swarm"', "docker" + "-compose", "pod" + "man"


def test_a_module_bringing_a_stack_up_goes_to_the_stacks_group_and_an_image_build_to_the_other(tmp_path):
    import conftest
    for n, mark in enumerate((UP, SWARM, COMPOSE, PODMAN)):
        stack = tmp_path / f"test_stack_{n}.py"
        stack.write_text(f"def test_stack():\n    run([*SHIPYARD, {mark}, 'app'])\n")
        assert conftest._engine_group(stack) == "engine-stacks", mark
    build = tmp_path / "test_image.py"
    build.write_text("def test_build():\n    run([*SHIPYARD, 'build', 'app', '--tag', 'ci/app:1'])\n")
    assert conftest._engine_group(build) == "engine"


class _Item:
    """What pytest_collection_modifyitems reads of a collected test."""

    def __init__(self, path, engine: bool):
        self.fspath, self.engine, self.group = path, engine, None

    def get_closest_marker(self, name):
        return self.engine if name == "engine" else None

    def add_marker(self, mark):
        self.group = mark.args[0]


def test_the_two_engine_groups_go_out_first_each_whole_before_every_other_group(tmp_path, monkeypatch):
    import conftest
    monkeypatch.setattr(conftest, "ROOT", tmp_path)
    (tmp_path / "test_stack.py").write_text(f"def test_up():\n    run([*SHIPYARD, {UP}, 'app'])\n")
    (tmp_path / "test_image.py").write_text("def test_build():\n    pass\n")
    (tmp_path / "test_quick.py").write_text("def test_quick():\n    pass\n")
    quick, stack, image = tmp_path / "test_quick.py", tmp_path / "test_stack.py", tmp_path / "test_image.py"
    items = [_Item(quick, False), _Item(stack, True), _Item(image, True), _Item(quick, False), _Item(stack, True),
             _Item(image, True)]
    conftest.pytest_collection_modifyitems(None, items)
    assert [(i.fspath.name, i.group) for i in items] == [
        ("test_image.py", "engine"), ("test_image.py", "engine"),
        ("test_stack.py", "engine-stacks"), ("test_stack.py", "engine-stacks"),
        ("test_quick.py", "test_quick.py"), ("test_quick.py", "test_quick.py")]
