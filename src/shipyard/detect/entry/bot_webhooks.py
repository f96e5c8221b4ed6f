"""Of several apps, the ones that are not a chat bot's webhook receiver: a notifier's compose stack holds its API
(catcher/app: an aiohttp app factory) and its Telegram admin bot (telegram-admin/app: another aiohttp factory,
made only to take the updates Telegram posts to the bot, through aiogram's executor). The bot is a side service of
the project, started by its own container with its token; the web app a person opens is the other one. An app whose
module, or a module of the project it imports, imports a bot framework gives way to one that does not; a lone bot's
webhook app is still the entry."""

from __future__ import annotations

from .graph import Analysis
from .model import AppDef, Candidate

# import names of chat-bot frameworks: aiogram, python-telegram-bot, pyTelegramBotAPI, Telethon, Pyrogram,
# discord.py, vk_api and vkbottle
BOT_FRAMEWORKS = frozenset({"aiogram", "telegram", "telebot", "telethon", "pyrogram", "discord", "vk_api",
                            "vkbottle"})


def drop_bot_webhooks(analysis: Analysis, pool: list[AppDef], best: dict[AppDef, Candidate]) -> list[AppDef]:
    """`pool` without the apps that serve a chat bot; `pool` as it is when that would leave none."""
    kept = [app for app in pool if not _serves_bot(analysis, best[app])]
    return kept if kept and len(kept) < len(pool) else pool


def _serves_bot(analysis: Analysis, c: Candidate) -> bool:
    paths = {c.module.path, c.app.path, *c.closure}
    return any(not imp.level and imp.module.split(".")[0] in BOT_FRAMEWORKS
               for path in paths if (m := analysis.modules.get(path)) is not None for imp in m.scan.imports)
