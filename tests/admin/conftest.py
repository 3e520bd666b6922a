from tests.backfills.conftest import admin, settings  # noqa: F401 - the same fixtures for the admin routes
