"""Each normaliser on cells as Indonesian offices write them."""

import datetime as dt

import pytest

from sentra.linkage import normalize


@pytest.mark.parametrize(
    "cell,name",
    [
        ("Hj. Siti Aminah, S.Pd.", "siti aminah"),
        ("IBU SITI AMINAH", "siti aminah"),
        ("Bu Siti Aminah", "siti aminah"),
        ("Ny. Siti Aminah", "siti aminah"),
        ("Siti  Aminah ", "siti aminah"),
        ("Drs. H. Moh. Yusuf", "muhammad yusuf"),
        ("H. Muhamad Yusuf, S.E., M.M.", "muhammad yusuf"),
        ("Mochammad Yusuf", "muhammad yusuf"),
        ("Mohammad Yusuf", "muhammad yusuf"),
        ("M. Yusuf", "muhammad yusuf"),
        ("Muh. Yusuf", "muhammad yusuf"),
        ("Bpk. Soedjatmiko", "sujatmiko"),
        ("Pak Sujatmiko", "sujatmiko"),
        ("Tjipto Oetomo", "cipto utomo"),
        ("Sjamsul Arifin", "syamsul arifin"),
        ("Chairul Anwar", "khairul anwar"),
        ("Njoman Sudarsa", "nyoman sudarsa"),
        ("Ir. Bambang Riyadi, M.T.", "bambang riyadi"),
        ("Dr. Rina Marlina, S.Kom.", "rina marlina"),
        ("Tgk. Abdullah", "abdullah"),
        ("K.H. Abdullah Faqih", "abdullah faqih"),
        ("Ratna Sari, A.Md.Keb.", "ratna sari"),
        ("Sri Wahyuni S. Pd", "sri wahyuni"),
        ("Dewi Lestari, S.Pd.I", "dewi lestari"),
        ("Prof. Dr. Ir. Heru Prasetyo", "heru prasetyo"),
        ("Budi H.", "budi h"),  # a trailing H. is an initial (Hartono), not Haji
        ("Andi Muh. Akbar", "andi muhammad akbar"),
        ("Nur-Hidayah", "nurhidayah"),
        ("Sé Ketut", "se ketut"),
        ("", None),
        (None, None),
        ("Bpk.", None),
    ],
)
def test_person_name(cell, name):
    assert normalize.person_name(cell) == name


@pytest.mark.parametrize(
    "spellings",
    [
        ["Hj. Siti Aminah, S.Pd.", "IBU SITI AMINAH", "siti aminah"],
        ["Muhammad Yusuf", "Muhamad Yusuf", "Mohamad Yusuf", "Moh. Yusuf", "M. Yusuf", "Mhd Yusuf"],
        ["Soedjatmiko", "Sudjatmiko", "Sujatmiko"],
        ["Tjahjadi", "Cahjadi"],
    ],
)
def test_person_name_spellings_agree(spellings):
    assert len({normalize.person_name(cell) for cell in spellings}) == 1


@pytest.mark.parametrize(
    "a,b",
    [
        ("Rahmat Hidayat", "Rohmat Hidayat"),  # Javanese a/o
        ("Slamet Riyanto", "Selamet Riyanto"),
        ("Muhammad Rizki", "Muhammad Riski"),
        ("Khairul Anwar", "Hairul Anwar"),
        ("Surya Dharma", "Suria Darma"),
        ("Budi Santoso", "Santoso Budi"),  # word order
        ("Abdullah", "Abdulah"),
    ],
)
def test_blocking_key_catches_spelling_variants(a, b):
    key = normalize.skeleton_key
    assert key(normalize.person_name_words(a)) == key(normalize.person_name_words(b))


def test_sorted_key_ignores_word_order_and_doubled_letters():
    assert normalize.sorted_key(["santoso", "budi"]) == normalize.sorted_key(["budi", "santoso"]) == "budi santoso"
    assert normalize.sorted_key(["muhammad"]) == normalize.sorted_key(["muhamad"]) == "muhamad"
    assert normalize.sorted_key([]) is None


@pytest.mark.parametrize(
    "cell,name",
    [
        ("UD Sumber Rejeki", "sumber rejeki"),
        ("U.D. SUMBER REDJEKI", "sumber rejeki"),
        ("Toko Sumber Rejeki", "sumber rejeki"),
        ("Tk. Sumber Rejeki", "sumber rejeki"),
        ("Sumber Rejeki, CV", "sumber rejeki"),
        ("CV. Maju Jaya", "maju jaya"),
        ("PT Maju Jaya Abadi", "maju jaya abadi"),
        ("Kelompok Usaha Bersama Mawar", "mawar"),
        ("KUB Mawar", "mawar"),
        ("Kelompok Tani Subur", "subur"),
        ("Kel. Wanita Tani Melati", "melati"),
        ("Usaha Kerupuk Ikan", "kerupuk ikan"),
        ("Keripik Tempe Bu Sri", "keripik tempe sri"),
        ("Kripik Tempe Ibu Sri", "keripik tempe sri"),
        ("Warung Makan Bu Tini", "makan tini"),
        ("IRT Sambal Bu Endang", "sambal endang"),
        ("Batik Tulis Lestari", "batik tulis lestari"),  # product words stay
        ("Toko", None),
        ("", None),
    ],
)
def test_business_name(cell, name):
    assert normalize.business_name(cell) == name


@pytest.mark.parametrize(
    "cell,words",
    [
        ("keripik tempe", {"keripik", "tempe"}),
        ("Aneka Kripik & Sambel", {"keripik", "sambal"}),
        ("Kopi bubuk 250 gr", {"kopi", "bubuk"}),
        ("Produksi roti dan kue basah", {"roti", "kue", "basah"}),
        ("Meubel kayu jati", {"mebel", "kayu", "jati"}),
        ("Tahoe, tempe", {"tahu", "tempe"}),
        ("Toko UD Bu Sri", {"sri"}),
        ("", set()),
    ],
)
def test_product_words(cell, words):
    assert normalize.product_words(cell) == words


@pytest.mark.parametrize(
    "cell,e164",
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0296) 531234", "+62296531234"),
        ("HP: 0812 3456 7890", "+6281234567890"),
        ("WA 081234567890", "+6281234567890"),
        ("0812-3456-7890 / 0813-1111-2222", "+6281234567890"),
        ("-, 0813-1111-2222", "+6281311112222"),
        (81234567890, "+6281234567890"),  # Excel dropped the leading 0
        (81234567890.0, "+6281234567890"),
        ("0812345", None),
        ("tidak ada", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_phone(cell, e164):
    assert normalize.phone(cell) == e164


@pytest.mark.parametrize(
    "cell,nik",
    [
        ("3316015205850001", "3316015205850001"),
        ("3316 0152 0585 0001", "3316015205850001"),
        ("3316.0152.0585.0001", "3316015205850001"),
        (3316015205850001, "3316015205850001"),
        ("3.31601E+15", None),  # Excel lost the last digits
        ("3316013202850001", None),  # 32 February
        ("3316015205850000", None),  # serial 0000
        ("0016015205850001", None),  # no province 00
        ("331601520585", None),
        ("", None),
        (None, None),
    ],
)
def test_nik(cell, nik):
    assert normalize.nik(cell) == nik


def test_birth_date_and_sex_from_nik():
    assert normalize.nik_birth_date_and_sex("3316011201800001") == (dt.date(1980, 1, 12), "L")
    assert normalize.nik_birth_date_and_sex("3316015201800002") == (dt.date(1980, 1, 12), "P")  # women: day + 40
    assert normalize.nik_birth_date_and_sex("3316011201050001") == (dt.date(2005, 1, 12), "L")
    assert normalize.nik_birth_date_and_sex("bukan nik") is None


@pytest.mark.parametrize(
    "cell,value",
    [
        ("3316015205850001", "3316015205850001"),  # NIK
        ("3316013202850001", None),  # a 16-digit number that cannot be a NIK
        ("1234567890123", "1234567890123"),  # NIB
        ("9120-0012-3456-7", "9120001234567"),
        ("AHU-0012345.AH.01", "AHU0012345AH01"),  # other codes: letters and digits
        ("0000", None),
        ("-", None),
        (None, None),
    ],
)
def test_identifier(cell, value):
    assert normalize.identifier(cell) == value


@pytest.mark.parametrize(
    "cell,iso",
    [
        ("12-01-1980", "1980-01-12"),
        ("12/1/1980", "1980-01-12"),
        ("12.01.1980", "1980-01-12"),
        ("12/01/80", "1980-01-12"),
        ("12-01-05", "2005-01-12"),
        ("1980-01-12", "1980-01-12"),
        ("1980-01-12 00:00:00", "1980-01-12"),
        ("12 Januari 1980", "1980-01-12"),
        ("12 Jan 1980", "1980-01-12"),
        ("5 Pebruari 1975", "1975-02-05"),
        ("17 Agustus 1945", "1945-08-17"),
        ("1 Nopember 1990", "1990-11-01"),
        ("12-Des-1980", "1980-12-12"),
        (dt.date(1980, 1, 12), "1980-01-12"),
        (dt.datetime(1980, 1, 12, 0, 0), "1980-01-12"),
        (29232, "1980-01-12"),  # an Excel day number
        ("29232", "1980-01-12"),
        ("19800112", "1980-01-12"),  # YYYYMMDD, as FEBRL and many systems write it
        (19800112, "1980-01-12"),
        ("12011980", "1980-01-12"),  # DDMMYYYY
        ("1980/01/12", "1980-01-12"),
        ("01/25/1980", "1980-01-25"),  # month first, only when the day-first reading is impossible
        ("12/01/1980 00:00", "1980-01-12"),
        ("January 12, 1980", "1980-01-12"),
        ("Jan 12th 1980", "1980-01-12"),
        ("1980 Jan 12", "1980-01-12"),
        ("12-Mar-1975", "1975-03-12"),
        ("19801312", None),  # no month 13, and no 19th of month 80
        ("99999999", None),
        ("-", None),
        ("belum ada", None),
        ("31-02-1980", None),
        ("12 Bulan 1980", None),
        ("tidak tahu", None),
        ("", None),
    ],
)
def test_birth_date(cell, iso):
    assert normalize.birth_date(cell) == iso


@pytest.mark.parametrize(
    "cell,name",
    [
        ("Ds. Tjepu", "cepu"),
        ("Desa Cepu", "cepu"),
        ("DESA  BANGKLEYAN", "bangkleyan"),
        ("Kel. Suka Maju", "suka maju"),
        ("Kelurahan Balun", "balun"),
        ("Kampung Sukamaju", "sukamaju"),
        ("Gampong Lam Ujong", "lam ujong"),
        ("Dusun Krajan", "krajan"),
        ("Soerakarta", "surakarta"),
        ("", None),
    ],
)
def test_area(cell, name):
    assert normalize.area(cell) == name


@pytest.mark.parametrize(
    "cell,text",
    [
        ("Jl. Merdeka No. 5 RT 001/RW 002", "jalan merdeka 5 rt 1 rw 2"),
        ("JALAN MERDEKA 5, RT.01 RW.02", "jalan merdeka 5 rt 1 rw 2"),
        ("Gg. Mawar No.3", "gang mawar 3"),
        ("Dsn. Krajan", "dusun krajan"),
        ("", None),
    ],
)
def test_address(cell, text):
    assert normalize.address(cell) == text


@pytest.mark.parametrize(
    "cell,code",
    [
        ("58315", "58315"),
        (58315, "58315"),
        ("58 315", "58315"),
        ("2119", "2119"),  # Australia (FEBRL)
        (2119.0, "2119"),
        ("SW1A 1AA", "SW1A1AA"),  # the United Kingdom
        ("1234 ab", "1234AB"),  # the Netherlands
        ("00000", None),
        ("12", None),
        ("belum ada", None),
        ("-", None),
        ("", None),
    ],
)
def test_postcode(cell, code):
    assert normalize.postcode(cell) == code


@pytest.mark.parametrize(
    "old,new",
    [
        ("soekarno", "sukarno"),
        ("djokdja", "jokja"),
        ("tjilatjap", "cilacap"),
        ("sjahrir", "syahrir"),
        ("banjar", "banjar"),
    ],
)
def test_modern_spelling(old, new):
    assert normalize.modern_spelling(old) == new


def test_normalise_records_adds_keys_and_reads_birth_date_from_nik():
    rows = [
        {
            "no": 1,
            "NAMA": "Hj. Siti Aminah",
            "NIK": "3316014512800001",
            "USAHA": "UD Sumber Rejeki",
            "DESA": "Ds. Cepu",
        },
        {"no": 2.0, "NAMA": "Budi Santoso", "NIK": "", "USAHA": "Toko Budi", "DESA": "Cepu"},
    ]
    roles = {"person_name": "NAMA", "identifier": "NIK", "business_name": "USAHA", "area": "DESA"}
    columns = normalize.normalise_records(rows, roles, id_column="no")
    assert columns["unique_id"] == ["1", "2"]
    assert columns["person_name"] == ["siti aminah", "budi santoso"]
    assert columns["person_name_key"] == ["aminah siti", "budi santoso"]
    assert columns["person_name_block"] == ["amnh st", "bd snts"]
    assert columns["person_first_block"] == ["st", "bd"]
    assert columns["business_name"] == ["sumber rejeki", "budi"]
    assert columns["identifier"] == ["3316014512800001", None]
    assert columns["birth_date"] == ["1980-12-05", None]
    assert columns["sex"] == ["P", None]
    assert columns["area"] == ["cepu", "cepu"]


def test_normalise_records_without_normalising_only_trims_and_lowercases():
    rows = [{"id": "a", "NAMA": "  Hj. Siti Aminah "}]
    columns = normalize.normalise_records(rows, {"person_name": "NAMA"}, id_column="id", normalise=False)
    assert columns["person_name"] == ["hj. siti aminah"]


def test_pandas_missing_values_are_empty_not_the_word_na():
    import pandas as pd

    from sentra.linkage.normalize import area, person_name

    assert area(pd.NA) is None and person_name(pd.NA) is None and area(pd.NaT) is None
    column = pd.Series(["Desa Cepu", None], dtype="string")
    assert [area(value) for value in column] == ["cepu", None]


@pytest.mark.parametrize(
    "left,right",
    [
        ("Kelompok Wanita Tani Melati", "Wanita Tani Melati"),
        ("KWT Melati", "Poktan Melati"),
        ("Gapoktan Sumber Makmur", "Sumber Makmur"),
    ],
)
def test_farmer_group_words_are_not_the_name(left, right):
    from sentra.linkage.normalize import business_name

    assert business_name(left) == business_name(right)


def test_bunda_is_a_form_of_address():
    from sentra.linkage.normalize import person_name

    assert person_name("Bunda Sari Wulandari") == person_name("Bu Sari Wulandari")


def test_only_the_roles_asked_are_normalised():
    table = {"id": [1], "nama": ["Hj. Siti Aminah"], "hp": ["0812-2900-1111"]}
    roles = {"person_name": "nama", "phone": "hp"}
    columns = normalize.normalise_columns(table, roles, id_column="id", normalise={"phone"})
    assert columns["person_name"] == ["hj. siti aminah"] and columns["phone"] == ["+6281229001111"]
    columns = normalize.normalise_columns(table, roles, id_column="id", normalise=False)
    assert columns["phone"] == ["0812-2900-1111"]


def test_an_owners_name_is_not_a_business_word_and_a_swapped_digit_keeps_the_identifier_key():
    table = {
        "id": [1, 2, 3],
        "owner": ["Arif Rahman", "Arif Rahman", "Sri Wahyuni"],
        "business": ["Kerajinan Jati Pak Arif", "Sate Ayam Blora Pak Arif", "Warung Bu Sri"],
        "code": ["2694239", "2692439", "1804974"],
    }
    roles = {"person_name": "owner", "business_name": "business", "identifier": "code"}
    columns = normalize.normalise_columns(table, roles, id_column="id")
    assert columns["business_words"] == ["jati kerajinan", "ayam blora sate", None]
    assert columns["identifier_key"][0] == columns["identifier_key"][1] != columns["identifier_key"][2]


@pytest.mark.parametrize("cell", ["-", " - ", "belum ada", "BELUM ADA", "tidak ada", "—", "n/a"])
def test_placeholders_are_empty_in_every_role(cell):
    assert normalize.is_placeholder(cell)
    for function in normalize.NORMALISERS.values():
        assert function(cell) is None
