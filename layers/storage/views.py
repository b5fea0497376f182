"""Each map layer in the database: its features in ``layer_features`` and, on PostgreSQL, a view per layer
(``govmap_<layer>``: ``ogc_fid``, ``deployment``, the layer's columns typed, and a PostGIS ``geometry`` in
EPSG:4326) that QGIS and GDAL's PostgreSQL driver open like a table.

The features are exactly what the OGC API serves (:class:`layers.catalogue.Catalogue`). :func:`publish` rewrites a
deployment's features without raising the change counter (it follows a change, it is not one).
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import delete, text

from geodata.deployment import Deployment
from layers.catalogue import LAYERS, Catalogue
from layers.storage import models
from layers.storage.database import Store
from layers.storage.ingest import ensure_deployment

_SQL_TYPES = {str: "text", int: "bigint", float: "double precision", bool: "boolean"}


def view_name(layer: str) -> str:
    """The view of a layer.

    >>> view_name("tasks")
    'govmap_tasks'
    """
    return f"govmap_{layer}"


def view_sql(layer: str) -> str:
    """The ``CREATE OR REPLACE VIEW`` statement of one layer (PostgreSQL)."""
    columns = ", ".join(f"(f.properties ->> '{name}')::{_SQL_TYPES[kind]} AS \"{name}\""
                        for name, kind in LAYERS[layer].columns if name != "id")
    return (f"CREATE OR REPLACE VIEW {view_name(layer)} AS SELECT f.id AS ogc_fid, d.key AS deployment, "
            f"f.feature_id AS id, {columns}, f.geometry FROM layer_features f "
            f"JOIN deployments d ON d.id = f.deployment_id WHERE f.layer = '{layer}'")


def publish(store: Store, deployment: Deployment, catalogue: Catalogue) -> dict[str, int]:
    """Store every layer's features for the deployment (and make the views on PostgreSQL); the count per layer."""
    frames = {layer: catalogue.frame(layer) for layer in catalogue.ids()}
    with store.write(bump_counter=False) as session:
        deployment_id = ensure_deployment(session, deployment)
        session.execute(delete(models.LayerFeature).where(models.LayerFeature.deployment_id == deployment_id))
        for layer, frame in frames.items():
            columns = [name for name, _ in LAYERS[layer].columns if name in frame.columns]
            session.add_all(models.LayerFeature(deployment_id=deployment_id, layer=layer, feature_id=str(row["id"]),
                                                properties={c: _json(row[c]) for c in columns},
                                                geometry=row["geometry"])
                            for row in frame.to_dict("records"))
        if store.backend == "postgresql":
            for layer in frames:
                session.execute(text(view_sql(layer)))
    return {layer: len(frame) for layer, frame in frames.items()}


def _json(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
