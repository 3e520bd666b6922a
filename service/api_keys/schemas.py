"""Request and response structs for API-key administration. The key itself appears only in KeyIssued."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from .scopes import Scope


class KeyCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    scopes: Annotated[list[Scope], msgspec.Meta(min_length=1, max_length=2)]


class KeyRead(msgspec.Struct):
    id: UUID
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime | None
    revoked_at: datetime | None


class KeyIssued(msgspec.Struct):
    """Returned once, on create and rotate: the key is not stored and cannot be shown again."""

    id: UUID
    name: str
    prefix: str
    scopes: list[str]
    key: str
    webhook_secret: str


def to_key_read(row) -> KeyRead:
    return KeyRead(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        scopes=list(row.scopes),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def to_key_issued(row, issued) -> KeyIssued:
    """`row`: the ApiKey row; `issued`: the IssuedKey holding the key and secret (shown this once)."""
    return KeyIssued(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        scopes=list(row.scopes),
        key=issued.key,
        webhook_secret=issued.webhook_secret,
    )
