"""Registry pages: forms and their Indonesian errors, masking, history, pagination, weight, query counts."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import make_business
from sentra.audit.models import NikReveal, ObjectChange
from sentra.registry.models import Business, MaturityChange, Person, StatusChange

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    """A complete, valid create form for a Blora business."""
    data = {
        "owner-nik": "3316 0152 0585 0001",  # spaces as people type them
        "owner-full_name": "Sri Wahyuni",
        "owner-sex": "P",
        "owner-birth_date": "",
        "owner-phone": "0812-3456-7890",
        "owner-address": "Jl. Mawar 1",
        "business-name": "Terasi Bu Sri",
        "business-nib": "",
        "business-kbli": "10295",
        "business-legal_form": "perorangan",
        "business-address": "RT 01 RW 02",
        "business-village": "33.16.01.2001",
        "business-start_month": "3",
        "business-start_year": "2015",
        "business-capital": "Rp 15.000.000",
        "business-annual_turnover": "120 juta",
        "business-workers_paid_male": "1",
        "business-workers_paid_female": "2",
        "business-workers_unpaid_male": "0",
        "business-workers_unpaid_female": "1",
        "business-status": "active",
        "business-status_verified_on": "",
        "business-maturity": "traditional",
    }
    data.update(overrides)
    return data


def test_officer_registers_a_business(client, users, offices):
    client.force_login(users["blora_officer"])
    response = client.post(
        reverse("registry:business_create"), form_data(**{"business-fostering_offices": [offices["blora"].pk]})
    )
    assert response.status_code == 302
    business = Business.objects.get(name="Terasi Bu Sri")
    assert response["Location"] == reverse("registry:business_detail", args=[business.pk])
    assert business.owner.nik == "3316015205850001"
    assert business.owner.phone == "+6281234567890"
    assert str(business.owner.birth_date) == "1985-05-12"  # taken from the NIK when left empty
    assert (business.capital, business.annual_turnover) == (15_000_000, 120_000_000)
    assert (business.size_class, business.size_basis) == ("micro", "capital")
    assert (business.regency_id, business.district_id, business.kbli_section) == ("33.16", "33.16.01", "C")
    assert list(business.fostering_offices.all()) == [offices["blora"]]
    assert business.created_by == users["blora_officer"]
    assert StatusChange.objects.filter(business=business, status="active").count() == 1
    assert MaturityChange.objects.filter(business=business, stage="traditional").count() == 1
    actions = set(ObjectChange.objects.values_list("action", "content_type__model"))
    assert actions == {("create", "person"), ("create", "business")}


def test_same_nik_links_to_the_same_owner(client, users):
    client.force_login(users["blora_officer"])
    client.post(reverse("registry:business_create"), form_data())
    response = client.post(reverse("registry:business_create"), form_data(**{"business-name": "Kerupuk Bu Sri"}))
    assert response.status_code == 302
    owner = Person.objects.get(nik="3316015205850001")
    assert sorted(owner.businesses.values_list("name", flat=True)) == ["Kerupuk Bu Sri", "Terasi Bu Sri"]


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("owner-nik", "33160152058500", "NIK harus 16 angka"),
        ("owner-nik", "9999015205850001", "bukan kode kecamatan"),
        ("owner-nik", "3316013202850001", "bukan tanggal yang sah"),
        ("owner-nik", "3316015205850000", "tidak boleh 0000"),
        ("owner-sex", "L", "Jenis kelamin tidak sama dengan yang tertulis di NIK"),
        ("owner-birth_date", "1990-01-01", "Tanggal lahir tidak sama"),
        ("owner-phone", "12345", "bukan nomor HP"),
        ("owner-phone", "+1 202 555 0100", "Hanya nomor Indonesia"),
        ("business-nib", "12345", "NIB harus 13 angka"),
        ("business-capital", "banyak sekali", "bukan nilai uang"),
        ("business-capital", "-5000", "negatif"),
        ("business-village", "18.09.01.2001", "di luar wilayah kerja Anda"),  # Pesawaran: not this officer's
        ("business-name", "", "Bidang ini tidak boleh kosong"),
    ],
)
def test_bad_input_gets_a_clear_indonesian_error_and_saves_nothing(client, users, field, value, message):
    client.force_login(users["blora_officer"])
    response = client.post(reverse("registry:business_create"), form_data(**{field: value}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Periksa kembali isian yang ditandai." in page
    assert message in page
    assert not Business.objects.exists()
    assert not Person.objects.exists()


def test_duplicate_nib_is_refused(client, users):
    make_business("33.16.01.2002", "Usaha Lama", nib="1234567890123")
    client.force_login(users["blora_officer"])
    response = client.post(reverse("registry:business_create"), form_data(**{"business-nib": "1234567890123"}))
    assert "sudah terdaftar untuk usaha lain" in response.content.decode()


def test_viewer_cannot_open_the_create_form(client, users):
    client.force_login(users["blora_viewer"])
    assert client.get(reverse("registry:business_create")).status_code == 403


def test_partner_agency_fosters_what_it_registers(client, users, offices):
    client.force_login(users["industry_officer"])
    response = client.post(reverse("registry:business_create"), form_data())
    assert response.status_code == 302
    assert offices["blora_industry"] in Business.objects.get().fostering_offices.all()


def test_edit_is_recorded_old_to_new_on_the_history_tab(client, users, businesses):
    business = businesses["blora_plain"]
    client.force_login(users["blora_officer"])
    edit_url = reverse("registry:business_edit", args=[business.pk])
    form = client.get(edit_url).context["form"]
    person_form = client.get(edit_url).context["person_form"]
    data = {
        **{f"owner-{k}": v for k, v in person_form.initial.items() if v is not None and k != "id"},
        **{f"business-{k}": v for k, v in form.initial.items() if v is not None and k != "id"},
    }
    data["business-fostering_offices"] = [office.pk for office in form.initial["fostering_offices"]]
    data.update({"business-annual_turnover": "Rp. 2.000.000,-", "business-status": "dormant"})
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    history = client.get(reverse("registry:business_tab", args=[business.pk, "riwayat"])).content.decode()
    assert "Omzet tahunan" in history
    assert "Rp 2.000.000" in history
    assert "Tidak aktif sementara" in history
    business.refresh_from_db()
    assert business.status_verified_by == users["blora_officer"]  # a status change counts as a verification


def test_nik_is_masked_and_every_reveal_is_logged(client, users, businesses):
    business = businesses["blora_plain"]
    nik = business.owner.nik
    masked = nik[:6] + "*" * 10
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_detail", args=[business.pk])).content.decode()
    assert masked in page
    assert nik not in page
    assert "Tampilkan" not in page

    client.force_login(users["blora_admin"])
    page = client.get(reverse("registry:business_detail", args=[business.pk])).content.decode()
    assert nik not in page and "Tampilkan" in page
    revealed = client.post(reverse("registry:owner_nik", args=[business.owner_id]))
    assert nik in revealed.content.decode()
    reveal = NikReveal.objects.get()
    assert (reveal.actor, reveal.person) == (users["blora_admin"], business.owner)


def test_phone_is_a_whatsapp_link(client, users, businesses):
    owner = businesses["blora_plain"].owner
    owner.phone = "+6281234567890"
    owner.save()
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_detail", args=[businesses["blora_plain"].pk])).content.decode()
    assert 'href="https://wa.me/6281234567890"' in page


def test_list_pages_forward_and_back_without_counting_everything(client, users, offices, settings):
    settings.REGISTRY_PAGE_SIZE = 5
    settings.REGISTRY_COUNT_CAP = 8
    for number in range(12):
        make_business("33.16.01.2001", f"Usaha {number:02d}")
    client.force_login(users["blora_officer"])
    first = client.get(reverse("registry:business_list"))
    assert [b.name for b in first.context["page"].items] == [f"Usaha {n:02d}" for n in range(5)]
    assert "12 UMKM" in first.content.decode()  # exact from the tallies: the list is the whole regency
    searched = client.get(reverse("registry:business_list"), {"q": "usaha"})
    assert "Lebih dari 8 UMKM" in searched.content.decode()  # a search is counted up to the cap
    assert searched.context["count"].capped
    # The officer who must report it asks for the exact number, and keeps the search.
    html = searched.content.decode()
    assert 'href="?q=usaha&amp;hitung=semua"' in html and "Hitung semua" in html
    counted = client.get(reverse("registry:business_list"), {"q": "usaha", "hitung": "semua"})
    assert not counted.context["count"].capped and "12 UMKM" in counted.content.decode()
    assert [b.name for b in counted.context["page"].items] == [f"Usaha {n:02d}" for n in range(5)]
    second = client.get(reverse("registry:business_list"), {"after": first.context["page"].next_cursor})
    assert [b.name for b in second.context["page"].items] == [f"Usaha {n:02d}" for n in range(5, 10)]
    back = client.get(reverse("registry:business_list"), {"before": second.context["page"].previous_cursor})
    assert [b.name for b in back.context["page"].items] == [f"Usaha {n:02d}" for n in range(5)]


def test_htmx_requests_get_only_the_results(client, users, businesses):
    client.force_login(users["blora_officer"])
    response = client.get(
        reverse("registry:business_list"), {"q": "batik"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "Batik Sekar Jati" in page and "Parcel Barokah" not in page


def test_filters_and_sort(client, users, businesses):
    businesses["blora_plain"].status = "closed"
    businesses["blora_plain"].save()
    client.force_login(users["blora_officer"])
    closed = client.get(reverse("registry:business_list"), {"status": "closed"})
    assert [b.name for b in closed.context["page"].items] == ["Parcel Barokah"]
    z_to_a = client.get(reverse("registry:business_list"), {"sort": "-name"})
    assert [b.name for b in z_to_a.context["page"].items] == ["Parcel Barokah", "Batik Sekar Jati"]


def test_product_licence_and_channel_are_added_and_logged(client, users, businesses):
    business = businesses["blora_plain"]
    client.force_login(users["blora_officer"])
    base = {"pk": business.pk}
    client.post(
        reverse("registry:child_create", kwargs={**base, "kind": "produk"}),
        {
            "name": "Parcel Lebaran",
            "category": "makanan",
            "unit": "paket",
            "price": "Rp 250.000",
            "monthly_capacity": "40",
            "packaging": "kotak",
        },
    )
    client.post(
        reverse("registry:child_create", kwargs={**base, "kind": "izin"}),
        {"kind": "pirt", "number": "P-IRT 2063316010123-27", "issued_on": "2022-03-01", "expires_on": "2027-03-01"},
    )
    bad = client.post(
        reverse("registry:child_create", kwargs={**base, "kind": "izin"}),
        {"kind": "halal", "number": "ID123", "issued_on": "2024-03-01", "expires_on": "2023-03-01"},
    )
    assert "tidak boleh sebelum tanggal terbit" in bad.content.decode()
    client.post(
        reverse("registry:child_create", kwargs={**base, "kind": "saluran"}),
        {"kind": "instagram", "name": "@parcelbarokah", "url": "instagram.com/parcelbarokah"},
    )
    assert business.products.get().price == 250_000
    assert business.licences.count() == 1
    assert business.channels.get().url == "https://instagram.com/parcelbarokah"
    business.refresh_from_db()
    assert "parcel lebaran" in business.search_text
    logged = ObjectChange.objects.filter(related_object_id=business.pk).values_list("content_type__model", flat=True)
    assert sorted(logged) == ["digitalchannel", "licence", "product"]


def test_list_and_detail_query_counts_stay_flat(client, users, offices, django_assert_max_num_queries):
    """NetBox-style pinning: more rows must not mean more queries."""
    for number in range(30):
        make_business("33.16.01.2001", f"Usaha {number:02d}", offices=[offices["blora"]])
    client.force_login(users["blora_officer"])
    with django_assert_max_num_queries(40):  # the first read after writes recounts their village's tallies
        client.get(reverse("registry:business_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("registry:business_list"))
    business = Business.objects.first()
    with django_assert_max_num_queries(15):  # with whether it may be archived, and its data quality flags
        client.get(reverse("registry:business_detail", args=[business.pk]))


def test_pages_stay_under_300_kb(client, users, businesses):
    """Page plus its stylesheet and script, uncompressed: an upper bound on what is transferred."""
    client.force_login(users["blora_officer"])
    for url in (
        reverse("registry:business_list"),
        reverse("registry:business_detail", args=[businesses["blora_plain"].pk]),
        reverse("registry:business_edit", args=[businesses["blora_plain"].pk]),
    ):
        html = client.get(url).content
        assets = re.findall(rb'(?:href|src)="/static/([^"]+)"', html)
        assert assets, url
        total = len(html) + sum((Path(settings.BASE_DIR) / "static" / a.decode()).stat().st_size for a in assets)
        assert total < 300 * 1024, f"{url}: {total} bytes"


@pytest.mark.parametrize("username", ["blora_officer", "blora_admin"])
def test_edit_form_never_shows_the_stored_nik_and_blank_keeps_it(client, users, businesses, username):
    business = businesses["blora_plain"]
    nik = business.owner.nik
    client.force_login(users[username])
    edit_url = reverse("registry:business_edit", args=[business.pk])
    page = client.get(edit_url)
    assert nik not in page.content.decode()
    assert nik[:6] + "*" * 10 in page.content.decode()
    person_form, form = page.context["person_form"], page.context["form"]
    data = {
        **{f"owner-{k}": v for k, v in person_form.initial.items() if v is not None and k != "id"},
        **{f"business-{k}": v for k, v in form.initial.items() if v is not None and k != "id"},
        "business-fostering_offices": [office.pk for office in form.initial["fostering_offices"]],
        "owner-nik": "",
        "owner-full_name": "Siti Aminah Rahayu",
    }
    assert client.post(edit_url, data).status_code == 302
    business.owner.refresh_from_db()
    assert (business.owner.nik, business.owner.full_name) == (nik, "Siti Aminah Rahayu")


def test_nik_of_an_owner_elsewhere_links_without_changing_their_record(client, users, businesses):
    """A Pesawaran owner who opens a second business in Blora: linked, but Blora may not rewrite them."""
    owner = businesses["pesawaran"].owner
    client.force_login(users["blora_officer"])
    response = client.post(
        reverse("registry:business_create"),
        form_data(**{"owner-nik": owner.nik, "owner-full_name": "AHMAD FAUZI", "owner-birth_date": ""}),
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.full_name == "Ahmad Fauzi"
    assert Business.objects.get(name="Terasi Bu Sri").owner == owner
