"""What detectors hand to the planner."""

from __future__ import annotations

from dataclasses import dataclass

from ..plan import Dependency, Entry


@dataclass(frozen=True)
class EntryFinding:
    framework: str                 # see Plan.framework
    entry: Entry
    workdir: str                   # folder to run from, relative to the project root ("." if the root)
    notes: tuple[str, ...] = ()    # e.g. "app.py calls app.run() at import; gunicorn serves `app` anyway"


@dataclass(frozen=True)
class DeclaredDependencies:
    dependencies: tuple[Dependency, ...]
    files: tuple[str, ...]         # the files they were read from, relative to the project root
    complete: bool                 # False when nothing is declared (inferred deps must be written out)
    notes: tuple[str, ...] = ()
    # exact pins of the dev/test requirement files (not read as dependencies): normalized name -> (version,
    # file); an imported package the production files leave unpinned takes the version its authors work with
    dev_pins: tuple[tuple[str, tuple[str, str]], ...] = ()
    # the app's own project folder in a repository of several projects, each declaring its own dependencies
    # (hokuto_flask/ beside hokuto_scraping/ and hokuto_data/): the others' imports are not the app's; "" else
    own_project: str = ""
    folder: str = "."              # the folder that holds the dependency files read
