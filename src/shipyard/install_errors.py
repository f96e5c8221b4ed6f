"""One line out of a failed uv or pip install: which package failed, why, and what to do.

uv and pip print pages (a resolver's derivation, a compiler's output, "This error originates from a
subprocess"); the user needs the package, the cause and the fix. `explain` reads the whole log and returns
(message, hint); the caller keeps the log in a file and names it.
"""

from __future__ import annotations

import re

from .detect.deps import normalize

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

PYTHON2_SETUP = "its setup.py is Python 2 code, which no Python 3 runs"
# (pattern in the build output, what is missing, what to do); the first match wins
_BUILD_CAUSES: tuple[tuple[str, str, str], ...] = (
    (r"pg_config executable not found|pg_config is required|Error: pg_config",
     "PostgreSQL's pg_config (libpq's development files) is not installed",
     "install libpq-dev (apt-get install libpq-dev; brew install libpq), or use psycopg2-binary / psycopg[binary]"),
    # an sdist of the Python 2 era whose setup.py is Python 2 code (oauth2 1.5.211's print statement): no Python 3
    # builds it, so no older one is tried (the message says nothing of "this Python"); a later release may be ported
    # (Python 3.7 and older say only "invalid syntax" under the print statement setup.py line the trace shows)
    (r"Missing parentheses in call to '(?:print|exec)'|"
     r"File \"(?:setup\.py|<string>)\", line \d+\s*\n\s*print\s+[^\s(=][^\n]*\n\s*\^+\s*\n\s*SyntaxError: invalid syntax",
     PYTHON2_SETUP,
     "pin a later release made for Python 3, or remove it if the app does not use it"),
    # an sdist whose setup.py imports the package itself for its version (peewee-db-evolve 3.7.0's
    # `version=__import__('peeweedbevolve').__version__`), whose module imports its own dependencies (peewee): built
    # in isolation, with only the build tools, that import fails on any Python (pip once built it beside them)
    # (setuptools 58 and later run setup.py's text as "<string>", no source line shown: the next frame is then a
    # module of the sdist's own source run at import)
    # (uv wraps its error lines at word breaks: a long path's frame reads `File\n  "/root/.cache/uv/...py",\n  line 5,
    # in <module>`)
    (r"File\s+\"(?:setup\.py|<string>)\",\s+line\s+\d+,\s+in\s+<module>\s*\n\s*(?:[^\n]*(?:__import__\(|\bimport\b"
     r"[^\n]*__version__)|File\s+\"[^\"\n]*/sdists-v\d+/[^\"\n]*\.py\",\s+line\s+\d+,\s+in\s+<module>)[\s\S]*?"
     r"(?:ModuleNotFoundError|ImportError|NameError)",
     "its setup.py imports the package itself (for its version), and that module needs the package's own "
     "dependencies, which a build environment does not have",
     "install its dependencies first, then it without build isolation (pip install --no-build-isolation), or pin a "
     "release with a wheel or a setup.py that does not import it"),
    (r"could not determine PostgreSQL version from",
     "this release is older than this machine's PostgreSQL client library (libpq) it builds against",
     "relax the pin to psycopg2>=2.8 (or psycopg2-binary), which reads current PostgreSQL versions"),
    (r"mysql_config not found|mysqlclient.*pkg-config|Can not find valid pkg-config name.*mysql",
     "MySQL's client development files are not installed",
     "install default-libmysqlclient-dev and pkg-config (apt-get install default-libmysqlclient-dev pkg-config)"),
    (r"libxml/xmlversion\.h|xslt-config|Please make sure the libxml2 and libxslt",
     "libxml2/libxslt development files are not installed",
     "install libxml2-dev libxslt1-dev (apt-get install libxml2-dev libxslt1-dev)"),
    (r"ffi\.h: No such file|libffi", "libffi's development files are not installed",
     "install libffi-dev (apt-get install libffi-dev)"),
    (r"openssl/\w+\.h: No such file", "OpenSSL's development files are not installed",
     "install libssl-dev (apt-get install libssl-dev)"),
    (r"jpeglib\.h|zlib is required|The headers or library files could not be found for (jpeg|zlib)",
     "image library development files (libjpeg, zlib) are not installed",
     "install libjpeg-dev zlib1g-dev (apt-get install libjpeg-dev zlib1g-dev)"),
    (r"Python\.h: No such file", "Python's development headers are not installed",
     "install python3-dev (apt-get install python3-dev)"),
    (r"(?:command|executable) '?[\w/.-]*(?:gcc|cc|clang)'? not found|"
     r"unable to execute '?[\w/.-]*(?:gcc|cc|clang)'?: No such file|"
     r"error: command '[^']*(?:gcc|cc|clang)' failed: No such file or directory|"
     r"No such file or directory: '[\w/.-]*?(?:gcc|cc|clang)'|C compiler cannot create|can't find Rust compiler|"
     r"Cargo, the Rust package manager, is not installed",
     "it has no wheel for this Python and no compiler is installed to build it",
     "pass --python with a version it has wheels for, relax the pin to a release with wheels, or install "
     "build-essential"),
    # the compiler ran: the C source is older than this Python's C API (greenlet 1.1 on 3.11)
    (r"error: command '[^']*(?:gcc|cc|clang\+*|g\+\+)' failed with exit (?:code|status)|"
     r"\.c:\d+:\d+: error: |\.h:\d+:\d+: error: ",
     "it has no wheel for this Python and its C source does not compile for this Python",
     "pass --python with a version it has wheels for, or relax the pin to a release that supports this Python"),
)


# A setup.py written for setuptools of its time fails in today's isolated build environment on something a later
# setuptools removed: (pattern, what it uses, build constraints of the last releases that had it). wheel is held
# back with setuptools: today's wheel cannot package what setuptools 45 builds.
_OLD_BUILD_TOOLS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # Python 3.6 says only "cannot import name 'Feature'": the traceback's source line names setuptools
    (r"cannot import name '?Feature'? from '?setuptools|from setuptools import [^\n]*\bFeature\b|"
     r"setuptools\.Feature|module 'setuptools' has no attribute 'Feature'", "setuptools.Feature (removed in setuptools 46)", ("setuptools<46", "wheel<0.35")),
    (r"use_2to3 is invalid|error in \S+ setup command: use_2to3",
     "use_2to3 (removed in setuptools 58)", ("setuptools<58", "wheel<0.38")),
    # django-allauth 0.42's setup.py: `from setuptools import convert_path` (distutils' helper setuptools 70 dropped)
    (r"cannot import name '?convert_path'? from '?setuptools|from setuptools import [^\n]*\bconvert_path\b|"
     r"module 'setuptools' has no attribute 'convert_path'", "setuptools.convert_path (removed in setuptools 70)",
     ("setuptools<70",)),
    (r"No module named '?pkg_resources'?", "pkg_resources (removed in setuptools 81)", ("setuptools<81",)),
    # playsound 1.3.0's setup.py finds its folder with inspect.getsource(lambda: 0): setuptools 63.2 and later run
    # a setup.py from its text without its file name, and inspect finds no source ("could not get source code")
    (r"\bgetsource(?:lines)?\b[\s\S]*?OSError: could not get source code",
     "inspect.getsource on its own code (setuptools 63.2 runs setup.py without its file name)", ("setuptools<63.2",)),
    # ipython 0.13's setup.py imports distutils' upload command: the standard library's distutils has it, the copy
    # setuptools uses in its place since 60 (SETUPTOOLS_USE_DISTUTILS=local) does not
    # PyYAML 5.x's setup.py subclasses build_ext the way Cython 3 (July 2023) no longer supports: on a Python its
    # wheels do not cover, its isolated build gets today's Cython
    (r"AttributeError: cython_sources", "Cython's build_ext before Cython 3 (cython_sources)", ("Cython<3",)),
    (r"No module named '?distutils\.command\.(?:upload|register)'?",
     "distutils.command.upload (not in the distutils setuptools carries from 60)", ("setuptools<60", "wheel<0.38")),
)


def old_build_tools(log: str) -> tuple[str, tuple[str, ...]] | None:
    """(what the failed source build uses that today's build tools removed, build constraints that have it), when
    an sdist's build failed that way (not the app's run-time imports: only a build's output counts), else None."""
    text = _clean(log)
    if not re.search(r"Failed to (?:build|download and build|prepare distributions)|"
                     r"Failed building wheel|metadata-generation-failed|subprocess-exited-with-error", text):
        return None
    for pattern, what, constraints in _OLD_BUILD_TOOLS:
        if re.search(pattern, text):
            return what, constraints
    return None


# the frame of the sdist's own module a setup.py run imported (the frame after setup.py's, outside the build tools)
# (whitespace, not spaces: uv wraps a long frame line before the path and before "line")
_SETUP_FRAME = re.compile(r'File\s+"(?:setup\.py|<string>)",\s+line\s+\d+,\s+in\s+<module>')
_MODULE_FRAME = re.compile(r'File\s+"([^"\n]+\.py)",\s+line\s+\d+,\s+in\s+<module>')


def self_importing_module(log: str) -> str | None:
    """The file of the sdist's own module its setup.py imported, when the build failed because that module's
    imports are missing from the build environment (the _BUILD_CAUSES entry for a setup.py importing the package
    itself: peewee-db-evolve 3.7.0's peeweedbevolve.py, which imports peewee); else None."""
    text = _clean(log)
    if not any(what.startswith("its setup.py imports the package itself") and re.search(pattern, text)
               for pattern, what, _ in _BUILD_CAUSES):
        return None
    for setup in _SETUP_FRAME.finditer(text):
        for frame in _MODULE_FRAME.finditer(text, setup.end()):
            path = frame.group(1)
            if "/site-packages/" not in path and "/lib/python" not in path and path not in ("setup.py", "<string>"):
                return path
    return None


def flat_layout_refused(log: str) -> tuple[str, ...] | None:
    """The top-level folders setuptools' automatic discovery (setuptools 61, March 2022, on) found and refused to
    guess among, when the build failed that way: a setup.py naming no packages, beside other folders
    (['mysite', 'app_screenshots']), built as nothing but its metadata until then; else None."""
    match = re.search(r"Multiple top-level (?:packages|modules) discovered in a flat-layout:\s*\[([^\]]*)\]", _clean(log))
    return tuple(re.findall(r"'([^']+)'", match.group(1))) if match else None


def unreadable_archive(log: str) -> str | None:
    """The pin ("pypdf2==1.26.0") whose sdist uv cannot unpack (a tar.gz its reader rejects that pip's reads),
    else None."""
    match = re.search(r"Failed to extract archive: (\S+==\S+)\s*\n\s*cause: Invalid (?:tar|zip) file", _clean(log))
    return match.group(1) if match else None


# uv reads no .tar.bz2 (nor other non-gzip) source archives: releases that published only those (Twisted up to 20.3:
# .tar.bz2 and Windows wheels) are unusable, and a resolution bounded to their years finds no solution
_LEGACY_SDIST = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*(?:\s*(?:[<>=!~]=?|===)\s*[^\s,]+"
                           r"(?:\s*,\s*(?:[<>=!~]=?|===)\s*[^\s,]+)*)?) has an? non-PEP 625-compliant source "
                           r"distribution filename")


# an unpinned requirement, resolved as of a date when every release had only such an archive (twisted in June 2019):
# "Because all versions of twisted have a non-PEP 625-compliant source distribution filename and you require twisted"
_LEGACY_ALL = re.compile(r"all versions of ([A-Za-z0-9][A-Za-z0-9._-]*) have a non-PEP 625-compliant source "
                         r"distribution filename")


def legacy_sdists(log: str) -> tuple[str, ...]:
    """The requirements ("twisted>=17.5.0", "twisted==17.9.0", "twisted") uv finds no usable release for because
    theirs publish only a source archive it does not read (.tar.bz2), in the order it names them."""
    text = re.sub(r"\s+", " ", _clean(log))
    found = sorted([(m.start(), re.sub(r"\s+", "", m.group(1)).replace(",", ", ")) for m in _LEGACY_SDIST.finditer(text)]
                   + [(m.start(), m.group(1)) for m in _LEGACY_ALL.finditer(text)])
    return tuple(dict.fromkeys(requirement for _, requirement in found))


def _clean(text: str) -> str:
    return _ANSI.sub("", text)


def _failed_package(text: str) -> str | None:
    for pattern in (r"Failed to (?:build|download|prepare distributions?|install)[^`\n]*`([^`]+)`",
                    r"Failed building wheel for (\S+)", r"Building wheel for (\S+) \(pyproject\.toml\) did not run",
                    r"error: subprocess-exited-with-error\s*\n\s*×[^\n]*\n[^\n]*\n", ):
        match = re.search(pattern, text)
        if match and match.groups():
            return match.group(1).strip().rstrip(",")
    match = re.search(r"Collecting (\S+)(?:(?!Collecting ).)*?(?:subprocess-exited-with-error|"
                      r"metadata-generation-failed)", text, re.S)
    return match.group(1) if match else None


# uv, for an exact pin whose release has wheels for other Pythons only and no source to build: "Because
# psycopg-binary==3.1.8 has no wheels with a matching Python ABI tag (e.g., `cp312`) and ..."
_NO_WHEEL_HERE = re.compile(r"Because ([\w.\-\[\]]+==[^\s,]+) has no wheels with a matching Python "
                            r"(?:ABI|version|implementation) tag")


def unbuilt_pin(log: str) -> str | None:
    """The requirement ("greenlet==1.1.2", "app @ file:///src") whose build from source failed, or that has no
    wheel for this Python and no source to build from, else None."""
    text = _clean(log)
    match = re.search(r"Failed to build `([^`]+)`", text) or \
        re.search(r"Failed building wheel for (\S+)|Building wheel for (\S+) \(pyproject\.toml\) did not run", text)
    found = next((g for g in match.groups() if g), None) if match else None
    if found is None and (wheel := _NO_WHEEL_HERE.search(re.sub(r"\s+", " ", text))):
        return wheel.group(1)
    return re.sub(r"\s+", " ", found).strip() if found else None       # uv wraps a long `NAME @ file://...`


# uv's hint when a package's wheels are all for other systems: "Wheels are available for `pywin32` (v312) on the
# following platforms: `win32`, `win_amd64`, `win_arm64`"
_WHEELS_ELSEWHERE = re.compile(r"Wheels are available for `([^`]+)` \(v[^)]*\) on the following platforms?: ((?:`[^`]+`,? ?)+)")
_SYSTEMS = (("win", "Windows"), ("macosx", "macOS"))


def _other_system_only(text: str) -> tuple[str, str] | None:
    """A package whose every wheel is for another system (pywin32's are Windows', pulled in by pypiwin32 or WMI,
    and it has no source to build): the app runs on that system only, not the installer's platform-tag conflict."""
    match = _WHEELS_ELSEWHERE.search(re.sub(r"\s+", " ", text))
    if match is None:
        return None
    platforms = re.findall(r"`([^`]+)`", match.group(2))
    system = next((name for prefix, name in _SYSTEMS if platforms and all(p.startswith(prefix) for p in platforms)), None)
    if system is None:
        return None
    package = match.group(1)
    required = re.findall(r"(?<!that )you require ([\w.\-\[\]]+)", re.sub(r"\s+", " ", text))
    through = f" (required through {required[0]})" if required and normalize(required[0]) != normalize(package) \
        else ""
    return (f"{package}{through} is {system}-only (its wheels are for {', '.join(platforms)}): this app runs on {system}",
            f"run it on {system}, or remove {required[0] if required else package} from the app's requirements "
            "if it works without it")


def _conflict(text: str) -> tuple[str, str] | None:
    """uv: "No solution found ... Because X depends on Y and you require Z, ..."; pip: "Cannot install A and B"."""
    if "No solution found when resolving" in text:
        start = text.index("No solution found when resolving")
        lines = [re.sub(r"^(cause:|hint:)\s*", "", ln.strip(" ╰─▶│")) for ln in text[start:].splitlines()[1:]]
        because = " ".join(ln for ln in lines if ln and not ln.startswith(("hint", "help")))
        because = re.sub(r"\s+", " ", because).strip()
        unknown = re.search(r"Because ([^\s,]+) was not found in the package registry", because)
        if unknown:
            return (f"{unknown.group(1)} is not on the package index",
                    "check the name (an import name is not always the distribution's: add the right one to your "
                    "requirements)")
        missing = re.search(r"there is no version of ([^\s,]+)", because)
        if missing:
            return (f"no release of {missing.group(1)} exists on the package index",
                    "fix or relax that pin in your requirements")
        if (only := _other_system_only(text[start:])) is not None:
            return only
        if (wheel := _NO_WHEEL_HERE.search(because)) is not None:
            return (f"{wheel.group(1)} has no wheel for this Python, and no source to build it from",
                    "pass --python with a version it has wheels for, or relax its pin")
        if "Python" in because and re.search(r"Python[<>=!~]", because):
            return (f"a pinned package does not support this Python: {_short(because)}",
                    "pass --python with a version the pins support, or relax the pin")
        pins = list(dict.fromkeys(m.rstrip(",.") for m in re.findall(r"(?<!that )you require (\S+)", because)))
        link = re.search(r"([\w.\-\[\]]+[<>=!~]=?\S+) depends on (\S+?)[,.]?(?:\s|$)", because)
        if len(pins) >= 2:
            why = f" ({link.group(1)} depends on {link.group(2)})" if link else ""
            return (f"resolver conflict between {pins[0]} and {pins[1]}{why}",
                    f"relax one of the two pins ({pins[0]} or {pins[1]})")
        return f"the requirements conflict: {_short(because)}", "relax one of the pins it names"
    match = re.search(r"Cannot install ([^\n]+?) because these package versions have conflicting dependencies", text)
    if match:
        causes = re.findall(r"The conflict is caused by:\s*\n((?:\s+.+\n)+)", text)
        detail = "; ".join(ln.strip() for ln in causes[0].splitlines()[:3]) if causes else ""
        return (f"resolver conflict between {match.group(1)}" + (f" ({detail})" if detail else ""),
                "relax one of those pins")
    match = re.search(r"Could not find a version that satisfies the requirement (\S+)", text)
    if match:
        return (f"no release of {match.group(1)} matches on the package index (or for this Python)",
                "fix or relax that pin, or pass --python with a version it supports")
    return None


def _network(text: str) -> tuple[str, str] | None:
    match = re.search(r"(?:Failed to fetch|Could not connect to|error sending request for url|"
                      r"Request failed after \d+ retr\w+)[^\n]*?\(?`?(https?://[^\s`)]+)", text)
    offline = re.search(r"Network connectivity is disabled|offline mode|--offline|network was disabled", text)
    if offline:
        return ("the packages are not in uv's cache and the network is off (offline mode)",
                "connect to the network (or unset UV_OFFLINE) and run again")
    if match or re.search(r"Connection refused|Name or service not known|dns error|timed out|"
                          r"NewConnectionError|Max retries exceeded", text):
        url = match.group(1) if match else None
        host = re.sub(r"^(https?://[^/]+).*", r"\1", url) if url else "the package index"
        return (f"cannot reach {host}",
                "check the network, and any --index-url line in your requirements (it may point to an index "
                "only reachable elsewhere)")
    return None


def _short(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


def vcs_fetch(text: str, package: str | None) -> tuple[str, str] | None:
    """A requirement from a git repository that could not be fetched (the host unreachable, the repository gone):
    not a build failure."""
    if not re.search(r"Git operation failed|did not run successfully.*git clone|Cloning .* to", text) \
            or not (why := re.search(r"fatal: (?:unable to access '([^']+)': )?(.+)", text)):
        return None
    url = why.group(1) or next(iter(re.findall(r"git\+(\S+?)[`'\s]", text)), "its repository")
    host = re.sub(r"^(https?://[^/]+).*", r"\1", url)
    return (f"{package or 'a git requirement'} could not be fetched from {url} ({why.group(2).strip()})",
            f"check the network's access to {host}, or require a release from the package index instead")


def explain(log: str) -> tuple[str, str]:
    """(what failed and why, what to do) for a uv or pip log."""
    text = _clean(log)
    package = _failed_package(text)
    fetched = vcs_fetch(text, package)
    if fetched:
        return fetched
    for pattern, why, hint in _BUILD_CAUSES:
        if re.search(pattern, text, re.I):
            name = package or _guess_package(pattern, text) or "a package"
            return f"{name} does not build: {why}", hint
    for reader in (_network, _conflict):     # offline shows up as "no solution": network first
        found = reader(text)
        if found:
            return found
    if package:
        return (f"{package} does not build (no wheel for this Python, and building it from source failed)",
                "pass --python with a version it has wheels for, or relax its pin")
    errors = [ln.strip() for ln in text.splitlines()
              if re.match(r"\s*(error|ERROR|×|╰─▶)", ln) and "subprocess" not in ln and "See above" not in ln]
    return _short(errors[-1].lstrip("×╰─▶ ").strip() if errors else "the installer failed"), ""


def _guess_package(pattern: str, text: str) -> str | None:
    if "pg_config" in pattern:
        return "psycopg2"
    if "mysql" in pattern:
        return "mysqlclient"
    return None
