"""A small hand-made UMKM list as offices write them, with the duplicates known.

Each entity has a key (`E01`…); `OFFICE` is one office's list (its own
duplicates included) and `PARTNER` a partner agency's list of some of the
same UMKM, mostly without NIK. The ids say which entity a row is, so tests
can compare found pairs with the truth.
"""

COLUMNS = ["no", "NAMA PEMILIK", "NAMA USAHA", "NIK", "TGL LAHIR", "HP", "ALAMAT", "DESA", "PRODUK"]

# no, owner, business, NIK, birth date, phone, address, village, products
OFFICE = [
    (
        "E01-a",
        "Hj. Siti Aminah, S.Pd.",
        "UD Sumber Rejeki",
        "3316014512800001",
        "05-12-1980",
        "0812-2900-1111",
        "Jl. Merdeka No. 5",
        "Ds. Cepu",
        "keripik tempe",
    ),  # noqa: E501
    (
        "E01-b",
        "Ibu Siti Aminah",
        "Toko Sumber Redjeki",
        "",
        "5/12/1980",
        "+62 812 2900 1111",
        "Jalan Merdeka 5",
        "Desa Tjepu",
        "kripik tempe",
    ),  # noqa: E501
    (
        "E02-a",
        "Drs. H. Moh. Yusuf",
        "CV Maju Jaya",
        "3316010203750002",
        "02-03-1975",
        "081329001112",
        "Jl. Pemuda 10",
        "Kel. Balun",
        "mebel jati",
    ),  # noqa: E501
    ("E02-b", "Muhammad Yusuf", "Maju Jaya", "", "", "0813-2900-1112", "Jl Pemuda No 10", "Balun", "meubel kayu jati"),
    (
        "E03-a",
        "Bpk. Soedjatmiko",
        "Batik Tulis Lestari",
        "3316011508650003",
        "15-08-1965",
        "081229001113",
        "Dusun Krajan RT 01/RW 02",
        "Desa Ngloram",
        "batik tulis",
    ),  # noqa: E501
    ("E03-b", "Sujatmiko", "Batik Lestari", "", "", "", "Krajan RT 1 RW 2", "Ngloram", "batik"),
    (
        "E04-a",
        "Sri Wahyuni, S.E.",
        "Warung Makan Bu Sri",
        "3316016704850004",
        "27-04-1985",
        "085729001114",
        "Jl. Sudirman 3",
        "Kel. Kunden",
        "nasi pecel",
    ),  # noqa: E501
    ("E04-b", "Sri Wahyuni", "Warung Bu Sri", "3316016704850004", "", "0857 2900 1114", "", "Kunden", "pecel"),
    (
        "E05-a",
        "Ahmad Fauzi",
        "Kerupuk Fauzi",
        "3316012011900005",
        "20-11-1990",
        "081929001115",
        "Jl. Diponegoro 7",
        "Desa Sambong",
        "krupuk",
    ),  # noqa: E501
    (
        "E06-a",
        "Siti Aminah",
        "Jahit Aminah",
        "3316064303820006",
        "03-03-1982",
        "082129001116",
        "Dk. Sumber",
        "Desa Jepon",
        "jahitan",
    ),  # noqa: E501
    (
        "E07-a",
        "Siti Aminah",
        "Kue Basah Aminah",
        "3316095509880007",
        "15-09-1988",
        "082229001117",
        "Jl. Kartini 2",
        "Desa Kedungtuban",
        "kue basah",
    ),  # noqa: E501
    (
        "E08-a",
        "Joko Santoso",
        "Bengkel Las Joko",
        "3316010101700008",
        "01-01-1970",
        "081329001118",
        "Jl. Ahmad Yani 1",
        "Desa Cepu",
        "las",
    ),  # noqa: E501
    (
        "E09-a",
        "Dewi Lestari",
        "Salon Dewi",
        "3316014406920009",
        "04-06-1992",
        "081529001119",
        "Jl. Gatot Subroto 4",
        "Desa Balun",
        "salon",
    ),  # noqa: E501
    (
        "E10-a",
        "Agus Salim",
        "Tahu Agus",
        "3316011007780010",
        "10-07-1978",
        "087729001120",
        "Dusun Wetan",
        "Desa Ngloram",
        "tahu",
    ),
    (
        "E11-a",
        "Rina Marlina",
        "Jamu Rina",
        "3316015812830011",
        "18-12-1983",
        "089629001121",
        "Jl. Kenanga 9",
        "Desa Sambong",
        "jamu gendong",
    ),  # noqa: E501
    (
        "E12-a",
        "Bambang Riyadi",
        "Kopi Bambang",
        "3316010509690012",
        "05-09-1969",
        "081229001122",
        "Jl. Melati 8",
        "Desa Jepon",
        "kopi bubuk",
    ),  # noqa: E501
    (
        "E13-a",
        "Endang Susilowati",
        "Sambal Endang",
        "3316016202870013",
        "22-02-1987",
        "085229001123",
        "Jl. Mawar 11",
        "Desa Kunden",
        "sambal",
    ),  # noqa: E501
    (
        "E14-a",
        "Slamet Riyanto",
        "Bakso Slamet",
        "3316011303720014",
        "13-03-1972",
        "081829001124",
        "Jl. Pahlawan 12",
        "Desa Cepu",
        "bakso",
    ),  # noqa: E501
    (
        "E15-a",
        "Wahyu Hidayat",
        "Konveksi Wahyu",
        "3316012104880015",
        "21-04-1988",
        "081729001125",
        "Jl. Anggrek 13",
        "Desa Balun",
        "konveksi",
    ),  # noqa: E501
    (
        "E16-a",
        "Tri Wulandari",
        "Roti Tri",
        "3316016906910016",
        "29-06-1991",
        "085829001126",
        "Jl. Flamboyan 14",
        "Desa Ngloram",
        "roti",
    ),  # noqa: E501
    (
        "E17-a",
        "Heru Prasetyo",
        "Madu Heru",
        "3316010808800017",
        "08-08-1980",
        "081229001127",
        "Dusun Kidul",
        "Desa Sambong",
        "madu",
    ),
    (
        "E18-a",
        "Nur Hidayah",
        "Kerajinan Bambu Nur",
        "3316014909860018",
        "09-09-1986",
        "085729001128",
        "Dusun Lor",
        "Desa Jepon",
        "anyaman bambu",
    ),  # noqa: E501
    (
        "E19-a",
        "Eko Purnomo",
        "Eko Elektronik",
        "3316011710760019",
        "17-10-1976",
        "081329001129",
        "Jl. Veteran 15",
        "Desa Kedungtuban",
        "servis elektronik",
    ),  # noqa: E501
    (
        "E20-a",
        "Yuli Astuti",
        "Gorengan Yuli",
        "3316015111890020",
        "11-11-1989",
        "085629001130",
        "Jl. Dahlia 16",
        "Desa Kunden",
        "gorengan",
    ),  # noqa: E501
]

PARTNER = [
    ("P1", "SITI AMINAH", "SUMBER REJEKI", "", "", "081229001111", "JL MERDEKA 5", "CEPU", "KERIPIK"),
    ("P2", "H. Muhamad Yusuf", "U.D. Maju Jaya", "", "02/03/1975", "", "", "BALUN", "MEBEL"),
    ("P3", "Ny. Sri Wahyuni", "Warung Sri", "", "27 April 1985", "0857-2900-1114", "", "Kunden", "nasi pecel"),
    ("P4", "Ahmad Fauzi", "Krupuk Fauzi", "3316012011900005", "", "", "", "Sambong", "kerupuk"),
    (
        "P5",
        "Siti Aminah",
        "Toko Kelontong Aminah",
        "",
        "",
        "081229009999",
        "",
        "Desa Balun",
        "sembako",
    ),  # a sixth Siti Aminah  # noqa: E501
    ("P6", "Hendra Gunawan", "Percetakan Hendra", "", "", "081229008888", "", "Desa Cepu", "sablon"),
    ("P7", "Slamet Riyanto", "Bakso Pak Slamet", "", "13-03-1972", "", "", "Cepu", "bakso"),
    ("P8", "Wahyu Hidayat", "Konveksi Wahyu", "", "", "0817-2900-1125", "", "Balun", ""),
]


def office_rows() -> list[dict]:
    return [dict(zip(COLUMNS, row, strict=True)) for row in OFFICE]


def partner_rows() -> list[dict]:
    return [dict(zip(COLUMNS, row, strict=True)) for row in PARTNER]


def entity(record_id: str) -> str:
    """The entity a record is: `E01-b` → `E01`; partner rows map through `PARTNER_ENTITY`."""
    return PARTNER_ENTITY.get(record_id, record_id.split("-")[0])


PARTNER_ENTITY = {"P1": "E01", "P2": "E02", "P3": "E04", "P4": "E05", "P5": "P5", "P6": "P6", "P7": "E14", "P8": "E15"}

ROLES = {
    "person_name": "NAMA PEMILIK",
    "business_name": "NAMA USAHA",
    "identifier": "NIK",
    "birth_date": "TGL LAHIR",
    "phone": "HP",
    "address": "ALAMAT",
    "area": "DESA",
    "text": "PRODUK",
}


def true_pairs(left: list[dict], right: list[dict] | None = None) -> set[tuple[str, str]]:
    """The pairs that are one UMKM: within `left` (ids sorted) or across `left` × `right`."""
    if right is None:
        ids = [row["no"] for row in left]
        return {(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :] if entity(a) == entity(b)}
    return {(a["no"], b["no"]) for a in left for b in right if entity(a["no"]) == entity(b["no"])}
