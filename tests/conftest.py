import pytest

from bot import database


@pytest.fixture
def db_url(tmp_path):
    """A fresh app database, migrated with Alembic like `make run` does."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    database.upgrade(url)
    yield url
    database.engine(url).dispose()
