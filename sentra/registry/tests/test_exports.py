"""Exporting the registry list: canonical and SIDT layouts, CSV and xlsx, scope, NIK privacy, bounded queries."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from conftest import make_business
from sentra.audit.models import NikReveal
from sentra.core.formatting import mask_nik
from sentra.imports.services import import_file
from sentra.registry import exports, selectors
from sentra.registry.models import LegalForm, OperatingStatus, Product

pytestmark = pytest.mark.django_db

SIDT_HEADER = [
    "id_data_badan_usaha",
    "nik_pengusaha",
    "nama_pengusaha",
    "nib",
    "jenis_kelamin",
    "is_disabilitas",
    "tanggal_lahir",
    "pendidikan_formal",
    "kontak_hp",
    "prov_pengusaha",
    "kab_pengusaha",
    "kec_pengusaha",
    "kel_pengusaha",
    "alamat_pengusaha",
    "rt_pengusaha",
    "rw_pengusaha",
    "nama_usaha",
    "kegiatan_utama",
    "produk_utama",
    "kategori_kbli",
    "kode_kbli",
    "status_badan_usaha",
    "skala_usaha",
    "modal_pendirian",
    "bulan_mulai_operasi",
    "tahun_mulai_operasi",
    "omzet_tahunan",
    "asset",
    "prov_usaha",
    "kab_usaha",
    "kec_usaha",
    "kel_usaha",
    "alamat_usaha",
    "rt_usaha",
    "rw_usaha",
    "foto_usaha",
    "alamat_latitude",
    "alamat_longitude",
    "tk_dibayar_laki",
    "tk_dibayar_perempuan",
    "tk_dibayar_disabilitas_laki",
    "tk_dibayar_disabilitas_perempuan",
    "tk_tidak_dibayar_laki",
    "tk_tidak_dibayar_perempuan",
    "tk_tidak_dibayar_disabilitas_laki",
    "tk_tidak_dibayar_disabilitas_perempuan",
]
# Which of the `businesses` fixture each user may see (as on the list page).
VISIBLE = {
    "blora_admin": {"blora_fostered", "blora_plain"},
    "blora_officer": {"blora_fostered", "blora_plain"},
    "blora_viewer": {"blora_fostered", "blora_plain"},
    "pesawaran_officer": {"pesawaran"},
    "jateng_officer": {"blora_fostered", "blora_plain"},
    "industry_officer": {"blora_fostered"},
    "superuser": {"blora_fostered", "blora_plain", "pesawaran"},
}
FORMATS_AND_LAYOUTS = [("csv", "canonical"), ("xlsx", "canonical"), ("csv", "sidt"), ("xlsx", "sidt")]


@pytest.fixture
def terasi(offices):
    """A Blora business with every field an export shows."""
    business = make_business(
        "33.16.01.2001",
        "Terasi Bu Sri",
        offices=[offices["blora"], offices["blora_industry"]],
        owner_name="Sri Wahyuni",
        nib="1234567890123",
        kbli_id="10792",
        address="Jl. Raya Jati 12",
        latitude=Decimal("-7.123456"),
        longitude=Decimal("111.654321"),
        start_year=2015,
        start_month=7,
        legal_form=LegalForm.CV,
        capital=50_000_000,
        annual_turnover=120_000_000,
        workers_paid_male=2,
        workers_paid_female=3,
        workers_unpaid_male=1,
        workers_unpaid_female=0,
        status_verified_on=dt.date(2026, 2, 1),
    )
    owner = business.owner
    owner.phone = "+6281234567890"
    owner.address = "Dukuh Krajan RT 2"
    owner.village_id = "33.16.01.2002"
    owner.birth_date = dt.date(1985, 5, 12)
    owner.save()
    Product.objects.create(business=business, name="terasi rebon")
    Product.objects.create(business=business, name="petis udang")
    return business


def export(client, user, **params):
    client.force_login(user)
    return client.get(reverse("registry:business_export"), params)


def body_of(response) -> bytes:
    """The whole streamed body; the test client closes the response (and the temporary file) at its end."""
    return b"".join(response.streaming_content)


def csv_table(response) -> list[list[str]]:
    text = body_of(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_table(response) -> list[list[object]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(body_of(response)))
    return workbook.get_sheet_by_index(0).to_python()


def table(response, file_format: str) -> list[list[object]]:
    return csv_table(response) if file_format == "csv" else xlsx_table(response)


def as_records(rows: list[list[object]]) -> list[dict[str, object]]:
    header, *data = rows
    return [dict(zip(header, row, strict=True)) for row in data]


# ---------------------------------------------------------------------------
# Canonical layout
# ---------------------------------------------------------------------------


def test_canonical_csv(client, users, terasi):
    response = export(client, users["blora_officer"], format="csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == f'attachment; filename="umkm-dinkop-blora-{today}.csv"'
    assert "no-store" in response["Cache-Control"]
    [row] = as_records(csv_table(response))
    nik = terasi.owner.nik
    assert row == {
        "ID": str(terasi.pk),
        "Nama usaha": "Terasi Bu Sri",
        "Nama pemilik": "Sri Wahyuni",
        "Jenis kelamin pemilik": "Perempuan",
        "NIK pemilik": mask_nik(nik),
        "NIB": "1234567890123",
        "Nomor HP": "+6281234567890",
        "Alamat usaha": "Jl. Raya Jati 12",
        "Kode desa/kelurahan": "33.16.01.2001",
        "Desa/kelurahan": "Bangkleyan",
        "Kode kecamatan": "33.16.01",
        "Kecamatan": "Jati",
        "Kode kabupaten/kota": "33.16",
        "Kabupaten/kota": "Kabupaten Blora",
        "Kode provinsi": "33",
        "Provinsi": "Jawa Tengah",
        "Kode KBLI": "10792",
        "Judul KBLI": "Industri kue basah",
        "Kategori KBLI": "C",
        "Skala usaha": "Mikro",
        "Status usaha": "Aktif",
        "Tahap perkembangan": "Tradisional",
        "Modal usaha (Rp)": "50000000",
        "Omzet tahunan (Rp)": "120000000",
        "Tenaga kerja dibayar, laki-laki": "2",
        "Tenaga kerja dibayar, perempuan": "3",
        "Tenaga kerja tidak dibayar, laki-laki": "1",
        "Tenaga kerja tidak dibayar, perempuan": "0",
        "Jumlah tenaga kerja": "6",
        "Tahun mulai": "2015",
        "Bentuk usaha": "CV",
        "Dibina oleh": "Dinkop Blora; Disperin Blora",
        "Terakhir diverifikasi": "2026-02-01",
        "Dibuat": timezone.localtime(terasi.created_at).isoformat(sep=" ", timespec="seconds")[:19],
        "Diubah": row["Diubah"],
    }
    assert nik not in row.values()


def test_canonical_xlsx_has_typed_cells(client, users, terasi):
    response = export(client, users["blora_officer"], format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="umkm-dinkop-blora-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    content = body_of(response)
    [row] = as_records(CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python())
    assert row["ID"] == terasi.pk
    assert row["Modal usaha (Rp)"] == 50_000_000
    assert row["Omzet tahunan (Rp)"] == 120_000_000
    assert row["Terakhir diverifikasi"] == dt.date(2026, 2, 1)
    assert isinstance(row["Dibuat"], dt.datetime)
    assert abs(row["Dibuat"] - timezone.localtime(terasi.created_at).replace(tzinfo=None)) < dt.timedelta(seconds=1)
    # Identifiers stay text, so Excel keeps every digit and leading zeros.
    assert row["NIK pemilik"] == mask_nik(terasi.owner.nik)
    assert row["NIB"] == "1234567890123"
    assert row["Kode KBLI"] == "10792"
    assert row["Nomor HP"] == "+6281234567890"
    styles = zipfile.ZipFile(io.BytesIO(content)).read("xl/styles.xml").decode()
    assert "&quot;Rp&quot; #,##0" in styles


def test_headers_follow_the_chosen_language(client, users, terasi):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    header = csv_table(export(client, users["blora_officer"], format="csv"))[0]
    with translation.override("en"):
        assert header == exports.canonical_layout(full_nik=False).headers
    assert "District" in header  # "Kecamatan", already translated
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert "Kecamatan" in csv_table(export(client, users["blora_officer"], format="csv"))[0]


def test_old_csv_address_still_exports(client, users, businesses):
    client.force_login(users["blora_officer"])
    response = client.get(reverse("registry:business_export_csv"))
    assert response.status_code == 200
    assert csv_table(response)[0][:2] == ["ID", "Nama usaha"]


def test_text_that_looks_like_a_formula_is_defused_in_csv_only(client, users, offices):
    make_business("33.16.01.2003", '=HYPERLINK("http://example.org","klik")', offices=[offices["blora"]])
    [row] = as_records(csv_table(export(client, users["blora_officer"], format="csv")))
    assert row["Nama usaha"] == '\'=HYPERLINK("http://example.org","klik")'
    [cells] = as_records(xlsx_table(export(client, users["blora_officer"], format="xlsx")))
    assert cells["Nama usaha"] == '=HYPERLINK("http://example.org","klik")'


# ---------------------------------------------------------------------------
# SIDT layout
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_sidt_header_is_the_ministrys(client, users, terasi, file_format):
    response = export(client, users["blora_officer"], format=file_format, layout="sidt")
    assert response.status_code == 200
    assert "-sidt-" in response["Content-Disposition"]
    assert table(response, file_format)[0] == SIDT_HEADER


@pytest.mark.parametrize("language", ["id", "en"])
def test_sidt_values_for_an_office_admin(client, users, terasi, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    [row] = as_records(xlsx_table(export(client, users["blora_admin"], format="xlsx", layout="sidt")))
    blank = {
        "id_data_badan_usaha",
        "is_disabilitas",
        "pendidikan_formal",
        "rt_pengusaha",
        "rw_pengusaha",
        "asset",
        "rt_usaha",
        "rw_usaha",
        "foto_usaha",
        "tk_dibayar_disabilitas_laki",
        "tk_dibayar_disabilitas_perempuan",
        "tk_tidak_dibayar_disabilitas_laki",
        "tk_tidak_dibayar_disabilitas_perempuan",
    }
    assert {name for name, value in row.items() if value == ""} == blank
    assert {name: value for name, value in row.items() if name not in blank} == {
        "nik_pengusaha": terasi.owner.nik,
        "nama_pengusaha": "Sri Wahyuni",
        "nib": "1234567890123",
        "jenis_kelamin": "P",
        "tanggal_lahir": dt.date(1985, 5, 12),
        "kontak_hp": "+6281234567890",
        "prov_pengusaha": "Jawa Tengah",
        "kab_pengusaha": "Kabupaten Blora",
        "kec_pengusaha": "Jati",
        "kel_pengusaha": "Gempol",
        "alamat_pengusaha": "Dukuh Krajan RT 2",
        "nama_usaha": "Terasi Bu Sri",
        "kegiatan_utama": "Industri kue basah",
        "produk_utama": "terasi rebon",  # the first registered
        "kategori_kbli": "C",
        "kode_kbli": "10792",
        "status_badan_usaha": "CV",
        "skala_usaha": "Mikro",  # the ministry's word, in any UI language
        "modal_pendirian": 50_000_000,
        "bulan_mulai_operasi": 7,
        "tahun_mulai_operasi": 2015,
        "omzet_tahunan": 120_000_000,
        "prov_usaha": "Jawa Tengah",
        "kab_usaha": "Kabupaten Blora",
        "kec_usaha": "Jati",
        "kel_usaha": "Bangkleyan",
        "alamat_usaha": "Jl. Raya Jati 12",
        "alamat_latitude": -7.123456,
        "alamat_longitude": 111.654321,
        "tk_dibayar_laki": 2,
        "tk_dibayar_perempuan": 3,
        "tk_tidak_dibayar_laki": 1,
        "tk_tidak_dibayar_perempuan": 0,
    }


def test_sidt_csv_writes_plain_values(client, users, terasi):
    [row] = as_records(csv_table(export(client, users["blora_admin"], format="csv", layout="sidt")))
    assert row["tanggal_lahir"] == "1985-05-12"
    assert row["modal_pendirian"] == "50000000"
    assert row["alamat_latitude"] == "-7.123456"
    assert row["skala_usaha"] == "Mikro"


def test_sidt_leaves_unknown_legal_form_and_size_blank(client, users, offices):
    make_business("33.16.01.2003", "Usaha Lain", offices=[offices["blora"]], legal_form=LegalForm.OTHER)
    [row] = as_records(csv_table(export(client, users["blora_officer"], format="csv", layout="sidt")))
    assert row["status_badan_usaha"] == ""  # "lainnya" is no word the importer reads
    assert row["skala_usaha"] == ""  # no capital and no turnover: size unknown


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_sidt_export_imports_back(client, users, offices, terasi, businesses, tmp_path, file_format):
    """What we send the ministry, read back by our own importer, is what the registry holds."""
    response = export(client, users["blora_admin"], format=file_format, layout="sidt")
    path = tmp_path / f"sidt.{file_format}"
    path.write_bytes(body_of(response))
    result = import_file(path=path, office=offices["blora"], actor=users["blora_admin"], dry_run=True)
    assert [(row.number, row.errors) for row, _outcome, _note in result.rows if row.errors] == []
    assert result.counts["created"] == 0
    read = {row.values["business_name"]: row.values for row, _outcome, _note in result.rows}
    assert set(read) == {"Terasi Bu Sri", "Batik Sekar Jati", "Parcel Barokah"}
    for business in (terasi, businesses["blora_fostered"], businesses["blora_plain"]):
        owner = business.owner
        registered = {
            "owner_name": owner.full_name,
            "nik": owner.nik,
            "sex": owner.sex,
            "birth_date": owner.birth_date,
            "phone": owner.phone or None,
            "nib": business.nib or None,
            "kbli": business.kbli_id,
            "address": business.address or None,
            "village": business.village_id,
            "capital": business.capital,
            "annual_turnover": business.annual_turnover,
            "start_year": business.start_year,
            "legal_form": business.legal_form,
            "product": business.products.order_by("pk").values_list("name", flat=True).first(),
        }
        values = read[business.name]
        if owner.birth_date is None:  # the importer reads it from the NIK, as it should
            registered["birth_date"] = values["birth_date"]
        assert {field: values.get(field) for field in registered} == registered


# ---------------------------------------------------------------------------
# Scope and filters: exactly the list page's
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("username", sorted(VISIBLE))
@pytest.mark.parametrize(("file_format", "layout"), FORMATS_AND_LAYOUTS)
def test_export_shows_only_scope(client, users, businesses, username, file_format, layout):
    response = export(client, users[username], format=file_format, layout=layout)
    assert response.status_code == 200
    name_column = "Nama usaha" if layout == "canonical" else "nama_usaha"
    names = {row[name_column] for row in as_records(table(response, file_format))}
    assert names == {businesses[key].name for key in VISIBLE[username]}


@pytest.mark.parametrize(
    "params",
    [{"regency": "33.16"}, {"district": "33.16.01"}, {"village": "33.16.01.2001"}, {"q": "Batik"}],
    ids=lambda p: next(iter(p)),
)
def test_officer_of_another_regency_gets_no_row_of_it(client, users, businesses, params):
    records = as_records(csv_table(export(client, users["pesawaran_officer"], format="csv", **params)))
    assert not {row["Kode kabupaten/kota"] for row in records} - {"18.09"}


def test_partner_agency_exports_only_what_it_fosters(client, users, businesses):
    records = as_records(csv_table(export(client, users["industry_officer"], format="csv", layout="sidt")))
    assert [row["nama_usaha"] for row in records] == ["Batik Sekar Jati"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"Batik Sekar Jati", "Parcel Barokah", "Usaha Tutup"}),
        ({"status": OperatingStatus.CLOSED}, {"Usaha Tutup"}),
        ({"q": "batik"}, {"Batik Sekar Jati"}),
        ({"regency": "33.16", "district": "33.16.01", "village": "33.16.01.2002"}, {"Parcel Barokah"}),
        ({"size_class": "micro"}, {"Batik Sekar Jati"}),
        ({"fostering_office": "disperin"}, {"Batik Sekar Jati"}),
        ({"status": "no-such-status"}, set()),  # an invalid filter shows nothing, as on the list
    ],
    ids=["none", "status", "search", "village", "size", "office", "invalid"],
)
def test_filters_are_the_lists(client, users, offices, businesses, params, expected):
    make_business("33.16.02.2001", "Usaha Tutup", offices=[offices["blora"]], status=OperatingStatus.CLOSED)
    if params.get("fostering_office") == "disperin":
        params = {"fostering_office": offices["blora_industry"].pk}
    records = as_records(xlsx_table(export(client, users["jateng_officer"], format="xlsx", **params)))
    assert {row["Nama usaha"] for row in records} == expected
    client.force_login(users["jateng_officer"])
    listed = client.get(reverse("registry:business_list"), params).content.decode()
    assert {name for name in ("Batik Sekar Jati", "Parcel Barokah", "Usaha Tutup") if f">{name}</a>" in listed} == (
        expected
    )


def test_anonymous_user_is_sent_to_login(client, businesses):
    response = client.get(reverse("registry:business_export"), {"format": "xlsx"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


@pytest.mark.parametrize("params", [{"format": "pdf"}, {"layout": "bps"}])
def test_unknown_format_or_layout_is_refused(client, users, params):
    assert export(client, users["blora_officer"], **params).status_code == 400


def test_user_without_office_gets_an_empty_file(client, users, businesses, django_user_model):
    loner = django_user_model.objects.create_user(username="tanpa_kantor", password="x-123-rahasia")
    assert csv_table(export(client, loner, format="csv")) == [exports.canonical_layout(full_nik=False).headers]


# ---------------------------------------------------------------------------
# NIK privacy
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["blora_officer", "blora_viewer", "jateng_officer", "industry_officer"])
@pytest.mark.parametrize(("file_format", "layout"), FORMATS_AND_LAYOUTS)
def test_nik_is_masked_for_everyone_but_office_admins(client, users, businesses, username, file_format, layout):
    content = body_of(export(client, users[username], format=file_format, layout=layout))
    if file_format == "xlsx":
        content = str(CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()).encode()
    owner = businesses["blora_fostered"].owner
    assert owner.nik.encode() not in content
    assert mask_nik(owner.nik).encode() in content
    assert NikReveal.objects.count() == 0


@pytest.mark.parametrize(("file_format", "layout"), FORMATS_AND_LAYOUTS)
def test_full_nik_for_office_admin_is_logged(client, users, businesses, file_format, layout):
    response = export(client, users["blora_admin"], format=file_format, layout=layout)
    nik_column = "NIK pemilik" if layout == "canonical" else "nik_pengusaha"
    niks = {row[nik_column] for row in as_records(table(response, file_format))}
    visible = [businesses["blora_fostered"], businesses["blora_plain"]]
    assert niks == {business.owner.nik for business in visible}
    reveals = list(NikReveal.objects.all())
    assert {reveal.person_id for reveal in reveals} == {business.owner_id for business in visible}
    assert {reveal.actor for reveal in reveals} == {users["blora_admin"]}
    assert len({reveal.request_id for reveal in reveals}) == 1
    assert reveals[0].request_id is not None
    assert {reveal.ip_address for reveal in reveals} == {"127.0.0.1"}


def test_an_officer_granted_full_data_gets_the_sidt_file_the_ministry_needs_and_it_is_logged(client, users, businesses):
    from sentra.audit.models import ExportLog, ObjectChange

    officer = users["blora_officer"]
    owner = businesses["blora_plain"].owner
    owner.birth_date = dt.date(1985, 5, 12)
    owner.save()
    masked = as_records(table(export(client, officer, format="xlsx", layout="sidt"), "xlsx"))
    assert {row["nik_pengusaha"] for row in masked} == {mask_nik(b.owner.nik) for b in businesses.values()} - {
        mask_nik(businesses["pesawaran"].owner.nik)
    }
    assert {row["tanggal_lahir"] for row in masked} == {""}
    list_page = client.get(reverse("registry:business_list")).content.decode()
    assert "mintalah izin kepada admin kantor" in list_page

    # The office admin grants it in the user admin, and the grant is in the change log.
    client.force_login(users["blora_admin"])
    form = client.get(reverse("admin:accounts_user_change", args=[officer.pk]))
    assert "may_export_full_data" in form.content.decode()
    fields = {
        "username": officer.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "office": officer.office_id,
        "role": officer.role,
        "may_export_full_data": "on",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    }
    saved = client.post(reverse("admin:accounts_user_change", args=[officer.pk]), fields)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    officer.refresh_from_db()
    assert officer.may_export_full_data
    grant = ObjectChange.objects.filter(object_id=officer.pk, actor=users["blora_admin"]).latest("pk")
    assert grant.prechange_data["may_export_full_data"] is False
    assert grant.postchange_data["may_export_full_data"] is True

    NikReveal.objects.all().delete()
    full = as_records(table(export(client, officer, format="xlsx", layout="sidt"), "xlsx"))
    by_nik = {row["nik_pengusaha"]: row for row in full}
    assert owner.nik in by_nik
    assert str(by_nik[owner.nik]["tanggal_lahir"]).startswith("1985-05-12")
    assert {reveal.actor for reveal in NikReveal.objects.all()} == {officer}
    assert {reveal.person_id for reveal in NikReveal.objects.all()} == {
        businesses["blora_fostered"].owner_id,
        owner.pk,
    }
    assert ExportLog.objects.filter(actor=officer, full_nik=True).exists()
    assert "setiap unduhan dicatat" in client.get(reverse("registry:business_list")).content.decode()


def test_a_viewer_or_an_inactive_grant_gives_no_full_data(users):
    viewer = users["blora_viewer"]
    viewer.may_export_full_data = True
    assert viewer.can_export_full_data  # granted: a viewer reports to the ministry too
    viewer.is_active = False
    assert not viewer.can_export_full_data
    assert not users["blora_officer"].can_export_full_data  # not granted
    assert users["blora_admin"].can_export_full_data  # office admins always may


def test_owners_without_nik_are_not_logged(client, users, offices):
    business = make_business("33.16.01.2003", "Tanpa NIK", offices=[offices["blora"]])
    business.owner.nik = None
    business.owner.save()
    [row] = as_records(csv_table(export(client, users["blora_admin"], format="csv")))
    assert row["NIK pemilik"] == ""
    assert NikReveal.objects.count() == 0


# ---------------------------------------------------------------------------
# Bounded: queries per export, chunks, sheets
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["blora_officer", "blora_admin"])
@pytest.mark.parametrize(("file_format", "layout"), FORMATS_AND_LAYOUTS)
def test_queries_do_not_grow_with_rows(
    client, users, offices, username, file_format, layout, django_assert_max_num_queries
):
    def add(count: int) -> None:
        for number in range(count):
            business = make_business(
                "33.16.01.2004", f"Usaha {number}", offices=[offices["blora"], offices["blora_industry"]]
            )
            Product.objects.create(business=business, name=f"produk {number}")

    def exported_rows() -> int:
        response = client.get(reverse("registry:business_export"), {"format": file_format, "layout": layout})
        return len(table(response, file_format)) - 1

    client.force_login(users[username])
    add(2)
    # Session, user, office, the filter form's KBLI sections, the businesses, one query per
    # chunk for offices or products, one insert per chunk into the NIK reveal log for an admin,
    # and the export log's entry and its row count.
    expected = 8 + (username == "blora_admin")
    with django_assert_max_num_queries(expected):
        assert exported_rows() == 2
    add(40)
    with django_assert_max_num_queries(expected):
        assert exported_rows() == 42


def test_every_export_is_logged_with_its_filters_rows_and_nik_choice(client, users, offices):
    from sentra.audit.models import ExportLog

    for number in range(3):
        make_business("33.16.01.2004", f"Usaha {number}", offices=[offices["blora"]])
    client.force_login(users["blora_officer"])
    response = client.get(reverse("registry:business_export"), {"format": "csv", "status": "active"})
    assert len(table(response, "csv")) == 4
    log = ExportLog.objects.get()
    assert (log.actor, log.office, log.kind) == (users["blora_officer"], offices["blora"], "registry")
    assert not log.full_nik
    assert log.filters == {"status": "active"}
    assert log.row_count == 3
    client.force_login(users["blora_admin"])
    response = client.get(reverse("registry:business_export"), {"format": "xlsx", "layout": "sidt"})
    assert len(table(response, "xlsx")) == 4
    assert ExportLog.objects.filter(actor=users["blora_admin"], full_nik=True, row_count=3).exists()


def test_rows_come_in_id_order_with_their_own_offices_and_products(users, offices):
    created = []
    for number in range(5):
        fostering = [offices["blora"]] if number % 2 else [offices["blora"], offices["blora_industry"]]
        business = make_business("33.16.01.2005", f"Usaha {number}", offices=fostering)
        Product.objects.create(business=business, name=f"produk {number}")
        created.append(business)
    _filters, queryset = selectors.filtered_businesses(users["blora_officer"], {})
    canonical = exports.canonical_layout(full_nik=False)
    chunks = list(exports.row_chunks(queryset, canonical, chunk_size=2))
    assert [len(chunk) for chunk in chunks] == [2, 2, 1]
    rows = [row for chunk in chunks for row in chunk]
    offices_column = canonical.headers.index("Dibina oleh")
    assert [row[0] for row in rows] == [business.pk for business in created]
    assert [row[offices_column] for row in rows] == [
        "Dinkop Blora; Disperin Blora",
        "Dinkop Blora",
        "Dinkop Blora; Disperin Blora",
        "Dinkop Blora",
        "Dinkop Blora; Disperin Blora",
    ]
    sidt = exports.sidt_layout(full_nik=False)
    product_column = SIDT_HEADER.index("produk_utama")
    products = [row[product_column] for chunk in exports.row_chunks(queryset, sidt, chunk_size=2) for row in chunk]
    assert products == [f"produk {number}" for number in range(5)]


def test_rows_beyond_a_sheets_limit_continue_on_the_next_sheet(users, offices):
    for number in range(5):
        make_business("33.16.01.2005", f"Usaha {number}", offices=[offices["blora"]])
    _filters, queryset = selectors.filtered_businesses(users["blora_officer"], {})
    layout = exports.canonical_layout(full_nik=False)
    output = io.BytesIO()
    exports.write_xlsx(layout, exports.row_chunks(queryset, layout, chunk_size=2), output, "UMKM", max_rows=3)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(output.getvalue()))
    assert workbook.sheet_names == ["UMKM", "UMKM (2)", "UMKM (3)"]
    sheets = [workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names]
    assert all(sheet[0] == layout.headers for sheet in sheets)
    assert [row[1] for sheet in sheets for row in sheet[1:]] == [f"Usaha {number}" for number in range(5)]


def test_empty_export_is_a_workbook_with_only_the_header(client, users, businesses):
    rows = xlsx_table(export(client, users["blora_officer"], format="xlsx", q="tidak-ada-usaha-begini"))
    assert rows == [exports.canonical_layout(full_nik=False).headers]


# ---------------------------------------------------------------------------
# The list page's export menu
# ---------------------------------------------------------------------------


def test_list_offers_every_export_with_the_current_filters(client, users, businesses):
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_list"), {"status": "active", "after": "abc"}).content.decode()
    base = reverse("registry:business_export")
    for query in ("format=xlsx", "format=csv", "format=xlsx&amp;layout=sidt", "format=csv&amp;layout=sidt"):
        assert f'href="{base}?status=active&amp;{query}"' in page
    assert "Format SIDT (Excel)" in page
