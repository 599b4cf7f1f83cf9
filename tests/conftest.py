import pytest

from bot import database
from tests import e2e


@pytest.fixture
def db_url(tmp_path):
    """A fresh app database, migrated with Alembic like `make run` does."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    database.upgrade(url)
    yield url
    database.engine(url).dispose()


@pytest.fixture(scope="session")
def bot(tmp_path_factory):
    """The real assistant (Rasa server + action server through the launcher), shared by the
    end-to-end tests; conversations are kept apart by their sender ids."""
    assistant = e2e.start(tmp_path_factory.mktemp("var"))
    yield assistant
    e2e.stop(assistant)
