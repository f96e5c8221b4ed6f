"""`shipyard serve`: the production process tree, here: supervisord, the app server, nginx in front."""

from __future__ import annotations

import argparse
import dataclasses
import ipaddress
from pathlib import Path

from ..run.django_hosts import accepted_hosts, with_local_hosts
from ..run.django_media import media_location
from ..run.django_static import collect_static, collected_unserved, moved_from, own_static_folder, same_url
from ..run.migrate import run_migrations
from ..run.serve import serve
from ..run.signals import stop_signals
from ..run.sqlite_release import create_missing_sqlite
from .appcmd import add_install_flag, ready_app_and_database, say
from .options import add_path, add_setting_flags

SUMMARY = "Run the app here as in production: supervisord, the app server and nginx, until Ctrl-C."
EXAMPLES = """\
  shipyard serve --install examples/hello  # create the app's .venv with its dependencies, then run
  shipyard serve                          # the app in the current folder, on port 8000
  shipyard serve examples/hello --port 9000 --workers 4
  shipyard serve . --no-nginx             # the app server alone on the port
  shipyard serve . --host 0.0.0.0         # open to other machines (default: 127.0.0.1, this one only)
  shipyard serve . --server uwsgi
  shipyard serve . --migrate              # apply database migrations first
  shipyard serve . --db none              # no database, not even the app's own PostgreSQL
  shipyard serve . --redis none           # no Redis, not even the app's own
  DATABASE_URL=postgresql://u:p@host/db shipyard serve .   # your database instead of the app's own

An app that needs PostgreSQL, run without DATABASE_URL, gets a PostgreSQL of its own from this machine's
PostgreSQL programs: data kept in $XDG_DATA_HOME/shipyard/postgres (default ~/.local/share/...), its release
command (migrations) run when the app changed, stopped on exit. A Django app on SQLite whose database file
does not exist yet (a fresh clone) gets it created with its migrations, or with the app's own init command
(`flask init-db`, a project script `init_db`), once; an existing file is left as it is. A Django app's static
files are collected into STATIC_ROOT (collectstatic) when they changed, for nginx to serve (into a folder of
serve's own when the settings name no STATIC_ROOT, as startproject's do), and its uploaded files served by
nginx at MEDIA_URL from MEDIA_ROOT (created when missing). A Django app whose ALLOWED_HOSTS (as its settings
compute it) accepts localhost and not 127.0.0.1 is served at http://localhost:PORT/, nginx passing it that Host
for a request under another name. An app that uses
Redis, run without REDIS_URL, gets a Redis of its own (this machine's redis-server), stopped on exit.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_path(parser)
    add_install_flag(parser)
    add_setting_flags(parser, "entry", "server", "port", "workers", "threads", "db", "redis", "postgres_bin")
    parser.add_argument("--host", default="127.0.0.1", type=_ipv4, metavar="ADDRESS",
                        help="the address nginx (or the app server alone) listens on: 127.0.0.1, this machine only "
                             "(default), or 0.0.0.0 for every interface, to open it from other machines; the "
                             "generated image and its nginx.conf listen on every interface whatever this says")
    parser.add_argument("--no-nginx", action="store_true",
                        help="run the app server alone on the port, without nginx in front")
    parser.add_argument("--migrate", action="store_true",
                        help="apply the app's database migrations before starting (see `shipyard migrate`)")
    parser.add_argument("--boot-timeout", type=float, default=60.0, metavar="SECONDS",
                        help="how long the app may take to answer its first request (default 60)")


def _ipv4(text: str) -> str:
    try:
        return str(ipaddress.IPv4Address(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an IPv4 address: give 127.0.0.1 (this machine only), "
                                         "0.0.0.0 (every interface) or one of this machine's addresses") from None


def run(args: argparse.Namespace) -> int:
    with stop_signals() as stop, ready_app_and_database(args, stop) as (root, env, plan, db):
        if args.migrate and not db.own:      # the app's own database ran its release already
            for line in run_migrations(plan, root, env, environ=db.environ):
                say(line)
        elif not db.own:
            create_missing_sqlite(plan, root, env, say, environ=db.environ, before=db.files_before)
        # the image's own folder for settings with no STATIC_ROOT: serve collects into one of its own instead
        plan = dataclasses.replace(plan, static=tuple(d for d in plan.static if not d.shipyard_root))
        collect_static(plan, root, env, say, environ=db.environ)
        if (collected := collected_unserved(plan, root)) is not None:
            if Path(collected.path) != own_static_folder(plan, root):
                why = "a STATIC_ROOT the settings compute where reading them does not follow"
            elif moved := moved_from(plan, root):
                why = (f"the settings' STATIC_ROOT {moved} is a container's path: outside the project, in a folder "
                       "that does not exist here or that you cannot write; the image collects them there")
            else:
                why = "the settings name no STATIC_ROOT, so serve collected them into its own folder"
            say(f"static files: nginx serves {collected.url} from {collected.path}, where collectstatic put them "
                f"({why})")
            kept = tuple(d for d in plan.static if not same_url(d.url, collected.url))
            plan = dataclasses.replace(plan, static=(*kept, collected))
        media = media_location(plan, root, env, say, environ=db.environ)
        if media is not None and not any(same_url(d.url, media.url) for d in plan.static):
            say(f"uploaded files: nginx serves {media.url} from {media.path} (MEDIA_URL, MEDIA_ROOT)")
            plan = dataclasses.replace(plan, static=(*plan.static, media))
        hosts = accepted_hosts(plan, root, env, environ=db.environ)
        environ, hosts = with_local_hosts(plan, root, env, db.environ, hosts, say)
        return serve(plan, root, env, nginx=not args.no_nginx, stop=stop, say=say,
                     boot_timeout=args.boot_timeout, environ=environ, hosts=hosts, host=args.host,
                     database_vars=db.given)
