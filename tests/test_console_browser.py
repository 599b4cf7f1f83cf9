"""The handoff in two real headless Chromiums (Debian's): a person asks for someone in the web
chat, a social worker signs in to the console, claims it, answers, and the answer appears in the
person's web chat; after "resolve" the assistant answers again. Screenshot: results/console.png.
Then the console alone (tests/console_harness.py): the inbox refreshes itself when an urgent
conversation comes, and the search finds a person by phone. Screenshot: results/console-inbox.png."""
import re

import pytest
from playwright.sync_api import expect

from bot.rendering import render
from tests.test_webchat_browser import PHONE, RESULTS

pytestmark = pytest.mark.e2e


def test_a_social_worker_answers_in_the_persons_web_chat_then_hands_back(bot, browser):
    assert bot.create_user("sophie").returncode == 0
    person = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
    person.goto(f"{bot.url}/webhooks/webchat/?lang=fr")
    log = person.locator("#log")
    expect(log).to_contain_text(render("utter_greet", "fr").text)
    person.locator("#text").fill("je veux parler à quelqu'un")
    person.locator("#text").press("Enter")
    expect(log).to_contain_text(render("utter_handoff_open", "fr").text)

    staff = browser.new_context().new_page()
    staff.goto(f"{bot.console_url}/")
    expect(staff).to_have_url(f"{bot.console_url}/login")
    staff.get_by_label("Nom").fill("sophie")
    staff.get_by_label("Mot de passe").fill("a long test password")
    staff.get_by_role("button", name="Se connecter").click()
    expect(staff.get_by_role("heading", name="Demandes en attente")).to_be_visible()
    staff.get_by_role("link", name="Ouvrir la fiche").last.click()
    expect(staff.locator(".messages")).to_contain_text("je veux parler à quelqu'un")
    expect(staff.get_by_role("heading", name="Fiche de liaison")).to_be_visible()
    staff.get_by_role("button", name="Prendre en charge").click()
    staff.get_by_label("Répondre").fill("Bonjour, je suis Sophie, assistante sociale. Je vous écoute.")
    staff.get_by_role("button", name="Envoyer", exact=True).click()
    expect(staff.locator(".messages")).to_contain_text("je suis Sophie")

    expect(log).to_contain_text("Bonjour, je suis Sophie, assistante sociale. Je vous écoute.", timeout=15_000)
    RESULTS.mkdir(exist_ok=True)
    person.screenshot(path=str(RESULTS / "console-webchat.png"))
    staff.screenshot(path=str(RESULTS / "console.png"), full_page=True)

    staff.get_by_role("button", name="Clore et rendre la main à l'assistant").click()
    expect(staff.get_by_role("heading", name="Demandes en attente")).to_be_visible()
    before = log.locator(".msg.bot").count()
    person.locator("#text").fill("bonjour")
    person.locator("#text").press("Enter")
    expect(log.locator(".msg.bot")).not_to_have_count(before)  # the assistant answers again


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    from tests import console_harness

    running = console_harness.start(tmp_path_factory.mktemp("console-browser"), PASS_CONSOLE_POLL_SECONDS="1")
    yield running
    console_harness.stop(running)


def test_the_inbox_refreshes_itself_with_an_urgent_conversation_and_the_search_opens_its_sheet(console, browser,
                                                                                               monkeypatch):
    from bot import handoff, people, phones, settings
    from bot.database import session_scope
    from tests.console_harness import PASSWORD
    from tests.test_console_sheet import EVENTS, SLOTS

    for name in ("PASS_VAR_DIR", "DATABASE_URL"):
        monkeypatch.setenv(name, console.env[name])
    cfg = settings.load()
    console.login("nadia")  # creates the account
    staff = browser.new_context().new_page()
    errors = []
    staff.on("console", lambda message: errors.append(message.text) if "Refused" in message.text else None)  # CSP
    staff.on("response", lambda reply: errors.append(reply.url) if reply.status >= 400 and
             not reply.url.endswith("/favicon.ico") else None)
    staff.goto(f"{console.url}/login")
    staff.get_by_label("Nom").fill("nadia")
    staff.get_by_label("Mot de passe").fill(PASSWORD)
    staff.get_by_role("button", name="Se connecter").click()
    expect(staff.get_by_role("heading", name="Demandes en attente")).to_be_visible()
    expect(staff.locator("#inbox-rows")).to_contain_text("Aucune demande en attente.")

    sender = "web-browser-ar"
    key = people.person_key(sender, cfg.hash_key)
    console.rasa.trackers[sender] = {"events": EVENTS, "slots": SLOTS}
    with session_scope(cfg.database_url) as session:
        people.record_consent(session, key, "web")
        people.set_phone(session, key, phones.parse("+33698765432"), cfg.hash_key, cfg.data_key)
        handoff.open_handoff(session, key, sender, "unclear_answers", "ar", paused=False)
        handoff.note_message(session, key, sender)
        handoff.raise_urgent(session, key, sender, "suicidal_thoughts", "ar")
    row = staff.locator("#inbox-rows tr").first  # no reload: the page asks for its rows
    expect(row).to_contain_text("URGENT", timeout=10_000)
    expect(row).to_contain_text("idées suicidaires")
    expect(staff.locator("#new-messages")).to_have_text("1 nouveau message")
    assert staff.url == f"{console.url}/"
    RESULTS.mkdir(exist_ok=True)
    staff.screenshot(path=str(RESULTS / "console-inbox.png"), full_page=True)

    staff.get_by_label("Retrouver une personne").fill("06 98 76 54 32")
    staff.get_by_role("button", name="Chercher").click()
    expect(staff.get_by_role("heading", name="Fiche de liaison")).to_be_visible()
    expect(staff.locator("table.answers")).to_contain_text("Pas de titre de séjour")
    assert re.search(r"/people/\d+$", staff.url)
    staff.screenshot(path=str(RESULTS / "console-sheet.png"), full_page=True)
    assert not errors, errors  # the CSP let our script run, nothing else
