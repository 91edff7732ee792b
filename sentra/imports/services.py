"""Importing an office's spreadsheet into the registry: all rows or none.

Every row ends created, updated, skipped (blank, totals, a repeat of an
earlier row, or nothing new) or rejected with a reason per field. Reading and
checking write nothing (the preview is exactly that). An import writes its new
businesses in bulk, a committed chunk at a time as the planner decides them
(planning.py; a big file parsed meanwhile in a child, parsing.py), hidden in
one bulk write until a last short transaction publishes them with the updates:
a crash or a kill leaves the registry as it was.

The browser flow keeps one `ImportBatch` through its life: uploaded → checked
(preview) → importing → done, and possibly undone. The command runs the same
functions in one go.
"""

import datetime as dt
import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import Office
from sentra.audit.models import ChangeAction
from sentra.audit.services import Entry, change_rows, insert_changes, log_change, log_changes, snapshot
from sentra.core import jobs
from sentra.core.bulk import insert_rows, insert_selected, reserve_ids
from sentra.core.chunk_writer import ChunkWriter
from sentra.core.scope import ensure_may
from sentra.imports.files import ImportRefused, ParsedFile, RowContext, read_file
from sentra.imports.headers import normalize_label
from sentra.imports.models import ImportBatch, ImportRow, ImportStatus, RowOutcome
from sentra.imports.parsing import parsed_apart, row_chunks
from sentra.imports.planning import (
    BUSINESS_FIELDS,
    DERIVED_BUSINESS_COLUMNS,
    LOOKUP_CHUNK,
    PERSON_FIELDS,
    PERSON_FILLABLE,
    PERSON_FILLED,
    Plan,
    Planner,
    business_derived,
)
from sentra.imports.progress import JOB_KIND, no_progress
from sentra.imports.rows import ParsedRow
from sentra.kbli.models import Kbli, KbliLevel
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
from sentra.registry.search import deferred_search_index
from sentra.registry.selectors import product_names_by_business
from sentra.registry.services import propose_person_change, record_size_class_changes
from sentra.registry.signals import bulk_inserts

Progress = Callable[[str, int, int], None]


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
    ensure_may(actor, "change", office.pk, _("Anda hanya boleh mengimpor ke kantor Anda sendiri."))


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
    A big file is parsed in a child process while the rows parsed before are matched and written.
    """
    check_actor(actor, office)
    progress("reading", 0, 0)
    context = RowContext.of(office)
    apart = not dry_run and kbli_confidence is None and path.stat().st_size >= settings.IMPORT_PARSE_APART_BYTES
    with ExitStack() as stack:
        child = stack.enter_context(parsed_apart(path, corrections, context)) if apart else None
        parsed = read_file(path, corrections)
        total = parsed.total
        chunks = child.chunks(parsed) if child else row_chunks(parsed, context)
        kbli: list[dict] = []
        if kbli_confidence is not None:  # the suggestions are asked for every activity of the file at once
            rows = _all_rows(chunks, progress, total)
            kbli = suggested_kbli(activities_without_kbli(rows), min_score=kbli_confidence)
            kbli_choices = {**{e["key"]: e["code"] for e in kbli if e["accepted"]}, **(kbli_choices or {})}
            chunks = iter([rows])
        planner = Planner(office=office, actor=actor, kbli_choices=kbli_choices)
        if dry_run:
            for chunk in _counted(chunks, progress, total):
                planner.add(chunk)
            plan = planner.finish()
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
                with _Writer(planner.plan, batch, office, user, write) as writer:
                    seen = reported = 0
                    progress("writing", 0, total)
                    for chunk in chunks:
                        seen += len(chunk)
                        writer.add(planner.add(chunk), seen)
                        if writer.committed != reported:  # a chunk committed: the rows up to there are in
                            reported = writer.committed
                            progress("writing", reported, total)
                    writer.flush(seen)
                plan = planner.finish()
                writer.finish()
                progress("writing", total, total)
        except BaseException:
            remove_rows(batch)
            raise
    progress("done", total, total)
    return ImportResult(batch=batch, counts=plan.counts(), rows=plan.outcomes, parsed=parsed, kbli=kbli)


def _counted(chunks: Iterable[list[ParsedRow]], progress: Progress, total: int) -> Iterator[list[ParsedRow]]:
    seen = 0
    for chunk in chunks:
        seen += len(chunk)
        progress("checking", seen, total)
        yield chunk


def _all_rows(chunks: Iterable[list[ParsedRow]], progress: Progress, total: int) -> list[ParsedRow]:
    return [row for chunk in _counted(chunks, progress, total) for row in chunk]


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


class _Writer:
    """Writes the new businesses as the planner finds them, in committed chunks of the bulk write
    (each chunk in name order, the order of the list indexes); then, once the plan is finished, the
    import's own rows and the changes to registered records in one short transaction that publishes
    it all at once."""

    def __init__(self, plan: Plan, batch: ImportBatch, office: Office, user, write: bulk.BulkWrite) -> None:
        self.plan, self.batch, self.office, self.user, self.write = plan, batch, office, user, write
        self.now = timezone.now()
        self.size = settings.REGISTRY_BULK_WRITE_CHUNK
        self.owners = _Owners(plan)
        self.pending: list[ParsedRow] = []
        self.kbli_sections = kbli_sections()
        # Writes each chunk, on PostgreSQL while the next is planned and made. Left on an error, it
        # stops before the bulk write removes what was written.
        self.chunks: ChunkWriter[_Chunk] = ChunkWriter(self._write)
        self.up_to: list[int] = []  # per chunk sent, the file's rows whose new businesses it completes

    @property
    def committed(self) -> int:
        """The file's rows up to which every new business is committed."""
        done = self.chunks.committed
        return self.up_to[done - 1] if done else 0

    def __enter__(self) -> "_Writer":
        self.chunks.__enter__()
        return self

    def __exit__(self, *error) -> None:
        self.chunks.__exit__(*error)

    def add(self, rows: list[ParsedRow], seen: int) -> None:
        """Take the next new rows, of the file's first `seen`."""
        self.owners.add(rows)
        self.pending.extend(rows)
        while len(self.pending) >= self.size:
            chunk, self.pending = self.pending[: self.size], self.pending[self.size :]
            self._create(chunk, seen - len(self.pending))

    def flush(self, seen: int) -> None:
        """Write the rows left, and wait until every chunk is written."""
        if self.pending:
            self._create(self.pending, seen)
            self.pending = []
        self.chunks.close()

    def _create(self, rows: list[ParsedRow], up_to: int) -> None:
        rows = sorted(rows, key=lambda r: normalize_label(r.values["business_name"]))  # index order
        if not rows:
            return
        # Written here, the chunk's ids are taken in its own transaction (SQLite's come after the highest).
        with nullcontext() if self.chunks.apart else transaction.atomic():
            chunk = _prepared_chunk(
                rows, self.owners, self.batch, self.office, self.user, self.now, self.write, self.kbli_sections
            )
            # A new business's row is settled (created) unless its owner is registered: kept now, beside
            # the parsing, rather than after it.
            settled = [row for row in rows if not _touches_registered_owner(self.plan, row)]
            chunk.import_rows = _import_rows(
                [(row, RowOutcome.CREATED, "") for row in settled], self.plan, self.batch, self.owners.created, {}
            )
            self.up_to.append(up_to)
            self.chunks.send(chunk)

    def _write(self, chunk: "_Chunk", in_turn: Callable[[], None]) -> None:
        _write_chunk(chunk, self.batch, self.office, self.user, self.write, in_turn)

    def finish(self) -> None:
        """Once the planner has finished: keep every row's outcome, apply the updates and owner fills,
        and publish."""
        plan, batch, user, write = self.plan, self.batch, self.user, self.write
        # Rows whose outcome the last step cannot change are kept now, a chunk per transaction; the
        # new businesses' rows were, with their chunks.
        settles_last = {id(row) for row, _outcome, _note in plan.outcomes if _touches_registered_owner(plan, row)}
        settles_last.update(id(row) for row, _business, _before, _previous in plan.updates)
        early = [
            outcome
            for outcome in plan.outcomes
            if outcome[1] != RowOutcome.CREATED and id(outcome[0]) not in settles_last
        ]

        def write_chunk(rows: list[tuple], _in_turn: Callable[[], None]) -> None:
            with transaction.atomic():  # refers to committed businesses only: in any order
                _insert_import_rows(rows)
            bulk.beat(write)

        with ChunkWriter(write_chunk) as written:
            for start in range(0, len(early), self.size):
                written.send(_import_rows(early[start : start + self.size], plan, batch, self.owners.created, {}))
        with transaction.atomic():
            _update_businesses(plan, batch, self.office, user, self.now)
            owner_fills = _fill_owners(plan, batch, user)
            late = [outcome for outcome in plan.outcomes if id(outcome[0]) in settles_last]
            _insert_import_rows(_import_rows(late, plan, batch, self.owners.created, owner_fills))
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


def _touches_registered_owner(plan: Plan, row: ParsedRow) -> bool:
    """Whether the row's owner is already registered: what it says of them is filled or proposed last."""
    return row.values.get("nik") in plan.persons


@dataclass
class _Owners:
    """Who owns each new business, across the chunks: registered owners by NIK, and those this import creates."""

    plan: Plan
    by_nik: dict[str, int] = field(default_factory=dict)
    created: set[int] = field(default_factory=set)  # rows (by `id(row)`) whose owner this import created
    created_pks: set[int] = field(default_factory=set)  # the persons created by the chunks made so far

    # The row, in file order, whose values a new NIK's owner is created from, whichever chunk comes first.
    first_row: dict[str, ParsedRow] = field(default_factory=dict)

    def add(self, rows: list[ParsedRow]) -> None:
        """Take the next new rows, in file order."""
        persons = self.plan.persons
        for row in rows:
            nik = row.values.get("nik")
            if not nik:
                continue
            if nik in persons:
                self.by_nik.setdefault(nik, persons[nik].pk)
            elif nik not in self.by_nik:
                self.first_row.setdefault(nik, row)


def kbli_sections() -> dict[str, str]:
    """Each KBLI subclass's section (the business's `kbli_section`), read once per import."""
    return dict(Kbli.objects.filter(level=KbliLevel.SUBCLASS).values_list("code", "section"))


PERSON_COLUMNS = [
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
]
# What the import decides (ids, owner, KBLI, who and when), then what the row alone does.
BUSINESS_COLUMNS = [
    "id",
    "owner_id",
    "kbli_id",
    "kbli_section",
    "created_at",
    "updated_at",
    "created_by_id",
    "bulk_write_id",
    *DERIVED_BUSINESS_COLUMNS,
]


@dataclass
class _Chunk:
    """One chunk of new owners and businesses as rows to insert, made while the planner reads on
    (`_prepared_chunk`) and written apart from it (`_write_chunk`): nothing here changes after."""

    persons: list[tuple]
    businesses: list[tuple]
    business_ids: list[int]
    changes: Iterable[tuple]  # the change log: each new business, and each registered owner one joined
    after_earlier: bool  # some of its businesses are owned by a person an earlier chunk created
    products: list[tuple]
    licences: list[tuple]
    import_rows: list[tuple] = field(default_factory=list)  # the rows of the file it settles


def _prepared_chunk(
    rows: list[ParsedRow],
    owners: _Owners,
    batch: ImportBatch,
    office: Office,
    user,
    now,
    write: bulk.BulkWrite,
    sections: dict[str, str],
) -> _Chunk:
    """The rows of one chunk of new owners and businesses, with their ids (each row's business id
    kept in `_business_id`). Owners are settled here, chunk after chunk, in file order."""
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
    after_earlier = any(owner_of[id(row)] in owners.created_pks for row in rows)
    owners.created_pks.update(person_ids)
    persons = [
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
    ]

    business_ids = reserve_ids(Business, len(rows))
    write_pk = write.pk
    businesses = []
    for row, pk in zip(rows, business_ids, strict=True):
        kbli = row.values.get("kbli")  # the officer's choice may have come since the row was parsed
        row.values["_business_id"] = pk
        businesses.append(
            (
                pk,
                owner_of[id(row)],
                kbli,
                sections.get(kbli, "") if kbli else "",
                db_now,
                db_now,
                user_id,
                write_pk,
                *(row.derived or business_derived(row.values)),
            )
        )
    return _Chunk(
        persons=persons,
        businesses=businesses,
        business_ids=business_ids,
        after_earlier=after_earlier,
        # Made as they are written (on the writer's thread): from values that no longer change.
        changes=itertools.chain(
            _CreationLog(BUSINESS_COLUMNS, office, user, batch).rows(businesses),
            change_rows(
                actor=user,
                model=Person,
                action=ChangeAction.UPDATE,
                message=_("UMKM baru untuk pemilik ini, lewat %(import)s") % {"import": _import_message(batch)},
                entries=_link_entries(plan, rows, owner_of, owners.created),
            ),
        ),
        products=[
            (row.values["_business_id"], row.values["product"][:150], "lainnya", "pcs", "lainnya", "")
            for row in rows
            if row.values.get("product")
        ],
        # The licences a legality column named (`PIRT 2063316010123-25`), for new businesses only: a
        # registered business's licences are kept by its page, where each has its dates.
        licences=[
            (row.values["_business_id"], kind, number)
            for row in rows
            for kind, number in row.values.get("licences", ())
        ],
    )


def _write_chunk(
    chunk: _Chunk, batch: ImportBatch, office: Office, user, write: bulk.BulkWrite, in_turn: Callable[[], None]
) -> None:
    """Insert one chunk of new owners and businesses with their first product, history, fostering
    office and change-log entry, all tagged with the bulk write, and commit it once every earlier
    chunk has when an owner is a person an earlier chunk created (`in_turn`)."""
    with transaction.atomic(), _large_page_cache(), bulk_inserts() as inserted:
        insert_rows(Person, PERSON_COLUMNS, chunk.persons)
        with deferred_search_index() as index_later:
            insert_rows(Business, BUSINESS_COLUMNS, chunk.businesses)
            index_later(chunk.business_ids)
        insert_changes(chunk.changes)
        insert_rows(Product, ["business_id", "name", "category", "unit", "packaging", "photo"], chunk.products)
        insert_rows(Licence, ["business_id", "kind", "number"], chunk.licences)
        _first_histories(write, chunk.business_ids, office)
        _insert_import_rows(chunk.import_rows)
        inserted(chunk.business_ids)
        if chunk.after_earlier:
            in_turn()  # its owners' rows committed first, for the foreign keys checked at commit
    bulk.beat(write)


def _first_histories(write: bulk.BulkWrite, business_ids: list[int], office: Office) -> None:
    """Each new business's first status, stage and size class, and its fostering office, made by the
    database from the business rows just inserted: the chunk's ids are the bulk write's between the
    lowest and highest reserved (ids only grow, on both databases)."""
    # The unary + keeps both databases from reading the bulk write's index: mid-import its statistics
    # are stale, and that index holds every business written so far, which made each chunk slower.
    where = "FROM registry_business WHERE id BETWEEN %s AND %s AND +bulk_write_id = %s"
    params = [min(business_ids), max(business_ids), write.pk]
    for model, field_names, column in (
        (StatusChange, ["status", "previous_status"], "status"),
        (MaturityChange, ["stage", "previous_stage"], "maturity"),
        (SizeClassChange, ["size_class", "previous_size_class"], "size_class"),
    ):
        insert_selected(
            model,
            ["business_id", *field_names, "changed_at", "changed_by_id"],
            f"SELECT id, {column}, '', created_at, created_by_id {where}",  # noqa: S608 - our own columns
            params,
        )
    insert_selected(
        Business.fostering_offices.through, ["business_id", "office_id"], f"SELECT id, %s {where}", [office.pk, *params]
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
        self.name_at = columns.index("name")

    def _after(self, row: tuple) -> dict:
        after = {name: row[i] for i, name in self.plain if row[i] is not None and row[i] != ""}
        after.update((name, str(row[i])) for i, name in self.decimal if row[i] is not None)
        after["fostering_offices"] = [self.office.pk]
        return after

    def rows(self, rows: list[tuple]) -> Iterator[tuple]:
        """The change-log rows of the businesses inserted as `rows`."""
        return change_rows(
            actor=self.user,
            model=Business,
            action=ChangeAction.CREATE,
            message=_import_message(self.batch),
            entries=((row[0], str(row[self.name_at]), None, self._after(row)) for row in rows),
        )


def _link_entries(plan: Plan, rows: list[ParsedRow], owner_of: dict[int, int], created_owner: set[int]) -> list[Entry]:
    """On each registered owner a new business joined: a change-log entry, so every office sharing them sees it."""
    by_pk = {person.pk: person for person in plan.persons.values()}
    joined = [
        (by_pk[owner_of[id(row)]], row) for row in rows if owner_of[id(row)] in by_pk and id(row) not in created_owner
    ]
    return [
        (
            person.pk,
            str(person),
            {"UMKM": None},
            {"UMKM": f"{row.values['business_name']} (#{row.values['_business_id']})"},
        )
        for person, row in joined
    ]


def _update_businesses(plan: Plan, batch: ImportBatch, office: Office, user, now) -> None:
    """Save the changed businesses, each with a change-log entry naming this import."""
    if not plan.updates:
        return
    businesses = [business for _row, business, _before, _previous in plan.updates]
    ids = [business.pk for business in businesses]
    products = product_names_by_business(ids)  # the search text keeps each business's product names
    sections = kbli_sections()
    changes: list[Entry] = []
    sizes = []
    for row, business, _before, previous in plan.updates:
        business.refresh_derived_fields(
            product_names=products.get(business.pk, []), kbli_section=sections.get(business.kbli_id, "")
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


IMPORT_ROW_COLUMNS = [
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
]


def _import_rows(
    outcomes: list[tuple[ParsedRow, str, str]],
    plan: Plan,
    batch: ImportBatch,
    created_owner: set[int],
    owner_fills: dict[int, dict],
) -> list[tuple]:
    """One `ImportRow` per row (`IMPORT_ROW_COLUMNS`); the cells are kept for rows that were not
    imported, to hand back."""
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

    return [values(*outcome) for outcome in outcomes]


def _insert_import_rows(rows: list[tuple]) -> None:
    insert_rows(ImportRow, IMPORT_ROW_COLUMNS, rows)


def _jsonable(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is not None and not isinstance(value, str | int | float | bool):
        return str(value)
    return value


def _jsonable_cells(cells: list[object]) -> list[object]:
    return [_jsonable(value) for value in cells]
