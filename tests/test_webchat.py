"""The web chat's plain parts: the conversation cookie, allowed origins, the rate limit, the
history shown on a reload, the page in every language, and the association tag."""
import re

import pytest
from babel.messages.pofile import read_po

from bot import people, webchat
from bot.database import session_scope
from bot.i18n import LOCALES_DIR, SOURCE_LANGUAGE, SUPPORTED_LANGUAGES, gettext

KEY = "test-webchat-key"
BASE = "/webhooks/webchat/"


def test_a_cookie_we_issued_gives_back_its_conversation():
    conversation = webchat.new_conversation_id()
    assert len(conversation) >= 32  # 192 random bits, base64
    assert webchat.conversation_from_cookie(webchat.cookie_value(conversation, KEY), KEY) == conversation
    assert webchat.new_conversation_id() != conversation


@pytest.mark.parametrize("forge", [
    lambda c, v: c,  # the id alone
    lambda c, v: c + ".",  # with no signature
    lambda c, v: "x" + v,  # another id, the same signature
    lambda c, v: v[:-1] + ("0" if v[-1] != "0" else "1"),  # a signature off by one character
    lambda c, v: webchat.cookie_value(c, "another key"),  # signed with another key
    lambda c, v: "",
    lambda c, v: v[:-1] + "é",  # not even ASCII
])
def test_a_forged_or_altered_cookie_names_no_conversation(forge):
    conversation = webchat.new_conversation_id()
    value = webchat.cookie_value(conversation, KEY)
    assert webchat.conversation_from_cookie(forge(conversation, value), KEY) is None


def test_the_rasa_conversation_is_not_the_cookie():
    conversation = webchat.new_conversation_id()
    assert webchat.sender_id(conversation) == "web-" + conversation
    assert webchat.sender_id(conversation) not in webchat.cookie_value(conversation, KEY).split(".")


def test_only_allowed_origins_may_post():
    assert webchat.origin_allowed("http://127.0.0.1:5005", "127.0.0.1:5005", ())
    assert webchat.origin_allowed("https://chat.example.org", "chat.example.org", ())  # TLS ended by a proxy
    assert not webchat.origin_allowed("https://evil.example", "127.0.0.1:5005", ())
    assert not webchat.origin_allowed("null", "127.0.0.1:5005", ())  # a sandboxed frame or a file
    allowed = ("https://pass.saint-denis.fr",)
    assert webchat.origin_allowed("https://pass.saint-denis.fr", "10.0.0.5:5005", allowed)
    assert not webchat.origin_allowed("http://pass.saint-denis.fr", "10.0.0.5:5005", allowed)
    assert not webchat.origin_allowed("http://10.0.0.5:5005", "10.0.0.5:5005", allowed)
    assert webchat.origin_allowed(None, "127.0.0.1:5005", allowed)  # curl: no browser, no cookie to steal


def test_the_rate_limit_counts_each_conversation_over_a_sliding_minute():
    now = [1000.0]
    limiter = webchat.RateLimiter(3, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # another conversation is not slowed down
    now[0] += 59
    assert not limiter.allow("a")
    now[0] += 1.5
    assert limiter.allow("a")


def test_page_language_conversation_then_link_then_browser_then_french():
    assert webchat.page_language("ar", "fr") == "ar"
    assert webchat.page_language(None, "fa") == "fa"
    assert webchat.page_language(None, "xx", accept_language="tr-TR,ro;q=0.8,en;q=0.5") == "ro"
    assert webchat.page_language(None, None, accept_language="de-DE,de;q=0.9") == "fr"
    assert webchat.page_language(None, None) == "fr"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_page_is_in_the_language_with_its_direction(language):
    html = webchat.page(BASE, language, "samu-social")
    direction = "rtl" if language in ("ar", "fa") else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    for name in ("title", "input", "placeholder", "send", "typing", "log"):
        assert webchat.ui_texts(language)[name].replace("'", "&#39;") in html, name
    assert re.search(r'<label for="text"[^>]*>[^<]+</label>', html)  # the text box has a label
    assert 'data-src="samu-social"' in html
    assert "http" not in html  # no CDN, nothing from elsewhere


@pytest.mark.parametrize("language", [lang for lang in SUPPORTED_LANGUAGES if lang != SOURCE_LANGUAGE])
def test_every_text_of_the_page_is_translated(language):
    with open(LOCALES_DIR / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = {m.id: m.string for m in read_po(handle) if m.id}
    for msgid in webchat.UI_TEXTS.values():
        assert catalog.get(msgid), f"{language}: {msgid!r} untranslated (make catalogs-update)"
        assert gettext(msgid, language) == catalog[msgid]  # compiled too


def test_the_page_escapes_what_it_is_given():
    html = webchat.page(BASE, "fr", '"><script>alert(1)</script>')
    assert "<script>alert" not in html


def test_the_page_and_its_assets_are_light():
    # A low-end phone on a slow connection: the whole page, uncompressed, under 12 kB.
    total = len(webchat.page(BASE, "bn", None).encode()) + sum(len(webchat.asset(n)[0]) for n in webchat.ASSETS)
    assert total < 12_000, total


def _bot(text, buttons=()):
    return {"event": "bot", "text": text, "data": {"buttons": list(buttons)}, "timestamp": 0}


def _user(text, timestamp):
    return {"event": "user", "text": text, "timestamp": timestamp}


YES = {"title": "Oui", "payload": "/affirm"}
NO = {"title": "Non", "payload": "/deny"}


def test_history_shows_choices_as_their_titles_and_leaves_out_the_opening_payload():
    events = [
        _user("/greet", 100), _bot("Bonjour"), _bot("Acceptez-vous ?", [YES, NO]),
        _user("/affirm", 110), _bot("Avez-vous un problème de santé ?", [YES, NO]),
        _user("j'ai mal au dos", 120), _bot("Quelle couverture ?"),
    ]
    assert webchat.history(events, 720, now=130) == [
        {"from": "bot", "text": "Bonjour", "buttons": []},
        {"from": "bot", "text": "Acceptez-vous ?", "buttons": [YES, NO]},
        {"from": "user", "text": "Oui"},
        {"from": "bot", "text": "Avez-vous un problème de santé ?", "buttons": [YES, NO]},
        {"from": "user", "text": "j'ai mal au dos"},
        {"from": "bot", "text": "Quelle couverture ?", "buttons": []},
    ]


def test_history_of_an_expired_session_is_not_shown_again():
    events = [_user("/greet", 0), _bot("Bonjour"), _user("je n'ai pas de papiers", 60)]
    assert webchat.history(events, 720, now=60 + 719 * 60) != []
    assert webchat.history(events, 720, now=60 + 721 * 60) == []


def test_the_association_tag_is_a_short_slug_kept_from_the_first_link(db_url):
    assert people.source_tag("Medecins-du-Monde") == "medecins-du-monde"
    assert people.source_tag("samu_social93") == "samu_social93"
    for bad in ("", "<script>", "a b", "x" * 41, "-lead", None, 12):
        assert people.source_tag(bad) is None, bad
    with session_scope(db_url) as session:
        people.set_source(session, "k1", "mdm")
    with session_scope(db_url) as session:
        people.set_source(session, "k1", "samu-social")
    with session_scope(db_url) as session:
        assert people.find(session, "k1").source == "mdm"
    with pytest.raises(ValueError), session_scope(db_url) as session:
        people.set_source(session, "k2", "<b>")
