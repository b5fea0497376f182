"""Storage behind one seam: a govmap database on SQLite (the default) or PostgreSQL/PostGIS, chosen by URL.

:mod:`~layers.storage.database` opens it (``--database URL``, ``$GOVMAP_DATABASE_URL``, else an SQLite file in the
deployment's data folder), :mod:`~layers.storage.models` holds its tables, :mod:`~layers.storage.migrations`
(Alembic) creates and upgrades them, :mod:`~layers.storage.ingest` reads documents into it,
:mod:`~layers.storage.plans` compares the plans of two years and :mod:`~layers.storage.backup` saves and restores it.
Framework-free like the rest of ``layers`` (no Flask); it imports the gazetteer's reading pipeline, and the layer
catalogue for the per-layer PostGIS views.
"""
