"""Named entities (PER, ORG, LOC, MISC) with the trained tagger (``entities.crf.v1``).

The tagger was trained on ANERcorp, whose words are whitespace words with
their proclitics attached (``وقال``، ``للاتحاد``) and punctuation apart.  The
project tokenizer splits proclitics off as tokens of their own, so each
sentence is first rebuilt into such words: a clitic token is joined to the
token it is written onto, every other token is a word.  Entities are mapped
back to character offsets from their first word's host token, so a span
never begins with a conjunction or preposition (``وبغداد`` → ``بغداد``) but
keeps the article (``بالموصل`` → ``الموصل``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from marsad.documents import Article, Drop, Entity, Token
from marsad.ner.evaluate import entities as bio_entities
from marsad.ner.model import Tagger, load_tagger

__all__ = ["EntityStage", "EntityConfig", "Word", "sentence_words"]


@dataclass(frozen=True)
class EntityConfig:
    tagger: str = "default"  # name of the packaged tagger artifact


class Word(NamedTuple):
    """A whitespace-level word rebuilt from tokens."""

    text: str
    start: int  # offset of the first token (its first clitic, if any)
    host_start: int  # offset of the first token that is not a clitic
    end: int


def sentence_words(text: str, tokens: list[Token]) -> list[Word]:
    """Rebuild ANERcorp-style words from a sentence's tokens: clitic tokens
    join the token written right after them."""
    words: list[Word] = []
    i = 0
    n = len(tokens)
    while i < n:
        start = tokens[i].start
        j = i
        # a run of clitics, each written onto the next token (not onto
        # punctuation: لـ”الغارديان” keeps لـ apart, as ANERcorp would)
        while (j + 1 < n and tokens[j].kind == "clitic" and tokens[j].end == tokens[j + 1].start
               and tokens[j + 1].kind != "punct"):
            j += 1
        host = tokens[j]
        host_start = host.start if host.kind != "clitic" else start
        end = host.end
        words.append(Word(text[start:end], start, host_start, end))
        i = j + 1
    return words


class EntityStage:
    """Tag entities sentence by sentence, with document features per article."""

    name = "entities.crf.v1"
    requires = frozenset({"tokens", "sentences"})
    provides = frozenset({"entities"})
    languages = frozenset({"ar"})

    def __init__(self, tagger: Tagger | None = None, config: EntityConfig | None = None) -> None:
        self.config = config or EntityConfig()
        self._tagger = tagger

    @property
    def tagger(self) -> Tagger:
        if self._tagger is None:
            self._tagger = load_tagger(self.config.tagger)
        return self._tagger

    def _article_words(self, article: Article) -> list[list[Word]]:
        toks = article.tokens
        if not toks:
            return []
        sentences = article.sentences or []
        spans = [(s.token_start, s.token_end) for s in sentences if s.token_end > s.token_start]
        if not spans:
            spans = [(0, len(toks))]
        return [sentence_words(article.text, toks[a:b]) for a, b in spans]

    def process(self, articles: list[Article]) -> list[Article | Drop]:
        docs = [self._article_words(a) for a in articles]
        tagged = self.tagger.tag_documents([[[w.text for w in s] for s in doc] for doc in docs])
        for article, doc, tags in zip(articles, docs, tagged, strict=True):
            found: list[Entity] = []
            for words, sent_tags in zip(doc, tags, strict=True):
                for first, last, label in bio_entities(sent_tags):
                    start = words[first].host_start
                    end = words[last - 1].end
                    if end > start:
                        found.append(Entity(article.text[start:end], start, end, label))
            article.entities = found
        return list(articles)
