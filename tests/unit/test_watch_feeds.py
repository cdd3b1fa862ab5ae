"""Feed lists and feed parsing (RSS, Atom, malformed XML) with feedparser."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from marsad.errors import MarsadError
from marsad.watch.feeds import FeedSpec, entry_date, normalize_url, parse_feed, read_feed_list

FEEDS = Path(__file__).resolve().parents[1] / "data" / "watch" / "feeds"
BASE = "https://almarsad.example"


def fixture(name: str) -> bytes:
    return (FEEDS / name).read_bytes().replace(b"{{BASE}}", BASE.encode())


def test_feed_list_outlets_languages_and_comments(tmp_path: Path):
    path = tmp_path / "feeds.txt"
    path.write_text(
        "\ufeff# Arabic news feeds\n"
        "\n"
        'https://www.aljazeera.net/aljazeerarss/a7c186be/feed  "الجزيرة نت"  ar\n'
        "https://feeds.bbci.co.uk/arabic/rss.xml BBC عربي ar   # the BBC's Arabic service\n"
        "https://news.example/rss.xml#latest   Outlet Only\n"
        "   https://fr.example/flux  fr\n"
        "https://plain.example/feed\n"
        "https://plain.example/feed  duplicate line\n"
        "  # an indented comment\n",
        "utf-8",
    )
    assert read_feed_list(path) == [
        FeedSpec("https://www.aljazeera.net/aljazeerarss/a7c186be/feed", "الجزيرة نت", "ar"),
        FeedSpec("https://feeds.bbci.co.uk/arabic/rss.xml", "BBC عربي", "ar"),
        FeedSpec("https://news.example/rss.xml", "Outlet Only", None),  # a fragment is no comment, and is dropped
        FeedSpec("https://fr.example/flux", None, "fr"),
        FeedSpec("https://plain.example/feed", None, None),
    ]


def test_feed_list_errors_name_the_line(tmp_path: Path):
    path = tmp_path / "feeds.txt"
    path.write_text("https://ok.example/feed\nftp://files.example/feed.xml ar\n", "utf-8")
    with pytest.raises(MarsadError) as err:
        read_feed_list(path)
    assert err.value.code == "bad_url" and "feeds.txt:2" in err.value.message
    with pytest.raises(MarsadError) as err:
        read_feed_list(tmp_path / "missing.txt")
    assert err.value.code == "not_found"


def test_normalize_url():
    assert normalize_url("../news/5.html", "https://a.example/feeds/atom.xml") == "https://a.example/news/5.html"
    assert normalize_url(" https://a.example/x?id=1#c ") == "https://a.example/x?id=1"
    assert normalize_url("mailto:x@a.example") is None
    assert normalize_url("javascript:void(0)", "https://a.example/") is None
    assert normalize_url("") is None


def test_rss_entries_links_titles_and_dates():
    feed = parse_feed(fixture("main.rss"), f"{BASE}/feeds/main.rss", "application/rss+xml")
    assert feed.title == "المرصد اليوم - آخر الأخبار"
    assert feed.malformed is None
    assert feed.skipped == 1  # the mailto: link
    first = feed.entries[0]
    assert first.url == f"{BASE}/news/1.html"  # "#comments" dropped
    assert first.guid == "almarsad-1"
    assert first.title == "رامسفيلد وأفغانستان: مهمة لم تنجز"
    assert first.published == "2006-09-30"
    assert [e.published for e in feed.entries[:6]] == ["2006-09-30"] * 5 + ["2006-10-01"]
    assert feed.entries[6].published is None  # no pubDate
    assert len(feed.entries) == 12 and len({e.url for e in feed.entries}) == 12


def test_atom_relative_links_and_local_day():
    feed = parse_feed(fixture("atom.xml"), f"{BASE}/feeds/atom.xml", "application/atom+xml")
    assert [e.url for e in feed.entries] == [f"{BASE}/news/5.html", f"{BASE}/news/1.html"]
    # 2006-10-01T01:30:00+03:00 is 2006-09-30 in UTC: the publisher's day is kept
    assert feed.entries[0].published == "2006-10-01"
    assert feed.entries[0].guid == "tag:almarsad.example,2006:5"


def test_malformed_but_readable_feed_gives_its_entries_and_a_warning():
    feed = parse_feed(fixture("loose.rss"), f"{BASE}/feeds/loose.rss", "application/rss+xml")
    assert [e.url for e in feed.entries] == [f"{BASE}/news/6.html"]
    assert feed.malformed and "not well-formed" in feed.malformed


@pytest.mark.parametrize(
    "content",
    [
        fixture("broken.xml"),
        b"<html><head><title>\xd8\xa3\xd8\xae\xd8\xa8\xd8\xa7\xd8\xb1</title></head><body><p>x</p></body></html>",
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b'{"items": []}',
    ],
)
def test_unreadable_feeds_are_refused(content: bytes):
    with pytest.raises(MarsadError) as err:
        parse_feed(content, f"{BASE}/feeds/x", "text/html")
    assert err.value.code == "bad_feed"


def test_a_well_formed_feed_with_no_items_is_empty_not_broken():
    feed = parse_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
                      f"{BASE}/feeds/empty.rss", "application/rss+xml")
    assert feed.entries == [] and feed.malformed is None


def test_feed_served_as_html_is_still_read():
    # many servers label feeds text/html; that is no fault of the XML
    feed = parse_feed(fixture("main.rss"), f"{BASE}/feeds/main.rss", "text/html; charset=utf-8")
    assert feed.malformed is None and len(feed.entries) == 12


def test_guid_permalink_is_used_when_an_item_has_no_link():
    xml = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>a</title><guid>https://a.example/story/1</guid></item>"
        b'<item><title>b</title><guid isPermaLink="false">id-2</guid></item>'
        b"</channel></rss>"
    )
    feed = parse_feed(xml, "https://a.example/rss", "application/rss+xml")
    assert [e.url for e in feed.entries] == ["https://a.example/story/1"]
    assert feed.skipped == 1


def test_entry_date():
    assert entry_date("Sat, 30 Sep 2006 23:15:00 +0300") == "2006-09-30"
    assert entry_date("Sat, 30 Sep 2006 23:15:00 GMT") == "2006-09-30"
    assert entry_date("2006-10-01T01:30:00+03:00") == "2006-10-01"
    assert entry_date("2006-10-01") == "2006-10-01"
    parsed = time.strptime("2006-09-30 22:30", "%Y-%m-%d %H:%M")
    assert entry_date("الأحد 1 أكتوبر", parsed) == "2006-09-30"  # unreadable raw string: feedparser's UTC
    assert entry_date("not a date") is None
    assert entry_date(None) is None
    assert entry_date("0001-01-01T00:00:00Z") is None  # placeholder dates of some CMSs
    assert entry_date("2999-01-01T00:00:00Z") is None
