"""How `make run` / `make run-prod` start Rasa (bot/launcher.py)."""
from pathlib import Path

from rasa.__main__ import create_argument_parser

from bot import launcher, serve, settings


def test_rasa_starts_whatever_its_random_token_begins_with(tmp_path, monkeypatch):
    # token_urlsafe draws "-" first once in 64: `make run` refused to start on such a token.
    monkeypatch.setenv("PASS_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("RASA_TOKEN", "-2e1Z9a2uYuUONRN1atqS2zMnZgYTjTillfxsnHvrhQ")
    cfg = settings.load()
    rasa = [s for s in launcher.services(cfg, Path("model.tar.gz")) + launcher.prod_services(cfg, Path("model.tar.gz"))
            if s.argv[2:4] == ["bot.serve", "rasa"]]
    assert len(rasa) == 3  # the dev server and the two production replicas
    for service in rasa:
        assert not any(cfg.rasa_token in arg for arg in service.argv)  # `ps` shows a command line
        # What `python -m rasa` reads, handed over in memory by bot/serve.py.
        args = create_argument_parser().parse_args(serve.rasa_argv(service.argv[4:], cfg.rasa_token)[1:])
        assert args.auth_token == "-2e1Z9a2uYuUONRN1atqS2zMnZgYTjTillfxsnHvrhQ"
        assert args.enable_api
