"""Finding the records that are one UMKM: Splink's Fellegi–Sunter model over normalised columns.

Any table works once its columns are given roles (`ROLES`): the model compares
the roles both sides have, blocks on the ones that narrow the search (NIK,
phone, name keys within an area, birth date within an area), and trains
without labels: u from random pairs, m by expectation maximisation on a few
blocking rules, and the prior from deterministic rules. The SQL runs on DuckDB
on one machine or on Spark across many (`LINKAGE_BACKEND`); the model is the same.

    result = dedupe(rows, Spec(id_column="no", roles={"person_name": "NAMA", "identifier": "NIK"}))
    result.pairs      # left_id, right_id, probability, match_weight, blocking_rule, gamma_*, bf_*
    result.clusters   # id, cluster_id
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sentra.linkage.normalize import normalise_columns

ROLES = (
    "person_name",
    "business_name",
    "birth_date",
    "identifier",
    "phone",
    "address",
    "area",
    "postcode",
    "text",
)
BACKENDS = ("duckdb", "spark")
DEFAULT_THRESHOLD = 0.95
OTHER_BUSINESS_CAP = 0.6  # see `_other_business_cap`: below the threshold, above the review floor
SEED = 4242  # u sampling; the same seed gives the same model on the same data
U_MAX_PAIRS = 2_000_000  # random pairs for u: enough for stable estimates, seconds at a million records
U_MIN_PAIRS = 1_000_000  # and at least this many; in between, 20 per record (a small table needs fewer)
U_PAIRS_PER_RECORD = 20
PRIOR_RECALL = 0.8  # how many true matches the deterministic rules are taken to find
FALLBACK_MATCHED_SHARE = 0.5  # of the smaller list's rows, when those rules find no pair at all
WORD_COLUMNS = ("person_name_words", "business_words", "text")  # space-joined words, compared as arrays

logger = logging.getLogger(__name__)


class LinkageError(ValueError):
    """The tables or roles cannot be linked as asked; the message says why."""


@dataclass(frozen=True)
class Spec:
    """Which column of a table is its id, and which column or columns play each role.

    `roles` maps a role to a column name, or to several (`("given_name", "surname")`),
    whose cells are joined with a space, in that order, before they are normalised.
    """

    id_column: str
    roles: Mapping[str, str | Sequence[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.roles) - set(ROLES))
        if unknown:
            raise LinkageError(f"Unknown role(s) {', '.join(unknown)}; the roles are: {', '.join(ROLES)}.")
        for role in self.roles:
            if not self.columns_of(role):
                raise LinkageError(f"Role {role} names no column.")

    def columns_of(self, role: str) -> tuple[str, ...]:
        """The column or columns that play `role`, in the order they are joined."""
        value = self.roles[role]
        return (value,) if isinstance(value, str) else tuple(str(column) for column in value)

    def all_columns(self) -> list[str]:
        """The id column and every role's columns, each once."""
        return list(dict.fromkeys([self.id_column, *(c for role in self.roles for c in self.columns_of(role))]))

    def check_columns(self, columns: Iterable[str], *, table: str = "the table") -> None:
        """Raise when the id column or a role's column is not among `columns`."""
        columns = list(columns)
        present = set(columns)
        missing = [column for column in self.all_columns() if column not in present]
        if missing:
            raise LinkageError(
                f"Column(s) {', '.join(repr(m) for m in missing)} not in {table}; "
                f"its columns are: {', '.join(repr(c) for c in columns)}."
            )


@dataclass
class LinkResult:
    """Scored pairs, the clusters they make at the threshold, and how long each step took.

    `pairs`: left_id, right_id, probability, match_weight, blocking_rule, then
    per compared role its level (`gamma_<role>`, -1 when a side is empty) and
    Bayes factor (`bf_<role>`). For `link`, left_id is from the left table.
    `clusters`: every record once, with `id`, `cluster_id` (1, 2, … in input
    order), and for `link` a `source` column (`left`/`right`).
    """

    pairs: pd.DataFrame
    clusters: pd.DataFrame
    timings: dict[str, float]
    threshold: float
    backend: str
    roles: tuple[str, ...]
    model: dict[str, Any]
    notes: list[str] = field(default_factory=list)


Rows = pd.DataFrame | Sequence[Mapping[str, object]]


def dedupe(
    rows: Rows,
    spec: Spec,
    *,
    normalise: bool | Collection[str] = True,
    backend: str | None = None,
    threshold: float | None = None,
    min_probability: float | None = None,
) -> LinkResult:
    """The records of one table that are the same UMKM.

    `pairs` holds every pair scored at or above `min_probability` (default:
    the threshold); `clusters` joins pairs at or above `threshold` (default:
    settings.LINKAGE_AUTO_LINK_THRESHOLD). `backend` defaults to
    settings.LINKAGE_BACKEND. With `normalise=False` the role columns are
    compared as they are (trimmed and lowercased); given a collection of
    roles, only those are normalised.
    """
    return _run([("records", rows, spec)], normalise, backend, threshold, min_probability)


def link(
    left: Rows,
    right: Rows,
    left_spec: Spec,
    right_spec: Spec,
    *,
    normalise: bool | Collection[str] = True,
    backend: str | None = None,
    threshold: float | None = None,
    min_probability: float | None = None,
) -> LinkResult:
    """The records of `left` and `right` that are the same UMKM (pairs across the tables only).

    Only the roles both specs declare are compared. Arguments as for `dedupe`.
    """
    return _run(
        [("left", left, left_spec), ("right", right, right_spec)], normalise, backend, threshold, min_probability
    )


# --- the run ---------------------------------------------------------------------------


def _setting(name: str, default: Any) -> Any:
    from django.conf import settings

    return getattr(settings, name, default) if settings.configured else default


def _run(
    tables: list[tuple[str, Rows, Spec]],
    normalise: bool | Collection[str],
    backend: str | None,
    threshold: float | None,
    min_probability: float | None,
) -> LinkResult:
    started = time.perf_counter()
    backend = (backend or _setting("LINKAGE_BACKEND", "duckdb")).lower()
    if backend not in BACKENDS:
        raise LinkageError(f"Unknown backend {backend!r}; use one of: {', '.join(BACKENDS)}.")
    threshold = float(
        threshold if threshold is not None else _setting("LINKAGE_AUTO_LINK_THRESHOLD", DEFAULT_THRESHOLD)
    )
    if not 0 < threshold < 1:
        raise LinkageError(f"The threshold is a probability between 0 and 1, not {threshold}.")
    floor = min(threshold, min_probability if min_probability is not None else threshold)
    timings: dict[str, float] = {}
    notes: list[str] = []

    roles = [role for role in ROLES if all(role in spec.roles for _name, _rows, spec in tables)]
    if len(tables) == 2:
        for role in sorted(set(tables[0][2].roles) ^ set(tables[1][2].roles)):
            notes.append(f"Role {role} is declared for one table only and is not compared.")
    frames = []
    for name, rows, spec in tables:
        columns = _role_columns(_columns_of(rows, spec, name), spec, roles)
        chosen = {role: _role_key(role) for role in roles}
        frames.append((name, normalise_columns(columns, chosen, id_column=spec.id_column, normalise=normalise)))
    timings["normalise"] = time.perf_counter() - started

    roles = _usable_roles(roles, frames, notes)
    if not roles:
        raise LinkageError("Nothing to compare: declare at least one role whose column has values.")
    sizes = [len(frame["unique_id"]) for _name, frame in frames]
    if min(sizes) == 0 or (len(frames) == 1 and sizes[0] < 2):
        raise LinkageError("Too few records to link.")
    link_type = "dedupe_only" if len(frames) == 1 else "link_only"

    derived = []
    if "identifier" in roles:  # sex, and the birth date when no column has it, read from NIKs
        derived = [name for name in ("sex", "birth_date") if name not in roles]
        derived = [name for name in derived if all(any(v is not None for v in frame[name]) for _n, frame in frames)]
    model = _Model(roles, derived)
    step = time.perf_counter()
    if backend == "spark":
        db_api, inputs = _spark_inputs(frames, model.columns)
    else:
        db_api, inputs = _duckdb_inputs(frames, model.columns)
    timings["load"] = time.perf_counter() - step

    from splink import Linker

    # Splink warns about every level a small table never shows; `notes` says what matters.
    logging.getLogger("splink").setLevel(logging.ERROR)
    aliases = [name for name, _frame in frames]
    linker = Linker(inputs, model.settings(link_type), db_api, input_table_aliases=aliases, set_up_basic_logging=False)

    step = time.perf_counter()
    _train(linker, model, notes, sizes)
    _closer_names_weigh_more(linker, notes)
    timings["train"] = time.perf_counter() - step

    step = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=floor)
    pairs = _pairs(linker.misc.query_sql(model.pairs_sql(predictions.physical_name, link_type)), model, link_type)
    timings["predict"] = time.perf_counter() - step

    step = time.perf_counter()
    clusters = _clusters(pairs, frames, link_type, threshold)
    timings["cluster"] = time.perf_counter() - step
    model_dict = linker.misc.save_model_to_json()
    if backend == "duckdb":
        db_api._con.close()
    timings["total"] = time.perf_counter() - started
    return LinkResult(
        pairs=pairs,
        clusters=clusters,
        timings=timings,
        threshold=threshold,
        backend=backend,
        roles=tuple(roles),
        model=model_dict,
        notes=notes,
    )


def _columns_of(rows: Rows, spec: Spec, name: str) -> dict[str, list]:
    """The id and role columns of `rows` as lists, after checking they exist."""
    table = "the table" if name == "records" else f"the {name} table"
    wanted = spec.all_columns()
    if isinstance(rows, pd.DataFrame):
        spec.check_columns([str(c) for c in rows.columns], table=table)
        return {column: rows[column].tolist() for column in wanted}
    rows = list(rows)
    header = list(rows[0]) if rows else wanted
    spec.check_columns(header, table=table)
    return {column: [row.get(column) for row in rows] for column in wanted}


def _role_key(role: str) -> str:
    return f"\0role:{role}"  # cannot clash with a column name a file has


def _role_columns(columns: dict[str, list], spec: Spec, roles: list[str]) -> dict[str, list]:
    """The id column and one column per role: a role's own column as it is, or its columns' cells joined."""
    out = {spec.id_column: columns[spec.id_column]}
    for role in roles:
        names = spec.columns_of(role)
        if len(names) == 1:
            out[_role_key(role)] = columns[names[0]]
        else:
            out[_role_key(role)] = [_joined_cells(cells) for cells in zip(*(columns[n] for n in names), strict=True)]
    return out


def _joined_cells(cells: Iterable[object]) -> str | None:
    """Cells of one record joined by spaces, empty ones left out (`"anna", None, "smith"` → `anna smith`)."""
    texts = []
    for cell in cells:
        if cell is None or cell is pd.NA or (isinstance(cell, float) and cell != cell):
            continue
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        text = str(cell).strip()
        if text:
            texts.append(text)
    return " ".join(texts) or None


def _usable_roles(roles: list[str], frames: list[tuple[str, dict]], notes: list[str]) -> list[str]:
    """The roles with values to compare: a column empty on a side (or nearly so in one table) tells nothing."""
    usable = []
    for role in roles:
        counts = [sum(value is not None for value in frame[role]) for _name, frame in frames]
        if min(counts) == 0 or (len(frames) == 1 and counts[0] < 2):
            notes.append(f"Role {role} has no usable values and is not compared.")
            continue
        usable.append(role)
    for _name, frame in frames:
        ids = frame["unique_id"]
        if len(set(ids)) != len(ids):
            duplicated = pd.Series(ids)[pd.Series(ids).duplicated()].iloc[0]
            raise LinkageError(f"The id column must be unique; {duplicated!r} appears more than once.")
        if any(not value for value in ids):
            raise LinkageError("The id column has empty cells; every record needs an id.")
    return usable


# --- the model ---------------------------------------------------------------------------


class _Model:
    """Comparisons, blocking rules and training rules for the roles at hand."""

    def __init__(self, roles: list[str], derived: list[str]) -> None:
        self.roles = roles
        self.area = "area" if "area" in roles else "postcode" if "postcode" in roles else None
        # A second place key, when a table has both a village (suburb) and a postcode: a typo in one
        # leaves the other to block on.
        self.postcode = "postcode" if "postcode" in roles and self.area != "postcode" else None
        columns = ["unique_id", *roles]
        if "identifier" in roles:
            columns.append("identifier_key")
        if "person_name" in roles:
            columns += ["person_name_key", "person_name_words", "person_name_block"]
            columns += ["person_first_block", "person_last_block"]
        if "business_name" in roles:
            columns += ["business_name_block", "business_first_block", "business_words"]
        self.columns = columns + derived
        self.compared = [*roles, *derived]  # derived: sex and birth date read from the NIK

    def has(self, *columns: str) -> bool:
        return all(column in self.columns for column in columns if column)

    def comparisons(self) -> list:
        import splink.comparison_level_library as cll
        from splink.comparison_library import CustomComparison

        def comparison(role: str, *levels) -> CustomComparison:
            return CustomComparison(
                output_column_name=role, comparison_levels=[cll.NullLevel(role), *levels, cll.ElseLevel()]
            )

        made = {
            "person_name": lambda: comparison(
                "person_name",
                cll.ExactMatchLevel("person_name", term_frequency_adjustments=True),
                cll.ExactMatchLevel("person_name_key"),  # same words in another order or spelling
                cll.JaroWinklerLevel("person_name", 0.92),
                cll.ExactMatchLevel("person_name_block"),  # sounds the same (Rahmat/Rohmat)
                cll.ArraySubsetLevel("person_name_words"),  # Siti Aminah / Siti Nur Aminah
                cll.JaroWinklerLevel("person_name", 0.8),
                cll.ArrayIntersectLevel("person_name_words", 1),
            ),
            "business_name": lambda: comparison(
                "business_name",
                cll.ExactMatchLevel("business_name", term_frequency_adjustments=True),
                cll.JaroWinklerLevel("business_name", 0.92),
                cll.ExactMatchLevel("business_name_block"),
                cll.ArrayIntersectLevel("business_words", 2),
                cll.JaroWinklerLevel("business_name", 0.8),
                cll.ArrayIntersectLevel("business_words", 1),
                # A name of nothing but its owner ("Warung Bu Sri"): no word of its own to compare, so
                # neither for nor against (its owner's name is compared as the person's).
                cll.CustomLevel("business_words_l IS NULL OR business_words_r IS NULL", "names only its owner"),
            ),
            "birth_date": lambda: comparison(
                "birth_date", cll.ExactMatchLevel("birth_date"), cll.LevenshteinLevel("birth_date", 1)
            ),
            "sex": lambda: comparison("sex", cll.ExactMatchLevel("sex")),
            "identifier": lambda: comparison(
                "identifier", cll.ExactMatchLevel("identifier"), cll.LevenshteinLevel("identifier", 1)
            ),
            "phone": lambda: comparison("phone", cll.ExactMatchLevel("phone"), cll.LevenshteinLevel("phone", 1)),
            "address": lambda: comparison(
                "address",
                cll.ExactMatchLevel("address"),
                cll.JaroWinklerLevel("address", 0.9),
                cll.JaroWinklerLevel("address", 0.75),
            ),
            "area": lambda: comparison("area", cll.ExactMatchLevel("area"), cll.JaroWinklerLevel("area", 0.9)),
            "postcode": lambda: comparison(
                "postcode",
                cll.ExactMatchLevel("postcode"),
                cll.CustomLevel("substr(postcode_l, 1, 3) = substr(postcode_r, 1, 3)", "same first three digits"),
            ),
            "text": lambda: comparison("text", cll.ArrayIntersectLevel("text", 2), cll.ArrayIntersectLevel("text", 1)),
        }
        return [made[role]() for role in self.compared]

    def prediction_rules(self) -> list[tuple[str, ...]]:
        """Column sets two records must share to be compared at all.

        Any one rule suffices, so a record missing its NIK is still found
        through its phone, its name's sound within its village, its business
        name within its village, or its birth date.
        """
        area, postcode = self.area, self.postcode
        # Name keys alone make blocks that grow with the square of the table (a common name's
        # sound key holds thousands of records in a million); inside a village they stay small.
        # Without an area column they are all there is, so they stay unbounded.
        within = (area,) if area else ()
        candidates = [
            ("identifier",),
            ("phone",),
            ("person_name_block", *within),
            ("person_first_block", area),
            ("person_last_block", area),
            ("business_name_block", *within),
            ("business_first_block", area),
            ("birth_date", area),
            ("birth_date", "person_first_block"),
            ("birth_date", "business_first_block"),
            ("person_first_block", "business_first_block", *within),
            # The owner's and the business's names together, in any village: an agency's row whose
            # village is blank or another one (the owner moved, the agency wrote their home's) is
            # still compared. Both sound keys at once keep the blocks small without a place.
            ("person_name_block", "business_name_block"),
            ("address", "person_first_block"),
            ("birth_date", "person_last_block"),
            # A swapped pair of digits, with a name or place to keep the blocks small.
            ("identifier_key", "person_first_block"),
            ("identifier_key", "person_last_block"),
            ("identifier_key", area),
            ("person_first_block", postcode),
            ("person_last_block", postcode),
            ("birth_date", postcode),
            ("address", postcode),
        ]
        rules = [tuple(c for c in rule if c) for rule in candidates if self.has(*rule) and None not in rule]
        if not rules:  # only weak roles (address, text, area alone): block on what there is
            rules = [(column,) for column in ("address", self.area) if self.has(column)]
        if not rules:
            raise LinkageError(
                "The roles given leave nothing to block on: declare a name, identifier, phone or birth date."
            )
        return list(dict.fromkeys(rules))

    def training_rules(self) -> list[tuple[str, ...]]:
        """Blocking rules for expectation maximisation, strongest first; each leaves the other roles to learn."""
        area = self.area
        candidates = [
            ("identifier",),
            ("phone",),
            ("person_name_block", area),
            ("business_name_block", area),
            ("birth_date", area),
            ("person_name_block",),
            ("business_name_block",),
            ("birth_date",),
            # Last resorts: they favour similar names a little, but beat Splink's untrained defaults.
            ("person_first_block", area),
            ("business_first_block", area),
        ]
        return [tuple(c for c in rule if c) for rule in candidates if self.has(*rule) and None not in rule]

    def deterministic_rules(self) -> list[tuple[str, ...]]:
        """Rules under which two records are almost surely one UMKM: they estimate how common matches are.

        The first three that apply: each costs Spark a few jobs.
        """
        candidates = [
            ("identifier",),
            ("phone", "person_name_block"),
            ("phone", "business_name_block"),
            ("person_name_key", "birth_date"),
            ("person_name_key", self.area),
            ("business_name", self.area),
        ]
        return [rule for rule in candidates if None not in rule and self.has(*rule)][:3]

    def pairs_sql(self, table: str, link_type: str) -> str:
        """The columns of Splink's predictions that `LinkResult.pairs` keeps (not the compared values)."""
        columns = ["unique_id_l", "unique_id_r", "match_probability", "match_weight", "match_key"]
        if link_type == "link_only":
            columns += ["source_dataset_l", "source_dataset_r"]
        columns += [f"{prefix}_{name}" for name in self.compared for prefix in ("gamma", "bf")]
        return f"SELECT {', '.join(columns)} FROM {table}"

    def settings(self, link_type: str):
        from splink import SettingsCreator, block_on

        return SettingsCreator(
            link_type=link_type,
            unique_id_column_name="unique_id",
            comparisons=self.comparisons(),
            blocking_rules_to_generate_predictions=[block_on(*rule) for rule in self.prediction_rules()],
            retain_matching_columns=True,  # Splink keeps the gamma (level) columns only with them
            retain_intermediate_calculation_columns=True,
            max_iterations=20,
            em_convergence=0.001,
        )


def _train(linker, model: _Model, notes: list[str], sizes: list[int]) -> None:
    """Prior from deterministic rules, u from random pairs, m by EM on rules until every comparison is trained."""
    from splink import block_on

    deterministic = model.deterministic_rules()
    if deterministic:
        try:
            linker.training.estimate_probability_two_random_records_match(
                [block_on(*rule) for rule in deterministic], recall=PRIOR_RECALL
            )
        except Exception as error:  # Splink refuses when the rules find no pair: keep its default prior
            notes.append(f"Prior not estimated ({error}); Splink's default is used.")
        if linker._settings_obj._probability_two_random_records_match <= 0 and len(sizes) == 2:
            # No row of a list shares a NIK or phone with the other (an agency's list without them): a
            # prior of nothing would score every pair 0, names and all. Take half the smaller list's
            # rows to have their match in the larger instead. (A registry searched for its own
            # duplicates keeps its prior: none found by NIK may well mean none.)
            prior = FALLBACK_MATCHED_SHARE / max(sizes)
            linker._settings_obj._probability_two_random_records_match = prior
            notes.append("The deterministic rules found no pair; the prior takes half the rows to match.")
    u_pairs = min(U_MAX_PAIRS, max(U_MIN_PAIRS, U_PAIRS_PER_RECORD * sum(sizes)))
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=SEED)

    untrained = set(model.compared)
    sessions = 0
    for rule in model.training_rules():
        if sessions >= 2 and not untrained:
            break
        learns = {name for name in model.compared if not _uses(name, rule)}
        if not learns or (sessions >= 2 and not (learns & untrained)):
            continue
        # A failed session leaves Splink's model without the comparisons it set aside: keep a copy.
        saved = linker._settings_obj.core_model_settings.copy()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule), estimate_without_term_frequencies=True
            )
        except Exception as error:  # no pairs under this rule, or EM could not converge: try the next
            linker._settings_obj.core_model_settings = saved
            notes.append(f"Training on {' + '.join(rule)} skipped: {str(error).splitlines()[0]}")
            continue
        sessions += 1
        untrained -= learns
    if untrained:
        notes.append(f"Not trained (default m values): {', '.join(sorted(untrained))}.")


# The name comparisons, whose levels run from the closest names to the farthest.
ORDERED_COMPARISONS = ("person_name", "business_name")
NEUTRAL_LEVEL = "names only its owner"  # business_name's level of no evidence: outside the order


def _closer_names_weigh_more(linker, notes: list[str]) -> None:
    """Make each name level weigh at least what a farther level does (isotonic Bayes factors).

    EM learns what the pairs it takes for matches look like. In a registry searched for its own
    duplicates those are mostly one owner's businesses (NIK, phone and birth date agree), whose
    names mostly differ: it learnt that "Keripik Tempe Bu Siti" and "Keripik Tempe Bu Siti Walk"
    (Jaro-Winkler over 0.92) count against a match while one word in common counts for it, and
    scored an obvious duplicate 4%. A closer name is never less evidence than a farther one.
    """
    raised = []
    for comparison in linker._settings_obj.comparisons:
        if comparison.output_column_name not in ORDERED_COMPARISONS:
            continue
        levels = [
            level
            for level in comparison.comparison_levels
            if not level.is_null_level
            and level.label_for_charts != NEUTRAL_LEVEL
            and level.m_probability is not None
            and level.u_probability
        ]
        ordered = monotone_m([(level.m_probability, level.u_probability) for level in levels])
        for level, m in zip(levels, ordered, strict=True):
            if m != level.m_probability:
                level.m_probability = m
                raised.append(f"{comparison.output_column_name}: {level.label_for_charts}")
    if raised:
        notes.append("Raised to weigh as much as a farther name: " + "; ".join(raised) + ".")


def monotone_m(levels: list[tuple[float, float]]) -> list[float]:
    """The m probabilities of (m, u) levels, closest first, each raised so that its Bayes factor
    (m / u) is at least that of every level after it (m stays a probability)."""
    floor, raised = 0.0, []
    for m, u in reversed(levels):
        m = m if m / u >= floor else min(1.0, floor * u)
        floor = max(floor, m / u)
        raised.append(m)
    return raised[::-1]


def _uses(comparison: str, rule: tuple[str, ...]) -> bool:
    """Whether a comparison reads a column the rule blocks on (Splink then leaves it out of that EM session)."""
    reads = {
        "person_name": {"person_name", "person_name_key", "person_name_block", "person_name_words"},
        "business_name": {"business_name", "business_name_block", "business_words"},
    }.get(comparison, {comparison})
    return bool(reads & set(rule))


# --- backends ---------------------------------------------------------------------------


def _frame(columns: dict[str, list], wanted: list[str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(columns[name], dtype=object) for name in wanted})


def _duckdb_inputs(frames: list[tuple[str, dict]], wanted: list[str]):
    """Tables in a fresh in-memory DuckDB, typed explicitly (an all-empty column must still be text)."""
    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect(":memory:")
    connection.execute("SET memory_limit = '6GB'")  # the machine budget is 8 GB; pandas holds the rest
    # Spill to the system's temporary folder, not a `.tmp` in whatever folder we were started from.
    spill = Path(tempfile.gettempdir()) / "sentra-duckdb"
    connection.execute(f"SET temp_directory = '{spill}'")
    tables = []
    for name, columns in frames:
        connection.register(f"raw_{name}", _frame(columns, wanted))
        select = ", ".join(
            f"string_split({c}::VARCHAR, ' ') AS {c}" if c in WORD_COLUMNS else f"{c}::VARCHAR AS {c}" for c in wanted
        )
        connection.execute(f"CREATE TABLE input_{name} AS SELECT {select} FROM raw_{name}")
        connection.unregister(f"raw_{name}")
        tables.append(f"input_{name}")
    return DuckDBAPI(connection=connection), tables


def spark_session(*, partitions: int = 4):
    """The running Spark session, or a local one with Splink's similarity functions (jaro_winkler, …) loaded.

    On a cluster, start the session with Splink's jar (`similarity_jar_location()`)
    before linking; here `partitions` sets the local session's shuffle partitions.
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    session = (
        SparkSession.builder.master("local[*]")
        .appName("sentra-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.default.parallelism", str(partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    if session.sparkContext.getCheckpointDir() is None:
        session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="sentra-spark-"))
    return session


def _spark_inputs(frames: list[tuple[str, dict]], wanted: list[str]):
    from pyspark.sql import functions as spark_functions
    from pyspark.sql.types import StringType, StructField, StructType
    from splink import SparkAPI

    session = spark_session()
    schema = StructType([StructField(name, StringType(), True) for name in wanted])
    tables = []
    for _name, columns in frames:
        rows = list(zip(*(columns[name] for name in wanted), strict=True))
        table = session.createDataFrame(rows, schema=schema)
        table = table.select(
            *[spark_functions.split(spark_functions.col(c), " ").alias(c) if c in WORD_COLUMNS else c for c in wanted]
        )
        tables.append(table)
    partitions = int(session.conf.get("spark.sql.shuffle.partitions", "4"))
    # Intermediate tables go to parquet in the checkpoint directory, which cuts their lineage:
    # kept in memory (persist) the query plans of EM's iterations grow until the driver runs out of heap.
    db_api = SparkAPI(spark_session=session, break_lineage_method="parquet", num_partitions_on_repartition=partitions)
    return db_api, tables


# --- results ---------------------------------------------------------------------------


def _pairs(predicted: pd.DataFrame, model: _Model, link_type: str) -> pd.DataFrame:
    """Splink's predictions as left_id, right_id, probability, match_weight, blocking_rule and the evidence."""
    if link_type == "link_only" and len(predicted):
        swapped = predicted["source_dataset_l"] != "left"
        if swapped.any():
            predicted.loc[swapped, ["unique_id_l", "unique_id_r"]] = predicted.loc[
                swapped, ["unique_id_r", "unique_id_l"]
            ].to_numpy()
    rules = [" + ".join(rule) for rule in model.prediction_rules()]
    evidence = [
        f"{prefix}_{name}"
        for name in model.compared
        for prefix in ("gamma", "bf")
        if f"{prefix}_{name}" in predicted.columns
    ]
    pairs = pd.DataFrame(
        {
            "left_id": predicted["unique_id_l"].astype(str),
            "right_id": predicted["unique_id_r"].astype(str),
            "probability": predicted["match_probability"].astype(float),
            "match_weight": predicted["match_weight"].astype(float),
            "blocking_rule": [
                rules[int(key)] if str(key).isdigit() and int(key) < len(rules) else str(key)
                for key in predicted.get("match_key", pd.Series([""] * len(predicted)))
            ],
        }
    )
    for column in evidence:
        pairs[column] = predicted[column].to_numpy()
    _other_business_cap(pairs)
    return pairs.sort_values(["probability", "left_id", "right_id"], ascending=[False, True, True], ignore_index=True)


def _other_business_cap(pairs: pd.DataFrame) -> None:
    """One owner's other business is another UMKM: without a shared business word or product, not sure.

    NIK, phone, birth date and village agreeing say "same owner"; they outweigh
    a business name that shares nothing, so the model alone would join an
    owner's batik shop and spare-parts shop. Such pairs are held below the
    threshold, in the review queue, for an officer to decide.
    """
    if "gamma_business_name" not in pairs.columns or pairs.empty:
        return
    unlike = pairs["gamma_business_name"] == 0  # the comparison's "else" level: nothing in common
    if "gamma_text" in pairs.columns:
        unlike &= pairs["gamma_text"] <= 0  # and no product word in common (or none given)
    pairs.loc[unlike, "probability"] = pairs.loc[unlike, "probability"].clip(upper=OTHER_BUSINESS_CAP)


def _clusters(pairs: pd.DataFrame, frames: list[tuple[str, dict]], link_type: str, threshold: float) -> pd.DataFrame:
    """Every record with a cluster number: records joined by pairs at or above the threshold.

    Clustered here rather than by Splink so that the pairs' probabilities after
    `_other_business_cap` decide. Clusters are numbered 1, 2, … by their first
    record in input order.
    """
    order: dict[tuple[str, str], int] = {}
    for name, columns in frames:
        for uid in columns["unique_id"]:
            order[(name, uid)] = len(order)
    parent = list(range(len(order)))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    left_name, right_name = (frames[0][0], frames[-1][0])
    sure = pairs[pairs["probability"] >= threshold]
    for left_id, right_id in zip(sure["left_id"], sure["right_id"], strict=True):
        a, b = root(order[(left_name, left_id)]), root(order[(right_name, right_id)])
        if a != b:
            parent[max(a, b)] = min(a, b)  # the earlier record names the cluster
    number: dict[int, int] = {}
    records = sorted(order, key=order.__getitem__)
    cluster_ids = [number.setdefault(root(order[key]), len(number) + 1) for key in records]
    result = pd.DataFrame({"id": [uid for _source, uid in records], "cluster_id": cluster_ids})
    if link_type == "link_only":
        result.insert(1, "source", [source for source, _uid in records])
    return result
