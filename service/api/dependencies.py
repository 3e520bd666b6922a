"""Dependencies every handler takes by name instead of reaching into `request.app.state` by hand.

`uow`: a UnitOfWork on the app's session factory (service/db/uow.py). Building it costs nothing and opens no
connection: the handler enters it in its own thread (`with uow:`), where the transaction begins, commits (or rolls
back on an exception) and runs its after-commit sends; on the event loop only the hot routes' single awaited
statements run (`ingest.statements`, service/db/statements.py).
`settings`, `dispatcher`: the app's, as given to `create_app`.
`ingest`: the hot routes' one dependency (submit, read by id): the app's settings, dispatcher, session factory and
`statements` (service/db/statements.py) in one object, built by `create_app`. One dependency, not several:
Litestar resolves two or more dependencies of a handler in an anyio task group per request (~10% of a POST's CPU).

Handlers annotate them with the aliases below (values built by the app, not parsed from the request: not validated).
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import SkipValidation
from sqlalchemy.orm import Session, sessionmaker

from service.db.statements import Statements
from service.db.uow import UnitOfWork
from service.queue.dispatcher import Dispatcher
from service.settings import Settings


@dataclass(frozen=True, slots=True)
class Ingest:
    settings: Settings
    dispatcher: Dispatcher
    statements: Statements
    session_factory: sessionmaker[Session]

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)


def provide_ingest(state: State) -> Ingest:
    return state.ingest


def provide_uow(state: State) -> UnitOfWork:
    return UnitOfWork(state.session_factory)


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_dispatcher(state: State) -> Dispatcher:
    return state.dispatcher


DEPENDENCIES = {
    "uow": Provide(provide_uow, sync_to_thread=False),
    "settings": Provide(provide_settings, sync_to_thread=False),
    "dispatcher": Provide(provide_dispatcher, sync_to_thread=False),
    "ingest": Provide(provide_ingest, sync_to_thread=False),
}

Uow = NamedDependency[SkipValidation[UnitOfWork]]
AppSettings = NamedDependency[SkipValidation[Settings]]
AppDispatcher = NamedDependency[SkipValidation[Dispatcher]]
AppIngest = NamedDependency[SkipValidation[Ingest]]
