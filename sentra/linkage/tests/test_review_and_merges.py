"""The duplicate review never offers one owner's two businesses as sure, shows what an officer compares,
decides clear cases in bulk; a merge is undone as it was, or refused with names."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from conftest import make_business, make_user
from sentra.accounts.models import Role
from sentra.audit.models import ObjectChange
from sentra.linkage.duplicates import decide_pair, decide_pairs, find_duplicates
from sentra.linkage.engine import OTHER_BUSINESS_CAP
from sentra.linkage.merges import merge_businesses, undo_merge, undo_plan
from sentra.linkage.models import Decision, DuplicatePair, Merge, PairDecision, SourceRecord
from sentra.linkage.services import LinkageRefused, load_source, run_linkage
from sentra.registry.models import Business, DigitalChannel, Person, StatusChange

pytestmark = pytest.mark.django_db

KETUWAN, BALONG = "33.16.04.2002", "33.16.08.2015"


@pytest.fixture
def pak_arif(offices, users):
    """One owner, two businesses: a teak craft shop in Ketuwan and a satay stall in Balong."""
    craft = make_business(
        KETUWAN, "Kerajinan Jati Pak Arif", offices=[offices["blora"]], owner_name="Arif Rahman", kbli_id="16221"
    )
    Person.objects.filter(pk=craft.owner_id).update(phone="+6281225550001")
    craft.products.create(name="Meja jati ukir")
    satay = Business.objects.create(
        name="Sate Ayam Blora Pak Arif",
        owner=craft.owner,
        village_id=BALONG,
        kbli_id="56103",
        created_by=users["blora_admin"],
    )
    satay.fostering_offices.set([offices["blora"]])
    satay.products.create(name="Sate ayam")
    return craft, satay


def slamet_typed_again(offices) -> Business:
    """The registry's bakso stall (registry[12]) typed again without its NIK: a true duplicate."""
    twin = make_business("33.16.02.2016", "Bakso Pak Slamet", offices=[offices["blora"]], owner_name="Slamet Riyanto")
    Person.objects.filter(pk=twin.owner_id).update(nik=None, phone="+6281829001124")
    twin.products.create(name="bakso urat")
    return twin


def pair_of(first, second) -> DuplicatePair:
    return DuplicatePair.objects.get(first_id=min(first.pk, second.pk), second_id=max(first.pk, second.pk))


def test_one_owners_other_business_is_held_for_review_never_sure(pak_arif, registry, offices, users, client):
    craft, satay = pak_arif
    twin = slamet_typed_again(offices)
    find_duplicates(offices["blora"], actor=users["blora_officer"])

    arif = pair_of(craft, satay)
    assert arif.probability <= OTHER_BUSINESS_CAP < 0.95  # held, below the threshold
    assert set(arif.evidence["held"]) == {"village", "kbli", "business"}
    assert arif.evidence["area"]["level"] == 0
    slamet = pair_of(registry[12], twin)  # the same bakso stall typed twice: still sure
    assert slamet.probability >= 0.95 and "held" not in slamet.evidence
    assert slamet.probability > arif.probability

    client.force_login(users["blora_officer"])
    DuplicatePair.objects.exclude(pk=arif.pk).update(decision=Decision.DIFFERENT)
    page = client.get(reverse("linkage:duplicates")).content.decode()
    assert "100%" not in page
    assert "desa/kelurahan berbeda" in page and "golongan KBLI berbeda" in page
    # Villages that differ count against.
    assert re.search(r">Desa/kelurahan</td><td[^>]*>melawan\b", page)
    # What an officer compares: status, KBLI, products, licences, size, when created and by whom.
    for text in ("Aktif", "16221", "56103", "Meja jati ukir", "Sate ayam", "Skala usaha", "oleh blora_admin", "Balong"):
        assert text in page, text


def test_held_pairs_keep_their_order_below_the_cap(settings):
    from sentra.linkage.duplicates import held_probability

    settings.LINKAGE_REVIEW_FLOOR = 0.5
    # The model's probability is ~1 for them all (or clipped at the cap): the weight orders them.
    squeezed = [held_probability(probability, weight) for probability, weight in ((0.6, 5), (1.0, 20), (1.0, 40))]
    assert squeezed == sorted(squeezed) and len(set(round(p * 100) for p in squeezed)) == 3  # 3 shown percents
    assert squeezed[0] > 0.5 and squeezed[-1] < OTHER_BUSINESS_CAP
    assert held_probability(0.3, 40) == 0.3  # below the floor: as the model says
    # More reasons to hold a pair (village, KBLI, business all differ) put it below those with one.
    assert held_probability(1.0, 40, reasons=3) < held_probability(1.0, 10, reasons=1)


def test_a_card_hides_the_phone_and_nik_of_an_owner_kept_by_another_regency(offices, users, client):
    at_home = make_business("18.09.01.2001", "Kopi Way Lima", owner_name="Hendra Gunawan")
    Person.objects.filter(pk=at_home.owner_id).update(
        phone="+6281277776666", home_regency_id="18.09", birth_date=dt.date(1980, 5, 17)
    )
    blora = [
        Business.objects.create(name=name, owner=at_home.owner, village_id="33.16.01.2004")
        for name in ("Kopi Hendra", "Kopi Bubuk Hendra")
    ]
    first, second = sorted(blora, key=lambda b: b.pk)
    DuplicatePair.objects.create(
        office=offices["blora"],
        first=first,
        second=second,
        probability=0.97,
        evidence={"phone": {"level": 2, "bayes_factor": 250.0}, "person_name": {"level": 7, "bayes_factor": 40.0}},
    )
    client.force_login(users["blora_officer"])
    page = client.get(reverse("linkage:duplicates")).content.decode()
    assert "Kopi Bubuk Hendra" in page and "Hendra Gunawan" in page
    assert "6281277776666" not in page and "180901" not in page and "17 Mei 1980" not in page
    assert "dikelola kantor kabupaten/kota lain" in page
    assert "sangat mendukung" not in page.split("Nomor HP</td>")[-1][:80]


def test_clear_cases_are_marked_different_in_bulk(pak_arif, registry, offices, users, client):
    find_duplicates(offices["blora"], actor=users["blora_officer"])
    pending = list(DuplicatePair.objects.filter(office=offices["blora"], decision=Decision.PENDING))
    assert pending
    client.force_login(users["blora_officer"])
    page = client.get(reverse("linkage:duplicate_list")).content.decode()
    assert "Kerajinan Jati Pak Arif" in page and "Tandai berbeda" in page
    response = client.post(
        reverse("linkage:duplicates_decide_many"), {"pair": [p.pk for p in pending], "decision": "different"}
    )
    assert response.status_code == 302
    assert not DuplicatePair.objects.filter(decision=Decision.PENDING).exists()
    assert DuplicatePair.objects.filter(decision=Decision.DIFFERENT, decided_by=users["blora_officer"]).count() == len(
        pending
    )
    with pytest.raises(LinkageRefused):
        decide_pairs(offices["blora"], [pending[0].pk], decision=Decision.SAME, actor=users["blora_officer"])
    # Another office's pairs are not touched.
    other = make_user("pesawaran_admin", offices["pesawaran"], Role.ADMIN)
    DuplicatePair.objects.update(decision=Decision.PENDING)
    assert decide_pairs(offices["pesawaran"], [p.pk for p in pending], decision=Decision.DIFFERENT, actor=other) == 0


def test_one_owners_clearly_other_businesses_are_marked_different_together(pak_arif, registry, offices, users, client):
    """Village, KBLI group and business all differ: shown apart, and marked "berbeda" with one button."""
    craft, satay = pak_arif
    twin = slamet_typed_again(offices)
    find_duplicates(offices["blora"], actor=users["blora_officer"])
    client.force_login(users["blora_officer"])
    page = client.get(reverse("linkage:duplicate_list")).content.decode()
    assert "1 pasangan berbeda desa/kelurahan, golongan KBLI, serta nama usaha dan produknya sekaligus" in page
    only = client.get(reverse("linkage:duplicate_list"), {"tampil": "usaha-lain"}).content.decode()
    assert "Kerajinan Jati Pak Arif" in only and "Bakso Pak Slamet" not in only
    assert "Tandai 1 pasangan ini berbeda" in only
    client.post(reverse("linkage:duplicates_decide_many"), {"semua": "usaha-lain", "decision": "different"})
    assert pair_of(craft, satay).decision == Decision.DIFFERENT
    assert pair_of(registry[12], twin).decision == Decision.PENDING  # a true duplicate still waits


@pytest.fixture
def merged(offices, users, tmp_path, registry):
    """Bakso Slamet kept, its copy "Bakso Pak Slamet" merged into it with everything it had."""
    keep = registry[12]
    keep.address = ""
    keep.save()
    copy = make_business(
        "33.16.02.2016",
        "Bakso Pak Slamet",
        offices=[offices["blora"], offices["blora_industry"]],
        owner_name="Slamet Riyanto",
        address="Jl. Pahlawan 12",
        nib="9120001234567",
    )
    copy.products.create(name="bakso urat")
    copy.licences.create(kind="pirt", number="P-IRT 123")
    DigitalChannel.objects.create(business=copy, kind="shopee", name="Bakso Slamet Official")
    StatusChange.objects.create(business=copy, status="active", previous_status="", changed_at=timezone.now())
    path = tmp_path / "disperin.csv"
    path.write_text("NO,NAMA PEMILIK,NAMA USAHA,DESA\n1,Slamet Riyanto,Bakso Pak Slamet,Tanggel\n", encoding="utf-8")
    source = load_source(
        path=path, office=offices["blora"], actor=users["blora_officer"], name="x", agency=offices["blora_industry"]
    )
    record = source.records.get()
    record.business = copy
    record.save()
    merge_businesses(keep=keep, merged=copy, actor=users["blora_officer"])
    return keep, copy, record


def test_a_merge_is_undone_as_it_was(merged, offices, users, client):
    keep, copy, record = merged
    keep.refresh_from_db()
    assert keep.address == "Jl. Pahlawan 12" and keep.nib == "9120001234567"
    assert offices["blora_industry"] in keep.fostering_offices.all()
    client.force_login(users["blora_officer"])
    # The absorbed record's address leads to the kept one.
    response = client.get(f"/umkm/{copy.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/umkm/{keep.pk}/"
    assert f"UMKM #{copy.pk} sudah digabung ke UMKM ini" in client.get(response["Location"]).content.decode()
    history = client.get(reverse("registry:business_tab", args=[keep.pk, "riwayat"])).content.decode()
    assert "rincian atau batalkan" in history
    merge = Merge.objects.get(keep=keep)
    keep.products.create(name="es teh")  # edits to the kept business since
    keep.start_year = 2015
    keep.save()

    page = client.get(reverse("linkage:merge_detail", args=[merge.pk])).content.decode()
    assert "keduanya UMKM berbeda" in page and "1 produk kembali ke Bakso Pak Slamet" in page
    response = client.post(reverse("linkage:merge_undo", args=[merge.pk]), {"lalu": "berbeda"})
    assert response.status_code == 302 and response["Location"] == f"/umkm/{copy.pk}/"

    restored = Business.objects.get(pk=copy.pk)
    assert restored.name == "Bakso Pak Slamet" and restored.nib == "9120001234567"
    assert restored.created_at == copy.created_at
    assert list(restored.products.values_list("name", flat=True)) == ["bakso urat"]
    assert list(restored.licences.values_list("number", flat=True)) == ["P-IRT 123"]
    assert list(restored.channels.values_list("name", flat=True)) == ["Bakso Slamet Official"]
    assert list(restored.status_history.values_list("status", flat=True)) == ["active"]
    assert set(restored.fostering_offices.all()) == {offices["blora"], offices["blora_industry"]}
    assert SourceRecord.objects.get(pk=record.pk).business == restored
    keep.refresh_from_db()
    assert keep.address == "" and keep.nib == ""  # the blanks it took come back
    assert keep.start_year == 2015 and sorted(keep.products.values_list("name", flat=True)) == ["bakso", "es teh"]
    assert offices["blora_industry"] not in keep.fostering_offices.all()
    assert pair_of(keep, restored).decision == Decision.DIFFERENT
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == users["blora_officer"]
    messages = list(ObjectChange.objects.values_list("message", flat=True))
    assert any("penggabungan dengan Bakso Pak Slamet" in m and "dibatalkan" in m for m in messages)
    assert client.get(f"/umkm/{copy.pk}/").status_code == 200
    with pytest.raises(LinkageRefused, match="sudah dibatalkan"):
        undo_merge(merge, actor=users["blora_officer"])


def test_an_undone_merge_can_go_back_to_the_queue_as_it_was(registry, offices, users, client):
    """A hasty merge, not a wrong one: the pair waits again with the probability and evidence it had."""
    keep = registry[12]
    copy = make_business("33.16.02.2016", "Bakso Pak Slamet", offices=[offices["blora"]], owner_name="Slamet Riyanto")
    first, second = sorted((keep, copy), key=lambda business: business.pk)
    pair = DuplicatePair.objects.create(
        office=offices["blora"], first=first, second=second, probability=0.93, evidence={"found_by": "engine"}
    )
    decide_pair(pair, decision=Decision.SAME, actor=users["blora_officer"], keep=keep)
    assert not DuplicatePair.objects.filter(pk=pair.pk).exists()
    merge = Merge.objects.get(keep=keep, merged_id=copy.pk)
    client.force_login(users["blora_officer"])
    response = client.post(reverse("linkage:merge_undo", args=[merge.pk]), {"lalu": "tinjau"}, follow=True)
    assert "kembali ke daftar dugaan duplikat" in response.content.decode()
    again = pair_of(keep, copy)
    assert again.decision == Decision.PENDING and again.decided_by is None
    assert again.probability == 0.93 and again.evidence == {"found_by": "engine"}
    listed = client.get(reverse("linkage:duplicate_list")).content.decode()
    assert "Bakso Pak Slamet" in listed


def test_an_edit_since_the_merge_stays(merged, users):
    keep, copy, _record = merged
    keep.refresh_from_db()
    keep.address = "Jl. Baru 1"  # the officer corrected the address the merge filled
    keep.save()
    merge = Merge.objects.get(keep=keep)
    plan = undo_plan(merge)
    assert plan.possible and any("diubah sesudah penggabungan" in line for line in plan.left)
    restored = undo_merge(merge, actor=users["blora_officer"])
    keep.refresh_from_db()
    assert keep.address == "Jl. Baru 1" and restored.address == "Jl. Pahlawan 12"


def test_what_cannot_be_undone_safely_is_refused_with_names(merged, offices, users):
    keep, copy, _record = merged
    merge = Merge.objects.get(keep=keep)
    # A later merge into the same business must be undone first.
    third = make_business("33.16.02.2016", "Bakso Slamet Cabang", offices=[offices["blora"]])
    merge_businesses(keep=keep, merged=third, actor=users["blora_officer"])
    with pytest.raises(LinkageRefused, match="Bakso Slamet Cabang"):
        undo_merge(merge, actor=users["blora_officer"])
    undo_merge(Merge.objects.get(merged_id=third.pk), actor=users["blora_officer"])
    # The NIB the absorbed business had is now another's.
    keep.refresh_from_db()
    keep.nib = ""
    keep.save()
    make_business("33.16.01.2001", "Bakso Tiruan", nib="9120001234567")
    with pytest.raises(LinkageRefused, match="NIB 9120001234567 sekarang dipakai Bakso Tiruan"):
        undo_merge(merge, actor=users["blora_officer"])
    Business.objects.filter(name="Bakso Tiruan").update(nib="")
    # Past the period.
    Merge.objects.filter(pk=merge.pk).update(merged_at=timezone.now() - dt.timedelta(days=31))
    merge.refresh_from_db()
    with pytest.raises(LinkageRefused, match="30 hari"):
        undo_merge(merge, actor=users["blora_officer"])
    # Nobody outside the office undoes it.
    Merge.objects.filter(pk=merge.pk).update(merged_at=timezone.now())
    merge.refresh_from_db()
    with pytest.raises(PermissionDenied, match="berwenang"):
        undo_merge(merge, actor=users["pesawaran_officer"])
    assert undo_merge(merge, actor=users["blora_officer"]).pk == copy.pk


def test_a_merge_recorded_before_undo_existed_is_refused(merged, users):
    keep, _copy, _record = merged
    merge = Merge.objects.get(keep=keep)
    Merge.objects.filter(pk=merge.pk).update(moved={})
    merge.refresh_from_db()
    with pytest.raises(LinkageRefused, match="sebelum"):
        undo_merge(merge, actor=users["blora_officer"])


def test_a_merged_list_row_keeps_its_link_through_merge_and_undo(registry, partner_file, offices, users):
    source = load_source(
        path=partner_file,
        office=offices["blora"],
        actor=users["blora_officer"],
        name="x",
        agency=offices["blora_industry"],
    )
    run_linkage(source, actor=users["blora_officer"])
    record = source.records.filter(business__isnull=False).first()
    linked = record.business
    other = make_business(linked.village_id, f"{linked.name} Dua", offices=[offices["blora"]])
    merge_businesses(keep=other, merged=linked, actor=users["blora_officer"])
    record.refresh_from_db()
    assert record.business == other
    assert offices["blora_industry"] in other.fostering_offices.all()  # the agency came with its row
    undo_merge(Merge.objects.get(merged_id=linked.pk), actor=users["blora_officer"])
    record.refresh_from_db()
    assert record.business_id == linked.pk
    assert offices["blora_industry"] not in other.fostering_offices.all()  # and leaves with it
    assert offices["blora_industry"] in Business.objects.get(pk=linked.pk).fostering_offices.all()


def test_the_merge_admin_shows_what_moved_with_niks_masked(registry, offices, users, client):
    keep, copy = registry[12], make_business("33.16.02.2016", "Bakso Pak Slamet", offices=[offices["blora"]])
    nik = Person.objects.get(pk=copy.owner_id).nik
    for business in (keep, copy):  # the same row decided for both: the copy's decision goes with it
        PairDecision.objects.create(
            office=offices["blora"], record_key=f"nik:{nik}", business=business, decision=Decision.DIFFERENT
        )
    merge_businesses(keep=keep, merged=copy, actor=users["blora_officer"])
    merge = Merge.objects.get(keep=keep)
    assert merge.moved["pair_decisions_dropped"][0]["record_key"] == f"nik:{nik}"
    client.force_login(users["blora_admin"])
    page = client.get(reverse("admin:linkage_merge_change", args=[merge.pk])).content.decode()
    assert "pair_decisions_dropped" in page and nik not in page and nik[:6] + "**********" in page


def test_a_umkms_duplicate_flag_opens_its_own_pairs(pak_arif, registry, offices, users, client):
    craft, satay = pak_arif
    twin = slamet_typed_again(offices)
    find_duplicates(offices["blora"], actor=users["blora_officer"])
    client.force_login(users["blora_officer"])
    assert pair_of(registry[12], twin).probability > pair_of(craft, satay).probability  # first in the whole queue
    profile = client.get(reverse("registry:business_detail", args=[satay.pk])).content.decode()
    link = f"{reverse('linkage:duplicates')}?umkm={satay.pk}"
    assert link in profile  # the flag's remedy
    page = client.get(link).content.decode()
    assert "Kerajinan Jati Pak Arif" in page and "Bakso Pak Slamet" not in page
    assert f'name="umkm" value="{satay.pk}"' in page
    arif = pair_of(craft, satay)
    response = client.post(
        reverse("linkage:duplicate_decide", args=[arif.pk]), {"decision": "different", "umkm": satay.pk}
    )
    assert response.status_code == 302 and response["Location"] == link
    page = client.get(link).content.decode()
    assert "Tidak ada lagi dugaan duplikat untuk Sate Ayam Blora Pak Arif" in page
