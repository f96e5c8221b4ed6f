"""A development paste ini served without its development add-ons.

A Pyramid app whose only ini is development.ini includes pyramid_debugtoolbar there (`pyramid.includes =
pyramid_debugtoolbar`), an interactive debugger that runs code for the hosts it trusts (127.0.0.1: a proxy on the
same machine), which production must not serve, and which the requirements often leave out. The server loads a
derived ini instead, whose [app:main] uses the app's (`use = config:/app/development.ini#main`: every setting, and
%(here)s, stay the app's) and lists pyramid.includes without those add-ons. The app's file is never changed.

Standard library only and free of shipyard imports: `derived_ini` is embedded verbatim into the generated
gunicorn.conf.py, and called by the import proof
(installed_over_committed_egg_info too, which the probe repeats).
"""

import configparser
import hashlib
import os
import sys
import tempfile

# add-ons of a development ini that production leaves out: a debugger that answers requests
DEVELOPMENT_INCLUDES = ("pyramid_debugtoolbar",)


def derived_ini(ini, drops, folder=None):
    """The path of an ini whose [app:main] is `ini`'s without the add-ons `drops` in pyramid.includes (written in
    `folder`, the temporary folder by default, under a name made from `ini`'s path)."""
    parser = configparser.RawConfigParser(strict=False)
    parser.read(ini)
    written = parser.get("app:main", "pyramid.includes", fallback="")
    kept = [name for name in written.split() if name.split(".")[0] not in drops]
    text = "[app:main]\nuse = config:%s#main\npyramid.includes =%s\n" % (
        os.path.abspath(ini), "".join("\n    " + name for name in kept))
    path = os.path.join(folder or tempfile.gettempdir(),
                        "shipyard-%s.ini" % hashlib.sha256(os.path.abspath(ini).encode()).hexdigest()[:12])
    fd, tmp = tempfile.mkstemp(prefix=".shipyard-", suffix=".ini", dir=os.path.dirname(path))
    with os.fdopen(fd, "w") as out:
        out.write(text)
    os.replace(tmp, path)
    return path


def installed_over_committed_egg_info(folder):
    """A NAME.egg-info committed in the app's folder (left by an old `setup.py develop`) is found on sys.path before
    the NAME installed into the environment, and paste's `use = egg:NAME` checks the requirements it lists: stale
    ones (a debug add-on since moved to the development dependencies) raise DistributionNotFound. Where NAME is
    installed too, its installed metadata is the one pkg_resources resolves."""
    try:
        import pkg_resources
    except ImportError:      # no pkg_resources: paste reads entry points with importlib.metadata, no check
        return
    here = os.path.normcase(os.path.abspath(folder))
    others = [p for p in sys.path if os.path.normcase(os.path.abspath(p or ".")) != here]
    working_set = pkg_resources.working_set
    for key, dist in list(working_set.by_key.items()):
        if os.path.normcase(os.path.abspath(dist.location or "")) == here and dist.egg_info:
            installed = pkg_resources.Environment(others)[key]
            if installed:
                working_set.by_key[key] = installed[0]
