"""The console's accounts page (coordinators): each member of staff, their role, whether the
account is locked after too many failed logins (bot/console/throttle.py), and the unlock
button. Unlocking is audited; `python -m bot users unlock NAME` does the same from a shell."""
from __future__ import annotations

from typing import Callable

from sanic import response
from sanic.request import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console import audit, throttle
from bot.models import ConsoleUser


def unlock(session: Session, user_id: int, by: dict) -> bool:
    """Unlock an account; whether it was locked."""
    account = session.get(ConsoleUser, user_id)
    if account is None or account.locked_at is None:
        return False
    account.locked_at = None
    audit.record(session, by, "account_unlocked", None, f"compte {account.name}")
    return True


def register(app, staff: Callable, page: Callable, run: Callable, url: str) -> None:
    @app.get("/accounts")
    @staff("coordinator")
    async def accounts_view(request: Request):
        def load(session: Session):
            return [{"id": a.id, "name": a.name, "role": a.role, "active": a.active, "locked_at": a.locked_at}
                    for a in session.execute(select(ConsoleUser).order_by(ConsoleUser.name)).scalars()]

        return page("accounts.html", request, accounts=await run(load, url), lock_after=throttle.LOCK_AFTER)

    @app.post("/accounts/<user_id:int>/unlock")
    @staff("coordinator")
    async def unlock_account(request: Request, user_id: int):
        await run(lambda session: unlock(session, user_id, request.ctx.user), url)
        return response.redirect("/accounts")
