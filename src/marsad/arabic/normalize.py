"""The matching form of Arabic text.

:func:`normalize` maps text to the form used for matching words against
lexicons, gazetteers and the search index.  It is never used for output:
offsets always point into the original text, and :func:`normalize_with_map`
tells, for each normalised character, which original character it came from.

The rules, each applied to one character at a time (so the result of a
string is the concatenation of the results of its characters):

* alef forms أ إ آ ٱ → ا; alef maqsura ى → ي; teh marbuta ة → ه;
  hamza on waw ؤ → و and on yeh ئ → ي; Farsi yeh ی → ي and keheh ک → ك
  (common in Arabic web text typed on Persian keyboards);
* tatweel ـ, harakat and other Arabic combining marks (U+0610–U+061A,
  U+064B–U+065F, U+0670, Quranic marks U+06D6–U+06ED, U+08D3–U+08FF) are removed;
* Arabic Presentation Forms (U+FB50–U+FDFF, U+FE70–U+FEFF) are folded with
  NFKC and then normalised (ﻻ → لا, ﻷ → لا, ﷲ → الله); isolated harakat forms
  vanish;
* bidi and other invisible format marks (U+200B–U+200F, U+202A–U+202E,
  U+2060–U+2064, U+2066–U+2069, U+FEFF, U+061C, U+00AD) are removed;
* Eastern Arabic ٠–٩ and Persian ۰–۹ digits become ASCII digits;
* Latin letters are lowercased.

Arabic punctuation (، ؛ ؟) and the Arabic decimal and thousands separators
(٫ ٬) are kept as they are.  The function is idempotent.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize", "normalize_with_map", "is_irregular"]

_LETTERS = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
    "\u06cc": "ي",  # Farsi yeh
    "\u06a9": "ك",  # keheh
}

_REMOVED_RANGES = (
    (0x0610, 0x061A),  # Arabic honorific and small high marks
    (0x064B, 0x065F),  # harakat, shadda, sukun, maddah, hamza above/below, ...
    (0x0670, 0x0670),  # superscript alef
    (0x06D6, 0x06ED),  # Quranic annotation marks
    (0x08D3, 0x08FF),  # Arabic Extended-A marks
    (0x0640, 0x0640),  # tatweel
    (0x200B, 0x200F),  # zero-width space/joiners, LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x2069),  # bidi isolates
    (0xFEFF, 0xFEFF),  # byte order mark / zero-width no-break space
    (0x061C, 0x061C),  # Arabic letter mark
    (0x00AD, 0x00AD),  # soft hyphen
)

_PRESENTATION_RANGES = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))

_LATIN_RANGES = ((0x0041, 0x024F), (0x1E00, 0x1EFF))


def _base_map() -> dict[str, str]:
    """Rules for single characters, before Presentation Forms are folded."""
    m: dict[str, str] = dict(_LETTERS)
    for lo, hi in _REMOVED_RANGES:
        for cp in range(lo, hi + 1):
            m[chr(cp)] = ""
    for i in range(10):
        m[chr(0x0660 + i)] = str(i)
        m[chr(0x06F0 + i)] = str(i)
    for lo, hi in _LATIN_RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            low = ch.lower()
            if low != ch and unicodedata.category(ch) == "Lu":
                m[ch] = low
    return m


def _apply(m: dict[str, str], s: str) -> str:
    return "".join(m.get(c, c) for c in s)


def _build() -> dict[str, str]:
    m = _base_map()
    for lo, hi in _PRESENTATION_RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if ch in m or unicodedata.category(ch) == "Cn":
                continue
            folded = unicodedata.normalize("NFKC", ch)
            if folded == ch:
                continue
            out = _apply(m, folded)
            # isolated forms of harakat fold to " " + mark: drop them entirely
            m[ch] = "" if not out.strip() else out
    # results must themselves be normal, so that normalize() is idempotent
    for k, v in list(m.items()):
        m[k] = _apply(m, v)
    return m


_MAP: dict[str, str] = _build()
_TABLE = str.maketrans({k: v for k, v in _MAP.items()})
# characters that do not map to exactly one character (removed or expanded)
_IRREGULAR = "".join(sorted(k for k, v in _MAP.items() if len(v) != 1))
_IRREGULAR_RE = re.compile("[" + re.escape(_IRREGULAR) + "]")


def normalize(text: str) -> str:
    """The matching form of ``text`` (see the module docstring)."""
    return text.translate(_TABLE)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """The matching form of ``text`` and, for each of its characters, the
    index in ``text`` of the character it came from.

    ``len(result) == len(index)``; the index is non-decreasing.  A span
    ``[i, j)`` of the normalised text covers ``text[index[i]:index[j - 1] + 1]``.
    """
    if not _IRREGULAR_RE.search(text):
        return text.translate(_TABLE), list(range(len(text)))
    out: list[str] = []
    index: list[int] = []
    get = _MAP.get
    for i, ch in enumerate(text):
        r = get(ch)
        if r is None:
            out.append(ch)
            index.append(i)
        elif r:
            out.append(r)
            index.extend([i] * len(r))
    return "".join(out), index


def is_irregular(text: str) -> bool:
    """True when some character of ``text`` is removed or expanded by
    :func:`normalize` (so that offsets do not correspond one to one)."""
    return _IRREGULAR_RE.search(text) is not None
