"""The poll loop: read each feed, fetch its new entries, analyse and store them.

One round (:meth:`Watcher.poll`) works like this.  Network requests run on a
small pool of worker threads, dispatched host by host so that no host gets
more than its share and a slow host never holds up the others.  Everything
else happens on the calling thread: parsing feeds, choosing the entries to
fetch, analysing pages (the pipeline's time limits need the main thread)
and writing to the store.

* An entry is fetched when its link was never seen (nor is already a
  stored article's URL), or when it failed transiently before; an entry
  listed by two feeds is fetched once.
* Each batch of fetched pages is analysed, then stored together with the
  rows marking its entries, in one transaction: an entry is marked only
  when its article is stored, so a crash or Ctrl-C loses nothing and a
  restart fetches again only what was not stored.
* A feed's validators (ETag, Last-Modified) are saved only once all its
  new entries are settled, and a feed with entries still to retry is
  asked for unconditionally, so a 304 never hides an unfinished entry.
* A feed that fails is recorded with its error and tried again later
  (with backoff); the others go on.
"""

from __future__ import annotations

import datetime as dt
import queue
import sys
import threading
from collections import Counter, deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from typing import Any

from marsad.documents import Article, RawPage
from marsad.errors import MarsadError
from marsad.ingest.encoding import looks_like_html
from marsad.pipeline.base import Failure, Pipeline
from marsad.settings import Settings
from marsad.store.sqlite import Store
from marsad.watch.feeds import FeedEntry, FeedSpec, parse_feed
from marsad.watch.fetch import Fetcher, FetchError, Response, Stopped
from marsad.watch.safety import Resolver
from marsad.watch.state import (
    EntryOutcome,
    entry_writer,
    finish_feed,
    load_feeds,
    now_iso,
    pending_retries,
    prune_entries,
    record_entries,
    select_new,
    sync_feeds,
)

__all__ = ["FeedReport", "Watcher"]

FETCH_WORKERS = 8  # requests in flight in all
MAX_BACKOFF_FACTOR = 16  # a failing feed waits at most this many intervals
RETRY_ROUND_AFTER = 60.0  # seconds before a round that failed to write to the store is tried again
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.8, */*;q=0.5"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
XML_TYPES = frozenset({"application/xml", "text/xml"})
# analysis failures worth another try on a later poll; others are final
TRANSIENT_CODES = frozenset({"timeout", "stage_failed", "store_failed"})


@dataclass(slots=True)
class FeedReport:
    """How one feed's poll went in this round."""

    url: str
    outlet: str | None = None
    status: str = "new"  # ok, not_modified, error
    http_status: int | None = None
    error: MarsadError | None = None  # the feed's error, or a warning about malformed XML
    entries: int = 0  # entries the feed lists
    new: int = 0  # articles stored
    duplicates: int = 0  # entries whose article was already stored
    failed: list[EntryOutcome] = field(default_factory=list)  # entries not stored (failed or skipped)

    @property
    def ok(self) -> bool:
        return self.status != "error" and not self.failed


@dataclass(slots=True)
class _Task:
    kind: str  # feed or page
    host: str
    feed: FeedSpec
    entry: FeedEntry | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _Progress:
    outstanding: int = 0
    response: Response | None = None


class _DaemonPool:
    """A thread pool whose threads never keep the process alive (Ctrl-C exits at once)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._tasks: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], dict[str, Any]] | None] = (
            queue.SimpleQueue()
        )
        self._threads: list[threading.Thread] = []

    def submit(self, fn: Callable[..., Any], **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self._tasks.put((future, fn, kwargs))
        if len(self._threads) < self._size:
            t = threading.Thread(target=self._work, name=f"marsad-fetch-{len(self._threads)}", daemon=True)
            t.start()
            self._threads.append(t)
        return future

    def _work(self) -> None:
        while True:
            item = self._tasks.get()
            if item is None:
                return
            future, fn, kwargs = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(**kwargs))
            except BaseException as e:  # handed to the waiting thread
                future.set_exception(e)

    def shutdown(self) -> None:
        for _ in self._threads:
            self._tasks.put(None)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").lower()


class Watcher:
    """Follows feeds into a store.  :meth:`poll` runs one round; :meth:`run` keeps polling."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        fetcher: Fetcher | None = None,
        pipeline: Pipeline | None = None,
        resolver: Resolver | None = None,
        workers: int = FETCH_WORKERS,
        log: Callable[[str], None] | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.fetcher = fetcher or Fetcher.from_settings(settings, resolver=resolver)
        if pipeline is None:
            from marsad.pipeline.build import build_pipeline

            pipeline = build_pipeline(settings)
        self.pipeline = pipeline
        self.workers = max(1, workers)
        self.log = log or (lambda line: print(line, file=sys.stderr))
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._stop = threading.Event()

    # --- control -------------------------------------------------------------

    def stop(self) -> None:
        """Stop after the current step (thread-safe); requests under way are abandoned."""
        self._stop.set()
        self.fetcher.stop()

    def close(self) -> None:
        self.fetcher.close()

    # --- scheduling ----------------------------------------------------------

    def _after(self, seconds: float) -> str:
        return now_iso(lambda: self.clock() + dt.timedelta(seconds=seconds))

    def due(self, feeds: Sequence[FeedSpec]) -> list[FeedSpec]:
        """The feeds whose next poll time has come (or that were never polled)."""
        sync_feeds(self.store, feeds, self.clock)
        rows = load_feeds(self.store, [f.url for f in feeds])
        now = now_iso(self.clock)
        return [f for f in feeds if (rows[f.url].next_poll or "") <= now]

    def seconds_to_next(self, feeds: Sequence[FeedSpec]) -> float:
        """Seconds until the earliest next poll among ``feeds`` (0 if one is due)."""
        rows = load_feeds(self.store, [f.url for f in feeds])
        times = [r.next_poll for r in rows.values() if r.next_poll]
        if len(times) < len(rows) or not times:
            return 0.0
        nxt = dt.datetime.fromisoformat(min(times))
        return max(0.0, (nxt - self.clock()).total_seconds())

    def run(
        self,
        feeds: Sequence[FeedSpec],
        *,
        once: bool = False,
        on_round: Callable[[list[FeedReport]], None] | None = None,
    ) -> list[FeedReport]:
        """Poll ``feeds``: one round of all of them if ``once``, else each when due until stopped.

        Returns the reports of the last round (an unfinished round reports
        nothing).  Ctrl-C (KeyboardInterrupt) propagates; what was stored
        before it stays stored, with its entries marked.
        """
        reports: list[FeedReport] = []
        if once:
            reports = self.poll(feeds)
            if on_round:
                on_round(reports)
            return reports
        while not self._stop.is_set():
            due = self.due(feeds)
            if due:
                try:
                    reports = self.poll(due)
                except Stopped:
                    break
                except MarsadError as e:  # the store could not be written (locked, full): try again later
                    self.log(f"marsad watch: error: {e.message} [{e.code}]")
                    if self._stop.wait(min(self.settings.watch_interval, RETRY_ROUND_AFTER)):
                        break
                    continue
                if on_round:
                    on_round(reports)
                continue
            wait_s = min(max(self.seconds_to_next(feeds), 1.0), self.settings.watch_interval)
            if self._stop.wait(wait_s):
                break
        return reports

    # --- one round -----------------------------------------------------------

    def poll(self, feeds: Sequence[FeedSpec]) -> list[FeedReport]:
        """Poll each feed once, fetch and store its new entries; one report per feed.

        Raises :class:`Stopped` if :meth:`stop` was called meanwhile (the
        watcher cannot poll again after that).
        """
        feeds = list({f.url: f for f in feeds}.values())
        sync_feeds(self.store, feeds, self.clock)
        prune_entries(self.store, self.clock)
        rows = load_feeds(self.store, [f.url for f in feeds])
        reports = {f.url: FeedReport(f.url, f.outlet) for f in feeds}
        progress: dict[str, _Progress] = {}
        claimed: set[str] = set()
        queues: dict[str, deque[_Task]] = {}
        inflight: Counter[str] = Counter()
        running: dict[Future[Any], _Task] = {}
        ready: list[tuple[_Task, Response | BaseException]] = []
        pool = _DaemonPool(self.workers)

        def enqueue(task: _Task) -> None:
            queues.setdefault(task.host, deque()).append(task)

        def dispatch() -> None:
            progressed = True
            while progressed and len(running) < self.workers:
                progressed = False
                for host, q in queues.items():  # one task per host per pass: round robin
                    if q and inflight[host] < self.fetcher.config.host_concurrency and len(running) < self.workers:
                        task = q.popleft()
                        inflight[host] += 1
                        running[pool.submit(self.fetcher.get, **task.kwargs)] = task
                        progressed = True

        for f in feeds:
            row = rows[f.url]
            conditional = pending_retries(self.store, f.url) == 0
            kwargs: dict[str, Any] = {"url": f.url, "accept": FEED_ACCEPT}
            if conditional:
                kwargs.update(etag=row.etag, last_modified=row.last_modified)
            enqueue(_Task("feed", _host(f.url), f, None, kwargs))

        try:
            dispatch()
            while running:
                done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for fut in done:
                    task = running.pop(fut)
                    inflight[task.host] -= 1
                    exc = fut.exception()
                    if isinstance(exc, Stopped):
                        raise Stopped()
                    outcome: Response | BaseException = exc if exc is not None else fut.result()
                    if task.kind == "feed":
                        for page in self._feed_read(task.feed, outcome, rows[task.feed.url].failures,
                                                    reports[task.feed.url], progress, claimed):
                            enqueue(page)
                    else:
                        ready.append((task, outcome))
                batch_size = self.settings.batch_size
                while ready:
                    batch, ready = ready[:batch_size], ready[batch_size:]
                    self._settle(batch, reports, progress)
                dispatch()
                if self._stop.is_set():
                    raise Stopped()
        except BaseException as e:
            if isinstance(e, Stopped) or not isinstance(e, Exception):  # Ctrl-C: abandon the requests
                self.fetcher.stop()
            for fut in running:
                fut.cancel()
            raise
        finally:
            pool.shutdown()
        return [reports[f.url] for f in feeds]

    def _feed_read(
        self,
        feed: FeedSpec,
        outcome: Response | BaseException,
        failures: int,
        report: FeedReport,
        progress: dict[str, _Progress],
        claimed: set[str],
    ) -> list[_Task]:
        """Handle a feed's response: record it, or return the fetches of its new entries."""
        polled = now_iso(self.clock)
        interval = self.settings.watch_interval

        def fail(error: MarsadError, status: int | None = None) -> list[_Task]:
            report.status, report.error, report.http_status = "error", error, status
            factor = min(2**failures, MAX_BACKOFF_FACTOR)
            finish_feed(self.store, feed.url, polled=polled, next_poll=self._after(interval * factor),
                        status="error", http_status=status, error=error)
            self.log(f"marsad watch: {feed.url}: {error.code}: {error.message}")
            return []

        if isinstance(outcome, MarsadError):
            return fail(outcome, getattr(outcome, "status", None))
        if isinstance(outcome, BaseException):
            return fail(MarsadError("stage_failed", f"{type(outcome).__name__}: {outcome}", feed.url))
        response = outcome
        report.http_status = response.status
        if response.not_modified:
            report.status = "not_modified"
            finish_feed(self.store, feed.url, polled=polled, next_poll=self._after(interval),
                        status="not_modified", http_status=304, keep_validators=True)
            return []
        try:
            parsed = parse_feed(response.content, response.url, response.headers.get("content-type"))
        except MarsadError as e:
            return fail(e, response.status)
        except Exception as e:  # a parser bug must not stop the other feeds
            return fail(MarsadError("bad_feed", f"{feed.url}: {type(e).__name__}: {e}", feed.url), response.status)
        if parsed.malformed:
            report.error = MarsadError("bad_feed", f"malformed feed, entries read anyway: {parsed.malformed}",
                                       feed.url)
            self.log(f"marsad watch: {feed.url}: warning: {report.error.message}")
        report.status = "ok"
        report.entries = len(parsed.entries)
        mine = [e for e in parsed.entries if e.url not in claimed]
        claimed.update(e.url for e in mine)
        fresh, already = select_new(self.store, mine)
        if already:
            known = [EntryOutcome(feed.url, e, "duplicate", already[e.url], fetched=False)
                     for e in mine if e.url in already]
            record_entries(self.store, known, self.clock)
            report.duplicates += len(known)
        progress[feed.url] = _Progress(len(fresh), response)
        if not fresh:
            self._finish_ok(feed.url, report, progress)
            return []
        return [
            _Task("page", _host(e.url), feed, e, {"url": e.url, "accept": PAGE_ACCEPT})
            for e in fresh
        ]

    def _finish_ok(self, feed_url: str, report: FeedReport, progress: dict[str, _Progress]) -> None:
        response = progress[feed_url].response
        assert response is not None
        finish_feed(
            self.store, feed_url, polled=now_iso(self.clock), next_poll=self._after(self.settings.watch_interval),
            status="ok", http_status=response.status, etag=response.etag, last_modified=response.last_modified,
            error=report.error, new_entries=report.new, entry_errors=len(report.failed),
        )

    def _raw_page(self, entry: FeedEntry, response: Response) -> RawPage:
        ctype = response.content_type
        kind: str | None
        if ctype in HTML_TYPES:
            kind = "html"
        elif ctype is None or ctype.startswith("text/") or ctype in XML_TYPES:
            if looks_like_html(response.content):
                kind = "html"
            else:
                kind = "text" if ctype is None or ctype.startswith("text/") else None
        else:
            kind = None
        if kind is None:
            raise MarsadError("unsupported_type", f"{response.url} is {ctype}, not HTML or text", response.url)
        return RawPage(
            content=response.content,
            kind=kind,  # type: ignore[arg-type]
            source=response.url,
            url=response.url,
            # extraction ranks a fetch date above a date the source gave: when the feed dates
            # the entry, the feed's date is the better anchor for a page that carries none
            fetched=None if entry.published else response.fetched,
            content_type=response.headers.get("content-type"),
            charset=response.charset,
            published=entry.published,
            title=entry.title,
        )

    def _settle(
        self,
        batch: list[tuple[_Task, Response | BaseException]],
        reports: dict[str, FeedReport],
        progress: dict[str, _Progress],
    ) -> None:
        """Analyse a batch of fetched pages and store them with their entry rows, in one transaction."""
        others: list[EntryOutcome] = []
        pages: list[tuple[str, FeedEntry, RawPage]] = []
        for task, outcome in batch:
            assert task.entry is not None
            url = task.feed.url
            if isinstance(outcome, FetchError):
                others.append(EntryOutcome(url, task.entry, "failed" if outcome.transient else "skipped",
                                           error=outcome))
            elif isinstance(outcome, MarsadError):
                others.append(EntryOutcome(url, task.entry, "skipped", error=outcome))
            elif isinstance(outcome, BaseException):
                error = MarsadError("stage_failed", f"{type(outcome).__name__}: {outcome}", task.entry.url)
                others.append(EntryOutcome(url, task.entry, "failed", error=error))
            else:
                try:
                    pages.append((url, task.entry, self._raw_page(task.entry, outcome)))
                except MarsadError as e:
                    others.append(EntryOutcome(url, task.entry, "skipped", final_url=outcome.url, error=e))
        results = self.pipeline.run([page for _, _, page in pages]) if pages else []
        articles: list[tuple[str, FeedEntry, Article, str | None]] = []
        for (url, entry, page), result in zip(pages, results, strict=True):
            if isinstance(result, Failure):
                st = "failed" if result.error.code in TRANSIENT_CODES else "skipped"
                others.append(EntryOutcome(url, entry, st, final_url=page.url, error=result.error))
            else:
                articles.append((url, entry, result, page.url))
        written: list[EntryOutcome] = []
        try:
            self.store.add_many([a for *_, a, _ in articles], then=entry_writer(articles, others, self.clock, written))
        except MarsadError:
            # one bad article must not keep the others out: store them one by one
            written.clear()
            record_entries(self.store, others, self.clock)
            written.extend(others)
            for item in articles:
                one: list[EntryOutcome] = []
                try:
                    self.store.add_many([item[2]], then=entry_writer([item], (), self.clock, one))
                except MarsadError as e:
                    one = [EntryOutcome(item[0], item[1], "failed", final_url=item[3], error=e)]
                    record_entries(self.store, one, self.clock)
                written.extend(one)
        for done in written:
            report = reports[done.feed_url]
            if done.status == "stored":
                report.new += 1
            elif done.status == "duplicate":
                report.duplicates += 1
            else:
                report.failed.append(done)
                err = done.error
                self.log(f"marsad watch: {done.entry.url}: {done.status}: "
                         f"{err.code if err else '?'}: {err.message if err else ''}")
            state = progress[done.feed_url]
            state.outstanding -= 1
            if state.outstanding == 0:
                self._finish_ok(done.feed_url, report, progress)
