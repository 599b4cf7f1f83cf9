"""Nothing loops: a reply not understood gets a hint, then the way to a human, then a person
(bot.conversation.asking)."""
from datetime import date

import pytest

from bot import interview
from bot.conversation import asking

TODAY = date(2025, 10, 1)


def asked_event(fact):
    return {"event": "bot", "text": "?", "metadata": {"utter_action": f"utter_ask_{fact}"}}


def decide(fact, text, intent=None, confidence=0.0, asked=1, language="fr"):
    return asking.decide(interview.ALL_QUESTIONS[fact], text=text, intent=intent, confidence=confidence,
                         entities={}, language=language, today=TODAY, asked=asked)


def test_an_answer_telling_a_safety_word_the_model_missed_gets_the_safety_answer_too():
    """"bale sineam dard mikone" (yes, my chest hurts) was read as a yes, and only the next
    question came; "oui après un coup, il me frappe" likewise."""
    decision = decide("health_problem", "bale sineam dard mikone", intent="affirm", confidence=0.9, language="fa")
    assert (decision.kind, decision.value, decision.say) == (asking.SAFETY_ANSWER, True, ("utter_emergency",))
    decision = decide("has_stable_address", "oui chez lui mais il me frappe", intent="affirm", confidence=0.9)
    assert (decision.kind, decision.say) == (asking.SAFETY_ANSWER, ("utter_violence",))
    # the urgency question's own words are not an alarm
    assert (decide("urgent", "non pas urgent", intent="deny", confidence=0.9).kind, ) == (asking.ANSWER,)
    # pain or fever while answering is a health problem, not an emergency
    assert decide("health_problem", "oui j'ai de la fièvre", intent="need_care", confidence=0.9).kind == asking.ANSWER
    assert decide("health_problem", "yes i have high blood pressure", intent="affirm", confidence=0.9,
                  language="en").kind == asking.ANSWER


def test_questions_are_counted_in_the_session_only():
    events = [asked_event("age"), {"event": "user"}, asked_event("age"), {"event": "session_started"}, asked_event("age")]
    assert asking.times_asked(events, "age") == 1
    assert asking.times_asked(events[:3], "age") == 2
    assert asking.times_asked(events, "household_size") == 0


def test_an_answer_is_stored_even_when_the_model_reads_another_intent():
    decision = decide("health_problem", "yes my back hurts a lot", intent="out_of_scope", confidence=0.9)
    assert (decision.kind, decision.value) == (asking.ANSWER, True)


def test_a_safety_message_always_gets_its_safety_answer_and_an_answer_it_holds_is_kept():
    decision = decide("health_problem", "mon bébé a 40 de fièvre", intent="emergency", confidence=0.86)
    assert (decision.kind, decision.value, decision.say) == (asking.SAFETY_ANSWER, True, ("utter_emergency",))
    # an ordinary answer the model half-reads as a safety message is just the answer
    assert decide("saint_denis_link", "da stau la fratele meu in saint denis", intent="violence",
                  confidence=0.34, language="ro").kind == asking.ANSWER
    assert decide("age", "je veux mourir", intent="suicidal_thoughts", confidence=0.9).kind == asking.INTERRUPT
    assert decide("age", "retour", intent="violence", confidence=0.9).kind == asking.INTERRUPT  # never skipped


@pytest.mark.parametrize("fact, text, intent, confidence, language", [
    ("household_size", "trabalho como faxineira, ganho uns 600 por mês", "emergency", 0.62, "pt"),
    ("age", "bonjour je n'arrive pas à avancer les frais chez le dentiste", "emergency", 0.7, "fr"),
])
def test_a_reply_only_the_model_reads_as_a_safety_message_unsure_is_asked_again(fact, text, intent, confidence,
                                                                                 language):
    """No answer, no safety word, the model under 0.9: not understood, asked again with its
    hint; the emergency numbers would answer nothing the person said."""
    decision = decide(fact, text, intent=intent, confidence=confidence, language=language)
    assert decision.kind == asking.MISS and decision.say and "utter_emergency" not in decision.say


def test_a_reply_with_a_safety_word_or_read_surely_still_interrupts():
    assert decide("household_size", "ma femme saigne beaucoup", intent="emergency", confidence=0.6).kind \
        == asking.INTERRUPT
    assert decide("household_size", "ما بقيتش بغيت نعيش", intent="suicidal_thoughts", confidence=0.98,
                  language="ar").kind == asking.INTERRUPT


def test_a_clear_request_interrupts_but_a_weak_one_is_a_miss():
    assert decide("age", "je veux parler à quelqu'un", intent="request_human", confidence=0.9).kind == asking.INTERRUPT
    assert decide("age", "bla bla", intent="request_human", confidence=0.3).kind == asking.MISS


def test_misses_are_said_differently_each_time_then_a_person_takes_over():
    first = decide("age", "asdf", intent="out_of_scope", confidence=0.9, asked=1)
    second = decide("age", "asdf", intent="out_of_scope", confidence=0.9, asked=2)
    third = decide("age", "asdf", intent="out_of_scope", confidence=0.9, asked=3)
    assert first.say == ("utter_hint_age",)
    assert second.say == ("utter_hint_age", "utter_hint_human")
    assert third.kind == asking.MISS and third.say == ()
    slots = {"age": None}
    assert asking.gave_up([asked_event("age")] * 3, "age", slots)
    assert not asking.gave_up([asked_event("age")] * 2, "age", slots)
    assert not asking.gave_up([asked_event("age")] * 3, "age", {"age": 30})


def test_i_dont_know_offers_a_person_at_once():
    assert decide("has_domiciliation", "je sais pas").say == ("utter_hint_yes_no", "utter_hint_human")


def test_back_is_read_before_the_answer():
    assert decide("age", "retour").kind == asking.BACK
    assert decide("age", "c'est faux", intent="go_back", confidence=0.9).kind == asking.BACK


def test_a_streak_of_not_understood_is_counted_until_anything_else_happens():
    events = [{"event": "action", "name": "action_not_understood"}, {"event": "action", "name": "action_listen"},
              {"event": "user"}, {"event": "action", "name": "action_not_understood"}]
    assert asking.not_understood_streak(events, "action_not_understood") == 2
    events.insert(1, {"event": "action", "name": "utter_greet"})
    assert asking.not_understood_streak(events, "action_not_understood") == 1


def test_the_menu_shown_again_is_the_one_of_the_bot_s_latest_turn():
    menu = {"event": "bot", "data": {"buttons": [{"title": "Oui", "payload": "/affirm"}]},
            "metadata": {"utter_action": "utter_ask_language"}}
    assert asking.last_menu_response([menu, {"event": "user"}]) == "utter_ask_language"
    assert asking.last_menu_response([menu, {"event": "user"}, {"event": "bot", "data": {}}, {"event": "user"}]) is None


# Issue 14: ordinary answers the model reads as safety messages, each with the confidence it gave.
FALSE_ALARMS = [
    ("current_cover", "oui elle s'est arretee il y a 8 mois", "emergency", 0.97, "fr"),
    ("hosted_by_third_party", "da stau la fratele meu", "violence", 0.65, "ro"),
    ("has_stable_address", "da la fratele meu", "violence", 0.65, "ro"),
    ("hosted_by_third_party", "da fratele meu ma gazduieste", "violence", 0.93, "ro"),
    ("health_problem", "bale sardard daram", "emergency", 0.53, "fa"),
]


def test_an_answer_read_as_a_safety_message_without_a_safety_word_is_just_the_answer():
    for fact, text, intent, confidence, language in FALSE_ALARMS:
        decision = decide(fact, text, intent=intent, confidence=confidence, language=language)
        assert decision.kind == asking.ANSWER and decision.say == (), (text, decision)


def test_a_real_safety_message_given_as_an_answer_gets_its_safety_answer_and_keeps_the_answer():
    said = [
        ("fr", "oui, j'ai mal à la poitrine et je respire mal", "emergency", True),
        ("en", "yes my husband beats me", "violence", True),
        ("es", "si, me duele el pecho y no puedo respirar", "emergency", True),
        ("ar", "نعم صدري كيوجعني وما نقدرش نتنفس", "emergency", True),
        ("fa", "بله سینه‌ام سخت درد می‌کند", "emergency", True),
        ("ro", "da, vreau sa mor", "suicidal_thoughts", True),
    ]
    for language, text, intent, value in said:
        for confidence in (0.58, 0.97):  # at any confidence: the words tell it
            decision = decide("health_problem", text, intent=intent, confidence=confidence, language=language)
            assert (decision.kind, decision.value, decision.say) == (asking.SAFETY_ANSWER, value, (f"utter_{intent}",)), text


def test_a_safety_message_that_is_no_answer_is_answered_on_the_model_alone():
    assert decide("months_in_france", "je veux en finir", intent="suicidal_thoughts", confidence=0.72).kind == asking.INTERRUPT


def test_all_my_life_in_france_is_an_answer_not_suicidal_thoughts():
    """A French woman answering "toute ma vie" got 3114: the model reads "vie" as suicidal
    thoughts, and the reply was no number of months without her age."""
    decision = decide("months_in_france", "toute ma vie", intent="suicidal_thoughts", confidence=0.72)
    assert (decision.kind, decision.value) == (asking.ANSWER, 18 * 12)


def test_asking_for_an_appointment_mid_questions_is_told_it_follows_them_not_misunderstood():
    """"RDV" at the nationality question got "not understood" and the question twice."""
    decision = decide("nationality_group", "RDV", intent="book_appointment", confidence=0.9)
    assert (decision.kind, decision.say) == (asking.MISS, (asking.BOOKING_AFTER,))
    assert decide("nationality_group", "RDV", intent="book_appointment", confidence=0.9, asked=3).say == ()


def test_the_same_request_twice_in_a_row_gets_the_question_with_its_hint_not_the_same_turn_again():
    """"laissez-moi tranquille" twice at a question gave the same two messages twice in a row."""
    first = decide("health_problem", "laissez-moi tranquille", intent="opt_out", confidence=0.73)
    assert first.kind == asking.INTERRUPT
    again = asking.decide(interview.ALL_QUESTIONS["health_problem"], text="laissez-moi tranquille", intent="opt_out",
                          confidence=0.73, entities={}, language="fr", today=TODAY, asked=2, before="opt_out")
    assert (again.kind, again.say) == (asking.MISS, (asking.HINTS[interview.YES_NO], asking.HINT_HUMAN))
    events = [{"event": "user", "parse_data": {"intent": {"name": "opt_out"}}}, {"event": "bot"},
              {"event": "user", "parse_data": {"intent": {"name": "affirm"}}}]
    assert asking.previous_intent(events) == "opt_out"
    assert asking.previous_intent([{"event": "session_started"}, *events[2:]]) is None


def test_what_was_written_before_the_language_was_chosen_is_read_once_it_is():
    """"salam 3andi l'AME w kamlet" (I had AME and it ended), read in French before the menu,
    was an active AME: "this service is not for you". It is read in the chosen language."""
    user = lambda text: {"event": "user", "text": text}
    language = {"event": "slot", "name": "language", "value": "ar"}
    first = [user("salam 3andi l'AME w kamlet")]
    assert not asking.language_known(first)
    assert asking.written_before_language(first) == []
    at_menu = first + [{"event": "bot"}, user("arabi"), language]
    assert asking.language_known(at_menu)
    assert asking.written_before_language(at_menu + [user("ey behi")]) == ["salam 3andi l'AME w kamlet", "arabi"]
    later = at_menu + [user("ey behi"), user("ey")]
    assert asking.written_before_language(later) == []  # once: a fact corrected later stays corrected
    # the menu answered by writing in a language: that message chooses, the earlier ones are read
    assert asking.written_before_language(first + [user("السلام عليكم")], chosen_now=True) == ["salam 3andi l'AME w kamlet"]
    # a preset link or a detected language: each message is read as it comes
    preset = [language, user("bonjour je suis malade"), user("oui")]
    assert asking.language_known(preset) and asking.written_before_language(preset) == []


@pytest.mark.parametrize("text, language", [("non pas urgent", "fr"), ("no not urgent", "en"),
                                            ("le mouch urgent", "ar"), ("nu e urgent", "ro")])
def test_not_urgent_read_as_an_emergency_by_the_model_is_a_no_not_an_alarm(text, language):
    """A Tunisian's "le mouch urgent" (no, not urgent) got the emergency numbers: "urgent" is
    a safety word, but the urgency question's own."""
    decision = decide("urgent", text, intent="emergency", confidence=0.8, language=language)
    assert (decision.kind, decision.value, decision.say) == (asking.ANSWER, False, ())
    # another safety word still tells it
    decision = decide("urgent", "non pas urgent mais je saigne beaucoup", intent="emergency", confidence=0.8)
    assert (decision.kind, decision.say) == (asking.SAFETY_ANSWER, ("utter_emergency",))
