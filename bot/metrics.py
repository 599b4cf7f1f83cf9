"""The figures an operator watches, for Prometheus (prometheus-client): every process serves its
own on 127.0.0.1 at the port the launcher gives it (PASS_METRICS_PORT; `make run` prints them).

- Rasa servers: turns and their latency by channel, turns that failed (the person read "try
  again later").
- SMS workers: what the app database says at each scrape, so that several workers agree: handoffs
  waiting and the oldest wait, the outbox due and not sent, SMS sent and failed over the last
  24 hours by kind (reminders among them). No number, no text, no person in any label.
- Console: failed logins.
"""
from __future__ import annotations

import logging
import os
import time
from contextlib import contextmanager
from datetime import timedelta
from typing import Iterator

from prometheus_client import REGISTRY, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

TURN_SECONDS = Histogram("pass_turn_seconds", "Time to answer one message, by channel", ["channel"],
                         buckets=(0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10, 30))
TURN_FAILURES = Counter("pass_turn_failures_total", "Messages answered 'try again later' (a database away)",
                        ["channel"])
LOGIN_FAILURES = Counter("pass_console_login_failures_total", "Console logins refused (wrong name or password)")


@contextmanager
def turn(channel: str) -> Iterator[None]:
    """Time one turn of `channel` (web, sms, rest); a turn that raises counts as failed."""
    started = time.perf_counter()
    try:
        yield
    except Exception:
        TURN_FAILURES.labels(channel).inc()
        raise
    finally:
        TURN_SECONDS.labels(channel).observe(time.perf_counter() - started)


class DatabaseFigures:
    """Read at each scrape from the app database (a collector: no state in the process)."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    def collect(self):
        from sqlalchemy import func, select

        from bot.database import session_scope
        from bot.models import Handoff, OutboundSms, utcnow

        now = utcnow()
        waiting = GaugeMetricFamily("pass_handoffs_waiting", "Handed-over conversations nobody has claimed yet",
                                    labels=["urgent"])
        oldest = GaugeMetricFamily("pass_handoff_oldest_wait_seconds", "How long the oldest unclaimed handoff has waited")
        due = GaugeMetricFamily("pass_outbox_due", "SMS due and not sent yet (backlog), by kind", labels=["kind"])
        sent = GaugeMetricFamily("pass_sms_sent_24h", "SMS handed to Twilio over the last 24 hours, by kind",
                                 labels=["kind"])
        failed = GaugeMetricFamily("pass_sms_failed_24h", "SMS that failed over the last 24 hours, by kind",
                                   labels=["kind"])
        try:
            with session_scope(self.database_url) as session:
                rows = session.execute(select(Handoff.urgent_at.is_not(None), func.count(), func.min(Handoff.created_at))
                                       .where(Handoff.status == "waiting").group_by(Handoff.urgent_at.is_not(None))).all()
                first = None
                for urgent, count, created in rows:
                    waiting.add_metric(["yes" if urgent else "no"], count)
                    first = created if first is None or (created and created < first) else first
                oldest.add_metric([], (now - first).total_seconds() if first else 0)
                day = now - timedelta(hours=24)
                for family, condition in ((due, (OutboundSms.status == "pending") & (OutboundSms.due_at <= now)),
                                          (sent, OutboundSms.status.in_(("sent", "delivered")) & (OutboundSms.sent_at >= day)),
                                          (failed, (OutboundSms.status == "failed") & (OutboundSms.due_at >= day))):
                    for kind, count in session.execute(select(OutboundSms.kind, func.count()).where(condition)
                                                       .group_by(OutboundSms.kind)).all():
                        family.add_metric([kind], count)
        except Exception as error:  # the database is away: the scrape still answers, without these
            logger.warning("metrics: the app database could not be read (%s)", type(error).__name__)
            return
        yield from (waiting, oldest, due, sent, failed)


def serve_safely(database_url: str | None = None) -> int | None:
    """serve(), but a process never fails to start because of its figures (a port taken)."""
    try:
        return serve(database_url)
    except OSError as error:
        logger.warning("metrics not served: %s", error.strerror)
        return None


def serve(database_url: str | None = None) -> int | None:
    """Serve this process's figures at PASS_METRICS_PORT (unset: none). With `database_url`,
    the app database's figures too (the SMS workers)."""
    port = int(os.environ.get("PASS_METRICS_PORT") or 0)
    if not port:
        return None
    if database_url:
        REGISTRY.register(DatabaseFigures(database_url))
    start_http_server(port, addr="127.0.0.1")
    return port
