"""Arabic-aware search: search terms, the query language, snippets.

The full-text index never sees raw text.  It holds the *search terms* of a
title and body: the stem of every word, number and Latin token (normalised,
without the definite article, clitics split off), so that ``الموصل``,
``بالموصل``, ``والموصل`` and ``للموصل`` all index as ``موصل`` and
``أمريكي``/``امريكي`` as one term.  Queries go through the same function.

The query language is small and forgiving:

- words are ANDed: ``داعش الموصل``;
- ``"..."`` is a phrase (an unclosed quote runs to the end of the query);
- ``OR`` (upper case, between two operands) makes an alternative:
  ``الموصل OR الرقة``;
- a trailing ``*`` asks for a prefix: ``تنظيم*``, ``"تنظيم الدو"*``;
- a leading ``-`` excludes: ``الموصل -داعش``, ``الموصل -"تنظيم داعش"``
  (a query needs at least one word that is not excluded).

Everything else is text: every term reaches FTS5 inside a quoted string, so
no user input can inject FTS5 syntax.  A query with no search term left
raises :class:`~marsad.errors.MarsadError` ``bad_query``.

Snippets are cut from the original text, not from the index: the stored
text is tokenised again and its token stems are matched against the query.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from marsad.arabic.tokenize import tokenize
from marsad.documents import Token
from marsad.errors import MarsadError

# Token kinds that carry search terms; punctuation and clitics do not.
INDEXED_KINDS = frozenset({"word", "number", "latin"})
MAX_QUERY_CHARS = 1000  # longer queries are refused, not truncated
MAX_CLAUSES = 64
SNIPPET_WORDS = 30  # words in a snippet window
SNIPPET_LEAD = 8  # words kept before the first match, when the window does not start the text
SNIPPET_TAIL = 10  # words wanted after the first match
ELLIPSIS = "…"
OR = "OR"


def term(token: Token) -> str:
    """The search term of ``token``, or ``""`` if it is not indexed."""
    if token.kind not in INDEXED_KINDS:
        return ""
    value = (token.stem or token.norm or token.text).lower()
    if token.kind == "latin":  # café and cafe are one term
        value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
        value = unicodedata.normalize("NFC", value)
    return value.strip()


def search_terms(text: str | None) -> list[str]:
    """The search terms of ``text``, in order."""
    if not text:
        return []
    return [t for t in (term(tok) for tok in tokenize(text)) if t]


def index_text(text: str | None) -> str:
    """What the full-text index stores for ``text``: its terms, space-joined."""
    return " ".join(search_terms(text))


@dataclass(frozen=True, slots=True)
class Clause:
    """One operand: a single term or a phrase; ``prefix`` applies to the last term."""

    terms: tuple[str, ...]
    prefix: bool = False

    def fts(self) -> str:
        """The clause as an FTS5 string (quoted, so it is never parsed as syntax)."""
        body = " ".join(t.replace('"', '""') for t in self.terms)
        return f'"{body}"' + (" *" if self.prefix else "")

    def matches_at(self, terms: Sequence[str], i: int) -> bool:
        """Whether the clause matches ``terms`` starting at position ``i``."""
        n = len(self.terms)
        if i + n > len(terms):
            return False
        for k, want in enumerate(self.terms):
            got = terms[i + k]
            if k == n - 1 and self.prefix:
                if not got.startswith(want):
                    return False
            elif got != want:
                return False
        return True


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: every group must match (a group matches if any of its
    clauses does) and no excluded clause may."""

    text: str
    groups: tuple[tuple[Clause, ...], ...]
    exclude: tuple[Clause, ...] = ()

    @property
    def clauses(self) -> list[Clause]:
        """The clauses a matching document holds (not the excluded ones)."""
        return [c for g in self.groups for c in g]

    def fts(self) -> str:
        """The FTS5 MATCH expression, fully parenthesised and quoted."""
        expr = " AND ".join("(" + " OR ".join(c.fts() for c in group) + ")" for group in self.groups)
        if self.exclude:
            expr = f"({expr}) NOT (" + " OR ".join(f"({c.fts()})" for c in self.exclude) + ")"
        return expr


def _lex(query: str) -> list[tuple[str, str, bool, bool]]:
    """Split a query into ``(kind, text, prefix, negated)`` chunks; kind is word, phrase or or."""
    chunks: list[tuple[str, str, bool, bool]] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
            continue
        negated = c == "-" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] != "-"
        if negated:
            i += 1
            c = query[i]
        if c == '"':
            j = query.find('"', i + 1)
            if j < 0:
                j = n
            text = query[i + 1 : j]
            i = j + 1
            prefix = False
            while i < n and query[i] == "*":
                prefix = True
                i += 1
            chunks.append(("phrase", text, prefix, negated))
            continue
        j = i
        while j < n and not query[j].isspace() and query[j] != '"':
            j += 1
        word = query[i:j]
        i = j
        if word == OR and not negated:
            chunks.append(("or", word, False, False))
            continue
        stripped = word.rstrip("*")
        chunks.append(("word", stripped, len(stripped) < len(word), negated))
    return chunks


def parse_query(query: str) -> Query:
    """Parse a user query; raise ``bad_query`` if it holds no search term."""
    if not isinstance(query, str):
        raise MarsadError("bad_query", "the query must be a string", query)
    if len(query) > MAX_QUERY_CHARS:
        raise MarsadError("bad_query", f"the query is longer than {MAX_QUERY_CHARS} characters", query)
    items: list[Clause | str] = []
    exclude: list[Clause] = []
    for kind, text, prefix, negated in _lex(query):
        if kind == "or":
            items.append(OR)
            continue
        terms = search_terms(text)
        if terms and negated:
            exclude.append(Clause(tuple(terms), prefix))
        elif terms:
            items.append(Clause(tuple(terms), prefix))
    groups: list[list[Clause]] = []
    pending_or = False
    for item in items:
        if isinstance(item, str):  # OR; with no operand before it, it is ignored
            pending_or = bool(groups)
            continue
        if pending_or:
            groups[-1].append(item)
        else:
            groups.append([item])
        pending_or = False
    if not groups:
        what = "only excluded words" if exclude else "no searchable word"
        raise MarsadError("bad_query", f"the query holds {what}", query)
    if sum(len(g) for g in groups) + len(exclude) > MAX_CLAUSES:
        raise MarsadError("bad_query", f"the query has more than {MAX_CLAUSES} terms", query)
    return Query(query, tuple(tuple(g) for g in groups), tuple(exclude))


@dataclass(slots=True)
class SearchHit:
    """One article found by a search, with a snippet of its original text."""

    id: str
    title: str | None
    published: str | None
    snippet: str
    highlights: list[list[int]] = field(default_factory=list)  # [start, end] in snippet

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published,
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
        }


@dataclass(slots=True)
class SearchResult:
    """A page of search hits and the number of all matching articles."""

    items: list[SearchHit]
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {"items": [h.to_dict() for h in self.items], "total": self.total}


def _chunk_start(text: str, i: int) -> int:
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _chunk_end(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def snippet(text: str, query: Query, *, words: int = SNIPPET_WORDS) -> tuple[str, list[list[int]]]:
    """A window of ``text`` around the first match of ``query``, and its highlights.

    The window holds about ``words`` words, cut at whitespace, runs of
    whitespace collapsed to one space, with an ellipsis at each cut end.
    Highlights are ``[start, end]`` ranges in the returned snippet, one per
    matching word (with its attached clitics, so ``بالموصل`` is marked whole).
    If nothing in ``text`` matches (the title did), the window is the start.
    """
    if not text or not text.strip():
        return "", []
    tokens = tokenize(text)
    stream = [i for i, tok in enumerate(tokens) if term(tok)]  # indexes of indexed tokens
    terms = [term(tokens[i]) for i in stream]
    clauses = query.clauses
    matches: list[tuple[int, int]] = []  # (position in stream, length)
    for pos in range(len(terms)):
        for clause in clauses:
            if clause.matches_at(terms, pos):
                matches.append((pos, len(clause.terms)))
    if not stream:
        a, b = 0, len(text)
    else:
        first = matches[0][0] if matches else 0
        # start at the beginning if the match is early enough to show words after it
        lo = 0 if first <= words - SNIPPET_TAIL else first - SNIPPET_LEAD
        hi = min(len(stream), lo + words)
        lo = max(0, hi - words)
        # cut at whitespace; keep leading or trailing punctuation when no word is cut off
        a = 0 if lo == 0 else _chunk_start(text, tokens[stream[lo]].start)
        b = len(text) if hi == len(stream) else _chunk_end(text, tokens[stream[hi - 1]].end)
        matches = [(p, n) for p, n in matches if p >= lo and p + n <= hi]
    ranges: set[tuple[int, int]] = set()
    for pos, n in matches:
        for k in range(n):
            ti = stream[pos + k]
            start = tokens[ti].start
            j = ti
            while j > 0 and tokens[j - 1].kind == "clitic" and tokens[j - 1].end == tokens[j].start:
                j -= 1
                start = tokens[j].start
            ranges.add((max(start, a), min(tokens[ti].end, b)))
    return _render(text, a, b, sorted(ranges))


def _render(text: str, a: int, b: int, ranges: list[tuple[int, int]]) -> tuple[str, list[list[int]]]:
    """Cut ``text[a:b]``, collapse whitespace, add ellipses, map ``ranges`` into it."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    prefix = ELLIPSIS + " " if text[:a].strip() else ""
    suffix = " " + ELLIPSIS if text[b:].strip() else ""
    out: list[str] = [prefix]
    size = len(prefix)
    where: dict[int, int] = {}  # offset in text -> offset in snippet
    i = a
    while i < b:
        where[i] = size
        if text[i].isspace():
            j = i
            while j < b and text[j].isspace():
                where[j] = size
                j += 1
            out.append(" ")
            size += 1
            i = j
            continue
        out.append(text[i])
        size += 1
        i += 1
    where[b] = size
    out.append(suffix)
    highlights = [[where[s], where[e]] for s, e in ranges if s in where and e in where and s < e]
    return "".join(out), highlights
