from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select

from bot import database, people
from bot.database import alembic_config, session_scope
from bot.models import Person, Screening
from bot.screening import ScreeningResult

KEY = "test-hash-key"
PHONE = "+33612345678"


def test_person_key_is_a_keyed_hash_not_the_channel_id():
    key = people.person_key(PHONE, KEY)
    assert PHONE not in key and len(key) == 64
    assert key == people.person_key(PHONE, KEY)
    assert key != people.person_key(PHONE, "another key")


def test_the_database_file_never_holds_the_phone_number(db_url):
    key = people.person_key(PHONE, KEY)
    with session_scope(db_url) as session:
        people.set_language(session, key, "en")
        people.record_consent(session, key)
        people.record_request(session, key, "human")
    database.engine(db_url).dispose()
    raw = Path(db_url.removeprefix("sqlite:///")).read_bytes()
    assert PHONE.encode() not in raw and b"612345678" not in raw


def test_language_is_remembered(db_url):
    with session_scope(db_url) as session:
        people.set_language(session, "k1", "en")
    with session_scope(db_url) as session:
        assert people.find(session, "k1").language == "en"


def test_answers_are_kept_only_after_consent(db_url):
    answers = dict(health_problem=True, current_cover="none", can_advance_fees=False, saint_denis_link=True)
    with pytest.raises(PermissionError), session_scope(db_url) as session:
        people.set_language(session, "k2", "fr")
        people.save_screening(session, "k2", answers, ScreeningResult(True, ()))
    with session_scope(db_url) as session:
        people.record_consent(session, "k2")
        people.save_screening(session, "k2", answers, ScreeningResult(True, ()))
    with session_scope(db_url) as session:
        person = people.find(session, "k2")
        assert person.consent_version == people.CONSENT_VERSION and person.consent_at is not None
        stored = session.execute(select(Screening)).scalar_one()
        assert (stored.current_cover, stored.pass_eligible, stored.reasons) == ("none", True, [])


def test_a_repeated_request_is_recorded_once(db_url):
    with session_scope(db_url) as session:
        people.record_request(session, "k3", "erasure")
        people.record_request(session, "k3", "erasure")
        people.record_request(session, "k3", "human")
    with session_scope(db_url) as session:
        assert sorted(r.kind for r in people.open_requests(session)) == ["erasure", "human"]


def test_unknown_request_kind_is_refused(db_url):
    with pytest.raises(ValueError), session_scope(db_url) as session:
        people.record_request(session, "k4", "pizza")


def test_migrations_match_the_models(db_url):
    # Fails when a model changes without a migration (alembic autogenerate would find work).
    command.check(alembic_config(db_url))


def test_migrations_go_down_and_up_again(db_url):
    config = alembic_config(db_url)
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    with session_scope(db_url) as session:
        assert session.execute(select(Person)).first() is None


def test_an_erased_persons_id_is_never_given_to_the_next_newcomer(db_url):
    """The audit log outlives erasure: if the next person got the erased one's id, the log would
    say a social worker read the newcomer's sheet."""
    from bot import privacy

    with session_scope(db_url) as session:
        people.set_language(session, "first", "fr")
        newest = people.set_language(session, "erased", "en") or people.find(session, "erased")
        erased_id = newest.id
    with session_scope(db_url) as session:
        assert privacy.erase_people(session, [erased_id]) == 1
    with session_scope(db_url) as session:
        people.set_language(session, "newcomer", "ar")
        assert people.find(session, "newcomer").id > erased_id


def test_ids_erased_before_the_migration_are_not_reused_either(db_url):
    """A database migrated from before 0007o: the erased person's id is only in the audit log."""
    from sqlalchemy import text

    config = alembic_config(db_url)
    command.downgrade(config, "0006s")
    with database.engine(db_url).begin() as connection:
        connection.execute(text("INSERT INTO audit_log (at, user_name, action, person_id) "
                                "VALUES ('2026-01-01 00:00:00', 'AS Dupont', 'view_sheet', 7)"))
    command.upgrade(config, "head")
    with session_scope(db_url) as session:
        people.set_language(session, "after-migration", "fr")
        assert people.find(session, "after-migration").id == 8
