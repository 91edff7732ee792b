"""Suggesting a KBLI code from the business activity an office typed in its spreadsheet."""

import pytest

from sentra.kbli.models import Kbli, KbliLevel
from sentra.kbli.suggest import (
    BASIS_KEYWORD,
    BASIS_TITLE,
    KEYWORDS,
    Suggestion,
    normalise,
    stem,
    suggest_kbli,
    suggest_one,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # From the curated table, with offices' spellings
        ("Pembuatan keripik singkong", "10794"),
        ("Kripik Pisang", "10313"),  # KBLI puts fruit chips with dried fruit
        ("KRUPUK IKAN", "10794"),
        ("keripik tempe", "10794"),  # a keripik; 10793's title excludes tempe
        ("Nasi pecel", "56103"),  # the issue: nothing was suggested; a dish, "pecel ayam" in 56103's examples
        ("peyek kacang", "10793"),  # 10794's scope note sends keripik/peyek of kacang-kacangan there
        ("tempe bongkrek", "10393"),
        ("ternak ayam potong", "01461"),  # not 10120, "potong ayam"
        ("warung makan", "56102"),
        ("RM Padang", "56102"),
        ("bakso", "56102"),  # a fixed-place stall, not 56104 keliling
        ("bakso ikan", "10216"),
        ("jahit pakaian", "14120"),
        ("Penjahit", "14120"),
        ("konveksi", "14111"),
        ("bengkel motor", "45407"),
        ("bengkel las", "25111"),
        ("TERASI", "10295"),
        ("ikan asap", "10212"),
        ("pengasapan ikan", "10212"),
        ("kue basah", "10792"),
        ("toko kelontong/sembako", "47112"),
        ("pangkas rambut", "96111"),
        ("Laundry kiloan", "96200"),
        ("budidaya lele", "03221"),
        ("budi daya ikan hias", "03225"),  # the longer phrase wins over "budidaya ikan"
        ("batik tulis", "13134"),
        ("Mebel jati", "31001"),
        ("meubel & ukiran", "31001"),  # equal length: the one named first
        ("jamu", "21022"),
        ("jamu gendong", "56306"),
        ("Kerajinan anyaman bambu", "16291"),
        ("sablon kaos", "13133"),
        ("konter pulsa", "61999"),
        ("Catering", "56210"),
        ("kopi bubuk", "10761"),
        ("gula aren", "10722"),
        ("foto copy", "82190"),
        ("jual sepatu", "47712"),
        ("sepatu", "15201"),
        ("madu hutan", "02307"),
        # A trade word overrides a farming keyword: "jual sayur" is retail, not farming
        ("pedagang sayur", "47213"),
        # Fallback: scoring against the KBLI titles
        ("pembuatan garam", "10774"),
        ("minyak goreng kelapa", "10423"),  # beats "... KELAPA SAWIT", which has a word not typed
        ("pembuatan gula pasir", "10721"),
        ("peternakan babi", "01450"),
        ("kebun karet", "01291"),  # "kebun" found in PERKEBUNAN by stripping affixes
        ("penerbitan buku", "58110"),
        ("alat musik tradisional", "32201"),
        ("pengolahan rumput laut", "10298"),  # a full title match beats the keyword "rumput laut"
    ],
)
def test_suggests_expected_code(text, code):
    suggestion = suggest_one(text)
    assert suggestion is not None, text
    assert suggestion.code == code
    assert 0 < suggestion.score <= 1
    assert suggestion.title == Kbli.objects.get(code=code).title


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "-",
        "lain-lain",
        "LAIN LAIN",
        "usaha",
        "asdf qwerty",
        "zzzz",
        "ikan",  # fishing, farming, processing or trade: too vague
        "toko obat",  # for people or for animals: a tie
        "sangkar burung",
    ],
)
def test_no_suggestion_rather_than_a_wrong_one(text):
    assert suggest_one(text) is None


@pytest.mark.parametrize("text", ["jual ayam potong", "penjual jagung", "toko madu"])
def test_a_trade_word_keeps_a_farming_or_making_keyword_away(text):
    suggestion = suggest_one(text)
    assert suggestion is None or suggestion.code[:2] in {"45", "46", "47"}


def test_basis_says_where_the_suggestion_came_from():
    keyword = suggest_one("laundry")
    title = suggest_one("pembuatan garam")
    assert keyword is not None and keyword.basis == BASIS_KEYWORD and keyword.score == 1.0
    assert title is not None and title.basis == BASIS_TITLE
    assert str(BASIS_KEYWORD) == "kata kunci"
    assert str(BASIS_TITLE) == "judul KBLI"


def test_extra_words_lower_a_keyword_score():
    exact = suggest_one("keripik")
    with_brand = suggest_one("keripik cap Mawar")
    assert exact is not None and with_brand is not None
    assert with_brand.code == exact.code
    assert with_brand.score < exact.score


def test_batch_keys_by_given_text_and_shares_work_per_normalised_text():
    texts = ["Kripik Pisang", "keripik  pisang", "KERIPIK PISANG!", "lain-lain", "Kripik Pisang"]
    result = suggest_kbli(texts)
    assert list(result) == ["Kripik Pisang", "keripik  pisang", "KERIPIK PISANG!", "lain-lain"]
    assert result["Kripik Pisang"] is result["keripik  pisang"] is result["KERIPIK PISANG!"]
    assert isinstance(result["Kripik Pisang"], Suggestion)
    assert result["lain-lain"] is None


def test_batch_costs_a_bounded_number_of_queries(django_assert_max_num_queries):
    words = ["keripik", "warung makan", "pembuatan garam", "kebun karet", "asdf", "batik", "jahit", "laundry"]
    texts = [f"{word} {number}" if number % 3 else f"{word} Bu Sri {number}" for number in range(25) for word in words]
    assert len(set(texts)) == 200
    with django_assert_max_num_queries(2):
        result = suggest_kbli(texts)
    assert len(result) == 200
    assert result["keripik 1"] is not None and result["keripik 1"].code == "10794"


def test_empty_batch_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert suggest_kbli(["", " ", "--"]) == {"": None, " ": None, "--": None}


def test_every_curated_code_is_a_real_subclass():
    subclasses = set(Kbli.objects.filter(level=KbliLevel.SUBCLASS).values_list("code", flat=True))
    assert len(subclasses) == 1790
    assert set(KEYWORDS) - subclasses == set()


def test_curated_table_is_large_and_each_phrase_names_one_code():
    seen: dict[str, str] = {}
    for code, phrases in KEYWORDS.items():
        assert phrases, code
        for phrase in phrases:
            normalised = normalise(phrase)
            assert normalised, phrase
            assert seen.setdefault(normalised, code) == code, f"{phrase!r} under {seen[normalised]} and {code}"
    assert len(seen) >= 120


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Kripik   SINGKONG!! ", "keripik singkong"),
        ("Meubel & Ukiran", "mebel dan ukiran"),
        ("toko kelontong/sembako", "toko kelontong sembako"),
        ("Krupuk udang (kiloan)", "kerupuk udang kiloan"),
        ("budi daya lele", "budidaya lele"),
        ("Home Industri Tempe", "tempe"),
        ("123", ""),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("pengasapan", "asap"),
        ("pertanian", "tani"),
        ("penjahit", "jahit"),
        ("perkebunan", "kebun"),
        ("pemanggangan", "panggang"),
        ("penanaman", "tanam"),
        ("ikan", "ikan"),  # short words are left alone
        ("peyek", "peyek"),
    ],
)
def test_stem(word, expected):
    assert stem(word) == expected
