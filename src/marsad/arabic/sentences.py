"""Sentence splitting over tokens, with offsets into the text.

:func:`split_sentences` groups the tokens of :func:`marsad.arabic.tokenize.tokenize`
into sentences:

* a line break (paragraph) always ends a sentence;
* ``. ! ? ؟ ۔`` end a sentence, together with the closing quotes and
  brackets that follow them (``قال: "انتهى."``);
* ``؛`` (clause mark), ``:`` and ellipses (``..``, ``...``, ``…``, pauses
  in Arabic news style) do not;
* no split inside quotes « » “ ” „ " (Arabic texts often open with ” too)
  or brackets ( ) [ ] unless a paragraph break intervenes; a paragraph whose
  quotes and brackets do not balance is split as if it had none;
* a period after a single letter (``د.``, ``أ.``, ``J.``), after a listed
  abbreviation (``marsad/data/arabic/abbreviations.txt``) or after a number
  that opens the sentence (``1.`` in a list) does not end it; decimal points
  never do (``1.3`` is one number token).

Each sentence spans its first token's start to its last token's end, so it
never begins or ends with whitespace.
"""

from __future__ import annotations

from functools import lru_cache

from marsad.arabic.lexicon import read_data_lines
from marsad.arabic.normalize import normalize
from marsad.documents import Sentence, Token

__all__ = ["split_sentences"]

_TERMINATORS = frozenset({".", "!", "?", "؟", "\u06d4", "\u203c", "\u2047", "\u2048", "\u2049"})
_LINE_BREAKS = ("\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85")
_OPENERS = frozenset("«“„‹([")
_CLOSING_BRACKETS = frozenset(")]}")
_PAIRS = {"«": "»", "‹": "›", "“": "”", "„": "”", "”": "”", '"': '"', "(": ")", "[": "]"}


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(normalize(line.strip()) for line in read_data_lines("abbreviations.txt"))


def _has_break(gap: str) -> bool:
    return any(b in gap for b in _LINE_BREAKS)


def _closes(ch: str, stack: list[tuple[str, int]]) -> bool:
    return bool(stack) and _PAIRS.get(stack[-1][0]) == ch


def _update_quotes(ch: str, j: int, stack: list[tuple[str, int]]) -> None:
    """Track open quotes and brackets (with the index of the opening token);
    ” and " close an open quote, else open one."""
    if _closes(ch, stack):
        stack.pop()
    elif ch in _OPENERS or ch in ('"', "”"):
        stack.append((ch, j))


def _is_abbreviation(tokens: list[Token], j: int, first: int) -> bool:
    """Whether the period at ``tokens[j]`` follows an abbreviation."""
    if j == first:
        return False
    prev = tokens[j - 1]
    if prev.end != tokens[j].start:
        return False
    if prev.kind == "number":
        return j - 1 == first  # "1." opening a list item
    if prev.kind in ("word", "clitic", "latin") and len(prev.norm) == 1:
        return True
    return prev.norm in _abbreviations()


def _paragraph(text: str, tokens: list[Token], a: int, b: int) -> list[tuple[int, int]]:
    """Split the tokens ``[a, b)`` of one paragraph into ``(first, end)`` index ranges."""
    stack: list[tuple[str, int]] = []
    candidates: list[tuple[int, int]] = []  # (index after the boundary, quote depth)
    first = a
    j = a
    while j < b:
        tok = tokens[j]
        if tok.kind != "punct":
            j += 1
            continue
        ch = tok.text
        if ch in _TERMINATORS and not (ch == "." and _is_abbreviation(tokens, j, first)):
            k = j + 1
            inner = False  # the terminator closes a parenthesis opened mid-sentence
            while k < b and tokens[k].kind == "punct":
                nxt = tokens[k].text
                if _closes(nxt, stack):
                    opener, at = stack.pop()
                    inner = inner or (opener in "([" and at != first)
                elif not (nxt in _TERMINATORS or nxt in _CLOSING_BRACKETS or nxt in ("»", "›")):
                    break
                k += 1
            if not inner:
                candidates.append((k, len(stack)))
                first = k
            j = k
            continue
        _update_quotes(ch, j, stack)
        j += 1
    balanced = not stack
    cuts = [k for k, depth in candidates if k < b and (depth == 0 or not balanced)]
    ranges = []
    start = a
    for k in cuts:
        if k > start:
            ranges.append((start, k))
            start = k
    if start < b:
        ranges.append((start, b))
    return ranges


def split_sentences(text: str, tokens: list[Token]) -> list[Sentence]:
    """Sentences of ``text``, given its tokens (see the module docstring)."""
    out: list[Sentence] = []
    n = len(tokens)
    a = 0
    while a < n:
        b = a + 1
        while b < n and not _has_break(text[tokens[b - 1].end : tokens[b].start]):
            b += 1
        for s, e in _paragraph(text, tokens, a, b):
            out.append(Sentence(tokens[s].start, tokens[e - 1].end, s, e))
        a = b
    return out
