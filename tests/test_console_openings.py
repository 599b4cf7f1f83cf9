"""The console alone (no Rasa) over HTTP: a social worker blocks a slot and closes a site, the
booked person is moved; the visit records care without advancing fees and follow-up; the
coordinator's dashboard draws the trend, counts erased people, exports for French Excel."""
import os
import re
import subprocess
import sys
import time
from datetime import date, datetime, timedelta

import pytest
import requests
from sqlalchemy import select

from bot import people, phones, privacy, settings
from bot.booking import appointments, slots
from bot.console import auth
from bot.database import session_scope
from bot.models import Appointment, AuditEntry, OutboundSms, Screening, Slot
from bot.settings import PARIS, ROOT
from tests.e2e import free_port

PASSWORD = "a long test password"
# Two weeks ahead, a Monday: the console's own clock is today's.
today = date.today()
MONDAY = today + timedelta(days=14 - today.weekday())


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    port = free_port()
    url = f"sqlite:///{var / 'pass.db'}"
    env = {**os.environ, "PASS_VAR_DIR": str(var), "CONSOLE_PORT": str(port), "PYTHONPATH": str(ROOT), "DATABASE_URL": url}
    saved = os.environ.get("PASS_VAR_DIR")
    os.environ["PASS_VAR_DIR"] = str(var)  # the same keys here as in the console
    from bot import database

    database.upgrade(url)
    with session_scope(url) as session:
        auth.create_user(session, "sophie", "social_worker", PASSWORD)
        auth.create_user(session, "cora", "coordinator", PASSWORD)
        slots.add_worker(session, "AS Moulins", "cms_1", {0: [("09:00", "10:30")]})
        slots.add_worker(session, "AS Plaine", "cms_2", {0: [("09:00", "10:00")]})
        slots.generate(session, MONDAY, days=1)
    process = subprocess.Popen([sys.executable, "-m", "bot", "console"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            assert process.poll() is None, process.stderr.read()
            try:
                requests.get(f"{base}/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        yield base, url, var
    finally:
        process.terminate()
        process.wait(timeout=20)
        if saved is None:
            os.environ.pop("PASS_VAR_DIR", None)
        else:
            os.environ["PASS_VAR_DIR"] = saved


def login(base: str, name: str) -> requests.Session:
    http = requests.Session()
    token = re.search(r'name="login_token" value="([^"]+)"', http.get(f"{base}/login", timeout=10).text)[1]
    http.post(f"{base}/login", data={"login_token": token, "name": name, "password": PASSWORD}, timeout=30).raise_for_status()
    return http


def csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page)[1]


def slot_at(session, site: str, hour: str) -> Slot:
    start = datetime.combine(MONDAY, datetime.strptime(hour, "%H:%M").time(), PARIS)
    return session.execute(select(Slot).where(Slot.site == site, Slot.start_at == start)).scalar_one()


def test_a_social_worker_blocks_a_booked_slot_and_the_person_is_moved(console):
    base, url, var = console
    cfg = settings.load()
    with session_scope(url) as session:
        address = phones.parse("+33612000001")
        key = people.person_key(people.sms_sender_id(address, cfg.hash_key), cfg.hash_key)
        who = people.set_phone(session, key, address, cfg.hash_key, cfg.data_key)
        who.language = "fr"
        session.flush()
        nine = slot_at(session, "cms_1", "09:00")
        booked = appointments.book(session, nine.id, "fr", who.id)
        nine_id, reference = nine.id, booked.reference
    staff = login(base, "sophie")
    page = staff.get(f"{base}/openings", params={"site": "cms_1", "day": MONDAY.isoformat()}, timeout=10).text
    assert f"réservé ({reference})" in page and "libre" in page and "CMS Moulins" in page
    # No reason: refused, nothing blocked.
    refused = staff.post(f"{base}/openings/slots/{nine_id}/block",
                         data={"csrf": csrf(page), "reason": " ", "site": "cms_1", "day": MONDAY.isoformat()}, timeout=10)
    assert "Indiquez un motif" in refused.text
    done = staff.post(f"{base}/openings/slots/{nine_id}/block",
                      data={"csrf": csrf(page), "reason": "arrêt maladie", "site": "cms_1", "day": MONDAY.isoformat()},
                      timeout=10)
    assert "1 rendez-vous déplacé(s)" in done.text and "bloqué : arrêt maladie" in done.text
    assert "À prévenir" not in done.text  # they have a phone: the SMS tells them
    with session_scope(url) as session:
        assert session.get(Slot, nine_id).blocked
        assert appointments.find(session, reference).status == "cancelled"
        moved = session.execute(select(Appointment).where(Appointment.person_id == who.id,
                                                          Appointment.status == "booked")).scalar_one()
        assert moved.slot.site == "cms_1" and moved.slot_id != nine_id
        sms = session.execute(select(OutboundSms).where(OutboundSms.kind == "moved")).scalar_one()
        assert sms.body.startswith("Votre rendez-vous du lundi") and moved.reference in sms.body
        assert ("block_slot", "sophie") in {(e.action, e.user_name) for e in session.execute(select(AuditEntry)).scalars()}
    # A forged token changes nothing.
    assert staff.post(f"{base}/openings/slots/{nine_id}/unblock", data={"csrf": "forged"}, timeout=10).status_code == 403


def test_closing_a_site_for_the_day_blocks_all_its_slots(console):
    base, url, _ = console
    staff = login(base, "sophie")
    page = staff.get(f"{base}/openings", timeout=10).text
    done = staff.post(f"{base}/openings/close", data={"csrf": csrf(page), "site": "cms_2", "first": MONDAY.isoformat(),
                                                      "last": MONDAY.isoformat(), "reason": "centre fermé"}, timeout=10)
    assert done.status_code == 200 and "centre fermé" in done.text and "Fermetures à venir" in done.text
    with session_scope(url) as session:
        assert not appointments.free_slots(session, datetime.combine(MONDAY, datetime.min.time(), PARIS), site="cms_2")


def test_the_visit_records_care_without_fees_and_follow_up_and_the_dashboard_counts_it_after_erasure(console):
    base, url, var = console
    with session_scope(url) as session:
        person = people.get_or_create(session, "visit-person")
        session.add(Screening(person_id=person.id, pass_eligible=True, reasons=[]))
        free = appointments.free_slots(session, datetime.combine(MONDAY, datetime.min.time(), PARIS), site="cms_1")[0]
        visit = appointments.book(session, free.id, "fr", person.id)
        visit_id, person_id = visit.id, person.id
    staff = login(base, "sophie")
    page = staff.get(f"{base}/appointments", params={"day": MONDAY.isoformat()}, timeout=10).text
    assert 'name="care_radiology"' in page and 'name="follow_up"' in page
    staff.post(f"{base}/appointments/{visit_id}", data={"csrf": csrf(page), "status": "attended", "CSS": "opened",
                                                        "care_medicines": "yes", "care_nursing": "yes", "follow_up": "yes"},
               timeout=10).raise_for_status()
    with session_scope(url) as session:
        saved = session.get(Appointment, visit_id)
        assert (saved.care_obtained, saved.follow_up, saved.rights_obtained) == (["medicines", "nursing"], True, {"CSS": "opened"})
        privacy.erase_people(session, [person_id])
    coordinator = login(base, "cora")
    period = {"from": (today - timedelta(days=1)).isoformat(), "to": (MONDAY + timedelta(days=1)).isoformat()}
    board = coordinator.get(f"{base}/dashboard", params={**period, "by": "channel"}, timeout=10).text
    assert "<svg" in board and "Évolution par mois" in board and "(personnes effacées)" in board
    assert "médicaments sans avance de frais" in board and "suivi régulier choisi" in board
    exported = coordinator.get(f"{base}/dashboard.csv", params={**period, "by": "channel"}, timeout=10)
    assert exported.content.startswith("\ufeff".encode()) and exported.headers["content-type"].startswith("text/csv")
    lines = exported.content.decode("utf-8-sig").splitlines()
    header, erased = lines[0].split(";"), next(line.split(";") for line in lines if line.startswith("(personnes effacées)"))
    assert header[0] == "canal" and erased[header.index("repérées")] == "<5"
    assert erased[header.index("soins infirmiers sans avance de frais")] == "<5"
