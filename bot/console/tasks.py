"""Every request is a task in the console: what a person asked for or needs (call them back,
an interpreter, erase their data, answer what they wrote while the team was away), and the
rights rules past their date. Each one open, or done by whom and when."""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import PersonRequest, utcnow
from bot.rights.rules import RULES_DIR, Rules, default_rules, load_rules

LABELS = {
    "callback": "Pas de créneau libre : rappeler la personne",
    "human": "A demandé à parler à quelqu'un",
    "interpreter": "Interprète demandé",
    "erasure": "Effacement des données demandé",
    "sms_stop": "Ne veut plus de SMS (STOP)",
    "after_hours": "A écrit pendant l'absence de l'équipe",
    "undelivered": "Message non remis (ni WhatsApp ni SMS) : joindre la personne autrement",
    "rules_outdated": "Barème des plafonds périmé : ajouter le nouveau barème",
}
STATES = {"open": "à faire", "done": "fait"}


@lru_cache(maxsize=2)
def _rules_of(changed: float) -> Rules:
    return load_rules(RULES_DIR)


def current_rules() -> Rules:
    """The rules as they are on disk now: a ceilings set added while the console runs ends the
    warning at the next page (a file that does not validate keeps the shipped rules)."""
    try:
        return _rules_of(max(path.stat().st_mtime for path in RULES_DIR.glob("*.yaml")))
    except (OSError, ValueError):
        return default_rules()


def rules_warning(today: date) -> dict[str, Any] | None:
    """The latest ceilings set of bot/rights/ whose validity ended, until a new set is added."""
    rules = current_rules()
    if not rules.is_outdated(today):
        return None
    return {"set": rules.latest.id, "valid_to": rules.valid_until}


def listing(session: Session, state: str = "open", today: date | None = None) -> list[dict[str, Any]]:
    """Tasks, oldest first, in this state (open, done, or all): the expired rules first."""
    tasks: list[dict[str, Any]] = []
    warning = rules_warning(today or utcnow().date())
    if warning and state in ("open", "all"):
        tasks.append({"id": None, "kind": "rules_outdated", "label": LABELS["rules_outdated"], "status": "open",
                      "state": STATES["open"], "person_id": None, "created_at": None, "done_at": None,
                      "done_by": None,
                      "detail": f"le barème {warning['set']} a pris fin le {warning['valid_to'].strftime('%d/%m/%Y')} "
                                "(bot/rights/README.md)"})
    elif warning is None and state in ("done", "all"):
        latest = current_rules().latest  # done when someone added this set (its start is the date we know)
        tasks.append({"id": None, "kind": "rules_outdated", "label": LABELS["rules_outdated"], "status": "done",
                      "state": STATES["done"], "person_id": None, "created_at": None,
                      "done_at": None, "done_by": None,
                      "detail": f"barème {latest.id} en vigueur du {latest.valid_from.strftime('%d/%m/%Y')} "
                                f"au {latest.valid_to.strftime('%d/%m/%Y')}"})
    query = select(PersonRequest).order_by(PersonRequest.created_at, PersonRequest.id)
    if state != "all":
        query = query.where(PersonRequest.status == state)
    for request in session.execute(query).scalars():
        tasks.append({"id": request.id, "kind": request.kind, "label": LABELS.get(request.kind, request.kind),
                      "status": request.status, "state": STATES.get(request.status, request.status),
                      "person_id": request.person_id, "created_at": request.created_at,
                      "done_at": request.done_at, "done_by": request.done_by, "detail": None})
    return tasks


def done(session: Session, task_id: int, user_name: str) -> PersonRequest:
    request = session.get(PersonRequest, task_id)
    if request is None:
        raise LookupError(task_id)
    if request.status != "done":
        request.status, request.done_at, request.done_by = "done", utcnow(), user_name
    return request


def done_for(person, kinds: tuple[str, ...], user_name: str) -> None:
    """The person's open tasks of these kinds are done now by this member of staff (a slot booked
    for them answers "no free time, call me back")."""
    for request in person.requests:
        if request.kind in kinds and request.status == "open":
            request.status, request.done_at, request.done_by = "done", utcnow(), user_name
