"""The Parquet schema of a batch run: articles, events, stories and story events.

``marsad run`` writes these tables (see docs/PARQUET.md for the layout of
the output folder).  The article and event columns follow the Article JSON
of the contract, field for field, so that :func:`article_from_rows` rebuilds
the very Article that was analysed; spans keep their code-point offsets.
A span is ``struct<text: string, start: int32, end: int32>``.

articles/<shard>.parquet — one row per analysed document, in input order
    article_id      string, not null   the Article id
    story_id        string, not null   the story's id: the article id of its canonical copy
    source          string, not null   where the document came from (``path#record``,
                                       ``path:line``, or the path); unique in a run
    shard           string, not null   the shard that analysed it
    url, title, author, published, language   string
    text            string, not null   the article body
    page_stats      struct<views, comments, likes: int64>
    entities        list<struct<text, start, end, label>>
    places          list<struct<text, start, end, name, name_ar, country_code, lat: float64,
                                lon: float64, feature, geonames_id: int64>>
    dates           list<struct<text, start, end, value, precision>>
    attributions    list<struct<source: span, via: list<span>, cue: span, content: span>>
    n_events        int32, not null    rows of this article in events/
    content_hash    string, not null   hash of the normalised text (exact copies share it)
    minhash         binary             128 uint32 little-endian: MinHash of character 5-grams;
                                       null for texts too short to compare

events/<shard>.parquet — one row per event, articles in input order, events in text order
    article_id, story_id, source, shard   as in articles (``source`` joins the two tables)
    event_index     int32, not null    position in the Article's ``events``
    url, published  string             the article's, for convenience
    type            string, not null   EVENTS.md
    sub_type        string
    trigger         span
    sentence        struct<start, end: int32>
    actors, targets list<span>
    place, destination   struct<text: string, lat: float64, lon: float64, country_code: string>
    date            struct<value, precision: string>
    fatalities, injured, displaced, arrested   int64
    confidence      float64
    extra           string             JSON object of any further fields: added event fields, and
                                       keys of place, destination and date beyond the columns
                                       above (under ``_place``, ``_destination``, ``_date``);
                                       null when there are none

stories/stories.parquet — one row per story (singletons included), in order of first appearance
    story_id        string, not null
    size            int32, not null    number of copies
    canonical_source string, not null
    first_published string             the earliest publication date of a copy
    urls            list<string>       distinct URLs of the copies, canonical first
    members         list<struct<article_id, source, shard, url, title, published, content_hash: string,
                                exact: bool, similarity: float64>>
                                       every copy, canonical first; ``exact``: same content hash as the
                                       canonical; ``similarity``: estimated Jaccard to the canonical

stories/events.parquet — one row per distinct event of a story (copies' reports merged)
    story_id, event_id (string, not null), the event columns above from ``type`` to ``extra``
    (figures: the highest any report gives; confidence: the highest), n_sources (int32) and
    sources: list<struct<article_id, source, url, published: string, event_index: int32,
             fatalities, injured, displaced, arrested: int64>>  every report, canonical first
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from marsad.documents import Article, Event

__all__ = [
    "ARTICLES",
    "EVENTS",
    "STORIES",
    "STORY_EVENTS",
    "TableWriter",
    "article_from_rows",
    "article_row",
    "event_rows",
    "read_rows",
    "write_table",
]

ROW_GROUP = 1000  # rows per row group; fixed, so the same rows give the same bytes
COMPRESSION = "zstd"

SPAN = pa.struct([("text", pa.string()), ("start", pa.int32()), ("end", pa.int32())])
ENTITY = pa.struct([*SPAN, ("label", pa.string())])
PLACE = pa.struct(
    [
        *SPAN,
        ("name", pa.string()),
        ("name_ar", pa.string()),
        ("country_code", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("feature", pa.string()),
        ("geonames_id", pa.int64()),
    ]
)
DATE = pa.struct([*SPAN, ("value", pa.string()), ("precision", pa.string())])
ATTRIBUTION = pa.struct(
    [("source", SPAN), ("via", pa.list_(SPAN)), ("cue", SPAN), ("content", SPAN)]
)
PAGE_STATS = pa.struct([("views", pa.int64()), ("comments", pa.int64()), ("likes", pa.int64())])
EVENT_PLACE = pa.struct(
    [("text", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()), ("country_code", pa.string())]
)
EVENT_PLACE_KEYS = ("text", "lat", "lon", "country_code")
DATE_KEYS = ("value", "precision")


def _f(name: str, kind: pa.DataType, nullable: bool = True) -> pa.Field:
    return pa.field(name, kind, nullable=nullable)


ARTICLES = pa.schema(
    [
        _f("article_id", pa.string(), False),
        _f("story_id", pa.string(), False),
        _f("source", pa.string(), False),
        _f("shard", pa.string(), False),
        _f("url", pa.string()),
        _f("title", pa.string()),
        _f("author", pa.string()),
        _f("published", pa.string()),
        _f("language", pa.string()),
        _f("text", pa.string(), False),
        _f("page_stats", PAGE_STATS),
        _f("entities", pa.list_(ENTITY)),
        _f("places", pa.list_(PLACE)),
        _f("dates", pa.list_(DATE)),
        _f("attributions", pa.list_(ATTRIBUTION)),
        _f("n_events", pa.int32(), False),
        _f("content_hash", pa.string(), False),
        _f("minhash", pa.binary()),
    ]
)

EVENT_FIELDS = [
    _f("type", pa.string(), False),
    _f("sub_type", pa.string()),
    _f("trigger", SPAN),
    _f("sentence", pa.struct([("start", pa.int32()), ("end", pa.int32())])),
    _f("actors", pa.list_(SPAN)),
    _f("targets", pa.list_(SPAN)),
    _f("place", EVENT_PLACE),
    _f("destination", EVENT_PLACE),
    _f("date", pa.struct([("value", pa.string()), ("precision", pa.string())])),
    _f("fatalities", pa.int64()),
    _f("injured", pa.int64()),
    _f("displaced", pa.int64()),
    _f("arrested", pa.int64()),
    _f("confidence", pa.float64()),
    _f("extra", pa.string()),
]

EVENTS = pa.schema(
    [
        _f("article_id", pa.string(), False),
        _f("story_id", pa.string(), False),
        _f("source", pa.string(), False),
        _f("shard", pa.string(), False),
        _f("event_index", pa.int32(), False),
        _f("url", pa.string()),
        _f("published", pa.string()),
        *EVENT_FIELDS,
    ]
)

MEMBER = pa.struct(
    [
        ("article_id", pa.string()),
        ("source", pa.string()),
        ("shard", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published", pa.string()),
        ("content_hash", pa.string()),
        ("exact", pa.bool_()),
        ("similarity", pa.float64()),
    ]
)

STORIES = pa.schema(
    [
        _f("story_id", pa.string(), False),
        _f("size", pa.int32(), False),
        _f("canonical_source", pa.string(), False),
        _f("first_published", pa.string()),
        _f("urls", pa.list_(pa.string())),
        _f("members", pa.list_(MEMBER)),
    ]
)

REPORT = pa.struct(
    [
        ("article_id", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("published", pa.string()),
        ("event_index", pa.int32()),
        ("fatalities", pa.int64()),
        ("injured", pa.int64()),
        ("displaced", pa.int64()),
        ("arrested", pa.int64()),
    ]
)

STORY_EVENTS = pa.schema(
    [
        _f("story_id", pa.string(), False),
        _f("event_id", pa.string(), False),
        *EVENT_FIELDS,
        _f("n_sources", pa.int32(), False),
        _f("sources", pa.list_(REPORT)),
    ]
)


# --- rows ------------------------------------------------------------------------------------


def article_row(
    article: Article,
    *,
    story_id: str,
    shard: str,
    content_hash: str,
    minhash: bytes | None,
) -> dict[str, Any]:
    """The articles-table row of an analysed Article."""
    d = article.to_dict()
    return {
        "article_id": d["id"],
        "story_id": story_id,
        "source": article.source or d["id"],
        "shard": shard,
        "url": d["url"],
        "title": d["title"],
        "author": d["author"],
        "published": d["published"],
        "language": d["language"],
        "text": d["text"],
        "page_stats": d["page_stats"],
        "entities": d["entities"],
        "places": d["places"],
        "dates": d["dates"],
        "attributions": d["attributions"],
        "n_events": len(article.events),
        "content_hash": content_hash,
        "minhash": minhash,
    }


def _split(value: Any, keys: Sequence[str], extra: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The struct part of a dict; its other keys go to ``extra["_<name>"]``."""
    if not isinstance(value, dict):
        return None
    rest = {k: v for k, v in value.items() if k not in keys}
    if rest:
        extra[f"_{name}"] = rest
    return {k: value.get(k) for k in keys}


def event_fields(event: Event) -> dict[str, Any]:
    """The event columns (``type`` … ``extra``) of one Event."""
    d = event.to_dict()
    known = {f.name for f in EVENT_FIELDS}
    extra = {k: v for k, v in d.items() if k not in known}
    row = {
        "type": d["type"],
        "sub_type": d["sub_type"],
        "trigger": d["trigger"],
        "sentence": d["sentence"],
        "actors": d["actors"],
        "targets": d["targets"],
        "place": _split(d["place"], EVENT_PLACE_KEYS, extra, "place"),
        "destination": _split(d["destination"], EVENT_PLACE_KEYS, extra, "destination"),
        "date": _split(d["date"], DATE_KEYS, extra, "date"),
        "fatalities": d["fatalities"],
        "injured": d["injured"],
        "displaced": d["displaced"],
        "arrested": d["arrested"],
        "confidence": d["confidence"],
    }
    row["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None
    return row


def event_rows(article: Article, *, story_id: str, shard: str) -> list[dict[str, Any]]:
    """The events-table rows of an Article, in text order."""
    out = []
    for i, event in enumerate(article.events):
        out.append(
            {
                "article_id": article.id,
                "story_id": story_id,
                "source": article.source or article.id,
                "shard": shard,
                "event_index": i,
                "url": article.url,
                "published": article.published,
                **event_fields(event),
            }
        )
    return out


def _event_dict(row: dict[str, Any]) -> dict[str, Any]:
    extra = json.loads(row["extra"]) if row.get("extra") else {}
    out = {f.name: row.get(f.name) for f in EVENT_FIELDS if f.name != "extra"}
    for name in ("place", "destination", "date"):
        more = extra.pop(f"_{name}", None)
        base = out[name]
        if isinstance(base, dict) and more:
            out[name] = {**base, **more}
    out.update(extra)
    return out


def article_from_rows(row: dict[str, Any], events: Sequence[dict[str, Any]] = ()) -> Article:
    """The Article an articles row (and its events rows, in order) was made from."""
    data = {
        "id": row["article_id"],
        "url": row["url"],
        "title": row["title"],
        "author": row["author"],
        "published": row["published"],
        "language": row["language"],
        "text": row["text"],
        "page_stats": row["page_stats"] or {},
        "entities": row["entities"] or [],
        "places": row["places"] or [],
        "dates": row["dates"] or [],
        "attributions": row["attributions"] or [],
        "events": [_event_dict(e) for e in sorted(events, key=lambda e: e["event_index"])],
    }
    article = Article.from_dict(data)
    article.source = row["source"]
    return article


# --- files -----------------------------------------------------------------------------------


def _temp(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


class TableWriter:
    """Rows → one Parquet file, written in fixed row groups to a temporary name.

    :meth:`commit` renames the file into place (atomic on POSIX); until then
    nothing at ``path`` changes, and :meth:`abort` removes the temporary file.
    """

    def __init__(self, path: Path, schema: pa.Schema, row_group: int = ROW_GROUP) -> None:
        self.path = Path(path)
        self.schema = schema
        self.row_group = row_group
        self.tmp = _temp(self.path)
        self.rows = 0
        self._pending: list[dict[str, Any]] = []
        self._writer = pq.ParquetWriter(self.tmp, schema, compression=COMPRESSION)

    def write(self, row: dict[str, Any]) -> None:
        self._pending.append(row)
        self.rows += 1
        if len(self._pending) >= self.row_group:
            self._flush()

    def write_many(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.write(row)

    def _flush(self) -> None:
        if self._pending:
            self._writer.write_table(pa.Table.from_pylist(self._pending, schema=self.schema))
            self._pending = []

    def commit(self) -> None:
        self._flush()
        self._writer.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        try:
            self._writer.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def write_table(path: Path, schema: pa.Schema, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows to ``path`` atomically; return how many."""
    writer = TableWriter(path, schema)
    try:
        writer.write_many(rows)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return writer.rows


def read_rows(path: Path, columns: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of a Parquet file as dicts, row group by row group."""
    pf = pq.ParquetFile(path)
    for i in range(pf.num_row_groups):
        yield from pf.read_row_group(i, columns=list(columns) if columns else None).to_pylist()
