"""The event taxonomy is written once (marsad.events.lexicon.EVENT_TYPES); the
API schema and the dashboard spell it out and must agree with it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from marsad.api.models import EVENT_TYPES, EventType
from marsad.events.lexicon import EVENT_TYPES as TAXONOMY

DASHBOARD = Path(__file__).resolve().parents[2] / "src" / "marsad" / "dashboard" / "static" / "dashboard.js"


def test_api_types_are_the_taxonomy() -> None:
    assert EVENT_TYPES == tuple(TAXONOMY)
    assert get_args(EventType) == tuple(TAXONOMY)


def test_dashboard_knows_every_type_with_a_colour_and_both_labels() -> None:
    js = DASHBOARD.read_text(encoding="utf-8")
    listed = re.search(r"TYPES\s*=\s*\[([^\]]*)\]", js)
    assert listed, "the dashboard's TYPES list is missing"
    assert re.findall(r'"([a-z_]+)"', listed.group(1)) == list(TAXONOMY)
    for name in TAXONOMY:
        # a colour and an Arabic and an English label for each type
        assert len(re.findall(rf"\b{name}\s*:", js)) >= 3, name
