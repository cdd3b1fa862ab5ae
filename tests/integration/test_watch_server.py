"""``marsad watch`` against a local HTTP server on 127.0.0.1 serving fixture feeds and Arabic pages.

The server (http.server in a thread, on a free port) serves RSS/Atom feeds
(tests/data/watch/feeds) and article pages (tests/data/watch/pages), plus a
slow host, a 500, a redirect loop, malformed XML, a windows-1256 page, 304s,
a robots.txt that disallows a path and oversized pages.  Sockets may only
connect to loopback addresses while these tests run.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from marsad.pipeline.base import Pipeline
from marsad.store.sqlite import Store
from marsad.watch import status
from marsad.watch.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "watch"
SLOW_SECONDS = 1.5  # the slow host answers after this; the client gives up after 0.5 s
MAX_BYTES = 100_000  # fetch size cap in these tests
PAGE_SECONDS = 0.1  # article pages take this long to answer

ROBOTS = b"User-agent: *\nDisallow: /private/\n"
MAIN_ETAG = '"main-v1"'
ATOM_MODIFIED = "Sun, 01 Oct 2006 00:00:00 GMT"

PAGES = {
    "/news/1.html": ("news-1.html", "text/html; charset=utf-8"),
    "/news/1-copy.html": ("news-1.html", "text/html; charset=utf-8"),  # the same story at a second URL
    "/news/2.html": ("news-2.html", "text/html"),  # windows-1256 bytes; only the <meta> says so
    "/private/3.html": ("news-3.html", "text/html; charset=utf-8"),  # robots.txt disallows /private/
    "/news/4.html": ("news-4.html", "text/html; charset=utf-8"),
    "/news/5.html": ("news-5.html", "text/html; charset=utf-8"),
    "/news/6.html": ("news-6.html", "text/html; charset=utf-8"),
    "/news/7.txt": ("news-7.txt", "text/plain; charset=utf-8"),
    "/news/8.html": ("news-8.html", "text/html; charset=utf-8"),
}
REDIRECTS = {
    "/news/moved": "/news/4.html",
    "/loop/a": "/loop/b",
    "/loop/b": "/loop/a",
    "/redirect/private": "http://10.0.0.1/secret",
    "/redirect/file": "file:///etc/passwd",
}
FEEDS = {
    "/feeds/main.rss": "main.rss",
    "/feeds/atom.xml": "atom.xml",
    "/feeds/loose.rss": "loose.rss",
    "/feeds/broken.xml": "broken.xml",
    "/feeds/troubled.rss": "troubled.rss",
}

# what a first round must store: path → (words the stored text holds, published date)
EXPECTED = {
    "/news/1.html": ("رامسفيلد", "2006-09-30"),  # the page has no date: the feed's
    "/news/2.html": ("البارزاني", "2006-09-30"),
    "/news/4.html": ("لاريجاني", "2006-09-30"),
    "/news/5.html": ("حماس", "2006-10-01"),  # Atom <updated> 01:30+03:00 (UTC: 09-30 22:30)
    "/news/6.html": ("الظواهري", "2006-09-30"),
    "/news/7.txt": ("البرازيلية", "2006-10-01"),
    "/news/8.html": ("اليورو", "2001-12-31"),  # the page has no date: the feed's
}


def _client_left(h: BaseHTTPRequestHandler, seconds: float) -> bool:
    """Wait ``seconds`` before answering; True as soon as the client hangs up meanwhile."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        readable, _, _ = select.select([h.connection], [], [], min(left, 0.05))
        if readable and h.connection.recv(1, socket.MSG_PEEK) == b"":
            return True
    return False


class FixtureServer:
    """Routes, a request log and a count of requests in flight."""

    def __init__(self) -> None:
        self.base = ""
        self.log: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.inflight = 0
        self.max_inflight = 0
        self.slow_hit = threading.Event()

    def count(self, path: str) -> int:
        with self.lock:
            return sum(1 for p, _ in self.log if p == path)

    def headers(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [h for p, h in self.log if p == path]

    def reset(self) -> None:
        with self.lock:
            self.log.clear()

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?", 1)[0]
        with self.lock:
            self.log.append((path, {k.lower(): v for k, v in h.headers.items()}))
            self.inflight += 1
            self.max_inflight = max(self.max_inflight, self.inflight)
        h.waiting = True  # type: ignore[attr-defined]
        try:
            self._route(h, path)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout, size cap)
        finally:
            self._answering(h)

    def _answering(self, h: BaseHTTPRequestHandler) -> None:
        """The request stops counting as in flight once its answer starts (the client cannot
        start another before it has this one) or once it is abandoned."""
        if getattr(h, "waiting", False):
            h.waiting = False  # type: ignore[attr-defined]
            with self.lock:
                self.inflight -= 1

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: bytes = b"", ctype: str | None = None,
              extra: dict[str, str] | None = None) -> None:
        self._answering(h)
        h.send_response(status)
        if ctype:
            h.send_header("Content-Type", ctype)
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def _feed(self, name: str) -> bytes:
        return (DATA / "feeds" / name).read_bytes().replace(b"{{BASE}}", self.base.encode())

    def _route(self, h: BaseHTTPRequestHandler, path: str) -> None:
        if path == "/robots.txt":
            return self._send(h, 200, ROBOTS, "text/plain")
        if path == "/feeds/main.rss":
            if h.headers.get("If-None-Match") == MAIN_ETAG:
                return self._send(h, 304, extra={"ETag": MAIN_ETAG})
            return self._send(h, 200, self._feed("main.rss"), "application/rss+xml; charset=utf-8",
                              {"ETag": MAIN_ETAG})
        if path == "/feeds/atom.xml":
            if h.headers.get("If-Modified-Since") == ATOM_MODIFIED:
                return self._send(h, 304)
            return self._send(h, 200, self._feed("atom.xml"), "application/atom+xml",
                              {"Last-Modified": ATOM_MODIFIED})
        if path in FEEDS:
            return self._send(h, 200, self._feed(FEEDS[path]), "application/rss+xml", {"ETag": f'"{path}"'})
        if path in ("/feeds/slow.xml", "/slow/page.html"):
            self.slow_hit.set()
            self._answering(h)  # the client gives up on its own clock: not counted
            if _client_left(h, SLOW_SECONDS):
                return None
            return self._send(h, 200, self._feed("main.rss"), "application/rss+xml")
        if path in ("/feeds/down.xml", "/error/page.html"):
            return self._send(h, 500, b"<h1>Internal Server Error</h1>", "text/html")
        if path in PAGES:
            time.sleep(PAGE_SECONDS)  # long enough for requests to overlap, were they allowed to
            name, ctype = PAGES[path]
            return self._send(h, 200, (DATA / "pages" / name).read_bytes(), ctype)
        if path in REDIRECTS:
            return self._send(h, 301 if path != "/news/moved" else 302, b"", "text/html",
                              {"Location": REDIRECTS[path]})
        if path == "/big/declared.html":
            return self._send(h, 200, b"<p>" + "كلام ".encode() * (MAX_BYTES // 4) + b"</p>", "text/html")
        if path == "/big/page.html":  # chunked, no length: the cap applies while reading
            self._answering(h)
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            chunk = "<p>خبر طويل جدا</p>\n".encode() * 500
            for _ in range(2 * MAX_BYTES // len(chunk) + 2):
                h.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            h.wfile.write(b"0\r\n\r\n")
            return None
        if path == "/files/report.pdf":
            return self._send(h, 200, b"%PDF-1.4\n" + bytes(range(256)) * 8, "application/pdf")
        return self._send(h, 404, b"not found", "text/plain")


def _handler(fixture: FixtureServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            fixture.handle(self)

        def handle(self) -> None:
            try:
                super().handle()
            except (ConnectionResetError, BrokenPipeError):
                pass  # the client closed a kept-alive connection

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    fixture = FixtureServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fixture))
    httpd.daemon_threads = True
    fixture.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield fixture
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any socket connecting beyond 127.0.0.1/::1 is refused, and fails the test."""
    real_connect = socket.socket.connect
    attempts: list[Any] = []

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in ("127.0.0.1", "::1"):
            attempts.append(address)
            raise ConnectionRefusedError(f"tests may not reach {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield
    assert attempts == [], f"a test tried to reach {attempts}"


@pytest.fixture(autouse=True)
def fast_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("MARSAD_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("MARSAD_FETCH_TIMEOUT", "0.5")
    monkeypatch.setenv("MARSAD_FETCH_RETRIES", "1")
    monkeypatch.setenv("MARSAD_RETRY_BACKOFF", "0.05")
    monkeypatch.setenv("MARSAD_HOST_DELAY", "0")
    monkeypatch.setenv("MARSAD_HOST_CONCURRENCY", "2")
    monkeypatch.setenv("MARSAD_FETCH_MAX_BYTES", str(MAX_BYTES))


def feed_list(tmp_path: Path, server: FixtureServer, names: list[str]) -> Path:
    lines = ["# feeds of the fixture server", ""]
    outlets = {"main.rss": '"المرصد اليوم"  ar', "atom.xml": "المرصد فلسطين ar", "broken.xml": "عاجل"}
    for name in names:
        lines.append(f"{server.base}/feeds/{name}  {outlets.get(name, '')}  # {name}")
    path = tmp_path / "feeds.txt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


ALL_FEEDS = ["main.rss", "atom.xml", "loose.rss", "broken.xml", "down.xml", "slow.xml", "troubled.rss"]


def run_watch(feeds: Path, db: Path, *extra: str) -> int:
    return main([str(feeds), "--db", str(db), "--once", "--allow-host", "127.0.0.1", "--json", *extra])


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def stored_by_path(db: Path, base: str) -> dict[str, tuple[str, str | None, str]]:
    """Stored articles by the path of their URL: (text, published, id).

    /news/1.html and /news/1-copy.html carry one story: whichever is fetched
    first is stored, the other is its duplicate; both count as /news/1.html.
    """
    return {
        url.removeprefix(base).replace("/news/1-copy.html", "/news/1.html"): (text, published, aid)
        for url, text, published, aid in rows(db, "SELECT url, text, published, id FROM articles")
    }


def test_refused_without_allow_host(tmp_path: Path, server: FixtureServer, capsys: pytest.CaptureFixture[str]):
    feeds = feed_list(tmp_path, server, ["main.rss"])
    db = tmp_path / "w.db"
    assert main([str(feeds), "--db", str(db), "--once", "--json"]) == 1
    assert server.log == []  # not even robots.txt was asked for
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["status"] == "error" and row["error"]["code"] == "blocked_address"
    assert "loopback" in row["error"]["message"] and "--allow-host 127.0.0.1" in row["error"]["message"]


def test_first_round_then_second_round(tmp_path: Path, server: FixtureServer, capsys: pytest.CaptureFixture[str]):
    feeds = feed_list(tmp_path, server, ALL_FEEDS)
    db = tmp_path / "w.db"
    assert run_watch(feeds, db) == 1  # some feeds and entries fail
    out, err = capsys.readouterr()

    # every article once, with its text decoded and its date from the feed
    stored = stored_by_path(db, server.base)
    assert sorted(stored) == sorted(EXPECTED)
    for path, (word, published) in EXPECTED.items():
        text, got_published, _ = stored[path]
        assert word in text, path
        assert got_published == published, path
    assert "\ufffd" not in stored["/news/2.html"][0] and "Ø" not in stored["/news/2.html"][0]
    titles = dict(rows(db, "SELECT url, title FROM articles"))
    assert titles[server.base + "/news/2.html"] == "الصحف البريطانية: تصعيد بين الأكراد والعرب في العراق"

    # the status rows printed (JSON Lines with --json), in feed-list order
    printed = [json.loads(line) for line in out.splitlines()]
    by_feed = {r["url"].rsplit("/", 1)[1]: r for r in printed}
    assert [r["url"].rsplit("/", 1)[1] for r in printed] == ALL_FEEDS
    assert by_feed["main.rss"]["outlet"] == "المرصد اليوم" and by_feed["main.rss"]["language"] == "ar"
    assert by_feed["main.rss"]["status"] == "ok" and by_feed["main.rss"]["last_poll"]
    assert by_feed["broken.xml"]["status"] == "error" and by_feed["broken.xml"]["error"]["code"] == "bad_feed"
    assert by_feed["down.xml"]["error"]["code"] == "fetch_failed" and by_feed["down.xml"]["http_status"] == 500
    assert by_feed["slow.xml"]["error"]["code"] == "timeout"
    assert by_feed["loose.rss"]["status"] == "ok" and by_feed["loose.rss"]["new_entries"] == 1
    assert by_feed["loose.rss"]["error"]["code"] == "bad_feed"  # a warning: malformed but read
    assert by_feed["troubled.rss"]["new_entries"] == 1 and by_feed["troubled.rss"]["entry_errors"] == 2
    stored_total = sum(r["stored"] for r in printed)
    assert stored_total == len(EXPECTED)
    assert by_feed["main.rss"]["entry_errors"] == 7

    # 500: asked once, retried once, then an error; a slow host: two attempts
    assert server.count("/feeds/down.xml") == 2
    assert server.count("/feeds/slow.xml") == 2
    # a story listed by two feeds (main.rss and atom.xml) is fetched once
    assert server.count("/news/1.html") == 1
    # robots.txt asked for once, and the disallowed page never
    assert server.count("/robots.txt") == 1
    assert server.count("/private/3.html") == 0
    # a redirect loop is detected; redirects to file: and to a private address are not followed
    assert server.count("/loop/a") == 1 and server.count("/loop/b") == 1
    # the host never had more requests waiting for an answer than allowed
    assert 1 <= server.max_inflight <= 2

    entries = dict(rows(db, "SELECT url, status || ':' || coalesce(error_code, '') FROM feed_entries"))
    base = server.base
    assert entries[f"{base}/private/3.html"] == "skipped:robots_disallowed"
    assert entries[f"{base}/loop/a"] == "skipped:fetch_failed"
    assert entries[f"{base}/big/page.html"] == "skipped:too_large"
    assert entries[f"{base}/big/declared.html"] == "skipped:too_large"
    assert entries[f"{base}/files/report.pdf"] == "skipped:unsupported_type"
    assert entries[f"{base}/redirect/private"] == "skipped:blocked_address"
    assert entries[f"{base}/redirect/file"] == "skipped:bad_url"
    assert {entries[f"{base}/news/1.html"], entries[f"{base}/news/1-copy.html"]} == {"stored:", "duplicate:"}
    assert entries[f"{base}/slow/page.html"] == "failed:timeout"
    assert entries[f"{base}/error/page.html"] == "failed:fetch_failed"
    assert entries[f"{base}/news/moved"] == "stored:"  # stored under the URL it redirected to
    assert f"{base}/news/1.html" in entries  # the fragment of the feed's link is dropped
    assert not any("mailto" in url for url in entries)
    assert "robots_disallowed" in err and "too_large" in err  # per-entry failures on stderr

    # status() (the API's view) agrees with what was printed
    with Store(db) as store:
        api_rows = status(store)
    assert [r["url"] for r in api_rows] == [r["url"] for r in printed]
    assert {r["url"]: r["stored"] for r in api_rows} == {r["url"]: r["stored"] for r in printed}

    # second round: conditional GETs answered 304, nothing fetched twice, nothing stored twice
    server.reset()
    before = rows(db, "SELECT id, seq FROM articles ORDER BY seq")
    assert run_watch(feeds, db) == 1
    out2 = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_feed2 = {r["url"].rsplit("/", 1)[1]: r for r in out2}
    assert rows(db, "SELECT id, seq FROM articles ORDER BY seq") == before
    assert server.headers("/feeds/main.rss")[0].get("if-none-match") == MAIN_ETAG
    assert server.headers("/feeds/atom.xml")[0].get("if-modified-since") == ATOM_MODIFIED
    assert by_feed2["main.rss"]["status"] == "not_modified" and by_feed2["main.rss"]["http_status"] == 304
    assert by_feed2["atom.xml"]["status"] == "not_modified"
    assert by_feed2["main.rss"]["stored"] == by_feed["main.rss"]["stored"]
    for path in [*EXPECTED, "/news/1-copy.html", "/private/3.html", "/big/page.html", "/loop/a"]:
        assert server.count(path) == 0, path
    # a feed with entries to retry is asked for in full, and only those entries are fetched again
    assert "if-none-match" not in server.headers("/feeds/troubled.rss")[0]
    assert server.count("/slow/page.html") == 2 and server.count("/error/page.html") == 2
    assert by_feed2["troubled.rss"]["new_entries"] == 0 and by_feed2["troubled.rss"]["entry_errors"] == 2
    attempts = dict(rows(db, "SELECT url, attempts FROM feed_entries"))
    assert attempts[f"{base}/slow/page.html"] == 2 and attempts[f"{base}/news/8.html"] == 1


def test_interrupted_run_resumes_without_refetching(
    tmp_path: Path, server: FixtureServer, monkeypatch: pytest.MonkeyPatch
):
    feeds = feed_list(tmp_path, server, ["main.rss", "atom.xml"])
    db = tmp_path / "w.db"
    monkeypatch.setenv("MARSAD_BATCH_SIZE", "1")
    real_run = Pipeline.run
    calls = Counter[str]()

    def crashing_run(self: Pipeline, items: Any) -> Any:
        calls["run"] += 1
        if calls["run"] == 3:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the analysis
        return real_run(self, items)

    monkeypatch.setattr(Pipeline, "run", crashing_run)
    assert run_watch(feeds, db) == 130
    monkeypatch.setattr(Pipeline, "run", real_run)

    # what was stored is consistent: each stored article has its entry marked, and no entry is marked without it
    first = stored_by_path(db, server.base)
    assert 1 <= len(first) < 5
    marked = rows(db, "SELECT article_id FROM feed_entries WHERE status = 'stored'")
    assert sorted(a for (a,) in marked) == sorted(aid for _, _, aid in first.values())
    # the interrupted feed keeps no validators, so the next poll reads it in full
    assert rows(db, "SELECT etag FROM feeds WHERE url LIKE '%main.rss'") == [(None,)]
    fetched_first = {p: server.count(p) for p in PAGES}
    first_urls = [url.removeprefix(server.base) for (url,) in rows(db, "SELECT url FROM articles")]

    assert run_watch(feeds, db) in (0, 1)  # 1 if main.rss's refused entries were not reached before
    final = stored_by_path(db, server.base)
    assert sorted(final) == ["/news/1.html", "/news/2.html", "/news/4.html", "/news/5.html", "/news/7.txt"]
    assert len({aid for _, _, aid in final.values()}) == len(final)
    assert server.headers("/feeds/main.rss")[-1].get("if-none-match") is None
    for path in first_urls:  # what the first run stored was not fetched again
        assert server.count(path) == fetched_first[path] == 1, path
    (n,) = rows(db, "SELECT count(*) FROM articles")[0]
    assert n == 5

    # and a third run finds nothing new
    server.reset()
    assert run_watch(feeds, db) == 0
    assert [h.get("if-none-match") for h in server.headers("/feeds/main.rss")] == [MAIN_ETAG]
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 5
    assert all(server.count(p) == 0 for p in PAGES)


def _wait_for(predicate: Callable[[], bool], seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_stops_the_loop(tmp_path: Path, server: FixtureServer):
    feeds = feed_list(tmp_path, server, ["slow.xml"])
    db = tmp_path / "w.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env.update(MARSAD_FETCH_TIMEOUT="5", MARSAD_HOST_DELAY="0")
    proc = subprocess.Popen(
        [sys.executable, "-m", "marsad.watch.cli", str(feeds), "--db", str(db), "--allow-host", "127.0.0.1",
         "--interval", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )
    try:
        assert _wait_for(server.slow_hit.is_set, 30), "the watcher never asked for the feed"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "interrupted" in err
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 0
