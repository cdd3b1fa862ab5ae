"""``marsad ner --conll FILE``: reading CoNLL files and tagging them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from marsad.errors import MarsadError
from marsad.ner.conll import normalize_tag, parse_conll, read_conll, tag_conll

SAMPLE = "وقال O\nالرئيس O\nجورج B-PERS\nبوش I-PERS\nفي O\nواشنطن B-LOC\n. O\n\nزار O\nبغداد B-LOC\n"


def test_parse_with_gold_column_maps_pers() -> None:
    sents = parse_conll(SAMPLE)
    assert len(sents) == 2
    assert sents[0][2] == ("جورج", "B-PER")
    assert sents[1] == [("زار", "O"), ("بغداد", "B-LOC")]  # no final blank line


def test_parse_tolerates_crlf_spaces_and_no_gold() -> None:
    text = "وقال  \r\nالرئيس\t\r\n\r\n\r\n  \r\nبغداد\r\n"
    assert parse_conll(text) == [[("وقال", None), ("الرئيس", None)], [("بغداد", None)]]
    assert parse_conll("") == []
    assert parse_conll("\n\n \n") == []


def test_normalize_tag() -> None:
    assert normalize_tag("B-PERS") == "B-PER"
    assert normalize_tag("I-LOC") == "I-LOC"
    assert normalize_tag("O") == "O"


def test_read_errors(tmp_path: Path) -> None:
    with pytest.raises(MarsadError) as e:
        read_conll(tmp_path / "missing.txt")
    assert e.value.code == "not_found"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00a\x00")
    with pytest.raises(MarsadError) as e:
        read_conll(bad)
    assert e.value.code == "binary_input"
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("caf\xe9 O\n".encode("latin-1"))
    with pytest.raises(MarsadError) as e:
        read_conll(latin)
    assert e.value.code == "decode_failed"


def _blocks(text: str) -> list[list[list[str]]]:
    out: list[list[list[str]]] = []
    cur: list[list[str]] = []
    for line in text.split("\n"):
        if line == "":
            if cur:
                out.append(cur)
                cur = []
        else:
            cur.append(line.split("\t"))
    assert not cur, "output must end with a blank line"
    return out


def test_tag_conll_output_format(tmp_path: Path) -> None:
    path = tmp_path / "in.conll"
    path.write_bytes(("وقال O\r\nالرئيس O \r\nجورج B-PERS\r\nبوش I-PERS\r\n\r\nزار\r\nبغداد").encode())
    out = io.StringIO()
    n = tag_conll(path, out)
    text = out.getvalue()
    assert n == 6
    assert text.endswith("\n\n")
    blocks = _blocks(text)
    assert [[row[0] for row in b] for b in blocks] == [["وقال", "الرئيس", "جورج", "بوش"], ["زار", "بغداد"]]
    valid = {"O"} | {f"{p}-{t}" for p in "BI" for t in ("PER", "LOC", "ORG", "MISC")}
    for b in blocks:
        for row in b:
            assert len(row) == 2 and row[1] in valid
    # a plain news sentence: the tagger finds the person and the place
    assert [row[1] for row in blocks[0]][2:] == ["B-PER", "I-PER"]
    assert blocks[1][1][1] == "B-LOC"


def test_tag_conll_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.conll"
    path.write_text("")
    out = io.StringIO()
    assert tag_conll(path, out) == 0
    assert out.getvalue() == ""


def test_cli_reads_standard_input() -> None:
    import subprocess
    import sys

    tokens = "وقال\nالرئيس\nفي\nبغداد\n\nأبو\nجميل\n"
    proc = subprocess.run([sys.executable, "-m", "marsad.cli", "ner", "--conll", "-"],
                          input=tokens.encode(), capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    lines = proc.stdout.decode().split("\n")
    assert [ln.split("\t")[0] for ln in lines if ln] == [t for t in tokens.split("\n") if t]
    assert lines[4] == ""  # the sentence break is kept
    assert all(ln.split("\t")[1] in {"O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG",
                                     "B-MISC", "I-MISC"} for ln in lines if ln)
