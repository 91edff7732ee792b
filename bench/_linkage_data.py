"""The linkage bench's input: agency lists of UMKM with known truth (issue 4).

A deterministic (seeded) generator makes true businesses — an owner (name,
sex, birth date, NIK consistent with the village's district and the birth
date, phone) with a business (name, sector, products, village) — and renders
each into the lists of the offices that know it, the way those offices write:

- the cooperative office (`dinkop`) knows most businesses and has NIKs for
  most owners; the industry (`disperin`), fisheries (`diskan`) and
  agriculture (`distan`) offices know the businesses of their sector and
  mostly lack NIKs and birth dates;
- names come with honorifics and titles (H., Hj., Ibu, Bu, Bpk., Pak, Drs.,
  Ir., Dr., Tgk., S.Pd., S.E., A.Md., …), Muhammad as Mohammad / Muhamad /
  Moh. / M., old spelling (oe/u, dj/j, tj/c, j/y), Balinese I / Ni dropped,
  typos (swapped, dropped, doubled letters) and in any case;
- business names with and without their prefixes (UD, U.D., CV, Toko, Tk.,
  Kelompok, Klp., Usaha), Bu / Ibu, Pak / Bapak, product words spelled
  differently (Keripik / Kripik, Kerupuk / Krupuk, Sambal / Sambel);
- phones in each office's favourite format (0812-…, +62 812 …, 62812…,
  spaces), sometimes missing or another number of the owner's;
- villages with prefixes (Desa, Ds., Kel., Kampung), in any case, a few with
  typos or the village of the business rather than the owner's home;
- the same business twice in one list, and a few owners with two businesses
  (distinct true businesses that share the owner).

Each record carries hidden columns: `true_id` (the business), `owner_id`
and `tags` (the variations applied to it, for the bench's diagnosis).
Villages come from sentra/regions/data/villages.csv, so no database is needed.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGIONS_DIR = ROOT / "sentra" / "regions" / "data"
DATA_DIR = ROOT / "bench" / ".data"
DATA_VERSION = 3  # bump when the generator changes, so cached files are made again

# Regions: a few regencies for the quality lists (about 26 records a village at 20,000), whole provinces
# for the million (about 80 a village). Province → the culture of its people's names.
QUALITY_REGIONS = ("33.16", "18.01", "18.05", "51.04")  # Blora, Lampung Selatan, Tulang Bawang, Gianyar
SCALE_REGIONS = ("33", "18", "51")  # Jawa Tengah, Lampung, Bali
CULTURE_OF_PROVINCE = {"33": "jawa", "18": "lampung", "51": "bali"}

PUBLIC_COLUMNS = ["id", "sumber", "nama_pemilik", "nik", "tgl_lahir", "hp", "nama_usaha", "produk", "desa", "kecamatan"]
HIDDEN_COLUMNS = ["true_id", "owner_id", "tags"]
COLUMNS = PUBLIC_COLUMNS + HIDDEN_COLUMNS
SOURCES = ("dinkop", "disperin", "diskan", "distan")  # cooperatives & SMEs, industry, fisheries, agriculture


def words(text: str, separator: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(separator))


# ---------------------------------------------------------------------------
# Name pools
# ---------------------------------------------------------------------------

JAVANESE_MALE = words(
    "Sugeng Slamet Bambang Agus Budi Joko Suparno Sutrisno Wahyudi Heru Eko Teguh Supriyadi Hadi Mulyono Sumarno "
    "Darmaji Suyanto Purwanto Rudi Ari Wawan Yanto Gunawan Sukirno Paijo Sarmin Tukiman Kasno Ngadiman Sutarno "
    "Margono Rohmat Imam Arif Dimas Fajar Bagus Wahyu Cahyono Suryadi Jumadi Sukardi Sujarwo Triyono Subagyo Haryanto "
    "Kuncoro Warsito Suwarno Juwari Parjan Karyono Sudarsono Untung Yulianto Danang"
)
JAVANESE_MALE_LAST = words(
    "Santoso Prasetyo Susilo Wibowo Nugroho Hartono Setiawan Purnomo Saputro Widodo Kurniawan Hidayat Utomo Rahardjo "
    "Suryanto Sulistyo Wijaya Pamungkas Kuncoro Triyono Mulyadi Darmawan Riyanto Budiman Sujatmiko Harjono Cahyadi "
    "Wicaksono Nurcahyo Yuwono"
)
JAVANESE_FEMALE = words(
    "Sri Siti Endang Sulastri Suharti Wahyuni Ratna Puji Rini Sumarni Lestari Sutarmi Warsini Kasmini Partini Yuliana "
    "Dewi Indah Nur Tutik Sukini Suwarni Jumiati Ngatini Murni Yati Tri Dwi Ani Eni Tika Anis Umi Juwariyah Sukarti "
    "Cahyaningsih Suyatmi Rukmini Jamilah Kustini Ngadinah Suparmi Tumini Yuyun"
)
JAVANESE_FEMALE_LAST = words(
    "Rahayu Wahyuningsih Lestari Handayani Purwanti Suryani Astuti Mulyani Rahmawati Setyowati Kusumawati Aminah "
    "Fatimah Sulistyowati Kurniasih Yulianti Susanti Ningsih Widayati Maryati Sundari Cahyani Juwita Utami Sujiati"
)
SUMATRAN_MALE = words(
    "Rizal Azhari Syahroni Marzuki Alamsyah Effendi Herman Zulkifli Syamsul Rohman Khairudin Hasan Darmawan Ismail "
    "Rusli Ahmad Firdaus Hasbullah Syaiful Ridwan Yusri Amir Ilham Taufik Rahmat Hendri Irwan Sofyan Mursalin Fauzi "
    "Anwar Khoirul Junaidi Bakhtiar Yusuf Zainal Hairul Darwis Masykur"
)
SUMATRAN_MALE_LAST = words(
    "Syahputra Hakim Saleh Rasyid Pratama Gunawan Saputra Firmansyah Hamzah Nasution Kurniawan Ramadhan Hidayat Yusuf "
    "Azhar Hasibuan Alamsyah Setiadi Fikri Mansur Khalid Siregar Lubis Harahap Jaya"
)
SUMATRAN_FEMALE = words(
    "Fitriani Nurhayati Yusnidar Hasnah Mardiana Rosmiati Zainab Hayati Mursida Rosidah Aisyah Masnah Nurbaiti Yuliza "
    "Desi Lela Rika Novi Nurul Eka Susi Yeni Herlina Marlina Rohani Salmah Dahlia Nuraini Rahmah Khadijah Syarifah "
    "Maimunah Juliana Rusmini Cici"
)
SUMATRAN_FEMALE_LAST = words(
    "Sari Wati Yanti Susanti Putri Lestari Fitri Rahmawati Handayani Marlina Zuraida Hasanah Ningsih Safitri Anggraini "
    "Ramadhani Maharani Oktaviani Juliani Yusnita"
)
CHINESE_SURNAMES = words("Lim Tan Tjhin Bong Tjong Phang Chong Lie Liu Huang Ng Jap Ku Fu Sie Kho Oei Go Liem The")
CHINESE_MALE_GIVEN = words("Kim Fui|Ket Fa|A Kiong|Fuk Sin|Bun Khiong|Siu Min|Kian Hin|Tjoen Fat|Sen Fui|Jun Hok", "|")
CHINESE_FEMALE_GIVEN = words("Siu Lan|Mei Fong|Lie Fa|Sui Jin|Fung Mei|Ket Ngo|Lan Fong|Moi Fa|Jit Ngo|Sin Moi", "|")
INDO_CHINESE_MALE = words(
    "Hendra|Suryadi|Yohanes|Budi|Andi|Robert|Rudy|Hengky|Edi|Johan|Felix|Ferry|Yusuf|Anton|Irwan|Gunawan", "|"
)
INDO_CHINESE_FEMALE = words("Lina|Meliana|Susanti|Lili|Yuliana|Vivi|Erni|Fenny|Merry|Linda|Rita|Hoa|Lanny|Mei", "|")
INDO_CHINESE_LAST = words(
    "Wijaya Halim Chandra Hartono Gunawan Tanoto Santoso Kurniawan Susanto Setiadi Salim Tanuwijaya Limanto Tjahjadi "
    "Sugianto Hadisurya Kusuma"
)
BALINESE_ORDER = words("Wayan Putu Gede Made Kadek Nengah Nyoman Komang Ketut")
BALINESE_MALE = words(
    "Sudarsana Suartana Astawa Sukarta Wirawan Adnyana Suardana Mertayasa Budiarta Sujana Arnawa Suparta Darmawan "
    "Widiana Sukadana Antara Suarjana Mudana Sumerta Yasa Juliarta Wardana"
)
BALINESE_FEMALE = words(
    "Widiasih Sukerti Ariani Suartini Sriasih Sudiani Yuliantari Suciati Wartini Suastini Rusmini Armini Sukarmi "
    "Juliantari Puspawati Cahyani Mardani Wahyuni Ayu"
)
MUSLIM_MALE_FIRST = words("Ahmad Abdul Nur Rahmat Muhammad Muhammad Muhammad Muhammad")
MUSLIM_FEMALE_FIRST = words("Siti Nur Siti Nurul")
MUHAMMAD_SPELLINGS = words("Mohammad Muhamad Moh. M. Mochammad Mohamad Muh. Mhd. Mochamad Mohd.")
FRONT_TITLES = {False: words("Drs. Ir. Dr."), True: words("Dra. Ir. Dr.")}
DEGREES = words("S.Pd. S.E. A.Md. S.H. S.Kom. S.Sos. S.P. S.Pt. M.M. S.Ag. A.Ma.Pd. S.Kep.")

# ---------------------------------------------------------------------------
# Businesses
# ---------------------------------------------------------------------------

SECTORS = ("food", "craft", "fishery", "farm", "trade")
SECTOR_WEIGHTS = (40, 12, 12, 16, 20)
# Probability that each office lists a business of each sector.
LIST_SHARE = {
    "dinkop": {"food": 0.8, "craft": 0.8, "fishery": 0.75, "farm": 0.75, "trade": 0.85},
    "disperin": {"food": 0.45, "craft": 0.6, "fishery": 0.15, "farm": 0.1, "trade": 0.05},
    "diskan": {"food": 0.03, "craft": 0.0, "fishery": 0.75, "farm": 0.0, "trade": 0.0},
    "distan": {"food": 0.05, "craft": 0.0, "fishery": 0.0, "farm": 0.75, "trade": 0.02},
}
DUPLICATE_IN_LIST = 0.04  # the same business twice in one list
SECOND_BUSINESS = 0.025  # share of businesses whose owner already has another one

PRODUCTS = {
    "food": words(
        "Keripik singkong|Keripik pisang|Keripik tempe|Kerupuk puli|Peyek kacang|Tempe|Tahu|Jamu gendong|Kue kering|"
        "Roti bolu|Sambal bawang|Dodol|Emping melinjo|Opak|Rengginang|Abon sapi|Wingko|Kue lapis|Nasi kotak|"
        "Keripik talas|Kerupuk rambak|Minuman jahe",
        "|",
    ),
    "craft": words(
        "Batik tulis|Batik cap|Anyaman bambu|Ukiran kayu jati|Gerabah|Bordir|Konveksi|Tas rajut|Kain tapis|"
        "Tenun endek|Songket|Kerajinan akar jati|Miniatur kayu",
        "|",
    ),
    "fishery": words(
        "Ikan asin|Terasi udang|Kerupuk ikan|Ikan asap|Budidaya lele|Pindang tongkol|Abon ikan|Udang kering|"
        "Ikan nila|Bandeng presto|Otak-otak",
        "|",
    ),
    "farm": words(
        "Gula aren|Gula kelapa|Kopi robusta|Beras organik|Jamur tiram|Madu hutan|Ternak kambing|Sayur hidroponik|"
        "Pisang kepok|Kopi bubuk|Jahe merah|Telur ayam kampung",
        "|",
    ),
    "trade": words(
        "Sembako|Pulsa dan token listrik|Pakaian|Bahan bangunan|Alat tulis|Sayur mayur|Warung makan|Bengkel motor|"
        "Sparepart motor|Kelontong",
        "|",
    ),
}
# The word a business name takes from its product: "Keripik Bu Sri", "Batik Sekar Jati".
PRODUCT_WORD = {
    "food": words("Keripik Kerupuk Peyek Tempe Tahu Jamu Kue Roti Sambal Dodol Emping Opak Abon Wingko Catering"),
    "craft": words("Batik Anyaman Ukir Gerabah Bordir Konveksi Rajut Tapis Tenun Songket Kerajinan"),
    "fishery": words("Ikan Terasi Kerupuk Pindang Lele Bandeng Abon Udang"),
    "farm": words("Gula Kopi Beras Jamur Madu Ternak Sayur Pisang Jahe Telur"),
    "trade": words("Warung Kios Toko Bengkel Grosir"),
}
GROUP_KIND = {
    "food": words("Wanita|Usaha Bersama|PKK", "|"),
    "craft": words("Perajin|Pengrajin|Usaha Bersama", "|"),
    "fishery": words("Nelayan|Pengolah Ikan|Pembudidaya Ikan", "|"),
    "farm": words("Tani|Wanita Tani|Ternak", "|"),
    "trade": words("Usaha Bersama|Pedagang", "|"),
}
LUCKY = words(
    "Makmur|Jaya|Sejahtera|Barokah|Berkah|Mekar Sari|Sekar Jati|Sumber Rejeki|Sri Rejeki|Lestari|Abadi|Mandiri|"
    "Sentosa|Manunggal|Mulya|Maju Jaya|Sari Rasa|Citra|Indah|Rizki|Amanah|Karya Mandiri|Tunas Harapan|Mekar Jaya|"
    "Sido Mulyo|Sido Rukun|Putri|Bunda|Nusantara|Harapan Baru|Dua Putri|Tiga Saudara|Anugerah|Al Barokah|Lancar|"
    "Makmur Sejahtera|Sinar Terang|Cahaya|Mutiara|Sumber Jaya|Sumber Makmur|Tunggal Jaya|Karya Bakti|Rukun Santoso|"
    "Sinar Jaya|Dewi Sri|Bintang|Surya|Subur|Gemah Ripah|Ngudi Rejeki|Bahari|Siger|Sai Bumi|Tapis Jaya|Wono Jati|"
    "Taman Sari|Sari Murni|Sekar Wangi|Jaya Abadi|Bumi Asri|Sinar Mas|Mekar Abadi|Kurnia|Sakinah|Arum Sari|"
    "Sumber Rezeki|Karunia|Hidayah|Tirta|Sejati|Pelangi|Segar|Mustika|Widya|Kencana|Merah Putih|Ayu|Langgeng",
    "|",
)
# Spellings of the same word across offices' lists.
SPELLINGS = {
    "Keripik": ("Kripik", "Keripik", "Kripik"),
    "Kerupuk": ("Krupuk",),
    "Sambal": ("Sambel",),
    "Tempe": ("Tempeh",),
    "Kerajinan": ("Kerajinan Tangan",),
    "Pengrajin": ("Perajin",),
    "Perajin": ("Pengrajin",),
    "Rejeki": ("Rezeki", "Rizki", "Rejeki"),
    "Rezeki": ("Rejeki",),
    "Mulyo": ("Mulya", "Mulia"),
    "Catering": ("Katering",),
    "Barokah": ("Barokah", "Berkah"),
}
HONORIFIC = {False: words("Pak Bpk. Bapak Bp."), True: words("Bu Ibu Ny. Bu")}
VILLAGE_PREFIXES = words("Desa |Ds. |Kel. |Kampung |Desa |DESA |Ds ", "|")
DISTRICT_PREFIXES = words("Kec. |Kecamatan |KEC. |Kec |", "|")
MONTHS = words("Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember")
MOBILE_PREFIXES = words("811 812 813 821 822 823 851 852 853 814 815 816 855 856 857 858 817 818 819 859 877 878 895")

# How each office writes its columns.
NIK_PRESENT = {"dinkop": 0.92, "disperin": 0.3, "diskan": 0.15, "distan": 0.35}
BIRTH_PRESENT = {"dinkop": 0.8, "disperin": 0.35, "diskan": 0.2, "distan": 0.3}
PHONE_PRESENT = {"dinkop": 0.9, "disperin": 0.75, "diskan": 0.6, "distan": 0.65}
PRODUCT_PRESENT = {"dinkop": 0.9, "disperin": 0.9, "diskan": 0.85, "distan": 0.85}
PHONE_STYLE = {"dinkop": "dash", "disperin": "plus", "diskan": "sixtytwo", "distan": "plain"}
BIRTH_STYLE = {"dinkop": "iso", "disperin": "dmy-dash", "diskan": "dmy-slash", "distan": "month-name"}
UPPER_SHARE = {"dinkop": 0.25, "disperin": 0.5, "diskan": 0.6, "distan": 0.4}


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    district_code: str
    district_name: str
    culture: str


@dataclass
class Owner:
    id: int
    name: str  # modern spelling, without titles
    female: bool
    culture: str
    birth: dt.date
    nik: str
    phone: str  # national number without the leading 0: 81234567890
    village: Village
    call_name: str
    haji: bool = False
    front_title: str = ""
    degree: str = ""
    old_spelling: bool = False
    other_phone: str = ""
    businesses: list[tuple[str, str]] = field(default_factory=list)  # (sector, name) of each of its businesses


@dataclass
class TrueBusiness:
    id: int
    owner: Owner
    sector: str
    prefix: str  # "", UD, CV, Toko, Kelompok, Usaha
    core: str  # the name after the prefix
    products: tuple[str, ...]
    village: Village
    sources: list[str] = field(default_factory=list)


def load_villages(regions: Sequence[str]) -> list[Village]:
    """Villages whose codes start with one of `regions` (province or regency codes), from the regions data."""
    districts = {}
    with (REGIONS_DIR / "districts.csv").open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            districts[row["code"]] = row["name"]
    found = []
    with (REGIONS_DIR / "villages.csv").open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            code = row["code"]
            if any(code.startswith(region + ".") for region in regions):
                culture = CULTURE_OF_PROVINCE.get(code[:2], "jawa")
                found.append(Village(code, row["name"], row["district_code"], districts[row["district_code"]], culture))
    return sorted(found, key=lambda village: village.code)


# ---------------------------------------------------------------------------
# Variations
# ---------------------------------------------------------------------------


def pick(rng: random.Random, items: Sequence):
    return items[int(rng.random() * len(items))]


def old_spelling(text: str, full: bool = True) -> str:
    """Van Ophuijsen / Soewandi spelling: u → oe and, when `full`, j → dj, y → j, c → tj, kh → ch."""
    text = text.replace("u", "oe").replace("U", "Oe")
    if full:
        text = text.replace("j", "dj").replace("J", "Dj").replace("y", "j").replace("Y", "J")
        text = text.replace("c", "tj").replace("C", "Tj").replace("kh", "ch").replace("Kh", "Ch")
    return text


def typo(text: str, rng: random.Random) -> str:
    """One swapped, dropped or doubled letter, away from the first letter and from spaces."""
    positions = [i for i in range(1, len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    if not positions:
        return text
    at = pick(rng, positions)
    draw = rng.random()
    if draw < 0.34:
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    if draw < 0.67:
        return text[:at] + text[at + 1 :]
    return text[:at] + text[at] + text[at:]


def letter_case(text: str, rng: random.Random, upper_share: float) -> str:
    draw = rng.random()
    if draw < upper_share:
        return text.upper()
    if draw < upper_share + 0.05:
        return text.lower()
    if draw < upper_share + 0.1:
        return text.title()
    return text


class Generator:
    """Makes true businesses and renders them into the offices' lists."""

    def __init__(self, villages: list[Village], seed: int) -> None:
        self.rng = random.Random(seed)
        self.villages = villages
        self.niks: set[str] = set()
        self.recent_owners: list[Owner] = []
        self.owner_count = 0
        self.business_count = 0

    # -- true businesses ----------------------------------------------------

    def person_name(self, culture: str, female: bool) -> tuple[str, str]:
        """(full name in modern spelling, call name)."""
        rng = self.rng
        draw = rng.random()
        if culture == "bali" and draw < 0.85:
            order = pick(rng, BALINESE_ORDER)
            given = pick(rng, BALINESE_FEMALE if female else BALINESE_MALE)
            lead = "Ni" if female else "I"
            if rng.random() < 0.05:
                lead = "Anak Agung" if rng.random() < 0.5 else ("I Gusti Ayu" if female else "I Gusti Ngurah")
                return f"{lead} {given}", given
            return f"{lead} {order} {given}", order if rng.random() < 0.5 else given
        chinese = {"jawa": 0.03, "lampung": 0.06, "bali": 0.05}[culture]
        if draw > 1 - chinese:
            if rng.random() < 0.4:
                surname = pick(rng, CHINESE_SURNAMES)
                given = pick(rng, CHINESE_FEMALE_GIVEN if female else CHINESE_MALE_GIVEN)
                return f"{surname} {given}", given.split()[-1]
            given = pick(rng, INDO_CHINESE_FEMALE if female else INDO_CHINESE_MALE)
            return f"{given} {pick(rng, INDO_CHINESE_LAST)}", given
        if culture == "lampung" and rng.random() < 0.55 or culture == "bali":
            first, last, single = SUMATRAN_FEMALE if female else SUMATRAN_MALE, SUMATRAN_FEMALE_LAST, 0.3
            if not female:
                last = SUMATRAN_MALE_LAST
        else:
            first, last, single = JAVANESE_FEMALE if female else JAVANESE_MALE, JAVANESE_FEMALE_LAST, 0.35
            if not female:
                last = JAVANESE_MALE_LAST
        given = pick(rng, first)
        name = given if rng.random() < single else f"{given} {pick(rng, last)}"
        if name.endswith(f" {given}"):
            name = given
        if rng.random() < 0.14:
            muslim = pick(rng, MUSLIM_FEMALE_FIRST if female else MUSLIM_MALE_FIRST)
            if muslim != given:
                name = f"{muslim} {name}"
        return name, given

    def new_owner(self, village: Village) -> Owner:
        rng = self.rng
        female = rng.random() < 0.55
        name, call = self.person_name(village.culture, female)
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=int(rng.random() * 19_700))  # 1950 to 2003
        district = village.district_code.replace(".", "")
        day = birth.day + (40 if female else 0)
        while True:
            nik = f"{district}{day:02d}{birth:%m%y}{1 + int(rng.random() * 9999):04d}"
            if nik not in self.niks:
                self.niks.add(nik)
                break
        self.owner_count += 1
        owner = Owner(
            id=self.owner_count,
            name=name,
            female=female,
            culture=village.culture,
            birth=birth,
            nik=nik,
            phone=self.mobile(),
            village=village,
            call_name=call,
        )
        muslim = village.culture != "bali" and not name.startswith(("I ", "Ni ", "Anak ")) and " " in name
        owner.haji = muslim and birth.year < 1980 and rng.random() < 0.15
        if rng.random() < 0.12:
            owner.degree = pick(rng, DEGREES)
            if rng.random() < 0.2:
                owner.front_title = pick(rng, FRONT_TITLES[female])
        if village.culture == "lampung" and not female and muslim and rng.random() < 0.01:
            owner.front_title = "Tgk."
        owner.old_spelling = village.culture == "jawa" and birth.year < 1975 and rng.random() < 0.35
        if rng.random() < 0.08:
            owner.other_phone = self.mobile()
        return owner

    def mobile(self) -> str:
        rng = self.rng
        return f"{pick(rng, MOBILE_PREFIXES)}{int(rng.random() * 10**8):08d}"[: 10 + int(rng.random() * 2)]

    def new_business(self) -> TrueBusiness:
        rng = self.rng
        if self.recent_owners and rng.random() < SECOND_BUSINESS:
            owner = pick(rng, self.recent_owners)
        else:
            owner = self.new_owner(pick(rng, self.villages))
            self.recent_owners.append(owner)
            if len(self.recent_owners) > 200:
                self.recent_owners = self.recent_owners[-100:]
        # An owner's other business is another line of work under another name ("Keripik Bu Sri" and "Toko
        # Makmur"), or the two would be one business in anyone's eyes.
        taken = {word for _sector, core in owner.businesses for word in core.split()} - {"Bu", "Pak", owner.call_name}
        sectors = {sector for sector, _core in owner.businesses}
        for _attempt in range(20):
            sector = self.sector()
            if sector in sectors:
                continue
            prefix, core, products = self.business_name(owner, sector)
            if not taken & set(core.split()):
                break
        owner.businesses.append((sector, core))
        if owner.old_spelling and rng.random() < 0.3:
            core = old_spelling(core)
        self.business_count += 1
        sources = [source for source in SOURCES if rng.random() < LIST_SHARE[source][sector]]
        return TrueBusiness(
            id=self.business_count,
            owner=owner,
            sector=sector,
            prefix=prefix,
            core=core,
            products=tuple(products),
            village=owner.village,
            sources=sources or ["dinkop"],
        )

    def sector(self) -> str:
        draw = self.rng.random() * sum(SECTOR_WEIGHTS)
        for candidate, weight in zip(SECTORS, SECTOR_WEIGHTS, strict=True):
            if draw < weight:
                return candidate
            draw -= weight
        return SECTORS[-1]

    def business_name(self, owner: Owner, sector: str) -> tuple[str, str, list[str]]:
        """(prefix, the name after it, products) of a new business of `owner` in `sector`."""
        rng = self.rng
        products = [pick(rng, PRODUCTS[sector])]
        if rng.random() < 0.35:
            second = pick(rng, PRODUCTS[sector])
            if second not in products:
                products.append(second)
        word = products[0].split(" ")[0] if rng.random() < 0.6 else pick(rng, PRODUCT_WORD[sector])
        honorific = "Bu" if owner.female else "Pak"
        draw = rng.random()
        prefix = ""
        if draw < 0.25:
            core = f"{word} {honorific} {owner.call_name}"
        elif draw < 0.37:
            prefix, core = "UD", pick(rng, LUCKY)
        elif draw < 0.43:
            prefix, core = "CV", pick(rng, LUCKY)
        elif draw < 0.55 and sector in ("trade", "food"):
            prefix, core = "Toko", pick(rng, LUCKY)
        elif draw < 0.65:
            core = f"{word} {pick(rng, LUCKY)}"
        elif draw < 0.72:
            prefix, core = "Kelompok", f"{pick(rng, GROUP_KIND[sector])} {pick(rng, LUCKY)}"
        elif draw < 0.8:
            prefix, core = "Usaha", f"{word} {owner.call_name}"
        else:
            core = pick(rng, LUCKY)
        return prefix, core, products

    # -- rendering ----------------------------------------------------------

    def render_owner_name(self, owner: Owner, source: str, tags: list[str]) -> str:
        rng = self.rng
        name = owner.name
        if name.startswith("Muhammad ") and rng.random() < 0.6:
            name = pick(rng, MUHAMMAD_SPELLINGS) + name[len("Muhammad") :]
            tags.append("muhammad")
        if name.startswith(("I ", "Ni ")) and rng.random() < 0.3:
            name = name.split(" ", 1)[1]
            tags.append("bali_prefix")
        if owner.old_spelling and rng.random() < 0.6 or rng.random() < 0.02:
            renamed = old_spelling(name, full=rng.random() < 0.6)
            if renamed != name:
                name = renamed
                tags.append("old_spelling")
        titled = False
        if owner.haji and rng.random() < 0.6:
            name = ("Hj. " if owner.female else "H. ") + name
            titled = True
        if owner.front_title and rng.random() < 0.5:
            name = f"{owner.front_title} {name}"
            titled = True
        if owner.degree and rng.random() < 0.55:
            degree = owner.degree if rng.random() < 0.7 else owner.degree.rstrip(".")
            name = f"{name}, {degree}" if rng.random() < 0.7 else f"{name} {degree}"
            titled = True
        if titled:
            tags.append("title")
        if rng.random() < (0.1 if source == "dinkop" else 0.2):
            name = f"{pick(rng, HONORIFIC[owner.female])} {name}"
            tags.append("honorific")
        if rng.random() < 0.06:
            name = typo(name, rng)
            tags.append("name_typo")
        return letter_case(name, rng, UPPER_SHARE[source])

    def render_business_name(self, business: TrueBusiness, source: str, tags: list[str]) -> str:
        rng = self.rng
        if source != "dinkop" and rng.random() < 0.02:
            tags.append("business_missing")
            return ""
        core = business.core
        prefix = business.prefix
        changed = False
        draw = rng.random()
        if prefix == "UD":
            prefix = "UD" if draw < 0.45 else "U.D." if draw < 0.65 else "UD." if draw < 0.75 else ""
        elif prefix == "CV":
            prefix = "CV" if draw < 0.5 else "C.V." if draw < 0.7 else ""
        elif prefix == "Toko":
            prefix = "Toko" if draw < 0.5 else "Tk." if draw < 0.7 else "TK" if draw < 0.75 else ""
        elif prefix == "Kelompok":
            prefix = "Kelompok" if draw < 0.5 else "Klp." if draw < 0.65 else "Kel." if draw < 0.75 else ""
            if prefix and core.startswith("Tani ") and rng.random() < 0.1:
                prefix, core = "Poktan", core[len("Tani ") :]
        elif prefix == "Usaha":
            prefix = "Usaha" if draw < 0.6 else ""
        elif draw < 0.04:
            prefix = "Usaha"
        elif draw < 0.07:
            prefix = "UD"
        changed |= prefix != business.prefix
        parts = core.split(" ")
        for index, part in enumerate(parts):
            if part in ("Bu", "Pak") and rng.random() < 0.3:
                parts[index] = pick(rng, ("Ibu", "Bunda")) if part == "Bu" else pick(rng, ("Bapak", "Bpk."))
                changed = True
            elif part in SPELLINGS and rng.random() < 0.3:
                parts[index] = pick(rng, SPELLINGS[part])
                changed |= parts[index] != part
        if len(parts) > 2 and parts[1] in ("Bu", "Pak") and rng.random() < 0.05:
            parts = parts[1:]  # "Keripik Bu Sri" → "Bu Sri"
            changed = True
        name = " ".join(parts)
        if rng.random() < 0.03:
            name = old_spelling(name, full=rng.random() < 0.5)
            changed = True
        if prefix:
            name = f"{prefix} {name}"
        if changed:
            tags.append("business_variant")
        if rng.random() < 0.05:
            name = typo(name, rng)
            tags.append("business_typo")
        return letter_case(name, rng, UPPER_SHARE[source])

    def render_phone(self, owner: Owner, source: str, tags: list[str]) -> str:
        rng = self.rng
        if rng.random() > PHONE_PRESENT[source]:
            tags.append("phone_missing")
            return ""
        national = owner.phone
        if owner.other_phone and rng.random() < 0.5:
            national = owner.other_phone
            tags.append("phone_other")
        style = PHONE_STYLE[source] if rng.random() < 0.6 else pick(rng, ("dash", "plus", "sixtytwo", "plain", "space"))
        a, b, c = national[:3], national[3:7], national[7:]
        if style == "dash":
            return f"0{a}-{b}-{c}"
        if style == "plus":
            return f"+62 {a} {b} {c}" if rng.random() < 0.7 else f"+62{national}"
        if style == "sixtytwo":
            return f"62{national}"
        if style == "space":
            return f"0{a} {b} {c}"
        return f"0{national}"

    def render_nik(self, owner: Owner, source: str, tags: list[str]) -> str:
        rng = self.rng
        if rng.random() > NIK_PRESENT[source]:
            tags.append("nik_missing")
            return ""
        nik = owner.nik
        if rng.random() < 0.01:
            at = 6 + int(rng.random() * 10)
            nik = nik[:at] + str((int(nik[at]) + 1) % 10) + nik[at + 1 :]
            tags.append("nik_typo")
        draw = rng.random()
        if draw < 0.06:
            tags.append("nik_spaced")
            return " ".join(nik[i : i + 4] for i in range(0, 16, 4))
        if draw < 0.1:
            tags.append("nik_dotted")
            return f"{nik[:6]}.{nik[6:12]}.{nik[12:]}"
        if draw < 0.12:
            tags.append("nik_apostrophe")
            return f"'{nik}"  # typed with an apostrophe, so that the spreadsheet keeps it as text
        return nik

    def render_birth(self, owner: Owner, source: str, tags: list[str]) -> str:
        rng = self.rng
        if rng.random() > BIRTH_PRESENT[source]:
            tags.append("birth_missing")
            return ""
        birth = owner.birth
        style = BIRTH_STYLE[source] if rng.random() < 0.7 else pick(rng, tuple(BIRTH_STYLE.values()))
        if style == "iso":
            return birth.isoformat()
        if style == "dmy-dash":
            return f"{birth:%d-%m-%Y}"
        if style == "dmy-slash":
            return f"{birth.day}/{birth.month}/{birth.year}"
        return f"{birth.day} {MONTHS[birth.month - 1]} {birth.year}"

    def render_village(self, village: Village, source: str, tags: list[str]) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.02:
            siblings = [v for v in self.villages_of_district(village.district_code) if v.code != village.code]
            if siblings:
                village = pick(rng, siblings)
                tags.append("village_other")
        name = village.name
        if rng.random() < 0.02:
            name = typo(name, rng)
            tags.append("village_typo")
        if rng.random() < 0.5:
            name = pick(rng, VILLAGE_PREFIXES) + name
            tags.append("village_prefix")
        name = letter_case(name, rng, UPPER_SHARE[source])
        if rng.random() < 0.02:
            name = ""
            tags.append("village_missing")
        district = pick(rng, DISTRICT_PREFIXES) + village.district_name
        return name, letter_case(district, rng, UPPER_SHARE[source])

    def villages_of_district(self, district_code: str) -> list[Village]:
        if not hasattr(self, "_by_district"):
            self._by_district: dict[str, list[Village]] = {}
            for village in self.villages:
                self._by_district.setdefault(village.district_code, []).append(village)
        return self._by_district[district_code]

    def render_products(self, business: TrueBusiness, source: str, tags: list[str]) -> str:
        rng = self.rng
        if rng.random() > PRODUCT_PRESENT[source]:
            return ""
        products = list(business.products)
        if len(products) > 1 and rng.random() < 0.4:
            products = [pick(rng, products)]
        text = ", ".join(products)
        first = text.split(" ", 1)[0]
        if first in SPELLINGS and rng.random() < 0.3:
            text = pick(rng, SPELLINGS[first]) + text[len(first) :]
        return letter_case(text, rng, UPPER_SHARE[source])

    def render(self, business: TrueBusiness, source: str, duplicate: bool) -> list[str]:
        """One record of `business` in `source`'s list, as the public and hidden columns (without id)."""
        owner = business.owner
        tags = ["duplicate_in_list"] if duplicate else []
        name = self.render_owner_name(owner, source, tags)
        nik = self.render_nik(owner, source, tags)
        birth = self.render_birth(owner, source, tags)
        phone = self.render_phone(owner, source, tags)
        business_name = self.render_business_name(business, source, tags)
        products = self.render_products(business, source, tags)
        village, district = self.render_village(business.village, source, tags)
        return [source, name, nik, birth, phone, business_name, products, village, district] + [
            str(business.id),
            str(owner.id),
            " ".join(tags),
        ]

    def records(self, count: int) -> Iterator[list[str]]:
        """`count` records without ids, business by business (a business's records come together)."""
        made = 0
        while made < count:
            business = self.new_business()
            for source in business.sources:
                copies = 2 if self.rng.random() < DUPLICATE_IN_LIST else 1
                for copy in range(copies):
                    if made == count:
                        return
                    yield self.render(business, source, duplicate=copy > 0)
                    made += 1


def generate(count: int, regions: Sequence[str] = QUALITY_REGIONS, seed: int = 4) -> list[list[str]]:
    """`count` records as rows of COLUMNS: each office's list in turn, shuffled within the list."""
    generator = Generator(load_villages(regions), seed)
    by_source: dict[str, list[list[str]]] = {source: [] for source in SOURCES}
    for record in generator.records(count):
        by_source[record[0]].append(record)
    rows: list[list[str]] = []
    shuffler = random.Random(seed + 1)
    for source in SOURCES:
        records = by_source[source]
        shuffler.shuffle(records)
        offset = len(rows) + 1
        rows.extend([str(offset + index), *record] for index, record in enumerate(records))
    return rows


def data_path(count: int, kind: str) -> Path:
    return DATA_DIR / f"linkage_{kind}_{count}_v{DATA_VERSION}.csv"


def ensure_csv(count: int, kind: str = "quality") -> Path:
    """The CSV of `count` records (`kind` quality: four regencies; scale: three provinces), made unless cached."""
    path = data_path(count, kind)
    if path.exists():
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    regions = QUALITY_REGIONS if kind == "quality" else SCALE_REGIONS
    rows = generate(count, regions, seed=4 if kind == "quality" else 1_000_004)
    partial = path.with_suffix(".partial.csv")
    with partial.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    partial.rename(path)
    return path
