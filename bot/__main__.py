"""Command line: `python -m bot <command>`."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from bot import database, kit, launcher, settings, training
from bot.booking.appointments import STATUSES as APPOINTMENT_STATUSES
from bot.i18n import SUPPORTED_LANGUAGES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Saint-Denis PASS assistant")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="train if needed, migrate the database, start every process")
    run.add_argument("--profile", choices=["dev", "prod"], default="dev",
                     help="prod: two Rasa and two action replicas behind nginx, PostgreSQL, Redis (make run-prod)")
    train = commands.add_parser("train", help="train the model if its inputs changed")
    train.add_argument("--force", action="store_true", help="train even if the model is up to date")
    commands.add_parser("nlu-report", help="per-language intent figures on the held-out examples")
    commands.add_parser("sms-report", help="the SMS texts that cost the most segments")
    slots = commands.add_parser("slots", help="appointment slots")
    slots.add_argument("action", choices=["generate", "keep", "block", "unblock", "demo"],
                       help="generate: create the missing slots from the weekly openings; keep: do it now and "
                            "every day, PASS_OPENINGS_WEEKS ahead (make run starts it); block: take a slot "
                            "(--slot) or days (--day [--to] [--site]) out, moving whoever was booked; unblock: "
                            "offer a slot again; demo: demo openings on an empty development database")
    slots.add_argument("--days", type=int, default=28, help="generate: how many days ahead (default 28)")
    slots.add_argument("--slot", type=int, help="block / unblock: the slot id (shown in the console)")
    slots.add_argument("--day", type=date.fromisoformat, help="block: the first closed day, YYYY-MM-DD")
    slots.add_argument("--to", type=date.fromisoformat, help="block: the last closed day (default: --day)")
    slots.add_argument("--site", help="block: the site closed (default: every site)")
    slots.add_argument("--reason", help="block: why (sick leave, centre closed...), kept in the audit log")
    workers = commands.add_parser("workers", help="social workers")
    workers.add_argument("action", choices=["add"])
    workers.add_argument("name")
    workers.add_argument("--site", required=True, help="a site id of bot/booking/sites.yaml")
    workers.add_argument("--weekly", required=True, help='openings, e.g. "mon 09:00-12:30, thu 14:00-17:00"')
    appointments = commands.add_parser("appointments", help="appointments")
    appointments.add_argument("action", choices=["list"])
    appointments.add_argument("--json", action="store_true", help="one JSON array (reference, site, start, status, language)")
    appointments.add_argument("--status", choices=APPOINTMENT_STATUSES)
    sms = commands.add_parser("sms", help="SMS: the worker that sends them, the outbox, a simulated phone")
    sms.add_argument("action", choices=["worker", "outbox", "simulate"],
                     help="worker: send what is due; outbox: the last SMS (dry-run or sent); "
                          "simulate: send a text to the local webhook as a phone would")
    sms.add_argument("text", nargs="?", help="simulate: the text the phone sends")
    sms.add_argument("--from", dest="phone", default="+33600000001", help="simulate: the phone number")
    sms.add_argument("--limit", type=int, default=20, help="outbox: how many rows (default 20)")
    renewal = commands.add_parser("renewal", help="record when a person's AME ends: a reminder 2 months before")
    renewal.add_argument("reference", help="the reference of one of the person's appointments")
    renewal.add_argument("ends", type=date.fromisoformat, help="the end date, YYYY-MM-DD")
    poster = commands.add_parser("kit", help="a printable poster for an association: QR code to the web chat in a language")
    poster.add_argument("--src", required=True, type=_source, help="the association's tag in the link, e.g. mdm (a-z, 0-9, -)")
    poster.add_argument("--lang", required=True, choices=SUPPORTED_LANGUAGES, help="the language the web chat opens in")
    poster.add_argument("--format", choices=kit.FORMATS, default="pdf", help="default pdf")
    poster.add_argument("--output", type=Path, help="default var/kit/poster-<src>-<lang>.<format>")
    commands.add_parser("console", help="the social workers' console alone (make run starts it)")
    users = commands.add_parser("users", help="console accounts")
    users.add_argument("action", choices=["create", "unlock"],
                       help="create an account; unlock one locked after too many failed logins")
    users.add_argument("name")
    users.add_argument("--role", choices=["social_worker", "coordinator"], help="create: required")
    privacy = commands.add_parser("privacy", help="a person's rights (erase, export) and the retention job")
    privacy.add_argument("action", choices=["erase", "export", "retention"],
                         help="erase: everything about a phone number; export: it as JSON (right of access); "
                              "retention: erase whoever has been silent longer than PASS_RETENTION_DAYS (once)")
    privacy.add_argument("phone", nargs="?", help="erase / export: the phone number, e.g. +33612345678")
    saved = commands.add_parser("backup", help="a backup of both databases in var/backups/<time>/ (keys not included)")
    saved.add_argument("--to", type=Path, help="the folder to create instead")
    restoring = commands.add_parser("restore", help="put both databases back from a backup folder (assistant stopped)")
    restoring.add_argument("folder", type=Path)
    db = commands.add_parser("db", help="app database")
    db.add_argument("action", choices=["upgrade"], help="create or migrate the schema")
    args = parser.parse_args(argv)

    if args.command == "run":
        return launcher.main(args.profile)
    if args.command == "train":
        print(training.ensure_model(force=args.force))
        return 0
    if args.command == "nlu-report":
        from bot import nlu_report  # imports Rasa: only when asked

        return nlu_report.main()
    if args.command == "sms-report":
        from bot import sms_report

        return sms_report.main()
    if args.command == "slots" and args.action == "keep":
        from bot.booking import openings

        return openings.run_daily()
    if args.command in ("slots", "workers", "appointments"):
        return _booking(args)
    if args.command in ("sms", "renewal"):
        from bot import sms_cli

        return sms_cli.main(args)
    if args.command == "kit":
        return _kit(args)
    if args.command == "console":
        from bot import metrics
        from bot.console import app as console  # Sanic: only when asked

        metrics.serve_safely()

        cfg = settings.load()
        console.serve(cfg, cfg.console_port)
        return 0
    if args.command in ("backup", "restore"):
        from bot import backup

        cfg = settings.load()
        try:
            if args.command == "backup":
                print(backup.backup(cfg, args.to))
            else:
                print("restored: " + ", ".join(backup.restore(cfg, args.folder)))
        except backup.BackupError as error:  # one line for the operator (or the backup timer's log)
            print(f"{args.command} failed: {error}", file=sys.stderr)
            return 1
        return 0
    if args.command == "users":
        if args.action == "unlock":
            return _unlock_user(args.name)
        if not args.role:
            parser.error("users create needs --role")
        return _create_user(args)
    if args.command == "privacy":
        from bot import privacy

        return privacy.cli(args.action, args.phone)
    if args.command == "db":
        database.upgrade(settings.load().database_url)
        print("database is up to date")
        return 0
    return 2


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekly(text: str) -> dict[int, list[tuple[str, str]]]:
    """"mon 09:00-12:30, thu 14:00-17:00" -> {0: [("09:00", "12:30")], 3: [("14:00", "17:00")]}"""
    weekly: dict[int, list[tuple[str, str]]] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        day, span = part.split()
        start, end = span.split("-")
        weekly.setdefault(WEEKDAYS.index(day.lower()[:3]), []).append((start, end))
    return weekly


def _booking(args: argparse.Namespace) -> int:
    from bot.booking import appointments, slots
    from bot.booking.sites import sites
    from bot.database import session_scope

    with session_scope() as session:
        if args.command == "workers":
            if args.site not in sites():
                print(f"error: unknown site {args.site!r} (known: {', '.join(sites())})", file=sys.stderr)
                return 2
            try:
                worker = slots.add_worker(session, args.name, args.site, _weekly(args.weekly))
            except ValueError as error:
                print(f"error: --weekly: {error}", file=sys.stderr)
                return 2
            print(f"social worker {worker.id} added at {args.site}")
        elif args.command == "slots" and args.action != "generate":
            return _openings(session, args)
        elif args.command == "slots":
            print(f"{slots.generate(session, date.today(), args.days)} slots created")
        elif args.json:
            print(json.dumps([appointments.as_json(a) for a in appointments.listing(session, args.status)], ensure_ascii=False))
        else:
            for appointment in appointments.listing(session, args.status):
                row = appointments.as_json(appointment)
                print(f"{row['reference']}  {row['start']}  {row['site']:10}  {row['status']:9}  {row['language']}")
    return 0


def _openings(session, args: argparse.Namespace) -> int:
    from bot.booking import demo, openings
    from bot.booking.sites import sites

    if args.action == "demo":
        added = demo.add_if_empty(session, date.today())
        print(demo.summary(added))
        return 0
    if args.action == "unblock" and args.slot:
        openings.unblock_slot(session, args.slot)
        print(f"slot {args.slot} offered again")
        return 0
    if args.action != "block" or bool(args.slot) == bool(args.day) or not args.reason:
        print("error: block needs --reason and either --slot or --day; unblock needs --slot", file=sys.stderr)
        return 2
    if args.site and args.site not in sites():
        print(f"error: unknown site {args.site!r} (known: {', '.join(sites())})", file=sys.stderr)
        return 2
    try:
        outcomes = (openings.block_slot(session, args.slot, args.reason) if args.slot else
                    openings.block_days(session, args.day, args.to or args.day, args.reason, site=args.site))
    except (LookupError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    moved = [o for o in outcomes if o.new_reference]
    print(f"blocked; {len(moved)} appointment(s) moved, {len(outcomes) - len(moved)} cancelled (nothing free), "
          f"{sum(not o.told_by_sms for o in outcomes)} to tell by other means (no SMS)")
    for outcome in outcomes:
        print(f"  {outcome.old_reference} -> {outcome.new_reference or 'cancelled'}"
              f"{'' if outcome.told_by_sms else '  (no SMS: tell them)'}")
    return 0


def _unlock_user(name: str) -> int:
    from bot.console import accounts, auth
    from bot.database import session_scope

    with session_scope() as session:
        account = auth.find_user(session, name)
        if account is None:
            print(f"error: no account {name!r}", file=sys.stderr)
            return 2
        done = accounts.unlock(session, account.id, {"id": None, "name": "(ligne de commande)"})
    print(f"account {name!r} unlocked" if done else f"account {name!r} was not locked")
    return 0


def _create_user(args: argparse.Namespace) -> int:
    """The password comes from PASS_CONSOLE_PASSWORD (scripts) or a prompt, never the command
    line (it would stay in the shell history and in `ps`)."""
    import getpass
    import os

    from bot.console import auth
    from bot.database import session_scope

    password = os.environ.get("PASS_CONSOLE_PASSWORD")
    if password is None:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("error: the two passwords differ", file=sys.stderr)
            return 2
    database.upgrade(settings.load().database_url)
    try:
        with session_scope() as session:
            user = auth.create_user(session, args.name, args.role, password)
            print(f"account {user.name!r} ({user.role}) created")
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _source(text: str) -> str:
    if not kit.SOURCE_PATTERN.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a short tag: 1 to 40 of a-z, 0-9 and -, not starting with -")
    return text


def _kit(args: argparse.Namespace) -> int:
    config = settings.load()
    if not config.sms_number:
        print("warning: PASS_SMS_NUMBER is not set: the poster has no SMS line", file=sys.stderr)
    if urlsplit(config.public_url).hostname in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: the QR code points to {config.public_url}, which works on this machine only: "
              "set PASS_PUBLIC_URL to the public address", file=sys.stderr)
    output = args.output or config.var_dir / "kit" / f"poster-{args.src}-{args.lang}.{args.format}"
    try:
        kit.make_poster(args.lang, args.src, args.format, output, config.public_url, config.sms_number)
    except kit.KitError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
