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

PYTHON2_SETUP = """\
error: Failed to build `oauth2==1.5.211`
  cause: The build backend returned an error
  cause: Call to `setuptools.build_meta:__legacy__.get_requires_for_build_wheel` failed (exit status: 1)
         [stderr]
         Traceback (most recent call last):
           File "/root/.cache/uv/builds-v0/.tmpFWKbWa/lib/python3.11/site-packages/setuptools/build_meta.py", line 317, in run_setup
             exec(code, locals())  # noqa: S102 # exec is intentional here
             ^^^^^^^^^^^^^^^^^^^^
           File "<string>", line 18
             print "unable to find version in %s" % (VERSIONFILE,)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
         SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?

hint: Build failures usually indicate a problem with the package or the build environment
"""


# Python 3.6 (a 2014 app's proof environment) says only "invalid syntax" under setup.py's print statement
PYTHON2_SETUP_36 = """\
error: Failed to build `python-ldap==2.4.15`
  cause: The build backend returned an error
  cause: Call to `setuptools.build_meta:__legacy__.get_requires_for_build_wheel` failed (exit status: 1)
         [stderr]
         Traceback (most recent call last):
           File "/root/.cache/uv/builds-v0/.tmpB5QYmz/lib/python3.6/site-packages/setuptools/build_meta.py", line 158, in run_setup
             exec(compile(code, __file__, 'exec'), locals())
           File "setup.py", line 53
             print name + ': ' + cfg.get('_ldap', name)
                      ^
         SyntaxError: invalid syntax
hint: Build failures usually indicate a problem with the package or the build environment
"""


def test_a_python2_setup_py_is_named_on_a_python_that_says_only_invalid_syntax():
    message, hint = explain(PYTHON2_SETUP_36)
    assert message == "python-ldap==2.4.15 does not build: its setup.py is Python 2 code, which no Python 3 runs"
    assert "later release made for Python 3" in hint
    # an invalid syntax under another line is not called Python 2 code
    other = PYTHON2_SETUP_36.replace("print name + ': ' + cfg.get('_ldap', name)", "x = = 1")
    assert "Python 2" not in explain(other)[0]


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


# uv 0.13's output for an sdist whose setup.py needs what today's setuptools removed
UV_FEATURE = """\
error: Failed to build `markupsafe==1.0`
  cause: The build backend returned an error
  cause: Call to `setuptools.build_meta:__legacy__.get_requires_for_build_wheel` failed (exit status: 1)

         [stderr]
         Traceback (most recent call last):
           File "<string>", line 6, in <module>
         ImportError: cannot import name 'Feature' from 'setuptools' (/root/.cache/uv/builds-v0/.tmpM/lib/python3.11/site-packages/setuptools/__init__.py)

hint: Build failures usually indicate a problem with the package or the build environment
"""

UV_2TO3 = """\
error: Failed to build `anyjson==0.3.3`
  cause: The build backend returned an error
  cause: Call to `setuptools.build_meta:__legacy__.get_requires_for_build_wheel` failed (exit status: 1)

         [stderr]
         error in anyjson setup command: use_2to3 is invalid.
"""

# django-allauth 0.42.0 on Python 3.12 (uv 0.13.9, setuptools 80)
UV_CONVERT_PATH = """\
error: Failed to build `django-allauth==0.42.0`
  cause: The build backend returned an error
  cause: Call to `setuptools.build_meta:__legacy__.get_requires_for_build_wheel` failed (exit status: 1)

         [stderr]
         Traceback (most recent call last):
           File "<string>", line 8, in <module>
         ImportError: cannot import name 'convert_path' from 'setuptools' (/root/.cache/uv/builds-v0/.tmpOXQC57/lib/python3.12/site-packages/setuptools/__init__.py)
"""

# playsound 1.3.0 on Python 3.11 (uv 0.13, setuptools 80): its setup.py calls inspect.getsource(lambda: 0)
UV_GETSOURCE = """\
error: Failed to build `playsound==1.3.0`
  cause: The build backend returned an error
  cause: Call to `setuptools.build_meta:__legacy__.get_requires_for_build_wheel` failed (exit status: 1)

         [stderr]
         Traceback (most recent call last):
           File "<string>", line 6, in <module>
           File "/usr/lib/python3.11/inspect.py", line 1262, in getsource
             lines, lnum = getsourcelines(object)
           File "/usr/lib/python3.11/inspect.py", line 1081, in findsource
             raise OSError('could not get source code')
         OSError: could not get source code

hint: Build failures usually indicate a problem with the package or the build environment
"""

UV_DISTUTILS = """\
error: Failed to build `markupsafe==1.0`
  cause: The build backend returned an error
         ModuleNotFoundError: No module named 'distutils'

hint: `distutils` was removed from the standard library in Python 3.12.
"""


def test_a_setup_py_needing_a_removed_setuptools_feature_gets_the_last_build_tools_that_had_it():
    from shipyard.install_errors import old_build_tools
    assert old_build_tools(UV_FEATURE) == ("setuptools.Feature (removed in setuptools 46)",
                                           ("setuptools<46", "wheel<0.35"))
    assert old_build_tools(UV_2TO3) == ("use_2to3 (removed in setuptools 58)", ("setuptools<58", "wheel<0.38"))
    assert unbuilt_pin(UV_FEATURE) == "markupsafe==1.0"
    assert old_build_tools(UV_CONVERT_PATH) == ("setuptools.convert_path (removed in setuptools 70)",
                                                ("setuptools<70",))
    assert unbuilt_pin(UV_CONVERT_PATH) == "django-allauth==0.42.0"
    assert old_build_tools(UV_GETSOURCE) == (
        "inspect.getsource on its own code (setuptools 63.2 runs setup.py without its file name)", ("setuptools<63.2",))
    assert unbuilt_pin(UV_GETSOURCE) == "playsound==1.3.0"
    # Python 3.6's ImportError does not name the module: the traceback's source line does
    py36 = UV_FEATURE.replace("ImportError: cannot import name 'Feature' from 'setuptools' (/root/.cache/uv/builds-v0/"
                              ".tmpM/lib/python3.11/site-packages/setuptools/__init__.py)",
                              "    from setuptools import setup, Extension, Feature\n"
                              "ImportError: cannot import name 'Feature'")
    assert "from 'setuptools'" not in py36
    assert old_build_tools(py36) == old_build_tools(UV_FEATURE)


def test_what_older_setuptools_cannot_fix_is_not_read_as_too_new_build_tools():
    from shipyard.install_errors import old_build_tools
    # distutils left the standard library (3.12): an older Python fixes it, not an older setuptools
    assert old_build_tools(UV_DISTUTILS) is None
    # the app's own import of pkg_resources at run time is no source build
    assert old_build_tools("Traceback (most recent call last):\nModuleNotFoundError: No module named "
                           "'pkg_resources'\n") is None
    assert old_build_tools(UV_FEATURE.replace("Feature", "Extension2")) is None
    # the app's own inspect.getsource failing at run time (a class typed in a shell) is no source build
    assert old_build_tools("Traceback (most recent call last):\n  File \"/usr/lib/python3.11/inspect.py\", in "
                           "getsource\nOSError: could not get source code\n") is None


def test_an_sdist_uv_cannot_unpack_names_its_pin():
    from shipyard.install_errors import unreadable_archive
    log = ("error: Failed to download and build `pypdf2==1.26.0`\n  cause: Failed to extract archive: pypdf2==1.26.0\n"
           "  cause: Invalid tar file\n  cause: at byte 0: invalid tar identity: found [0, 0, 0, 0, 0, 0, 0, 0]\n")
    assert unreadable_archive(log) == "pypdf2==1.26.0"
    assert unreadable_archive(UV_FEATURE) is None


def test_requirements_whose_releases_uv_does_not_read_are_named():
    from shipyard.install_errors import legacy_sdists
    log = ("error: No solution found when resolving dependencies:\n  ╰─▶ Because twisted>=17.5.0 has a non-PEP "
           "625-compliant source distribution filename and daphne>=2.0.0 depends on twisted>=17.5, we can\n"
           "      conclude that daphne>=2.0.0 cannot be used.\n")
    assert legacy_sdists(log) == ("twisted>=17.5.0",)
    assert legacy_sdists("Because twisted==17.9.0 has a non-PEP 625-compliant source distribution filename and you "
                         "require twisted==17.9.0") == ("twisted==17.9.0",)
    # a range uv wraps over two lines, and one named twice
    assert legacy_sdists("Because twisted>=16.0,<=17.9.0 has a non-PEP 625-compliant\n    source distribution "
                         "filename ... twisted>=16.0,<=17.9.0 has a non-PEP 625-compliant source distribution "
                         "filename") == ("twisted>=16.0, <=17.9.0",)
    assert legacy_sdists(UV_FEATURE) == ()
    # an unpinned requirement resolved as of a day when every release had only a .tar.bz2 (twisted, June 2019)
    assert legacy_sdists("error: No solution found when resolving dependencies\n  cause: Because all versions of "
                         "twisted have a non-PEP 625-compliant source distribution filename and you require twisted, "
                         "we can conclude that your requirements are unsatisfiable.") == ("twisted",)


UV_NO_WHEEL_FOR_THIS_PYTHON = """\
Using Python 3.12.1 environment at: /tmp/app/.venv
error: No solution found when resolving dependencies
  cause: Because psycopg-binary==3.1.8 has no wheels with a matching Python ABI tag (e.g., `cp312`) and \
psycopg[binary]==3.1.8 depends on psycopg-binary==3.1.8, we can conclude that psycopg[binary]==3.1.8 cannot be used.
         And because you require psycopg[binary]==3.1.8, we can conclude that your requirements are unsatisfiable.

hint: You require CPython 3.12 (`cp312`), but we only found wheels for `psycopg-binary` (v3.1.8) with the following \
Python ABI tags: `cp37m`, `cp38`, `cp39`, `cp310`, `cp311`
"""


def test_a_pin_with_wheels_for_older_pythons_only_is_named_as_unbuilt_here_not_as_a_conflict():
    # uv says it as a resolver failure; it is the "no wheel for this Python" an older Python fixes
    # (environments.retry_python looks for one that has the pin's wheel)
    assert unbuilt_pin(UV_NO_WHEEL_FOR_THIS_PYTHON) == "psycopg-binary==3.1.8"
    message, hint = explain(UV_NO_WHEEL_FOR_THIS_PYTHON)
    assert message == "psycopg-binary==3.1.8 has no wheel for this Python, and no source to build it from"
    assert "--python" in hint
    # a platform tag is not the Python's: no older Python helps there
    assert unbuilt_pin(UV_NO_WHEEL_FOR_THIS_PYTHON.replace("Python ABI tag", "platform tag")) is None


UV_GIT_UNREACHABLE = """Using Python 3.6.15 environment at: /tmp/app/.venv
   Updating https://github.com/yaml/pyyaml.git (HEAD)
error: Failed to download and build `pyyaml @ git+https://github.com/yaml/pyyaml.git`
  cause: Git operation failed
  cause: failed to fetch into: /root/.cache/uv/git-v2/db/b917347543324658
  cause: process didn't exit successfully: `/usr/bin/git fetch --force --update-head-ok 'https://github.com/yaml/pyyaml.git' '+HEAD:refs/remotes/origin/HEAD'` (exit status: 128)
         --- stderr
         fatal: unable to access 'https://github.com/yaml/pyyaml.git/': Could not resolve host: github.com
"""


def test_a_git_requirement_that_cannot_be_fetched_is_not_called_a_build_failure():
    what, hint = explain(UV_GIT_UNREACHABLE)
    assert what == ("pyyaml @ git+https://github.com/yaml/pyyaml.git could not be fetched from "
                    "https://github.com/yaml/pyyaml.git/ (Could not resolve host: github.com)")
    assert "github.com" in hint and "package index" in hint


# ipython 0.13.1 on Python 3.9 (uv, setuptools 80 in the isolated build environment): uv's output as for anyjson,
# with the traceback's last line
UV_UPLOAD = UV_2TO3.replace("anyjson==0.3.3", "ipython==0.13.1").replace(
    "error in anyjson setup command: use_2to3 is invalid.", "ModuleNotFoundError: No module named 'distutils.command.upload'")


def test_a_setup_py_importing_distutils_upload_command_builds_with_setuptools_before_its_own_distutils():
    from shipyard.install_errors import old_build_tools
    assert old_build_tools(UV_UPLOAD) == ("distutils.command.upload (not in the distutils setuptools carries from 60)",
                                          ("setuptools<60", "wheel<0.38"))
    assert unbuilt_pin(UV_UPLOAD) == "ipython==0.13.1"
    # Python 3.12, which has no distutils at all: older build tools do not bring it back
    assert old_build_tools(UV_DISTUTILS) is None


UV_CYTHON3 = """\
error: Failed to build `pyyaml==5.4.1`
  cause: The build backend returned an error
  cause: Call to `setuptools.build_meta.get_requires_for_build_wheel` failed (exit status: 1)

         [stdout]
         running egg_info
           File "<string>", line 201, in get_source_files
           File "/root/.cache/uv/builds-v0/.tmpq/lib/python3.12/site-packages/setuptools/_distutils/cmd.py", line 120, in __getattr__
             raise AttributeError(attr)
         AttributeError: cython_sources

hint: Build failures usually indicate a problem with the package or the build environment
"""


def test_pyyaml_5_builds_with_a_cython_before_3_on_a_python_its_wheels_miss():
    from shipyard.install_errors import old_build_tools
    assert old_build_tools(UV_CYTHON3) == ("Cython's build_ext before Cython 3 (cython_sources)", ("Cython<3",))
    assert unbuilt_pin(UV_CYTHON3) == "pyyaml==5.4.1"
    # at run time, not in a build: not a build tool's doing
    assert old_build_tools("Traceback (most recent call last):\nAttributeError: cython_sources\n") is None


def test_a_setup_py_in_python2_is_said_and_sends_no_install_to_older_pythons():
    """MyGarden's 2013 freeze: oauth2 1.5.211's setup.py prints with Python 2's statement. The install stepped down
    Python by Python (each a full install of old sdists) until inspect's time ran out."""
    message, hint = explain(PYTHON2_SETUP)
    assert message == "oauth2==1.5.211 does not build: its setup.py is Python 2 code, which no Python 3 runs"
    assert "this Python" not in message and hint.startswith("pin a later release made for Python 3")
    assert unbuilt_pin(PYTHON2_SETUP) == "oauth2==1.5.211"


def test_setuptools_flat_layout_refusal_is_read_however_uv_wraps_it():
    """uv wraps a build backend's stderr to the terminal's width: the refused folders may start on the next line
    (as CI's log had it), and the list itself may break."""
    from shipyard.install_errors import flat_layout_refused
    one_line = ("  error: Multiple top-level packages discovered in a flat-layout: ['mysite', 'app_screenshots'].\n")
    wrapped = ("  cause: Call to `setuptools.build_meta:__legacy__.get_requires_for_build_wheel`\n"
               "         failed (exit status: 1)\n\n         [stderr]\n"
               "         error: Multiple top-level packages discovered in a flat-layout:\n"
               "         ['mysite',\n         'app_screenshots'].\n")
    assert flat_layout_refused(one_line) == flat_layout_refused(wrapped) == ("mysite", "app_screenshots")
    assert flat_layout_refused("error: No matching distribution found for foo\n") is None


# peewee-db-evolve 3.7.0 (a 2019 inventory app's pin): setup.py imports its own module for the version, and the
# module needs peewee, which the isolated build does not have, on every Python
SETUP_IMPORTS_ITSELF = """\
error: Failed to build `peewee-db-evolve==3.7.0`
  cause: The build backend returned an error
  cause: Call to `setuptools.build_meta:__legacy__.get_requires_for_build_wheel` failed (exit status: 1)

         [stdout]
         colorama not installed
         peewee or herman not installed

         [stderr]
         Traceback (most recent call last):
           File "<string>", line 14, in <module>
           File "/root/.cache/uv/builds-v0/.tmpz4tLBk/lib/python3.6/site-packages/setuptools/build_meta.py", line 158, in run_setup
             exec(compile(code, __file__, 'exec'), locals())
           File "setup.py", line 16, in <module>
             version=__import__('peeweedbevolve').__version__,
           File "/root/.cache/uv/sdists-v11/pypi/peewee-db-evolve/3.7.0/Vn2Qsj7qQ0qVn9U4/src/peeweedbevolve.py", line 27, in <module>
             PW3 = not hasattr(pw, 'Clause')
         NameError: name 'pw' is not defined

hint: Build failures usually indicate a problem with the package or the build environment
"""


def test_a_setup_py_that_imports_its_own_package_is_named():
    message, hint = explain(SETUP_IMPORTS_ITSELF)
    assert message.startswith("peewee-db-evolve==3.7.0 does not build: its setup.py imports the package itself")
    assert "--no-build-isolation" in hint and "--python" not in hint
    # a setup.py failing on another line is not said to import itself
    other = SETUP_IMPORTS_ITSELF.replace("version=__import__('peeweedbevolve').__version__,", "long_description=x,")
    assert "imports the package itself" not in explain(other)[0]


def test_a_setup_py_run_as_string_that_imports_its_own_package_is_named():
    # setuptools 58 and later (Python 3.7 on) run setup.py's text as "<string>": no source line, the next frame is
    # the sdist's own module
    text = SETUP_IMPORTS_ITSELF.replace(
        """           File "setup.py", line 16, in <module>
             version=__import__('peeweedbevolve').__version__,
""", """           File "<string>", line 16, in <module>
""")
    assert "imports the package itself" in explain(text)[0]


# a Windows server monitor's requirements (pypiwin32, WMI): pywin32's wheels are all Windows' (uv 0.9's output)
WINDOWS_ONLY = """\
error: No solution found when resolving dependencies
  cause: Because pywin32>=223,<=302 has no wheels with a matching Python ABI tag (e.g., `cp311`) and only the
         following versions of pywin32 are available:
             pywin32<=302
             pywin32>=303
         we can conclude that pywin32>=223,<303 cannot be used.
         And because pywin32>=303 has no wheels with a matching platform tag (e.g., `manylinux_2_36_x86_64`), we can
         conclude that pywin32>=223 cannot be used.
         And because pypiwin32>=223 depends on pywin32>=223 and you require pypiwin32==223, we can conclude that your
         requirements are unsatisfiable.

hint: You require CPython 3.11 (`cp311`), but we only found wheels for `pywin32` (v302) with the following Python ABI tags: `cp36m`, `cp37m`, `cp38`, `cp39`, `cp310`

hint: Wheels are available for `pywin32` (v312) on the following platforms: `win32`, `win_amd64`, `win_arm64`
"""


def test_a_package_whose_wheels_are_all_windows_says_the_app_runs_on_windows():
    message, hint = explain(WINDOWS_ONLY)
    assert message == ("pywin32 (required through pypiwin32) is Windows-only (its wheels are for win32, "
                       "win_amd64, win_arm64): this app runs on Windows")
    assert hint == "run it on Windows, or remove pypiwin32 from the app's requirements if it works without it"
    # wheels for Linux among them: the conflict is not the system's
    linux = WINDOWS_ONLY.replace("`win_arm64`", "`manylinux_2_17_x86_64`")
    assert "Windows-only" not in explain(linux)[0]
