import pytest

from bot import choices
from bot.choices import last_menu, resolve

BUTTONS = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]


@pytest.mark.parametrize("text, payload", [("1", "/affirm"), (" 2 ", "/deny"), ("2.", "/deny"), ("1)", "/affirm")])
def test_a_number_picks_that_choice(text, payload):
    assert resolve(text, BUTTONS) == payload


@pytest.mark.parametrize("text", ["3", "0", "12", "1 oui mais", "oui", "", None])
def test_anything_else_is_left_to_understanding(text):
    assert resolve(text, BUTTONS) is None


def test_no_menu_no_mapping():
    assert resolve("1", []) is None


def bot(buttons=None):
    return {"event": "bot", "text": "...", "data": {"buttons": buttons}}


def test_the_menu_of_the_last_bot_turn_counts():
    events = [{"event": "user", "text": "bonjour"}, bot(BUTTONS), bot(None)]
    assert last_menu(events) == BUTTONS


def test_a_menu_already_answered_is_not_reused():
    events = [bot(BUTTONS), {"event": "user", "text": "1"}, bot(None)]
    assert last_menu(events) == []


OFFER = [
    {"title": "lundi 7 décembre 09:00", "payload": '/choose_slot{"slot_id": "1"}'},
    {"title": "lundi 7 décembre 14:30", "payload": '/choose_slot{"slot_id": "2"}'},
    {"title": "mardi 8 décembre 09:00", "payload": '/choose_slot{"slot_id": "3"}'},
    {"title": "Pas maintenant", "payload": "/deny"},
]


@pytest.mark.parametrize("text, slot", [
    ("mardi", "3"), ("Mardi matin", "3"), ("lundi 14h30", "2"), ("lundi a 9h", "1"), ("14h30", "2"),
    ("le lundi à 14 h 30 svp", "2"), ("MARDI 9:00", "3"),
    # an hour said as a number, with a half in words, in several languages
    ("lundi à 14 et demie", "2"), ("el lunes a las 14 y media por favor", "2"),
    ("luni la 14 si jumatate", "2"), ("le mardi 8 à 9", "3"), ("mardi a las 9", "3"), ("lundi à 9", "1"),
])
def test_an_offered_time_can_be_named_in_words(text, slot):
    assert choices.resolve_slot_words(text, OFFER) == OFFER[int(slot) - 1]["payload"]


@pytest.mark.parametrize("text", ["lundi", "9h", "mercredi", "16h", "oui", "", "je ne sais pas",
                                  "mardi je ne peux pas", "not tuesday",
                                  "le 8", "el 2 por favor", "lundi 7"])
def test_ambiguous_or_unrelated_words_pick_nothing(text):
    assert choices.resolve_slot_words(text, OFFER) is None


def test_a_bare_number_is_an_hour_only_beside_an_offered_day_or_with_a_half():
    """In "🉑🕹9️⃣🏣🗑" the keycap 9 once moved an appointment to 9:00 (the bad-input wall)."""
    thursday = [{"title": f"jeudi 10 décembre {hour}", "payload": f"/choose_slot{{\"slot_id\": \"{i}\"}}"}
                for i, hour in enumerate(["09:00", "09:30", "10:00"])]
    for text in ["🉑🕹9️⃣🏣🗑👨‍✈🎧🏙", "à 9", "ok 10 merci"]:
        assert choices.resolve_slot_words(text, thursday) is None, text
    assert choices.resolve_slot_words("jeudi à 9", thursday) == thursday[0]["payload"]
    assert choices.resolve_slot_words("à 9 et demie", thursday) == thursday[1]["payload"]


def test_words_pick_times_in_other_scripts_and_digits():
    offer = [{"title": "الاثنين ٧ ديسمبر ٠٩:٠٠", "payload": "/choose_slot{\"slot_id\": \"1\"}"},
             {"title": "الثلاثاء ٨ ديسمبر ٠٩:٠٠", "payload": "/choose_slot{\"slot_id\": \"2\"}"}]
    assert choices.resolve_slot_words("الثلاثاء", offer) == offer[1]["payload"]
    thursday = [{"title": f"الخميس 10 ديسمبر {hour}", "payload": f"/choose_slot{{\"slot_id\": \"{i}\"}}"}
                for i, hour in enumerate(["09:00", "10:00", "10:30"])]
    assert choices.resolve_slot_words("الخميس الساعة 10 ونص", thursday) == thursday[2]["payload"]  # half past 10
    assert choices.resolve_slot_words("الخميس ١٠ ونص", thursday) == thursday[2]["payload"]
    assert choices.resolve_slot_words("not a slot menu", [{"title": "Oui", "payload": "/affirm"}]) is None


def test_a_typed_payload_counts_only_if_the_latest_menu_offered_it():
    offered = [{"title": "lundi 09:00", "payload": '/choose_slot{"slot_id": "1"}'}, {"title": "Oui", "payload": "/affirm"}]
    assert choices.typed_payload('/choose_slot{"slot_id": "1"}', offered) == '/choose_slot{"slot_id": "1"}'
    for typed in ('/choose_slot{"slot_id": "27"}', "/delete_my_data", '/affirm{"confirm": "erase"}', "/session_start"):
        assert choices.typed_payload(typed, offered) == "/nlu_fallback"  # not understood, never that intent
    assert choices.typed_payload("/affirm", []) == "/nlu_fallback"  # no menu open
    assert choices.typed_payload("/session_start", [], system=True) == "/session_start"


def test_a_confirmation_menu_is_recognised_by_its_first_choice():
    from bot.responses import CONFIRM_CANCEL, CONFIRM_ERASE

    assert choices.confirmation([{"payload": CONFIRM_CANCEL}, {"payload": "/deny"}]) == CONFIRM_CANCEL
    assert choices.confirmation([{"payload": CONFIRM_ERASE}, {"payload": "/deny"}]) == CONFIRM_ERASE
    assert choices.confirmation([{"payload": "/affirm"}, {"payload": "/deny"}]) is None  # an ordinary yes / no
    assert choices.confirmation([]) is None
