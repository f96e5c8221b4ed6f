"""The image's build-time collectstatic for a Django app on Redis whose settings build the broker URL from its
parts: `REDIS_PORT = os.getenv("REDIS_PORT", 6379)` then `CELERY_BROKER_URL = 'redis://' + REDIS_HOST + ':' +
REDIS_PORT` (a 2022 Django + Celery site) stops the settings' import with a TypeError when REDIS_PORT is unset;
the stack sets it, the build did not. The Dockerfile's collectstatic step now gives the app's Redis variables
placeholders as it gives the database's (nothing connects there). Real Django (the dev environment's) runs the
rendered runtime with the rendered step's variables, on a project written in that shape."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

from conftest import make_tree
from shipyard.planner import make_plan
from shipyard.render import render

SETTINGS = """\
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.staticfiles"]
ROOT_URLCONF = "config.urls"
DATABASES = {}
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "assets"]
REDIS_HOST = os.getenv("REDIS_HOST", "localhost")
REDIS_PORT = os.getenv("REDIS_PORT", 6379)
CELERY_BROKER_URL = "redis://" + REDIS_HOST + ":" + REDIS_PORT
"""
VIEWS = "import redis\nfrom django.conf import settings\n\nr = redis.StrictRedis(host=settings.REDIS_HOST)\n"


def _site(tmp_path):
    return make_tree(tmp_path / "site", {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
        "config/__init__.py": "", "config/settings.py": SETTINGS, "config/urls.py": "urlpatterns = []\n",
        "config/wsgi.py": ("import os\nfrom django.core.wsgi import get_wsgi_application\n"
                           "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
                           "application = get_wsgi_application()\n"),
        "main/__init__.py": "", "main/views.py": VIEWS,
        "assets/site.css": "body { color: teal; }\n",
        "requirements.txt": "Django==4.2.11\nredis==5.0.1\n",
    })


def _collectstatic_env(dockerfile: str) -> dict[str, str]:
    """The variables the Dockerfile's collectstatic step sets, as the shell reads them."""
    line = next(l for l in dockerfile.replace("\\\n", " ").splitlines() if "collectstatic" in l and "RUN" in l)
    words = shlex.split(line[line.index("SECRET_KEY=collectstatic-only"):])
    return dict(w.split("=", 1) for w in words if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", w))


def test_the_build_time_collectstatic_gets_the_apps_redis_variables(tmp_path):
    root = _site(tmp_path)
    plan = make_plan(root, {}, confirm=False)
    assert plan.needs_redis and plan.framework == "django"
    files = render(plan)
    given = _collectstatic_env(files["Dockerfile"])
    assert given["REDIS_PORT"] == "6379" and given["REDIS_HOST"] == "localhost", given
    assert "Redis address" in files["Dockerfile"]
    (root / "shipyard_runtime.py").write_text(files["shipyard_runtime.py"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDIS")}
    env.update(given, DJANGO_SETTINGS_MODULE="config.settings")
    done = subprocess.run([sys.executable, "shipyard_runtime.py", "collectstatic"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (root / "staticfiles" / "site.css").is_file()
    # without them, the import stops as the build did before
    bare = {k: v for k, v in env.items() if not k.startswith("REDIS")}
    failed = subprocess.run([sys.executable, "shipyard_runtime.py", "collectstatic"], cwd=root, env=bare,
                            capture_output=True, text=True, timeout=120)
    assert failed.returncode != 0 and "can only concatenate str" in failed.stderr
