"""The Rasa server and the action server as the launcher starts them (`python -m bot.serve rasa
run …`, `python -m bot.serve actions --port N`): the stock ones, with what their command lines
lack for a shared machine.

- No secret on a command line: `ps` and /proc/<pid>/cmdline show it to every local user. The
  Rasa API token is read here (bot.settings: $RASA_TOKEN or var/rasa.token, 0600) and handed to
  Rasa's own parser in memory, which /proc never shows.
- Rasa warnings that quote what a person wrote ("Parsed an intent '<their text>' which is not
  defined…", for a message starting with "/") are silenced in the Rasa process.
- Every reply of the Rasa server and of the action server carries the web chat's security
  headers, Sanic's own error pages (404, 405, 413, 500) included: they are registered on the app
  each one builds.
- The action server listens on loopback only and runs an action only for a caller holding the
  shared token (header X-Pass-Action-Token, sent by Rasa from endpoints*.yml): another local
  process cannot run actions that read and write people's data.
"""
from __future__ import annotations

import hmac
import logging
import sys
import warnings

ACTION_TOKEN_HEADER = "X-Pass-Action-Token"
# Rasa warnings whose text carries the message or its entities.
QUOTING_WARNINGS = r"(Parsed an intent|Parsed an entity|Invalid entity specification)"


def rasa_argv(argv: list[str], token: str) -> list[str]:
    """What Rasa's own parser reads: `argv` and the token ("=": a token may start with "-",
    which the parser would otherwise take for an option)."""
    return ["rasa", *argv, f"--auth-token={token}"]


def with_security_headers(app):
    """`app` answering with the web chat's headers on every reply (a route's own win)."""
    from bot.webchat import PAGE_HEADERS  # not bot.channels: the action server does not load Rasa

    @app.on_response
    async def security_headers(request, reply) -> None:
        for name, value in PAGE_HEADERS.items():
            reply.headers.setdefault(name, value)

    return app


def _configure_app_with_headers() -> None:
    """Rasa builds its Sanic app in rasa.core.run.configure_app, called by serve_application:
    the one place that sees every app `rasa run` starts."""
    import rasa.core.run

    stock = rasa.core.run.configure_app
    rasa.core.run.configure_app = lambda *args, **kwargs: with_security_headers(stock(*args, **kwargs))


def rasa(argv: list[str]) -> None:
    from bot import settings

    from bot import metrics

    warnings.filterwarnings("ignore", message=QUOTING_WARNINGS)
    metrics.serve_safely()
    from bot import logs

    if logs.json_wanted():
        argv = [*argv, "--logging-config-file", str(logs.RASA_CONFIG)]
    sys.argv = rasa_argv(argv, settings.load().rasa_token)
    _configure_app_with_headers()
    from rasa.__main__ import main

    main()


def action_app(token: str):
    """The stock action server's app, refusing /webhook calls without the shared token."""
    from rasa_sdk.endpoint import create_app
    from sanic import response

    app = create_app("bot.actions", cors_origins=None)

    @app.on_request
    async def require_token(request):
        if request.path == "/health":
            return None
        given = request.headers.get(ACTION_TOKEN_HEADER, "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            return response.json({"error": "unauthorised"}, status=401)
        return None

    return with_security_headers(app)


def actions(argv: list[str]) -> None:
    import argparse

    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME

    from bot import settings

    parser = argparse.ArgumentParser(prog="python -m bot.serve actions")
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args(argv).port
    utils.configure_colored_logging(logging.getLevelName(logging.INFO))
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), None, logging.INFO, None)
    utils.update_sanic_log_level()
    from bot import metrics

    metrics.serve_safely()
    from bot import logs

    logs.use_json_lines()
    action_app(settings.load().action_token).run("127.0.0.1", port, workers=1, access_log=False)


if __name__ == "__main__":
    command, rest = sys.argv[1], sys.argv[2:]
    {"rasa": rasa, "actions": actions}[command](rest)
