"""The console's openings page: a day's slots by site, block a slot or close a site for some
days (reason required, audited), offer a slot again. The moving of booked people and their SMS
is bot/booking/openings.py; this is only its web form. Social workers and coordinators alike."""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable
from urllib.parse import urlencode

from sanic import response
from sanic.request import Request
from sqlalchemy.orm import Session

from bot import outbox
from bot.booking import openings
from bot.booking.sites import sites
from bot.settings import PARIS


def register(app, staff: Callable, page: Callable, run: Callable, url: str, day_of: Callable) -> None:
    """Add the routes to the console app (called by bot/console/app.py create_app)."""

    def back(form_or_args, **result: Any) -> str:
        site = form_or_args.get("site") or ""
        query = {"site": site if site in sites() else "", "day": form_or_args.get("day") or ""}
        return "/openings?" + urlencode({**query, **{k: v for k, v in result.items() if v not in (None, "")}})

    def summary(outcomes: list[openings.Outcome]) -> dict[str, Any]:
        return {"moved": sum(1 for o in outcomes if o.new_reference),
                "cancelled": sum(1 for o in outcomes if not o.new_reference),
                "untold": ",".join(o.new_reference or o.old_reference for o in outcomes if not o.told_by_sms)}

    @app.get("/openings")
    @staff()
    async def openings_view(request: Request):
        today = outbox.utcnow().astimezone(PARIS).date()
        day = day_of(request.args.get("day"), today)
        site = request.args.get("site") if request.args.get("site") in sites() else None

        def load(session: Session):
            rows = [{"id": slot.id, "site": slot.site, "starts": slot.start_at, "blocked": slot.blocked,
                     "reason": slot.blocked_reason, "reference": booking.reference if booking else None}
                    for slot, booking in openings.day_slots(session, day, site)]
            closed = [{"site": c.site, "first": c.first_day, "last": c.last_day, "reason": c.reason, "by": c.created_by}
                      for c in openings.closures(session, today)]
            return rows, closed

        rows, closed = await run(load, url)
        result = {name: request.args.get(name) for name in ("moved", "cancelled", "untold", "error")}
        return page("openings.html", request, rows=rows, closures=closed, sites=sites(), site=site, day=day,
                    previous=day - timedelta(days=1), next=day + timedelta(days=1), result=result,
                    weeks=openings.weeks_ahead())

    @app.post("/openings/slots/<slot_id:int>/block")
    @staff()
    async def block_slot(request: Request, slot_id: int):
        user = request.ctx.user
        try:
            outcomes = await run(lambda session: openings.block_slot(
                session, slot_id, request.form.get("reason") or "", user), url)
        except ValueError:
            return response.redirect(back(request.form, error="Indiquez un motif."))
        except LookupError:
            return response.text("créneau introuvable", status=404)
        return response.redirect(back(request.form, **summary(outcomes)))

    @app.post("/openings/slots/<slot_id:int>/unblock")
    @staff()
    async def unblock_slot(request: Request, slot_id: int):
        user = request.ctx.user
        try:
            await run(lambda session: openings.unblock_slot(session, slot_id, user), url)
        except LookupError:
            return response.text("créneau introuvable", status=404)
        return response.redirect(back(request.form))

    @app.post("/openings/close")
    @staff()
    async def close(request: Request):
        user = request.ctx.user
        site = request.form.get("site") or None
        if site is not None and site not in sites():
            return response.text("site inconnu", status=400)
        try:
            first = day_of(request.form.get("first"), None)
            last = day_of(request.form.get("last"), first)
            if first is None:
                raise ValueError
            outcomes = await run(lambda session: openings.block_days(
                session, first, last, request.form.get("reason") or "", user, site=site), url)
        except ValueError:
            return response.redirect(back(request.form, error="Indiquez les dates (la fin après le début) et un motif."))
        return response.redirect(back({"site": site or "", "day": first.isoformat()}, **summary(outcomes)))
