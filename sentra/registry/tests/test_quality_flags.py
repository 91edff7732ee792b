"""Every data quality flag can be cleared from the pages it links to (issue 12, point 8).

A business failing each check is opened as the quality list links to it; the officer follows the
business page's own link and clears the flag there; the list's filter no longer finds it.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_business
from sentra.linkage.models import DuplicatePair
from sentra.registry.models import Business
from sentra.registry.quality import QualityCheck, quality_condition
from sentra.registry.tests.test_views import form_data

pytestmark = pytest.mark.django_db


def flagged(check: str, business: Business) -> bool:
    return Business.objects.filter(quality_condition(check, timezone.localdate()), pk=business.pk).exists()


def edit_form_values(client, business: Business, **overrides) -> dict:
    """The edit form as loaded, with `overrides` typed in."""
    page = client.get(reverse("registry:business_edit", args=[business.pk]))
    form, person_form = page.context["form"], page.context["person_form"]
    data = {
        **{f"owner-{k}": v for k, v in person_form.initial.items() if v is not None and k not in ("id", "nik")},
        **{f"business-{k}": v for k, v in form.initial.items() if v is not None and k != "id"},
        "business-fostering_offices": [office.pk for office in form.initial["fostering_offices"]],
    }
    return {**data, **overrides}


def test_a_business_registered_through_the_form_has_its_owners_village(client, users, offices):
    client.force_login(users["blora_officer"])
    client.post(reverse("registry:business_create"), form_data())
    business = Business.objects.get(name="Terasi Bu Sri")
    assert business.owner.village_id == "33.16.01.2001"  # the business's village, the owner's left blank
    assert not flagged(QualityCheck.NO_OWNER_VILLAGE, business)

    client.post(reverse("registry:business_create"), form_data(**{
        "owner-nik": "3316015205850002", "business-name": "Kerupuk Bu Sri", "owner-village": "33.16.01.2002",
    }))  # fmt: skip
    assert Business.objects.get(name="Kerupuk Bu Sri").owner.village_id == "33.16.01.2002"


@pytest.mark.parametrize(
    ("check", "anchor", "typed"),
    [
        (QualityCheck.NO_NIK, "id_owner-nik", {"owner-nik": "3316015205850009"}),
        (QualityCheck.NO_KBLI, "id_business-kbli", {"business-kbli": "10295"}),
        (QualityCheck.NO_OWNER_VILLAGE, "id_owner-village", {"owner-village": ""}),
        (QualityCheck.SIZE_CONFLICT, "id_business-capital", {"business-capital": "Rp 40.000.000"}),
    ],
)
def test_flags_cleared_on_the_edit_form(client, users, offices, check, anchor, typed):
    business = make_business(
        "33.16.01.2001", "Terasi Bu Sri", offices=[offices["blora"]], capital=40_000_000_000, annual_turnover=1
    )
    if check == QualityCheck.NO_NIK:
        business.owner.nik = None
        business.owner.save()
    if check == QualityCheck.NO_KBLI:
        business.kbli = None
        business.save()
    if check == QualityCheck.SIZE_CONFLICT:
        business.owner.village_id, business.kbli_id = "33.16.01.2001", "10295"
        business.owner.save()
    assert flagged(check, business)
    client.force_login(users["blora_officer"])
    listed = client.get(reverse("registry:business_list"), {"quality": check}).content.decode()
    assert reverse("registry:business_detail", args=[business.pk]) in listed
    page = client.get(reverse("registry:business_detail", args=[business.pk])).content.decode()
    assert f"{reverse('registry:business_edit', args=[business.pk])}#{anchor}" in page
    assert f'id="{anchor}"' in client.get(reverse("registry:business_edit", args=[business.pk])).content.decode()
    response = client.post(
        reverse("registry:business_edit", args=[business.pk]), edit_form_values(client, business, **typed)
    )
    assert response.status_code == 302, response.context and (
        response.context["form"].errors,
        response.context["person_form"].errors,
    )
    assert not flagged(check, business)


def test_a_record_never_verified_is_due_once_a_year_old(offices):
    """One registered today was seen today: not yet work for the officer's visits."""
    business = make_business("33.16.01.2001", "Terasi Bu Sri", offices=[offices["blora"]])
    assert not flagged(QualityCheck.UNVERIFIED, business)
    Business.objects.filter(pk=business.pk).update(created_at=timezone.now() - dt.timedelta(days=364))
    assert not flagged(QualityCheck.UNVERIFIED, business)
    Business.objects.filter(pk=business.pk).update(created_at=timezone.now() - dt.timedelta(days=367))
    assert flagged(QualityCheck.UNVERIFIED, business)


def test_unverified_is_cleared_on_the_business_page(client, users, offices):
    business = make_business("33.16.01.2001", "Terasi Bu Sri", offices=[offices["blora"]])
    Business.objects.filter(pk=business.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    assert flagged(QualityCheck.UNVERIFIED, business)
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_detail", args=[business.pk])).content.decode()
    assert 'href="#verifikasi"' in page and 'id="verifikasi"' in page
    client.post(reverse("registry:business_verify", args=[business.pk]), {"status": "active"})
    assert not flagged(QualityCheck.UNVERIFIED, business)


def test_a_suspected_duplicate_links_to_the_review_that_decides_it(client, users, offices):
    first = make_business("33.16.01.2001", "Terasi Bu Sri", offices=[offices["blora"]])
    second = make_business("33.16.01.2001", "Terasi Sri", offices=[offices["blora"]])
    pair = DuplicatePair.objects.create(office=offices["blora"], first=first, second=second, probability=0.9)
    assert flagged(QualityCheck.DUPLICATE, first)
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_detail", args=[first.pk])).content.decode()
    assert reverse("linkage:duplicates") in page
    client.post(reverse("linkage:duplicate_decide", args=[pair.pk]), {"decision": "different"})
    assert not flagged(QualityCheck.DUPLICATE, first)


def test_a_size_conflict_says_its_figures_and_is_cleared_when_both_are_true(client, users, offices):
    business = make_business("33.16.01.2001", "Mebel Jati Makmur", offices=[offices["blora"]])
    Business.objects.filter(pk=business.pk).update(capital=5_470_000_000, annual_turnover=3_000_000_000)
    assert flagged(QualityCheck.SIZE_CONFLICT, business)
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_detail", args=[business.pk])).content.decode()
    assert "modal Rp 5.470.000.000 berarti menengah, omzet Rp 3.000.000.000 per tahun berarti kecil" in page
    confirm = reverse("registry:business_confirm_size", args=[business.pk])
    assert confirm in page
    assert client.post(confirm).status_code == 302
    assert not flagged(QualityCheck.SIZE_CONFLICT, business)
    history = client.get(reverse("registry:business_tab", args=[business.pk, "riwayat"])).content.decode()
    assert "modal dan omzet dipastikan benar" in history and "Rp 5.470.000.000" in history
    # A figure changed since: the flag is back, for the officer to look again.
    Business.objects.filter(pk=business.pk).update(annual_turnover=2_500_000_000)
    assert flagged(QualityCheck.SIZE_CONFLICT, business)
    # A viewer, who may not change the record, cannot confirm it.
    client.force_login(users["blora_viewer"])
    assert (
        "kedua angka sudah benar"
        not in client.get(reverse("registry:business_detail", args=[business.pk])).content.decode()
    )
    assert client.post(confirm).status_code in (403, 404)
    assert flagged(QualityCheck.SIZE_CONFLICT, business)


def test_verifying_says_whether_the_status_changed(client, users, offices):
    business = make_business("33.16.01.2001", "Terasi Bu Sri", offices=[offices["blora"]])
    client.force_login(users["blora_officer"])
    url = reverse("registry:business_verify", args=[business.pk])
    page = client.get(reverse("registry:business_detail", args=[business.pk])).content.decode()
    assert "Status saat ini" in page and "Simpan & verifikasi hari ini" in page
    same = client.post(url, {"status": "active"}, follow=True).content.decode()
    assert "Status usaha (Aktif) diverifikasi hari ini." in same
    changed = client.post(url, {"status": "dormant"}, follow=True).content.decode()
    assert "Status usaha diubah dari Aktif menjadi Tidak aktif sementara, dan diverifikasi hari ini." in changed
