"""The fetcher: address pinning, robots.txt, conditional GET, retries, redirects, size cap, host gates.

Requests go to an ``httpx.MockTransport``; host names resolve through a
fake resolver; waits are recorded, not slept.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable, Iterator

import httpx
import pytest

from marsad.watch.fetch import MAX_CRAWL_DELAY, FetchConfig, Fetcher, FetchError, HostGate, Response, Stopped
from marsad.watch.safety import AddressPolicy

ADDRESSES = {"news.example": ["93.184.216.34"], "cdn.example": ["151.101.1.1"], "evil.example": ["10.9.8.7"]}
PAGE = "<html><body><p>خبر</p></body></html>".encode()


class Site:
    """A fake web: handlers by (host, path), a log of requests, robots.txt per host."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]] = {}
        self.requests: list[httpx.Request] = []
        self.robots: dict[str, httpx.Response] = {}

    def route(self, host: str, path: str, response: httpx.Response | Callable[[httpx.Request], httpx.Response]):
        self.routes[(host, path)] = response if callable(response) else (lambda _r, resp=response: resp)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        host = request.headers["host"].split(":")[0]
        if request.url.path == "/robots.txt":
            return self.robots.get(host, httpx.Response(404))
        handler = self.routes.get((host, request.url.path))
        return handler(request) if handler else httpx.Response(404, text="missing")

    def paths(self) -> list[str]:
        return [f"{r.headers['host']}{r.url.path}" for r in self.requests]


def make(site: Site, **overrides: object) -> tuple[Fetcher, list[float]]:
    config = {"user_agent": "marsad/0.1 (test)", "timeout": 0.5, "max_bytes": 100_000, "retries": 2,
              "backoff": 0.25, "host_delay": 0.0, "host_concurrency": 2}
    config.update(overrides)
    waits: list[float] = []

    def sleep(seconds: float) -> bool:
        waits.append(seconds)
        return False

    policy = AddressPolicy(resolver=lambda host, port: ADDRESSES[host])
    return Fetcher(FetchConfig(**config), policy, transport=httpx.MockTransport(site), sleep=sleep), waits  # type: ignore[arg-type]


def test_connects_to_the_checked_address_with_the_host_header():
    site = Site()
    site.route("news.example", "/a", httpx.Response(200, content=PAGE, headers={"content-type": "text/html"}))
    fetcher, _ = make(site)
    response = fetcher.get("https://news.example/a?x=1", accept="text/html")
    assert response.status == 200 and response.content == PAGE and response.url == "https://news.example/a?x=1"
    page = site.requests[-1]
    assert page.url.host == "93.184.216.34" and page.url.query == b"x=1"
    assert page.headers["host"] == "news.example"
    assert page.extensions["sni_hostname"] == "news.example"  # TLS still checks the name
    assert page.headers["user-agent"] == "marsad/0.1 (test)" and page.headers["accept"] == "text/html"


def test_refused_addresses_are_never_contacted():
    site = Site()
    fetcher, _ = make(site)
    for url, code in [("http://evil.example/x", "blocked_address"), ("ftp://news.example/x", "bad_url"),
                      ("http://127.0.0.1/x", "blocked_address")]:
        with pytest.raises(FetchError) as err:
            fetcher.get(url)
        assert err.value.code == code and err.value.transient is False
    assert site.requests == []


def test_conditional_get_and_304():
    site = Site()

    def feed(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"etag": '"v1"'})
        return httpx.Response(200, content=b"<rss/>", headers={"etag": '"v1"', "last-modified": "Sun, 01 Oct 2006 00:00:00 GMT"})

    site.route("news.example", "/rss", feed)
    fetcher, _ = make(site)
    first = fetcher.get("http://news.example/rss")
    assert first.status == 200 and first.etag == '"v1"' and first.last_modified == "Sun, 01 Oct 2006 00:00:00 GMT"
    second = fetcher.get("http://news.example/rss", etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.content == b""
    sent = site.requests[-1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == "Sun, 01 Oct 2006 00:00:00 GMT"


def test_5xx_is_retried_with_backoff_then_succeeds():
    site = Site()
    answers = iter([httpx.Response(503), httpx.Response(502), httpx.Response(200, content=PAGE)])
    site.route("news.example", "/a", lambda _r: next(answers))
    fetcher, waits = make(site)
    assert fetcher.get("http://news.example/a").content == PAGE
    assert site.paths().count("news.example/a") == 3
    assert waits == [0.25, 0.5]


def test_persistent_500_gives_a_transient_error_with_the_status():
    site = Site()
    site.route("news.example", "/a", httpx.Response(500, text="oops"))
    fetcher, waits = make(site, retries=1)
    with pytest.raises(FetchError) as err:
        fetcher.get("http://news.example/a")
    assert err.value.code == "fetch_failed" and err.value.status == 500 and err.value.transient
    assert site.paths().count("news.example/a") == 2 and waits == [0.25]


def test_retry_after_is_honoured_or_gives_up():
    site = Site()
    answers = iter([httpx.Response(429, headers={"retry-after": "7"}), httpx.Response(200, content=PAGE)])
    site.route("news.example", "/a", lambda _r: next(answers))
    site.route("news.example", "/b", httpx.Response(503, headers={"retry-after": "86400"}))
    fetcher, waits = make(site)
    assert fetcher.get("http://news.example/a").status == 200
    assert waits == [7.0]
    with pytest.raises(FetchError) as err:
        fetcher.get("http://news.example/b")
    assert err.value.status == 503
    assert site.paths().count("news.example/b") == 1  # a day's wait is not waited


def test_client_errors_are_not_retried():
    site = Site()
    fetcher, waits = make(site)
    with pytest.raises(FetchError) as err:
        fetcher.get("http://news.example/gone")
    assert err.value.status == 404 and not err.value.transient
    assert site.paths().count("news.example/gone") == 1 and waits == []


@pytest.mark.parametrize(
    ("exc", "code"),
    [(httpx.ReadTimeout("slow"), "timeout"), (httpx.ConnectTimeout("slow"), "timeout"),
     (httpx.ConnectError("refused"), "fetch_failed"), (httpx.RemoteProtocolError("bad"), "fetch_failed")],
)
def test_network_failures_are_retried_then_reported(exc: Exception, code: str):
    site = Site()

    def fail(request: httpx.Request) -> httpx.Response:
        raise exc

    site.route("news.example", "/a", fail)
    fetcher, waits = make(site)
    with pytest.raises(FetchError) as err:
        fetcher.get("http://news.example/a")
    assert err.value.code == code and err.value.transient and err.value.status is None
    assert site.paths().count("news.example/a") == 3 and waits == [0.25, 0.5]


def test_redirects_are_followed_by_hand_and_checked():
    site = Site()
    site.route("news.example", "/old", httpx.Response(301, headers={"location": "/mid?x=1#frag"}))
    site.route("news.example", "/mid", httpx.Response(302, headers={"location": "https://cdn.example/final"}))
    site.route("cdn.example", "/final", httpx.Response(200, content=PAGE))
    site.route("news.example", "/inside", httpx.Response(307, headers={"location": "http://evil.example/admin"}))
    site.route("news.example", "/local", httpx.Response(308, headers={"location": "file:///etc/passwd"}))
    site.route("news.example", "/nowhere", httpx.Response(301))
    site.route("news.example", "/loop1", httpx.Response(301, headers={"location": "/loop2"}))
    site.route("news.example", "/loop2", httpx.Response(301, headers={"location": "/loop1"}))
    for i in range(10):
        site.route("news.example", f"/hop{i}", httpx.Response(302, headers={"location": f"/hop{i + 1}"}))
    fetcher, _ = make(site)

    response = fetcher.get("http://news.example/old")
    assert response.url == "https://cdn.example/final" and response.content == PAGE
    assert response.redirects == ("http://news.example/old", "http://news.example/mid?x=1")
    assert "cdn.example/robots.txt" in site.paths()  # the new site's robots.txt is consulted too

    for path, code in [("/inside", "blocked_address"), ("/local", "bad_url"), ("/nowhere", "fetch_failed")]:
        with pytest.raises(FetchError) as err:
            fetcher.get(f"http://news.example{path}")
        assert err.value.code == code, path
    assert not any(p.startswith("evil.example") for p in site.paths())

    with pytest.raises(FetchError) as err:
        fetcher.get("http://news.example/loop1")
    assert "redirect loop" in err.value.message
    assert site.paths().count("news.example/loop1") == 1

    with pytest.raises(FetchError) as err:
        fetcher.get("http://news.example/hop0")
    assert "more than 5 redirects" in err.value.message
    assert site.paths().count("news.example/hop5") == 1 and "news.example/hop6" not in site.paths()


def test_size_cap_on_declared_length_streamed_body_and_compression():
    site = Site()
    site.route("news.example", "/declared", httpx.Response(200, content=b"x" * 200_000))

    def streamed(_r: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            for _ in range(100):
                yield b"y" * 10_000

        return httpx.Response(200, content=body())

    site.route("news.example", "/streamed", streamed)
    bomb = gzip.compress(b"\0" * 5_000_000)
    site.route("news.example", "/bomb", httpx.Response(200, content=bomb, headers={"content-encoding": "gzip"}))
    fetcher, _ = make(site)
    for path in ("/declared", "/streamed", "/bomb"):
        with pytest.raises(FetchError) as err:
            fetcher.get(f"http://news.example{path}")
        assert err.value.code == "too_large" and not err.value.transient, path
    assert len(bomb) < 100_000  # the cap applies to the decoded bytes
    kept = fetcher.get("http://news.example/streamed", truncate=True, max_bytes=25_000)
    assert kept.content == b"y" * 25_000


def test_robots_rules_cached_per_site():
    site = Site()
    site.robots["news.example"] = httpx.Response(
        200, text="User-agent: *\nDisallow: /private/\n\nUser-agent: marsad\nDisallow: /no-bots/\n"
    )
    for path in ("/private/a", "/no-bots/b", "/news/c", "/news/d"):
        site.route("news.example", path, httpx.Response(200, content=PAGE))
    fetcher, _ = make(site)
    with pytest.raises(FetchError) as err:
        fetcher.get("http://news.example/no-bots/b")
    assert err.value.code == "robots_disallowed"
    assert "news.example/no-bots/b" not in site.paths()
    # the group naming marsad applies instead of the * group (RFC 9309)
    assert fetcher.get("http://news.example/private/a").status == 200
    assert fetcher.get("http://news.example/news/c").status == 200
    assert site.paths().count("news.example/robots.txt") == 1

    other = Site()
    other.robots["news.example"] = httpx.Response(200, text="User-agent: otherbot\nDisallow: /\n\n"
                                                  "User-agent: *\nDisallow: /private/\n")
    other.route("news.example", "/news/c", httpx.Response(200, content=PAGE))
    fetcher, _ = make(other)
    with pytest.raises(FetchError) as err:
        fetcher.get("http://news.example/private/a")
    assert err.value.code == "robots_disallowed"
    assert fetcher.get("http://news.example/news/c").status == 200


def test_robots_wildcards():
    site = Site()
    site.robots["news.example"] = httpx.Response(
        200, text="User-agent: *\nDisallow: /*?print=\nDisallow: /*.pdf$\nAllow: /news/*.pdf$\n")
    for path in ("/story?print=1", "/files/report.pdf", "/news/brief.pdf", "/files/report.pdf.html"):
        site.route("news.example", path, httpx.Response(200, content=PAGE))
    fetcher, _ = make(site)
    for path in ("/story?print=1", "/files/report.pdf"):
        with pytest.raises(FetchError) as err:
            fetcher.get(f"http://news.example{path}")
        assert err.value.code == "robots_disallowed", path
    # the longest matching rule wins (Allow), and $ anchors the end
    assert fetcher.get("http://news.example/news/brief.pdf").status == 200
    assert fetcher.get("http://news.example/files/report.pdf.html").status == 200


def test_robots_unavailable_disallows_missing_allows():
    site = Site()
    site.robots["news.example"] = httpx.Response(503)
    site.robots["cdn.example"] = httpx.Response(403)  # RFC 9309: any 4xx means no rules
    site.route("news.example", "/a", httpx.Response(200, content=PAGE))
    site.route("cdn.example", "/a", httpx.Response(200, content=PAGE))
    fetcher, _ = make(site, retries=0)
    with pytest.raises(FetchError) as err:
        fetcher.get("http://news.example/a")
    assert err.value.code == "robots_disallowed"
    assert fetcher.get("http://cdn.example/a").status == 200


def test_robots_crawl_delay_slows_the_host_down():
    site = Site()
    site.robots["news.example"] = httpx.Response(200, text="User-agent: *\nCrawl-delay: 5\nAllow: /\n")
    site.robots["cdn.example"] = httpx.Response(200, text="User-agent: *\nCrawl-delay: 3600\n")
    site.route("news.example", "/a", httpx.Response(200, content=PAGE))
    site.route("cdn.example", "/a", httpx.Response(200, content=PAGE))
    fetcher, _ = make(site)
    fetcher.get("http://news.example/a")
    fetcher.get("http://cdn.example/a")
    assert fetcher.gate("news.example").delay == 5.0
    assert fetcher.gate("cdn.example").delay == MAX_CRAWL_DELAY


def test_host_gate_spaces_request_starts():
    now = [100.0]
    gate = HostGate(2, 1.5, clock=lambda: now[0])
    assert [gate.reserve() for _ in range(3)] == [0.0, 1.5, 3.0]
    now[0] += 10
    assert gate.reserve() == 0.0
    gate.slow_down(0.5)  # never faster than configured
    assert gate.delay == 1.5


def test_host_gate_caps_concurrency():
    gate = HostGate(2, 0.0)
    inside = 0
    peak = 0
    lock = threading.Lock()
    release = threading.Event()

    def work() -> None:
        nonlocal inside, peak
        with gate.turn():
            with lock:
                inside += 1
                peak = max(peak, inside)
            release.wait(2)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=work) for _ in range(5)]
    for t in threads:
        t.start()
    release.set()
    for t in threads:
        t.join(5)
    assert peak <= 2


def test_a_stopped_fetcher_raises_stopped():
    site = Site()
    fetcher, _ = make(site)
    fetcher.stop()
    with pytest.raises(Stopped):
        fetcher.get("http://news.example/a")
    assert site.requests == []


def test_response_content_type_and_charset():
    r = Response("http://x/", 200, {"content-type": 'Text/HTML; Charset="windows-1256"'}, b"", "2006-10-01T00:00:00+00:00")
    assert r.content_type == "text/html" and r.charset == "windows-1256"
    bare = Response("http://x/", 200, {}, b"", "2006-10-01T00:00:00+00:00")
    assert bare.content_type is None and bare.charset is None


def test_no_cookies_are_kept_between_requests():
    site = Site()
    site.route("news.example", "/a", httpx.Response(200, content=PAGE, headers={"set-cookie": "sid=abc; Path=/"}))
    site.route("cdn.example", "/b", httpx.Response(200, content=PAGE))
    fetcher, _ = make(site)
    fetcher.get("http://news.example/a")
    fetcher.get("http://news.example/a")
    fetcher.get("http://cdn.example/b")
    assert all("cookie" not in r.headers for r in site.requests)
