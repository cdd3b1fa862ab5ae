"""Exports of stored events: CSV, GeoJSON and (Geo)Parquet, one row or feature per event.

Every format carries the same columns (:data:`COLUMNS`), in this order:

========================  ================  ===================================================
column                    Parquet type      meaning
========================  ================  ===================================================
article_id                string            the article that reports the event
type                      string            event type (EVENTS.md)
sub_type                  string, null      event sub-type
trigger                   string            the word that signals the event
date                      string, null      ISO 8601 value (``2016-10-17``, ``2016-10``, ``2005/2006``)
date_precision            string, null      ``day``, ``week``, ``month``, ``season``, ``year``, ``range``
date_start, date_end      date32, null      first and last day the date covers
place                     string, null      the place as the text names it
lat, lon                  float64, null     WGS 84 degrees
country_code              string, null      ISO 3166-1 alpha-2
destination               string, null      displacement: where people went
destination_lat/_lon      float64, null
actors, targets           list<string>      who acted, who was hit (CSV/GeoJSON: joined by ``; ``)
fatalities, injured,      int64, null       figures read from the text
displaced, arrested
confidence                float64           in [0, 1]
outlet                    string, null      the source's domain (``www.`` dropped)
url                       string, null      the article's URL
article_title             string, null
published                 string, null      the article's publication date
sentence                  string            the evidence sentence, from the article text
attribution               string, null      who said so: ``source=…; via=…, …; cue=…`` for each
                                            attribution in the sentence, joined by `` | ``
geometry (Parquet only)   binary, null      WKB point (lon, lat); GeoParquet 1.1 metadata
========================  ================  ===================================================

CSV is UTF-8 with a byte-order mark (so spreadsheet programs read Arabic
right).  GeoJSON is an RFC 7946 FeatureCollection: a Point per event, or a
null geometry when the event has no coordinates.  Parquet files are
GeoParquet: ``pandas.read_parquet`` and ``geopandas.read_parquet`` both
read them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import struct
from collections.abc import Iterable, Iterator
from typing import IO, Any
from urllib.parse import urlsplit

from marsad.documents import Article
from marsad.errors import MarsadError
from marsad.store.sqlite import Store, date_range

FORMATS = ("csv", "geojson", "parquet")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "parquet": "application/vnd.apache.parquet",
}

COLUMNS: tuple[str, ...] = (
    "article_id", "type", "sub_type", "trigger", "date", "date_precision", "date_start", "date_end",
    "place", "lat", "lon", "country_code", "destination", "destination_lat", "destination_lon",
    "actors", "targets", "fatalities", "injured", "displaced", "arrested", "confidence",
    "outlet", "url", "article_title", "published", "sentence", "attribution",
)
LIST_COLUMNS = frozenset({"actors", "targets"})
LIST_SEPARATOR = "; "
ATTRIBUTION_SEPARATOR = " | "


# --- rows ------------------------------------------------------------------------------------


def outlet(url: str | None) -> str | None:
    """The outlet of a URL: its host name, lower case, without ``www.``."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _overlaps(span: dict[str, Any] | None, start: int, end: int) -> bool:
    return bool(span) and span["start"] < end and start < span["end"]  # type: ignore[index]


def attribution_chain(article: Article, start: int, end: int) -> str | None:
    """The attributions whose claim, cue or source lies in ``[start, end)``, as text."""
    chains = []
    for a in article.attributions:
        content = a.content.to_dict() if a.content else None
        if not (_overlaps(content, start, end) or _overlaps(a.cue.to_dict(), start, end)
                or _overlaps(a.source.to_dict(), start, end)):
            continue
        parts = [f"source={a.source.text}"]
        if a.via:
            parts.append("via=" + ", ".join(v.text for v in a.via))
        parts.append(f"cue={a.cue.text}")
        chains.append("; ".join(parts))
    return ATTRIBUTION_SEPARATOR.join(chains) or None


def _place(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _figure(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def event_row(event: dict[str, Any], article: Article | None) -> dict[str, Any]:
    """One export row from a stored event item (with ``article_id``, ``article_title``, ``url``)."""
    place, dest = _place(event.get("place")), _place(event.get("destination"))
    date: dict[str, Any] = event["date"] if isinstance(event.get("date"), dict) else {}
    bounds = date_range(date.get("value"))
    sentence = event.get("sentence") or {}
    s_start, s_end = int(sentence.get("start", 0)), int(sentence.get("end", 0))
    text = article.text if article else ""
    return {
        "article_id": event["article_id"],
        "type": event["type"],
        "sub_type": event.get("sub_type"),
        "trigger": (event.get("trigger") or {}).get("text"),
        "date": date.get("value"),
        "date_precision": date.get("precision"),
        "date_start": bounds[0] if bounds else None,
        "date_end": bounds[1] if bounds else None,
        "place": place.get("text"),
        "lat": _number(place.get("lat")),
        "lon": _number(place.get("lon")),
        "country_code": place["country_code"].upper() if isinstance(place.get("country_code"), str) else None,
        "destination": dest.get("text"),
        "destination_lat": _number(dest.get("lat")),
        "destination_lon": _number(dest.get("lon")),
        "actors": [a["text"] for a in event.get("actors") or []],
        "targets": [t["text"] for t in event.get("targets") or []],
        "fatalities": _figure(event.get("fatalities")),
        "injured": _figure(event.get("injured")),
        "displaced": _figure(event.get("displaced")),
        "arrested": _figure(event.get("arrested")),
        "confidence": _number(event.get("confidence")),
        "outlet": outlet(event.get("url")),
        "url": event.get("url"),
        "article_title": event.get("article_title"),
        "published": article.published if article else None,
        "sentence": text[s_start:s_end],
        "attribution": attribution_chain(article, s_start, s_end) if article else None,
    }


def event_rows(store: Store, **filters: Any) -> Iterator[dict[str, Any]]:
    """Export rows of the stored events matching ``filters`` (see :meth:`Store.events`)."""
    cached: tuple[str, Article | None] | None = None
    for event in store.iter_events(**filters):
        article_id = event["article_id"]
        if cached is None or cached[0] != article_id:  # an article's events are stored together
            cached = (article_id, store.get(article_id))
        yield event_row(event, cached[1])


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key in LIST_COLUMNS:
        out[key] = LIST_SEPARATOR.join(out[key])
    return out


# --- writers ---------------------------------------------------------------------------------


def csv_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV text (BOM, header, one line per row) in chunks."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    buf.write("\ufeff")
    writer.writeheader()
    for i, row in enumerate(rows, 1):
        writer.writerow(_flat(row))
        if i % 256 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def geojson_feature(row: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature: a Point at (lon, lat), or a null geometry."""
    geometry = None
    if row["lat"] is not None and row["lon"] is not None:
        geometry = {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
    return {"type": "Feature", "geometry": geometry, "properties": _flat(row)}


def geojson_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A GeoJSON FeatureCollection, one feature per row, in chunks."""
    yield '{"type":"FeatureCollection","features":['
    sep = "\n"
    for row in rows:
        yield sep + json.dumps(geojson_feature(row), ensure_ascii=False, allow_nan=False)
        sep = ",\n"
    yield "\n]}\n"


def _wkb_point(lon: float | None, lat: float | None) -> bytes | None:
    if lon is None or lat is None:
        return None
    return struct.pack("<BIdd", 1, 1, lon, lat)  # little-endian WKB Point


def parquet_schema() -> Any:
    """The pyarrow schema of the Parquet export (geometry last)."""
    import pyarrow as pa

    types = {
        "date_start": pa.date32(), "date_end": pa.date32(),
        "lat": pa.float64(), "lon": pa.float64(),
        "destination_lat": pa.float64(), "destination_lon": pa.float64(),
        "actors": pa.list_(pa.string()), "targets": pa.list_(pa.string()),
        "fatalities": pa.int64(), "injured": pa.int64(), "displaced": pa.int64(), "arrested": pa.int64(),
        "confidence": pa.float64(),
    }
    fields = [pa.field(name, types.get(name, pa.string()), nullable=name not in ("article_id", "type"))
              for name in COLUMNS]
    fields.append(pa.field("geometry", pa.binary()))
    return pa.schema(fields)


def parquet_table(rows: Iterable[dict[str, Any]]) -> Any:
    """A pyarrow Table of the rows, with GeoParquet metadata for its geometry column."""
    import pyarrow as pa

    schema = parquet_schema()
    columns: dict[str, list[Any]] = {name: [] for name in schema.names}
    west = south = float("inf")
    east = north = float("-inf")
    for row in rows:
        for name in COLUMNS:
            value = row[name]
            if name in ("date_start", "date_end") and value is not None:
                value = dt.date.fromisoformat(value)
            columns[name].append(value)
        lon, lat = row["lon"], row["lat"]
        columns["geometry"].append(_wkb_point(lon, lat))
        if lon is not None and lat is not None:
            west, east, south, north = min(west, lon), max(east, lon), min(south, lat), max(north, lat)
    geo: dict[str, Any] = {"encoding": "WKB", "geometry_types": ["Point"]}
    if west <= east:
        geo["bbox"] = [west, south, east, north]
    metadata = {
        b"geo": json.dumps(
            {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": geo}}
        ).encode(),
    }
    return pa.Table.from_pydict(columns, schema=schema.with_metadata(metadata))


# --- entry point -----------------------------------------------------------------------------


def export(store: Store, fmt: str, out: str | os.PathLike[str] | IO[bytes], **filters: Any) -> int:
    """Write the stored events matching ``filters`` to ``out`` as ``fmt``; return the rows written.

    ``fmt`` is ``csv``, ``geojson`` or ``parquet``; ``out`` a path or a
    binary file; ``filters`` those of :meth:`Store.events` (``type``,
    ``country``, ``since``, ``until``, ``bbox``, ``q``).
    """
    if fmt not in FORMATS:
        raise MarsadError("bad_usage", f"export format must be one of {', '.join(FORMATS)}, not {fmt!r}", fmt)
    count = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        for row in event_rows(store, **filters):
            count += 1
            yield row

    if fmt == "parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError as e:  # the 'export' extra is not installed
            raise MarsadError("bad_usage", "Parquet export needs pyarrow (pip install 'marsad[export]')") from e
        table = parquet_table(counted())
        pq.write_table(table, out, compression="zstd")
        return count
    chunks = csv_chunks(counted()) if fmt == "csv" else geojson_chunks(counted())
    if isinstance(out, str | os.PathLike):
        with open(out, "w", encoding="utf-8", newline="") as f:
            for chunk in chunks:
                f.write(chunk)
    else:
        for chunk in chunks:
            out.write(chunk.encode("utf-8"))
        out.flush()
    return count
