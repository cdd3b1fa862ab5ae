"""Quality gate: the date and number readers on the held-out evaluation sets.

The figures are pinned where they stand, so that they can only go up.  The
test files were never used for tuning (see their headers); the dev files were.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.eval.dates import evaluate_dates, evaluate_numbers, load_set, main

SETS = Path(__file__).resolve().parents[1] / "data" / "dates_eval"


@pytest.mark.parametrize("name", ["dev.jsonl", "test.jsonl", "numbers_dev.jsonl", "numbers_test.jsonl"])
def test_sets_are_well_formed(name: str) -> None:
    items = load_set(SETS / name)
    assert len({it["id"] for it in items}) == len(items)
    for it in items:
        for g in it.get("dates", []) + it.get("numbers", []):
            assert it["text"][g["start"]:g["end"]] == g["text"], (it["id"], g)


def test_sets_are_large_enough() -> None:
    dates = sum(len(it["dates"]) for n in ("dev.jsonl", "test.jsonl") for it in load_set(SETS / n))
    numbers = sum(len(it["numbers"]) for n in ("numbers_dev.jsonl", "numbers_test.jsonl")
                  for it in load_set(SETS / n))
    assert dates >= 150 and numbers >= 80


def test_date_gate_on_test_set() -> None:
    s = evaluate_dates(load_set(SETS / "test.jsonl"))
    assert s.gold == 78
    assert s.correct_value >= 76, s.errors  # exact-value accuracy 0.974
    precision, recall, f1 = s.exact
    assert f1 >= 0.987 and precision >= 0.987 and recall >= 0.987, s.errors
    assert s.value_accuracy >= 0.90 and f1 >= 0.90


def test_date_gate_on_dev_set() -> None:
    s = evaluate_dates(load_set(SETS / "dev.jsonl"))
    assert s.correct_value >= 85, s.errors  # 0.988
    assert s.exact[2] >= 0.999, s.errors


def test_number_gate() -> None:
    for name in ("numbers_test.jsonl", "numbers_dev.jsonl"):
        s = evaluate_numbers(load_set(SETS / name))
        assert s.accuracy >= 0.999, s.errors


def test_main_prints_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SETS / "test.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "exact-value accuracy  0.974 (76/78)" in out
    assert "span exact    P 0.987  R 0.987  F1 0.987" in out
    assert main([str(SETS / "missing.jsonl")]) == 2
