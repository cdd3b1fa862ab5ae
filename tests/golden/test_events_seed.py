"""Attributions and events of the seed article, read end to end from the page.

The page goes through extraction and the real stages (tokens, dates,
entities when the tagger is installed, places, attribution, events); what
must be found and what must not is written out below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SEED, assert_offsets

from marsad.documents import Article, RawPage
from marsad.enrich.attribution import AttributionStage
from marsad.enrich.dates import DateStage
from marsad.enrich.events import EventStage
from marsad.enrich.places import PlaceStage
from marsad.enrich.tokens import TokenStage
from marsad.errors import MarsadError
from marsad.extract.page import extract_page

PUBLISHED = "2016-10-20"


def _entity_stage() -> Any | None:
    """The entity stage, when its trained tagger is installed (the readers
    below do not depend on its output for these checks)."""
    from marsad.enrich.entities import EntityStage

    stage = EntityStage()
    try:
        stage.tagger  # noqa: B018 - loads the model
    except MarsadError:
        return None
    return stage


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    path: Path = SEED
    if not path.exists():
        pytest.fail(f"the shared seed article is missing: {path}")
    page = RawPage(content=path.read_bytes(), kind="text", source=str(path), published=PUBLISHED)
    article = extract_page(page)
    article.language = "ar"
    ner = _entity_stage()
    stages = [TokenStage(), DateStage()] + ([ner] if ner else []) + [PlaceStage(), AttributionStage(), EventStage()]
    for stage in stages:
        (article,) = stage.process([article])
        assert isinstance(article, Article)
    return article.to_dict()


def _sentence_of(art: dict[str, Any], needle: str) -> tuple[int, int]:
    start = art["text"].index(needle)
    for e in art["events"]:
        s = e["sentence"]
        if s["start"] <= start < s["end"]:
            return s["start"], s["end"]
    return start, start + len(needle)


def test_offsets_hold(seed: dict[str, Any]) -> None:
    assert_offsets(seed)
    clitics = ("و", "ب", "ل", "ف")
    for a in seed["attributions"]:
        for span in [a["source"], a["cue"], *a["via"]]:
            assert span["text"] and span["text"][0] not in "«»“”\"", span
            assert not (len(span["text"]) > 1 and span["text"][0] in clitics and span["text"][1] == " "), span


def test_the_guardian_relays_local_residents(seed: dict[str, Any]) -> None:
    relayed = [a for a in seed["attributions"] if a["cue"]["text"] == "نقلت"]
    assert len(relayed) == 1
    a = relayed[0]
    assert a["source"]["text"] == "سكان محليين فارين من مدينة الموصل"
    assert [v["text"] for v in a["via"]] == ["صحيفة “الغارديان” البريطانية"]
    assert a["content"]["text"].startswith("المقاومة المحلية ضد تنظيم داعش")
    assert a["content"]["text"].endswith("من سيطرته عليها")
    # the two from one family talked to the Guardian
    talked = [a for a in seed["attributions"] if a["cue"]["text"] == "تحدثا"]
    assert len(talked) == 1 and [v["text"] for v in talked[0]["via"]] == ["الغارديان"]
    assert talked[0]["source"]["text"].startswith("اثنان من أسرة واحدة")
    # وفقاً لـ"الغارديان": the name without its quotes
    per = [a for a in seed["attributions"] if a["cue"]["text"] == "وفقاً"]
    assert len(per) == 1 and per[0]["source"]["text"] == "الغارديان"


def test_abu_jamil_and_the_kurdish_official(seed: dict[str, Any]) -> None:
    by_cue: dict[str, list[str]] = {}
    for a in seed["attributions"]:
        by_cue.setdefault(a["cue"]["text"], []).append(a["source"]["text"])
    assert "أبو جميل" in by_cue["يقول"]
    assert "أبو جميل" in by_cue["توعد"]
    assert by_cue["أكد"] == ["أبو جميل", "مسؤول أمن كردي"]
    quoted = next(a for a in seed["attributions"] if a["cue"]["text"] == "يقول")
    # يقول: إن “...”: the quotation without its marks
    assert quoted["content"]["text"].startswith("الحركة المناهضة لتنظيم (داعش)")
    assert not quoted["content"]["text"].endswith("”")
    # مؤكدين أن: the residents of the previous attribution speak on
    cont = next(a for a in seed["attributions"] if a["cue"]["text"] == "مؤكدين")
    assert cont["source"]["text"] == "المواطنين الفارين من المدينة"


def test_displacement_from_mosul_to_debaga(seed: dict[str, Any]) -> None:
    disp = [e for e in seed["events"] if e["type"] == "displacement"]
    assert disp, "no displacement"
    assert all(e["place"] and e["place"]["text"] == "الموصل" for e in disp)
    camp = [e for e in disp if e["destination"]]
    assert len(camp) == 1
    assert camp[0]["destination"]["text"] == "مخيم ديبكه"
    assert camp[0]["destination"]["country_code"] == "IQ"
    assert camp[0]["sub_type"] == "arrival_in_camp"
    assert camp[0]["place"]["country_code"] == "IQ" and camp[0]["place"]["lat"] is not None
    # the statement of the Kurdish official covers it
    att = seed["attributions"][camp[0]["attribution"]]
    assert att["source"]["text"] == "مسؤول أمن كردي"


def test_killing_of_abu_jamils_son(seed: dict[str, Any]) -> None:
    vac = [e for e in seed["events"] if e["type"] == "violence_against_civilians"]
    assert len(vac) == 1
    e = vac[0]
    assert e["trigger"]["text"] == "مقتل" and e["sub_type"] == "attack"
    assert [t["text"] for t in e["targets"]] == ["ولده"]
    assert "التنظيم" in [a["text"] for a in e["actors"]]
    # عقب مقتل: mentioned in passing
    assert e.get("background") is True and e["confidence"] < 0.5
    assert seed["attributions"][e["attribution"]]["source"]["text"] == "أبو جميل"


def _mentioned(e: dict[str, Any]) -> list[str]:
    """The trigger texts of an event and of its merged later mentions."""
    return [e["trigger"]["text"]] + [m["trigger"]["text"] for m in e.get("mentions", [])]


def test_campaign_to_retake_mosul(seed: dict[str, Any]) -> None:
    campaign = [e for e in seed["events"] if {"الحملة العسكرية", "تقدم القوات"} & set(_mentioned(e))]
    assert {e["type"] for e in campaign} == {"strategic_developments", "battles"}
    for e in campaign:
        assert e["type"] in ("battles", "strategic_developments")
    # لاستعادة المدينة is the aim of the campaign, not a retaking that happened
    assert not any(e["trigger"]["text"].endswith("استعادة") for e in seed["events"])


def test_the_exodus_is_one_event_with_its_mentions(seed: dict[str, Any]) -> None:
    flights = [e for e in seed["events"] if e["type"] == "displacement" and e["sub_type"] == "flight"]
    assert len(flights) == 1
    (e,) = flights
    assert _mentioned(e) == ["فارون", "فارين", "الفارين", "فرّ"]
    assert e["place"]["text"] in ("الموصل", "مدينة الموصل")
    for m in e["mentions"]:
        assert seed["text"][m["trigger"]["start"]:m["trigger"]["end"]] == m["trigger"]["text"]


def test_anbar_awakening_dated_2005_2006(seed: dict[str, Any]) -> None:
    start = seed["text"].index("وسبق أن شكلت محافظة الأنبار")
    anbar = [e for e in seed["events"] if e["sentence"]["start"] == start]
    assert [e["type"] for e in anbar] == ["battles"]
    assert anbar[0]["date"] == {"value": "2005/2006", "precision": "range"}
    assert anbar[0]["place"]["text"] == "الأنبار"


def test_no_event_for_futures_and_threats(seed: dict[str, Any]) -> None:
    triggers = {e["trigger"]["text"] for e in seed["events"]}
    # يتوقع أن يشتد مع اقتراب المعارك: expected, not happened
    assert "المعارك" not in triggers
    for needle in ("ويتوقع أن يشتد", "وتوعد أبو جميل بأن ينتقم"):
        s, e = _sentence_of(seed, needle)
        assert not [ev for ev in seed["events"] if ev["sentence"]["start"] == s], needle
    text = seed["text"]
    for word in ("يشتد", "ينتقم", "يمر"):
        pos = text.index(word)
        assert not any(ev["trigger"]["start"] <= pos < ev["trigger"]["end"] for ev in seed["events"])


def test_every_event_is_dated_and_placed(seed: dict[str, Any]) -> None:
    for e in seed["events"]:
        assert e["date"] is not None
        assert 0.0 <= e["confidence"] <= 1.0
        assert e["place"] is not None and e["place"]["lat"] is not None
