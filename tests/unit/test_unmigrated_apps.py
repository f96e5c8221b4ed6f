"""Django apps with models and no migrations (detect/unmigrated_apps.py): the release runs `migrate
--run-syncdb` for them, and names those whose migrations package is empty. (Served: tests/integration/
test_serve_fresh_clone_shapes.py.)"""

from __future__ import annotations

from conftest import make_tree
from shipyard.detect.unmigrated_apps import unmigrated
from shipyard.project import Project

MODEL = "from django.db import models\n\nclass Note(models.Model):\n    text = models.TextField()\n"
ABSTRACT = ("from django.db import models\n\nclass Stamped(models.Model):\n    class Meta:\n"
            "        abstract = True\n")


def test_apps_with_models_by_their_migrations(tmp_path):
    root = make_tree(tmp_path, {
        "manage.py": "",
        "notes/models.py": MODEL,                                              # no migrations package
        "shop/models/__init__.py": "from django.db.models import Model\nclass Item(Model):\n    pass\n",
        "blog/models.py": MODEL, "blog/migrations/__init__.py": "",           # the package, no migration
        "done/models.py": MODEL, "done/migrations/__init__.py": "", "done/migrations/0001_initial.py": "",
        "base/models.py": ABSTRACT,                                            # only an abstract model
        "plain/models.py": "class Note:\n    pass\n",                         # not Django's
        "tests/models.py": MODEL,                                              # the tests'
    })
    found = unmigrated(Project(root), ".")
    assert found.without == ("notes", "shop")
    assert found.empty == ("blog",)


def test_only_apps_under_the_project_folder_count(tmp_path):
    root = make_tree(tmp_path, {"site/manage.py": "", "site/notes/models.py": MODEL, "other/models.py": MODEL})
    assert unmigrated(Project(root), "site").without == ("site/notes",)
