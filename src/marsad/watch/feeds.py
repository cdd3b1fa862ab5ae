"""Feed lists and feeds: which feeds to follow, and the entries a feed lists.

A feed list is a text file with one feed a line: its URL, then optionally
the outlet's name and the language code, e.g.::

    # Arabic news
    https://www.aljazeera.net/aljazeerarss/a7c186be/feed  "الجزيرة نت"  ar
    https://feeds.bbci.co.uk/arabic/rss.xml  BBC عربي  ar

A ``#`` at the start of a line or after a space starts a comment (one
inside a URL does not).  An outlet name with spaces may be quoted; without
quotes, a last word that looks like a language code (``ar``, ``en``,
``fr``…) is the language and the words between are the outlet.

Feeds are read with feedparser (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, with its
lenient parser for broken XML); a feed from which no entry can be read is
refused with ``bad_feed``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import shlex
import time
from dataclasses import dataclass
from pathlib import Path

import feedparser
import httpx
from feedparser.exceptions import ThingsNobodyCaresAboutButMe

from marsad.errors import MarsadError

__all__ = ["FeedEntry", "FeedSpec", "ParsedFeed", "entry_date", "normalize_url", "parse_feed", "read_feed_list"]

_COMMENT = re.compile(r"(?:^|\s)#.*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$")


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """A feed to follow: its URL, and optionally the outlet and language."""

    url: str
    outlet: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed: the link to the article and what the feed says of it."""

    url: str  # absolute http(s) link, fragment dropped
    guid: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date (the publisher's local day), if the feed gives one


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    malformed: str | None = None  # what was wrong with the XML, when entries could still be read
    skipped: int = 0  # entries without a usable http(s) link


def normalize_url(url: str, base: str | None = None) -> str | None:
    """``url`` made absolute against ``base``, fragment dropped; None unless http(s)."""
    url = url.strip()
    if not url:
        return None
    try:
        parsed = httpx.URL(base).join(url) if base else httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return None
    return str(parsed.copy_with(fragment=None))


def _split_line(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError:  # an unbalanced quote in an outlet name: take words as they are
        return line.split()


def read_feed_list(path: str | Path) -> list[FeedSpec]:
    """The feeds named in a feed list file, in order, each URL once.

    Raises ``not_found`` for a missing file and ``bad_url`` (naming the
    line) for a line whose first word is not an http(s) URL.
    """
    p = Path(path)
    if not p.is_file():
        raise MarsadError("not_found", f"no feed list at {p}", str(p))
    try:
        raw = p.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise MarsadError("unreadable", f"cannot read feed list {p}: {e}", str(p)) from e
    feeds: list[FeedSpec] = []
    seen: set[str] = set()
    for number, line in enumerate(raw.splitlines(), 1):
        line = _COMMENT.sub("", line).strip()
        if not line:
            continue
        words = _split_line(line)
        if not words:
            continue
        url = normalize_url(words[0])
        if url is None:
            raise MarsadError("bad_url", f"{p}:{number}: not an http(s) URL: {words[0]!r}", words[0])
        rest = words[1:]
        language = None
        if rest and _LANGUAGE.match(rest[-1]):
            language = rest.pop()
        outlet = " ".join(rest).strip() or None
        if url in seen:
            continue
        seen.add(url)
        feeds.append(FeedSpec(url, outlet, language))
    return feeds


def entry_date(raw: str | None, parsed: time.struct_time | None = None) -> str | None:
    """The ISO day an entry was published, on the publisher's clock.

    feedparser's ``*_parsed`` values are in UTC, which moves late-evening
    items of a UTC+3 outlet to the next day; the raw RFC 822 (RSS) or
    RFC 3339 (Atom) string keeps the publisher's own offset, so it is read
    first.
    """
    if raw:
        text = raw.strip()
        when: dt.datetime | None = None
        if _RFC3339.match(text):
            try:
                when = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
            except ValueError:
                when = None
        else:
            try:
                when = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                when = None
        if when is not None and 1900 <= when.year <= 2200:
            return when.date().isoformat()
    if parsed is not None:
        try:
            day = dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        except (ValueError, TypeError):
            return None
        if 1900 <= day.year <= 2200:
            return day.isoformat()
    return None


def _entry_link(entry: feedparser.FeedParserDict) -> str | None:
    link = entry.get("link")
    if not link:
        for candidate in entry.get("links") or []:
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"]
                break
    if not link:
        guid = entry.get("id")
        if guid and entry.get("guidislink", True):
            link = guid
    return link or None


def parse_feed(content: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """The entries of an RSS or Atom document fetched from ``url``.

    Relative links are resolved against the feed's URL (or its
    ``xml:base``).  Broken XML that feedparser's lenient parser can still
    read gives its entries (``malformed`` says what was wrong); broken XML
    that yields no entry with a link, and a document that is no RSS or
    Atom at all, are refused with ``bad_feed``.
    """
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # bytes, never a str: feedparser would take a str for a URL or a file name
    parsed = feedparser.parse(bytes(content), response_headers=headers)
    problem = None
    exc = parsed.get("bozo_exception")
    # content-type and encoding notes are no fault of the XML
    if parsed.get("bozo") and not isinstance(exc, ThingsNobodyCaresAboutButMe):
        problem = f"{type(exc).__name__}: {exc}" if exc else "malformed feed"
    version = parsed.get("version") or ""
    raw_entries = parsed.get("entries") or []
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    skipped = 0
    for raw in raw_entries:
        link = normalize_url(_entry_link(raw) or "", url)
        if link is None:
            skipped += 1
            continue
        if link in seen:
            continue
        seen.add(link)
        published = entry_date(raw.get("published"), raw.get("published_parsed")) or entry_date(
            raw.get("updated"), raw.get("updated_parsed")
        )
        title = (raw.get("title") or "").strip() or None
        entries.append(FeedEntry(link, raw.get("id") or None, title, published))
    if not entries and (problem or not version):
        why = problem or "no RSS or Atom element"
        raise MarsadError("bad_feed", f"{url} is not a readable feed ({why})", url)
    feed_title = ((parsed.get("feed") or {}).get("title") or "").strip() or None
    return ParsedFeed(feed_title, entries, problem, skipped)
