"""The loaded gazetteer, corpus and layer catalogue, built once per app and kept in ``app.extensions``."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from flask import Flask, current_app

from gazetteer.corpus import Corpus, read_corpus
from gazetteer.places.load import load_gazetteer
from gazetteer.places.registry import Gazetteer
from geodata import deployment as deployments
from geodata import reference, userdata
from geodata.deployment import Deployment
from layers.catalogue import Catalogue

_KEY = "govmap"


@dataclass(frozen=True, slots=True)
class State:
    corpus: Corpus
    catalogue: Catalogue

    @property
    def gazetteer(self):
        return self.corpus.gazetteer


def build_state(*, texts: list[Path] | None = None, data_dir: Path | None = None,
                deployment: Deployment | None = None) -> State:
    """Load everything the app serves (also used by the command line): the deployment's gazetteer with the
    user's imports, and ``texts`` (default: the deployment's own)."""
    deployment = deployment or deployments.load()
    gazetteer = load_gazetteer(deployment, user_dir=userdata.user_dir(data_dir, deployment=deployment))
    corpus = read_corpus(texts or deployment.texts(), gazetteer)
    return State(corpus=corpus, catalogue=Catalogue(corpus, lakes=reference_lakes(gazetteer)))


def reference_lakes(gazetteer: Gazetteer) -> gpd.GeoDataFrame | None:
    """The unnamed lakes of the deployment's reference data; ``None`` for a gazetteer of no deployment."""
    return reference.read_lakes(gazetteer.deployment) if gazetteer.deployment is not None else None


class _Holder:
    def __init__(self, app: Flask) -> None:
        self._lock = threading.Lock()
        self._state: State | None = None
        self._app = app

    def get(self) -> State:
        with self._lock:
            if self._state is None:
                texts = self._app.config["GOVMAP_TEXTS"]
                data_dir = self._app.config["GOVMAP_DATA_DIR"]
                self._state = build_state(texts=[Path(t) for t in texts] if texts else None,
                                          data_dir=Path(data_dir) if data_dir else None,
                                          deployment=deployments.load(self._app.config["GOVMAP_DEPLOYMENT"]))
            return self._state


def init_app(app: Flask) -> None:
    holder = _Holder(app)
    app.extensions[_KEY] = holder
    if not app.config["GOVMAP_LAZY"]:
        holder.get()


def get_state() -> State:
    """The state of the current app."""
    return current_app.extensions[_KEY].get()
