"""How `make run` / `make run-prod` start Rasa (bot/launcher.py)."""
from pathlib import Path

from rasa.__main__ import create_argument_parser

from bot import launcher, settings


def test_rasa_starts_whatever_its_random_token_begins_with(tmp_path, monkeypatch):
    # token_urlsafe draws "-" first once in 64: `make run` refused to start on such a token.
    monkeypatch.setenv("PASS_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("RASA_TOKEN", "-2e1Z9a2uYuUONRN1atqS2zMnZgYTjTillfxsnHvrhQ")
    cfg = settings.load()
    rasa = [s for s in launcher.services(cfg, Path("model.tar.gz")) + launcher.prod_services(cfg, Path("model.tar.gz"))
            if s.argv[2] == "rasa"]
    assert len(rasa) == 3  # the dev server and the two production replicas
    for service in rasa:
        args = create_argument_parser().parse_args(service.argv[3:])  # what `python -m rasa` reads
        assert args.auth_token == "-2e1Z9a2uYuUONRN1atqS2zMnZgYTjTillfxsnHvrhQ"
        assert args.enable_api
