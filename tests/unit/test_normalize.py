import random
import unicodedata

import pytest

from marsad.arabic.normalize import is_irregular, normalize, normalize_with_map


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),  # alef forms
        ("مصطفى على", "مصطفي علي"),  # alef maqsura
        ("مدينة الموصلة", "مدينه الموصله"),  # teh marbuta
        ("مؤتمر رئيس", "موتمر رييس"),  # hamza on waw and yeh
        ("الموصـــل", "الموصل"),  # tatweel
        ("مُحَمَّدٌ يَكْتُبُ", "محمد يكتب"),  # harakat, shadda, sukun, tanween
        ("رحمٰن", "رحمن"),  # superscript alef
        ("الرَّحِيمِ ۝ ذَٰلِكَ ٱلۡكِتَٰبُ", "الرحيم  ذلك الكتب"),  # Quranic marks
        ("\u200fالعراق\u200e \u202bبغداد\u202c \u2067x\u2069\ufeff\u061c\u200b", "العراق بغداد x"),  # bidi marks
        ("٢٠١٦ و۱۳۹۵", "2016 و1395"),  # Eastern Arabic and Persian digits
        ("هل؟ نعم، لا؛ ٣٫٥ ١٬٠٠٠", "هل؟ نعم، لا؛ 3٫5 1٬000"),  # punctuation kept
        ("Reuters AFP Ümit", "reuters afp ümit"),  # Latin lowercased
        ("ایران کرد", "ايران كرد"),  # Farsi yeh and keheh
    ],
)
def test_rules(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ﻻ", "لا"),
        ("ﻷ", "لا"),
        ("ﻵ", "لا"),
        ("ﺑﺎﻟﻤﻮﺻﻞ", "بالموصل"),
        ("ﺍﻟﻌﺮﺍﻕ", "العراق"),
        ("ﷲ", "الله"),
        ("ﻣﺆﺗﻤﺮ", "موتمر"),
        ("ﺓ", "ه"),
        ("ﹰ", ""),  # isolated tanween vanishes instead of becoming a space
    ],
)
def test_presentation_forms_fold(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_no_foldable_presentation_form_survives() -> None:
    for lo, hi in ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF)):
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if unicodedata.normalize("NFKC", ch) == ch:
                continue  # symbols with no compatibility mapping stay
            out = normalize(ch)
            assert not any(0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFF for c in out), hex(cp)


def test_idempotent_on_every_bmp_character() -> None:
    chars = "".join(chr(cp) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF)
    once = normalize(chars)
    assert normalize(once) == once


def _random_text(rng: random.Random, n: int) -> str:
    pools = [
        "ابتثجحخدذرسشصضطظعغفقكلمنهويءآأؤإئىة",
        "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640",
        "ﻻﻷﺑﺎﻟﻤﻮﺻﻞﷲﹰﻼ",
        "\u200f\u200e\u202b\u202c\u2066\u2069\ufeff\u061c\u200c\u200d",
        "٠١٢٣٤٥٦٧٨٩۰۱۲۳ 0123456789.,٫٬",
        "AbcXYZİ éü «»“”\"'()،؛؟!?\n\t",
        "😀👍🏽\u0301",
    ]
    return "".join(rng.choice(rng.choice(pools)) for _ in range(n))


def test_idempotent_and_map_round_trips_on_random_text() -> None:
    rng = random.Random(1234)
    for _ in range(300):
        text = _random_text(rng, rng.randint(0, 60))
        norm, index = normalize_with_map(text)
        assert norm == normalize(text)
        assert normalize(norm) == norm
        assert len(index) == len(norm)
        assert index == sorted(index)
        assert all(0 <= i < len(text) for i in index)
        # rebuilding the normal form character by character from the map
        rebuilt = "".join(normalize(text[i]) for i in sorted(set(index)))
        assert rebuilt == norm


def test_map_points_back_to_original_offsets() -> None:
    text = "قصفٌ على بِالْمَوْصِلِ أمس"
    norm, index = normalize_with_map(text)
    i = norm.index("الموصل")
    j = i + len("الموصل")
    start, end = index[i], index[j - 1] + 1
    assert text[start:end] == "الْمَوْصِل"
    assert normalize(text[start:end]) == "الموصل"


def test_map_for_presentation_ligature_and_removed_marks() -> None:
    text = "ﻻ\u200fبَ"
    norm, index = normalize_with_map(text)
    assert norm == "لاب"
    assert index == [0, 0, 2]
    assert is_irregular(text)
    assert not is_irregular("الموصل")
    assert normalize_with_map("الموصل") == ("الموصل", list(range(6)))
