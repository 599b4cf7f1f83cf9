"""The console inbox: by priority then waiting time; a safety message puts a conversation at the
top, marked urgent, its reason updated (suicide and violence told apart)."""
from datetime import timedelta

from bot import handoff, people
from bot.console import triage
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
        # Same priority as the suicidal thoughts: the longest waiting first.
        assert fresh.reason == "emergency" and [h.conversation for h in handoff.inbox(session)] == ["web-2", "sms-3", "sms-1"]
        assert people.find(session, "k3") is not None


def test_answers_not_understood_then_i_want_to_die_is_urgent_suicide_at_the_top(db_url):
    with session_scope(db_url) as session:
        older, _ = handoff.open_handoff(session, "k-old", "web-old", "request_human", "fr", paused=False)
        older.created_at = utcnow() - timedelta(hours=3)
        arabic, _ = handoff.open_handoff(session, "k-ar", "web-ar", "unclear_answers", "ar", paused=False)
        beaten, _ = handoff.open_handoff(session, "k-v", "sms-v", "request_human", "fr", paused=False)
        beaten.created_at = utcnow() - timedelta(hours=1)
        assert [h.conversation for h in handoff.inbox(session)] == ["web-old", "sms-v", "web-ar"]
        # "أريد أن أموت" read as suicidal_thoughts by the channel (bot/channels/incoming.py); then "زوجي يضربني".
        handoff.raise_urgent(session, "k-ar", "web-ar", "suicidal_thoughts", "ar")
        handoff.raise_urgent(session, "k-v", "sms-v", "violence", "fr")
        rows = triage.rows(session)
        assert [r["id"] for r in rows] == [arabic.id, beaten.id, older.id]
        assert rows[0]["urgent"] and rows[0]["reason"] == "suicidal_thoughts"
        assert rows[0]["reasons"] == ["unclear_answers", "suicidal_thoughts"]
        assert rows[1]["reason"] == "violence" and rows[1]["urgent"]  # told apart from the suicide
        handoff.raise_urgent(session, "k-ar", "web-ar", "violence", "ar")  # violence too: suicide stays first
        assert arabic.reason == "suicidal_thoughts" and arabic.reasons == ["unclear_answers", "suicidal_thoughts", "violence"]
        # Filters: the reason among all its reasons, the language.
        assert [r["id"] for r in triage.rows(session, reason="unclear_answers")] == [arabic.id]
        assert [r["id"] for r in triage.rows(session, reason="violence")] == [arabic.id, beaten.id]
        assert [r["id"] for r in triage.rows(session, language="ar")] == [arabic.id]


def test_new_messages_are_counted_until_staff_open_the_sheet_and_claims_show_who(db_url, monkeypatch):
    monkeypatch.setattr(handoff, "is_open", lambda moment=None: True)
    from bot.console import auth

    with session_scope(db_url) as session:
        found, _ = handoff.open_handoff(session, "k1", "web-1", "request_human", "fr", paused=False)
        assert handoff.note_message(session, "nobody", "web-x") is None
        handoff.note_message(session, "k1", "web-1")
        handoff.note_message(session, "k1", "web-1")
        assert triage.rows(session)[0]["unread"] == 2 and found.person.conversation == "web-1"
        handoff.seen(found)
        user = auth.create_user(session, "claire", "social_worker", "a long enough password")
        handoff.claim(session, found, user.id)
        row = triage.rows(session)[0]
        assert (row["unread"], row["claimed_by"], row["status"]) == (0, "claire", "claimed")


def test_a_person_who_writes_while_the_team_is_away_is_a_task_done_by_who_claims(db_url, monkeypatch):
    monkeypatch.setattr(handoff, "is_open", lambda moment=None: False)  # the team is away
    with session_scope(db_url) as session:
        found, _ = handoff.open_handoff(session, "k1", "sms-1", "request_human", "fr", paused=False)
        handoff.note_message(session, "k1", "sms-1")
        kinds = {r.kind: r for r in found.person.requests}
        assert set(kinds) == {"human", "after_hours"} and kinds["after_hours"].status == "open"
        handoff.done_by(found, "claire", ("after_hours",))
        assert (kinds["after_hours"].status, kinds["after_hours"].done_by) == ("done", "claire")
        handoff.resolve(session, found, "claire")
        assert kinds["human"].done_by == "claire" and kinds["human"].done_at is not None


def test_the_expired_ceilings_are_an_open_task_until_a_set_covers_today(db_url):
    from bot.console import tasks
    from bot.rights.rules import default_rules

    latest = default_rules().latest
    after, within = latest.valid_to + timedelta(days=1), latest.valid_to - timedelta(days=1)
    assert tasks.rules_warning(after) == {"set": latest.id, "valid_to": latest.valid_to}
    assert tasks.rules_warning(within) is None
    with session_scope(db_url) as session:
        people.record_request(session, "k1", "callback")
        open_now = tasks.listing(session, "open", after)
        assert [t["kind"] for t in open_now] == ["rules_outdated", "callback"]
        assert latest.valid_to.strftime("%d/%m/%Y") in open_now[0]["detail"]
        assert [t["kind"] for t in tasks.listing(session, "open", within)] == ["callback"]
        assert [t["kind"] for t in tasks.listing(session, "done", within)] == ["rules_outdated"]
        done = tasks.done(session, open_now[1]["id"], "claire")
        assert (done.status, done.done_by) == ("done", "claire") and done.done_at is not None


def test_adding_a_ceilings_set_ends_the_warning_without_a_restart(tmp_path, monkeypatch):
    import os
    import shutil

    import yaml

    from bot.console import tasks
    from bot.rights.rules import RULES_DIR

    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    monkeypatch.setattr(tasks, "RULES_DIR", rules)
    latest = tasks.current_rules().latest
    after = latest.valid_to + timedelta(days=1)
    assert tasks.rules_warning(after) is not None
    data = yaml.safe_load((rules / "ceilings.yaml").read_text(encoding="utf-8"))
    new = {**data["sets"][-1], "id": "next-year", "valid_from": after,
           "valid_to": after.replace(year=after.year + 1) - timedelta(days=1)}
    (rules / "ceilings.yaml").write_text(yaml.safe_dump({**data, "sets": data["sets"] + [new]}, allow_unicode=True),
                                         encoding="utf-8")
    stamp = (rules / "ceilings.yaml").stat().st_mtime + 5  # a later change, whatever the clock's resolution
    os.utime(rules / "ceilings.yaml", (stamp, stamp))
    assert tasks.rules_warning(after) is None
