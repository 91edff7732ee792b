"""The linkage pages: load a list, review a pair side by side, decide, undo; only inside the office."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import run_queued_tasks
from sentra.linkage.models import Candidate, Decision, Source, SourceStatus

pytestmark = pytest.mark.django_db


def test_an_officer_loads_a_list_reviews_and_decides(
    client,
    users,
    offices,
    registry,
    partner_file,
    django_capture_on_commit_callbacks,
):
    client.force_login(users["blora_officer"])
    form = client.get(reverse("linkage:source_upload")).content.decode()
    assert "Disperin Blora" in form and "Dinkop Pesawaran" not in form  # partner agencies of the office's area
    upload = SimpleUploadedFile(partner_file.name, partner_file.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("linkage:source_upload"),
            {"file": upload, "name": "Binaan Disperin 2026", "agency": offices["blora_industry"].pk},
        )
    source = Source.objects.get()
    # The list is kept privately and read by the worker, not in the request.
    assert response.status_code == 302 and source.status == SourceStatus.UPLOADED and not source.records.exists()
    waiting = client.get(response["Location"]).content.decode()
    assert "Berkas sedang dibaca" in waiting and 'hx-trigger="every 2s"' in waiting
    run_queued_tasks()
    source.refresh_from_db()
    assert source.status == SourceStatus.LINKED
    page = client.get(reverse("linkage:source_detail", args=[source.pk])).content.decode()
    assert "tertaut ke UMKM terdaftar" in page

    # Put one linked record back in the queue, then decide it on the review page.
    record = source.records.filter(business__isnull=False).first()
    client.post(reverse("linkage:unlink", args=[record.pk]))
    record.refresh_from_db()
    assert record.business is None
    page = client.get(reverse("linkage:review", args=[source.pk])).content.decode()
    assert "Bukti" in page and "UMKM yang sama" in page
    candidate = Candidate.objects.filter(record__source=source, record__business__isnull=True).first()
    client.post(reverse("linkage:decide", args=[candidate.pk]), {"decision": "same"})
    candidate.refresh_from_db()
    assert candidate.decision == Decision.SAME and candidate.record.business == candidate.business


def test_another_regency_never_sees_the_source(
    client,
    users,
    offices,
    registry,
    partner_file,
    django_capture_on_commit_callbacks,
):
    from sentra.linkage.services import load_source, run_linkage

    source = load_source(
        path=partner_file,
        office=offices["blora"],
        actor=users["blora_officer"],
        name="Binaan Disperin",
        agency=offices["blora_industry"],
    )
    run_linkage(source, actor=users["blora_officer"])
    candidate = Candidate.objects.filter(record__source=source).first()
    record = source.records.first()
    client.force_login(users["pesawaran_officer"])
    for url in (
        reverse("linkage:source_detail", args=[source.pk]),
        reverse("linkage:review", args=[source.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("linkage:decide", args=[candidate.pk]), {"decision": "same"}).status_code == 404
    assert client.post(reverse("linkage:unlink", args=[record.pk])).status_code == 404
    assert client.post(reverse("linkage:source_link", args=[source.pk])).status_code == 404
    assert "Binaan Disperin" not in client.get(reverse("linkage:source_list")).content.decode()
    client.force_login(users["blora_viewer"])  # same office: sees, changes nothing
    assert client.get(reverse("linkage:source_detail", args=[source.pk])).status_code == 200
    assert client.post(reverse("linkage:decide", args=[candidate.pk]), {"decision": "same"}).status_code == 403


def test_the_duplicates_page_merges_a_pair(client, users, offices, registry, django_capture_on_commit_callbacks):
    from conftest import make_business
    from sentra.registry.models import Business, Person

    again = make_business("33.16.02.2016", "Bakso Pak Slamet", offices=[offices["blora"]], owner_name="Slamet Riyanto")
    Person.objects.filter(pk=again.owner_id).update(nik=None, phone="+6281829001124")
    original = registry[12]
    client.force_login(users["blora_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("linkage:duplicates_search"))
    page = client.get(reverse("linkage:duplicates")).content.decode()
    assert "Pencarian duplikat sedang berjalan" in page
    run_queued_tasks()
    page = client.get(reverse("linkage:duplicates")).content.decode()
    assert "Bakso Pak Slamet" in page and "Bukti" in page
    from sentra.linkage.models import DuplicatePair

    pair = DuplicatePair.objects.get(first_id=min(original.pk, again.pk), second_id=max(original.pk, again.pk))
    client.force_login(users["pesawaran_officer"])  # another office's pair is not found
    assert client.post(reverse("linkage:duplicate_decide", args=[pair.pk]), {"decision": "same"}).status_code == 404
    client.force_login(users["blora_officer"])
    # The first step only says what the merge would do; nothing is merged until the officer confirms.
    response = client.post(
        reverse("linkage:duplicate_decide", args=[pair.pk]), {"decision": "same", "keep": original.pk}
    )
    confirm_url = reverse("linkage:duplicate_merge", args=[pair.pk, original.pk])
    assert response.status_code == 302 and response["Location"] == confirm_url
    assert Business.objects.filter(pk=again.pk).exists()
    confirm = client.get(confirm_url).content.decode()
    assert "Gabungkan dua data UMKM?" in confirm and "Gabungkan ke Bakso Slamet" in confirm
    assert client.get(reverse("linkage:duplicate_merge", args=[pair.pk, 999_999])).status_code == 404
    client.post(
        reverse("linkage:duplicate_decide", args=[pair.pk]), {"decision": "same", "keep": original.pk, "confirmed": "1"}
    )
    assert not Business.objects.filter(pk=again.pk).exists()
    assert client.get(confirm_url).status_code == 404  # a decided pair has nothing left to confirm
    history = client.get(reverse("registry:business_tab", args=[original.pk, "riwayat"])).content.decode()
    assert "digabung dengan Bakso Pak Slamet" in history


def test_the_business_page_names_every_list_it_is_in(client, users, offices, registry, partner_file):
    from sentra.linkage.services import load_source, run_linkage

    source = load_source(
        path=partner_file, office=offices["blora"], actor=users["blora_officer"], name="Binaan Dinas Perikanan",
        agency_name="Dinas Perikanan Blora",
    )  # fmt: skip
    run_linkage(source, actor=users["blora_officer"])
    record = source.records.filter(business__isnull=False).first()
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_detail", args=[record.business_id])).content.decode()
    assert "Dinas Perikanan Blora: Binaan Dinas Perikanan" in page


def test_a_list_left_unnamed_takes_its_files_name(client, users, offices, partner_file):
    client.force_login(users["blora_officer"])
    form = client.get(reverse("linkage:source_upload")).content.decode()
    assert "— pilih instansi —" in form and "---------" not in form
    upload = SimpleUploadedFile("IKM binaan 2026.csv", partner_file.read_bytes())
    response = client.post(reverse("linkage:source_upload"), {"file": upload, "agency": offices["blora_industry"].pk})
    assert response.status_code == 302
    assert Source.objects.get().name == "IKM binaan 2026"
