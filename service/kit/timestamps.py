"""The one type for timestamps clients send in request bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta

# A timestamp with its UTC offset: one without is refused (400), as a query parameter without one is, instead of
# being read as UTC, which may not be what the client meant.
AwareDatetime = Annotated[datetime, Meta(tz=True)]
