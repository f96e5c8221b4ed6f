"""Typed errors raised by the library; only the CLI turns them into a message and an exit code.

Every error carries a one-line message (what was found) and a hint (what to do about it).
"""

from __future__ import annotations


class ShipyardError(Exception):
    """Base class: `message` says what went wrong, `hint` says what to do."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(ShipyardError):
    """A bad flag, path or setting value."""

    exit_code = 2


class SettingError(UsageError):
    """A setting has an invalid value; the message names the key."""


class AppNotFound(ShipyardError):
    """No web application could be found in the folder."""


class AmbiguousApp(ShipyardError):
    """More than one real candidate; the user has to choose."""


class AppLoadError(ShipyardError):
    """The chosen candidate failed to import or is not a WSGI/ASGI callable."""

    # serve's ready_app: the environment the import failed in and the plan proven there, when the app's
    # packages are installed (a first-run step the import needs runs in it: run/database.first_run_for_import)
    environment: object = None
    plan: object = None


class AppConfigError(AppLoadError):
    """Importing the app failed because of its run-time configuration (an environment variable that is not
    set, a database or cache that does not answer at import), not because of its code or packages."""

    def __init__(self, message: str, hint: str = "", variables: tuple[str, ...] = ()) -> None:
        super().__init__(message, hint)
        self.variables = variables


class AppCodeError(AppLoadError):
    """Importing the app raised in its own code (a name it imports that is not there, an assertion of a package
    it calls, a package too new or too old for it): the entry is found, the app does not import here."""


class ImportTimeout(AppLoadError):
    """Importing the app did not finish within the time limit: it blocks at import, or the machine is slow."""


class UnreadSyntax(AppLoadError):
    """The app's code does not parse with the interpreter that imported it (on a Python older than the one the
    app asks for: that Python's syntax)."""


class NeedsNewerPython(UnreadSyntax, AppCodeError):
    """The app's code works only on a newer Python than the one that imported it, for a reason other than its syntax
    (Python 3.14's lazy annotations, `X | Y` unions, typing.Self, tomllib): `needs` is that Python ("3.14"). The
    app's own code, as AppCodeError says; the proof (proving.py) names the Python for serve to say when this
    machine has none, and otherwise keeps the error and its hint (run it on that Python)."""

    def __init__(self, message: str, hint: str, needs: str) -> None:
        super().__init__(message, hint)
        self.needs = needs


class PythonTooNew(AppLoadError):
    """Importing the app failed in a way that says the Python is newer than the code: an error raised inside an
    installed release (an old pin broken on this Python), a standard-library module a newer Python removed, or a
    Python 2 fallback after such an import. `original`: the error to report when no older Python helps; `why`:
    what points at the Python, in words; `pin`: the installed release it was raised in ("Werkzeug==0.15.3"), when
    one did; `below`: the Python that removed what it needs ("3.12"), so only older ones can help; `stdlib`: the
    standard-library module whose code raised it ("typing"), which a patch release of the Python may have changed.
    `caller` and `raiser`: another installed release made the call ("fastapi-jwt-auth 0.5.0") that raised inside
    `raiser` (("pydantic", "2.10.3", "TypeError: ..."): its release and the error), which the proof holds back
    before it tries an older Python."""

    def __init__(self, original: AppLoadError, why: str, pin: str | None = None, below: str | None = None,
                 stdlib: str | None = None, caller: str | None = None,
                 raiser: tuple[str, str, str] | None = None) -> None:
        super().__init__(original.message, original.hint)
        self.original = original
        self.why = why
        self.pin = pin
        self.below = below
        self.stdlib = stdlib
        self.caller = caller
        self.raiser = raiser


class MissingDependency(AppLoadError):
    """Importing the app failed because a package is not installed."""


class ImportedByInstalled(MissingDependency):
    """The missing package is imported by an installed package's own code, not the app's: an optional dependency of
    that release the app's use needs and its requirements leave out (Starlette before 0.15 imports aiofiles for
    StaticFiles). `distribution`: the package to install; `importer`: the installed package's top-level name."""

    def __init__(self, message: str, hint: str, distribution: str, importer: str) -> None:
        super().__init__(message, hint)
        self.distribution = distribution
        self.importer = importer


class GoneSubmodule(MissingDependency):
    """An installed release imports a module that the installed release of another package no longer has
    (whitenoise 4.1.2 imports django.utils.six, which Django 3.0 removed): that package is newer than the pin that
    imports it. `provider`: its distribution and installed version ("Django", "3.0.6"); `importer`: the release
    that imports it ("whitenoise 4.1.2"); `module`: the module it no longer has. `own`: the app's own code imports
    it (`from werkzeug import secure_filename`; importer: "the app's code (app.py:3)"), a name rather than a module."""

    def __init__(self, message: str, hint: str, provider: tuple[str, str], importer: str, module: str,
                 own: bool = False) -> None:
        super().__init__(message, hint)
        self.provider = provider
        self.importer = importer
        self.module = module
        self.own = own


class FileConflict(ShipyardError):
    """A file the user changed (or did not generate) would be overwritten."""


class PortInUse(ShipyardError):
    """The port asked for is already taken."""


class EngineError(ShipyardError):
    """A container engine is missing, not running, or a build/run step failed."""


class VerifyFailed(ShipyardError):
    """One or more checks against a built image or stack failed."""


class TranslationLost(UsageError):
    """A deployment target cannot express part of the plan without changing its meaning
    (render/translation.py); the hint names the explicit choice that would make it acceptable."""
