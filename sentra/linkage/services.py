"""Loading another agency's list as a source, linking it to the registry, and the officer's decisions.

A source's records are never merged into the registry: a link says "this row
of the industry office's list is that registered UMKM", and the agency is
added to the business's fostering offices. Confident pairs link themselves;
the rest wait in a review queue. Every decision is kept per record key and
business, so loading next year's list of the same agency reuses it.
"""

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import Office
from sentra.audit.models import ChangeAction
from sentra.audit.services import log_change, snapshot
from sentra.core import jobs
from sentra.core.scope import ensure_may
from sentra.imports.headers import find_header, normalize_label
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
from sentra.linkage.roles import ASSIGNABLE_ROLES, EXTRA_LABELS, NAME_ROLES, RECORD_FIELD_OF_ROLE, ROLE_OF_FIELD
from sentra.registry.models import Business
from sentra.registry.selectors import businesses_changeable_by, product_names_by_business

logger = logging.getLogger(__name__)
JOB_KIND = "source"  # what the worker's heartbeat for a list is filed under (core/jobs.py)


class LinkageRefused(Exception):
    """The list cannot be loaded or linked as asked; the message says why, in Indonesian."""


def _check_office(actor, office: Office) -> None:
    ensure_may(actor, "change", office.pk, _("Anda hanya boleh mengelola daftar instansi untuk kantor Anda sendiri."))


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()[:10]
    return " ".join(str(value if value is not None else "").split())


def receive_source(
    *,
    upload: UploadedFile,
    office: Office,
    actor,
    name: str,
    agency: Office | None = None,
    agency_name: str = "",
    check_roles: bool = False,
) -> Source:
    """Keep an uploaded agency list in private storage and queue its reading; the worker reads and links it.

    Reading happens in the worker, never in the request: a hostile or broken file can then
    only fail its own source, not take the web server down. With `check_roles` the worker
    stops after reading, for the officer to check the column roles before anything links.
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
            check_roles=check_roles,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        source.file.save(file_name, upload, save=False)
        source.save()
        jobs.request_job("linkage.read", source.pk)
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
    roles = _store_records(source, path)
    if source.check_roles or not NAME_ROLES & set(roles):
        # The officer looks at the roles first (asked to, or no column reads as a name): nothing links yet.
        waiting = "" if source.check_roles else _("Tidak ada kolom yang terbaca sebagai nama pemilik atau nama usaha.")
        Source.objects.filter(pk=source.pk).update(
            status=SourceStatus.LOADED,
            error=" ".join(filter(None, [waiting, _("Periksa peran kolom di bawah, lalu simpan untuk mencocokkan.")])),
        )
        return
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


def _store_records(source: Source, path: Path) -> dict[str, str]:
    roles, columns, records = _read_records(path)
    with transaction.atomic():
        source.records.all().delete()  # a read retried after its worker died starts again
        _save_records(source, roles, columns, records)
    return roles


def _read_records(path: Path) -> tuple[dict[str, str], list[str], list[SourceRecord]]:
    """The column roles found from the list's labels, its column labels, and its rows as unsaved records."""
    try:
        sheets = read_workbook(path)
    except UnreadableFile as error:
        raise LinkageRefused(str(error)) from error
    found = [(sheet, header) for sheet in sheets if (header := find_header(sheet.rows)) is not None]
    if not found:
        raise LinkageRefused(_("Tidak ditemukan baris judul kolom (mis. NAMA PEMILIK, NAMA USAHA) di berkas ini."))
    roles: dict[str, str] = {}
    columns: list[str] = []
    for _sheet, header in found:
        for column, label in enumerate(header.labels):
            role = ROLE_OF_FIELD.get(header.mapping.get(column, "")) or EXTRA_LABELS.get(normalize_label(label))
            if role and role not in roles:
                roles[role] = str(label)
            if str(label) and str(label) not in columns:
                columns.append(str(label))
    named = bool(NAME_ROLES & set(roles))  # without a name column every row is kept, to be given roles
    records = []
    for sheet, header in found:
        labels = [str(label) for label in header.labels]
        for index in range(header.data_start, len(sheet.rows)):
            cells = sheet.rows[index]
            data = {label: _cell_text(cells[i]) for i, label in enumerate(labels) if label and i < len(cells)}
            if sum(bool(value) for value in data.values()) < 2:
                continue  # empty, or a lone note or signature line ("Kepala Dinas", "NIP. 1970…")
            record = SourceRecord(row_number=index + 1, data=data)
            _fill_role_fields(record, roles)
            if named and not (record.person_name or record.business_name):
                continue  # a totals, note or signature row
            records.append(record)
    return roles, columns, records


def _fill_role_fields(record: SourceRecord, roles: dict[str, str]) -> None:
    """The record's compared fields from its row, as the roles say (a role not given leaves its field blank)."""
    for role, field in RECORD_FIELD_OF_ROLE.items():
        label = roles.get(role)
        limit = SourceRecord._meta.get_field(field).max_length
        setattr(record, field, str(record.data.get(label, "") if label else "")[:limit])


def _save_records(source: Source, roles: dict[str, str], columns: list[str], records: list[SourceRecord]) -> None:
    for record in records:
        record.source = source
    SourceRecord.objects.bulk_create(records, batch_size=2000)
    source.roles, source.columns, source.record_count = roles, columns, len(records)
    source.save(update_fields=["roles", "columns", "record_count"])


def registry_rows(office: Office, actor) -> list[dict]:
    """The registered businesses of the office's area that the actor may change, keyed by the engine's roles.

    Change, not view: a link adds the agency to the business's fostering offices, a merge rewrites it.
    """
    businesses = businesses_changeable_by(actor)
    rows = []
    queryset = businesses.filter(office.area_filter()).values(
        "id",
        "name",
        "address",
        "owner__full_name",
        "owner__nik",
        "owner__phone",
        "owner__birth_date",
        "village_id",
        "village__name",
        "kbli_id",
    )
    for values in queryset.iterator(chunk_size=5000):
        rows.append(
            {
                "id": str(values["id"]),
                "person_name": values["owner__full_name"],
                "business_name": values["name"],
                "identifier": values["owner__nik"] or "",
                "phone": values["owner__phone"],
                "birth_date": values["owner__birth_date"].isoformat() if values["owner__birth_date"] else "",
                "area": values["village__name"],
                "address": values["address"],
                # Not compared by the engine; the duplicate search weighs them (linkage.duplicates).
                "village_id": values["village_id"],
                "kbli": values["kbli_id"] or "",
            }
        )
    products = product_names_by_business(int(row["id"]) for row in rows)
    for row in rows:
        row["text"] = " ".join(products.get(int(row["id"]), []))
    return rows


def run_linkage(source: Source, *, actor=None) -> dict[str, int]:
    """Link a source's records to the registry: confident pairs link, the rest wait for review."""
    from sentra.linkage.engine import Spec, link

    records = list(source.records.all())
    registry = registry_rows(source.office, actor)
    if not records or not registry:
        raise LinkageRefused(_("Tidak ada yang dapat dicocokkan: daftar atau data UMKM di wilayah ini kosong."))
    roles = sorted(role for role in source.roles if role in RECORD_FIELD_OF_ROLE)
    left = [
        {"id": str(record.pk), **{role: getattr(record, RECORD_FIELD_OF_ROLE[role]) for role in roles}}
        for record in records
    ]
    spec = Spec(id_column="id", roles={role: role for role in roles})
    registry_spec = Spec(id_column="id", roles={role: role for role in ASSIGNABLE_ROLES})
    with engine_refusals(f"source {source.pk}"):
        result = link(left, registry, spec, registry_spec, min_probability=NAMES_FLOOR)

    by_id = {record.pk: record for record in records}
    found: dict[int, list[tuple[int, float, dict]]] = {}
    for pair in result.pairs.itertuples(index=False):
        evidence = evidence_of(pair, result.roles)
        probability = float(pair.probability)
        if probability < settings.LINKAGE_REVIEW_FLOOR:
            if not names_agree(evidence):
                continue
            # The model weighs another or a blank village heavily; the officer still sees the pair.
            evidence = {**evidence, "found_by": "names"}
        held = agency_held_reasons(evidence)
        if held:
            probability = held_probability(probability, float(pair.match_weight), len(held))
            evidence = {**evidence, "held": held}
        found.setdefault(int(pair.left_id), []).append((int(pair.right_id), probability, evidence))
    return _record_candidates(source, by_id, found, result.threshold, actor)


# Pairs the engine scores this low are still read, for `names_agree` to pick from.
NAMES_FLOOR = 0.0001
# The comparisons' levels (engine.Spec.comparisons) at which two names are one name: the same words,
# spelt alike (Jaro-Winkler 0.92) or, for a business, sounding the same.
SAME_PERSON_NAME_LEVEL = 5
SAME_BUSINESS_NAME_LEVEL = 5


def names_agree(evidence: dict) -> bool:
    """Whether the owner's and the business's names are one, whatever the rest says: such a pair is
    proposed to the officer even when the model scores it below the review floor."""
    person = evidence.get("person_name", {}).get("level", -1)
    business = evidence.get("business_name", {}).get("level", -1)
    return person >= SAME_PERSON_NAME_LEVEL and business >= SAME_BUSINESS_NAME_LEVEL


# The business-name comparison's levels (engine.Spec.comparisons) that say "another business": nothing in
# common, or one word alone ("Mebel Jati Abadi" / "Kerajinan Kayu Jati Mulya").
UNLIKE_BUSINESS_NAME_LEVELS = (0, 2)


def agency_held_reasons(evidence: dict) -> list[str]:
    """Why an agency row's candidate is held for the officer, never linked unasked, however sure the
    owner is (`duplicates.HELD_REASONS` keys): another village (maybe the owner's other business, or
    their home), or another business name with no product in common (the owner's other business)."""
    held = []
    if evidence.get("area", {}).get("level") == 0:
        held.append("village")
    elif evidence.get("found_by") == "names":
        held.append("names_only")
    names_unlike = evidence.get("business_name", {}).get("level") in UNLIKE_BUSINESS_NAME_LEVELS
    if names_unlike and evidence.get("text", {}).get("level", 0) <= 0:
        held.append("business_name")
    return held


@contextmanager
def engine_refusals(what: str) -> Iterator[None]:
    """Turn whatever the engine raises into an Indonesian LinkageRefused; the engine's own words go to the log.

    Officers never read the engine's (English, technical) messages: a role it cannot use,
    too few records, or a fault inside Splink or DuckDB all read as what the officer can do.
    """
    from sentra.linkage.engine import LinkageError

    try:
        yield
    except LinkageRefused:
        raise
    except LinkageError as error:
        logger.warning("linkage of %s refused by the engine: %s", what, error)
        raise LinkageRefused(_engine_message(str(error))) from error
    except Exception as error:
        logger.exception("linkage of %s failed inside the engine", what)
        raise LinkageRefused(
            _("Pencocokan gagal karena kesalahan sistem; coba lagi, atau hubungi admin bila terus terjadi.")
        ) from error


def _engine_message(detail: str) -> str:
    if detail.startswith("Too few records"):
        return _("Terlalu sedikit baris untuk dicocokkan.")
    if detail.startswith("Nothing to compare") or "nothing to block on" in detail:
        return _(
            "Kolom yang dipilih tidak cukup untuk mencocokkan: tetapkan setidaknya kolom nama pemilik atau nama "
            "usaha, dan isi kolomnya."
        )
    if "id column" in detail:
        return _("Baris daftar tidak dapat dibedakan satu sama lain; unggah ulang berkasnya.")
    return _("Kolom daftar ini tidak dapat dicocokkan seperti yang ditetapkan; periksa peran kolomnya lalu coba lagi.")


# How fast a held pair's shown probability nears OTHER_BUSINESS_CAP as its match weight grows (bits).
HELD_WEIGHT_SCALE = 15.0


def held_probability(probability: float, match_weight: float, reasons: int = 1) -> float:
    """A held pair's probability, between the review floor and OTHER_BUSINESS_CAP, in the order of its match weight.

    Each further reason to hold it (another village, KBLI group, business) narrows its band towards
    the floor, so the pairs most likely one business come first and one owner's clearly other
    businesses last.

    Held pairs mostly share NIK, phone and birth date, so the model puts them all at 99.99…%, and the
    engine clips those whose business names share nothing at the cap: squeezed or clipped, every held
    pair would read the same and the officer could not tell which to look at first. The weight still
    tells them apart (each agreeing field adds to it, each difference takes away). Pairs below the
    floor stay as they are.
    """
    from sentra.linkage.engine import OTHER_BUSINESS_CAP

    floor = settings.LINKAGE_REVIEW_FLOOR
    if probability <= floor:
        return probability
    band = (OTHER_BUSINESS_CAP - floor) / max(reasons, 1)
    return floor + band * (1 - 2 ** (-max(match_weight, 0.0) / HELD_WEIGHT_SCALE))


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
    # An officer's "same" for a record's key links it even when the engine no longer finds the pair
    # (a hand link, or a row whose spelling changed since): the business must still be in scope.
    changeable = set(
        businesses_changeable_by(actor)
        .filter(pk__in={business for (_key, business), d in remembered.items() if d == Decision.SAME})
        .values_list("pk", flat=True)
    )
    same_by_key = {
        key: business for (key, business), d in remembered.items() if d == Decision.SAME and business in changeable
    }
    with transaction.atomic():
        existing = {
            (candidate.record_id, candidate.business_id): candidate
            for candidate in Candidate.objects.filter(record__source=source).select_related("business")
        }
        seen: set[int] = set()
        for pk, record in records.items():
            pairs = found.get(pk, [])
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
                seen.add(candidate.pk)
            if record.business_id:
                counts["linked"] += 1
                continue
            same = [existing[(pk, b)] for b, _p, _e in pairs if existing[(pk, b)].decision == Decision.SAME]
            if same:
                _link(record, same[0].business, LinkKind.CONFIRMED, actor)
                counts["linked"] += 1
                continue
            if keys[pk] in same_by_key:
                _link(record, Business.objects.get(pk=same_by_key[keys[pk]]), LinkKind.CONFIRMED, actor)
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
        # Pairs an earlier run proposed that this one no longer finds (the roles changed, the business
        # was edited) leave the queue; those an officer decided stay, as their decisions do.
        Candidate.objects.filter(record__source=source, decision=Decision.PENDING).exclude(pk__in=seen).delete()
        source.status = SourceStatus.LINKED
        source.linked_at = timezone.now()
        source.error = ""
        source.save(update_fields=["status", "linked_at", "error"])
    return counts


def _ensure_changeable(business: Business, actor) -> None:
    """A link or unlink changes the business's fostering offices: only for who may change it."""
    if not businesses_changeable_by(actor).filter(pk=business.pk).exists():
        raise PermissionDenied(_("Anda tidak berwenang mengubah UMKM ini."))


def _fostering(business: Business) -> dict:
    """The business's fostering offices as the change log keeps them: ids, as the registry logs them."""
    return {"fostering_offices": snapshot(business, ("fostering_offices",))["fostering_offices"]}


def _link(record: SourceRecord, business: Business, kind: str, actor) -> None:
    """Link a record to a business; its agency becomes one of the business's fostering offices.

    The caller has checked that the actor may change the business: a linking run reads only those
    (`registry_rows`), a hand link and a decision ask first."""
    user = actor if actor is not None and actor.is_authenticated else None
    record.business, record.link_kind, record.linked_by, record.linked_at = business, kind, user, timezone.now()
    record.save(update_fields=["business", "link_kind", "linked_by", "linked_at"])
    agency = record.source.agency
    if agency is not None and not business.fostering_offices.filter(pk=agency.pk).exists():
        before = _fostering(business)
        business.fostering_offices.add(agency)
        log_change(
            actor=actor,
            action=ChangeAction.UPDATE,
            instance=business,
            before=before,
            after=_fostering(business),
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
            _ensure_changeable(candidate.business, actor)
            if record.business_id and record.business_id != candidate.business_id:
                unlink(record, actor=actor)
            _link(record, candidate.business, LinkKind.CONFIRMED, actor)
        elif record.business_id == candidate.business_id:
            unlink(record, actor=actor)


def link_by_hand(record: SourceRecord, business: Business, *, actor) -> None:
    """An officer links a row to a registered UMKM they picked; kept as their word for the next load."""
    _check_office(actor, record.source.office)
    if not businesses_changeable_by(actor).filter(pk=business.pk).exists():
        raise LinkageRefused(_("UMKM itu tidak dapat Anda ubah, jadi tidak dapat ditautkan."))
    if record.business_id == business.pk:
        return
    with transaction.atomic():
        if record.business_id:
            unlink(record, actor=actor)
        PairDecision.objects.update_or_create(
            office=record.source.office,
            record_key=record.key(),
            business=business,
            defaults={"decision": Decision.SAME, "decided_by": actor},
        )
        Candidate.objects.filter(record=record, business=business).update(
            decision=Decision.SAME, decided_by=actor, decided_at=timezone.now()
        )
        _link(record, business, LinkKind.CONFIRMED, actor)


def set_roles(source: Source, *, roles: dict[str, str], actor) -> None:
    """The officer's word on which column plays which role: the rows are read again by it and linked anew.

    `roles` maps a role to a column label ("" for none). Decisions already made are kept.
    """
    _check_office(actor, source.office)
    if source.is_running:
        raise LinkageRefused(_("Daftar ini sedang dibaca atau dicocokkan; tunggu sampai selesai."))
    columns = set(source.column_labels())
    chosen: dict[str, str] = {}
    for role, label in roles.items():
        if role not in ASSIGNABLE_ROLES:
            raise LinkageRefused(_("Peran kolom tidak dikenal."))
        if not label:
            continue
        if label not in columns:
            raise LinkageRefused(_("Kolom %(label)s tidak ada di daftar ini.") % {"label": label})
        chosen[role] = label
    labels = list(chosen.values())
    twice = next((label for label in labels if labels.count(label) > 1), None)
    if twice:
        raise LinkageRefused(
            _("Kolom %(label)s dipilih untuk dua peran; satu kolom hanya memegang satu peran.") % {"label": twice}
        )
    if "person_name" not in chosen and "business_name" not in chosen:
        raise LinkageRefused(
            _("Tetapkan kolom nama pemilik atau nama usaha: tanpa salah satunya tidak ada yang dicocokkan.")
        )
    with transaction.atomic():
        records = list(source.records.all())
        for record in records:
            _fill_role_fields(record, chosen)
        SourceRecord.objects.bulk_update(records, list(RECORD_FIELD_OF_ROLE.values()), batch_size=2000)
        before = dict(source.roles)
        source.roles = chosen
        source.save(update_fields=["roles"])
        log_change(
            actor=actor,
            action=ChangeAction.UPDATE,
            instance=source,
            before={"peran kolom": before},
            after={"peran kolom": chosen},
            message=_("peran kolom daftar instansi diubah"),
        )
        queue_linkage(source, actor=actor)


def unlink(record: SourceRecord, *, actor) -> None:
    """Undo a link; the agency stops fostering the business unless another of its records links to it."""
    _check_office(actor, record.source.office)
    business = record.business
    if business is None:
        return
    _ensure_changeable(business, actor)
    with transaction.atomic():
        record.business, record.link_kind, record.linked_by, record.linked_at = None, "", None, None
        record.save(update_fields=["business", "link_kind", "linked_by", "linked_at"])
        agency = record.source.agency
        still = SourceRecord.objects.filter(business=business, source__agency=agency).exists()
        if agency is not None and not still and business.fostering_offices.filter(pk=agency.pk).exists():
            before = _fostering(business)
            business.fostering_offices.remove(agency)
            log_change(
                actor=actor,
                action=ChangeAction.UPDATE,
                instance=business,
                before=before,
                after=_fostering(business),
                message=_("tautan dengan %(source)s baris %(row)s dibatalkan")
                % {"source": record.source.name, "row": record.row_number},
            )


def queue_linkage(source: Source, *, actor) -> None:
    """Ask the worker to link the source (again); decisions already made are kept."""
    _check_office(actor, source.office)
    if source.is_running:
        return
    if source.file and not source.records.exists():  # its reading failed: read it again first
        Source.objects.filter(pk=source.pk).update(status=SourceStatus.UPLOADED, error="")
        jobs.request_job("linkage.read", source.pk)
        return
    Source.objects.filter(pk=source.pk).update(status=SourceStatus.QUEUED, error="")
    jobs.request_job("linkage.link", source.pk)


def fail_if_dead(source: Source) -> Source:
    """A list being read or linked whose worker stopped beating fails, saying so; returns it as it now stands."""
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
