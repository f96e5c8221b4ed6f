"""Of two apps in different folders, a chat bot's webhook receiver gives way: a notifier's compose stack holds its
API (catcher/app, an aiohttp factory) and its Telegram admin bot (bot/app, an aiohttp factory aiogram's executor
posts the bot's updates to, its Bot made in config.py). A lone bot webhook app is still the entry."""

from __future__ import annotations

import pytest

from shipyard.detect import entry
from shipyard.errors import AmbiguousApp
from shipyard.project import Project

from conftest import make_tree

API = ("from aiohttp import web\n\n\nasync def list_chats(request):\n    return web.json_response([])\n\n\n"
       "async def init_func():\n    app = web.Application()\n    app.router.add_get('/api/chats', list_chats)\n"
       "    return app\n")
BOT = ("from aiogram import Dispatcher\nfrom aiogram.utils.executor import Executor\nfrom aiohttp import web\n\n"
       "from config import bot\n\n\nasync def init_func():\n    dp = Dispatcher(bot)\n    app = web.Application()\n"
       "    executor = Executor(dp, skip_updates=True)\n    executor._prepare_webhook('/webhooks/', app=app)\n"
       "    return app\n")
BOT_CONFIG = "import os\nfrom aiogram import Bot\n\nbot = Bot(token=os.environ['API_TOKEN'])\n"
FILES = {"catcher/app/main.py": API, "catcher/app/requirements.txt": "aiohttp==3.8.5\n",
         "bot/app/main.py": BOT, "bot/app/config.py": BOT_CONFIG,
         "bot/app/requirements.txt": "aiogram==2.25.1\naiohttp==3.8.5\n"}


def test_the_app_beside_a_bots_webhook_app_is_the_entry(tmp_path):
    found = entry.find(Project(make_tree(tmp_path / "notifier", FILES)), None)
    assert (found.entry.target, found.workdir) == ("main:init_func()", "catcher/app")


def test_a_bot_made_in_a_module_the_app_imports_counts_too(tmp_path):
    # the bot's main.py itself imports no bot framework: its config.py does
    files = {**FILES, "bot/app/main.py": BOT.replace("from aiogram import Dispatcher\n", "from config import Dispatcher\n")
             .replace("from aiogram.utils.executor import Executor\n", "from config import Executor\n"),
             "bot/app/config.py": BOT_CONFIG.replace("from aiogram import Bot", "from aiogram import Bot, Dispatcher\n"
                                                     "from aiogram.utils.executor import Executor")}
    found = entry.find(Project(make_tree(tmp_path / "notifier", files)), None)
    assert found.workdir == "catcher/app"


def test_a_lone_bot_webhook_app_is_the_entry(tmp_path):
    files = {k: v for k, v in FILES.items() if k.startswith("bot/")}
    found = entry.find(Project(make_tree(tmp_path / "notifier", files)), None)
    assert (found.entry.target, found.workdir) == ("main:init_func()", "bot/app")


def test_two_apps_neither_a_bot_stay_the_users_choice(tmp_path):
    files = {**FILES, "bot/app/main.py": API, "bot/app/config.py": "import os\n"}
    with pytest.raises(AmbiguousApp):
        entry.find(Project(make_tree(tmp_path / "notifier", files)), None)
