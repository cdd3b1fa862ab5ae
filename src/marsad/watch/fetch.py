"""A polite, careful HTTP client for feeds and article pages.

Every request goes through the same steps:

1. the URL passes the address policy (:mod:`marsad.watch.safety`) and the
   request connects to one of the addresses the policy checked;
2. the site's robots.txt allows it (Protego, with wildcards; fetched once
   per site and cached for a day; a ``Crawl-delay`` slows that host down);
3. it waits for its host's turn: at most ``host_concurrency`` requests in
   flight to one host, and request starts at least ``host_delay`` seconds
   apart;
4. the response is read as a stream and cut off past ``max_bytes``
   (``too_large``) or past four times ``timeout`` in all (``timeout``);
5. timeouts, connection errors, 408, 429 and 5xx responses are retried
   with exponential backoff (``Retry-After`` honoured within limits);
6. redirects are followed by hand, each hop checked again from step 1,
   at most ``max_redirects`` of them and never in a loop.

Conditional requests (``If-None-Match``, ``If-Modified-Since``) give a
:class:`Response` with status 304.  Failures raise :class:`FetchError`, a
:class:`MarsadError` that says whether trying again later may help.
"""

from __future__ import annotations

import datetime as dt
import email.message
import email.utils
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx

from marsad.errors import MarsadError
from marsad.settings import Settings
from marsad.watch.safety import AddressPolicy, Resolver, Target

__all__ = ["FetchConfig", "FetchError", "Fetcher", "HostGate", "Response", "RobotsCache", "Stopped"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0  # a longer Retry-After gives up instead of waiting
MAX_CRAWL_DELAY = 60.0  # robots.txt Crawl-delay is honoured up to this
ROBOTS_MAX_BYTES = 512_000  # RFC 9309: at least 500 KiB are read
ROBOTS_TTL = 24 * 3600.0  # RFC 9309: a cached robots.txt is used for a day at most
ROBOTS_ERROR_TTL = 600.0  # an unreachable robots.txt (everything disallowed) is asked for again after this
ERROR_BODY_BYTES = 4096  # read of an error response, enough to free the connection


class Stopped(Exception):
    """The fetcher was stopped (Ctrl-C) while a request was waiting or running."""


class FetchError(MarsadError):
    """A URL that could not be fetched; ``status`` is the last HTTP status, if any.

    ``transient`` is True when the same request may succeed later
    (timeouts, connection errors, 408/429/5xx).
    """

    def __init__(
        self, code: str, message: str, url: str, *, status: int | None = None, transient: bool = False
    ) -> None:
        super().__init__(code, message, url)
        self.status = status
        self.transient = transient


@dataclass(frozen=True, slots=True)
class FetchConfig:
    user_agent: str
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    retries: int = 2
    backoff: float = 1.0
    host_delay: float = 1.0
    host_concurrency: int = 2
    max_redirects: int = 5
    robots: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchConfig:
        return cls(
            user_agent=settings.user_agent,
            timeout=settings.fetch_timeout,
            max_bytes=settings.fetch_max_bytes,
            retries=settings.fetch_retries,
            backoff=settings.retry_backoff,
            host_delay=settings.host_delay,
            host_concurrency=settings.host_concurrency,
        )


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched response: 2xx with its body, or 304 without one."""

    url: str  # the final URL, after redirects
    status: int
    headers: dict[str, str]  # lower-case names
    content: bytes
    fetched: str  # ISO 8601, UTC
    redirects: tuple[str, ...] = ()  # the URLs that redirected, in order

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def _content_type(self) -> email.message.Message:
        msg = email.message.Message()
        msg["content-type"] = self.headers.get("content-type", "")
        return msg

    @property
    def content_type(self) -> str | None:
        """The media type, lower case, without parameters (``text/html``)."""
        if not self.headers.get("content-type"):
            return None
        return self._content_type().get_content_type()

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of Content-Type, if any."""
        if not self.headers.get("content-type"):
            return None
        value = self._content_type().get_param("charset")
        return value.strip() if isinstance(value, str) and value.strip() else None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag") or None

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified") or None


class HostGate:
    """One host's turn-taking: a concurrency cap and a minimum gap between request starts."""

    def __init__(
        self,
        concurrency: int,
        delay: float,
        *,
        stop: threading.Event | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.delay = delay
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._next = 0.0
        self._stop = stop or threading.Event()
        self._clock = clock

    def slow_down(self, delay: float) -> None:
        """Raise the gap between requests to ``delay`` (capped), e.g. for a robots.txt Crawl-delay."""
        with self._lock:
            self.delay = max(self.delay, min(delay, MAX_CRAWL_DELAY))

    def reserve(self) -> float:
        """Take the next start time; return how long to wait for it."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.delay
            return start - now

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for a free slot and for the host's next start time, then hold the slot."""
        while not self._slots.acquire(timeout=0.1):
            if self._stop.is_set():
                raise Stopped()
        try:
            wait = self.reserve()
            if wait > 0 and self._stop.wait(wait):
                raise Stopped()
            if self._stop.is_set():
                raise Stopped()
            yield
        finally:
            self._slots.release()


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


@dataclass(frozen=True, slots=True)
class _Raw:
    status: int
    headers: dict[str, str]
    content: bytes


DISALLOW_ALL = "User-agent: *\nDisallow: /\n"


class Robots:
    """The rules of one robots.txt (RFC 9309, with the ``*`` and ``$``
    wildcards that ``urllib.robotparser`` lacks), read by Protego."""

    def __init__(self, text: str) -> None:
        from protego import Protego

        self._rules = Protego.parse(text)

    def can_fetch(self, user_agent: str, url: str) -> bool:
        return bool(self._rules.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        delay = self._rules.crawl_delay(user_agent)
        return None if delay is None else float(delay)


class RobotsCache:
    """robots.txt rules per site (scheme, host, port), fetched on first use and kept for a day.

    Following RFC 9309: a robots.txt answered with 4xx allows everything;
    one that cannot be had (5xx, timeout, connection error) disallows
    everything for now.
    """

    def __init__(self, fetcher: Fetcher, ttl: float = ROBOTS_TTL, error_ttl: float = ROBOTS_ERROR_TTL) -> None:
        self.fetcher = fetcher
        self.ttl = ttl
        self.error_ttl = error_ttl
        self._rules: dict[str, tuple[float, Robots]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def _site_lock(self, origin: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(origin, threading.Lock())

    def rules(self, target: Target) -> Robots:
        """The parsed robots.txt of ``target``'s site (fetched if not cached)."""
        origin = target.origin
        with self._site_lock(origin):
            cached = self._rules.get(origin)
            if cached and cached[0] > time.monotonic():
                return cached[1]
            parser, ttl = self._load(target)
            self._rules[origin] = (time.monotonic() + ttl, parser)
            delay = parser.crawl_delay(self.fetcher.config.user_agent)
            if delay:
                self.fetcher.gate(target.host).slow_down(float(delay))
            return parser

    def _load(self, target: Target) -> tuple[Robots, float]:
        host = f"[{target.host}]" if ":" in target.host else target.host
        default_port = 443 if target.scheme == "https" else 80
        netloc = host if target.port == default_port else f"{host}:{target.port}"
        url = f"{target.scheme}://{netloc}/robots.txt"
        try:
            response = self.fetcher.get(url, robots=False, max_bytes=ROBOTS_MAX_BYTES, truncate=True)
        except FetchError as e:
            if e.status is not None and 400 <= e.status < 500:
                return Robots(""), self.ttl
            if e.code in ("bad_url", "blocked_address"):  # redirected somewhere it cannot be read
                return Robots(""), self.ttl
            return Robots(DISALLOW_ALL), self.error_ttl
        return Robots(response.content.decode("utf-8", "replace").lstrip("\ufeff")), self.ttl

    def allowed(self, target: Target, user_agent: str) -> bool:
        return self.rules(target).can_fetch(user_agent, target.url)


class Fetcher:
    """HTTP GET with the address policy, robots.txt, rate limits, retries and a size cap.

    Thread-safe: one Fetcher serves a pool of worker threads.  :meth:`stop`
    makes waiting and running requests raise :class:`Stopped`.
    """

    def __init__(
        self,
        config: FetchConfig,
        policy: AddressPolicy,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], bool] | None = None,
    ) -> None:
        self.config = config
        self.policy = policy
        self.stopped = threading.Event()
        self._sleep = sleep or self.stopped.wait  # returns True when stopped
        self._gates: dict[str, HostGate] = {}
        self._gates_lock = threading.Lock()
        self.robots = RobotsCache(self)
        t = config.timeout
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(t, pool=None),
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would bypass the address policy
            # no cookies: requests connect by address, and sites sharing one must not share a jar
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            headers={"user-agent": config.user_agent},
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        )

    @classmethod
    def from_settings(
        cls, settings: Settings, *, resolver: Resolver | None = None, transport: httpx.BaseTransport | None = None
    ) -> Fetcher:
        return cls(FetchConfig.from_settings(settings), AddressPolicy(settings.allow_hosts, resolver),
                   transport=transport)

    # --- lifecycle -----------------------------------------------------------

    def stop(self) -> None:
        """Stop: waiting requests raise :class:`Stopped`, new ones too."""
        self.stopped.set()

    def close(self) -> None:
        self.stopped.set()
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def gate(self, host: str) -> HostGate:
        """The turn-taking gate of ``host``."""
        with self._gates_lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = HostGate(self.config.host_concurrency, self.config.host_delay, stop=self.stopped)
                self._gates[host] = gate
            return gate

    # --- requests ------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        robots: bool = True,
        max_bytes: int | None = None,
        truncate: bool = False,
    ) -> Response:
        """GET ``url`` (following redirects); a 2xx or 304 :class:`Response`, else :class:`FetchError`.

        ``truncate`` keeps the first ``max_bytes`` of a larger body instead
        of refusing it.
        """
        headers: dict[str, str] = {}
        if etag:
            headers["if-none-match"] = etag
        if last_modified:
            headers["if-modified-since"] = last_modified
        if accept:
            headers["accept"] = accept
        limit = max_bytes or self.config.max_bytes
        seen: list[str] = []
        current = url
        for _hop in range(self.config.max_redirects + 1):
            if self.stopped.is_set():
                raise Stopped()
            try:
                target = self.policy.check(current)
            except MarsadError as e:
                raise FetchError(e.code, e.message, current) from None
            seen.append(target.url)
            if robots and self.config.robots and not self.robots.allowed(target, self.config.user_agent):
                raise FetchError("robots_disallowed", f"robots.txt of {target.host} disallows {target.url}",
                                 target.url)
            raw = self._with_retries(target, headers, limit, truncate)
            if raw.status in REDIRECTS:
                location = raw.headers.get("location")
                if not location:
                    raise FetchError("fetch_failed", f"HTTP {raw.status} without a Location from {target.url}",
                                     target.url, status=raw.status)
                try:
                    nxt = str(httpx.URL(target.url).join(location.strip()).copy_with(fragment=None))
                except (httpx.InvalidURL, ValueError) as e:
                    raise FetchError("bad_url", f"{target.url} redirects to a bad URL {location!r}: {e}",
                                     target.url, status=raw.status) from None
                if nxt in seen:
                    raise FetchError("fetch_failed", f"redirect loop: {' → '.join([*seen, nxt])}", url,
                                     status=raw.status)
                current = nxt
                continue
            if 200 <= raw.status < 300 or raw.status == 304:
                return Response(target.url, raw.status, raw.headers, raw.content, _now_iso(), tuple(seen[:-1]))
            raise FetchError("fetch_failed", f"HTTP {raw.status} from {target.url}", target.url,
                             status=raw.status, transient=raw.status in RETRY_STATUSES)
        raise FetchError("fetch_failed", f"more than {self.config.max_redirects} redirects from {url}", url,
                         status=None)

    def _with_retries(self, target: Target, headers: dict[str, str], limit: int, truncate: bool) -> _Raw:
        attempts = self.config.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                raw = self._send(target, headers, limit, truncate, attempt)
            except FetchError as e:
                if not e.transient or last:
                    raise
                wait = self.config.backoff * 2**attempt
            else:
                if raw.status not in RETRY_STATUSES or last:
                    return raw
                wait = self.config.backoff * 2**attempt
                asked = _retry_after(raw.headers.get("retry-after"))
                if asked is not None:
                    if asked > MAX_RETRY_AFTER:
                        return raw
                    wait = max(wait, asked)
            if self._sleep(wait):
                raise Stopped()
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, target: Target, headers: dict[str, str], limit: int, truncate: bool, attempt: int) -> _Raw:
        """One request, streamed under the size and time limits."""
        request_url = httpx.URL(target.url)
        extensions: dict[str, Any] = {}
        send_headers = dict(headers)
        if target.addresses:
            # connect to an address the policy checked, not to a fresh DNS answer
            address = target.addresses[attempt % len(target.addresses)]
            request_url = request_url.copy_with(host=address)
            send_headers["host"] = httpx.URL(target.url).netloc.decode("ascii")
            if target.scheme == "https":
                extensions["sni_hostname"] = target.host
        deadline = time.monotonic() + 4 * self.config.timeout
        try:
            with self.gate(target.host).turn():
                request = self._client.build_request("GET", request_url, headers=send_headers,
                                                     extensions=extensions)
                response = self._client.send(request, stream=True)
                try:
                    status = response.status_code
                    heads = {k.lower(): v for k, v in response.headers.items()}
                    if not (200 <= status < 300):
                        body = self._read(response, ERROR_BODY_BYTES, True, deadline, target)
                        return _Raw(status, heads, body)
                    declared = heads.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit and not truncate:
                        raise FetchError("too_large", f"{target.url} is {declared} bytes (limit {limit})",
                                         target.url, status=status)
                    return _Raw(status, heads, self._read(response, limit, truncate, deadline, target))
                finally:
                    response.close()
        except httpx.TimeoutException as e:
            raise FetchError("timeout", f"{target.url}: no answer within {self.config.timeout}s "
                             f"({type(e).__name__})", target.url, transient=True) from None
        except httpx.TransportError as e:
            if self.stopped.is_set():
                raise Stopped() from None
            raise FetchError("fetch_failed", f"{target.url}: {type(e).__name__}: {e}", target.url,
                             transient=True) from None
        except httpx.HTTPError as e:  # e.g. a response that cannot be decoded
            raise FetchError("fetch_failed", f"{target.url}: {type(e).__name__}: {e}", target.url) from None
        except RuntimeError:
            if self.stopped.is_set():  # the client was closed under the request
                raise Stopped() from None
            raise

    def _read(self, response: httpx.Response, limit: int, truncate: bool, deadline: float, target: Target) -> bytes:
        buf = bytearray()
        for chunk in response.iter_bytes():  # decompressed: the cap also stops compression bombs
            buf += chunk
            if len(buf) > limit:
                if truncate:
                    return bytes(buf[:limit])
                raise FetchError("too_large", f"{target.url} is larger than {limit} bytes", target.url,
                                 status=response.status_code)
            if time.monotonic() > deadline:
                raise FetchError("timeout", f"{target.url}: the response took over {4 * self.config.timeout}s",
                                 target.url, transient=True)
            if self.stopped.is_set():
                raise Stopped()
        return bytes(buf)
