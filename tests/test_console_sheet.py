"""The console over HTTP (`python -m bot console` on a fresh database, a fake of Rasa's API): the
live inbox puts an urgent conversation on top, the liaison sheet reads every answer in French,
notes, booking for the person, the search, and the tasks with the expired-rules warning."""
import asyncio
import json
import re
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select

from bot import handoff, outbox, people, phones, settings
from bot.database import session_scope
from bot.models import Appointment, AuditEntry, ConsoleNote, Slot, SocialWorker, utcnow
from tests import console_harness

ARABIC = "web-ar-sheet"
PHONE = "+33612345678"


def inform(**entities):
    return "/inform" + json.dumps(entities, ensure_ascii=False)


def ask(fact, text, buttons=()):
    return [{"event": "slot", "name": "requested_slot", "value": fact},
            {"event": "bot", "text": text, "metadata": {"utter_action": f"utter_ask_{fact}"},
             "data": {"buttons": [{"title": t, "payload": p} for t, p in buttons]}}]


def said(text, intent=None, **slots):
    return [{"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9}}},
            *({"event": "slot", "name": name, "value": value} for name, value in slots.items())]


# An Arabic conversation: a yes by button, the nationality by button, the papers in words, the
# money in words (per month), an answer not understood, then the safety message.
EVENTS = [
    *ask("health_problem", "هل لديك مشكلة صحية؟", [("نعم", "/affirm"), ("لا", "/deny")]), *said("/affirm", health_problem=True),
    *ask("nationality_group", "ما جنسيتك؟", [("فرنسي", inform(nationality_group="FR")),
                                             ("بلد آخر", inform(nationality_group="THIRD_COUNTRY"))]),
    *said(inform(nationality_group="THIRD_COUNTRY"), nationality_group="THIRD_COUNTRY"),
    *ask("residence_status", "ما هي أوراقك في فرنسا؟"), *said("ما عندي أوراق", residence_status="irregular"),
    *ask("annual_resources", "كم من المال؟"), *said("600 يورو في الشهر", annual_resources=7200.0),
    *ask("has_photo_id", "هل لديك وثيقة هوية؟"), *said("مش فاهم"),
    *said("أريد أن أموت", intent="suicidal_thoughts"),
]
SLOTS = {"language": "ar", "health_problem": True, "nationality_group": "THIRD_COUNTRY", "residence_status": "irregular",
         "annual_resources": 7200.0, "rights": ["AME_FIRST_IN_PERSON", "HANDOFF"], "documents": ["ID_DOCUMENT"]}


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    var = tmp_path_factory.mktemp("console")
    running = console_harness.start(var)
    yield running
    console_harness.stop(running)


@pytest.fixture
def cfg(console, monkeypatch):
    for name in ("PASS_VAR_DIR", "DATABASE_URL", "PASS_CONSOLE_HOURS"):
        monkeypatch.setenv(name, console.env[name])
    return settings.load()


def csrf(page):
    return re.search(r'name="csrf" value="([^"]+)"', page)[1]


def arabic_person(console, cfg):
    """Handed over for answers not understood, then "أريد أن أموت" (raised by the channel)."""
    key = people.person_key(ARABIC, cfg.hash_key)
    console.rasa.trackers[ARABIC] = {"events": EVENTS, "slots": SLOTS}
    with session_scope(cfg.database_url) as session:
        other, _ = handoff.open_handoff(session, "older", "web-older", "request_human", "fr", paused=False)
        other.created_at = utcnow() - timedelta(hours=2)
        people.set_language(session, key, "ar")
        people.record_consent(session, key, "web")
        people.set_phone(session, key, phones.parse(PHONE), cfg.hash_key, cfg.data_key)
        found, _ = handoff.open_handoff(session, key, ARABIC, "unclear_answers", "ar", paused=False)
        handoff.note_message(session, key, ARABIC)
        handoff.raise_urgent(session, key, ARABIC, "suicidal_thoughts", "ar")
        return found.id, found.person_id


def test_the_live_inbox_shows_the_urgent_suicide_on_top_and_the_sheet_reads_every_answer_in_french(console, cfg):
    handoff_id, person_id = arabic_person(console, cfg)
    staff = console.login("claire")
    inbox = staff.get(f"{console.url}/", timeout=10).text
    rows = re.findall(r'<tr class="([^"]*)" data-id="(\d+)"', inbox)
    assert rows[0] == ("urgent unread", str(handoff_id))  # on top although the other waits longer
    first = inbox[inbox.index(f'data-id="{handoff_id}"'):inbox.index("</tr>", inbox.index(f'data-id="{handoff_id}"'))]
    assert "URGENT" in first and "idées suicidaires" in first and "réponses non comprises" in first and "arabe" in first
    assert 'src="/console.js"' in inbox and "Règles de droits périmées" in inbox

    live = staff.get(f"{console.url}/inbox/rows", timeout=10).json()  # what the page's script asks
    assert live["urgent"] == 1 and live["new_messages"] == 1 and f'data-id="{handoff_id}"' in live["html"]
    only = staff.get(f"{console.url}/inbox/rows", params={"reason": "request_human"}, timeout=10).json()
    assert only["count"] == 1 and f'data-id="{handoff_id}"' not in only["html"]
    assert staff.get(f"{console.url}/console.js", timeout=10).headers["content-type"].startswith("text/javascript")

    sheet = staff.get(f"{console.url}/handoffs/{handoff_id}", timeout=10).text
    answers = re.sub(r"\s+", " ", sheet[sheet.index("Réponses de la personne"):sheet.index("Situation et droits")])
    assert "نعم</span> <small>(bouton ou numéro)</small></td> <td>→ <span class=\"reading\">oui</span>" in answers
    assert "بلد آخر</span> <small>(bouton ou numéro)" in answers and "Un autre pays" in answers
    assert "ما عندي أوراق</span> <small>(mots)</small></td> <td>→ <span class=\"reading\">Pas de titre de séjour" in answers
    assert "600 € par mois, soit 7 200 € par an" in answers
    assert "مش فاهم</span> <small>(mots)</small></td> <td>→ <span class=\"reading\">non compris" in answers
    assert "La personne a donné des réponses non comprises, puis a exprimé des idées suicidaires." in sheet
    assert "AME, première demande (en personne)" in sheet and "AME_FIRST_IN_PERSON" not in sheet
    assert "Repérage commencé, pas terminé" in sheet and "Décidé avec le barème" in sheet
    # Opened: its messages are no longer new.
    assert staff.get(f"{console.url}/inbox/rows", timeout=10).json()["new_messages"] == 0


def test_notes_booking_and_the_search_from_the_sheet(console, cfg):
    _, person_id = arabic_person(console, cfg) if not _person(cfg) else (None, _person(cfg))
    staff = console.login("claire")
    with session_scope(cfg.database_url) as session:
        worker = SocialWorker(name="AS test", site="cms_1")
        session.add(worker)
        session.flush()
        start = utcnow().replace(microsecond=0) + timedelta(days=3)
        session.add_all([Slot(worker_id=worker.id, site="cms_1", start_at=start + timedelta(hours=h),
                              end_at=start + timedelta(hours=h, minutes=30)) for h in (0, 1)])
        people.record_request(session, people.person_key(ARABIC, cfg.hash_key), "callback")  # no free time earlier
    page = staff.get(f"{console.url}/people/{person_id}", timeout=10).text
    assert "Pas de créneau libre : rappeler la personne" in page and "Marquer comme fait" in page
    token = csrf(page)
    back = f"/people/{person_id}"
    staff.post(f"{console.url}/people/{person_id}/notes", data={"csrf": token, "back": back,
               "text": "Rappeler avec un interprète"}, timeout=10).raise_for_status()
    slot_ids = re.findall(r'<option value="(\d+)">', page)
    staff.post(f"{console.url}/people/{person_id}/appointments", data={"csrf": token, "back": back, "action": "book",
               "slot_id": slot_ids[0]}, timeout=10).raise_for_status()
    with session_scope(cfg.database_url) as session:
        booked = session.query(Appointment).filter(Appointment.person_id == person_id).one()
        reference = booked.reference
        assert "Rappeler" not in session.query(ConsoleNote).one().text_encrypted  # encrypted at rest
    page = staff.get(f"{console.url}/people/{person_id}", timeout=10).text
    assert "Rappeler avec un interprète" in page and reference in page
    assert re.search(r"Pas de créneau libre : rappeler la personne — [\d/: ]+ —\s+fait par claire le", page)  # booked for them
    moved = re.findall(r'<option value="(\d+)">', page)[0]
    staff.post(f"{console.url}/people/{person_id}/appointments", data={"csrf": token, "back": back, "action": "move",
               "reference": reference, "slot_id": moved}, timeout=10).raise_for_status()
    with session_scope(cfg.database_url) as session:
        states = {a.reference: a.status for a in session.query(Appointment).filter(Appointment.person_id == person_id)}
        new = next(r for r, s in states.items() if s == "booked")
        assert states[reference] == "cancelled" and len(states) == 2
    # The inbox's site filter: the site of the person's appointment.
    with session_scope(cfg.database_url) as session:
        open_id = handoff.current(session, person_id).id
    assert f'data-id="{open_id}"' in staff.get(f"{console.url}/inbox/rows", params={"site": "cms_1"}, timeout=10).json()["html"]
    assert f'data-id="{open_id}"' not in staff.get(f"{console.url}/inbox/rows", params={"site": "cms_2"}, timeout=10).json()["html"]
    # The sheet is reachable from the appointments page.
    day = start.astimezone(outbox.PARIS).date().isoformat()
    view = staff.get(f"{console.url}/appointments", params={"day": day}, timeout=10).text
    assert f'href="/people/{person_id}"' in view
    staff.post(f"{console.url}/people/{person_id}/appointments", data={"csrf": token, "back": back, "action": "cancel",
               "reference": new}, timeout=10).raise_for_status()
    assert staff.post(f"{console.url}/people/{person_id}/appointments", data={"csrf": token, "action": "cancel",
                      "reference": "ZZZZZZ"}, timeout=10).status_code == 409  # not theirs

    # Found by the reference, the phone number as people write it, the name they gave; never a listing.
    found = staff.get(f"{console.url}/search", params={"q": new.lower()}, timeout=10)
    assert found.url.endswith(f"/people/{person_id}")
    assert staff.get(f"{console.url}/search", params={"q": "06 12 34 56 78"}, timeout=10).url.endswith(f"/people/{person_id}")
    missing = staff.get(f"{console.url}/search", params={"q": "06 12 34 56 79"}, timeout=10)
    assert "/search" in missing.url and "Personne trouvé·e" in missing.text
    assert "/search" in staff.get(f"{console.url}/search", params={"q": "06"}, timeout=10).url  # no partial match
    staff.post(f"{console.url}/people/{person_id}/name", data={"csrf": token, "back": back, "name": "Aïcha Benali"},
               timeout=10).raise_for_status()
    assert staff.get(f"{console.url}/search", params={"q": "aicha  BENALI"}, timeout=10).url.endswith(f"/people/{person_id}")
    with session_scope(cfg.database_url) as session:
        actions = [e.action for e in session.query(AuditEntry).filter(AuditEntry.person_id == person_id)]
        assert {"add_note", "book_appointment", "move_appointment", "cancel_appointment", "search", "set_name"} <= set(actions)
        assert not any("0612" in (e.detail or "") or "Benali" in (e.detail or "") for e in session.query(AuditEntry))



def _person(cfg):
    with session_scope(cfg.database_url) as session:
        found = people.find(session, people.person_key(ARABIC, cfg.hash_key))
        return found.id if found else None


def test_no_free_time_is_a_callback_task_done_by_whom_and_when(console, cfg, monkeypatch):
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from bot.actions import booking, store

    store._hash_key.cache_clear()
    sender = "web-no-free-time"
    with session_scope(cfg.database_url) as session:
        session.query(Slot).update({"blocked": True})  # nothing free
        people.record_consent(session, people.person_key(sender, cfg.hash_key), "web")
    dispatcher = CollectingDispatcher()
    tracker = Tracker(sender, {"pass_eligible": True}, {}, [], False, None, {}, "action_listen")
    asyncio.run(booking.ActionOfferSlots().run(dispatcher, tracker, {}))
    assert dispatcher.messages[-1]["response"] == "utter_no_slots"

    staff = console.login("claire")
    page = staff.get(f"{console.url}/tasks", timeout=10).text
    assert "Pas de créneau libre : rappeler la personne" in page
    assert page.index("Barème des plafonds périmé") < page.index("Pas de créneau libre")  # the expired rules first
    row = page[page.index('class="task-callback"'):]
    task_id = re.search(r'action="/tasks/(\d+)/done"', row)[1]
    staff.post(f"{console.url}/tasks/{task_id}/done", data={"csrf": csrf(page)}, timeout=10).raise_for_status()
    done = staff.get(f"{console.url}/tasks", params={"state": "done"}, timeout=10).text
    row = done[done.index('class="task-callback"'):]
    assert re.search(r"fait par claire le \d\d/\d\d/\d{4} \d\d:\d\d", row[:row.index("</tr>")])
    assert "Barème des plafonds périmé" in staff.get(f"{console.url}/tasks", timeout=10).text


def test_interpreter_and_erasure_requests_are_tasks_too(console, cfg):
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from bot.actions import requests as request_actions, store

    store._hash_key.cache_clear()
    with session_scope(cfg.database_url) as session:
        handoff.open_handoff(session, people.person_key("web-tigrinya", cfg.hash_key), "web-tigrinya",
                             "unsupported_language", None, paused=False)
        people.record_consent(session, people.person_key("web-erase", cfg.hash_key), "web")
    tracker = Tracker("web-erase", {}, {}, [], False, None, {}, "action_listen")
    asyncio.run(request_actions.ActionEraseMyData().run(CollectingDispatcher(), tracker, {}))
    staff = console.login("claire")
    assert "Interprète demandé" in staff.get(f"{console.url}/tasks", timeout=10).text
    done = staff.get(f"{console.url}/tasks", params={"state": "done"}, timeout=10).text
    row = done[done.index('class="task-erasure"'):]
    row = row[:row.index("</tr>")]
    assert "données effacées" in row and "fait par l&#39;assistant, à la demande de la personne" in row


def test_every_new_route_refuses_anonymous_requests(console):
    for path in ("/inbox/rows", "/tasks", "/search?q=x", "/people/1"):
        reply = requests.get(console.url + path, allow_redirects=False, timeout=10)
        assert (reply.status_code, reply.headers.get("location")) == (302, "/login"), path
    for path in ("/people/1/notes", "/people/1/appointments", "/people/1/name", "/tasks/1/done"):
        assert requests.post(console.url + path, timeout=10).status_code == 403, path


def test_the_sheet_reads_the_case_after_the_conversation_has_ended_and_a_paper_is_ticked(console, cfg):
    """Issue 17: the sheet shows the rights outcome and its papers from the case even when the
    conversation holds nothing any more (a session ended), and a social worker ticks a paper
    the person has (kept in the case, audited)."""
    from bot import case
    from tests.test_case import screened

    sender = "web-case-on-the-sheet"
    console.rasa.trackers[sender] = {"events": [], "slots": {}}  # the session has ended: nothing in it
    with session_scope(cfg.database_url) as session:
        person = screened(session, key=people.person_key(sender, cfg.hash_key))
        person_id = person.id
        missing = case.sheet_view(session, person_id)["documents_missing"]
    staff = console.login("claire")
    page = staff.get(f"{console.url}/people/{person_id}", timeout=10).text
    assert "Droits pas encore évalués" not in page and "Droits à demander" in page
    assert page.count("à obtenir") >= len(missing) > 0 and "Décidé le" in page
    ticked = missing[0]
    staff.post(f"{console.url}/people/{person_id}/documents", data={"csrf": csrf(page), "document": ticked, "held": "1"},
               timeout=10).raise_for_status()
    with session_scope(cfg.database_url) as session:
        assert ticked not in case.sheet_view(session, person_id)["documents_missing"]
        assert session.execute(select(AuditEntry.action).where(AuditEntry.person_id == person_id,
                                                               AuditEntry.action == "document_held")).first()
    assert "déjà en sa possession" in staff.get(f"{console.url}/people/{person_id}", timeout=10).text
