"""Rasa NLG adapter: every `utter_*` is rendered from the Babel catalogs (bot.rendering),
in the language of the `language` slot, shaped for the output channel.

Loaded in-process by Rasa through `nlg: type: bot.nlg.CatalogNLG` in endpoints.yml.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa.core.nlg.generator import NaturalLanguageGenerator
from rasa.shared.core.trackers import DialogueStateTracker

from bot.i18n import DEFAULT_LANGUAGE, supported
from bot.rendering import channel_kind, render

logger = logging.getLogger(__name__)


class CatalogNLG(NaturalLanguageGenerator):
    def __init__(self, endpoint_config: Any = None, domain: Any = None) -> None:
        pass  # Rasa passes its endpoint config and domain; every text comes from the catalogs

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        language = supported(tracker.get_slot("language")) or DEFAULT_LANGUAGE
        metadata = tracker.latest_message.metadata if tracker.latest_message else None
        kind = channel_kind(output_channel, metadata)
        params = {**tracker.current_slot_values(), **{k: v for k, v in kwargs.items() if v is not None}}
        return render(utter_action, language, kind, params).as_rasa()
