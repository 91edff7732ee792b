"""Deciding what an import does with each row, against the registry, reading only.

`Planner` takes the file's rows a chunk at a time, in file order, so an import
can write the new businesses of one chunk while the next is still being parsed
(services.import_file); a check that writes nothing (the preview) feeds it the same way.
What it decides for a row never depends on the rows after it; `finish` words
the repeats' warnings and settles every outcome.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sentra.accounts.models import Office
from sentra.audit.services import snapshot
from sentra.core.bulk import ids_where_in
from sentra.core.formatting import format_rupiah
from sentra.imports.headers import normalize_label
from sentra.imports.mappings import FIELD_LABELS
from sentra.imports.models import RowOutcome
from sentra.imports.rows import ParsedRow
from sentra.linkage.normalize import business_name as linkage_business_name
from sentra.regions.models import Village
from sentra.registry.derived import derived_fields
from sentra.registry.models import Business, Person
from sentra.registry.owners import same_person_name

# Sheet values that may overwrite a registered business, and the Business field each fills.
BUSINESS_FIELDS = {
    "business_name": "name",
    "nib": "nib",
    "kbli": "kbli_id",
    "address": "address",
    "activity": "activity",
    "village": "village_id",
    "capital": "capital",
    "annual_turnover": "annual_turnover",
    "workers_male": "workers_paid_male",
    "workers_female": "workers_paid_female",
    "start_year": "start_year",
    "start_month": "start_month",
    "legal_form": "legal_form",
    "latitude": "latitude",
    "longitude": "longitude",
}
PERSON_FIELDS = {"owner_name": "full_name", "sex": "sex", "birth_date": "birth_date", "phone": "phone"}
# An owner already registered keeps their name; the sheet only fills what is blank.
PERSON_FILLABLE = ("sex", "birth_date", "phone")
PERSON_FILLED = [PERSON_FIELDS[name] for name in PERSON_FILLABLE]
LOOKUP_CHUNK = 2_000  # values per IN (…) lookup, well under SQLite's variable limit


@dataclass
class Plan:
    """What an import does, decided row by row before each row is written."""

    outcomes: list[tuple[ParsedRow, str, str]] = field(default_factory=list)  # (row, outcome, note) in file order
    new_rows: list[ParsedRow] = field(default_factory=list)
    # (row, the business with the sheet's values set, the changed fields' old values, its old snapshot)
    updates: list[tuple[ParsedRow, Business, dict, dict]] = field(default_factory=list)
    persons: dict[str, Person] = field(default_factory=dict)  # registered owners, by NIK
    kept: set[int] = field(default_factory=set)  # those of them whose record this import may change

    def counts(self) -> dict[str, int]:
        counts = {outcome.value: 0 for outcome in RowOutcome}
        counts["warned"] = 0
        for row, outcome, _note in self.outcomes:
            counts[outcome] += 1
            if row.warnings and outcome != RowOutcome.REJECTED:
                counts["warned"] += 1
        return counts


def business_key(name: object) -> str:
    """A business name as repeats and registered businesses are compared: after the linkage engine's
    normalisation (`UD. Sumber Redjeki` and `Toko Sumber Rejeki` are one), or plainly when nothing is left."""
    return linkage_business_name(name) or normalize_label(name)


def row_keys(row: ParsedRow) -> list[tuple]:
    """What names the row's business, surest first: its NIB, its owner's NIK with the business name,
    and without either the owner's and business's names in the village.

    Two "Warung Makan" of different owners are different businesses; one owner's two businesses too.
    """
    values = row.values
    keys: list[tuple] = []
    if values.get("nib"):
        keys.append(("nib", values["nib"]))
    if values.get("nik"):
        keys.append(("nik", values["nik"], business_key(values.get("business_name"))))
    if not keys:
        keys.append(
            (
                "name",
                normalize_label(values.get("owner_name")),
                business_key(values.get("business_name")),
                values.get("village"),
            )
        )
    return keys


# The fields two rows of one business are compared on; a difference is a warning on the later row.
COMPARED_FIELDS = tuple(name for name in FIELD_LABELS if name not in ("owner_name", "business_name"))


class Planner:
    """Decides each row's outcome, a chunk of rows at a time in file order.

    A row naming the same business as an earlier row of any sheet is a repeat: skipped, the
    earlier row kept, and what it says differently a warning on it (never applied). Registered
    owners and businesses are looked up per chunk; a NIK is looked up once, when first seen, so
    the owners this import creates meanwhile are never taken for registered ones.
    """

    def __init__(self, *, office: Office, actor=None, kbli_choices: dict[str, str] | None = None) -> None:
        self.office, self.actor = office, actor
        self.choices = kbli_choices or {}
        self.plan = Plan()
        self.seen: dict[tuple, ParsedRow] = {}
        self.repeats: list[tuple[ParsedRow, ParsedRow]] = []
        self.settled: dict[int, tuple[str, str]] = {}  # by `id(row)`: outcomes decided after the first look
        self.matched: dict[int, ParsedRow] = {}  # registered business → the row that matched it
        self.looked_up: set[str] = set()  # NIKs already looked for among registered owners

    def add(self, rows: Iterable[ParsedRow]) -> list[ParsedRow]:
        """Decide `rows` (the next ones of the file); the rows among them that create a business."""
        plan, settled = self.plan, self.settled
        candidates: list[ParsedRow] = []
        for row in rows:
            if row.skip_reason:
                plan.outcomes.append((row, RowOutcome.SKIPPED, row.skip_reason))
                continue
            if row.rejected:
                plan.outcomes.append((row, RowOutcome.REJECTED, ""))
                continue
            if "kbli" not in row.values and row.values.get("activity"):
                chosen = self.choices.get(normalize_label(row.values["activity"]))
                if chosen:
                    row.values["kbli"] = chosen
                    row.values["_kbli_chosen"] = True  # the preview keeps offering the choice
            keys = row.keys = row.keys or row_keys(row)
            earlier = next((self.seen[key] for key in keys if key in self.seen), None)
            if earlier is not None:
                plan.outcomes.append((row, RowOutcome.SKIPPED, _repeat_note(earlier)))
                self.repeats.append((row, earlier))
                continue
            for key in keys:
                self.seen[key] = row
            candidates.append(row)
            plan.outcomes.append((row, RowOutcome.CREATED, ""))  # settled below

        niks = {r.values["nik"] for r in candidates if "nik" in r.values} - self.looked_up
        self.looked_up |= niks
        found = _persons_by_nik(niks)
        plan.persons.update(found)
        plan.kept |= _kept(found.values(), self.office, self.actor)
        for row in candidates:
            person = plan.persons.get(row.values.get("nik"))
            # Kept by another regency's office: the business may join them only under their own name.
            foreign = person is not None and person.pk not in plan.kept
            if foreign and not same_person_name(row.values["owner_name"], person.full_name):
                row.errors["nik"] = _("NIK ini sudah terdaftar untuk pemilik dengan nama lain di wilayah lain.")
                settled[id(row)] = (RowOutcome.REJECTED, "")
        candidates = [row for row in candidates if id(row) not in settled]
        existing = _existing_businesses(candidates, self.office.regency_id)
        editable = _editable(existing.values(), self.office, self.actor)
        new_rows = []
        for row in candidates:
            business = next((existing[key] for key in row.keys if key in existing), None)
            if business is None:
                new_rows.append(row)
                continue
            if business.pk in self.matched:
                # Two rows naming one registered business (its NIB in one, its owner and name in the other):
                # the first decides, so a second import cannot move it back and forth.
                earlier = self.matched[business.pk]
                settled[id(row)] = (RowOutcome.SKIPPED, _repeat_note(earlier))
                self.repeats.append((row, earlier))
                continue
            self.matched[business.pk] = row
            if business.pk not in editable:
                row.errors["business_name"] = _("UMKM ini sudah terdaftar di luar wilayah kerja kantor ini.")
                settled[id(row)] = (RowOutcome.REJECTED, "")
                continue
            self._update(row, business)
        plan.new_rows.extend(new_rows)
        return new_rows

    def _update(self, row: ParsedRow, business: Business) -> None:
        """Set the sheet's values on a registered business; an update when that changes anything."""
        before = {target: getattr(business, target) for target in BUSINESS_FIELDS.values()}
        for source, target in BUSINESS_FIELDS.items():
            if source in row.values:
                setattr(business, target, row.values[source])
        if row.values.get("rt") or row.values.get("rw"):
            business.address = business_address(row.values)
        changed = {name: value for name, value in before.items() if getattr(business, name) != value}
        if not changed:
            self.settled[id(row)] = (RowOutcome.SKIPPED, _("tidak ada perubahan"))
            return
        # The change log's "before": snapshotted only for a business that changes (a second import of
        # a file changes none), with the registered values put back for the moment.
        after = {name: getattr(business, name) for name in changed}
        for name, value in changed.items():
            setattr(business, name, value)
        previous = snapshot(business)
        for name, value in after.items():
            setattr(business, name, value)
        self.plan.updates.append((row, business, changed, previous))
        self.settled[id(row)] = (RowOutcome.UPDATED, "")

    def finish(self) -> Plan:
        """The plan, every row's outcome settled, once the last rows were added."""
        _warn_disagreements(self.repeats)
        plan = self.plan
        plan.outcomes = [(row, *self.settled.get(id(row), (outcome, note))) for row, outcome, note in plan.outcomes]
        return plan


def _repeat_note(earlier: ParsedRow) -> str:
    return _("sama dengan baris %(number)s lembar %(sheet)s") % {"number": earlier.number, "sheet": earlier.sheet}


def _warn_disagreements(repeats: list[tuple[ParsedRow, ParsedRow]]) -> None:
    """On each repeat, a warning per field it says differently from the row that was kept."""
    differing = [
        (row, earlier, name)
        for row, earlier in repeats
        for name in COMPARED_FIELDS
        if row.values.get(name) not in (None, "") and row.values.get(name) != earlier.values.get(name)
    ]
    villages = {
        code
        for row, earlier, name in differing
        if name == "village"
        for code in (row.values[name], earlier.values.get(name))
    }
    village_names = dict(Village.objects.filter(code__in=villages).values_list("code", "name")) if villages else {}
    for row, earlier, name in differing:
        kept = earlier.values.get(name)
        if name == "nik":
            shown = _("NIK lain")  # a NIK is never written out in a message
        elif kept in (None, ""):
            shown = _("kosong")
        elif name == "village":
            shown = village_names.get(kept, kept)
        elif name in ("capital", "annual_turnover"):
            shown = format_rupiah(kept)
        elif isinstance(kept, dt.date):
            shown = kept.strftime("%d-%m-%Y")
        else:
            shown = str(kept)
        row.warnings[name] = _(
            "Berbeda dengan baris %(number)s lembar %(sheet)s (di sana: %(value)s); yang dipakai isian baris itu."
        ) % {"number": earlier.number, "sheet": earlier.sheet, "value": shown}


def business_address(values: dict) -> str:
    """The street address with RT/RW, as offices write it: `Jl. Mawar 3 RT 002/RW 005`."""
    parts = [values.get("address", "")]
    if values.get("rt") or values.get("rw"):
        parts.append("/".join(f"{key.upper()} {values[key]}" for key in ("rt", "rw") if values.get(key)))
    return " ".join(part for part in parts if part)[:300]


# A new business's columns that its row's values alone decide, in the order `business_derived` gives them.
DERIVED_BUSINESS_COLUMNS = [
    "name",
    "nib",
    "address",
    "village_id",
    "district_id",
    "regency_id",
    "province_id",
    "latitude",
    "longitude",
    "start_year",
    "start_month",
    "legal_form",
    "capital",
    "annual_turnover",
    "workers_paid_male",
    "workers_paid_female",
    "workers_unpaid_male",
    "workers_unpaid_female",
    "status",
    "maturity",
    "size_class",
    "size_basis",
    "search_text",
    "activity",
]


_DEFAULTS = {name: Business._meta.get_field(name).default for name in ("legal_form", "status", "maturity")}


def business_derived(values: dict) -> tuple:
    """A new business's columns (`DERIVED_BUSINESS_COLUMNS`) that its row's values alone decide. The
    child that parsed a big file's rows works them out beside the parent's writing."""
    village = values["village"]
    product = values.get("product", "")
    derived = derived_fields(
        village_code=village,
        capital=values.get("capital"),
        annual_turnover=values.get("annual_turnover"),
        name=values["business_name"],
        owner_name=values["owner_name"],
        product_names=[product] if product else [],
    )
    return (
        values["business_name"][:200],
        values.get("nib", ""),
        business_address(values),
        village,
        derived.district_id,
        derived.regency_id,
        derived.province_id,
        values.get("latitude"),
        values.get("longitude"),
        values.get("start_year"),
        values.get("start_month"),
        values.get("legal_form", _DEFAULTS["legal_form"]),
        values.get("capital"),
        values.get("annual_turnover"),
        values.get("workers_male", 0),
        values.get("workers_female", 0),
        0,
        0,
        _DEFAULTS["status"],
        _DEFAULTS["maturity"],
        derived.size_class,
        derived.size_basis,
        derived.search_text,
        values.get("activity", "")[:200],
    )


def chunks(values: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing_businesses(rows: list[ParsedRow], regency: str) -> dict[tuple, Business]:
    """Registered businesses the rows name, under the keys of `row_keys`: by NIB, by owner NIK and
    business name, and for rows with neither, by owner and business name in the village."""
    nibs = {r.values["nib"] for r in rows if "nib" in r.values}
    niks = {r.values["nik"] for r in rows if "nik" in r.values}
    ids = set(ids_where_in("registry_business", "nib", nibs))
    ids.update(
        ids_where_in(
            "registry_business",
            "registry_person.nik",
            niks,
            join="JOIN registry_person ON registry_person.id = registry_business.owner_id",
        )
    )
    found: dict[tuple, Business] = {}
    for chunk in chunks(sorted(ids)):
        # The oldest first: of two registered businesses under one key, the first keeps it.
        for business in Business.objects.filter(pk__in=chunk).select_related("owner").order_by("pk"):
            if business.nib and business.nib in nibs:
                found.setdefault(("nib", business.nib), business)
            if business.owner.nik in niks:
                found.setdefault(("nik", business.owner.nik, business_key(business.name)), business)
    unnamed = [r for r in rows if "nib" not in r.values and "nik" not in r.values]
    for chunk in chunks(sorted({r.values["business_name"] for r in unnamed})):
        businesses = Business.objects.filter(name__in=chunk, regency_id=regency).select_related("owner")
        for business in businesses.order_by("pk"):
            key = ("name", normalize_label(business.owner.full_name), business_key(business.name), business.village_id)
            found.setdefault(key, business)
    return found


def _persons_by_nik(niks: set[str]) -> dict[str, Person]:
    persons: dict[str, Person] = {}
    for chunk in chunks(sorted(ids_where_in("registry_person", "nik", niks))):
        persons.update((p.nik, p) for p in Person.objects.filter(pk__in=chunk))
    return persons


def _kept(persons: Iterable[Person], office: Office, actor) -> set[int]:
    """The registered owners whose record this import may change: kept by its office (docs/owners.md)."""
    return _changeable(Person, [p.pk for p in persons if p.home_regency_id == office.regency_id], actor)


def _editable(businesses: Iterable[Business], office: Office, actor) -> set[int]:
    """The businesses, among those found, this import may change: in the office's regency and the actor's scope."""
    return _changeable(Business, [b.pk for b in businesses if b.regency_id == office.regency_id], actor)


def _changeable(model: type[Person] | type[Business], ids: list[int], actor) -> set[int]:
    """Those of `ids` the actor may change; all of them for the system (no actor)."""
    if actor is None or actor.is_superuser:
        return set(ids)
    allowed: set[int] = set()
    for chunk in chunks(sorted(ids)):
        allowed.update(model.objects.restrict(actor, "change").filter(pk__in=chunk).values_list("pk", flat=True))
    return allowed
