"""Which distributions the app uses (environments.used_by): a pin that does not build here and that nothing uses is a
freeze's leftover, installed without; one the app uses moves the install to an older Python instead."""

from shipyard.environments import used_by

from conftest import make_tree


def test_a_postgresql_driver_is_used_by_models_of_django_contrib_postgres(tmp_path):
    # a 2019 conference app: psycopg2-binary==2.8.3 had no wheel for Python 3.12 and was said to be used by
    # nothing ("a leftover of the environment the requirements were frozen from"), though its JSONField needs it
    make_tree(tmp_path, {
        "manage.py": "import django\n",
        "main/__init__.py": "",
        "main/models.py": "from django.db import models\n\n\nclass Talk(models.Model):\n"
                          "    title = models.CharField(max_length=9)\n",
    })
    assert "psycopg2-binary" not in used_by(tmp_path)
    (tmp_path / "main" / "models.py").write_text("from django.contrib.postgres.fields import JSONField\n"
                                                 "from django.db import models\n\n\nclass Talk(models.Model):\n"
                                                 "    geometry = JSONField(default=dict)\n")
    used = used_by(tmp_path)
    assert {"psycopg2", "psycopg2-binary"} <= set(used), used


def test_a_declared_distribution_named_as_its_import_without_separators_is_used(tmp_path):
    # a 2019 inventory app: `import peeweedbevolve` in server.py, peewee-db-evolve==3.7.0 in requirements.txt; no
    # table maps that import, and the pin (an sdist whose setup.py imports its own module) did not build: it was
    # said to be used by nothing and left out, and the import then failed as a package missing from the requirements
    make_tree(tmp_path, {
        "requirements.txt": "Flask==1.0.2\npeewee==3.8.2\npeewee-db-evolve==3.7.0\ncolorama==0.4.1\n",
        "server.py": "import peeweedbevolve\nfrom flask import Flask\n\napp = Flask(__name__)\n",
    })
    used = set(used_by(tmp_path))
    assert "peewee-db-evolve" in used and "colorama" not in used, used
