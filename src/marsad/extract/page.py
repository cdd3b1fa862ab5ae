"""RawPage → Article: decode, find the body, gather metadata."""

from __future__ import annotations

from marsad.documents import Article, PageStats, RawPage, content_id
from marsad.errors import MarsadError
from marsad.extract.dates import iso_date
from marsad.extract.html import extract_html
from marsad.extract.textdump import clean_text_dump
from marsad.ingest.encoding import decode

__all__ = ["MAX_PAGE_BYTES", "extract_page"]

MAX_PAGE_BYTES = 10_000_000  # larger pages are refused before parsing


def extract_page(page: RawPage, *, max_bytes: int = MAX_PAGE_BYTES) -> Article:
    """The article in a page: clean body text, title, author, date, counters.

    ``published`` follows this order of trust: the HTML page's own metadata
    (trafilatura/htmldate, original date rather than update), then the date
    of the WARC record that carried the page (a crawl date bounds the
    publication from above and is close to it for news crawls), then the
    date the source gave (``RawPage.published``: a JSONL ``published`` or
    ``--published``), then a date line in a text dump.  The id is the
    source's id, else a hash of the body.  Raises
    :class:`MarsadError` (``empty_input``, ``too_large``, ``binary_input``,
    ``decode_failed``, ``bad_date``, ``no_body``).
    """
    if not page.content:
        raise MarsadError("empty_input", f"{page.source} holds no bytes", page.source)
    if len(page.content) > max_bytes:
        raise MarsadError("too_large", f"{page.source} is larger than {max_bytes} bytes", len(page.content))
    given_date = None
    if page.published:
        given_date = iso_date(page.published)
        if given_date is None:
            raise MarsadError("bad_date", f"not an ISO 8601 date: {page.published!r}", page.published)

    text = decode(page.content, page.charset, kind=page.kind)
    if not text.strip():
        raise MarsadError("empty_input", f"{page.source} holds no text", page.source)

    if page.kind == "html":
        result = extract_html(text, url=page.url)
        body, title, author, found_date = result.text, result.title, result.author, result.published
        stats, url = result.page_stats, page.url or result.url
    else:
        cleaned = clean_text_dump(text, title=page.title)
        body, title, author, found_date = cleaned.text, cleaned.title, cleaned.author, cleaned.published
        stats, url = cleaned.page_stats, page.url

    if not body.strip():
        raise MarsadError("no_body", f"no article body found in {page.source}", page.source)
    fetched = iso_date(page.fetched) if page.fetched else None
    if page.kind == "html":
        published = found_date or fetched or given_date
    else:
        published = given_date or found_date
    return Article(
        id=page.id or content_id(body),
        text=body,
        url=url,
        title=page.title or title,
        author=author,
        published=published,
        language=None,
        page_stats=stats if isinstance(stats, PageStats) else PageStats(),
        source=page.source,
    )
