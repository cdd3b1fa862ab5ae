"""The Arabic date resolver: forms, resolution against publication, spans, data files."""

from __future__ import annotations

import unicodedata
from importlib import resources

import pytest
from babel import Locale

from marsad.arabic.dates import find_dates, parse_anchor
from marsad.arabic.normalize import normalize
from marsad.documents import Article
from marsad.enrich.dates import DateStage
from marsad.errors import MarsadError
from marsad.pipeline.base import check_chain

PUB = "2016-10-20"  # a Thursday


def dates(text: str, published: str | None = PUB) -> list[tuple[str, str | None, str | None]]:
    found = find_dates(text, published)
    for d in found:
        assert text[d.start:d.end] == d.text
    return [(d.text, d.value, d.precision) for d in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Gregorian months, both systems, Maghrebi and combined forms
        ("في 17 تشرين الأول 2016", ("17 تشرين الأول 2016", "2016-10-17", "day")),
        ("في 17 أكتوبر 2016", ("17 أكتوبر 2016", "2016-10-17", "day")),
        ("في 17 أكتوبر/تشرين الأول 2016", ("17 أكتوبر/تشرين الأول 2016", "2016-10-17", "day")),
        ("في 17 تشرين الأول (أكتوبر) 2016", ("17 تشرين الأول (أكتوبر) 2016", "2016-10-17", "day")),
        ("يوم 3 جانفي 2015", ("يوم 3 جانفي 2015", "2015-01-03", "day")),
        ("في 14 فيفري 2011", ("14 فيفري 2011", "2011-02-14", "day")),
        ("في 31 غشت الماضي", ("31 غشت الماضي", "2016-08-31", "day")),
        ("في 12 أوت الماضي", ("12 أوت الماضي", "2016-08-12", "day")),
        ("خلال ماي المقبل", ("ماي المقبل", "2017-05", "month")),
        ("في جوان 2012", ("جوان 2012", "2012-06", "month")),
        ("في أيار/مايو 1950", ("أيار/مايو 1950", "1950-05", "month")),
        ("في الخامس عشر من آذار 2011", ("الخامس عشر من آذار 2011", "2011-03-15", "day")),
        ("في الـ20 من أكتوبر 2016", ("الـ20 من أكتوبر 2016", "2016-10-20", "day")),
        ("في الرابع والعشرين من الشهر الجاري", ("الرابع والعشرين من الشهر الجاري", "2016-10-24", "day")),
        ("في أكتوبر الماضي", ("أكتوبر الماضي", "2015-10", "month")),
        ("في سبتمبر الماضي", ("سبتمبر الماضي", "2016-09", "month")),
        ("في 12 أكتوبر الجاري", ("12 أكتوبر الجاري", "2016-10-12", "day")),
        ("في ديسمبر", ("ديسمبر", "2016-12", "month")),  # nearest to publication
        ("في ديسمبر / كانون الأول من العام الماضي", ("ديسمبر / كانون الأول من العام الماضي", "2015-12", "month")),
        # Hijri
        ("في 15 رمضان 1437 هـ", ("15 رمضان 1437 هـ", "2016-06-20", "day")),
        ("خلال رمضان 1437", ("رمضان 1437", "2016-06-06/2016-07-05", "month")),
        ("عام 1437 هـ", ("عام 1437 هـ", "2015-10-14/2016-10-01", "year")),
        ("في 25 ذي الحجة 634 هـ", ("25 ذي الحجة 634 هـ", None, "day")),  # before the tables
        # years, ranges, numeric dates, decades, eras
        ("عام 2005", ("عام 2005", "2005", "year")),
        ("في 2005 بدأت", ("2005", "2005", "year")),
        ("للعام 2005", ("للعام 2005", "2005", "year")),
        ("عام ٢٠١٥", ("عام ٢٠١٥", "2015", "year")),
        ("عام 2005-2006", ("عام 2005-2006", "2005/2006", "range")),
        ("بين عامي 1975 و1990", ("بين عامي 1975 و1990", "1975/1990", "range")),
        ("خلال عامي 2002 و2003", ("عامي 2002 و2003", "2002/2003", "range")),
        ("(1882 - 1963)", ("1882 - 1963", "1882/1963", "range")),
        ("في 20/10/2016", ("20/10/2016", "2016-10-20", "day")),
        ("في ١٥/٣/٢٠١١", ("١٥/٣/٢٠١١", "2011-03-15", "day")),
        ("في 2016-10-20", ("2016-10-20", "2016-10-20", "day")),
        ("في التسعينيات", ("التسعينيات", "1990/1999", "range")),
        ("ثمانينيات القرن الماضي", ("ثمانينيات القرن الماضي", "1980/1989", "range")),
        ("سنة 250 ق.م", ("سنة 250 ق.م", "-0249", "year")),
        ("عام 1629 م", ("عام 1629 م", "1629", "year")),
        ("عام 1984من اجل", ("عام 1984", "1984", "year")),
        # relative expressions
        ("قال أمس إن", ("أمس", "2016-10-19", "day")),
        ("وأمس قال", ("أمس", "2016-10-19", "day")),
        ("أول أمس", ("أول أمس", "2016-10-18", "day")),
        ("أول من أمس", ("أول من أمس", "2016-10-18", "day")),
        ("امس الاول", ("امس الاول", "2016-10-18", "day")),
        ("مساء أمس الأربعاء", ("مساء أمس الأربعاء", "2016-10-19", "day")),
        ("صباح اليوم", ("صباح اليوم", "2016-10-20", "day")),
        ("اليوم الخميس", ("اليوم الخميس", "2016-10-20", "day")),
        ("تجرى الانتخابات غداً", ("غداً", "2016-10-21", "day")),
        ("يوم غد", ("يوم غد", "2016-10-21", "day")),
        ("يوم الثلاثاء", ("يوم الثلاثاء", "2016-10-18", "day")),
        ("يوم الخميس", ("يوم الخميس", "2016-10-20", "day")),  # on or before publication
        ("الخميس الماضي", ("الخميس الماضي", "2016-10-13", "day")),
        ("الثلاثاء المقبل", ("الثلاثاء المقبل", "2016-10-25", "day")),
        ("الجمعة الفائتة", ("الجمعة", "2016-10-14", "day")),
        ("ابتداء من الأربعاء", ("الأربعاء", "2016-10-26", "day")),  # an explicit future marker
        ("يومي الجمعة والسبت الماضيين", ("يومي الجمعة والسبت الماضيين", "2016-10-14/2016-10-15", "range")),
        ("الأسبوع الماضي", ("الأسبوع الماضي", "2016-10-10/2016-10-16", "week")),
        ("الأسبوع قبل الماضي", ("الأسبوع قبل الماضي", "2016-10-03/2016-10-09", "week")),
        ("هذا الأسبوع", ("هذا الأسبوع", "2016-10-17/2016-10-23", "week")),
        ("الشهر الماضي", ("الشهر الماضي", "2016-09", "month")),
        ("الشهر المقبل", ("الشهر المقبل", "2016-11", "month")),
        ("العام الماضي", ("العام الماضي", "2015", "year")),
        ("السنة الماضية", ("السنة الماضية", "2015", "year")),
        ("هذا العام", ("هذا العام", "2016", "year")),
        ("الصيف الماضي", ("الصيف الماضي", "2016-06/2016-08", "season")),
        ("الشتاء الماضي", ("الشتاء الماضي", "2015-12/2016-02", "season")),
        ("الصيف المقبل", ("الصيف المقبل", "2017-06/2017-08", "season")),
        ("صيف 2014", ("صيف 2014", "2014-06/2014-08", "season")),
        ("منذ عامين", ("منذ عامين", "2014", "year")),
        ("قبل ثلاثة أيام", ("قبل ثلاثة أيام", "2016-10-17", "day")),
        ("قبل 27 عاماً", ("قبل 27 عاماً", "1989", "year")),
        ("قبل شهرين", ("قبل شهرين", "2016-08", "month")),
        ("منذ ثلاثة أسابيع", ("منذ ثلاثة أسابيع", "2016-09-26/2016-10-02", "week")),
        ("قبل عام ونصف", ("قبل عام ونصف", "2015-04", "month")),
        ("خلال الأشهر الستة الماضية", ("الأشهر الستة الماضية", "2016-04-20/2016-10-20", "range")),
        ("خلال العامين الماضيين", ("العامين الماضيين", "2014-10-20/2016-10-20", "range")),
        ("خلال الساعات الـ24 الماضية", ("الساعات الـ24 الماضية", "2016-10-19/2016-10-20", "range")),
        ("خلال الأعوام الأربعة المقبلة", ("الأعوام الأربعة المقبلة", "2016-10-20/2020-10-20", "range")),
        ("مطلع الشهر الجاري", ("مطلع الشهر الجاري", "2016-10-01/2016-10-10", "range")),
        ("منتصف آذار الماضي", ("منتصف آذار الماضي", "2016-03-11/2016-03-20", "range")),
        ("أواخر أيلول 2016", ("أواخر أيلول 2016", "2016-09-21/2016-09-30", "range")),
        ("نهاية عام 2001", ("نهاية عام 2001", "2001-09/2001-12", "range")),
        ("مطلع الأسبوع الجاري", ("مطلع الأسبوع الجاري", "2016-10-17/2016-10-23", "week")),
        # measured from another event, not from publication
        ("بعد عامين ونصف العام من سيطرته", ("بعد عامين ونصف العام", None, "month")),
        ("قبل يومين من الانتخابات", ("قبل يومين", None, "day")),
        ("هجمات الحادي عشر من سبتمبر", ("الحادي عشر من سبتمبر", "2001-09-11", "day")),
    ],
)
def test_expressions(text: str, expected: tuple[str, str | None, str | None]) -> None:
    assert dates(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "وأكد أن الحزب مارس الضغط على الحكومة",  # مارس, the verb
        "وقال إن أب الضحية فقد الوعي",  # أب, father
        "وقال جوان كارلوس إن الاتفاق قريب",  # a name
        "ولا يزال العام يحمل مفاجآت، حسب الرأي العام",  # العام alone
        "احتفلت المدينة باليوم الوطني، وفي اليوم التالي هاجموا القرية",
        "غدا المشهد السياسي أكثر تعقيدا",  # غدا, the verb
        "سقط أكثر من 2000 قتيل وأصيب 1990 آخرون",  # numbers that are not years
        "بلغت الخسائر 2016 مليون دولار",
        "وقال إن الاثنين لم يلتقيا منذ سنوات",  # the two; a vague duration
        "الأمين العام الحالي للأمم المتحدة",
        "قوى 14 آذار المعارضة",  # a political bloc
        "في القرن 19م",  # a century
        "كانت أمسية جميلة في الأمسيات",  # أمس inside words
        "فاز 6 / 4 و6 / 3",
    ],
)
def test_no_false_dates(text: str) -> None:
    assert dates(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("أمس", ("أمس", None, "day")), ("الأسبوع الماضي", ("الأسبوع الماضي", None, "week")),
     ("الشهر الماضي", ("الشهر الماضي", None, "month")), ("الصيف الماضي", ("الصيف الماضي", None, "season")),
     ("منذ عامين", ("منذ عامين", None, "year")), ("يوم السبت", ("يوم السبت", None, "day")),
     ("خلال الأشهر الستة الماضية", ("الأشهر الستة الماضية", None, "range")),
     ("في 12 مارس 2015", ("12 مارس 2015", "2015-03-12", "day"))],
)
def test_without_publication_date(text: str, expected: tuple[str, str | None, str | None]) -> None:
    assert dates(text, None) == [expected]


def test_offsets_point_into_text_with_marks_and_tatweel() -> None:
    text = "قُتِلَ ثلاثة غداً، ووصلوا في الـ١٥ من شهر آذار ٢٠١١، ثم للعام 2012."
    got = dates(text)
    assert got == [("غداً", "2016-10-21", "day"), ("الـ١٥ من شهر آذار ٢٠١١", "2011-03-15", "day"),
                   ("للعام 2012", "2012", "year")]


def test_anchor_parsing() -> None:
    assert parse_anchor("2016-10-20T08:00:00+03:00").isoformat() == "2016-10-20"
    assert parse_anchor(None) is None
    with pytest.raises(MarsadError) as err:
        find_dates("أمس", "yesterday")
    assert err.value.code == "bad_date"
    with pytest.raises(MarsadError):
        parse_anchor("2016-13-45")


def test_stage_fills_dates() -> None:
    stage = DateStage()
    check_chain([stage], available={"text", "published", "language"})
    art = Article(id="a", text="قتل ثلاثة أمس في غارة", published=PUB, language="ar")
    (out,) = stage.process([art])
    assert isinstance(out, Article)
    assert [(d.text, d.value) for d in out.dates] == [("أمس", "2016-10-19")]
    assert stage.name == "dates.rules.v1" and stage.languages == frozenset({"ar"})


# ------------------------------------------------------------------ data files


def _rows(*path: str) -> list[list[str]]:
    res = resources.files("marsad").joinpath("data", *path)
    return [line.split("\t") for line in res.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("path", [("arabic", "months.tsv"), ("dates", "words.tsv"), ("dates", "named.tsv")])
def test_data_files_are_clean(path: tuple[str, str]) -> None:
    seen = set()
    for row in _rows(*path):
        form = row[0]
        assert not any(0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFF for c in form), form
        assert unicodedata.normalize("NFKC", form) == form, form
        key = (form, row[1])
        assert key not in seen, f"duplicate {key}"
        seen.add(key)


def test_month_names_agree_with_cldr() -> None:
    ours = {normalize(r[0]): int(r[2]) for r in _rows("arabic", "months.tsv") if r[1] == "gregorian"}
    for loc in ("ar", "ar_EG", "ar_SY", "ar_IQ", "ar_LB", "ar_DZ", "ar_TN", "ar_MA", "ar_MR"):
        for num, name in Locale.parse(loc).months["format"]["wide"].items():
            assert ours.get(normalize(name)) == num, (loc, name)


def test_weekday_names_agree_with_cldr() -> None:
    ours = {normalize(r[0]): int(r[2]) for r in _rows("dates", "words.tsv") if r[1] == "weekday"}
    for babel_index, name in Locale.parse("ar").days["format"]["wide"].items():
        assert ours[normalize(name)] == babel_index + 1  # babel: 0 is Monday


def test_hijri_month_names_agree_with_hijridate() -> None:
    from hijridate import Hijri

    ours = {normalize(r[0]): int(r[2]) for r in _rows("arabic", "months.tsv") if r[1] == "hijri"}
    for m in range(1, 13):
        assert ours[normalize(Hijri(1437, m, 1).month_name("ar"))] == m
