"""Flat rows of the registry for CSV export (the xlsx and SIDT layouts come with imports)."""

from collections.abc import Iterator

from django.db.models import QuerySet

CSV_HEADER = [
    "id",
    "nama_usaha",
    "nib",
    "nama_pemilik",
    "jenis_kelamin_pemilik",
    "hp_pemilik",
    "kode_kbli",
    "kategori_kbli",
    "alamat_usaha",
    "kode_desa",
    "desa",
    "kode_kecamatan",
    "kecamatan",
    "kode_kabupaten",
    "kabupaten",
    "modal_usaha",
    "omzet_tahunan",
    "skala_usaha",
    "dasar_skala",
    "status_usaha",
    "terakhir_diverifikasi",
    "tahap_perkembangan",
]
COLUMNS = [
    "id",
    "name",
    "nib",
    "owner__full_name",
    "owner__sex",
    "owner__phone",
    "kbli_id",
    "kbli_section",
    "address",
    "village_id",
    "village__name",
    "district_id",
    "district__name",
    "regency_id",
    "regency__name",
    "capital",
    "annual_turnover",
    "size_class",
    "size_basis",
    "status",
    "status_verified_on",
    "maturity",
]


def csv_rows(queryset: QuerySet) -> Iterator[list]:
    """One list of values per business, read in chunks so memory stays flat."""
    for values in queryset.order_by("pk").values_list(*COLUMNS).iterator(chunk_size=2000):
        yield ["" if value is None else value for value in values]
