"""Evaluation of the date resolver (and of the number reader) on annotated sets.

A date set is JSON Lines (lines starting with ``#`` are comments): ``text``,
``published`` (or null) and ``dates``, gold spans with ``start``, ``end``,
``value`` and ``precision``.  A number set has ``numbers`` instead: gold spans
with ``value``.  ``main(argv)`` prints, for dates, the exact-value accuracy
(share of gold expressions that a predicted span overlaps with the same value
and precision) and span precision, recall and F1 (exact offsets, and overlap);
for numbers, the accuracy (share of gold figures that a predicted figure
overlaps with the same value).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.arabic.dates import find_dates
from marsad.arabic.numbers import find_numbers
from marsad.eval.common import load_set, overlap, prf

__all__ = ["DateScores", "NumberScores", "load_set", "evaluate_dates", "evaluate_numbers", "main",
           "DEFAULT_SET"]

DEFAULT_SET = Path(__file__).resolve().parents[3] / "tests" / "data" / "dates_eval" / "test.jsonl"



@dataclass
class DateScores:
    items: int = 0
    gold: int = 0
    predicted: int = 0
    correct_value: int = 0
    exact_span: int = 0
    pred_overlapping: int = 0
    gold_overlapped: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def value_accuracy(self) -> float:
        return self.correct_value / self.gold if self.gold else 1.0

    @property
    def exact(self) -> tuple[float, float, float]:
        return prf(self.exact_span, self.predicted, self.exact_span, self.gold)

    @property
    def overlap(self) -> tuple[float, float, float]:
        return prf(self.pred_overlapping, self.predicted, self.gold_overlapped, self.gold)

    def to_dict(self) -> dict[str, Any]:
        (ep, er, ef), (op, orc, of) = self.exact, self.overlap
        return {
            "items": self.items, "gold": self.gold, "predicted": self.predicted,
            "value_accuracy": round(self.value_accuracy, 4),
            "span_exact": {"precision": round(ep, 4), "recall": round(er, 4), "f1": round(ef, 4)},
            "span_overlap": {"precision": round(op, 4), "recall": round(orc, 4), "f1": round(of, 4)},
        }


def evaluate_dates(items: Sequence[dict[str, Any]]) -> DateScores:
    """Score :func:`marsad.arabic.dates.find_dates` on date items."""
    s = DateScores()
    for it in items:
        s.items += 1
        gold = it.get("dates", [])
        pred = find_dates(it["text"], it.get("published"))
        s.gold += len(gold)
        s.predicted += len(pred)
        gold_spans = {(g["start"], g["end"]) for g in gold}
        s.exact_span += sum((p.start, p.end) in gold_spans for p in pred)
        s.pred_overlapping += sum(any(overlap(g, p) for g in gold) for p in pred)
        for g in gold:
            over = [p for p in pred if overlap(g, p)]
            if over:
                s.gold_overlapped += 1
            if any(p.value == g["value"] and p.precision == g["precision"] for p in over):
                s.correct_value += 1
            else:
                got = "; ".join(f"{p.text!r}={p.value}/{p.precision}" for p in over) or "nothing"
                s.errors.append(f"{it.get('id')}: gold {g['text']!r}={g['value']}/{g['precision']}, got {got}")
        for p in pred:
            if not any(overlap(g, p) for g in gold):
                s.errors.append(f"{it.get('id')}: spurious {p.text!r}={p.value}/{p.precision}")
    return s


@dataclass
class NumberScores:
    items: int = 0
    gold: int = 0
    correct: int = 0
    found: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "gold": self.gold, "found": self.found,
                "accuracy": round(self.accuracy, 4)}


def evaluate_numbers(items: Sequence[dict[str, Any]]) -> NumberScores:
    """Score :func:`marsad.arabic.numbers.find_numbers` on number items."""
    s = NumberScores()
    for it in items:
        s.items += 1
        pred = find_numbers(it["text"])
        for g in it.get("numbers", []):
            s.gold += 1
            over = [p for p in pred if overlap(g, p)]
            if over:
                s.found += 1
            if any(p.value == g["value"] for p in over):
                s.correct += 1
            else:
                got = "; ".join(f"{p.text!r}={p.value}" for p in over) or "nothing"
                s.errors.append(f"{it.get('id')}: gold {g['text']!r}={g['value']}, got {got}")
    return s


def main(argv: Sequence[str] | None = None) -> int:
    """``marsad eval dates [FILE ...] [--errors] [--json]``: print the scores."""
    ap = argparse.ArgumentParser(prog="marsad eval dates", description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help=f"evaluation files (default: {DEFAULT_SET.name})")
    ap.add_argument("--errors", action="store_true", help="list every miss and spurious date")
    ap.add_argument("--json", action="store_true", help="print one JSON object per file")
    args = ap.parse_args(argv)
    files = args.files or [str(DEFAULT_SET)]
    for path in files:
        try:
            items = load_set(path)
        except (OSError, ValueError) as exc:
            print(f"marsad eval dates: {exc}", file=sys.stderr)
            return 2
        if items and "numbers" in items[0]:
            ns = evaluate_numbers(items)
            if args.json:
                print(json.dumps({"file": path, **ns.to_dict()}, ensure_ascii=False))
            else:
                print(f"{path}: {ns.items} items, {ns.gold} gold figures")
                print(f"  number accuracy  {ns.accuracy:.3f} ({ns.correct}/{ns.gold})")
            errors = ns.errors
        else:
            ds = evaluate_dates(items)
            if args.json:
                print(json.dumps({"file": path, **ds.to_dict()}, ensure_ascii=False))
            else:
                (ep, er, ef), (op, orc, of) = ds.exact, ds.overlap
                print(f"{path}: {ds.items} items, {ds.gold} gold dates, {ds.predicted} predicted")
                print(f"  exact-value accuracy  {ds.value_accuracy:.3f} ({ds.correct_value}/{ds.gold})")
                print(f"  span exact    P {ep:.3f}  R {er:.3f}  F1 {ef:.3f}")
                print(f"  span overlap  P {op:.3f}  R {orc:.3f}  F1 {of:.3f}")
            errors = ds.errors
        if args.errors:
            for e in errors:
                print("  " + e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
