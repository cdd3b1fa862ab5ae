"""Evaluation of the attribution reader on annotated sentences.

A set is JSON Lines (lines starting with ``#`` are comments): ``id``,
``text`` (one sentence) and ``attributions``, gold ``source``, ``cue`` and
``via`` spans with code-point offsets.  ``main(argv)`` prints precision,
recall and F1 of cues (a predicted cue overlapping a gold cue), of sources
(a predicted source overlapping the gold source of an attribution whose cue
it matches) and of whole attributions (cue and source both overlapping), and
the share of gold relays found (a predicted ``via`` overlapping the gold one).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.eval.common import load_set, overlap, prf
from marsad.eval.events import analyse_sentence

__all__ = ["AttributionScores", "evaluate_attributions", "main", "DEFAULT_SET"]

DEFAULT_SET = Path(__file__).resolve().parents[3] / "tests" / "data" / "events_eval" / "attribution_test.jsonl"



@dataclass
class AttributionScores:
    items: int = 0
    gold: int = 0
    predicted: int = 0
    cue_pred_ok: int = 0
    cue_gold_ok: int = 0
    source_pred_ok: int = 0
    source_gold_ok: int = 0
    gold_via: int = 0
    via_ok: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def cue(self) -> tuple[float, float, float]:
        return prf(self.cue_pred_ok, self.predicted, self.cue_gold_ok, self.gold)

    @property
    def source(self) -> tuple[float, float, float]:
        return prf(self.source_pred_ok, self.predicted, self.source_gold_ok, self.gold)

    @property
    def via_recall(self) -> float:
        return self.via_ok / self.gold_via if self.gold_via else 1.0


def evaluate_attributions(items: list[dict[str, Any]]) -> AttributionScores:
    """Score the attribution reader on gold items (see the module docstring)."""
    s = AttributionScores()
    for it in items:
        s.items += 1
        pred = analyse_sentence(it["text"]).attributions
        gold = it.get("attributions", [])
        s.gold += len(gold)
        s.predicted += len(pred)
        for p in pred:
            cue_hit = [g for g in gold if overlap(g["cue"], p.cue)]
            if cue_hit:
                s.cue_pred_ok += 1
                if any(overlap(g["source"], p.source) for g in cue_hit):
                    s.source_pred_ok += 1
                else:
                    s.errors.append(f"{it['id']}: source {p.source.text!r} for cue {p.cue.text!r}")
            else:
                s.errors.append(f"{it['id']}: spurious cue {p.cue.text!r} (source {p.source.text!r})")
        for g in gold:
            hit = [p for p in pred if overlap(g["cue"], p.cue)]
            if hit:
                s.cue_gold_ok += 1
                if any(overlap(g["source"], p.source) for p in hit):
                    s.source_gold_ok += 1
            else:
                s.errors.append(f"{it['id']}: missed cue {g['cue']['text']!r} (source {g['source']['text']!r})")
            for v in g.get("via", []):
                s.gold_via += 1
                if any(overlap(v, pv) for p in hit for pv in p.via):
                    s.via_ok += 1
    return s


def format_scores(s: AttributionScores) -> str:
    lines = [f"sentences {s.items}  gold attributions {s.gold}  predicted {s.predicted}"]
    for name, (p, r, f) in (("cue", s.cue), ("source (with its cue)", s.source)):
        lines.append(f"{name:<24}P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    lines.append(f"{'via recall':<24}{s.via_recall:.3f} ({s.via_ok}/{s.gold_via})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``marsad eval attribution [SET...] [--errors]``: print the scores."""
    ap = argparse.ArgumentParser(prog="marsad eval attribution", description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*", default=[str(DEFAULT_SET)], help="evaluation files (JSON Lines)")
    ap.add_argument("--errors", action="store_true", help="list every error")
    args = ap.parse_args(list(argv) if argv is not None else None)
    for path in args.sets:
        try:
            items = load_set(path)
        except (OSError, ValueError) as exc:
            print(f"marsad eval attribution: {exc}", file=sys.stderr)
            return 2
        s = evaluate_attributions(items)
        print(f"== {path}")
        print(format_scores(s))
        if args.errors:
            print("\n".join(s.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
