"""Open data: how many UMKM each district has per KBLI section, public, without login, small cells suppressed.

Two tables, as CSV and JSON (`?tabel=`), for the whole country or one region (`?wilayah=` a province,
regency or district code):

- `kbli` (default): one row per district and KBLI section that has businesses, with the number of
  registered UMKM (section "" is "Belum ada KBLI"). A district and section missing from the table
  has none.
- `kecamatan`: one row per district with businesses, with the number still operating (status active).

Both come from the dashboards' tallies, which are right the moment data changes and cost a few
thousand rows to read. The tallies count the operating businesses per district but not per
district and section, so operating is published per district only rather than estimated per section.

Suppression: a count from 1 to 4 is published as null (CSV: empty) with `ditekan` set. Nothing is
published that would let a suppressed cell be worked out by subtraction: no totals (district,
regency, province or country) of the registered businesses (published totals would need secondary
suppression, and even then two suppressed cells of one business each show in their sum of 2), and
a district's operating count is suppressed too when it would narrow down the district's suppressed
cells (more businesses operate than its published cells plus one per suppressed cell account for),
or, when none of its cells is suppressed, when fewer than 5 of its businesses are not operating.

Only counts, region and KBLI codes and names are published: no business, owner or officer data.
The files do not follow the reader's language, so that a shared cache serves everyone the same bytes.
"""

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from sentra.dashboards.figures import OPERATING, Dimension
from sentra.dashboards.tallies import tallied_figures
from sentra.kbli.models import Kbli, KbliLevel
from sentra.regions.models import District, Province, Regency

SMALL_CELL = 5  # counts from 1 to SMALL_CELL - 1 are suppressed
MAX_AGE_SECONDS = 300
NO_SECTION = "Belum ada KBLI"
# Region names come from idn-area-data under the ODbL, whose share-alike reaches a database built on them.
LICENCE = "Open Database License (ODbL) 1.0, https://opendatacommons.org/licenses/odbl/1-0/"
SOURCE = (
    "Sentra, registri UMKM Dinas Koperasi dan UKM. Kode dan nama wilayah: Kemendagri melalui idn-area-data (ODbL). "
    "KBLI 2020: BPS."
)
REGION_COLUMNS = [
    "kode_provinsi",
    "nama_provinsi",
    "kode_kabupaten_kota",
    "nama_kabupaten_kota",
    "kode_kecamatan",
    "nama_kecamatan",
]
TABLES = {
    "kbli": {
        "keterangan": "Jumlah UMKM terdaftar per kecamatan dan kategori KBLI 2020. Kombinasi kecamatan dan "
        "kategori yang tidak tercantum berarti tidak ada UMKM.",
        "kolom": [*REGION_COLUMNS, "kategori_kbli", "nama_kategori_kbli", "jumlah_umkm", "ditekan"],
    },
    "kecamatan": {
        "keterangan": "Jumlah UMKM yang masih beroperasi (berstatus aktif) per kecamatan; tidak tersedia per "
        "kategori KBLI. Kecamatan yang tidak tercantum tidak memiliki UMKM terdaftar.",
        "kolom": [*REGION_COLUMNS, "jumlah_umkm_beroperasi", "ditekan"],
    },
}
DEFAULT_TABLE = "kbli"
NOTE = (
    "Agregat tanpa data pribadi. Angka 1 sampai {limit} ditekan (null di JSON, kosong di CSV, ditekan = ya) "
    "agar usaha perorangan tidak dapat dikenali; tidak ada jumlah total yang memungkinkan sel yang ditekan "
    "dihitung ulang."
)


def is_small(count: int) -> bool:
    return 0 < count < SMALL_CELL


# -- Building the tables -------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictNames:
    province_code: str
    province_name: str
    regency_code: str
    regency_name: str
    district_code: str
    district_name: str

    def columns(self) -> list[str]:
        return [
            self.province_code,
            self.province_name,
            self.regency_code,
            self.regency_name,
            self.district_code,
            self.district_name,
        ]


@dataclass
class Table:
    name: str  # a key of TABLES
    columns: list[str]
    rows: list[list]  # one value per column; a suppressed count is None and its row's last value True

    @property
    def suppressed(self) -> int:
        return sum(1 for row in self.rows if row[-1])


def region_named(code: str) -> str | None:
    """The name of the province, regency or district `code`; None when there is none."""
    model = {2: Province, 5: Regency, 8: District}.get(len(code))
    if model is None:
        return None
    return model.objects.filter(code=code).values_list("name", flat=True).first()


def _district_names(region_code: str) -> dict[str, DistrictNames]:
    districts = District.objects.all()
    if len(region_code) == 2:
        districts = districts.filter(regency__province_id=region_code)
    elif len(region_code) == 5:
        districts = districts.filter(regency_id=region_code)
    elif region_code:
        districts = districts.filter(code=region_code)
    rows = districts.values_list(
        "regency__province_id", "regency__province__name", "regency_id", "regency__name", "code", "name"
    )
    return {row[4]: DistrictNames(*row) for row in rows}


def _section_titles() -> dict[str, str]:
    titles = dict(Kbli.objects.filter(level=KbliLevel.SECTION).values_list("code", "title"))
    titles[""] = NO_SECTION
    return titles


def _section_order(section: str) -> tuple[bool, str]:
    return (section == "", section)  # "no KBLI" last


def _published(count: int) -> tuple[int | None, bool]:
    return (None, True) if is_small(count) else (count, False)


def open_data_tables(region_code: str = "") -> dict[str, Table]:
    """Both tables for the region `region_code` (a province, regency or district code; "" for the country)."""
    by_district = tallied_figures(region_code, by="district")
    names = _district_names(region_code)
    titles = _section_titles()
    by_section, by_district_rows = [], []
    for code in sorted(by_district):
        figures = by_district[code]
        if not figures[(Dimension.TOTAL, "")] or code not in names:
            continue
        district = names[code]
        sections = {value: n for (dimension, value), n in figures.items() if dimension == Dimension.SECTION and n}
        for section in sorted(sections, key=_section_order):
            count, suppressed = _published(sections[section])
            by_section.append([*district.columns(), section, titles.get(section, section), count, suppressed])
        operating, suppressed = operating_published(
            operating=figures[(Dimension.FUNNEL, OPERATING)],
            registered=figures[(Dimension.TOTAL, "")],
            cells=sections.values(),
        )
        by_district_rows.append([*district.columns(), operating, suppressed])
    return {
        "kbli": Table("kbli", TABLES["kbli"]["kolom"], by_section),
        "kecamatan": Table("kecamatan", TABLES["kecamatan"]["kolom"], by_district_rows),
    }


def operating_published(*, operating: int, registered: int, cells: Iterable[int]) -> tuple[int | None, bool]:
    """A district's operating count as published beside its section cells `cells` (registered per section).

    Anyone knows the district has at least `floor` businesses: its published cells plus one per
    suppressed cell. More operating than that would bound the suppressed cells from below; and
    with no cell suppressed, the registered total is known, so operating must not be within 4 of it.
    """
    cells = [count for count in cells if count]
    published = sum(count for count in cells if not is_small(count))
    hidden = sum(1 for count in cells if is_small(count))
    if is_small(operating) or operating > published + hidden:
        return None, True
    if hidden and not published:  # every business of the district is in a small cell: even 0 would tell
        return None, True
    if not hidden and is_small(registered - operating):
        return None, True
    return operating, False


# -- Files ------------------------------------------------------------------------------------------


def _csv_value(value) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return value


def table_as_csv(table: Table) -> str:
    """RFC 4180 CSV with a header row (no byte-order mark: the file is for programs first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    writer.writerows([_csv_value(value) for value in row] for row in table.rows)
    return buffer.getvalue()


def table_as_json(table: Table, region_code: str, region_name: str) -> str:
    document = {
        "keterangan": f"{TABLES[table.name]['keterangan']} {NOTE.format(limit=SMALL_CELL - 1)}",
        "sumber": SOURCE,
        "lisensi": LICENCE,
        "dibuat": timezone.localtime().isoformat(timespec="seconds"),
        "wilayah": {"kode": region_code, "nama": region_name},
        "tabel": table.name,
        "sel_kecil_ditekan_di_bawah": SMALL_CELL,
        "kolom": table.columns,
        "data": [dict(zip(table.columns, row, strict=True)) for row in table.rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


# -- Views ----------------------------------------------------------------------------------------


class OpenDataForm(forms.Form):
    wilayah = forms.CharField(label=_("Wilayah"), required=False, max_length=8)
    tabel = forms.ChoiceField(
        label=_("Tabel"),
        required=False,
        choices=[("kbli", _("Per kecamatan dan kategori KBLI")), ("kecamatan", _("Per kecamatan: masih beroperasi"))],
    )

    def clean_wilayah(self) -> str:
        code = self.cleaned_data["wilayah"].strip()
        if code and region_named(code) is None:
            raise forms.ValidationError(_("Kode wilayah tidak dikenal."))
        return code

    def clean_tabel(self) -> str:
        return self.cleaned_data["tabel"] or DEFAULT_TABLE


def _public(response: HttpResponse) -> HttpResponse:
    """Any cache may keep the file for five minutes, and any web page may fetch it."""
    patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _file_response(request: HttpRequest, extension: str) -> HttpResponse:
    form = OpenDataForm(request.GET)
    if not form.is_valid():
        errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    region, name = form.cleaned_data["wilayah"], form.cleaned_data["tabel"]
    table = open_data_tables(region)[name]
    filename = f"umkm-{name}{'-' + region.replace('.', '') if region else ''}.{extension}"
    if extension == "csv":
        response = HttpResponse(table_as_csv(table), content_type="text/csv; charset=utf-8")
    else:
        region_name = region_named(region) if region else "Indonesia"
        response = HttpResponse(table_as_json(table, region, region_name), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return _public(response)


@require_GET
def open_data_csv(request: HttpRequest) -> HttpResponse:
    return _file_response(request, "csv")


@require_GET
def open_data_json(request: HttpRequest) -> HttpResponse:
    return _file_response(request, "json")


PREVIEW_ROWS = 20


@require_GET
def open_data_index(request: HttpRequest) -> HttpResponse:
    """What the open data holds and how it is protected, a region filter, and links to both files."""
    form = OpenDataForm(request.GET or None)
    region, name = "", DEFAULT_TABLE
    if form.is_bound and form.is_valid():
        region, name = form.cleaned_data["wilayah"], form.cleaned_data["tabel"]
    table = open_data_tables(region)[name]
    query = "&".join(part for part in (f"wilayah={region}" if region else "", f"tabel={name}") if part)
    regencies: dict[str, list[tuple[str, str]]] = {}
    for code, regency_name in Regency.objects.values_list("code", "name").order_by("code"):
        regencies.setdefault(code[:2], []).append((code, regency_name))
    context = {
        "form": form,
        "region": region,
        "region_name": region_named(region) if region else "Indonesia",
        "table_name": name,
        "provinces": [
            (code, province, regencies.get(code, []))
            for code, province in Province.objects.values_list("code", "name").order_by("code")
        ],
        "csv_url": f"{reverse('opendata:csv')}?{query}",
        "json_url": f"{reverse('opendata:json')}?{query}",
        "columns": table.columns,
        "preview": [list(zip(table.columns, row, strict=True)) for row in table.rows[:PREVIEW_ROWS]],
        "row_count": len(table.rows),
        "suppressed": table.suppressed,
        "small_cell": SMALL_CELL,
        "licence": LICENCE,
    }
    # Not marked public like the files: the page carries the visitor's CSRF token (language switch).
    return render(request, "opendata/index.html", context)
