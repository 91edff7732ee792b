"""The registry list as files: our canonical layout and the ministry's SIDT layout, as CSV or xlsx.

Rows are read in chunks (one query for the businesses, plus one per chunk for
what a business has many of), so a million-row export runs in bounded memory:
CSV is streamed as it is read; xlsx is written row by row to a temporary file
(xlsxwriter's constant_memory mode) that is then streamed and deleted.
"""

import csv
import datetime as dt
import io
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO, Literal

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sentra.audit.models import NikReveal
from sentra.core.files import guard_cell, guard_row, new_workbook
from sentra.core.formatting import mask_nik
from sentra.registry.models import Business, LegalForm, Maturity, OperatingStatus, Product, Sex
from sentra.registry.sizing import SizeClass

CHUNK_SIZE = 2000
FORMATS = ("csv", "xlsx")
LAYOUTS = ("canonical", "sidt")
XLSX_MAX_ROWS = 1_048_576  # a worksheet's limit, header row included; more rows go on to a next sheet
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# How a cell is typed in xlsx (and written in CSV):
# text  — typed by people;
# code  — identifiers (NIK, NIB, phone, region and KBLI codes): always text, so Excel keeps leading zeros and digits;
# integer, money, decimal, date, datetime — typed cells; money in Rupiah with thousands separators.
# Every text or code cell of a CSV is guarded against formula injection (sentra.core.files.guard_cell).
Kind = Literal["text", "code", "integer", "money", "decimal", "date", "datetime"]
Row = dict[str, object]


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Row], object]
    kind: Kind = "text"


@dataclass(frozen=True)
class Layout:
    """The columns of one kind of export, with their headers in the language they were built in."""

    name: str
    columns: list[Column]
    fields: tuple[str, ...]  # what each business row reads, as `values()` lookups
    with_offices: bool = False  # a "fostering_offices" text per row
    with_main_product: bool = False  # a "main_product" name per row

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


def _field(name: str) -> Callable[[Row], object]:
    return lambda row: row[name]


def _labels(choices) -> Callable[[str], Callable[[Row], object]]:
    """A getter factory that shows a choice field's label, resolved now (in the active language)."""
    labels = {value: str(label) for value, label in choices}
    return lambda name: lambda row: labels.get(row[name], row[name])


def _nik(full: bool) -> Callable[[Row], object]:
    return _field("owner__nik") if full else lambda row: mask_nik(row["owner__nik"])  # type: ignore[arg-type]


def _workers_total(row: Row) -> int:
    return sum(
        row[name]  # type: ignore[misc]
        for name in ("workers_paid_male", "workers_paid_female", "workers_unpaid_male", "workers_unpaid_female")
    )


def _title(name: str) -> Callable[[Row], object]:
    return lambda row: row[name].capitalize() if row[name] else None  # type: ignore[attr-defined]


def _local(name: str) -> Callable[[Row], object]:
    """A stored (UTC) timestamp as the office's wall-clock time, without a zone (xlsx has none)."""
    return lambda row: timezone.localtime(row[name]).replace(tzinfo=None) if row[name] else None  # type: ignore


CANONICAL_FIELDS = (
    "id",
    "name",
    "owner__full_name",
    "owner__sex",
    "owner__nik",
    "nib",
    "owner__phone",
    "address",
    "village_id",
    "village__name",
    "district_id",
    "district__name",
    "regency_id",
    "regency__name",
    "province_id",
    "province__name",
    "kbli_id",
    "kbli__title",
    "kbli_section",
    "size_class",
    "status",
    "maturity",
    "capital",
    "annual_turnover",
    "workers_paid_male",
    "workers_paid_female",
    "workers_unpaid_male",
    "workers_unpaid_female",
    "start_year",
    "legal_form",
    "status_verified_on",
    "created_at",
    "updated_at",
)


def canonical_layout(*, full_nik: bool) -> Layout:
    """Sentra's own columns: codes next to names, labels for choices; headers in the active language."""
    choice = {
        "sex": _labels(Sex.choices),
        "size": _labels(SizeClass.choices),
        "status": _labels(OperatingStatus.choices),
        "maturity": _labels(Maturity.choices),
        "legal_form": _labels(LegalForm.choices),
    }
    columns = [
        Column(_("ID"), _field("id"), "integer"),
        Column(_("Nama usaha"), _field("name")),
        Column(_("Nama pemilik"), _field("owner__full_name")),
        Column(_("Jenis kelamin pemilik"), choice["sex"]("owner__sex")),
        Column(_("NIK pemilik"), _nik(full_nik), "code"),
        Column(_("NIB"), _field("nib"), "code"),
        Column(_("Nomor HP"), _field("owner__phone"), "code"),
        Column(_("Alamat usaha"), _field("address")),
        Column(_("Kode desa/kelurahan"), _field("village_id"), "code"),
        Column(_("Desa/kelurahan"), _field("village__name")),
        Column(_("Kode kecamatan"), _field("district_id"), "code"),
        Column(_("Kecamatan"), _field("district__name")),
        Column(_("Kode kabupaten/kota"), _field("regency_id"), "code"),
        Column(_("Kabupaten/kota"), _field("regency__name")),
        Column(_("Kode provinsi"), _field("province_id"), "code"),
        Column(_("Provinsi"), _field("province__name")),
        Column(_("Kode KBLI"), _field("kbli_id"), "code"),
        Column(_("Judul KBLI"), _title("kbli__title")),
        Column(_("Kategori KBLI"), _field("kbli_section"), "code"),
        Column(_("Skala usaha"), choice["size"]("size_class")),
        Column(_("Status usaha"), choice["status"]("status")),
        Column(_("Tahap perkembangan"), choice["maturity"]("maturity")),
        Column(_("Modal usaha (Rp)"), _field("capital"), "money"),
        Column(_("Omzet tahunan (Rp)"), _field("annual_turnover"), "money"),
        Column(_("Tenaga kerja dibayar, laki-laki"), _field("workers_paid_male"), "integer"),
        Column(_("Tenaga kerja dibayar, perempuan"), _field("workers_paid_female"), "integer"),
        Column(_("Tenaga kerja tidak dibayar, laki-laki"), _field("workers_unpaid_male"), "integer"),
        Column(_("Tenaga kerja tidak dibayar, perempuan"), _field("workers_unpaid_female"), "integer"),
        Column(_("Jumlah tenaga kerja"), _workers_total, "integer"),
        Column(_("Tahun mulai"), _field("start_year"), "integer"),
        Column(_("Bentuk usaha"), choice["legal_form"]("legal_form")),
        Column(_("Dibina oleh"), _field("fostering_offices")),
        Column(_("Terakhir diverifikasi"), _field("status_verified_on"), "date"),
        Column(_("Dibuat"), _local("created_at"), "datetime"),
        Column(_("Diubah"), _local("updated_at"), "datetime"),
    ]
    return Layout("canonical", columns, CANONICAL_FIELDS, with_offices=True)


SIDT_FIELDS = (
    "name",
    "nib",
    "address",
    "latitude",
    "longitude",
    "start_year",
    "start_month",
    "legal_form",
    "capital",
    "annual_turnover",
    "workers_paid_male",
    "workers_paid_female",
    "workers_unpaid_male",
    "workers_unpaid_female",
    "size_class",
    "kbli_id",
    "kbli__title",
    "kbli_section",
    "village__name",
    "district__name",
    "regency__name",
    "province__name",
    "owner__nik",
    "owner__full_name",
    "owner__sex",
    "owner__birth_date",
    "owner__phone",
    "owner__address",
    "owner__village__name",
    "owner__village__district__name",
    "owner__village__district__regency__name",
    "owner__village__district__regency__province__name",
)
# Legal forms as the words sentra/imports reads back; "lainnya" has no SIDT word, so it stays blank.
SIDT_LEGAL_FORMS = {
    LegalForm.INDIVIDUAL: "Perorangan",
    LegalForm.UD: "UD",
    LegalForm.CV: "CV",
    LegalForm.PT: "PT",
    LegalForm.PT_INDIVIDUAL: "PT Perorangan",
    LegalForm.COOPERATIVE: "Koperasi",
    LegalForm.FIRM: "Firma",
}


def _blank(row: Row) -> None:
    return None


def sidt_layout(*, full_nik: bool) -> Layout:
    """The ministry's SIDT (Sistem Informasi Data Tunggal KUMKM) columns, in its order and spelling.

    Headers and values are the ministry's, in Indonesian whatever the UI language. What we do
    not hold (disability, education, RT/RW, assets apart from capital, photos, workers with
    disabilities) is left blank rather than guessed. Region columns hold Kemendagri *names*,
    not codes: sentra/imports matches kecamatan and desa by name within the regency, and a
    SIDT file we write must import back. id_data_badan_usaha is the ministry's own record id,
    which we do not hold: our ids would collide with theirs, so it stays blank.
    The birth date is shown only with the full NIK, since a masked NIK hides exactly that.
    """
    with translation.override("id"):
        sizes = {value: str(label) for value, label in SizeClass.choices if value != SizeClass.UNKNOWN}

    def size(row: Row) -> object:
        return sizes.get(row["size_class"])  # type: ignore[call-overload]

    def legal_form(row: Row) -> object:
        return SIDT_LEGAL_FORMS.get(row["legal_form"])  # type: ignore[call-overload]

    columns = [
        Column("id_data_badan_usaha", _blank),
        Column("nik_pengusaha", _nik(full_nik), "code"),
        Column("nama_pengusaha", _field("owner__full_name")),
        Column("nib", _field("nib"), "code"),
        Column("jenis_kelamin", _field("owner__sex"), "code"),
        Column("is_disabilitas", _blank),
        Column("tanggal_lahir", _field("owner__birth_date") if full_nik else _blank, "date"),
        Column("pendidikan_formal", _blank),
        Column("kontak_hp", _field("owner__phone"), "code"),
        Column("prov_pengusaha", _field("owner__village__district__regency__province__name")),
        Column("kab_pengusaha", _field("owner__village__district__regency__name")),
        Column("kec_pengusaha", _field("owner__village__district__name")),
        Column("kel_pengusaha", _field("owner__village__name")),
        Column("alamat_pengusaha", _field("owner__address")),
        Column("rt_pengusaha", _blank),
        Column("rw_pengusaha", _blank),
        Column("nama_usaha", _field("name")),
        Column("kegiatan_utama", _title("kbli__title")),
        Column("produk_utama", _field("main_product")),
        Column("kategori_kbli", _field("kbli_section"), "code"),
        Column("kode_kbli", _field("kbli_id"), "code"),
        Column("status_badan_usaha", legal_form),
        Column("skala_usaha", size),
        Column("modal_pendirian", _field("capital"), "money"),
        Column("bulan_mulai_operasi", _field("start_month"), "integer"),
        Column("tahun_mulai_operasi", _field("start_year"), "integer"),
        Column("omzet_tahunan", _field("annual_turnover"), "money"),
        Column("asset", _blank, "money"),
        Column("prov_usaha", _field("province__name")),
        Column("kab_usaha", _field("regency__name")),
        Column("kec_usaha", _field("district__name")),
        Column("kel_usaha", _field("village__name")),
        Column("alamat_usaha", _field("address")),
        Column("rt_usaha", _blank),
        Column("rw_usaha", _blank),
        Column("foto_usaha", _blank),
        Column("alamat_latitude", _field("latitude"), "decimal"),
        Column("alamat_longitude", _field("longitude"), "decimal"),
        Column("tk_dibayar_laki", _field("workers_paid_male"), "integer"),
        Column("tk_dibayar_perempuan", _field("workers_paid_female"), "integer"),
        Column("tk_dibayar_disabilitas_laki", _blank, "integer"),
        Column("tk_dibayar_disabilitas_perempuan", _blank, "integer"),
        Column("tk_tidak_dibayar_laki", _field("workers_unpaid_male"), "integer"),
        Column("tk_tidak_dibayar_perempuan", _field("workers_unpaid_female"), "integer"),
        Column("tk_tidak_dibayar_disabilitas_laki", _blank, "integer"),
        Column("tk_tidak_dibayar_disabilitas_perempuan", _blank, "integer"),
    ]
    return Layout("sidt", columns, SIDT_FIELDS, with_main_product=True)


def layout_named(name: str, *, full_nik: bool) -> Layout:
    return sidt_layout(full_nik=full_nik) if name == "sidt" else canonical_layout(full_nik=full_nik)


# ---------------------------------------------------------------------------
# Reading rows
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NikRevealLog:
    """Logs every owner whose full NIK goes into an export, as a NIK reveal to the exporting user.

    One NikReveal per owner per chunk, all carrying the export's request id, so the reveal log
    answers both "who has seen this NIK" and "what did this export reveal".
    """

    actor: object
    request_id: uuid.UUID | None = None
    ip_address: str | None = None

    def log(self, person_ids: Iterable[int]) -> None:
        NikReveal.objects.bulk_create(
            NikReveal(actor=self.actor, person_id=pk, request_id=self.request_id, ip_address=self.ip_address)
            for pk in sorted(set(person_ids))
        )


def row_chunks(
    queryset: QuerySet[Business],
    layout: Layout,
    *,
    nik_log: NikRevealLog | None = None,
    chunk_size: int = CHUNK_SIZE,
    ordering: tuple[str, ...] = ("pk",),
) -> Iterator[list[list[object]]]:
    """The export's rows (cell values in column order), a chunk at a time, in `ordering` (id order by default).

    Businesses are read with one streaming query; fostering offices and main products with
    one query per chunk. When `nik_log` is given, the chunk's owners are logged before its
    rows are handed out.
    """
    fields = layout.fields + (("owner_id",) if nik_log is not None and "owner_id" not in layout.fields else ())
    businesses = queryset.order_by(*ordering).values("pk", *fields).iterator(chunk_size=chunk_size)
    getters = [column.value for column in layout.columns]
    while chunk := list(islice(businesses, chunk_size)):
        ids = [row["pk"] for row in chunk]
        if layout.with_offices:
            offices = _fostering_offices(ids)
            for row in chunk:
                row["fostering_offices"] = "; ".join(offices.get(row["pk"], ()))
        if layout.with_main_product:
            products = _main_products(ids)
            for row in chunk:
                row["main_product"] = products.get(row["pk"])
        if nik_log is not None:
            nik_log.log(row["owner_id"] for row in chunk if row["owner__nik"])
        yield [[getter(row) for getter in getters] for row in chunk]


def _fostering_offices(ids: list[int]) -> dict[int, list[str]]:
    through = Business.fostering_offices.through
    offices: dict[int, list[str]] = {}
    pairs = through.objects.filter(business_id__in=ids).order_by("business_id", "office__name")
    for business_id, name in pairs.values_list("business_id", "office__name"):
        offices.setdefault(business_id, []).append(name)
    return offices


def _main_products(ids: list[int]) -> dict[int, str]:
    """Each business's first registered product: we keep no "main" flag, and it is the one named at registration."""
    products: dict[int, str] = {}
    pairs = Product.objects.filter(business_id__in=ids).order_by("business_id", "pk")
    for business_id, name in pairs.values_list("business_id", "name"):
        products.setdefault(business_id, name)
    return products


# ---------------------------------------------------------------------------
# Writing files
# ---------------------------------------------------------------------------


def _csv_cell(value: object, kind: Kind) -> object:
    if value is None:
        return ""
    if kind == "datetime":
        return value.isoformat(sep=" ", timespec="seconds")  # type: ignore[attr-defined]
    if kind == "date":
        return value.isoformat()  # type: ignore[attr-defined]
    # Text people typed (and any code) must not run as a spreadsheet formula when the file is opened.
    return guard_cell(value)


def csv_chunks(layout: Layout, chunks: Iterable[list[list[object]]]) -> Iterator[str]:
    """CSV text, a chunk of rows at a time, opening with a BOM so that Excel reads it as UTF-8."""
    kinds = [column.kind for column in layout.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(guard_row(layout.headers))
    yield "\ufeff" + buffer.getvalue()
    for chunk in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_cell(value, kind) for value, kind in zip(row, kinds, strict=True)] for row in chunk)
        yield buffer.getvalue()


def write_xlsx(
    layout: Layout,
    chunks: Iterable[list[list[object]]],
    file: IO[bytes],
    sheet_name: str,
    max_rows: int = XLSX_MAX_ROWS,
) -> None:
    """An xlsx workbook into `file`, row by row, with typed cells; holds no more than a row in memory.

    Rows beyond a sheet's `max_rows` (header included) continue on "<sheet_name> (2)", and so on.
    """
    workbook = new_workbook(file, constant_memory=True, tmpdir=tempfile.gettempdir())
    header_format = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "bottom": 1})
    formats = {
        "money": workbook.add_format({"num_format": '"Rp" #,##0'}),
        "decimal": workbook.add_format({"num_format": "0.000000"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
    }
    writers = []
    for index, column in enumerate(layout.columns):
        write, cell_format = _xlsx_writer(column.kind, formats)
        writers.append((index, write, cell_format))

    sheets = 0
    sheet = None
    row_number = max_rows  # so that the first row opens the first sheet

    def new_sheet():
        nonlocal sheets
        sheets += 1
        added = workbook.add_worksheet(sheet_name if sheets == 1 else f"{sheet_name} ({sheets})")
        for index, column in enumerate(layout.columns):
            added.set_column(index, index, _xlsx_width(column))
        added.write_row(0, 0, layout.headers, header_format)
        added.freeze_panes(1, 0)
        return added

    for chunk in chunks:
        for values in chunk:
            if row_number >= max_rows:
                sheet, row_number = new_sheet(), 1
            for index, write, cell_format in writers:
                value = values[index]
                if value is not None and value != "":
                    write(sheet, row_number, index, value, cell_format)
            row_number += 1
    if sheet is None:
        new_sheet()
    workbook.close()


def _xlsx_writer(kind: Kind, formats: dict) -> tuple[Callable, object]:
    if kind in ("integer", "money"):
        return (lambda sheet, row, col, value, fmt: sheet.write_number(row, col, value, fmt)), formats.get(kind)
    if kind == "decimal":
        return (lambda sheet, row, col, value, fmt: sheet.write_number(row, col, float(value), fmt)), formats[kind]
    if kind in ("date", "datetime"):
        return (lambda sheet, row, col, value, fmt: sheet.write_datetime(row, col, value, fmt)), formats[kind]
    return (lambda sheet, row, col, value, fmt: sheet.write_string(row, col, str(value))), None


def _xlsx_width(column: Column) -> int:
    if column.kind in ("date", "integer"):
        return max(12, min(len(column.header), 20))
    if column.kind == "datetime":
        return 17
    return max(14, min(len(column.header) + 2, 32))


def xlsx_file(layout: Layout, chunks: Iterable[list[list[object]]], sheet_name: str) -> IO[bytes]:
    """The workbook in an anonymous temporary file, rewound; the file is gone once it is closed."""
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    try:
        write_xlsx(layout, chunks, file, sheet_name)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


def export_filename(office_code: str | None, layout: str, file_format: str, day: dt.date) -> str:
    """`umkm-dinkop-blora-20260301.xlsx`, `umkm-dinkop-blora-sidt-20260301.csv`."""
    parts = ["umkm", office_code or "nasional"]
    if layout == "sidt":
        parts.append("sidt")
    parts.append(day.strftime("%Y%m%d"))
    return "-".join(parts) + "." + file_format
