"""The history tab: every change to the business, its owner, products, licences and channels, as people read them."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from sentra.registry.models import Business
from sentra.registry.tests.test_views import form_data

pytestmark = pytest.mark.django_db


def photo(name: str = "keripik.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "orange").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def history(client, business: Business) -> str:
    return client.get(reverse("registry:business_tab", args=[business.pk, "riwayat"])).content.decode()


@pytest.fixture
def registered(client, users, offices, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    users["blora_officer"].first_name, users["blora_officer"].last_name = "Dewi", "Lestari"
    users["blora_officer"].save()
    client.force_login(users["blora_officer"])
    data = form_data(
        **{"business-fostering_offices": [offices["blora"].pk], "business-status_verified_on": "2026-11-24"}
    )
    client.post(reverse("registry:business_create"), data)
    return Business.objects.get(name="Terasi Bu Sri")


def test_creation_shows_names_labels_and_dates_not_ids(client, registered, offices):
    page = history(client, registered)
    assert "Dewi Lestari" in page  # the actor by name, and as "didaftarkan oleh"
    assert "Didaftarkan oleh" in page and "created by" not in page.lower()
    assert re.search(r"<td>Pemilik</td><td class=\"new\">Sri Wahyuni</td>", page)  # not `pemilik 18417`
    assert registered.village.name in page and "33.16.01.2001" not in page
    assert offices["blora"].name in page and f"[{offices['blora'].pk}]" not in page
    assert "24 Nov 2026" in page and "2026-11-24" not in page
    assert "331601**********" in page and "3316015205850001" not in page  # the owner's creation, masked
    assert "10295 – " in page  # the KBLI by code and title


def test_owner_changes_show_on_the_business_tab(client, registered):
    data = form_data(**{"owner-nik": "", "owner-phone": "0813-1111-2222", "business-base": ""})
    response = client.post(reverse("registry:business_edit", args=[registered.pk]), data)
    assert response.status_code == 302
    page = history(client, registered)
    assert "Nomor HP" in page
    assert "+62 813-1111-2222" in page and "+62 812-3456-7890" in page


def test_product_photos_licences_and_channels_are_in_the_history(client, registered):
    client.post(
        reverse("registry:child_create", args=[registered.pk, "produk"]),
        {"name": "Terasi udang", "category": "makanan", "unit": "pcs", "packaging": "plastik", "photo": photo()},
    )
    product = registered.products.get()
    client.post(
        reverse("registry:child_edit", args=[registered.pk, "produk", product.pk]),
        {
            "name": "Terasi udang",
            "category": "makanan",
            "unit": "pcs",
            "packaging": "plastik",
            "photo": photo("baru.png"),
        },
    )
    client.post(
        reverse("registry:child_create", args=[registered.pk, "izin"]),
        {"kind": "pirt", "number": "P-IRT 2063316010123-29", "issued_on": "2024-03-01", "expires_on": ""},
    )
    client.post(
        reverse("registry:child_create", args=[registered.pk, "saluran"]),
        {"kind": "instagram", "name": "terasibusri", "url": ""},
    )
    page = history(client, registered)
    assert "foto ditambahkan" in page and "foto diganti" in page
    assert "products/" not in page  # no raw paths
    assert "P-IRT 2063316010123-29" in page and "1 Mar 2024" in page
    assert "terasibusri" in page and "Instagram" in page


def test_a_shared_owners_private_changes_stay_hidden_from_another_regency(client, users, registered):
    client.post(
        reverse("registry:business_edit", args=[registered.pk]),
        form_data(**{"owner-nik": "", "owner-phone": "0813-1111-2222"}),
    )
    client.force_login(users["pesawaran_officer"])
    assert client.get(reverse("registry:business_tab", args=[registered.pk, "riwayat"])).status_code == 404


def test_an_agency_lists_link_and_unlink_show_the_agency_by_name(client, registered, offices, users):
    from sentra.audit.models import ChangeAction
    from sentra.audit.services import log_change
    from sentra.linkage import services as linkage
    from sentra.linkage.models import Source, SourceRecord

    agency = offices["blora_industry"]
    source = Source.objects.create(office=offices["blora"], agency=agency, name="Daftar IKM", file_name="ikm.xlsx")
    record = SourceRecord.objects.create(source=source, row_number=4, data={}, business_name=registered.name)
    linkage.link_by_hand(record, registered, actor=users["blora_officer"])
    response = client.get(reverse("registry:business_tab", args=[registered.pk, "riwayat"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Daftar IKM" in page and agency.name in page and f"[{agency.pk}]" not in page
    linkage.unlink(record, actor=users["blora_officer"])
    # An entry logged before references were logged by id names the office as typed.
    log_change(
        actor=None, action=ChangeAction.UPDATE, instance=registered, after={"fostering_offices": "Dinas Lama Blora"}
    )
    response = client.get(reverse("registry:business_tab", args=[registered.pk, "riwayat"]))
    assert response.status_code == 200
    assert "Dinas Lama Blora" in response.content.decode()
