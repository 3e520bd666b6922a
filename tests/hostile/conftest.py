from tests.e2e.conftest import e2e_database, issued_key, queue_prefix  # noqa: F401
