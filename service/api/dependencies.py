"""Dependencies every handler takes by name instead of reaching into `request.app.state` by hand.

`uow`: a UnitOfWork on the app's session factory (service/db/uow.py). Building it costs nothing and opens no
connection: the handler enters it in its own thread (`with uow:`), where the transaction begins, commits (or rolls
back on an exception) and runs its after-commit sends, so no database I/O ever runs on the event loop.
`settings`, `dispatcher`: the app's, as given to `create_app`.

Handlers annotate them with the aliases below (values built by the app, not parsed from the request: not validated).
"""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import SkipValidation

from service.db.uow import UnitOfWork
from service.queue.dispatcher import Dispatcher
from service.settings import Settings


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
}

Uow = NamedDependency[SkipValidation[UnitOfWork]]
AppSettings = NamedDependency[SkipValidation[Settings]]
AppDispatcher = NamedDependency[SkipValidation[Dispatcher]]
