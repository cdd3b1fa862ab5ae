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

from marsad import __version__
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


def _split_hosts(value: str) -> tuple[str, ...]:
    """``"a.example, 127.0.0.1"`` → ``("a.example", "127.0.0.1")``."""
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    db: Path = Path("marsad.db")
    workers: int = 1
    batch_size: int = 16
    max_bytes: int = 20_000_000  # larger inputs are refused with too_large
    doc_time_limit: float = 60.0  # seconds of analysis per document
    published: str | None = None  # anchor date for inputs that carry none
    api_token: str | None = None  # required by API endpoints that change data
    # fetching pages and feeds from the web (marsad watch)
    allow_hosts: tuple[str, ...] = ()  # hosts fetched even if private or loopback (env: comma-separated)
    user_agent: str = f"marsad/{__version__} (Arabic news monitor; robots.txt-aware)"
    fetch_timeout: float = 20.0  # seconds per connect/read; a whole response gets four times this
    fetch_max_bytes: int = 5_000_000  # larger responses are cut off and refused with too_large
    fetch_retries: int = 2  # further attempts after a timeout, a connection error or a 5xx/429
    retry_backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    host_delay: float = 1.0  # seconds between two requests to one host (robots.txt Crawl-delay may raise it)
    host_concurrency: int = 2  # requests in flight to one host at most
    watch_interval: float = 900.0  # seconds between two polls of a feed

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
        if isinstance(self.allow_hosts, str):
            object.__setattr__(self, "allow_hosts", _split_hosts(self.allow_hosts))
        object.__setattr__(self, "allow_hosts", tuple(h.strip().lower() for h in self.allow_hosts if h.strip()))
        for name in ("fetch_timeout", "watch_interval"):
            if getattr(self, name) <= 0:
                raise MarsadError("bad_usage", f"{name} must be positive, not {getattr(self, name)}")
        for name in ("fetch_retries", "retry_backoff", "host_delay"):
            if getattr(self, name) < 0:
                raise MarsadError("bad_usage", f"{name} must not be negative, not {getattr(self, name)}")
        for name in ("fetch_max_bytes", "host_concurrency"):
            if getattr(self, name) < 1:
                raise MarsadError("bad_usage", f"{name} must be at least 1, not {getattr(self, name)}")

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
            if kind is tuple:
                kind = _split_hosts
            try:
                values[f.name] = kind(raw)
            except (TypeError, ValueError):
                raise MarsadError(
                    "bad_usage", f"MARSAD_{f.name.upper()}={raw!r} is not a valid {kind.__name__}"
                ) from None
        if "db" in values:
            values["db"] = Path(values["db"])
        return cls(**values)
