"""Alembic's environment for govmap: migrations run on the connection :meth:`Store.upgrade` hands over."""

from alembic import context

from layers.storage.models import Base


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      transaction_per_migration=False)
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # run by Alembic (importing this module elsewhere, e.g. doctest, does nothing)
    run()
