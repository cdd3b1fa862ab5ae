"""Ingest: charset decoding, the readers (txt, html, WARC, JSON Lines, stdin) and the dispatcher."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import random
import time
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.documents import RawPage, ReadError
from marsad.errors import CODES, MarsadError
from marsad.ingest import ReadStats, decode, kind_of, looks_binary, looks_like_html, read_inputs, sniff_stdin
from marsad.ingest.encoding import meta_charset, normalize_charset

DATA = Path(__file__).resolve().parents[1] / "data"

# Real Arabic news sentences (ANERcorp, CC BY-SA 4.0 / the seed article)
AR = (
    "نقلت صحيفة “الغارديان” البريطانية عن سكان محليين فارين من مدينة الموصل (شمالي العراق) قولهم إن "
    "المقاومة المحلية ضد تنظيم داعش في تصاعد مع انطلاق الحملة العسكرية الكبيرة لاستعادة المدينة."
)
AR_PLAIN = (  # no curly quotes: ISO-8859-6 has none
    "أمر جلالة الملك عبدالله الثاني أمس بتنفيذ حزمة من المشاريع التعليمية والصحية والتنموية في قضاء "
    "الصالحية ونايفة في البادية الشرقية خلال ستة اشهر بتمويل من الديوان الملكي الهاشمي."
)


def items(inputs, **kw):
    return list(read_inputs([str(i) for i in inputs], **kw))


def codes(result):
    return [r.error.code if isinstance(r, ReadError) else "page" for r in result]


# ---------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("encoding", "declared", "sentence"),
    [
        ("cp1256", None, AR),
        ("cp1256", "windows-1256", AR),
        ("iso8859-6", None, AR_PLAIN),
        ("iso8859-6", "ISO-8859-6", AR_PLAIN),
        ("utf-8", None, AR),
        ("utf-8", "utf-8", AR),
        ("utf-8-sig", None, AR),
        ("utf-16", None, AR),  # with a BOM
        ("utf-16-le", None, AR),  # without one
        ("utf-16-be", None, AR),
        # mislabelled: the header says latin-1/windows-1252, the bytes are something else
        ("cp1256", "iso-8859-1", AR),
        ("cp1256", "windows-1252", AR),
        ("iso8859-6", "iso-8859-1", AR_PLAIN),
        ("utf-8", "iso-8859-1", AR),
        ("cp1256", "utf-8", AR),
        ("cp1256", "iso-8859-6", AR),  # a wrong Arabic label
        ("iso8859-6", "windows-1256", AR_PLAIN),
        ("cp1256", "no-such-charset", AR),
    ],
)
def test_decode_gives_the_arabic_text(encoding: str, declared: str | None, sentence: str) -> None:
    for kind in ("text", "html"):
        assert decode(sentence.encode(encoding), declared, kind=kind) == sentence


def test_decode_latin1_reading_of_cp1256_is_mojibake_and_rejected() -> None:
    raw = AR.encode("cp1256")
    mojibake = raw.decode("latin-1")
    assert not any("\u0600" <= ch <= "\u06ff" for ch in mojibake)  # the trap: latin-1 decodes cleanly
    assert decode(raw, "latin-1") == AR


def test_decode_meta_charset_of_html() -> None:
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"></head><body><p>{AR}</p></body></html>'
    raw = page.encode("cp1256")
    assert meta_charset(raw) == "windows-1256"
    assert decode(raw, None, kind="html") == page
    # a trustworthy declared charset wins over the meta tag
    assert decode(page.replace("windows-1256", "utf-8").encode("utf-8"), "utf-8") == page.replace(
        "windows-1256", "utf-8"
    )


def test_decode_keeps_western_text_western() -> None:
    french = "L'été dernier, à Paris, où les élèves ont préféré le café français."
    assert decode(french.encode("cp1252")) == french
    assert decode(french.encode("cp1252"), "iso-8859-1") == french
    russian = "Вчера в Москве прошла большая конференция по вопросам безопасности."
    assert decode(russian.encode("cp1251"), "windows-1251") == russian


def test_decode_small_utf8_damage_is_replaced() -> None:
    raw = AR.encode("utf-8")
    cut = raw.index(b" ", 30)  # a stray byte between two characters
    damaged = raw[:cut] + b"\xff" + raw[cut:]
    text = decode(damaged, "utf-8")
    assert "\ufffd" in text
    assert text.replace("\ufffd", "") == AR


def test_decode_heavily_damaged_utf8_fails() -> None:
    raw = bytes(b if i % 3 else 0xFF for i, b in enumerate(AR.encode("utf-8")))
    with pytest.raises(MarsadError) as exc:
        decode(raw, "utf-8")
    assert exc.value.code == "decode_failed"


def test_decode_rejects_binary_and_empty() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
    for blob in (png, random.Random(7).randbytes(4096), b"%PDF-1.4\n" + bytes(100)):
        with pytest.raises(MarsadError) as exc:
            decode(blob)
        assert exc.value.code == "binary_input"
    for blob in (b"", b"  \n\t "):
        with pytest.raises(MarsadError) as exc:
            decode(blob)
        assert exc.value.code == "empty_input"


def test_looks_binary_and_html() -> None:
    assert looks_binary(b"\x89PNG\r\n\x1a\n" + bytes(10))
    assert not looks_binary(AR.encode("utf-8"))
    assert not looks_binary(AR.encode("utf-16-le"))  # NUL bytes of UTF-16 are text
    assert looks_like_html(b"<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert looks_like_html(codecs.BOM_UTF8 + b"  <html lang='ar'><head><title>x</title></head></html>")
    assert looks_like_html("<html><body><p>مرحبا</p></body></html>".encode("utf-16"))
    assert not looks_like_html(AR.encode("utf-8"))
    assert not looks_like_html(b"if a < b and c > d then")


def test_normalize_charset_labels() -> None:
    assert normalize_charset("Windows-1256") == "cp1256"
    assert normalize_charset("ISO-8859-1") == "cp1252"  # as browsers read it
    assert normalize_charset('"utf-8"') == "utf-8"
    assert normalize_charset("x-unknown") is None
    assert normalize_charset(None) is None


# ---------------------------------------------------------------- files and folders


def test_kind_of() -> None:
    assert kind_of("a/b.TXT") == "text"
    assert kind_of("x.htm") == "html"
    assert kind_of("x.warc.gz") == "warc"
    assert kind_of("x.jsonl.gz") == "jsonl"
    assert kind_of("x.json") is None
    assert kind_of("x.txt.bak") is None


def test_txt_and_html_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(AR, "utf-8")
    (tmp_path / "b.html").write_bytes(f"<html><body><p>{AR}</p></body></html>".encode("cp1256"))
    pages = items([tmp_path / "a.txt", tmp_path / "b.html"])
    assert [p.kind for p in pages] == ["text", "html"]
    assert pages[0].content == AR.encode("utf-8")
    assert pages[0].source == str(tmp_path / "a.txt")
    assert pages[0].id is None and pages[0].charset is None


def test_folder_is_recursed_in_sorted_order_and_skips_are_counted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_text("ب " + AR, "utf-8")
    (tmp_path / "b" / "1.html").write_text(f"<p>{AR}</p>", "utf-8")
    (tmp_path / "a" / "z.txt").write_text("أ " + AR, "utf-8")
    (tmp_path / "c.txt").write_text("ج " + AR, "utf-8")
    (tmp_path / ".hidden.txt").write_text(AR, "utf-8")
    (tmp_path / ".git" / "x.txt").write_text(AR, "utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG")
    stats = ReadStats()
    pages = items([tmp_path], stats=stats)
    rel = [os.path.relpath(p.source, tmp_path) for p in pages]
    assert rel == ["a/z.txt", "b/1.html", "b/2.txt", "c.txt"]
    assert all(isinstance(p, RawPage) for p in pages)
    assert stats.skipped_hidden == 2
    assert stats.skipped_unknown == 2
    assert stats.pages == 4 and stats.errors == 0 and stats.files == 4


def test_explicit_inputs_errors_keep_their_place(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(AR, "utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.html").write_bytes(b"  \n\n ")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "logo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))  # a PNG renamed .html
    (tmp_path / "noise.txt").write_bytes(random.Random(1).randbytes(5000))
    order = [
        "ok.txt",
        "missing.txt",
        "empty.txt",
        "notes.docx",
        "logo.html",
        "blank.html",
        "noise.txt",
        "ok.txt",
    ]
    result = items([tmp_path / n for n in order])
    assert codes(result) == [
        "page",
        "not_found",
        "empty_input",
        "unknown_kind",
        "binary_input",
        "empty_input",
        "binary_input",
        "page",
    ]
    assert [r.source for r in result] == [str(tmp_path / n) for n in order]
    assert all(r.error.code in CODES for r in result if isinstance(r, ReadError))


def test_too_large_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with open(big, "wb") as f:  # a sparse 50 MB page
        f.write(b"<html><body>")
        f.truncate(50_000_000)
    started = time.perf_counter()
    result = items([big])
    assert codes(result) == ["too_large"]
    assert time.perf_counter() - started < 5  # generous: reading it all would still be fast, but not free
    small = tmp_path / "small.txt"
    small.write_text(AR, "utf-8")
    assert codes(items([small], max_bytes=50)) == ["too_large"]


# ---------------------------------------------------------------- JSON Lines


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_jsonl_records_and_bad_lines(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "docs.jsonl",
        [
            json.dumps(
                {"id": "d1", "text": AR, "url": "https://x.example/1", "published": "2016-10-17", "extra": 1},
                ensure_ascii=False,
            ),
            "",
            "{not json",
            json.dumps([1, 2]),
            json.dumps({"id": "d4", "title": "بلا نص"}, ensure_ascii=False),
            json.dumps(
                {"id": 5, "html": f"<p>{AR}</p>", "published": "2016-10-17T08:00:00+03:00", "title": "عنوان"},
                ensure_ascii=False,
            ),
            json.dumps({"id": "d6", "text": AR, "published": "17/10/2016"}, ensure_ascii=False),
            json.dumps({"id": "d7", "text": 42}),
            json.dumps({"id": "d8", "text": "   "}),
            json.dumps({"text": AR, "html": f"<p>{AR}</p>"}, ensure_ascii=False),
        ],
    )
    result = items([path])
    assert codes(result) == [
        "page",
        "bad_jsonl",
        "bad_jsonl",
        "bad_jsonl",
        "page",
        "bad_date",
        "bad_jsonl",
        "empty_input",
        "page",
    ]
    first, fifth, last = result[0], result[4], result[-1]
    assert (first.id, first.kind, first.url, first.published, first.charset) == (
        "d1",
        "text",
        "https://x.example/1",
        "2016-10-17",
        "utf-8",
    )
    assert first.content.decode("utf-8") == AR
    assert first.source == f"{path}:1"
    assert (fifth.id, fifth.kind, fifth.published, fifth.title) == ("5", "html", "2016-10-17", "عنوان")
    assert last.kind == "html"  # html is preferred when both are given
    # errors carry their line and, when known, the record's id
    sources = [r.source for r in result if isinstance(r, ReadError)]
    assert sources == [f"{path}:{n}" for n in (3, 4, 5, 7, 8, 9)]
    assert [r.id for r in result if isinstance(r, ReadError)] == [None, None, "d4", "d6", "d7", "d8"]


def test_jsonl_long_line_and_empty_file(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "d.jsonl",
        [json.dumps({"text": "ا" * 500}), json.dumps({"text": "قصير"}, ensure_ascii=False)],
    )
    assert codes(items([path], max_bytes=200)) == ["too_large", "page"]
    (tmp_path / "e.jsonl").write_bytes(b"")
    (tmp_path / "f.jsonl").write_bytes(b"\n\n  \n")
    assert codes(items([tmp_path / "e.jsonl", tmp_path / "f.jsonl"])) == ["empty_input", "empty_input"]


def test_jsonl_gz_and_truncated_gz() -> None:
    whole = items([DATA / "records.jsonl.gz"])
    assert [p.id for p in whole] == ["a1", "a2", "a3", "a4"]
    assert whole[0].published == "2006-10-01"
    cut = items([DATA / "records_truncated.jsonl.gz"])
    assert isinstance(cut[-1], ReadError) and cut[-1].error.code == "truncated_gzip"
    good = [p for p in cut if isinstance(p, RawPage)]
    assert 1 <= len(good) < 4
    assert [p.id for p in good] == [p.id for p in whole[: len(good)]]
    assert [p.content for p in good] == [p.content for p in whole[: len(good)]]
    assert cut[-1].source == f"{DATA / 'records_truncated.jsonl.gz'}:{len(good) + 1}"


def test_jsonl_gz_that_is_not_gzip(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl.gz"
    path.write_text(json.dumps({"text": "x"}), "utf-8")
    assert codes(items([path])) == ["bad_jsonl"]


def test_jsonl_gz_written_at_test_time(tmp_path: Path) -> None:
    rng = random.Random(3)
    words = AR.split()
    lines = [
        json.dumps({"id": f"n{i}", "text": " ".join(rng.choices(words, k=40))}, ensure_ascii=False)
        for i in range(50)
    ]
    blob = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"))
    (tmp_path / "all.jsonl.gz").write_bytes(
        blob + gzip.compress(b'{"id": "tail", "text": "x"}\n')
    )  # two members
    assert [p.id for p in items([tmp_path / "all.jsonl.gz"])] == [f"n{i}" for i in range(50)] + ["tail"]
    (tmp_path / "cut.jsonl.gz").write_bytes(blob[: len(blob) // 2])
    cut = items([tmp_path / "cut.jsonl.gz"])
    assert codes(cut)[-1] == "truncated_gzip" and set(codes(cut)[:-1]) == {"page"} and len(cut) > 2


# ---------------------------------------------------------------- standard input


def test_stdin_sniffing() -> None:
    jsonl = "\n".join(json.dumps({"id": str(i), "text": AR}, ensure_ascii=False) for i in range(3)).encode()
    assert sniff_stdin(jsonl) == "jsonl"
    assert sniff_stdin(jsonl + b"\n{broken") == "jsonl"
    assert sniff_stdin(b"<!doctype html><html><body><p>x</p></body></html>") == "html"
    assert sniff_stdin(AR.encode()) == "text"
    assert sniff_stdin(b'{"a": 1} is not how this text goes on\nand on\nand on') == "text"


def test_stdin_reads(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(AR, "utf-8")
    jsonl = (json.dumps({"id": "s1", "text": AR}, ensure_ascii=False) + "\n{bad\n").encode()
    result = items(["-", tmp_path / "a.txt"], stdin=io.BytesIO(jsonl))
    assert codes(result) == ["page", "bad_jsonl", "page"]
    assert (result[0].id, result[0].source, result[1].source) == ("s1", "<stdin>:1", "<stdin>:2")
    html = items(["-"], stdin=io.BytesIO(f"<html><body><p>{AR}</p></body></html>".encode()))
    assert html[0].kind == "html" and html[0].source == "<stdin>"
    text = items(["-"], stdin=io.BytesIO(AR.encode("cp1256")))
    assert text[0].kind == "text" and decode(text[0].content, kind="text") == AR
    assert codes(items(["-"], stdin=io.BytesIO(b""))) == ["empty_input"]
    assert codes(items(["-"], stdin=io.BytesIO(AR.encode()), max_bytes=20)) == ["too_large"]


def test_stdin_long_jsonl_stream_is_read_as_it_comes() -> None:
    lines = [json.dumps({"id": str(i), "text": "نص قصير"}, ensure_ascii=False) for i in range(40)]
    stream = io.BytesIO(("\n".join(lines) + "\n").encode())
    result = items(["-"], stdin=stream, max_bytes=300)
    assert [p.id for p in result] == [str(i) for i in range(40)]


# ---------------------------------------------------------------- WARC


def test_warc_html_responses_in_order() -> None:
    stats = ReadStats()
    pages = items([DATA / "pages.warc.gz"], stats=stats)
    assert all(isinstance(p, RawPage) for p in pages)
    src = str(DATA / "pages.warc.gz")
    assert [p.source for p in pages] == [f"{src}#3", f"{src}#6", f"{src}#8"]
    assert [p.url for p in pages] == [
        "https://alanbaa.example/world/2006/09/30/british-press-iraq",
        "https://alanbaa.example/local/2006/10/01/salhiya",
        "https://alanbaa.example/world/2006/09/30/golan",
    ]
    assert [p.charset for p in pages] == ["utf-8", "windows-1256", "iso-8859-1"]
    assert {p.content_type for p in pages} == {"text/html"}
    assert {p.fetched for p in pages} == {"2016-10-18T09:30:00Z"}
    assert all(p.published is None and p.kind == "html" for p in pages)
    assert pages[0].content == (DATA / "article_ar.html").read_bytes()
    # warcinfo, request, metadata skipped by type; the PNG by type; the 404 by status
    assert (
        stats.warc.records,
        stats.warc.skipped_type,
        stats.warc.skipped_mime,
        stats.warc.skipped_status,
    ) == (8, 3, 1, 1)


def test_warc_latin1_label_gives_arabic() -> None:
    golan = items([DATA / "pages.warc.gz"])[2]
    text = decode(golan.content, golan.charset)
    assert "مرتفعات الجولان" in text
    assert golan.content.decode("latin-1") != text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pages_truncated.warc", ["page@3", "truncated_warc@6"]),
        ("pages_truncated.warc.gz", ["page@3", "truncated_gzip@6"]),
        ("pages_corrupt.warc.gz", ["truncated_warc@3", "page@6", "page@8"]),
        ("pages_broken_header.warc", ["page@3", "truncated_warc@6", "page@8"]),
    ],
)
def test_warc_damage(name: str, expected: list[str]) -> None:
    result = items([DATA / name])
    got = [f"{c}@{r.source.rsplit('#', 1)[1]}" for c, r in zip(codes(result), result, strict=True)]
    assert got == expected
    for r in result:
        if isinstance(r, RawPage):
            assert decode(r.content, r.charset).strip().endswith("</html>")  # whole pages only


def test_warc_not_warc_and_empty(tmp_path: Path) -> None:
    (tmp_path / "a.warc").write_text("this is not an archive", "utf-8")
    (tmp_path / "b.warc.gz").write_bytes(gzip.compress(b"not a warc record at all\r\n\r\n"))
    (tmp_path / "c.warc").write_bytes(b"")
    (tmp_path / "d.warc").write_bytes(b"WARC/1.0\r\nthis header is nonsense\r\n\r\n")
    assert codes(items([tmp_path / n for n in ("a.warc", "b.warc.gz", "c.warc", "d.warc")])) == [
        "bad_warc",
        "bad_warc",
        "empty_input",
        "bad_warc",
    ]


def _warc(path: Path, bodies: list[tuple[str, bytes, str]], gz: bool) -> None:
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gz)
        for uri, body, ctype in bodies:
            http = (
                StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1") if ctype else None
            )
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
            )


def test_warc_uncompressed_sniffs_vague_types_and_limits_size(tmp_path: Path) -> None:
    page = f"<!DOCTYPE html><html><body><p>{AR}</p></body></html>".encode()
    _warc(
        tmp_path / "x.warc",
        [
            ("http://a.example/1", page, "application/octet-stream"),  # sniffed: HTML
            ("http://a.example/2", b"plain words, no markup", "text/plain"),  # sniffed: not HTML
            ("http://a.example/3", page * 40, "text/html"),
            ("http://a.example/4", b"", "text/html"),
            ("http://a.example/5", b"\x89PNG\r\n\x1a\n" + bytes(100), "text/html"),
        ],
        gz=False,
    )
    result = items([tmp_path / "x.warc"], max_bytes=5000)
    assert codes(result) == ["page", "too_large", "empty_input", "binary_input"]
    assert result[0].url == "http://a.example/1" and result[0].charset is None


def test_warc_payload_that_fails_its_digest(tmp_path: Path) -> None:
    pages = [f"<html><body><p>{AR} {i}</p></body></html>".encode() for i in range(3)]
    _warc(
        tmp_path / "d.warc",
        [(f"http://a.example/{i}", p, "text/html") for i, p in enumerate(pages)],
        gz=False,
    )
    data = bytearray((tmp_path / "d.warc").read_bytes())
    at = data.index(pages[1]) + 30
    data[at : at + 2] = "ـ".encode()  # same length, different bytes: only the digest can tell
    (tmp_path / "d.warc").write_bytes(bytes(data))
    result = items([tmp_path / "d.warc"])
    assert codes(result) == ["page", "truncated_warc", "page"]
    assert result[1].source.endswith("#2") and "digest" in result[1].error.message


def test_jsonl_gz_with_only_its_trailer_cut(tmp_path: Path) -> None:
    records = [{"id": "j1", "text": AR}, {"id": "j2", "text": AR_PLAIN}]
    body = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)  # no final newline
    (tmp_path / "t.jsonl.gz").write_bytes(gzip.compress(body.encode())[:-6])
    result = items([tmp_path / "t.jsonl.gz"])
    assert codes(result) == ["page", "page", "truncated_gzip"]
    assert [r.id for r in result[:2]] == ["j1", "j2"]
    assert result[2].source.endswith(":3")
    # cut inside the last record: that record is lost, the error takes its line
    (tmp_path / "u.jsonl.gz").write_bytes(gzip.compress(body.encode(), compresslevel=0)[:-40])
    cut = items([tmp_path / "u.jsonl.gz"])
    assert codes(cut) == ["page", "truncated_gzip"] and cut[1].source.endswith(":2")
