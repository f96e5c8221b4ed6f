"""Python 2's standard modules that Python 3 renamed, merged or dropped, by the name Python 2 code imports them
under, with where Python 3 has them ("" where it has nothing in their place). No distribution provides these
names on Python 3: code that imports one is Python 2 code, which an install cannot fix."""

from __future__ import annotations

PYTHON3_NAMES = {
    "__builtin__": "builtins", "anydbm": "dbm", "BaseHTTPServer": "http.server", "Bastion": "", "bsddb": "",
    "CGIHTTPServer": "http.server", "commands": "subprocess", "ConfigParser": "configparser",
    "Cookie": "http.cookies", "cookielib": "http.cookiejar", "copy_reg": "copyreg", "cPickle": "pickle",
    "cStringIO": "io", "dbhash": "dbm", "dircache": "os", "DocXMLRPCServer": "xmlrpc.server",
    "dumbdbm": "dbm.dumb", "dummy_thread": "_thread", "dummy_threading": "threading", "exceptions": "builtins",
    "fpformat": "", "future_builtins": "builtins", "gdbm": "dbm.gnu", "htmlentitydefs": "html.entities",
    "HTMLParser": "html.parser", "httplib": "http.client", "ihooks": "importlib", "imputil": "importlib",
    "markupbase": "_markupbase", "md5": "hashlib", "mhlib": "mailbox", "mimetools": "email",
    "MimeWriter": "email", "mimify": "email", "multifile": "email", "mutex": "threading", "new": "types",
    "popen2": "subprocess", "posixfile": "fcntl", "Queue": "queue", "repr": "reprlib", "rfc822": "email",
    "robotparser": "urllib.robotparser", "ScrolledText": "tkinter.scrolledtext", "sets": "builtins",
    "sgmllib": "html.parser", "sha": "hashlib", "SimpleHTTPServer": "http.server",
    "SimpleXMLRPCServer": "xmlrpc.server", "SocketServer": "socketserver", "statvfs": "os", "StringIO": "io",
    "thread": "_thread", "Tkinter": "tkinter", "tkMessageBox": "tkinter.messagebox",
    "tkFileDialog": "tkinter.filedialog", "tkSimpleDialog": "tkinter.simpledialog", "ttk": "tkinter.ttk",
    "urllib2": "urllib.request", "urlparse": "urllib.parse", "UserDict": "collections",
    "UserList": "collections", "UserString": "collections", "whichdb": "dbm", "xmlrpclib": "xmlrpc.client",
}


def python3_name(module: str) -> str | None:
    """Where Python 3 has what the Python 2 module `module` (or its submodule) held: "urllib.parse" for
    urlparse, "" for one it dropped; None when `module` is not one of Python 2's."""
    return PYTHON3_NAMES.get(module.split(".")[0])
