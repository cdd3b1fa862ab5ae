"""The word lists of the event and attribution readers, loaded once from
``marsad/data/events``, and the phrase matcher that finds them in tokens.

Every form in the lists is written as in print.  It is turned into the
normalised stems of :func:`marsad.arabic.tokenize.tokenize` (proclitics split
off, article removed), so that ``بالاشتباكات`` matches ``اشتباكات`` and
``وقف لإطلاق النار`` matches ``وقف إطلاق النار`` (clitic tokens are skipped
inside a phrase).  A token whose stem is not listed may still match through
its base without a pronoun suffix (``مقتله`` → ``مقتل``, ``مسيرتهم`` →
``مسيرة``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from marsad.arabic.tokenize import tokenize
from marsad.documents import Token
from marsad.resources import data_lines

__all__ = [
    "TriggerEntry", "Marker", "PhraseIndex", "EventLexicon", "load_event_lexicon",
    "read_event_lines", "phrase_stems", "token_keys", "match_keys", "key_matches", "has_conjunction", "EVENT_TYPES",
]

# The taxonomy of EVENTS.md: type -> its sub-types.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "battles": ("armed_clash", "government_regains_territory", "non_state_actor_overtakes_territory"),
    "explosions_remote_violence": (
        "air_drone_strike", "shelling_artillery_missile_attack", "suicide_bomb",
        "remote_explosive_landmine_ied", "grenade", "chemical_weapon",
    ),
    "violence_against_civilians": ("attack", "abduction_forced_disappearance", "sexual_violence"),
    "protests": ("peaceful_protest", "protest_with_intervention", "excessive_force_against_protesters"),
    "riots": ("violent_demonstration", "mob_violence"),
    "strategic_developments": (
        "arrests", "agreement", "headquarters_or_base_established", "looting_property_destruction",
        "non_violent_transfer_of_territory", "change_to_group_activity", "other",
    ),
    "displacement": ("flight", "evacuation", "arrival_in_camp", "return", "eviction"),
}

_PRONOUN_SUFFIXES = ("هما", "هم", "هن", "ها", "ه", "كم", "نا")


def read_event_lines(name: str) -> list[list[str]]:
    """Non-comment lines of ``data/events/NAME``, split on tabs."""
    return [line.split("\t") for line in data_lines("events", name)]


def phrase_stems(form: str) -> tuple[str, ...]:
    """The stems a form is matched on: its non-clitic tokens, article removed."""
    return tuple(t.stem or t.norm for t in tokenize(form) if t.kind != "clitic")


def _marbuta(form: str) -> tuple[bool, ...]:
    """For each word of a form: whether it ends with teh marbuta (ة)."""
    return tuple(_ends_with_marbuta(t) for t in tokenize(form) if t.kind != "clitic")


def _ends_with_marbuta(tok: Token) -> bool:
    return tok.text.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640").endswith("ة")


def key_matches(tok: Token, stem: str, marbuta: bool = False) -> bool:
    """Whether a token matches a lexicon stem.  A lexicon word written with
    ة matches a whole word only when the text writes ة too: ``مظاهره`` (its
    features) is not ``مظاهرة``; with a suffix it may (``مسيرتهم``)."""
    keys = list(token_keys(tok))
    if stem not in keys:
        return False
    if marbuta and keys[0] == stem and stem.endswith("ه") and not _ends_with_marbuta(tok):
        return stem in keys[1:]
    return True


def token_keys(tok: Token) -> Iterator[str]:
    """The stems a text token may match: its own, then its base without a
    pronoun suffix (a teh marbuta restored before it: مسيرتهم → مسيره), then,
    for a word the tokenizer left whole, its form without a leading و
    (``وجرح`` → ``جرح``)."""
    stem = tok.stem or tok.norm
    yield stem
    if tok.kind != "word":
        return
    yield from _suffix_bases(tok, stem)
    if len(stem) >= 4 and stem[0] == "و" and not tok.proclitics:
        rest = stem[1:]
        if rest.startswith("ال") and len(rest) >= 5:
            rest = rest[2:]
        yield rest
        yield from _suffix_bases(tok, rest)


def _suffix_bases(tok: Token, stem: str) -> Iterator[str]:
    feminine = tok.text.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652").endswith("ة")
    for suf in _PRONOUN_SUFFIXES:
        if suf == "ه" and feminine:
            continue  # تابعة is not تابع + ه
        if stem.endswith(suf) and len(stem) - len(suf) >= 3:
            base = stem[: -len(suf)]
            yield base
            if base.endswith("ت"):
                yield base[:-1] + "ه"
            break


def has_conjunction(tok: Token) -> bool:
    """Whether a token carries و or ف, split off, or و left on it (``وجرح``)."""
    return bool(set(tok.proclitics) & {"و", "ف"}) or (
        tok.kind == "word" and len(tok.norm) >= 4 and tok.norm[0] == "و" and not tok.proclitics)


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """A trigger form with what it signals."""

    form: str
    type: str
    sub_type: str | None
    flags: frozenset[str]
    needs: tuple[str, ...]  # context lists each of which must have a word in the sentence
    notes: str = ""
    unless: tuple[str, ...] = ()  # context lists none of whose words may stand near the trigger
    near: tuple[str, ...] = ()  # context lists each of which must have a word near the trigger


@dataclass(frozen=True, slots=True)
class Marker:
    """A modality or background marker and how far it reaches."""

    form: str
    kind: str
    reach: int


@dataclass
class PhraseIndex:
    """Phrases (tuples of stems) keyed by their first stem, longest first."""

    by_first: dict[str, list[tuple[tuple[str, ...], tuple[bool, ...], object]]] = field(default_factory=dict)

    def add_form(self, form: str, value: object) -> None:
        """Add a form written as in print."""
        self.add(phrase_stems(form), value, _marbuta(form))

    def add(self, stems: tuple[str, ...], value: object, marbuta: tuple[bool, ...] = ()) -> None:
        if not stems:
            return
        marbuta = marbuta if len(marbuta) == len(stems) else (False,) * len(stems)
        bucket = self.by_first.setdefault(stems[0], [])
        bucket.append((stems, marbuta, value))
        bucket.sort(key=lambda p: -len(p[0]))

    def match(self, tokens: Sequence[Token], i: int, end: int,
              cache: dict[int, list[str]] | None = None) -> tuple[int, object] | None:
        """The longest phrase starting at content token ``i`` (clitic tokens
        inside the phrase are skipped; it may not run past ``end``): returns
        the index after its last token and its value.  ``cache`` keeps the
        keys of tokens already seen (by token index)."""
        found = self.match_all(tokens, i, end, cache, first_key_only=True)
        if not found:
            return None
        return max(found, key=lambda m: m[2])[:2]

    def match_all(self, tokens: Sequence[Token], i: int, end: int, cache: dict[int, list[str]] | None = None,
                  first_key_only: bool = False) -> list[tuple[int, object, int]]:
        """Every phrase starting at content token ``i``: (end, value, words)."""
        tok = tokens[i]
        if tok.kind in ("clitic", "punct"):
            return []
        out: list[tuple[int, object, int]] = []
        for key in match_keys(tokens, i, cache):
            for stems, marbuta, value in self.by_first.get(key, ()):
                if not _key_ok(tokens, i, key, marbuta[0], cache):
                    continue
                j = i + 1
                ok = True
                for s, mb in zip(stems[1:], marbuta[1:], strict=True):
                    while j < end and tokens[j].kind == "clitic":
                        j += 1
                    if j >= end or not _key_ok(tokens, j, s, mb, cache):
                        ok = False
                        break
                    j += 1
                if ok:
                    out.append((j, value, len(stems)))
            if out and first_key_only:
                break
        return out


def match_keys(tokens: Sequence[Token], i: int, cache: dict[int, list[str]] | None) -> list[str]:
    """The match keys of ``tokens[i]``, kept in ``cache`` when given."""
    if cache is None:
        return list(token_keys(tokens[i]))
    keys = cache.get(i)
    if keys is None:
        keys = cache[i] = list(token_keys(tokens[i]))
    return keys


def _key_ok(tokens: Sequence[Token], i: int, stem: str, marbuta: bool, cache: dict[int, list[str]] | None) -> bool:
    keys = match_keys(tokens, i, cache)
    if stem not in keys:
        return False
    if marbuta and keys[0] == stem and stem.endswith("ه") and not _ends_with_marbuta(tokens[i]):
        return stem in keys[1:]
    return True


@dataclass
class EventLexicon:
    triggers: PhraseIndex
    trigger_entries: list[TriggerEntry]
    context: dict[str, PhraseIndex]
    context_all: PhraseIndex  # every context phrase, valued by its list's name
    markers: PhraseIndex
    figures: PhraseIndex  # value: role
    actors: PhraseIndex  # value: role
    attribution: dict[str, PhraseIndex]  # kind -> phrases (value: the form)


def _forms(field_: str) -> list[str]:
    return [f.strip() for f in field_.split("|") if f.strip()]


@lru_cache(maxsize=1)
def load_event_lexicon() -> EventLexicon:
    """The packaged lists (loaded on first use, then cached)."""
    triggers = PhraseIndex()
    entries: list[TriggerEntry] = []
    for cols in read_event_lines("triggers.tsv"):
        forms, type_, sub, flags = cols[0], cols[1], cols[2], cols[3]
        notes = cols[4] if len(cols) > 4 else ""
        flagset = frozenset() if flags == "-" else frozenset(f.strip() for f in flags.split(","))
        needs = tuple(sorted(f.split("=", 1)[1] for f in flagset if f.startswith("needs=")))
        unless = tuple(sorted(f.split("=", 1)[1] for f in flagset if f.startswith("unless=")))
        near = tuple(sorted(f.split("=", 1)[1] for f in flagset if f.startswith("near=")))
        plain = frozenset(f for f in flagset if not f.startswith(("needs=", "unless=", "near=")))
        for form in _forms(forms):
            e = TriggerEntry(form, type_, None if sub == "-" else sub, plain, needs, notes, unless, near)
            entries.append(e)
            triggers.add_form(form, e)
    context: dict[str, PhraseIndex] = {}
    context_all = PhraseIndex()
    for cols in read_event_lines("context.tsv"):
        idx = context.setdefault(cols[0], PhraseIndex())
        for form in _forms(cols[1]):
            idx.add_form(form, form)
            context_all.add_form(form, cols[0])
    markers = PhraseIndex()
    for cols in read_event_lines("modality.tsv"):
        for form in _forms(cols[0]):
            markers.add_form(form, Marker(form, cols[1], int(cols[2])))
    figures = PhraseIndex()
    for cols in read_event_lines("figures.tsv"):
        for form in _forms(cols[0]):
            figures.add_form(form, cols[1])
    actors = PhraseIndex()
    for cols in read_event_lines("actors.tsv"):
        for form in _forms(cols[0]):
            actors.add_form(form, cols[1])
    attribution: dict[str, PhraseIndex] = {}
    for cols in read_event_lines("attribution.tsv"):
        idx = attribution.setdefault(cols[1], PhraseIndex())
        for form in _forms(cols[0]):
            idx.add_form(form, form)
    return EventLexicon(triggers, entries, context, context_all, markers, figures, actors, attribution)
