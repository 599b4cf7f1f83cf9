"""The console's web app (Sanic, server-rendered Jinja2 pages with autoescaping).

Every route needs a signed-in member of staff except PUBLIC ones; every POST carries the
session's CSRF token; coordinators alone see the audit log and the dashboard. Each view or
change of a person's data is written to the audit log.
"""
from __future__ import annotations

import asyncio
import hmac
import ipaddress
import math
import os
import secrets
from datetime import date, datetime, time, timedelta
from functools import wraps
from pathlib import Path
from typing import Any, Callable, TypeVar

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sanic import Sanic, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot import case, dashboard, handoff as handoffs, outbox
from bot.limits import store as shared_limits
from bot.booking import appointments
from bot.booking.sites import sites
from bot.console import accounts, audit, auth, canned, openings, search, sheet, tasks, throttle, triage
from bot.actions import reminder_number
from bot.console.rasa_api import RasaApi, messages
from bot.database import session_scope
from bot.models import Appointment, Handoff, Person, utcnow
from bot.outbox import PARIS
from bot.settings import MAX_BODY_BYTES, Settings

T = TypeVar("T")
TEMPLATES = Path(__file__).resolve().parent / "templates"
PUBLIC = {"/login", "/health", "/console.css", "/console.js"}  # everything else needs a session
MAX_REPLY = 1600
HEADERS = {
    "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
    # Our own script only (the inbox's refresh, bot/console/templates/console.js), no CDN.
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
                               "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
}
REASONS = {"request_human": "a demandé une personne", "rights_handoff": "situation à examiner (droits)",
           "unclear_answers": "réponses non comprises", "unsupported_language": "langue non parlée",
           "violence": "violences", "staff": "reprise par l'équipe",
           "emergency": "urgence médicale", "suicidal_thoughts": "idées suicidaires"}
CHANNELS = {"web": "chat web", "sms": "SMS / WhatsApp", "rest": "API"}
LANGUAGES = {"fr": "français", "en": "anglais", "ar": "arabe", "ro": "roumain", "bn": "bengali", "fa": "dari / persan",
             "es": "espagnol", "pt": "portugais"}
POLL_SECONDS = 10  # the inbox asks for its rows again this often (console.js; PASS_CONSOLE_POLL_SECONDS)
COVER_STATES = {"opened": "ouverte", "refused": "refusée", "pending": "en cours"}
CARE = {"medicines": "médicaments", "laboratory": "laboratoire", "radiology": "radiologie", "nursing": "soins infirmiers"}


def paris(moment: datetime | None) -> str:
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") if moment else ""


def waited(moment: datetime) -> str:
    minutes = int((outbox.utcnow() - moment).total_seconds() // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters.update(paris=paris, waited=waited)
    env.globals.update(REASONS=REASONS, CHANNELS=CHANNELS, TASKS=tasks.LABELS, LANGUAGES=LANGUAGES)
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
        # On every page until a new ceilings set is added to bot/rights/rules/ceilings.yaml.
        warning = tasks.rules_warning(outbox.utcnow().astimezone(PARIS).date()) if user else None
        html = templates.get_template(name).render(user=user, csrf=user["csrf"] if user else "",
                                                   rules_warning=warning, **context)
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

    @app.get("/console.js")
    async def js(request: Request) -> HTTPResponse:
        return response.text((TEMPLATES / "console.js").read_text(), content_type="text/javascript; charset=utf-8",
                             headers={"X-Content-Type-Options": "nosniff"})

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
        address, limits = request.remote_addr or request.ip or "", shared_limits()

        def refused(status: int, error: str) -> HTTPResponse:
            fresh = secrets.token_urlsafe(32)
            reply = page("login.html", request, status=status, login_token=fresh, error=error)
            _set_cookie(reply, request, "pass_console_login", fresh, "/login")
            return reply

        wait = throttle.wait_seconds(limits, name, address, cfg.hash_key)
        if wait > 0:  # the password is not even checked
            return refused(429, f"Trop d'essais : réessayez dans {math.ceil(wait)} s.")

        def sign_in(session: Session) -> str | None:
            auth.end_session(session, request.cookies.get(cookie_name(request)))  # never reuse an id
            user = auth.authenticate(session, name, password)
            if user is None:
                failures = throttle.failed(limits, name, address, cfg.hash_key)
                known = auth.find_user(session, name)
                if known is not None and known.locked_at is None and failures >= throttle.LOCK_AFTER:
                    known.locked_at = utcnow()
                    audit.record(session, {"id": known.id, "name": known.name}, "account_locked", None,
                                 f"{failures} essais manqués")
                return None
            if user.locked_at is not None:
                return "locked"
            throttle.succeeded(limits, name, address, cfg.hash_key)
            return auth.start_session(session, user)

        session_id = await run(sign_in, url)
        if session_id == "locked":
            return refused(403, "Ce compte est verrouillé après trop d'essais manqués : un coordinateur "
                                "peut le déverrouiller (page Comptes).")
        if session_id is None:
            return refused(401, "Nom ou mot de passe incorrect.")
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

    def filters(request: Request) -> dict[str, str | None]:
        reason, site, language = (request.args.get(name) or None for name in ("reason", "site", "language"))
        return {"reason": reason if reason in REASONS else None, "site": site if site in sites() else None,
                "language": language if language in LANGUAGES else None}

    @app.get("/")
    @staff()
    async def inbox(request: Request) -> HTTPResponse:
        chosen = filters(request)
        rows = await run(lambda session: triage.rows(session, **chosen), url)
        poll = int(os.environ.get("PASS_CONSOLE_POLL_SECONDS") or POLL_SECONDS)
        return page("inbox.html", request, handoffs=rows, chosen=chosen, sites=sites(), poll=poll,
                    new_messages=sum(h["unread"] for h in rows))

    @app.get("/inbox/rows")
    @staff()
    async def inbox_rows(request: Request) -> HTTPResponse:
        """The inbox's rows for the page's refresh (console.js), no reload: HTML and counts."""
        chosen = filters(request)
        rows = await run(lambda session: triage.rows(session, **chosen), url)
        html = templates.get_template("inbox_rows.html").render(handoffs=rows, csrf=request.ctx.user["csrf"])
        return response.json({"html": html, "count": len(rows), "urgent": sum(h["urgent"] for h in rows),
                              "new_messages": sum(h["unread"] for h in rows)}, headers=HEADERS)

    async def _handoff(handoff_id: int) -> dict | None:
        def load(session: Session):
            h = session.get(Handoff, handoff_id)
            if h is None or h.person_id is None:  # erased: nothing to show
                return None
            return {"id": h.id, "conversation": h.conversation, "person_id": h.person_id,
                    "channel": h.channel, "status": h.status, "paused": h.paused}
        return await run(load, url)

    async def tracker_of(conversation: str | None) -> dict | None:
        """The conversation's events and slots from Rasa; None if there is none or Rasa is away."""
        if not conversation or conversation == "erased":
            return None
        try:
            return await rasa.tracker(conversation)
        except Exception:  # the sheet still shows what the app database holds
            return None

    async def sheet_page(request: Request, person_id: int, handoff_id: int | None = None) -> HTTPResponse:
        conversation = await run(lambda session: (
            session.get(Handoff, handoff_id).conversation if handoff_id else
            (session.get(Person, person_id).conversation if session.get(Person, person_id) else None)), url)
        tracker = await tracker_of(conversation)

        def load(session: Session):
            person = session.get(Person, person_id)
            h = session.get(Handoff, handoff_id) if handoff_id else None
            audit.record(session, request.ctx.user, "view_sheet", person_id,
                         f"handoff {handoff_id}" if handoff_id else "fiche")
            if h is not None:
                handoffs.seen(h)
            return {"handoff": h, "person": person,
                    "sheet": sheet.build(session, person, tracker or {}, cfg.data_key)}

        context = await run(load, url)
        return page("handoff.html", request, messages=messages(tracker or {}), conversation_missing=tracker is None,
                    canned=canned.replies(context["handoff"].language if context["handoff"] else None),
                    back=f"/handoffs/{handoff_id}" if handoff_id else f"/people/{person_id}",
                    COVERS=appointments.COVERS, **context)

    @app.get("/handoffs/<handoff_id:int>")
    @staff()
    async def show(request: Request, handoff_id: int) -> HTTPResponse:
        found = await _handoff(handoff_id)
        if found is None:
            return response.text("introuvable", status=404, headers=HEADERS)
        return await sheet_page(request, found["person_id"], handoff_id)

    @app.get("/people/<person_id:int>")
    @staff()
    async def person_sheet(request: Request, person_id: int) -> HTTPResponse:
        """The sheet of anyone who screened, booked or was handed over (from appointments, tasks, search)."""
        if await run(lambda session: session.get(Person, person_id) is None, url):
            return response.text("introuvable", status=404, headers=HEADERS)
        return await sheet_page(request, person_id)

    def back_to(request: Request, person_id: int) -> HTTPResponse:
        back = request.form.get("back") or ""
        ok = back.startswith(("/handoffs/", "/people/")) and "//" not in back
        return response.redirect(back if ok else f"/people/{person_id}")

    @app.post("/people/<person_id:int>/notes")
    @staff()
    async def add_note(request: Request, person_id: int) -> HTTPResponse:
        text = request.form.get("text") or ""

        def save(session: Session) -> bool:
            if session.get(Person, person_id) is None or not text.strip():
                return False
            sheet.add_note(session, person_id, request.ctx.user["name"], text, cfg.data_key)
            audit.record(session, request.ctx.user, "add_note", person_id)  # never the note itself
            return True

        if not await run(save, url):
            return response.text("note vide ou personne inconnue", status=400, headers=HEADERS)
        return back_to(request, person_id)

    @app.post("/people/<person_id:int>/documents")
    @staff()
    async def tick_document(request: Request, person_id: int) -> HTTPResponse:
        """A social worker ticks a paper the person has (or unticks it): kept in the case, audited."""
        document, held = request.form.get("document") or "", request.form.get("held") == "1"
        try:
            await run(lambda session: case.mark_document_held(session, person_id, document, request.ctx.user, held), url)
        except (LookupError, ValueError):
            return response.text("personne ou pièce inconnue", status=404, headers=HEADERS)
        return back_to(request, person_id)

    @app.post("/people/<person_id:int>/name")
    @staff()
    async def set_name(request: Request, person_id: int) -> HTTPResponse:
        def save(session: Session) -> bool:
            person = session.get(Person, person_id)
            if person is None:
                return False
            search.set_name(person, request.form.get("name") or "", cfg.hash_key, cfg.data_key)
            audit.record(session, request.ctx.user, "set_name", person_id)
            return True

        if not await run(save, url):
            return response.text("personne inconnue", status=404, headers=HEADERS)
        return back_to(request, person_id)

    @app.post("/people/<person_id:int>/appointments")
    @staff()
    async def book_for(request: Request, person_id: int) -> HTTPResponse:
        """Book, move or cancel a slot for the person (bot.booking.appointments does the work:
        reminders scheduled or cancelled with it)."""
        action, reference = request.form.get("action") or "", request.form.get("reference") or ""
        slot_id = request.form.get("slot_id") or ""

        def save(session: Session) -> str | None:
            person = session.get(Person, person_id)
            if person is None:
                return "personne inconnue"
            mine = {a.reference for a in session.query(Appointment).filter(Appointment.person_id == person_id)}
            if action in ("move", "cancel") and reference not in mine:
                return "rendez-vous inconnu pour cette personne"
            if action in ("book", "move") and not slot_id.isdigit():
                return "choisissez un créneau"
            if action == "book":
                done = appointments.book(session, int(slot_id), person.language or "fr", person_id)
                tasks.done_for(person, ("callback",), request.ctx.user["name"])
            elif action == "move":
                done = appointments.reschedule(session, reference, int(slot_id))
            elif action == "cancel":
                done = appointments.cancel(session, reference)
            else:
                return "action inconnue"
            audit.record(session, request.ctx.user, f"{action}_appointment", person_id, f"rdv {done.reference}")
            return None

        try:
            error = await run(save, url)
        except appointments.SlotTaken:
            error = "ce créneau vient d'être pris ou bloqué : choisissez-en un autre"
        if error:
            return response.text(error, status=409, headers=HEADERS)
        return back_to(request, person_id)

    @app.get("/search")
    @staff()
    async def search_view(request: Request) -> HTTPResponse:
        query = (request.args.get("q") or "").strip()[:100]

        def load(session: Session):
            how, found = search.find(session, query, cfg.hash_key)
            if query:  # who looked for whom: the query itself may be a number, it is not kept
                audit.record(session, request.ctx.user, "search", found[0].id if len(found) == 1 else None,
                             f"par {how}, {len(found)} trouvé(s)")
            return how, [{"id": p.id, "language": p.language, "last_seen_at": p.last_seen_at} for p in found]

        how, found = await run(load, url)
        if len(found) == 1:
            return response.redirect(f"/people/{found[0]['id']}")
        return page("search.html", request, query=query, how=how, found=found)

    # --- tasks --------------------------------------------------------------------------------

    @app.get("/tasks")
    @staff()
    async def tasks_view(request: Request) -> HTTPResponse:
        state = request.args.get("state") if request.args.get("state") in ("open", "done", "all") else "open"
        rows = await run(lambda session: tasks.listing(session, state, outbox.utcnow().astimezone(PARIS).date()), url)
        return page("tasks.html", request, tasks=rows, state=state)

    @app.post("/tasks/<task_id:int>/done")
    @staff()
    async def task_done(request: Request, task_id: int) -> HTTPResponse:
        def save(session: Session) -> None:
            task = tasks.done(session, task_id, request.ctx.user["name"])
            audit.record(session, request.ctx.user, f"task_done_{task.kind}", task.person_id)

        try:
            await run(save, url)
        except LookupError:
            return response.text("tâche inconnue", status=404, headers=HEADERS)
        back = request.form.get("back") or ""
        return response.redirect(back if back.startswith(("/handoffs/", "/people/", "/tasks")) and "//" not in back
                                 else "/tasks")

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
            handoffs.done_by(h, request.ctx.user["name"], ("after_hours",))  # someone answers now
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
            handoffs.resolve(session, h, request.ctx.user["name"])
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
                     "care": a.care_obtained or [], "follow_up": a.follow_up,
                     "starts": a.slot.start_at, "person_id": a.person_id}
                    for a in appointments.between(session, start, end, site)]
            audit.record(session, request.ctx.user, "view_appointments", None,
                         f"{site or 'tous sites'} {'semaine' if week else 'jour'} {first.isoformat()}")
            return rows

        rows = await run(load, url)
        return page("appointments.html", request, rows=rows, sites=sites(), site=site, week=week, day=day,
                    first=first, previous=first - timedelta(days=7 if week else 1),
                    next=first + timedelta(days=7 if week else 1), COVERS=appointments.COVERS,
                    COVER_STATES=COVER_STATES, CARE=CARE)

    @app.post("/appointments/<appointment_id:int>")
    @staff()
    async def record_visit(request: Request, appointment_id: int) -> HTTPResponse:
        status = request.form.get("status") or ""
        covers = {cover: request.form.get(cover) for cover in appointments.COVERS if request.form.get(cover)}
        care = [kind for kind in appointments.CARE if request.form.get(f"care_{kind}")]
        follow_up = request.form.get("follow_up") == "yes"

        def save(session: Session) -> int | None:
            appointment = appointments.record_visit(session, appointment_id, status, covers, care, follow_up)
            audit.record(session, request.ctx.user, f"mark_{status}", appointment.person_id,
                         f"rdv {appointment.reference} {covers or ''} {' '.join(care)}{' suivi' if follow_up else ''}")
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
        by_month = figures if by == "month" else await table(first, last, "month")
        return page("dashboard.html", request, figures=figures, first=first, last=last, by=by, funnel=funnel,
                    DIMENSIONS=dashboard.DIMENSIONS, METRICS=dashboard.METRICS, LABELS=dashboard.LABELS,
                    shown=dashboard.shown, label=dashboard.label, trend=Markup(dashboard.trend_svg(by_month)))

    @app.get("/dashboard.csv")
    @staff("coordinator")
    async def dashboard_csv(request: Request) -> HTTPResponse:
        first, last, by = period(request)
        body = dashboard.to_csv(await table(first, last, by), by)
        return response.text(body, content_type="text/csv; charset=utf-8", headers={
            **HEADERS, "Content-Disposition": f'attachment; filename="pass-{by}-{first}-{last}.csv"'})

    openings.register(app, staff=staff, page=page, run=run, url=url, day_of=_day)  # block slots, days, sites
    accounts.register(app, staff=staff, page=page, run=run, url=url)  # coordinators unlock accounts
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
    from bot import logs

    app = create_app(cfg)
    logs.use_json_lines()  # after Sanic has set up its loggers
    app.run(host="127.0.0.1", port=port, access_log=False, workers=1)
