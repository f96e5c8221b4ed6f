"""Where the generated files run: inside the image, or on the developer's machine (`serve`/`dev`).

Templates read paths only from a Target, so the image and a local run use the same production files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Target:
    app_dir: str = "/app"              # the project root (plan paths are relative to it)
    venv: str = "/opt/venv"            # virtualenv holding the app's dependencies and the servers
    run_dir: str = "/tmp/shipyard"     # writable at run time: sockets, pid files, nginx temp folders
    config_dir: str = "/app"           # where the generated config files are read from
    listen_host: str = "0.0.0.0"       # where the app server (app/compose) or nginx (bundle) listens
    nginx_bin: str = "/usr/sbin/nginx"
    mime_types: str = "/etc/nginx/mime.types"
    in_image: bool = True
    # where the image keeps the app's SQLite files (the runtime links each where the app opens it), so one volume
    # mounted here keeps them across containers (render/database_setup.py)
    sqlite_dir: str = "/var/lib/app"
    # behind nginx, the TCP port of an app that starts its own server (a script entry) instead of taking a
    # unix socket; None: the port beside the public one (render.script_port)
    app_port: int | None = None
    # serve: the Host nginx passes for a request under a name the Django app does not accept (its ALLOWED_HOSTS
    # has localhost, not 127.0.0.1: run/django_hosts.py); None passes the client's own
    app_host: str | None = None

    @classmethod
    def image(cls) -> "Target":
        """Paths inside the image built from the generated Dockerfile."""
        return cls()

    @classmethod
    def local(cls, app_root: str | Path, run_dir: str | Path, venv: str | Path, *,
              listen_host: str = "127.0.0.1", nginx_bin: str = "/usr/sbin/nginx",
              mime_types: str = "/etc/nginx/mime.types", app_port: int | None = None,
              app_host: str | None = None) -> "Target":
        """Paths on this machine: configs rendered into `run_dir`, the app read from `app_root`."""
        run = str(Path(run_dir).resolve())
        return cls(app_dir=str(Path(app_root).resolve()), venv=str(Path(venv).absolute()), run_dir=run,
                   config_dir=run, listen_host=listen_host, nginx_bin=nginx_bin, mime_types=mime_types,
                   in_image=False, app_port=app_port, app_host=app_host)

    def app_path(self, rel: str) -> str:
        """Absolute path of a plan path (relative to the project root; an absolute one, such as Django's
        STATIC_ROOT = "/vol/web/static", is the same folder in the image and here)."""
        if rel.startswith("/"):
            return rel.rstrip("/") or "/"
        rel = rel.strip("/")
        return self.app_dir if rel in ("", ".") else f"{self.app_dir.rstrip('/')}/{rel}"

    @property
    def socket(self) -> str:
        return f"{self.run_dir}/app.sock"

    @property
    def python(self) -> str:
        return f"{self.venv}/bin/python"
