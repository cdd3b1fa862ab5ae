"""Dates on the seed article (published 2016-10-20): what must and must not be found."""

from __future__ import annotations

from pathlib import Path

from marsad.arabic.dates import find_dates
from marsad.documents import Article
from marsad.enrich.dates import DateStage

PUBLISHED = "2016-10-20"


def seed_text(seed_path: Path) -> str:
    """The article body: the seed from its fifth line on (title and page chrome before)."""
    return "\n".join(seed_path.read_text(encoding="utf-8").splitlines()[4:])


def test_seed_dates(seed_path: Path) -> None:
    text = seed_text(seed_path)
    found = find_dates(text, PUBLISHED)
    for d in found:
        assert text[d.start:d.end] == d.text
    got = {d.text: (d.value, d.precision) for d in found}
    assert got["عام 2005-2006"] == ("2005/2006", "range")
    assert got["الصيف الماضي"] == ("2016-06/2016-08", "season")
    # "during the past six months": an interval of days ending at publication
    value, precision = got["الأشهر الستة الماضية"]
    assert precision == "range" and value == "2016-04-20/2016-10-20"
    # measured from the organisation's takeover, not from publication: kept without a value
    assert got["بعد عامين ونصف العام"][0] is None
    # and nothing else: no false dates elsewhere in the article
    assert set(got) == {"عام 2005-2006", "الصيف الماضي", "الأشهر الستة الماضية", "بعد عامين ونصف العام"}


def test_seed_without_publication_date(seed_path: Path) -> None:
    got = {d.text: (d.value, d.precision) for d in find_dates(seed_text(seed_path), None)}
    assert got["عام 2005-2006"] == ("2005/2006", "range")  # absolute: still resolved
    assert got["الصيف الماضي"] == (None, "season")
    assert got["الأشهر الستة الماضية"] == (None, "range")


def test_seed_through_the_stage(seed_path: Path) -> None:
    art = Article(id="seed", text=seed_text(seed_path), published=PUBLISHED, language="ar")
    (out,) = DateStage().process([art])
    assert isinstance(out, Article)
    values = {d.to_dict()["value"] for d in out.dates}
    assert {"2005/2006", "2016-06/2016-08", "2016-04-20/2016-10-20"} <= values
