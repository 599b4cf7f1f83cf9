"""Handoff to a social worker, end to end: the real assistant and its console (started by the
launcher), a person on the REST channel, SMS through the fake Twilio, staff over HTTP."""
import re

import pytest
import requests

from bot.console.app import PUBLIC, create_app
from bot.rendering import render
from bot.settings import load

pytestmark = pytest.mark.e2e
PASSWORD = "a long test password"


@pytest.fixture(scope="module")
def staff(bot):
    assert bot.create_user("claire").returncode == 0
    return bot.console_login("claire")


def csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page)[1]


def handoff_link(page: str) -> list[str]:
    return re.findall(r'href="/handoffs/(\d+)"', page)


def tracker(bot, sender):
    reply = requests.get(f"{bot.url}/conversations/{sender}/tracker", params={"token": bot.token}, timeout=10)
    return reply.json()


def test_what_a_person_writes_while_handed_over_is_kept_for_the_console(bot):
    sender = "handoff-kept"
    bot.say(sender, "bonjour")
    assert render("utter_handoff_open", "fr").text in bot.texts(sender, "HUMAIN")
    # Not paused before a social worker claims it: the bot goes on answering meanwhile.
    assert bot.texts(sender, "j'ai mal au ventre depuis 3 jours")
    events = tracker(bot, sender)["events"]
    assert [e["text"] for e in events if e["event"] == "user"][-1] == "j'ai mal au ventre depuis 3 jours"


def test_every_console_route_refuses_an_anonymous_request(bot):
    routes = create_app(load()).router.routes
    checked = 0
    for route in routes:
        path = "/" + re.sub(r"<[^>]+>", "1", route.path).lstrip("/")
        if path in PUBLIC:
            continue
        for method in route.methods:
            reply = requests.request(method, bot.console_url + path, allow_redirects=False, timeout=10)
            if method == "GET":
                assert (reply.status_code, reply.headers.get("location")) == (302, "/login"), (method, path)
            else:
                assert reply.status_code == 403, (method, path)
            checked += 1
    assert checked >= 5


def test_a_forged_csrf_token_or_a_wrong_password_is_refused(bot, staff):
    assert requests.Session().post(f"{bot.console_url}/login", data={"name": "claire", "password": PASSWORD},
                                   timeout=10).status_code == 403  # no login token
    with pytest.raises(requests.HTTPError):
        bot.console_login("claire", "not the password")
    page = staff.get(f"{bot.console_url}/", timeout=10).text
    assert staff.post(f"{bot.console_url}/logout", data={"csrf": "forged"}, timeout=10).status_code == 403
    assert csrf(page)  # still signed in
    assert staff.get(f"{bot.console_url}/", allow_redirects=False, timeout=10).status_code == 200


def test_the_session_cookie_is_httponly_samesite_strict_and_new_at_each_login(bot, staff):
    first = bot.console_login("claire")
    second = bot.console_login("claire")
    assert first.cookies["pass_console"] != second.cookies["pass_console"]
    cookie = next(c for c in second.cookies if c.name == "pass_console")
    assert cookie.has_nonstandard_attr("HttpOnly") and cookie.get_nonstandard_attr("SameSite") == "Strict"


def test_a_person_handed_over_is_answered_by_a_social_worker_then_by_the_bot_again(bot, staff):
    sender = "handoff-rest"
    bot.say(sender, "bonjour")
    bot.say(sender, "1")  # Français
    bot.texts(sender, "je veux parler à quelqu'un")
    bot.texts(sender, "<script>alert(1)</script> j'ai besoin d'aide")

    inbox = staff.get(f"{bot.console_url}/", timeout=10).text
    newest = max(handoff_link(inbox), key=int)
    assert "a demandé une personne" in inbox
    sheet = staff.get(f"{bot.console_url}/handoffs/{newest}", timeout=10).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; j&#39;ai besoin d&#39;aide" in sheet
    assert "<script>" not in sheet
    assert "Fiche de liaison" in sheet and "Pas encore de réponse au repérage" in sheet

    token = csrf(sheet)
    assert staff.post(f"{bot.console_url}/handoffs/{newest}/claim", data={"csrf": token}, timeout=10).ok
    staff.post(f"{bot.console_url}/handoffs/{newest}/reply", data={"csrf": token, "text": "Bonjour, je suis Claire."},
               timeout=10).raise_for_status()
    claimed = staff.get(f"{bot.console_url}/handoffs/{newest}", timeout=10).text
    assert 'name="text" value="Bonjour, je suis assistante sociale du centre de santé. Je lis vos messages."' in claimed
    events = tracker(bot, sender)["events"]
    assert [e["text"] for e in events if e["event"] == "bot"][-1] == "Bonjour, je suis Claire."
    # Still with the social worker: one acknowledgement, then their messages wait for her.
    assert bot.texts(sender, "merci") == [render("utter_handoff_waiting", "fr").text]
    assert bot.texts(sender, "d'accord") == []

    staff.post(f"{bot.console_url}/handoffs/{newest}/resolve", data={"csrf": token}, timeout=10).raise_for_status()
    assert newest not in handoff_link(staff.get(f"{bot.console_url}/", timeout=10).text)
    assert bot.texts(sender, "bonjour")  # the bot answers again


def test_a_social_worker_answers_an_sms_person_by_sms(bot, staff):
    phone = "+33612345678"
    bot.sms(phone, "bonjour")
    handed = bot.sms(phone, "HUMAIN")
    assert any("va vous répondre ici" in text or "will answer you here" in text for text in handed)
    inbox = staff.get(f"{bot.console_url}/", timeout=10).text
    newest = max(handoff_link(inbox), key=int)
    token = csrf(inbox)
    staff.post(f"{bot.console_url}/handoffs/{newest}/claim", data={"csrf": token}, timeout=10).raise_for_status()
    before = len(bot.twilio.sent_to(phone))
    staff.post(f"{bot.console_url}/handoffs/{newest}/reply", data={"csrf": token, "text": "Bonjour, ici Claire."},
               timeout=10).raise_for_status()
    assert bot.wait_for_sms(phone, before) == ["Bonjour, ici Claire."]


def test_the_day_view_lists_a_site_appointments_and_records_attendance_and_rights(bot, staff):
    from datetime import date, timedelta

    from bot.booking import appointments, slots
    from bot.database import session_scope
    from bot.models import Appointment, AuditEntry

    day = date.today() + timedelta(days=(7 - date.today().weekday()) % 7 or 7)  # next Monday
    with session_scope(f"sqlite:///{bot.var_dir / 'pass.db'}") as session:
        slots.add_worker(session, "AS console", "cms_2", {0: [("14:00", "14:30")]})
        while slots.generate(session, day, days=1) == 0:  # a public holiday has no slot
            day += timedelta(days=7)
        free = appointments.free_slots(session, datetime_at(day), site="cms_2", limit=1)[0]
        booked = appointments.book(session, free.id, "ar")
        reference, appointment_id = booked.reference, booked.id

    view = staff.get(f"{bot.console_url}/appointments", params={"site": "cms_2", "day": day.isoformat()}, timeout=10).text
    assert reference in view and f"{day.strftime('%d/%m/%Y')} 14:00" in view
    other_site = staff.get(f"{bot.console_url}/appointments", params={"site": "cms_1", "day": day.isoformat()}, timeout=10).text
    assert reference not in other_site
    week = staff.get(f"{bot.console_url}/appointments",
                     params={"site": "cms_2", "day": (day + timedelta(days=3)).isoformat(), "view": "week"}, timeout=10).text
    assert reference in week

    staff.post(f"{bot.console_url}/appointments/{appointment_id}",
               data={"csrf": csrf(view), "status": "attended", "AME": "pending", "CSS": ""}, timeout=10).raise_for_status()
    with session_scope(f"sqlite:///{bot.var_dir / 'pass.db'}") as session:
        saved = session.get(Appointment, appointment_id)
        assert (saved.status, saved.rights_obtained) == ("attended", {"AME": "pending"})
        actions = [e.action for e in session.query(AuditEntry).filter(AuditEntry.user_name == "claire")]
        assert "mark_attended" in actions and "view_appointments" in actions


def datetime_at(day):
    from datetime import datetime, time, timezone

    return datetime.combine(day, time.min, timezone.utc)


def test_only_coordinators_read_the_audit_log_and_the_dashboard_which_counts_the_handoffs(bot, staff):
    for path in ("/audit", "/dashboard", "/dashboard.csv"):
        assert staff.get(bot.console_url + path, timeout=10).status_code == 403
    assert bot.create_user("paul", "coordinator").returncode == 0
    coordinator = bot.console_login("paul")
    sender = "handoff-dashboard"
    bot.say(sender, "bonjour")
    bot.texts(sender, "HUMAIN")

    log = coordinator.get(f"{bot.console_url}/audit", timeout=10).text
    assert "claire" in log and "view_sheet" in log and "reply" in log
    board = coordinator.get(f"{bot.console_url}/dashboard", params={"by": "channel"}, timeout=10).text
    assert "Parcours" in board and "<5" not in board  # escaped, as every text
    exported = coordinator.get(f"{bot.console_url}/dashboard.csv", params={"by": "channel"}, timeout=10)
    assert exported.headers["content-type"].startswith("text/csv")
    text = exported.content.decode("utf-8-sig")  # a French spreadsheet's CSV: BOM and semicolons
    rows = {line.split(";")[0]: line.split(";") for line in text.splitlines()}
    handoffs = rows["canal"].index("demandes d'humain")
    from bot.dashboard import shown
    from bot.database import session_scope
    from bot.models import Handoff

    with session_scope(f"sqlite:///{bot.var_dir / 'pass.db'}") as session:  # this one included
        expected = session.query(Handoff).filter(Handoff.channel == "rest").count()
    assert expected >= 1 and rows["rest"][handoffs] == shown(expected)
