"""Finding the header in a messy sheet and mapping its columns to registry fields.

Offices' sheets have title rows above the header, two-row headers (ALAMAT over
JALAN / DESA/KEL / KECAMATAN; TENAGA KERJA over L and P) and many spellings of
each column name. The header is the row, near the top, whose cells match the
most known column names; a row right below it that names sub-columns is merged
into it.
"""

import re
from dataclasses import dataclass, field

# Canonical field → the spellings seen in offices' sheets (compared after `normalize_label`).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "owner_name": (
        "nama pemilik",
        "nama pelaku usaha",
        "pemilik",
        "nama pengusaha",
        "nama pemilik usaha",
        "pelaku usaha",
        "nama lengkap",
        "nama",
    ),
    "nik": ("nik", "nik pemilik", "nik pengusaha", "no ktp", "nomor ktp", "no nik", "nomor induk kependudukan"),
    "sex": ("jenis kelamin", "jk", "l p", "kelamin", "gender"),
    "birth_date": ("tanggal lahir", "tgl lahir", "tgl. lahir"),
    "phone": (
        "no hp",
        "nomor hp",
        "hp",
        "no telp",
        "telepon",
        "no telepon",
        "kontak",
        "kontak hp",
        "no wa",
        "whatsapp",
    ),
    "business_name": ("nama usaha", "nama umkm", "nama perusahaan", "merek", "nama toko"),
    "nib": ("nib", "nomor induk berusaha", "no nib"),
    "activity": ("jenis usaha", "kegiatan usaha", "bidang usaha", "kegiatan utama", "sektor usaha", "usaha"),
    "product": ("produk", "produk utama", "jenis produk", "komoditas"),
    "kbli": ("kbli", "kode kbli"),
    "address": ("alamat", "alamat usaha", "jalan", "alamat jalan", "dusun", "alamat lengkap"),
    "rt": ("rt",),
    "rw": ("rw",),
    "village": ("desa", "kelurahan", "desa kel", "desa kelurahan", "kel desa", "kel", "ds"),
    "district": ("kecamatan", "kec"),
    "capital": ("modal", "modal usaha", "aset", "asset", "modal pendirian"),
    "annual_turnover": (
        "omzet",
        "omset",
        "omzet tahunan",
        "omset per tahun",
        "omzet per tahun",
        "omzet tahun",
        "omset tahun",
        "penjualan",
    ),
    "monthly_turnover": (
        "omzet per bulan",
        "omset per bulan",
        "omzet bulanan",
        "omset bulanan",
        "omzet bln",
        "omset bln",
        "omzet sebulan",
        "omset sebulan",
        "penjualan per bulan",
        "rata rata omzet per bulan",
    ),
    "legality": ("legalitas", "legalitas usaha", "izin usaha", "perizinan", "ijin usaha", "perijinan"),
    "workers_male": ("tenaga kerja l", "tk l", "tenaga kerja laki laki", "laki laki", "l"),
    "workers_female": ("tenaga kerja p", "tk p", "tenaga kerja perempuan", "perempuan", "p"),
    "start_year": ("tahun mulai", "tahun mulai usaha", "tahun berdiri", "mulai usaha", "tahun"),
    "start_month": ("bulan mulai", "bulan mulai usaha", "bulan berdiri"),
    "latitude": ("latitude", "lintang", "lat"),
    "longitude": ("longitude", "bujur", "long", "lng"),
    "legal_form": ("bentuk usaha", "bentuk badan usaha", "badan usaha", "status badan usaha"),
}
SIDT_COLUMNS: dict[str, str] = {
    "nik_pengusaha": "nik",
    "nama_pengusaha": "owner_name",
    "nib": "nib",
    "jenis_kelamin": "sex",
    "tanggal_lahir": "birth_date",
    "kontak_hp": "phone",
    "nama_usaha": "business_name",
    "kegiatan_utama": "activity",
    "produk_utama": "product",
    "kode_kbli": "kbli",
    "status_badan_usaha": "legal_form",
    "modal_pendirian": "capital",
    "omzet_tahunan": "annual_turnover",
    "tahun_mulai_operasi": "start_year",
    "bulan_mulai_operasi": "start_month",
    "alamat_usaha": "address",
    "kel_usaha": "village",
    "kec_usaha": "district",
    "rt_usaha": "rt",
    "rw_usaha": "rw",
    "alamat_latitude": "latitude",
    "alamat_longitude": "longitude",
    "tk_dibayar_laki": "workers_male",
    "tk_dibayar_perempuan": "workers_female",
}
HEADER_SEARCH_ROWS = 25
JOIN = " › "  # between a group label and its sub-column; never typed in real labels
TOTALS_WORDS = ("jumlah", "total", "jumlah total", "grand total")


_WORD = re.compile(r"[a-z0-9]+")


def normalize_label(value: object) -> str:
    """`Nama  Pelaku-Usaha ` → `nama pelaku usaha`; `DESA/KEL.` → `desa kel`."""
    text = str(value or "").strip().lower()
    return " ".join(_WORD.findall(text))


_LOOKUP: dict[str, str] = {}
for _field, _names in SYNONYMS.items():
    for _name in _names:
        _LOOKUP.setdefault(normalize_label(_name), _field)
for _column, _field in SIDT_COLUMNS.items():
    _LOOKUP.setdefault(normalize_label(_column), _field)


def field_for_label(label: str) -> str | None:
    """The registry field a column label stands for, if we know the spelling."""
    return _LOOKUP.get(normalize_label(label))


@dataclass
class Header:
    """Where a sheet's header is and what each column means."""

    row_index: int  # the last header row (0-based); data starts below it
    labels: list[str]  # one per column, two-row headers joined as "ALAMAT › DESA/KEL"
    mapping: dict[int, str] = field(default_factory=dict)  # column → registry field
    # What `rows.parse_row` made of each distinct cell value of some columns, so it parses each once.
    parsed_cells: dict[tuple, tuple[bool, object]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def data_start(self) -> int:
        return self.row_index + 1


def _hits(row: list[object]) -> int:
    return sum(1 for cell in row if field_for_label(str(cell)) is not None)


def _carry_forward(row: list[object]) -> list[str]:
    """A merged group label (ALAMAT spanning three columns) repeated over its span."""
    carried, last = [], ""
    for cell in row:
        text = str(cell or "").strip()
        last = text or last
        carried.append(last)
    return carried


def find_header(rows: list[list[object]]) -> Header | None:
    """The header of a sheet, or None when no row looks like one."""
    candidates = rows[:HEADER_SEARCH_ROWS]
    if not candidates:
        return None
    best = max(range(len(candidates)), key=lambda index: (_hits(candidates[index]), -index))
    if _hits(candidates[best]) < 2:
        return None
    top, below = _cells(rows, best), _cells(rows, best + 1)
    if _is_sub_header(_cells(rows, best - 1), top):
        # The best row names sub-columns; the group labels (ALAMAT, TENAGA KERJA) are above it.
        top, below, best = _cells(rows, best - 1), top, best - 1
    sub_header = _is_sub_header(top, below)
    if sub_header:
        parents = _carry_forward(top)
        width = max(len(top), len(below))
        labels = []
        for i in range(width):
            parent = parents[i] if i < len(parents) else ""
            child = below[i] if i < len(below) else ""
            labels.append(f"{parent}{JOIN}{child}" if parent and child and parent != child else (child or parent))
        header = Header(row_index=best + 1, labels=labels)
    else:
        header = Header(row_index=best, labels=top)
    header.mapping = map_columns(header.labels)
    return header


def _cells(rows: list[list[object]], index: int) -> list[str]:
    return [str(cell or "").strip() for cell in rows[index]] if 0 <= index < len(rows) else []


def _is_sub_header(top: list[str], below: list[str]) -> bool:
    """Whether `below` names columns under blank (merged) cells of `top`."""
    return (
        _hits(top) >= 1
        and _hits(below) >= 1
        and not any(_looks_like_data(cell) for cell in below)
        and any(cell and (i >= len(top) or not top[i]) for i, cell in enumerate(below))
    )


def _looks_like_data(cell: object) -> bool:
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return True
    text = str(cell or "")
    return bool(re.search(r"\d{4,}", text))


def map_columns(labels: list[str]) -> dict[int, str]:
    """Column index → registry field, first match wins for each field.

    A two-row label tries the child alone, then parent and child together
    (`TENAGA KERJA › L` → workers_male).
    """
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for index, label in enumerate(labels):
        parent, _, child = label.rpartition(JOIN)
        attempts = [f"{parent} {child}", child] if parent else [child]
        for attempt in attempts:
            target = field_for_label(attempt)
            if target and target not in taken:
                mapping[index] = target
                taken.add(target)
                break
    return mapping


def is_totals_row(row: list[object]) -> bool:
    """A JUMLAH/TOTAL row that sums the sheet, not a business: one of its first three filled cells says so."""
    filled = 0
    for cell in row:
        if not cell:
            continue
        text = str(cell)
        if not text.strip():
            continue
        lowered = text.lower()
        # Every totals word holds "jumlah" or "total"; only such cells are worth normalizing.
        if ("jumlah" in lowered or "total" in lowered) and normalize_label(cell) in TOTALS_WORDS:
            return True
        filled += 1
        if filled == 3:
            return False
    return False


def is_blank_row(row: list[object]) -> bool:
    return not any(cell and str(cell).strip() for cell in row)
