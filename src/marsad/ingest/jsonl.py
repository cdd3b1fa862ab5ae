"""JSON Lines: one document per line, ``.jsonl`` or ``.jsonl.gz``.

Each line is an object with ``text`` (plain text) or ``html`` (a raw page)
and optionally ``id``, ``url``, ``published`` (ISO 8601) and ``title``;
other keys are ignored.  When both ``html`` and ``text`` are given the page
is read from ``html``.  A bad line yields a ``bad_jsonl`` error with the
source ``path:LINE`` and reading goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from marsad.documents import RawPage, ReadError
from marsad.errors import MarsadError
from marsad.extract.dates import iso_date
from marsad.ingest.streams import TruncatedStream, gunzip_chunks, raw_chunks, split_lines

__all__ = ["page_from_record", "read_jsonl", "read_jsonl_lines"]


def _optional_str(obj: dict[str, Any], key: str, source: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MarsadError("bad_jsonl", f"{source}: {key!r} must be a string", value)
    return str(value)


def page_from_record(obj: Any, source: str, *, max_bytes: int) -> RawPage:
    """A RawPage from one decoded JSON Lines record (raises MarsadError)."""
    if not isinstance(obj, dict):
        raise MarsadError("bad_jsonl", f"{source}: the line is not a JSON object", type(obj).__name__)
    body: str | None = None
    kind: str = "html"
    for key in ("html", "text"):
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise MarsadError("bad_jsonl", f"{source}: {key!r} must be a string", type(value).__name__)
        if value.strip():
            body, kind = value, key
            break
        body = body if body is not None else value
    if body is None:
        raise MarsadError("bad_jsonl", f"{source}: the object has no 'text' or 'html'", sorted(obj)[:10])
    if not body.strip():
        raise MarsadError("empty_input", f"{source}: the record's text is empty", source)
    published = _optional_str(obj, "published", source)
    if published is not None:
        normalised = iso_date(published)
        if normalised is None:
            raise MarsadError(
                "bad_date", f"{source}: 'published' is not an ISO 8601 date: {published!r}", published
            )
        published = normalised
    content = body.encode("utf-8", errors="replace")
    if len(content) > max_bytes:
        raise MarsadError(
            "too_large", f"{source}: the record has {len(content)} bytes, more than {max_bytes}"
        )
    return RawPage(
        content=content,
        kind="text" if kind == "text" else "html",
        source=source,
        id=_optional_str(obj, "id", source),
        url=_optional_str(obj, "url", source),
        charset="utf-8",
        published=published,
        title=_optional_str(obj, "title", source),
    )


def _record_id(obj: Any) -> str | None:
    if isinstance(obj, dict):
        value = obj.get("id")
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    return None


def _complete_record(partial: bytes) -> dict[str, Any] | None:
    """The JSON object an unfinished last line holds, if it is in fact complete."""
    if not partial.strip():
        return None
    try:
        obj = json.loads(partial)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return obj if isinstance(obj, dict) else None


def read_jsonl_lines(chunks: Iterable[bytes], name: str, *, max_bytes: int) -> Iterator[RawPage | ReadError]:
    """Pages from a chunked JSON Lines byte stream; ``name`` prefixes the sources.

    A truncated gzip stream ends with a ``truncated_gzip`` error at the line
    where the data stops, after every complete line before it (a last line
    that is a whole JSON object, its newline and the gzip trailer missing,
    still counts).
    """
    lineno = 0
    produced = False
    try:
        for line in split_lines(chunks, max_bytes):
            lineno += 1
            source = f"{name}:{lineno}"
            if line is not None and not line.strip():
                continue
            produced = True
            if line is None:
                yield ReadError(
                    source, MarsadError("too_large", f"{source}: the line is longer than {max_bytes} bytes")
                )
                continue
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield ReadError(
                    source, MarsadError("bad_jsonl", f"{source}: not valid JSON ({exc})", line[:80])
                )
                continue
            try:
                yield page_from_record(obj, source, max_bytes=max_bytes)
            except MarsadError as exc:
                yield ReadError(source, exc, id=_record_id(obj))
    except TruncatedStream as exc:
        lineno += 1
        partial = _complete_record(exc.partial)
        if partial is not None:  # the last line is whole, only the stream's end is missing
            produced = True
            source = f"{name}:{lineno}"
            try:
                yield page_from_record(partial, source, max_bytes=max_bytes)
            except MarsadError as err:
                yield ReadError(source, err, id=_record_id(partial))
            lineno += 1
        source = f"{name}:{lineno}"
        yield ReadError(source, MarsadError("truncated_gzip", f"{name}: {exc} (at line {lineno})", name))
        return
    if not produced:
        yield ReadError(name, MarsadError("empty_input", f"{name} holds no records", name))


def read_jsonl(path: str, *, max_bytes: int) -> Iterator[RawPage | ReadError]:
    """Pages from a ``.jsonl`` or ``.jsonl.gz`` file, one per line, in order."""
    try:
        f: BinaryIO = open(path, "rb")
    except OSError as exc:
        yield ReadError(path, MarsadError("unreadable", f"{path}: {exc.strerror or exc}", path))
        return
    with f:
        head = f.read(2)
        f.seek(0)
        if not head:
            yield ReadError(path, MarsadError("empty_input", f"{path} is empty", path))
            return
        if path.lower().endswith(".gz"):
            if head != b"\x1f\x8b":
                yield ReadError(path, MarsadError("bad_jsonl", f"{path} is not a gzip file", path))
                return
            chunks: Iterable[bytes] = gunzip_chunks(f)
        else:
            chunks = raw_chunks(f)
        try:
            yield from read_jsonl_lines(chunks, path, max_bytes=max_bytes)
        except OSError as exc:
            yield ReadError(path, MarsadError("unreadable", f"{path}: {exc.strerror or exc}", path))
