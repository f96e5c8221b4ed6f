"""Declared dependencies: every file format, includes, dev files ignored, locks pin, and the merge."""

from __future__ import annotations

import codecs
import subprocess

import pytest

from shipyard.detect import deps
from shipyard.detect.findings import DeclaredDependencies, EntryFinding
from shipyard.plan import Dependency, Entry
from conftest import make_tree
from shipyard.project import Project
from shipyard.planner import make_plan
from shipyard.render import Target, render




def declared(tmp_path, files):
    return deps.declared(Project(make_tree(tmp_path, files)))


def reqs(result):
    return {d.requirement for d in result.dependencies}


def test_requirements_with_includes_comments_markers_options(tmp_path):
    result = declared(tmp_path, {
        "requirements.txt": """
            # the app
            -r requirements/base.txt
            -c constraints.txt
            --index-url https://example.invalid/simple
            Flask>=3.0  # web
            requests==2.31.0 \\
                --hash=sha256:abc
            uvicorn[standard]>=0.29; python_version >= "3.8"
            -e .
            -e git+https://github.com/x/y.git#egg=ylib
            """,
        "requirements/base.txt": "SQLAlchemy>=2\n",
        "constraints.txt": "urllib3<3\n",
        "requirements-dev.txt": "pytest\n",
    })
    assert reqs(result) == {"SQLAlchemy>=2", "Flask>=3.0", "requests==2.31.0",
                            'uvicorn[standard]>=0.29; python_version >= "3.8"',
                            "ylib @ git+https://github.com/x/y.git"}
    assert result.files == ("requirements.txt", "requirements/base.txt")
    assert result.complete
    assert any("requirements-dev.txt" in n for n in result.notes)


def test_a_pin_written_with_one_equals_sign_says_how_to_write_it(tmp_path):
    # the DRF tutorial's requirements.txt: `Django=4.1.1`, which pip and uv refuse
    result = declared(tmp_path, {"requirements.txt": "Django=4.1.1\ndjangorestframework==3.13.1\n"})
    assert reqs(result) == {"djangorestframework==3.13.1"}
    assert any("'Django=4.1.1' skipped: a pin is written with '==' (Django==4.1.1)" in n for n in result.notes)


def test_a_marker_naming_one_patch_release_of_python_is_read_as_its_minor_here_and_in_the_image(tmp_path):
    # poetry export of a pyproject saying python = "3.9.16": every line holds on 3.9.16 alone, so any other 3.9
    # (this machine's, the image's python:3.9) installs nothing from the file
    root = tmp_path / "app"
    make_tree(root, {
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "requirements.txt": 'flask==2.2.3 ; python_full_version == "3.9.16" \\\n    --hash=sha256:' + "a" * 64 + "\n"
                            'colorama==0.4.6 ; python_full_version == "3.9.16" and platform_system == "Windows"\n'
                            'gunicorn==20.1.0 ; python_version >= "3.8"\n',
        ".python-version": "3.9\n",
    })
    result = deps.declared(Project(root))
    assert reqs(result) == {'flask==2.2.3; python_version == "3.9"',
                            'colorama==0.4.6; python_version == "3.9" and platform_system == "Windows"',
                            'gunicorn==20.1.0; python_version >= "3.8"'}
    assert sum("one patch release of Python" in n for n in result.notes) == 1
    plan = make_plan(root, confirm=False, installed=False)
    assert [(d.name, narrow, wide) for d, narrow, wide in deps.widened_markers(plan.dependencies)] == [
        ("flask", 'python_full_version == "3.9.16"', 'python_version == "3.9"'),
        ("colorama", 'python_full_version == "3.9.16"', 'python_version == "3.9"')]
    dockerfile = render(plan, Target.image())["Dockerfile"]
    # the image installs the app's own file, whose lines still carry the narrow marker: uv --override replaces them
    assert "'flask==2.2.3; python_version == \"3.9\"'" in dockerfile
    assert "-r requirements.txt --override /tmp/relaxed-pins.txt" in dockerfile
    assert "# 2 of the app's requirements hold only on one patch release of Python" in dockerfile


@pytest.mark.parametrize("mark, codec, after", [
    (codecs.BOM_UTF16_LE, "utf-16-le", b""), (codecs.BOM_UTF16_BE, "utf-16-be", b""), (codecs.BOM_UTF8, "utf-8", b""),
    (codecs.BOM_UTF32_LE, "utf-32-le", b""),
    # one b"\n" an editor appended byte-wise after the UTF-16 freeze: no '\ufffd' line to skip
    (codecs.BOM_UTF16_LE, "utf-16-le", b"\n"), (codecs.BOM_UTF32_LE, "utf-32-le", b"\r\n")])
def test_a_requirements_file_with_a_byte_order_mark_is_read_in_its_encoding(tmp_path, mark, codec, after):
    # Windows PowerShell's `pip freeze > requirements.txt` writes UTF-16 LE with a mark and CRLF; pip reads it
    text = "Django==3.2.7\r\ndjango-cors-headers==3.8.0\r\n"
    (tmp_path / "requirements.txt").write_bytes(mark + text.encode(codec) + after)
    result = deps.declared(Project(tmp_path))
    assert reqs(result) == {"Django==3.2.7", "django-cors-headers==3.8.0"}
    assert result.complete and not result.notes


def test_prod_file_preferred_and_dev_test_files_never_read(tmp_path):
    result = declared(tmp_path, {
        "requirements/prod.txt": "-r base.txt\ngunicorn\n",
        "requirements/base.txt": "Django>=4.2\n",
        "requirements/dev.txt": "-r base.txt\ndjango-debug-toolbar\n",
        "requirements/test.txt": "pytest\n",
    })
    assert reqs(result) == {"Django>=4.2", "gunicorn"}
    assert result.files == ("requirements/prod.txt", "requirements/base.txt")


def test_empty_preferred_file_gives_way_to_the_next_that_lists_packages(tmp_path):
    # a template's placeholder requirements/prod.txt (empty, or comments only) beside the base.txt it installs
    result = declared(tmp_path, {
        "requirements/prod.txt": "# production extras go here\n\n",
        "requirements/base.txt": "fastapi\ntortoise-orm\n",
        "requirements/dev.txt": "pytest\n",
    })
    assert reqs(result) == {"fastapi", "tortoise-orm"}
    assert result.files == ("requirements/base.txt",)


def test_only_empty_requirements_still_declare_no_packages(tmp_path):
    result = declared(tmp_path, {"requirements.txt": "\n", "app.py": "import flask\n"})
    assert result.dependencies == () and result.files == ("requirements.txt",)


def test_nothing_declared_is_incomplete(tmp_path):
    result = declared(tmp_path, {"app.py": "import flask\n", "pyproject.toml": "[tool.black]\nline-length = 100\n"})
    assert result.dependencies == () and result.files == () and not result.complete


def test_pep621_and_uv_lock_pins(tmp_path):
    result = declared(tmp_path, {
        "pyproject.toml": '[project]\nname = "x"\nversion = "1"\ndependencies = ["fastapi>=0.110", "httpx"]\n',
        "uv.lock": """
            version = 1
            requires-python = ">=3.11"
            [[package]]
            name = "fastapi"
            version = "0.115.0"
            [[package]]
            name = "httpx"
            version = "0.27.2"
            [[package]]
            name = "x"
            version = "1"
            source = { editable = "." }
            """,
    })
    assert reqs(result) == {"fastapi==0.115.0", "httpx==0.27.2"}
    assert result.files == ("pyproject.toml", "uv.lock")
    assert {d.source for d in result.dependencies} == {"pyproject.toml (pinned by uv.lock)"}


def test_pep621_and_pdm_lock_pins(tmp_path):
    # a PDM project (distribution = false): pyproject's ranges, the lock's versions (advanced-alchemy 0.8.4 still
    # exports IntegrityError, which 1.x dropped)
    result = declared(tmp_path, {
        "pyproject.toml": '[project]\nname = "x"\nversion = "1"\ndependencies = ["litestar[jwt]>=2.8.2", '
                          '"advanced-alchemy"]\n[tool.pdm]\ndistribution = false\n',
        "pdm.lock": """
            [metadata]
            groups = ["default"]
            lock_version = "4.4.1"
            [[package]]
            name = "advanced-alchemy"
            version = "0.8.4"
            groups = ["default"]
            [[package]]
            name = "litestar"
            version = "2.8.2"
            [[package]]
            name = "litestar"
            version = "2.8.2"
            extras = ["jwt"]
            """,
    })
    assert reqs(result) == {"litestar[jwt]==2.8.2", "advanced-alchemy==0.8.4"}
    assert result.files == ("pyproject.toml", "pdm.lock")


def test_poetry_caret_tilde_and_poetry_lock(tmp_path):
    result = declared(tmp_path, {
        "pyproject.toml": """
            [tool.poetry]
            name = "x"
            [tool.poetry.dependencies]
            python = "^3.11"
            flask = "^3.0"
            requests = "~2.31"
            celery = { version = "^5.3", extras = ["redis"] }
            black = { version = "*", optional = true }
            lib = { git = "https://github.com/x/lib.git", tag = "v1" }
            """,
        "poetry.lock": '[[package]]\nname = "flask"\nversion = "3.0.3"\n',
    })
    assert reqs(result) == {"flask==3.0.3", "requests>=2.31,<2.32", "celery[redis]>=5.3,<6.0",
                            "lib @ git+https://github.com/x/lib.git@v1"}


def test_a_poetry_git_dependency_installs_at_the_commit_its_lock_resolved(tmp_path):
    # `branch = "main"` moves on: the lock's resolved_reference is the code the app ran with
    result = declared(tmp_path, {
        "pyproject.toml": """
            [tool.poetry]
            name = "x"
            [tool.poetry.dependencies]
            python = ">=3.11"
            litestar = { extras = ["redis", "cli"], git = "https://github.com/litestar-org/litestar", branch = "main" }
            lib = { git = "https://github.com/x/lib.git" }
            """,
        "poetry.lock": """
            [[package]]
            name = "litestar"
            version = "2.0.0beta2"

            [package.source]
            type = "git"
            url = "https://github.com/litestar-org/litestar"
            reference = "main"
            resolved_reference = "74a1f493ea0a01d3d6687c3a91dae49ea549c576"
            """,
    })
    assert reqs(result) == {
        "litestar[cli,redis] @ git+https://github.com/litestar-org/litestar@74a1f493ea0a01d3d6687c3a91dae49ea549c576",
        "lib @ git+https://github.com/x/lib.git"}
    assert {d.source for d in result.dependencies if d.name == "litestar"} == {"pyproject.toml (pinned by poetry.lock)"}


def test_poetry_groups_poetry_install_installs_are_production_unless_dev_like_or_optional(tmp_path):
    result = declared(tmp_path, {
        "pyproject.toml": """
            [tool.poetry]
            name = "x"
            [tool.poetry.dependencies]
            python = "^3.11"
            aiohttp = "^3.9"
            [tool.poetry.group.migrations.dependencies]
            alembic = "^1.13"
            psycopg2-binary = "^2.9"
            [tool.poetry.group.dev.dependencies]
            pytest = "^7.4"
            [tool.poetry.group.linters.dependencies]
            ruff = "*"
            [tool.poetry.group.type-check.dependencies]
            mypy = "*"
            [tool.poetry.group.docs]
            [tool.poetry.group.docs.dependencies]
            sphinx = "*"
            [tool.poetry.group.monitoring]
            optional = true
            [tool.poetry.group.monitoring.dependencies]
            sentry-sdk = "*"
            """,
        "poetry.lock": '[[package]]\nname = "psycopg2-binary"\nversion = "2.9.9"\n',
    })
    assert reqs(result) == {"aiohttp>=3.9,<4.0", "alembic>=1.13,<2.0", "psycopg2-binary==2.9.9"}
    assert {d.source for d in result.dependencies if d.name == "alembic"} == {"pyproject.toml (group migrations)"}
    assert result.files == ("pyproject.toml", "poetry.lock")
    assert any("Poetry groups not for production, ignored: dev, linters, type-check, docs, monitoring" in n
               for n in result.notes), result.notes


def test_a_poetry_project_with_only_a_production_group_declares(tmp_path):
    result = declared(tmp_path, {
        "pyproject.toml": '[tool.poetry]\nname = "x"\n[tool.poetry.group.web.dependencies]\nflask = "^3.0"\n'})
    assert result.complete and reqs(result) == {"flask>=3.0,<4.0"}


@pytest.mark.parametrize("constraint, pep440", [
    ("^1.2.3", ">=1.2.3,<2.0.0"), ("^0.2.3", ">=0.2.3,<0.3.0"), ("^0.0.3", ">=0.0.3,<0.0.4"), ("^1.2", ">=1.2,<2.0"),
    ("~1.2.3", ">=1.2.3,<1.3"), ("~1", ">=1,<2"), ("*", ""), ("1.2.3", "==1.2.3"), (">=1.2 <2.0", ">=1.2,<2.0"),
])
def test_poetry_constraints(constraint, pep440):
    assert deps.poetry_to_pep440(constraint) == pep440


def test_poetry_alternatives_are_refused():
    with pytest.raises(ValueError):
        deps.poetry_to_pep440("^1.0 || ^2.0")


def test_pipfile_default_section_only(tmp_path):
    result = declared(tmp_path, {
        "Pipfile": '[packages]\nflask = "*"\nrequests = ">=2.0"\nsqlalchemy = {version = "==2.0.1", extras = ["asyncio"]}\n'
                   '[dev-packages]\npytest = "*"\n[requires]\npython_version = "3.11"\n',
    })
    assert reqs(result) == {"flask", "requests>=2.0", "sqlalchemy[asyncio]==2.0.1"}


def test_pipfile_lock_alone_is_a_manifest(tmp_path):
    result = declared(tmp_path, {
        "Pipfile.lock": '{"default": {"flask": {"version": "==3.0.0"}, "click": {"version": "==8.1.7"}},'
                        ' "develop": {"pytest": {"version": "==8.0.0"}}}',
    })
    assert reqs(result) == {"flask==3.0.0", "click==8.1.7"}
    assert result.complete


PIPENV_EXPORT = ("-i https://pypi.org/simple\n"
                 "click==7.1.2; python_version >= '2.7' and python_version not in '3.0, 3.1, 3.2, 3.3, 3.4'\n"
                 "flask==1.1.2\nsqlalchemy==1.3.23\n")
PIPFILE = '[packages]\nflask = "*"\nsqlalchemy = "*"\n[requires]\npython_version = "3.13"\n'
LOCK = ('{"default": {"flask": {"version": "==3.1.2"}, "click": {"version": "==8.3.0"}, '
        '"sqlalchemy": {"version": "==2.0.44"}}}')


def test_a_pipenv_export_the_lock_has_moved_on_from_gives_way_to_the_lock(tmp_path):
    # 4Geeks' react-flask-hello: requirements.txt from `pipenv lock -r` in 2021, the Pipfile.lock of today
    result = declared(tmp_path, {"requirements.txt": PIPENV_EXPORT, "Pipfile": PIPFILE, "Pipfile.lock": LOCK})
    assert reqs(result) == {"flask==3.1.2", "sqlalchemy==2.0.44"}
    assert "requirements.txt" not in result.files
    note = next(n for n in result.notes if "export of Pipfile.lock" in n)
    assert "click 7.1.2, lock 8.3.0; flask 1.1.2, lock 3.1.2; sqlalchemy 1.3.23, lock 2.0.44" in note


@pytest.mark.parametrize("files", [
    # the export of the lock as it is: read as before
    {"requirements.txt": "-i https://pypi.org/simple\nclick==8.3.0\nflask==3.1.2\nsqlalchemy==2.0.44\n",
     "Pipfile": PIPFILE, "Pipfile.lock": LOCK},
    # no lock beside it: nothing to read instead
    {"requirements.txt": PIPENV_EXPORT, "Pipfile": PIPFILE},
    # a hand-written file (a range, no index line) is the author's own, whatever the lock says
    {"requirements.txt": "flask>=1.1,<2\nsqlalchemy==1.3.23\n", "Pipfile": PIPFILE, "Pipfile.lock": LOCK},
    {"requirements.txt": "-i https://pypi.org/simple\nflask>=1.1\nsqlalchemy==1.3.23\n", "Pipfile": PIPFILE,
     "Pipfile.lock": LOCK},
])
def test_requirements_that_are_no_stale_export_of_the_lock_are_read(tmp_path, files):
    result = declared(tmp_path, files)
    assert "requirements.txt" in result.files
    assert not any("export of Pipfile.lock" in n for n in result.notes)


STALE_TUTORIAL_LIST = "Django==1.9.8\ndj-database-url==0.3.0\ngunicorn==19.6.0\npsycopg2==2.6.1\nwhitenoise==3.2\n"
HEROKU_PIPFILE = '[packages]\n"psycopg2-binary" = "*"\ndjango-heroku = "*"\ngunicorn = "*"\n'


def test_a_requirements_list_that_is_no_record_of_the_pipfile_heroku_installs_is_left_unread(tmp_path):
    # a 2020 Django 3.1 course project: a 2016 tutorial's requirements.txt beside the Pipfile its Procfile deploys
    result = declared(tmp_path, {"requirements.txt": STALE_TUTORIAL_LIST, "Pipfile": HEROKU_PIPFILE,
                                 "Procfile": "web: gunicorn hostel.wsgi --log-file -\n"})
    assert reqs(result) == {"psycopg2-binary", "django-heroku", "gunicorn"}
    assert "requirements.txt" not in result.files
    note = next(n for n in result.notes if "left unread" in n)
    assert "Pipfile is what Heroku installs" in note and "(Procfile;" in note and "lacks django-heroku)" in note


@pytest.mark.parametrize("files", [
    # not deployed on Heroku: nothing says which file the platform installs
    {"requirements.txt": STALE_TUTORIAL_LIST, "Pipfile": HEROKU_PIPFILE},
    # a freeze of what the Pipfile installs (every package it names, psycopg2 for psycopg2-binary): its pins stay
    {"requirements.txt": STALE_TUTORIAL_LIST + "django-heroku==0.3.1\n", "Pipfile": HEROKU_PIPFILE,
     "Procfile": "web: gunicorn hostel.wsgi\n"},
    # the image installs requirements.txt: the Dockerfile is what runs in production
    {"requirements.txt": STALE_TUTORIAL_LIST, "Pipfile": HEROKU_PIPFILE, "Procfile": "web: gunicorn hostel.wsgi\n",
     "Dockerfile": "FROM python:3.8\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n"},
])
def test_requirements_beside_a_pipfile_are_read_unless_heroku_installs_the_pipfile_alone(tmp_path, files):
    result = declared(tmp_path, files)
    assert "requirements.txt" in result.files
    assert not any("left unread" in n for n in result.notes)


def test_setup_py_read_by_ast_never_run(tmp_path):
    marker = tmp_path / "ran"
    result = declared(tmp_path, {
        "setup.py": f"""
            open({str(marker)!r}, "w").write("x")
            from setuptools import setup
            REQUIRES = ["flask>=2", "pyyaml"]
            setup(name="x", install_requires=REQUIRES)
            """,
    })
    assert reqs(result) == {"flask>=2", "pyyaml"}
    assert not marker.exists()


def test_setup_cfg(tmp_path):
    result = declared(tmp_path, {"setup.cfg": "[options]\ninstall_requires =\n    bottle>=0.12\n    # c\n    requests\n"})
    assert reqs(result) == {"bottle>=0.12", "requests"}


def test_dependency_files_in_the_app_folder_when_root_has_none(tmp_path):
    result = declared(tmp_path, {"app/requirements.txt": "Flask\n", "app/app.py": "", "docs/requirements.txt": "sphinx\n"})
    assert reqs(result) == {"Flask"} and result.files == ("app/requirements.txt",)


def _finding(interface="wsgi"):
    return EntryFinding("flask", Entry("app", "app", "attribute", interface), ".")


def test_merge_order_dedup_and_server():
    declared_ = DeclaredDependencies((Dependency("Flask", ">=3", "requirements.txt"),
                                      Dependency("flask", "", "pyproject.toml")), ("requirements.txt",), True)
    inferred = (Dependency("PyYAML", "==6.0", "import yaml in app.py", True),
                Dependency("Flask", "==3.1", "import flask in app.py", True),
                Dependency("attrs", "", "import attr in app.py", True))
    merged = deps.merge(declared_, inferred, _finding())
    assert [d.requirement for d in merged] == ["Flask>=3", "attrs", "PyYAML==6.0", "gunicorn>=23.0"]
    assert [d.inferred for d in merged] == [False, True, True, True]


def test_merge_asgi_uses_the_maintained_uvicorn_worker_and_keeps_declared_server():
    declared_ = DeclaredDependencies((Dependency("gunicorn", "==22.0.0", "requirements.txt"),), ("requirements.txt",),
                                     True)
    merged = deps.merge(declared_, (), _finding("asgi"))
    # uvicorn 0.23.0 imports typing_extensions.NotRequired without declaring it: beside an app's typing-extensions
    # 3.x pin the resolver would settle on that release, whose worker dies at import
    assert [d.requirement for d in merged] == ["gunicorn==22.0.0", "uvicorn-worker>=0.2", "uvicorn!=0.23.0"]
    assert deps.ASGI_WORKER_CLASS == "uvicorn_worker.UvicornWorker"


@pytest.mark.parametrize("server, names", [("uwsgi", ["pyuwsgi"]), ("granian", ["granian"])])
def test_merge_other_servers(server, names):
    # (uwsgi comes as the pyuwsgi wheel, so images need no compiler for it)
    merged = deps.merge(DeclaredDependencies((), (), False), (), _finding(), server=server)
    assert [d.name for d in merged] == names


def test_merge_keeps_a_declared_uwsgi_instead_of_adding_pyuwsgi():
    declared_ = DeclaredDependencies((Dependency("uWSGI", "==2.0.28", "requirements.txt"),), ("requirements.txt",),
                                     True)
    merged = deps.merge(declared_, (), _finding("wsgi"), server="uwsgi")
    assert [d.requirement for d in merged] == ["uWSGI==2.0.28"]


def test_an_import_the_production_files_leave_out_takes_the_pin_of_the_dev_requirements(tmp_path):
    # a stale setup.py (its extra would hold SQLAlchemy below 1.5) and the code's real versions in
    # requirements-dev.txt: the imported package gets the version its authors run it with, the rest stays out
    result = declared(tmp_path, {
        "setup.py": "from setuptools import setup\nsetup(name='polls', install_requires=['aiohttp', 'aiopg[sa]'])\n",
        "requirements-dev.txt": "aiohttp==3.13.5\nSQLAlchemy[asyncio]==2.0.52\npytest==9.1.1\nasyncpg>=0.29\n",
    })
    assert dict(result.dev_pins)["sqlalchemy"] == ("2.0.52", "requirements-dev.txt")
    assert "asyncpg" not in dict(result.dev_pins)        # not an exact pin
    inferred = (Dependency("SQLAlchemy", "", "import sqlalchemy in polls/db.py", True),
                Dependency("Jinja2", "", "import jinja2 in polls/main.py", True))
    merged = {d.name: d for d in deps.merge(result, inferred, _finding())}
    assert merged["SQLAlchemy"].requirement == "SQLAlchemy==2.0.52"
    assert "pinned by requirements-dev.txt" in merged["SQLAlchemy"].source
    assert merged["Jinja2"].requirement == "Jinja2"
    assert merged["aiohttp"].requirement == "aiohttp"           # declared: the dev pin does not touch it
    assert "pytest" not in merged
    # the file that pinned it dates the resolution too (its pins are of its time, not of setup.py's)
    assert deps.pin_files(merged.values()) == ("requirements-dev.txt",)


def test_a_server_pin_older_than_the_generated_config_needs_is_replaced_and_others_are_kept():
    old = Dependency("gunicorn", "==19.9.0", "requirements.txt", False)
    flask = Dependency("Flask", "==2.3.3", "requirements.txt", False)
    outdated = deps.outdated_server_pins((flask, old), "gunicorn", "wsgi")
    assert [(own.requirement, needed.split(">=")[0]) for own, needed in outdated] == [("gunicorn==19.9.0", "gunicorn")]
    recent = Dependency("gunicorn", "==23.0.0", "requirements.txt", False)
    assert deps.outdated_server_pins((flask, recent), "gunicorn", "wsgi") == ()
    # a range is the user's to keep (the resolver picks within it), and another server is not looked at
    assert deps.outdated_server_pins((Dependency("gunicorn", ">=19", "requirements.txt", False),), "gunicorn",
                                     "wsgi") == ()
    assert deps.outdated_server_pins((flask, old), "granian", "wsgi") == ()


def test_a_pin_older_than_the_server_really_needs_is_replaced_under_that_server_only():
    """granian 2.6.1 declares click>=8.0.0 but fails on click 8.0: a freeze's click==8.0.3 is upgraded after the
    app's packages for granian, and kept for gunicorn."""
    click = Dependency("click", "==8.0.3", "requirements.txt", False)
    flask = Dependency("Flask", "==2.0.2", "requirements.txt", False)
    assert [(own.requirement, needed) for own, needed in deps.outdated_server_pins((flask, click), "granian", "wsgi")] \
        == [("click==8.0.3", "click>=8.1")]
    assert deps.outdated_server_pins((flask, click), "gunicorn", "wsgi") == ()
    assert deps.outdated_server_pins((flask, Dependency("click", "==8.1.7", "requirements.txt", False)),
                                     "granian", "asgi") == ()


def test_an_app_pinning_a_uvicorn_older_than_the_worker_package_needs_gets_uvicorns_own_worker():
    # uvicorn-worker 0.2.0 requires uvicorn>=0.14.0: beside a 2020 freeze's uvicorn==0.11.5 no resolution holds
    # both (the image's install failed), so the server is gunicorn alone and gunicorn.conf.py's fallback serves
    starlette = Dependency("starlette", "==0.13.4", "poetry.lock", False)
    old = (starlette, Dependency("uvicorn", "==0.11.5", "poetry.lock", False))
    assert deps.server_requirements("gunicorn", "asgi", None, old) == (("gunicorn", ">=23.0"), ("uvicorn", "!=0.23.0"))
    assert deps.worker_fallback_notes(old, "gunicorn", "asgi") == (
        "uvicorn-worker>=0.2 needs uvicorn>=0.14.0, newer than the app's uvicorn==0.11.5: gunicorn runs "
        "uvicorn.workers.UvicornWorker from it instead (the app's packages stay as it pins them)",)
    # a uvicorn new enough, or one the app leaves unpinned, keeps the worker package; granian has none to drop
    for uvicorn in (Dependency("uvicorn", "==0.14.0", "requirements.txt", False),
                    Dependency("uvicorn", ">=0.11", "requirements.txt", False)):
        assert ("uvicorn-worker", ">=0.2") in deps.server_requirements("gunicorn", "asgi", None, (starlette, uvicorn))
        assert deps.worker_fallback_notes((starlette, uvicorn), "gunicorn", "asgi") == ()
    assert deps.worker_fallback_notes(old, "granian", "asgi") == ()
    # the server's own uvicorn requirement is not the app's pin
    server_own = Dependency("uvicorn", "==0.11.5", f"{deps.SERVER_SOURCE} (gunicorn, ASGI)", True)
    assert ("uvicorn-worker", ">=0.2") in deps.server_requirements("gunicorn", "asgi", None, (starlette, server_own))


def test_a_server_declared_unpinned_that_installed_older_than_the_config_needs_is_upgraded_within_its_range():
    """A 2019 requirements file's bare `gunicorn` resolves as of its date to 19.9.0, which has no `wsgi_app`
    setting: it is replaced as an exact old pin is, unless the app's own range rules the needed floor out."""
    flask = Dependency("Flask", "==1.0.2", "requirements.txt", False)
    bare = Dependency("gunicorn", "", "requirements.txt", False)
    found = deps.outdated_installed_servers((flask, bare), {"gunicorn": "19.9.0"}, "gunicorn", "wsgi")
    assert [(own.requirement, version, needed.split(">=")[0]) for own, version, needed in found] == \
        [("gunicorn", "19.9.0", "gunicorn")]
    # new enough, not installed, another server, a range that allows the floor, one that does not, an exact pin
    assert deps.outdated_installed_servers((flask, bare), {"gunicorn": "23.0.0"}, "gunicorn", "wsgi") == ()
    assert deps.outdated_installed_servers((flask, bare), {}, "gunicorn", "wsgi") == ()
    assert deps.outdated_installed_servers((flask, bare), {"gunicorn": "19.9.0"}, "granian", "wsgi") == ()
    ranged = Dependency("gunicorn", ">=19", "requirements.txt", False)
    assert len(deps.outdated_installed_servers((ranged,), {"gunicorn": "19.9.0"}, "gunicorn", "wsgi")) == 1
    capped = Dependency("gunicorn", "<20", "requirements.txt", False)
    assert deps.outdated_installed_servers((capped,), {"gunicorn": "19.9.0"}, "gunicorn", "wsgi") == ()
    exact = Dependency("gunicorn", "==19.9.0", "requirements.txt", False)
    assert deps.outdated_installed_servers((exact,), {"gunicorn": "19.9.0"}, "gunicorn", "wsgi") == ()
    # what granian needs of click, left unpinned by the app and resolved old
    click = Dependency("click", "", "requirements.txt", False)
    assert [needed for _, _, needed in deps.outdated_installed_servers((click,), {"click": "8.0.3"}, "granian",
                                                                       "wsgi")] == ["click>=8.1"]



def test_a_server_the_app_leaves_open_gets_its_configurations_floor_in_a_dated_install():
    """An old app's open packages resolve as of its day (uv --exclude-newer): a 2020 `gunicorn` line is 20.0.4,
    which has no `wsgi_app` setting ("No application module specified" in the image). Known before any install:
    the image takes the floor the configuration needs as a constraint, exempt from the date, as serve upgrades it
    after its install (outdated_installed_servers)."""
    flask = Dependency("Flask", "==1.0.2", "requirements.txt", False)
    bare = Dependency("gunicorn", "", "requirements.txt", False)
    found = deps.dated_server_floors((flask, bare), "gunicorn", "wsgi", python="3.8")
    assert [(own.requirement, needed.split(">=")[0]) for own, needed in found] == [("gunicorn", "gunicorn")]
    # a range that allows the floor, one that does not (the app's word), an exact pin (outdated_server_pins'),
    # another server, nothing declared
    ranged = Dependency("gunicorn", ">=19", "requirements.txt", False)
    assert len(deps.dated_server_floors((ranged,), "gunicorn", "wsgi")) == 1
    assert deps.dated_server_floors((Dependency("gunicorn", "<20", "requirements.txt", False),), "gunicorn",
                                    "wsgi") == ()
    assert deps.dated_server_floors((Dependency("gunicorn", "==19.9.0", "requirements.txt", False),), "gunicorn",
                                    "wsgi") == ()
    assert deps.dated_server_floors((flask, bare), "granian", "wsgi") == ()
    assert deps.dated_server_floors((flask,), "gunicorn", "wsgi") == ()
    # on a Python older than the usual floor installs on, the configuration's own floor
    old = deps.dated_server_floors((bare,), "gunicorn", "wsgi", python="3.6")
    assert [needed for _, needed in old] == ["gunicorn>=20.1"]
    # what granian needs of click, left open by the app
    click = Dependency("click", "", "requirements.txt", False)
    assert [needed for _, needed in deps.dated_server_floors((click,), "granian", "wsgi")] == ["click>=8.1"]


# a repository of several projects, each with its own Pipfile: the web app's are those beside it
_MONOREPO = {
    "data_tools/Pipfile": '[packages]\nredis = "*"\n',
    "data_tools/dump.py": "import redis\n",
    "scraper/Pipfile": '[packages]\nscrapy = "*"\n',
    "scraper/scraper/spider.py": "import scrapy\n",
    "web/Pipfile": '[packages]\nflask = "*"\n',
    "web/.python-version": "3.9.1\n",
    "web/wsgi.py": "from webapp import app\n",
    "web/webapp/__init__.py": "from flask import Flask\nimport sqlalchemy\napp = Flask(__name__)\n",
}


def test_in_a_monorepo_the_dependency_files_beside_the_app_are_read(tmp_path):
    project = Project(make_tree(tmp_path, _MONOREPO))
    mine = deps.declared(project, "web")
    assert reqs(mine) == {"flask"} and mine.files == ("web/Pipfile",)
    assert mine.own_project == "web" and mine.folder == "web"
    # without the app's folder, the shallowest first (as before)
    assert deps.declared(project).files == ("data_tools/Pipfile",)


# run.py at the root, its requirements in backend/: the root's code is the app's, beside docs/ (a decoy) or a
# worker/ with requirements of its own alike
@pytest.mark.parametrize("other", ["docs/requirements.txt", "worker/requirements.txt"])
def test_an_app_above_its_dependency_files_keeps_all_its_imports(tmp_path, other):
    project = Project(make_tree(tmp_path, {"run.py": "import flask\n", "backend/requirements.txt": "Flask\n",
                                           other: "sphinx\n"}))
    found = deps.declared(project, ".")
    assert found.files == ("backend/requirements.txt",) and found.own_project == ""


def test_a_monorepo_plan_infers_no_packages_from_the_other_projects(tmp_path):
    from shipyard.planner import make_plan
    plan = make_plan(make_tree(tmp_path, _MONOREPO), confirm=False, installed=False)
    assert plan.workdir == "web" and plan.dependency_files == ("web/Pipfile",)
    names = {d.name.lower() for d in plan.dependencies}
    assert {"flask", "sqlalchemy"} <= names and not names & {"redis", "scrapy"}
    assert plan.python.version == "3.9" and plan.python.source == ".python-version in web/"



def test_a_folder_of_requirement_files_named_otherwise_is_read_like_requirements(tmp_path):
    # Seedstars' py-requirements/: prod.txt includes base.txt; dev.txt is not production's
    result = declared(tmp_path, {"py-requirements/base.txt": "Django==1.11.4\n",
                                 "py-requirements/prod.txt": "-r base.txt\ngunicorn==19.7.1\n",
                                 "py-requirements/dev.txt": "-r base.txt\npytest\n", "src/manage.py": ""})
    assert reqs(result) == {"Django==1.11.4", "gunicorn==19.7.1"}
    assert result.files == ("py-requirements/prod.txt", "py-requirements/base.txt")
    # a folder of other text files is not one
    other = declared(tmp_path / "b", {"notes/todo.txt": "flask\n", "requirements.txt": "bottle\n"})
    assert reqs(other) == {"bottle"}


def test_a_bare_vcs_url_line_installs_under_its_egg_or_repository_name(tmp_path):
    result = declared(tmp_path, {"requirements.txt": "git+https://github.com/Seedstars/django-rest-logger.git\n"
                                                     "git+https://github.com/o/thing.git@v1#egg=other-name\n"
                                                     "https://example.invalid/pkgs/tool-1.0.tar.gz\n"})
    assert reqs(result) == {"django-rest-logger @ git+https://github.com/Seedstars/django-rest-logger.git",
                            "other-name @ git+https://github.com/o/thing.git@v1",
                            "tool @ https://example.invalid/pkgs/tool-1.0.tar.gz"}
    assert any("installs under the name of its repository, django-rest-logger" in n for n in result.notes)


def test_a_git_protocol_address_is_read_over_https_by_serve_and_the_image(tmp_path, monkeypatch):
    # `git+git://github.com/...` (a 2015 requirements.txt): GitHub no longer serves git://, and uv refused the whole
    # file ("Unsupported Git URL scheme"), so nothing installed; the same address over https:// is the repository
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    files = {"requirements.txt": "Django>=1.7,<1.8\ngit+git://github.com/o/django-select2#egg=django-select2\n"
                                 "-e git+git://github.com/o/lib.git#egg=lib\nthing @ git+git://github.com/o/thing\n"
                                 "kept @ git+https://github.com/o/kept\n",
             "Pipfile": '[packages]\npiped = {git = "git://github.com/o/piped.git", ref = "v1"}\n'}
    result = declared(tmp_path / "a", {"requirements.txt": files["requirements.txt"]})
    assert reqs(result) == {"Django>=1.7,<1.8", "django-select2 @ git+https://github.com/o/django-select2",
                            "lib @ git+https://github.com/o/lib.git", "thing @ git+https://github.com/o/thing",
                            "kept @ git+https://github.com/o/kept"}
    assert sum("git's own protocol (git://)" in n for n in result.notes) == 3
    assert reqs(declared(tmp_path / "b", {"Pipfile": files["Pipfile"]})) == {"piped @ git+https://github.com/o/piped.git@v1"}
    root = make_tree(tmp_path / "app", {**{"requirements.txt": files["requirements.txt"]},
                                        "app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    dockerfile = render(make_plan(root, confirm=False, installed=False), Target.image())["Dockerfile"]
    assert "the copies of the requirement files say git+https:// instead" in dockerfile
    sed = next(line for line in dockerfile.splitlines() if "sed -i -E" in line)
    expression = sed[sed.index("-e '") + 4:sed.index("' requirements.txt")]
    copy = tmp_path / "copy.txt"
    copy.write_text(files["requirements.txt"])
    subprocess.run(["sed", "-i", "-E", "-e", expression, str(copy)], check=True)
    assert "git://" not in copy.read_text() and copy.read_text().count("git+https://github.com/o/") == 4


def test_the_git_protocol_is_rewritten_in_one_pass_where_the_declarations_are_gathered(tmp_path, monkeypatch):
    # the readers keep the address as the file writes it; declared() reads every file, then rewrites once (a
    # requirements line, a Poetry git table, the widened marker's mark kept last for widened_markers)
    line = 'thing @ git+git://github.com/o/thing ; python_full_version == "3.9.16"\n'
    pyproject = '[tool.poetry.dependencies]\npython = "^3.9"\npoet = {git = "git://github.com/o/poet.git"}\n'
    root = make_tree(tmp_path / "a", {"requirements.txt": line, "pyproject.toml": pyproject})
    assert [d.spec for d in deps.read_requirements(Project(root), "requirements.txt")[0]] == \
        [' @ git+git://github.com/o/thing ; python_version == "3.9"']
    passes = []
    rewrite = deps.over_https
    monkeypatch.setattr(deps, "over_https", lambda found, notes: passes.append(1) or rewrite(found, notes))
    result = deps.declared(Project(root))
    assert passes == [1]
    assert {d.name: d.source for d in result.dependencies} == {
        "thing": "requirements.txt (git:// read as https://) (marker widened from python_full_version == \"3.9.16\")",
        "poet": "pyproject.toml (git:// read as https://)"}
    assert reqs(result) == {'thing @ git+https://github.com/o/thing ; python_version == "3.9"',
                            "poet @ git+https://github.com/o/poet.git"}
    assert [d.name for d, _, _ in deps.widened_markers(result.dependencies)] == ["thing"]
    assert sum("git's own protocol (git://)" in n for n in result.notes) == 2


def test_the_line_debians_pip_freeze_writes_for_setuptools_is_skipped_with_a_note(tmp_path):
    # a requirements.txt frozen with Ubuntu's pip: no index has pkg-resources, and installing it failed there
    result = declared(tmp_path, {"requirements.txt": "Flask==2.0.2\npkg-resources==0.0.0\npkg_resources==0.0.1\n"})
    assert reqs(result) == {"Flask==2.0.2", "pkg_resources==0.0.1"}     # another release is not the artifact
    assert "requirements.txt: 'pkg-resources==0.0.0' skipped (Debian's pip freeze writes it for setuptools; no " \
           "package index has it: remove the line)" in result.notes


def test_the_plan_names_the_debian_freeze_line_and_the_image_overrides_it_away(tmp_path, monkeypatch):
    # the image installs the requirements file as written: without the override its build failed on that line
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "app", {
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "requirements.txt": "Flask==3.0.3\npkg-resources==0.0.0 \\\n    --hash=sha256:abc\n",
        "requirements-dev.txt": "pkg-resources==0.0.0\n"})           # dev files are never installed
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.unavailable == ("pkg-resources",)
    assert type(plan).from_json(plan.to_json()) == plan
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert ("RUN printf '%s\\n' 'pkg-resources ; sys_platform == \"never\"' >/tmp/relaxed-pins.txt \\\n"
            " && /opt/uv/bin/uv pip install --python /opt/venv/bin/python -r requirements.txt --override "
            "/tmp/relaxed-pins.txt") in dockerfile
    assert "# pkg-resources in the requirements is the line Debian's pip freeze writes" in dockerfile
    (root / "requirements.txt").write_text("Flask==3.0.3\npkg_resources==0.0.1\n")   # another release is kept
    kept = make_plan(root, confirm=False, installed=False)
    assert kept.unavailable == () and "--override" not in render(kept, Target.image())["Dockerfile"]


def test_a_conda_freezes_file_urls_install_from_the_index_with_a_note(tmp_path):
    # `pip freeze` in a conda environment writes the folder conda built a package in; uv failed the whole
    # install on it ("Distribution not found at: file:///C:/ci/pyjwt_1619682721924/work")
    result = declared(tmp_path, {"requirements.txt": "Flask==2.0.3\n"
                                 "PyJWT @ file:///C:/ci/pyjwt_1619682721924/work\n"
                                 "certifi @ file:///tmp/build/80754af9/certifi_1626987837526/work/certifi\n"
                                 "mylib @ file:///" + str(tmp_path).lstrip("/") + "\n"})   # a folder here stays
    assert reqs(result) == {"Flask==2.0.3", "PyJWT", "certifi", f"mylib @ file:///{str(tmp_path).lstrip('/')}"}
    assert ("requirements.txt: 'PyJWT @ file:///C:/ci/pyjwt_1619682721924/work' names C:/ci/pyjwt_1619682721924/work,"
            " a folder on the machine that froze it (a pip freeze in a conda environment writes these): installed "
            "from the package index instead") in result.notes
    assert [(d.name, line) for d, line in deps.frozen_elsewhere(result.dependencies)] == [
        ("PyJWT", "PyJWT @ file:///C:/ci/pyjwt_1619682721924/work"),
        ("certifi", "certifi @ file:///tmp/build/80754af9/certifi_1626987837526/work/certifi")]


def test_the_image_overrides_a_conda_freezes_file_url_with_the_index_release(tmp_path, monkeypatch):
    # the image installs the requirements file as written: without the override its build failed on that line
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "app", {
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "requirements.txt": "Flask==3.0.3\nPyJWT @ file:///C:/ci/pyjwt_1619682721924/work\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert "PyJWT" in {d.requirement for d in plan.dependencies}
    assert type(plan).from_json(plan.to_json()) == plan
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert ("RUN printf '%s\\n' PyJWT >/tmp/relaxed-pins.txt \\\n"
            " && /opt/uv/bin/uv pip install --python /opt/venv/bin/python -r requirements.txt --override "
            "/tmp/relaxed-pins.txt") in dockerfile
    assert "# The app's requirements name PyJWT @ file:///C:/ci/pyjwt_1619682721924/work, a folder" in dockerfile


def test_the_image_installs_scikit_learn_for_a_sklearn_line_as_serve_does(tmp_path, monkeypatch):
    # a 2024 pdf-to-data app's requirements.txt names `sklearn`: serve installed scikit-learn, while the image
    # installed the file as written and its build stopped on the index's placeholder ("use scikit-learn")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "app", {
        "app.py": "from flask import Flask\nfrom sklearn.cluster import KMeans\napp = Flask(__name__)\n",
        "requirements.txt": "Flask==3.0.3\nsklearn\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert [(d.requirement, line) for d, line in deps.renamed(plan.dependencies)] == [("scikit-learn", "sklearn")]
    assert type(plan).from_json(plan.to_json()) == plan
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert ("RUN printf '%s\\n' 'sklearn ; sys_platform == \"never\"' >/tmp/relaxed-pins.txt \\\n"
            " && /opt/uv/bin/uv pip install --python /opt/venv/bin/python -r requirements.txt scikit-learn --override "
            "/tmp/relaxed-pins.txt") in dockerfile, dockerfile
    assert "# The app's requirements name sklearn, a placeholder on the index that stands for scikit-learn" in dockerfile


@pytest.mark.parametrize("name, lines, dev, expected", [
    # a 2019 tutorial's `pip3 install -r requirement.txt`: unread, its packages were guessed from the imports
    # (rest_auth -> rest-auth, not on the index) and the image installed no file of the app's
    ("requirement.txt", "Django==2.2.6\ndjango-rest-auth\n", "requirement-dev.txt",
     {"Django==2.2.6", "django-rest-auth"}),
    # a 2019 DRF starter's Dockerfile runs `pip install -r requirements.pip`: unread, django-redis (named only in
    # a CACHES backend string) was never installed, and the packages were guessed from the imports
    ("requirements.pip", "django==2.1.5\ndjango-redis==4.9.0\n", "requirements-dev.pip",
     {"django==2.1.5", "django-redis==4.9.0"}),
    # a README's `pip install -r requirements`, the file named so with no suffix: unread, the packages were guessed
    # from the imports (python-dotenv, imported by no module, left out) and the pins lost; the image installed
    # no file of the app's
    ("requirements", "flask==3.0.3\nrequests==2.32.3\npython-dotenv==1.0.1\n", "requirements-dev.txt",
     {"flask==3.0.3", "requests==2.32.3", "python-dotenv==1.0.1"}),
])
def test_a_requirements_file_of_another_spelling_is_the_apps_requirements_file(tmp_path, monkeypatch, name, lines,
                                                                                dev, expected):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    files = {name: lines, dev: "pytest\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"}
    result = declared(tmp_path / "d", files)
    assert reqs(result) == expected and result.files == (name,)
    plan = make_plan(make_tree(tmp_path / "app", files), confirm=False, installed=False)
    assert not plan.dependencies_inferred and plan.dependency_files == (name,)
    assert f"-r {name} " in render(plan, Target.image())["Dockerfile"]


def test_a_misspelt_requirements_file_is_the_apps_requirements_file(tmp_path, monkeypatch):
    # a 2024 course's freeze saved as requrements.txt: unread, the packages were guessed from the imports
    # (SQLAlchemy 2.1 with no greenlet, whose asyncio import then failed) and its pins were lost
    # requerment.txt, two edits from the singular: a 2024 hotel API's, unread, lost its debug_toolbar
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = "import fastapi\nimport sqlalchemy\napp = fastapi.FastAPI()\n"
    for name in ("requrements.txt", "requirments.txt", "Requirement.txt", "requierments-prod.txt", "requerment.txt"):
        result = declared(tmp_path / name, {name: "fastapi==0.112.1\nSQLAlchemy==2.0.32\ngreenlet==3.0.3\n",
                                            "main.py": app})
        assert result.files == (name,), name
        assert reqs(result) == {"fastapi==0.112.1", "SQLAlchemy==2.0.32", "greenlet==3.0.3"}
    # other text files are not: a word two edits away that is not requirements, a note about them
    for name in ("retirement.txt", "readme.txt", "required_reading.txt"):
        assert declared(tmp_path / ("x" + name), {name: "fastapi==0.112.1\n", "main.py": app}).files == (), name
    # abbreviated, as READMEs name it (`pip install -r req.txt`): a 2025 app's, unread, left its passlib[argon2] to
    # the imports' bare passlib, and argon2-cffi, the hasher its CryptContext uses first, was never installed;
    # its dev twin is not production's, and a req.txt that is no pip file (a request to replay) is not read
    for name in ("req.txt", "reqs.txt"):
        result = declared(tmp_path / ("a" + name), {name: "fastapi==0.112.1\npasslib[argon2]==1.7.4\n",
                                                    "req-dev.txt": "pytest\n", "main.py": app})
        assert result.files == (name,), name
        assert reqs(result) == {"fastapi==0.112.1", "passlib[argon2]==1.7.4"}
    assert declared(tmp_path / "request", {"req.txt": "GET /api/items HTTP/1.1\nHost: localhost\n",
                                           "main.py": app}).files == ()
    plan = make_plan(make_tree(tmp_path / "app", {"requrements.txt": "fastapi==0.112.1\nSQLAlchemy==2.0.32\n",
                                                  "main.py": app}), confirm=False, installed=False)
    assert not plan.dependencies_inferred and plan.dependency_files == ("requrements.txt",)
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert "# Dependencies as declared in requrements.txt" in dockerfile and "SQLAlchemy==2.0.32" in dockerfile

UV_LOCK_WORKSPACE = """
version = 1
requires-python = ">=3.11"

[manifest]
members = ["core", "web"]

[[package]]
name = "core"
version = "0.1.0"
source = { editable = "packages/core" }
dependencies = [{ name = "sqlalchemy" }]

[[package]]
name = "flask"
version = "3.0.3"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "sqlalchemy"
version = "2.0.30"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "web"
version = "0.1.0"
source = { editable = "apps/web" }
dependencies = [{ name = "core" }, { name = "flask" }]
"""


def test_a_member_of_a_uv_workspace_reads_its_own_file_pinned_by_the_roots_lock(tmp_path):
    # the root declares nothing but the workspace and keeps the one uv.lock; the app is apps/web, which depends on
    # the member packages/core (no index has it): core's own dependencies are read in its place
    make_tree(tmp_path, {
        "pyproject.toml": '[tool.uv.workspace]\nmembers = ["apps/*", "packages/*"]\n',
        "uv.lock": UV_LOCK_WORKSPACE,
        "apps/web/pyproject.toml": '[project]\nname = "web"\nversion = "0.1.0"\n'
                                   'dependencies = ["flask>=3", "core"]\n\n[tool.uv.sources]\ncore = { workspace = true }\n',
        "apps/web/app.py": "from flask import Flask\n\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n"
                           "    return 'hi'\n",
        "packages/core/pyproject.toml": '[project]\nname = "core"\nversion = "0.1.0"\ndependencies = ["SQLAlchemy>=2"]\n',
        "packages/core/src/core/__init__.py": "",
    })
    found = deps.declared(Project(tmp_path), "apps/web")
    assert {d.name: d.spec for d in found.dependencies} == {"flask": "==3.0.3", "SQLAlchemy": "==2.0.30"}, found
    assert found.files == ("apps/web/pyproject.toml", "uv.lock") and found.complete
    assert any("core is a member of the uv workspace (packages/core/), not a package on an index: its dependencies "
               "are read in its place (SQLAlchemy)" in n for n in found.notes), found.notes
    plan = make_plan(tmp_path, {}, confirm=False)
    assert plan.entry.target.endswith("app:app") and "flask==3.0.3" in [d.requirement for d in plan.dependencies]


def test_the_root_of_a_uv_workspace_depending_on_a_member_reads_the_members_dependencies(tmp_path):
    make_tree(tmp_path, {
        "pyproject.toml": '[project]\nname = "site"\nversion = "0.1.0"\ndependencies = ["fastapi", "shared-lib"]\n\n'
                          '[tool.uv.sources]\nshared-lib = { workspace = true }\n\n'
                          '[tool.uv.workspace]\nmembers = ["libs/*"]\nexclude = ["libs/old"]\n',
        "libs/shared/pyproject.toml": '[project]\nname = "shared_lib"\nversion = "1"\ndependencies = ["httpx", "old"]\n',
        "libs/old/pyproject.toml": '[project]\nname = "old"\nversion = "1"\ndependencies = ["never-read"]\n',
    })
    found = deps.declared(Project(tmp_path))
    # libs/old is excluded from the workspace: `old` is a dependency like any other
    assert sorted(d.name for d in found.dependencies) == ["fastapi", "httpx", "old"], found


def test_on_a_python_the_servers_usual_floor_skips_the_pin_moves_to_the_configurations_floor():
    """gunicorn 23 needs Python 3.7: a 2018 app on 3.6 pinning gunicorn==19.9.0 (no `wsgi_app` setting) gets
    gunicorn>=20.1, whose 21.2 still installs there; a pin already past that floor is kept."""
    flask = Dependency("Flask", "==1.0.2", "requirements.txt", False)
    old = Dependency("gunicorn", "==19.9.0", "requirements.txt", False)
    on_36 = deps.outdated_server_pins((flask, old), "gunicorn", "wsgi", python="3.6")
    assert [(own.requirement, needed) for own, needed in on_36] == [("gunicorn==19.9.0", "gunicorn>=20.1")]
    on_311 = deps.outdated_server_pins((flask, old), "gunicorn", "wsgi", python="3.11.4")
    assert [needed for _, needed in on_311] == ["gunicorn>=23.0"]
    kept = Dependency("gunicorn", "==20.1.0", "requirements.txt", False)
    assert deps.outdated_server_pins((flask, kept), "gunicorn", "wsgi", python="3.6") == ()


def test_the_images_server_upgrade_on_python_36_is_one_that_installs_there(tmp_path):
    from dataclasses import replace

    from conftest import make_tree
    from shipyard.planner import make_plan
    from shipyard.render import Target, render
    app = make_tree(tmp_path / "app", {"app.py": "from flask import Flask\napp = Flask(__name__)\n",
                                       "requirements.txt": "Flask==1.0.2\ngunicorn==19.9.0\n"})
    plan = make_plan(app, {"server": "gunicorn"}, confirm=False, installed=False)
    plan = replace(plan, python=replace(plan.python, version="3.6"))
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert "# The app pins gunicorn==19.9.0, older than this image's gunicorn configuration needs: gunicorn>=20.1" \
        in dockerfile and "gunicorn>=23" not in dockerfile


def test_the_sklearn_placeholder_line_installs_scikit_learn(tmp_path):
    # a 2021 research tool's unpinned requirements name `sklearn`: the index's placeholder refuses every install
    # since December 2023 (before, the proof walked down Pythons for it and then left it out as unused, and the
    # app's `from sklearn.cluster import ...` failed); what it always installed was scikit-learn
    result = declared(tmp_path, {"requirements.txt": "tornado\nsklearn\nSklearn==0.0; python_version >= '3'\n"})
    assert reqs(result) == {"tornado", "scikit-learn"}
    assert any(n.startswith("requirements.txt: 'sklearn' installs scikit-learn instead: its package on the index is "
                            "a placeholder") for n in result.notes), result.notes
    marked = declared(tmp_path / "m", {"requirements.txt": "sklearn==0.0; python_version >= '3'\n"})
    assert reqs(marked) == {'scikit-learn; python_version >= "3"'}


def test_a_requirements_file_with_no_suffix_that_is_prose_is_not_read(tmp_path, monkeypatch):
    # `requirements` saying what to install in words: pip would refuse it, and so would the image's `uv pip install
    # -r requirements`; the packages come from the imports, as with no file
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    files = {"requirements": "You need Python 3 and Flask installed.\nThen run app.py\n",
             "app.py": "from flask import Flask\napp = Flask(__name__)\n"}
    result = declared(tmp_path / "d", files)
    assert result.files == () and reqs(result) == set()
    plan = make_plan(make_tree(tmp_path / "app", files), confirm=False, installed=False)
    assert plan.dependencies_inferred
    assert "COPY requirements requirements" not in render(plan, Target.image())["Dockerfile"]
    # options, includes, URLs and comments are pip's: read
    lines = "# pinned\n-i https://pypi.org/simple\nflask==3.0.3  # web\ngit+https://example.org/x.git#egg=x\n"
    assert declared(tmp_path / "e", {**files, "requirements": lines}).files == ("requirements",)
