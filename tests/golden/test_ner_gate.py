"""Quality gates of the packaged entity tagger.

1. Entity-level micro F1 on the ANERcorp test split (CAMeL Lab split), which
   the tagger never saw in training, may not drop below the pinned figure:
   raise PINNED_F1 when a better model is committed, never lower it.
2. On the canonical seed article (a scraped blog post from 2016, outside
   ANERcorp), the stage finds the organisations, the person and the places
   that the article names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.arabic.sentences import split_sentences
from marsad.arabic.tokenize import tokenize
from marsad.documents import Article
from marsad.enrich.entities import EntityStage
from marsad.ner.evaluate import eval_file

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared"
TEST_SPLIT = SHARED / "data" / "anercorp" / "ANERCorp_CamelLab_test.txt"
SEED = SHARED / "seed" / "000_a5c194be6e581f29.txt"

# the committed default tagger's figure, rounded down to one decimal
PINNED_F1 = 72.0
PINNED_BY_TYPE = {"LOC": 86.1, "PER": 70.5, "ORG": 58.1, "MISC": 56.1}


@pytest.mark.skipif(not TEST_SPLIT.exists(), reason="ANERcorp test split not present beside the repository")
def test_f1_on_anercorp_test_split_does_not_drop() -> None:
    report = eval_file(TEST_SPLIT)
    assert report.tokens == 25008
    assert report.overall.n_gold == 2285  # 2,211 B- tags; conlleval also starts one at an I- after O
    assert report.f1 >= PINNED_F1, report.format()
    for kind, floor in PINNED_BY_TYPE.items():
        assert report.by_type[kind].f1 >= floor, report.format()


def _seed_entities() -> tuple[str, list]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    body = "\n".join(lines[4:]).strip()  # the paragraphs from line 5 on
    article = Article(id="seed", text=body, language="ar")
    article.tokens = tokenize(body)
    article.sentences = split_sentences(body, article.tokens)
    EntityStage().process([article])
    return body, article.entities


@pytest.mark.skipif(not SEED.exists(), reason="seed article not present beside the repository")
def test_seed_article_entities() -> None:
    body, entities = _seed_entities()
    found = {(e.text, e.label) for e in entities}
    for e in entities:
        assert body[e.start:e.end] == e.text
    expected = {
        ("الغارديان", "ORG"), ("داعش", "ORG"), ("البيشمركة", "ORG"), ("القاعدة", "ORG"),
        ("أبو جميل", "PER"),
        ("الموصل", "LOC"), ("العراق", "LOC"), ("الأنبار", "LOC"),
    }
    missing = expected - found
    assert not missing, f"missing {sorted(missing)}; found {sorted(found)}"
    # الموصل is written 14 times in the body (some with a clitic: بالموصل); the
    # model finds 8 of them today: a floor, and every one found is a place
    mosul = [e for e in entities if e.text == "الموصل"]
    assert len(mosul) >= 8
    assert all(e.label == "LOC" for e in mosul)
    # no entity swallows a clitic or punctuation
    assert not any(e.text[0] in "وفبلك" and e.text[1:] in {t for t, _ in expected} for e in entities)


@pytest.mark.skipif(not SEED.exists(), reason="seed article not present beside the repository")
def test_seed_article_camp() -> None:
    _, entities = _seed_entities()
    assert ("ديبكه", "LOC") in {(e.text, e.label) for e in entities}
