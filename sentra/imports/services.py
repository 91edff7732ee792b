"""Importing an office's spreadsheet into the registry: all rows or none.

Every row ends created, updated, skipped (blank, totals, a repeat of an
earlier row, or nothing new) or rejected with a reason per field. The whole
file is written in one transaction, in bulk, with the change log written as
for any other edit.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import Office
from sentra.audit.middleware import current_request_id
from sentra.audit.models import ChangeAction, ObjectChange
from sentra.audit.services import snapshot
from sentra.imports.headers import find_header, normalize_label
from sentra.imports.models import ImportBatch, ImportRow, RowOutcome
from sentra.imports.reading import UnreadableFile, read_workbook
from sentra.imports.rows import ParsedRow, parse_row
from sentra.imports.values import RegionMatcher
from sentra.kbli.models import Kbli, KbliLevel
from sentra.registry.models import Business, MaturityChange, Person, Product, StatusChange
from sentra.registry.search import search_text_for

# Sheet values that may overwrite a registered business, and the Business field each fills.
BUSINESS_FIELDS = {
    "business_name": "name",
    "nib": "nib",
    "kbli": "kbli_id",
    "address": "address",
    "village": "village_id",
    "capital": "capital",
    "annual_turnover": "annual_turnover",
    "workers_male": "workers_paid_male",
    "workers_female": "workers_paid_female",
    "start_year": "start_year",
    "legal_form": "legal_form",
}
PERSON_FIELDS = {"owner_name": "full_name", "sex": "sex", "birth_date": "birth_date", "phone": "phone"}


class ImportRefused(Exception):
    """The import cannot start (file unreadable, no header, no permission); nothing was written."""


@dataclass
class ImportResult:
    batch: ImportBatch | None
    counts: dict[str, int]
    rows: list[tuple[ParsedRow, str, str]] = field(default_factory=list)  # (row, outcome, note)


def _check_actor(actor, office: Office) -> None:
    if office.regency_id is None:
        raise ImportRefused(_("Impor ditujukan ke kantor kabupaten/kota; pilih kantor kabupaten/kota."))
    if actor is None or actor.is_superuser:
        return
    if not actor.can_edit_registry or actor.office_id != office.pk:
        raise PermissionDenied(_("Anda hanya boleh mengimpor ke kantor Anda sendiri."))


def parse_file(path: Path, office: Office) -> tuple[list[str], Iterator[ParsedRow]]:
    """The first header's labels and every data row of every sheet, parsed."""
    sheets = read_workbook(path)
    regions = RegionMatcher(office.regency_id)
    kbli_codes = set(Kbli.objects.filter(level=KbliLevel.SUBCLASS).values_list("code", flat=True))
    headers = [(sheet, find_header(sheet.rows)) for sheet in sheets]
    found = [(sheet, header) for sheet, header in headers if header is not None]
    if not found:
        raise ImportRefused(_("Tidak ditemukan baris judul kolom (mis. NAMA PEMILIK, NAMA USAHA, DESA) di berkas ini."))
    missing = {"owner_name", "business_name", "village"} - set(found[0][1].mapping.values())
    if missing:
        raise ImportRefused(_("Kolom wajib tidak ditemukan: %(columns)s.") % {"columns": ", ".join(sorted(missing))})

    def rows() -> Iterator[ParsedRow]:
        for sheet, header in found:
            for index in range(header.data_start, len(sheet.rows)):
                yield parse_row(
                    sheet=sheet.name,
                    number=index + 1,
                    cells=sheet.rows[index],
                    header=header,
                    regions=regions,
                    kbli_codes=kbli_codes,
                )

    return found[0][1].labels, rows()


def import_file(*, path: Path, office: Office, actor=None, dry_run: bool = False) -> ImportResult:
    """Import `path` for `office`; with `dry_run`, report what would happen and write nothing."""
    _check_actor(actor, office)
    try:
        labels, rows = parse_file(path, office)
    except UnreadableFile as error:
        raise ImportRefused(str(error)) from error
    with transaction.atomic():
        result = _write(labels, list(rows), path.name, office, actor)
        if dry_run:
            transaction.set_rollback(True)
            result.batch = None
    return result


def _jsonable_cells(cells: list[object]) -> list[object]:
    return [value.isoformat() if isinstance(value, dt.date | dt.datetime) else value for value in cells]


def _write(labels, rows: list[ParsedRow], file_name: str, office: Office, actor) -> ImportResult:
    now = timezone.now()
    user = actor if actor is not None and actor.is_authenticated else None
    batch = ImportBatch.objects.create(office=office, created_by=user, file_name=file_name[:255], labels=labels)
    outcomes: list[tuple[ParsedRow, str, str]] = []
    seen: dict[tuple, ParsedRow] = {}
    candidates: list[ParsedRow] = []
    for row in rows:
        if row.skip_reason:
            outcomes.append((row, RowOutcome.SKIPPED, row.skip_reason))
        elif row.rejected:
            outcomes.append((row, RowOutcome.REJECTED, ""))
        elif (earlier := seen.get(row.identity())) is not None:
            note = _("sama dengan baris %(number)s lembar %(sheet)s") % {
                "number": earlier.number,
                "sheet": earlier.sheet,
            }
            outcomes.append((row, RowOutcome.SKIPPED, note))
        else:
            seen[row.identity()] = row
            candidates.append(row)

    existing = _existing_businesses(candidates)
    persons = {
        p.nik: p for p in Person.objects.filter(nik__in={r.values["nik"] for r in candidates if "nik" in r.values})
    }
    editable = set(
        Business.objects.filter(pk__in=[b.pk for b in existing.values()], regency_id=office.regency_id)
        .filter(**({} if actor is None else {"pk__in": Business.objects.restrict(actor, "change").values("pk")}))
        .values_list("pk", flat=True)
    )
    new_rows, updated, changes = [], [], []
    business_type = ContentType.objects.get_for_model(Business)
    for row in candidates:
        business = existing.get(row.identity())
        if business is None:
            new_rows.append(row)
            continue
        if business.pk not in editable:
            row.errors["business_name"] = _("UMKM ini sudah terdaftar di luar wilayah kerja kantor ini.")
            outcomes.append((row, RowOutcome.REJECTED, ""))
            continue
        before = snapshot(business)
        for source, target in BUSINESS_FIELDS.items():
            if source in row.values:
                setattr(business, target, row.values[source])
        business.refresh_derived_fields()
        after = snapshot(business)
        if before == after:
            outcomes.append((row, RowOutcome.SKIPPED, _("tidak ada perubahan")))
            continue
        business.updated_at = now
        updated.append(business)
        changes.append(_change(business_type, business, ChangeAction.UPDATE, before, after, user, batch))
        outcomes.append((row, RowOutcome.UPDATED, ""))
        row.values["_business"] = business

    created = _create_businesses(new_rows, persons, office, user, now)
    for row, business in zip(new_rows, created, strict=True):
        changes.append(_change(business_type, business, ChangeAction.CREATE, None, snapshot(business), user, batch))
        outcomes.append((row, RowOutcome.CREATED, ""))
        row.values["_business"] = business
    if updated:
        Business.objects.bulk_update(
            updated,
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
        [through(business_id=b.pk, office_id=office.pk) for b in [*created, *updated]],
        ignore_conflicts=True,
        batch_size=5000,
    )
    ObjectChange.objects.bulk_create(changes, batch_size=2000)

    ImportRow.objects.bulk_create(
        [
            ImportRow(
                batch=batch,
                sheet=row.sheet[:100],
                number=row.number,
                outcome=outcome,
                reasons=row.errors or ({"_": note} if note else {}),
                cells=_jsonable_cells(row.cells),
                business=row.values.get("_business"),
            )
            for row, outcome, note in outcomes
        ],
        batch_size=5000,
    )
    counts = {outcome.value: 0 for outcome in RowOutcome}
    for _row, outcome, _note in outcomes:
        counts[outcome] += 1
    ImportBatch.objects.filter(pk=batch.pk).update(**{f"{name}_count": value for name, value in counts.items()})
    batch.refresh_from_db()
    return ImportResult(batch=batch, counts=counts, rows=outcomes)


def _existing_businesses(rows: list[ParsedRow]) -> dict[tuple, Business]:
    """Registered businesses the rows name, by NIB or by owner NIK and business name."""
    nibs = {r.values["nib"] for r in rows if "nib" in r.values}
    niks = {r.values["nik"] for r in rows if "nik" in r.values and "nib" not in r.values}
    found: dict[tuple, Business] = {}
    for business in Business.objects.filter(nib__in=nibs).select_related("owner", "kbli"):
        found[("nib", business.nib)] = business
    for business in Business.objects.filter(owner__nik__in=niks).select_related("owner", "kbli"):
        found.setdefault(("nik", business.owner.nik, normalize_label(business.name)), business)
    return found


def _create_businesses(rows: list[ParsedRow], persons: dict, office: Office, user, now) -> list[Business]:
    new_persons = []
    for row in rows:
        nik = row.values.get("nik")
        person = persons.get(nik) if nik else None
        if person is None:
            person = Person(
                nik=nik, **{target: row.values[s] for s, target in PERSON_FIELDS.items() if s in row.values}
            )
            person.sex = person.sex or ""
            new_persons.append(person)
            if nik:
                persons[nik] = person
        row.values["_owner"] = person
    Person.objects.bulk_create(new_persons, batch_size=2000)
    kbli = Kbli.objects.in_bulk({r.values["kbli"] for r in rows if "kbli" in r.values})
    businesses = []
    for row in rows:
        business = Business(owner=row.values["_owner"], created_by=user)
        for source, target in BUSINESS_FIELDS.items():
            if source in row.values:
                setattr(business, target, row.values[source])
        business.kbli = kbli.get(row.values.get("kbli"))
        business.refresh_derived_fields()
        if row.values.get("product"):
            business.search_text = search_text_for(business.name, business.owner.full_name, [row.values["product"]])
        businesses.append(business)
    Business.objects.bulk_create(businesses, batch_size=2000)
    Product.objects.bulk_create(
        [
            Product(business=b, name=r.values["product"][:150])
            for r, b in zip(rows, businesses, strict=True)
            if r.values.get("product")
        ],
        batch_size=5000,
    )
    StatusChange.objects.bulk_create(
        [StatusChange(business=b, status=b.status, changed_at=now, changed_by=user) for b in businesses],
        batch_size=5000,
    )
    MaturityChange.objects.bulk_create(
        [MaturityChange(business=b, stage=b.maturity, changed_at=now, changed_by=user) for b in businesses],
        batch_size=5000,
    )
    return businesses


def _change(content_type, business: Business, action: str, before, after, user, batch) -> ObjectChange:
    return ObjectChange(
        actor=user,
        actor_name=user.get_username() if user else "",
        request_id=current_request_id.get(),
        action=action,
        content_type=content_type,
        object_id=business.pk,
        object_repr=str(business)[:300],
        prechange_data=before,
        postchange_data=after,
        message=_("impor #%(id)s: %(file)s") % {"id": batch.pk, "file": batch.file_name},
    )
