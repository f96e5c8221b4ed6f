"""The environment the app's own Dockerfile gives it: the ENV of its final stage, for the names its code reads.

A course project that runs only in Docker keeps its switches there (`ENV VCP_BACKEND_SERVER=PROD`, which its
settings package reads with `os.environ[...]` to import prod.py or dev.py, raising KeyError when unset), and
its README says `docker compose up`. Shipyard reads it in place, after the example env file and the compose
service's environment (appconfig.py): the root Dockerfile is how the app runs in production (serve), the one
the compose service builds (Dockerfile.dev) how it runs in development (dev). Only names the code reads, and
none that Shipyard decides itself (the settings module is the entry's; PORT and the like are serve's), so a
Dockerfile's DJANGO_SETTINGS_MODULE or PYTHONPATH never changes what the plan proved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection

from ..project import Project
from . import compose_env
from .generated import PREFIX as GENERATED_PREFIX

# what the plan, the server or serve set: never taken from the app's Dockerfile
_SHIPYARD_OWN = frozenset({"DJANGO_SETTINGS_MODULE", "DJANGO_CONFIGURATION", "PORT", "HOST", "PYTHONPATH",
                           "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PATH", "HOME", "VIRTUAL_ENV",
                           "FLASK_APP", "APP_HOME", "WORKDIR", "LANG", "LC_ALL"})


@dataclass(frozen=True)
class FileValues:
    """Values one file of the app gives its variables (a source of appconfig.run_config)."""
    path: str                             # relative to the project root
    values: tuple[tuple[str, str], ...]   # in file order


class DockerfileEnv(FileValues):
    def note(self) -> str:
        return f"the ENV of the app's own {self.path} (how its image runs it)"


def find(project: Project, read: Collection[str], *, development: bool = False) -> DockerfileEnv | None:
    """The ENV the app's Dockerfile sets for names in `read` (the variables its code reads): the root one, or
    for `development` the one its compose service builds when that is another (Dockerfile.dev)."""
    rel = (compose_env.app_dockerfile(project) if development else None) \
        or next((n for n in ("Dockerfile", "Containerfile") if project.is_file(n)), None)
    if rel is None:
        return None
    text = project.read_text(rel)
    if text.startswith(GENERATED_PREFIX):
        return None
    from ..lint.readers import dockerfile as dockerfile_reader
    values = tuple((name, value) for name, (value, _) in dockerfile_reader.read(rel, text).env().items()
                   if name in read and name not in _SHIPYARD_OWN and value and "$" not in value)
    return DockerfileEnv(rel, values) if values else None
