"""End to end over plain HTTP: the web chat's conversation belongs to the cookie the server
issued, and to nothing the browser says; posts from other sites and floods are refused; the
association tag is kept; a reload shows the conversation again."""
import pytest
import requests

from bot import people, webchat
from bot.i18n import gettext
from bot.rendering import render
from bot.settings import load
from tests import e2e

pytestmark = pytest.mark.e2e


class Chat:
    """One browser: a cookie jar, the page loaded once."""

    def __init__(self, bot: e2e.Assistant, query: str = "") -> None:
        self.bot = bot
        self.base = f"{bot.url}/webhooks/webchat/"
        self.http = requests.Session()
        self.page = self.http.get(self.base + query, timeout=10)
        self.page.raise_for_status()

    @property
    def cookie(self) -> str:
        return self.http.cookies[webchat.COOKIE]

    @property
    def sender(self) -> str:
        return webchat.sender_id(self.cookie.split(".")[0])

    def post(self, body: dict, origin: str | None = None) -> requests.Response:
        return self.http.post(self.base + "message", json=body, headers={"Origin": origin or self.bot.url}, timeout=30)

    def say(self, **body) -> dict:
        reply = self.post(body)
        reply.raise_for_status()
        return reply.json()

    def history(self) -> list[dict]:
        reply = self.http.get(self.base + "history", timeout=10)
        reply.raise_for_status()
        return reply.json()["messages"]


def events(bot, sender):
    reply = requests.get(f"{bot.url}/conversations/{sender}/tracker", params={"token": bot.token}, timeout=10)
    return reply.json()["events"]


def test_make_run_prints_the_web_chat_address_and_it_serves_the_page(bot):
    assert f"web chat        {bot.url}/webhooks/webchat/" in bot.log.read_text()
    assert "socket.io" not in bot.log.read_text()
    page = requests.get(f"{bot.url}/webhooks/webchat/", timeout=10)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for asset in ("chat.css", "chat.js"):
        assert requests.get(f"{bot.url}/webhooks/webchat/{asset}", timeout=10).status_code == 200
    assert requests.get(f"{bot.url}/socket.io/", timeout=10).status_code == 404  # the stock channel is gone


def test_the_cookie_is_http_only_and_stays_on_the_site(bot):
    header = Chat(bot).page.headers["set-cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/webhooks/webchat" in header


def test_a_forged_or_tampered_cookie_cannot_read_or_write_another_conversation(bot):
    alice = Chat(bot, "?lang=fr")
    alice.say(start=True, lang="fr")
    alice.say(payload='/choose_language{"language": "fr"}')
    alice.say(text="oui")  # consent
    alice.say(text="je n'ai pas de papiers et j'ai mal au ventre")
    seen_before, events_before = alice.history(), events(bot, alice.sender)
    alice_id = alice.cookie.split(".")[0]

    mallory = Chat(bot)
    forged = [
        alice_id,  # the id alone
        f"{alice_id}.{mallory.cookie.split('.')[1]}",  # with the signature of Mallory's own id
        alice.cookie[:-1] + ("0" if alice.cookie[-1] != "0" else "1"),  # one character changed
        webchat.cookie_value(alice_id, "a key Mallory guessed"),
    ]
    for value in forged:
        cookies = {webchat.COOKIE: value}
        read = requests.get(alice.base + "history", cookies=cookies, timeout=10)
        write = requests.post(alice.base + "message", cookies=cookies, json={"text": "DELETE"},
                              headers={"Origin": bot.url}, timeout=10)
        assert (read.status_code, write.status_code) == (403, 403), value
        assert "mal au ventre" not in read.text
        # On the page, a bad cookie only ever gets a new conversation of its own.
        page = requests.get(alice.base, cookies=cookies, timeout=10)
        fresh = page.cookies[webchat.COOKIE].split(".")[0]
        assert fresh != alice_id
        assert requests.get(alice.base + "history", cookies=page.cookies, timeout=10).json()["messages"] == []

    # Naming Alice's conversation in the body is ignored: it goes to Mallory's own.
    mallory.say(text="DELETE", sender=alice.sender, conversation=alice_id, sender_id=alice.sender)
    assert any(m["text"] == "DELETE" for m in mallory.history())
    assert alice.history() == seen_before
    assert events(bot, alice.sender) == events_before


def test_a_post_from_another_site_is_refused(bot):
    chat = Chat(bot)
    refused = chat.post({"start": True}, origin="https://evil.example")
    assert refused.status_code == 403
    assert chat.history() == []  # nothing reached the conversation
    assert chat.post({"start": True}).status_code == 200


def test_past_the_limit_a_conversation_gets_429_with_a_polite_text_in_its_language(bot):
    chat = Chat(bot, "?lang=ar")
    limit = load().webchat_messages_per_minute
    assert chat.say(start=True, lang="ar")["language"] == "ar"
    statuses = [chat.post({"text": "مرحبا"}).status_code for _ in range(limit - 1)]
    assert statuses == [200] * (limit - 1)
    refused = chat.post({"text": "مرحبا"})
    assert refused.status_code == 429
    assert refused.json()["text"] == gettext(webchat.UI_TEXTS["too_fast"], "ar")
    assert Chat(bot).post({"start": True}).status_code == 200  # other conversations go on


def test_a_link_with_src_keeps_the_association_on_the_person(bot):
    chat = Chat(bot, "?lang=es&src=Medecins-du-Monde")
    assert 'data-src="medecins-du-monde"' in chat.page.text
    messages = chat.say(start=True, lang="es", src="medecins-du-monde")["messages"]
    assert messages[0]["text"] == render("utter_greet", "es").text  # ?lang= presets the language
    person, _, _ = bot.stored(chat.sender)
    assert person.source == "medecins-du-monde"
    assert person.key == people.person_key(chat.sender, (bot.var_dir / "hash.key").read_text().strip())


def test_an_invalid_src_is_not_kept(bot):
    chat = Chat(bot, "?src=%3Cscript%3E")
    assert 'data-src=""' in chat.page.text
    chat.say(start=True, lang="fr", src="<script>")
    person, _, _ = bot.stored(chat.sender)
    assert person is None or person.source is None


def test_a_reload_shows_the_conversation_with_choices_as_their_titles(bot):
    chat = Chat(bot)
    chat.say(start=True, lang="fr")
    chat.say(payload='/choose_language{"language": "fr"}')
    consent = render("utter_ask_consent_given", "fr")
    reload = chat.http.get(chat.base, timeout=10)  # the same browser loads the page again
    assert chat.http.cookies[webchat.COOKIE] == chat.cookie and '<html lang="fr"' in reload.text
    history = chat.history()
    assert history[0] == {"from": "bot", "text": render("utter_greet", "fr").text, "buttons": []}
    assert {"from": "user", "text": "Français"} in history
    assert history[-1] == {"from": "bot", "text": consent.text, "buttons": consent.buttons}


def test_an_old_choice_is_refused_and_a_reply_in_another_language_reloads_the_page_in_it(bot):
    chat = Chat(bot)
    chat.say(start=True, lang="fr")
    assert chat.say(payload='/choose_language{"language": "ro"}')["language"] == "ro"
    stale = chat.post({"payload": '/choose_language{"language": "en"}'})  # the menu is closed now
    assert stale.status_code == 409 and stale.json()["text"] == gettext(webchat.UI_TEXTS["stale_choice"], "ro")
    assert '<html lang="ro" dir="ltr">' in chat.http.get(chat.base + "?lang=ar", timeout=10).text


def test_a_numbered_reply_means_the_choice_as_on_sms(bot):
    chat = Chat(bot)
    chat.say(start=True, lang="fr")
    assert chat.say(text="3")["language"] == "ar"  # 3 = العربية
    assert {"from": "user", "text": "العربية"} in chat.history()


@pytest.mark.parametrize("language,first_words", [
    ("ar", "السلام عليكم انا مريض وما عنديش الوراق"),
    ("ro", "buna ziua sunt bolnav si nu am asigurare deloc"),
])
def test_the_language_menu_answered_by_writing_in_a_language_chooses_it(bot, language, first_words):
    # A link without ?lang= opens in French; the person writes in their own language under the menu.
    chat = Chat(bot)
    chat.say(start=True, lang="fr")
    reply = chat.say(text=first_words)
    assert reply["language"] == language
    assert reply["messages"][-1]["text"] == render("utter_ask_consent_given", language).text
    person, _, _ = bot.stored(chat.sender)
    assert person.language == language  # kept like a tapped choice
