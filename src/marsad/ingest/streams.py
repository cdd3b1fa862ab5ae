"""Byte streams: gzip that reports truncation, and size-limited line splitting."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from marsad.errors import MarsadError

CHUNK = 1 << 20

GZIP_MAGIC = b"\x1f\x8b"


class TruncatedStream(Exception):
    """The compressed stream ended before its end marker.

    ``partial`` holds the bytes of the unfinished last line when the stream
    was being split into lines (see :func:`split_lines`).
    """

    partial: bytes = b""


def raw_chunks(f: BinaryIO, size: int = CHUNK) -> Iterator[bytes]:
    """The bytes of ``f`` in chunks."""
    while True:
        chunk = f.read(size)
        if not chunk:
            return
        yield chunk


def gunzip_chunks(f: BinaryIO, size: int = CHUNK) -> Iterator[bytes]:
    """Decompress a (multi-member) gzip stream chunk by chunk.

    Everything that can be decompressed is yielded before
    :class:`TruncatedStream` is raised for a stream cut short or corrupt;
    bytes that do not start as gzip raise ``ValueError``.
    """
    first = f.read(size)
    if not first.startswith(GZIP_MAGIC):
        raise ValueError("not a gzip stream")
    decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pending = first
    while True:
        if not pending:
            pending = f.read(size)
            if not pending:
                break
        try:
            out = decomp.decompress(pending)
        except zlib.error as exc:
            raise TruncatedStream(f"corrupt gzip data: {exc}") from exc
        pending = b""
        if out:
            yield out
        if decomp.eof:
            rest = decomp.unused_data
            if not rest:
                rest = f.read(size)
            if not rest:
                return
            if not rest.startswith(GZIP_MAGIC):
                if rest.strip(b"\x00\r\n \t"):
                    raise TruncatedStream("trailing bytes after the last gzip member")
                return
            decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
            pending = rest
    tail = decomp.flush()
    if tail:
        yield tail
    if not decomp.eof:
        raise TruncatedStream("the gzip stream ends before its end marker")


def split_lines(chunks: Iterable[bytes], max_line: int) -> Iterator[bytes | None]:
    """Lines of a chunked byte stream, without their line ends.

    A line longer than ``max_line`` bytes is yielded as ``None`` and never
    held whole in memory.  A last line without a newline is yielded too.
    If ``chunks`` raises :class:`TruncatedStream`, the unfinished line goes
    with the exception as its ``partial``.
    """
    buf = bytearray()
    too_long = False
    source = iter(chunks)
    while True:
        try:
            chunk = next(source)
        except StopIteration:
            break
        except TruncatedStream as exc:
            exc.partial = b"" if too_long else bytes(buf)
            raise
        start = 0
        while True:
            nl = chunk.find(b"\n", start)
            end = len(chunk) if nl < 0 else nl
            if not too_long:
                buf += chunk[start:end]
                if len(buf) > max_line:
                    too_long = True
                    buf.clear()
            if nl < 0:
                break
            if too_long:
                yield None
            else:
                yield bytes(buf[:-1] if buf.endswith(b"\r") else buf)
            buf.clear()
            too_long = False
            start = nl + 1
    if too_long:
        yield None
    elif buf:
        yield bytes(buf)


def read_limited(f: BinaryIO, max_bytes: int, what: str) -> bytes:
    """Read at most ``max_bytes`` from ``f``; ``too_large`` if there is more."""
    data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise MarsadError("too_large", f"{what} is larger than {max_bytes} bytes", max_bytes)
    return data
