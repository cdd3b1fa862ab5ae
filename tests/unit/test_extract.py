"""Extract: chrome rules, counters, dates, text-dump cleaning, HTML pages and extract_page."""

from __future__ import annotations

import re
import unicodedata
from importlib import resources
from pathlib import Path

import pytest

from marsad.documents import RawPage, content_id
from marsad.errors import MarsadError
from marsad.extract import ChromeRules, clean_text_dump, extract_page, load_chrome_rules, parse_count
from marsad.extract.dates import iso_date, parse_date_text
from marsad.extract.fold import fold, fold_text
from marsad.extract.html import extract_html
from marsad.ingest import read_inputs

DATA = Path(__file__).resolve().parents[1] / "data"

# Article paragraphs (ANERcorp, CC BY-SA 4.0)
P1 = (
    "تنوعت اهتمامات الصحف البريطانية الصادرة اليوم السبت فتناولت الوضع المتأزم في العراق، بدءا بالتصعيد بين "
    "الأكراد والعرب وانتهاء بما تكشف خلال هذا الأسبوع من معلومات عن العراق صدقها الجميع ما عدا بلير."
)
P2 = (
    "ونقل عن البارزاني قوله في هذا الإطار إن عدم اللجوء إلى الحل الفدرالي في العراق يعني أنه لا أمل في أن "
    "يستمر هذا البلد."
)
P3 = (
    "وقالت صحيفة فاينانشال تايمز إن معلومات عن الحرب على العراق كشف عنها المحقق والكاتب الصحفي بوب وودورد "
    "هزت إدارة الرئيس الأميركي جورج بوش."
)


def rules() -> ChromeRules:
    return load_chrome_rules()


# ---------------------------------------------------------------- counters and folding


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.3K", 1300),
        ("1.3k", 1300),
        ("2.5M", 2_500_000),
        ("12K", 12_000),
        ("١٢٣", 123),
        ("1,234", 1234),
        ("1.234", 1234),
        ("١٬٢٣٤", 1234),
        ("١٫٥ ألف", 1500),
        ("2,5 ألف", 2500),
        ("3 آلاف", 3000),
        ("1.2 مليون", 1_200_000),
        ("٢ مليون", 2_000_000),
        ("0", 0),
        ("12 مشاهدة", 12),
    ],
)
def test_parse_count(text: str, value: int) -> None:
    assert parse_count(text) == value


def test_parse_count_without_number() -> None:
    assert parse_count("مشاهدات") is None


def test_fold_keeps_the_way_back_to_the_original() -> None:
    line = "  اقرأ  أيضاً:\u200f ١٢٣ مشاهدة "
    folded, index = fold(line)
    assert folded == "اقرا ايضا: 123 مشاهده"
    assert len(index) == len(folded)
    start = folded.index("123")
    assert line[index[start] : index[start + 2] + 1] == "١٢٣"


# ---------------------------------------------------------------- chrome rules

CHROME = [
    # (line, rule key, counters)
    ("مشرف 1.3K مشاهدات0", "views.meta", {"views": 1300, "comments": 0}),
    ("123 مشاهدة", "views.meta", {"views": 123}),
    ("١٢٣ مشاهدة", "views.meta", {"views": 123}),
    ("👁 2.5K قراءة", "views.meta", {"views": 2500}),
    ("عدد المشاهدات: 4,512", "views.label", {"views": 4512}),
    ("عدد المشاهدات", "views.label", {}),
    ("اترك رد", "comments.leave", {}),
    ("اترك رداً", "comments.leave", {}),
    ("اترك تعليقاً", "comments.leave", {}),
    ("أضف تعليق", "comments.leave", {}),
    ("أضف تعليقك", "comments.leave", {}),
    ("شاركنا رأيك", "comments.leave", {}),
    ("لا توجد تعليقات", "comments.none", {"comments": 0}),
    ("كن أول من يعلق", "comments.first", {"comments": 0}),
    ("التعليقات مغلقة", "comments.closed", {}),
    ("0 تعليق", "comments.count", {"comments": 0}),
    ("١٢ تعليقا", "comments.count", {"comments": 12}),
    ("12 قتيلا", None, None),
    ("التعليقات (3)", "comments.label", {"comments": 3}),
    ("لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *", "comments.form", {}),
    ("%d مدونون معجبون بهذه:", "likes.bloggers", {}),
    ("5 مدونون معجبون بهذه:", "likes.bloggers", {"likes": 5}),
    ("أعجبني", "likes.button", {}),
    ("معجب", "likes.button", {}),
    ("جارٍ التحميل...", "likes.button", {}),
    ("شارك", "share.word", {}),
    ("مشاركة", "share.word", {}),
    ("شارك هذا المقال", "share.word", {}),
    ("شارك على فيسبوك", "share.on", {}),
    ("تويتر", "share.targets", {}),
    ("واتساب", "share.targets", {}),
    ("طباعة", "share.targets", {}),
    ("إرسال لصديق", "share.targets", {}),
    ("فيسبوك | تويتر | واتساب | طباعة", "share.targets", {}),
    ("Facebook Twitter WhatsApp", "share.targets", {}),
    ("اقرأ أيضا", "related.heading", {}),
    ("اقرأ أيضاً:", "related.heading", {}),
    ("اقرأ أيضا：", "related.heading", {}),  # a fullwidth colon
    ("إقرأ ايضا", "related.heading", {}),
    ("مواضيع ذات صلة", "related.heading", {}),
    ("أخبار ذات صلة", "related.heading", {}),
    ("مقالات مشابهة", "related.heading", {}),
    ("قد يعجبك أيضاً", "related.heading", {}),
    ("اقرأ أيضا: الجيش العراقي يتقدم نحو الموصل", "related.inline", {}),
    ("المقال السابق: حصار الفلوجة", "related.nav", {}),
    ("الوسوم: العراق، الموصل، داعش", "tags.label", {}),
    ("الوسوم", "tags.label", {}),
    ("كلمات مفتاحية:", "tags.label", {}),
    ("تاغ:", "tags.label", {}),
    ("التصنيف: أخبار عربية", "tags.category", {}),
    ("جميع الحقوق محفوظة © 2016", "copyright.rights", {}),
    ("© 2016 صحيفة الصباح. جميع الحقوق محفوظة", "copyright.rights", {}),
    ("© الأنباء اليوم", "copyright.sign", {}),
    ("Copyright 2016 Alanbaa. All rights reserved.", "copyright.sign", {}),
    ("الرئيسية » أخبار » عربي", "navigation.crumbs", {}),
    ("الرئيسية > تقارير > العراق", "navigation.crumbs", {}),
    ("الرئيسية أخبار سياسة اقتصاد رياضة", "navigation.menu", {}),
    ("من نحن | اتصل بنا | سياسة الخصوصية", "navigation.menu", {}),
    ("اشترك في النشرة البريدية", "subscribe.newsletter", {}),
    ("اشترك الآن", "subscribe.alone", {}),
    ("تابعونا", "subscribe.follow", {}),
    ("تابعونا على تويتر", "subscribe.follow", {}),
    ("إعلان", "ads.label", {}),
    ("منذ 3 ساعات", "byline.ago", {}),
    ("آخر تحديث: 18 أكتوبر 2016", "byline.updated", {}),
]


@pytest.mark.parametrize(("line", "key", "counters"), CHROME)
def test_chrome_lines(line: str, key: str | None, counters: dict[str, int] | None) -> None:
    match = rules().match(line)
    if key is None:
        assert match is None
        return
    assert match is not None, line
    assert match.rule.key == key
    assert match.counters == counters


@pytest.mark.parametrize(
    ("line", "author", "date"),
    [
        ("بقلم: محمد علي", "محمد علي", None),
        ("بقلم محمد علي", "محمد علي", None),
        ("كتب - أحمد حسن", "أحمد حسن", None),
        ("تحرير: سامر الحسيني", "سامر الحسيني", None),
        ("بواسطة مشرف", None, None),  # an account name, not a person
        ("الإثنين 17 أكتوبر 2016", None, "2016-10-17"),
        ("الإثنين، ١٧ تشرين الأول ٢٠١٦ - ١٠:٣٠ ص", None, "2016-10-17"),
        ("نشر في 17 أكتوبر 2016", None, "2016-10-17"),
        ("نشر في: 2016/10/17 بواسطة: ليلى حسن", "ليلى حسن", "2016-10-17"),
        ("السبت 30 سبتمبر 2006 - 7 رمضان 1427 هـ", None, "2006-09-30"),
        ("بقلم: سامر الحسيني | 30 سبتمبر 2006", "سامر الحسيني", "2006-09-30"),
        ("محمد علي | 17 أكتوبر 2016 | 3 تعليقات | 1,234 مشاهدة", "محمد علي", "2016-10-17"),
    ],
)
def test_byline_and_date_lines(line: str, author: str | None, date: str | None) -> None:
    match = rules().match(line)
    assert match is not None, line
    assert (match.author, match.date) == (author, date)


# Real prose that contains chrome words: it must stay.
PROSE = [
    "وشارك في الاجتماع ممثلون عن الحكومة العراقية والأمم المتحدة لبحث أوضاع النازحين.",
    "شارك آلاف المتظاهرين في مسيرة حاشدة وسط العاصمة.",
    "قال المتحدث إن عدد المشاهدات على الفيديو تجاوز مليون مشاهدة خلال يومين.",
    "وأكد الوزير أن جميع الحقوق محفوظة للمواطنين بموجب الدستور.",
    "ونصح الكاتب قراءه بأن يقرأوا أيضا تقارير المنظمات الدولية قبل الحكم على ما جرى.",
    "وقالت الشرطة إن الطرق الرئيسية في المدينة أغلقت أمام حركة السير.",
    "الرئيسية في خطة الحكومة هي إعادة الإعمار.",
    "أعجب الحضور بالعرض الذي قدمته الفرقة الوطنية.",
    "تابعونا غدا في الجزء الثاني من التحقيق حول أوضاع المخيمات.",
    "اترك رد فعل الشارع جانبا، فالحكومة ماضية في قرارها.",
    "اشترك في المسيرة آلاف الطلاب من مختلف الجامعات.",
    "الوسوم التي وضعها الناشطون على مواقع التواصل انتشرت بسرعة كبيرة بين الشباب في العراق وسوريا.",
    "فيسبوك تحذف آلاف الحسابات المرتبطة بتنظيم داعش",
    "تويتر يعلق حساب الرئيس",
    "تحرير الموصل",
    "كتب الرئيس رسالة مطولة",
    "نشر الجيش قواته على الحدود",
    "منذ ساعات الصباح الأولى والقصف مستمر على المدينة.",
    "123 قتيلا في تفجير انتحاري",
    "بغداد - رويترز",
    "أخبار سارة للنازحين في المخيمات",
    "المصدر: رويترز",
    "شارك برأيك في الاستفتاء الذي ينظمه المجلس المحلي هذا الأسبوع",
    "وكانت شائعات سرت، الصيف الماضي، عن وجود تمرد محلي في الموصل ضد تنظيم داعش.",
]


@pytest.mark.parametrize("line", PROSE)
def test_prose_with_chrome_words_is_not_chrome(line: str) -> None:
    assert rules().match(line) is None


def test_chrome_rules_file_parses_and_names_are_unique() -> None:
    loaded = rules()
    keys = [r.key for r in loaded.rules]
    assert len(keys) == len(set(keys))
    assert len(keys) > 30
    families = {r.family for r in loaded.rules}
    for family in (
        "views",
        "comments",
        "likes",
        "share",
        "related",
        "tags",
        "copyright",
        "navigation",
        "subscribe",
        "byline",
    ):
        assert family in families


def test_chrome_rules_file_errors_are_reported() -> None:
    with pytest.raises(ValueError, match="unknown macro"):
        ChromeRules.parse("x\t{@NOPE}")
    with pytest.raises(ValueError, match="unknown flag"):
        ChromeRules.parse("x\tabc\tsometimes")
    with pytest.raises(ValueError, match=r":1:"):
        ChromeRules.parse("x\t(unclosed")
    custom = ChromeRules.parse("[promo]\nbanner\tعرض خاص(?:\\s+اليوم)?\tend")
    match = custom.match("عرض خاص اليوم")
    assert match is not None and match.rule.key == "promo.banner" and match.rule.ends_body


DATA_FILES = [
    ("chrome_patterns.txt",),
    ("extract", "calendar.tsv"),
    ("extract", "count_multipliers.tsv"),
    ("extract", "generic_authors.tsv"),
    ("extract", "menu_words.tsv"),
]


@pytest.mark.parametrize("parts", DATA_FILES)
def test_data_files_are_clean(parts: tuple[str, ...]) -> None:
    text = resources.files("marsad").joinpath("data", *parts).read_text("utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("#") and any("Source" in line for line in lines[:20])
    for line in lines:
        # no Arabic presentation forms: they never match real text
        assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", line), line
        assert unicodedata.normalize("NFC", line) == line, line
    if parts[-1].endswith(".tsv"):
        rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
        if parts[-1] == "calendar.tsv":
            keyed = [(row[0], fold_text(row[2]).lower()) for row in rows]
        else:
            keyed = [("", fold_text(row[0]).lower()) for row in rows]
        assert len(keyed) == len(set(keyed)), "duplicate entries (after folding)"


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("نشر في 17 أكتوبر 2016", "2016-10-17"),
        ("الإثنين، ١٧ تشرين الأول ٢٠١٦ - ١٠:٣٠ ص", "2016-10-17"),
        ("5 آذار 2017", "2017-03-05"),
        ("17 أوت 2016", "2016-08-17"),
        ("3 غشت 2015", "2015-08-03"),
        ("2016/10/17", "2016-10-17"),
        ("17-10-2016", "2016-10-17"),
        ("10/17/2016", "2016-10-17"),  # only month-day can be right
        ("October 17, 2016", "2016-10-17"),
        ("16 محرم 1438 هـ", None),  # Hijri: not converted
        ("31 فبراير 2016", None),
        ("لا تاريخ هنا 12", None),
    ],
)
def test_parse_date_text(text: str, value: str | None) -> None:
    assert parse_date_text(text) == value


def test_iso_date() -> None:
    assert iso_date("2016-10-17") == "2016-10-17"
    assert iso_date("2016-10-17T23:30:00Z") == "2016-10-17"
    assert iso_date("2016-10-17T23:30:00+03:00") == "2016-10-17"
    assert iso_date("2016-02-30") is None
    assert iso_date("17/10/2016") is None
    assert iso_date("yesterday") is None


# ---------------------------------------------------------------- text dumps


def test_clean_text_dump_typical_blog_page() -> None:
    dump = "\n".join(
        [
            "الرئيسية » أخبار » العراق",
            "",
            "الصحف البريطانية تتابع أزمة كركوك",
            "بقلم: سامر الحسيني",
            "السبت 30 سبتمبر 2006",
            "٤٥٦ مشاهدة",
            "شارك",
            "فيسبوك",
            "تويتر",
            P1,
            "اقرأ أيضا",
            "مخاوف من انفجار الوضع في كركوك",
            "كتاب وودورد الجديد يربك البيت الأبيض",
            P2,
            "",
            "الصحف البريطانية تتابع أزمة كركوك",
            P3,
            "الوسوم: العراق، كردستان",
            "3 تعليقات",
            "التعليقات",
            "أبو أحمد",
            "تحليل ممتاز، الوضع في كركوك يحتاج إلى حل سياسي عاجل قبل فوات الأوان.",
            "جميع الحقوق محفوظة © 2006",
        ]
    )
    cleaned = clean_text_dump(dump)
    assert cleaned.title == "الصحف البريطانية تتابع أزمة كركوك"
    assert cleaned.paragraphs == [cleaned.title, P1, P2, P3]
    assert cleaned.text == f"{cleaned.title}\n\n{P1}\n\n{P2}\n\n{P3}"
    assert cleaned.author == "سامر الحسيني"
    assert cleaned.published == "2006-09-30"
    assert (cleaned.page_stats.views, cleaned.page_stats.comments) == (456, 3)
    reasons = dict(cleaned.removed)
    assert reasons["مخاوف من انفجار الوضع في كركوك"] == "related.heading+item"
    assert reasons["أبو أحمد"] == "comments.label+after"
    assert (
        reasons["تحليل ممتاز، الوضع في كركوك يحتاج إلى حل سياسي عاجل قبل فوات الأوان."]
        == "comments.label+after"
    )
    assert reasons["الرئيسية » أخبار » العراق"] == "navigation.crumbs"


def test_clean_text_dump_keeps_prose_with_chrome_words() -> None:
    dump = "\n".join(["عنوان الخبر", *PROSE[:12]])
    cleaned = clean_text_dump(dump)
    assert cleaned.paragraphs == ["عنوان الخبر", *PROSE[:12]]
    assert cleaned.removed == []


def test_comment_heading_before_the_article_does_not_end_it() -> None:
    cleaned = clean_text_dump("\n".join(["عنوان", "أضف تعليق", P1, P2]))
    assert cleaned.paragraphs == ["عنوان", P1, P2]


def test_title_rules() -> None:
    assert clean_text_dump(P1).title is None  # a lone line is the body
    assert clean_text_dump(P1).text == P1
    long_first = " ".join([P1, P2, P3])
    assert clean_text_dump(f"{long_first}\n{P2}").title is None
    assert clean_text_dump(f"{P2}\n{P3}").title is None  # a sentence with a full stop is no headline
    given = clean_text_dump(f"عنوان\n{P1}", title="عنوان")
    assert given.title == "عنوان" and given.text == P1
    kept = clean_text_dump(f"سطر قصير\n{P1}", title="عنوان آخر")
    assert kept.paragraphs == ["سطر قصير", P1]


def test_generic_account_is_no_author() -> None:
    cleaned = clean_text_dump(f"عنوان\nمشرف 1.3K مشاهدات0\n{P1}")
    assert cleaned.author is None
    assert cleaned.page_stats.views == 1300


# ---------------------------------------------------------------- HTML and extract_page


def test_extract_html_uses_metadata_and_cleans_body() -> None:
    html = (DATA / "article_ar.html").read_text("utf-8")
    result = extract_html(html)
    assert result.url == "https://alanbaa.example/world/2006/09/30/british-press-iraq"
    assert "اقرأ أيضا: مخاوف من انفجار الوضع في كركوك" in dict(result.removed)


def test_html_without_metadata_and_given_date() -> None:
    html = f"<html><body><div><h1>عنوان الخبر</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></body></html>"
    page = RawPage(html.encode("utf-8"), "html", "x.html", published="2016-10-17T10:00:00Z", id="given")
    article = extract_page(page)
    assert article.id == "given"
    assert article.published == "2016-10-17"
    for p in (P1, P2, P3):
        assert p in article.text


def test_html_with_div_soup_falls_back_to_the_page_text() -> None:
    html = f"<html><body><span>{P2}</span></body></html>"
    article = extract_page(RawPage(html.encode(), "html", "y.html"))
    assert P2 in article.text


def test_html_page_stats_ignore_sidebars() -> None:
    html = (
        "<html><body><aside class='sidebar'><h3>الأكثر قراءة</h3><span>9,999 مشاهدة</span></aside>"
        f"<article><h1>عنوان</h1><div class='meta'><span>٧٥ مشاهدة</span></div><p>{P1}</p><p>{P2}</p></article>"
        "</body></html>"
    )
    article = extract_page(RawPage(html.encode(), "html", "z.html"))
    assert article.page_stats.views == 75


def test_text_page_ids_dates_and_titles() -> None:
    dump = f"عنوان الخبر\nالإثنين 17 أكتوبر 2016\n{P1}\n{P2}"
    article = extract_page(RawPage(dump.encode("cp1256"), "text", "a.txt"))
    assert article.id == content_id(article.text) and len(article.id) == 16
    assert article.published == "2016-10-17"  # from the date line
    assert article.title == "عنوان الخبر" and article.source == "a.txt"
    assert article.language is None
    given = extract_page(
        RawPage(dump.encode(), "text", "a.txt", published="2020-01-02", title="عنوان آخر", url="https://x")
    )
    assert given.published == "2020-01-02"  # the source's date wins over a date line
    assert given.title == "عنوان آخر" and given.url == "https://x"
    assert given.text.startswith("عنوان الخبر")  # the given title is not searched for in the dump


def test_publication_date_order_of_trust() -> None:
    """HTML metadata, then the WARC record's date, then a given date."""
    bare = f"<html><body><article><p>{P1}</p><p>{P2}</p></article></body></html>".encode()
    dated = (
        '<html><head><meta property="article:published_time" content="2016-10-17T08:00:00Z"></head>'
        f"<body><article><p>{P1}</p><p>{P2}</p></article></body></html>"
    ).encode()
    warc = {"fetched": "2016-10-18T09:30:00Z"}
    assert extract_page(RawPage(bare, "html", "a.warc#3", **warc)).published == "2016-10-18"
    assert extract_page(RawPage(dated, "html", "a.warc#3", **warc)).published == "2016-10-17"
    both = RawPage(bare, "html", "a.warc#3", published="2016-01-01", **warc)
    assert extract_page(both).published == "2016-10-18"
    assert extract_page(RawPage(bare, "html", "a.html", published="2016-01-01")).published == "2016-01-01"
    assert extract_page(RawPage(dated, "html", "a.html", published="2016-01-01")).published == "2016-10-17"
    assert extract_page(RawPage(bare, "html", "a.html")).published is None


@pytest.mark.parametrize(
    ("page", "code"),
    [
        (RawPage(b"", "text", "e.txt"), "empty_input"),
        (RawPage(b"\n  \n", "text", "e.txt"), "empty_input"),
        (RawPage(b"\x89PNG\r\n\x1a\n" + bytes(100), "html", "p.html"), "binary_input"),
        (RawPage("اترك رد\nشارك\nفيسبوك\n".encode(), "text", "c.txt"), "no_body"),
        (RawPage(b"<html><body><nav>x</nav></body></html>", "html", "n.html"), "no_body"),
        (RawPage(P1.encode(), "text", "d.txt", published="yesterday"), "bad_date"),
        (RawPage(b"x" * 2000, "text", "big.txt"), "too_large"),
    ],
)
def test_extract_page_errors(page: RawPage, code: str) -> None:
    with pytest.raises(MarsadError) as exc:
        extract_page(page, max_bytes=1000)
    assert exc.value.code == code


def test_windows_1256_and_latin1_labelled_pages() -> None:
    utf8 = extract_page(RawPage((DATA / "article_ar.html").read_bytes(), "html", "a.html"))
    cp1256 = extract_page(RawPage((DATA / "article_ar_cp1256.html").read_bytes(), "html", "b.html"))
    assert cp1256.text == utf8.text and cp1256.title == utf8.title and cp1256.author == utf8.author
    pages = [p for p in read_inputs([str(DATA / "pages.warc.gz")]) if isinstance(p, RawPage)]
    golan = extract_page(pages[2])
    assert golan.title == "إسرائيل تأخذ تهديدات سوريا بشأن الجولان مأخذ الجد"
    assert "مرتفعات الجولان" in golan.text and "تدرس بجد" in golan.text
    assert golan.published == "2006-09-30"
    salhiya = extract_page(pages[1])
    assert "قضاء الصالحية ونايفة" in salhiya.text and salhiya.published == "2006-10-01"


def test_html_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import marsad.extract.html as html_mod

    monkeypatch.setattr(html_mod, "_trafilatura", lambda *a, **k: None)
    html = (
        '<html><head><meta property="article:published_time" content="2016-10-17T08:00:00Z"></head><body>'
        "<nav><ul><li>الرئيسية</li><li>أخبار</li><li>رياضة</li></ul></nav>"
        f"<h1>عنوان الخبر</h1><div>{P1}</div><div>{P2}</div><div>شارك</div><footer>جميع الحقوق محفوظة © 2016</footer>"
        "</body></html>"
    )
    article = extract_page(RawPage(html.encode(), "html", "f.html"))
    assert article.title == "عنوان الخبر"
    assert article.text == f"{P1}\n\n{P2}"
    assert article.published == "2016-10-17"  # htmldate, called directly


def test_fold_quick_agrees_with_fold() -> None:
    from marsad.extract.fold import fold, fold_quick

    samples = ["  مشرف  1.3K   مشاهدات0 ", "أُضِيفَ\u200f تعليقـــاً ٣٤٥", "\u200f", "", "a\u200b \u200b b", P1]
    for s in samples:
        assert fold_quick(s) == fold(s)[0]


def test_given_date_beats_a_dump_date_line_and_cli_date_counts_as_given() -> None:
    from marsad.pipeline.base import Pipeline

    dump = f"عنوان الخبر\nالإثنين 17 أكتوبر 2016\n{P1}\n{P2}".encode()
    pipe = Pipeline(extract_page, [], published_default="2016-10-20")
    (article,) = pipe.run([RawPage(dump, "text", "a.txt")])
    assert article.published == "2016-10-20"
    (article,) = Pipeline(extract_page, []).run([RawPage(dump, "text", "a.txt")])
    assert article.published == "2016-10-17"
