"""Entity-level evaluation, as CoNLL's ``conlleval`` counts it.

An entity is a maximal run of ``B-X``/``I-X`` tags; an ``I-X`` that does not
continue an ``X`` entity starts a new one (conlleval's reading).  A predicted
entity is correct only when its span and its type both equal a gold one.
Precision, recall and F1 are micro-averaged over entities, overall and per
type.  The confusion summary sorts every error into one kind:

* ``type``: same span, other type;
* ``boundary``: the spans overlap but differ (whatever the types);
* ``missed``: a gold entity that no prediction overlaps;
* ``spurious``: a prediction that overlaps no gold entity.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Report", "entities", "evaluate", "eval_file"]

Chunk = tuple[int, int, str]  # start, end (exclusive), type


def entities(tags: list[str]) -> list[Chunk]:
    """The entities of one tag sequence as ``(start, end, type)``."""
    out: list[Chunk] = []
    start = -1
    kind = ""
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, t = tag.partition("-")
        if prefix not in ("B", "I") or not t:
            prefix, t = "O", ""
        inside = start >= 0
        if inside and (prefix != "I" or t != kind):
            out.append((start, i, kind))
            start = -1
        if prefix == "B" or (prefix == "I" and start < 0):
            start, kind = i, t
    return out


@dataclass
class Scores:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    @property
    def precision(self) -> float:
        return 100.0 * self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return 100.0 * self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 2),
            "recall": round(self.recall, 2),
            "f1": round(self.f1, 2),
            "gold": self.n_gold,
            "predicted": self.n_pred,
            "correct": self.tp,
        }


@dataclass
class Report:
    """Entity-level scores and the kinds of errors."""

    overall: Scores = field(default_factory=Scores)
    by_type: dict[str, Scores] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)  # type, boundary, missed, spurious
    type_confusions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, predicted)
    tokens: int = 0
    sentences: int = 0

    @property
    def f1(self) -> float:
        return self.overall.f1

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_dict(),
            "by_type": {t: s.to_dict() for t, s in sorted(self.by_type.items())},
            "errors": {k: self.errors.get(k, 0) for k in ("type", "boundary", "missed", "spurious")},
            "type_confusions": [
                {"gold": g, "predicted": p, "count": n} for (g, p), n in self.type_confusions.most_common()
            ],
            "tokens": self.tokens,
            "sentences": self.sentences,
        }

    def format(self) -> str:
        """A plain-text table, as printed by ``marsad eval ner``."""
        lines = [
            f"{self.sentences} sentences, {self.tokens} tokens, "
            f"{self.overall.n_gold} gold entities, {self.overall.n_pred} predicted",
            "",
            f"{'type':<8}{'precision':>10}{'recall':>9}{'F1':>8}{'gold':>7}{'pred':>7}{'correct':>9}",
        ]

        def row(name: str, s: Scores) -> str:
            return (
                f"{name:<8}{s.precision:>10.2f}{s.recall:>9.2f}{s.f1:>8.2f}"
                f"{s.n_gold:>7}{s.n_pred:>7}{s.tp:>9}"
            )

        for t in sorted(self.by_type):
            lines.append(row(t, self.by_type[t]))
        lines.append(row("overall", self.overall))
        lines.append("")
        lines.append(
            "errors: "
            + ", ".join(f"{k} {self.errors.get(k, 0)}" for k in ("type", "boundary", "missed", "spurious"))
        )
        if self.type_confusions:
            lines.append(
                "type confusions (gold→predicted): "
                + ", ".join(f"{g}→{p} {n}" for (g, p), n in self.type_confusions.most_common(8))
            )
        return "\n".join(lines)


def evaluate(gold: list[list[str]], pred: list[list[str]]) -> Report:
    """Compare predicted BIO tags with gold ones, sentence by sentence."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    rep = Report()
    for g_tags, p_tags in zip(gold, pred, strict=True):
        if len(g_tags) != len(p_tags):
            raise ValueError(f"a sentence has {len(g_tags)} gold tags but {len(p_tags)} predicted")
        rep.sentences += 1
        rep.tokens += len(g_tags)
        g_ents = entities(list(g_tags))
        p_ents = entities(list(p_tags))
        g_set = set(g_ents)
        p_set = set(p_ents)
        for e in g_ents:
            rep.by_type.setdefault(e[2], Scores()).n_gold += 1
        for e in p_ents:
            rep.by_type.setdefault(e[2], Scores()).n_pred += 1
        rep.overall.n_gold += len(g_ents)
        rep.overall.n_pred += len(p_ents)
        for e in p_ents:
            if e in g_set:
                rep.overall.tp += 1
                rep.by_type[e[2]].tp += 1
        # error kinds
        g_spans = {(s, e): t for s, e, t in g_ents}
        for start, end, t in p_ents:
            if (start, end, t) in g_set:
                continue
            gt = g_spans.get((start, end))
            if gt is not None:
                rep.errors["type"] += 1
                rep.type_confusions[(gt, t)] += 1
            elif any(gs < end and start < ge for gs, ge, _ in g_ents):
                rep.errors["boundary"] += 1
            else:
                rep.errors["spurious"] += 1
        for start, end, _ in g_ents:
            if not any(ps < end and start < pe for ps, pe, _ in p_set):
                rep.errors["missed"] += 1
    return rep


def eval_file(path: str | Path, tagger_name: str = "default") -> Report:
    """Tag the tokens of a CoNLL file and score them against its gold column."""
    from marsad.errors import MarsadError
    from marsad.ner.conll import read_conll
    from marsad.ner.model import load_tagger

    sentences = read_conll(path)
    if any(tag is None for sent in sentences for _, tag in sent):
        raise MarsadError("bad_usage", f"{path}: every token line needs a gold tag column to evaluate", str(path))
    words = [[w for w, _ in sent] for sent in sentences]
    gold = [[t or "O" for _, t in sent] for sent in sentences]
    pred = load_tagger(tagger_name).tag(words)
    return evaluate(gold, pred)


def main(argv: list[str] | None = None) -> int:
    """``marsad eval ner FILE``: entity-level P/R/F1 of a tagger on a CoNLL file with gold tags."""
    import argparse
    import json
    import sys

    from marsad.errors import MarsadError

    ap = argparse.ArgumentParser(
        prog="marsad eval ner",
        description="Tag the tokens of a CoNLL file (token and gold tag per line, blank line between "
        "sentences) and print entity-level precision, recall and F1 (exact span and type, CoNLL-style), "
        "overall and per type, with a summary of the errors.",
        epilog="example: marsad eval ner ../shared/data/anercorp/ANERCorp_CamelLab_test.txt",
    )
    ap.add_argument("file", help="CoNLL file with a gold tag column")
    ap.add_argument("--tagger", default="default", help="packaged tagger to evaluate (default: default)")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    try:
        report = eval_file(args.file, args.tagger)
    except MarsadError as exc:
        print(f"marsad eval ner: {exc.message} [{exc.code}]", file=sys.stderr)
        return 2
    print(json.dumps(report.to_dict(), ensure_ascii=False) if args.json else report.format())
    return 0
