"""Package layout (everything else is in pyproject.toml).

The top-level migrations/ folder (Alembic's usual place, kept for `alembic` run from a checkout) ships inside
the package as `service.migrations`, so a plain `pip install .` can run `article-ingest migrate` from any
directory: service/db/migrate.py finds the scripts by import, not by a path relative to the checkout.
"""

from setuptools import find_packages, setup

MIGRATIONS = {"service.migrations": "migrations", "service.migrations.versions": "migrations/versions"}

setup(
    packages=[*find_packages(include=["service", "service.*", "workers", "workers.*"]), *MIGRATIONS],
    package_dir=MIGRATIONS,
    package_data={"service.migrations": ["script.py.mako"]},
)
