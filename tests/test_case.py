"""The person's case (bot/case.py): written with the answers, versioned, re-checked when old,
the papers held, the liaison sheet's data, erased with the person."""
import os
from datetime import date, datetime, timedelta, timezone

import pytest
from alembic import command
from sqlalchemy import func, select

from bot import case, database, interview, people, privacy
from bot.booking import appointments
from bot.database import session_scope
from bot.models import (AuditEntry, CaseAlias, CaseAppointment, CaseDocument, CaseOutcome, ConsoleUser, OutboundSms,
                        PersonCase, Screening, Slot, SocialWorker)
from bot.screening import evaluate

ANSWERS = {"health_problem": True, "current_cover": "none", "can_advance_fees": False, "saint_denis_link": True}
# Undocumented, 8 months in France, no money, a photo ID and a domiciliation: AME in person.
RIGHTS_SLOTS = {**ANSWERS, "urgent": False, "nationality_group": "THIRD_COUNTRY", "residence_status": "irregular",
                "age": 30, "months_in_france": 8, "prior_ame_end": "never", "household_size": 1,
                "annual_resources": 0, "has_stable_address": True, "has_domiciliation": True,
                "hosted_by_third_party": False, "has_photo_id": True}
TODAY = date.today()
WORKER = {"id": None, "name": "AS Martin"}
POSTGRES = os.environ.get("TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path):
    """Each test on SQLite and on PostgreSQL (`make test` sets TEST_POSTGRES_URL), migrated."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'app.db'}"
        database.upgrade(url)
    elif not POSTGRES:
        pytest.skip("TEST_POSTGRES_URL not set (make test sets it)")
    else:
        url, config = POSTGRES, database.alembic_config(POSTGRES)
        command.downgrade(config, "base")  # a fresh schema for each test
        command.upgrade(config, "head")
    yield url
    database.engine(url).dispose()


def screened(session, key="web-case", slots=RIGHTS_SLOTS, today=TODAY):
    """A person who agreed, was screened eligible and answered the rights questions."""
    people.get_or_create(session, key)
    people.record_consent(session, key)
    people.save_screening(session, key, ANSWERS, evaluate(**ANSWERS))
    result = interview.outcome(slots, today)
    case.record_rights(session, key, slots, result, today)
    return people.find(session, key)


def a_slot(session, days=5):
    worker = SocialWorker(name="AS", site="cms_1")
    session.add(worker)
    session.flush()
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=days)
    slot = Slot(worker_id=worker.id, site="cms_1", start_at=start, end_at=start + timedelta(minutes=30))
    session.add(slot)
    session.flush()
    return slot


def test_the_case_is_written_with_the_answers_and_the_outcome(db):
    with session_scope(db) as session:
        person = screened(session)
        outcome = case.latest(session, person.id)
        assert outcome.version == 1 and outcome.cause == "screening" and outcome.pass_eligible is True
        assert outcome.screening_id == session.execute(select(Screening.id)).scalar_one()
        assert "AME_FIRST_IN_PERSON" in outcome.rights and "ID_WITH_PHOTO" in outcome.documents
        assert outcome.forms == ["cerfa_11573"] or outcome.forms  # the form of each right
        assert outcome.rules_version == case.current_rules_version() and outcome.decided_on == TODAY
        facts = session.execute(select(PersonCase.facts)).scalar_one()
        assert facts["residence_status"] == "irregular" and facts["months_in_france"] == 8


def test_the_case_is_not_kept_without_consent(db):
    with session_scope(db) as session:
        people.get_or_create(session, "web-no")
        assert case.record_rights(session, "web-no", RIGHTS_SLOTS, interview.outcome(RIGHTS_SLOTS, TODAY)) is None
        assert session.execute(select(func.count()).select_from(PersonCase)).scalar_one() == 0


def test_a_new_screening_adds_a_version_and_the_old_one_stays(db):
    with session_scope(db) as session:
        person = screened(session)
        screened(session)
        versions = session.execute(select(CaseOutcome.version).order_by(CaseOutcome.version)).scalars().all()
        assert versions == [1, 2]
        assert case.sheet_view(session, person.id)["history"][0]["version"] == 1


def test_docs_lists_only_what_is_still_missing(db):
    with session_scope(db) as session:
        screened(session)
        resumed = case.resume(session, "web-case")
    # They said they have a photo ID: it is held, the proofs of residence and resources are not.
    assert "ID_WITH_PHOTO" in resumed.held and "ID_WITH_PHOTO" not in resumed.missing
    assert resumed.missing == ["PROOF_OF_RESIDENCE_3_MONTHS", "RESOURCES_12_MONTHS"]
    assert resumed.changed is False and resumed.pass_eligible is True


def test_an_outcome_older_than_its_rules_is_rechecked_and_says_when_it_changed(db):
    with session_scope(db) as session:
        person = screened(session)
        outcome = case.latest(session, person.id)
        outcome.rules_version = "2024-25+00000000"  # decided under an earlier ceilings set
        resumed = case.resume(session, "web-case")
        latest = case.latest(session, person.id)
        assert latest.version == 2 and latest.cause == "recheck" and latest.rules_version == case.current_rules_version()
        assert resumed.changed is False  # same outcome under today's rules: nothing to tell
        # A decision whose documents differ from today's rules: told.
        latest.documents = ["ID_DOCUMENT"]
        latest.decided_on = TODAY - timedelta(days=100)  # and over 3 months old
        assert case.resume(session, "web-case").changed is True
        assert case.latest(session, person.id).version == 3


def test_three_months_later_only_the_months_in_france_are_rechecked(db):
    slots = {**RIGHTS_SLOTS, "months_in_france": 1}
    then = TODAY - timedelta(days=62)
    with session_scope(db) as session:
        person = screened(session, slots=slots, today=then)
        assert "REMIND_AT_3_MONTHS" in case.latest(session, person.id).rights
        assert case.booking_purpose(session, "web-case") == "three_months"
        resumed = case.resume(session, "web-case")
        latest = case.latest(session, person.id)
    assert resumed.changed and latest.cause == "three_months"
    assert "AME_FIRST_IN_PERSON" in latest.rights and "REMIND_AT_3_MONTHS" not in latest.rights
    assert resumed.facts["months_in_france"] == 4 and resumed.facts["residence_status"] == "irregular"


def test_someone_whose_ame_ends_books_a_renewal_not_already_covered(db):
    with session_scope(db) as session:
        person = screened(session)
        assert case.booking_purpose(session, "web-case") == "rights"
        person.cover_ends_on = TODAY + timedelta(days=60)
        assert case.booking_purpose(session, "web-case") == "renewal"
        on_ame = {**ANSWERS, "current_cover": "ame"}
        result = evaluate(**on_ame)
        assert case.renewal_instead(session, "web-case", on_ame, result.eligible, result.reasons)
        person.cover_ends_on = TODAY + timedelta(days=400)  # not yet
        assert not case.renewal_instead(session, "web-case", on_ame, result.eligible, result.reasons)


def test_a_reply_to_a_recent_reminder_is_recognised(db):
    with session_scope(db) as session:
        person = screened(session)
        booked = appointments.book(session, a_slot(session).id, "fr", person.id)
        assert case.replying_to(session, "web-case") is None
        row = session.execute(select(OutboundSms).where(OutboundSms.appointment_id == booked.id)).scalars().first()
        row.status, row.sent_at = "sent", datetime.now(timezone.utc) - timedelta(days=1)
        assert case.replying_to(session, "web-case") == "reminder"
        row.sent_at = datetime.now(timezone.utc) - timedelta(days=30)
        assert case.replying_to(session, "web-case") is None


def test_a_booking_reference_resumes_the_case_in_another_conversation(db):
    with session_scope(db) as session:
        person = screened(session, key="sms-first-phone")
        booked = appointments.book(session, a_slot(session).id, "fr", person.id)
        assert case.link_reference(session, "web-other", "nope42") is None
        assert case.link_reference(session, "web-other", booked.reference.lower()).id == person.id
        assert case.person_for(session, "web-other").id == person.id
        assert case.resume(session, "web-other").missing == ["PROOF_OF_RESIDENCE_3_MONTHS", "RESOURCES_12_MONTHS"]


def test_a_social_worker_ticks_a_paper_audited_and_the_sheet_shows_it(db):
    with session_scope(db) as session:
        user = ConsoleUser(name="AS Martin", role="social_worker", password_hash="x")
        session.add(user)
        session.flush()
        worker = {"id": user.id, "name": user.name}
        person = screened(session)
        booked = appointments.book(session, a_slot(session).id, "fr", person.id)
        case.link_appointment(session, person.id, booked, "rights")
        assert case.mark_document_held(session, person.id, "RESOURCES_12_MONTHS", worker) is True
        assert case.mark_document_held(session, person.id, "RESOURCES_12_MONTHS", worker) is False  # once
        with pytest.raises(ValueError):
            case.mark_document_held(session, person.id, "A_DRAWING", worker)
        sheet = case.sheet_view(session, person.id)
        entries = session.execute(select(AuditEntry.action, AuditEntry.detail, AuditEntry.person_id)).all()
    assert entries == [("document_held", "RESOURCES_12_MONTHS", person.id)]
    assert sheet["documents_missing"] == ["PROOF_OF_RESIDENCE_3_MONTHS"]
    held = {d["document"]: d["told_by"] for d in sheet["documents_held"]}
    assert held["RESOURCES_12_MONTHS"] == "worker" and held["ID_WITH_PHOTO"] == "person"
    assert sheet["outcome"]["rules_version"] == case.current_rules_version()
    assert sheet["outcome"]["decided_on"] == TODAY.isoformat() and "AME_FIRST_IN_PERSON" in sheet["outcome"]["rights"]
    assert sheet["appointments"][0]["reference"] == booked.reference and sheet["appointments"][0]["purpose"] == "rights"
    assert sheet["contacts"]["screenings"] and sheet["facts"]["months_in_france"] == 8


def test_unticking_a_paper(db):
    with session_scope(db) as session:
        person = screened(session)
        assert case.mark_document_held(session, person.id, "ID_WITH_PHOTO", WORKER, held_now=False)
        assert "ID_WITH_PHOTO" in case.sheet_view(session, person.id)["documents_missing"]


def test_erasure_takes_the_whole_case_and_keeps_the_anonymous_counts(db, tmp_path):
    with session_scope(db) as session:
        person = screened(session, key="sms-erase-me")
        booked = appointments.book(session, a_slot(session).id, "fr", person.id)
        case.link_appointment(session, person.id, booked, "rights")
        case.link_reference(session, "web-same-person", booked.reference)
        # Erasing from the conversation that proved it with the reference erases the person.
        who = privacy.Identity(("web-same-person",), ("web-same-person",))
        assert privacy.erase(session, str(tmp_path / "tracker.db"), who)["people"] == 1
    with session_scope(db) as session:
        for model in (PersonCase, CaseOutcome, CaseDocument, CaseAppointment, CaseAlias):
            assert session.execute(select(func.count()).select_from(model)).scalar_one() == 0, model
        assert session.execute(select(func.count()).select_from(Screening)).scalar_one() == 1  # anonymous count


def test_a_reference_is_recognised_only_alone_and_only_if_it_is_ours(db):
    with session_scope(db) as session:
        person = screened(session)
        booked = appointments.book(session, a_slot(session).id, "fr", person.id)
        ref = booked.reference
        for text in (ref, ref.lower(), f" réf. : {ref} ", f"Ref {ref}.", f"reference {ref}"):
            assert case.known_reference(session, text) == ref, text
        for text in ("BANANE", f"mon rdv {ref} svp", "ZZZZZZ", ""):
            assert case.known_reference(session, text) is None, text


def test_before_the_three_months_docs_adds_no_version(db):
    slots = {**RIGHTS_SLOTS, "months_in_france": 1}
    with session_scope(db) as session:
        person = screened(session, slots=slots, today=TODAY - timedelta(days=10))
        for _ in range(3):
            assert "REMIND_AT_3_MONTHS" in case.resume(session, "web-case").outcome["rights"]
        assert case.latest(session, person.id).version == 1


def test_a_paper_the_person_says_they_have_later_is_left_out_of_what_is_missing(db):
    """"J'ai maintenant mon acte de naissance" days after the checklist: kept as told by the
    person; a paper not on their list, or named in a negation, changes nothing."""
    with session_scope(db) as session:
        person = screened(session)
        assert case.tell_held(session, "web-case", ["TAX_NOTICE"]) == []  # not on their list
        assert case.tell_held(session, "web-case", ["RESOURCES_12_MONTHS"]) == ["RESOURCES_12_MONTHS"]
        assert case.tell_held(session, "web-case", ["RESOURCES_12_MONTHS"]) == []  # already noted
        resumed = case.resume(session, "web-case")
        held = {d.document: d.told_by for d in case.held(session, person.id)}
        assert case.tell_held(session, "web-nobody", ["RESOURCES_12_MONTHS"]) == []  # no case, nothing kept
    assert resumed.missing == ["PROOF_OF_RESIDENCE_3_MONTHS"]
    assert held["RESOURCES_12_MONTHS"] == "person"
