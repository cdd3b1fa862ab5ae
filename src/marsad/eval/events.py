"""Evaluation of the event reader on annotated sentences (``marsad eval events``).

A set is JSON Lines (lines starting with ``#`` are comments): ``id``,
``text`` (one sentence), ``events`` (gold ``{"type", "sub_type"}``, one per
type the sentence asserts) and the gold figures ``fatalities``, ``injured``,
``displaced``, ``arrested`` (integers or null).

Each sentence is analysed as an article of its own (tokens, sentences,
dates, attributions and events; the entity and place stages are used too
with ``--full``: event detection does not depend on them).  Scores:

* per type, and for ``violence`` (battles, explosions and violence against
  civilians taken as one type), precision, recall and F1 of sentence-level
  detection: a sentence counts for a type when one of its predicted events
  has that type;
* figure accuracy: among the sentences whose gold figure is stated, the
  share where the sum of the predicted events' figures equals it; plus the
  sentences given a figure the gold does not state.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.documents import Article, content_id
from marsad.enrich.attribution import AttributionStage
from marsad.enrich.events import EventStage
from marsad.eval.common import load_set
from marsad.events.lexicon import EVENT_TYPES

__all__ = ["EventScores", "load_set", "analyse_sentence", "evaluate_events", "main", "DEFAULT_SET",
           "FIGURES", "GROUPS"]

DEFAULT_SET = Path(__file__).resolve().parents[3] / "tests" / "data" / "events_eval" / "test.jsonl"
FIGURES = ("fatalities", "injured", "displaced", "arrested")
GROUPS: dict[str, tuple[str, ...]] = {
    "violence": ("battles", "explosions_remote_violence", "violence_against_civilians"),
}
# a fixed anchor for relative dates: ANERcorp carries no publication dates
ANCHOR = "2006-10-05"


def _stages(full: bool) -> list[Any]:
    from marsad.enrich.dates import DateStage
    from marsad.enrich.tokens import TokenStage

    stages: list[Any] = [TokenStage(), DateStage()]
    if full:
        from marsad.enrich.entities import EntityStage
        from marsad.enrich.places import PlaceStage

        stages += [EntityStage(), PlaceStage()]
    return stages + [AttributionStage(), EventStage()]


def analyse_sentence(text: str, stages: Sequence[Any] | None = None, published: str | None = ANCHOR) -> Article:
    """Run the event stages (and those they need) on one sentence."""
    article = Article(id=content_id(text), text=text, published=published, language="ar")
    for stage in stages if stages is not None else _stages(False):
        (article,) = stage.process([article])  # type: ignore[assignment]
    return article


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class EventScores:
    items: int = 0
    counts: dict[str, list[int]] = field(default_factory=dict)  # type -> [tp, fp, fn]
    figures: dict[str, list[int]] = field(default_factory=dict)  # field -> [stated, exact, spurious]
    errors: list[str] = field(default_factory=list)
    # per sentence: for each type and group, (predicted, gold); for each figure, (stated, exact)
    outcomes: list[tuple[dict[str, tuple[bool, bool]], dict[str, tuple[bool, bool]]]] = field(default_factory=list)

    def intervals(self, resamples: int = 1000, seed: int = 0) -> dict[str, tuple[float, float]]:
        """95% percentile bootstrap intervals over sentences: of F1 for each type
        and group, of accuracy for each figure.  With a few dozen positives the
        intervals are wide, and they say so."""
        import numpy as np

        n = len(self.outcomes)
        if not n:
            return {}
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, n, size=(resamples, n))
        out: dict[str, tuple[float, float]] = {}
        for name in self.counts:
            pg = np.array([o[0][name] for o in self.outcomes], dtype=bool)
            tp = (pg[:, 0] & pg[:, 1])[idx].sum(axis=1)
            fp = (pg[:, 0] & ~pg[:, 1])[idx].sum(axis=1)
            fn = (~pg[:, 0] & pg[:, 1])[idx].sum(axis=1)
            denom = 2 * tp + fp + fn
            f1 = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 1.0)
            out[name] = (float(np.percentile(f1, 2.5)), float(np.percentile(f1, 97.5)))
        for name in self.figures:
            se = np.array([o[1][name] for o in self.outcomes], dtype=bool)
            stated = se[:, 0][idx].sum(axis=1)
            exact = se[:, 1][idx].sum(axis=1)
            acc = np.where(stated > 0, exact / np.maximum(stated, 1), 1.0)
            out[name] = (float(np.percentile(acc, 2.5)), float(np.percentile(acc, 97.5)))
        return out

    def prf(self, type_: str) -> tuple[float, float, float]:
        tp, fp, fn = self.counts.get(type_, [0, 0, 0])
        return _prf(tp, fp, fn)

    def support(self, type_: str) -> int:
        tp, _, fn = self.counts.get(type_, [0, 0, 0])
        return tp + fn

    def figure_accuracy(self, name: str) -> float:
        stated, exact, _ = self.figures.get(name, [0, 0, 0])
        return exact / stated if stated else 1.0


def evaluate_events(items: list[dict[str, Any]], full: bool = False) -> EventScores:
    """Score the event reader on gold items (see the module docstring)."""
    stages = _stages(full)
    scores = EventScores()
    names = list(EVENT_TYPES) + list(GROUPS)
    for name in names:
        scores.counts[name] = [0, 0, 0]
    for name in FIGURES:
        scores.figures[name] = [0, 0, 0]
    for it in items:
        scores.items += 1
        article = analyse_sentence(it["text"], stages)
        pred = {e.type for e in article.events}
        gold = {e["type"] for e in it.get("events", [])}
        by_type: dict[str, tuple[bool, bool]] = {}
        by_figure: dict[str, tuple[bool, bool]] = {}
        scores.outcomes.append((by_type, by_figure))
        for name in names:
            members = set(GROUPS.get(name, (name,)))
            p, g = bool(pred & members), bool(gold & members)
            by_type[name] = (p, g)
            c = scores.counts[name]
            if p and g:
                c[0] += 1
            elif p:
                c[1] += 1
                if name not in GROUPS:
                    scores.errors.append(f"{it['id']}: spurious {name}")
            elif g:
                c[2] += 1
                if name not in GROUPS:
                    scores.errors.append(f"{it['id']}: missed {name}")
        for name in FIGURES:
            values = [getattr(e, name) for e in article.events if getattr(e, name) is not None]
            got = sum(values) if values else None
            want = it.get(name)
            f = scores.figures[name]
            by_figure[name] = (want is not None, want is not None and got == want)
            if want is not None:
                f[0] += 1
                if got == want:
                    f[1] += 1
                else:
                    scores.errors.append(f"{it['id']}: {name} {got} (gold {want})")
            elif got is not None:
                f[2] += 1
                scores.errors.append(f"{it['id']}: {name} {got} (gold none)")
    return scores


def format_scores(s: EventScores, resamples: int = 1000) -> str:
    ci = s.intervals(resamples) if resamples > 0 else {}

    def interval(name: str) -> str:
        return f"   [{ci[name][0]:.2f}, {ci[name][1]:.2f}]" if name in ci else ""

    head = "   95% CI" if ci else ""
    lines = [f"sentences {s.items}", f"{'type':<30}{'support':>8}{'P':>8}{'R':>8}{'F1':>8}{head}"]
    for name in list(EVENT_TYPES) + list(GROUPS):
        p, r, f = s.prf(name)
        lines.append(f"{name:<30}{s.support(name):>8}{p:>8.3f}{r:>8.3f}{f:>8.3f}{interval(name)}")
    lines.append(f"{'figure':<30}{'stated':>8}{'exact':>8}{'acc':>8}{'extra':>8}{head}")
    for name in FIGURES:
        stated, exact, spurious = s.figures[name]
        lines.append(f"{name:<30}{stated:>8}{exact:>8}{s.figure_accuracy(name):>8.3f}{spurious:>8}{interval(name)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``marsad eval events [SET...] [--full] [--errors]``: print the scores."""
    ap = argparse.ArgumentParser(prog="marsad eval events", description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*", default=[str(DEFAULT_SET)], help="evaluation files (JSON Lines)")
    ap.add_argument("--full", action="store_true", help="run the entity and place stages too")
    ap.add_argument("--errors", action="store_true", help="list every error")
    ap.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                    help="resamples for the 95%% confidence intervals (0: none; default 1000)")
    args = ap.parse_args(list(argv) if argv is not None else None)
    for path in args.sets:
        try:
            items = load_set(path)
        except (OSError, ValueError) as exc:
            print(f"marsad eval events: {exc}", file=sys.stderr)
            return 2
        s = evaluate_events(items, full=args.full)
        print(f"== {path}")
        print(format_scores(s, args.bootstrap))
        if args.errors:
            print("\n".join(s.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
