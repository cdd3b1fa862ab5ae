"""Line-level cleaning of page text: title, body paragraphs, page chrome out.

Used on text dumps (a page's text, chrome and all, one block per line) and
on the body text trafilatura gives for an HTML page.  Chrome lines are
recognised by the rules of ``data/chrome_patterns.txt`` (see
:mod:`marsad.extract.chrome`); article sentences that merely contain a
chrome word stay, because rules match whole lines only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from marsad.documents import PageStats
from marsad.extract.chrome import ChromeRules, load_chrome_rules

__all__ = ["CleanedText", "clean_text_dump", "clean_lines"]

TITLE_MAX_WORDS = 30  # a first line longer than this is a paragraph, not a title
BLOCK_MAX_ITEMS = 15  # lines a list heading ("اقرأ أيضا") may take with it
BLOCK_ITEM_MAX_WORDS = 16
_SENTENCE_END = (".", "!", "؟", "?", "…", '"', "”", "»", ":", "؛")


@dataclass(slots=True)
class CleanedText:
    """The body of a page and what was learnt from the lines removed."""

    text: str  # body paragraphs separated by a blank line
    title: str | None = None
    page_stats: PageStats = field(default_factory=PageStats)
    published: str | None = None  # ISO date from a byline/date line
    author: str | None = None
    removed: list[tuple[str, str]] = field(default_factory=list)  # (line, rule key)

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n\n") if self.text else []


def _is_prose(line: str) -> bool:
    words = len(line.split())
    return words >= 20 or (words >= 6 and line.endswith(_SENTENCE_END))


def _is_headline_like(line: str) -> bool:
    return len(line.split()) <= BLOCK_ITEM_MAX_WORDS and not line.endswith((".", "…", ":"))


def _strip(line: str) -> str:
    return line.strip(" \t\r\f\v\u00a0\u200b\u200e\u200f\ufeff")


def clean_lines(
    lines: list[str],
    *,
    title: str | None = None,
    find_title: bool = True,
    title_in_body: bool = True,
    rules: ChromeRules | None = None,
) -> CleanedText:
    """Clean a page given as lines.

    With ``find_title`` the first non-empty line that is not chrome, not a
    long paragraph and not a sentence ending in a full stop is the title.  It
    also stays in the body as its first paragraph: a text dump is the page's
    own text, and a headline often carries the news of the day.  Later lines
    that repeat the title are dropped.  ``title_in_body=False`` leaves the
    title out of the body (HTML, where the page marks up its headline).
    """
    rules = rules or load_chrome_rules()
    out = CleanedText(text="", title=title)
    stats: dict[str, int] = {}
    body: list[str] = []
    body_started = False
    ended_by: str | None = None
    block_by: str | None = None
    block_items = 0
    looking_for_title = find_title and title is None

    for raw in lines:
        line = _strip(raw)
        if not line:
            continue
        match = rules.match(line)
        if match is not None:
            for key, value in match.counters.items():
                stats.setdefault(key, value)
            out.author = out.author or match.author
            out.published = out.published or match.date
        if ended_by is not None:
            out.removed.append((line, match.rule.key if match else f"{ended_by}+after"))
            continue
        if match is not None:
            out.removed.append((line, match.rule.key))
            if match.rule.ends_body and body_started:
                ended_by = match.rule.key
            if match.rule.block:
                block_by, block_items = match.rule.key, 0
            continue
        if block_by is not None:
            if block_items < BLOCK_MAX_ITEMS and _is_headline_like(line):
                block_items += 1
                out.removed.append((line, f"{block_by}+item"))
                continue
            block_by = None
        if looking_for_title:
            looking_for_title = False
            if len(line.split()) <= TITLE_MAX_WORDS and not line.endswith((".", ":", "…")):
                out.title = line
                if title_in_body:
                    body.append(line)
                continue
        if out.title is not None and line == out.title:
            out.removed.append((line, "title.repeat"))
            continue
        body.append(line)
        body_started = body_started or _is_prose(line)

    if not body and out.title and find_title and title is None:
        body = [out.title]
    if body == [out.title] and find_title and title is None:
        # a lone short line is the body, not a title
        out.title = None
    out.text = "\n\n".join(body)
    out.page_stats = PageStats(
        views=stats.get("views"), comments=stats.get("comments"), likes=stats.get("likes")
    )
    return out


def clean_text_dump(text: str, *, title: str | None = None, rules: ChromeRules | None = None) -> CleanedText:
    """Clean a text dump: the first line is the title, chrome lines go, paragraphs stay.

    When the source gave a ``title`` the first line is not taken for one.
    """
    return clean_lines(text.splitlines(), title=title, find_title=title is None, rules=rules)
