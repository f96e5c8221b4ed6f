"""A Django asgi.py that imports its routing (and through it its consumers' models) before
get_asgi_application() has set Django up, as the Channels 3 tutorial's did: AppRegistryNotReady under any
server, while `manage.py runserver` sets Django up first. The import proof finds that it imports once Django is
set up, the plan says so, and the server loads shipyard_entry.py, which sets Django up before importing it."""

from __future__ import annotations

import sys

from shipyard.planner import make_plan
from shipyard.render.render import ENTRY_SHIM, needs_shim, render, served_entry

from conftest import get_through_shim, make_tree

PROJECT = {
    "requirements.txt": "Django\nchannels\n",
    "manage.py": """
        import os
        import sys

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
        """,
    "mysite/__init__.py": "",
    "mysite/settings.py": """
        SECRET_KEY = "fixture-only"
        ALLOWED_HOSTS = ["*"]
        INSTALLED_APPS = ["django.contrib.contenttypes", "chat"]
        ROOT_URLCONF = "mysite.urls"
        ASGI_APPLICATION = "mysite.asgi.application"
        DATABASES = {}
        USE_TZ = True
        """,
    "mysite/urls.py": """
        from django.http import HttpResponse
        from django.urls import path

        urlpatterns = [path("", lambda request: HttpResponse("rooms: " + ", ".join(
            f.name for f in __import__("chat.models").models.Room._meta.fields)))]
        """,
    # the Channels 3 tutorial's asgi.py: the routing is imported before Django is set up, and its consumers
    # import the models
    "mysite/asgi.py": """
        import os

        from channels.routing import ProtocolTypeRouter, URLRouter
        from django.core.asgi import get_asgi_application

        import chat.routing

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")

        application = ProtocolTypeRouter({
            "http": get_asgi_application(),
            "websocket": URLRouter(chat.routing.websocket_urlpatterns),
        })
        """,
    "chat/__init__.py": "",
    "chat/models.py": """
        from django.db import models


        class Room(models.Model):
            name = models.CharField(max_length=50)
        """,
    "chat/routing.py": """
        from django.urls import re_path

        from . import consumers

        websocket_urlpatterns = [re_path(r"ws/chat/$", consumers.ChatConsumer.as_asgi())]
        """,
    "chat/consumers.py": """
        from channels.generic.websocket import WebsocketConsumer

        from .models import Room


        class ChatConsumer(WebsocketConsumer):
            def connect(self):
                self.accept() if Room else self.close()
        """,
}

def test_an_asgi_module_importing_models_before_setup_is_served_with_django_set_up_first(tmp_path):
    root = make_tree(tmp_path / "app", PROJECT)
    plan = make_plan(root, python_exe=sys.executable)         # Shipyard's own Python has Django
    assert plan.entry.target == "mysite.asgi:application"
    assert plan.proof.proven and plan.proof.django_setup and plan.entry.django_setup, plan.proof
    assert needs_shim(plan) and served_entry(plan).target == "shipyard_entry:app"
    (root / ENTRY_SHIM).write_text(render(plan, only=(ENTRY_SHIM,))[ENTRY_SHIM])
    done = get_through_shim(root, {"PATH": "/usr/bin:/bin"})    # no DJANGO_SETTINGS_MODULE: the shim names it
    assert done.stdout.strip() == '[200, "rooms: id, name"]', done.stderr
    assert type(plan).from_json(plan.to_json()).entry.django_setup      # kept through JSON


def test_an_asgi_module_that_sets_django_up_itself_needs_no_shim(tmp_path):
    fixed = dict(PROJECT)
    # get_asgi_application() first, then the routing: as Channels' documentation writes it
    fixed["mysite/asgi.py"] = PROJECT["mysite/asgi.py"].replace("        import chat.routing\n", "").replace(
        '"http": get_asgi_application(),', '"http": http,').replace(
        "        application = ProtocolTypeRouter({",
        "        http = get_asgi_application()\n        import chat.routing  # noqa: E402\n\n"
        "        application = ProtocolTypeRouter({")
    root = make_tree(tmp_path / "app", fixed)
    plan = make_plan(root, python_exe=sys.executable)
    assert plan.proof.proven and not plan.entry.django_setup and not needs_shim(plan), plan.proof
