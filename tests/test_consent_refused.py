"""A refused consent keeps nothing (bot/channels/tracker_store.py): after the turn, neither the
tracker store's files (the -wal and -journal included) nor its rows hold anything the person
wrote or answered; only the language stays, to answer them next time."""
import asyncio

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from bot.channels.tracker_store import ErasingTrackerStore

DOMAIN = Domain.from_yaml("""
version: "3.1"
slots:
  language: {type: text, influence_conversation: false, mappings: [{type: custom}]}
  consent_given: {type: bool, influence_conversation: true, mappings: [{type: custom}]}
  health_problem: {type: bool, influence_conversation: false, mappings: [{type: custom}]}
""")
SECRET = "j'ai le VIH et pas de titre de séjour, Mohammed Ben Ali"


def files(path):
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_after_a_refusal_nothing_the_person_wrote_is_in_the_tracker_files(tmp_path):
    path = tmp_path / "tracker.db"
    store = ErasingTrackerStore(DOMAIN, dialect="sqlite", db=str(path))

    async def turn(*events):
        tracker = await store.get_or_create_tracker("web-refuser")
        for event in events:
            tracker.update(event)
        await store.save(tracker)

    asyncio.run(turn(UserUttered(SECRET, {"name": "need_care", "confidence": 0.9}),
                     SlotSet("language", "fr"), SlotSet("health_problem", True),
                     BotUttered("Acceptez-vous ?"), ActionExecuted("action_listen")))
    assert b"Mohammed Ben Ali" in files(path)  # kept while consent is not refused (the notice says so)
    asyncio.run(turn(UserUttered("non je refuse, Mohammed", {"name": "deny", "confidence": 0.99}),
                     SlotSet("consent_given", False), BotUttered("D'accord."), ActionExecuted("action_listen")))
    stored = files(path)
    assert b"Mohammed" not in stored and b"VIH" not in stored and b"je refuse" not in stored
    assert b"health_problem" not in stored
    tracker = asyncio.run(store.retrieve("web-refuser"))
    assert tracker.get_slot("language") == "fr" and tracker.get_slot("consent_given") is None
    assert not [e for e in tracker.events if isinstance(e, UserUttered)]
    # The next message starts again from the greeting, in their language.
    asyncio.run(turn(UserUttered("bonjour", {"name": "greet", "confidence": 0.99})))
    assert [e.text for e in asyncio.run(store.retrieve("web-refuser")).events if isinstance(e, UserUttered)] == ["bonjour"]
