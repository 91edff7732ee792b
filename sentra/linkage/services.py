"""Loading another agency's list as a source, linking it to the registry, and the officer's decisions.

A source's records are never merged into the registry: a link says "this row
of the industry office's list is that registered UMKM", and the agency is
added to the business's fostering offices. Confident pairs link themselves;
the rest wait in a review queue. Every decision is kept per record key and
business, so loading next year's list of the same agency reuses it.
"""

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.accounts.models import Office
from sentra.accounts.scope import ensure_office_editor
from sentra.audit.models import ChangeAction
from sentra.audit.services import log_change
from sentra.core import jobs
from sentra.imports.headers import find_header
from sentra.imports.reading import UnreadableFile, read_workbook
from sentra.linkage.models import (
    Candidate,
    Decision,
    LinkKind,
    PairDecision,
    Source,
    SourceRecord,
    SourceStatus,
)
from sentra.registry.models import Business
from sentra.registry.selectors import product_names_by_business

logger = logging.getLogger(__name__)

# The import's column fields and the linkage role each one plays.
ROLE_OF_FIELD = {
    "owner_name": "person_name",
    "business_name": "business_name",
    "nik": "identifier",
    "phone": "phone",
    "birth_date": "birth_date",
    "village": "area",
    "address": "address",
    "product": "text",
}
RECORD_FIELD_OF_ROLE = {
    "person_name": "person_name",
    "business_name": "business_name",
    "identifier": "nik",
    "phone": "phone",
    "birth_date": "birth_date",
    "area": "area",
    "address": "address",
    "text": "text",
}


ROLE_LABELS = {
    "person_name": gettext_lazy("Nama pemilik"),
    "business_name": gettext_lazy("Nama usaha"),
    "identifier": gettext_lazy("NIK/NIB"),
    "phone": gettext_lazy("Nomor HP"),
    "birth_date": gettext_lazy("Tanggal lahir"),
    "area": gettext_lazy("Desa/kelurahan"),
    "address": gettext_lazy("Alamat"),
    "postcode": gettext_lazy("Kode pos"),
    "text": gettext_lazy("Produk/kegiatan"),
}


class LinkageRefused(Exception):
    """The list cannot be loaded or linked as asked; the message says why, in Indonesian."""


def _check_office(actor, office: Office) -> None:
    ensure_office_editor(actor, office.pk, _("Anda hanya boleh mengelola daftar instansi untuk kantor Anda sendiri."))


def sources_for(user):
    """The sources a user may see: their own office's (all for a superuser)."""
    sources = Source.objects.select_related("office", "agency", "created_by")
    return sources if user.is_superuser else sources.filter(office_id=user.office_id)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()[:10]
    return " ".join(str(value if value is not None else "").split())


def receive_source(
    *, upload: UploadedFile, office: Office, actor, name: str, agency: Office | None = None, agency_name: str = ""
) -> Source:
    """Keep an uploaded agency list in private storage and queue its reading; the worker reads and links it.

    Reading happens in the worker, never in the request: a hostile or broken file can then
    only fail its own source, not take the web server down.
    """
    _check_office(actor, office)
    if agency is None and not agency_name.strip():
        raise LinkageRefused(_("Sebutkan instansi pemilik daftar ini."))
    file_name = Path(upload.name).name
    with transaction.atomic():
        source = Source(
            office=office,
            agency=agency,
            agency_name="" if agency else agency_name.strip()[:200],
            name=name.strip()[:200] or Path(file_name).stem,
            file_name=file_name[:255],
            status=SourceStatus.UPLOADED,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        source.file.save(file_name, upload, save=False)
        source.save()
        from sentra.linkage.tasks import read_source_file

        transaction.on_commit(lambda: read_source_file.enqueue(source.pk))
    return source


def read_source(source: Source) -> None:
    """In the worker: read an uploaded source's file into its records, then link them to the registry.

    LinkageRefused (an unreadable file, no usable columns) says why in Indonesian; the task
    leaves the source failed with that reason.
    """
    claimed = Source.objects.filter(pk=source.pk, status__in=[SourceStatus.UPLOADED, SourceStatus.READING]).update(
        status=SourceStatus.READING, error=""
    )
    if not claimed:
        return
    path = Path(source.file.path) if source.file else None
    if path is None or not path.is_file():
        raise LinkageRefused(_("Berkas daftar ini tidak tersimpan lagi; unggah ulang."))
    _store_records(source, path)
    Source.objects.filter(pk=source.pk).update(status=SourceStatus.LINKING)
    source.refresh_from_db()
    run_linkage(source, actor=source.created_by)


def load_source(
    *, path: Path, office: Office, actor, name: str, agency: Office | None = None, agency_name: str = ""
) -> Source:
    """Read a list at `path` into a new source at once (for commands and tests; the pages use `receive_source`)."""
    _check_office(actor, office)
    if agency is None and not agency_name.strip():
        raise LinkageRefused(_("Sebutkan instansi pemilik daftar ini."))
    records = _read_records(path)
    with transaction.atomic():
        source = Source.objects.create(
            office=office,
            agency=agency,
            agency_name="" if agency else agency_name.strip()[:200],
            name=name.strip()[:200] or path.stem,
            file_name=path.name[:255],
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        _save_records(source, *records)
    return source


def _store_records(source: Source, path: Path) -> None:
    roles, records = _read_records(path)
    with transaction.atomic():
        source.records.all().delete()  # a read retried after its worker died starts again
        _save_records(source, roles, records)


def _read_records(path: Path) -> tuple[dict[str, str], list[SourceRecord]]:
    """The column roles found from the list's labels, and its rows as unsaved records."""
    try:
        sheets = read_workbook(path)
    except UnreadableFile as error:
        raise LinkageRefused(str(error)) from error
    found = [(sheet, header) for sheet in sheets if (header := find_header(sheet.rows)) is not None]
    if not found:
        raise LinkageRefused(_("Tidak ditemukan baris judul kolom (mis. NAMA PEMILIK, NAMA USAHA) di berkas ini."))
    roles: dict[str, str] = {}
    for _sheet, header in found:
        for column, field in header.mapping.items():
            role = ROLE_OF_FIELD.get(field)
            if role and role not in roles:
                roles[role] = str(header.labels[column])
    if "person_name" not in roles and "business_name" not in roles:
        raise LinkageRefused(_("Daftar ini tidak punya kolom nama pemilik maupun nama usaha."))
    records = []
    for sheet, header in found:
        labels = [str(label) for label in header.labels]
        for index in range(header.data_start, len(sheet.rows)):
            cells = sheet.rows[index]
            data = {label: _cell_text(cells[i]) for i, label in enumerate(labels) if label and i < len(cells)}
            if not any(data.values()):
                continue
            record = SourceRecord(row_number=index + 1, data=data)
            for role, label in roles.items():
                setattr(record, RECORD_FIELD_OF_ROLE[role], data.get(label, "")[:200])
            if not (record.person_name or record.business_name):
                continue  # a totals or note row
            records.append(record)
    return roles, records


def _save_records(source: Source, roles: dict[str, str], records: list[SourceRecord]) -> None:
    for record in records:
        record.source = source
    SourceRecord.objects.bulk_create(records, batch_size=2000)
    source.roles, source.record_count = roles, len(records)
    source.save(update_fields=["roles", "record_count"])


def registry_rows(office: Office, actor) -> list[dict]:
    """The registered businesses of the office's area, inside the actor's scope, in the engine's roles."""
    businesses = Business.objects.all() if actor is None else Business.objects.restrict(actor, "view")
    area = Q(regency_id=office.regency_id) if office.regency_id else Q(province_id=office.province_id)
    rows = []
    queryset = businesses.filter(area).values(
        "id",
        "name",
        "address",
        "owner__full_name",
        "owner__nik",
        "owner__phone",
        "owner__birth_date",
        "village__name",
    )
    for values in queryset.iterator(chunk_size=5000):
        rows.append(
            {
                "id": str(values["id"]),
                "person_name": values["owner__full_name"],
                "business_name": values["name"],
                "nik": values["owner__nik"] or "",
                "phone": values["owner__phone"],
                "birth_date": values["owner__birth_date"].isoformat() if values["owner__birth_date"] else "",
                "area": values["village__name"],
                "address": values["address"],
            }
        )
    products = product_names_by_business(int(row["id"]) for row in rows)
    for row in rows:
        row["text"] = " ".join(products.get(int(row["id"]), []))
    return rows


def run_linkage(source: Source, *, actor=None) -> dict[str, int]:
    """Link a source's records to the registry: confident pairs link, the rest wait for review."""
    from sentra.linkage.engine import LinkageError, Spec, link

    records = list(source.records.all())
    registry = registry_rows(source.office, actor)
    if not records or not registry:
        raise LinkageRefused(_("Tidak ada yang dapat dicocokkan: daftar atau data UMKM di wilayah ini kosong."))
    roles = sorted(source.roles)
    left = [
        {"id": str(record.pk), **{role: getattr(record, RECORD_FIELD_OF_ROLE[role]) for role in roles}}
        for record in records
    ]
    spec = Spec(id_column="id", roles={role: role for role in roles})
    try:
        result = link(left, registry, spec, spec, min_probability=settings.LINKAGE_REVIEW_FLOOR)
    except LinkageError as error:
        raise LinkageRefused(str(error)) from error

    by_id = {record.pk: record for record in records}
    found: dict[int, list[tuple[int, float, dict]]] = {}
    for pair in result.pairs.itertuples(index=False):
        evidence = evidence_of(pair, result.roles)
        found.setdefault(int(pair.left_id), []).append((int(pair.right_id), float(pair.probability), evidence))
    return _record_candidates(source, by_id, found, result.threshold, actor)


def evidence_of(pair, roles) -> dict[str, dict]:
    """A scored pair's evidence per compared role: the comparison level and its Bayes factor."""
    evidence = {}
    for role in roles:
        level = getattr(pair, f"gamma_{role}", None)
        factor = getattr(pair, f"bf_{role}", None)
        if level is not None:
            evidence[role] = {"level": int(level), "bayes_factor": float(factor) if factor is not None else None}
    return evidence


def _record_candidates(
    source: Source, records: dict[int, SourceRecord], found: dict, threshold: float, actor
) -> dict[str, int]:
    counts = {"linked": 0, "queued": 0, "unmatched": 0}
    keys = {pk: record.key() for pk, record in records.items()}
    remembered = {
        (decision.record_key, decision.business_id): decision.decision
        for decision in PairDecision.objects.filter(office=source.office, record_key__in=set(keys.values()))
    }
    with transaction.atomic():
        existing = {
            (candidate.record_id, candidate.business_id): candidate
            for candidate in Candidate.objects.filter(record__source=source)
        }
        for pk, record in records.items():
            pairs = found.get(pk, [])
            if not pairs:
                counts["unmatched"] += not record.business_id
                continue
            for business_id, probability, evidence in pairs:
                candidate = existing.get((pk, business_id))
                decision = remembered.get((keys[pk], business_id), Decision.PENDING)
                if candidate is None:
                    candidate = Candidate(record=record, business_id=business_id)
                    existing[(pk, business_id)] = candidate
                candidate.probability, candidate.evidence = probability, evidence
                if candidate.decision == Decision.PENDING and decision != Decision.PENDING:
                    candidate.decision = decision
                candidate.save()
            if record.business_id:
                counts["linked"] += 1
                continue
            same = [existing[(pk, b)] for b, _p, _e in pairs if existing[(pk, b)].decision == Decision.SAME]
            if same:
                _link(record, same[0].business, LinkKind.CONFIRMED, actor)
                counts["linked"] += 1
                continue
            sure = [
                existing[(pk, b)]
                for b, p, _e in pairs
                if p >= threshold and existing[(pk, b)].decision != Decision.DIFFERENT
            ]
            if len(sure) == 1 and not any(existing[(pk, b)].decision == Decision.UNSURE for b, _p, _e in pairs):
                _link(record, sure[0].business, LinkKind.AUTO, actor)
                counts["linked"] += 1
            elif any(existing[(pk, b)].decision in (Decision.PENDING, Decision.UNSURE) for b, _p, _e in pairs):
                counts["queued"] += 1
            else:
                counts["unmatched"] += 1
        source.status = SourceStatus.LINKED
        source.linked_at = timezone.now()
        source.error = ""
        source.save(update_fields=["status", "linked_at", "error"])
    return counts


def _link(record: SourceRecord, business: Business, kind: str, actor) -> None:
    """Link a record to a business; its agency becomes one of the business's fostering offices."""
    user = actor if actor is not None and actor.is_authenticated else None
    record.business, record.link_kind, record.linked_by, record.linked_at = business, kind, user, timezone.now()
    record.save(update_fields=["business", "link_kind", "linked_by", "linked_at"])
    agency = record.source.agency
    if agency is not None and not business.fostering_offices.filter(pk=agency.pk).exists():
        business.fostering_offices.add(agency)
        log_change(
            actor=actor,
            action=ChangeAction.UPDATE,
            instance=business,
            after={"fostering_offices": agency.name},
            message=_("ditautkan dengan %(source)s baris %(row)s")
            % {"source": record.source.name, "row": record.row_number},
        )


def decide(candidate: Candidate, *, decision: str, actor) -> None:
    """An officer's word on a pair: the same UMKM (link), different, or unsure; kept for the next run."""
    record = candidate.record
    _check_office(actor, record.source.office)
    if decision not in (Decision.SAME, Decision.DIFFERENT, Decision.UNSURE):
        raise LinkageRefused(_("Keputusan tidak dikenal."))
    with transaction.atomic():
        candidate.decision, candidate.decided_by, candidate.decided_at = decision, actor, timezone.now()
        candidate.save(update_fields=["decision", "decided_by", "decided_at"])
        PairDecision.objects.update_or_create(
            office=record.source.office,
            record_key=record.key(),
            business=candidate.business,
            defaults={"decision": decision, "decided_by": actor},
        )
        if decision == Decision.SAME:
            if record.business_id and record.business_id != candidate.business_id:
                unlink(record, actor=actor)
            _link(record, candidate.business, LinkKind.CONFIRMED, actor)
        elif record.business_id == candidate.business_id:
            unlink(record, actor=actor)


def unlink(record: SourceRecord, *, actor) -> None:
    """Undo a link; the agency stops fostering the business unless another of its records links to it."""
    _check_office(actor, record.source.office)
    business = record.business
    if business is None:
        return
    with transaction.atomic():
        record.business, record.link_kind, record.linked_by, record.linked_at = None, "", None, None
        record.save(update_fields=["business", "link_kind", "linked_by", "linked_at"])
        agency = record.source.agency
        still = SourceRecord.objects.filter(business=business, source__agency=agency).exists()
        if agency is not None and not still and business.fostering_offices.filter(pk=agency.pk).exists():
            business.fostering_offices.remove(agency)
            log_change(
                actor=actor,
                action=ChangeAction.UPDATE,
                instance=business,
                before={"fostering_offices": agency.name},
                after={"fostering_offices": None},
                message=_("tautan dengan %(source)s baris %(row)s dibatalkan")
                % {"source": record.source.name, "row": record.row_number},
            )


def queue_linkage(source: Source, *, actor) -> None:
    """Ask the worker to link the source (again); decisions already made are kept."""
    _check_office(actor, source.office)
    if source.is_running:
        return
    from sentra.linkage.tasks import link_source, read_source_file

    if source.file and not source.records.exists():  # its reading failed: read it again first
        Source.objects.filter(pk=source.pk).update(status=SourceStatus.UPLOADED, error="")
        transaction.on_commit(lambda: read_source_file.enqueue(source.pk))
        return
    Source.objects.filter(pk=source.pk).update(status=SourceStatus.QUEUED, error="")
    transaction.on_commit(lambda: link_source.enqueue(source.pk))


def source_counts(source: Source) -> dict[str, int]:
    records = source.records.all()
    linked = records.filter(business__isnull=False).count()
    waiting = review_queue(source).values("record_id").distinct().count()
    return {"records": source.record_count, "linked": linked, "waiting": waiting}


EVIDENCE_STRENGTH = (  # Bayes factor from → how the evidence reads
    (100.0, gettext_lazy("sangat mendukung")),
    (2.0, gettext_lazy("mendukung")),
    (0.5, gettext_lazy("netral")),
    (0.0, gettext_lazy("melawan")),
)


def evidence_rows(candidate) -> list[dict]:
    """A candidate's (or duplicate pair's) evidence per compared role, in words an officer reads."""
    rows = []
    for role, found in candidate.evidence.items():
        level, factor = found.get("level"), found.get("bayes_factor")
        if level == -1 or factor is None:
            strength = _("tidak ada data")
        else:
            strength = next(str(label) for floor, label in EVIDENCE_STRENGTH if factor >= floor)
        rows.append({"role": role, "label": ROLE_LABELS.get(role, role), "strength": strength, "factor": factor})
    return rows


def review_queue(source: Source):
    """Pairs awaiting a decision, most probable first, each with its record and business."""
    return (
        Candidate.objects.filter(record__source=source, decision__in=[Decision.PENDING, Decision.UNSURE])
        .filter(record__business__isnull=True)
        .select_related("record", "business__owner", "business__village")
        .order_by("-probability", "id")
    )


def fail_if_dead(source: Source) -> Source:
    """A list being read or linked whose worker stopped beating fails, saying so; returns it as it now stands."""
    from sentra.linkage.tasks import JOB_KIND

    working = (SourceStatus.READING, SourceStatus.LINKING)
    if source.status in working and jobs.is_dead(JOB_KIND, source.pk, source.created_at):
        if Source.objects.filter(pk=source.pk, status=source.status).update(
            status=SourceStatus.FAILED, error=str(jobs.DEAD_MESSAGE)
        ):
            logger.warning("source %s lost its worker; failed", source.pk)
        source.refresh_from_db()
    return source


def fail_dead_sources() -> int:
    """Fail every list whose worker died (run when a worker starts); returns how many."""
    working = list(Source.objects.filter(status__in=[SourceStatus.READING, SourceStatus.LINKING]))
    return sum(fail_if_dead(source).status == SourceStatus.FAILED for source in working)
