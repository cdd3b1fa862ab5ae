"""The central types, and nothing else.

``RawPage`` is what a reader produced (immutable bytes plus what the source
said about them), ``Article`` is the analysed document.  Every annotation is
a span with code-point offsets into ``Article.text``: ``text[start:end]`` is
always the span's text.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from marsad.errors import MarsadError

PageKind = Literal["text", "html"]


@dataclass(frozen=True, slots=True)
class RawPage:
    """One document as read from a source, before any interpretation.

    ``content`` is never modified: extraction works on a decoded copy.
    ``kind`` says how to read the bytes: ``text`` (a text dump, page chrome
    and all) or ``html``.
    """

    content: bytes
    kind: PageKind
    source: str  # where it came from: a path, ``path#record``, ``path:line``
    id: str | None = None  # an id given by the source (JSONL ``id``)
    url: str | None = None
    fetched: str | None = None  # ISO 8601, e.g. a WARC-Date
    content_type: str | None = None
    charset: str | None = None  # the charset the source declared, if any
    published: str | None = None  # a publication date the source gave
    title: str | None = None  # a title the source gave


@dataclass(frozen=True, slots=True)
class ReadError:
    """A document that could not be read; it keeps its place in the stream."""

    source: str
    error: MarsadError
    id: str | None = None


@dataclass(slots=True)
class Span:
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Token:
    """A token with its offsets; clitics are tokens of their own.

    ``norm`` is the matching form (see :mod:`marsad.arabic.normalize`),
    ``stem`` the normalised form without the definite article, used for
    search.  ``kind`` is ``word``, ``clitic``, ``number``, ``punct`` or
    ``latin``.
    """

    text: str
    start: int
    end: int
    norm: str
    kind: str = "word"
    stem: str = ""
    article: bool = False  # the word carries the definite article ال
    # surface of the proclitics split off this word, in order (e.g. ("و", "ب"))
    proclitics: tuple[str, ...] = ()


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    token_start: int = 0  # index of the first token in Article.tokens
    token_end: int = 0  # one past the last token

    def to_dict(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


@dataclass(slots=True)
class Entity(Span):
    label: str = "MISC"

    def to_dict(self) -> dict[str, Any]:
        return {**Span.to_dict(self), "label": self.label}


@dataclass(slots=True)
class Place(Span):
    name: str | None = None
    name_ar: str | None = None
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    geonames_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **Span.to_dict(self),
            "name": self.name,
            "name_ar": self.name_ar,
            "country_code": self.country_code,
            "lat": self.lat,
            "lon": self.lon,
            "feature": self.feature,
            "geonames_id": self.geonames_id,
        }


@dataclass(slots=True)
class DateMention(Span):
    value: str | None = None
    precision: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**Span.to_dict(self), "value": self.value, "precision": self.precision}


@dataclass(slots=True)
class Attribution:
    source: Span
    cue: Span
    via: list[Span] = field(default_factory=list)
    content: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source.to_dict(),
            "via": [v.to_dict() for v in self.via],
            "cue": self.cue.to_dict(),
            "content": self.content.to_dict() if self.content else None,
        }


@dataclass(slots=True)
class Event:
    type: str
    trigger: Span
    sentence: Sentence
    sub_type: str | None = None
    actors: list[Span] = field(default_factory=list)
    targets: list[Span] = field(default_factory=list)
    place: dict[str, Any] | None = None
    destination: dict[str, Any] | None = None
    date: dict[str, Any] | None = None
    fatalities: int | None = None
    injured: int | None = None
    displaced: int | None = None
    arrested: int | None = None
    confidence: float = 0.5
    extra: dict[str, Any] = field(default_factory=dict)  # added, documented fields

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "sub_type": self.sub_type,
            "trigger": self.trigger.to_dict(),
            "sentence": self.sentence.to_dict(),
            "actors": [a.to_dict() for a in self.actors],
            "targets": [t.to_dict() for t in self.targets],
            "place": self.place,
            "destination": self.destination,
            "date": self.date,
            "fatalities": self.fatalities,
            "injured": self.injured,
            "displaced": self.displaced,
            "arrested": self.arrested,
            "confidence": self.confidence,
        }
        out.update(self.extra)
        return out


@dataclass(slots=True)
class PageStats:
    views: int | None = None
    comments: int | None = None
    likes: int | None = None

    def to_dict(self) -> dict[str, int | None]:
        return asdict(self)


def content_id(text: str) -> str:
    """A stable id for a text: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Article:
    """A document and its annotations; each list is filled by one stage.

    ``tokens`` and ``sentences`` are working annotations (not part of the
    JSON contract); everything in :meth:`to_dict` is.
    """

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    page_stats: PageStats = field(default_factory=PageStats)
    source: str | None = None
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # which fields a stage has filled; the pipeline builder reasons about these
    provided: set[str] = field(default_factory=set)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "author": self.author,
            "published": self.published,
            "language": self.language,
            "text": self.text,
            "page_stats": self.page_stats.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "places": [p.to_dict() for p in self.places],
            "dates": [d.to_dict() for d in self.dates],
            "attributions": [a.to_dict() for a in self.attributions],
            "events": [e.to_dict() for e in self.events],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild an Article from :meth:`to_dict` output (store, Parquet)."""

        def span(d: dict[str, Any]) -> Span:
            return Span(d["text"], d["start"], d["end"])

        events = []
        known = {
            "type", "sub_type", "trigger", "sentence", "actors", "targets", "place",
            "destination", "date", "fatalities", "injured", "displaced", "arrested",
            "confidence",
        }
        for e in data.get("events", []):
            events.append(
                Event(
                    type=e["type"],
                    sub_type=e.get("sub_type"),
                    trigger=span(e["trigger"]),
                    sentence=Sentence(e["sentence"]["start"], e["sentence"]["end"]),
                    actors=[span(a) for a in e.get("actors", [])],
                    targets=[span(t) for t in e.get("targets", [])],
                    place=e.get("place"),
                    destination=e.get("destination"),
                    date=e.get("date"),
                    fatalities=e.get("fatalities"),
                    injured=e.get("injured"),
                    displaced=e.get("displaced"),
                    arrested=e.get("arrested"),
                    confidence=e.get("confidence", 0.5),
                    extra={k: v for k, v in e.items() if k not in known},
                )
            )
        place_keys = ("name", "name_ar", "country_code", "lat", "lon", "feature", "geonames_id")
        return cls(
            id=data["id"],
            text=data["text"],
            url=data.get("url"),
            title=data.get("title"),
            author=data.get("author"),
            published=data.get("published"),
            language=data.get("language"),
            page_stats=PageStats(**(data.get("page_stats") or {})),
            entities=[Entity(d["text"], d["start"], d["end"], d["label"]) for d in data.get("entities", [])],
            places=[
                Place(d["text"], d["start"], d["end"], **{k: d.get(k) for k in place_keys})
                for d in data.get("places", [])
            ],
            dates=[
                DateMention(d["text"], d["start"], d["end"], d.get("value"), d.get("precision"))
                for d in data.get("dates", [])
            ],
            attributions=[
                Attribution(
                    source=span(a["source"]),
                    cue=span(a["cue"]),
                    via=[span(v) for v in a.get("via", [])],
                    content=span(a["content"]) if a.get("content") else None,
                )
                for a in data.get("attributions", [])
            ],
            events=events,
        )


@dataclass(frozen=True, slots=True)
class Drop:
    """A document a stage rejected, with the stage's name and a reason."""

    stage: str
    reason: str


def error_record(doc_id: str | None, error: MarsadError) -> dict[str, Any]:
    """The contract's per-document error object."""
    return {"id": doc_id, "error": error.to_dict()}
