"""The event reader on sentences of Arabic news style: types, modality,
figurative uses, figures, arguments, place, date and provenance."""

from __future__ import annotations

from typing import Any

import pytest

from marsad.documents import Article, Entity, Place
from marsad.enrich.attribution import AttributionStage
from marsad.enrich.dates import DateStage
from marsad.enrich.events import EventStage
from marsad.enrich.tokens import TokenStage
from marsad.events.extract import main_place

PUBLISHED = "2016-10-20"


def analyse(text: str, places: list[Place] | None = None, entities: list[Entity] | None = None,
            published: str | None = PUBLISHED) -> list[dict[str, Any]]:
    art = Article(id="t", text=text, language="ar", published=published)
    (art,) = TokenStage().process([art])  # type: ignore[assignment]
    (art,) = DateStage().process([art])  # type: ignore[assignment]
    art.entities = entities or []
    art.places = places or []
    (art,) = AttributionStage().process([art])  # type: ignore[assignment]
    (art,) = EventStage().process([art])  # type: ignore[assignment]
    out = []
    for e in art.events:
        assert text[e.trigger.start:e.trigger.end] == e.trigger.text
        for s in e.actors + e.targets:
            assert text[s.start:s.end] == s.text
        out.append(e.to_dict())
    return out


def place(text: str, word: str, feature: str = "city", cc: str = "IQ", n: int = 0) -> Place:
    start = -1
    for _ in range(n + 1):
        start = text.index(word, start + 1)
    return Place(word, start, start + len(word), name=word, country_code=cc, lat=33.0, lon=44.0,
                 feature=feature, geonames_id=hash(word) % 10000)


def types(text: str) -> list[str]:
    return sorted(e["type"] for e in analyse(text))


@pytest.mark.parametrize("text, expected", [
    ("اندلعت اشتباكات عنيفة بين الجيش ومسلحين في المدينة.", "battles"),
    ("شنت طائرات حربية غارة جوية على مواقع للمسلحين.", "explosions_remote_violence"),
    ("انفجرت سيارة مفخخة قرب سوق شعبي.", "explosions_remote_violence"),
    ("اغتال مسلحون مجهولون صحفيا أمام منزله.", "violence_against_civilians"),
    ("خطف مسلحون القس بعد القداس.", "violence_against_civilians"),
    ("تظاهر آلاف الطلاب أمام مبنى البرلمان.", "protests"),
    ("رشق شبان دوريات الشرطة بالحجارة.", "riots"),
    ("اعتقلت قوات الأمن 19 شخصا.", "strategic_developments"),
    ("نزحت مئات العائلات من القرية.", "displacement"),
])
def test_each_type(text: str, expected: str) -> None:
    assert types(text) == [expected]


def test_sub_types() -> None:
    (e,) = analyse("قتل خمسة أشخاص في تفجير انتحاري استهدف حافلة.")
    assert e["sub_type"] == "suicide_bomb" and e["fatalities"] == 5
    (e,) = analyse("وقعت الحكومة والمتمردون اتفاق سلام في أبوجا.")
    assert e["type"] == "strategic_developments" and e["sub_type"] == "agreement"
    (e,) = analyse("أجلت السلطات نحو 440 سائحا من البلدة.")
    assert e["sub_type"] == "evacuation" and e["displaced"] == 440


@pytest.mark.parametrize("text", [
    "نفى المتحدث باسم الجيش وقوع اشتباكات في المدينة.",
    "لم يسفر عن مقتل أحد.",
    "سيشن الجيش هجوما على المدينة الأسبوع المقبل.",
    "ويتوقع أن يشتد القتال مع اقتراب المعارك من المدينة.",
    "وتوعد زعيم الجماعة بأن ينفذ هجمات جديدة.",
    "قد يرتكبون مجزرة إذا دخلوا القرية.",
    "في حال تجدد القصف ستنزح آلاف العائلات.",
    "دعا الأمين العام إلى وقف فوري لإطلاق النار.",
    "وتنص الخطة على تبادل الأسرى.",
    "من المقرر أن تبدأ مسيرات المعارضة غدا.",
])
def test_denied_future_hypothetical_and_called_for(text: str) -> None:
    assert analyse(text) == []


@pytest.mark.parametrize("text", [
    "شن رئيس الحزب هجوما لاذعا على الحكومة.",
    "يتحدث الكتاب عن الهجوم على الحريات في المنطقة.",
    "شهد الشوط الثاني هجوما مكثفا من الفريق المضيف على مرمى الضيوف.",
    "خسرت الأسهم في البورصة بعد هجوم البائعين على المؤشر.",
    "تدور معركة حامية على لقب الدوري بين الفريقين.",
    "وقف الوزير ضد انفجار الحريات الصحفية.",
    "أعلنت الشركة عن هجوم باستغلال الثغرة في برمجياتها.",
    "أسفر الإعصار عن مقتل 76 شخصا.",
    "فر السجناء من السجن المركزي.",
    "هذه الأرض جزء من البر الصيني بكل مظاهره الطبيعية.",
])
def test_figurative_sports_market_disaster_and_fugitives(text: str) -> None:
    assert analyse(text) == []


def test_disaster_displacement_is_an_event() -> None:
    (e,) = analyse("تسبب الإعصار في تشريد أكثر من 300 ألف شخص.")
    assert e["type"] == "displacement" and e["displaced"] == 300000


def test_background_mentions_have_lower_confidence() -> None:
    (now,) = analyse("قتل مسلحون ثلاثة مدنيين في السوق.")
    (then,) = analyse("وغادر المدينة عقب مقتل ثلاثة مدنيين في السوق.")
    assert then["background"] is True and "background" not in now
    assert then["confidence"] < now["confidence"]


def test_one_event_per_type_and_sentence() -> None:
    events = analyse("قتل 22 شخصا وأصيب أكثر من مائة بجروح في انفجار سيارة مفخخة وسط المدينة.")
    assert [e["type"] for e in events] == ["explosions_remote_violence"]
    (e,) = events
    assert e["fatalities"] == 22 and e["injured"] == 100
    assert e["trigger"]["text"] == "انفجار"  # the explosion, not the killing word


@pytest.mark.parametrize("text, field, value", [
    ("أسفر الهجوم عن مقتل 45 شخصاً.", "fatalities", 45),
    ("سقط قتيلان في اشتباكات بين الطرفين.", "fatalities", 2),
    ("سقط عشرات الجرحى في اشتباكات بين الطرفين.", "injured", 10),
    ("قتل أكثر من 50 شخصا في قصف مدفعي.", "fatalities", 50),
    ("قتل ٤٥ شخصا في غارة جوية.", "fatalities", 45),
    ("لقي 12 شخصا مصرعهم في انفجار.", "fatalities", 12),
    ("وقتل أيضا شخصان وأصيب آخران برصاص مسلحين.", "injured", 2),
    ("قتل 12 شخصا منهم طفل وامرأتان في تفجير.", "fatalities", 12),
    ("اعتقلت الشرطة أمس عشرات الأشخاص.", "arrested", 10),
    ("فر نحو ألفي نازح إلى المخيمات.", "displaced", 2000),
])
def test_figures(text: str, field: str, value: int) -> None:
    events = analyse(text)
    assert sum(e[field] or 0 for e in events) == value, events


def test_households_are_flagged() -> None:
    (e,) = analyse("نزحت 300 عائلة من القرية إلى مخيم قريب.")
    assert e["displaced"] == 300 and e["displaced_unit"] == "households"


def test_no_figure_from_dates_money_or_a_mixed_count() -> None:
    (e,) = analyse("وكان حمدان قد اعتقل في أفغانستان في نوفمبر 2001.")
    assert e["arrested"] is None
    (e,) = analyse("قتل ثلاثة أشخاص في انفجار دمر 20 منزلا وكلف مليون دولار.")
    assert e["fatalities"] == 3
    (e,) = analyse("قالت مصادر إن 12 مراقبا قتلوا أو أصيبوا منذ بدء القصف.")
    assert e["fatalities"] is None and e["injured"] is None
    (e,) = analyse("استهدف قصف مدفعي البلدة، ونفى المتحدث مقتل 3 أشخاص فيه.")
    assert e["type"] == "explosions_remote_violence" and e["fatalities"] is None


def test_killing_alone_reads_its_victims() -> None:
    (e,) = analyse("قتل جنديان في كمين نصبه مسلحون.")
    assert e["type"] == "battles"
    (e,) = analyse("قتل مسلحون ثلاثة مدنيين.")
    assert e["type"] == "violence_against_civilians"
    (e,) = analyse("قتل تسعة مدنيين في هجمات وقعت في المدينة.")
    assert e["type"] == "violence_against_civilians"


def test_actors_and_targets() -> None:
    text = "قتل مسلحون مجهولون ثلاثة مدنيين على يد عناصر التنظيم."
    (e,) = analyse(text)
    assert "مسلحون مجهولون" in [a["text"] for a in e["actors"]]
    assert "مدنيين" in [t["text"] for t in e["targets"]]
    text = "اغتال مسلحون رفيق الحريري في بيروت."
    start = text.index("رفيق")
    ent = Entity("رفيق الحريري", start, start + len("رفيق الحريري"), "PER")
    (e,) = analyse(text, entities=[ent])
    assert [t["text"] for t in e["targets"]] == ["رفيق الحريري"]
    assert [a["text"] for a in e["actors"]] == ["مسلحون"]


def test_place_is_the_nearest_most_specific_else_the_main_place() -> None:
    text = "شنت طائرات غارة على حي في الموصل شمالي العراق."
    (e,) = analyse(text, places=[place(text, "الموصل"), place(text, "العراق", "country")])
    assert e["place"]["text"] == "الموصل" and e["place"]["lat"] == 33.0
    assert e["destination"] is None
    text = "زار الوزير بغداد. ثم عاد إلى بغداد. وانفجرت عبوة ناسفة قرب السوق."
    ps = [place(text, "بغداد"), place(text, "بغداد", n=1)]
    events = analyse(text, places=ps)
    assert events[-1]["place"]["text"] == "بغداد"  # the article's main place


def test_displacement_origin_and_destination() -> None:
    text = "فر السكان من الموصل إلى مخيم ديبكه."
    ps = [place(text, "الموصل"), place(text, "مخيم ديبكه", "camp")]
    (e,) = analyse(text, places=ps)
    assert e["place"]["text"] == "الموصل"
    assert e["destination"]["text"] == "مخيم ديبكه"
    # a camp the gazetteer does not know is kept as text
    (e,) = analyse("ويؤوي مخيم الشهداء آلاف النازحين.")
    assert e["destination"]["text"] == "مخيم الشهداء" and e["destination"]["lat"] is None
    assert e["sub_type"] == "arrival_in_camp" and e["displaced"] == 1000


def test_dates() -> None:
    (e,) = analyse("قتل ثلاثة أشخاص في انفجار يوم 5 أكتوبر 2016.")
    assert e["date"] == {"value": "2016-10-05", "precision": "day"}
    (e,) = analyse("قتل ثلاثة أشخاص في انفجار.")
    assert e["date"] == {"value": PUBLISHED, "precision": "day"}
    (e,) = analyse("قتل ثلاثة أشخاص في انفجار.", published=None)
    assert e["date"] is None


def test_event_links_to_the_attribution_that_reports_it() -> None:
    text = "قال مسؤول أمني إن 5 أشخاص قتلوا في تفجير استهدف السوق."
    (e,) = analyse(text)
    assert e["attribution"] == 0
    (e,) = analyse("انفجرت عبوة ناسفة قرب السوق.")
    assert "attribution" not in e


def test_purpose_and_undergoing() -> None:
    assert [e["type"] for e in analyse("بدأت الحملة العسكرية لاستعادة المدينة.")] == ["strategic_developments"]
    assert types("تعرضت المسيرة لهجوم مسلح.") == ["battles"]


def test_main_place_counts_mentions() -> None:
    text = "أ ب أ"
    a1 = Place("أ", 0, 1, name="A", lat=1.0, lon=1.0, geonames_id=1)
    b = Place("ب", 2, 3, name="B", lat=2.0, lon=2.0, geonames_id=2)
    a2 = Place("أ", 4, 5, name="A", lat=1.0, lon=1.0, geonames_id=1)
    unresolved = Place("ج", 0, 1)
    assert main_place([b, a1, a2, unresolved]) is a1
    assert main_place([unresolved]) is None
    assert text


def test_stage_declares_its_fields() -> None:
    stage = EventStage()
    assert stage.name == "events.rules.v1"
    assert stage.requires == {"tokens", "sentences", "entities", "places", "dates", "attributions"}
    assert stage.provides == {"events"}
    art = Article(id="x", text="", language="ar")
    (out,) = stage.process([art])
    assert isinstance(out, Article) and out.events == []


@pytest.mark.parametrize("text", [
    "أجلت الحكومة الاجتماع إلى الأسبوع المقبل.",                 # postponed, not evacuated
    "قررت المعارضة اللجوء إلى القضاء للطعن في النتائج.",           # resorting to a court
    "وكان طالبو اللجوء إلى القضاء قد احتجوا.",
    "هرب المهربون الأسلحة عبر الحدود.",                            # smuggled
    "لأن نزوح هذه القبائل كانت بالشمال وبسيناء.",                  # a people's migration
    "لأن إزالة هذه القنابل بسرعة يسهل عودة الأهالي.",              # enabling: not yet
    "تمكن خبراء الهندسة من تفكيك عبوة ناسفة قرب الجسر.",          # defused: no explosion
    "تم العثور على قنبلة في حقيبة متروكة.",
    "تبحث الندوة في التوغل في تفاصيل الاقتصاد الروسي.",            # delving, not an incursion
    "تسعى الحكومة إلى السيطرة على التضخم.",                        # controlling inflation
])
def test_readings_that_are_no_event(text: str) -> None:
    assert analyse(text) == []


def test_evacuation_needs_the_people_moved() -> None:
    (e,) = analyse("أجلت السلطات نحو 440 سائحا من البلدة.")
    assert e["type"] == "displacement" and e["sub_type"] == "evacuation" and e["displaced"] == 440


def test_causative_before_purpose_lam_is_a_flight() -> None:
    (e,) = analyse("الأمر الذي دفع السكان للهرب إلى المدن المجاورة.")
    assert e["type"] == "displacement"


@pytest.mark.parametrize("text, field, value", [
    ("وفي حي المنصور أصيب 3 من عناصر الشرطة ومدنيان في انفجار سيارة.", "injured", 5),
    ("قتل 11 شخصا في هجمات متفرقة وعثر اليوم على 11 جثة في جنوب بغداد.", "fatalities", 22),
    ("قتل 5 جنود و3 مدنيين في قصف على البلدة.", "fatalities", 8),
])
def test_coordinated_figures_and_bodies_found(text: str, field: str, value: int) -> None:
    events = analyse(text)
    assert sum(e[field] or 0 for e in events) == value, events


@pytest.mark.parametrize("text, field, value", [
    ("لقي جندي مصرعه وأصيب ثلاثة آخرون بجراح في انفجار.", "injured", 3),  # not a joint count
    ("ارتفع أمس عدد الشهداء في حي الشجاعية إلى ثمانية.", "fatalities", 8),  # a total raised
    ("وبات العراقيون يقتلون يوميا بالعشرات.", "fatalities", 10),
    ("انتشلت الشرطة ستة جثث من النهر اثنتان منها مقطوعة الرأس.", "fatalities", 6),  # a part named after
])
def test_figures_of_totals_and_own_clauses(text: str, field: str, value: int) -> None:
    events = analyse(text)
    assert sum(e[field] or 0 for e in events) == value, events


def test_joint_count_of_killed_and_injured_is_no_figure() -> None:
    (e,) = analyse("أسفر الانفجار عن مقتل وإصابة ستة أشخاص.")
    assert e["fatalities"] is None and e["injured"] is None


def test_one_stays_with_the_word_before_it() -> None:
    # أحد far from the killing word counts nothing
    events = analyse("مشاهد الجثث والدماء أحد الأطفال عرض تجربته في المخيم.")
    assert all(e["fatalities"] is None for e in events)
    (e,) = analyse("أسفر الانفجار عن مقتل أحد المارة.")
    assert e["fatalities"] == 1


def test_civilians_killed_in_their_own_clause_are_an_attack_on_civilians() -> None:
    text = "استشهدت فتاة فلسطينية في رفح، في وقت اعتقلت فيه القوات 19 آخرين خلال تبادل لإطلاق النار في نابلس."
    assert {"violence_against_civilians", "battles", "strategic_developments"} <= set(types(text))


def test_soldier_named_before_his_death_makes_a_battle() -> None:
    (e,) = analyse("لقي جندي إسرائيلي مصرعه وأصيب ثلاثة آخرون بجراح في عملية جنوب لبنان.")
    assert e["type"] == "battles" and e["injured"] == 3


def test_undergoing_verb_earlier_in_the_clause() -> None:
    (e,) = analyse("تعرضت أحياء حلب الشرقية لقصف عنيف أمس.")
    assert e["type"] == "explosions_remote_violence" and e["date"]["value"] == "2016-10-19"


def test_what_a_flight_is_against_is_not_its_target() -> None:
    (e,) = [e for e in analyse("فارون من المدينة والمقاومة تتصاعد ضد التنظيم.") if e["type"] == "displacement"]
    assert [t["text"] for t in e["targets"]] == []
