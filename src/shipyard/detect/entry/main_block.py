"""Apps made in a script's `if __name__ == '__main__':` block. Pyramid's quick tutorial builds its app there
(`config = Configurator()`, routes, `app = config.make_wsgi_app()`) and serves it with wsgiref's
`make_server(..., app).serve_forever()`, so importing the module makes no app. When nothing else is found, such a
script is the entry: the served entry (shipyard_entry.py) runs it as `python app.py` does, as __main__ with its
development server made a no-op, and serves the app the block leaves in the module's globals (main_setup). An app
made in a function the block calls (swagger-codegen's `def main(): app = connexion.App(...); app.run(port=8080)`)
leaves none there: the one served is the app that function's run() was given."""

from __future__ import annotations

from pathlib import PurePosixPath

from ...plan import Entry
from ..findings import EntryFinding
from .graph import Analysis
from .model import ENTRY_FILE_RANK

# names a script gives the app it serves, best first
_APP_NAMES = ("application", "app")


def main_block_finding(analysis: Analysis, notes: list[str]) -> EntryFinding | None:
    """The script whose `__main__` block makes the app (the best named, by entry-file name, then the shallowest)."""
    made = [(m, name, sym) for m in analysis.modules.values() if not m.decoy
            for name, sym in m.scan.main_apps.items()]
    if not made:
        return None
    module, name, sym = max(made, key=lambda f: (
        ENTRY_FILE_RANK.get(f[0].name.split(".")[-1], 0), -len(PurePosixPath(f[0].path).parts),
        -_APP_NAMES.index(f[1]) if f[1] in _APP_NAMES else -len(_APP_NAMES), f[0].path, f[1]))
    entry = Entry(module=module.name, attr=name, kind="attribute", interface=sym.interface, main_setup=True)
    function = module.scan.main_run_in.get(name)
    if function is not None:
        # made in a local name of the function the block calls, then run there: served as the app that run() is given
        note = (f"{module.path} makes its {sym.framework} app ({name}, line {sym.line}) inside {function}(), which its "
                f"`if __name__ == '__main__':` block calls and which then starts a development server ({name}.run()): "
                f"the production server serves it through the generated shipyard_entry.py, which runs {module.path} "
                f"as `python {_run_as(module.name, module.path)}` does, with that server made a no-op, and serves the app "
                f"{function}() ran; better: make {name} at module level and start the server under the guard")
        return EntryFinding(framework=sym.framework, entry=entry, workdir=module.root, notes=(*notes, note))
    note = (f"{module.path} makes its {sym.framework} app ({name}, line {sym.line}) in its `if __name__ == "
            "'__main__':` block, which then starts a development server: the production server serves it through the "
            f"generated shipyard_entry.py, which runs {module.path} as `python {PurePosixPath(module.path).name}` "
            f"does, with that server made a no-op; better: make {name} at module level, start the server under the guard")
    return EntryFinding(framework=sym.framework, entry=entry, workdir=module.root, notes=(*notes, note))


def _run_as(name: str, path: str) -> str:
    """How a person runs the script: a package's __main__.py as `-m package`, any other as its file."""
    if name.endswith(".__main__"):
        return "-m " + name[: -len(".__main__")]
    return PurePosixPath(path).name
