"""Dates of every Arabic article, resolved against its publication date."""

from __future__ import annotations

from dataclasses import dataclass

from marsad.arabic.dates import find_dates
from marsad.documents import Article, Drop


@dataclass(frozen=True)
class DateConfig:
    """Nothing to tune yet: the rules and word lists live in marsad/data."""


class DateStage:
    """Find the date expressions of the body and resolve them against ``published``."""

    name = "dates.rules.v1"
    requires = frozenset({"text", "published", "language"})
    provides = frozenset({"dates"})
    languages = frozenset({"ar"})

    def __init__(self, config: DateConfig = DateConfig()) -> None:
        self.config = config

    def process(self, articles: list[Article]) -> list[Article | Drop]:
        for article in articles:
            article.dates = find_dates(article.text, article.published)
        return list(articles)
