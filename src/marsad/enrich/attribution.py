"""Reported speech of every Arabic article: who said what, through whom (``attribution.rules.v1``)."""

from __future__ import annotations

from dataclasses import dataclass

from marsad.documents import Article, Drop
from marsad.events.attribution import find_attributions
from marsad.events.lexicon import EventLexicon, load_event_lexicon


@dataclass(frozen=True)
class AttributionConfig:
    """Nothing to tune yet: the cue words live in ``marsad/data/events/attribution.tsv``."""


class AttributionStage:
    """Find attributions (source, relays, cue, content) with the rules of
    :mod:`marsad.events.attribution`."""

    name = "attribution.rules.v1"
    requires = frozenset({"tokens", "sentences", "entities"})
    provides = frozenset({"attributions"})
    languages = frozenset({"ar"})

    def __init__(self, config: AttributionConfig = AttributionConfig(), lexicon: EventLexicon | None = None) -> None:
        self.config = config
        self.lexicon = lexicon or load_event_lexicon()

    def process(self, articles: list[Article]) -> list[Article | Drop]:
        for article in articles:
            article.attributions = find_attributions(article, self.lexicon)
        return list(articles)
