"""Golden extraction: the seed text dump and an Arabic news page, with what must and must not come out."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.documents import RawPage
from marsad.extract import extract_page
from marsad.ingest import read_inputs

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed" / "000_a5c194be6e581f29.txt"
DATA = ROOT / "tests" / "data"

# The first words of each article paragraph of the seed, in order (nine of them).
SEED_PARAGRAPH_STARTS = [
    "نقلت صحيفة",
    "وحسب المواطنين",
    "اثنان من أسرة",
    "التنظيم السري",
    "وكانت شائعات",
    "أبو جميل،",
    "وتوعد أبو جميل",
    "وسبق أن شكلت",
    "وفي داخل مخيم",
]
SEED_CHROME = ["مشرف 1.3K مشاهدات0", "اترك رد", "%d مدونون معجبون بهذه:", "1.3K", "مشاهدات"]


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    return SEED.read_text("utf-8").splitlines()


@pytest.fixture(scope="module")
def seed_article(seed_lines: list[str]):
    page = RawPage(content=SEED.read_bytes(), kind="text", source=str(SEED))
    return extract_page(page)


def test_seed_title_is_the_first_line(seed_article, seed_lines) -> None:
    assert seed_article.title == seed_lines[0]
    assert seed_article.title == "فارون من الموصل .. المقاومة تتصاعد ضد تنظيم داعش"
    # the headline is also the body's first paragraph, and only once
    assert seed_article.text.startswith(seed_lines[0] + "\n\n")
    assert seed_article.text.count(seed_lines[0]) == 1


def test_seed_body_is_the_article_paragraphs(seed_article, seed_lines) -> None:
    paragraphs = [line for line in seed_lines if line.startswith(tuple(SEED_PARAGRAPH_STARTS))]
    assert len(paragraphs) == len(SEED_PARAGRAPH_STARTS) == 9
    for paragraph in paragraphs:
        assert paragraph in seed_article.text
    # the headline and exactly those paragraphs, in order, one blank line apart: ten in all
    assert seed_article.text == "\n\n".join([seed_lines[0], *paragraphs])
    assert len(seed_article.text.split("\n\n")) == 10


def test_seed_chrome_is_gone_and_counted(seed_article) -> None:
    for chrome in SEED_CHROME:
        assert chrome not in seed_article.text
    assert seed_article.page_stats.views == 1300
    assert seed_article.page_stats.comments == 0
    assert seed_article.author is None  # "مشرف" is the site's account, not a person
    assert seed_article.published is None  # the dump carries no date
    assert len(seed_article.id) == 16


# ---------------------------------------------------------------- an Arabic news page

HTML_PARAGRAPH_STARTS = [
    "تنوعت اهتمامات الصحف البريطانية",
    "وقالت صحيفة ذي إندبندنت",
    "ونقل عن البارزاني قوله",
    "وأضاف أن هذا التوجه",
    "وفي موضوع آخر قالت صحيفة فاينانشال تايمز",
    "وأضاف الكتاب أن هذه الإدارة",
    "وتحت عنوان",
]
HTML_CHROME = [
    "الرئيسية",
    "عربي ودولي",
    "شارك",
    "فيسبوك",
    "واتساب",
    "اقرأ أيضا",
    "مخاوف من انفجار الوضع في كركوك",
    "مواضيع ذات صلة",
    "البرلمان العراقي يناقش قانون الأقاليم",
    "الوسوم",
    "التعليقات",
    "تحليل ممتاز",
    "أضف تعليق",
    "بريدك الإلكتروني",
    "اشترك",
    "تابعونا",
    "جميع الحقوق محفوظة",
    "©",
    "مشاهدة",
    "سامر الحسيني",
]


@pytest.mark.parametrize("name", ["article_ar.html", "article_ar_cp1256.html"])
def test_html_page(name: str) -> None:
    article = extract_page(RawPage((DATA / name).read_bytes(), "html", name))
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == len(HTML_PARAGRAPH_STARTS)
    for paragraph, start in zip(paragraphs, HTML_PARAGRAPH_STARTS, strict=True):
        assert paragraph.startswith(start)
        assert paragraph.endswith(".")
    for chrome in HTML_CHROME:
        assert chrome not in article.text, chrome
    assert article.title == "الصحف البريطانية: تصعيد بين الأكراد والعرب وإسرائيل تأخذ تهديدات سوريا بجدية"
    assert article.author == "سامر الحسيني"
    assert article.published == "2006-09-30"  # the original date, not the 2006-10-02 update
    assert article.url == "https://alanbaa.example/world/2006/09/30/british-press-iraq"
    assert (article.page_stats.views, article.page_stats.comments, article.page_stats.likes) == (
        1234,
        2,
        None,
    )


def test_html_page_body_sentences_verbatim() -> None:
    html = (DATA / "article_ar.html").read_text("utf-8")
    article = extract_page(RawPage(html.encode(), "html", "article_ar.html"))
    for sentence in (
        "وختم كاكبيرن بالقول إن العراق الجديد سيكون فدراليا كما قال البارزاني، لكن تلك الفدرالية قد تتحدد بالبندقية بدل صناديق الاقتراع.",
        "مشيرا إلى أن المقاتلين العراقيين يشنون هجوما كل 15 دقيقة ضد قوات التحالف في العراق.",
    ):
        assert sentence in html and sentence in article.text


def test_warc_pages_extract() -> None:
    pages = [p for p in read_inputs([str(DATA / "pages.warc.gz")]) if isinstance(p, RawPage)]
    articles = [extract_page(p) for p in pages]
    assert [a.title for a in articles] == [
        "الصحف البريطانية: تصعيد بين الأكراد والعرب وإسرائيل تأخذ تهديدات سوريا بجدية",
        "الملك يأمر بتنفيذ مشاريع في الصالحية ونايفة",
        "إسرائيل تأخذ تهديدات سوريا بشأن الجولان مأخذ الجد",
    ]
    assert [a.published for a in articles] == ["2006-09-30", "2006-10-01", "2006-09-30"]
    for a in articles:
        assert "شارك" not in a.text and "جميع الحقوق محفوظة" not in a.text and "رياضة" not in a.text
