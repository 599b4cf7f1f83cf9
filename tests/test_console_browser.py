"""The handoff in two real headless Chromiums (Debian's): a person asks for someone in the web
chat, a social worker signs in to the console, claims it, answers, and the answer appears in the
person's web chat; after "resolve" the assistant answers again. Screenshot: results/console.png."""
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
