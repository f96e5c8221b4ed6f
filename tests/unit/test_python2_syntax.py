"""What says a file Python 3 does not parse is Python 2 code (detect/python2_syntax.py), read from the error Python
3 gives, the line it names, or the file's unmistakable statements; newer syntax, or a plain mistake, is not."""

from __future__ import annotations

import pytest

from shipyard.detect.python2_syntax import python2_error, python2_mark


def _error(source: str) -> SyntaxError:
    try:
        compile(source, "views.py", "exec")
    except SyntaxError as exc:
        return exc
    raise AssertionError("it parsed")


@pytest.mark.parametrize("source, mark", [
    ("print 'hello'\n", "a print statement"),
    ("def f():\n        x = 1\n\treturn x\n", "indentation mixing tabs and spaces, which Python 2 read"),
    ("import os\nos.chmod('f', 0755)\n", "an octal literal written 0777"),
    ("try:\n    pass\nexcept IOError, e:\n    pass\n", "`except Error, name:`"),
    ("if 1 <> 2:\n    pass\n", "the <> operator"),
    ("raise ValueError, 'bad'\n", "`raise Error, message`"),
    ("x = `1`\n", "a backquoted repr"),
    ("n = 10L\n", "a long literal (10L)"),
    # an error elsewhere, in a file with a print statement of Python 2's
    ("print 'start'\nx = (\n", "a print statement"),
])
def test_python2_syntax_is_recognised(source, mark):
    exc = _error(source)
    assert python2_mark(exc.msg, exc.text, source) == mark


@pytest.mark.parametrize("source", [
    "x = (\n",                                           # a plain mistake
    'def f():\n    """print the `list` of users"""\n    return (\n',   # prose in a docstring is not code
    "match = 1\nx = 1 +\n",
])
def test_other_syntax_errors_are_not_python2(source):
    exc = _error(source)
    assert python2_mark(exc.msg, exc.text, source) is None
    assert python2_error("views.py", exc.lineno, exc.msg, source) is None


def test_the_line_names_the_file_says_python2_and_what_to_do():
    source = "import os\n\nprint 'hello'\n"
    exc = _error(source)
    message, hint = python2_error("shop/views.py", exc.lineno, exc.msg, source)
    assert message == ("shop/views.py:3: Missing parentheses in call to 'print'. Did you mean print(...)?: "
                       "shop/views.py is Python 2 code (a print statement), which no Python 3 runs")
    assert hint == "port the app to Python 3 (`2to3 -w shop` does most of it), then run again"
    tabs = "def f():\n        x = 1\n\treturn x\n"
    exc = _error(tabs)
    assert python2_error("views.py", exc.lineno, exc.msg, tabs)[1] == (
        "port the app to Python 3 (`2to3 -w .` does most of it; reindent its tabs as spaces), then run again")


def test_python314s_unparenthesized_except_is_not_python2():
    # PEP 758: `except ValueError, KeyError:` is Python 3.14's; Python 2's names the exception after the comma
    source = "try:\n    pass\nexcept ValueError, KeyError:\n    pass\n"
    exc = _error(source)
    assert python2_mark(exc.msg, exc.text, source) is None


@pytest.mark.parametrize("source", [
    "[04:30 pm] Yeshwanth\nfrom os import path\n",      # a chat line pasted at a module's top (Gen_AI's sqlChain.py)
    "x = 1\nmeeting at 09:15 tomorrow\n",
])
def test_a_leading_zero_in_a_line_that_is_no_code_is_not_python2(source):
    exc = _error(source)
    assert "leading zeros" in exc.msg
    assert python2_mark(exc.msg, exc.text, source) is None
    assert python2_error("src/chain.py", exc.lineno, exc.msg, source) is None


@pytest.mark.parametrize("source", [
    "import os\nos.chmod('f',\n         0755)\n",         # the literal on a statement's continuation line
    "import os\nif os.stat('f').st_mode == 0755:\n    pass\n",
    "try:\n    pass\nexcept OSError: mode = 0644\n",
])
def test_an_octal_literal_in_code_is_still_python2(source):
    exc = _error(source)
    assert python2_mark(exc.msg, exc.text, source) == "an octal literal written 0777"
