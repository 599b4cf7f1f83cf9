"""The console inbox: a safety message puts a conversation at the top, marked urgent."""
from datetime import timedelta

from bot import handoff, people
from bot.database import session_scope
from bot.models import utcnow


def test_an_urgent_handoff_goes_to_the_top_of_the_inbox_and_a_second_alarm_reuses_it(db_url):
    with session_scope(db_url) as session:
        first, _ = handoff.open_handoff(session, "k1", "sms-1", "request_human", "fr", paused=False)
        second, _ = handoff.open_handoff(session, "k2", "web-2", "request_human", "ar", paused=False)
        first.created_at = utcnow() - timedelta(hours=2)
        assert [h.conversation for h in handoff.inbox(session)] == ["sms-1", "web-2"]
        urgent = handoff.raise_urgent(session, "k2", "web-2", "suicidal_thoughts", "ar")
        assert urgent.id == second.id and urgent.urgent_at is not None and not urgent.paused
        assert [h.conversation for h in handoff.inbox(session)] == ["web-2", "sms-1"]
        fresh = handoff.raise_urgent(session, "k3", "sms-3", "emergency", "fa")  # none open: one is opened
        assert fresh.reason == "emergency" and [h.conversation for h in handoff.inbox(session)][0] == "sms-3"
        assert len(handoff.inbox(session)) == 3
        assert people.find(session, "k3") is not None
