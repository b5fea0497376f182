"""The loaded gazetteer, corpus and layer catalogue, built once per app and kept in ``app.extensions``.

The documents come from the database (:mod:`layers.storage`): the deployment's stored documents, or only those
named by ``GOVMAP_TEXTS`` / ``govmap serve TEXT …`` (ingested first). An empty database gets the deployment's own
texts once. Every ``GOVMAP_DB_CHECK_SECONDS`` a request reads the database's change counter (one small query) and
the state is rebuilt when another process (``govmap ingest``, ``govmap import``, ``govmap restore``) changed it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from flask import Flask, current_app

from gazetteer.corpus import Corpus, build_corpus
from gazetteer.places.load import load_gazetteer
from gazetteer.places.registry import Gazetteer
from geodata import deployment as deployments
from geodata import reference, userdata
from geodata.deployment import Deployment
from layers.catalogue import Catalogue
from layers.storage.database import Store, default_url
from layers.storage.ingest import deployment_id, ingest, read_files, stored_documents
from layers.storage.supervision import Supervision

_KEY = "govmap"


@dataclass(frozen=True, slots=True)
class State:
    corpus: Corpus
    catalogue: Catalogue
    #: The database's change counter when the state was built.
    generation: int = 0

    @property
    def gazetteer(self):
        return self.corpus.gazetteer


def open_store(database: str | None = None, *, data_dir: Path | None = None,
               deployment: Deployment | None = None) -> Store:
    """The database of ``database`` (a URL), else ``$GOVMAP_DATABASE_URL``, else the data folder's SQLite file;
    created or upgraded on first use."""
    deployment = deployment or deployments.load()
    store = Store(default_url(database, data_dir=userdata.user_dir(data_dir, deployment=deployment)))
    store.ensure()
    return store


def build_state(*, texts: Sequence[Path] | None = None, data_dir: Path | None = None,
                deployment: Deployment | None = None, store: Store | None = None,
                database: str | None = None) -> State:
    """Load everything the app serves (also used by the command line): the deployment's gazetteer with the
    user's imports, and the stored documents — ``texts`` (ingested first) or else all of the deployment's (its own
    texts are ingested into an empty database)."""
    deployment = deployment or deployments.load()
    store = store or open_store(database, data_dir=data_dir, deployment=deployment)
    gazetteer = load_gazetteer(deployment, user_dir=userdata.user_dir(data_dir, deployment=deployment))
    names = None
    if texts:
        incoming = read_files(texts)
        ingest(store, incoming, deployment=deployment, gazetteer=gazetteer)
        names = [item.name for item in incoming]
    elif deployment_id(store, deployment) is None and deployment.texts():
        ingest(store, read_files(deployment.texts()), deployment=deployment, gazetteer=gazetteer)
    return _state(store, deployment, gazetteer, names)


def _state(store: Store, deployment: Deployment, gazetteer, names: Sequence[str] | None) -> State:
    generation = store.generation()
    corpus = build_corpus(gazetteer, stored_documents(store, deployment, names=names))
    return State(corpus=corpus, catalogue=Catalogue(corpus, lakes=reference_lakes(gazetteer)),
                 generation=generation)


def reference_lakes(gazetteer: Gazetteer) -> gpd.GeoDataFrame | None:
    """The unnamed lakes of the deployment's reference data; ``None`` for a gazetteer of no deployment."""
    return reference.read_lakes(gazetteer.deployment) if gazetteer.deployment is not None else None


class _Holder:
    def __init__(self, app: Flask) -> None:
        self._lock = threading.Lock()
        self._state: State | None = None
        self._app = app
        self._store: Store | None = None
        self._names: list[str] | None = None
        self._checked = 0.0
        self._supervision: Supervision | None = None

    def get(self) -> State:
        with self._lock:
            config = self._app.config
            if self._state is None:
                texts = config["GOVMAP_TEXTS"]
                data_dir = Path(config["GOVMAP_DATA_DIR"]) if config["GOVMAP_DATA_DIR"] else None
                deployment = deployments.load(config["GOVMAP_DEPLOYMENT"])
                self._store = self._store or open_store(config["GOVMAP_DATABASE_URL"], data_dir=data_dir,
                                                        deployment=deployment)
                self._state = build_state(texts=[Path(t) for t in texts] if texts else None, data_dir=data_dir,
                                          deployment=deployment, store=self._store)
                self._names = [Path(t).name for t in texts] if texts else None
                self._checked = time.monotonic()
            elif time.monotonic() - self._checked >= config["GOVMAP_DB_CHECK_SECONDS"]:
                self._checked = time.monotonic()
                if self._store.generation() != self._state.generation:
                    self._state = self._rebuild()
            return self._state

    def supervision(self) -> Supervision:
        """The service layer of supervision on the app's database (without building the corpus)."""
        with self._lock:
            if self._supervision is None:
                config = self._app.config
                data_dir = Path(config["GOVMAP_DATA_DIR"]) if config["GOVMAP_DATA_DIR"] else None
                deployment = deployments.load(config["GOVMAP_DEPLOYMENT"])
                self._store = self._store or open_store(config["GOVMAP_DATABASE_URL"], data_dir=data_dir,
                                                        deployment=deployment)
                limit = int(float(config["GOVMAP_MAX_ATTACHMENT_MB"]) * 1024 * 1024)
                self._supervision = Supervision.of(self._store, deployment, max_attachment=limit,
                                                   data_dir=userdata.user_dir(data_dir, deployment=deployment))
            return self._supervision

    @property
    def store(self) -> Store:
        """The app's database (opened with the state)."""
        self.get()
        return self._store

    def close(self) -> None:
        """Close the database connections (the app keeps them open while it runs)."""
        if self._store is not None:
            self._store.dispose()

    def _rebuild(self) -> State:
        config = self._app.config
        deployment = deployments.load(config["GOVMAP_DEPLOYMENT"])
        data_dir = Path(config["GOVMAP_DATA_DIR"]) if config["GOVMAP_DATA_DIR"] else None
        gazetteer = load_gazetteer(deployment, user_dir=userdata.user_dir(data_dir, deployment=deployment))
        return _state(self._store, deployment, gazetteer, self._names)


def init_app(app: Flask) -> None:
    holder = _Holder(app)
    app.extensions[_KEY] = holder
    if not app.config["GOVMAP_LAZY"]:
        holder.get()


#: Where a test may put a supervision context of its own (over a database it built).
_SUPERVISION = "govmap-supervision"


def get_supervision() -> Supervision | None:
    """The supervision service of the current app (:mod:`layers.storage.supervision`): the app's database and
    deployment, attachments in the data folder; a test's own from ``app.extensions["govmap-supervision"]``;
    ``None`` for an app whose state has no database (some tests' fixture states)."""
    extensions = current_app.extensions
    if _SUPERVISION in extensions:
        return extensions[_SUPERVISION]
    holder = extensions[_KEY]
    return holder.supervision() if hasattr(holder, "supervision") else None


def get_state() -> State:
    """The state of the current app (rebuilt first if the database changed since)."""
    return current_app.extensions[_KEY].get()


