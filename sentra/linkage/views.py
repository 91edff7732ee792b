"""Pages for partner agencies' lists: load, link to the registry, review the unsure pairs, undo links."""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sentra.accounts.models import Office
from sentra.audit.models import ExportKind
from sentra.audit.services import log_export
from sentra.core.http import client_ip
from sentra.core.scope import is_editor
from sentra.core.storage import private_file_response
from sentra.imports.workflow import ACCEPTED_SUFFIXES
from sentra.linkage import merges, selectors, services
from sentra.linkage.duplicates import (
    decide_pair,
    decide_pairs,
    duplicate_queue,
    found_by_label,
    held_labels,
    other_business_ids,
    queue_duplicate_search,
    search_key,
)
from sentra.linkage.models import Candidate, Decision, DuplicatePair, SourceRecord
from sentra.linkage.roles import ASSIGNABLE_ROLES, ROLE_LABELS
from sentra.registry.models import Business

RECORDS_PER_PAGE = 50


class SourceForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas daftar"),
        help_text=gettext_lazy("xlsx, xls, ods atau csv dari instansi lain; disimpan terpisah dari data UMKM."),
    )
    name = forms.CharField(
        label=gettext_lazy("Nama daftar"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Kosongkan untuk memakai nama berkasnya."),
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Instansi pembina"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=gettext_lazy("— pilih instansi —"),
    )
    agency_name = forms.CharField(
        label=gettext_lazy("atau nama instansi"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Bila instansinya belum terdaftar di Sentra."),
    )
    check_roles = forms.BooleanField(
        label=gettext_lazy("Periksa peran kolom dulu sebelum dicocokkan"),
        required=False,
        help_text=gettext_lazy(
            "Berkas dibaca, lalu Anda memeriksa kolom mana yang berisi nama, NIK, nomor HP dan desa."
        ),
    )

    def __init__(self, *args, office: Office, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The partner agencies of the office's own area.
        self.fields["agency"].queryset = (
            Office.objects.filter(office.area_filter()).exclude(pk=office.pk).order_by("name")
        )

    def clean(self):
        data = super().clean()
        if not data.get("agency") and not (data.get("agency_name") or "").strip():
            raise forms.ValidationError(_("Pilih instansi pembina, atau tulis namanya."))
        if not (data.get("name") or "").strip() and data.get("file"):
            data["name"] = Path(data["file"].name).stem[:200]  # what the officer would have typed
        suffix = Path(data["file"].name).suffix.lower() if data.get("file") else ""
        if data.get("file") and suffix not in ACCEPTED_SUFFIXES:
            self.add_error("file", _("Jenis berkas %(suffix)s tidak didukung: pakai xlsx, xls, ods, atau csv.") % {
                "suffix": suffix or "-"
            })  # fmt: skip
        return data


def _source(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.sources_for(request.user), pk=pk)


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    to_review = request.GET.get("tinjau") == "1"  # the home page's "lists to review"
    sources = (selectors.sources_to_review if to_review else selectors.sources_for)(request.user)[:100]
    context = {
        "sources": sources,
        "may_manage": is_editor(request.user),
        "to_review": to_review,
    }
    return render(request, "linkage/source_list.html", context)


@login_required
def source_upload(request: HttpRequest) -> HttpResponse:
    if not is_editor(request.user) or request.user.office is None:
        raise PermissionDenied(_("Hanya petugas kantor yang dapat memuat daftar instansi."))
    office = request.user.office
    form = SourceForm(request.POST or None, request.FILES or None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.receive_source(
                upload=form.cleaned_data["file"],
                office=office,
                actor=request.user,
                name=form.cleaned_data["name"],
                agency=form.cleaned_data["agency"],
                agency_name=form.cleaned_data["agency_name"],
                check_roles=form.cleaned_data["check_roles"],
            )
        except services.LinkageRefused as error:
            form.add_error("file", str(error))
        else:
            return redirect("linkage:source_detail", source.pk)
    return render(request, "linkage/source_upload.html", {"form": form, "office": office})


@login_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = services.fail_if_dead(_source(request, pk))
    show = request.GET.get("tampil", "semua")
    records = source.records.select_related("business").order_by("row_number")
    if show == "tertaut":
        records = records.filter(business__isnull=False)
    elif show == "belum":
        records = records.filter(business__isnull=True)
    page = Paginator(selectors.with_waiting(records), RECORDS_PER_PAGE).get_page(request.GET.get("hal"))
    selectors.note_same_business_rows(source, page)
    context = {
        "source": source,
        "counts": selectors.source_counts(source),
        "page": page,
        "show": show,
        "running": source.is_running,
        "may_manage": is_editor(request.user),
        "may_download": may_download_source(request.user, source),
        "role_labels": ROLE_LABELS,
        "columns": selectors.column_choices(source),
        "role_choices": selectors.role_choices(),
    }
    return render(request, "linkage/source_detail.html", context)


@login_required
@require_POST
def source_roles(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer's correction of which column plays which role; the list is linked again."""
    source = _source(request, pk)
    labels = source.column_labels()
    roles: dict[str, str] = {}
    for index, label in enumerate(labels):
        role = request.POST.get(f"column-{index}", "")
        if role and role in roles:
            messages.error(
                request,
                _("Peran %(role)s dipilih untuk dua kolom: %(first)s dan %(second)s. Pilih satu.")
                % {"role": ROLE_LABELS.get(role, role), "first": roles[role], "second": label},
            )
            return redirect("linkage:source_detail", source.pk)
        if role:
            roles[role] = label
    try:
        services.set_roles(source, roles={role: roles.get(role, "") for role in ASSIGNABLE_ROLES}, actor=request.user)
    except services.LinkageRefused as error:
        messages.error(request, str(error))
    else:
        messages.info(request, _("Peran kolom disimpan; daftar dicocokkan ulang di latar."))
    return redirect("linkage:source_detail", source.pk)


def _record(request: HttpRequest, pk: int) -> SourceRecord:
    try:
        return selectors.record_for(request.user, pk)
    except SourceRecord.DoesNotExist:
        raise Http404(_("Baris tidak ditemukan.")) from None


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One row of an agency's list: link it by hand to a registered UMKM found by search, or register it."""
    record = _record(request, pk)
    query = request.GET.get("q")
    if query is None:
        query = selectors.suggested_query(record)
    may_manage = is_editor(request.user)
    context = {
        "record": record,
        "row": selectors.shown_row(record),
        "source": record.source,
        "query": query,
        "picks": selectors.businesses_to_link(request.user, query, record) if may_manage else [],
        "may_manage": may_manage,
    }
    return render(request, "linkage/record_detail.html", context)


@login_required
@require_POST
def record_link(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    business = Business.objects.restrict(request.user, "change").filter(pk=request.POST.get("business") or 0).first()
    if business is None:
        messages.error(request, _("Pilih UMKM terdaftar yang hendak ditautkan."))
        return redirect("linkage:record_detail", record.pk)
    try:
        services.link_by_hand(record, business, actor=request.user)
    except services.LinkageRefused as error:
        messages.error(request, str(error))
        return redirect("linkage:record_detail", record.pk)
    messages.success(
        request, _("Baris %(row)s ditautkan ke %(name)s.") % {"row": record.row_number, "name": business.name}
    )
    return redirect(f"{reverse('linkage:source_detail', args=[record.source_id])}?tampil=belum")


def may_download_source(user, source) -> bool:
    """The list as uploaded holds full NIKs: only those who may reveal them (the office's admins) take it."""
    return bool(source.file) and user.is_office_admin and (user.is_superuser or user.office_id == source.office_id)


@login_required
def source_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency's list as it was uploaded, for the office's admins; recorded as an export."""
    source = _source(request, pk)
    if not may_download_source(request.user, source):
        raise PermissionDenied(_("Hanya admin kantor yang dapat mengunduh berkas asli daftar instansi."))
    response = private_file_response(source.file, download_name=source.file_name)
    log_export(
        actor=request.user,
        kind=ExportKind.SOURCE,
        description=source.file_name,
        filters={"source": source.pk},
        full_nik=True,
        row_count=source.record_count,
        ip_address=client_ip(request),
    )
    return response


@login_required
@require_POST
def source_link(request: HttpRequest, pk: int) -> HttpResponse:
    source = _source(request, pk)
    services.queue_linkage(source, actor=request.user)
    messages.info(request, _("Pencocokan berjalan di latar; halaman ini menampilkan hasilnya setelah selesai."))
    return redirect("linkage:source_detail", source.pk)


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The next unsure pair of a source, side by side with the evidence."""
    source = _source(request, pk)
    queue = selectors.review_queue(source)
    row = request.GET.get("baris", "")  # from one row's "ada calon: tinjau": that row's pairs first
    chosen = queue.filter(record_id=int(row)).first() if row.isdigit() else None
    candidate = chosen or queue.first()
    context = {
        "source": source,
        "candidate": candidate,
        "remaining": selectors.review_counts(queue),
        "may_manage": is_editor(request.user),
    }
    if candidate is not None:
        owner_kept = candidate.business.owner_id in selectors.kept_owner_ids(
            request.user, [candidate.business.owner_id]
        )
        context["owner_kept"] = owner_kept
        context["row"] = selectors.shown_row(candidate.record)
        context["evidence"] = selectors.evidence_rows(candidate, personal=owner_kept)
        context["percent"] = selectors.shown_percent(candidate.probability)
        others = list(queue.filter(record=candidate.record).exclude(pk=candidate.pk)[:5])
        for other in others:
            other.percent = selectors.shown_percent(other.probability)
        context["others"] = others
        context["held"] = held_labels(candidate)
    return render(request, "linkage/review.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(
        Candidate.objects.select_related("record__source__office", "business").filter(
            record__source__in=selectors.sources_for(request.user)
        ),
        pk=pk,
    )
    decision = request.POST.get("decision", "")
    try:
        services.decide(candidate, decision=decision, actor=request.user)
    except services.LinkageRefused as error:
        messages.error(request, str(error))
    else:
        if decision == Decision.SAME:
            messages.success(request, _("Ditautkan: %(name)s.") % {"name": candidate.business.name})
    return redirect("linkage:review", candidate.record.source_id)


@login_required
@require_POST
def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(
        SourceRecord.objects.select_related("source__office", "business").filter(
            source__in=selectors.sources_for(request.user)
        ),
        pk=pk,
    )
    services.unlink(record, actor=request.user)
    messages.success(request, _("Tautan baris %(row)s dibatalkan.") % {"row": record.row_number})
    return redirect("linkage:source_detail", record.source_id)


def _office_of(request: HttpRequest) -> Office:
    if request.user.office is None:
        raise PermissionDenied(_("Halaman ini untuk petugas kantor."))
    return request.user.office


def _business_of_pairs(request: HttpRequest) -> Business | None:
    """The visible UMKM named by `umkm` (GET or POST), whose pairs the review narrows to."""
    raw = request.POST.get("umkm") or request.GET.get("umkm") or ""
    if not raw.isdigit():
        return None
    return Business.objects.restrict(request.user, "view").filter(pk=int(raw)).first()


def _duplicates_url(about: Business | None) -> str:
    url = reverse("linkage:duplicates")
    return f"{url}?umkm={about.pk}" if about is not None else url


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    """The office's registry pairs that may be one UMKM, the most probable first, one at a time."""
    from django.core.cache import cache

    office = _office_of(request)
    queue = duplicate_queue(office)
    # From a UMKM's "Dugaan duplikat" flag: that UMKM's pairs only.
    about = _business_of_pairs(request)
    if about is not None:
        queue = queue.filter(Q(first=about) | Q(second=about))
    pair = queue.first()
    context = {
        "about": about,
        "pair": pair,
        "remaining": queue.count(),
        "searching": bool(cache.get(search_key(office))),
        "may_manage": is_editor(request.user),
    }
    if pair is not None:
        cards = selectors.duplicate_cards(request.user, pair)
        context["cards"] = cards
        context["evidence"] = selectors.evidence_rows(pair, personal=all(card.owner_kept for card in cards))
        context["percent"] = selectors.shown_percent(pair.probability)
        context["held"] = held_labels(pair)
        context["found_by"] = found_by_label(pair)
    return render(request, "linkage/duplicates.html", context)


OTHER_BUSINESS = "usaha-lain"  # ?tampil= of the list, semua= of the bulk form: one owner's other businesses


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """Every pair awaiting a decision, to mark several clear cases "berbeda" at once."""
    office = _office_of(request)
    other_business = other_business_ids(office)
    only_other = request.GET.get("tampil") == OTHER_BUSINESS
    context = {
        "page": selectors.duplicate_list(
            office, page=request.GET.get("hal"), only=other_business if only_other else None
        ),
        "other_business": len(other_business),
        "only_other": only_other,
        "may_manage": is_editor(request.user),
    }
    return render(request, "linkage/duplicate_list.html", context)


@login_required
@require_POST
def duplicates_decide_many(request: HttpRequest) -> HttpResponse:
    office = _office_of(request)
    every_other = request.POST.get("semua") == OTHER_BUSINESS
    ids = other_business_ids(office) if every_other else request.POST.getlist("pair")
    if not ids:
        messages.error(request, _("Centang dulu pasangan yang hendak diputuskan."))
        return redirect("linkage:duplicate_list")
    try:
        count = decide_pairs(office, ids, decision=request.POST.get("decision", ""), actor=request.user)
    except services.LinkageRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)s pasangan dicatat berbeda.") % {"count": count})
    return redirect("linkage:duplicate_list")


@login_required
@require_POST
def duplicates_search(request: HttpRequest) -> HttpResponse:
    queue_duplicate_search(_office_of(request), actor=request.user)
    messages.info(request, _("Pencarian duplikat berjalan di latar; hasilnya muncul di halaman ini."))
    return redirect("linkage:duplicates")


@login_required
@require_POST
def duplicate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    office = _office_of(request)
    pair = get_object_or_404(DuplicatePair.objects.select_related("first", "second"), pk=pk, office=office)
    decision = request.POST.get("decision", "")
    keep = {str(pair.first_id): pair.first, str(pair.second_id): pair.second}.get(request.POST.get("keep", ""))
    if decision == "same" and keep is not None and not request.POST.get("confirmed"):
        # A merge is always confirmed on the page that says what it moves.
        return redirect(_merge_confirm_url(pair, keep, _business_of_pairs(request)))
    try:
        kept = decide_pair(pair, decision=decision, actor=request.user, keep=keep)
    except services.LinkageRefused as error:
        messages.error(request, str(error))
    else:
        if kept is not None:
            messages.success(
                request,
                _("Digabung ke %(name)s; riwayatnya tersimpan, dan penggabungan dapat dibatalkan selama %(days)s hari.")
                % {"name": kept.name, "days": merges.undo_days()},
            )
    about = _business_of_pairs(request)
    return redirect(_duplicates_url(kept if about is not None and kept is not None else about))


def _merge_confirm_url(pair: DuplicatePair, keep: Business, about: Business | None) -> str:
    url = reverse("linkage:duplicate_merge", args=[pair.pk, keep.pk])
    return f"{url}?umkm={about.pk}" if about is not None else url


@login_required
def duplicate_merge(request: HttpRequest, pk: int, keep: int) -> HttpResponse:
    """Before a merge: which record stays, which goes, and what moves; the officer confirms or goes back."""
    office = _office_of(request)
    pair = get_object_or_404(
        DuplicatePair.objects.select_related("first__owner", "first__village", "second__owner", "second__village"),
        pk=pk,
        office=office,
        decision__in=[Decision.PENDING, Decision.UNSURE],
    )
    if keep not in (pair.first_id, pair.second_id):
        raise Http404
    kept, merged = (pair.first, pair.second) if keep == pair.first_id else (pair.second, pair.first)
    context = {
        "pair": pair,
        "preview": merges.merge_preview(keep=kept, merged=merged),
        "about": _business_of_pairs(request),
        "may_manage": is_editor(request.user),
        "days": merges.undo_days(),
    }
    return render(request, "linkage/duplicate_merge.html", context)


@login_required
def merge_list(request: HttpRequest) -> HttpResponse:
    """The merges into businesses the user sees, newest first, with whether each can still be undone."""
    items = Paginator(merges.merges_visible_to(request.user), RECORDS_PER_PAGE).get_page(request.GET.get("hal"))
    return render(request, "linkage/merge_list.html", {"page": items, "days": merges.undo_days()})


def _merge(request: HttpRequest, pk: int):
    return get_object_or_404(merges.merges_visible_to(request.user), pk=pk)


@login_required
def merge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What undoing a merge would restore and what stays as it is; the officer confirms."""
    merge = _merge(request, pk)
    context = {
        "merge": merge,
        "plan": merges.undo_plan(merge),
        "may_undo": merges.may_undo(request.user, merge),
        "days": merges.undo_days(),
    }
    return render(request, "linkage/merge_detail.html", context)


REVIEW_AGAIN = "tinjau"  # the undo button that puts the pair back in the queue, undecided


@login_required
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    merge = _merge(request, pk)
    review_again = request.POST.get("lalu") == REVIEW_AGAIN
    try:
        restored = merges.undo_merge(merge, actor=request.user, review_again=review_again)
    except services.LinkageRefused as error:
        messages.error(request, str(error))
        return redirect("linkage:merge_detail", merge.pk)
    if review_again:
        done = _(
            "Penggabungan dibatalkan: %(name)s dipulihkan seperti semula; "
            "pasangannya kembali ke daftar dugaan duplikat untuk ditinjau lagi."
        )
    else:
        done = _("Penggabungan dibatalkan: %(name)s dipulihkan seperti semula dan dicatat berbeda.")
    messages.success(request, done % {"name": restored.name})
    return redirect("registry:business_detail", restored.pk)
