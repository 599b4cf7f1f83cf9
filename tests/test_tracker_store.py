"""Our tracker store (bot/channels/tracker_store.py) and the action-response check
(bot/channels/action_response.py): Rasa's behaviour kept, with fewer queries and less CPU a turn."""
import asyncio
import os

import pytest
import sqlalchemy as sa
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from bot import choices
from bot.channels import action_response  # noqa: F401  (installs the check)
from bot.channels.tracker_store import ERASE_ACTION, ErasingTrackerStore

MENU_1 = [{"title": "Français", "payload": "/choose_language{\"language\": \"fr\"}"}]
MENU_2 = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]


@pytest.fixture
def store(tmp_path):
    return ErasingTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))


def rows(store, sender):
    with store.engine.connect() as db:
        return list(db.execute(sa.text("SELECT type_name FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
                    .scalars())


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


# --- trackers kept in memory (issue 20, flat turns) -------------------------------------------

SLOTS = Domain.from_yaml("""
version: "3.1"
slots:
  language: {type: text, mappings: [{type: custom}]}
  consent_given: {type: bool, mappings: [{type: custom}]}
""")


POSTGRES = os.environ.get("TEST_POSTGRES_URL")
REPLICA_SENDERS = ("r", "s", "e", "c", "p")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not POSTGRES, reason="TEST_POSTGRES_URL not set (make test sets it)"))])
def replicas(request, tmp_path):
    """Two stores on one database, as two Rasa replicas share the PostgreSQL one."""
    if request.param == "sqlite":
        db = str(tmp_path / "shared.db")
        return ErasingTrackerStore(SLOTS, dialect="sqlite", db=db), ErasingTrackerStore(SLOTS, dialect="sqlite", db=db)
    a, b = ErasingTrackerStore(SLOTS, host=POSTGRES), ErasingTrackerStore(SLOTS, host=POSTGRES)
    with a.engine.begin() as db:  # the throwaway test server: what an earlier run left goes
        db.execute(sa.text("DELETE FROM events WHERE sender_id IN :s").bindparams(sa.bindparam("s", expanding=True)),
                   {"s": list(REPLICA_SENDERS)})
    return a, b


def retrieved(store, sender):
    tracker = asyncio.run(store.retrieve(sender))
    return None if tracker is None else [e.type_name for e in tracker.events]


def fresh_read(store, sender):
    """What a store with nothing in memory reads for this conversation."""
    if store.engine.dialect.name == "sqlite":
        return retrieved(ErasingTrackerStore(store.domain, dialect="sqlite", db=store.engine.url.database), sender)
    return retrieved(ErasingTrackerStore(store.domain, host=POSTGRES), sender)


def started(store, sender):
    turn(store, sender, ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"))
    turn(store, sender, UserUttered("bonjour"), BotUttered("Bonjour"), ActionExecuted("action_listen"))


def test_a_kept_tracker_is_used_without_reading_the_conversation_again(store, monkeypatch):
    started(store, "k")
    turn(store, "k", UserUttered("DOCS"), BotUttered("Liste"), ActionExecuted("action_listen"))
    monkeypatch.setattr(store, "_event_query", lambda *a, **k: pytest.fail("the whole conversation was read"))
    assert retrieved(store, "k") == fresh_read(store, "k")
    turn(store, "k", UserUttered("merci"), BotUttered("Avec plaisir"))
    assert rows(store, "k")[-2:] == ["user", "bot"]


def test_a_replica_never_uses_a_tracker_older_than_what_the_other_one_wrote(replicas):
    a, b = replicas
    started(a, "r")
    turn(a, "r", UserUttered("1"), BotUttered("Oui ?"), ActionExecuted("action_listen"))  # a keeps it
    turn(b, "r", UserUttered("DOCS"), BotUttered("Liste"), ActionExecuted("action_listen"))
    turn(b, "r", UserUttered("merci"), BotUttered("Avec plaisir"), ActionExecuted("action_listen"))
    assert retrieved(a, "r") == fresh_read(a, "r")
    assert asyncio.run(a.retrieve("r")).latest_message.text == "merci"
    turn(a, "r", UserUttered("encore"), BotUttered("Oui"))  # and a's turn adds only its own events
    assert rows(a, "r").count("user") == 5 and rows(a, "r")[-2:] == ["user", "bot"]
    assert retrieved(b, "r") == fresh_read(b, "r") == retrieved(a, "r")


def test_a_new_session_written_by_the_other_replica_is_read_as_rasa_reads_it(replicas):
    a, b = replicas
    started(a, "s")
    turn(b, "s", ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
         UserUttered("encore"))
    assert retrieved(a, "s") == ["session_started", "action", "user"]


def test_a_conversation_erased_through_the_other_replica_is_not_brought_back(replicas):
    a, b = replicas
    started(a, "e")
    turn(b, "e", UserUttered("SUPPRIMER"), ActionExecuted(ERASE_ACTION), BotUttered("Effacé"))
    assert retrieved(a, "e") is None
    turn(b, "e", ActionExecuted("action_listen"), UserUttered("bonjour"))  # a fresh conversation
    assert retrieved(a, "e") == ["action", "user"] == fresh_read(a, "e")


def test_an_erasure_leaves_nothing_in_memory_either(store):
    started(store, "x")
    turn(store, "x", UserUttered("SUPPRIMER"), ActionExecuted(ERASE_ACTION), BotUttered("Effacé"))
    assert rows(store, "x") == [] and retrieved(store, "x") is None


@pytest.mark.parametrize("refused_on", ["same", "other"])
def test_refused_consent_keeps_only_the_language_in_the_store_and_in_memory(replicas, refused_on):
    a, b = replicas
    started(a, "c")
    turn(a if refused_on == "same" else b, "c", SlotSet("language", "fr"), UserUttered("non"),
         SlotSet("consent_given", False), BotUttered("D'accord, rien n'est gardé"))
    kept = ["action", "session_started", "slot", "action"]
    assert rows(a, "c") == kept
    tracker = asyncio.run(a.retrieve("c"))
    assert [e.type_name for e in tracker.events] == ["session_started", "slot", "action"] == fresh_read(a, "c")
    assert tracker.get_slot("language") == "fr" and tracker.get_slot("consent_given") is None
    assert not any(isinstance(e, (UserUttered, BotUttered)) for e in tracker.events)


def test_changes_to_a_retrieved_tracker_that_is_not_saved_are_not_kept(store):
    """A turn that fails before its save leaves no trace in the next one."""
    started(store, "f")
    tracker = asyncio.run(store.retrieve("f"))
    tracker.update(UserUttered("perdu"))
    tracker.update(SlotSet("language", "en"))
    again = asyncio.run(store.retrieve("f"))
    assert retrieved(store, "f") == fresh_read(store, "f") and again.get_slot("language") is None


def test_the_memory_holds_a_bounded_number_of_events(tmp_path):
    store = ErasingTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"), cache_events=16)
    for sender in ("one", "two", "three"):  # 7 events each once read back
        started(store, sender)
        turn(store, sender, UserUttered("DOCS"), BotUttered("Liste"))
    assert list(store._cache) == ["two", "three"] and store._cached_events == 14
    assert retrieved(store, "one") == fresh_read(store, "one")  # read from the database again
    assert list(store._cache) == ["three", "one"]
    started(store, "long")
    turn(store, "long", *[UserUttered("DOCS") for _ in range(20)])  # more than the whole cache
    assert "long" not in store._cache and store._cached_events <= 16
    assert retrieved(store, "long") == fresh_read(store, "long")


def test_rows_the_other_replica_added_are_replayed_on_the_kept_tracker(replicas, monkeypatch):
    a, b = replicas
    started(a, "p")
    turn(b, "p", SlotSet("language", "fr"), UserUttered("DOCS"), BotUttered("Liste"), ActionExecuted("action_listen"))
    expected = fresh_read(a, "p")
    monkeypatch.setattr(a, "_event_query", lambda *a, **k: pytest.fail("the whole conversation was read"))
    tracker = asyncio.run(a.retrieve("p"))
    assert [e.type_name for e in tracker.events] == expected and tracker.get_slot("language") == "fr"


def test_a_tracker_of_every_session_saved_back_is_not_kept_as_the_latest_session(store):
    started(store, "m")
    turn(store, "m", ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
         *[UserUttered("oui") if n % 2 else BotUttered("Bien") for n in range(8)])
    async def save_full():
        tracker = await store.retrieve_full_tracker("m")
        tracker.update(BotUttered("Une réponse du personnel"))
        await store.save(tracker)
    asyncio.run(save_full())
    assert retrieved(store, "m") == fresh_read(store, "m")


def test_a_connection_broken_by_a_database_restart_is_read_again_not_taken_for_a_new_conversation(store, monkeypatch):
    """After PostgreSQL was killed and restarted under `make run-prod`, a replica's first read
    failed on a dead pooled connection and Rasa ran the turn on an empty tracker: the person
    was greeted as if new. The read is made once more on a new connection."""
    started(store, "r")
    store._forget("r")  # as in another replica: read from the database
    real, broken = store._event_query, [True]

    def breaks_once(*args, **kwargs):
        if broken.pop() if broken else False:
            raise sa.exc.OperationalError("SELECT", {}, Exception("server closed the connection unexpectedly"),
                                          connection_invalidated=True)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "_event_query", breaks_once)
    tracker = asyncio.run(store.retrieve("r"))
    assert tracker is not None and [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["bonjour"]
    assert broken == []
