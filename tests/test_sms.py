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
