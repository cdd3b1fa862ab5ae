"""The attribution reader on sentences of Arabic news style."""

from __future__ import annotations

import pytest

from marsad.documents import Article, Entity
from marsad.enrich.attribution import AttributionStage
from marsad.enrich.tokens import TokenStage
from marsad.events.attribution import find_attributions


def read(text: str, entities: list[Entity] | None = None) -> list[dict]:
    art = Article(id="t", text=text, language="ar")
    (art,) = TokenStage().process([art])  # type: ignore[assignment]
    art.entities = entities or []
    out = []
    for a in find_attributions(art):
        for span in [a.source, a.cue, *a.via] + ([a.content] if a.content else []):
            assert text[span.start:span.end] == span.text
        out.append(a.to_dict())
    return out


def test_verb_then_source_then_complement() -> None:
    (a,) = read("وقال مصدر أمني عراقي إن خمسة أشخاص قتلوا في الهجوم.")
    assert a["cue"]["text"] == "قال"  # without the conjunction
    assert a["source"]["text"] == "مصدر أمني عراقي"
    assert a["content"]["text"] == "خمسة أشخاص قتلوا في الهجوم"
    assert a["via"] == []


@pytest.mark.parametrize("cue", ["أكدت", "أوضح", "أضافت", "أفادت", "ذكرت", "صرح", "نفت", "أشارت"])
def test_inflected_cues(cue: str) -> None:
    (a,) = read(f"{cue} مصادر محلية أن الاشتباكات توقفت.")
    assert a["cue"]["text"] == cue and a["source"]["text"] == "مصادر محلية"


def test_relay_chain_nearest_to_source_first() -> None:
    (a,) = read("نقلت وكالة رويترز عن شهود عيان قولهم إن القصف استمر ساعتين.")
    assert a["cue"]["text"] == "نقلت"
    assert a["source"]["text"] == "شهود عيان"
    assert [v["text"] for v in a["via"]] == ["وكالة رويترز"]
    assert a["content"]["text"] == "القصف استمر ساعتين"


def test_nql_without_an_is_not_speech() -> None:
    assert read("نقل الجرحى إلى مستشفى المدينة.") == []


def test_talking_to_a_medium_makes_it_a_relay() -> None:
    (a,) = read("وقال مسؤول عسكري لـ\"الجزيرة\" إن القوات تقدمت.")
    assert a["source"]["text"] == "مسؤول عسكري"
    assert [v["text"] for v in a["via"]] == ["الجزيرة"]  # without its quote marks
    assert a["content"]["text"] == "القوات تقدمت"


def test_according_to() -> None:
    (a,) = read("وحسب مصادر طبية، فإن عدد القتلى ارتفع إلى 12.")
    assert a["cue"]["text"] == "حسب" and a["source"]["text"] == "مصادر طبية"
    assert a["content"]["text"] == "عدد القتلى ارتفع إلى 12"
    (b,) = read("قتل ثلاثة أشخاص في انفجار، وفقاً لـ\"رويترز\".")
    assert b["source"]["text"] == "رويترز"
    assert b["content"]["text"] == "قتل ثلاثة أشخاص في انفجار"


def test_according_to_a_rule_is_no_source() -> None:
    assert read("وتم الانتشار وفق القرار الدولي.") == []


def test_participle_continues_the_speaker() -> None:
    a, b = read("وقال المتحدث إن القوات انسحبت، مضيفاً أن المفاوضات مستمرة.")
    assert a["content"]["text"] == "القوات انسحبت"  # stops before the next cue
    assert b["cue"]["text"] == "مضيفاً" and b["source"] == a["source"]
    assert b["content"]["text"] == "المفاوضات مستمرة"


def test_pronoun_subject_follows_the_previous_sentence() -> None:
    a, b = read("وقال وزير الداخلية إن الوضع مستقر. وأضاف أن الحدود مغلقة.")
    assert b["source"] == a["source"] and b["cue"]["text"] == "أضاف"


def test_a_new_paragraph_forgets_the_speaker() -> None:
    assert len(read("وقال وزير الداخلية إن الوضع مستقر.\nوأضاف أن الحدود مغلقة.")) == 1


def test_relative_clause_and_topic_sources() -> None:
    (a,) = read("تم استجوابهم من قبل مسؤول أمن كردي، والذي أكد من جانبه أن المعلومات مفيدة.")
    assert a["source"]["text"] == "مسؤول أمن كردي"
    (b,) = read("أبو جميل، رجل فر من المدينة، يقول: إن \"الحركة ليست كبيرة\".")
    assert b["source"]["text"] == "أبو جميل"
    assert b["content"]["text"] == "الحركة ليست كبيرة"  # the quotation without its marks


def test_subject_before_the_verb() -> None:
    (a,) = read("لكن خبراء قالوا إن مستوى التحذير ما زال متوسطا.")
    assert a["source"]["text"] == "خبراء"


def test_direct_quote_after_the_source() -> None:
    (a,) = read("وقال بلير \" ان سياسة عدم التحرك ليست السياسة الصحيحة \".")
    assert a["source"]["text"] == "بلير"
    assert a["content"]["text"] == "ان سياسة عدم التحرك ليست السياسة الصحيحة"


def test_kama_clause_reports_what_came_before() -> None:
    (a,) = read("أوقفت الشرطة عشرات الأشخاص خلال تظاهرات، كما ذكرت وكالة الأناضول.")
    assert a["source"]["text"] == "وكالة الأناضول"
    assert a["content"]["text"] == "أوقفت الشرطة عشرات الأشخاص خلال تظاهرات"


def test_announced_with_a_verbal_noun() -> None:
    (a,) = read("وأعلن الجيش الأميركي مقتل جندي في اشتباكات.")
    assert a["source"]["text"] == "الجيش الأميركي"
    assert a["content"]["text"] == "مقتل جندي في اشتباكات"
    # a verb of saying with neither complement nor speaker is no attribution
    assert read("وذكرت هذه الكارثة الجديدة بتسونامي عام 2004.") == []


def test_named_relay_uses_entities() -> None:
    text = "وقال الوزير لمحمد السعدني إن الأمطار غزيرة."
    start = text.index("محمد")
    ent = Entity("محمد السعدني", start, start + len("محمد السعدني"), "PER")
    (a,) = read(text, [ent])
    assert [v["text"] for v in a["via"]] == ["محمد السعدني"]


def test_sports_goal_is_not_speech() -> None:
    assert read("ثم أضاف ثلاثة أهداف أخرى عن طريق حسني عبد ربه.") == []


def test_stage_declares_its_fields() -> None:
    stage = AttributionStage()
    assert stage.name == "attribution.rules.v1"
    assert stage.requires == {"tokens", "sentences", "entities"} and stage.provides == {"attributions"}
    art = Article(id="x", text="", language="ar")
    (out,) = stage.process([art])
    assert isinstance(out, Article) and out.attributions == []
