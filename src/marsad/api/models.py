"""Pydantic models that document the API's requests and answers (OpenAPI).

Answers are built from the store's dicts and sent as they are; these models
describe them.  Fields follow the Article contract: offsets are code-point
offsets into the article's ``text``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from marsad.events.lexicon import EVENT_TYPES as _TAXONOMY

EVENT_TYPES: tuple[str, ...] = tuple(_TAXONOMY)
# spelled out for the OpenAPI schema; tests/unit/test_event_types.py keeps it,
# and the dashboard's list, equal to the taxonomy
EventType = Literal[
    "battles",
    "explosions_remote_violence",
    "violence_against_civilians",
    "protests",
    "riots",
    "strategic_developments",
    "displacement",
]


class ErrorBody(BaseModel):
    code: str = Field(description="a stable error code", examples=["bad_query"])
    message: str = Field(description="what went wrong, for a person")


class ErrorResponse(BaseModel):
    """The shape of every error."""

    error: ErrorBody


class SpanModel(BaseModel):
    model_config = ConfigDict(extra="allow")
    text: str
    start: int
    end: int


class PlaceRef(BaseModel):
    model_config = ConfigDict(extra="allow")
    text: str | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None


class EventModel(BaseModel):
    """A stored event with its article's id, title and url."""

    model_config = ConfigDict(extra="allow")
    type: EventType
    sub_type: str | None = None
    trigger: SpanModel
    sentence: dict[str, int]
    actors: list[SpanModel] = []
    targets: list[SpanModel] = []
    place: PlaceRef | None = None
    destination: PlaceRef | None = None
    date: dict[str, Any] | None = None
    fatalities: int | None = None
    injured: int | None = None
    displaced: int | None = None
    arrested: int | None = None
    confidence: float
    article_id: str
    article_title: str | None = None
    url: str | None = None


class EventPage(BaseModel):
    items: list[EventModel]
    total: int = Field(description="how many events match the filters")


class ArticleSummary(BaseModel):
    id: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None
    events: int = Field(description="how many events the article reports")


class ArticlePage(BaseModel):
    items: list[ArticleSummary]
    total: int


class ArticleModel(BaseModel):
    """The stored Article (see the Article contract)."""

    model_config = ConfigDict(extra="allow")
    id: str
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    text: str
    page_stats: dict[str, int | None]
    entities: list[dict[str, Any]]
    places: list[dict[str, Any]]
    dates: list[dict[str, Any]]
    attributions: list[dict[str, Any]]
    events: list[dict[str, Any]]


class SearchItem(BaseModel):
    id: str
    title: str | None = None
    published: str | None = None
    snippet: str = Field(description="a window of the original text around the first match")
    highlights: list[list[int]] = Field(description="[start, end] of each matching word in the snippet")


class SearchPage(BaseModel):
    items: list[SearchItem]
    total: int


class PlaceCount(BaseModel):
    name: str | None = Field(None, description="the place as the text names it")
    country_code: str | None = None
    lat: float
    lon: float
    events: int
    by_type: dict[str, int]


class PlacePage(BaseModel):
    items: list[PlaceCount]


class DayCount(BaseModel):
    date: str
    type: EventType
    count: int


class Timeline(BaseModel):
    items: list[DayCount] = Field(description="events dated to one day, per day and type, oldest first")
    day: int = Field(description="matching events dated to a day")
    coarse: int = Field(description="matching events dated only to a longer period (month, year, …)")
    undated: int = Field(description="matching events with no date")


class IngestRecord(BaseModel):
    """One document to analyse and store: ``text`` (plain text) or ``html`` (a raw page)."""

    model_config = ConfigDict(extra="ignore")
    text: str | None = None
    html: str | None = None
    id: str | None = None
    url: str | None = None
    published: str | None = Field(None, description="ISO 8601 date, the anchor of relative dates")
    title: str | None = None


class IngestItem(BaseModel):
    id: str | None
    stored: bool | None = Field(None, description="false: the same document was already stored")
    error: ErrorBody | None = None


class IngestResult(BaseModel):
    items: list[IngestItem]
    stored: int
    skipped: int
    failed: int


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "a query the store cannot run (bad_query, bad_date)"},
    422: {"model": ErrorResponse, "description": "a parameter fails validation (bad_request)"},
    500: {"model": ErrorResponse, "description": "the server failed (internal_error)"},
}
