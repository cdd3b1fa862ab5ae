"""A small mixed collection for ``marsad run`` tests, and pipelines that add events or fail on cue.

The collection (built from ANERcorp by :mod:`tests.unit.syndication`) holds
planted syndicated copies in four WARC files, a JSONL file (one copy given
as plain text, one broken line, one empty record) and a folder of HTML
pages (one more copy, under yet another page template).

``events_pipeline`` is the default pipeline plus :class:`KeywordEvents`, a
deliberately simple test stage that reports an event for every sentence
with a killing or explosion word, so that the events tables and the merging
of a story's events are exercised before the real event stage exists.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

from tests.unit.syndication import Page, build, write_warcs

from marsad.documents import Article, Drop, Event, Sentence, Span
from marsad.pipeline.base import Pipeline
from marsad.settings import Settings

# what every run test uses: small batches, so that a shard is several batches
SETTINGS = Settings(workers=1, batch_size=4, published="2005-03-20")

TRIGGERS = {"قتل": "violence_against_civilians", "انفجار": "explosions_remote_violence"}
BAGHDAD = {"text": "بغداد", "lat": 33.34058, "lon": 44.40088, "country_code": "IQ", "geonames_id": 98182}


class KeywordEvents:
    """Test stage: an event per sentence holding a trigger word (the first one)."""

    name = "test.keyword_events.v1"
    requires = frozenset({"sentences"})
    provides = frozenset({"events"})
    languages = frozenset({"ar"})

    def process(self, articles: list[Article]) -> list[Article | Drop]:
        for article in articles:
            for sent in article.sentences:
                chunk = article.text[sent.start : sent.end]
                hits = sorted((chunk.find(w), w) for w in TRIGGERS if w in chunk)
                if not hits:
                    continue
                at, word = hits[0]
                start = sent.start + at
                place = dict(BAGHDAD) if "بغداد" in chunk else None
                article.events.append(
                    Event(
                        type=TRIGGERS[word],
                        trigger=Span(word, start, start + len(word)),
                        sentence=Sentence(sent.start, sent.end),
                        place=place,
                        date={"value": "2005-03", "precision": "month"} if "آذار" in chunk else None,
                        fatalities=len(chunk) % 7 or None,
                        confidence=0.6,
                    )
                )
        return list(articles)


def events_pipeline(settings: Settings) -> Pipeline:
    from marsad.pipeline.build import build_pipeline

    base = build_pipeline(settings)
    return Pipeline(
        base.extractor,
        [*base.stages, KeywordEvents()],
        published_default=settings.published,
        doc_time_limit=settings.doc_time_limit,
    )


def _fail_at(settings: Settings, suffix: str, action: str) -> Pipeline:
    pipeline = events_pipeline(settings)
    inner = pipeline.extractor

    def extractor(page):  # type: ignore[no-untyped-def]
        if page.source.endswith(suffix):
            if action == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise KeyboardInterrupt
        return inner(page)

    pipeline.extractor = extractor
    return pipeline


def killing_pipeline(settings: Settings) -> Pipeline:
    """Dies (SIGKILL, no clean-up at all) on the document whose source ends with $MARSAD_TEST_KILL_AT."""
    return _fail_at(settings, os.environ["MARSAD_TEST_KILL_AT"], "kill")


INTERRUPT_AT = "crawl-002.warc.gz#5"


def interrupted_pipeline(settings: Settings) -> Pipeline:
    """Raises KeyboardInterrupt (as Ctrl-C does) on the document at :data:`INTERRUPT_AT`."""
    return _fail_at(settings, INTERRUPT_AT, "interrupt")


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file of a run's output but the stats (which hold timings) and the lock."""
    files = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and not rel.startswith("stats/") and rel != ".lock":
            files[rel] = path.read_bytes()
    return files


def make_collection(folder: Path) -> tuple[list[str], dict[str, str]]:
    """Write the collection under ``folder``; return the inputs and, for each URL, its planted story."""
    pages = build(n_stories=8, copies=2, n_same_topic=4, seed=3)
    truth = {p.url: p.story for p in pages}
    crawl = folder / "crawl"
    write_warcs(pages, crawl, per_file=8)
    originals = {p.story: p for p in pages if not p.edits}
    extra = _extra_copies(originals)
    feed = folder / "feed.jsonl"
    lines = [
        json.dumps({"id": "feed-1", "url": "https://feed.example/1", "text": extra["s02"],
                    "published": "2005-03-02"}, ensure_ascii=False),
        '{"id": "feed-2", "text": ',  # a broken line
        json.dumps({"id": "feed-3", "text": ""}),  # no text
        json.dumps({"id": "feed-4", "url": "https://feed.example/4", "text": extra["iraq01"]},
                   ensure_ascii=False),
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    truth["https://feed.example/1"] = "s02"
    truth["https://feed.example/4"] = "iraq01"
    html = folder / "pages"
    html.mkdir()
    page = originals["s05"]
    (html / "a.html").write_text(page.html.replace("<h1>", "<h1>نقلا عن الوكالة: "), encoding="utf-8")
    (html / "b.html").write_text(originals["s06"].html, encoding="utf-8")
    return [str(crawl), str(feed), str(html)], truth


def _extra_copies(originals: dict[str, Page]) -> dict[str, str]:
    """Plain-text copies of two originals: their paragraphs with a dateline, as a feed would carry them."""
    import re
    from html import unescape

    out = {}
    for key in ("s02", "iraq01"):
        paras = [unescape(p) for p in re.findall(r"<p>(.*?)</p>", originals[key].html, flags=re.S)]
        out[key] = "بغداد (رويترز) - " + "\n\n".join(paras)
    return out
