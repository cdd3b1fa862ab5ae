"""Typed settings, built explicitly and validated when built (never at import).

Values come from keyword arguments (the CLI), then ``MARSAD_*`` environment
variables, then defaults.  A bad value fails at once with the variable's name.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from marsad.errors import MarsadError


def parse_iso_date(value: str) -> str:
    """Return ``value`` as ``YYYY-MM-DD`` or raise ``bad_date``.

    Accepts a date or a date-time (``2016-10-20T08:00:00Z``); the time is
    dropped.
    """
    text = value.strip()
    try:
        if len(text) > 10:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise MarsadError("bad_date", f"not an ISO 8601 date: {value!r}", value) from None


@dataclass(frozen=True)
class Settings:
    db: Path = Path("marsad.db")
    workers: int = 1
    batch_size: int = 16
    max_bytes: int = 20_000_000  # larger inputs are refused with too_large
    doc_time_limit: float = 60.0  # seconds of analysis per document
    published: str | None = None  # anchor date for inputs that carry none
    api_token: str | None = None  # required by API endpoints that change data

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise MarsadError("bad_usage", f"workers must be at least 1, not {self.workers}")
        if self.batch_size < 1:
            raise MarsadError("bad_usage", f"batch_size must be at least 1, not {self.batch_size}")
        if self.max_bytes < 1:
            raise MarsadError("bad_usage", f"max_bytes must be positive, not {self.max_bytes}")
        if self.doc_time_limit <= 0:
            raise MarsadError("bad_usage", f"doc_time_limit must be positive, not {self.doc_time_limit}")
        if self.published is not None:
            object.__setattr__(self, "published", parse_iso_date(self.published))

    @classmethod
    def build(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``overrides`` (None values ignored), then ``MARSAD_*`` env vars."""
        env = dict(os.environ) if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            if overrides.get(f.name) is not None:
                values[f.name] = overrides[f.name]
                continue
            raw = env.get(f"MARSAD_{f.name.upper()}")
            if raw is None:
                continue
            kind: Any = type(f.default) if f.default is not None else str
            try:
                values[f.name] = kind(raw)
            except (TypeError, ValueError):
                raise MarsadError(
                    "bad_usage", f"MARSAD_{f.name.upper()}={raw!r} is not a valid {kind.__name__}"
                ) from None
        if "db" in values:
            values["db"] = Path(values["db"])
        return cls(**values)
