"""Agency lists as agencies write them: a NIK column, TELP, title rows and a signature block; roles corrected
by the officer; rows linked by hand or registered as new UMKM; engine errors never shown."""

import itertools

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import make_business, run_queued_tasks
from sentra.linkage import selectors as services_selectors
from sentra.linkage import services
from sentra.linkage.models import Decision, LinkKind, PairDecision, Source, SourceRecord, SourceStatus
from sentra.linkage.roles import ASSIGNABLE_ROLES
from sentra.linkage.services import LinkageRefused, load_source, run_linkage
from sentra.linkage.tests.partner_data import REGISTRY
from sentra.registry.models import Business, Person

pytestmark = pytest.mark.django_db

HEADER = ["NO", "NAMA PERUSAHAAN", "NAMA PEMILIK", "NIK", "DESA", "TELP"]
# (business, owner, NIK, village, phone, registry index it is): NIKs as typed, some missing.
ROWS = [
    ("UD SUMBER REJEKI", "HJ. SITI AMINAH", "3316014512800001", "BANGKLEYAN", "0812-2900-1111", 0),
    ("CV. MAJU JAYA", "DRS. H. MOH. YUSUF", "3316010203750002", "DS. PELEM", "-", 1),
    ("BATIK LESTARI", "SOEDJATMIKO", "3316011508650003", "SINGGET", "belum ada", 2),
    ("KERUPUK", "AHMAD FAUZI", "3316022011900005", "PILANG", "", 4),  # a short name: the NIK links it
    ("SALON", "DEWI L.", "3316034406920009", "NGINGGIL", "0815-2900-1119", 7),
    ("PERCETAKAN HENDRA", "HENDRA GUNAWAN", "-", "KEL. RANDULAWANG", "081229008888", None),
]


def agency_workbook(path, rows=ROWS, header=HEADER):
    """An xlsx as an industry office sends it: a title above, the table, a signature block under it."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Binaan 2026")
    sheet.write_row(0, 0, ["DAFTAR IKM BINAAN DINAS PERINDUSTRIAN KABUPATEN BLORA"])
    sheet.write_row(1, 0, ["TAHUN 2026"])
    sheet.write_row(3, 0, header)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(3 + number, 0, [number, *row[: len(header) - 1]])
    end = 4 + len(rows) + 2
    for offset, line in enumerate(["Blora, 24 November 2026", "Kepala Dinas", "", "Ir. BUDI SANTOSO", "NIP. 1970"]):
        sheet.write(end + offset, 2, line)
    workbook.close()
    return path


def load(path, offices, users):
    return load_source(
        path=path,
        office=offices["blora"],
        actor=users["blora_officer"],
        name="IKM 2026",
        agency=offices["blora_industry"],
    )


def test_a_list_with_a_nik_column_and_telp_links(registry, offices, users, tmp_path):
    source = load(agency_workbook(tmp_path / "ikm.xlsx"), offices, users)
    assert source.roles == {
        "business_name": "NAMA PERUSAHAAN",
        "person_name": "NAMA PEMILIK",
        "identifier": "NIK",
        "area": "DESA",
        "phone": "TELP",  # TELP is a phone
    }
    assert source.record_count == len(ROWS)  # the title and signature lines are not rows
    assert source.columns == HEADER
    counts = run_linkage(source, actor=users["blora_officer"])
    assert counts["linked"] >= 4
    for record in source.records.all():
        expected = ROWS[record.row_number - 5][5]
        if record.business_id:
            assert expected is not None and record.business == registry[expected], record.data
    linked = {record.row_number - 5 for record in source.records.filter(business__isnull=False)}
    assert {0, 1, 2, 3} <= linked  # the NIK links "KERUPUK" of AHMAD FAUZI despite its bare name


ROLE_COLUMNS = {
    "business_name": "NAMA PERUSAHAAN",
    "person_name": "NAMA PEMILIK",
    "identifier": "NIK",
    "area": "DESA",
    "phone": "TELP",
}


@pytest.mark.parametrize("absent", [None, *ROLE_COLUMNS])
@pytest.mark.parametrize("registry_blank", [None, "identifier", "phone"])
def test_linking_works_with_every_role_present_or_absent_on_either_side(
    registry, offices, users, tmp_path, absent, registry_blank
):
    header = [column for column in HEADER if column != ROLE_COLUMNS.get(absent)]
    keep = [HEADER.index(column) - 1 for column in header[1:]]
    rows = [tuple(row[i] for i in keep) + (row[5],) for row in ROWS]
    if registry_blank == "identifier":
        Person.objects.update(nik=None)
    elif registry_blank == "phone":
        Person.objects.update(phone="")
    source = load(agency_workbook(tmp_path / "ikm.xlsx", rows, header), offices, users)
    assert (absent in source.roles) is False if absent else True
    counts = run_linkage(source, actor=users["blora_officer"])
    assert sum(counts.values()) == len(ROWS)
    for record in source.records.filter(business__isnull=False):
        expected = rows[record.row_number - 5][-1]
        assert expected is not None and record.business == registry[expected]
    found = 0
    for record in source.records.all():
        expected = rows[record.row_number - 5][-1]
        if expected is not None:
            # Linked, or waiting for review with the right business among its candidates.
            found += bool(record.business_id or record.candidates.filter(business=registry[expected]).exists())
    assert found >= 4, counts


def test_the_officer_corrects_a_columns_role_and_the_list_links_again(
    registry, offices, users, tmp_path, django_capture_on_commit_callbacks
):
    header = ["NO", "NAMA PERUSAHAAN", "NAMA PEMILIK", "NO. INDUK", "KELURAHAN/DESA", "KONTAK PERSON"]
    source = load(agency_workbook(tmp_path / "ikm.xlsx", ROWS, header), offices, users)
    assert "phone" not in source.roles  # KONTAK PERSON is not known as a phone
    roles = {role: "" for role in ASSIGNABLE_ROLES} | {
        "business_name": "NAMA PERUSAHAAN",
        "person_name": "NAMA PEMILIK",
        "identifier": "NO. INDUK",
        "phone": "KONTAK PERSON",
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.set_roles(source, roles=roles, actor=users["blora_officer"])
    source.refresh_from_db()
    assert source.status == SourceStatus.QUEUED
    assert source.roles["phone"] == "KONTAK PERSON" and "area" not in source.roles
    first = source.records.get(row_number=5)
    assert first.phone == "0812-2900-1111" and first.nik == "3316014512800001" and first.area == ""
    run_queued_tasks()
    source.refresh_from_db()
    assert source.status == SourceStatus.LINKED
    assert source.records.get(row_number=5).business == registry[0]

    with pytest.raises(LinkageRefused, match="dua peran"):
        services.set_roles(
            source, roles={"person_name": "NAMA PEMILIK", "business_name": "NAMA PEMILIK"}, actor=users["blora_officer"]
        )
    with pytest.raises(LinkageRefused, match="nama pemilik atau nama usaha"):
        services.set_roles(source, roles={"phone": "KONTAK PERSON"}, actor=users["blora_officer"])
    with pytest.raises(LinkageRefused, match="tidak ada"):
        services.set_roles(source, roles={"person_name": "NAMA"}, actor=users["blora_officer"])
    with pytest.raises(PermissionDenied):
        services.set_roles(source, roles=roles, actor=users["pesawaran_officer"])


def test_an_engine_error_reaches_the_officer_in_indonesian_and_the_log_in_full(
    registry, offices, users, tmp_path, caplog, django_capture_on_commit_callbacks
):
    header = ["NO", "NAMA PERUSAHAAN", "NAMA PEMILIK", "CATATAN"]
    rows = [("", "", "catatan", None) for _ in range(3)]
    path = tmp_path / "kosong.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, header)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, [number, *row[:3]])
    workbook.close()
    source = Source.objects.create(office=offices["blora"], agency=offices["blora_industry"], name="x", file_name="x")
    SourceRecord.objects.bulk_create(
        [SourceRecord(source=source, row_number=i, data={"CATATAN": "-"}, business_name="-") for i in range(3)]
    )
    source.roles = {"business_name": "CATATAN"}
    source.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_linkage(source, actor=users["blora_officer"])
    with caplog.at_level("WARNING", logger="sentra.linkage.services"):
        run_queued_tasks()
    source.refresh_from_db()
    assert source.status == SourceStatus.FAILED
    assert "Kolom yang dipilih tidak cukup" in source.error
    assert not any(word in source.error for word in ("role", "Column", "column", "Nothing"))
    assert "Nothing to compare" in caplog.text


def test_a_row_is_linked_by_hand_and_the_link_is_remembered(registry, offices, users, tmp_path):
    source = load(agency_workbook(tmp_path / "ikm.xlsx"), offices, users)
    run_linkage(source, actor=users["blora_officer"])
    hendra = source.records.get(person_name="HENDRA GUNAWAN")
    assert hendra.business_id is None
    target = registry[1]
    services.link_by_hand(hendra, target, actor=users["blora_officer"])
    hendra.refresh_from_db()
    assert hendra.business == target and hendra.link_kind == LinkKind.CONFIRMED
    assert offices["blora_industry"] in target.fostering_offices.all()
    assert PairDecision.objects.get(record_key=hendra.key(), business=target).decision == Decision.SAME

    again = load(agency_workbook(tmp_path / "ikm-2027.xlsx"), offices, users)
    run_linkage(again, actor=users["blora_officer"])
    assert again.records.get(person_name="HENDRA GUNAWAN").business == target  # reused, though never found

    elsewhere = make_business("18.09.01.2001", "Keripik Way Lima", owner_name="Hendra Gunawan")
    with pytest.raises(LinkageRefused, match="tidak dapat Anda ubah"):
        services.link_by_hand(again.records.get(row_number=5), elsewhere, actor=users["blora_officer"])


def test_the_pick_search_shows_an_owner_kept_elsewhere_by_name_only(client, registry, offices, users, tmp_path):
    source = load(agency_workbook(tmp_path / "ikm.xlsx"), offices, users)
    hendra = source.records.get(person_name="HENDRA GUNAWAN")
    # An owner at home in Pesawaran who also has a business in Blora.
    pesawaran = make_business("18.09.01.2001", "Sablon Hendra Lampung", owner_name="Hendra Gunawan")
    Person.objects.filter(pk=pesawaran.owner_id).update(phone="+6281277776666", home_regency_id="18.09")
    blora = Business.objects.create(name="Sablon Hendra", owner=pesawaran.owner, village_id="33.16.01.2004")
    client.force_login(users["blora_officer"])
    page = client.get(f"/padanan/baris/{hendra.pk}/?q=sablon hendra").content.decode()
    assert "Sablon Hendra" in page and "Sablon Hendra Lampung" not in page  # another regency's business: no
    assert "6281277776666" not in page and "180901" not in page  # nor the phone or NIK kept in Pesawaran
    response = client.post(f"/padanan/baris/{hendra.pk}/tautkan/", {"business": blora.pk})
    assert response.status_code == 302
    hendra.refresh_from_db()
    assert hendra.business == blora


def test_a_row_is_registered_as_a_new_umkm_from_the_add_form(client, registry, offices, users, tmp_path):
    source = load(agency_workbook(tmp_path / "ikm.xlsx"), offices, users)
    hendra = source.records.get(person_name="HENDRA GUNAWAN")
    client.force_login(users["blora_officer"])
    page = client.get(f"/umkm/tambah/?dari_baris={hendra.pk}").content.decode()
    # Names as the registry writes them, not in the agency's capitals; where the row came from, said.
    assert 'value="Percetakan Hendra"' in page and 'value="Hendra Gunawan"' in page
    assert f"Diisi dari baris {hendra.row_number} daftar “IKM 2026”" in page
    assert 'value="+6281229008888"' in page
    assert 'value="33.16.01.2010" selected' in page  # Randulawang, found by name
    form = {
        "owner-full_name": "HENDRA GUNAWAN",
        "owner-sex": "L",
        "owner-phone": "+6281229008888",
        "business-name": "Percetakan Hendra",
        "business-village": "33.16.01.2010",
        "business-legal_form": "perorangan",
        "business-status": "active",
        "business-maturity": "traditional",
        "business-fostering_offices": [offices["blora"].pk, offices["blora_industry"].pk],
        **{
            f"business-workers_{kind}_{sex}": 0
            for kind, sex in itertools.product(("paid", "unpaid"), ("male", "female"))
        },
    }
    response = client.post(f"/umkm/tambah/?dari_baris={hendra.pk}", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Business.objects.get(name="Percetakan Hendra")
    hendra.refresh_from_db()
    assert hendra.business == created and hendra.link_kind == LinkKind.CONFIRMED
    # Another office's row, or one already linked, prefills nothing.
    assert 'value="Percetakan Hendra"' not in client.get(f"/umkm/tambah/?dari_baris={hendra.pk}").content.decode()
    # A NIK gives the owner's sex and birth date (DEWI L.: 3316034406920009, a woman born 4 Jun 1992).
    dewi = source.records.get(person_name="DEWI L.")
    page = client.get(f"/umkm/tambah/?dari_baris={dewi.pk}").content.decode()
    assert '<option value="P" selected>' in page and 'value="1992-06-04"' in page
    client.force_login(users["pesawaran_officer"])
    page = client.get(f"/umkm/tambah/?dari_baris={hendra.pk}").content.decode()
    assert 'value="Percetakan' not in page and "Diisi dari baris" not in page


def test_the_registry_has_every_role_the_officer_can_assign(registry, offices, users):
    row = services.registry_rows(offices["blora"], users["blora_officer"])[0]
    assert set(ASSIGNABLE_ROLES) <= set(row)
    assert len(REGISTRY) == len(services.registry_rows(offices["blora"], users["blora_officer"]))


def test_pages_show_the_lists_niks_masked(client, registry, offices, users, tmp_path):
    source = load(agency_workbook(tmp_path / "ikm.xlsx"), offices, users)
    run_linkage(source, actor=users["blora_officer"])
    client.force_login(users["blora_officer"])
    pages = [client.get(f"/padanan/{source.pk}/").content.decode()]
    pages += [client.get(f"/padanan/baris/{record.pk}/").content.decode() for record in source.records.all()]
    pages.append(client.get(f"/padanan/{source.pk}/tinjau/").content.decode())
    for page in pages:
        for row in ROWS:
            if row[2] != "-":
                assert row[2] not in page
    assert "331601**********" in pages[0]


def receive(path, offices, users, **options):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(path.name, path.read_bytes())
    return services.receive_source(
        upload=upload,
        office=offices["blora"],
        actor=users["blora_officer"],
        name="IKM 2026",
        agency=offices["blora_industry"],
        **options,
    )


def test_a_list_without_a_recognised_name_column_waits_for_the_officers_roles(
    registry, offices, users, tmp_path, django_capture_on_commit_callbacks
):
    header = ["NO", "NAMA IKM", "PENANGGUNG JAWAB", "NIK", "DESA", "TELP"]
    with django_capture_on_commit_callbacks(execute=True):
        source = receive(agency_workbook(tmp_path / "ikm.xlsx", ROWS, header), offices, users)
    run_queued_tasks()
    source.refresh_from_db()
    assert source.status == SourceStatus.LOADED and source.record_count == len(ROWS)  # kept, not refused
    assert "nama pemilik atau nama usaha" in source.error and "Periksa peran kolom" in source.error
    assert not source.records.filter(business__isnull=False).exists()
    roles = {"business_name": "NAMA IKM", "person_name": "PENANGGUNG JAWAB", "identifier": "NIK", "area": "DESA"}
    with django_capture_on_commit_callbacks(execute=True):
        services.set_roles(source, roles=roles, actor=users["blora_officer"])
    run_queued_tasks()
    source.refresh_from_db()
    assert source.status == SourceStatus.LINKED and source.error == ""
    assert source.records.get(row_number=5).business == registry[0]


def test_the_officer_may_check_the_roles_before_anything_links(
    client, registry, offices, users, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        source = receive(agency_workbook(tmp_path / "ikm.xlsx"), offices, users, check_roles=True)
    run_queued_tasks()
    source.refresh_from_db()
    assert source.status == SourceStatus.LOADED and source.roles["identifier"] == "NIK"
    assert not source.records.filter(business__isnull=False).exists()
    client.force_login(users["blora_officer"])
    page = client.get(f"/padanan/{source.pk}/").content.decode()
    assert "Simpan peran dan cocokkan" in page and '<details class="card" open>' in page
    form = {f"column-{i}": "" for i in range(len(HEADER))}
    form |= {"column-1": "business_name", "column-2": "person_name", "column-3": "identifier", "column-5": "phone"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/padanan/{source.pk}/kolom/", form)
    run_queued_tasks()
    source.refresh_from_db()
    assert source.status == SourceStatus.LINKED and "area" not in source.roles
    assert source.records.filter(business__isnull=False).count() >= 3
    # One role for two columns is refused with both names.
    response = client.post(f"/padanan/{source.pk}/kolom/", form | {"column-4": "phone"}, follow=True)
    assert "Peran Nomor HP dipilih untuk dua kolom: DESA dan TELP" in response.content.decode()


def test_the_owners_business_in_another_village_is_held_not_linked(client, registry, offices, users, tmp_path):
    """Same NIK, same name, another village: perhaps a second outlet; never linked unasked, never "100%"."""
    from sentra.linkage.engine import OTHER_BUSINESS_CAP
    from sentra.linkage.models import Candidate

    original = registry[0]  # UD Sumber Rejeki, Bangkleyan
    outlet = Business.objects.create(name="Sumber Rejeki", owner=original.owner, village_id="33.16.01.2004")
    outlet.fostering_offices.set([offices["blora"]])
    rows = [("UD SUMBER REJEKI", "HJ. SITI AMINAH", "3316014512800001", "BANGKLEYAN", "0812-2900-1111")]
    source = load(agency_workbook(tmp_path / "ikm.xlsx", rows=rows), offices, users)
    run_linkage(source, actor=users["blora_officer"])
    held = Candidate.objects.get(record__source=source, business=outlet)
    assert held.evidence["held"] == ["village"] and held.probability < OTHER_BUSINESS_CAP
    assert source.records.get().business == original


def test_the_review_counts_rows_and_pairs_and_never_says_100(client, registry, offices, users, tmp_path):
    from sentra.linkage.models import Candidate

    rows = [("PERCETAKAN HENDRA", "HENDRA GUNAWAN", "-", "KEL. RANDULAWANG", "081229008888")]
    source = load(agency_workbook(tmp_path / "ikm.xlsx", rows=rows), offices, users)
    record = source.records.get()
    Candidate.objects.filter(record=record).delete()
    Candidate.objects.create(record=record, business=registry[0], probability=0.9999, evidence={})
    Candidate.objects.create(record=record, business=registry[1], probability=0.9998, evidence={"held": ["village"]})
    client.force_login(users["blora_officer"])
    page = client.get(reverse("linkage:review", args=[source.pk])).content.decode()
    assert "1 baris menunggu keputusan (2 pasangan calon)" in page
    assert "100%" not in page and page.count("99%") == 2


def test_the_pick_search_forgives_the_agencys_typo_and_puts_the_rows_village_first(
    client, registry, offices, users, tmp_path
):
    """`SUMBER RJEKI` finds UD Sumber Rejeki, though the registry's search needs every word; of two alike
    names, the one in the row's village comes first."""
    twin = Business.objects.create(name="Sumber Rejeki", owner=registry[3].owner, village_id="33.16.01.2004")
    twin.fostering_offices.set([offices["blora"]])
    rows = [("SUMBER RJEKI", "SITI AMINA", "-", "BANGKLEYAN", "-")]
    source = load(agency_workbook(tmp_path / "ikm.xlsx", rows=rows), offices, users)
    record = source.records.get()
    picks = [
        pick.business for pick in services_selectors.businesses_to_link(users["blora_officer"], "sumber rjeki", record)
    ]
    assert picks[:2] == [registry[0], twin]  # Bangkleyan first, then Pelem
    assert registry[2] not in picks  # Batik Lestari: nothing alike
    client.force_login(users["blora_officer"])
    page = client.get(reverse("linkage:record_detail", args=[record.pk])).content.decode()
    assert 'value="sumber rjeki"' in page.lower() and "UD Sumber Rejeki" in page
    assert page.count("desa baris ini") == 1


def test_the_list_page_marks_rows_awaiting_review_and_rows_linked_to_one_business(
    client, registry, offices, users, tmp_path
):
    from sentra.linkage.models import Candidate

    rows = [
        ("JATI LANCAR", "ARI MULYADI", "-", "BANGKLEYAN", "-"),
        ("KERAJINAN JATI LANCAR", "ARY MULYADI", "-", "BANGKLEYAN", "-"),
        ("PERCETAKAN HENDRA", "HENDRA GUNAWAN", "-", "KEL. RANDULAWANG", "-"),
    ]
    source = load(agency_workbook(tmp_path / "ikm.xlsx", rows=rows), offices, users)
    first, second, third = source.records.order_by("row_number")
    Candidate.objects.filter(record__source=source).delete()
    SourceRecord.objects.filter(pk__in=[first.pk, second.pk]).update(business=registry[0], link_kind="auto")
    SourceRecord.objects.filter(pk=third.pk).update(business=None)
    Candidate.objects.create(record=third, business=registry[1], probability=0.7, evidence={})
    client.force_login(users["blora_officer"])
    page = client.get(reverse("linkage:source_detail", args=[source.pk])).content.decode()
    assert f"juga ditautkan dari baris {second.row_number}: periksa" in page
    assert f"juga ditautkan dari baris {first.row_number}: periksa" in page
    review = reverse("linkage:review", args=[source.pk])
    assert f'href="{review}?baris={third.pk}"' in page and "ada calon: tinjau" in page
    assert "CV Maju Jaya" in client.get(f"{review}?baris={third.pk}").content.decode()


def test_a_row_without_its_village_or_with_another_is_still_proposed(client, registry, offices, users, tmp_path):
    """No NIK, no phone: the owner's and business's names alone bring the registered UMKM to the review,
    whether the agency left the village blank or wrote another one (held, then)."""
    from sentra.linkage.models import Candidate

    rows = [
        *ROWS[:2],  # rows with NIKs, as the rest of a real list
        ("BATIK TULIS LESTARI", "SOEDJATMIKO", "", "", ""),  # registered in Singget
        ("BAKSO SLAMET", "SLAMET RIYANTO", "", "BANGKLEYAN", ""),  # registered in Tanggel
    ]
    source = load(agency_workbook(tmp_path / "ikm.xlsx", rows=rows), offices, users)
    run_linkage(source, actor=users["blora_officer"])
    blank, elsewhere = source.records.order_by("row_number")[2:]
    assert Candidate.objects.filter(record=blank, business=registry[2]).exists() or blank.business == registry[2]
    held = Candidate.objects.get(record=elsewhere, business=registry[12])
    assert "village" in held.evidence["held"] and elsewhere.business is None


def test_the_owners_other_business_in_the_same_village_is_held_not_linked(client, registry, offices, users, tmp_path):
    """Same owner, phone and village, but a business sharing one word of its name and no product: maybe
    the owner's other business; the officer decides, and the review says why it waits."""
    from sentra.linkage.models import Candidate

    rows = [
        *ROWS[1:3],
        ("MEBEL SUMBER ABADI", "HJ. SITI AMINAH", "", "BANGKLEYAN", "0812-2900-1111"),  # UD Sumber Rejeki's owner
    ]
    source = load(agency_workbook(tmp_path / "ikm.xlsx", rows=rows), offices, users)
    run_linkage(source, actor=users["blora_officer"])
    record = source.records.order_by("row_number").last()
    assert record.business is None
    held = Candidate.objects.get(record=record, business=registry[0])
    assert held.evidence["held"] == ["business_name"]
    client.force_login(users["blora_officer"])
    page = client.get(reverse("linkage:review", args=[source.pk])).content.decode()
    assert "Tidak ditautkan otomatis: nama usaha berbeda" in page
    assert "hanya satu kata sama" in page  # the evidence says why too, not "mendukung"


def test_a_list_with_names_alone_is_still_proposed(client, registry, offices, users, tmp_path):
    """No NIK or phone column: nothing for the deterministic rules to find, yet the names bring the
    registered UMKM to the review (the prior is not taken to be nothing)."""
    from sentra.linkage.models import Candidate

    header = ["NO", "NAMA PERUSAHAAN", "NAMA PEMILIK", "DESA"]
    rows = [
        ("BATIK TULIS LESTARI", "SOEDJATMIKO", "SINGGET"),
        ("JAMU RINA", "RINA MARLINA", ""),
        ("KOPI BAMBANG", "BAMBANG RIYADI", "RANDULAWANG"),
    ]
    source = load(agency_workbook(tmp_path / "ikm.xlsx", rows=rows, header=header), offices, users)
    run_linkage(source, actor=users["blora_officer"])
    for record, business in zip(
        source.records.order_by("row_number"), (registry[2], registry[9], registry[10]), strict=True
    ):
        assert record.business == business or Candidate.objects.filter(record=record, business=business).exists()
