"""The inputs of a run → a stream of pages and read errors, in input order.

An input is a file, a folder (recursed in sorted order) or ``-`` for
standard input.  The kind of a file comes from its suffix: ``.txt``,
``.html``/``.htm``, ``.warc``/``.warc.gz``, ``.jsonl``/``.jsonl.gz``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from marsad.documents import RawPage, ReadError
from marsad.errors import MarsadError
from marsad.ingest.encoding import looks_like_html
from marsad.ingest.jsonl import read_jsonl, read_jsonl_lines
from marsad.ingest.pages import check_page_bytes, read_page_file
from marsad.ingest.warc import WarcCounts, read_warc

__all__ = ["DEFAULT_MAX_BYTES", "ReadStats", "STDIN", "kind_of", "read_inputs", "sniff_stdin"]

log = logging.getLogger("marsad.ingest")

DEFAULT_MAX_BYTES = 20_000_000
STDIN = "-"
STDIN_SOURCE = "<stdin>"

# suffix → reader kind; longest suffixes first
_SUFFIXES: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"),
    (".jsonl.gz", "jsonl"),
    (".warc", "warc"),
    (".jsonl", "jsonl"),
    (".txt", "text"),
    (".html", "html"),
    (".htm", "html"),
)


@dataclass(slots=True)
class ReadStats:
    """What reading the inputs met: pages, errors and what was skipped."""

    files: int = 0
    pages: int = 0
    errors: int = 0
    skipped_hidden: int = 0  # hidden files and folders inside folders
    skipped_unknown: int = 0  # files with an unknown suffix inside folders
    warc: WarcCounts = field(default_factory=WarcCounts)

    def to_dict(self) -> dict[str, int]:
        return {
            "files": self.files,
            "pages": self.pages,
            "errors": self.errors,
            "skipped_hidden": self.skipped_hidden,
            "skipped_unknown": self.skipped_unknown,
            "warc_records": self.warc.records,
            "warc_skipped_type": self.warc.skipped_type,
            "warc_skipped_status": self.warc.skipped_status,
            "warc_skipped_mime": self.warc.skipped_mime,
        }


def kind_of(path: str) -> str | None:
    """The reader kind for a file name (``text``, ``html``, ``warc``, ``jsonl``), else None."""
    lower = path.lower()
    for suffix, kind in _SUFFIXES:
        if lower.endswith(suffix):
            return kind
    return None


def _read_file(path: str, kind: str, max_bytes: int, stats: ReadStats) -> Iterator[RawPage | ReadError]:
    stats.files += 1
    if kind == "warc":
        yield from read_warc(path, max_bytes=max_bytes, counts=stats.warc)
    elif kind == "jsonl":
        yield from read_jsonl(path, max_bytes=max_bytes)
    else:
        yield from read_page_file(path, "text" if kind == "text" else "html", max_bytes=max_bytes)


def _walk(folder: str, max_bytes: int, stats: ReadStats, seen: set[str]) -> Iterator[RawPage | ReadError]:
    real = os.path.realpath(folder)
    if real in seen:  # a symbolic link back up the tree
        return
    seen.add(real)
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        yield ReadError(folder, MarsadError("unreadable", f"{folder}: {exc.strerror or exc}", folder))
        return
    for name in names:
        path = os.path.join(folder, name)
        if name.startswith("."):
            stats.skipped_hidden += 1
            log.debug("skipped hidden %s", path)
            continue
        if os.path.isdir(path):
            yield from _walk(path, max_bytes, stats, seen)
            continue
        kind = kind_of(name)
        if kind is None:
            stats.skipped_unknown += 1
            log.debug("skipped %s: unknown suffix", path)
            continue
        yield from _read_file(path, kind, max_bytes, stats)


def sniff_stdin(data: bytes) -> str:
    """``jsonl``, ``html`` or ``text`` for bytes read from standard input.

    JSON Lines when the first non-empty line and at least half of all
    non-empty lines parse as JSON objects (the others then become
    ``bad_jsonl`` errors), HTML when it looks like markup, else text.
    """
    lines = [line for line in data.splitlines() if line.strip()]
    if lines and lines[0].lstrip().startswith(b"{"):
        good = 0
        for i, line in enumerate(lines):
            try:
                ok = isinstance(json.loads(line), dict)
            except (json.JSONDecodeError, UnicodeDecodeError):
                ok = False
            if i == 0 and not ok:
                break
            good += ok
        if good and good * 2 >= len(lines):
            return "jsonl"
    if looks_like_html(data):
        return "html"
    return "text"


def _read_stdin(stream: BinaryIO | None, max_bytes: int, stats: ReadStats) -> Iterator[RawPage | ReadError]:
    stats.files += 1
    if stream is None:
        stream = sys.stdin.buffer
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        yield ReadError(STDIN_SOURCE, MarsadError("unreadable", f"standard input: {exc}", STDIN_SOURCE))
        return
    if len(data) > max_bytes:
        first = data.lstrip()[:1]
        if first == b"{":  # a long JSON Lines stream: read it as it comes
            yield from read_jsonl_lines(_chain(data, stream), STDIN_SOURCE, max_bytes=max_bytes)
            return
        err = MarsadError("too_large", f"standard input is larger than {max_bytes} bytes", max_bytes)
        yield ReadError(STDIN_SOURCE, err)
        return
    kind = sniff_stdin(data)
    if kind == "jsonl":
        yield from read_jsonl_lines([data], STDIN_SOURCE, max_bytes=max_bytes)
        return
    try:
        check_page_bytes(data, STDIN_SOURCE)
    except MarsadError as exc:
        yield ReadError(STDIN_SOURCE, exc)
        return
    yield RawPage(content=data, kind="html" if kind == "html" else "text", source=STDIN_SOURCE)


def _chain(first: bytes, stream: BinaryIO) -> Iterator[bytes]:
    yield first
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            return
        yield chunk


def read_inputs(
    inputs: Iterable[str],
    *,
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stats: ReadStats | None = None,
) -> Iterator[RawPage | ReadError]:
    """Every page of every input, or the error in its place, in input order.

    ``stdin`` is the byte stream read for ``-`` (default: the process's
    standard input).  ``max_bytes`` caps a single page or record.  Pass a
    :class:`ReadStats` to learn what was read and skipped.
    """
    stats = stats if stats is not None else ReadStats()
    for item in _read_all(inputs, stdin, max_bytes, stats):
        if isinstance(item, ReadError):
            stats.errors += 1
            log.debug("read error %s: %s", item.source, item.error)
        else:
            stats.pages += 1
        yield item
    if stats.skipped_hidden or stats.skipped_unknown:
        log.info(
            "skipped %d hidden and %d unknown-suffix files in folders",
            stats.skipped_hidden,
            stats.skipped_unknown,
        )


def _read_all(
    inputs: Iterable[str], stdin: BinaryIO | None, max_bytes: int, stats: ReadStats
) -> Iterator[RawPage | ReadError]:
    for given in inputs:
        if given == STDIN:
            yield from _read_stdin(stdin, max_bytes, stats)
            continue
        if os.path.isdir(given):
            yield from _walk(given, max_bytes, stats, set())
            continue
        if not os.path.exists(given):
            yield ReadError(given, MarsadError("not_found", f"no such file or folder: {given}", given))
            continue
        kind = kind_of(given)
        if kind is None:
            err = MarsadError(
                "unknown_kind", f"{given}: unknown suffix (expected .txt, .html, .warc, .jsonl)", given
            )
            yield ReadError(given, err)
            continue
        yield from _read_file(given, kind, max_bytes, stats)
