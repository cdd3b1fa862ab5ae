"""The place stage: mentions, clitics, cue words, traps, and context."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.arabic.sentences import split_sentences
from marsad.arabic.tokenize import tokenize
from marsad.documents import Article, Entity
from marsad.enrich.places import PlaceConfig, PlaceStage, find_mentions
from marsad.enrich.tokens import TokenStage
from marsad.gazetteer import load_gazetteer
from marsad.gazetteer.sources import distance_km
from marsad.pipeline.base import check_chain

TRAPS = Path(__file__).resolve().parents[1] / "data" / "places_eval" / "traps.tsv"
MOSUL = (36.34, 43.13)


@pytest.fixture(scope="module")
def stage() -> PlaceStage:
    return PlaceStage()


def article(text: str, entities: list[tuple[str, str]] = (), nth: int = 0) -> Article:
    """An analysed article; ``entities`` are (surface, label), each found at
    every occurrence in the text."""
    art = Article(id="t", text=text, language="ar")
    art.tokens = tokenize(text)
    art.sentences = split_sentences(text, art.tokens)
    ents = []
    for surface, label in entities:
        start = text.find(surface)
        while start >= 0:
            ents.append(Entity(surface, start, start + len(surface), label))
            start = text.find(surface, start + len(surface))
    art.entities = ents
    return art


def places(stage: PlaceStage, text: str, entities: list[tuple[str, str]] = ()):
    art = article(text, entities)
    (out,) = stage.process([art])
    for p in out.places:
        assert out.text[p.start:p.end] == p.text
    return out.places


def test_stage_shape(stage: PlaceStage) -> None:
    assert stage.name == "places.resolve.v1"
    assert stage.requires == {"tokens", "sentences", "entities"}
    assert stage.provides == {"places"}
    assert stage.languages == {"ar"}

    class Entities:
        name = "test.entities.v1"
        requires = frozenset({"tokens"})
        provides = frozenset({"entities"})
        languages = None

    check_chain([TokenStage(), Entities(), stage], available={"text", "language"})


@pytest.mark.parametrize(
    "text, surface",
    [
        ("فر السكان بالموصل من القصف.", "الموصل"),  # ب
        ("وصل الجيش لمدينة الموصل صباحا.", "الموصل"),  # ل + cue
        ("وقالت مصادر إن القتال للموصل مستمر.", "لموصل"),  # ل + ال with its alef elided
        ("زار الوزير الموصل وبغداد أمس.", "الموصل"),
        ("والموصل مدينة كبيرة.", "الموصل"),  # و
    ],
)
def test_clitics_are_outside_the_span(stage: PlaceStage, text: str, surface: str) -> None:
    found = places(stage, text, [(surface, "LOC")])
    mosul = [p for p in found if p.name == "Mosul"]
    assert len(mosul) == 1
    p = mosul[0]
    assert p.text == surface and p.text[0] not in "وبف"
    assert distance_km(p.lat, p.lon, *MOSUL) < 25
    assert p.country_code == "IQ" and p.feature == "city" and p.geonames_id == 99072


def test_cue_words_find_places_without_entities(stage: PlaceStage) -> None:
    text = "شكلت محافظة الأنبار صحوات عشائرية، ووصل النازحون إلى مخيم ديبكه قادمين من مدينة الموصل."
    got = {p.text: p for p in places(stage, text)}
    assert set(got) == {"الأنبار", "مخيم ديبكه", "الموصل"}
    assert got["الأنبار"].feature == "admin1" and got["الأنبار"].country_code == "IQ"
    assert got["مخيم ديبكه"].feature == "camp" and got["مخيم ديبكه"].country_code == "IQ"
    assert got["الموصل"].name == "Mosul"


def test_country_mentions(stage: PlaceStage) -> None:
    text = "قال مسؤولون إن العراق وسوريا يتعاونان أمنيا مع الولايات المتحدة."
    got = {p.text: p for p in places(stage, text)}
    assert set(got) == {"العراق", "سوريا", "الولايات المتحدة"}
    assert all(p.feature == "country" for p in got.values())
    assert {p.country_code for p in got.values()} == {"IQ", "SY", "US"}
    # countries are placed at their capital
    assert distance_km(got["العراق"].lat, got["العراق"].lon, 33.34, 44.40) < 5


def test_nisba_adjective_is_no_place(stage: PlaceStage) -> None:
    text = "وقال الشاعر الموصلي إن قصائده ستصدر قريبا."
    assert places(stage, text) == []
    # even when an entity tagger takes it for a place
    assert places(stage, text, [("الموصلي", "LOC")]) == []


def read_traps() -> list[tuple[str, str]]:
    rows = []
    for line in TRAPS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, sentence = line.split("\t")
            assert word in sentence
            rows.append((word, sentence))
    return rows


@pytest.mark.parametrize("word, sentence", read_traps())
def test_trap_words_are_not_places(stage: PlaceStage, word: str, sentence: str) -> None:
    start = sentence.index(word)
    found = places(stage, sentence)
    assert not [p for p in found if p.start < start + len(word) and start < p.end], found


@pytest.mark.parametrize("word", ["المدينة", "العاصمة", "الأمل", "النصر", "السلام", "فارين", "أمن"])
def test_a_bare_common_word_stays_unresolved_even_as_an_entity(stage: PlaceStage, word: str) -> None:
    text = f"وقال مسؤولون في العراق إن {word} شهدت اشتباكات عنيفة أمس."
    found = places(stage, text, [(word, "LOC"), ("العراق", "LOC")])
    assert [p.text for p in found] == ["العراق"]


def test_a_cue_and_the_context_make_a_common_word_a_place(stage: PlaceStage) -> None:
    text = "قصفت الطائرات حي الزيتون في مدينة غزة، وأصيب عدد من سكان قطاع غزة."
    got = {p.text: p for p in places(stage, text)}
    assert got["الزيتون"].country_code == "PS" and got["الزيتون"].feature == "district"
    assert distance_km(got["الزيتون"].lat, got["الزيتون"].lon, 31.50, 34.46) < 10
    # the same cue with nothing around it says too little
    assert places(stage, "قيل إن حي الزيتون هادئ.") == []


def test_entities_of_people_and_organisations_are_not_places(stage: PlaceStage) -> None:
    text = "قال رئيس جامعة بغداد إن أبو جميل غادر إلى عمان عبر الأردن."
    found = places(stage, text, [("جامعة بغداد", "ORG"), ("أبو جميل", "PER"), ("عمان", "LOC"), ("الأردن", "LOC")])
    assert [p.text for p in found] == ["عمان", "الأردن"]
    assert found[0].name == "Amman" and found[0].country_code == "JO"


@pytest.mark.parametrize(
    "text, entities, expected",
    [
        ("اندلعت اشتباكات في طرابلس شمال لبنان.", ["طرابلس", "لبنان"], "LB"),
        ("اندلعت اشتباكات في طرابلس عاصمة ليبيا.", ["طرابلس", "ليبيا"], "LY"),
        ("وصل الوفد إلى عمان قادما من الأردن.", ["عمان", "الأردن"], "JO"),
        ("وصل الوفد إلى عمان قادما من مسقط.", ["عمان", "مسقط"], "OM"),
    ],
)
def test_context_chooses_between_candidates(stage: PlaceStage, text: str, entities: list[str], expected: str) -> None:
    found = places(stage, text, [(e, "LOC") for e in entities])
    first = [p for p in found if p.text == entities[0]]
    assert len(first) == 1 and first[0].country_code == expected


def test_ambiguous_without_context_is_unresolved(stage: PlaceStage) -> None:
    # Amman (Jordan) or Oman: nothing in the text says which
    assert places(stage, "وصل الوفد إلى عمان مساء أمس.", [("عمان", "LOC")]) == []


def test_big_places_beat_namesakes_in_a_context_country(stage: PlaceStage) -> None:
    text = "قال مسؤولون في واشنطن إن الرئيس الأميركي سيزور لندن وباريس الشهر المقبل."
    got = {p.text: p for p in places(stage, text, [("واشنطن", "LOC"), ("لندن", "LOC"), ("باريس", "LOC")])}
    assert got["واشنطن"].country_code == "US" and distance_km(got["واشنطن"].lat, got["واشنطن"].lon, 38.9, -77.04) < 25
    assert got["لندن"].country_code == "GB"
    assert got["باريس"].country_code == "FR"


def test_a_country_name_as_an_adjective_is_no_place(stage: PlaceStage) -> None:
    assert places(stage, "كان فناناً إسبانياً معروفاً.") == []
    assert places(stage, "زار الوفد العاصمة السعودية أمس.") == []
    assert [p.country_code for p in places(stage, "زار الوفد السعودية أمس.")] == ["SA"]


def test_a_name_with_an_adjective_of_another_place(stage: PlaceStage) -> None:
    # أميركا اللاتينية is not the United States
    assert places(stage, "تنمو اقتصادات أميركا اللاتينية.", [("أميركا اللاتينية", "LOC")]) == []
    # but حلب الشرقية is in Aleppo
    (p,) = places(stage, "قصفت الطائرات أحياء حلب الشرقية.", [("حلب الشرقية", "LOC")])
    assert p.text == "حلب" and p.country_code == "SY" and distance_km(p.lat, p.lon, 36.2, 37.16) < 10


def test_entity_with_two_places(stage: PlaceStage) -> None:
    text = "تسلم الجوائز في احتفالات تجري في ستوكهولم وأوسلو."
    found = places(stage, text, [("ستوكهولم وأوسلو", "LOC")])
    assert [(p.text, p.country_code) for p in found] == [("ستوكهولم", "SE"), ("أوسلو", "NO")]


def test_a_proclitic_the_tokenizer_left_on_a_name(stage: PlaceStage) -> None:
    # بكابول: the tokenizer keeps it whole (a rare word); the entity says it is a place
    text = "بدلاً من الاكتفاء بكابول؛ انتشرت القوات."
    (p,) = places(stage, text, [("بكابول", "LOC")])
    assert p.text == "كابول" and p.country_code == "AF"


def test_names_found_on_their_own_stay_out_of_entities(stage: PlaceStage) -> None:
    text = "أعلنت الولايات المتحدة دعمها لجامعة الدول العربية."
    assert [p.country_code for p in places(stage, text)] == ["US"]
    # inside an organisation's name: not a place
    assert places(stage, "قالت وزارة خارجية الولايات المتحدة إن.", [("وزارة خارجية الولايات المتحدة", "ORG")]) == []


@pytest.mark.parametrize("text", ["", "   ", "...", "Hello Mosul", "١٢٣ ٤٥٦", "ﻻ ﻷ", "الموصل" * 2000])
def test_odd_input_does_not_crash(stage: PlaceStage, text: str) -> None:
    art = article(text)
    (out,) = stage.process([art])
    for p in out.places:
        assert text[p.start:p.end] == p.text


def test_config_thresholds_matter() -> None:
    text = "وصل الوفد إلى بلدة مانكيش مساء أمس."  # a village of 1,300 people, no context
    tokens = tokenize(text)
    gaz = load_gazetteer()
    assert find_mentions(text, tokens, [], gaz)  # the cue finds a candidate
    strict = PlaceStage(config=PlaceConfig(min_score_cue=99.0))
    art = article(text)
    assert strict.places(art) == []
