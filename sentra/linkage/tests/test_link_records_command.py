"""`manage.py link_records` end to end on CSV files."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from sentra.linkage.tests import records


def write_csv(path, rows, delimiter=",", encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_csv(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("link_records", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def role_flags(roles, flag="--role"):
    return [part for role, column in roles.items() for part in (flag, f"{role}={column}")]


def test_dedupe_one_file_with_role_flags(tmp_path):
    office = write_csv(tmp_path / "dinkop.csv", records.office_rows(), delimiter=";")
    pairs, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    out, _err = run(office, "--id", "no", *role_flags(records.ROLES), "--pairs", pairs, "--clusters", clusters,
                    "--threshold", "0.9")  # fmt: skip
    written = read_csv(pairs)
    assert list(written[0]) == ["left_id", "right_id", "probability", "band"]
    matches = [row for row in written if row["band"] == "match"]
    found = {tuple(sorted((row["left_id"], row["right_id"]))) for row in matches}
    assert found == records.true_pairs(records.office_rows())
    assert all(float(row["probability"]) >= 0.9 for row in matches)
    # Below the threshold, the review band: pairs from LINKAGE_REVIEW_FLOOR (0.5) up.
    assert all(0.5 <= float(row["probability"]) < 0.9 for row in written if row["band"] == "review")
    assigned = read_csv(clusters)
    assert list(assigned[0]) == ["id", "cluster_id"]
    assert len(assigned) == len(records.OFFICE)
    assert f"{len(records.OFFICE)} records, 4 pairs" in out


def test_link_two_files_with_a_roles_file(tmp_path):
    office = write_csv(tmp_path / "dinkop.csv", records.office_rows())
    partner_rows = [
        {"ID": row["no"], "Nama": row["NAMA PEMILIK"], "Usaha": row["NAMA USAHA"], "Telp": row["HP"],
         "Kelurahan": row["DESA"], "Tgl Lahir": row["TGL LAHIR"], "NIK": row["NIK"]}
        for row in records.partner_rows()
    ]  # fmt: skip
    partner = write_csv(tmp_path / "disperin.csv", partner_rows, delimiter="\t", encoding="cp1252")
    roles = tmp_path / "roles.toml"
    roles.write_text(
        """
[left]
id = "no"
[left.roles]
person_name = "NAMA PEMILIK"
business_name = "NAMA USAHA"
identifier = "NIK"
birth_date = "TGL LAHIR"
phone = "HP"
area = "DESA"

[right]
id = "ID"
[right.roles]
person_name = "Nama"
business_name = "Usaha"
identifier = "NIK"
birth_date = "Tgl Lahir"
phone = "Telp"
area = "Kelurahan"
""",
        encoding="utf-8",
    )
    pairs, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    out, _err = run(office, partner, "--roles", roles, "--pairs", pairs, "--clusters", clusters, "--threshold", "0.9")
    found = {(row["left_id"], row["right_id"]) for row in read_csv(pairs) if row["band"] == "match"}
    assert found == records.true_pairs(records.office_rows(), records.partner_rows())
    assigned = read_csv(clusters)
    assert list(assigned[0]) == ["id", "source", "cluster_id"]
    assert {row["source"] for row in assigned} == {"left", "right"}
    assert "on duckdb" in out


def test_right_file_uses_the_left_roles_unless_told(tmp_path):
    office = write_csv(tmp_path / "a.csv", records.office_rows())
    partner = write_csv(tmp_path / "b.csv", records.partner_rows())
    pairs, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    run(office, partner, "--id", "no", *role_flags(records.ROLES), "--pairs", pairs, "--clusters", clusters,
        "--threshold", "0.9", "--backend", "duckdb")  # fmt: skip
    assert ("E05-a", "P4") in {(row["left_id"], row["right_id"]) for row in read_csv(pairs)}


@pytest.mark.parametrize(
    "args,message",
    [
        (["--id", "no", "--role", "owner=NAMA PEMILIK"], "Unknown role 'owner'"),
        (["--id", "no", "--role", "person_name"], "ROLE=COLUMN"),
        (["--id", "no", "--role", "person_name=NAMA"], "'NAMA' not in the table"),
        (["--id", "nomor", "--role", "person_name=NAMA PEMILIK"], "'nomor' not in the table"),
        (["--role", "person_name=NAMA PEMILIK"], "--id COLUMN"),
        (["--id", "no"], "at least one role"),
        (["--id", "no", "--role", "person_name=NAMA PEMILIK", "--role", "person_name=NAMA PEMILIK"], "twice"),
        (["--id", "no", "--role", "person_name=NAMA PEMILIK", "--no-normalise", "nama"], "Unknown role"),
    ],
)
def test_clear_errors(tmp_path, args, message):
    office = write_csv(tmp_path / "a.csv", records.office_rows())
    with pytest.raises(CommandError, match=message):
        run(office, *args, "--pairs", tmp_path / "p.csv", "--clusters", tmp_path / "c.csv")


def test_roles_file_errors(tmp_path):
    office = write_csv(tmp_path / "a.csv", records.office_rows())
    roles = tmp_path / "roles.toml"
    roles.write_text('[left]\nid = "no"\n[left.roles]\nowner = "NAMA PEMILIK"\n', encoding="utf-8")
    with pytest.raises(CommandError, match="unknown role"):
        run(office, "--roles", roles, "--pairs", tmp_path / "p.csv", "--clusters", tmp_path / "c.csv")
    roles.write_text("[left\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid TOML"):
        run(office, "--roles", roles, "--pairs", tmp_path / "p.csv", "--clusters", tmp_path / "c.csv")
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "missing.csv", "--id", "no", "--role", "person_name=NAMA PEMILIK",
            "--pairs", tmp_path / "p.csv", "--clusters", tmp_path / "c.csv")  # fmt: skip


# Records as a non-Indonesian register writes them (FEBRL's layout): given name and surname apart, dates as
# YYYYMMDD, four-digit postcodes, a suburb; duplicates with a swapped digit, a typo, a field left out.
PEOPLE = [
    ("a1", "mitchell", "green", "7", "wallaby place", "cleveland", "2119", "19560409", "1804974"),
    ("a2", "harley", "mccarthy", "177", "pridham street", "marsden", "3165", "19080419", "6089216"),
    ("a3", "madeline", "mason", "54", "hoseason street", "granville", "4881", "19081128", "2185997"),
    ("a4", "isabelle", "white", "23", "gundulu place", "utakarra", "2193", "19921119", "4314184"),
    ("a5", "connor", "moerland", "38", "arthur circle", "greenwood", "2680", "19351222", "6169561"),
    ("a6", "nathan", "challenor", "1", "wellington street", "cronulla", "5109", "19600113", "2692439"),
    ("a7", "amy", "ryan", "49", "dallas place", "surfers paradise", "2750", "19160508", "6494659"),
    ("a8", "brock", "reid", "70", "neva farm", "bayswater north", "3128", "19980402", "6892786"),
]
COPIES = [
    ("b1", "mitchell", "greene", "7", "wallaby pl", "cleveland", "2119", "19560409", "1804974", "a1"),
    ("b2", "harley", "mccarthy", "177", "pridhamstreet", "marsdon", "3165", "19080419", "6089261", "a2"),
    ("b3", "madeleine", "mason", "54", "hoseason street", "", "4881", "19081128", "2185997", "a3"),
    ("b5", "connor", "moerlakd", "38", "arthur circle", "greenwpod", "2680", "19351222", "6169516", "a5"),
    ("b6", "nathan", "challenor", "1", "wellington street", "cronulla", "5109", "19600113", "2694239", "a6"),
    ("b7", "amy", "ryan", "49", "dallasplace", "surfers apradise", "2570", "19160508", "6494659", "a7"),
    ("b9", "joel", "sutton", "12", "kent road", "mosman", "2088", "19751201", "5550123", None),
]
PEOPLE_COLUMNS = ["rec_id", "given_name", "surname", "street_number", "address_1", "suburb", "postcode", "dob", "ssid"]


def test_a_role_takes_several_columns_and_reads_any_country(tmp_path):
    left = write_csv(tmp_path / "a.csv", [dict(zip(PEOPLE_COLUMNS, row, strict=True)) for row in PEOPLE])
    right = write_csv(tmp_path / "b.csv", [dict(zip(PEOPLE_COLUMNS, row[:-1], strict=True)) for row in COPIES])
    roles = tmp_path / "roles.toml"
    roles.write_text(
        """
[left]
id = "rec_id"
[left.roles]
person_name = ["given_name", "surname"]
address = ["street_number", "address_1"]
area = "suburb"
postcode = "postcode"
birth_date = "dob"
identifier = "ssid"
""",
        encoding="utf-8",
    )
    pairs, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    out, err = run(left, right, "--roles", roles, "--pairs", pairs, "--clusters", clusters, "--threshold", "0.9")
    matched = {(row["left_id"], row["right_id"]) for row in read_csv(pairs) if row["band"] == "match"}
    truth = {(row[-1], row[0]) for row in COPIES if row[-1]}
    assert matched == truth, (out, err)
    assert "birth_date" in out and "postcode" in out  # YYYYMMDD and four-digit postcodes are used
    assert "no usable values" not in err

    # The same with repeated flags.
    flags = ["--id", "rec_id", "--role", "person_name=given_name", "--role", "person_name=surname",
             "--role", "address=street_number", "--role", "address=address_1", "--role", "area=suburb",
             "--role", "postcode=postcode", "--role", "birth_date=dob", "--role", "identifier=ssid"]  # fmt: skip
    run(left, right, *flags, "--pairs", pairs, "--clusters", clusters, "--threshold", "0.9")
    assert {(row["left_id"], row["right_id"]) for row in read_csv(pairs) if row["band"] == "match"} == truth


def test_no_normalise_per_role(tmp_path):
    rows = records.office_rows()
    office = write_csv(tmp_path / "a.csv", rows)
    pairs, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    common = ["--id", "no", *role_flags(records.ROLES), "--pairs", pairs, "--clusters", clusters, "--threshold", "0.9"]
    run(office, *common)
    normalised = {(row["left_id"], row["right_id"]) for row in read_csv(pairs) if row["band"] == "match"}
    run(office, *common, "--no-normalise")
    raw = {(row["left_id"], row["right_id"]) for row in read_csv(pairs) if row["band"] == "match"}
    run(office, *common, "--no-normalise", "person_name,business_name")
    partly = {(row["left_id"], row["right_id"]) for row in read_csv(pairs) if row["band"] == "match"}
    # Titles and old spelling left in names lose some pairs; NIKs and phones, still normalised, keep others.
    assert raw < normalised and raw <= partly <= normalised and partly != raw


def test_no_review_band_when_the_floor_is_the_threshold(tmp_path):
    office = write_csv(tmp_path / "a.csv", records.office_rows())
    pairs, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    run(office, "--id", "no", *role_flags(records.ROLES), "--pairs", pairs, "--clusters", clusters,
        "--threshold", "0.9", "--review-floor", "0.9")  # fmt: skip
    assert {row["band"] for row in read_csv(pairs)} == {"match"}
