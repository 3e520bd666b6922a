"""Programmatic Alembic: `upgrade_to_head` for the CLI, dev mode and tests.

The scripts are found by import (`service.migrations`, the top-level migrations/ folder shipped inside the
package, see setup.py), so this works from any directory in a checkout, an editable install and a wheel.
"""

from __future__ import annotations

import importlib.util

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory


def script_location() -> str:
    """The directory holding env.py and versions/ (a filesystem path)."""
    spec = importlib.util.find_spec("service.migrations")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the migrations are not installed with the package (service.migrations is missing)")
    return next(iter(spec.submodule_search_locations))


def alembic_config(database_url: str) -> Config:
    """An Alembic config for `database_url` (a SQLAlchemy URL); the logging set up by the caller is kept."""
    config = Config()
    config.set_main_option("script_location", script_location())
    config.set_main_option("path_separator", "os")
    config.attributes["database_url"] = database_url
    config.attributes["configure_logging"] = False
    return config


def heads() -> tuple[str, ...]:
    """The head revisions of the migration scripts: exactly one in a healthy tree."""
    return tuple(ScriptDirectory.from_config(alembic_config("")).get_heads())


def upgrade_to_head(database_url: str) -> None:
    """Apply every missing migration. Raises alembic's CommandError when the scripts have several heads."""
    command.upgrade(alembic_config(database_url), "head")
