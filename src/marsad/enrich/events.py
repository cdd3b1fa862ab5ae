"""Events of every Arabic article, with their arguments and figures (``events.rules.v1``).

The rules, the added fields (``attribution``, ``displaced_unit``,
``background``) and the choices for place and date are documented in
:mod:`marsad.events.extract`; the word lists are in ``marsad/data/events``.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.documents import Article, Drop
from marsad.events.extract import find_events
from marsad.events.lexicon import EventLexicon, load_event_lexicon


@dataclass(frozen=True)
class EventConfig:
    """Nothing to tune yet: the trigger lexicon and markers live in ``marsad/data/events``."""


class EventStage:
    """Find events sentence by sentence with the rules of :mod:`marsad.events.extract`."""

    name = "events.rules.v1"
    requires = frozenset({"tokens", "sentences", "entities", "places", "dates", "attributions"})
    provides = frozenset({"events"})
    languages = frozenset({"ar"})

    def __init__(self, config: EventConfig = EventConfig(), lexicon: EventLexicon | None = None) -> None:
        self.config = config
        self.lexicon = lexicon or load_event_lexicon()

    def process(self, articles: list[Article]) -> list[Article | Drop]:
        for article in articles:
            article.events = find_events(article, self.lexicon)
        return list(articles)
