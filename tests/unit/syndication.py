"""A collection of wire stories with planted syndicated copies, built from ANERcorp.

ANERcorp (Benajiba & Rosso 2008; CAMeL Lab split; CC BY-SA 4.0) is real
Arabic newswire, one token per line.  Its sentences, detokenised, make the
stories here; nothing is invented but the page chrome, headlines and the
edits named below.

- ``originals``: wire stories of 4–5 paragraphs, each from its own run of
  consecutive ANERcorp sentences (so neighbours often share a topic).
- ``same_topic``: distinct stories all about Iraq, built from disjoint sets of
  scattered sentences that name العراق or بغداد; they share names and topic
  words with each other but not text, and must never be merged.
- ``copies``: for each original, copies as other outlets publish them, each
  with its own page chrome and URL and one or more edits: a different
  headline, one sentence replaced, paragraphs reordered, the last paragraph
  cut, a dateline and agency credit added, diacritics and Eastern Arabic
  digits, a few words changed, or about one word in 25 replaced all through.

Every page is an HTML page; :func:`write_warcs` packs them into WARC files.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from html import escape
from pathlib import Path

from benchmarks.corpus import ANERCORP, detokenize, sentences

TRAIN = ANERCORP / "ANERCorp_CamelLab_train.txt"


@dataclass(frozen=True)
class Page:
    key: str  # e.g. "s07" for an original, "s07-c2" for its third copy, "iraq03"
    story: str  # the planted story: an original and its copies share it
    edits: tuple[str, ...]
    url: str
    html: str


OUTLETS = (
    ("wire.example", "وكالة الأنباء", "ltr"),
    ("alakhbar.example", "الأخبار اليوم", "rtl"),
    ("sahifa.example", "الصحيفة", "rtl"),
    ("almasdar.example", "المصدر نيوز", "rtl"),
)

TEMPLATES = (
    """<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="article:published_time" content="2005-03-{day:02d}T09:00:00+03:00"></head>
<body><header><a href="/">{site}</a><nav><a href="/world">العالم</a> | <a href="/econ">اقتصاد</a> |
<a href="/sport">رياضة</a> | <a href="/contact">اتصل بنا</a></nav></header>
<main><article><h1>{title}</h1><p class="meta">نشر في {day} آذار 2005</p>{body}</article></main>
<aside><h3>الأكثر قراءة</h3><ol><li><a href="/a">ارتفاع أسعار النفط في الأسواق العالمية</a></li>
<li><a href="/b">مباحثات جديدة حول الملف النووي</a></li></ol></aside>
<footer>جميع الحقوق محفوظة لـ{site} © 2005 — سياسة الخصوصية</footer></body></html>""",
    """<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>{site} - {title}</title>
<meta name="date" content="2005-03-{day:02d}"></head><body>
<div id="top"><span>{site}</span> <a href="/login">دخول</a> <a href="/rss">RSS</a></div>
<div class="breadcrumbs"><a href="/">الرئيسية</a> » <a href="/news">أخبار عربية ودولية</a></div>
<div class="post"><h2 class="headline">{title}</h2><div class="share">شارك: فيسبوك تويتر واتساب</div>
<div class="entry">{body}</div><div class="tags">كلمات مفتاحية: أخبار، سياسة، تقارير</div></div>
<div class="related"><h4>أخبار ذات صلة</h4><ul><li><a href="/r1">اجتماع وزراء الخارجية العرب غدا</a></li>
<li><a href="/r2">الأمم المتحدة تدعو إلى التهدئة</a></li></ul></div>
<div id="comments">التعليقات (12) — أضف تعليقك</div><div id="foot">{site} 2005</div></body></html>""",
    """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}</title></head><body><table><tr><td class="menu"><a href="/">الصفحة الأولى</a><br>
<a href="/local">محليات</a><br><a href="/arab">عربي ودولي</a><br><a href="/opinion">آراء</a></td>
<td class="content"><h1>{title}</h1><div class="byline">{site} — المحرر السياسي</div>
<div class="text">{body}</div><p class="views">عدد المشاهدات: 1.2K</p></td></tr></table>
<div class="bottom">حقوق النشر محفوظة — {site}</div></body></html>""",
    """<!DOCTYPE html><html dir="rtl"><head><meta charset="utf-8"><title>{title}</title></head><body>
<nav class="main-nav"><ul><li>الرئيسية</li><li>سياسة</li><li>اقتصاد</li><li>ثقافة</li>
<li>فيديو</li></ul></nav><section class="story"><header><h1>{title}</h1>
<time datetime="2005-03-{day:02d}">2005-03-{day:02d}</time></header>
{body}<p class="source">المصدر: {site}</p></section>
<section class="newsletter">اشترك في النشرة البريدية لتصلك آخر الأخبار</section>
<footer><p>{site} © جميع الحقوق محفوظة</p></footer></body></html>""",
)

DATELINES = ("عمان (رويترز) - ", "بغداد (أ ف ب) - ", "القاهرة (د ب أ) - ", "بيروت (يو بي آي) - ")
CREDITS = ("(المصدر: وكالات)", "(رويترز)", "(ترجمة وتحرير: المحرر السياسي)")
# words an editor may change; each pair is (word, replacement)
SWAPS = (("قال", "أفاد"), ("أن", "بأن"), ("الذي", "التي"), ("اليوم", "امس"), ("مع", "برفقة"))

HARAKAT = {"ا": "اً", "ة": "ةٌ"}
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _sentences() -> list[str]:
    """Distinct sentences of 8–60 tokens (ANERcorp repeats some passages; they are left out)."""
    seen: set[str] = set()
    out = []
    for tokens in sentences(TRAIN):
        text = detokenize(tokens)
        if 8 <= len(tokens) <= 60 and text not in seen:
            seen.add(text)
            out.append(text)
    return out


def _render(template: int, outlet: int, title: str, paragraphs: list[str], day: int) -> str:
    site = OUTLETS[outlet][1]
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return TEMPLATES[template].format(title=escape(title), site=site, body=body, day=day)


def _title(paragraphs: list[str]) -> str:
    words = paragraphs[0].split()
    return " ".join(words[:9])


def _paragraphs(sents: list[str], rng: random.Random) -> list[list[str]]:
    out, i = [], 0
    while i < len(sents):
        n = rng.choice((2, 3))
        out.append(sents[i : i + n])
        i += n
    return out


def _edit(paras: list[list[str]], kind: str, rng: random.Random, spare: list[str]) -> list[list[str]]:
    paras = [list(p) for p in paras]
    if kind == "sentence":  # one sentence replaced by another
        p = rng.randrange(len(paras))
        paras[p][rng.randrange(len(paras[p]))] = spare.pop()
    elif kind == "reorder":  # the paragraphs after the lead in another order
        rest = paras[1:]
        rng.shuffle(rest)
        if rest == paras[1:]:
            rest.reverse()
        paras = paras[:1] + rest
    elif kind == "cut":  # the last paragraph cut
        paras = paras[:-1]
    elif kind == "dateline":  # a dateline before the lead and an agency credit after the end
        paras[0][0] = rng.choice(DATELINES) + paras[0][0]
        paras[-1].append(rng.choice(CREDITS))
    elif kind == "words":  # a few words changed
        for _ in range(4):
            p = rng.randrange(len(paras))
            s = rng.randrange(len(paras[p]))
            old, new = rng.choice(SWAPS)
            paras[p][s] = paras[p][s].replace(f" {old} ", f" {new} ", 1)
    elif kind == "scattered":  # about one word in 25 replaced, all through the text (copy-editing)
        pool = " ".join(spare[:50]).split()
        for p in paras:
            for j, s in enumerate(p):
                p[j] = " ".join(rng.choice(pool) if rng.random() < 0.04 else w for w in s.split())
    elif kind == "marks":  # tanween on some words, Eastern Arabic digits
        for p in paras:
            for j, s in enumerate(p):
                p[j] = s.translate(EASTERN).replace("ا ", HARAKAT["ا"] + " ", 2)
    return paras


EDIT_PLANS = (
    ("chrome",),
    ("title", "sentence"),
    ("reorder", "chrome"),
    ("cut", "dateline"),
    ("words", "marks", "title"),
    ("scattered", "chrome"),
    ("sentence", "reorder", "title"),
    ("cut", "sentence", "title", "chrome"),
    ("dateline", "words", "sentence", "reorder"),
)


def build(n_stories: int = 40, copies: int = 3, n_same_topic: int = 12, seed: int = 7) -> list[Page]:
    """The pages of the collection, originals first, in a fixed order for a given seed."""
    rng = random.Random(seed)
    sents = _sentences()
    pages: list[Page] = []
    pos = 0
    spare = sents[-400:]  # replacement sentences, never used in an original
    iraq = [s for s in sents[: len(sents) - 400] if "العراق" in s or "بغداد" in s]
    used_iraq: set[str] = set()
    originals: list[tuple[str, list[list[str]]]] = []
    for i in range(n_stories):
        n = rng.randint(10, 13)
        chunk = sents[pos : pos + n]
        pos += n + rng.randint(20, 60)  # a gap, so that neighbours are different stories
        used_iraq.update(chunk)
        originals.append((f"s{i:02d}", _paragraphs(chunk, rng)))
    iraq = [s for s in iraq if s not in used_iraq]
    rng.shuffle(iraq)
    if len(iraq) < n_same_topic * 8:
        raise ValueError(f"only {len(iraq)} unused sentences about Iraq for {n_same_topic} stories")
    for i in range(n_same_topic):
        chunk = iraq[i * 8 : (i + 1) * 8]
        originals.append((f"iraq{i:02d}", _paragraphs(chunk, rng)))
    for n, (key, paras) in enumerate(originals):
        flat = [" ".join(p) for p in paras]
        html = _render(0, 0, _title(flat), flat, n % 28 + 1)
        pages.append(Page(key, key, (), f"https://{OUTLETS[0][0]}/{key}", html))
    for n, (key, paras) in enumerate(originals[:n_stories]):
        for c in range(copies):
            plan = EDIT_PLANS[(n * copies + c) % len(EDIT_PLANS)]
            edited = paras
            for kind in plan:
                edited = _edit(edited, kind, rng, spare)
            flat = [" ".join(p) for p in edited]
            title = _title(flat)
            if "title" in plan:
                title = "عاجل: " + " ".join(reversed(title.split()[:6]))
            outlet = 1 + (n + c) % (len(OUTLETS) - 1)
            template = 1 + (n + c) % (len(TEMPLATES) - 1)
            html = _render(template, outlet, title, flat, n % 28 + 1)
            url = f"https://{OUTLETS[outlet][0]}/news/{key}-{c}"
            pages.append(Page(f"{key}-c{c}", key, plan, url, html))
    return pages


def write_warcs(pages: list[Page], folder: Path, per_file: int = 40) -> list[Path]:
    """The pages as gzipped WARC response records, ``per_file`` to a file, in order."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(0, len(pages), per_file):
        path = folder / f"crawl-{k // per_file:03d}.warc.gz"
        with open(path, "wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for page in pages[k : k + per_file]:
                http = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                record = writer.create_warc_record(
                    page.url,
                    "response",
                    payload=io.BytesIO(page.html.encode("utf-8")),
                    http_headers=http,
                    warc_headers_dict={
                        "WARC-Date": "2005-03-20T10:00:00Z",
                        "WARC-Record-ID": f"<urn:marsad:test:{page.key}>",
                    },
                )
                writer.write_record(record)
        paths.append(path)
    return paths
