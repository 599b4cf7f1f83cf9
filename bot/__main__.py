"""Command line: `python -m bot <command>`."""
from __future__ import annotations

import argparse
import sys

from bot import database, launcher, settings, training


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Saint-Denis PASS assistant")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="train if needed, migrate the database, start every process")
    train = commands.add_parser("train", help="train the model if its inputs changed")
    train.add_argument("--force", action="store_true", help="train even if the model is up to date")
    commands.add_parser("nlu-report", help="per-language intent figures on the held-out examples")
    commands.add_parser("sms-report", help="the SMS texts that cost the most segments")
    db = commands.add_parser("db", help="app database")
    db.add_argument("action", choices=["upgrade"], help="create or migrate the schema")
    args = parser.parse_args(argv)

    if args.command == "run":
        return launcher.main()
    if args.command == "train":
        print(training.ensure_model(force=args.force))
        return 0
    if args.command == "nlu-report":
        from bot import nlu_report  # imports Rasa: only when asked

        return nlu_report.main()
    if args.command == "sms-report":
        from bot import sms_report

        return sms_report.main()
    if args.command == "db":
        database.upgrade(settings.load().database_url)
        print("database is up to date")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
