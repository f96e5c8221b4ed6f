"""A development paste ini served without its development add-ons.

A Pyramid app whose only ini is development.ini includes pyramid_debugtoolbar there (`pyramid.includes =
pyramid_debugtoolbar`), an interactive debugger that runs code for the hosts it trusts (127.0.0.1: a proxy on the
same machine), which production must not serve, and which the requirements often leave out. The server loads a
derived ini instead, whose [app:main] uses the app's (`use = config:/app/development.ini#main`: every setting, and
%(here)s, stay the app's) and lists pyramid.includes without those add-ons. The app's file is never changed.

Standard library only and free of shipyard imports: `derived_ini` is embedded verbatim into the generated
gunicorn.conf.py, and called by the import proof.
"""

import configparser
import hashlib
import os
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
