"""The Arabic number reader: every form of the issue, with spans and values."""

from __future__ import annotations

import unicodedata
from importlib import resources

import pytest

from marsad.arabic.numbers import NumberMention, find_numbers, ordinal_forms, parse_number


def one(text: str) -> NumberMention:
    found = find_numbers(text)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start:m.end] == m.text
    return m


@pytest.mark.parametrize(
    ("text", "span", "value", "kind"),
    [
        ("مقتل 45 شخصاً", "45", 45, "digits"),
        ("مقتل ٤٥ شخصاً", "٤٥", 45, "digits"),  # Eastern Arabic digits
        ("مقتل ۴۵ شخصاً", "۴۵", 45, "digits"),  # Persian digits
        ("نزوح ١٬٢٠٠ شخص", "١٬٢٠٠", 1200, "digits"),  # Arabic thousands separator
        ("نزوح 1,200 شخص", "1,200", 1200, "digits"),
        ("بلغت النسبة ٣٫٥", "٣٫٥", 3.5, "digits"),  # Arabic decimal separator
        ("دفعت 2,5 مليون دولار", "2,5 مليون", 2_500_000, "digits"),
        ("1.3K مشاهدات", "1.3K", 1300, "counter"),
        ("قتل مئة وخمسة وأربعون جندياً", "مئة وخمسة وأربعون", 145, "words"),
        ("قتل مائة وخمسة وأربعين جندياً", "مائة وخمسة وأربعين", 145, "words"),
        ("بلغ عددهم ثلاثة آلاف", "ثلاثة آلاف", 3000, "words"),
        ("بلغ عددهم ألفان", "ألفان", 2000, "words"),
        ("نزح ألفا شخص", "ألفا", 2000, "words"),  # construct dual
        ("نزح خمسون ألفاً", "خمسون ألفاً", 50_000, "words"),
        ("نزح أحد عشر ألفاً", "أحد عشر ألفاً", 11_000, "words"),
        ("قتل ثلاث عشرة امرأة", "ثلاث عشرة", 13, "words"),
        ("خسائر بـ 1.5 مليون دولار", "1.5 مليون", 1_500_000, "digits"),
        ("خسائر بثلاثة ملايين و500 ألف دولار", "ثلاثة ملايين و500 ألف", 3_500_000, "digits"),  # mixed
        ("تضرر نصف مليون شخص", "نصف مليون", 500_000, "words"),
        ("وصل عددهم إلى مليون ونصف المليون", "مليون ونصف المليون", 1_500_000, "words"),
        ("قتل ثلاثمئة وخمسون ألفاً", "ثلاثمئة وخمسون ألفاً", 350_000, "words"),
        ("أكثر من 37الف قتيل", "أكثر من 37الف", 37_000, "digits"),  # digits glued to a word
        ("الدورة الخامس عشر", "الخامس عشر", 15, "ordinal"),
        ("في الحادي والعشرين من الشهر", "الحادي والعشرين", 21, "ordinal"),
        ("الذكرى الـ50 للثورة", "الـ50", 50, "ordinal"),
        ("احتل المرتبة الـ14", "الـ14", 14, "ordinal"),
        ("إن الأشخاص ال ـ 14 اعتقلوا", "ال ـ 14", 14, "digits"),  # after a definite plural: a count
        ("أفرج عن المعتقلين الـ5", "الـ5", 5, "digits"),
    ],
)
def test_forms(text: str, span: str, value: float, kind: str) -> None:
    found = [m for m in find_numbers(text) if m.text == span]
    assert found, find_numbers(text)
    m = found[0]
    assert m.value == value and m.kind == kind
    assert text[m.start:m.end] == span


@pytest.mark.parametrize(
    ("text", "span", "noun"),
    [("سقط قتيلان", "قتيلان", "قتيل"), ("مقتل جنديين", "جنديين", "جندي"), ("إصابة طفلين", "طفلين", "طفل"),
     ("وامرأتان", "امرأتان", "امرأة"), ("أفرج عن الرهينتين", "الرهينتين", "رهينة"),
     ("مقتل جنديين اثنين", "جنديين اثنين", "جندي")],
)
def test_duals(text: str, span: str, noun: str) -> None:
    m = one(text)
    assert (m.text, m.value, m.kind, m.unit_noun) == (span, 2, "dual", noun)


def test_sound_plurals_are_not_duals() -> None:
    # مدنيين and نازحين are plurals as often as duals: no figure is invented
    assert find_numbers("قتل مدنيين في القصف ونزوح نازحين") == []


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [("عشرات الجرحى", "عشرات", 10), ("مئات المعتقلين", "مئات", 100), ("آلاف النازحين", "آلاف", 1000),
     ("عشرات الآلاف من النازحين", "عشرات الآلاف", 10_000), ("مئات الآلاف من اللاجئين", "مئات الآلاف", 100_000),
     ("أصيب العشرات", "العشرات", 10), ("لعشرات الأسر", "عشرات", 10), ("للعشرات من الأسر", "للعشرات", 10)],
)
def test_vague_quantities(text: str, span: str, value: int) -> None:
    m = one(text)
    assert (m.text, m.value, m.kind, m.approx) == (span, value, "vague", True)


@pytest.mark.parametrize(("text", "span"), [("اعتقل عدد من المتظاهرين", "عدد من"),
                                            ("أصيب بعض المارة", "بعض")])
def test_quantities_without_magnitude(text: str, span: str) -> None:
    m = one(text)
    assert (m.text, m.value, m.kind) == (span, None, "vague")


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [("قتل أكثر من 50 شخصاً", "أكثر من 50", 50), ("نزح نحو ألفي شخص", "نحو ألفي", 2000),
     ("اعتقل حوالي 50 شخصاً", "حوالي 50", 50), ("اعتقل حوالى 50 شخصاً", "حوالى 50", 50),
     ("قتل ما لا يقل عن 20 مدنياً", "ما لا يقل عن 20", 20), ("بقرابة ثلاثين", "قرابة ثلاثين", 30)],
)
def test_approximate(text: str, span: str, value: int) -> None:
    m = one(text)
    assert (m.text, m.value, m.approx) == (span, value, True)


def test_at_least_after_the_noun_is_approximate() -> None:
    m = one("مقتل 76 شخصا على الأقل")
    assert (m.text, m.value, m.approx, m.unit_noun) == ("76", 76, True, "شخصا")


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [("وخمسة جرحى", "خمسة", 5), ("بثلاثة صواريخ", "ثلاثة", 3), ("لعشرين عاماً", "عشرين", 20),
     ("فأربعة منهم", "أربعة", 4), ("ثلاث قذائف", "ثلاث", 3), ("ثلاثة جنود", "ثلاثة", 3),
     ("عشرين شخصاً", "عشرين", 20), ("عشرون شخصاً", "عشرون", 20), ("اثنان منهم", "اثنان", 2),
     ("اثنين منهم", "اثنين", 2), ("اثنتان منهن", "اثنتان", 2), ("مئة عام", "مئة", 100),
     ("مائة عام", "مائة", 100), ("ألف شخص", "ألف", 1000)],
)
def test_clitics_gender_and_case(text: str, span: str, value: int) -> None:
    m = one(text)
    assert (m.text, m.value) == (span, value)


def test_numbers_in_quotes_and_glued_to_words() -> None:
    text = "قال إن «٣٠» عائلة نزحت و\"45\" قتيلاً سقطوا، وقُتل٤٥شخصا"
    got = [(m.text, m.value) for m in find_numbers(text)]
    assert got == [("٣٠", 30), ("45", 45), ("٤٥", 45)]
    for m in find_numbers(text):
        assert text[m.start:m.end] == m.text


def test_unit_noun_and_percent() -> None:
    m = one("ارتفع بنسبة 50 في المئة")
    assert (m.value, m.unit_noun) == (50, "%")
    m = one("مقتل 45 شخصاً")
    assert m.unit_noun == "شخصاً"
    m = one("عشرات من الجرحى")
    assert m.unit_noun == "الجرحى"


@pytest.mark.parametrize("text", ["في 20/10/2016 وقع", "الساعة 10:30 صباحا", "فاز 6 / 4",
                                  "طائرة F16", "تشرين الأول", "ربيع الأول", "يوم الاثنين",
                                  "أحد الجنود", "في المائة"])
def test_not_figures(text: str) -> None:
    assert find_numbers(text) == []


def test_lists_joined_by_wa_are_separate_figures() -> None:
    got = [(m.text, m.value) for m in find_numbers("بين800 و1000 رجل")]
    assert got == [("800", 800), ("1000", 1000)]


@pytest.mark.parametrize(
    ("text", "value"),
    [("ثلاثة آلاف", 3000), ("١٬٢٠٠", 1200), ("1.3K", 1300), ("مئة وخمسة وأربعون", 145),
     ("ألفان", 2000), ("الخامس عشر", 15), ("بثلاثة", 3), ("عشرات الآلاف", 10_000),
     ("45 شخصاً", None), ("", None), ("ثلاثة وأربعة كتب", None), ("كلمة", None)],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_ordinal_forms_cover_the_days_of_a_month() -> None:
    forms = ordinal_forms(31)
    assert set(range(1, 32)) <= set(forms.values())
    assert forms["الخامس عشر"] == 15
    assert forms["الحادي والثلاثين"] == 31


def test_data_file_is_clean() -> None:
    path = resources.files("marsad") / "data" / "arabic" / "numbers.tsv"
    seen = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        form, value, kind = line.split("\t")
        assert not any(0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFF for c in form), form
        assert unicodedata.normalize("NFKC", form) == form, form
        assert (form, kind) not in seen, f"duplicate {form} {kind}"
        seen.add((form, kind))
        assert value == "-" or float(value) >= 0


def test_duals_of_sound_plural_nouns_count_only_where_unambiguous():
    from marsad.arabic.numbers import parse_number

    # -ان is a dual whatever the noun; -ين of a noun with a sound plural is also its plural
    assert parse_number("مدنيان") == 2 and parse_number("فلسطينيان") == 2 and parse_number("نازحان") == 2
    assert parse_number("مدنيين") is None and parse_number("نازحين") is None
    # صبي: صبيين is two boys, صبيان may be the plural "boys"
    assert parse_number("صبيين") == 2 and parse_number("صبيان") is None
