"""Query parameters shared by the event endpoints, validated before the store sees them."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import Query

from marsad.api.errors import ApiError
from marsad.api.models import EventType
from marsad.store.search import MAX_QUERY_CHARS
from marsad.store.sqlite import MAX_LIMIT, date_range

MAX_OFFSET = 1_000_000

Limit = Annotated[int, Query(ge=0, le=MAX_LIMIT, description=f"items per page (0–{MAX_LIMIT})")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in degrees → four floats, checked.

    Longitudes lie in [-180, 180], latitudes in [-90, 90] and south may not
    lie above north; west greater than east is a box across the
    antimeridian.
    """
    parts = value.split(",")
    if len(parts) != 4:
        raise ApiError(422, "bad_request", "bbox must be four numbers: west,south,east,north")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ApiError(422, "bad_request", f"bbox holds something that is not a number: {value!r}") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ApiError(422, "bad_request", "bbox values must be finite numbers")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise ApiError(422, "bad_request", "bbox longitudes (west, east) must lie in [-180, 180]")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise ApiError(422, "bad_request", "bbox latitudes (south, north) must lie in [-90, 90]")
    if south > north:
        raise ApiError(422, "bad_request",
                       f"bbox south ({south}) lies above north ({north}): the order is west,south,east,north")
    return west, south, east, north


def _check_date(name: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if "/" in value or date_range(value) is None:
        raise ApiError(422, "bad_date",
                       f"{name} must be an ISO 8601 day, month or year (2016-10-17, 2016-10, 2016), not {value!r}")
    return value


def event_filters(
    type: Annotated[EventType | None, Query(description="event type (the taxonomy of EVENTS.md)")] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code of the event's place")
    ] = None,
    since: Annotated[
        str | None, Query(max_length=10, description="ISO 8601 day, month or year: events that end on or after it")
    ] = None,
    until: Annotated[
        str | None, Query(max_length=10, description="ISO 8601 day, month or year: events that start on or before it")
    ] = None,
    bbox: Annotated[
        str | None,
        Query(max_length=100, description="west,south,east,north in degrees (west > east crosses the antimeridian)"),
    ] = None,
    q: Annotated[
        str | None, Query(max_length=MAX_QUERY_CHARS, description="full-text query: events of matching articles")
    ] = None,
) -> dict[str, Any]:
    """The event filters as keyword arguments for the store."""
    since_v, until_v = _check_date("since", since), _check_date("until", until)
    if since_v and until_v:
        lo, hi = date_range(since_v), date_range(until_v)
        if lo and hi and lo[0] > hi[1]:
            raise ApiError(422, "bad_request", f"since ({since_v}) is after until ({until_v})")
    return {
        "type": type,
        "country": country.upper() if country else None,
        "since": since_v,
        "until": until_v,
        "bbox": parse_bbox(bbox) if bbox is not None and bbox.strip() else None,
        "q": q if q is not None and q.strip() else None,
    }
