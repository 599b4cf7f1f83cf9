"""The dashboard's figures against a seeded set of people, screenings, appointments and handoffs,
before and after some of them are erased or reach the retention limit."""
import csv
import io
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from bot import dashboard, privacy
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
            appointments.record_visit(session, booked.id, "attended", {"AME": "opened"} if i < 4 else {"CSS": "pending"},
                                      ["medicines", "laboratory"] if i < 3 else ["radiology"], follow_up=i < 2)
        elif i == 5:
            appointments.record_visit(session, booked.id, "no_show", {})
        else:
            appointments.cancel(session, booked.reference)
    for i, minutes in enumerate((10, 20, 30, 40, 50, None)):
        session.add(Handoff(person_id=people[i].id, conversation=f"web-{i}", channel="web", reason="request_human",
                            language=people[i].language,
                            status="claimed" if minutes else "waiting", created_at=IN,
                            claimed_at=IN + timedelta(minutes=minutes) if minutes else None))


def test_the_figures_match_the_seeded_people(db_url):
    with session_scope(db_url) as session:
        seed(session)
        table = dashboard.figures(session, START, END, "language")
    total = table["Total"]
    assert {m: total[m] for m in ("screened", "eligible", "booked", "attended", "no_show", "handoffs", "pickup_minutes")} == \
        {"screened": 11, "eligible": 8, "booked": 6, "attended": 5, "no_show": 1, "handoffs": 6, "pickup_minutes": 30}
    assert (total["opened_AME"], total["pending_CSS"], total["opened_PUMA"], total["refused_AME"]) == (4, 1, 0, 0)
    assert (total["care_medicines"], total["care_laboratory"], total["care_radiology"], total["care_nursing"]) == (3, 3, 2, 0)
    assert total["follow_up"] == 2
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
    exported = dashboard.to_csv(by_source, "source")
    # For a French spreadsheet: a byte order mark, semicolons, French column names.
    assert exported.startswith("\ufeffassociation;repérées;éligibles PASS;RDV pris;venues")
    assert "\r\nmdm;5;<5;" in exported
    assert by_site["cms_1"]["booked"] == 6 and by_site["cms_1"]["screened"] is None
    assert list(by_site) == ["cms_1", "Total"]  # handoffs belong to no site: in the total only
    assert "\r\nCMS Moulins;—;—;6;" in dashboard.to_csv(by_site, "site")  # a site by its name
    assert dashboard.shown(by_site["cms_1"]["screened"]) == "—"


def test_erased_and_retention_expired_people_still_count(db_url, tmp_path):
    """Issue 18: 7 screenings and 7 handoffs became 0 and 0 after erasure. Here 3 people are
    erased on request, 2 more reach the retention limit: every figure stays."""
    with session_scope(db_url) as session:
        seed(session)
        before = {by: dashboard.figures(session, START, END, by) for by in dashboard.DIMENSIONS}
        french = session.execute(select(Person.id).where(Person.language == "fr").order_by(Person.id)).scalars().all()
        privacy.erase_people(session, french[:3])
        for person in session.execute(select(Person).where(Person.id.in_(french[3:5]))).scalars():
            person.last_seen_at = datetime.now(timezone.utc) - timedelta(days=400)
        assert privacy.retention(session, f"sqlite:///{tmp_path / 'tracker.db'}", days=365)["people"] == 2
        assert session.execute(select(Person).where(Person.id.in_(french[:5]))).first() is None
        after = {by: dashboard.figures(session, START, END, by) for by in dashboard.DIMENSIONS}
    for by in dashboard.DIMENSIONS:
        assert after[by]["Total"] == before[by]["Total"], by
    by_language = after["language"]
    # Their screenings lost their language: grouped as erased; bookings and handoffs keep theirs.
    assert (by_language[dashboard.ERASED]["screened"], by_language["fr"]["screened"]) == (5, 1)
    assert by_language["fr"]["booked"] == 6 and by_language["fr"]["handoffs"] == 6
    assert after["channel"][dashboard.ERASED]["booked"] == 5 and after["channel"]["web"]["handoffs"] == 6
    assert after["source"][dashboard.ERASED]["handoffs"] == 5
    assert after["month"]["2026-11"]["screened"] == 11 and after["site"]["cms_1"]["attended"] == 5
    assert list(by_language)[-2:] == [dashboard.ERASED, "Total"]


def test_the_trend_chart_is_drawn_here_and_readable_printed(db_url):
    with session_scope(db_url) as session:
        seed(session)
        session.add(Screening(pass_eligible=True, reasons=[], completed_at=datetime(2026, 10, 5, tzinfo=timezone.utc)))
        by_month = dashboard.figures(session, datetime(2026, 10, 1, tzinfo=timezone.utc), END, "month")
    assert list(by_month) == ["2026-10", "2026-11", "Total"]
    svg = dashboard.trend_svg(by_month)
    assert svg.startswith("<svg") and "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert "2026-10" in svg and "2026-11" in svg and "repérées" in svg and "&lt;5" in svg and "<5" not in svg
    assert dashboard.trend_svg({"Total": by_month["Total"]}) == ""


def test_the_csv_reads_back_in_a_french_spreadsheet(db_url):
    with session_scope(db_url) as session:
        seed(session)
        table = dashboard.figures(session, START, END, "language")
    rows = list(csv.reader(io.StringIO(dashboard.to_csv(table, "language").lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "langue" and len(rows[0]) == len(dashboard.METRICS) + 1
    assert [row[0] for row in rows[1:]] == ["ar", "fr", "Total"]
    assert rows[-1][rows[0].index("AME ouverte")] == "<5"
