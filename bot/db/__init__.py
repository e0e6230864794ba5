"""Persistence: models, engine set-up and migrations. Alembic owns the schema."""
