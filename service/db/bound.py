"""Statements built once and run with parameters: the naming rule of their bind parameters.

A statement built on every call costs its construction, SQLAlchemy's ORM path and a fresh cache key: for the
worker's per-article statements that was more CPU than their round trips (issue 16, benchmarks/RESULTS.md "Fifth
session of 2026-12-01"). Built once, their values come as parameters. A bind parameter may not carry a column's
own name in an INSERT's VALUES or an UPDATE's SET (SQLAlchemy reserves those names), so each is the column's name
with "_" appended.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import BindParameter, Table, bindparam


def bound_columns(table: Table, names: Iterable[str]) -> dict[str, BindParameter[Any]]:
    """{column name: bind parameter "<name>_" of that column's type} for `names` of `table`, to pass to
    `.values()` of a statement built once. Raises KeyError for a name that is no column of `table`."""
    return {name: bindparam(f"{name}_", type_=table.c[name].type) for name in names}


def bound_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters for `bound_columns`' statement: {"<name>_": value} for {column name: value}."""
    return {f"{name}_": value for name, value in values.items()}
