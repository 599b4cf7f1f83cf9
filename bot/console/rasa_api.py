"""The console talks to conversations through Rasa's HTTP API (token in bot.settings):
read the tracker, pause or resume the bot, add a staff answer as a bot message."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import aiohttp

from bot.settings import Settings

TIMEOUT = aiohttp.ClientTimeout(total=15)


class RasaApi:
    def __init__(self, cfg: Settings) -> None:
        self.base, self.token = cfg.rasa_url, cfg.rasa_token

    def _url(self, conversation: str, tail: str) -> str:
        return f"{self.base}/conversations/{quote(conversation, safe='')}/{tail}"

    async def tracker(self, conversation: str) -> dict[str, Any]:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
            async with http.get(self._url(conversation, "tracker"), params={"token": self.token}) as reply:
                reply.raise_for_status()
                return await reply.json()

    async def add_events(self, conversation: str, events: list[dict[str, Any]]) -> None:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
            async with http.post(self._url(conversation, "tracker/events"), params={"token": self.token},
                                 json=events) as reply:
                reply.raise_for_status()

    async def pause(self, conversation: str) -> None:
        await self.add_events(conversation, [{"event": "pause"}])

    async def resume(self, conversation: str) -> None:
        await self.add_events(conversation, [{"event": "resume"}])

    async def say(self, conversation: str, text: str) -> None:
        """A staff answer, kept in the conversation as a bot message (the web chat shows it)."""
        await self.add_events(conversation, [{"event": "bot", "text": text, "metadata": {"staff": True}}])


def messages(tracker: dict[str, Any]) -> list[dict[str, Any]]:
    """What was said, oldest first: who (person, bot, staff), text, time. Button payloads are
    left out of the person's side ("/greet"), the buttons' titles are not needed here."""
    shown = []
    for event in tracker.get("events") or []:
        kind, text = event.get("event"), event.get("text") or ""
        if kind == "user" and text and not text.startswith("/"):
            shown.append({"who": "person", "text": text, "at": event.get("timestamp")})
        elif kind == "bot" and text:
            who = "staff" if (event.get("metadata") or {}).get("staff") else "bot"
            shown.append({"who": who, "text": text, "at": event.get("timestamp")})
    return shown
