"""Rebuild the article pages served by the feed-watching tests.

The article paragraphs are sentences of ANERcorp (Benajiba & Rosso 2008,
CAMeL Lab split, CC BY-SA 4.0; see ../../../../shared/data/anercorp),
detokenised.  In that split the first token of a sentence is often not the
original word, so it is left out.  The titles, site and URLs are invented.
The feeds (feeds/*.xml) are hand-written; ``{{BASE}}`` in them is replaced
by the test server's address when served.

Run from the repository root:  .venv/bin/python tests/data/watch/make_fixtures.py
The outputs are committed; the script is deterministic.
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANERCORP = HERE.parents[3] / "shared" / "data" / "anercorp" / "ANERCorp_CamelLab_test.txt"

# name: (title, first sentence, last sentence (inclusive), published date in the page or None, encoding)
PAGES: dict[str, tuple[str, int, int, str | None, str]] = {
    "news-1": ("رامسفيلد وأفغانستان: مهمة لم تنجز", 6, 16, None, "utf-8"),
    "news-2": ("الصحف البريطانية: تصعيد بين الأكراد والعرب في العراق", 42, 48, "2006-09-30", "cp1256"),
    "news-3": ("الإعصار تشانغسين يقطع الكهرباء عن مانيلا", 60, 68, "2006-09-30", "utf-8"),
    "news-4": ("الكونغرس يمدد العقوبات الاقتصادية على إيران", 76, 87, "2006-09-30", "utf-8"),
    "news-5": ("عباس يدعو إلى العودة لمائدة الحوار مع حماس", 109, 125, None, "utf-8"),
    "news-6": ("الظواهري يتحدى الرئيس الأميركي في كلمة جديدة", 88, 101, "2006-09-30", "utf-8"),
    "news-7": ("طائرة بوينغ برازيلية تختفي فوق الأمازون", 126, 130, None, "utf-8"),
    "news-8": ("الإيطاليون يودعون الليرة قبل طرح اليورو", 131, 140, None, "utf-8"),
}


def sentences() -> list[list[str]]:
    out: list[list[str]] = []
    cur: list[str] = []
    for line in ANERCORP.read_text("utf-8").splitlines():
        line = line.strip()
        if not line:
            if cur:
                out.append(cur)
            cur = []
            continue
        cur.append(line.split()[0])
    if cur:
        out.append(cur)
    return out


def detokenise(tokens: list[str]) -> str:
    text = " ".join(tokens[1:])
    text = re.sub(r"\s+([.,،؛:?؟!)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\b([وبل]) ـ? ?(\d)", r"\1\2", text)
    text = re.sub(r"\s+ـ\s+", "ـ", text)
    return text


def page(title: str, paragraphs: list[str], published: str | None, charset: str) -> str:
    label = "windows-1256" if charset == "cp1256" else "utf-8"
    date = f'<meta property="article:published_time" content="{published}">\n' if published else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="{label}">\n<title>{title} | المرصد'
        f" اليوم</title>\n{date}</head><body>\n"
        '<nav><a href="/">الرئيسية</a> | <a href="/news">أخبار</a> | <a href="/sport">رياضة</a></nav>\n'
        f"<article><h1>{title}</h1>\n{body}\n"
        '<div class="share">شارك: <a href="#">فيسبوك</a> <a href="#">تويتر</a></div></article>\n'
        "<footer>جميع الحقوق محفوظة © 2006</footer>\n</body></html>\n"
    )


def main() -> None:
    sents = sentences()
    out = HERE / "pages"
    out.mkdir(exist_ok=True)
    for name, (title, first, last, published, charset) in PAGES.items():
        if name == "news-7":
            continue
        paragraphs = [detokenise(s) for s in sents[first : last + 1] if len(s) > 3]
        html = page(title, paragraphs, published, charset)
        (out / f"{name}.html").write_bytes(html.encode(charset))
        print(f"pages/{name}.html\t{len(paragraphs)} paragraphs\t{charset}")
    # a text dump (served as text/plain): the article without markup
    title, first, last, _, _ = PAGES["news-7"]
    lines = [title, "", *(detokenise(s) for s in sents[first : last + 1] if len(s) > 3)]
    (out / "news-7.txt").write_text("\n\n".join(lines) + "\n", "utf-8")
    print("pages/news-7.txt")


if __name__ == "__main__":
    main()
