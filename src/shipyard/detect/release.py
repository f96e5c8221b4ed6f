"""The release command: what runs once, after the database is ready and before the app serves
(database migrations, data loaders). Declared with `release` in [tool.shipyard], else detected.

The command is argv; a leading "python" means the app's interpreter, whichever that is where it runs
(the image's virtualenv, or the app's own virtualenv under `serve`).
"""

from __future__ import annotations

import posixpath
import shlex
from pathlib import PurePosixPath

from ..errors import SettingError, UsageError
from ..plan import Dependency, Release
from ..project import Project
from .findings import EntryFinding


def detect(project: Project, finding: EntryFinding, dependencies: tuple[Dependency, ...],
           declared: str | None) -> Release | None:
    if declared:
        try:
            argv = tuple(shlex.split(declared))
        except ValueError as exc:
            raise SettingError(f"[tool.shipyard] release = {declared!r} is not a valid command: {exc}",
                               "write it as you would in a shell, e.g. release = \"flask --app app db upgrade\"")
        if argv and argv[0] in ("flask", "django-admin", "alembic"):
            argv = ("python", "-m", "django" if argv[0] == "django-admin" else argv[0], *argv[1:])
        return Release(argv, finding.workdir, "the release command from [tool.shipyard]", declared=True)
    names = {d.name.lower() for d in dependencies}
    if finding.framework == "django" or finding.entry.kind == "django":
        return Release(("python", "-m", "django", "migrate", "--noinput"), finding.workdir, "Django migrate")
    for base in dict.fromkeys((finding.workdir, ".")):
        prefix = "" if base == "." else f"{base}/"
        if finding.framework == "flask" and project.is_file(f"{prefix}migrations/env.py") \
                and "flask-migrate" in names:
            return Release(("python", "-m", "flask", "--app", finding.entry.target, "db", "upgrade"),
                           finding.workdir, "Flask-Migrate (flask db upgrade)")
        if project.is_file(f"{prefix}alembic.ini"):
            return Release(("python", "-m", "alembic", "upgrade", "head"), base, "Alembic (alembic upgrade head)")
        if "aerich" in names and aerich_migrations(project, prefix):
            # aerich reads [tool.aerich] from the pyproject.toml of the folder it runs in; its `aerich` script is
            # aerich.cli's main(), which the module runs too
            return Release(("python", "-m", "aerich.cli", "upgrade"), base, "aerich (Tortoise ORM: aerich upgrade)")
    ini = finding.entry.paste_ini
    if ini and _has_alembic_section(project, posixpath.normpath(posixpath.join(finding.workdir, ini))):
        # Pyramid's cookiecutter keeps Alembic's settings in the app's own ini: `alembic -c production.ini`
        return Release(("python", "-m", "alembic", "-c", ini, "upgrade", "head"), finding.workdir,
                       f"Alembic (alembic -c {ini} upgrade head)")
    return None


def aerich_migrations(project: Project, prefix: str) -> bool:
    """pyproject.toml's [tool.aerich] (written by `aerich init`) names a migrations folder that holds
    migrations (`aerich init-db` writes the first into LOCATION/APP/)."""
    rel = f"{prefix}pyproject.toml"
    if not project.is_file(rel):
        return False
    try:
        tool = project.read_toml(rel).get("tool", {}).get("aerich")
    except UsageError:
        return False
    location = tool.get("location") if isinstance(tool, dict) and tool.get("tortoise_orm") else None
    if not isinstance(location, str) or not location.strip():
        return False
    folder = posixpath.normpath(posixpath.join(prefix or ".", location))
    return any(f.startswith(f"{folder}/") and f.endswith(".py") and PurePosixPath(f).name != "__init__.py"
               for f in project.files)


def _has_alembic_section(project: Project, rel: str) -> bool:
    text = project.scan_text(rel) if project.is_file(rel) else None
    return text is not None and any(line.strip().lower() == "[alembic]" for line in text.splitlines())
