"""Entity-level scoring as conlleval counts it."""

from __future__ import annotations

import pytest

from marsad.ner.evaluate import entities, evaluate


def test_entities_read_bio_like_conlleval() -> None:
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-ORG", "B-ORG", "I-MISC", "I-ORG"]
    assert entities(tags) == [(0, 2, "PER"), (3, 5, "LOC"), (5, 6, "ORG"), (6, 7, "ORG"), (7, 8, "MISC"), (8, 9, "ORG")]
    assert entities([]) == []
    assert entities(["O", "O"]) == []
    assert entities(["B-LOC"]) == [(0, 1, "LOC")]


def test_scores_exact_span_and_type() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "I-ORG", "O"]]
    pred = [["B-PER", "I-PER", "O", "B-ORG"], ["B-ORG", "O", "O"]]
    rep = evaluate(gold, pred)
    assert (rep.overall.tp, rep.overall.n_pred, rep.overall.n_gold) == (1, 3, 3)
    assert rep.overall.precision == pytest.approx(100 / 3)
    assert rep.overall.recall == pytest.approx(100 / 3)
    assert rep.f1 == pytest.approx(100 / 3)
    assert rep.by_type["PER"].f1 == 100.0
    assert rep.by_type["LOC"].recall == 0.0
    assert rep.by_type["LOC"].n_pred == 0
    assert rep.errors["type"] == 1  # LOC read as ORG, same span
    assert rep.type_confusions[("LOC", "ORG")] == 1
    assert rep.errors["boundary"] == 1  # ORG cut short
    assert rep.errors["missed"] == 0 and rep.errors["spurious"] == 0


def test_missed_and_spurious() -> None:
    rep = evaluate([["B-PER", "O", "O"]], [["O", "O", "B-MISC"]])
    assert rep.errors["missed"] == 1
    assert rep.errors["spurious"] == 1
    assert rep.f1 == 0.0
    d = rep.to_dict()
    assert d["overall"]["gold"] == 1 and d["overall"]["predicted"] == 1
    assert d["errors"] == {"type": 0, "boundary": 0, "missed": 1, "spurious": 1}


def test_perfect_and_format() -> None:
    gold = [["B-PER", "I-PER", "O"], ["B-LOC", "O"]]
    rep = evaluate(gold, gold)
    assert rep.f1 == 100.0
    text = rep.format()
    assert "overall" in text and "100.00" in text and "errors: type 0" in text
    assert rep.tokens == 5 and rep.sentences == 2


def test_mismatched_lengths_raise() -> None:
    with pytest.raises(ValueError):
        evaluate([["O"]], [])
    with pytest.raises(ValueError):
        evaluate([["O", "O"]], [["O"]])
