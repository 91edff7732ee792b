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
    assert list(written[0]) == ["left_id", "right_id", "probability"]
    found = {tuple(sorted((row["left_id"], row["right_id"]))) for row in written}
    assert found == records.true_pairs(records.office_rows())
    assert all(float(row["probability"]) >= 0.9 for row in written)
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
    found = {(row["left_id"], row["right_id"]) for row in read_csv(pairs)}
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
