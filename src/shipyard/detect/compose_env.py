"""The environment the app's own compose file gives it: the `environment:` (and `env_file:`) of the service
that builds the app.

Apps whose README says `docker compose up` often keep their run-time configuration only there
(SECRET_KEY, DJANGO_ALLOWED_HOSTS, DJANGO_SECURE_SSL_REDIRECT=False, a Celery broker). Shipyard reads it in
place, as it reads an example env file (detect/envfile.py), for the import proof, `serve` and `dev`; never
into the image or the generated files. A compose file Shipyard generated itself (its header) is not the
app's. A folder with no compose file of the standard names may have only a variant the README runs with `-f`
(docker-compose-dev.yml): that one is read (`compose_files`). An `env_file:` the repository leaves out (gitignored)
is read from the example committed beside it (`app.env.example`, `.env.sample`: `example_of`).

The app's service, stated once (`app_service`): among the services that build from the app's folder (or
its workdir, or a folder between the two that holds it: `build: ./services/backend` for services/backend/app), the one that publishes a port (a worker beside it publishes none), then one named like a web
service (web, app, api, backend, django, flask, server), then the first. A compose file written for
self-hosters builds nothing: it runs the image the project's Dockerfile makes, as published
(`image: owner/app:latest`) beside `postgres:17`; there the app's service is the one image-only service that
publishes a port the project's own Dockerfile EXPOSEs (`published_image_service`).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Iterator

import yaml

from ..project import Project
from . import envfile
from .generated import PREFIX as GENERATED_PREFIX

NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
# A folder with none of NAMES may keep its setup in a variant that the README or CI runs with `-f`
# (testdriven.io's docker-compose-dev.yml, docker-compose.dev.yml, compose.local.yaml): a development one
# first (what a person runs on their machine, as serve does), then any other but a test or CI one.
_VARIANT = re.compile(r"^(?:docker-)?compose[-._]([\w.-]+?)\.ya?ml$", re.I)
_DEVELOPMENT = ("dev", "develop", "development", "local")
_NOT_THE_APPS = ("test", "tests", "testing", "ci", "override")
WEB_NAMES = ("web", "app", "api", "backend", "django", "flask", "server", "website")


@dataclass(frozen=True)
class ComposeEnv:
    path: str                             # the compose file, relative to the project root
    service: str
    values: tuple[tuple[str, str], ...]   # in file order: env_file entries, then environment (which wins)
    dockerfile: str | None = None         # the one its build names (docker/Dockerfile.dev), relative to the root

    def note(self) -> str:
        return f"the environment of service {self.service!r} in the app's {self.path}"


def find(project: Project, folders: tuple[str, ...] = (".",)) -> ComposeEnv | None:
    """The environment of the app's service in the first compose file of `folders` (the project root, then
    the app's workdir), or else of a deployment folder (docker/, deploy/), that has one."""
    # then a root folder of deployment files (docker/docker-compose.yml building `../backend/`): its service that
    # builds the app's folder is the app's as much
    for folder in dict.fromkeys((*folders, *envfile.DEPLOYMENT_FOLDERS)):
        for rel in compose_files(project, folder):
            text = project.read_text(rel)
            if text.startswith(GENERATED_PREFIX):
                continue
            found = _read(project, rel, text, folders)
            if found is not None:
                return found
    return None


def compose_files(project: Project, folder: str) -> list[str]:
    """The compose files of `folder` that are the app's setup, relative to the root: those of NAMES there, in that
    order; when it has none, its variants (_VARIANT), development ones first (rule beside NAMES)."""
    base = "" if folder in ("", ".") else folder.rstrip("/") + "/"
    standard = [base + name for name in NAMES if project.is_file(base + name)]
    if standard:
        return standard
    variants = []
    for rel in project.files:
        head, _, name = rel.rpartition("/")
        match = _VARIANT.match(name)
        if (head + "/" if head else "") != base or match is None:
            continue
        kind = match.group(1).lower()
        if kind not in _NOT_THE_APPS:
            variants.append((kind not in _DEVELOPMENT, rel))
    return [rel for _, rel in sorted(variants)]


def _read(project: Project, rel: str, text: str, folders: tuple[str, ...]) -> ComposeEnv | None:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return None
    name = app_service(services, str(PurePosixPath(rel).parent), folders) \
        or published_image_service(project, services, str(PurePosixPath(rel).parent))
    if name is None:
        return None
    body = services[name]
    base = PurePosixPath(rel).parent
    values = service_values(project, rel, body)
    build = body.get("build")
    dockerfile = None
    if isinstance(build, dict) and isinstance(build.get("dockerfile"), str):
        dockerfile = posixpath.normpath(str(PurePosixPath(build_context(build, str(base)) or ".") / build["dockerfile"]))
    return ComposeEnv(rel, name, tuple(values.items()), dockerfile) if values else None


def service_values(project: Project, rel: str, body: dict) -> dict[str, str]:
    """The variables compose gives the service `body` of the compose file `rel`: its env_file entries, then its
    environment (which wins), interpolated as compose does; those passed through from the host are left out."""
    values: dict[str, str] = {}
    base = PurePosixPath(rel).parent
    for env_file in _as_list(body.get("env_file")):
        path = env_file.get("path") if isinstance(env_file, dict) else env_file
        target = str(base / str(path)) if path else ""
        if target and not project.is_file(target):
            target = example_of(project, target) or ""
        if target and project.is_file(target):
            values.update(envfile.parse(project.read_text(target)))
    environment = body.get("environment")
    if isinstance(environment, dict):
        pairs = [(str(k), v) for k, v in environment.items()]
    else:
        pairs = [tuple(str(item).partition("=")[::2]) if "=" in str(item) else (str(item), None)
                 for item in _as_list(environment)]
    substitutes = interpolation_env(project, str(base))
    for key, value in pairs:
        if value is None:
            continue                      # passed through from the host: nothing to give
        # ${VAR:-default} as compose interpolates it (its project .env; else what the service set so far)
        values[key] = envfile.interpolate(_text(value), {**values, **substitutes})
    return values


def example_of(project: Project, target: str) -> str | None:
    """The example committed in place of an env_file the repository leaves out (`docker/environments/app.env`,
    gitignored, beside its `app.env.example`; `.env` beside `.env.sample`): what a person copies before `docker
    compose up`. Its name is the file's with generic words after it (example, sample, template, dist...)."""
    folder, name = posixpath.split(posixpath.normpath(target))
    found = []
    for rel in project.files:
        parent, other = posixpath.split(rel)
        if parent == folder and other.startswith(name + ".") and \
                all(word.lower() in envfile.GENERIC for word in other[len(name) + 1:].split(".")):
            found.append(rel)
    return min(found, key=lambda rel: (len(rel), rel)) if found else None


# a value compose takes whole from the shell of whoever runs it: $NAME, ${NAME}, ${NAME:?message}, ${NAME?message}
_FROM_SHELL = re.compile(r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?::?\?[^}]*)?\})")


def left_to_fill(project: Project, folders: tuple[str, ...] = (".",)) -> dict[str, str]:
    """The variables the app's compose files hand its service from the shell of whoever runs them, with no value
    of their own (`GEOCODING_KEY=$GEOCODING_KEY`, `STRIPE_KEY: ${STRIPE_KEY}`, a bare `- SENTRY_DSN`), and that
    the compose file's own .env (or example env file) does not give either: a key only the user has, listed for
    them to fill as an example env file's empty slot lists it. Every compose file of `folders` counts, a test
    variant's too (its `web` service imports the app as serve does). Name -> the compose file."""
    out: dict[str, str] = {}
    for folder in dict.fromkeys(folders):
        base = "" if folder in ("", ".") else folder.rstrip("/") + "/"
        rels = [base + name for name in NAMES if project.is_file(base + name)] + sorted(
            rel for rel in project.files if rel.rpartition("/")[0] == base.rstrip("/")
            and _VARIANT.match(rel.rpartition("/")[2]))
        substitutes = interpolation_env(project, folder or ".")
        for rel in rels:
            services = own_services(project, rel)
            name = app_service(services, str(PurePosixPath(rel).parent), folders) if services else None
            if name is None:
                continue
            environment = services[name].get("environment")
            pairs = [(str(k), v) for k, v in environment.items()] if isinstance(environment, dict) else \
                [tuple(str(item).partition("=")[::2]) if "=" in str(item) else (str(item), None)
                 for item in _as_list(environment)]
            for key, value in pairs:
                match = _FROM_SHELL.fullmatch(_text(value).strip()) if value is not None else None
                passed = key if value is None else (match.group(1) or match.group(2)) if match else None
                if passed and not substitutes.get(passed):
                    out.setdefault(key, rel)
    return out


def interpolation_env(project: Project, folder: str) -> dict[str, str]:
    """The variables Compose substitutes into the compose file in `folder`: its `.env`, else the example env
    file there (rule in the module docstring)."""
    base = PurePosixPath(folder)
    dotenv = str(base / ".env") if folder not in ("", ".") else ".env"
    if project.is_file(dotenv):
        return envfile.parse(project.read_text(dotenv))
    example = envfile.find(project, (folder,))
    return dict(example.values) if example is not None else {}


def production_env(project: Project, found: ComposeEnv) -> tuple[str, dict[str, str]] | None:
    """(the root Dockerfile, its final stage's ENV) when the app's compose service builds ANOTHER Dockerfile
    (Dockerfile-dev beside it): the compose file is then the development setup, and the root Dockerfile's ENV
    is how the app runs in production (`ENV FLASK_ENV=prod` where compose says FLASK_ENV=docker)."""
    root = next((n for n in ("Dockerfile", "Containerfile") if project.is_file(n)), None)
    if root is None or found.dockerfile is None or found.dockerfile == root:
        return None
    text = project.read_text(root)
    if text.startswith(GENERATED_PREFIX):
        return None
    from ..lint.readers import dockerfile as dockerfile_reader
    return root, {name: value for name, (value, _) in dockerfile_reader.read(root, text).env().items()}


def app_services(project: Project, folders: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], str]]:
    """For each compose file of the project's own (not one Shipyard wrote) that has an app service building from
    one of `folders`: its services and that service's name, in compose_files' order."""
    for name in compose_files(project, "."):
        services = own_services(project, name)
        service = app_service(services, ".", folders) if services else None
        if service is not None:
            yield services, service


def own_services(project: Project, rel: str) -> dict[str, Any] | None:
    """The `services` mapping of the compose file `rel`, unless Shipyard wrote that file or it is not YAML."""
    text = project.read_text(rel)
    if text.startswith(GENERATED_PREFIX):
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    services = data.get("services") if isinstance(data, dict) else None
    return services if isinstance(services, dict) else None


def app_dockerfile(project: Project) -> str | None:
    """The Dockerfile the app's service in its own compose file builds (`build: {context: ., dockerfile:
    docker/Dockerfile}`), relative to the project root, when it is not the root's Dockerfile."""
    for services, service in app_services(project, (".",)):
        build = services[service].get("build")
        if isinstance(build, dict) and isinstance(build.get("dockerfile"), str):
            rel = posixpath.normpath(str(PurePosixPath(build_context(build, ".") or ".") / build["dockerfile"]))
            if project.is_file(rel):
                return rel
    return None


def app_service(services: dict[str, Any], compose_dir: str, folders: tuple[str, ...]) -> str | None:
    """The service that runs the app (rule in the module docstring), or None when none builds it: one
    whose build context is the project's root or the app's workdir (`folders`), or a folder between them: a
    context of services/backend whose Dockerfile copies app/ in, for an app in services/backend/app."""
    wanted = {str(p) for f in folders for p in (PurePosixPath(posixpath.normpath(f)),
                                                *PurePosixPath(posixpath.normpath(f)).parents)}
    building = [name for name, body in services.items()
                if isinstance(body, dict) and build_context(body.get("build"), compose_dir) in wanted]
    if not building:
        return None
    published = [n for n in building if services[n].get("ports")]
    named = [n for n in building if str(n).lower() in WEB_NAMES]
    return str((published or named or building)[0])


def published_image_service(project: Project, services: dict[str, Any], compose_dir: str) -> str | None:
    """When no service builds: the one service running a ready image that publishes a container port the
    Dockerfile beside the compose file EXPOSEs (FindMy-style self-hosting: `image: findmydashboard/full`,
    ports '8000:8000', and the repository's Dockerfile says EXPOSE 8000); None when none or several do."""
    if any(isinstance(body, dict) and body.get("build") for body in services.values()):
        return None
    exposed = _exposed_ports(project, compose_dir)
    if not exposed:
        return None
    matching = [str(name) for name, body in services.items()
                if isinstance(body, dict) and body.get("image") and exposed & _container_ports(body.get("ports"))]
    return matching[0] if len(matching) == 1 else None


def _exposed_ports(project: Project, folder: str) -> set[str]:
    """The ports the final stage of the project's own Dockerfile in `folder` EXPOSEs ("8000" of `EXPOSE 8000/tcp`)."""
    for name in ("Dockerfile", "Containerfile"):
        rel = name if folder in ("", ".") else str(PurePosixPath(folder) / name)
        if not project.is_file(rel) or (text := project.read_text(rel)).startswith(GENERATED_PREFIX):
            continue
        from ..lint.readers import dockerfile as dockerfile_reader
        return {word.split("/")[0] for ins in dockerfile_reader.read(rel, text).final("EXPOSE") for word in ins.words()}
    return set()


def _container_ports(ports: Any) -> set[str]:
    """The container side of a service's `ports:` ("8000" of '127.0.0.1:8080:8000/tcp', of {target: 8000})."""
    out: set[str] = set()
    for item in _as_list(ports):
        if isinstance(item, dict):
            if item.get("target") is not None:
                out.add(str(item["target"]))
        else:
            out.add(str(item).rsplit(":", 1)[-1].split("/")[0])
    return out


def build_context(build: Any, compose_dir: str) -> str | None:
    """The folder, relative to the project root, a compose service's `build:` builds from: its `context:` (or the
    short form's string), resolved against `compose_dir`, the compose file's folder ("." when the service builds
    from the compose file's folder, as compose defaults it); None when `build` gives no folder."""
    context = build.get("context", ".") if isinstance(build, dict) else build
    if not isinstance(context, str):
        return None
    return posixpath.normpath(str(PurePosixPath(compose_dir) / context))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    """A YAML scalar as compose passes it to the container (booleans as "true"/"false")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
