"""Coded errors that carry the offending value.

Every failure that reaches a user is a :class:`MarsadError` with a stable
``code`` (documented in the README) and a human message.  Per-document
failures become ``{"id": ..., "error": {"code", "message"}}`` objects in the
output stream; they never stop a run.
"""

from __future__ import annotations

from typing import Any

# The codes, with what they mean.  Tests check that every code raised in the
# package is listed here, so the README table cannot drift.
CODES: dict[str, str] = {
    "empty_input": "the file or record holds no bytes or no text",
    "binary_input": "the bytes are not text in any encoding we can detect",
    "decode_failed": "the bytes could not be decoded as text",
    "truncated_gzip": "the gzip stream ends before its end marker",
    "truncated_warc": "a WARC record is cut short or its headers are broken",
    "bad_warc": "the file is not a readable WARC archive",
    "bad_jsonl": "a JSON Lines record is not a JSON object with text or html",
    "too_large": "the document is larger than the configured size limit",
    "unknown_kind": "the input's suffix names no reader",
    "not_found": "the input path does not exist",
    "unreadable": "the input could not be read (permissions, I/O error)",
    "no_body": "no article body could be extracted from the page",
    "bad_date": "a date value is not a valid ISO 8601 date",
    "dropped": "a stage rejected the document; the message names the stage and reason",
    "stage_failed": "an analysis stage raised an unexpected error",
    "timeout": "a stage took longer than its time limit",
    "store_failed": "the document could not be written to the store",
    "bad_query": "the search query could not be parsed",
    "bad_usage": "the command line is invalid",
    "bad_url": "a URL is not an absolute http(s) URL",
    "blocked_address": "the host is (or resolves to) a loopback, private, link-local or other non-public address",
    "robots_disallowed": "the site's robots.txt does not allow fetching the URL",
    "fetch_failed": "the URL could not be fetched (connection error, HTTP error status, redirect loop)",
    "unsupported_type": "the server sent a content type that is neither HTML nor text",
    "bad_feed": "a feed is not readable RSS or Atom",
    "bad_gazetteer": "a gazetteer file (place index or GeoNames dump) is malformed",
}


class MarsadError(Exception):
    """An error with a stable code, a message and the value that caused it."""

    def __init__(self, code: str, message: str, value: Any = None) -> None:
        if code not in CODES:
            raise ValueError(f"unknown error code {code!r}")
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.value = value

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class PipelineBuildError(Exception):
    """A pipeline whose stages cannot be chained (missing requirements)."""
