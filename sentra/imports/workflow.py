"""An import's life in the browser: upload → check (preview) → confirm → import, and undo.

Checking and importing run on the task queue (`tasks.py`); the functions here
are what those tasks and the views call. Each step leaves the batch in a state
the page can show, whatever happens: a failed import is rolled back and says why.
"""

import logging
from collections import Counter
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext as _

from sentra.accounts.models import Office
from sentra.core import jobs
from sentra.core.scope import ensure_may
from sentra.imports.files import ImportRefused
from sentra.imports.headers import find_header
from sentra.imports.mappings import FIELD_LABELS, REQUIRED_FIELDS, apply_mapping, mapping_rows
from sentra.imports.models import ImportBatch, ImportStatus, ImportTemplate, RowOutcome
from sentra.imports.progress import JOB_KIND, Progress, clear_progress
from sentra.imports.reading import SPREADSHEET_SUFFIXES, UnreadableFile, read_workbook
from sentra.imports.services import (
    DEFAULT_KBLI_CONFIDENCE,
    check_actor,
    import_file,
    remove_rows,
    suggested_kbli,
)
from sentra.kbli.models import Kbli
from sentra.registry import bulk

logger = logging.getLogger(__name__)

ACCEPTED_SUFFIXES = {*SPREADSHEET_SUFFIXES, ".csv"}
PREVIEW_REJECTED = 100  # rejected rows listed on the preview; all of them download after the import
PREVIEW_SUGGESTIONS = 60  # distinct activity texts offered for a KBLI suggestion
PREVIEW_SAMPLE = 8  # importable rows shown as they will be stored


def templates_for(office: Office):
    """The office's own saved mappings and the ones shipped with Sentra."""
    return ImportTemplate.objects.filter(Q(office=office) | Q(office__isnull=True)).order_by("office_id", "name")


def batches_for(user):
    """The imports a user may see: their own office's (every office's for a superuser)."""
    return ImportBatch.objects.restrict(user, "view").select_related("office", "created_by")


def receive_upload(
    *, upload: UploadedFile, office: Office, actor, template: ImportTemplate | None = None
) -> ImportBatch:
    """Keep the uploaded file and queue its check; nothing reaches the registry yet."""
    check_actor(actor, office)
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise ImportRefused(
            _("Jenis berkas %(suffix)s tidak didukung: pakai xlsx, xls, ods, atau csv.")
            % {"suffix": suffix or _("(tanpa akhiran)")}
        )
    batch = ImportBatch(
        office=office,
        created_by=actor,
        file_name=Path(upload.name).name[:255],
        status=ImportStatus.UPLOADED,
        template=template,
        mapping=dict(template.mapping) if template else {},
    )
    batch.file.save(Path(upload.name).name, upload, save=False)
    batch.save()
    jobs.request_job("imports.check", batch.pk)
    return batch


def check_batch(batch_id: int) -> None:
    """Read and check the file without writing to the registry; store what the preview shows."""
    batch = ImportBatch.objects.select_related("office", "created_by").get(pk=batch_id)
    if batch.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKING):
        return
    jobs.beat(JOB_KIND, batch.pk)  # alive before it says it is working
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKING, error="")
    try:
        with jobs.heartbeat(JOB_KIND, batch.pk):
            result = import_file(
                path=Path(batch.file.path),
                office=batch.office,
                actor=batch.created_by,
                dry_run=True,
                corrections=batch.mapping,
                kbli_choices=batch.kbli_choices,
                progress=Progress(batch_id=batch.pk),
            )
    except (ImportRefused, PermissionDenied) as error:
        # The check failed; the columns found still show, so a missing column can be pointed out
        # in the mapping and the file checked again.
        _fail(batch, str(error))
        columns = _columns_only(batch)
        if columns:
            columns["recheck"] = (batch.preview or {}).get("recheck", [])
        ImportBatch.objects.filter(pk=batch.pk).update(preview=columns)
        return
    except Exception:
        logger.exception("checking import %s failed", batch.pk)
        _fail(batch, _("Pemeriksaan berkas gagal karena kesalahan sistem; coba lagi atau hubungi admin."))
        raise
    preview = _preview(result, batch.kbli_choices)
    preview["recheck"] = (batch.preview or {}).get("recheck", [])  # why the officer's changes were checked again
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.CHECKED, preview=preview, labels=[str(x) for x in result.parsed.labels]
    )
    clear_progress(batch.pk)


def _columns_only(batch: ImportBatch) -> dict:
    """The preview's column mapping alone, for a file whose check was refused."""
    try:
        sheets = read_workbook(Path(batch.file.path))
    except UnreadableFile:
        return {}
    columns: dict[str, dict] = {}
    for sheet in sheets:
        header = find_header(sheet.rows)
        if header is not None:
            apply_mapping(header, batch.mapping)
            for column in mapping_rows(header, sheet.rows):
                columns.setdefault(column["key"], column)
    if not columns:
        return {}
    mapped = {column["field"] for column in columns.values()}
    return {"columns": list(columns.values()), "missing": [name for name in REQUIRED_FIELDS if name not in mapped]}


def _preview(result, kbli_choices: dict[str, str]) -> dict:
    """What the preview page shows: counts, the column mapping with the ignored columns, rejects with
    the names they carry, KBLI suggestions (with the officer's choices), a sample."""
    sheets = [
        {"name": sheet.name, "header_row": header.row_index + 1, "rows": len(sheet.rows) - header.data_start}
        for sheet, header in result.parsed.sheets
    ]
    columns: dict[str, dict] = {}
    for sheet, header in result.parsed.sheets:
        for column in mapping_rows(header, sheet.rows):
            columns.setdefault(column["key"], column)
    rejected, skipped_reasons, activities, sample = [], Counter(), Counter(), []
    for row, outcome, note in result.rows:
        if outcome == RowOutcome.REJECTED and len(rejected) < PREVIEW_REJECTED:
            rejected.append(
                {
                    "sheet": row.sheet,
                    "number": row.number,
                    "business_name": row.values.get("business_name", ""),
                    "owner_name": row.values.get("owner_name", ""),
                    "reasons": row.errors,
                }
            )
        elif outcome == RowOutcome.SKIPPED:
            same_row = not row.skip_reason and str(note) != _("tidak ada perubahan")
            skipped_reasons[_("sama dengan baris sebelumnya di berkas ini") if same_row else str(note)] += 1
        if outcome in (RowOutcome.CREATED, RowOutcome.UPDATED):
            if row.values.get("activity") and ("kbli" not in row.values or row.values.get("_kbli_chosen")):
                activities[row.values["activity"]] += 1
            if len(sample) < PREVIEW_SAMPLE:
                sample.append(
                    {
                        "sheet": row.sheet,
                        "number": row.number,
                        "outcome": outcome,
                        "values": {
                            name: str(row.values[name])
                            for name in FIELD_LABELS
                            if row.values.get(name) not in (None, "")
                        },
                    }
                )
    return {
        "counts": result.counts,
        "sheets": sheets,
        "skipped_sheets": [{"name": name, "reason": str(reason)} for name, reason in result.parsed.skipped_sheets],
        "columns": list(columns.values()),
        "ignored": len([column for column in columns.values() if not column["field"]]),
        "rejected": rejected,
        "skipped": dict(skipped_reasons),
        "suggestions": _kbli_suggestions(activities, kbli_choices),
        "sample": sample,
    }


def _kbli_suggestions(activities: Counter, choices: dict[str, str]) -> list[dict]:
    """One suggestion per distinct activity text (by how many rows say it), for the user to confirm;
    where the officer already chose a code, that code, so a re-check never puts the suggestion back."""
    top = Counter(dict(activities.most_common(PREVIEW_SUGGESTIONS * 3)))  # variants of one text fold together
    entries = suggested_kbli(top, min_score=DEFAULT_KBLI_CONFIDENCE)[:PREVIEW_SUGGESTIONS]
    for entry in entries:
        entry["suggested_code"] = entry["code"]
        entry["chosen"] = entry["key"] in choices
        if entry["chosen"]:
            entry["code"] = choices[entry["key"]]
    return entries


def recheck(batch: ImportBatch, *, actor, mapping: dict[str, str], kbli_choices: dict[str, str]) -> None:
    """Check again with the user's corrected mapping and confirmed KBLI codes; the preview that
    comes back says what changed (and which typed codes could not be used)."""
    _ensure_owner(batch, actor)
    if batch.status not in (ImportStatus.CHECKED, ImportStatus.FAILED) or batch.finished_at:
        raise ImportRefused(_("Impor ini tidak sedang menunggu konfirmasi."))
    valid_fields = set(FIELD_LABELS)
    mapping = {key: value for key, value in mapping.items() if value == "" or value in valid_fields}
    chosen = _valid_kbli(kbli_choices)
    reasons = _recheck_reasons(batch, mapping, kbli_choices, chosen)
    batch.mapping = {**batch.mapping, **mapping}
    batch.kbli_choices = chosen
    batch.status = ImportStatus.UPLOADED
    batch.preview = {"recheck": reasons}
    batch.save(update_fields=["mapping", "kbli_choices", "status", "preview"])
    clear_progress(batch.pk)
    jobs.request_job("imports.check", batch.pk)


def _recheck_reasons(
    batch: ImportBatch, mapping: dict[str, str], typed: dict[str, str], chosen: dict[str, str]
) -> list[str]:
    """What the officer changed since the last check, one sentence each, for the preview to show."""
    preview = batch.preview or {}
    reasons = []
    for column in preview.get("columns", []):
        target = mapping.get(column["key"], column["field"])
        if target != column["field"]:
            reasons.append(
                _("Kolom “%(label)s” kini diisikan ke %(field)s.")
                % {"label": column["label"], "field": FIELD_LABELS[target]}
                if target
                else _("Kolom “%(label)s” kini diabaikan.") % {"label": column["label"]}
            )
    texts = {entry["key"]: entry["text"] for entry in preview.get("suggestions", [])}
    for key, code in typed.items():
        text = texts.get(key, key)
        if key not in chosen:
            reasons.append(
                _("Kode %(code)s untuk “%(text)s” bukan kode KBLI 2020 lima angka; tidak dipakai.")
                % {"code": code, "text": text}
            )
        elif batch.kbli_choices.get(key) != code:
            reasons.append(_("KBLI %(code)s dipakai untuk “%(text)s”.") % {"code": code, "text": text})
    for key in set(batch.kbli_choices) - set(typed):
        reasons.append(_("Saran KBLI untuk “%(text)s” tidak lagi dipakai.") % {"text": texts.get(key, key)})
    return reasons


def _valid_kbli(choices: dict[str, str]) -> dict[str, str]:
    codes = {code for code in choices.values() if code}
    real = set(Kbli.objects.filter(code__in=codes, level="subclass").values_list("code", flat=True))
    return {key: code for key, code in choices.items() if code in real}


def save_template(batch: ImportBatch, *, actor, name: str, mapping: dict[str, str]) -> ImportTemplate:
    """Save a mapping under a name for the office's next files of the same layout."""
    _ensure_owner(batch, actor)
    name = " ".join(name.split())[:100]
    if not name:
        raise ImportRefused(_("Beri nama template."))
    valid = {key: value for key, value in mapping.items() if value == "" or value in FIELD_LABELS}
    template, _created = ImportTemplate.objects.update_or_create(
        office=batch.office, name=name, defaults={"mapping": valid, "created_by": actor}
    )
    return template


def confirm(batch: ImportBatch, *, actor) -> None:
    """Queue the import of a checked batch."""
    _ensure_owner(batch, actor)
    if batch.status != ImportStatus.CHECKED or not batch.preview:
        raise ImportRefused(_("Impor ini tidak sedang menunggu konfirmasi."))
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.QUEUED, error=""
    )
    if updated:  # a double click queues once
        clear_progress(batch.pk)
        jobs.request_job("imports.run", batch.pk)


def run_batch(batch_id: int) -> None:
    """Import a confirmed batch; on any failure the registry is untouched and the batch says why."""
    batch = ImportBatch.objects.select_related("office", "created_by").get(pk=batch_id)
    if batch.status not in (ImportStatus.QUEUED, ImportStatus.IMPORTING):
        return
    jobs.beat(JOB_KIND, batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING)
    batch.status = ImportStatus.IMPORTING
    try:
        import_file(  # beats for the batch while it writes
            path=Path(batch.file.path),
            office=batch.office,
            actor=batch.created_by,
            corrections=batch.mapping,
            kbli_choices=batch.kbli_choices,
            batch=batch,
            progress=Progress(batch_id=batch.pk),
        )
    except (ImportRefused, PermissionDenied) as error:
        _fail(batch, str(error))
        return
    except Exception:
        logger.exception("import %s failed", batch.pk)
        _fail(batch, _("Impor gagal karena kesalahan sistem; tidak ada data yang berubah. Coba lagi."))
        raise
    clear_progress(batch.pk)


def _fail(batch: ImportBatch, message: str, status: str = ImportStatus.FAILED) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(status=status, error=message, preview={})
    clear_progress(batch.pk)


def retry(batch: ImportBatch, *, actor) -> None:
    """Check a failed batch (a dead one included) again from its stored file."""
    _ensure_owner(batch, actor)
    batch = fail_if_dead(batch)
    if batch.status not in (ImportStatus.FAILED, ImportStatus.CHECKED):
        raise ImportRefused(_("Impor ini tidak dapat diulang sekarang."))
    batch.status, batch.error, batch.preview = ImportStatus.UPLOADED, "", {}
    batch.save(update_fields=["status", "error", "preview"])
    clear_progress(batch.pk)
    jobs.request_job("imports.check", batch.pk)


def fail_if_dead(batch: ImportBatch) -> ImportBatch:
    """A batch a worker was checking or importing, whose worker stopped beating, says so and may be
    started again at once; rows it had written stay hidden and are removed. Returns the batch as it now stands."""
    if batch.status not in (ImportStatus.CHECKING, ImportStatus.IMPORTING):
        return batch
    if not jobs.is_dead(JOB_KIND, batch.pk, batch.created_at):
        return batch
    # A dead check fails; a dead import goes back to its (still valid) preview, to be started again.
    if batch.status == ImportStatus.CHECKING or not batch.preview:
        after = {"status": ImportStatus.FAILED, "preview": {}}
    else:
        after = {"status": ImportStatus.CHECKED}
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=batch.status).update(error=str(jobs.DEAD_MESSAGE), **after)
    if claimed:
        logger.warning("import %s lost its worker; failed", batch.pk)
        write = bulk.BulkWrite.objects.filter(pk=batch.bulk_write_id, published_at__isnull=True).first()
        if write is not None:
            bulk.remove(write)
        remove_rows(batch)
        clear_progress(batch.pk)
    return ImportBatch.objects.select_related("office", "created_by").get(pk=batch.pk)


def fail_dead_batches() -> int:
    """Settle every batch whose worker died (run when a worker starts); returns how many."""
    running = list(ImportBatch.objects.filter(status__in=[ImportStatus.CHECKING, ImportStatus.IMPORTING]))
    return sum(fail_if_dead(batch).status != batch.status for batch in running)


def discard(batch: ImportBatch, *, actor) -> None:
    """Drop a batch that was never imported."""
    _ensure_owner(batch, actor)
    if batch.status not in (ImportStatus.CHECKED, ImportStatus.FAILED, ImportStatus.UPLOADED):
        raise ImportRefused(_("Hanya impor yang belum dijalankan yang dapat dibuang."))
    batch.status = ImportStatus.DISCARDED
    batch.save(update_fields=["status"])
    if batch.file:
        batch.file.delete(save=True)


def _ensure_owner(batch: ImportBatch, actor) -> None:
    ensure_may(actor, "change", batch.office_id, _("Anda hanya boleh mengelola impor kantor Anda sendiri."))
