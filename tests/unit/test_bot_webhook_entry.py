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


# An SMS bot: a Flask app whose only route answers Twilio's webhook with TwiML, beside the site's own app (a Sanic
# app.py rendering templates). TwiML responses are only ever the reply to a Twilio webhook; twilio.rest alone (an app
# that sends a text message) is not a bot.
SITE = ("from sanic import Sanic\nfrom sanic.response import html\n\napp = Sanic(__name__)\n\n\n@app.route('/')\n"
        "async def index(request):\n    return html('<h1>site</h1>')\n")
SMS_BOT = ("from flask import Flask, request\nfrom twilio.twiml.messaging_response import MessagingResponse\n"
           "from twilio.rest import Client\n\napp = Flask(__name__)\nclient = Client('XXX', 'XXX')\n\n\n"
           "@app.route('/sms', methods=['POST'])\ndef reply():\n    resp = MessagingResponse()\n"
           "    resp.message('thanks')\n    return str(resp)\n\n\nif __name__ == '__main__':\n    app.run()\n")


def test_the_site_beside_a_twilio_sms_webhook_app_is_the_entry(tmp_path):
    found = entry.find(Project(make_tree(tmp_path / "site", {"app.py": SITE, "Twiliobot.py": SMS_BOT})), None)
    assert (found.entry.target, found.workdir) == ("app:app", ".")


def test_an_app_that_only_sends_texts_with_twilio_is_no_bot(tmp_path):
    sender = SMS_BOT.replace("from twilio.twiml.messaging_response import MessagingResponse\n", "") \
        .replace("    resp = MessagingResponse()\n    resp.message('thanks')\n    return str(resp)\n",
                 "    client.messages.create(body='hi', to='+1', from_='+2')\n    return 'sent'\n")
    with pytest.raises(AmbiguousApp):
        entry.find(Project(make_tree(tmp_path / "site", {"app.py": SITE, "notify.py": sender})), None)
