"""What `shipyard build` says when the image's install step fails (build_errors.py): the package, why, and what
to do in an image (the base's Python, not --python)."""

from __future__ import annotations

from shipyard.build_errors import install_failure

STEP = "[builder 5/7] RUN /opt/uv/bin/uv pip install --python /opt/venv/bin/python -r requirements.txt"
# the lines uv prints inside a BuildKit build when a pin has no wheel for the base's Python and no compiler
NO_COMPILER = """\
#10 [builder 5/7] RUN /opt/uv/bin/uv pip install --python /opt/venv/bin/python -r requirements.txt
Resolved 14 packages in 1.21s
  × Failed to build `httptools==0.2.0`
  ├─▶ The build backend returned an error
  ╰─▶ Call to `setuptools.build_meta.build_wheel` failed (exit status: 1)
         running build_ext
         building 'httptools.parser.parser' extension
         error: [Errno 2] No such file or directory: 'x86_64-linux-gnu-gcc'
hint: Build failures usually indicate a problem with the package or the build environment
"""
DOCKERFILE = "# syntax\nARG BASE=python:3.9-slim-bookworm\nARG BUILDER=${BASE}\nFROM ${BUILDER} AS builder\n"


def test_a_pin_without_a_wheel_for_the_bases_python_names_the_package_and_the_base_it_wants():
    message, hint = install_failure(STEP, NO_COMPILER, DOCKERFILE, "3.11")
    assert message == ("httptools==0.2.0 does not build: it has no wheel for Python 3.11 and no compiler is "
                       "installed to build it")
    assert "the base image has Python 3.11, the Dockerfile is made for Python 3.9" in hint
    assert "python:3.9-slim-bookworm" in hint and "--python" not in hint.split("init")[0]


def test_a_dockerfile_rendered_on_a_given_base_is_made_for_the_python_its_header_names():
    rendered = ("#   docker build --build-arg BASE=python:3.9-slim-bookworm -t app .\n"
                "ARG BASE=localhost/bookworm-py:latest\n")
    assert "the Dockerfile is made for Python 3.9" in install_failure(STEP, NO_COMPILER, rendered, "3.11")[1]


def test_on_the_base_it_was_made_for_the_way_out_is_the_pin_or_a_builder_with_compilers():
    message, hint = install_failure(STEP, NO_COMPILER, DOCKERFILE, None)
    assert message.endswith("no wheel for Python 3.9 and no compiler is installed to build it")
    assert "relax the pin" in hint and "BUILDER" in hint


def test_other_causes_keep_their_own_words_and_other_steps_are_left_to_the_engines_line():
    conflict = ("  × No solution found when resolving dependencies:\n  ╰─▶ Because flask==1.0 depends on "
                "werkzeug>=0.14 and you require werkzeug==0.9, we can conclude that your requirements are "
                "unsatisfiable.\n")
    message, _ = install_failure(STEP, conflict, DOCKERFILE, "3.11")
    assert "flask==1.0" in message.lower() and "werkzeug" in message.lower()
    assert install_failure("[stage-1 3/6] RUN apt-get update", NO_COMPILER, DOCKERFILE, "3.11") is None


def test_a_base_with_another_python_than_the_dockerfiles_is_said_before_the_build():
    from shipyard.build_errors import base_mismatch
    line = base_mismatch(DOCKERFILE, "localhost/py:latest", "3.11")
    assert line.startswith("warning: the base image localhost/py:latest has Python 3.11; this Dockerfile is made "
                           "for Python 3.9") and "python:3.9-slim-bookworm" in line
    assert base_mismatch(DOCKERFILE, "python:3.9-slim", "3.9") is None
    assert base_mismatch("FROM debian\n", "x", "3.11") is None          # the app's own Dockerfile says nothing
