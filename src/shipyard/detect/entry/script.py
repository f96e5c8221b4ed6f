"""Scripts that start the app's own server: tornado's demos build their Application inside main() and call
`app.listen(options.port)`, so no module exposes an app a server could load. When nothing else is found,
such a script is the entry (kind "script"): it is run as `python script.py --port=N` (a tornado.options
`port` it parses from the command line) or with PORT=N (an environment variable it reads); a script that takes
neither (`app.listen(8000)`, a port of its own) runs through shipyard_entry.py, which binds its listen call to
the port Shipyard gives."""

from __future__ import annotations

import re

from ...plan import Entry
from ...script_options import database_part
from ..findings import EntryFinding
from .graph import Analysis
from .model import AppDef, Candidate

# tornado.options: define("port", ...) read by parse_command_line(), which takes --port=N
_OPTION = re.compile(r"""\bdefine\(\s*["']([A-Za-z_]\w*)["']""")
_PARSES_COMMAND_LINE = re.compile(r"\bparse_command_line\(")
_PORT_ENV = re.compile(r"""environ(?:\.get\(|\[)\s*["']PORT["']|getenv\(\s*["']PORT["']""")


def script_candidates(analysis: Analysis) -> list[Candidate]:
    """One candidate per script (a module with a `__main__` block) whose function starts its app's own server."""
    found = []
    for module in analysis.modules.values():
        if module.decoy or not module.scan.main_guard:
            continue
        for own in module.scan.own_servers[:1]:
            app = AppDef(module.path, own.line, own.framework, own.interface)
            found.append(Candidate(module, own.function, app, "script"))
    return found


def command_line_options(text: str) -> tuple[str, ...]:
    """The tornado.options the script defines, when it parses its command line (else none can be given)."""
    if not _PARSES_COMMAND_LINE.search(text):
        return ()
    return tuple(dict.fromkeys(_OPTION.findall(text)))


def port_from(text: str) -> str:
    """How the script is told its port: "--port", "PORT", or "listen" when it takes none Shipyard can see
    (its own port: tornado's socket binding is given Shipyard's instead, through shipyard_entry.py)."""
    if "port" in command_line_options(text):
        return "--port"
    if _PORT_ENV.search(text):
        return "PORT"
    return "listen"


def script_finding(analysis: Analysis, c: Candidate, notes: list[str]) -> EntryFinding:
    text = analysis.project.read_text(c.module.path)
    port = port_from(text)
    db_options = tuple(name for name in command_line_options(text) if database_part(name))
    where = "its `if __name__ == '__main__':` block" if c.attr == "__main__" else f"{c.attr}()"
    how = {"--port": "--port=N (its tornado.options port)", "PORT": "PORT=N in its environment (it reads PORT)",
           "listen": "its port through shipyard_entry.py, which binds the port it listens on itself to the one "
                     "Shipyard gives (it defines no tornado.options `port` and reads no PORT variable)"}[port]
    notes = [*notes, f"{c.module.path} starts its own {c.app.framework} server in {where} ({c.app.where}): it "
             f"runs as a script, told {how}; a module-level app or a make_app() factory would let Shipyard run "
             "several worker processes instead of one"]
    if db_options:
        notes.append(f"{c.module.path} takes its database as tornado.options ({', '.join(db_options)}): serve and "
                     "dev give them the database they bring, or DATABASE_URL's, on its command line")
    entry = Entry(module=c.module.name, attr=c.attr, kind="script", interface=c.app.interface, port_from=port,
                  db_options=db_options)
    return EntryFinding(framework=c.app.framework, entry=entry, workdir=c.module.root, notes=tuple(notes))
