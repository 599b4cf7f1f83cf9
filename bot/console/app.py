"""The console's web app (Sanic, server-rendered Jinja2 pages with autoescaping).

Every route needs a signed-in member of staff except PUBLIC ones; every POST carries the
session's CSRF token; coordinators alone see the audit log and the dashboard. Each view or
change of a person's data is written to the audit log.
"""
from __future__ import annotations

import asyncio
import hmac
import ipaddress
import secrets
from datetime import date, datetime, time, timedelta
from functools import wraps
from pathlib import Path
from typing import Any, Callable, TypeVar

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot import dashboard, handoff as handoffs, outbox
from bot.booking import appointments
from bot.booking.sites import sites
from bot.console import audit, auth, canned, sheet
from bot.actions import reminder_number
from bot.console.rasa_api import RasaApi, messages
from bot.database import session_scope
from bot.models import Handoff
from bot.outbox import PARIS
from bot.settings import MAX_BODY_BYTES, Settings

T = TypeVar("T")
TEMPLATES = Path(__file__).resolve().parent / "templates"
PUBLIC = {"/login", "/health", "/console.css"}  # everything else needs a session
MAX_REPLY = 1600
HEADERS = {
    "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
}
REASONS = {"request_human": "a demandé une personne", "rights_handoff": "situation à examiner (droits)",
           "unclear_answers": "réponses non comprises", "unsupported_language": "langue non parlée",
           "violence": "violence / détresse", "staff": "reprise par l'équipe",
           "emergency": "urgence médicale", "suicidal_thoughts": "idées suicidaires"}
CHANNELS = {"web": "chat web", "sms": "SMS / WhatsApp", "rest": "API"}
COVER_STATES = {"opened": "ouverte", "refused": "refusée", "pending": "en cours"}


def paris(moment: datetime | None) -> str:
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") if moment else ""


def waited(moment: datetime) -> str:
    minutes = int((outbox.utcnow() - moment).total_seconds() // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters.update(paris=paris, waited=waited)
    env.globals.update(REASONS=REASONS, CHANNELS=CHANNELS)
    return env


async def run(work: Callable[[Session], T], url: str) -> T:
    def unit() -> T:
        with session_scope(url) as session:
            return work(session)

    return await asyncio.to_thread(unit)


def _loopback_http(request: Request) -> bool:
    """Plain http on this machine (development): browsers would drop a Secure cookie."""
    if request.headers.get("x-forwarded-proto") or request.scheme != "http":
        return False
    try:
        return ipaddress.ip_address(request.host.rsplit(":", 1)[0].strip("[]")).is_loopback
    except ValueError:
        return request.host.split(":")[0] == "localhost"


def create_app(cfg: Settings) -> Sanic:
    app = Sanic("pass_console", register=False)
    app.config.FORWARDED_SECRET = None
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES

    @app.on_response
    async def security_headers(request: Request, reply: HTTPResponse) -> None:
        # Sanic's own pages (404, 405, 413, 500) get them too.
        for name, value in HEADERS.items():
            reply.headers.setdefault(name, value)
    templates = _templates()
    rasa = RasaApi(cfg)
    url = cfg.database_url

    def cookie_name(request: Request) -> str:
        return "pass_console" if _loopback_http(request) else "__Host-pass_console"

    def page(name: str, request: Request, status: int = 200, **context: Any) -> HTTPResponse:
        user = getattr(request.ctx, "user", None)
        html = templates.get_template(name).render(user=user, csrf=user["csrf"] if user else "", **context)
        return response.html(html, status=status, headers=HEADERS)

    def staff(*roles: str):
        """Signed-in staff only (and these roles, if given); POSTs must carry the CSRF token."""
        def wrap(handler):
            @wraps(handler)
            async def checked(request: Request, *args, **kwargs):
                session_id = request.cookies.get(cookie_name(request))

                def load(session: Session):
                    found = auth.current(session, session_id)
                    if found is None:
                        return None
                    row, user = found
                    return {"id": user.id, "name": user.name, "role": user.role, "csrf": row.csrf_token}

                user = await run(load, url)
                if user is None:
                    return response.redirect("/login") if request.method == "GET" else _forbidden()
                if roles and user["role"] not in roles:
                    return _forbidden()
                if request.method != "GET" and not hmac.compare_digest(
                        (request.form.get("csrf") or "").encode(), user["csrf"].encode()):
                    return _forbidden()
                request.ctx.user = user
                return await handler(request, *args, **kwargs)
            return checked
        return wrap

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        return response.text("ok")

    @app.get("/console.css")
    async def css(request: Request) -> HTTPResponse:
        return response.text((TEMPLATES / "console.css").read_text(), content_type="text/css; charset=utf-8",
                             headers={"X-Content-Type-Options": "nosniff"})

    # --- signing in and out -------------------------------------------------------------------

    @app.get("/login")
    async def login_page(request: Request) -> HTTPResponse:
        token = secrets.token_urlsafe(32)  # double-submit token against login CSRF
        reply = page("login.html", request, login_token=token, error=None)
        _set_cookie(reply, request, "pass_console_login", token, "/login")
        return reply

    @app.post("/login")
    async def login(request: Request) -> HTTPResponse:
        token = request.form.get("login_token") or ""
        if not token or not hmac.compare_digest(token.encode(), (request.cookies.get("pass_console_login") or "").encode()):
            return _forbidden()
        name, password = request.form.get("name") or "", request.form.get("password") or ""

        def sign_in(session: Session) -> str | None:
            auth.end_session(session, request.cookies.get(cookie_name(request)))  # never reuse an id
            user = auth.authenticate(session, name, password)
            return auth.start_session(session, user) if user else None

        session_id = await run(sign_in, url)
        if session_id is None:
            token = secrets.token_urlsafe(32)
            reply = page("login.html", request, status=401, login_token=token,
                         error="Nom ou mot de passe incorrect.")
            _set_cookie(reply, request, "pass_console_login", token, "/login")
            return reply
        reply = response.redirect("/")
        _set_cookie(reply, request, cookie_name(request), session_id, "/")
        return reply

    @app.post("/logout")
    @staff()
    async def logout(request: Request) -> HTTPResponse:
        session_id = request.cookies.get(cookie_name(request))
        await run(lambda session: auth.end_session(session, session_id), url)
        reply = response.redirect("/login")
        del reply.cookies[cookie_name(request)]
        return reply

    # --- handoffs -----------------------------------------------------------------------------

    @app.get("/")
    @staff()
    async def inbox(request: Request) -> HTTPResponse:
        rows = await run(lambda session: [
            {"id": h.id, "created_at": h.created_at, "language": h.language, "channel": h.channel,
             "reason": h.reason, "status": h.status, "claimed_at": h.claimed_at, "urgent_at": h.urgent_at}
            for h in handoffs.inbox(session)], url)
        return page("inbox.html", request, handoffs=rows)

    async def _handoff(handoff_id: int) -> dict | None:
        def load(session: Session):
            h = session.get(Handoff, handoff_id)
            if h is None or h.person_id is None:  # erased: nothing to show
                return None
            return {"id": h.id, "conversation": h.conversation, "person_id": h.person_id,
                    "channel": h.channel, "status": h.status, "paused": h.paused}
        return await run(load, url)

    @app.get("/handoffs/<handoff_id:int>")
    @staff()
    async def show(request: Request, handoff_id: int) -> HTTPResponse:
        found = await _handoff(handoff_id)
        if found is None:
            return response.text("introuvable", status=404, headers=HEADERS)
        tracker = await rasa.tracker(found["conversation"])

        def load(session: Session):
            h = session.get(Handoff, handoff_id)
            audit.record(session, request.ctx.user, "view_sheet", h.person_id, f"handoff {h.id}")
            return {"handoff": h, "sheet": sheet.build(session, h, tracker.get("slots") or {})}

        context = await run(load, url)
        return page("handoff.html", request, messages=messages(tracker),
                    canned=canned.replies(context["handoff"].language), **context)

    @app.post("/handoffs/<handoff_id:int>/claim")
    @staff()
    async def claim(request: Request, handoff_id: int) -> HTTPResponse:
        found = await _handoff(handoff_id)
        if found is None or found["status"] == "resolved":
            return response.text("cette demande est close", status=409, headers=HEADERS)
        if not found["paused"]:
            await rasa.pause(found["conversation"])  # the bot goes silent before anyone answers

        def save(session: Session) -> None:
            h = session.get(Handoff, handoff_id)
            handoffs.claim(session, h, request.ctx.user["id"])
            audit.record(session, request.ctx.user, "claim", h.person_id, f"handoff {h.id}")

        await run(save, url)
        return response.redirect(f"/handoffs/{handoff_id}")

    @app.post("/handoffs/<handoff_id:int>/reply")
    @staff()
    async def reply(request: Request, handoff_id: int) -> HTTPResponse:
        text = (request.form.get("text") or "").strip()[:MAX_REPLY]
        found = await _handoff(handoff_id)
        if found is None or found["status"] != "claimed" or not text:
            return response.text("prenez la demande en charge et écrivez un message", status=409, headers=HEADERS)

        def send_sms(session: Session) -> bool:
            person = session.get(Handoff, handoff_id).person
            if found["channel"] != "sms":
                if person is not None:  # a web-chat person who gave a number: "an answer is waiting"
                    reminder_number.answer_waiting(session, person, cfg.data_key)
                return True
            if person.phone_encrypted is None or person.sms_opted_out_at is not None:
                return False  # no number, or they wrote STOP
            outbox.enqueue_reply(session, person.id, text, kind="staff_reply")  # the SMS worker sends it
            return True

        if not await run(send_sms, url):
            return response.text("cette personne ne reçoit pas de SMS (pas de numéro ou STOP)", status=409, headers=HEADERS)
        await rasa.say(found["conversation"], text)  # the web chat shows it; the console keeps it
        await run(lambda session: audit.record(session, request.ctx.user, "reply", found["person_id"],
                                               f"handoff {handoff_id}, {found['channel']}"), url)
        return response.redirect(f"/handoffs/{handoff_id}")

    @app.post("/handoffs/<handoff_id:int>/resolve")
    @staff()
    async def resolve(request: Request, handoff_id: int) -> HTTPResponse:
        found = await _handoff(handoff_id)
        if found is None or found["status"] == "resolved":
            return response.text("cette demande est close", status=409, headers=HEADERS)
        await rasa.resume(found["conversation"])  # the bot answers this person again

        def save(session: Session) -> None:
            h = session.get(Handoff, handoff_id)
            handoffs.resolve(session, h)
            audit.record(session, request.ctx.user, "resolve", h.person_id, f"handoff {h.id}")

        await run(save, url)
        return response.redirect("/")

    # --- appointments -------------------------------------------------------------------------

    @app.get("/appointments")
    @staff()
    async def appointments_view(request: Request) -> HTTPResponse:
        site = request.args.get("site") or None
        site = site if site in sites() else None
        week = request.args.get("view") == "week"
        day = _day(request.args.get("day"), outbox.utcnow().astimezone(PARIS).date())
        first = day - timedelta(days=day.weekday()) if week else day
        start = datetime.combine(first, time.min, PARIS)
        end = datetime.combine(first + timedelta(days=7 if week else 1), time.min, PARIS)

        def load(session: Session):
            rows = [{**appointments.as_json(a), "id": a.id, "covers": a.rights_obtained or {},
                     "starts": a.slot.start_at} for a in appointments.between(session, start, end, site)]
            audit.record(session, request.ctx.user, "view_appointments", None,
                         f"{site or 'tous sites'} {'semaine' if week else 'jour'} {first.isoformat()}")
            return rows

        rows = await run(load, url)
        return page("appointments.html", request, rows=rows, sites=sites(), site=site, week=week, day=day,
                    first=first, previous=first - timedelta(days=7 if week else 1),
                    next=first + timedelta(days=7 if week else 1), COVERS=appointments.COVERS,
                    COVER_STATES=COVER_STATES)

    @app.post("/appointments/<appointment_id:int>")
    @staff()
    async def record_visit(request: Request, appointment_id: int) -> HTTPResponse:
        status = request.form.get("status") or ""
        covers = {cover: request.form.get(cover) for cover in appointments.COVERS if request.form.get(cover)}

        def save(session: Session) -> int | None:
            appointment = appointments.record_visit(session, appointment_id, status, covers)
            audit.record(session, request.ctx.user, f"mark_{status}", appointment.person_id,
                         f"rdv {appointment.reference} {covers or ''}")
            return appointment.person_id

        try:
            await run(save, url)
        except (ValueError, LookupError):
            return response.text("rendez-vous ou valeur inconnus", status=400, headers=HEADERS)
        return response.redirect(request.form.get("back") if (request.form.get("back") or "").startswith("/appointments")
                                  else "/appointments")

    # --- coordinators: audit log and dashboard ------------------------------------------------

    @app.get("/audit")
    @staff("coordinator")
    async def audit_log(request: Request) -> HTTPResponse:
        entries = await run(lambda session: [
            {"at": e.at, "user": e.user_name, "action": e.action, "person_id": e.person_id, "detail": e.detail}
            for e in audit.latest(session)], url)
        return page("audit.html", request, entries=entries)

    def period(request: Request) -> tuple[date, date, str]:
        today = outbox.utcnow().astimezone(PARIS).date()
        first = _day(request.args.get("from"), today - timedelta(days=30))
        last = _day(request.args.get("to"), today)
        by = request.args.get("by") if request.args.get("by") in dashboard.DIMENSIONS else "language"
        return first, last, by

    async def table(first: date, last: date, by: str) -> dict:
        start = datetime.combine(first, time.min, PARIS)
        end = datetime.combine(last + timedelta(days=1), time.min, PARIS)
        return await run(lambda session: dashboard.figures(session, start, end, by), url)

    @app.get("/dashboard")
    @staff("coordinator")
    async def dashboard_view(request: Request) -> HTTPResponse:
        first, last, by = period(request)
        figures = await table(first, last, by)
        total = figures[dashboard.TOTAL]
        top = max([total[m] for m in dashboard.FUNNEL] + [1])
        # Bars from the shown figures: a group of 1 to 4 is drawn as 4, like every "<5".
        funnel = [{"label": dashboard.LABELS[m], "shown": dashboard.shown(total[m], m),
                   "width": round(100 * (dashboard.SMALL - 1 if 0 < total[m] < dashboard.SMALL else total[m]) / top)}
                  for m in dashboard.FUNNEL]
        return page("dashboard.html", request, figures=figures, first=first, last=last, by=by, funnel=funnel,
                    DIMENSIONS=dashboard.DIMENSIONS, METRICS=dashboard.METRICS, LABELS=dashboard.LABELS,
                    shown=dashboard.shown)

    @app.get("/dashboard.csv")
    @staff("coordinator")
    async def dashboard_csv(request: Request) -> HTTPResponse:
        first, last, by = period(request)
        body = dashboard.to_csv(await table(first, last, by), by)
        return response.text(body, content_type="text/csv; charset=utf-8", headers={
            **HEADERS, "Content-Disposition": f'attachment; filename="pass-{by}-{first}-{last}.csv"'})

    return app


# Dates asked in a URL: outside these years datetime arithmetic overflows (0001-01-01, 9999-12-31).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _day(value: str | None, default: date) -> date:
    """A date of the query string; absent: the default; unreadable or absurd: 400."""
    if not value:
        return default
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidUsage("date attendue au format AAAA-MM-JJ") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidUsage(f"date entre {FIRST_YEAR} et {LAST_YEAR} attendue")
    return day


def _forbidden() -> HTTPResponse:
    return response.text("interdit", status=403, headers=HEADERS)


def _set_cookie(reply: HTTPResponse, request: Request, name: str, value: str, path: str) -> None:
    reply.cookies[name] = value
    cookie = reply.cookies[name]
    cookie["path"] = path
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    if not _loopback_http(request):
        cookie["secure"] = True


def serve(cfg: Settings, port: int) -> None:
    create_app(cfg).run(host="127.0.0.1", port=port, access_log=False, workers=1)
