"""The entity tagger's word lists, loaded once from ``marsad/data/ner``.

* ``places.tsv`` (GeoNames and CLDR Arabic names), ``person_names.tsv``
  (Wikidata given and family names): built by ``scripts/build_ner_lexicons.py``;
* ``organizations.txt`` (well-known organisations), ``cues.tsv`` (words that
  stand next to a name and hint at its type), ``name_parts.txt`` (أبو، بن،
  عبد …): compiled by hand.

Every entry is matched in the form given by :func:`bare`: the matching form
of :func:`marsad.arabic.normalize.normalize` without the definite article,
word by word, so that «الموصل» and «موصل» or «الأمم المتحدة» and «امم
متحده» meet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from marsad.arabic.normalize import normalize
from marsad.resources import data_lines

__all__ = ["Lexicons", "bare", "load_lexicons", "read_ner_data"]

# ال that does not mark a definite noun (normalised forms)
NOT_ARTICLE = frozenset(normalize(w) for w in (
    "الذي", "التي", "الذين", "اللذان", "اللذين", "اللتان", "اللتين", "اللاتي", "اللواتي",
    "اللائي", "الله", "الآن", "إلى", "إلا", "ألا", "الي", "الا", "الف", "ألف", "آلاف", "الاف",
    "التزام", "التقى", "التقي", "الغى", "ألغى", "ألقى", "القى", "الزم", "ألزم", "الم", "ألم",
))


def bare(word: str) -> str:
    """A normalised word without its definite article (``الموصل`` → ``موصل``)."""
    if word.startswith("ال") and len(word) >= 4 and word not in NOT_ARTICLE:
        return word[2:]
    return word


def read_ner_data(name: str) -> list[str]:
    """Non-empty, non-comment lines of the data file ``ner/NAME``."""
    return data_lines("ner", name)


def _key(name: str) -> tuple[str, ...]:
    return tuple(bare(w) for w in normalize(name).split())


@dataclass(slots=True)
class Lexicons:
    """Gazetteers indexed by their first word, plus cue words and name parts.

    ``entries`` maps the bare form of a name's first word to the names that
    start with it, as ``(rest of the words, type)`` pairs, longest first.
    Types are ``LOC``, ``PERG`` (given name), ``PERF`` (family name) and ``ORG``.
    """

    entries: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    cues: dict[str, str] = field(default_factory=dict)  # normalised word → PER/LOC/ORG/MISC
    name_parts: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()  # every bare word of every name

    def add(self, name: str, kind: str) -> None:
        key = _key(name)
        if not key or not all(key):
            return
        bucket = self.entries.setdefault(key[0], [])
        item = (key[1:], kind)
        if item not in bucket:
            bucket.append(item)

    def finish(self) -> None:
        words: set[str] = set()
        for first, items in self.entries.items():
            items.sort(key=lambda it: -len(it[0]))
            words.add(first)
            for rest, _ in items:
                words.update(rest)
        self.words = frozenset(words)

    def match(self, bares: list[str]) -> list[list[str]]:
        """Gazetteer tags per position: ``B-TYPE``/``I-TYPE`` for every name found
        (the longest one of each type starting at each position)."""
        out: list[list[str]] = [[] for _ in bares]
        n = len(bares)
        entries = self.entries
        for i, b in enumerate(bares):
            items = entries.get(b)
            if not items:
                continue
            seen: set[str] = set()
            for rest, kind in items:
                if kind in seen:
                    continue
                k = len(rest)
                if i + k >= n or (k and tuple(bares[i + 1:i + 1 + k]) != rest):
                    continue
                seen.add(kind)
                out[i].append("B-" + kind)
                for j in range(i + 1, i + 1 + k):
                    out[j].append("I-" + kind)
        return out


@lru_cache(maxsize=1)
def load_lexicons() -> Lexicons:
    """The packaged lexicons (loaded on first use, then cached)."""
    lex = Lexicons()
    for line in read_ner_data("places.tsv"):
        lex.add(line.split("\t")[0], "LOC")
    for line in read_ner_data("person_names.tsv"):
        name, role, _ = line.split("\t")
        lex.add(name, "PERG" if role == "given" else "PERF")
    for line in read_ner_data("organizations.txt"):
        lex.add(line.strip(), "ORG")
    lex.finish()
    lex.cues = {}
    for line in read_ner_data("cues.tsv"):
        word, kind = line.split("\t")
        lex.cues[normalize(word.strip())] = kind.strip()
    lex.name_parts = frozenset(normalize(w.strip()) for w in read_ner_data("name_parts.txt"))
    return lex
