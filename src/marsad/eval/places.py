"""Evaluation of place resolution on annotated sets (``marsad eval places``).

A set is JSON Lines (lines starting with ``#`` are comments), one document a
line: ``id``, ``text``, ``entities`` (gold spans with ``start``, ``end``,
``label``) and ``places``: one item per gold LOC mention with ``start``,
``end``, ``kind`` (``country``, ``region``, ``city``, ``site``, or ``none``
when it is not a place on the map), ``country_code`` (or null) and ``lat``,
``lon`` (or null), and ``also``: more points, each one right, for a mention
that names several places.  See ``tests/data/places_eval/make_sets.py``.

The resolver runs on each document with the gold entities (``--entities
gold``, the default: it measures the geocoder alone), with the entity
stage's own (``model``), or with none (``none``: cue words and names alone).
The figures, a predicted place matching a gold mention when their spans overlap:

* mention recall: gold place mentions (kind not ``none``) with a resolved place;
* precision: resolved places that match a gold place mention (a place resolved
  on a ``none`` mention or outside every gold mention counts against it);
* accuracy within 161 km, over resolved places that match a gold mention: a
  city or site is right within 161 km (100 miles) of the gold point; a country
  or region (no single point) is right when the country code is;
* the same for cities and sites alone, and country accuracy (same code).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.arabic.sentences import split_sentences
from marsad.arabic.tokenize import tokenize
from marsad.documents import Article, Entity
from marsad.enrich.places import PlaceConfig, PlaceStage
from marsad.eval.common import load_set, overlap
from marsad.gazetteer.sources import distance_km

__all__ = ["PlaceScores", "load_set", "evaluate", "main", "DEFAULT_SET", "DEV_SET", "KM"]

_SETS = Path(__file__).resolve().parents[3] / "tests" / "data" / "places_eval"
DEFAULT_SET = _SETS / "test.jsonl"
DEV_SET = _SETS / "dev.jsonl"
KM = 161.0


@dataclass
class PlaceScores:
    documents: int = 0
    gold: int = 0  # gold place mentions (kind not none)
    gold_found: int = 0
    predicted: int = 0
    predicted_right_span: int = 0  # overlaps a gold place mention
    judged: int = 0  # matched predictions with something to judge them by
    correct: int = 0
    judged_points: int = 0  # cities and sites
    correct_points: int = 0
    judged_country: int = 0
    correct_country: int = 0
    errors: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    @property
    def recall(self) -> float:
        return self._ratio(self.gold_found, self.gold)

    @property
    def precision(self) -> float:
        return self._ratio(self.predicted_right_span, self.predicted)

    @property
    def accuracy(self) -> float:
        return self._ratio(self.correct, self.judged)

    @property
    def accuracy_points(self) -> float:
        return self._ratio(self.correct_points, self.judged_points)

    @property
    def accuracy_country(self) -> float:
        return self._ratio(self.correct_country, self.judged_country)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "gold_mentions": self.gold,
            "predicted": self.predicted,
            "mention_recall": round(self.recall, 4),
            "precision": round(self.precision, 4),
            "accuracy_161km": round(self.accuracy, 4),
            "accuracy_161km_points": round(self.accuracy_points, 4),
            "accuracy_country": round(self.accuracy_country, 4),
            "judged": self.judged,
            "judged_points": self.judged_points,
        }

    def format(self) -> str:
        return "\n".join([
            f"documents                  {self.documents}",
            f"gold place mentions        {self.gold}",
            f"resolved places            {self.predicted}",
            f"mention recall             {self.recall:.3f}  ({self.gold_found}/{self.gold})",
            f"precision                  {self.precision:.3f}  ({self.predicted_right_span}/{self.predicted})",
            f"accuracy within {KM:.0f} km     {self.accuracy:.3f}  ({self.correct}/{self.judged})",
            f"  cities and sites         {self.accuracy_points:.3f}  ({self.correct_points}/{self.judged_points})",
            f"accuracy by country        {self.accuracy_country:.3f}  ({self.correct_country}/{self.judged_country})",
        ])



def _entity_stage() -> Any:
    """The entity stage of :mod:`marsad.enrich.entities`, if there is one."""
    try:
        mod = importlib.import_module("marsad.enrich.entities")
    except ImportError as exc:
        raise SystemExit(f"--entities model: no entity stage ({exc})") from exc
    for obj in vars(mod).values():
        if isinstance(obj, type) and "entities" in getattr(obj, "provides", ()) and hasattr(obj, "process"):
            return obj()
    raise SystemExit("--entities model: marsad.enrich.entities has no stage providing entities")


def _article(doc: dict[str, Any], entities: str, stage: Any) -> Article:
    text = doc["text"]
    art = Article(id=doc.get("id") or "", text=text, language="ar")
    art.tokens = tokenize(text)
    art.sentences = split_sentences(text, art.tokens)
    if entities == "gold":
        art.entities = [Entity(text[e["start"] : e["end"]], e["start"], e["end"], e["label"]) for e in doc["entities"]]
    elif entities == "model":
        (art,) = stage.process([art])
    return art


def evaluate(
    docs: Sequence[dict[str, Any]],
    entities: str = "gold",
    config: PlaceConfig | None = None,
    stage: PlaceStage | None = None,
) -> PlaceScores:
    """Score the resolver on ``docs`` (see the module docstring)."""
    places = stage or PlaceStage(config=config)
    ent_stage = _entity_stage() if entities == "model" else None
    s = PlaceScores()
    for doc in docs:
        art = _article(doc, entities, ent_stage)
        pred = places.places(art)
        gold = doc["places"]
        real = [g for g in gold if g["kind"] != "none"]
        s.documents += 1
        s.gold += len(real)
        s.predicted += len(pred)
        for g in real:
            if any(overlap(g, p) for p in pred):
                s.gold_found += 1
            else:
                s.errors.append(f"{doc['id']}\tmissed\t{g['text']}\t{g['kind']} {g['country_code']}")
        for p in pred:
            match = next((g for g in real if overlap(g, p)), None)
            if match is None:
                why = "on a non-place" if any(overlap(g, p) for g in gold) else "outside gold"
                s.errors.append(f"{doc['id']}\tspurious ({why})\t{p.text}\t{p.name} {p.country_code} {p.feature}")
                continue
            s.predicted_right_span += 1
            if match["country_code"]:
                s.judged_country += 1
                s.correct_country += p.country_code == match["country_code"]
            if match["kind"] in ("country", "region"):
                if match["country_code"]:
                    s.judged += 1
                    ok = p.country_code == match["country_code"]
                    s.correct += ok
                    if not ok:
                        s.errors.append(f"{doc['id']}\twrong country\t{p.text}\t{p.name} {p.country_code}"
                                        f" (gold {match['country_code']})")
            elif match["lat"] is not None:
                s.judged += 1
                s.judged_points += 1
                points = [(match["lat"], match["lon"]), *(tuple(a) for a in match.get("also", ()))]
                d = min(distance_km(p.lat or 0.0, p.lon or 0.0, la, lo) for la, lo in points)
                ok = d <= KM
                s.correct += ok
                s.correct_points += ok
                if not ok:
                    s.errors.append(f"{doc['id']}\twrong place\t{p.text}\t{p.name} {p.country_code} ({d:.0f} km off)")
    return s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="marsad eval places", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set", nargs="?", type=Path, default=DEFAULT_SET,
                    help=f"evaluation set (default: {DEFAULT_SET.name}; dev set: {DEV_SET})")
    ap.add_argument("--entities", choices=("gold", "model", "none"), default="gold",
                    help="entities the resolver starts from (default gold)")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--errors", action="store_true", help="list every miss and every wrong place on stderr")
    args = ap.parse_args(argv)
    try:
        docs = load_set(args.set)
    except (OSError, ValueError) as exc:
        print(f"marsad eval places: {exc}", file=sys.stderr)
        return 2
    scores = evaluate(docs, entities=args.entities)
    if args.errors:
        print("\n".join(scores.errors), file=sys.stderr)
    if args.json:
        print(json.dumps({"set": str(args.set), "entities": args.entities, **scores.to_dict()}, ensure_ascii=False))
    else:
        print(f"set {args.set}  (entities: {args.entities})")
        print(scores.format())
    return 0


if __name__ == "__main__":
    sys.exit(main())
