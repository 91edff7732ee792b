"""Importing an office's spreadsheet into the registry: all rows or none.

Every row ends created, updated, skipped (blank, totals, a repeat of an
earlier row, or nothing new) or rejected with a reason per field. Reading and
checking write nothing (the preview is exactly that); the writing happens in
one transaction, in bulk, so a crash or a kill leaves the registry as it was.

The browser flow keeps one `ImportBatch` through its life: uploaded → checked
(preview) → importing → done, and possibly undone. The command runs the same
functions in one go.
"""

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import Office
from sentra.accounts.scope import ensure_office_editor
from sentra.audit.models import ChangeAction
from sentra.audit.services import Entry, log_change, log_changes, snapshot
from sentra.core import jobs
from sentra.core.bulk import ids_where_in, insert_rows, reserve_ids
from sentra.core.formatting import format_rupiah
from sentra.imports.headers import Header, find_header, is_blank_row, normalize_label, summary_sheet_reason
from sentra.imports.mappings import FIELD_LABELS, REQUIRED_FIELDS, apply_mapping, ignored_columns
from sentra.imports.models import ImportBatch, ImportRow, ImportStatus, RowOutcome
from sentra.imports.progress import JOB_KIND, no_progress
from sentra.imports.reading import HIDDEN_ROW, Sheet, UnreadableFile, read_workbook
from sentra.imports.rows import ParsedRow, parse_row
from sentra.imports.values import RegionMatcher
from sentra.kbli.models import Kbli, KbliLevel
from sentra.linkage.normalize import business_name as linkage_business_name
from sentra.regions.models import Village
from sentra.registry import bulk
from sentra.registry.models import (
    Business,
    Licence,
    MaturityChange,
    Person,
    PersonProposal,
    Product,
    SizeClassChange,
    StatusChange,
)
from sentra.registry.owners import same_person_name
from sentra.registry.search import deferred_search_index, search_text_for
from sentra.registry.selectors import product_names_by_business
from sentra.registry.services import propose_person_change, record_size_class_changes
from sentra.registry.signals import bulk_inserts
from sentra.registry.sizing import size_class_for

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

Progress = Callable[[str, int, int], None]


class ImportRefused(Exception):
    """The import cannot start (file unreadable, no header, no permission); nothing was written."""


class MissingColumns(ImportRefused):
    """A required column was not found: the officer maps it (preview, `--map`) and checks again."""

    def __init__(self, message: str, *, missing: list[str], labels: list[str]) -> None:
        super().__init__(message)
        self.missing = missing  # field names
        self.labels = labels  # the headers found, as typed


@dataclass
class ParsedFile:
    """The sheets that have a header, with each header's column mapping."""

    sheets: list[tuple[Sheet, Header]]
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, why it holds no businesses)

    @property
    def labels(self) -> list[str]:
        return self.sheets[0][1].labels

    @property
    def sheet_labels(self) -> dict[str, list[str]]:
        return {sheet.name: [str(label) for label in header.labels] for sheet, header in self.sheets}

    @property
    def total(self) -> int:
        return sum(len(sheet.rows) - header.data_start for sheet, header in self.sheets)

    def rows(self, office: Office) -> Iterator[ParsedRow]:
        regions = RegionMatcher(office.regency_id)
        kbli_codes = set(Kbli.objects.filter(level=KbliLevel.SUBCLASS).values_list("code", flat=True))
        for sheet, header in self.sheets:
            for index in range(header.data_start, len(sheet.rows)):
                if index in sheet.hidden_rows or index in header.skipped:
                    reason = str(HIDDEN_ROW) if index in sheet.hidden_rows else header.skipped[index]
                    yield ParsedRow(sheet=sheet.name, number=index + 1, cells=sheet.rows[index], skip_reason=reason)
                    continue
                yield parse_row(
                    sheet=sheet.name,
                    number=index + 1,
                    cells=sheet.rows[index],
                    header=header,
                    regions=regions,
                    kbli_codes=kbli_codes,
                )

    def ignored(self) -> list[dict]:
        """The columns that fill nothing, once per label across sheets, each with its sheet and a sample."""
        found: dict[str, dict] = {}
        for sheet, header in self.sheets:
            for column in ignored_columns(header, sheet.rows):
                found.setdefault(column["key"], {**column, "sheet": sheet.name})
        return list(found.values())


@dataclass
class Plan:
    """What an import would do, decided before anything is written."""

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


@dataclass
class ImportResult:
    batch: ImportBatch | None
    counts: dict[str, int]
    rows: list[tuple[ParsedRow, str, str]] = field(default_factory=list)  # (row, outcome, note)
    parsed: ParsedFile | None = None
    # With `kbli_confidence`: each activity text without a code, its rows, the suggestion and whether it was taken.
    kbli: list[dict] = field(default_factory=list)


DEFAULT_KBLI_CONFIDENCE = 0.8  # a suggestion taken without review scores at least this (suggest.MIN_SCORE is 0.6)


def activities_without_kbli(rows: Iterable[ParsedRow]) -> Counter:
    """The activity texts of rows that carry no KBLI code of their own (or only one chosen from a suggestion),
    each with how many rows say it: what a KBLI suggestion is asked for."""
    return Counter(
        row.values["activity"]
        for row in rows
        if not row.skip_reason
        and not row.rejected
        and row.values.get("activity")
        and ("kbli" not in row.values or row.values.get("_kbli_chosen"))
    )


def suggested_kbli(activities: Counter, *, min_score: float) -> list[dict]:
    """One entry per distinct activity (by normalized text), most rows first: the suggestion and whether it
    is sure enough (`min_score`) to be taken without review."""
    from sentra.kbli.suggest import suggest_kbli

    by_key: dict[str, dict] = {}
    for text, count in activities.most_common():
        key = normalize_label(text)
        if key in by_key:
            by_key[key]["rows"] += count
        else:
            by_key[key] = {"key": key, "text": text, "rows": count, "code": "", "title": "", "score": None}
    found = suggest_kbli([entry["text"] for entry in by_key.values()])
    for entry in by_key.values():
        suggestion = found.get(entry["text"])
        if suggestion is not None:
            entry.update(code=suggestion.code, title=suggestion.title, score=suggestion.score)
        entry["accepted"] = entry["score"] is not None and entry["score"] >= min_score
    return list(by_key.values())


def check_actor(actor, office: Office) -> None:
    """Only a regency office's own editors (or the system) import into it."""
    if office.regency_id is None:
        raise ImportRefused(_("Impor ditujukan ke kantor kabupaten/kota; pilih kantor kabupaten/kota."))
    ensure_office_editor(actor, office.pk, _("Anda hanya boleh mengimpor ke kantor Anda sendiri."))


def read_file(path: Path, corrections: dict[str, str] | None = None) -> ParsedFile:
    """Every sheet of `path` that lists businesses, mapped by synonyms and the user's corrections.

    Summary sheets (REKAP, totals per district) are set aside with the reason.
    """
    try:
        sheets = read_workbook(path)
    except UnreadableFile as error:
        raise ImportRefused(str(error)) from error
    headers = [(sheet, find_header(sheet.rows)) for sheet in sheets]
    found = [(sheet, header) for sheet, header in headers if header is not None]
    for _sheet, header in found:
        apply_mapping(header, corrections or {})
    named = any({"business_name", "owner_name"} & set(header.mapping.values()) for _sheet, header in found)
    lists, skipped = [], []
    for sheet, header in headers:
        if header is None:
            if any(not is_blank_row(row) for row in sheet.rows):
                skipped.append((sheet.name, _("tidak ada baris judul kolom")))
        elif reason := summary_sheet_reason(sheet.name, header, others_named=named):
            skipped.append((sheet.name, reason))
        else:
            lists.append((sheet, header))
    if not lists:  # no sheet names businesses: the first says which required columns are missing
        lists, skipped = found[:1], []
    if not lists:
        raise ImportRefused(_("Tidak ditemukan baris judul kolom (mis. NAMA PEMILIK, NAMA USAHA, DESA) di berkas ini."))
    labels = [str(label) for label in lists[0][1].labels if str(label).strip()]
    mapped = set(lists[0][1].mapping.values())
    missing = [name for name in REQUIRED_FIELDS if name not in mapped]
    if "address" in mapped and "village" in missing:
        missing.remove("village")  # read from inside the address (`… Desa Bangkleyan`)
    if missing:
        raise MissingColumns(
            _("Kolom wajib tidak ditemukan: %(columns)s. Tentukan kolomnya pada pemetaan kolom.")
            % {"columns": ", ".join(str(FIELD_LABELS[name]) for name in sorted(missing))},
            missing=missing,
            labels=labels,
        )
    return ParsedFile(sheets=lists, skipped_sheets=skipped)


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


def plan_import(
    rows: Iterable[ParsedRow],
    *,
    office: Office,
    actor=None,
    kbli_choices: dict[str, str] | None = None,
    progress: Progress = no_progress,
) -> Plan:
    """Decide each row's outcome against the registry, reading only.

    A row naming the same business as an earlier row of any sheet is a repeat: skipped, the
    earlier row kept, and what it says differently a warning on it (never applied).
    """
    plan = Plan()
    seen: dict[tuple, ParsedRow] = {}
    candidates: list[ParsedRow] = []
    repeats: list[tuple[ParsedRow, ParsedRow]] = []
    choices = kbli_choices or {}
    keys_of: dict[int, list[tuple]] = {}  # each row's keys, worked out once (by `id(row)`)
    for row in rows:
        if row.skip_reason:
            plan.outcomes.append((row, RowOutcome.SKIPPED, row.skip_reason))
            continue
        if row.rejected:
            plan.outcomes.append((row, RowOutcome.REJECTED, ""))
            continue
        if "kbli" not in row.values and row.values.get("activity"):
            chosen = choices.get(normalize_label(row.values["activity"]))
            if chosen:
                row.values["kbli"] = chosen
                row.values["_kbli_chosen"] = True  # the preview keeps offering the choice
        keys = keys_of[id(row)] = row_keys(row)
        earlier = next((seen[key] for key in keys if key in seen), None)
        if earlier is not None:
            plan.outcomes.append((row, RowOutcome.SKIPPED, _repeat_note(earlier)))
            repeats.append((row, earlier))
            continue
        for key in keys:
            seen[key] = row
        candidates.append(row)
        plan.outcomes.append((row, RowOutcome.CREATED, ""))  # settled below
    progress("matching", 0, len(candidates))

    plan.persons = _persons_by_nik({r.values["nik"] for r in candidates if "nik" in r.values})
    plan.kept = _kept(plan.persons.values(), office, actor)
    settled: dict[int, tuple[str, str]] = {}
    for row in candidates:
        person = plan.persons.get(row.values.get("nik"))
        # Kept by another regency's office: the business may join them only under their own name.
        foreign = person is not None and person.pk not in plan.kept
        if foreign and not same_person_name(row.values["owner_name"], person.full_name):
            row.errors["nik"] = _("NIK ini sudah terdaftar untuk pemilik dengan nama lain di wilayah lain.")
            settled[id(row)] = (RowOutcome.REJECTED, "")
    candidates = [row for row in candidates if id(row) not in settled]
    existing = _existing_businesses(candidates, office.regency_id)
    editable = _editable(existing.values(), office, actor)
    matched: dict[int, ParsedRow] = {}  # registered business → the row that matched it
    for row in candidates:
        business = next((existing[key] for key in keys_of[id(row)] if key in existing), None)
        if business is None:
            plan.new_rows.append(row)
            continue
        if business.pk in matched:
            # Two rows naming one registered business (its NIB in one, its owner and name in the other):
            # the first decides, so a second import cannot move it back and forth.
            earlier = matched[business.pk]
            settled[id(row)] = (RowOutcome.SKIPPED, _repeat_note(earlier))
            repeats.append((row, earlier))
            continue
        matched[business.pk] = row
        if business.pk not in editable:
            row.errors["business_name"] = _("UMKM ini sudah terdaftar di luar wilayah kerja kantor ini.")
            settled[id(row)] = (RowOutcome.REJECTED, "")
            continue
        previous = snapshot(business)
        before = {target: getattr(business, target) for target in BUSINESS_FIELDS.values()}
        for source, target in BUSINESS_FIELDS.items():
            if source in row.values:
                setattr(business, target, row.values[source])
        if row.values.get("rt") or row.values.get("rw"):
            business.address = _address(row.values)
        changed = {name: value for name, value in before.items() if getattr(business, name) != value}
        if not changed:
            settled[id(row)] = (RowOutcome.SKIPPED, _("tidak ada perubahan"))
            continue
        plan.updates.append((row, business, changed, previous))
        settled[id(row)] = (RowOutcome.UPDATED, "")
    _warn_disagreements(repeats)
    plan.outcomes = [(row, *settled.get(id(row), (outcome, note))) for row, outcome, note in plan.outcomes]
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


def _address(values: dict) -> str:
    """The street address with RT/RW, as offices write it: `Jl. Mawar 3 RT 002/RW 005`."""
    parts = [values.get("address", "")]
    if values.get("rt") or values.get("rw"):
        parts.append("/".join(f"{key.upper()} {values[key]}" for key in ("rt", "rw") if values.get(key)))
    return " ".join(part for part in parts if part)[:300]


def _chunks(values: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
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
    for chunk in _chunks(sorted(ids)):
        # The oldest first: of two registered businesses under one key, the first keeps it.
        for business in Business.objects.filter(pk__in=chunk).select_related("owner").order_by("pk"):
            if business.nib and business.nib in nibs:
                found.setdefault(("nib", business.nib), business)
            if business.owner.nik in niks:
                found.setdefault(("nik", business.owner.nik, business_key(business.name)), business)
    unnamed = [r for r in rows if "nib" not in r.values and "nik" not in r.values]
    for chunk in _chunks(sorted({r.values["business_name"] for r in unnamed})):
        businesses = Business.objects.filter(name__in=chunk, regency_id=regency).select_related("owner")
        for business in businesses.order_by("pk"):
            key = ("name", normalize_label(business.owner.full_name), business_key(business.name), business.village_id)
            found.setdefault(key, business)
    return found


def _persons_by_nik(niks: set[str]) -> dict[str, Person]:
    persons: dict[str, Person] = {}
    for chunk in _chunks(sorted(ids_where_in("registry_person", "nik", niks))):
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
    for chunk in _chunks(sorted(ids)):
        allowed.update(model.objects.restrict(actor, "change").filter(pk__in=chunk).values_list("pk", flat=True))
    return allowed


def import_file(
    *,
    path: Path,
    office: Office,
    actor=None,
    dry_run: bool = False,
    corrections: dict[str, str] | None = None,
    kbli_choices: dict[str, str] | None = None,
    batch: ImportBatch | None = None,
    kbli_confidence: float | None = None,
    progress: Progress = no_progress,
) -> ImportResult:
    """Import `path` for `office`; with `dry_run`, report what would happen and write nothing.

    With `kbli_confidence`, rows without a KBLI code take the suggestion for their activity when it
    scores at least that much (a choice in `kbli_choices` comes first); the rest are left for review.
    """
    check_actor(actor, office)
    progress("reading", 0, 0)
    parsed = read_file(path, corrections)
    total = parsed.total
    rows = []
    for count, row in enumerate(parsed.rows(office), start=1):
        rows.append(row)
        if count % 500 == 0:
            progress("checking", count, total)
    kbli = []
    if kbli_confidence is not None:
        kbli = suggested_kbli(activities_without_kbli(rows), min_score=kbli_confidence)
        kbli_choices = {**{e["key"]: e["code"] for e in kbli if e["accepted"]}, **(kbli_choices or {})}
    options = {"office": office, "actor": actor, "kbli_choices": kbli_choices, "progress": progress}
    if dry_run:
        plan = plan_import(rows, **options)
        return ImportResult(batch=None, counts=plan.counts(), rows=plan.outcomes, parsed=parsed, kbli=kbli)
    user = actor if actor is not None and actor.is_authenticated else None
    if batch is None:
        batch = ImportBatch.objects.create(
            office=office, created_by=user, file_name=path.name[:255], status=ImportStatus.IMPORTING
        )
    batch.labels = [str(label) for label in parsed.labels]
    batch.sheet_labels = parsed.sheet_labels
    try:
        with jobs.heartbeat(JOB_KIND, batch.pk), bulk.bulk_write(_import_message(batch)) as write:
            # Matching and writing happen under the office's claim, so two imports of the same
            # file at once cannot both decide to create the same businesses.
            _claim_office(office, batch, write)
            plan = plan_import(rows, **options)
            _write(plan, batch, office, user, progress, write)
    except BaseException:
        remove_rows(batch)
        raise
    progress("done", total, total)
    return ImportResult(batch=batch, counts=plan.counts(), rows=plan.outcomes, parsed=parsed, kbli=kbli)


def _claim_office(office: Office, batch: ImportBatch, write: bulk.BulkWrite) -> None:
    """Take the office's import for this batch; refused while another of its imports is being written."""
    alive_since = timezone.now() - dt.timedelta(seconds=settings.REGISTRY_BULK_WRITE_STALE_SECONDS)
    with transaction.atomic():
        Office.objects.select_for_update().filter(pk=office.pk).exists()  # PostgreSQL: one claim at a time
        busy = (
            ImportBatch.objects.filter(
                office=office, bulk_write__published_at__isnull=True, bulk_write__heartbeat_at__gte=alive_since
            )
            .exclude(pk=batch.pk)
            .exists()
        )
        if busy:
            raise ImportRefused(_("Impor lain untuk kantor ini sedang ditulis; coba lagi setelah selesai."))
        ImportBatch.objects.filter(pk=batch.pk).update(bulk_write=write)


def remove_rows(batch: ImportBatch) -> None:
    """The rows an import that failed had written of its own (its registry rows go with its bulk write)."""
    while ids := list(ImportRow.objects.filter(batch=batch).values_list("pk", flat=True)[:LOOKUP_CHUNK]):
        ImportRow.objects.filter(pk__in=ids).delete()


@contextmanager
def _large_page_cache() -> Iterator[None]:
    """On SQLite, let this connection cache the indexes a big import writes into, then give it back.

    The default cache (64 MB) holds the list indexes of a few hundred thousand
    businesses; past that every insert rereads index pages from disk.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-1024 * int(settings.IMPORT_SQLITE_CACHE_MB)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _write(plan: Plan, batch: ImportBatch, office: Office, user, progress: Progress, write: bulk.BulkWrite) -> None:
    """New businesses in committed chunks of the bulk write, then one short transaction that applies
    the changes to registered records and publishes it all at once."""
    now = timezone.now()
    steps = len(plan.new_rows) + len(plan.updates)
    progress("writing", 0, steps)
    owners = _Owners(plan)
    new_rows = sorted(plan.new_rows, key=lambda r: normalize_label(r.values["business_name"]))  # index order
    size = settings.REGISTRY_BULK_WRITE_CHUNK
    for start in range(0, len(new_rows), size):
        chunk = new_rows[start : start + size]
        with transaction.atomic(), _large_page_cache(), bulk_inserts() as inserted:
            _create_businesses(chunk, owners, batch, office, user, now, write)
            inserted(row.values["_business_id"] for row in chunk)
        bulk.beat(write)
        progress("writing", start + len(chunk), steps)
    # Rows whose outcome the last step cannot change are kept now, a chunk per transaction.
    settles_last = {id(row) for row, _outcome, _note in plan.outcomes if _touches_registered_owner(plan, row)}
    settles_last.update(id(row) for row, _business, _before, _previous in plan.updates)
    early = [outcome for outcome in plan.outcomes if id(outcome[0]) not in settles_last]
    for start in range(0, len(early), size):
        with transaction.atomic():
            _write_rows(early[start : start + size], plan, batch, owners.created, {})
        bulk.beat(write)
    with transaction.atomic():
        _update_businesses(plan, batch, office, user, now)
        owner_fills = _fill_owners(plan, batch, user)
        late = [outcome for outcome in plan.outcomes if id(outcome[0]) in settles_last]
        _write_rows(late, plan, batch, owners.created, owner_fills)
        counts = plan.counts()
        batch.status = ImportStatus.DONE
        batch.finished_at = timezone.now()
        for name, value in counts.items():
            setattr(batch, f"{name}_count", value)
        batch.save()
        log_change(
            actor=user,
            action=ChangeAction.CREATE,
            instance=batch,
            after={"file": batch.file_name, **counts},
            message=_import_message(batch),
        )
        bulk.publish(write)
    progress("writing", steps, steps)


def _touches_registered_owner(plan: Plan, row: ParsedRow) -> bool:
    """Whether the row's owner is already registered: what it says of them is filled or proposed last."""
    return row.values.get("nik") in plan.persons


@dataclass
class _Owners:
    """Who owns each new business, across the chunks: registered owners by NIK, and those this import creates."""

    plan: Plan
    by_nik: dict[str, int] = field(default_factory=dict)
    created: set[int] = field(default_factory=set)  # rows (by `id(row)`) whose owner this import created

    # The row, in file order, whose values a new NIK's owner is created from, whichever chunk comes first.
    first_row: dict[str, ParsedRow] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_nik = {nik: person.pk for nik, person in self.plan.persons.items()}
        for row in self.plan.new_rows:
            nik = row.values.get("nik")
            if nik and nik not in self.by_nik:
                self.first_row.setdefault(nik, row)


def _create_businesses(
    rows: list[ParsedRow], owners: _Owners, batch: ImportBatch, office: Office, user, now, write: bulk.BulkWrite
) -> None:
    """Insert one chunk of new owners and businesses with their first product, history, fostering
    office and change-log entry, all tagged with the bulk write."""
    if not rows:
        return
    plan = owners.plan
    db_now = now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
    user_id = user.pk if user else None

    # Owners: one per NIK (registered, or created by an earlier row), one per row without a NIK.
    new_persons: list[tuple[ParsedRow, str | None]] = []
    owner_of: dict[int, int] = {}
    pending_nik: set[str] = set()
    for row in rows:
        nik = row.values.get("nik")
        if nik and (nik in owners.by_nik or nik in pending_nik):
            continue
        source = owners.first_row[nik] if nik else row
        new_persons.append((source, nik))
        owners.created.add(id(source))
        if nik:
            pending_nik.add(nik)
    person_ids = reserve_ids(Person, len(new_persons))
    for (row, nik), pk in zip(new_persons, person_ids, strict=True):
        owner_of[id(row)] = pk
        if nik:
            owners.by_nik[nik] = pk
    for row in rows:
        if id(row) not in owner_of:
            owner_of[id(row)] = owners.by_nik[row.values["nik"]]
    insert_rows(
        Person,
        [
            "id",
            "nik",
            "full_name",
            "sex",
            "birth_date",
            "phone",
            "address",
            "home_regency_id",
            "bulk_write_id",
            "created_at",
            "updated_at",
        ],
        (
            (
                pk,
                nik,
                row.values["owner_name"][:150],
                row.values.get("sex", ""),
                row.values.get("birth_date"),
                row.values.get("phone", ""),
                "",
                office.regency_id,
                write.pk,
                db_now,
                db_now,
            )
            for (row, nik), pk in zip(new_persons, person_ids, strict=True)
        ),
    )

    business_ids = reserve_ids(Business, len(rows))
    kbli_sections = dict(Kbli.objects.filter(level=KbliLevel.SUBCLASS).values_list("code", "section"))
    columns = [
        "id",
        "name",
        "owner_id",
        "nib",
        "kbli_id",
        "kbli_section",
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
        "created_at",
        "updated_at",
        "created_by_id",
        "bulk_write_id",
        "activity",
    ]
    default_status = Business._meta.get_field("status").default
    default_maturity = Business._meta.get_field("maturity").default
    default_legal_form = Business._meta.get_field("legal_form").default

    sizes: list[tuple[int, str]] = []  # each new business's size class, for its history

    def business_values(row: ParsedRow, pk: int) -> tuple:
        values = row.values
        village = values["village"]
        capital, turnover = values.get("capital"), values.get("annual_turnover")
        size_class, size_basis = size_class_for(capital, turnover)
        sizes.append((pk, size_class))
        kbli = values.get("kbli")
        product = values.get("product", "")
        row.values["_business_id"] = pk
        return (
            pk,
            values["business_name"][:200],
            owner_of[id(row)],
            values.get("nib", ""),
            kbli,
            kbli_sections.get(kbli, "") if kbli else "",
            _address(values),
            village,
            village[:8],
            village[:5],
            village[:2],
            values.get("latitude"),
            values.get("longitude"),
            values.get("start_year"),
            values.get("start_month"),
            values.get("legal_form", default_legal_form),
            capital,
            turnover,
            values.get("workers_male", 0),
            values.get("workers_female", 0),
            0,
            0,
            default_status,
            default_maturity,
            size_class,
            size_basis,
            search_text_for(values["business_name"], values["owner_name"], [product] if product else []),
            db_now,
            db_now,
            user_id,
            write.pk,
            values.get("activity", "")[:200],
        )

    with deferred_search_index() as index_later:
        values = [business_values(row, pk) for row, pk in zip(rows, business_ids, strict=True)]
        insert_rows(Business, columns, values)
        _CreationLog(columns, office, user, batch).write(values)
        index_later(business_ids)
    _log_links(plan, rows, owner_of, owners.created, user, batch)

    insert_rows(
        Product,
        ["business_id", "name", "category", "unit", "packaging", "photo"],
        (
            (row.values["_business_id"], row.values["product"][:150], "lainnya", "pcs", "lainnya", "")
            for row in rows
            if row.values.get("product")
        ),
    )
    # The licences a legality column named (`PIRT 2063316010123-25`), for new businesses only: a
    # registered business's licences are kept by its page, where each has its dates.
    insert_rows(
        Licence,
        ["business_id", "kind", "number"],
        ((row.values["_business_id"], kind, number) for row in rows for kind, number in row.values.get("licences", ())),
    )
    insert_rows(
        StatusChange,
        ["business_id", "status", "previous_status", "changed_at", "changed_by_id"],
        ((pk, default_status, "", db_now, user_id) for pk in business_ids),
    )
    insert_rows(
        MaturityChange,
        ["business_id", "stage", "previous_stage", "changed_at", "changed_by_id"],
        ((pk, default_maturity, "", db_now, user_id) for pk in business_ids),
    )
    insert_rows(
        SizeClassChange,
        ["business_id", "size_class", "previous_size_class", "changed_at", "changed_by_id"],
        ((pk, size_class, "", db_now, user_id) for pk, size_class in sizes),
    )
    insert_rows(
        Business.fostering_offices.through,
        ["business_id", "office_id"],
        ((pk, office.pk) for pk in business_ids),
    )


def _import_message(batch: ImportBatch) -> str:
    return _("impor #%(id)s: %(file)s") % {"id": batch.pk, "file": batch.file_name}


class _CreationLog:
    """One change-log entry per business an import creates, as the form's creation writes, in bulk.

    The values are the inserted row's non-blank fields (the form logs them all; an import of a
    million rows would store a gigabyte of blanks).
    """

    SKIPPED = {"id", "search_text", "created_at", "updated_at", "bulk_write_id"}

    def __init__(self, columns: list[str], office: Office, user, batch: ImportBatch) -> None:
        fields = {f.attname: f for f in Business._meta.concrete_fields}
        logged = [(i, fields[column]) for i, column in enumerate(columns) if column not in self.SKIPPED]
        # Only coordinates (Decimal) need turning into JSON; the rest are already text, numbers or None.
        self.plain = [(i, f.name) for i, f in logged if f.get_internal_type() != "DecimalField"]
        self.decimal = [(i, f.name) for i, f in logged if f.get_internal_type() == "DecimalField"]
        self.office, self.user, self.batch = office, user, batch

    def _after(self, row: tuple) -> dict:
        after = {name: row[i] for i, name in self.plain if row[i] is not None and row[i] != ""}
        after.update((name, str(row[i])) for i, name in self.decimal if row[i] is not None)
        after["fostering_offices"] = [self.office.pk]
        return after

    def write(self, rows: list[tuple]) -> None:
        log_changes(
            actor=self.user,
            model=Business,
            action=ChangeAction.CREATE,
            message=_import_message(self.batch),
            entries=((row[0], str(row[1]), None, self._after(row)) for row in rows),
        )


def _log_links(
    plan: Plan, rows: list[ParsedRow], owner_of: dict[int, int], created_owner: set[int], user, batch: ImportBatch
) -> None:
    """On each registered owner a new business joined: a change-log entry, so every office sharing them sees it."""
    by_pk = {person.pk: person for person in plan.persons.values()}
    joined = [
        (by_pk[owner_of[id(row)]], row) for row in rows if owner_of[id(row)] in by_pk and id(row) not in created_owner
    ]
    log_changes(
        actor=user,
        model=Person,
        action=ChangeAction.UPDATE,
        message=_("UMKM baru untuk pemilik ini, lewat %(import)s") % {"import": _import_message(batch)},
        entries=(
            (
                person.pk,
                str(person),
                {"UMKM": None},
                {"UMKM": f"{row.values['business_name']} (#{row.values['_business_id']})"},
            )
            for person, row in joined
        ),
    )


def _update_businesses(plan: Plan, batch: ImportBatch, office: Office, user, now) -> None:
    """Save the changed businesses, each with a change-log entry naming this import."""
    if not plan.updates:
        return
    businesses = [business for _row, business, _before, _previous in plan.updates]
    ids = [business.pk for business in businesses]
    products = product_names_by_business(ids)  # the search text keeps each business's product names
    kbli_sections = dict(Kbli.objects.filter(level=KbliLevel.SUBCLASS).values_list("code", "section"))
    changes: list[Entry] = []
    sizes = []
    for row, business, _before, previous in plan.updates:
        business.refresh_derived_fields(
            product_names=products.get(business.pk, []), kbli_section=kbli_sections.get(business.kbli_id, "")
        )
        sizes.append((business.pk, previous["size_class"], business.size_class))
        business.updated_at = now
        changes.append((business.pk, str(business), previous, snapshot(business)))
        row.values["_business_id"] = business.pk
    Business.objects.bulk_update(
        businesses,
        [
            *BUSINESS_FIELDS.values(),
            "district_id",
            "regency_id",
            "province_id",
            "kbli_section",
            "size_class",
            "size_basis",
            "search_text",
            "updated_at",
        ],
        batch_size=2000,
    )
    through = Business.fostering_offices.through
    through.objects.bulk_create(
        [through(business_id=pk, office_id=office.pk) for pk in ids], ignore_conflicts=True, batch_size=5000
    )
    log_changes(actor=user, model=Business, action=ChangeAction.UPDATE, entries=changes, message=_import_message(batch))
    record_size_class_changes(sizes, actor=user, when=now)


def _fill_owners(plan: Plan, batch: ImportBatch, user) -> dict[int, dict]:
    """What the sheet says of registered owners: fill the blanks of those this import keeps, each logged
    with its before; propose the rest to their keeping office (docs/owners.md). Per row, what undo needs.
    """
    fills: dict[int, dict] = {}
    changed: dict[int, tuple[Person, dict]] = {}
    proposed: dict[tuple[int, str], PersonProposal] = {}
    for row, outcome, _note in plan.outcomes:
        if outcome not in (RowOutcome.CREATED, RowOutcome.UPDATED):
            continue
        person = plan.persons.get(row.values.get("nik"))
        if person is None:
            continue
        if person.pk not in plan.kept:
            proposal = _propose(person, row, batch, user, proposed)
            if proposal is not None:
                fills[id(row)] = {"proposal": proposal.pk}
            continue
        fields = {}
        for source in PERSON_FILLABLE:
            target = PERSON_FIELDS[source]
            if row.values.get(source) and not getattr(person, target):
                if person.pk not in changed:
                    changed[person.pk] = (person, snapshot(person))
                fields[target] = [_jsonable(getattr(person, target)), _jsonable(row.values[source])]
                setattr(person, target, row.values[source])
        if fields:
            fills[id(row)] = {"owner": {"id": person.pk, "fields": fields}}
            person.updated_at = timezone.now()
    if changed:
        Person.objects.bulk_update([person for person, _before in changed.values()], [*PERSON_FILLED, "updated_at"])
        for person, before in changed.values():
            log_change(
                actor=user,
                action=ChangeAction.UPDATE,
                instance=person,
                before=before,
                after=snapshot(person),
                message=_import_message(batch),
            )
    return fills


def _propose(
    person: Person, row: ParsedRow, batch: ImportBatch, user, proposed: dict[tuple[int, str], PersonProposal]
) -> PersonProposal | None:
    """A proposal to the keeping office of what the row says of an owner kept elsewhere; one per owner and value set."""
    values = {PERSON_FIELDS[source]: row.values[source] for source in PERSON_FILLABLE if row.values.get(source)}
    key = (person.pk, json.dumps(values, sort_keys=True, default=str))
    if key not in proposed:
        proposal = propose_person_change(actor=user, person=person, values=values, source=_import_message(batch))
        if proposal is None:
            return None
        proposed[key] = proposal
    return proposed[key]


def _write_rows(
    outcomes: list[tuple[ParsedRow, str, str]],
    plan: Plan,
    batch: ImportBatch,
    created_owner: set[int],
    owner_fills: dict[int, dict],
) -> None:
    """One `ImportRow` per row; the cells are kept for rows that were not imported, to hand back."""
    befores = {id(row): before for row, _business, before, _previous in plan.updates}

    def values(row: ParsedRow, outcome: str, note: str) -> tuple:
        imported = outcome in (RowOutcome.CREATED, RowOutcome.UPDATED)
        before = {name: _jsonable(value) for name, value in befores.get(id(row), {}).items()}
        before.update(owner_fills.get(id(row), {}))
        reasons = row.errors or ({"_": str(note)} if note else {})
        return (
            batch.pk,
            row.sheet[:100],
            row.number,
            outcome,
            json.dumps(reasons, ensure_ascii=False) if reasons else "{}",
            # Warned rows keep their cells too: the officer fixes the value and imports the row again.
            "[]"
            if imported and not row.warnings
            else json.dumps(_jsonable_cells(row.cells), ensure_ascii=False, default=str),
            row.values.get("_business_id") if imported else None,
            id(row) in created_owner,
            json.dumps(before, ensure_ascii=False) if before else "{}",
            json.dumps(row.warnings, ensure_ascii=False) if row.warnings else "{}",
            json.dumps(row.typed, ensure_ascii=False) if row.typed else "{}",
        )

    insert_rows(
        ImportRow,
        [
            "batch_id",
            "sheet",
            "number",
            "outcome",
            "reasons",
            "cells",
            "business_id",
            "owner_created",
            "before",
            "warnings",
            "typed",
        ],
        (values(*outcome) for outcome in outcomes),
    )


def _jsonable(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is not None and not isinstance(value, str | int | float | bool):
        return str(value)
    return value


def _jsonable_cells(cells: list[object]) -> list[object]:
    return [_jsonable(value) for value in cells]
