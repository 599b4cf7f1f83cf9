"""The dashboard's figures against a seeded set of people, screenings, appointments and handoffs."""
from datetime import date, datetime, timedelta, timezone

from bot import dashboard
from bot.booking import appointments, slots
from bot.database import session_scope
from bot.models import Handoff, Person, Screening

START = datetime(2026, 11, 1, tzinfo=timezone.utc)
END = datetime(2026, 12, 1, tzinfo=timezone.utc)
IN = datetime(2026, 11, 10, 10, tzinfo=timezone.utc)


def seed(session):
    """12 people: 7 in French by web (6 eligible), 5 in Arabic by SMS via mdm (2 eligible);
    one French screening is outside the period. 7 appointments at cms_1: 5 attended (4 with AME
    opened), 1 no-show, 1 cancelled; 6 handoffs, picked up after 10, 20, 30, 40, 50 min."""
    people = []
    for i in range(12):
        arabic = i >= 7
        person = Person(key=f"k{i}", language="ar" if arabic else "fr", source="mdm" if arabic else None,
                        phone_key=f"p{i}" if arabic else None)
        session.add(person)
        session.flush()
        people.append(person)
        eligible = (i < 6) or i in (7, 8)
        session.add(Screening(person=person, pass_eligible=eligible, reasons=[],
                              completed_at=START - timedelta(days=1) if i == 6 else IN))
    slots.add_worker(session, "AS", "cms_1", {d: [("09:00", "17:00")] for d in range(5)})
    slots.generate(session, date(2026, 11, 9), days=5)
    free = appointments.free_slots(session, START, site="cms_1", limit=7)
    for i, slot in enumerate(free):
        booked = appointments.book(session, slot.id, "fr", people[i].id)
        booked.created_at = IN
        if i < 5:
            appointments.record_visit(session, booked.id, "attended", {"AME": "opened"} if i < 4 else {"CSS": "pending"})
        elif i == 5:
            appointments.record_visit(session, booked.id, "no_show", {})
        else:
            appointments.cancel(session, booked.reference)
    for i, minutes in enumerate((10, 20, 30, 40, 50, None)):
        session.add(Handoff(person_id=people[i].id, conversation=f"web-{i}", channel="web", reason="request_human",
                            status="claimed" if minutes else "waiting", created_at=IN,
                            claimed_at=IN + timedelta(minutes=minutes) if minutes else None))


def test_the_figures_match_the_seeded_people(db_url):
    with session_scope(db_url) as session:
        seed(session)
        table = dashboard.figures(session, START, END, "language")
    assert table["Total"] == {"screened": 11, "eligible": 8, "booked": 6, "attended": 5, "no_show": 1,
                              "handoffs": 6, "pickup_minutes": 30, "opened_PUMA": 0, "opened_CSS": 0, "opened_AME": 4}
    assert (table["fr"]["screened"], table["fr"]["eligible"]) == (6, 6)  # the 7th screened before the period
    assert (table["ar"]["screened"], table["ar"]["eligible"]) == (5, 2)
    assert table["fr"]["pickup_minutes"] == 30 and table["ar"]["pickup_minutes"] is None


def test_small_counts_are_shown_as_less_than_5_in_the_table_and_the_csv(db_url):
    with session_scope(db_url) as session:
        seed(session)
        by_source = dashboard.figures(session, START, END, "source")
        by_site = dashboard.figures(session, START, END, "site")
    assert dashboard.shown(by_source["mdm"]["eligible"]) == "<5" and dashboard.shown(0) == "0"
    assert dashboard.shown(by_source["mdm"]["screened"]) == "5"
    rows = dashboard.to_csv(by_source, "source").splitlines()
    assert rows[0].startswith("source,screened,eligible,booked")
    assert "mdm,5,<5," in dashboard.to_csv(by_source, "source")
    assert by_site["cms_1"]["booked"] == 6 and by_site["cms_1"]["screened"] is None
    assert dashboard.shown(by_site["cms_1"]["screened"]) == "—"
