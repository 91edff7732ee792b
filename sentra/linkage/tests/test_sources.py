"""An agency's list loaded as a source, linked to the registry, reviewed, reused and undone."""

import pytest
from django.core.exceptions import PermissionDenied

from sentra.linkage.models import Candidate, Decision, LinkKind, PairDecision
from sentra.linkage.selectors import review_queue, sources_for
from sentra.linkage.services import decide, load_source, run_linkage, unlink
from sentra.linkage.tests.partner_data import PARTNER
from sentra.registry.models import Business

pytestmark = pytest.mark.django_db


def load(partner_file, offices, users, name="Binaan Disperin 2026"):
    return load_source(
        path=partner_file,
        office=offices["blora"],
        actor=users["blora_officer"],
        name=name,
        agency=offices["blora_industry"],
    )


def test_a_partner_list_links_to_the_registry_and_the_agency_fosters_what_it_lists(
    registry, partner_file, offices, users
):
    source = load(partner_file, offices, users)
    assert source.record_count == len(PARTNER)
    assert source.roles == {
        "person_name": "NAMA PEMILIK",
        "business_name": "NAMA USAHA",
        "phone": "NO HP",
        "area": "DESA",
        "text": "PRODUK",
    }
    counts = run_linkage(source, actor=users["blora_officer"])
    records = {record.row_number - 1: record for record in source.records.all()}
    expected = {index: PARTNER[index - 1][5] for index in records}
    wrong = [
        (index, record.business_id)
        for index, record in records.items()
        if record.business_id and (expected[index] is None or record.business_id != registry[expected[index]].pk)
    ]
    assert not wrong, "a record was linked to the wrong business"
    queued = {candidate.record_id for candidate in review_queue(source)}
    for index, record in records.items():
        if expected[index] is not None:
            # Every listed UMKM is linked, or waits for review with the right business among its candidates.
            assert record.business_id or (
                record.pk in queued and record.candidates.filter(business=registry[expected[index]]).exists()
            ), PARTNER[index - 1]
    assert counts["linked"] + counts["queued"] + counts["unmatched"] == len(PARTNER)
    linked = [record for record in records.values() if record.business_id]
    assert linked and all(record.link_kind == LinkKind.AUTO for record in linked)
    for record in linked:
        assert offices["blora_industry"] in record.business.fostering_offices.all()


def test_decisions_link_and_are_reused_when_the_list_is_loaded_again(registry, partner_file, offices, users):
    source = load(partner_file, offices, users)
    run_linkage(source, actor=users["blora_officer"])
    for record in source.records.filter(business__isnull=False):
        unlink(record, actor=users["blora_officer"])  # start from an empty review state
    candidates = list(Candidate.objects.filter(record__source=source).select_related("record", "business"))
    assert candidates
    same = next(c for c in candidates if c.business.name == "Bakso Slamet")
    decide(same, decision=Decision.SAME, actor=users["blora_officer"])
    same.record.refresh_from_db()
    assert same.record.business == same.business and same.record.link_kind == LinkKind.CONFIRMED
    assert offices["blora_industry"] in same.business.fostering_offices.all()

    others = [c for c in candidates if c.record_id != same.record_id]
    different = others[0]
    decide(different, decision=Decision.DIFFERENT, actor=users["blora_officer"])
    assert PairDecision.objects.filter(decision=Decision.DIFFERENT, business=different.business).exists()

    # Next year's copy of the same list: the officer's answers come back without asking again.
    again = load(partner_file, offices, users, name="Binaan Disperin 2027")
    run_linkage(again, actor=users["blora_officer"])
    bakso = again.records.get(row_number=same.record.row_number)
    assert bakso.business == same.business and bakso.link_kind == LinkKind.CONFIRMED
    repeated = Candidate.objects.get(record__source=again, record__row_number=different.record.row_number,
                                     business=different.business)  # fmt: skip
    assert repeated.decision == Decision.DIFFERENT
    assert repeated.record.business_id != different.business_id


def test_unlinking_stops_the_agency_fostering_unless_another_record_still_links(registry, partner_file, offices, users):
    source = load(partner_file, offices, users)
    run_linkage(source, actor=users["blora_officer"])
    record = source.records.filter(business__isnull=False).first()
    assert record is not None
    business = record.business
    unlink(record, actor=users["blora_officer"])
    record.refresh_from_db()
    assert record.business is None
    assert offices["blora_industry"] not in Business.objects.get(pk=business.pk).fostering_offices.all()
    assert offices["blora"] in business.fostering_offices.all()  # the office's own fostering stays


def test_sources_stay_inside_their_office(registry, partner_file, offices, users):
    source = load(partner_file, offices, users)
    assert source in sources_for(users["blora_officer"])
    assert source not in sources_for(users["pesawaran_officer"])
    with pytest.raises(PermissionDenied):
        load_source(
            path=partner_file,
            office=offices["blora"],
            actor=users["pesawaran_officer"],
            name="x",
            agency=offices["blora_industry"],
        )
    run_linkage(source, actor=users["blora_officer"])
    candidate = Candidate.objects.filter(record__source=source).first()
    with pytest.raises(PermissionDenied):
        decide(candidate, decision=Decision.SAME, actor=users["pesawaran_officer"])
