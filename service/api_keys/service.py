"""API keys: recognisable prefix, stored only as a SHA-256 hash, scoped, revocable."""
from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import ApiKey

KEY_PREFIX = "aik_"  # recognisable in logs and by secret scanners
SCOPES = ("ingest", "admin")


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller. Admin keys may do everything an ingest key may."""

    key_id: object
    name: str
    scopes: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return "admin" in self.scopes

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or self.is_admin


@dataclass(frozen=True, slots=True)
class IssuedKey:
    id: object
    key: str
    webhook_secret: str


def hash_key(key: str) -> str:
    # Keys carry 256 bits of randomness, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


def new_webhook_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def create_key(session: Session, *, name: str, scopes: list[str]) -> IssuedKey:
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise ValueError(f"scopes must be a non-empty subset of {SCOPES}, got {scopes}")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        name=name,
        prefix=key[:12],
        key_hash=hash_key(key),
        scopes=sorted(set(scopes)),
        webhook_secret=new_webhook_secret(),
    )
    session.add(row)
    session.flush()
    return IssuedKey(id=row.id, key=key, webhook_secret=row.webhook_secret)


def authenticate(session: Session, key: str) -> Principal | None:
    if not key.startswith(KEY_PREFIX):
        return None
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
    if row is None or row.revoked_at is not None:
        return None
    return Principal(key_id=row.id, name=row.name, scopes=frozenset(row.scopes))


def revoke_key(session: Session, key_id) -> bool:
    row = session.get(ApiKey, key_id)
    if row is None:
        return False
    row.revoked_at = row.revoked_at or datetime.now(UTC)
    return True
