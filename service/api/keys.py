"""Admin routes for API keys: create, list, revoke, rotate. A new key is shown once, in the response."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody

from service.api_keys import service as keys
from service.api_keys.schemas import KeyCreate, KeyIssued, KeyRead, to_key_issued, to_key_read
from service.errors import NotFound

from .auth import ADMIN, key_cache
from .dependencies import Uow
from .problems import PROBLEM_RESPONSES


class ApiKeyController(Controller):
    path = "/v1/admin/keys"
    tags = ["admin"]
    security = [{"BearerAuth": []}]

    @post(
        "/",
        opt=ADMIN,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        status_code=201,
        summary="Create an API key; the key is in this response only",
    )
    def create(self, request: Request, uow: Uow, data: JSONBody[KeyCreate]) -> Response[KeyIssued]:
        with uow:
            issued = keys.create_key(uow.session, name=data.name, scopes=list(data.scopes))
            body = to_key_issued(keys.get_key(uow.session, issued.id), issued)
        return Response(body, status_code=201, headers={"Cache-Control": "no-store"})

    @get("/", opt=ADMIN, responses=PROBLEM_RESPONSES, sync_to_thread=True, summary="List API keys (never the keys)")
    def list(self, uow: Uow) -> list[KeyRead]:
        with uow:
            return [to_key_read(row) for row in keys.list_keys(uow.session)]

    @post(
        "/{key_id:uuid}/revoke",
        opt=ADMIN,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        status_code=200,
        summary="Revoke an API key; it stops working at once",
    )
    def revoke(self, request: Request, uow: Uow, key_id: FromPath[UUID]) -> KeyRead:
        with uow:
            if not keys.revoke_key(uow.session, key_id):
                raise NotFound(f"no API key {key_id}")
            uow.session.flush()
            body = to_key_read(keys.get_key(uow.session, key_id))
        key_cache(request.app.state).forget(key_id)  # committed: this process stops accepting it at once
        return body

    @post(
        "/{key_id:uuid}/rotate",
        opt=ADMIN,
        responses=PROBLEM_RESPONSES,
        sync_to_thread=True,
        status_code=200,
        summary="Replace an API key's secret; the old secret stops working at once",
    )
    def rotate(self, request: Request, uow: Uow, key_id: FromPath[UUID]) -> Response[KeyIssued]:
        with uow:
            issued = keys.rotate_key(uow.session, key_id)
            body = to_key_issued(keys.get_key(uow.session, key_id), issued)
        key_cache(request.app.state).forget(key_id)  # committed: the old secret stops working here at once
        return Response(body, headers={"Cache-Control": "no-store"})
