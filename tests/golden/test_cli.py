"""The command line end to end, as a user runs it (subprocesses, real files)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import assert_offsets

CHROME = ["مشرف 1.3K مشاهدات0", "اترك رد", "%d مدونون معجبون بهذه:"]


def marsad(*args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict | None = None):
    full_env = {**os.environ, "MARSAD_DB": "", **(env or {})}
    full_env.pop("MARSAD_DB")
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "marsad.cli", *args], input=stdin,
                          capture_output=True, cwd=cwd, env=full_env, timeout=300)


def lines(stdout: bytes) -> list[dict]:
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines() if line.strip()]


def seed_paragraphs(seed_path: Path) -> list[str]:
    raw = seed_path.read_text(encoding="utf-8").splitlines()
    return [raw[0]] + [ln for ln in raw[4:] if ln.strip() and ln.strip() not in CHROME]


def test_analyze_seed(seed_path: Path):
    proc = marsad("analyze", str(seed_path), "--published", "2016-10-20")
    assert proc.returncode == 0, proc.stderr.decode()
    (art,) = lines(proc.stdout)
    paragraphs = seed_paragraphs(seed_path)
    assert len(paragraphs) == 10
    assert art["text"].split("\n\n") == paragraphs  # the headline and nine paragraphs
    for chrome in CHROME:
        assert chrome not in art["text"]
    assert art["title"] == seed_path.read_text(encoding="utf-8").splitlines()[0].strip()
    assert art["page_stats"]["views"] == 1300
    assert art["language"] == "ar"
    assert art["published"] == "2016-10-20"
    assert len(art["id"]) == 16
    assert_offsets(art)
    assert proc.stderr.decode("utf-8").count("\n") < 5  # no noise from libraries


def test_mixed_inputs_keep_order_and_report_errors(tmp_path: Path, seed_path: Path):
    (tmp_path / "a.txt").write_text("هذا نص عربي قصير عن الأخبار في بغداد والموصل اليوم.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.html").write_bytes(os.urandom(4096))
    (tmp_path / "d.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "e.jsonl.gz").write_bytes(gzip.compress(
        "\n".join(json.dumps(o, ensure_ascii=False) for o in [
            {"id": "j1", "text": "خبر أول عن نزوح السكان من الموصل إلى مخيم ديبكه.", "published": "2016-10-20"},
            {"nothing": 1},
            {"id": "j3", "text": "The Guardian reported that residents were fleeing the city of Mosul."},
        ]).encode())[:-6])  # truncated: the gzip trailer is cut
    inputs = [str(tmp_path / n) for n in ["a.txt", "b.txt", "c.html", "d.pdf", "e.jsonl.gz"]]
    proc = marsad("analyze", *inputs, "--no-progress")
    assert proc.returncode == 1
    out = lines(proc.stdout)
    assert out[0]["language"] == "ar" and "بغداد" in out[0]["text"]
    assert out[1]["error"]["code"] == "empty_input"
    assert out[2]["error"]["code"] == "binary_input"
    assert out[3]["error"]["code"] == "unknown_kind"
    rest = out[4:]
    assert rest[0]["id"] == "j1" and rest[0]["published"] == "2016-10-20"
    assert rest[1]["error"]["code"] == "bad_jsonl"
    assert rest[2]["id"] == "j3" and rest[2]["language"] == "en"
    assert rest[-1]["error"]["code"] == "truncated_gzip"
    for obj in out:
        assert set(obj) >= {"id"}
    assert b"unknown_kind" in proc.stderr  # warnings go to stderr


def test_stdin_and_bad_usage(seed_path: Path):
    proc = marsad("analyze", "-", stdin=seed_path.read_bytes())
    assert proc.returncode == 0
    assert lines(proc.stdout)[0]["page_stats"]["views"] == 1300
    assert marsad("analyze").returncode == 2
    bad = marsad("analyze", str(seed_path), "--published", "yesterday")
    assert bad.returncode == 2 and b"bad_date" in bad.stderr
    assert bad.stdout == b""
    assert marsad("frobnicate").returncode == 2
    help_text = marsad("analyze", "--help").stdout.decode()
    assert "--published" in help_text and "truncated_warc" in help_text


def test_ingest_is_idempotent_and_search_finds_clitic_forms(tmp_path: Path, seed_path: Path):
    db = tmp_path / "m.db"
    first = marsad("ingest", str(seed_path), "--db", str(db))
    assert first.returncode == 0, first.stderr.decode()
    assert "1 stored" in first.stderr.decode()
    again = marsad("ingest", str(seed_path), "--db", str(db))
    assert "0 stored, 1 already in the store" in again.stderr.decode()
    found = marsad("search", "بالموصل", "--db", str(db), "--json")
    assert found.returncode == 0, found.stderr.decode()
    hits = lines(found.stdout)
    assert len(hits) == 1 and hits[0]["title"].startswith("فارون من الموصل")
    assert {"id", "title", "published", "snippet"} <= set(hits[0])
    none = marsad("search", "بيروت", "--db", str(db), "--json")
    assert none.returncode == 0 and lines(none.stdout) == []
    env_db = marsad("stats", "--json", env={"MARSAD_DB": str(db)})
    assert lines(env_db.stdout)[0]["articles"] == 1
    missing = marsad("search", "x", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2 and b"not_found" in missing.stderr


def test_two_workers_give_the_same_output_as_one(tmp_path: Path, seed_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(6):
        (docs / f"d{i}.txt").write_text(
            seed_path.read_text(encoding="utf-8").replace("الموصل", f"الموصل {i}"), encoding="utf-8")
    one = marsad("analyze", str(docs), "--workers", "1", "--batch-size", "2")
    two = marsad("analyze", str(docs), "--workers", "2", "--batch-size", "2")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    assert len(lines(one.stdout)) == 6
