"""The state of followed feeds, kept in the store (tables ``feeds`` and ``feed_entries``).

A feed row holds the validators of its last complete read (ETag,
Last-Modified), when it was polled and is due again, and how the last poll
went.  An entry row says what became of one link: ``stored`` (its article
is in the store), ``duplicate`` (the article was already there, by URL or by
content), ``failed`` (a transient failure; tried again on later polls, at
most :data:`MAX_ATTEMPTS` times) or ``skipped`` (refused for good: robots.txt,
address policy, size, content type, no article body).

Entry rows for fetched articles are written by :func:`entry_writer` inside
the transaction that stores the articles, so a crash can never leave an
entry marked without its article, or an article without its entry.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from marsad.documents import Article
from marsad.errors import MarsadError
from marsad.store.sqlite import Store, content_hash
from marsad.watch.feeds import FeedEntry, FeedSpec

__all__ = [
    "MAX_ATTEMPTS",
    "EntryOutcome",
    "FeedRow",
    "entry_writer",
    "finish_feed",
    "load_feeds",
    "pending_retries",
    "record_entries",
    "select_new",
    "status",
    "sync_feeds",
]

MAX_ATTEMPTS = 3  # tries of an entry that keeps failing transiently
# Entries settled this long ago are forgotten (feeds list recent items only;
# a stored article's URL still keeps it from being fetched again).
ENTRY_RETENTION_DAYS = 90
_CHUNK = 500  # parameters per IN (...) query


def now_iso(clock: Callable[[], dt.datetime] | None = None) -> str:
    when = clock() if clock else dt.datetime.now(dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class FeedRow:
    url: str
    outlet: str | None
    language: str | None
    etag: str | None
    last_modified: str | None
    last_poll: str | None
    next_poll: str | None
    status: str
    failures: int


@dataclass(frozen=True, slots=True)
class EntryOutcome:
    """What became of one entry: ``status`` is stored, duplicate, failed or skipped."""

    feed_url: str
    entry: FeedEntry
    status: str
    article_id: str | None = None
    content_hash: str | None = None
    final_url: str | None = None
    error: MarsadError | None = None
    fetched: bool = True  # False: settled without a request (its URL was already stored)


def sync_feeds(store: Store, feeds: Sequence[FeedSpec], clock: Callable[[], dt.datetime] | None = None) -> None:
    """Add the feeds to the store (or update their outlet and language)."""
    stamp = now_iso(clock)

    def write(conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT INTO feeds(url, outlet, language, added_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET outlet = excluded.outlet, language = excluded.language",
            [(f.url, f.outlet, f.language, stamp) for f in feeds],
        )

    store.write(write)


def load_feeds(store: Store, urls: Iterable[str] | None = None) -> dict[str, FeedRow]:
    """Feed rows by URL (all of them, or those of ``urls``)."""
    rows = store.query(
        "SELECT url, outlet, language, etag, last_modified, last_poll, next_poll, status, failures FROM feeds"
    )
    wanted = set(urls) if urls is not None else None
    return {r[0]: FeedRow(*r) for r in rows if wanted is None or r[0] in wanted}


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def select_new(store: Store, entries: Sequence[FeedEntry]) -> tuple[list[FeedEntry], dict[str, str]]:
    """The entries to fetch, and those whose link is already a stored article's URL (→ its id).

    An entry is to be fetched when its link was never seen, or when it
    failed transiently fewer than :data:`MAX_ATTEMPTS` times.
    """
    urls = [e.url for e in entries]
    known: dict[str, tuple[str, int]] = {}
    stored_by_url: dict[str, str] = {}
    for chunk in _chunks(urls):
        marks = ",".join("?" * len(chunk))
        for url, st, attempts in store.query(
            f"SELECT url, status, attempts FROM feed_entries WHERE url IN ({marks})", chunk
        ):
            known[url] = (st, attempts)
        for url, article_id in store.query(f"SELECT url, min(id) FROM articles WHERE url IN ({marks}) GROUP BY url",
                                           chunk):
            stored_by_url[url] = article_id
    fresh: list[FeedEntry] = []
    already: dict[str, str] = {}
    for e in entries:
        if e.url in known:
            st, attempts = known[e.url]
            if st == "failed" and attempts < MAX_ATTEMPTS:
                fresh.append(e)
            continue
        if e.url in stored_by_url:
            already[e.url] = stored_by_url[e.url]
            continue
        fresh.append(e)
    return fresh, already


def prune_entries(store: Store, clock: Callable[[], dt.datetime] | None = None,
                  days: int = ENTRY_RETENTION_DAYS) -> int:
    """Forget the entries settled (not waiting for a retry) more than ``days``
    days ago; the number forgotten."""
    now = clock() if clock else dt.datetime.now(dt.UTC)
    cutoff = now_iso(lambda: now - dt.timedelta(days=days))

    def prune(conn: sqlite3.Connection) -> int:
        cur = conn.execute(
            "DELETE FROM feed_entries WHERE updated_at < ? AND NOT (status = 'failed' AND attempts < ?)",
            (cutoff, MAX_ATTEMPTS))
        return int(cur.rowcount)

    return int(store.write(prune))


def pending_retries(store: Store, feed_url: str) -> int:
    """Entries of this feed that failed transiently and will be tried again."""
    return int(
        store.query(
            "SELECT count(*) FROM feed_entries WHERE feed_url = ? AND status = 'failed' AND attempts < ?",
            (feed_url, MAX_ATTEMPTS),
        )[0][0]
    )


def _write_outcomes(conn: sqlite3.Connection, outcomes: Iterable[EntryOutcome], stamp: str) -> None:
    rows = []
    for o in outcomes:
        err = o.error
        rows.append(
            (
                o.entry.url, o.feed_url, o.entry.guid, o.status, o.article_id, o.content_hash, o.final_url,
                1 if o.fetched else 0,
                err.code if err else None, err.message[:500] if err else None, stamp, stamp,
            )
        )
    conn.executemany(
        "INSERT INTO feed_entries(url, feed_url, guid, status, article_id, content_hash, final_url, attempts,"
        " error_code, error_message, first_seen, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(url) DO UPDATE SET status = excluded.status, article_id = excluded.article_id,"
        " content_hash = excluded.content_hash, final_url = excluded.final_url,"
        " attempts = feed_entries.attempts + excluded.attempts, error_code = excluded.error_code,"
        " error_message = excluded.error_message, updated_at = excluded.updated_at",
        rows,
    )


def record_entries(store: Store, outcomes: Sequence[EntryOutcome], clock: Callable[[], dt.datetime] | None = None) -> None:
    """Write entry outcomes that come with no article (failures, known duplicates)."""
    if outcomes:
        stamp = now_iso(clock)
        store.write(lambda conn: _write_outcomes(conn, outcomes, stamp))


def entry_writer(
    articles: Sequence[tuple[str, FeedEntry, Article, str | None]],
    others: Sequence[EntryOutcome] = (),
    clock: Callable[[], dt.datetime] | None = None,
    done: list[EntryOutcome] | None = None,
) -> Callable[[sqlite3.Connection, list[bool]], None]:
    """A ``Store.add_many(then=...)`` hook marking each article's entry in the same transaction.

    ``articles`` holds ``(feed_url, entry, article, final_url)`` in the order
    given to ``add_many``; an article that was not added (same id or text
    already stored) marks its entry ``duplicate`` with the stored article's
    id.  ``others`` are outcomes without an article, written alongside.
    The outcomes written are appended to ``done``.
    """

    def write(conn: sqlite3.Connection, added: list[bool]) -> None:
        stamp = now_iso(clock)
        outcomes: list[EntryOutcome] = list(others)
        for (feed_url, entry, article, final_url), was_added in zip(articles, added, strict=True):
            digest = content_hash(article.text)
            article_id = article.id
            if not was_added:
                row = conn.execute(
                    "SELECT id FROM articles WHERE id = ? OR content_hash = ? LIMIT 1", (article.id, digest)
                ).fetchone()
                article_id = row[0] if row else article.id
            outcomes.append(
                EntryOutcome(feed_url, entry, "stored" if was_added else "duplicate", article_id, digest, final_url)
            )
        _write_outcomes(conn, outcomes, stamp)
        if done is not None:
            done.extend(outcomes)

    return write


def finish_feed(
    store: Store,
    url: str,
    *,
    polled: str,
    next_poll: str,
    status: str,
    http_status: int | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    keep_validators: bool = False,
    error: MarsadError | None = None,
    new_entries: int = 0,
    entry_errors: int = 0,
) -> None:
    """Record how a poll of feed ``url`` ended (after all its entries were settled)."""

    def write(conn: sqlite3.Connection) -> None:
        if status == "error":
            conn.execute(
                "UPDATE feeds SET last_poll = ?, next_poll = ?, status = 'error', http_status = ?,"
                " error_code = ?, error_message = ?, failures = failures + 1, new_entries = 0,"
                " entry_errors = 0 WHERE url = ?",
                (polled, next_poll, http_status, error.code if error else None,
                 error.message[:500] if error else None, url),
            )
            return
        if keep_validators:
            conn.execute(
                "UPDATE feeds SET last_poll = ?, last_ok = ?, next_poll = ?, status = ?, http_status = ?,"
                " error_code = NULL, error_message = NULL, failures = 0, new_entries = ?, entry_errors = ?"
                " WHERE url = ?",
                (polled, polled, next_poll, status, http_status, new_entries, entry_errors, url),
            )
        else:
            conn.execute(
                "UPDATE feeds SET last_poll = ?, last_ok = ?, next_poll = ?, status = ?, http_status = ?,"
                " etag = ?, last_modified = ?, error_code = ?, error_message = ?, failures = 0,"
                " new_entries = ?, entry_errors = ? WHERE url = ?",
                (polled, polled, next_poll, status, http_status, etag, last_modified,
                 error.code if error else None, error.message[:500] if error else None,
                 new_entries, entry_errors, url),
            )

    store.write(write)


_STATUS_SQL = """
SELECT f.url, f.outlet, f.language, f.status, f.last_poll, f.last_ok, f.next_poll, f.http_status,
       f.error_code, f.error_message, f.failures, f.new_entries, f.entry_errors,
       (SELECT count(*) FROM feed_entries e WHERE e.feed_url = f.url AND e.status = 'stored'),
       (SELECT count(*) FROM feed_entries e WHERE e.feed_url = f.url AND e.status IN ('failed', 'skipped'))
FROM feeds f ORDER BY f.rowid
"""


def status(store: Store) -> list[dict[str, Any]]:
    """Per-feed status, one dict per followed feed (the ``GET /api/feeds`` items).

    Keys: ``url``, ``outlet``, ``language``, ``status`` (``new``, ``ok``,
    ``not_modified``, ``error``), ``last_poll``, ``last_ok``, ``next_poll``
    (ISO 8601, UTC, or null), ``http_status``, ``error`` (null or
    ``{"code", "message"}``), ``failures`` (polls failed in a row),
    ``new_entries`` (articles stored by the last poll), ``entry_errors``
    (entries the last poll could not store), ``stored`` and ``failed``
    (entries in all, stored / not stored).
    """
    try:
        rows = store.query(_STATUS_SQL)
    except sqlite3.OperationalError:  # a store without the feed tables
        return []
    out = []
    for (url, outlet, language, st, last_poll, last_ok, next_poll, http_status, code, message, failures,
         new_entries, entry_errors, stored, failed) in rows:
        out.append(
            {
                "url": url,
                "outlet": outlet,
                "language": language,
                "status": st,
                "last_poll": last_poll,
                "last_ok": last_ok,
                "next_poll": next_poll,
                "http_status": http_status,
                "error": {"code": code, "message": message} if code else None,
                "failures": failures,
                "new_entries": new_entries,
                "entry_errors": entry_errors,
                "stored": stored,
                "failed": failed,
            }
        )
    return out
