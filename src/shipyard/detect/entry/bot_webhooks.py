"""Of several apps, the ones that are not a chat bot's webhook receiver: a notifier's compose stack holds its API
(catcher/app: an aiohttp app factory) and its Telegram admin bot (telegram-admin/app: another aiohttp factory,
made only to take the updates Telegram posts to the bot, through aiogram's executor). The bot is a side service of
the project, started by its own container with its token; the web app a person opens is the other one. An app whose
module, or a module of the project it imports, imports a bot framework gives way to one that does not; a lone bot's
webhook app is still the entry. An SMS or voice bot counts too: a module that builds TwiML (twilio.twiml's
MessagingResponse, VoiceResponse) answers Twilio's webhook; twilio.rest alone only sends messages from a web app."""

from __future__ import annotations

from .graph import Analysis
from .model import AppDef, Candidate

# import names of chat-bot frameworks: aiogram, python-telegram-bot, pyTelegramBotAPI, Telethon, Pyrogram,
# discord.py, vk_api and vkbottle
BOT_FRAMEWORKS = frozenset({"aiogram", "telegram", "telebot", "telethon", "pyrogram", "discord", "vk_api",
                            "vkbottle"})
# modules that only a webhook's reply uses: Twilio's TwiML builders
BOT_REPLY_MODULES = ("twilio.twiml",)


def drop_bot_webhooks(analysis: Analysis, pool: list[AppDef], best: dict[AppDef, Candidate]) -> list[AppDef]:
    """`pool` without the apps that serve a chat bot; `pool` as it is when that would leave none."""
    kept = [app for app in pool if not _serves_bot(analysis, best[app])]
    return kept if kept and len(kept) < len(pool) else pool


def _serves_bot(analysis: Analysis, c: Candidate) -> bool:
    paths = {c.module.path, c.app.path, *c.closure}
    return any(not imp.level and _bot_import(imp.module)
               for path in paths if (m := analysis.modules.get(path)) is not None for imp in m.scan.imports)


def _bot_import(module: str) -> bool:
    return module.split(".")[0] in BOT_FRAMEWORKS or \
        any(module == name or module.startswith(f"{name}.") for name in BOT_REPLY_MODULES)
