"""WARC archives (``.warc``, ``.warc.gz``): every HTML ``response`` record.

Sources are ``path#N``, N counting every record of the file from 1 (the
warcinfo record is #1), so ``warcio index`` finds it.  Non-HTML responses,
non-2xx responses, requests, metadata and revisit records are skipped and
counted.  A record that is cut short, whose headers are broken or whose
content does not match its WARC digest yields ``truncated_warc`` and reading
resumes at the next record that can be found (a ``.warc.gz`` that simply
ends mid-record yields ``truncated_gzip``).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from marsad.documents import RawPage, ReadError
from marsad.errors import MarsadError
from marsad.ingest.encoding import looks_binary, looks_like_html

__all__ = ["WarcCounts", "read_warc"]

HTML_TYPES = frozenset(["text/html", "application/xhtml+xml", "application/xhtml"])
# content types that say nothing: such bodies are sniffed for markup
VAGUE_TYPES = frozenset(
    ["", "application/octet-stream", "binary/octet-stream", "application/unknown", "text/plain", "unknown"]
)
_HEADER_SLACK = 1 << 16
_SCAN = 1 << 16
_WARC_MARKERS = (b"WARC/1.0\r\n", b"WARC/1.1\r\n", b"WARC/0.18\r\n", b"WARC/0.17\r\n")
_GZIP_MARKER = b"\x1f\x8b\x08"
# what warcio raises on damaged input (AttributeError/TypeError come from headers it fails to parse)
_DAMAGE = (
    ArchiveLoadFailed,
    EOFError,
    zlib.error,
    ValueError,
    OSError,
    AttributeError,
    TypeError,
    KeyError,
    IndexError,
)


@dataclass(slots=True)
class WarcCounts:
    """Records seen and skipped while reading WARC files."""

    records: int = 0
    skipped_type: int = 0  # request, metadata, warcinfo, revisit ...
    skipped_status: int = 0  # responses that are not 2xx
    skipped_mime: int = 0  # responses that are not HTML


def _header_params(value: str) -> tuple[str, str | None]:
    parts = [p.strip() for p in value.split(";")]
    mime = parts[0].lower()
    charset = None
    for p in parts[1:]:
        key, _, val = p.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return mime, charset


def _next_start(f: BinaryIO, pos: int, gz: bool) -> int | None:
    """The offset of the next thing that looks like a record start at or after ``pos``."""
    markers = (_GZIP_MARKER,) if gz else _WARC_MARKERS
    keep = max(len(m) for m in markers) - 1
    f.seek(pos)
    base = pos
    prev = b""
    while True:
        chunk = f.read(_SCAN)
        if not chunk:
            return None
        data = prev + chunk
        hits = [i for i in (data.find(m) for m in markers) if i >= 0]
        if hits:
            return base - len(prev) + min(hits)
        prev = data[-keep:]
        base += len(chunk)


class _CutRecord(Exception):
    """A record whose content ends before its declared length."""


def _drain(record: Any) -> None:
    """Read what is left of a record; raise :class:`_CutRecord` if it ends early."""
    raw = record.raw_stream
    while raw.read(_SCAN):
        pass
    if getattr(raw, "limit", 0) > 0:
        raise _CutRecord()


def _record_item(record: Any, source: str, max_bytes: int, counts: WarcCounts) -> RawPage | ReadError | None:
    """The page in a response record, an error, or None for a record that is skipped.

    Raises :class:`_CutRecord` when the record's content ends early.
    """
    if record.rec_type != "response":
        counts.skipped_type += 1
        return None
    http = record.http_headers
    if http is None:
        counts.skipped_type += 1
        return None
    status = http.get_statuscode() or ""
    if not status.startswith("2"):
        counts.skipped_status += 1
        return None
    mime, charset = _header_params(http.get_header("Content-Type") or "")
    if mime not in HTML_TYPES and mime not in VAGUE_TYPES:
        counts.skipped_mime += 1
        return None
    if record.length is not None and record.length > max_bytes + _HEADER_SLACK:
        err = MarsadError(
            "too_large", f"{source}: the record has {record.length} bytes, more than {max_bytes}"
        )
        return ReadError(source, err)
    content = record.content_stream().read(max_bytes + 1)
    if len(content) > max_bytes:
        return ReadError(
            source, MarsadError("too_large", f"{source}: the page is larger than {max_bytes} bytes")
        )
    _drain(record)
    if not content.strip():
        return ReadError(source, MarsadError("empty_input", f"{source}: the response has no body", source))
    if mime in VAGUE_TYPES and not looks_like_html(content):
        counts.skipped_mime += 1
        return None
    if looks_binary(content):
        return ReadError(source, MarsadError("binary_input", f"{source}: the body is not text", source))
    headers = record.rec_headers
    return RawPage(
        content=content,
        kind="html",
        source=source,
        url=headers.get_header("WARC-Target-URI"),
        fetched=headers.get_header("WARC-Date"),
        content_type=mime or None,
        charset=charset,
    )


def read_warc(
    path: str, *, max_bytes: int, counts: WarcCounts | None = None
) -> Iterator[RawPage | ReadError]:
    """Pages from the HTML response records of a WARC file, in file order."""
    counts = counts if counts is not None else WarcCounts()
    try:
        size = os.path.getsize(path)
        f: BinaryIO = open(path, "rb")
    except OSError as exc:
        yield ReadError(path, MarsadError("unreadable", f"{path}: {exc.strerror or exc}", path))
        return
    with f:
        head = f.read(16)
        if not head.strip():
            yield ReadError(path, MarsadError("empty_input", f"{path} is empty", path))
            return
        gz = head.startswith(b"\x1f\x8b")
        if not gz and not head.startswith(b"WARC/"):
            yield ReadError(path, MarsadError("bad_warc", f"{path} is not a WARC file", head[:8]))
            return
        yield from _iterate(f, path, size, gz, max_bytes, counts)


def _iterate(
    f: BinaryIO, path: str, size: int, gz: bool, max_bytes: int, counts: WarcCounts
) -> Iterator[RawPage | ReadError]:
    number = 0  # records met so far, good or bad
    start: int | None = 0
    resyncing = False  # after damage, until a good record: further failures are the same damage
    while start is not None and start < size:
        f.seek(start)
        it = ArchiveIterator(f, check_digests=True)
        failed_at: int | None = None
        bad_number = number + 1
        try:
            for record in it:
                if record.format != "warc" or not record.rec_type:
                    raise ArchiveLoadFailed("not a WARC record")  # warcio reads some garbage as ARC
                number += 1
                counts.records += 1
                source = f"{path}#{number}"
                item = _record_item(record, source, max_bytes, counts)
                _drain(record)
                resyncing = False
                checker = getattr(record, "digest_checker", None)
                if item is not None and checker is not None and checker.passed is False:
                    problem = "; ".join(checker.problems) or "digest mismatch"
                    err = MarsadError(
                        "truncated_warc", f"{source}: the record is damaged ({problem})", source
                    )
                    item = ReadError(source, err)
                if item is not None:
                    yield item
        except _CutRecord:
            failed_at, bad_number = it.offset, number
        except _DAMAGE:
            failed_at, bad_number = it.offset, number + 1
        if failed_at is None:
            # a clean end; anything but blank bytes after the last record is a cut record
            end = it.offset
            f.seek(end)
            if not f.read(_SCAN).strip(b"\r\n\t \x00"):
                return
            failed_at, bad_number = end, number + 1
        if number == 0:
            yield ReadError(path, MarsadError("bad_warc", f"{path} is not a readable WARC file", path))
            return
        failed_at = max(failed_at, start)  # warcio's offset can be off on damaged input
        following = _next_start(f, failed_at + 1, gz)
        if not resyncing:
            code = "truncated_gzip" if gz and following is None else "truncated_warc"
            source = f"{path}#{bad_number}"
            yield ReadError(
                source, MarsadError(code, f"{source}: a broken or cut record at byte {failed_at}", failed_at)
            )
        resyncing = True
        number = max(number, bad_number)  # the broken record keeps its number
        start = following
