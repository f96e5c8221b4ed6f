"""One line out of a failed uv install: which package, why, what to do. The logs are shortened from real uv
0.13 output (the integration tests install the real packages)."""

from __future__ import annotations

from shipyard.install_errors import explain, unbuilt_pin

COMPILE_FAILED = """\
error: Failed to build `greenlet==1.1.2`
  cause: The build backend returned an error
         x86_64-linux-gnu-gcc -Wsign-compare -DNDEBUG -g -fwrapv -O2 -fPIC -I/usr/include/python3.11 -c src/greenlet/greenlet.c
         src/greenlet/greenlet.h:42:5: error: unknown type name 'CFrame'
         error: command '/usr/bin/x86_64-linux-gnu-gcc' failed with exit code 1
hint: Build failures usually indicate a problem with the package or the build environment
"""
NO_COMPILER = """\
error: Failed to build `greenlet==1.1.2`
  cause: The build backend returned an error
         error: command 'x86_64-linux-gnu-gcc' failed: No such file or directory
"""
NO_PG_CONFIG = """\
error: Failed to build `psycopg2==2.9.3`
  cause: The build backend returned an error
         Error: pg_config executable not found.
"""
OLD_PSYCOPG2 = """\
error: Failed to build `psycopg2==2.5.3`
  cause: The build backend returned an error
         Error: could not determine PostgreSQL version from '15.18'
"""
WRAPPED_APP = """\
error: Failed to build `flat-app @
file:///tmp/pytest-of-root/pytest-1/test_a_package_app/project-without-package-folder`
  cause: The build backend returned an error
         ValueError: Unable to determine which files to ship inside the wheel
"""


def test_c_source_that_does_not_compile_is_not_called_a_missing_compiler():
    message, hint = explain(COMPILE_FAILED)
    assert message.startswith("greenlet==1.1.2 does not build") and "does not compile for this Python" in message
    assert "no compiler" not in message and "--python" in hint


def test_a_missing_compiler_is_named():
    message, hint = explain(NO_COMPILER)
    assert "no compiler is installed" in message and "build-essential" in hint


def test_a_missing_system_library_is_named_not_the_compiler():
    message, hint = explain(NO_PG_CONFIG)
    assert "pg_config" in message and "no compiler" not in message and "libpq-dev" in hint


def test_a_psycopg2_older_than_the_machines_libpq_says_so():
    message, hint = explain(OLD_PSYCOPG2)
    assert message.startswith("psycopg2==2.5.3 does not build") and "libpq" in message
    assert "this Python" not in message and "psycopg2>=2.8" in hint       # no retry on older Pythons


def test_the_pin_that_did_not_build_is_read_whole_even_when_uv_wraps_it():
    assert unbuilt_pin(COMPILE_FAILED) == "greenlet==1.1.2"
    assert unbuilt_pin(WRAPPED_APP) == ("flat-app @ file:///tmp/pytest-of-root/pytest-1/test_a_package_app/"
                                        "project-without-package-folder")
    assert unbuilt_pin("Resolved 3 packages") is None
