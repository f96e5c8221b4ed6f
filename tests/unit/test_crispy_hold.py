"""django-crispy-forms held below 2 for a Django app whose settings list crispy_forms and no template pack
(detect/crispy_hold.py): crispy-forms 2 ships no Bootstrap templates, so every `|crispy` page answers 500.
(Met: a parking app of the corpus listing crispy_forms alone, with CRISPY_TEMPLATE_PACK = "bootstrap4".)"""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard import environments
from shipyard.detect import deps, imports
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import Target, render

SETTINGS = ('INSTALLED_APPS = [\n    "django.contrib.admin",\n    "crispy_forms",\n{more}    "parking",\n]\n'
            'CRISPY_TEMPLATE_PACK = "bootstrap4"\n')


def app(tmp_path, requirements=None, more="", files=None):
    tree = {"manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
            "site1/__init__.py": "", "site1/settings.py": SETTINGS.format(more=more),
            "site1/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
            "parking/__init__.py": "", "parking/forms.py": "from django import forms\n", **(files or {})}
    if requirements is not None:
        tree["requirements.txt"] = requirements
    return make_tree(tmp_path, tree)


def declared(root):
    found = deps.declared(Project(root))
    return [d.requirement for d in found.dependencies], found.notes


@pytest.mark.parametrize("written, held", [
    ("Django==3.1.6\ndjango-crispy-forms\n", "django-crispy-forms<2"),
    ("Django\ndjango_crispy_forms>=1.9\n", "django_crispy_forms>=1.9,<2"),
])
def test_an_open_crispy_forms_without_a_template_pack_is_held_below_2(tmp_path, written, held):
    lines, notes = declared(app(tmp_path, written))
    assert held in lines, lines
    assert any("held below 2" in n and "site1/settings.py" in n and "template-pack" in n for n in notes), notes


@pytest.mark.parametrize("written, more", [
    ("Django\ndjango-crispy-forms==2.1\n", ""),                  # the author's exact choice
    ("Django\ndjango-crispy-forms==1.14.0\n", ""),
    ("Django\ndjango-crispy-forms>=2\n", ""),
    ("Django\ndjango-crispy-forms<2\n", ""),                     # already held by its author
    ("Django\ndjango-crispy-forms\n", '    "crispy_bootstrap5",\n'),    # a template pack listed: made for 2.x
    ("Django\ndjango-crispy-forms\ncrispy-tailwind\n", ""),       # a pack declared (it requires crispy-forms 2)
])
def test_what_the_app_decides_or_what_works_is_left(tmp_path, written, more):
    lines, notes = declared(app(tmp_path, written, more))
    assert lines == written.split(), lines                       # each line as written
    assert not any("held below 2" in n for n in notes), notes


def test_settings_without_crispy_forms_leave_a_declared_one(tmp_path):
    root = make_tree(tmp_path, {"requirements.txt": "Django\ndjango-crispy-forms\n",
                                "site1/settings.py": 'INSTALLED_APPS = ["django.contrib.admin"]\n'})
    assert "django-crispy-forms" in declared(root)[0]


def test_an_undeclared_crispy_forms_inferred_from_the_settings_is_held_too(tmp_path):
    """No dependency file: the names come from imports and INSTALLED_APPS, unpinned, so crispy-forms 2 unless held."""
    project = Project(app(tmp_path))
    found = imports.infer(project, None, deps.declared(project), installed=False)
    assert "django-crispy-forms<2" in [d.requirement for d in found.dependencies], found.dependencies
    assert any("held below 2" in n for n in found.notes), found.notes
    packed = Project(app(tmp_path / "packed", more='    "crispy_bootstrap4",\n'))
    found = imports.infer(packed, None, deps.declared(packed), installed=False)
    assert "django-crispy-forms" in [d.requirement for d in found.dependencies], found.dependencies


def test_the_hold_reaches_the_plan(tmp_path):
    plan = make_plan(app(tmp_path, "Django==3.1.6\ndjango-crispy-forms\n"), confirm=False, installed=False)
    assert "django-crispy-forms<2" in [d.requirement for d in plan.dependencies]
    assert any("held below 2" in n for n in plan.notes), plan.notes


def test_the_hold_is_not_a_bound_the_app_sets_when_dating_its_packages():
    assert environments.bounds_nothing(["django-crispy-forms<2", "django"])
    assert not environments.bounds_nothing(["django-crispy-forms<2,<1.13", "django"])


def test_the_image_installing_the_apps_requirements_file_takes_the_hold_as_a_constraint(tmp_path):
    """The image installs the app's own requirements.txt, which leaves the package open: the hold is a uv -c line."""
    plan = make_plan(app(tmp_path, "Django==3.1.6\ndjango-crispy-forms\n"), confirm=False, installed=False)
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert "'django-crispy-forms<2' >/opt/uv/constraints.txt" in dockerfile, dockerfile
    assert "-r requirements.txt -c /opt/uv/constraints.txt" in dockerfile
