"""Arabic tokens (clitic-aware, with offsets) and sentences for every Arabic article."""

from __future__ import annotations

from marsad.arabic.sentences import split_sentences
from marsad.arabic.tokenize import tokenize
from marsad.documents import Article, Drop


class TokenStage:
    """Split the body into clitic-aware tokens and sentences."""

    name = "arabic.tokens.v1"
    requires = frozenset({"text", "language"})
    provides = frozenset({"tokens", "sentences"})
    languages = frozenset({"ar"})

    def process(self, articles: list[Article]) -> list[Article | Drop]:
        for article in articles:
            article.tokens = tokenize(article.text)
            article.sentences = split_sentences(article.text, article.tokens)
        return list(articles)
