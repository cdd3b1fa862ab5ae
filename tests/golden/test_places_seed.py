"""Places on the seed article: Mosul, Iraq, Anbar and the Debaga camp, and nothing else.

The entity stage (marsad.enrich.entities) is run when it is installed with a
trained model; otherwise the test gives the place stage the entities that
stage should produce on this article (LOC: every الموصل, العراق, الأنبار,
ديبكه; ORG: الغارديان, داعش, البيشمركة, القاعدة; PER: أبو جميل).  The
place stage must also get the same places from cue words and names alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import assert_offsets

from marsad.arabic.sentences import split_sentences
from marsad.arabic.tokenize import tokenize
from marsad.documents import Article, Entity, Place
from marsad.enrich.places import PlaceStage
from marsad.gazetteer.sources import distance_km

MOSUL = (36.34, 43.13)
DEBAGA = (35.87, 43.80)  # Dibagah, Makhmur district, Erbil governorate

GIVEN = {
    "LOC": ["الموصل", "العراق", "الأنبار", "ديبكه"],
    "ORG": ["الغارديان", "داعش", "البيشمركة", "القاعدة"],
    "PER": ["أبو جميل"],
}


def seed_article(seed_path: Path) -> Article:
    text = "\n".join(seed_path.read_text(encoding="utf-8").splitlines()[4:])
    art = Article(id="seed", text=text, language="ar")
    art.tokens = tokenize(text)
    art.sentences = split_sentences(text, art.tokens)
    return art


def given_entities(text: str) -> list[Entity]:
    out = []
    for label, words in GIVEN.items():
        for w in words:
            out += [Entity(w, m.start(), m.end(), label) for m in re.finditer(re.escape(w), text)]
    return sorted(out, key=lambda e: e.start)


def model_entities(art: Article) -> list[Entity] | None:
    """The entity stage's entities, when the stage and its model are there."""
    try:
        from marsad.enrich import entities as ent_mod  # noqa: PLC0415
    except ImportError:
        return None
    for obj in vars(ent_mod).values():
        if isinstance(obj, type) and "entities" in getattr(obj, "provides", ()) and hasattr(obj, "process"):
            try:
                (out,) = obj().process([art])
            except Exception:  # no trained model installed
                return None
            return list(out.entities)
    return None


def check(places: list[Place], text: str) -> None:
    assert_offsets({"text": text, "places": [p.to_dict() for p in places]})
    by_text: dict[str, list[Place]] = {}
    for p in places:
        by_text.setdefault(p.text, []).append(p)
    assert set(by_text) == {"الموصل", "العراق", "الأنبار", "مخيم ديبكه"}, [p.text for p in places]
    for p in by_text["الموصل"]:
        assert distance_km(p.lat, p.lon, *MOSUL) < 25 and p.country_code == "IQ" and p.feature == "city"
        assert p.name == "Mosul" and p.geonames_id == 99072
    (iraq,) = by_text["العراق"]
    assert iraq.feature == "country" and iraq.country_code == "IQ"
    (anbar,) = by_text["الأنبار"]
    assert anbar.feature == "admin1" and anbar.country_code == "IQ" and "Anbar" in (anbar.name or "")
    (debaga,) = by_text["مخيم ديبكه"]
    assert debaga.feature == "camp" and debaga.country_code == "IQ"
    assert distance_km(debaga.lat, debaga.lon, *DEBAGA) < 15
    # no place is a leading clitic or a trap word
    assert not any(p.text.startswith(("و", "ب", "ل")) and p.text != "الموصل" for p in places)


@pytest.fixture(scope="module")
def stage() -> PlaceStage:
    return PlaceStage()


def test_seed_places_with_entities(seed_path: Path, stage: PlaceStage) -> None:
    art = seed_article(seed_path)
    ents = model_entities(art)
    art.entities = ents if ents is not None else given_entities(art.text)
    (out,) = stage.process([art])
    check(out.places, art.text)
    # every mention of Mosul in the body is found (the title line is not part of it)
    assert len([p for p in out.places if p.text == "الموصل"]) == art.text.count("الموصل")


def test_seed_places_from_cues_and_names_alone(seed_path: Path, stage: PlaceStage) -> None:
    art = seed_article(seed_path)
    art.entities = []
    (out,) = stage.process([art])
    check(out.places, art.text)
    # مدينة الموصل: the cue word is outside the span; the cue makes الموصل a
    # place, and so every other mention of it in the article (one sense per discourse)
    mosul = [p for p in out.places if p.text == "الموصل"]
    assert art.text[mosul[0].start - 6:mosul[0].start] == "مدينة "
    assert len(mosul) == art.text.count("الموصل")


def test_seed_debaga_camp_in_erbil(seed_path: Path, stage: PlaceStage) -> None:
    (debaga,) = stage.gazetteer.lookup("مخيم ديبكه")
    assert debaga.admin1_name == "Erbil Governorate" and debaga.admin1_name_ar == "أربيل"
