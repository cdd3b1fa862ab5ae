"""What the evaluation commands share: reading an evaluation set."""

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
