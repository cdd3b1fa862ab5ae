"""Single-page files: ``.txt`` (a text dump) and ``.html``/``.htm``."""

from __future__ import annotations

import os
from collections.abc import Iterator

from marsad.documents import PageKind, RawPage, ReadError
from marsad.errors import MarsadError
from marsad.ingest.encoding import looks_binary
from marsad.ingest.streams import read_limited

__all__ = ["check_page_bytes", "read_page_file"]


def check_page_bytes(content: bytes, source: str) -> None:
    """Raise ``empty_input`` or ``binary_input`` for bytes that are no page."""
    if not content.strip():
        raise MarsadError("empty_input", f"{source} is empty", source)
    if looks_binary(content):
        raise MarsadError("binary_input", f"{source} holds binary data, not text", source)


def read_page_file(path: str, kind: PageKind, *, max_bytes: int) -> Iterator[RawPage | ReadError]:
    """The one page in a text or HTML file (or the error that stops it)."""
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise MarsadError("too_large", f"{path} has {size} bytes, more than {max_bytes}", size)
        with open(path, "rb") as f:
            content = read_limited(f, max_bytes, path)
        check_page_bytes(content, path)
    except MarsadError as exc:
        yield ReadError(path, exc)
        return
    except OSError as exc:
        yield ReadError(path, MarsadError("unreadable", f"{path}: {exc.strerror or exc}", path))
        return
    yield RawPage(content=content, kind=kind, source=path)
