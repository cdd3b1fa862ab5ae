"""The tagger's data files: provenance headers, clean code points, no duplicates."""

from __future__ import annotations

import unicodedata
from importlib import resources

import pytest

from marsad.arabic.normalize import normalize

FILES = ["cues.tsv", "name_parts.txt", "organizations.txt", "places.tsv", "person_names.tsv"]


def _lines(name: str) -> tuple[list[str], list[str]]:
    text = (resources.files("marsad") / "data" / "ner" / name).read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    body = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return header, body


@pytest.mark.parametrize("name", FILES)
def test_header_names_source_and_licence(name: str) -> None:
    header, body = _lines(name)
    text = " ".join(header).lower()
    assert "source" in text or "compiled by hand" in text
    assert "licence" in text or "cc0" in text or "cc by" in text
    assert body


@pytest.mark.parametrize("name", FILES)
def test_entries_are_clean(name: str) -> None:
    _, body = _lines(name)
    keys = []
    for line in body:
        entry = line.split("\t")[0]
        assert entry == entry.strip(), line
        assert unicodedata.normalize("NFKC", entry) == entry, line
        assert not any(0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFF for c in entry), line
        # generated files are in matching form; hand-written ones in usual spelling
        if name in ("places.tsv", "person_names.tsv"):
            assert normalize(entry) == entry, line
            keys.append(tuple(line.split("\t")[:2]) if name == "person_names.tsv" else entry)
        else:
            keys.append(normalize(entry))
    assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1][:5]


def test_cue_types() -> None:
    _, body = _lines("cues.tsv")
    assert {line.split("\t")[1] for line in body} == {"PER", "LOC", "ORG", "MISC"}
