"""The import bench's input files: a messy 14,000-row office workbook and a clean million-row CSV.

Both are deterministic (fixed seeds) and use Blora's real districts and
villages from the regions table, so they are made inside a bench worker,
after `load_regions`, and kept in bench/.data/ for the next run.

The messy workbook is typed as a regency office types its own (issue 11,
point 8): a title block, a two-row merged header with units (`MODAL (Rp)`,
`OMZET / BLN (Rp)`, `NO. HP / WA`, `JALAN/DUSUN` under a merged ALAMAT,
TENAGA KERJA over L and P), a row of column numbers, one sheet per
district, blank rows, a JUMLAH row and a signature block under each table,
and a REKAP sheet. In the rows: names in capitals with titles (HJ., S.PD.),
NIKs with a leading apostrophe, spaces or dots, birth dates as `DD-MM-YY`,
money as `5 jt`, `Rp 750rb`, `Rp. 2.000.000,-`, `± 2 juta` or numbers,
phones in every format, placeholders (`-`, `belum ada`, `proses`) in
optional columns, bad optional values (phone `12345`, a future year,
negative money), the same business of the same owner (same NIK) in two
district sheets, and rows the registry cannot hold.

Each data row is written as one of ROW_KINDS, so the file says by
construction what an import must make of it; `write_messy_xlsx` returns
that, row by row, and the bench compares it with the import's outcome.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from sentra.imports.planning import business_key
from sentra.registry.demo import BLORA, make_nik, nik_parts, person_name

REGENCY = "33.16"
MESSY_ROWS = 14_000  # data rows below the headers (Blora reports 13,652 UMKM), blanks and totals not included
MESSY_SEED = 2026
CLEAN_SEED = 1_000_000
FILE_VERSION = 2  # bump when the generators change, so cached files are made again

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


# ---------------------------------------------------------------------------
# The messy workbook
# ---------------------------------------------------------------------------

# What each data row is written to be, and so what an import must make of it.
GOOD, WARNED, REPEAT, REJECT = "good", "warned", "repeat", "reject"
ROW_KINDS = (GOOD, WARNED, REPEAT, REJECT)
LAYOUT = "layout"  # a row under the header that holds no business: column numbers, blanks, JUMLAH, signatures
WARNED_SHARE, REPEAT_SHARE, REJECT_SHARE = 0.06, 0.03, 0.015

TOP = [
    "NO",
    "NAMA PEMILIK",
    "NIK",
    "L/P",
    "TGL LAHIR\n(DD-MM-YY)",
    "NAMA USAHA",
    "JENIS USAHA",
    "PRODUK UTAMA",
    "KBLI",
    "NIB",
    "ALAMAT",  # merged over the five below
    "",
    "",
    "",
    "",
    "NO. HP / WA",
    "MODAL (Rp)",
    "OMZET / BLN (Rp)",
    "TENAGA KERJA",  # merged over L and P
    "",
    "TAHUN MULAI",
    "KETERANGAN",
]
UNDER = {10: "JALAN/DUSUN", 11: "RT", 12: "RW", 13: "DESA/KEL", 14: "KECAMATAN", 18: "L", 19: "P"}
# Other sheets' spellings of some headers (each known to the import's header matching).
SPELLINGS = {1: ("NAMA PELAKU USAHA",), 5: ("NAMA USAHA / MERK",), 15: ("Telp/HP",), 17: ("Omzet (Rp/bln)",)}
WIDTH = len(TOP)
TITLES_MALE = ("H. ", "Drs. ", "")
TITLES_FEMALE = ("Hj. ", "")
DEGREES = (", S.Pd.", ", S.E.", ", A.Md.", "")
FOOTER = ("Blora, 31 Desember 2025", "Mengetahui,", "Kepala Dinas Koperasi dan UKM", "", "", "( SUTRISNO, S.E. )")


def _nik_cell(nik: str, rng: random.Random) -> object:
    draw = rng.random()
    if draw < 0.2:
        return "'" + nik  # typed as text with an apostrophe, so that Excel keeps all 16 digits
    if draw < 0.3:
        return " ".join(nik[i : i + 4] for i in range(0, 16, 4))
    if draw < 0.35:
        return ".".join((nik[:6], nik[6:12], nik[12:]))
    return nik


def _phone(rng: random.Random) -> str:
    return f"8{rng.choice('1257')}{rng.randint(1, 9)}{rng.randint(10_000_000, 99_999_999)}"


def _phone_cell(national: str, rng: random.Random) -> object:
    draw = rng.random()
    if draw < 0.1:
        return rng.choice(("-", "belum ada", ""))
    if draw < 0.35:
        return f"0{national[:3]}-{national[3:7]}-{national[7:]}"
    if draw < 0.45:
        return f"+62 {national[:3]} {national[3:7]} {national[7:]}"
    if draw < 0.55:
        return f"62{national}"
    if draw < 0.65:
        return f"HP. 0{national} (WA)"
    if draw < 0.75:
        return float(national)  # typed as a number: the leading 0 is gone
    return f"0{national}"


def _money_cell(rng: random.Random) -> object:
    """An amount as typed, or a placeholder."""
    draw = rng.random()
    if draw < 0.08:
        return rng.choice(("-", "belum ada", "", "proses"))
    tenths = rng.randint(5, 4000)  # 0.5 to 400 million, in tenths of a million
    amount = tenths * 100_000
    grouped = f"{amount:,}".replace(",", ".")
    millions = f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10},{tenths % 10}"
    draw = rng.random()
    if draw < 0.15:
        return f"Rp {grouped}"
    if draw < 0.25:
        return f"Rp. {grouped},-"
    if draw < 0.4:
        return f"{millions} jt"
    if draw < 0.45:
        return f"± {millions} juta"
    if draw < 0.55 and amount < 1_000_000:
        return f"Rp {amount // 1000}rb"
    if draw < 0.8:
        return float(amount)
    return grouped


def _village(name: str, rng: random.Random) -> str:
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
    return name.upper()


def _district(name: str, rng: random.Random, village_is_unique: bool) -> str:
    draw = rng.random()
    if draw < 0.04 and village_is_unique:
        return ""  # the village alone tells the district
    if draw < 0.35:
        return name
    if draw < 0.6:
        return f"Kec. {name}"
    if draw < 0.8:
        return f"KECAMATAN {name.upper()}"
    if draw < 0.9:
        return name.upper()
    return f"kec {name.lower()}"


def _owner_name(name: str, female: bool, rng: random.Random) -> str:
    """As typed: a title before and a degree after some names, many in capitals."""
    if rng.random() < 0.15:
        title = rng.choice(TITLES_FEMALE if female else TITLES_MALE)
        name = title + name.removeprefix("Hj. ").removeprefix("H. ") + rng.choice(DEGREES)
    return name.upper() if rng.random() < 0.35 else name


@dataclass
class _Owner:
    nik: str
    name: str
    female: bool
    born: dt.date
    phone: str
    district: District


@dataclass
class _Messy:
    """The generator's state across sheets."""

    rng: random.Random
    districts: list[District]
    unique_villages: set[str]
    owners: list[_Owner]
    keys: set[tuple]  # (NIK, business) of the businesses written: a second business of an owner differs
    goods: list[tuple[str, list]]  # (sheet, cells) of good rows with a NIK, for repeats in later sheets
    person_id: int = 0


def write_messy_xlsx(path: Path, districts: list[District]) -> dict[str, str]:
    """The messy workbook: one sheet per district, MESSY_ROWS data rows in all, and a REKAP sheet.

    Returns the kind (ROW_KINDS, or LAYOUT) of each row under each header, by its `sheet!row number`.
    """
    names = Counter(name for d in districts for _code, name in d.villages)
    state = _Messy(
        rng=random.Random(MESSY_SEED),
        districts=districts,
        unique_villages={name for name, count in names.items() if count == 1},
        owners=[],
        keys=set(),
        goods=[],
    )
    total_villages = sum(len(d.villages) for d in districts)
    shares = [round(MESSY_ROWS * len(d.villages) / total_villages) for d in districts]
    shares[-1] += MESSY_ROWS - sum(shares)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})  # merged headers: not row by row
    bold = workbook.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True})
    kinds: dict[str, str] = {}
    for sheet_index, (district, rows) in enumerate(zip(districts, shares, strict=True)):
        name = f"Kec. {district.name}"
        sheet = workbook.add_worksheet(name)
        labels = [SPELLINGS.get(column, (label,))[0] if sheet_index % 2 else label for column, label in enumerate(TOP)]
        sheet.merge_range(0, 0, 0, WIDTH - 1, "DATA UMKM BINAAN DINAS KOPERASI DAN UKM KABUPATEN BLORA", bold)
        sheet.merge_range(1, 0, 1, WIDTH - 1, f"KECAMATAN {district.name.upper()} - KEADAAN DESEMBER 2025", bold)
        for column, label in enumerate(labels):
            if column in (10, 18):  # ALAMAT over five columns, TENAGA KERJA over two
                sheet.merge_range(3, column, 3, column + (4 if column == 10 else 1), label, bold)
            elif column not in UNDER:
                sheet.merge_range(3, column, 4, column, label, bold)
        for column, label in UNDER.items():
            sheet.write_string(4, column, label, bold)
        sheet.write_row(5, 0, [f"({n})" for n in range(1, WIDTH + 1)])  # the column numbers
        kinds[f"{name}!6"] = LAYOUT
        line, workers = 6, [0, 0]
        for number in range(1, rows + 1):
            if state.rng.random() < 0.01:
                kinds[f"{name}!{line + 1}"] = LAYOUT
                line += 1  # a blank row between businesses
            kind, cells = _messy_row(state, district)
            cells[0] = number
            kinds[f"{name}!{line + 1}"] = kind
            for column, value in enumerate(cells):
                if isinstance(value, int | float):
                    sheet.write_number(line, column, value)
                elif value != "":
                    sheet.write_string(line, column, value)
            workers[0] += cells[18] if isinstance(cells[18], int) else 0
            workers[1] += cells[19] if isinstance(cells[19], int) else 0
            if kind == GOOD and cells[2] and sheet_index < len(districts) - 1:
                state.goods.append((name, cells))
            line += 1
        sheet.write_string(line, 0, "JUMLAH")
        sheet.write_number(line, 18, workers[0])
        sheet.write_number(line, 19, workers[1])
        kinds[f"{name}!{line + 1}"] = LAYOUT
        for text in ("", *FOOTER):  # a blank row, then the signature block under the table
            line += 1
            kinds[f"{name}!{line + 1}"] = LAYOUT
            if text:
                sheet.write_string(line, 16, text)
    rekap = workbook.add_worksheet("REKAP")
    rekap.write_row(0, 0, ["NO", "KECAMATAN", "JUMLAH DESA", "JUMLAH UMKM"])
    for index, (district, rows) in enumerate(zip(districts, shares, strict=True), start=1):
        rekap.write_row(index, 0, [index, district.name, len(district.villages), rows])
    rekap.write_row(len(districts) + 1, 0, ["", "JUMLAH", total_villages, MESSY_ROWS])
    workbook.close()
    return kinds


def _messy_row(state: _Messy, district: District) -> tuple[str, list]:
    """(kind, cells) of one data row of `district`'s sheet."""
    rng = state.rng
    draw = rng.random()
    if draw < REPEAT_SHARE and state.goods:
        # The same owner's same business typed again in a later district's sheet: counted once.
        earlier_sheet, earlier = rng.choice(state.goods)
        if earlier_sheet != f"Kec. {district.name}":
            cells = list(earlier)
            cells[5] = cells[5].upper() if rng.random() < 0.5 else cells[5]  # the same name after normalising
            return REPEAT, cells
    kind = GOOD
    if draw > 1 - REJECT_SHARE:
        kind = REJECT
    elif draw > 1 - REJECT_SHARE - WARNED_SHARE:
        kind = WARNED
    owner, business = _owner_and_business(state, district)
    line = business[1]
    village_code, village = rng.choice(district.villages)
    nik: object = _nik_cell(owner.nik, rng) if rng.random() > 0.03 or kind == REJECT else ""
    if nik == "":
        owner_key = (owner.name.upper(), business[0].upper(), village_code)
        if owner_key in state.keys:
            nik = owner.nik
        state.keys.add(owner_key)
    phone = _phone_cell(owner.phone, rng)
    year: object = int(rng.randint(1985, 2025)) if rng.random() < 0.8 else rng.choice(("-", "", "belum ada"))
    cells: list = [
        0,
        _owner_name(owner.name, owner.female, rng),
        nik,
        rng.choice(("L", "LK", "Laki-laki")) if not owner.female else rng.choice(("P", "PR", "Perempuan")),
        owner.born.strftime("%d-%m-%y") if rng.random() < 0.6 else "",
        business[0],
        business[0].split(" Bu ")[0].split(" Pak ")[0].lower() if rng.random() < 0.6 else "",
        rng.choice(line.products).name if rng.random() < 0.8 else "",
        (float(line.kbli) if rng.random() < 0.5 else line.kbli) if rng.random() < 0.3 else "",
        rng.choice(("-", "belum ada", "", "", "tidak ada")),
        rng.choice(("Jl. Raya", "Jl. Pemuda", "Dusun Krajan", "Dk. Kauman", "-", "")),
        f"{rng.randint(1, 9):03d}" if rng.random() < 0.5 else "",
        f"{rng.randint(1, 5):03d}" if rng.random() < 0.5 else "",
        _village(village, rng),
        _district(district.name, rng, village in state.unique_villages),
        phone,
        _money_cell(rng),
        _money_cell(rng),
        rng.choice((0, 0, 1, 1, 2, 3)),
        rng.choice((0, 1, 1, 2, 2, 4)),
        year,
        rng.choice(("", "", "", "binaan 2024", "-")),
    ]
    if kind == WARNED:
        # One optional value the registry cannot use: left blank, the row kept with a warning.
        column, value = rng.choice(
            ((15, "12345"), (20, dt.date.today().year + 3), (16, "-2.000.000"), (17, "-500rb"), (9, "proses"))
        )
        cells[column] = value
    elif kind == REJECT:
        # What the registry cannot hold without: a broken NIK, no owner, no business name, an unknown village.
        column, value = rng.choice(
            ((2, owner.nik[:-1]), (2, "3,31602E+15"), (1, ""), (5, "-"), (13, "Desa Zzyzx Wetan"))
        )
        cells[column] = value
        if column == 13:
            cells[10] = ""  # nor any village inside the street address
    return kind, cells


def _owner_and_business(state: _Messy, district: District) -> tuple[_Owner, tuple[str, object]]:
    """A new owner, or an earlier one with a second business; the business's name and line."""
    rng = state.rng
    while True:
        if state.owners and rng.random() < 0.05:
            owner = rng.choice(state.owners)  # a second business of an earlier owner
        else:
            female = rng.random() < 0.45
            born, serial = nik_parts(7_000_000 + state.person_id)
            state.person_id += 1
            name = person_name(rng, "jawa", female)[0]
            nik = make_nik(district.code, born, female, serial)
            owner = _Owner(nik, name, female, born, _phone(rng), district)
            state.owners.append(owner)
        line = rng.choice(BLORA)
        label = rng.choice(line.labels)
        call = rng.choice(("Bu", "Mbak")) if owner.female else rng.choice(("Pak", "Mas"))
        first = owner.name.removeprefix("Hj. ").removeprefix("H. ").split()[0]
        if rng.random() < 0.5:
            name = f"{label} {call} {first}"
        else:
            name = f"{label} {rng.choice(('Makmur', 'Barokah', 'Sido Mulyo', 'Sekar Jati', 'Lestari', 'Jaya'))}"
        key = (owner.nik, business_key(name))
        if key not in state.keys:
            state.keys.add(key)
            return owner, (name, line)


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
