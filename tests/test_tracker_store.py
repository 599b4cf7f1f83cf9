"""Our tracker store (bot/channels/tracker_store.py) and the action-response check
(bot/channels/action_response.py): Rasa's behaviour kept, with fewer queries and less CPU a turn."""
import asyncio
import sqlite3

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

from bot import choices
from bot.channels import action_response  # noqa: F401  (installs the check)
from bot.channels.tracker_store import ERASE_ACTION, ErasingTrackerStore

MENU_1 = [{"title": "Français", "payload": "/choose_language{\"language\": \"fr\"}"}]
MENU_2 = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]


@pytest.fixture
def store(tmp_path):
    return ErasingTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))


def rows(store, sender):
    with sqlite3.connect(store.engine.url.database) as db:
        return [r[0] for r in db.execute("SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (sender,))]


def turn(store, sender, *events):
    """One turn as Rasa runs it: read the conversation, add events, save."""
    async def go():
        tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
        for event in events:
            tracker.update(event)
        await store.save(tracker)
    asyncio.run(go())


def test_a_number_is_read_against_the_menu_of_the_bots_latest_turn_only(store):
    turn(store, "a", ActionExecuted("action_listen"), UserUttered("bonjour"), BotUttered("Langue ?", {"buttons": MENU_1}))
    assert choices.last_menu(store.events_since_last_user_message("a")) == MENU_1
    turn(store, "a", UserUttered("1"), BotUttered("D'accord ?", {"buttons": MENU_2}), ActionExecuted("action_listen"))
    assert choices.last_menu(store.events_since_last_user_message("a")) == MENU_2
    turn(store, "a", UserUttered("oui"), BotUttered("Merci"))  # answered: no menu open any more
    assert choices.last_menu(store.events_since_last_user_message("a")) == []
    assert store.events_since_last_user_message("nobody") == []


def test_every_event_is_stored_exactly_once_across_turns_and_a_new_session(store):
    turn(store, "b", ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"))
    turn(store, "b", UserUttered("bonjour"), BotUttered("Bonjour"), ActionExecuted("action_listen"))
    turn(store, "b", ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
         UserUttered("encore"))
    assert rows(store, "b") == ["action", "session_started", "action", "user", "bot", "action",
                                "action", "session_started", "action", "user"]
    tracker = asyncio.run(store.retrieve("b"))  # the latest session only, as Rasa reads it
    assert [e.type_name for e in tracker.events] == ["session_started", "action", "user"]
    turn(store, "b", BotUttered("Oui ?"))
    assert rows(store, "b")[-2:] == ["user", "bot"]


def test_a_turn_that_erased_the_person_leaves_nothing_of_the_conversation(store):
    turn(store, "c", ActionExecuted("action_listen"), UserUttered("bonjour"), BotUttered("Bonjour"))
    turn(store, "c", UserUttered("SUPPRIMER"), ActionExecuted(ERASE_ACTION), BotUttered("Effacé"))
    assert rows(store, "c") == []
    turn(store, "c", ActionExecuted("action_listen"), UserUttered("bonjour"))  # starts afresh
    assert rows(store, "c") == ["action", "user"]


def test_a_malformed_action_server_response_still_fails_the_turn():
    action = RemoteAction("action_anything", None)
    assert action._validate_action_result({"events": [{"event": "slot", "name": "x", "value": 1}], "responses": []})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"event": "no_such_event"}], "responses": []})
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": "not a list"})
