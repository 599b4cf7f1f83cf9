"""Command line: python -m bot.rights {evaluate,missing,check}

    evaluate  read one JSON object of facts on stdin, print one JSON outcome on stdout
    missing   same input, print the JSON list of facts still to ask
    check     validate the rules files and places.yaml, print their validity window

Exit codes: 0 ok; 2 bad input or usage (one line on stderr); 1 invalid rules
files or internal error (one line on stderr). Never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, Optional, Sequence

from bot.rights.engine import evaluate, missing_facts
from bot.rights.facts import Facts, FactsError
from bot.rights.places import PLACES_FILE, load_places
from bot.rights.rules import Rules, RulesError, default_rules, load_rules

PROG = "python -m bot.rights"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line instead of usage + message
        raise UsageError(f"{message} (see {PROG} --help)")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Saint-Denis PASS assistant: rights-orientation engine.")
    commands = parser.add_subparsers(dest="command", metavar="{evaluate,missing,check}")
    commands.required = True
    for name, help_text in (
        ("evaluate", "read facts (one JSON object) on stdin; print the outcome (one JSON object)"),
        ("missing", "read facts (one JSON object) on stdin; print the facts still to ask (JSON list)"),
    ):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--rules-dir", type=Path, help="rules directory (default: bot/rights/rules)")
    check = commands.add_parser("check", help="validate the rules files and places.yaml")
    check.add_argument("--rules-dir", type=Path, help="rules directory (default: bot/rights/rules)")
    check.add_argument("--places", type=Path, help="places file (default: bot/rights/places.yaml)")
    check.add_argument("--today", type=date.fromisoformat, help="date to check against (default: today)")
    return parser


def _read_facts(stream) -> Facts:
    try:
        text = stream.read()
    except UnicodeDecodeError:
        raise FactsError("stdin is not UTF-8 text") from None
    if not text.strip():
        raise FactsError("expected one JSON object of facts on stdin, got nothing")

    def refuse_constant(name: str) -> NoReturn:
        raise FactsError(f"{name} is not a valid JSON number")

    try:
        data: Any = json.loads(text, parse_constant=refuse_constant)
    except json.JSONDecodeError as exc:
        raise FactsError(f"stdin is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    return Facts.from_mapping(data)


def _rules(rules_dir: Optional[Path]) -> Rules:
    return load_rules(rules_dir) if rules_dir else default_rules()


def _warn_if_outdated(rules: Rules, today: date) -> None:
    if rules.is_outdated(today):
        print(
            f"warning: rules expired on {rules.valid_until.isoformat()} (today is {today.isoformat()}); "
            "outcomes near a ceiling are handed off until a new ceilings set is added to "
            "bot/rights/rules/ceilings.yaml",
            file=sys.stderr,
        )


def _evaluate(args: argparse.Namespace, stdin, stdout) -> int:
    facts = _read_facts(stdin)
    rules = _rules(args.rules_dir)
    if args.command == "evaluate":
        result: Any = evaluate(facts, rules).to_dict()
    else:
        result = missing_facts(facts, rules)
    _warn_if_outdated(rules, facts.today or date.today())
    print(json.dumps(result, ensure_ascii=False), file=stdout)
    return 0


def _check(args: argparse.Namespace, stdout) -> int:
    rules = _rules(args.rules_dir)
    places = load_places(args.places or PLACES_FILE, rules)
    today = args.today or date.today()
    print(f"rules OK: version {rules.version}, valid until {rules.valid_until.isoformat()}", file=stdout)
    for ceiling_set in rules.ceiling_sets:
        unconfirmed = [
            name
            for name in ("css_free", "css_participation", "ame")
            if not getattr(ceiling_set, name).confirmed
        ]
        flag = f" (unconfirmed: {', '.join(unconfirmed)})" if unconfirmed else ""
        print(f"  ceilings {ceiling_set.id}: {ceiling_set.valid_from} -> {ceiling_set.valid_to}{flag}", file=stdout)
    to_confirm = sum(not place.confirmed for place in places)
    print(f"places OK: {len(places)} places, {to_confirm} to be confirmed by the city", file=stdout)
    _warn_if_outdated(rules, today)
    return 0


def main(argv: Optional[Sequence[str]] = None, stdin=None, stdout=None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    try:
        args = _build_parser().parse_args(argv)
        if args.command == "check":
            return _check(args, stdout)
        return _evaluate(args, stdin, stdout)
    except (UsageError, FactsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RulesError as exc:
        print(f"error: invalid rules: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # the contract: never a traceback
        print(f"error: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
