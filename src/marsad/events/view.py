"""A sentence seen as its content tokens, with the reach of modality markers.

Both readers (attribution and events) work on :class:`SentenceView`: the
non-clitic tokens of one sentence, each with its position, and helpers to
match the phrase lists of :mod:`marsad.events.lexicon`.

:func:`modality_scopes` tells, for each content position, whether a marker
of negation, future, hypothesis, intent or call governs it (the event there
is not asserted) and whether a background marker does.  A marker governs the
words after it up to its reach (``modality.tsv``), stopping at a clause
boundary (a condition or a hypothesis reaches over commas); a negation also
stops at a word of cause or time, so that in ``لم يسفر القصف عن مقتل أحد``
the shelling stays asserted (only what follows عن is negated).  A marker right after رغم governs nothing.  Two markers are
read by rule: the future prefix سـ on a verb (``سيشن``: the rest must be a
known word of the lexicon, which ``سيارة`` or ``سيطرة`` are not) and قد before
an imperfect verb (``قد يرتكبون``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from marsad.arabic.lexicon import load_lexicon
from marsad.documents import Sentence, Token
from marsad.events.lexicon import EventLexicon, Marker, PhraseIndex, has_conjunction

__all__ = ["SentenceView", "Scopes", "modality_scopes", "CLAUSE_PUNCT", "QUOTES", "SUPPRESSING"]

CLAUSE_PUNCT = frozenset("،,؛;:.!?؟")
QUOTES = frozenset("«»“”„\"'‹›")
SUPPRESSING = frozenset({"negation", "future", "hypothetical", "intent", "call"})


@dataclass
class SentenceView:
    """The tokens of one sentence; ``content`` holds the indices (into
    ``tokens``) of its non-clitic tokens, punctuation included."""

    tokens: list[Token]
    sentence: Sentence
    content: list[int] = field(default_factory=list)
    cache: dict[int, list[str]] = field(default_factory=dict)  # token index -> match keys

    @classmethod
    def of(cls, tokens: list[Token], sentence: Sentence) -> SentenceView:
        idx = [i for i in range(sentence.token_start, sentence.token_end) if tokens[i].kind != "clitic"]
        return cls(tokens, sentence, idx)

    def __len__(self) -> int:
        return len(self.content)

    def tok(self, p: int) -> Token:
        return self.tokens[self.content[p]]

    def is_punct(self, p: int) -> bool:
        return self.tok(p).kind == "punct"

    def is_boundary(self, p: int) -> bool:
        t = self.tok(p)
        return t.kind == "punct" and t.text in CLAUSE_PUNCT

    def clitics_before(self, p: int) -> tuple[str, ...]:
        """The proclitics written on the token at ``p`` (normalised letters)."""
        i = self.content[p]
        out = []
        j = i - 1
        while j >= self.sentence.token_start and self.tokens[j].kind == "clitic" \
                and self.tokens[j].end == self.tokens[j + 1].start:
            out.append(self.tokens[j].norm)
            j -= 1
        return tuple(reversed(out))

    def conjoined(self, p: int) -> bool:
        """The token at ``p`` carries و or ف: recorded on a word (``وأصيب``), or
        a clitic token before a number, which records none (``و3``)."""
        return has_conjunction(self.tok(p)) or bool({"و", "ف"} & set(self.clitics_before(p)))

    def match(self, index: PhraseIndex, p: int) -> tuple[int, object] | None:
        """The longest phrase of ``index`` at content position ``p``: returns
        the content position after it and the phrase's value."""
        r = index.match(self.tokens, self.content[p], self.sentence.token_end, self.cache)
        if r is None:
            return None
        end_tok, value = r
        q = p
        while q < len(self.content) and self.content[q] < end_tok:
            q += 1
        return q, value

    def find_all(self, index: PhraseIndex) -> list[tuple[int, int, object]]:
        """Non-overlapping longest matches, left to right: (start, end, value)."""
        out = []
        p = 0
        n = len(self.content)
        while p < n:
            m = self.match(index, p)
            if m is None:
                p += 1
                continue
            out.append((p, m[0], m[1]))
            p = max(m[0], p + 1)
        return out

    def names(self, index: PhraseIndex) -> set[str]:
        """The values of every phrase of ``index`` found anywhere in the sentence."""
        out: set[str] = set()
        end = self.sentence.token_end
        for i in self.content:
            for _, value, _ in index.match_all(self.tokens, i, end, self.cache):
                out.add(str(value))
        return out

    def has(self, index: PhraseIndex | None) -> bool:
        if index is None:
            return False
        return any(self.match(index, p) is not None for p in range(len(self.content)))

    def host_start(self, p: int, index: PhraseIndex) -> int:
        """Where the word at ``p`` starts once a و the tokenizer left on it is
        set aside, when only the word without it is in ``index`` (``وأضاف``)."""
        t = self.tok(p)
        if t.kind != "word" or t.proclitics or not t.norm.startswith("و") or len(t.norm) < 4:
            return t.start
        if (t.stem or t.norm) in index.by_first:
            return t.start
        k = t.start + 1
        while k < t.end and unicodedata.category(t.text[k - t.start])[0] == "M":
            k += 1
        return k

    def stem(self, p: int) -> str:
        t = self.tok(p)
        return t.stem or t.norm


@dataclass
class Scopes:
    """Per content position: the suppressing markers that govern it (kind and
    marker text) and whether a background marker does."""

    suppressed: dict[int, str] = field(default_factory=dict)
    background: set[int] = field(default_factory=set)


def _future_prefix(tok: Token) -> bool:
    """A verb with the future prefix سـ (سيشن، ستساعد, سنرد)."""
    n = tok.norm
    if tok.kind != "word" or len(n) < 4 or n[0] != "س" or n[1] not in "يتن":
        return False
    counts = load_lexicon().counts
    rest = n[1:]
    return counts.get(rest, 0) > 0 and counts.get(rest, 0) >= counts.get(n, 0)


def _reach(view: SentenceView, lex: EventLexicon, p: int, end: int, marker: Marker) -> range:
    """Content positions a marker at ``[p, end)`` governs."""
    n = len(view)
    if marker.reach < 0:
        q = p
        count = 0
        while q > 0 and count < -marker.reach:
            q -= 1
            if view.is_boundary(q):
                q += 1
                break
            if not view.is_punct(q):
                count += 1
        return range(q, p)
    stops = {"boundary"} | ({"cause"} if marker.kind == "negation" else set())
    q = end
    count = 0
    if marker.kind == "negation" and end < n:
        first = view.match(lex.markers, end)
        if first is not None and isinstance(first[1], Marker) and first[1].kind == "cause":
            # لم يسفر الانفجار عن مقتل أحد: what the verb did not bring about is negated
            k = end + 1
            while k < n and k - end <= 4 and view.tok(k).norm not in ("عن", "الى") and not view.is_boundary(k):
                k += 1
            if k >= n or view.tok(k).norm not in ("عن", "الى"):
                return range(end, end)
            q = k + 1
            start = q
            while q < n and count < marker.reach and not view.is_boundary(q):
                if not view.is_punct(q):
                    count += 1
                q += 1
            return range(start, q)
    while q < n and count < marker.reach:
        if view.is_boundary(q) and not (marker.kind == "hypothetical" and view.tok(q).text in ("،", ",")):
            break
        m = view.match(lex.markers, q)
        if m is not None and isinstance(m[1], Marker) and m[1].kind in stops:
            # a negated verb of cause (لم يسفر) governs nothing after it
            break
        if not view.is_punct(q):
            count += 1
        q += 1
    return range(end, q)


def modality_scopes(view: SentenceView, lex: EventLexicon) -> Scopes:
    """The modality scopes of a sentence (see the module docstring)."""
    scopes = Scopes()
    n = len(view)
    p = 0
    while p < n:
        tok = view.tok(p)
        m = view.match(lex.markers, p)
        marker: Marker | None = m[1] if m is not None and isinstance(m[1], Marker) else None
        end = m[0] if m is not None else p + 1
        if marker is None and _future_prefix(tok):
            marker, end = Marker(tok.text, "future", 6), p
        if marker is None and tok.norm == "قد" and p + 1 < n and view.tok(p + 1).norm[:1] in "يت" \
                and view.tok(p + 1).kind == "word":
            marker = Marker("قد", "hypothetical", 8)
        if marker is not None and p > 0 and view.tok(p - 1).norm == "رغم":
            marker = None  # رغم دعوات التهدئة: conceded, not governing
        if marker is not None and marker.kind in SUPPRESSING | {"background"}:
            for q in _reach(view, lex, p, end, marker):
                if marker.kind == "background":
                    scopes.background.add(q)
                else:
                    scopes.suppressed.setdefault(q, f"{marker.kind}:{marker.form}")
        p = max(end, p + 1)
    return scopes
