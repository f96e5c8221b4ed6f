"""Whether a file that Python 3 does not parse is Python 2 code, and what in it says so.

A 2016 course app's views mix tabs and spaces (Python 2 read a tab as eight columns; Python 3 raises TabError),
write `print "..."`, `except IOError, e:` or `0777`: no install and no Python 3 runs them. The error Python 3
gives names the line, not the language: this reads the error and the file for Python 2's own syntax, so the one
line said can name the file, say it is Python 2 code, and say what to do (port it: 2to3 does most of it).
"""

from __future__ import annotations

import re

# Python 3's messages for Python 2 syntax, and what they mean in Python 2's words
_MESSAGES = (
    (re.compile(r"Missing parentheses in call to 'print'"), "a print statement"),
    (re.compile(r"Missing parentheses in call to 'exec'"), "an exec statement"),
    (re.compile(r"inconsistent use of tabs and spaces"), "indentation mixing tabs and spaces, which Python 2 read"),
    (re.compile(r"leading zeros in decimal integer literals|use an 0o prefix"), "an octal literal written 0777"),
)
_OCTAL = "an octal literal written 0777"
_LEADING_ZEROS = re.compile(r"(?<![\w.])0+(\d+)(?![\w.])")
# Python 2's statements, on the line the error names (Python 3 words most of them "invalid syntax"). `except A, B:`
# with a class after the comma is Python 3.14's (PEP 758), not Python 2's `except Error, name:`
_LINES = (
    (re.compile(r"^\s*print\s+(?:[\"'\w%]|>>)"), "a print statement"),
    (re.compile(r"^\s*except\s+[\w.]+\s*,\s*[a-z_][a-z0-9_]*\s*:"), "`except Error, name:`"),
    (re.compile(r"^\s*raise\s+[\w.]+\s*,"), "`raise Error, message`"),
    (re.compile(r"^\s*exec\s+[\"'\w]"), "an exec statement"),
    (re.compile(r"<>"), "the <> operator"),
    (re.compile(r"`[^`\n]+`"), "a backquoted repr"),
    (re.compile(r"\bur[\"']"), "a ur'' string"),
    (re.compile(r"(?<![\w.])\d+[lL]\b"), "a long literal (10L)"),
)
# ones unmistakable anywhere in the file (not prose in a docstring), for an error on another line
_ANYWHERE = (
    (re.compile(r"(?m)^\s*print\s+[\"']"), "a print statement"),
    (re.compile(r"(?m)^\s*except\s+[\w.]+\s*,\s*[a-z_][a-z0-9_]*\s*:"), "`except Error, name:`"),
    (re.compile(r"(?m)^\s*raise\s+[\w.]+\s*,\s*[\"']"), "`raise Error, message`"),
)


# frameworks old apps kept a copy of in their own folder (App Engine's python27 had no pip): top-level package ->
# (title, distribution). Not web.py's `web`, a name apps give their own folders.
VENDORED_FRAMEWORKS = {"tornado": ("Tornado", "tornado"), "flask": ("Flask", "Flask"), "bottle": ("Bottle", "bottle"),
                       "cherrypy": ("CherryPy", "CherryPy"), "django": ("Django", "Django"),
                       "werkzeug": ("Werkzeug", "Werkzeug"), "jinja2": ("Jinja2", "Jinja2")}


def _octal_is_all_that_fails(line: str) -> bool:
    """Whether `line`, its 0777 literals written 0o777, is code Python 3 reads (or a part of a statement that goes
    on past it): then the octal literal is Python 2's; "[04:30 pm] Yeshwanth" (a chat line pasted into a module)
    still fails, and is a mistake in the file, not Python 2 code."""
    written = _LEADING_ZEROS.sub(r"0o\1", line.strip())
    # on its own, as a block's header, or as an else:/except: line (a block before it, one after it)
    for code in (f"{before}{written}{after}" for before in ("", "if 1:\n    pass\n", "try:\n    pass\n")
                 for after in ("", "\n    pass")):
        try:
            compile(code, "<line>", "exec")
            return True
        except SyntaxError as exc:
            if exc.msg and re.search(r"never closed|unmatched|unexpected EOF", exc.msg):
                return True       # the statement goes on past the line (an argument list): not decided here
        except ValueError:
            return True
    return False


def python2_mark(message: str, line: str | None, text: str | None = None) -> str | None:
    """What says the code is Python 2's ("a print statement"), from Python 3's error `message`, the `line` it names,
    or else one of the file's other lines (`text`); None when nothing does."""
    for pattern, said in _MESSAGES:
        if pattern.search(message):
            if said == _OCTAL and line is not None and not _octal_is_all_that_fails(line):
                break         # "[04:30 pm] Yeshwanth" pasted into a module: no Python's code, 2's or 3's
            return said
    code = (line or "").split("#", 1)[0]
    for pattern, said in _LINES:
        if pattern.search(code):
            return said
    for pattern, said in _ANYWHERE:
        if text and pattern.search(text):
            return said
    return None


def python2_error(path: str, lineno: int | None, message: str, text: str | None) -> tuple[str, str] | None:
    """(message, hint) for `path` (relative to the project) when the syntax error Python 3 gave there is Python 2
    code's; None otherwise."""
    lines = text.splitlines() if text else []
    line = lines[lineno - 1] if lineno and 0 < lineno <= len(lines) else None
    mark = python2_mark(message, line, text)
    if mark is None:
        return None
    at = f"{path}:{lineno}" if lineno else path
    folder = path.rpartition("/")[0] or "."
    said = f"{at}: {message}: {path} is Python 2 code ({mark}), which no Python 3 runs"
    top = path.split("/", 1)[0].removesuffix(".py")
    if top in VENDORED_FRAMEWORKS and (path.count("/") >= 1 or path == f"{top}.py"):
        # a 2012 App Engine app kept Tornado 2 in its own tornado/ folder: porting that copy with 2to3 is not the
        # way, an installed release is (the app's own modules are the ones to port)
        title, distribution = VENDORED_FRAMEWORKS[top]
        kept = f"{top}/" if "/" in path else path
        return (f"{said} ({kept} is a copy of {title} kept in the app's folder, written for Python 2)",
                f"delete {kept} and declare {distribution} in the app's requirements, so that an installed release is "
                "imported; then port the app's own modules to Python 3 (2to3 does most of it) and run again")
    return (said, f"port the app to Python 3 (`2to3 -w {folder}` does most of it"
            + ("; reindent its tabs as spaces" if "tabs" in mark else "") + "), then run again")
