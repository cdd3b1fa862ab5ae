"""Folding for matching page chrome: never used for output.

:func:`fold` maps hamza-alef forms to ا, ى to ي, ة to ه, Eastern digits to
ASCII, drops diacritics, tatweel and invisible marks, and collapses white
space, keeping for every folded character the index of the character it
came from, so a match in the folded line maps back to the original.
"""

from __future__ import annotations

_MAP: dict[int, str] = {
    ord("أ"): "ا",
    ord("إ"): "ا",
    ord("آ"): "ا",
    ord("ٱ"): "ا",
    ord("ى"): "ي",
    ord("ة"): "ه",
    ord("ک"): "ك",
    ord("ی"): "ي",
    ord("٪"): "%",
    ord("："): ":",  # fullwidth colon of CJK-styled themes
    ord("٫"): ".",  # Arabic decimal separator
    ord("٬"): ",",  # Arabic thousands separator
    **{0x0660 + i: str(i) for i in range(10)},  # Arabic-Indic digits
    **{0x06F0 + i: str(i) for i in range(10)},  # Extended (Persian/Urdu) digits
}

# diacritics, Quranic marks, tatweel, zero-width and direction marks
_DROP = frozenset(
    [*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x0640]
    + [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def fold(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, its index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    space = True  # drop leading white space
    for i, ch in enumerate(text):
        cp = ord(ch)
        if cp in _DROP:
            continue
        if ch.isspace():
            if not space:
                out.append(" ")
                index.append(i)
                space = True
            continue
        space = False
        out.append(_MAP.get(cp, ch))
        index.append(i)
    if out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


_TABLE: dict[int, str | None] = {**_MAP, **{cp: None for cp in _DROP}}


def fold_quick(text: str) -> str:
    """The folded text of :func:`fold`, without the index, at C speed."""
    return " ".join(text.translate(_TABLE).split())


def fold_text(text: str) -> str:
    """Only the folded text (for data entries and patterns)."""
    return fold(text)[0]


def fold_pattern(pattern: str) -> str:
    """A regular expression written in plain Arabic, folded like the lines it will match."""
    return "".join(_MAP.get(ord(ch), ch) for ch in pattern if ord(ch) not in _DROP)
