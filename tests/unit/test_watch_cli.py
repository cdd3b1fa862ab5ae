"""``marsad watch`` command line: usage errors and the status table."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.watch.cli import format_table, main


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "url": "https://almarsad.example/feeds/main.rss", "outlet": "المرصد اليوم", "language": "ar",
        "status": "ok", "last_poll": "2006-10-01T08:00:00+00:00", "last_ok": "2006-10-01T08:00:00+00:00",
        "next_poll": None, "http_status": 200, "error": None, "failures": 0, "new_entries": 3,
        "entry_errors": 1, "stored": 12, "failed": 2,
    }
    base.update(changes)
    return base


def test_table_has_a_line_per_feed_with_poll_time_counts_and_errors():
    table = format_table([
        row(),
        row(url="https://b.example/rss", outlet=None, status="error", new_entries=0, entry_errors=0, stored=0,
            error={"code": "timeout", "message": "no answer within 20s"}),
    ])
    head, first, second = table.splitlines()
    assert head.split() == ["feed", "last", "poll", "status", "new", "stored", "errors", "note"]
    assert first.startswith("المرصد اليوم") and "2006-10-01 08:00:00Z" in first
    assert first.split()[-3:] == ["3", "12", "1"]
    assert second.startswith("https://b.example/rss") and "timeout: no answer within 20s" in second
    assert "never" in format_table([row(last_poll=None)])


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main([str(tmp_path / "missing.txt"), "--db", str(tmp_path / "w.db"), "--once"]) == 2
    assert "not_found" in capsys.readouterr().err
    empty = tmp_path / "feeds.txt"
    empty.write_text("# nothing yet\n", "utf-8")
    assert main([str(empty), "--db", str(tmp_path / "w.db"), "--once"]) == 2
    bad = tmp_path / "bad.txt"
    bad.write_text("file:///etc/passwd\n", "utf-8")
    assert main([str(bad), "--db", str(tmp_path / "w.db"), "--once"]) == 2
    assert "bad_url" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["--interval", "soon"])
    assert exit_.value.code == 2
    assert main([str(empty), "--db", str(tmp_path / "w.db"), "--interval", "0"]) == 2
