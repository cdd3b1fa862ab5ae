"""Reading the packaged data files (lexicons, patterns) under ``marsad/data``."""

from __future__ import annotations

from importlib import resources


def data_lines(folder: str, name: str) -> list[str]:
    """Non-empty, non-comment lines of the data file ``data/FOLDER/NAME``, newline stripped."""
    path = resources.files("marsad") / "data" / folder / name
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip() and not line.startswith("#"):
                out.append(line)
    return out
