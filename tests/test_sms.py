from bot.sms import is_gsm7, segments


def test_french_accents_of_the_gsm_alphabet_stay_gsm7():
    assert is_gsm7("é è à ù Ç")
    assert segments("é" * 160) == 1


def test_one_character_outside_gsm7_switches_the_whole_text_to_ucs2():
    assert not is_gsm7("prêt")
    assert segments("a" * 69 + "ê") == 1
    assert segments("a" * 70 + "ê") == 2


def test_concatenated_segments_hold_153_or_67_characters():
    assert segments("a" * 160) == 1
    assert segments("a" * 161) == 2
    assert segments("a" * 306) == 2
    assert segments("a" * 307) == 3
    assert segments("ب" * 134) == 2
    assert segments("ب" * 135) == 3


def test_extension_characters_count_twice():
    assert segments("€" * 80) == 1
    assert segments("€" * 81) == 2


def test_emoji_take_two_ucs2_units():
    assert segments("😀" * 35) == 1
    assert segments("😀" * 36) == 2


def test_folding_keeps_gsm7_accents_and_drops_the_others():
    from bot.sms import fold_to_gsm7

    assert fold_to_gsm7("marți, sâmbătă, terça, sábado") == "marti, sambata, terca, sabado"
    assert fold_to_gsm7("été à Saint-Denis, España") == "été à Saint-Denis, España"
    assert fold_to_gsm7("العربية") == "العربية"  # no Latin base: left as it is


def test_a_turn_is_joined_into_as_few_segments_as_possible():
    from bot.sms import join_turn

    assert join_turn(["Bonjour !", "Choisissez :"]) == ["Bonjour !\nChoisissez :"]
    # Joining French with Arabic would make the French UCS-2 too: 1 + 1 segments stay apart.
    french, arabic = "a" * 150, "ب" * 60
    assert join_turn([french, arabic]) == [french, arabic]
    assert all(len(m) <= 1600 for m in join_turn(["x" * 900, "y" * 900]))


def test_stop_and_start_keywords_are_whole_messages_in_any_case_or_accent():
    from bot.channels.twilio_sms import keyword

    assert [keyword(t) for t in ["Arrêt.", " stop ", "STOP!", "Démarrer", "start"]] == ["stop"] * 3 + ["start"] * 2
    assert [keyword(t) for t in ["STOP SMS", "stop sms", "STOPALL"]] == ["stop"] * 3
    assert [keyword(t) for t in ["arrête de m'écrire", "CANCEL", "ANNULER", ""]] == [None] * 4
