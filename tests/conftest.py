"""Shared fixtures: paths to the shared data and a helper that checks offsets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_a5c194be6e581f29.txt"
TEST_DATA = Path(__file__).resolve().parent / "data"


def iter_spans(article: dict[str, Any]):
    """Every span-shaped object in an Article dict, with where it was found."""
    for key in ("entities", "places", "dates"):
        for s in article.get(key, []):
            yield key, s
    for a in article.get("attributions", []):
        yield "attribution.source", a["source"]
        yield "attribution.cue", a["cue"]
        for v in a.get("via", []):
            yield "attribution.via", v
        if a.get("content"):
            yield "attribution.content", a["content"]
    for e in article.get("events", []):
        yield "event.trigger", e["trigger"]
        for s in e.get("actors", []) + e.get("targets", []):
            yield "event.arg", s


def assert_offsets(article: dict[str, Any]) -> None:
    text = article["text"]
    for where, s in iter_spans(article):
        assert text[s["start"]:s["end"]] == s["text"], f"{where}: {s}"
    for e in article.get("events", []):
        assert 0 <= e["sentence"]["start"] < e["sentence"]["end"] <= len(text)


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.fail(f"the shared seed article is missing: {SEED}")
    return SEED
