"""Article-length Arabic documents built from the ANERcorp news text.

ANERcorp (CC BY-SA 4.0) is real Arabic newswire, one token per line.  This
module joins its sentences back into readable text (no space before closing
punctuation) and groups them into paragraphs and articles, as JSONL records,
HTML pages or WARC files, for benchmarks.

    python benchmarks/corpus.py --docs 300 --format jsonl -o /tmp/ar.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
from collections.abc import Iterator
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANERCORP = ROOT.parent / "shared" / "data" / "anercorp"
SPLITS = ("ANERCorp_CamelLab_train.txt", "ANERCorp_CamelLab_test.txt")

NO_SPACE_BEFORE = set(".,،؛:;!?؟)]}»”%")
NO_SPACE_AFTER = set("([{«“")


def sentences(path: Path) -> Iterator[list[str]]:
    """Token lists, one per sentence (blank lines separate sentences)."""
    sent: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                if sent:
                    yield sent
                sent = []
                continue
            sent.append(parts[0])
    if sent:
        yield sent


def detokenize(tokens: list[str]) -> str:
    out: list[str] = []
    for tok in tokens:
        if out and not (tok[0] in NO_SPACE_BEFORE or out[-1][-1] in NO_SPACE_AFTER):
            out.append(" ")
        out.append(tok)
    return "".join(out)


def articles(n_docs: int, words_per_doc: int = 400, sentences_per_paragraph: int = 3) -> list[str]:
    """``n_docs`` article texts, cycling over the corpus if it runs out."""
    all_sents = [s for split in SPLITS for s in sentences(ANERCORP / split) if len(s) >= 4]
    if not all_sents:
        raise SystemExit(f"no ANERcorp text under {ANERCORP}")
    docs: list[str] = []
    i = 0
    while len(docs) < n_docs:
        paras, para, words = [], [], 0
        while words < words_per_doc:
            sent = all_sents[i % len(all_sents)]
            i += 1
            para.append(detokenize(sent))
            words += len(sent)
            if len(para) == sentences_per_paragraph:
                paras.append(" ".join(para))
                para = []
        if para:
            paras.append(" ".join(para))
        docs.append("\n\n".join(paras))
    return docs


PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="2005-03-{day:02d}T10:00:00+03:00">
<meta name="author" content="مراسل الوكالة"></head>
<body><nav><a href="/">الرئيسية</a> » <a href="/news">أخبار</a></nav>
<article><h1>{title}</h1>
{paras}
</article>
<aside><h3>اقرأ أيضا</h3><ul><li><a href="/1">خبر آخر</a></li></ul></aside>
<footer>جميع الحقوق محفوظة © 2005</footer></body></html>
"""


def html_page(text: str, n: int) -> str:
    paras = text.split("\n\n")
    title = paras[0].split(".")[0][:80]
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paras)
    return PAGE.format(title=escape(title), day=n % 28 + 1, paras=body)


def write_warc(pages: list[str], out: Path, url_prefix: str = "https://news.example/") -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(out, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n, page in enumerate(pages):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                    protocol="HTTP/1.1")
            rec = writer.create_warc_record(f"{url_prefix}{out.stem}/{n}", "response",
                                            payload=io.BytesIO(page.encode("utf-8")), http_headers=http)
            writer.write_record(rec)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--words", type=int, default=400, help="words per document")
    ap.add_argument("--format", choices=["jsonl", "html", "warc"], default="jsonl")
    ap.add_argument("--per-file", type=int, default=100, help="documents per WARC file")
    ap.add_argument("-o", "--output", required=True, help="a .jsonl(.gz) file, or a folder for html/warc")
    args = ap.parse_args(argv)
    docs = articles(args.docs, args.words)
    out = Path(args.output)
    if args.format == "jsonl":
        opener = gzip.open if out.suffix == ".gz" else open
        with opener(out, "wt", encoding="utf-8") as fh:  # type: ignore[operator]
            for n, text in enumerate(docs):
                rec = {"id": f"anercorp-{n:05d}", "text": text, "published": "2005-03-01"}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    elif args.format == "html":
        out.mkdir(parents=True, exist_ok=True)
        for n, text in enumerate(docs):
            (out / f"doc{n:05d}.html").write_text(html_page(text, n), encoding="utf-8")
    else:
        out.mkdir(parents=True, exist_ok=True)
        for k in range(0, len(docs), args.per_file):
            chunk = [html_page(t, k + j) for j, t in enumerate(docs[k:k + args.per_file])]
            write_warc(chunk, out / f"part{k // args.per_file:04d}.warc.gz")
    print(f"wrote {len(docs)} documents to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
