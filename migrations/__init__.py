"""Alembic migrations. Installed as the package `service.migrations` (see setup.py), so that
service/db/migrate.py finds them by import in a checkout, an editable install and a wheel alike."""
