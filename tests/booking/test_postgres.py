"""The same guarantees on PostgreSQL (the production database). `make test` starts a throwaway
server (scripts/postgres.sh) and passes its URL in TEST_POSTGRES_URL."""
import os

import pytest
from alembic import command
from sqlalchemy import func, select

from bot import database
from bot.booking import appointments
from tests.booking.test_booking import count, race_for_one_slot

POSTGRES = os.environ.get("TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not POSTGRES, reason="TEST_POSTGRES_URL not set (make test sets it)")


@pytest.fixture
def pg_url():
    """A freshly migrated schema: down to nothing, then up again, as a new install would."""
    config = database.alembic_config(POSTGRES)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    yield POSTGRES
    database.engine(POSTGRES).dispose()


def test_migrations_match_the_models_on_postgres(pg_url):
    command.check(database.alembic_config(pg_url))


def test_fifty_people_racing_for_one_slot_get_exactly_one_booking_on_postgres(pg_url):
    results = race_for_one_slot(pg_url)
    assert results.count("booked") == 1 and results.count("taken") == 49
    assert count(pg_url, select(func.count()).select_from(appointments.Appointment)) == 1


def test_a_blocked_slot_moves_its_booked_person_on_postgres(pg_url):
    from bot.booking import openings
    from bot.database import session_scope
    from bot.models import Person
    from tests.booking.test_openings import MONDAY, NOW, STAFF, slot_at, two_sites

    with session_scope(pg_url) as session:
        two_sites(session)
        person = Person(key="pg-person", language="fr")
        session.add(person)
        session.flush()
        appointments.book(session, slot_at(session, "cms_2", MONDAY, "09:00").id, "fr", person.id)
        outcomes = openings.block_days(session, MONDAY, MONDAY, "fermeture", STAFF, site="cms_2", now=NOW)
    assert len(outcomes) == 1 and outcomes[0].new_reference
    with session_scope(pg_url) as session:
        assert appointments.find(session, outcomes[0].new_reference).slot.site == "cms_1"
