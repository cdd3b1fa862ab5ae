"""Rebuild the binary and re-encoded test fixtures from article_ar.html.

article_ar.html is hand-written: an invented Arabic news site around article
paragraphs made of ANERcorp sentences (Benajiba & Rosso 2008, CAMeL Lab
split, CC BY-SA 4.0), detokenised, with the first word of some sentences
restored.  The two small pages below are built the same way.

Run from the repository root:  .venv/bin/python tests/data/make_fixtures.py
The outputs are committed; the script is deterministic (fixed WARC dates and
record ids), so re-running it gives identical files.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent

# Sentences from ANERcorp (CC BY-SA 4.0, see README.md), detokenised.
SALHIYA = [
    "أمر جلالة الملك عبدالله الثاني أمس بتنفيذ حزمة من المشاريع التعليمية والصحية والتنموية وأخرى مرتبطة "
    "بالأندية الشبابية و27 وحدة سكنية في قضاء الصالحية ونايفة في البادية الشرقية خلال ستة اشهر بتمويل من "
    "الديوان الملكي الهاشمي.",
    "وأكد جلالته خلال اللقاء الذي جمعه وأعضاء اللجنة المحورية المعنية في تحديد مطالب القضاء انه يقدر الظروف "
    "والتحديات التي يواجهها أبناء الصالحية ونايفة خصوصا فيما يتعلق بمشكلتي الفقر والبطالة. وقال جلالته أريد "
    "ان استمع منكم عن المشاريع التي تقترحونها وأنا جاهز لتقديم كامل الدعم لكم.",
    "يشار الى ان جلالة الملك اطلق في ايار الماضي مبادرة شبكة الأمان الاجتماعي من الأغوار الجنوبية والتي "
    "ستشمل جميع جيوب الفقر التي حددتها دراسة اعدتها الحكومة عام 2003. ويعتبر قضاء الصالحية احد الوحدات "
    "الادارية التابعة للواء البادية الشمالية الشرقية ويبعد عن مدينة المفرق 35 كم باتجاه الشرق ويسكنه نحو 16 "
    "الف نسمة يتوزعون على 16 تجمعا سكانيا.",
]
GOLAN = [
    "قالت صحيفة ديلي تلغراف إن إسرائيل وضعت قواتها على أهبة الاستعداد للرد على أي هجوم سوري وسط تقارير "
    "تفيد بأن الرئيس السوري بشار الأسد ربما يفكر في شن هجمات عسكرية لاسترداد مرتفعات الجولان.",
    "وأضافت الصحيفة إن المخابرات العسكرية الإسرائيلية قللت من قدرة دمشق على شن هجوم ذي شأن ضد إسرائيل، "
    "لكنها أشارت إلى أن مستوى التهديد السوري ارتفع بعد كشف التقييمات الاستخبارية عن أن دمشق «تدرس بجد» "
    "اللجوء إلى العمل العسكري.",
    "وخلصت الصحيفة إلى أن إسرائيل مصممة على أن لا تفاجأ مرة أخرى، كما وقع لها عام 1973، بهجوم لم تكن "
    "حسبت له حسابه.",
]


def simple_page(title: str, paragraphs: list[str], published: str, meta_charset: str | None) -> str:
    """A small news page: navigation, the article, a share line and a footer."""
    meta = f'<meta charset="{meta_charset}">\n' if meta_charset else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head>{meta}<title>{title}</title>\n'
        f'<meta property="article:published_time" content="{published}">\n</head><body>\n'
        '<nav><a href="/">الرئيسية</a> | <a href="/news">أخبار</a> | <a href="/sport">رياضة</a></nav>\n'
        f"<article><h1>{title}</h1>\n{body}\n"
        '<div class="share">شارك: <a href="#">فيسبوك</a> <a href="#">تويتر</a></div></article>\n'
        "<footer>جميع الحقوق محفوظة © 2006</footer>\n</body></html>\n"
    )


def warc_bytes(gzipped: bool) -> bytes:
    """A WARC with warcinfo, request, metadata, three Arabic HTML responses, a PNG and a 404."""
    article = (HERE / "article_ar.html").read_bytes()
    salhiya = simple_page("الملك يأمر بتنفيذ مشاريع في الصالحية ونايفة", SALHIYA, "2006-10-01", None)
    golan = simple_page("إسرائيل تأخذ تهديدات سوريا بشأن الجولان مأخذ الجد", GOLAN, "2006-09-30", None)
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(64))

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzipped)
    counter = iter(range(1, 100))

    def headers(uri: str | None, kind: str) -> dict[str, str]:
        h = {
            "WARC-Date": "2016-10-18T09:30:00Z",
            "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{next(counter):012d}>",
        }
        if uri:
            h["WARC-Target-URI"] = uri
        return h

    def write(
        uri: str | None,
        kind: str,
        payload: bytes,
        http: StatusAndHeaders | None = None,
        ctype: str | None = None,
    ) -> None:
        rec = writer.create_warc_record(
            uri or "",
            kind,
            payload=io.BytesIO(payload),
            http_headers=http,
            warc_headers_dict=headers(uri, kind),
            warc_content_type=ctype,
        )
        writer.write_record(rec)

    def response(uri: str, body: bytes, content_type: str, status: str = "200 OK") -> None:
        http = StatusAndHeaders(
            status, [("Content-Type", content_type), ("Content-Length", str(len(body)))], protocol="HTTP/1.1"
        )
        write(uri, "response", body, http)

    info = b"software: marsad test fixtures\r\nformat: WARC File Format 1.1\r\n"
    write(None, "warcinfo", info, ctype="application/warc-fields")
    req = StatusAndHeaders(
        "GET /world/2006/09/30/british-press-iraq HTTP/1.1",
        [("Host", "alanbaa.example")],
        is_http_request=True,
    )
    write("https://alanbaa.example/world/2006/09/30/british-press-iraq", "request", b"", req)
    response(
        "https://alanbaa.example/world/2006/09/30/british-press-iraq", article, "text/html; charset=utf-8"
    )
    write(
        "https://alanbaa.example/world/2006/09/30/british-press-iraq",
        "metadata",
        b"outlinks: 12\r\n",
        ctype="application/warc-fields",
    )
    response("https://alanbaa.example/static/logo.png", png, "image/png")
    response(
        "https://alanbaa.example/local/2006/10/01/salhiya",
        salhiya.encode("cp1256"),
        "text/html; charset=windows-1256",
    )
    response(
        "https://alanbaa.example/missing",
        b"<html><body>404</body></html>",
        "text/html",
        status="404 Not Found",
    )
    # mislabelled: the header says latin-1, the bytes are windows-1256 and the page has no <meta charset>
    response(
        "https://alanbaa.example/world/2006/09/30/golan",
        golan.encode("cp1256"),
        "text/html; charset=iso-8859-1",
    )
    return buf.getvalue()


def record_offsets(data: bytes, gzipped: bool) -> list[int]:
    from warcio.archiveiterator import ArchiveIterator

    it = ArchiveIterator(io.BytesIO(data))
    offsets = []
    for record in it:
        offsets.append(it.offset)
        record.content_stream().read()
    return offsets


def main() -> None:
    html = (HERE / "article_ar.html").read_text("utf-8")
    cp1256 = re.sub(r'<meta charset="utf-8">', '<meta charset="windows-1256">', html, count=1)
    (HERE / "article_ar_cp1256.html").write_bytes(cp1256.encode("cp1256"))

    plain = warc_bytes(gzipped=False)
    packed = warc_bytes(gzipped=True)
    (HERE / "pages.warc.gz").write_bytes(packed)

    # cut in the middle of record #6 (the windows-1256 page): records 1-5 stay readable
    offsets = record_offsets(plain, gzipped=False)
    cut = offsets[5] + (offsets[6] - offsets[5]) // 2
    (HERE / "pages_truncated.warc").write_bytes(plain[:cut])
    offsets_gz = record_offsets(packed, gzipped=True)
    cut_gz = offsets_gz[5] + (offsets_gz[6] - offsets_gz[5]) // 2
    (HERE / "pages_truncated.warc.gz").write_bytes(packed[:cut_gz])

    # garbage over the compressed bytes of record #3 (the article response): the rest must still come out
    damaged = bytearray(packed)
    start = offsets_gz[2] + 40
    damaged[start : start + 200] = b"\x00" * 200
    (HERE / "pages_corrupt.warc.gz").write_bytes(bytes(damaged))

    # broken WARC headers in the middle of an uncompressed file (record #6)
    broken = bytearray(plain)
    header_end = plain.index(b"\r\n", offsets[5])
    broken[offsets[5] : header_end] = b"XXXX/9.9".ljust(header_end - offsets[5], b"X")
    (HERE / "pages_broken_header.warc").write_bytes(bytes(broken))

    # a JSON Lines gzip cut short (3 complete records, the fourth cut)
    records = [
        {"id": "a1", "text": SALHIYA[0], "published": "2006-10-01"},
        {"id": "a2", "text": SALHIYA[1]},
        {"id": "a3", "text": GOLAN[0]},
        {"id": "a4", "text": GOLAN[1]},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    blob = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)
    (HERE / "records.jsonl.gz").write_bytes(blob)
    (HERE / "records_truncated.jsonl.gz").write_bytes(blob[: len(blob) - 60])
    for name in sorted(p.name for p in HERE.iterdir() if p.suffix in (".gz", ".warc") or "cp1256" in p.name):
        print(f"{name}\t{(HERE / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
