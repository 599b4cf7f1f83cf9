import pytest

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
