"""Language identification of the article body (lingua, models shipped in the wheel)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from marsad.documents import Article, Drop

# The languages the detector chooses among, by script: Arabic and the
# languages Arabic news sites most often also publish in, or that share the
# Arabic script.  Choosing the script first means a process loads only the
# models it needs (the Arabic-script ones load in ~40 ms, all of them in ~3 s).
CANDIDATES: dict[str, tuple[str, ...]] = {
    "arabic": ("ARABIC", "PERSIAN", "URDU"),
    "latin": ("ENGLISH", "FRENCH", "GERMAN", "SPANISH", "ITALIAN", "TURKISH", "INDONESIAN",
              "MALAY", "SOMALI"),
    "cyrillic": ("RUSSIAN", "UKRAINIAN"),
    "hebrew": ("HEBREW",),
}

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


_SCRIPTS: dict[str, re.Pattern[str]] = {
    "arabic": re.compile("[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]"),
    "latin": re.compile("[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]"),
    "cyrillic": re.compile("[\u0400-\u04FF]"),
    "hebrew": re.compile("[\u0590-\u05FF]"),
}


def main_script(sample: str) -> str | None:
    """The script most of ``sample``'s letters are written in, if one we know."""
    counts = {name: len(rx.findall(sample)) for name, rx in _SCRIPTS.items()}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else None


@cache
def _detector(script: str):  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    names = CANDIDATES[script]
    langs = [getattr(Language, name) for name in names if hasattr(Language, name)]
    if len(langs) == 1:  # lingua needs two candidates; a lone script means its language
        return None
    return LanguageDetectorBuilder.from_languages(*langs).build()


@dataclass(frozen=True)
class LanguageConfig:
    sample_chars: int = 1000  # the detector reads at most this much of the body
    min_letters: int = 20  # fewer letters than this: language "und"


def detect_language(text: str, config: LanguageConfig = LanguageConfig()) -> str:
    """ISO 639-1 code of ``text``'s language, or ``und`` when it cannot be told."""
    sample = text[: config.sample_chars]
    if len(_LETTER.findall(sample)) < config.min_letters:
        return "und"
    script = main_script(sample)
    if script is None:
        return "und"
    detector = _detector(script)
    if detector is None:
        return "he"
    # the detector knows only the main script's languages, so Latin names in
    # Arabic prose (or Arabic quotes in an English page) cannot sway it
    lang = detector.detect_language_of(sample)
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
