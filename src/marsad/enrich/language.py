"""Language identification of the article body (lingua, models shipped in the wheel)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from marsad.documents import Article, Drop

# Languages the detector chooses among: Arabic and the languages Arabic news
# sites most often also publish in, or that share the Arabic script.
CANDIDATES = (
    "ARABIC", "ENGLISH", "FRENCH", "PERSIAN", "URDU", "TURKISH", "GERMAN", "SPANISH",
    "RUSSIAN", "HEBREW", "ITALIAN", "INDONESIAN", "MALAY", "SOMALI",
)

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@lru_cache(maxsize=1)
def _detector():  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, name) for name in CANDIDATES if hasattr(Language, name)]
    return LanguageDetectorBuilder.from_languages(*langs).build()


@dataclass(frozen=True)
class LanguageConfig:
    sample_chars: int = 3000  # the detector reads at most this much of the body
    min_letters: int = 20  # fewer letters than this: language "und"


def detect_language(text: str, config: LanguageConfig = LanguageConfig()) -> str:
    """ISO 639-1 code of ``text``'s language, or ``und`` when it cannot be told."""
    sample = text[: config.sample_chars]
    if len(_LETTER.findall(sample)) < config.min_letters:
        return "und"
    lang = _detector().detect_language_of(sample)
    if lang is None:
        return "und"
    return lang.iso_code_639_1.name.lower()


class LanguageStage:
    """Identify the body's language; non-Arabic articles skip the Arabic stages."""

    name = "language.lingua.v1"
    requires = frozenset({"text"})
    provides = frozenset({"language"})
    languages = None

    def __init__(self, config: LanguageConfig = LanguageConfig()) -> None:
        self.config = config

    def process(self, articles: list[Article]) -> list[Article | Drop]:
        for article in articles:
            article.language = detect_language(article.text, self.config)
        return list(articles)
