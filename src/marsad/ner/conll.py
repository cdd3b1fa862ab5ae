"""CoNLL files: one token per line, a blank line between sentences.

The first whitespace-separated column is the token; when a line has more
than one column, the last one is taken as the gold tag.  ANERcorp's ``PERS``
type is read as ``PER``, the name used in every marsad output.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from marsad.errors import MarsadError

__all__ = ["normalize_tag", "parse_conll", "read_conll", "tag_conll", "write_conll"]

Sentence = list[tuple[str, str | None]]

# tag types other corpora use for ours
_TYPE_ALIASES = {"PERS": "PER", "PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG"}


def normalize_tag(tag: str) -> str:
    """``B-PERS`` → ``B-PER``; ``O`` and our own tags are returned unchanged."""
    if tag == "O" or len(tag) < 3 or tag[1] != "-":
        return tag
    kind = tag[2:]
    return tag[:2] + _TYPE_ALIASES.get(kind, kind)


def parse_conll(text: str) -> list[Sentence]:
    """Sentences of ``(token, gold tag or None)`` from the text of a CoNLL file.

    Tolerates CRLF line ends, trailing spaces, several blank lines in a row
    and a missing final blank line.
    """
    sentences: list[Sentence] = []
    current: Sentence = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            if current:
                sentences.append(current)
                current = []
            continue
        gold = normalize_tag(parts[-1]) if len(parts) > 1 else None
        current.append((parts[0], gold))
    if current:
        sentences.append(current)
    return sentences


def _read_text(path: str | Path) -> str:
    """The text of a CoNLL file; ``-`` reads standard input."""
    p = Path(path)
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else p.read_bytes()
    except FileNotFoundError:
        raise MarsadError("not_found", f"no such file: {p}", str(p)) from None
    except IsADirectoryError:
        raise MarsadError("unreadable", f"is a directory: {p}", str(p)) from None
    except OSError as exc:
        raise MarsadError("unreadable", f"cannot read {p}: {exc.strerror}", str(p)) from None
    if b"\x00" in data:
        raise MarsadError("binary_input", f"{p} holds NUL bytes, not CoNLL text", str(p))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MarsadError("decode_failed", f"{p} is not UTF-8: {exc.reason} at byte {exc.start}", str(p)) from None


def read_conll(path: str | Path) -> list[Sentence]:
    """Sentences of ``(token, gold tag or None)`` read from a UTF-8 CoNLL file."""
    return parse_conll(_read_text(path))


def write_conll(sentences: list[list[str]], tags: list[list[str]], out: TextIO) -> int:
    """Write ``token<TAB>TAG`` lines, a blank line after each sentence; return the token count."""
    n = 0
    for words, labels in zip(sentences, tags, strict=True):
        for word, tag in zip(words, labels, strict=True):
            out.write(f"{word}\t{tag}\n")
        out.write("\n")
        n += len(words)
    return n


def tag_conll(path: str | Path, out: TextIO, tagger_name: str = "default") -> int:
    """Tag the tokens of a CoNLL file (any gold column is ignored) into ``out``.

    Output is ``token<TAB>TAG`` per line with a blank line between sentences,
    the same tokens in the same order; an empty file gives no output.
    Returns the number of tokens written.
    """
    from marsad.ner.model import load_tagger

    sentences = [[tok for tok, _ in sent] for sent in read_conll(path)]
    if not sentences:
        return 0
    tags = load_tagger(tagger_name).tag(sentences)
    return write_conll(sentences, tags, out)
