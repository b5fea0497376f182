"""Shared fixtures: the real bundled gazetteer and corpus (built once per session), the app and its client.

The user's data folder is pointed at an empty temporary folder for the whole session, so geometry imported by
hand on this machine never changes what the tests see.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_DATA_DIR = tempfile.TemporaryDirectory(prefix="govmap-test-data-")


def pytest_configure(config: pytest.Config) -> None:
    os.environ["GOVMAP_DATA_DIR"] = _DATA_DIR.name


def pytest_unconfigure(config: pytest.Config) -> None:
    _DATA_DIR.cleanup()


@pytest.fixture(scope="session")
def gazetteer():
    from gazetteer.places.load import load_gazetteer

    return load_gazetteer(user_dir=Path(_DATA_DIR.name))


@pytest.fixture(scope="session")
def corpus(gazetteer):
    from gazetteer.corpus import read_corpus
    from geodata import reference

    return read_corpus(reference.sample_texts(), gazetteer)


@pytest.fixture(scope="session")
def app():
    from webmap import create_app

    return create_app({"TESTING": True, "GOVMAP_DATA_DIR": _DATA_DIR.name})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def user_dir(tmp_path: Path) -> Path:
    """An empty user data folder for tests that import geometry."""
    folder = tmp_path / "govmap-data"
    folder.mkdir()
    return folder
