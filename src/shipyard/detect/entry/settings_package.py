"""Which module of a Django settings package to run with when the project's code names none that holds settings.

A settings package whose __init__.py is empty holds no settings; its modules do (base.py, development.py,
production.py...). When neither wsgi.py nor manage.py names one (Baby Buddy: the deployment guide and the
DigitalOcean app spec export DJANGO_SETTINGS_MODULE=babybuddy.settings.base), the package itself was used: no
INSTALLED_APPS, no DATABASES, and migrate failed with "settings.DATABASES is improperly configured". Its production
module is taken, else the one its other modules build on (`from .base import *`); never a development or test one.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import PurePosixPath

from ..appscan import Imp
from ..config_names import for_development_or_tests, for_production
from ..settings_default import follow
from .graph import Analysis
from .model import Module, join


def package_settings(analysis: Analysis, root: str, package: str) -> str | None:
    """`package.<module>` to run with, or None when the package has no module fit for production."""
    # by the files in the package's folder, not by module names: a settings folder without __init__.py inside a
    # package (healthlink/settings/ under healthlink/__init__.py) makes the graph name its modules from the package
    # (settings.prod with healthlink/ as their root), yet Django imports them as healthlink.settings.prod
    folder = join(root, *package.split("."))
    inside = [m for m in analysis.modules.values()
              if str(PurePosixPath(m.path).parent) == folder and m.path.endswith(".py") and not m.path.endswith("/__init__.py")]
    fit = sorted(name for name in (PurePosixPath(m.path).stem for m in inside)
                 if name.isidentifier() and not for_development_or_tests(name))
    production = [name for name in fit if for_production(name)]
    if production:
        return f"{package}.{production[0]}"
    built_on: Counter[str] = Counter()
    for m in inside:
        for imp in m.scan.imports:
            name = imp.module if imp.level == 1 else imp.module.removeprefix(package + ".") if imp.level == 0 else ""
            if name in fit and name != PurePosixPath(m.path).stem:
                built_on[name] += 1
    return f"{package}.{built_on.most_common(1)[0][0]}" if built_on else None


def module_default(analysis: Analysis, module: Module) -> str | None:
    """The DJANGO_SETTINGS_MODULE `module` sets by default: its literal, or the string the project module it
    imports the name from binds to it when no variable is set (config/environment.py's SETTINGS_MODULE)."""
    if module.scan.django_settings or not module.scan.django_settings_import:
        return module.scan.django_settings
    name_in, name, level = module.scan.django_settings_import
    files = analysis.import_files(module.path, Imp(name_in, (), level), module.root)
    if not files or not files[-1].endswith(".py"):
        return None
    try:
        tree = ast.parse(analysis.project.scan_text(files[-1]) or "")
    except SyntaxError:
        return None
    value = follow(tree).names.get(name)
    return value if isinstance(value, str) else None
