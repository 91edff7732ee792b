"""The linkage engine on a small hand-made list whose duplicates are known."""

import itertools

import pandas as pd
import pytest

from sentra.linkage.engine import LinkageError, Spec, dedupe, link
from sentra.linkage.tests import records

THRESHOLD = 0.9


def found(result, threshold=THRESHOLD, ordered=False) -> set[tuple[str, str]]:
    pairs = result.pairs[result.pairs["probability"] >= threshold]
    return {
        (a, b) if ordered else tuple(sorted((a, b))) for a, b in zip(pairs["left_id"], pairs["right_id"], strict=True)
    }


@pytest.fixture(scope="module")
def office_dedupe():
    return dedupe(records.office_rows(), Spec("no", records.ROLES), threshold=THRESHOLD, min_probability=0.01)


def test_dedupe_finds_exactly_the_duplicates(office_dedupe):
    assert found(office_dedupe) == records.true_pairs(records.office_rows())


def test_duplicates_without_nik_are_found_through_name_phone_and_village(office_dedupe):
    # E01-b and E02-b have no NIK; E03-b has neither NIK nor phone, only name, village and address.
    assert {("E01-a", "E01-b"), ("E02-a", "E02-b"), ("E03-a", "E03-b")} <= found(office_dedupe)


def test_same_common_name_in_other_villages_is_not_linked(office_dedupe):
    # Three different women named Siti Aminah (E01 in Cepu, E06 in Jepon, E07 in Kedungtuban).
    sitis = {"E01-a", "E01-b", "E06-a", "E07-a"}
    for left, right in found(office_dedupe, threshold=0.5):
        assert not ({left, right} <= sitis and records.entity(left) != records.entity(right))


def test_pairs_carry_probability_weight_and_evidence(office_dedupe):
    pairs = office_dedupe.pairs
    assert list(pairs.columns[:5]) == ["left_id", "right_id", "probability", "match_weight", "blocking_rule"]
    assert {"gamma_person_name", "bf_person_name", "gamma_identifier", "gamma_sex", "bf_phone"} <= set(pairs.columns)
    assert pairs["probability"].is_monotonic_decreasing
    nik_pair = pairs[(pairs["left_id"] == "E04-a") & (pairs["right_id"] == "E04-b")].iloc[0]
    assert nik_pair["gamma_identifier"] > 0 and nik_pair["blocking_rule"] == "identifier"
    no_nik = pairs[(pairs["left_id"] == "E01-a") & (pairs["right_id"] == "E01-b")].iloc[0]
    assert no_nik["gamma_identifier"] == -1  # one side has no NIK: the null level


def test_clusters_hold_every_record_once_numbered_in_input_order(office_dedupe):
    clusters = office_dedupe.clusters
    assert list(clusters.columns) == ["id", "cluster_id"]
    assert list(clusters["id"]) == [row["no"] for row in records.office_rows()]
    assert clusters["cluster_id"].iloc[0] == 1
    by_id = dict(zip(clusters["id"], clusters["cluster_id"], strict=True))
    assert by_id["E01-a"] == by_id["E01-b"] != by_id["E06-a"]
    assert len(set(by_id.values())) == len({records.entity(i) for i in by_id})


def test_timings_and_model_are_reported(office_dedupe):
    assert {"normalise", "train", "predict", "cluster", "total"} <= set(office_dedupe.timings)
    assert office_dedupe.backend == "duckdb" and office_dedupe.threshold == THRESHOLD
    assert office_dedupe.model["link_type"] == "dedupe_only"
    assert office_dedupe.model["probability_two_random_records_match"] > 0


def test_link_finds_the_partner_records_of_the_office_list():
    office, partner = records.office_rows(), records.partner_rows()
    result = link(office, partner, Spec("no", records.ROLES), Spec("no", records.ROLES), threshold=THRESHOLD)
    assert found(result, ordered=True) == records.true_pairs(office, partner)
    clusters = result.clusters
    assert list(clusters.columns) == ["id", "source", "cluster_id"]
    assert len(clusters) == len(office) + len(partner)
    cluster = dict(zip(zip(clusters["source"], clusters["id"], strict=True), clusters["cluster_id"], strict=True))
    assert cluster[("left", "E01-a")] == cluster[("left", "E01-b")] == cluster[("right", "P1")]
    assert cluster[("right", "P5")] not in {cluster[("left", "E01-a")], cluster[("left", "E06-a")]}


def test_link_takes_dataframes_with_their_own_column_names():
    office = pd.DataFrame(records.office_rows())
    partner = pd.DataFrame(records.partner_rows()).rename(
        columns={"no": "ID", "NAMA PEMILIK": "Nama", "HP": "Telepon", "DESA": "Kelurahan", "NAMA USAHA": "Usaha"}
    )
    left = Spec("no", {"person_name": "NAMA PEMILIK", "phone": "HP", "area": "DESA", "business_name": "NAMA USAHA"})
    right = Spec("ID", {"person_name": "Nama", "phone": "Telepon", "area": "Kelurahan", "business_name": "Usaha"})
    result = link(office, partner, left, right, threshold=THRESHOLD)
    pairs = found(result, ordered=True)
    assert {("E01-a", "P1"), ("E04-a", "P3"), ("E15-a", "P8")} <= pairs
    assert pairs <= records.true_pairs(records.office_rows(), records.partner_rows())


def test_any_subset_of_roles_works():
    rows = records.office_rows()
    result = dedupe(rows, Spec("no", {"person_name": "NAMA PEMILIK", "area": "DESA"}), threshold=0.5)
    assert result.roles == ("person_name", "area")
    # Name and village alone: the rarer names link; the four Siti Aminahs stay apart.
    assert {("E02-a", "E02-b"), ("E03-a", "E03-b"), ("E04-a", "E04-b")} <= found(result, threshold=0.5)
    assert found(result, threshold=0.5) <= records.true_pairs(rows)


def test_a_role_one_table_lacks_is_not_compared():
    office, partner = records.office_rows(), records.partner_rows()
    left = Spec("no", {"person_name": "NAMA PEMILIK", "phone": "HP", "area": "DESA", "postcode": "DESA"})
    right = Spec("no", {"person_name": "NAMA PEMILIK", "phone": "HP", "area": "DESA"})
    result = link(office, partner, left, right, threshold=THRESHOLD)
    assert "postcode" not in result.roles
    assert any("postcode" in note for note in result.notes)


def test_without_normalising_spelling_variants_are_not_merged():
    rows = [
        {"id": "1", "nama": "Soedjatmiko", "desa": "Tjepu"},
        {"id": "2", "nama": "Sujatmiko", "desa": "Cepu"},
        {"id": "3", "nama": "Budi", "desa": "Balun"},
    ]
    spec = Spec("id", {"person_name": "nama", "area": "desa"})
    raw = dedupe(rows, spec, normalise=False, threshold=0.5, min_probability=0.0001)
    assert ("1", "2") not in found(raw, threshold=0.0001)  # different skeletons: never even compared


def test_unknown_role_is_refused():
    with pytest.raises(LinkageError, match="Unknown role.*owner_name"):
        Spec("no", {"owner_name": "NAMA"})


def test_missing_column_is_named():
    with pytest.raises(LinkageError, match="'NAMA' not in the table"):
        dedupe(records.office_rows(), Spec("no", {"person_name": "NAMA"}))


def test_duplicate_ids_are_refused():
    rows = records.office_rows()[:3]
    rows[1]["no"] = rows[0]["no"]
    with pytest.raises(LinkageError, match="unique"):
        dedupe(rows, Spec("no", {"person_name": "NAMA PEMILIK"}))


def test_unknown_backend_is_refused():
    with pytest.raises(LinkageError, match="backend"):
        dedupe(records.office_rows(), Spec("no", {"person_name": "NAMA PEMILIK"}), backend="oracle")


def test_threshold_and_backend_come_from_settings(settings):
    settings.LINKAGE_AUTO_LINK_THRESHOLD = 0.99
    result = dedupe(records.office_rows(), Spec("no", {"person_name": "NAMA PEMILIK", "identifier": "NIK"}))
    assert result.threshold == 0.99 and result.backend == "duckdb"
    assert (result.pairs["probability"] >= 0.99).all()


def test_a_closer_name_never_weighs_less_than_a_farther_one():
    """EM on one owner's businesses learnt that a near-identical business name counts against a match
    (Bayes factor 0.40) while sharing a sound key counts for it (3.17); the closer level is raised."""
    from sentra.linkage.engine import monotone_m

    # business_name's levels as the demo registry trained them: exact, JW 0.92, sound, …, else.
    levels = [(0.00682, 0.000365), (0.00273, 0.00675), (0.00714, 0.00225), (0.0402, 0.0318), (0.825, 0.840)]
    raised = monotone_m(levels)
    factors = [m / u for m, (_m, u) in zip(raised, levels, strict=True)]
    assert all(closer >= farther - 1e-9 for closer, farther in itertools.pairwise(factors))
    assert raised[0] == levels[0][0] and raised[2:] == [m for m, _u in levels[2:]]  # only the inverted one moves
    assert abs(factors[1] - levels[2][0] / levels[2][1]) < 1e-9  # as much as the sound key, no more
    assert monotone_m([(0.5, 0.9), (0.9, 0.1)]) == [1.0, 0.9]  # m stays a probability
