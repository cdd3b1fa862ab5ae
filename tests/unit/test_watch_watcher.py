"""The poll loop with a fake web (httpx.MockTransport): isolation of failures, scheduling, dedup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

import marsad.watch.watcher as watcher_module
from marsad.errors import MarsadError
from marsad.settings import Settings
from marsad.store.sqlite import Store
from marsad.watch.feeds import FeedSpec
from marsad.watch.fetch import FetchConfig, Fetcher
from marsad.watch.safety import AddressPolicy
from marsad.watch.state import load_feeds, status
from marsad.watch.watcher import Watcher

PAGES = Path(__file__).resolve().parents[1] / "data" / "watch" / "pages"
A = "https://a.example"
B = "https://b.example"


def rss(*links: str) -> bytes:
    items = "".join(
        f"<item><title>خبر {i}</title><link>{link}</link><pubDate>Sat, 30 Sep 2006 12:00:00 +0300</pubDate></item>"
        for i, link in enumerate(links)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


class Web:
    def __init__(self, routes: dict[str, httpx.Response]) -> None:
        self.routes = routes
        self.log: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = f"https://{request.headers['host']}{request.url.path}"
        self.log.append(url)
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return self.routes.get(url, httpx.Response(404))


def page(name: str) -> httpx.Response:
    return httpx.Response(200, content=(PAGES / name).read_bytes(), headers={"content-type": "text/html"})


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2006, 10, 1, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def make(tmp_path: Path, web: Web, clock: Clock | None = None, **settings: object) -> tuple[Watcher, list[str]]:
    s = Settings.build(env={}, db=tmp_path / "w.db", host_delay=0.0, watch_interval=600.0, **settings)
    fetcher = Fetcher(
        FetchConfig(user_agent="marsad/0.1 (test)", timeout=0.5, retries=0, backoff=0.0, host_delay=0.0),
        AddressPolicy(resolver=lambda host, port: ["93.184.216.34"]),
        transport=httpx.MockTransport(web),
    )
    lines: list[str] = []
    return Watcher(Store(s.db), s, fetcher=fetcher, log=lines.append, clock=clock), lines


def test_a_story_in_two_feeds_is_fetched_once_and_a_broken_feed_stops_nothing(tmp_path: Path):
    web = Web({
        f"{A}/rss": httpx.Response(200, content=rss(f"{A}/1.html", f"{B}/4.html")),
        f"{B}/rss": httpx.Response(200, content=rss(f"{B}/4.html", f"{B}/5.html")),
        f"{A}/broken": httpx.Response(200, content=b"<rss><channel><item"),
        f"{A}/1.html": page("news-1.html"),
        f"{B}/4.html": page("news-4.html"),
        f"{B}/5.html": page("news-5.html"),
    })
    watcher, lines = make(tmp_path, web)
    feeds = [FeedSpec(f"{A}/broken"), FeedSpec(f"{A}/rss"), FeedSpec(f"{B}/rss")]
    reports = watcher.poll(feeds)
    assert [r.status for r in reports] == ["error", "ok", "ok"]
    assert reports[0].error is not None and reports[0].error.code == "bad_feed"
    assert watcher.store.count() == 3
    assert web.log.count(f"{B}/4.html") == 1
    assert sum(r.new for r in reports) == 3
    assert any("bad_feed" in line for line in lines)


def test_one_article_that_cannot_be_stored_keeps_out_no_other(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    web = Web({
        f"{A}/rss": httpx.Response(200, content=rss(f"{A}/1.html", f"{A}/4.html", f"{A}/5.html")),
        f"{A}/1.html": page("news-1.html"),
        f"{A}/4.html": page("news-4.html"),
        f"{A}/5.html": page("news-5.html"),
    })
    watcher, _ = make(tmp_path, web, batch_size=8)
    real_insert = Store._insert

    def insert(self: Store, article):  # type: ignore[no-untyped-def]
        if "لاريجاني" in article.text:
            raise MarsadError("store_failed", "cannot be stored", article.id)
        return real_insert(self, article)

    monkeypatch.setattr(Store, "_insert", insert)
    (report,) = watcher.poll([FeedSpec(f"{A}/rss")])
    assert report.new == 2 and [o.error.code for o in report.failed if o.error] == ["store_failed"]
    marks = dict(watcher.store.query("SELECT url, status FROM feed_entries"))
    assert marks == {f"{A}/1.html": "stored", f"{A}/4.html": "failed", f"{A}/5.html": "stored"}


def test_a_crash_in_one_feeds_handling_is_that_feeds_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    web = Web({
        f"{A}/rss": httpx.Response(200, content=rss(f"{A}/1.html")),
        f"{B}/rss": httpx.Response(200, content=rss(f"{B}/5.html")),
        f"{A}/1.html": page("news-1.html"),
        f"{B}/5.html": page("news-5.html"),
    })
    real_parse = watcher_module.parse_feed

    def parse(content: bytes, url: str, content_type: str | None = None):  # type: ignore[no-untyped-def]
        if url.startswith(A):
            raise RecursionError("deeply nested XML")
        return real_parse(content, url, content_type)

    monkeypatch.setattr(watcher_module, "parse_feed", parse)
    watcher, _ = make(tmp_path, web)
    reports = watcher.poll([FeedSpec(f"{A}/rss"), FeedSpec(f"{B}/rss")])
    assert reports[0].status == "error" and "RecursionError" in reports[0].error.message  # type: ignore[union-attr]
    assert reports[1].status == "ok" and reports[1].new == 1


def test_schedule_due_feeds_and_backoff(tmp_path: Path):
    web = Web({f"{A}/rss": httpx.Response(200, content=rss()), f"{B}/rss": httpx.Response(500)})
    clock = Clock()
    watcher, _ = make(tmp_path, web, clock=clock)
    feeds = [FeedSpec(f"{A}/rss"), FeedSpec(f"{B}/rss")]
    assert watcher.due(feeds) == feeds  # never polled
    watcher.poll(feeds)
    rows = load_feeds(watcher.store)
    assert rows[f"{A}/rss"].next_poll == "2006-10-01T08:10:00+00:00"
    assert rows[f"{B}/rss"].next_poll == "2006-10-01T08:10:00+00:00"  # first failure: one interval
    assert watcher.due(feeds) == []
    assert watcher.seconds_to_next(feeds) == 600.0
    clock.now += dt.timedelta(minutes=10)
    assert watcher.due(feeds) == feeds
    watcher.poll(feeds)
    rows = load_feeds(watcher.store)
    assert rows[f"{B}/rss"].next_poll == "2006-10-01T08:30:00+00:00"  # second failure in a row: two intervals
    assert rows[f"{B}/rss"].failures == 2
    assert [r["status"] for r in status(watcher.store)] == ["ok", "error"]


def test_run_until_stopped(tmp_path: Path):
    web = Web({f"{A}/rss": httpx.Response(200, content=rss(f"{A}/1.html")), f"{A}/1.html": page("news-1.html")})
    watcher, _ = make(tmp_path, web)
    rounds: list[int] = []

    def on_round(reports):  # type: ignore[no-untyped-def]
        rounds.append(sum(r.new for r in reports))
        watcher.stop()

    reports = watcher.run([FeedSpec(f"{A}/rss")], on_round=on_round)
    assert rounds == [1] and reports[0].new == 1
