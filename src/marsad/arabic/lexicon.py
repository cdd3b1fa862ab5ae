"""Word lists that the Arabic tokenizer consults, loaded once from
``marsad/data/arabic``.

* ``lexicon.tsv``: normalised word → count (ANERcorp train split plus words
  of Arabic place and calendar names), built by
  ``scripts/build_arabic_lexicon.py``;
* ``whole_words.txt``: words whose first letter looks like a proclitic
  (و ف ب ل ك) but belongs to the word (وادي، بلدية، وكالة), checked by hand;
* ``not_article.txt``: words beginning with ال whose ال is not the
  definite article (الذي، التزام، الف);
* ``short_hosts.tsv``: two-letter function words that proclitics attach to
  (وفي، بأن), with the proclitics each takes.

All entries are in the normalised form of :func:`marsad.arabic.normalize.normalize`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from marsad.arabic.normalize import normalize
from marsad.resources import data_lines

__all__ = ["ArabicLexicon", "load_lexicon", "read_data_lines"]


def read_data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of the data file ``arabic/NAME``."""
    return data_lines("arabic", name)


@dataclass(frozen=True, slots=True)
class ArabicLexicon:
    """Word counts and the two hand-checked exception lists."""

    counts: dict[str, int]
    whole_words: frozenset[str]
    not_article: frozenset[str]
    # two-letter hosts → the proclitic letters they take (في → و ف)
    short_hosts: dict[str, frozenset[str]]

    def count(self, word: str) -> int:
        return self.counts.get(word, 0)


@lru_cache(maxsize=1)
def load_lexicon() -> ArabicLexicon:
    """The packaged lexicon (loaded on first use, then cached)."""
    counts: dict[str, int] = {}
    for line in read_data_lines("lexicon.tsv"):
        word, _, n = line.partition("\t")
        counts[word] = int(n)
    whole = frozenset(normalize(line.split("\t")[0].strip()) for line in read_data_lines("whole_words.txt"))
    not_article = frozenset(normalize(line.split("\t")[0].strip()) for line in read_data_lines("not_article.txt"))
    short: dict[str, frozenset[str]] = {}
    for line in read_data_lines("short_hosts.tsv"):
        host, _, letters = line.partition("\t")
        key = normalize(host.strip())  # أن and إن share a normal form
        short[key] = short.get(key, frozenset()) | frozenset(letters.strip())
    return ArabicLexicon(counts, whole, not_article, short)
