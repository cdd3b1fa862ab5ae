"""Sources → RawPage: text dumps, HTML files, WARC archives, JSON Lines, standard input."""

from marsad.ingest.encoding import decode, looks_binary, looks_like_html
from marsad.ingest.inputs import DEFAULT_MAX_BYTES, ReadStats, kind_of, read_inputs, sniff_stdin
from marsad.ingest.jsonl import read_jsonl
from marsad.ingest.pages import read_page_file
from marsad.ingest.warc import WarcCounts, read_warc

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ReadStats",
    "WarcCounts",
    "decode",
    "kind_of",
    "looks_binary",
    "looks_like_html",
    "read_inputs",
    "read_jsonl",
    "read_page_file",
    "read_warc",
    "sniff_stdin",
]
