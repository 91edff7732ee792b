"""The printable one-page profile: every tab's essentials, nothing to click, the NIK masked, in scope."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_business
from sentra.core.formatting import mask_nik
from sentra.registry.models import DigitalChannel, Licence, Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def terasi(offices):
    business = make_business(
        "33.16.01.2001",
        "Terasi Udang Bu Sri",
        offices=[offices["blora"]],
        capital=12_500_000,
        annual_turnover=96_000_000,
        activity="terasi udang rebon",
        nib="1234567890123",
    )
    Product.objects.create(business=business, name="Terasi Super", price=25_000, unit="bungkus", monthly_capacity=400)
    Licence.objects.create(
        business=business, kind="pirt", number="P-IRT 2063316010123-27", expires_on=dt.date(2030, 1, 1)
    )
    Licence.objects.create(business=business, kind="halal", number="ID33110001234", expires_on=dt.date(2024, 3, 1))
    DigitalChannel.objects.create(business=business, kind="whatsapp", name="Terasi Bu Sri")
    return business


def test_the_profile_prints_every_tabs_essentials_without_buttons(client, users, terasi):
    client.force_login(users["blora_officer"])
    detail = client.get(reverse("registry:business_detail", args=[terasi.pk])).content.decode()
    assert reverse("registry:business_print", args=[terasi.pk]) in detail

    page = client.get(reverse("registry:business_print", args=[terasi.pk])).content.decode()
    sheet = page[page.index('<article class="profile-sheet">') : page.index("</article>")]
    for expected in (
        "Terasi Udang Bu Sri",
        "terasi udang rebon",
        "1234567890123",
        "Rp 12.500.000",
        "Rp 96.000.000",
        "Terasi Super",
        "Rp 25.000 / bungkus",
        "P-IRT 2063316010123-27",
        "1 Jan 2030",
        "kedaluwarsa",  # the Halal certificate ran out in March 2024
        "Terasi Bu Sri",
        "Dinkop Blora",
        mask_nik(terasi.owner.nik),
        "Dicetak dari Sentra oleh blora_officer",
    ):
        assert expected in sheet, expected
    assert terasi.owner.nik not in page
    assert "<button" not in sheet and "<form" not in sheet and "/ubah/" not in sheet
    assert sheet.count("kedaluwarsa") == 1


def test_the_profile_is_in_scope(client, users, terasi):
    client.force_login(users["pesawaran_officer"])
    assert client.get(reverse("registry:business_print", args=[terasi.pk])).status_code == 404
    client.force_login(users["industry_officer"])  # Blora's partner agency, not fostering this one
    assert client.get(reverse("registry:business_print", args=[terasi.pk])).status_code == 404


def test_an_address_typed_with_its_village_names_the_village_once(client, users, terasi):
    village = terasi.village.name
    type(terasi).objects.filter(pk=terasi.pk).update(address=f"Jl. Pemuda No. 7, Ds. {village.upper()}")
    client.force_login(users["blora_officer"])
    for url in (
        reverse("registry:business_print", args=[terasi.pk]),
        reverse("registry:business_tab", args=[terasi.pk, "profil"]),
    ):
        page = client.get(url).content.decode()
        assert "Jl. Pemuda No. 7" in page and village.upper() not in page
