"""Import pages: upload, progress, preview with mapping corrections, result, rejects, undo."""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sentra.audit.models import ExportKind
from sentra.audit.services import log_export
from sentra.core.files import new_workbook
from sentra.core.http import client_ip
from sentra.core.scope import is_editor, may
from sentra.core.storage import PRIVATE_CACHE_CONTROL
from sentra.imports import workflow
from sentra.imports.files import ImportRefused
from sentra.imports.mappings import BLANK_LAYOUT, FIELD_LABELS
from sentra.imports.models import ImportBatch, ImportRow, ImportStatus, ImportTemplate, RowOutcome
from sentra.imports.progress import progress_of
from sentra.imports.rejects import rejected_rows_xlsx
from sentra.imports.undo import undo_import


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas"),
        help_text=gettext_lazy("xlsx, xls, ods atau csv; boleh banyak lembar (mis. satu lembar per kecamatan)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.xlsb,.ods,.csv"}),
    )
    template = forms.ModelChoiceField(
        label=gettext_lazy("Template pemetaan kolom"),
        queryset=ImportTemplate.objects.none(),
        required=False,
        empty_label=gettext_lazy("— kenali kolom otomatis —"),
    )

    def __init__(self, *args, office, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = workflow.templates_for(office)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size)s MB); paling besar %(limit)s MB. Pecah menjadi beberapa berkas.")
                % {"size": upload.size // 2**20, "limit": limit // 2**20}
            )
        return upload


def _may_import(user) -> bool:
    """An editor of a regency office imports for it (a province office keeps no regency's list)."""
    return user.is_superuser or (is_editor(user) and not user.office.is_province_level)


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    return get_object_or_404(workflow.batches_for(request.user), pk=pk)


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    batches = workflow.batches_for(request.user).exclude(status=ImportStatus.DISCARDED)
    status = request.GET.get("status", "")
    if status in ImportStatus.values:  # the home page's "imports to confirm" (status "checked")
        batches = batches.filter(status=status)
    context = {
        "batches": batches[:100],
        "may_import": _may_import(request.user),
        "status_label": ImportStatus(status).label if status in ImportStatus.values else "",
    }
    return render(request, "imports/batch_list.html", context)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not _may_import(request.user) or request.user.office is None:
        raise PermissionDenied(_("Hanya petugas kantor kabupaten/kota yang dapat mengimpor."))
    office = request.user.office
    form = UploadForm(request.POST or None, request.FILES or None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            batch = workflow.receive_upload(
                upload=form.cleaned_data["file"],
                office=office,
                actor=request.user,
                template=form.cleaned_data["template"],
            )
        except ImportRefused as error:
            form.add_error("file", str(error))
        else:
            return redirect("imports:batch_detail", batch.pk)
    return render(request, "imports/upload.html", {"form": form, "office": office})


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = workflow.fail_if_dead(_batch(request, pk))
    context = {
        "batch": batch,
        "progress": progress_of(batch.pk) if batch.is_running else None,
        "may_manage": may(request.user, "change", batch.office_id),
        "field_labels": FIELD_LABELS,
        "preview": batch.preview or {},
    }
    if batch.status in (ImportStatus.DONE, ImportStatus.UNDONE):
        rows = ImportRow.objects.filter(batch=batch)
        context["rejected"] = rows.filter(outcome=RowOutcome.REJECTED).order_by("id")[:200]
        context["created_sample"] = (
            rows.filter(outcome__in=[RowOutcome.CREATED, RowOutcome.UPDATED], business__isnull=False)
            .select_related("business")
            .order_by("id")[:20]
        )
    return render(request, "imports/batch_detail.html", context)


@login_required
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by the page; when the work is done the whole page reloads."""
    batch = workflow.fail_if_dead(_batch(request, pk))
    if not batch.is_running:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "imports/_progress.html", {"batch": batch, "progress": progress_of(batch.pk)})


def _posted_choices(request: HttpRequest, batch: ImportBatch) -> tuple[dict[str, str], dict[str, str]]:
    """The mapping (label key → field) and confirmed KBLI codes (activity key → code) from the preview form."""
    preview = batch.preview or {}
    mapping = {}
    for column in preview.get("columns", []):
        name = f"map-{column['key']}"
        if name in request.POST:
            mapping[column["key"]] = request.POST[name]
    kbli = {}
    for suggestion in preview.get("suggestions", []):
        key = suggestion["key"]
        code = request.POST.get(f"kbli-{key}", "").strip()
        # Ticking "terima" takes the code shown; typing another code is a decision too.
        typed_another = code and code != suggestion.get("suggested_code", suggestion["code"])
        if code and (request.POST.get(f"accept-{key}") or typed_another):
            kbli[key] = code
    return mapping, kbli


def _mapping_changed(batch: ImportBatch, mapping: dict[str, str]) -> bool:
    current = {column["key"]: column["field"] for column in (batch.preview or {}).get("columns", [])}
    return any(current.get(key, "") != value for key, value in mapping.items())


@login_required
@require_POST
def batch_action(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview form's buttons: check again, save as template, import, discard, retry."""
    batch = _batch(request, pk)
    action = request.POST.get("action", "")
    try:
        if action in ("recheck", "import", "template"):
            mapping, kbli = _posted_choices(request, batch)
            if action == "template":
                template = workflow.save_template(
                    batch, actor=request.user, name=request.POST.get("template_name", ""), mapping=mapping
                )
                messages.success(request, _("Template “%(name)s” disimpan.") % {"name": template.name})
            elif action == "recheck" or _mapping_changed(batch, mapping) or kbli != batch.kbli_choices:
                # The preview that comes back says what changed (it is kept with the batch: a flash message
                # would be gone with the page that follows the check's progress).
                workflow.recheck(batch, actor=request.user, mapping=mapping, kbli_choices=kbli)
            else:
                workflow.confirm(batch, actor=request.user)
        elif action == "discard":
            workflow.discard(batch, actor=request.user)
            messages.success(request, _("Impor dibuang; data UMKM tidak berubah."))
            return redirect("imports:batch_list")
        elif action == "retry":
            workflow.retry(batch, actor=request.user)
        else:
            raise Http404
    except ImportRefused as error:
        messages.error(request, str(error))
    return redirect("imports:batch_detail", batch.pk)


@login_required
@require_POST
def batch_undo(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        counts = undo_import(batch, actor=request.user)
    except ImportRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Impor dibatalkan: %(removed)s UMKM dihapus, %(restored)s UMKM dikembalikan seperti semula.") % counts,
        )
    return redirect("imports:batch_detail", batch.pk)


@login_required
def batch_rejects(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows as xlsx, in the file's own columns plus the reasons, to fix and import again.

    NIKs are masked except for office admins, and every download is recorded as an export.
    """
    batch = _batch(request, pk)
    rows = ImportRow.objects.filter(batch=batch, outcome=RowOutcome.REJECTED).order_by("id")
    # Warned rows were imported with a value left blank: beside the rejects, to fix and import again.
    warned = ImportRow.objects.filter(batch=batch).exclude(outcome=RowOutcome.REJECTED).exclude(warnings={})
    full_nik = request.user.is_office_admin
    content = rejected_rows_xlsx(
        batch.sheet_labels or {"": batch.labels},
        rows.iterator(chunk_size=2000),
        full_nik=full_nik,
        corrections=batch.mapping,
        warned=warned.order_by("id").iterator(chunk_size=2000),
    )
    log_export(
        actor=request.user,
        kind=ExportKind.REJECTS,
        description=batch.file_name,
        filters={"batch": batch.pk},
        full_nik=full_nik,
        row_count=batch.rejected_count + batch.warned_count,
        ip_address=client_ip(request),
    )
    stem = batch.file_name.rsplit(".", 1)[0] or "impor"
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{stem}-ditolak-{timezone.localdate():%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


@login_required
def blank_template(request: HttpRequest) -> HttpResponse:
    """An empty sheet with the columns Sentra reads best, for offices starting a new list."""
    output = io.BytesIO()
    workbook = new_workbook(output, in_memory=True)
    sheet = workbook.add_worksheet(_("Data UMKM"))
    bold = workbook.add_format({"bold": True, "bg_color": "#E7F5EE"})
    text = workbook.add_format({"num_format": "@"})
    sheet.write_row(0, 0, list(BLANK_LAYOUT.values()), bold)
    for column, name in enumerate(BLANK_LAYOUT):
        sheet.set_column(column, column, 20, text if name in ("nik", "nib", "phone", "kbli") else None)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return FileResponse(
        io.BytesIO(output.getvalue()),
        as_attachment=True,
        filename="format-impor-umkm.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
