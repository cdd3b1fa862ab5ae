"""HTML pages: body and metadata with trafilatura, page counters from the markup."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from marsad.documents import PageStats
from marsad.extract.chrome import ChromeRules, load_chrome_rules
from marsad.extract.dates import iso_date
from marsad.extract.textdump import clean_lines

__all__ = ["HtmlResult", "extract_html", "html_page_stats"]

MIN_BODY_CHARS = 250  # below this, a second, recall-oriented extraction is tried
_STATS_MAX_WORDS = 12
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "head", "iframe"])
# containers whose counters belong to other articles (popular-post lists, footers)
_OTHER = re.compile(r"sidebar|widget|related|popular|most-?read|footer|aside|menu|trending", re.IGNORECASE)
_COUNTERS = ("views", "comments", "likes")


@dataclass(slots=True)
class HtmlResult:
    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    page_stats: PageStats = field(default_factory=PageStats)
    removed: list[tuple[str, str]] = field(default_factory=list)


_quiet = False


def _quiet_libraries() -> None:
    """Keep trafilatura and htmldate from printing their warnings to stderr."""
    global _quiet
    if not _quiet:
        for name in ("trafilatura", "htmldate", "courlan", "justext"):
            logger = logging.getLogger(name)
            if logger.level == logging.NOTSET:
                logger.setLevel(logging.ERROR)
        _quiet = True


log = logging.getLogger("marsad.extract")


def _trafilatura(html: str, url: str | None, *, recall: bool) -> object | None:
    """trafilatura's document, or None when it finds nothing or fails on the page."""
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=not recall,
            favor_recall=recall,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            with_metadata=True,
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
    except Exception as exc:  # a parser bug on one page must not stop a run
        log.debug("trafilatura failed: %s", exc)
        return None


def _in_other_block(el: etree._Element) -> bool:
    node: etree._Element | None = el
    while node is not None:
        if node.tag in ("aside", "nav", "footer"):
            return True
        marks = f"{node.get('class', '')} {node.get('id', '')}"
        if marks.strip() and _OTHER.search(marks):
            return True
        node = node.getparent()
    return False


def html_page_stats(tree: etree._Element, rules: ChromeRules | None = None) -> PageStats:
    """View, comment and like counters printed in the page, outside sidebars and footers."""
    rules = rules or load_chrome_rules()
    found: dict[str, int] = {}
    seen: set[str] = set()
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS or len(el) > 8:
            continue
        text = " ".join(" ".join(el.itertext()).split())
        if not text or text in seen or len(text.split()) > _STATS_MAX_WORDS:
            continue
        seen.add(text)
        match = rules.match(text)
        if match is None or not match.counters or _in_other_block(el):
            continue
        for key, value in match.counters.items():
            found.setdefault(key, value)
        if len(found) == len(_COUNTERS):
            break
    return PageStats(views=found.get("views"), comments=found.get("comments"), likes=found.get("likes"))


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _parse(html: str) -> etree._Element | None:
    try:
        return lxml.html.document_fromstring(_XML_DECL.sub("", html, count=1))
    except (etree.ParserError, ValueError):
        return None


_BLOCKS = (
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "nav",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "figcaption",
)


def _fallback_text(tree: etree._Element) -> str:
    """All the text of a page, one block element per line."""
    for bad in tree.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    for el in tree.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    return "\n".join(line for line in tree.text_content().splitlines() if line.strip())


def extract_html(html: str, *, url: str | None = None, rules: ChromeRules | None = None) -> HtmlResult:
    """The article in an HTML page: body paragraphs (blank-line separated) and metadata.

    trafilatura finds the body, title, author and date (its date comes from
    htmldate with ``original_date``); the body lines then go through the
    same chrome rules as text dumps, and page counters are read from the
    markup.
    """
    _quiet_libraries()
    rules = rules or load_chrome_rules()
    doc = _trafilatura(html, url, recall=False)
    text = getattr(doc, "text", None) or ""
    if len(text) < MIN_BODY_CHARS:
        second = _trafilatura(html, url, recall=True)
        if len(getattr(second, "text", None) or "") > len(text):
            doc, text = second, getattr(second, "text", None) or ""

    tree = _parse(html)

    title = getattr(doc, "title", None) or None
    author = getattr(doc, "author", None) or None
    date = getattr(doc, "date", None) or None
    page_url = getattr(doc, "url", None) or url
    fallback = False
    if not text.strip() and tree is not None:
        fallback_tree = _parse(html)
        text = _fallback_text(fallback_tree) if fallback_tree is not None else ""
        fallback = True
    if doc is None and tree is not None:  # trafilatura failed, so its htmldate call never ran
        from htmldate import find_date

        try:
            date = find_date(tree, original_date=True, extensive_search=False)
        except Exception as exc:  # as above
            log.debug("htmldate failed: %s", exc)

    cleaned = clean_lines(
        text.splitlines(), title=title, find_title=fallback and title is None, title_in_body=False, rules=rules
    )
    stats = html_page_stats(tree, rules) if tree is not None else PageStats()
    return HtmlResult(
        text=cleaned.text,
        title=title or cleaned.title,
        author=author or cleaned.author,
        published=(iso_date(date) if date else None) or cleaned.published,
        url=page_url,
        page_stats=PageStats(
            views=stats.views if stats.views is not None else cleaned.page_stats.views,
            comments=stats.comments if stats.comments is not None else cleaned.page_stats.comments,
            likes=stats.likes if stats.likes is not None else cleaned.page_stats.likes,
        ),
        removed=cleaned.removed,
    )
