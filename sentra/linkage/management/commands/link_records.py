"""`manage.py link_records LEFT.csv [RIGHT.csv] --id COL --role ROLE=COLUMN … --pairs OUT --clusters OUT`.

Dedupes one CSV, or links two, with the linkage engine. Column roles come
from `--role` flags (`--right-id`/`--right-role` for the second file, which
otherwise uses the first file's) or from a TOML file. A role may take several
columns, joined in the order given: repeat the flag (`--role
person_name=given_name --role person_name=surname`) or give a TOML list:

    [left]
    id = "no"
    [left.roles]
    person_name = ["NAMA DEPAN", "NAMA BELAKANG"]
    identifier = "NIK"

    [right]            # only when linking; omitted, the right file uses [left]
    id = "ID"
    [right.roles]
    person_name = "Nama"

Writes every pair from the review floor up (`left_id,right_id,probability,band`,
band `match` at or above the threshold, `review` below it; `--review-floor`,
default settings.LINKAGE_REVIEW_FLOOR, or the threshold itself for no review
band) and every record's cluster (`id,cluster_id`, plus `source` when linking).
`--no-normalise` compares every role as it is; `--no-normalise ROLE,ROLE` only those.
"""

import csv
import tomllib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sentra.imports.reading import UnreadableFile, read_csv
from sentra.linkage.engine import BACKENDS, ROLES, LinkageError, Spec, dedupe, link


def _role_pairs(values: list[str] | None, flag: str) -> dict[str, tuple[str, ...]]:
    """ROLE=COLUMN flags as role → columns; a role given twice takes both columns, in order."""
    roles: dict[str, tuple[str, ...]] = {}
    for value in values or []:
        role, separator, column = value.partition("=")
        role, column = role.strip(), column.strip()
        if not separator or not role or not column:
            raise CommandError(f"{flag} takes ROLE=COLUMN (e.g. person_name=NAMA), not {value!r}.")
        if role not in ROLES:
            raise CommandError(f"Unknown role {role!r} in {flag}; the roles are: {', '.join(ROLES)}.")
        if column in roles.get(role, ()):
            raise CommandError(f"{flag} {role}={column} is given twice.")
        roles[role] = (*roles.get(role, ()), column)
    return roles


def _no_normalise(value: str | None) -> bool | set[str]:
    """--no-normalise: absent → normalise every role; bare → none; `ROLE,ROLE` → all but those."""
    if value is None:
        return True
    if value == "all":
        return False
    raw = {role.strip() for role in value.split(",") if role.strip()}
    unknown = sorted(raw - set(ROLES))
    if unknown:
        raise CommandError(
            f"Unknown role(s) in --no-normalise: {', '.join(unknown)}; the roles are: {', '.join(ROLES)}."
        )
    return set(ROLES) - raw


def _table(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV (any delimiter, UTF-8 or Windows-1252) as dicts by header; cells stay text."""
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    try:
        rows = read_csv(path.read_bytes())
    except UnreadableFile as error:
        raise CommandError(f"{path}: {error}") from error
    rows = [row for row in rows if any(str(cell).strip() for cell in row)]
    if not rows:
        raise CommandError(f"{path} is empty.")
    header = [str(cell).strip() for cell in rows[0]]
    return [dict(zip(header, [*row, *[""] * (len(header) - len(row))], strict=False)) for row in rows[1:]]


def _spec_from_file(section: dict, name: str, path: Path) -> Spec:
    if not isinstance(section, dict) or "id" not in section:
        raise CommandError(f'{path}: [{name}] needs id = "COLUMN".')
    roles = section.get("roles", {})
    if not isinstance(roles, dict):
        raise CommandError(f'{path}: [{name}.roles] must be a table of role = "COLUMN" or ["COLUMN", …].')
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise CommandError(f"{path}: unknown role(s) {', '.join(unknown)}; the roles are: {', '.join(ROLES)}.")
    columns: dict[str, tuple[str, ...]] = {}
    for role, value in roles.items():
        listed = value if isinstance(value, list) else [value]
        if not listed or not all(isinstance(column, str | int) and str(column).strip() for column in listed):
            raise CommandError(f'{path}: [{name}.roles] {role} must be "COLUMN" or a list of columns.')
        columns[role] = tuple(str(column) for column in listed)
    return Spec(id_column=str(section["id"]), roles=columns)


class Command(BaseCommand):
    help = "Dedupe one CSV or link two: scored pairs and clusters of records that are the same UMKM."

    def add_arguments(self, parser) -> None:
        parser.add_argument("left", type=Path, help="the CSV to dedupe, or the left one to link")
        parser.add_argument("right", type=Path, nargs="?", help="the CSV to link the left one with")
        parser.add_argument("--id", help="the left file's id column")
        parser.add_argument(
            "--role",
            action="append",
            metavar="ROLE=COLUMN",
            help=f"a column's role, repeatable; roles: {', '.join(ROLES)}",
        )
        parser.add_argument("--right-id", help="the right file's id column (default: --id)")
        parser.add_argument(
            "--right-role", action="append", metavar="ROLE=COLUMN", help="as --role, for the right file"
        )
        parser.add_argument("--roles", type=Path, help="a TOML file with [left] and [right] id and roles")
        parser.add_argument("--pairs", type=Path, required=True, help="where to write left_id,right_id,probability")
        parser.add_argument("--clusters", type=Path, required=True, help="where to write id,cluster_id")
        parser.add_argument("--threshold", type=float, help="match probability to link at (default: settings)")
        parser.add_argument(
            "--review-floor",
            type=float,
            help="pairs from this probability up to the threshold are written as band 'review' "
            "(default: settings.LINKAGE_REVIEW_FLOOR)",
        )
        parser.add_argument("--backend", choices=BACKENDS, help="duckdb or spark (default: settings)")
        parser.add_argument(
            "--no-normalise",
            nargs="?",
            const="all",
            metavar="ROLE,ROLE",
            help="compare the columns as they are: every role, or only those listed",
        )

    def handle(self, *args, **options) -> None:
        left_spec, right_spec = self._specs(options)
        left_rows = _table(options["left"])
        right_rows = _table(options["right"]) if options["right"] else None
        floor = options["review_floor"]
        if floor is None:
            floor = getattr(settings, "LINKAGE_REVIEW_FLOOR", None)
        common = {
            "normalise": _no_normalise(options["no_normalise"]),
            "backend": options["backend"],
            "threshold": options["threshold"],
            "min_probability": floor,
        }
        try:
            if right_rows is None:
                result = dedupe(left_rows, left_spec, **common)
            else:
                result = link(left_rows, right_rows, left_spec, right_spec, **common)
        except LinkageError as error:
            raise CommandError(str(error)) from error

        pairs = result.pairs[["left_id", "right_id", "probability"]].copy()
        pairs["band"] = ["match" if p >= result.threshold else "review" for p in pairs["probability"]]
        pairs.to_csv(options["pairs"], index=False, float_format="%.6f", quoting=csv.QUOTE_MINIMAL)
        result.clusters.to_csv(options["clusters"], index=False)
        records = len(result.clusters)
        clusters = result.clusters.groupby(["cluster_id"]).size()
        matches = int((pairs["band"] == "match").sum())
        self.stdout.write(
            f"{records:,} records, {matches:,} pairs at probability ≥ {result.threshold:g}"
            f" and {len(pairs) - matches:,} to review, "
            f"{len(clusters):,} clusters ({int((clusters > 1).sum()):,} with more than one record) "
            f"in {result.timings['total']:.1f} s on {result.backend}; compared: {', '.join(result.roles)}."
        )
        for note in result.notes:
            self.stderr.write(note)
        self.stdout.write(f"Pairs: {options['pairs']}\nClusters: {options['clusters']}")

    def _specs(self, options) -> tuple[Spec, Spec]:
        """The left and right specs from --roles, or from --id/--role and --right-id/--right-role."""
        if options["roles"]:
            path: Path = options["roles"]
            if options["id"] or options["role"] or options["right_id"] or options["right_role"]:
                raise CommandError("Give the roles either in --roles or as --id/--role flags, not both.")
            try:
                declared = tomllib.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise CommandError(f"No such file: {path}") from None
            except tomllib.TOMLDecodeError as error:
                raise CommandError(f"{path} is not valid TOML: {error}") from error
            if "left" not in declared:
                raise CommandError(f"{path}: needs a [left] table with id and roles.")
            left = _spec_from_file(declared["left"], "left", path)
            right = _spec_from_file(declared["right"], "right", path) if "right" in declared else left
            return left, right
        if not options["id"]:
            raise CommandError("Say which column is the id: --id COLUMN (or use --roles FILE).")
        left = Spec(id_column=options["id"], roles=_role_pairs(options["role"], "--role"))
        if not left.roles:
            raise CommandError("Declare at least one role: --role person_name=NAMA (or use --roles FILE).")
        right_roles = _role_pairs(options["right_role"], "--right-role") or left.roles
        right = Spec(id_column=options["right_id"] or left.id_column, roles=right_roles)
        return left, right
