"""Feed state in the store: the schema migration, same-transaction entry marks, selection, status."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import marsad.store.sqlite as store_module
from marsad.documents import Article
from marsad.errors import MarsadError
from marsad.store.sqlite import MIGRATIONS, Store, content_hash
from marsad.watch.feeds import FeedEntry, FeedSpec
from marsad.watch.state import (
    MAX_ATTEMPTS,
    EntryOutcome,
    entry_writer,
    finish_feed,
    load_feeds,
    pending_retries,
    prune_entries,
    record_entries,
    select_new,
    status,
    sync_feeds,
)

FEED = "https://almarsad.example/feeds/main.rss"
TEXT_A = "قالت صحيفة ديلي تلغراف إن إسرائيل وضعت قواتها على أهبة الاستعداد للرد على أي هجوم سوري."
TEXT_B = "أمر جلالة الملك عبدالله الثاني أمس بتنفيذ حزمة من المشاريع التعليمية والصحية والتنموية."


def entry(n: int, published: str | None = "2006-09-30") -> FeedEntry:
    return FeedEntry(f"https://almarsad.example/news/{n}.html", f"g{n}", f"خبر {n}", published)


def article(text: str, n: int) -> Article:
    return Article(id=content_hash(text)[:16], text=text, url=f"https://almarsad.example/news/{n}.html",
                   title=f"خبر {n}", language="ar")


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "s.db") as st:
        sync_feeds(st, [FeedSpec(FEED, "المرصد اليوم", "ar")])
        yield st


def test_migration_adds_feed_tables_to_a_version_1_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "old.db"
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:1])
    with Store(db) as old:
        assert old.schema_version == 1
        old.add(article(TEXT_A, 1))
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with Store(db) as st:
        assert st.schema_version == len(MIGRATIONS) >= 2
        assert st.count() == 1  # what was stored is kept
        tables = {name for (name,) in st.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"feeds", "feed_entries"} <= tables
        assert status(st) == []
    with Store(db, readonly=True) as ro:
        assert status(ro) == []


def test_sync_feeds_adds_and_updates(store: Store):
    sync_feeds(store, [FeedSpec(FEED, "المرصد", None), FeedSpec("https://b.example/rss")])
    rows = load_feeds(store)
    assert list(rows) == [FEED, "https://b.example/rss"]
    assert rows[FEED].outlet == "المرصد" and rows[FEED].language is None and rows[FEED].status == "new"


def test_articles_and_their_entries_commit_together(store: Store):
    articles = [(FEED, entry(1), article(TEXT_A, 1), None), (FEED, entry(2), article(TEXT_B, 2), None)]
    failed = EntryOutcome(FEED, entry(3), "failed", error=MarsadError("timeout", "slow"))
    done: list[EntryOutcome] = []
    assert store.add_many([a for *_, a, _ in articles], then=entry_writer(articles, [failed], done=done)) == (2, 0)
    got = dict(store.query("SELECT url, status FROM feed_entries"))
    assert got == {entry(1).url: "stored", entry(2).url: "stored", entry(3).url: "failed"}
    assert [o.status for o in done] == ["failed", "stored", "stored"]
    (hash_a,) = store.query("SELECT content_hash FROM feed_entries WHERE url = ?", (entry(1).url,))[0]
    assert hash_a == content_hash(TEXT_A)


def test_a_failing_mark_rolls_the_articles_back(store: Store):
    def broken(conn: sqlite3.Connection, added: list[bool]) -> None:
        entry_writer([(FEED, entry(1), article(TEXT_A, 1), None)])(conn, added)
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        store.add_many([article(TEXT_A, 1)], then=broken)
    assert store.count() == 0
    assert store.query("SELECT count(*) FROM feed_entries") == [(0,)]
    # and an interrupted write (Ctrl-C inside the transaction) too
    def interrupted(conn: sqlite3.Connection, added: list[bool]) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.add_many([article(TEXT_A, 1)], then=interrupted)
    assert store.count() == 0


def test_same_text_again_is_a_duplicate_pointing_at_the_stored_article(store: Store):
    first = article(TEXT_A, 1)
    store.add_many([first], then=entry_writer([(FEED, entry(1), first, None)]))
    copy = Article(id="other-id", text=TEXT_A, url=entry(9).url)
    done: list[EntryOutcome] = []
    assert store.add_many([copy], then=entry_writer([(FEED, entry(9), copy, entry(9).url)], done=done)) == (0, 1)
    assert done[0].status == "duplicate" and done[0].article_id == first.id
    assert store.query("SELECT status, article_id FROM feed_entries WHERE url = ?", (entry(9).url,)) == [
        ("duplicate", first.id)
    ]


def test_select_new_skips_seen_and_stored_urls_and_retries_failures(store: Store):
    stored = article(TEXT_A, 1)
    store.add(stored)  # stored by other means (marsad ingest): known by its URL
    record_entries(store, [
        EntryOutcome(FEED, entry(2), "stored", "x"),
        EntryOutcome(FEED, entry(3), "failed", error=MarsadError("timeout", "slow")),
        EntryOutcome(FEED, entry(4), "skipped", error=MarsadError("robots_disallowed", "no")),
    ])
    fresh, already = select_new(store, [entry(n) for n in (1, 2, 3, 4, 5)])
    assert [e.url for e in fresh] == [entry(3).url, entry(5).url]
    assert already == {entry(1).url: stored.id}
    assert pending_retries(store, FEED) == 1
    for _ in range(MAX_ATTEMPTS - 1):
        record_entries(store, [EntryOutcome(FEED, entry(3), "failed", error=MarsadError("timeout", "slow"))])
    assert store.query("SELECT attempts FROM feed_entries WHERE url = ?", (entry(3).url,)) == [(MAX_ATTEMPTS,)]
    fresh, _ = select_new(store, [entry(3)])
    assert fresh == []  # given up
    assert pending_retries(store, FEED) == 0


def test_old_settled_entries_are_forgotten(store: Store):
    import datetime as dt

    then = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    record_entries(store, [
        EntryOutcome(FEED, entry(1), "stored", "x"),
        EntryOutcome(FEED, entry(2), "skipped", error=MarsadError("robots_disallowed", "no")),
        EntryOutcome(FEED, entry(3), "failed", error=MarsadError("timeout", "slow")),  # still to retry
    ], clock=lambda: then)
    record_entries(store, [EntryOutcome(FEED, entry(4), "stored", "y")], clock=lambda: then + dt.timedelta(days=80))
    assert prune_entries(store, clock=lambda: then + dt.timedelta(days=89)) == 0
    assert prune_entries(store, clock=lambda: then + dt.timedelta(days=91)) == 2
    left = [u for (u,) in store.query("SELECT url FROM feed_entries ORDER BY url")]
    assert left == [entry(3).url, entry(4).url]


def test_known_duplicates_do_not_count_as_attempts(store: Store):
    record_entries(store, [EntryOutcome(FEED, entry(1), "duplicate", "abc", fetched=False)])
    assert store.query("SELECT status, attempts FROM feed_entries") == [("duplicate", 0)]


def test_finish_feed_and_status(store: Store):
    record_entries(store, [
        EntryOutcome(FEED, entry(1), "stored", "a1"),
        EntryOutcome(FEED, entry(2), "skipped", error=MarsadError("too_large", "big")),
    ])
    finish_feed(store, FEED, polled="2006-10-01T08:00:00+00:00", next_poll="2006-10-01T08:15:00+00:00",
                status="ok", http_status=200, etag='"v1"', last_modified="Sun, 01 Oct 2006 07:00:00 GMT",
                new_entries=1, entry_errors=1)
    finish_feed(store, FEED, polled="2006-10-01T08:15:00+00:00", next_poll="2006-10-01T08:30:00+00:00",
                status="not_modified", http_status=304, keep_validators=True)
    row = load_feeds(store)[FEED]
    assert row.etag == '"v1"' and row.last_modified == "Sun, 01 Oct 2006 07:00:00 GMT"
    finish_feed(store, FEED, polled="2006-10-01T08:30:00+00:00", next_poll="2006-10-01T09:00:00+00:00",
                status="error", http_status=500, error=MarsadError("fetch_failed", "HTTP 500"))
    (s,) = status(store)
    assert s == {
        "url": FEED, "outlet": "المرصد اليوم", "language": "ar", "status": "error",
        "last_poll": "2006-10-01T08:30:00+00:00", "last_ok": "2006-10-01T08:15:00+00:00",
        "next_poll": "2006-10-01T09:00:00+00:00", "http_status": 500,
        "error": {"code": "fetch_failed", "message": "HTTP 500"}, "failures": 1,
        "new_entries": 0, "entry_errors": 0, "stored": 1, "failed": 1,
    }
    assert load_feeds(store)[FEED].etag == '"v1"'  # a failed poll keeps the validators


def test_store_write_rolls_back_and_refuses_read_only(tmp_path: Path):
    db = tmp_path / "w.db"
    with Store(db) as st:
        sync_feeds(st, [FeedSpec(FEED)])

        def half(conn: sqlite3.Connection) -> None:
            conn.execute("UPDATE feeds SET status = 'ok'")
            raise ValueError("stop")

        with pytest.raises(ValueError):
            st.write(half)
        assert load_feeds(st)[FEED].status == "new"
        assert st.write(lambda conn: conn.execute("SELECT count(*) FROM feeds").fetchone()[0]) == 1
    with Store(db, readonly=True) as ro:
        with pytest.raises(MarsadError) as err:
            ro.write(lambda conn: None)
        assert err.value.code == "store_failed"
