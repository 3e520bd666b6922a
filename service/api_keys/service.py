"""API keys: recognisable prefix, stored only as a SHA-256 hash, scoped, revocable."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from service.errors import InvalidInput, NotFound

from .models import ApiKey
from .scopes import SCOPES, Scope

KEY_PREFIX = "aik_"  # recognisable in logs and by secret scanners


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller. Admin keys may do everything an ingest key may."""

    key_id: object
    name: str
    scopes: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return Scope.ADMIN in self.scopes

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


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def display_prefix(key: str) -> str:
    # Enough to tell keys apart in a listing; 8 random characters reveal nothing useful about the other 35.
    return key[:12]


def create_key(session: Session, *, name: str, scopes: list[str]) -> IssuedKey:
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise ValueError(f"scopes must be a non-empty subset of {SCOPES}, got {scopes}")
    key = new_key()
    row = ApiKey(
        name=name,
        prefix=display_prefix(key),
        key_hash=hash_key(key),
        scopes=sorted(set(scopes)),
        webhook_secret=new_webhook_secret(),
    )
    session.add(row)
    session.flush()
    return IssuedKey(id=row.id, key=key, webhook_secret=row.webhook_secret)


def get_key(session: Session, key_id) -> ApiKey | None:
    return session.get(ApiKey, key_id)


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)))


def rotate_key(session: Session, key_id) -> IssuedKey:
    """A new secret for the same key id: scopes, ownership of articles and the webhook secret stay; the old secret
    stops working at once (a leaked key is the usual reason to rotate). A revoked key cannot be rotated back to life."""
    row = session.get(ApiKey, key_id, with_for_update=True)
    if row is None:
        raise NotFound(f"no API key {key_id}")
    if row.revoked_at is not None:
        raise InvalidInput(f"API key {key_id} is revoked; create a new key instead")
    key = new_key()
    row.key_hash, row.prefix = hash_key(key), display_prefix(key)
    session.flush()
    return IssuedKey(id=row.id, key=key, webhook_secret=row.webhook_secret)


# Runs on every request: a Core statement built once, reading only the columns a Principal needs.
_KEYS = ApiKey.__table__
_LOOKUP = select(_KEYS.c.id, _KEYS.c.name, _KEYS.c.scopes).where(
    _KEYS.c.key_hash == bindparam("key_hash"), _KEYS.c.revoked_at.is_(None)
)


def authenticate(session: Session, key: str) -> Principal | None:
    if not key.startswith(KEY_PREFIX):
        return None
    row = session.connection().execute(_LOOKUP, {"key_hash": hash_key(key)}).one_or_none()
    if row is None:
        return None
    return Principal(key_id=row.id, name=row.name, scopes=frozenset(row.scopes))


def revoke_key(session: Session, key_id) -> bool:
    row = session.get(ApiKey, key_id)
    if row is None:
        return False
    row.revoked_at = row.revoked_at or datetime.now(UTC)
    return True
