"""An app that sets a locale by name at import (`locale.setlocale(locale.LC_ALL, "de_DE.UTF-8")`): a slim base image
has C.UTF-8 only, so the image's import stopped on "unsupported locale setting". The builder now compiles the locale
(Debian's locales package stays there) and the app reads it through LOCPATH: build + verify pass."""

from __future__ import annotations

import pytest

from conftest import make_tree
from test_build import python_in, verified_image

pytestmark = [pytest.mark.engine, pytest.mark.slow]

APP = {
    "app.py": '''
        import locale
        import time

        from flask import Flask

        locale.setlocale(locale.LC_ALL, "de_DE.UTF-8")
        app = Flask(__name__)


        @app.get("/")
        def index():
            return time.strftime("%B", (2020, 3, 1, 0, 0, 0, 0, 61, 0))
        ''',
    "requirements.txt": "Flask==3.0.3\n",
}


def test_a_locale_the_code_sets_is_compiled_in_the_builder_and_read_through_locpath(tmp_path, base_image):
    app = make_tree(tmp_path / "months", APP)
    with verified_image(app, base_image, "locales", python="3.11", timeout=1800) as tag:
        ran = python_in(tag, "import app, locale, shutil, os; print(app.index(), locale.getlocale()[0], "
                             "os.path.isdir('/usr/share/i18n/locales'))")
        assert ran.returncode == 0 and ran.stdout.split() == ["März", "de_DE", "False"], ran.stdout + ran.stderr
