"""App database: engine, sessions and migrations (SQLAlchemy 1.4 with the 2.0-style API)."""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot import settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@lru_cache(maxsize=None)
def engine(url: str | None = None) -> Engine:
    url = url or settings.load().database_url
    connect_args = {"timeout": 30} if url.startswith("sqlite") else {}
    # hide_parameters: an error message must never quote a stored value (a text, a number).
    eng = create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args, hide_parameters=True)
    if url.startswith("sqlite"):
        event.listen(eng, "connect", _sqlite_pragmas)
    return eng


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the Rasa action server and the CLI read while another process writes;
    # foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One unit of work: committed on success, rolled back on any error."""
    factory = sessionmaker(bind=engine(url), future=True, expire_on_commit=False)
    with factory() as session:
        with session.begin():
            yield session


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url or settings.load().database_url)
    return config


def upgrade(url: str | None = None) -> None:
    """Create or migrate the schema to the latest revision."""
    command.upgrade(alembic_config(url), "head")
