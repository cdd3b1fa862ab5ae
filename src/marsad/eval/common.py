"""What the evaluation commands share: reading an evaluation set, matching
spans, precision and recall."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def load_set(path: str | Path) -> list[dict[str, Any]]:
    """The items of a JSON Lines evaluation file (blank and ``#`` comment lines skipped)."""
    items = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON: {exc}") from exc
    return items


def prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 when matches are counted on each side (overlap matching:
    ``tp_pred`` predictions match some gold item, ``tp_gold`` gold items are matched).
    An empty side scores 1.0."""
    p = tp_pred / n_pred if n_pred else 1.0
    r = tp_gold / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def overlap(gold: dict[str, Any], found: Any) -> bool:
    """A gold span (a dict with ``start`` and ``end``) and a found one (a dict,
    or an object with ``start`` and ``end``: a Span, a Place, a DateMention)
    share at least one character."""
    fs, fe = (found["start"], found["end"]) if isinstance(found, dict) else (found.start, found.end)
    return gold["start"] < fe and fs < gold["end"]
