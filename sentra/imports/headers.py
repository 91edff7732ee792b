"""Finding the header in a messy sheet and mapping its columns to registry fields.

Offices' sheets have title rows above the header, two-row headers (ALAMAT over
JALAN / DESA/KEL / KECAMATAN; TENAGA KERJA over L and P) and many spellings of
each column name. The header is the row, near the top, whose cells match the
most known column names; a row right below it that names sub-columns is merged
into it.

A label is matched as people write it: numbering (`1.`), units and brackets
(`(Rp)`, `(jiwa)`), alternatives (`HP / WA`, `Nama Usaha / Merk`) and a leading
`nama`/`no` are set aside before the synonyms are looked up; what still matches
nothing is compared by spelling (difflib), and only a close match is applied:
a looser one is proposed to the officer.
"""

import difflib
import functools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

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
        "nama pemilik sesuai ktp",
        "nama sesuai ktp",
    ),
    "nik": ("nik", "nik pemilik", "nik pengusaha", "no ktp", "nomor ktp", "no nik", "nomor induk kependudukan", "ktp"),
    "sex": ("jenis kelamin", "jk", "l p", "kelamin", "gender"),
    "birth_date": ("tanggal lahir", "tgl lahir", "tgl. lahir", "tanggal lahir pemilik"),
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
        "wa",
        "telp",
        "tlp",
        "no tlp",
        "hp wa",
        "no hp wa",
        "telp hp",
        "no telp hp",
        "nomor telepon",
        "nomor whatsapp",
        "no kontak",
        "handphone",
    ),
    "business_name": (
        "nama usaha",
        "nama umkm",
        "nama perusahaan",
        "merek",
        "merk",
        "nama merek",
        "nama merk",
        "nama toko",
        "nama ukm",
        "nama usaha merk",
        "nama badan usaha",
    ),
    "nib": ("nib", "nomor induk berusaha", "no nib"),
    "activity": (
        "jenis usaha",
        "kegiatan usaha",
        "bidang usaha",
        "kegiatan utama",
        "sektor usaha",
        "usaha",
        "jenis kegiatan usaha",
        "jenis kegiatan",
        "uraian usaha",
    ),
    "product": ("produk", "produk utama", "jenis produk", "komoditas", "nama produk", "hasil produksi"),
    "kbli": ("kbli", "kode kbli", "kbli 2020"),
    "address": (
        "alamat",
        "alamat usaha",
        "jalan",
        "alamat jalan",
        "dusun",
        "alamat lengkap",
        "jalan dusun",
        "dukuh",
        "alamat tempat usaha",
        "lokasi usaha",
    ),
    "rt": ("rt",),
    "rw": ("rw",),
    "village": (
        "desa",
        "kelurahan",
        "desa kel",
        "desa kelurahan",
        "kel desa",
        "kelurahan desa",
        "kel",
        "ds",
        "desa kel usaha",
    ),
    "district": ("kecamatan", "kec", "kecamatan usaha"),
    "capital": ("modal", "modal usaha", "aset", "asset", "modal pendirian", "nilai aset", "aset usaha", "modal awal"),
    "annual_turnover": (
        "omzet",
        "omset",
        "omzet tahunan",
        "omset per tahun",
        "omzet per tahun",
        "omzet tahun",
        "omset tahun",
        "penjualan",
        "omzet usaha",
        "omset usaha",
        "hasil penjualan",
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
    "start_year": ("tahun mulai", "tahun mulai usaha", "tahun berdiri", "mulai usaha", "tahun", "tahun usaha"),
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
# A spelling this close (difflib ratio) to a known one is applied; a looser one down to PROPOSE_RATIO is
# only proposed in the preview. Short labels are never guessed: `kel` and `kec` differ by one letter.
APPLY_RATIO = 0.9
PROPOSE_RATIO = 0.8
GUESS_MIN_LENGTH = 5
# Words a header adds around the name of what it holds: units, "nama"/"nomor" before it, "rata-rata" in turnover.
UNIT_WORDS = frozenset({"rp", "rupiah", "jiwa", "orang", "org", "angka", "digit", "rata"})
LEADING_FILLERS = ("nama ", "no ", "nomor ", "nmr ")
# How a turnover header says its period: a monthly one is stored ×12 (`monthly_turnover`).
MONTH_WORDS = frozenset({"bln", "bulan", "bulanan", "sebulan", "perbulan", "perbln"})
YEAR_WORDS = frozenset({"thn", "th", "tahun", "tahunan", "setahun", "pertahun", "perthn"})
PERIOD_WORDS = MONTH_WORDS | YEAR_WORDS | {"per"}
# Sheets that sum the others up, by the words in their name.
SUMMARY_SHEET_WORDS = frozenset({"rekap", "rekapitulasi", "ringkasan", "resume", "summary", "grafik", "total"})


_WORD = re.compile(r"[a-z0-9]+")
_BRACKETED = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")
_NUMBERING = re.compile(r"^\s*\d{1,2}\s*[.)]\s*(?=\D)")
_ALTERNATIVES = re.compile(r"/|\\|\||&|\batau\b|\bdan\b")


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
_GUESSABLE = sorted(key for key in _LOOKUP if len(key) >= GUESS_MIN_LENGTH)


@dataclass(frozen=True)
class LabelMatch:
    """The field a label stands for and how sure the match is (1.0: a known spelling)."""

    field: str
    confidence: float

    @property
    def applied(self) -> bool:
        return self.confidence >= APPLY_RATIO


def _without_units(text: str) -> str:
    """A label's words without numbering, bracketed units and unit words: `1. MODAL (Rp.)` → `modal`."""
    text = _NUMBERING.sub("", text.replace("\n", " "))
    text = _BRACKETED.sub(" ", text)
    return " ".join(word for word in _WORD.findall(text) if word not in UNIT_WORDS)


def _turnover_period(label: str, found: str) -> str:
    """A turnover header that says per month fills `monthly_turnover`; per year or unsaid, `annual_turnover`."""
    if found != "annual_turnover":
        return found
    words = set(_WORD.findall(label))
    if words & MONTH_WORDS and not words & YEAR_WORDS:
        return "monthly_turnover"
    return found


def _exact(key: str) -> str | None:
    """A known spelling, as typed or with a leading `nama`/`no` set aside (`nama desa` → village)."""
    if not key:
        return None
    found = _LOOKUP.get(key)
    if found is None:
        for filler in LEADING_FILLERS:
            if key.startswith(filler) and (found := _LOOKUP.get(key[len(filler) :])):
                break
    return found


def _known(text: str) -> str | None:
    """The field of a label's known spelling: whole, without units, then each of its alternatives."""
    whole = normalize_label(text)
    if found := _exact(whole):
        return found
    plain = _without_units(text)
    if found := _exact(plain):
        return found
    # "Omzet per bulan (Rp)": the period words say how turnover is stored, not what the column is.
    unperiodic = " ".join(word for word in plain.split() if word not in PERIOD_WORDS)
    if _exact(unperiodic) == "annual_turnover":
        return "annual_turnover"
    for part in _ALTERNATIVES.split(_BRACKETED.sub(" ", _NUMBERING.sub("", text))):
        if (key := _without_units(part)) != plain and (found := _exact(key)):
            return found
    return None


@functools.lru_cache(maxsize=4096)
def match_label(label: str, *, guess: bool = True) -> LabelMatch | None:
    """The field a column label stands for, or None; with `guess`, a close spelling counts too."""
    text = str(label or "").strip().lower()
    if not text:
        return None
    found = _known(text)
    if found:
        return LabelMatch(_turnover_period(text, found), 1.0)
    if not guess:
        return None
    plain = _without_units(text)
    if len(plain) < GUESS_MIN_LENGTH or any(character.isdigit() for character in plain):
        return None
    close = difflib.get_close_matches(plain, _GUESSABLE, n=1, cutoff=PROPOSE_RATIO)
    if not close:
        return None
    ratio = round(difflib.SequenceMatcher(None, plain, close[0]).ratio(), 2)
    return LabelMatch(_turnover_period(text, _LOOKUP[close[0]]), ratio)


def field_for_label(label: str) -> str | None:
    """The registry field a column label stands for, if we know the spelling (or one very close)."""
    match = match_label(str(label or ""))
    return match.field if match and match.applied else None


@dataclass
class Header:
    """Where a sheet's header is and what each column means."""

    row_index: int  # the last header row (0-based); data starts below it
    labels: list[str]  # one per column, two-row headers joined as "ALAMAT › DESA/KEL"
    mapping: dict[int, str] = field(default_factory=dict)  # column → registry field
    confidence: dict[int, float] = field(default_factory=dict)  # column → how sure its mapping is (1.0: known)
    proposals: dict[int, LabelMatch] = field(default_factory=dict)  # unmapped column → a likely field
    skipped: dict[int, str] = field(default_factory=dict)  # row index below the header → why it is no data
    # What `rows.parse_row` made of each distinct cell value of some columns, so it parses each once.
    parsed_cells: dict[tuple, tuple[bool, object]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def data_start(self) -> int:
        return self.row_index + 1


def _hits(row: list[object]) -> int:
    # Only known spellings find the header: a guess on every cell of 25 rows would find names in the data.
    return sum(1 for cell in row if isinstance(cell, str) and match_label(cell, guess=False) is not None)


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
    map_header(header)
    if header.data_start < len(rows) and is_column_number_row(rows[header.data_start]):
        header.skipped[header.data_start] = _("baris nomor kolom di bawah judul")
    return header


def _cells(rows: list[list[object]], index: int) -> list[str]:
    return [str(cell or "").strip() for cell in rows[index]] if 0 <= index < len(rows) else []


def _is_sub_header(top: list[str], below: list[str]) -> bool:
    """Whether `below` names columns under blank (merged) cells of `top`, or gives their units (`(Rp)`)."""
    if _hits(top) < 1 or any(_looks_like_data(cell) for cell in below):
        return False
    if any(below) and all(_is_unit(cell) for cell in below if cell):
        return True
    return _hits(below) >= 1 and any(cell and (i >= len(top) or not top[i]) for i, cell in enumerate(below))


def _is_unit(cell: str) -> bool:
    """A cell holding only a unit: `(Rp)`, `Rp/bln`, `(orang)`."""
    words = set(_WORD.findall(cell.lower()))
    return bool(words) and words <= UNIT_WORDS | PERIOD_WORDS


def _looks_like_data(cell: object) -> bool:
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return True
    text = str(cell or "")
    return bool(re.search(r"\d{4,}", text))


_COLUMN_NUMBER = re.compile(r"\(?(\d{1,2})\)?")


def is_column_number_row(row: list[object]) -> bool:
    """The row of column numbers some offices put under the header: `1 2 3 4 …` or `(1) (2) (3) …`."""
    numbers = []
    for cell in row:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer():
            numbers.append(int(cell))
            continue
        match = _COLUMN_NUMBER.fullmatch(str(cell).strip())
        if match is None:
            return False
        numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and numbers[0] in (0, 1) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _label_attempts(label: str) -> list[str]:
    """What to match a two-row label by: parent and child together, then the child alone.

    A child that is only a unit (`OMZET` over `(Rp)`) leaves the parent.
    """
    parent, _, child = label.rpartition(JOIN)
    if not parent:
        return [child]
    if not _without_units(child.lower()):
        return [f"{parent} {child}"]
    return [f"{parent} {child}", child]


def map_header(header: Header) -> None:
    """Map the header's columns: each field to the first column that surely names it, the rest proposed."""
    header.mapping, header.confidence, header.proposals = {}, {}, {}
    matches: dict[int, list[LabelMatch]] = {}
    for index, label in enumerate(header.labels):
        found = [match for attempt in _label_attempts(label) if (match := match_label(attempt))]
        matches[index] = sorted(found, key=lambda match: -match.confidence)
    taken: set[str] = set()
    # Known spellings first, then close guesses, so a guess never takes a field a later column names outright.
    for surely in (True, False):
        for index, found in matches.items():
            if index in header.mapping:
                continue
            for match in found:
                if match.applied and (match.confidence == 1.0) == surely and match.field not in taken:
                    header.mapping[index], header.confidence[index] = match.field, match.confidence
                    taken.add(match.field)
                    break
    for index, found in matches.items():
        if index not in header.mapping and found and found[0].field not in taken:
            header.proposals[index] = found[0]


def map_columns(labels: list[str]) -> dict[int, str]:
    """Column index → registry field, first sure match wins for each field.

    A two-row label tries the child alone, then parent and child together
    (`TENAGA KERJA › L` → workers_male).
    """
    header = Header(row_index=0, labels=labels)
    map_header(header)
    return header.mapping


def summary_sheet_reason(name: str, header: Header, others_named: bool) -> str:
    """Why a sheet sums the others up rather than listing businesses ("" when it lists them).

    A sheet whose header names a business or an owner lists them, whatever it is called
    ("REKAP DATA UMKM" often is the list). One that names neither is a summary when its
    name says so (REKAP, Ringkasan, Total) or when other sheets do name businesses.
    """
    if {"business_name", "owner_name"} & set(header.mapping.values()):
        return ""
    if set(normalize_label(name).split()) & SUMMARY_SHEET_WORDS:
        return _("lembar rekap (menurut namanya, tanpa kolom nama usaha atau nama pemilik)")
    if others_named:
        return _("lembar rekap (tanpa kolom nama usaha atau nama pemilik)")
    return ""


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
