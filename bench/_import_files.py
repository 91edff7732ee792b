"""The import bench's input files: a messy 13,652-row office workbook and a clean million-row CSV.

Both are deterministic (fixed seeds) and use Blora's real districts and
villages from the regions table, so they are made inside a bench worker,
after `load_regions`, and kept in bench/.data/ for the next run.

The messy workbook has what offices' sheets have (issue 3, items 2 and 3):
title rows, two-row merged headers (ALAMAT over JALAN / DESA/KEL / KECAMATAN,
TENAGA KERJA over L and P), one sheet per district, blank rows, a JUMLAH row,
column names in many spellings, NIKs with spaces or dots and some typed as
numbers (damaged by Excel), money as `Rp 1.500.000`, `Rp. 2.000.000,-`,
`1,5 jt`, `2 juta` or plain numbers, phones as `0812-…`, `+62 812 …`,
`62812…`, village and district names with prefixes, in any case and with a
few typos, repeats of earlier rows, and KBLI codes on some rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from sentra.registry.demo import BLORA, make_nik, nik_parts, person_name

REGENCY = "33.16"
MESSY_ROWS = 13_652  # Blora's reported UMKM count: data rows below the headers, blanks and totals included
MESSY_SEED = 2026
CLEAN_SEED = 1_000_000
FILE_VERSION = 1  # bump when the generators change, so cached files are made again

CSV_HEADER = [
    "NAMA PEMILIK",
    "NIK",
    "JENIS KELAMIN",
    "NO HP",
    "NAMA USAHA",
    "JENIS USAHA",
    "PRODUK",
    "KBLI",
    "ALAMAT",
    "DESA",
    "KECAMATAN",
    "MODAL",
    "OMZET",
    "TENAGA KERJA L",
    "TENAGA KERJA P",
    "TAHUN MULAI",
    "BENTUK USAHA",
]


@dataclass(frozen=True)
class District:
    code: str
    name: str
    villages: tuple[tuple[str, str], ...]  # (code, name)


def blora_districts() -> list[District]:
    """Blora's districts with their villages, from the regions table."""
    from sentra.regions.models import District as DistrictModel
    from sentra.regions.models import Village

    villages: dict[str, list[tuple[str, str]]] = {}
    for code, name, district in Village.objects.filter(district__regency_id=REGENCY).values_list(
        "code", "name", "district_id"
    ):
        villages.setdefault(district, []).append((code, name))
    return [
        District(code=d.code, name=d.name, villages=tuple(sorted(villages[d.code])))
        for d in DistrictModel.objects.filter(regency_id=REGENCY).order_by("code")
        if d.code in villages
    ]


def _digits(nik: str, rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.12:
        return " ".join(nik[i : i + 4] for i in range(0, 16, 4))
    if draw < 0.2:
        return ".".join((nik[:6], nik[6:12], nik[12:]))
    return nik


def _phone(rng: random.Random) -> object:
    national = f"8{rng.choice('1257')}{rng.randint(1, 9)}{rng.randint(10_000_000, 99_999_999)}"
    draw = rng.random()
    if draw < 0.15:
        return ""
    if draw < 0.4:
        return f"0{national[:3]}-{national[3:7]}-{national[7:]}"
    if draw < 0.55:
        return f"+62 {national[:3]} {national[3:7]} {national[7:]}"
    if draw < 0.7:
        return f"62{national}"
    if draw < 0.8:
        return float(national)  # typed as a number: the leading 0 is gone
    return f"0{national}"


def _money(rng: random.Random) -> object:
    if rng.random() < 0.12:
        return ""
    tenths = rng.randint(5, 4000)  # 0.5 to 400 million, in tenths of a million
    amount = tenths * 100_000
    grouped = f"{amount:,}".replace(",", ".")
    millions = f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10},{tenths % 10}"
    draw = rng.random()
    if draw < 0.2:
        return f"Rp {grouped}"
    if draw < 0.35:
        return f"Rp. {grouped},-"
    if draw < 0.5:
        return f"{millions} jt"
    if draw < 0.6:
        return f"{millions} juta"
    if draw < 0.85:
        return float(amount)
    return grouped


def _typo(name: str, rng: random.Random) -> str:
    at = rng.randint(1, max(1, len(name) - 2))
    return name[:at] + name[at + 1 :] if rng.random() < 0.5 else name[:at] + name[at] + name[at:]


def _village(name: str, rng: random.Random) -> str:
    if rng.random() < 0.012:
        name = _typo(name, rng)
    draw = rng.random()
    if draw < 0.4:
        return name
    if draw < 0.55:
        return f"Ds. {name}"
    if draw < 0.7:
        return f"Desa {name}"
    if draw < 0.8:
        return f"DESA {name.upper()}"
    if draw < 0.85:
        return name.lower()
    if draw < 0.9:
        return f"Kel. {name}"
    if draw < 0.93:
        return f"Kampung {name}"
    return name.upper()


def _district(name: str, rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.03:
        return ""
    if draw < 0.35:
        return name
    if draw < 0.6:
        return f"Kec. {name}"
    if draw < 0.8:
        return f"KECAMATAN {name.upper()}"
    if draw < 0.9:
        return name.upper()
    return f"kec {name.lower()}"


SHEET_LABELS = {
    "owner": ("NAMA PEMILIK", "Nama Pelaku Usaha", "PEMILIK", "NAMA PENGUSAHA", "Nama Pemilik Usaha"),
    "nik": ("NIK", "NO. KTP", "NIK PEMILIK", "No NIK"),
    "sex": ("JK", "L/P", "JENIS KELAMIN"),
    "phone": ("NO HP", "No. Telp", "KONTAK HP", "No WA", "NOMOR HP"),
    "business": ("NAMA USAHA", "Nama UMKM", "NAMA TOKO"),
    "activity": ("JENIS USAHA", "Bidang Usaha", "KEGIATAN USAHA"),
    "product": ("PRODUK", "Produk Utama", "KOMODITAS"),
    "kbli": ("KBLI", "KODE KBLI"),
    "street": ("JALAN", "Dusun", "JALAN"),
    "village": ("DESA/KEL", "Desa/Kelurahan", "DESA"),
    "district": ("KECAMATAN", "Kec.", "KECAMATAN"),
    "capital": ("MODAL", "Modal Usaha", "ASET"),
    "turnover": ("OMZET", "Omset per Tahun", "OMZET TAHUNAN", "PENJUALAN"),
    "year": ("TAHUN MULAI", "Tahun Berdiri", "MULAI USAHA"),
}
SEX_SPELLINGS = {False: ("L", "Laki-laki", "LK", "L"), True: ("P", "Perempuan", "PR", "P")}


@dataclass
class _Owner:
    nik: str
    name: str
    female: bool
    phone: object
    district: District


def write_messy_xlsx(path: Path, districts: list[District]) -> None:
    """The messy workbook: one sheet per district, MESSY_ROWS data rows in all."""
    rng = random.Random(MESSY_SEED)
    total_villages = sum(len(d.villages) for d in districts)
    shares = [round(MESSY_ROWS * len(d.villages) / total_villages) for d in districts]
    shares[-1] += MESSY_ROWS - sum(shares)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    title = workbook.add_format({"bold": True, "align": "center"})
    person_id = 0
    for sheet_index, (district, rows) in enumerate(zip(districts, shares, strict=True)):
        sheet = workbook.add_worksheet(f"Kec. {district.name}")
        labels = {key: spellings[(sheet_index + len(key)) % len(spellings)] for key, spellings in SHEET_LABELS.items()}
        two_rows = sheet_index % 4 != 3
        sheet.merge_range(0, 0, 0, 16, "DATA UMKM BINAAN DINAS KOPERASI DAN UKM KABUPATEN BLORA", title)
        sheet.merge_range(1, 0, 1, 16, f"KECAMATAN {district.name.upper()} - KEADAAN DESEMBER 2025", title)
        top = ["NO", labels["owner"], labels["nik"], labels["sex"], labels["phone"], labels["business"]]
        top += [labels["activity"], labels["product"], labels["kbli"]]
        if two_rows:
            top += ["ALAMAT", "", "", labels["capital"], labels["turnover"], "TENAGA KERJA", "", labels["year"]]
            below = [""] * 9 + [labels["street"], labels["village"], labels["district"], "", "", "L", "P", ""]
            sheet.write_row(3, 0, top)
            sheet.write_row(4, 0, below)
            first = 5
        else:
            top += ["ALAMAT", "DESA", "KECAMATAN", labels["capital"], labels["turnover"], "TK L", "TK P"]
            top += [labels["year"]]
            sheet.write_row(3, 0, top)
            first = 4
        written: list[list[object]] = []
        owners: list[_Owner] = []
        totals = [0, 0]
        for line in range(rows - 1):
            number = first + line
            draw = rng.random()
            if draw < 0.01:
                continue  # a blank row
            if draw < 0.03 and written:
                cells = list(rng.choice(written))  # a repeat of an earlier row
                cells[0] = len(written) + 1
            else:
                cells = _messy_row(rng, district, owners, len(written) + 1, person_id)
                person_id += 1
            written.append(cells)
            totals[0] += cells[14] if isinstance(cells[14], int) else 0
            totals[1] += cells[15] if isinstance(cells[15], int) else 0
            for column, value in enumerate(cells):
                if isinstance(value, int | float):
                    sheet.write_number(number, column, value)
                elif value != "":
                    sheet.write_string(number, column, value)
        last = first + rows - 1
        sheet.write_string(last, 0, "JUMLAH")
        sheet.write_number(last, 14, totals[0])
        sheet.write_number(last, 15, totals[1])
    workbook.close()


def _messy_row(rng: random.Random, district: District, owners: list[_Owner], number: int, person_id: int) -> list:
    if owners and rng.random() < 0.05:
        owner = rng.choice(owners)  # a second business of an earlier owner
    else:
        female = rng.random() < 0.45
        born, serial = nik_parts(7_000_000 + person_id)
        name = person_name(rng, "jawa", female)[0]
        owner = _Owner(make_nik(district.code, born, female, serial), name, female, _phone(rng), district)
        owners.append(owner)
    line = rng.choice(BLORA)
    label = rng.choice(line.labels)
    business = f"{label} {rng.choice(('Bu', 'Mbak')) if owner.female else rng.choice(('Pak', 'Mas'))} "
    business += owner.name.removeprefix("Hj. ").removeprefix("H. ").split()[0]
    if rng.random() < 0.5:
        business = f"{label} {rng.choice(('Makmur', 'Barokah', 'Sido Mulyo', 'Sekar Jati', 'Lestari', 'Jaya'))}"
    draw = rng.random()
    nik: object
    if draw < 0.02:
        nik = float(owner.nik[:15] + "0")  # typed as a number: Excel keeps 15 digits
    elif draw < 0.025:
        nik = owner.nik[:-1]  # a digit short
    elif draw < 0.04:
        nik = ""
    else:
        nik = _digits(owner.nik, rng)
    sex = rng.choice(SEX_SPELLINGS[owner.female]) if rng.random() < 0.5 else ""
    phone = owner.phone if rng.random() > 0.005 else "0812-345"
    kbli: object = ""
    if rng.random() < 0.3:
        kbli = float(line.kbli) if rng.random() < 0.5 else line.kbli
    _code, village = rng.choice(district.villages)
    street = rng.choice(("Jl. Raya", "Jl. Pemuda", "Dusun Krajan", "Dk. Kauman", "RT 02 RW 03", ""))
    capital = _money(rng) if rng.random() > 0.002 else "banyak"
    product = rng.choice(line.products).name if rng.random() < 0.8 else ""
    return [
        number,
        owner.name if rng.random() > 0.1 else owner.name.upper(),
        nik,
        sex,
        phone,
        business,
        label.lower() if rng.random() < 0.5 else "",
        product,
        kbli,
        street,
        _village(village, rng),
        _district(district.name, rng),
        capital,
        _money(rng),
        rng.choice((0, 0, 1, 1, 2, 3)),
        rng.choice((0, 1, 1, 2, 2, 4)),
        float(rng.randint(1985, 2025)) if rng.random() < 0.8 else "",
    ]


# ---------------------------------------------------------------------------
# The clean CSV: every row valid, canonical headers, its registry values known
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanRow:
    """One clean CSV row's registry values, for the floor and django-import-export."""

    nik: str
    full_name: str
    sex: str
    birth_date: dt.date
    phone: str
    name: str
    activity: str
    product: str
    kbli: str
    address: str
    village: str
    capital: int
    annual_turnover: int
    workers_male: int
    workers_female: int
    start_year: int
    legal_form: str


def clean_rows(count: int, districts: list[District]) -> Iterator[tuple[CleanRow, str, str]]:
    """(values, village name, district name) of the clean CSV's rows, unique NIK per row."""
    rng = random.Random(CLEAN_SEED)
    for index in range(count):
        district = districts[index % len(districts)]
        village_code, village_name = district.villages[int(rng.random() * len(district.villages))]
        female = rng.random() < 0.45
        born, serial = nik_parts(index)
        nik = make_nik(district.code, born, female, serial)
        full_name = person_name(rng, "jawa", female)[0]
        line = BLORA[int(rng.random() * len(BLORA))]
        label = line.labels[int(rng.random() * len(line.labels))]
        capital = int(rng.random() * 400) * 500_000 + 1_000_000
        row = CleanRow(
            nik=nik,
            full_name=full_name,
            sex="P" if female else "L",
            birth_date=born,
            phone=f"+628{12 + int(rng.random() * 80)}{10_000_000 + index:08d}",
            name=f"{label} {full_name.split()[-1]}",
            activity=label.lower(),
            product=line.products[int(rng.random() * len(line.products))].name,
            kbli=line.kbli,
            address=f"RT {1 + index % 9:02d} RW {1 + index % 5:02d}",
            village=village_code,
            capital=capital,
            annual_turnover=capital * 3,
            workers_male=index % 3,
            workers_female=index % 4,
            start_year=1990 + index % 35,
            legal_form="perorangan",
        )
        yield row, village_name, district.name


def write_clean_csv(path: Path, count: int, districts: list[District]) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(CSV_HEADER)
        for row, village, district in clean_rows(count, districts):
            writer.writerow(
                [
                    row.full_name,
                    row.nik,
                    row.sex,
                    "0" + row.phone[3:],
                    row.name,
                    row.activity,
                    row.product,
                    row.kbli,
                    row.address,
                    village,
                    district,
                    row.capital,
                    row.annual_turnover,
                    row.workers_male,
                    row.workers_female,
                    row.start_year,
                    "Perorangan",
                ]
            )
