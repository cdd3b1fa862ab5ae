"""The embedded store: articles and their annotations in one SQLite file.

One schema holds the whole Article (as JSON, for a faithful round trip) and,
beside it, one table per annotation list with the typed columns that queries
filter on: events by type, date range, country, bounding box and text.  A
contentless FTS5 table indexes the *search terms* of each title and body (see
:mod:`marsad.store.search`), keyed on the article's stable ``seq`` rowid.

Writes go in one transaction per batch: a failure anywhere in a batch rolls
the whole batch back.  Storing an article a second time (same text, or same
id) changes nothing.

The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS`
brings an older file up to date when it is opened for writing, and
``schema_version`` records when each step ran.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from marsad.documents import Article
from marsad.errors import MarsadError
from marsad.isodates import date_range
from marsad.store.search import SearchHit, SearchResult, index_text, parse_query, snippet
from marsad.store.stories import assign_story

BUSY_TIMEOUT_S = 10.0
MAX_LIMIT = 1000
ITER_CHUNK = 256  # rows fetched at a time by the iterators

# Version 1: the whole schema.  FTS5 splits the stored terms on whitespace
# only (letters, marks, numbers, punctuation and symbols are token
# characters): the terms are already normalised by marsad.
SCHEMA_V1 = """
CREATE TABLE schema_version (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
);

CREATE TABLE articles (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- stable rowid: search index and insertion order
    id           TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,               -- sha256 of text, hex
    url          TEXT,
    title        TEXT,
    author       TEXT,
    published    TEXT,
    language     TEXT,
    text         TEXT NOT NULL,
    page_stats   TEXT NOT NULL,                      -- JSON
    source       TEXT,
    ingested_at  TEXT NOT NULL,                      -- ISO 8601, UTC
    article      TEXT NOT NULL                       -- JSON: Article.to_dict() without "text" (kept once, above)
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_language ON articles(language);
CREATE INDEX articles_url ON articles(url);

CREATE TABLE entities (
    id         INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    label      TEXT NOT NULL
);
CREATE INDEX entities_article ON entities(article_id);
CREATE INDEX entities_label_text ON entities(label, text);

CREATE TABLE places (
    id           INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    text         TEXT NOT NULL,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    name         TEXT,
    name_ar      TEXT,
    country_code TEXT,
    lat          REAL,
    lon          REAL,
    feature      TEXT,
    geonames_id  INTEGER
);
CREATE INDEX places_article ON places(article_id);
CREATE INDEX places_country ON places(country_code);
CREATE INDEX places_geonames ON places(geonames_id);

CREATE TABLE dates (
    id         INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    value      TEXT,
    precision  TEXT,
    date_start TEXT,                                 -- first day the value covers, ISO
    date_end   TEXT                                  -- last day the value covers, ISO
);
CREATE INDEX dates_article ON dates(article_id);
CREATE INDEX dates_start ON dates(date_start);

CREATE TABLE attributions (
    id            INTEGER PRIMARY KEY,
    article_id    TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    source_text   TEXT NOT NULL,
    source_start  INTEGER NOT NULL,
    source_end    INTEGER NOT NULL,
    cue_text      TEXT NOT NULL,
    cue_start     INTEGER NOT NULL,
    cue_end       INTEGER NOT NULL,
    content_start INTEGER,
    content_end   INTEGER,
    via           TEXT NOT NULL                      -- JSON list of spans
);
CREATE INDEX attributions_article ON attributions(article_id);
CREATE INDEX attributions_source ON attributions(source_text);

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    article_id     TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    type           TEXT NOT NULL,
    sub_type       TEXT,
    trigger_text   TEXT NOT NULL,
    trigger_start  INTEGER NOT NULL,
    trigger_end    INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL,
    place_text     TEXT,
    country_code   TEXT,
    lat            REAL,
    lon            REAL,
    date_value     TEXT,
    date_precision TEXT,
    date_start     TEXT,                             -- ISO day, for range filters
    date_end       TEXT,
    fatalities     INTEGER,
    injured        INTEGER,
    displaced      INTEGER,
    arrested       INTEGER,
    confidence     REAL NOT NULL,
    event          TEXT NOT NULL                     -- JSON: Event.to_dict()
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_type_date ON events(type, date_start);
CREATE INDEX events_date ON events(date_start, date_end);
CREATE INDEX events_country_date ON events(country_code, date_start);
CREATE INDEX events_lat_lon ON events(lat, lon);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body,
    content = '',
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M* P* S*'"
);
"""


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run SQL statements one by one, inside the caller's transaction.

    (``executescript`` would commit the open transaction first.)
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            conn.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement: {pending.strip()[:60]}")


# Version 2: the state of followed feeds (marsad watch).  An entry is keyed
# on its link, whichever feed listed it, so a story listed by two feeds is
# fetched once; it is written in the transaction that stores its article.
SCHEMA_V2 = """
CREATE TABLE feeds (
    url           TEXT PRIMARY KEY,
    outlet        TEXT,
    language      TEXT,
    added_at      TEXT NOT NULL,
    etag          TEXT,                              -- validators of the last full read
    last_modified TEXT,
    last_poll     TEXT,                              -- ISO 8601, UTC: last time the feed was asked for
    last_ok       TEXT,                              -- last time it was read (200 or 304)
    next_poll     TEXT,                              -- when it is due again
    status        TEXT NOT NULL DEFAULT 'new',       -- new, ok, not_modified, error
    http_status   INTEGER,
    error_code    TEXT,
    error_message TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,        -- polls failed in a row
    new_entries   INTEGER NOT NULL DEFAULT 0,        -- articles the last poll stored
    entry_errors  INTEGER NOT NULL DEFAULT 0         -- entries the last poll could not store
);

CREATE TABLE feed_entries (
    url           TEXT PRIMARY KEY,                  -- the entry's link, fragment dropped
    feed_url      TEXT NOT NULL REFERENCES feeds(url) ON DELETE CASCADE,
    guid          TEXT,
    status        TEXT NOT NULL,                     -- stored, duplicate, failed, skipped
    article_id    TEXT,                              -- stored or duplicate: the article in the store
    content_hash  TEXT,                              -- sha256 of the article text, hex
    final_url     TEXT,                              -- where redirects led
    attempts      INTEGER NOT NULL DEFAULT 0,
    error_code    TEXT,
    error_message TEXT,
    first_seen    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX feed_entries_feed ON feed_entries(feed_url, status);
CREATE INDEX feed_entries_hash ON feed_entries(content_hash);
"""


# Version 3: the event indexes widened to cover every event filter (same names),
# so that counting the events that match a type, country, date range, box or
# set of articles reads index entries only, never table rows, and a page of the
# latest events comes from an index.
SCHEMA_V3 = """
DROP INDEX events_type_date;
DROP INDEX events_country_date;
DROP INDEX events_lat_lon;
DROP INDEX events_article;
CREATE INDEX events_type_date ON events(type, date_start, date_end, country_code, lat, lon, article_id);
CREATE INDEX events_country_date ON events(country_code, date_start, date_end, type, lat, lon, article_id);
CREATE INDEX events_lat_lon ON events(lat, lon, date_start, date_end, type, country_code, article_id);
CREATE INDEX events_article ON events(article_id, type, date_start, date_end, country_code, lat, lon);
"""

# Version 4: the date index covers the filters too (a page of a large box is read
# by walking it in date order); the coordinate index puts type third (counts per
# place and type stream out of it in order) and carries the place's name; and a
# narrow index from an article's seq (the search index's rowid) to its id turns
# search hits into article ids without reading article rows.
SCHEMA_V4 = """
DROP INDEX events_date;
CREATE INDEX events_date ON events(date_start, date_end, type, country_code, lat, lon, article_id);
DROP INDEX events_lat_lon;
CREATE INDEX events_lat_lon ON events(lat, lon, type, date_start, date_end, country_code, article_id, place_text);
CREATE INDEX articles_seq_id ON articles(seq, id);
"""


def _migrate_v1(conn: sqlite3.Connection) -> None:
    run_script(conn, SCHEMA_V1)


def _migrate_v2(conn: sqlite3.Connection) -> None:
    run_script(conn, SCHEMA_V2)


def _migrate_v3(conn: sqlite3.Connection) -> None:
    run_script(conn, SCHEMA_V3)


def _migrate_v4(conn: sqlite3.Connection) -> None:
    run_script(conn, SCHEMA_V4)


# Version 5: stories — syndicated copies share a story_id (see marsad.store.stories).
def _migrate_v5(conn: sqlite3.Connection) -> None:
    from marsad.store.stories import migrate_v5

    migrate_v5(conn, run_script)


STORIES_VERSION = 5

# MIGRATIONS[i] takes a store from version i to version i + 1.  Append, never edit.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migrate_v1, _migrate_v2, _migrate_v3, _migrate_v4, _migrate_v5,
]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def content_hash(text: str) -> str:
    """The full SHA-256 (hex) of ``text``: two articles with one hash are one."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- rows ------------------------------------------------------------------


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _code(value: Any) -> str | None:
    return value.upper() if isinstance(value, str) and value else None


def _confidence(value: Any) -> float:
    found = _float(value)
    return 0.5 if found is None else found


def _event_row(article_id: str, e: dict[str, Any]) -> tuple[Any, ...]:
    place: dict[str, Any] = e["place"] if isinstance(e.get("place"), dict) else {}
    date: dict[str, Any] = e["date"] if isinstance(e.get("date"), dict) else {}
    value = date.get("value")
    bounds = date_range(value)
    return (
        article_id,
        e["type"],
        e.get("sub_type"),
        e["trigger"]["text"],
        e["trigger"]["start"],
        e["trigger"]["end"],
        e["sentence"]["start"],
        e["sentence"]["end"],
        place.get("text"),
        _code(place.get("country_code")),
        _float(place.get("lat")),
        _float(place.get("lon")),
        value,
        date.get("precision"),
        bounds[0] if bounds else None,
        bounds[1] if bounds else None,
        _int(e.get("fatalities")),
        _int(e.get("injured")),
        _int(e.get("displaced")),
        _int(e.get("arrested")),
        _confidence(e.get("confidence")),
        _json(e),
    )


@dataclass(slots=True)
class EventResult:
    """A page of stored events (each with its article's id, title and url) and the total."""

    items: list[dict[str, Any]]
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total}


class Store:
    """Articles and their annotations in one SQLite file (WAL mode).

    Use as a context manager, or call :meth:`close`.  One Store may be shared
    by threads; its calls are serialised.  ``readonly`` opens the file
    without write access (it must exist and be up to date).
    """

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
        self.path = str(path)
        self.readonly = readonly
        self._lock = threading.RLock()
        memory = self.path == ":memory:"
        if readonly and not memory and not Path(path).is_file():
            raise MarsadError("not_found", f"no store at {self.path}", self.path)
        if memory:
            target, uri = ":memory:", False
        else:
            target = Path(path).absolute().as_uri() + ("?mode=ro" if readonly else "?mode=rwc")
            uri = True
        try:
            self._conn = sqlite3.connect(
                target, uri=uri, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as e:
            raise MarsadError("store_failed", f"cannot open store {self.path}: {e}", self.path) from e
        try:
            self._setup()
        except sqlite3.DatabaseError as e:
            self._conn.close()
            raise MarsadError("store_failed", f"cannot open store {self.path}: {e}", self.path) from e
        except MarsadError:
            self._conn.close()
            raise
        # stories need schema version 5 (a store opened with fewer migrations has none)
        self._stories = self.schema_version >= STORIES_VERSION

    # --- lifecycle ---------------------------------------------------------

    def _setup(self) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if self.readonly:
            conn.execute("PRAGMA query_only = ON")
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        latest = len(MIGRATIONS)
        if version > latest:
            raise MarsadError(
                "store_failed",
                f"store {self.path} has schema version {version}; this marsad knows up to {latest}",
                self.path,
            )
        if version == latest:
            return
        if self.readonly:
            raise MarsadError(
                "store_failed",
                f"store {self.path} has schema version {version} (current {latest}); open it for writing once",
                self.path,
            )
        while True:
            conn.execute("BEGIN IMMEDIATE")
            try:
                # read again under the write lock: another process may have migrated meanwhile
                step = conn.execute("PRAGMA user_version").fetchone()[0]
                if step >= latest:
                    conn.execute("COMMIT")
                    return
                MIGRATIONS[step](conn)
                conn.execute(
                    "INSERT OR REPLACE INTO schema_version(version, applied_at) VALUES (?, ?)",
                    (step + 1, _now()),
                )
                conn.execute(f"PRAGMA user_version = {step + 1}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> int:
        """The schema version of the open file."""
        return int(self._query("PRAGMA user_version")[0][0])

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.ProgrammingError as e:  # closed store
                raise MarsadError("store_failed", f"store {self.path}: {e}", self.path) from e

    # --- writes ------------------------------------------------------------

    def add(self, article: Article) -> bool:
        """Store ``article``; False if one with the same text or id is already stored."""
        return self.add_many([article])[0] == 1

    def add_many(
        self,
        articles: Iterable[Article],
        *,
        then: Callable[[sqlite3.Connection, list[bool]], None] | None = None,
    ) -> tuple[int, int]:
        """Store a batch in one transaction; return ``(stored, skipped)``.

        If anything fails (a bad article, or the iterable itself raising),
        the whole batch is rolled back and the error raised: a bad article as
        ``store_failed`` carrying its id, anything else as it was.  ``then``,
        if given, runs inside the transaction after the inserts, with the
        connection and, per article, whether it was stored: what it writes
        is committed with the articles or rolled back with them.
        """
        if self.readonly:
            raise MarsadError("store_failed", f"store {self.path} is open read-only", self.path)
        stored = skipped = 0
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise MarsadError("store_failed", f"cannot write to store {self.path}: {e}", self.path) from e
            try:
                added: list[bool] = []
                for article in articles:
                    added.append(self._insert(article))
                    if added[-1]:
                        stored += 1
                    else:
                        skipped += 1
                if then is not None:
                    then(conn, added)
                conn.execute("COMMIT")
            except BaseException as e:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(e, sqlite3.Error):
                    raise MarsadError("store_failed", f"cannot write to store {self.path}: {e}", self.path) from e
                raise
        return stored, skipped

    def _insert(self, article: Article) -> bool:
        """Insert one article and its annotations; False if it is already there."""
        article_id = getattr(article, "id", None)
        try:
            data = article.to_dict()
            text = data.pop("text")
            if not isinstance(article_id, str) or not isinstance(text, str):
                raise TypeError("an article needs a string id and a string text")
            conn = self._conn
            cur = conn.execute(
                "INSERT INTO articles(id, content_hash, url, title, author, published, language, text,"
                " page_stats, source, ingested_at, article) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT DO NOTHING",
                (
                    article_id,
                    content_hash(text),
                    data.get("url"),
                    data.get("title"),
                    data.get("author"),
                    data.get("published"),
                    data.get("language"),
                    text,
                    _json(data.get("page_stats") or {}),
                    article.source,
                    _now(),
                    _json(data),
                ),
            )
            if cur.rowcount == 0:
                if self._stories:
                    self._note_copy(text, data)
                return False
            seq = cur.lastrowid
            if self._stories:
                assign_story(conn, article_id, text)
            self._insert_children(article_id, data)
            conn.execute(
                "INSERT INTO articles_fts(rowid, title, body) VALUES (?, ?, ?)",
                (seq, index_text(data.get("title")), index_text(text)),
            )
            return True
        except sqlite3.OperationalError:
            raise  # the database itself failed (locked, full, I/O): not this article's fault
        except (sqlite3.Error, TypeError, ValueError, KeyError, AttributeError) as e:
            raise MarsadError(
                "store_failed", f"article {article_id!r} cannot be stored: {e}", article_id
            ) from e

    def _note_copy(self, text: str, data: dict[str, Any]) -> None:
        """A verbatim copy of a stored article from another URL: keep the URL as a source."""
        url = data.get("url")
        if not url:
            return
        row = self._conn.execute("SELECT id, url FROM articles WHERE content_hash = ?",
                                 (content_hash(text),)).fetchone()
        if row is None or row[1] == url:
            return
        self._conn.execute(
            "INSERT INTO article_sources(article_id, url, title, published, seen_at) VALUES (?,?,?,?,?)"
            " ON CONFLICT DO NOTHING",
            (row[0], url, data.get("title"), data.get("published"), _now()),
        )

    # --- stories -------------------------------------------------------------

    def story_of(self, article_id: str) -> str | None:
        rows = self._query("SELECT story_id FROM articles WHERE id = ?", (article_id,))
        return rows[0][0] if rows else None

    def _story_members(self, story_id: str) -> list[dict[str, Any]]:
        members = []
        for aid, url, title, published in self._query(
            "SELECT id, url, title, published FROM articles WHERE story_id = ? ORDER BY seq", (story_id,)
        ):
            members.append({"article_id": aid, "url": url, "title": title, "published": published})
            for url2, title2, pub2 in self._query(
                "SELECT url, title, published FROM article_sources WHERE article_id = ? ORDER BY rowid", (aid,)
            ):
                members.append({"article_id": aid, "url": url2, "title": title2, "published": pub2,
                                "verbatim": True})
        return members

    def _story(self, story_id: str) -> dict[str, Any] | None:
        members = self._story_members(story_id)
        if not members:
            return None
        dates = sorted(m["published"] for m in members if m["published"])
        return {
            "story_id": story_id,
            "title": members[0]["title"],
            "first_published": dates[0] if dates else None,
            "last_published": dates[-1] if dates else None,
            "size": len(members),
            "sources": members,
        }

    def story(self, story_id: str) -> dict[str, Any] | None:
        """A story: its copies (every URL that ran it) with titles and dates."""
        return self._story(story_id)

    def stories(self, *, limit: int = 50, offset: int = 0, min_size: int = 1) -> tuple[list[dict[str, Any]], int]:
        """Stories, newest first (by their latest stored copy), with their total."""
        size = (
            "(SELECT count(*) FROM articles b WHERE b.story_id = a.story_id)"
            " + (SELECT count(*) FROM article_sources s JOIN articles b ON s.article_id = b.id"
            " WHERE b.story_id = a.story_id)"
        )
        grouped = (f"SELECT a.story_id AS sid, max(a.seq) AS last, {size} AS n FROM articles a"
                   " WHERE a.story_id IS NOT NULL GROUP BY a.story_id")
        total = int(self._query(f"SELECT count(*) FROM ({grouped}) WHERE n >= ?", (min_size,))[0][0])
        ids = self._query(f"SELECT sid FROM ({grouped}) WHERE n >= ? ORDER BY last DESC LIMIT ? OFFSET ?",
                          (min_size, limit, offset))
        return [st for (sid,) in ids if (st := self._story(sid)) is not None], total

    def _insert_children(self, aid: str, data: dict[str, Any]) -> None:
        conn = self._conn
        if data["entities"]:
            conn.executemany(
                "INSERT INTO entities(article_id, text, start_char, end_char, label) VALUES (?,?,?,?,?)",
                [(aid, e["text"], e["start"], e["end"], e["label"]) for e in data["entities"]],
            )
        if data["places"]:
            conn.executemany(
                "INSERT INTO places(article_id, text, start_char, end_char, name, name_ar, country_code,"
                " lat, lon, feature, geonames_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        aid, p["text"], p["start"], p["end"], p.get("name"), p.get("name_ar"),
                        _code(p.get("country_code")), _float(p.get("lat")), _float(p.get("lon")),
                        p.get("feature"), _int(p.get("geonames_id")),
                    )
                    for p in data["places"]
                ],
            )
        if data["dates"]:
            rows = []
            for d in data["dates"]:
                bounds = date_range(d.get("value"))
                rows.append(
                    (
                        aid, d["text"], d["start"], d["end"], d.get("value"), d.get("precision"),
                        bounds[0] if bounds else None, bounds[1] if bounds else None,
                    )
                )
            conn.executemany(
                "INSERT INTO dates(article_id, text, start_char, end_char, value, precision, date_start,"
                " date_end) VALUES (?,?,?,?,?,?,?,?)",
                rows,
            )
        if data["attributions"]:
            conn.executemany(
                "INSERT INTO attributions(article_id, source_text, source_start, source_end, cue_text,"
                " cue_start, cue_end, content_start, content_end, via) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        aid, a["source"]["text"], a["source"]["start"], a["source"]["end"],
                        a["cue"]["text"], a["cue"]["start"], a["cue"]["end"],
                        a["content"]["start"] if a.get("content") else None,
                        a["content"]["end"] if a.get("content") else None,
                        _json(a.get("via") or []),
                    )
                    for a in data["attributions"]
                ],
            )
        if data["events"]:
            conn.executemany(
                "INSERT INTO events(article_id, type, sub_type, trigger_text, trigger_start, trigger_end,"
                " sentence_start, sentence_end, place_text, country_code, lat, lon, date_value,"
                " date_precision, date_start, date_end, fatalities, injured, displaced, arrested,"
                " confidence, event) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [_event_row(aid, e) for e in data["events"]],
            )

    def write(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run ``fn(connection)`` in one write transaction and return what it returns.

        For modules that keep their own tables in the store: all that ``fn``
        writes is committed, or, if it raises, none of it.
        """
        if self.readonly:
            raise MarsadError("store_failed", f"store {self.path} is open read-only", self.path)
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise MarsadError("store_failed", f"cannot write to store {self.path}: {e}", self.path) from e
            try:
                result = fn(conn)
                conn.execute("COMMIT")
            except BaseException as e:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(e, sqlite3.Error):
                    raise MarsadError("store_failed", f"cannot write to store {self.path}: {e}", self.path) from e
                raise
        return result

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one read query (for modules that keep their own tables in the store)."""
        return self._query(sql, params)

    def reindex(self) -> int:
        """Rebuild the search index from the stored texts; return the articles indexed.

        Needed when the way search terms are computed changes.
        """
        if self.readonly:
            raise MarsadError("store_failed", f"store {self.path} is open read-only", self.path)
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')")
                n = 0
                for seq, title, text in conn.execute("SELECT seq, title, text FROM articles").fetchall():
                    conn.execute(
                        "INSERT INTO articles_fts(rowid, title, body) VALUES (?, ?, ?)",
                        (seq, index_text(title), index_text(text)),
                    )
                    n += 1
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return n

    # --- reads -------------------------------------------------------------

    @staticmethod
    def _article(article_json: str, text: str, source: str | None) -> Article:
        data = json.loads(article_json)
        data["text"] = text
        article = Article.from_dict(data)
        article.source = source
        return article

    def get(self, article_id: str) -> Article | None:
        """The stored Article with this id, or None."""
        rows = self._query("SELECT article, text, source FROM articles WHERE id = ?", (article_id,))
        return self._article(*rows[0]) if rows else None

    def __contains__(self, article_id: object) -> bool:
        return bool(self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def count(self) -> int:
        """The number of stored articles."""
        return int(self._query("SELECT count(*) FROM articles")[0][0])

    def iter_articles(self) -> Iterator[Article]:
        """Every stored Article, in insertion order (read in chunks; safe alongside writes)."""
        last = 0
        while True:
            rows = self._query(
                "SELECT seq, article, text, source FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                (last, ITER_CHUNK),
            )
            for seq, article_json, text, source in rows:
                last = seq
                yield self._article(article_json, text, source)
            if len(rows) < ITER_CHUNK:
                return

    def stats(self) -> dict[str, Any]:
        """Counts: articles, articles by language, each annotation, events by type."""
        out: dict[str, Any] = {"articles": self.count()}
        out["by_language"] = {
            (lang or "unknown"): n
            for lang, n in self._query(
                "SELECT language, count(*) FROM articles GROUP BY language ORDER BY count(*) DESC, language"
            )
        }
        for table in ("entities", "places", "dates", "attributions", "events"):
            out[table] = int(self._query(f"SELECT count(*) FROM {table}")[0][0])
        out["events_by_type"] = dict(
            self._query("SELECT type, count(*) FROM events GROUP BY type ORDER BY count(*) DESC, type")
        )
        return out

    # --- search ------------------------------------------------------------

    @staticmethod
    def _page(limit: int, offset: int) -> None:
        for name, value in (("limit", limit), ("offset", offset)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise MarsadError("bad_query", f"{name} must be a whole number ≥ 0", value)
        if limit > MAX_LIMIT:
            raise MarsadError("bad_query", f"limit must be at most {MAX_LIMIT}", limit)

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> SearchResult:
        """Arabic-aware full-text search, best first (bm25, title weighted above body)."""
        self._page(limit, offset)
        parsed = parse_query(query)
        match = parsed.fts()
        try:
            total = self._query("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,))[0][0]
            rows = self._query(
                "SELECT a.id, a.title, a.published, a.text FROM articles_fts"
                " JOIN articles a ON a.seq = articles_fts.rowid"
                " WHERE articles_fts MATCH ?"
                " ORDER BY bm25(articles_fts, 10.0, 1.0), a.seq LIMIT ? OFFSET ?",
                (match, limit, offset),
            )
        except sqlite3.OperationalError as e:
            raise MarsadError("bad_query", f"the query cannot be run: {e}", query) from e
        items = []
        for article_id, title, published, text in rows:
            snip, highlights = snippet(text, parsed)
            items.append(SearchHit(article_id, title, published, snip, highlights))
        return SearchResult(items, int(total))

    def events(
        self,
        *,
        type: str | None = None,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        q: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> EventResult:
        """Stored events matching every filter given, latest first (undated last).

        ``since``/``until`` (ISO dates: day, month or year) keep events whose
        date range overlaps ``[since, until]`` (undated events are left
        out); ``bbox`` is ``(west, south, east, north)`` in degrees (west >
        east crosses the antimeridian); ``q`` keeps events of articles that
        match the search query.  Each item is the event with ``article_id``,
        ``article_title`` and ``url``.
        """
        self._page(limit, offset)
        try:
            filters = self._resolve_query(
                {"type": type, "country": country, "since": since, "until": until, "bbox": bbox, "q": q})
            clause, params = event_filter(**filters)
            total = self._query("SELECT count(*) FROM events e" + clause, params)[0][0]
            order_clause = clause
            if bbox is not None and total:
                # A box matching many events: walking the events in date order until the
                # page is full reads fewer entries than sorting every match.
                events = self._query("SELECT max(id) FROM events")[0][0] or 0
                if total * total > (offset + limit) * events:
                    order_clause, _ = event_filter(**filters, date_order=True)
            # the page's ids first (from an index, in order), then only their rows
            ids = [row[0] for row in self._query(
                "SELECT e.id FROM events e" + order_clause
                + " ORDER BY e.date_start DESC, e.id DESC LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )]
            rows = self._query(
                "SELECT e.id, e.event, e.article_id, a.title, a.url FROM events e"
                " JOIN articles a ON a.id = e.article_id"
                f" WHERE e.id IN ({','.join('?' * len(ids))})",
                ids,
            ) if ids else []
        except sqlite3.OperationalError as e:
            raise MarsadError("bad_query", f"the query cannot be run: {e}", q) from e
        found = {row[0]: row[1:] for row in rows}
        return EventResult([_event_item(*found[i]) for i in ids if i in found], int(total))

    def _resolve_query(self, filters: dict[str, Any]) -> dict[str, Any]:
        """``filters`` with the text query ``q`` run once, up front, into a list of ``article_ids``.

        (Left in the SQL, the query would be run again by every statement
        that uses the filter.)
        """
        filters = dict(filters)
        q = filters.pop("q", None)
        if q is not None:
            try:
                rows = self._query(
                    "SELECT id FROM articles INDEXED BY articles_seq_id"
                    " WHERE seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)",
                    (parse_query(q).fts(),),
                )
            except sqlite3.OperationalError as e:
                raise MarsadError("bad_query", f"the query cannot be run: {e}", q) from e
            filters["article_ids"] = [row[0] for row in rows]
        return filters

    def _event_filter(self, **filters: Any) -> tuple[str, list[Any]]:
        """:func:`event_filter`, with the text query run once up front."""
        return event_filter(**self._resolve_query(filters))

    def iter_events(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every stored event matching ``filters`` (as :meth:`events`), in insertion order.

        Items are shaped as in :meth:`events`; they are read in chunks, so
        any number of events can be streamed.
        """
        clause, params = self._event_filter(**filters)
        clause = (clause + " AND" if clause else " WHERE") + " e.id > ?"
        sql = (
            "SELECT e.id, e.event, e.article_id, a.title, a.url FROM events e"
            " JOIN articles a ON a.id = e.article_id" + clause + " ORDER BY e.id LIMIT ?"
        )
        last = 0
        while True:
            try:
                rows = self._query(sql, [*params, last, ITER_CHUNK])
            except sqlite3.OperationalError as e:
                raise MarsadError("bad_query", f"the query cannot be run: {e}", filters.get("q")) from e
            for event_id, *row in rows:
                last = event_id
                yield _event_item(*row)
            if len(rows) < ITER_CHUNK:
                return

    def event_counts(self, by: str, *, limit: int = 1000, **filters: Any) -> list[tuple[Any, ...]]:
        """Counts of the events matching ``filters`` (as :meth:`events`), grouped.

        ``by="day"``: ``(day, type, count)`` for events dated to one day,
        oldest first; ``by="precision"``: ``(kind, count)`` with kind
        ``day``, ``coarse`` (a longer period) or ``undated``;
        ``by="place"``: ``(lat, lon, country_code, place_text, type, count)``
        for events with coordinates, places with most events first (at most
        ``limit`` places, each with one row per type).
        """
        clause, params = self._event_filter(**filters)
        base = " FROM events e" + clause
        if by == "day":
            extra = (" AND" if clause else " WHERE") + " e.date_start IS NOT NULL AND e.date_start = e.date_end"
            sql = (
                "SELECT e.date_start, e.type, count(*)" + base + extra
                + " GROUP BY e.date_start, e.type ORDER BY e.date_start, e.type"
            )
        elif by == "precision":
            sql = (
                "SELECT CASE WHEN e.date_start IS NULL THEN 'undated'"
                " WHEN e.date_start = e.date_end THEN 'day' ELSE 'coarse' END AS kind, count(*)"
                + base + " GROUP BY kind ORDER BY kind"
            )
        elif by == "place":
            if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
                raise MarsadError("bad_query", "limit must be a whole number ≥ 1", limit)
            extra = (" AND" if clause else " WHERE") + " e.lat IS NOT NULL AND e.lon IS NOT NULL"
            # counts per place and type (from the (lat, lon, type, ...) index), then the top places
            sql = (
                "WITH g AS (SELECT e.lat, e.lon, e.type, count(*) AS n, max(e.country_code) AS cc,"
                " max(e.place_text) AS name" + base + extra + " GROUP BY e.lat, e.lon, e.type),"
                " top AS (SELECT lat, lon, sum(n) AS total FROM g GROUP BY lat, lon"
                " ORDER BY total DESC, lat, lon LIMIT ?)"
                " SELECT g.lat, g.lon, g.cc, g.name, g.type, g.n FROM g JOIN top ON top.lat = g.lat AND top.lon = g.lon"
                " ORDER BY top.total DESC, g.lat, g.lon, g.type"
            )
            params = [*params, limit]
        else:
            raise MarsadError("bad_query", f"events can be counted by day, precision or place, not {by!r}", by)
        try:
            return self._query(sql, params)
        except sqlite3.OperationalError as e:
            raise MarsadError("bad_query", f"the query cannot be run: {e}", filters.get("q")) from e

    def articles(self, *, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """A page of stored articles, latest published first, and the total.

        Each item holds ``id``, ``url``, ``title``, ``published``,
        ``language`` and ``events`` (how many events the article reports).
        """
        self._page(limit, offset)
        total = self.count()
        rows = self._query(
            "SELECT a.id, a.url, a.title, a.published, a.language,"
            " (SELECT count(*) FROM events e WHERE e.article_id = a.id)"
            " FROM articles a ORDER BY a.published IS NULL, a.published DESC, a.seq DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        keys = ("id", "url", "title", "published", "language", "events")
        return [dict(zip(keys, row, strict=True)) for row in rows], total


def _event_item(event_json: str, article_id: str, title: str | None, url: str | None) -> dict[str, Any]:
    item: dict[str, Any] = json.loads(event_json)
    item.update(article_id=article_id, article_title=title, url=url)
    return item


def event_filter(
    *,
    type: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    q: str | None = None,
    article_ids: Sequence[str] | None = None,
    date_order: bool = False,
) -> tuple[str, list[Any]]:
    """The SQL ``WHERE`` clause (over ``events e``) and its parameters.

    See :meth:`Store.events` for what each filter keeps; ``article_ids``
    keeps the events of those articles.  An empty clause when no filter is
    given.  ``date_order`` keeps SQLite from using the box's coordinates
    as an index, so that it walks the events in date order instead (the
    same rows match).
    """
    lat, lon = ("+e.lat", "+e.lon") if date_order else ("e.lat", "e.lon")
    where: list[str] = []
    params: list[Any] = []
    if type:
        where.append("e.type = ?")
        params.append(type)
    if country:
        where.append("e.country_code = ?")
        params.append(country.upper())
    if since:
        bounds = date_range(since)
        if bounds is None or "/" in since:
            raise MarsadError("bad_date", f"since is not an ISO 8601 date: {since!r}", since)
        where.append("e.date_end >= ?")
        params.append(bounds[0])
    if until:
        bounds = date_range(until)
        if bounds is None or "/" in until:
            raise MarsadError("bad_date", f"until is not an ISO 8601 date: {until!r}", until)
        where.append("e.date_start <= ?")
        params.append(bounds[1])
    if bbox is not None:
        try:
            west, south, east, north = (float(v) for v in bbox)
        except (TypeError, ValueError) as e:
            raise MarsadError("bad_query", "bbox must be four numbers: west,south,east,north", bbox) from e
        where.append(f"{lat} BETWEEN ? AND ?")
        params += [min(south, north), max(south, north)]
        if west <= east:
            where.append(f"{lon} BETWEEN ? AND ?")
            params += [west, east]
        else:
            where.append(f"({lon} >= ? OR {lon} <= ?)")
            params += [west, east]
    if q is not None:
        where.append(
            "e.article_id IN (SELECT id FROM articles WHERE seq IN"
            " (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))"
        )
        params.append(parse_query(q).fts())
    if article_ids is not None:
        where.append("e.article_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(article_ids)))
    return (" WHERE " + " AND ".join(where)) if where else "", params
