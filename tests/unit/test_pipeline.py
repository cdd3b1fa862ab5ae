"""The pipeline mechanism: chain checks, per-document isolation, counters."""

import time

import pytest

from marsad.documents import Article, Drop, RawPage, ReadError
from marsad.errors import MarsadError, PipelineBuildError
from marsad.pipeline.base import Failure, Pipeline, check_chain


def extract_plain(page: RawPage) -> Article:
    text = page.content.decode("utf-8")
    if not text.strip():
        raise MarsadError("empty_input", "nothing here", page.source)
    return Article(id=page.id or text[:8], text=text, source=page.source)


class Lang:
    name = "test.lang.v1"
    requires = frozenset({"text"})
    provides = frozenset({"language"})
    languages = None

    def process(self, articles):
        for a in articles:
            a.language = "ar" if any("\u0600" <= c <= "\u06ff" for c in a.text) else "en"
        return articles


class Fragile:
    """Fails on documents containing 'boom', drops those containing 'junk'."""

    name = "test.fragile.v1"
    requires = frozenset({"text", "language"})
    provides = frozenset({"tokens"})
    languages = frozenset({"ar"})

    def __init__(self):
        self.calls = 0

    def process(self, articles):
        self.calls += 1
        out = []
        for a in articles:
            if "boom" in a.text:
                raise RuntimeError("kaboom")
            if "junk" in a.text:
                out.append(Drop(self.name, "junk"))
            else:
                a.title = "seen"
                out.append(a)
        return out


class Slow:
    name = "test.slow.v1"
    requires = frozenset({"text"})
    provides = frozenset({"dates"})
    languages = None

    def process(self, articles):
        for a in articles:
            if "slow" in a.text:
                time.sleep(5)
        return articles


def page(text, i=0):
    return RawPage(content=text.encode(), kind="text", source=f"mem:{i}", id=f"d{i}")


def test_chain_check_names_missing_fields():
    with pytest.raises(PipelineBuildError) as err:
        check_chain([Fragile(), Lang()])
    msg = str(err.value)
    assert "test.fragile.v1 requires language" in msg


def test_chain_check_refuses_duplicate_stage():
    with pytest.raises(PipelineBuildError, match="appears twice"):
        check_chain([Lang(), Lang()])


def test_one_bad_document_does_not_sink_the_batch():
    stage = Fragile()
    pipe = Pipeline(extract_plain, [Lang(), stage])
    items = [page("خبر أول", 0), page("خبر boom", 1), page("   ", 2), page("english text", 3),
             page("خبر junk", 4),
             ReadError(source="x.warc#3", error=MarsadError("truncated_warc", "cut"), id=None)]
    out = pipe.run(items)
    assert len(out) == len(items)
    assert isinstance(out[0], Article) and out[0].title == "seen"
    assert isinstance(out[1], Failure) and out[1].error.code == "stage_failed"
    assert "kaboom" in out[1].error.message
    assert isinstance(out[2], Failure) and out[2].error.code == "empty_input"
    assert isinstance(out[3], Article) and out[3].language == "en" and out[3].title is None
    assert isinstance(out[4], Failure) and out[4].error.code == "dropped"
    assert isinstance(out[5], Failure) and out[5].error.code == "truncated_warc"
    st = pipe.stats.to_dict()
    assert st["extract"]["errors"] == {"empty_input": 1, "truncated_warc": 1}
    assert st["test.fragile.v1"]["skipped"] == {"language=en": 1}
    assert st["test.fragile.v1"]["dropped"] == {"junk": 1}
    assert st["test.fragile.v1"]["errors"] == {"stage_failed": 1}
    assert "tokens" in out[0].provided and "tokens" not in out[3].provided


def test_time_limit_fails_only_the_slow_document():
    pipe = Pipeline(extract_plain, [Slow()], doc_time_limit=0.3)
    t0 = time.perf_counter()
    out = pipe.run([page("fast", 0), page("slow", 1)])
    assert time.perf_counter() - t0 < 3
    assert isinstance(out[0], Article)
    assert isinstance(out[1], Failure) and out[1].error.code == "timeout"


def test_published_default_applies_only_when_missing():
    def extract_dated(p):
        a = extract_plain(p)
        a.published = p.published
        return a

    pipe = Pipeline(extract_dated, [], published_default="2016-10-20")
    a, b = pipe.run([page("x", 0), RawPage(b"y", "text", "mem", published="2001-01-01")])
    assert a.published == "2016-10-20" and b.published == "2001-01-01"
