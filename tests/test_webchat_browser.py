"""The web chat in a real headless Chromium (Debian's, from scripts/chromium.sh): a whole
screening in French, by keyboard and clicks, and in Arabic from an association's link, right to
left. Screenshots go to results/ (webchat-fr.png, webchat-ar.png)."""
import pytest
from playwright.sync_api import expect

from bot import webchat
from bot.i18n import gettext
from bot.rendering import render
from bot.settings import ROOT
from tests.test_webchat_return_http import age

pytestmark = pytest.mark.e2e
RESULTS = ROOT / "results"
PHONE = {"width": 360, "height": 740}  # a small Android phone


def open_choice(page, title):
    """The button of that title in the menu still open (older menus are greyed out)."""
    return page.locator(".choices button:enabled").get_by_text(title, exact=True)


def answer(page, language, question, choice):
    """Wait for the question, then click its choice number `choice` (from 0)."""
    asked = render(question, language)
    expect(page.locator("#log")).to_contain_text(asked.text)
    open_choice(page, asked.buttons[choice]["title"]).click()


def sender(context):
    cookie = next(c for c in context.cookies() if c["name"] == webchat.COOKIE)
    assert cookie["httpOnly"]
    return webchat.sender_id(cookie["value"].split(".")[0])


def test_a_whole_screening_in_french_by_keyboard_and_clicks_then_a_reload(bot, browser):
    language = "fr"
    context = browser.new_context(viewport=PHONE, locale="fr-FR")  # no ?lang=: the phone's language
    page = context.new_page()
    page.goto(f"{bot.url}/webhooks/webchat/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    log = page.get_by_role("log", name=gettext(webchat.UI_TEXTS["log"], "fr"))
    expect(log).to_contain_text(render("utter_greet", "fr").text)

    # Keyboard only: the language button, then the new choices get the focus.
    open_choice(page, "Français").focus()
    page.keyboard.press("Enter")
    expect(log).to_contain_text(render("utter_ask_consent_given", "fr").text)
    expect(open_choice(page, "Oui")).to_be_focused()
    page.keyboard.press("Enter")
    # Typed in the labelled text box, sent with Enter.
    expect(log).to_contain_text(render("utter_ask_health_problem", "fr").text)
    page.get_by_label(gettext(webchat.UI_TEXTS["input"], "fr")).fill("oui")
    page.keyboard.press("Enter")
    answer(page, language, "utter_ask_current_cover", 0)
    answer(page, language, "utter_ask_can_advance_fees", 1)
    answer(page, language, "utter_ask_saint_denis_link", 0)
    expect(log).to_contain_text(render("utter_pass_eligible", "fr").text)
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / "webchat-fr.png")

    person, screenings, _ = bot.stored(sender(context))
    assert person.language == "fr" and person.consent_at is not None
    assert [(s.current_cover, s.pass_eligible) for s in screenings] == [("none", True)]

    # A reload shows the same conversation, from the server.
    page.reload()
    expect(log).to_contain_text(render("utter_pass_eligible", "fr").text)
    expect(page.locator(".msg.user")).to_contain_text(["Français", "Oui", "oui", "Aucune couverture", "Non", "Oui"])

    # A day later, someone else on this phone: nothing of it, and "this is not me" starts afresh.
    first = sender(context)
    age(bot, first, 24)
    page.reload()
    expect(log).to_contain_text(gettext(webchat.GATE_TEXTS["locked_reference"], "fr"))
    expect(log).not_to_contain_text(render("utter_pass_eligible", "fr").text)
    open_choice(page, gettext(webchat.GATE_TEXTS["not_me"], "fr")).click()
    expect(log).to_contain_text(render("utter_greet", "fr").text)
    expect(log).not_to_contain_text(gettext(webchat.GATE_TEXTS["locked_reference"], "fr"))
    assert sender(context) != first and bot.stored(first)[0].consent_at is not None
    context.close()


def test_a_whole_screening_in_arabic_from_an_association_link_right_to_left(bot, browser):
    language = "ar"
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{bot.url}/webhooks/webchat/?lang=ar&src=medecins-du-monde")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page).to_have_title(gettext(webchat.UI_TEXTS["title"], "ar"))
    text_box = page.get_by_label(gettext(webchat.UI_TEXTS["input"], "ar"))
    expect(text_box).to_have_attribute("placeholder", gettext(webchat.UI_TEXTS["placeholder"], "ar"))
    log = page.locator("#log")
    expect(log).to_contain_text(render("utter_greet", "ar").text)  # the first message is already in Arabic
    assert page.locator(".msg.bot").first.evaluate("e => getComputedStyle(e).direction") == "rtl"

    open_choice(page, "العربية").click()
    answer(page, language, "utter_ask_consent_given", 0)
    answer(page, language, "utter_ask_health_problem", 0)
    answer(page, language, "utter_ask_current_cover", 0)
    answer(page, language, "utter_ask_can_advance_fees", 1)
    answer(page, language, "utter_ask_saint_denis_link", 0)
    expect(log).to_contain_text(render("utter_pass_eligible", "ar").text)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.screenshot(path=RESULTS / "webchat-ar.png")
    assert (RESULTS / "webchat-ar.png").stat().st_size > 10_000

    person, screenings, _ = bot.stored(sender(context))
    assert (person.language, person.source) == ("ar", "medecins-du-monde")
    assert [s.pass_eligible for s in screenings] == [True]
    context.close()
