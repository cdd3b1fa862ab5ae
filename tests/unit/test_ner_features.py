"""Word analysis, gazetteer matching and document features of the tagger."""

from __future__ import annotations

import pytest

from marsad.arabic.normalize import normalize
from marsad.ner.document import blocks, document_extras
from marsad.ner.features import FeatureConfig, Featurizer, split_proclitics
from marsad.ner.lexicons import bare, load_lexicons

COUNTS = {"قال": 300, "وقال": 60, "العراق": 100, "فرنسا": 50, "لبنان": 150, "الاتحاد": 40}


def _score(word: str) -> int:
    return COUNTS.get(word, 0)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("وقال", ("و", "قال")),  # the host is better attested
        ("فرنسا", ("", "فرنسا")),  # رنسا is no word
        ("ولبنان", ("و", "لبنان")),  # و off, and ل stays: بنان is unknown
        ("للاتحاد", ("ل", "الاتحاد")),  # لل = ل + ال
        ("بالموصل", ("ب", "الموصل")),  # unknown, but ال follows
        ("وديبكه", ("و", "ديبكه")),  # unknown: و splits off a long enough host
        ("بوتين", ("", "بوتين")),  # unknown, no ال: ب stays
        ("والعراق", ("و", "العراق")),
    ],
)
def test_split_proclitics(word: str, expected: tuple[str, str]) -> None:
    assert split_proclitics(normalize(word), _score) == expected


def test_bare_drops_the_article_only() -> None:
    assert bare("الموصل") == "الموصل"[2:]
    assert bare("الذي") == "الذي"  # not an article
    assert bare("ال") == "ال"
    assert bare("بغداد") == "بغداد"


def test_lexicons_match_names_with_and_without_article_and_clitics() -> None:
    lex = load_lexicons()
    cfg = FeatureConfig()
    feat = Featurizer(cfg, lex, COUNTS)
    words = ["وصلت", "القوات", "إلى", "الموصل", "وبغداد", "والولايات", "المتحدة", "."]
    infos = feat.infos(words)
    tags = lex.match([i.bare for i in infos])
    assert "B-LOC" in tags[3]  # الموصل
    assert "B-LOC" in tags[4]  # وبغداد → بغداد
    assert "B-LOC" in tags[5] and "I-LOC" in tags[6]  # الولايات المتحدة
    assert tags[7] == []
    assert lex.cues[normalize("مدينة")] == "LOC"
    assert lex.cues[normalize("صحيفة")] == "ORG"
    assert normalize("أبو") in lex.name_parts


def test_sentence_features_are_consistent() -> None:
    feat = Featurizer(FeatureConfig(), load_lexicons(), COUNTS)
    words = ["قال", "الرئيس", "جورج", "بوش", "في", "واشنطن"]
    xseq = feat.sentence(words)
    assert len(xseq) == len(words)
    assert "w=" + normalize("الرئيس") in xseq[1]
    assert "cue=PER" in xseq[1]
    assert "-1:cue=PER" in xseq[2]  # the word after the title sees it
    assert "-1:BOS" in xseq[0] and "1:EOS" in xseq[-1] and "2:EOS" in xseq[-2]
    assert any(f.startswith("g=B-LOC") for f in xseq[5])
    # cached analyses are not changed by building sentences
    assert feat.sentence(words) == xseq


def test_document_features() -> None:
    forms = [["a", "b", "c"], ["x", "a", "b"], ["a", "y"]]
    tags = [["B-PER", "I-PER", "O"], ["O", "O", "O"], ["O", "O"]]
    out = document_extras(forms, tags)
    # "a" is tagged PER in the first sentence: its other occurrences learn it
    assert "d=PER" in out[(1, 1)] and "d=PER" in out[(2, 0)]
    # "a b" was a PER entity: found again in the second sentence
    assert "ds=B-PER" in out[(1, 2 - 1)] and "ds=I-PER" in out[(1, 2)]
    # the commonest reading of the other occurrences of "a"
    assert "dm=O" in out[(0, 0)]
    assert (0, 2) not in out and (2, 1) not in out
    assert [list(r) for r in blocks(45, 20)] == [list(range(20)), list(range(20, 40)), list(range(40, 45))]
