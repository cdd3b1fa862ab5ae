"""The read endpoints: articles, search, events, places, timeline, stats and exports.

Read endpoints are open.  Every list answers ``{"items": [...], "total": N}``
(places and timeline add their own counts); every error answers the one
error shape (:mod:`marsad.api.errors`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response, StreamingResponse

from marsad import export as exporter
from marsad.api.errors import ApiError
from marsad.api.models import (
    ERROR_RESPONSES,
    ArticleModel,
    ArticlePage,
    ErrorResponse,
    EventPage,
    PlacePage,
    SearchPage,
    Timeline,
)
from marsad.api.params import Limit, Offset, event_filters
from marsad.store.search import MAX_QUERY_CHARS
from marsad.store.sqlite import Store

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
Filters = Annotated[dict[str, Any], Depends(event_filters)]
MAX_PLACES = 5000


def store_of(request: Request) -> Iterator[Store]:
    """The store to read from: a pooled read-only connection, else the app's store."""
    pool = request.app.state.readers
    if pool is None:
        yield request.app.state.store
        return
    with pool.borrow() as store:
        yield store


StoreDep = Annotated[Store, Depends(store_of)]


@router.get("/articles", response_model=ArticlePage, tags=["articles"], summary="List stored articles")
def list_articles(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    """Stored articles, latest published first, with how many events each reports."""
    items, total = store.articles(limit=limit, offset=offset)
    return JSONResponse({"items": items, "total": total})


@router.get(
    "/articles/{article_id:path}",
    response_model=ArticleModel,
    tags=["articles"],
    summary="One stored article",
    responses={404: {"model": ErrorResponse, "description": "no article with this id (not_found)"}},
)
def get_article(store: StoreDep, article_id: Annotated[str, Path(max_length=200)]) -> JSONResponse:
    """The stored Article, with its text and every annotation (offsets into ``text``)."""
    article = store.get(article_id)
    if article is None:
        raise ApiError(404, "not_found", f"no article with id {article_id!r}")
    return JSONResponse({**article.to_dict(), "story_id": store.story_of(article_id)})


@router.get("/stories", tags=["articles"], summary="Stories: syndicated copies of one report, with all sources")
def list_stories(
    store: StoreDep,
    limit: Limit = 50,
    offset: Offset = 0,
    min_size: Annotated[int, Query(ge=1, le=1000, description="only stories with at least this many copies")] = 1,
) -> JSONResponse:
    """Stories, newest first; each with its copies (every URL that ran it), titles and dates."""
    items, total = store.stories(limit=limit, offset=offset, min_size=min_size)
    return JSONResponse({"items": items, "total": total})


@router.get(
    "/stories/{story_id:path}",
    tags=["articles"],
    summary="One story",
    responses={404: {"model": ErrorResponse, "description": "no story with this id (not_found)"}},
)
def get_story(store: StoreDep, story_id: Annotated[str, Path(max_length=200)]) -> JSONResponse:
    """A story and all its sources."""
    story = store.story(story_id)
    if story is None:
        raise ApiError(404, "not_found", f"no story with id {story_id!r}")
    return JSONResponse(story)


@router.get("/search", response_model=SearchPage, tags=["articles"], summary="Full-text search")
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="the query")],
    limit: Limit = 20,
    offset: Offset = 0,
) -> JSONResponse:
    """Arabic-aware full-text search, best first.

    Words match across clitics and spelling variants (الموصل finds
    بالموصل); several words must all match; ``"a phrase"``; ``OR``; a
    trailing ``*`` for a prefix; a leading ``-`` excludes.  A query with no
    searchable word is a 400 ``bad_query``.
    """
    return JSONResponse(store.search(q, limit=limit, offset=offset).to_dict())


@router.get("/events", response_model=EventPage, tags=["events"], summary="Events, filtered")
def list_events(store: StoreDep, filters: Filters, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    """Events matching every filter given, latest first (undated last)."""
    return JSONResponse(store.events(**filters, limit=limit, offset=offset).to_dict())


@router.get("/places", response_model=PlacePage, tags=["events"], summary="Places with event counts")
def list_places(
    store: StoreDep,
    filters: Filters,
    limit: Annotated[int, Query(ge=1, le=MAX_PLACES, description="places at most")] = 1000,
) -> JSONResponse:
    """Where the matching events happened: one item per coordinate, most events first."""
    places: dict[tuple[float, float], dict[str, Any]] = {}
    for lat, lon, country, name, type_, n in store.event_counts("place", limit=limit, **filters):
        place = places.setdefault(
            (lat, lon),
            {"name": name, "country_code": country, "lat": lat, "lon": lon, "events": 0, "by_type": {}},
        )
        place["events"] += n
        place["by_type"][type_] = n
    return JSONResponse({"items": list(places.values())})


@router.get("/timeline", response_model=Timeline, tags=["events"], summary="Events per day and type")
def timeline(store: StoreDep, filters: Filters) -> JSONResponse:
    """Counts of the matching events per day and type, and how many are dated less precisely."""
    items = [
        {"date": day, "type": type_, "count": n} for day, type_, n in store.event_counts("day", **filters)
    ]
    kinds = dict(store.event_counts("precision", **filters))
    return JSONResponse(
        {"items": items, "day": kinds.get("day", 0), "coarse": kinds.get("coarse", 0),
         "undated": kinds.get("undated", 0)}
    )


@router.get("/stats", tags=["store"], summary="What the store holds")
def stats(store: StoreDep) -> JSONResponse:
    """Counts of articles (by language), annotations and events by type."""
    return JSONResponse(store.stats())


@router.get("/feeds", tags=["store"], summary="Followed feeds and their status (marsad watch)")
def feeds(store: StoreDep) -> JSONResponse:
    """Per-feed status: last poll, new entries, errors (see ``marsad.watch.status``)."""
    from marsad.watch import status

    items = status(store)
    return JSONResponse({"items": items, "total": len(items)})


# --- exports ---------------------------------------------------------------------------------


def _attachment(fmt: str) -> dict[str, str]:
    ext = {"csv": "csv", "geojson": "geojson", "parquet": "parquet"}[fmt]
    return {"Content-Disposition": f'attachment; filename="marsad-events.{ext}"'}


def _stream(chunks: Iterator[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")


def _first_then_rest(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Run the query before the answer starts, so a bad query is still a clean error."""
    first = next(rows, None)

    def again() -> Iterator[dict[str, Any]]:
        if first is not None:
            yield first
            yield from rows

    return again()


@router.get(
    "/export.csv",
    tags=["export"],
    summary="Events as CSV",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "UTF-8 CSV with a header"}},
)
def export_csv(store: StoreDep, filters: Filters) -> StreamingResponse:
    """One row per matching event (columns: see ``marsad.export``); UTF-8 with a BOM."""
    rows = _first_then_rest(exporter.event_rows(store, **filters))
    return StreamingResponse(_stream(exporter.csv_chunks(rows)), media_type=exporter.MEDIA_TYPES["csv"],
                             headers=_attachment("csv"))


@router.get(
    "/export.geojson",
    tags=["export"],
    summary="Events as GeoJSON",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/geo+json": {}}, "description": "a FeatureCollection"}},
)
def export_geojson(store: StoreDep, filters: Filters) -> StreamingResponse:
    """One Point feature per matching event (a null geometry when it has no coordinates)."""
    rows = _first_then_rest(exporter.event_rows(store, **filters))
    return StreamingResponse(_stream(exporter.geojson_chunks(rows)), media_type=exporter.MEDIA_TYPES["geojson"],
                             headers=_attachment("geojson"))


@router.get(
    "/export.parquet",
    tags=["export"],
    summary="Events as (Geo)Parquet",
    response_class=Response,
    responses={200: {"content": {"application/vnd.apache.parquet": {}}, "description": "a GeoParquet file"}},
)
async def export_parquet(store: StoreDep, filters: Filters) -> Response:
    """One row per matching event, with a WKB point geometry and GeoParquet metadata."""

    def build() -> bytes:
        buf = io.BytesIO()
        exporter.export(store, "parquet", buf, **filters)
        return buf.getvalue()

    data = await run_in_threadpool(build)
    return Response(data, media_type=exporter.MEDIA_TYPES["parquet"], headers=_attachment("parquet"))

