"""Why a page the app serves answers 500, said in serve's warning: the traceback's own last line, and what to do
when it is a variable the app reads with no default while answering."""

from __future__ import annotations

from shipyard.run.serve import unset_variable_hint
from shipyard.run.tree import _cause


def test_the_cause_of_a_failed_request_is_the_traceback_s_last_line_whatever_the_exception_is_named():
    # django-environ's ImproperlyConfigured, raised by a module the URLconf imports (a Telegram client's settings):
    # serve said "GET / answers 500: raise ImproperlyConfigured(error_msg) from exc", a source line of the frames
    lines = ["[INFO] Started worker-1", "[ERROR] Application callable raised an exception",
             "Traceback (most recent call last):",
             '  File "/app/config/settings/telegram.py", line 3, in <module>',
             '    TELEGRAM_URL = env("TELEGRAM_URL")',
             '  File "/app/.venv/lib/python3.12/site-packages/environ/environ.py", line 392, in get_value',
             "    raise ImproperlyConfigured(error_msg) from exc",
             "ImproperlyConfigured: Set the TELEGRAM_URL environment variable",
             '127.0.0.1 - - [07/Dec/2026:05:15:38 +0000] "GET / HTTP/1.1" 500 0 "-" "shipyard-serve-probe"']
    assert _cause(lines) == "ImproperlyConfigured: Set the TELEGRAM_URL environment variable"
    # a bare exception name ends a traceback too; a line that is not one (Python's "During handling...") does not
    assert _cause(["Traceback (most recent call last):", '  File "x.py", line 1', "KeyboardInterrupt"]) == \
        "KeyboardInterrupt"
    assert _cause(["Traceback (most recent call last):", '  File "x.py", line 1',
                   "During handling of the above exception, another exception occurred:"]) == ""


def test_a_variable_read_with_no_default_while_answering_is_named_with_what_to_do():
    hint = unset_variable_hint("ImproperlyConfigured: Set the TELEGRAM_URL environment variable")
    assert hint == (" (the app reads TELEGRAM_URL with no default while answering, and it is not set: give it the "
                    "value the app needs (export TELEGRAM_URL=... or a line in the app's .env) and run again)")
    assert "reads STRIPE_KEY with no default" in unset_variable_hint(
        "decouple.UndefinedValueError: STRIPE_KEY not found. Declare it as envvar or define a default value.")
    assert "reads MAIL_PASSWORD with no default" in unset_variable_hint(
        'environs.EnvError: Environment variable "MAIL_PASSWORD" not set')
    assert unset_variable_hint("OperationalError: no such table: blog_post") == ""
