"""Registry pages: thin views that parse input, call a selector or service, and render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sentra.audit.models import ExportKind
from sentra.audit.services import finish_export, log_export, log_nik_reveal
from sentra.core.http import client_ip
from sentra.linkage import selectors as linkage_selectors
from sentra.linkage import services as linkage_services
from sentra.regions.boundaries import has_boundaries
from sentra.regions.selectors import cascade_choices
from sentra.registry import edits, exports, selectors, services
from sentra.registry import owners as owner_rules
from sentra.registry.forms import (
    ArchiveForm,
    BusinessForm,
    DigitalChannelForm,
    LicenceForm,
    PersonForm,
    ProductForm,
    StatusVerificationForm,
)
from sentra.registry.models import Business, DigitalChannel, Licence, Person, Product

TABS = ("profil", "produk", "izin", "riwayat")
CHILD_KINDS = {
    "produk": (Product, ProductForm, "produk", _("produk")),
    "izin": (Licence, LicenceForm, "izin", _("izin/sertifikat")),
    "saluran": (DigitalChannel, DigitalChannelForm, "profil", _("saluran digital")),
}


def _visible_business(user, pk: int, action: str = "view") -> Business:
    try:
        if action == "view":
            return selectors.business_detail(user, pk)
        return selectors.businesses_visible_to(user, "change").select_related("owner").get(pk=pk)
    except Business.DoesNotExist:
        raise Http404(_("UMKM tidak ditemukan.")) from None


@login_required
@require_GET
def business_list(request: HttpRequest) -> HttpResponse:
    filterset, page, count, sort = selectors.business_list_page(request.user, request.GET, count=True)
    context = {
        "filter": filterset,
        "page": page,
        "count": count,
        "sort": sort,
        "sorts": [
            ("name", _("Nama A–Z")),
            ("-name", _("Nama Z–A")),
            ("-updated_at", _("Terakhir diubah")),
            ("-created_at", _("Terbaru didaftarkan")),
        ],
        "can_edit": request.user.can_edit_registry,
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "registry/_business_results.html", context)
    return render(request, "registry/business_list.html", context)


# What a list's address holds that is no filter: paging, sort, a download's format.
NOT_FILTERS = ("after", "before", "sort", "format", "layout")


@login_required
@require_GET
def business_map(request: HttpRequest) -> HttpResponse:
    """The list's businesses on a map; static/sentra/map.js loads their points from the API with the same filters."""
    filterset, _queryset = selectors.filtered_businesses(request.user, request.GET)
    query = request.GET.copy()
    for name in NOT_FILTERS:
        query.pop(name, None)
    context = {"filter": filterset, "chosen": filterset.chosen(), "query": query.urlencode()}
    # The districts' outlines of the regency shown, when its office loaded them (manage.py load_boundaries).
    office = request.user.office
    regency = (
        request.GET.get("regency") or request.GET.get("district", "")[:5] or (office and office.regency_id) or ""
    )[:5]
    if regency and has_boundaries(regency):
        context["boundaries_url"] = f"{reverse('api:district_boundaries')}?{urlencode({'regency': regency})}"
    return render(request, "registry/business_map.html", context)


@login_required
@require_GET
def business_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered list as a file, in bounded memory whatever its size.

    Takes the list page's own filters, plus `format` (csv, xlsx) and `layout`
    (canonical, sidt). Full NIKs (and, in SIDT, birth dates) go only to office admins and the users
    they granted it to, and each owner whose NIK is in the file is logged as a NIK reveal.
    """
    file_format = request.GET.get("format") or "csv"
    layout_name = request.GET.get("layout") or "canonical"
    if file_format not in exports.FORMATS or layout_name not in exports.LAYOUTS:
        return HttpResponseBadRequest(_("Format atau susunan kolom unduhan tidak dikenal."))
    _filterset, queryset = selectors.filtered_businesses(request.user, request.GET)
    full_nik = request.user.can_export_full_data
    layout = exports.layout_named(layout_name, full_nik=full_nik)
    nik_log = (
        exports.NikRevealLog(actor=request.user, request_id=getattr(request, "id", None), ip_address=client_ip(request))
        if full_nik
        else None
    )
    export_log = log_export(
        actor=request.user,
        kind=ExportKind.REGISTRY,
        description=f"{layout_name} {file_format}",
        filters={key: value for key, value in request.GET.items() if key not in ("format", "layout")},
        full_nik=full_nik,
        ip_address=client_ip(request),
    )
    ordering = selectors.list_ordering(request.GET)  # the order the officer chose on the list
    chunks = _counted(exports.row_chunks(queryset, layout, nik_log=nik_log, ordering=ordering), export_log)
    office = request.user.office
    filename = exports.export_filename(office.code if office else None, layout_name, file_format, timezone.localdate())
    if file_format == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            exports.csv_chunks(layout, chunks), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        sheet_name = "SIDT" if layout_name == "sidt" else "UMKM"
        response = FileResponse(
            exports.xlsx_file(layout, chunks, sheet_name),
            as_attachment=True,
            filename=filename,
            content_type=exports.XLSX_CONTENT_TYPE,
        )
    response["Cache-Control"] = "private, no-store"  # it may hold personal data
    return response


def _counted(chunks, export_log):
    """Pass the export's chunks on, and record how many rows went out once the last one has."""
    rows = 0
    for chunk in chunks:
        rows += len(chunk)
        yield chunk
    finish_export(export_log, rows)


@login_required
@require_GET
def business_detail(request: HttpRequest, pk: int, tab: str = "profil") -> HttpResponse:
    if tab not in TABS:
        raise Http404
    try:
        business = _visible_business(request.user, pk)
    except Http404:
        if (kept := linkage_selectors.kept_instead_of(request.user, pk)) is not None:  # absorbed by a merge
            messages.info(
                request,
                _(
                    "UMKM #%(merged)s sudah digabung ke UMKM ini; alamat lamanya dibuka di sini. "
                    "Riwayat penggabungan ada di tab Riwayat."
                )
                % {"merged": pk},
            )
            return redirect("registry:business_detail", pk=kept)
        raise
    context = {
        "business": business,
        "tab": tab,
        "tabs": TABS,
        **selectors.business_permissions(request.user, business),
        "quality_flags": selectors.quality_flags(business) if tab == "profil" else [],
        "verify_form": StatusVerificationForm(initial={"status": business.status}),
        "can_reveal_nik": request.user.is_office_admin,
        **selectors.owner_panel(request.user, business),
    }
    if tab == "riwayat":
        context["changes"] = selectors.business_history(request.user, business)
        context["import_rows"] = business.import_rows.select_related("batch__created_by").order_by("id")
        context["status_history"] = business.status_history.select_related("changed_by")
        context["maturity_history"] = business.maturity_history.select_related("changed_by")
        context["merges"] = linkage_selectors.merges_into(request.user, business)
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "tabs":
        return render(request, "registry/_tabs.html", context)
    return render(request, "registry/business_detail.html", context)


@login_required
@require_GET
def business_print(request: HttpRequest, pk: int) -> HttpResponse:
    """One printable page of the business: what every tab holds, without buttons; NIKs masked."""
    business = _visible_business(request.user, pk)
    office = request.user.office
    context = {
        "business": business,
        "office_name": office.name if office else "Sentra",
        "today": timezone.localdate(),  # the office's day (Asia/Jakarta), not the server's
        **selectors.owner_panel(request.user, business),
    }
    return render(request, "registry/business_print.html", context)


def _owner_form(user, business: Business | None, data=None) -> tuple[PersonForm, bool]:
    """The owner part of the business form, and whether `user`'s office keeps the owner's record.

    An owner kept by another regency's office is not shown: the form starts from the name
    alone, and what is typed becomes a proposal to that office (docs/owners.md).
    """
    owner = business.owner if business else None
    near = (data or {}).get("business-village") or (business.village_id if business else "")
    if owner is None or owner_rules.keeps(user, owner, "change"):
        return PersonForm(data, instance=owner or Person(), prefix="owner", near_village=near), True
    initial = {"full_name": owner.full_name, "sex": owner.sex}
    form = PersonForm(data, instance=Person(), prefix="owner", initial=initial, near_village=near)
    del form.fields["village"]  # where the owner lives is the keeping office's to say
    return form, False


EDITED_FIELDS = [name for name in BusinessForm.Meta.fields if name != "fostering_offices"]


def _merge_concurrent_edits(request, business_form, person_form, owner_kept: bool, base: dict):
    """Fold in what others saved since this form was loaded; returns (offices, conflicts left).

    With conflicts, the form comes back with both values to choose, loaded afresh from what is stored.
    """
    stored = Business.objects.select_related("owner").get(pk=business_form.instance.pk)
    choices = {key.removeprefix("resolve-"): value for key, value in request.POST.items() if key.startswith("resolve-")}
    offices, conflicts = edits.merge(
        base=base,
        business=business_form.instance,
        stored_business=stored,
        business_fields=EDITED_FIELDS,
        offices=list(business_form.cleaned_data["fostering_offices"]),
        owner_values=person_form.cleaned_data if owner_kept else None,
        stored_owner=stored.owner if owner_kept else None,
        choices=choices,
    )
    if conflicts:
        data = request.POST.copy()
        data["business-base"] = edits.sign(stored, EDITED_FIELDS, stored.owner if owner_kept else None)
        business_form.data = data
    return offices, conflicts


def _typed_duplicates(user, params, exclude_pk: int | None = None) -> selectors.PossibleDuplicates:
    """The registered businesses like what the add form holds so far (NIK, names, village)."""
    nik = "".join(ch for ch in params.get("owner-nik", "") if ch.isdigit())
    return selectors.possible_duplicates(
        user,
        nik=nik if len(nik) == 16 else "",
        name=params.get("business-name", "").strip(),
        village_code=params.get("business-village", "").strip(),
        owner_name=params.get("owner-full_name", ""),
        exclude_pk=exclude_pk,
    )


@login_required
@require_GET
def business_duplicates(request: HttpRequest) -> HttpResponse:
    """The add form's check while the officer types (htmx); the save checks again, with or without JS."""
    if not request.user.can_edit_registry:
        raise PermissionDenied(_("Anda tidak berwenang menambah UMKM."))
    return render(request, "registry/_duplicates.html", {"duplicates": _typed_duplicates(request.user, request.GET)})


def _business_form_page(request, business: Business | None) -> HttpResponse:
    user = request.user
    creating = business is None
    if creating and not user.can_edit_registry:
        raise PermissionDenied(_("Anda tidak berwenang menambah UMKM."))
    conflicts: list[edits.Conflict] = []
    duplicates = None
    if request.method == "POST" and creating:
        duplicates = _typed_duplicates(user, request.POST)
    if request.method == "POST":
        person_form, owner_kept = _owner_form(user, business, request.POST)
        business_form = BusinessForm(request.POST, instance=business, user=user, prefix="business")
        if person_form.is_valid() and business_form.is_valid():
            offices = list(business_form.cleaned_data["fostering_offices"])
            base = edits.unsign(business_form.cleaned_data.get("base", ""))
            if business is not None and base is not None:
                offices, conflicts = _merge_concurrent_edits(request, business_form, person_form, owner_kept, base)
        # A likely copy of a registered business is saved only once the officer says it is a new one.
        held = duplicates is not None and duplicates.blocking and not request.POST.get("confirm_new")
        if person_form.is_valid() and business_form.is_valid() and not conflicts and not held:
            try:
                saved = services.save_business_with_owner(
                    actor=user,
                    business=business_form.save(commit=False),
                    owner_values=person_form.cleaned_data,
                    fostering_offices=offices,
                )
            except PermissionDenied as denied:
                business_form.add_error(None, str(denied))
            except ValidationError as error:
                person_form.add_error(None, error)
            else:
                messages.success(request, _("Data UMKM %(name)s tersimpan.") % {"name": saved.business.name})
                if saved.linked_elsewhere:
                    messages.info(
                        request,
                        _(
                            "Pemilik dengan NIK ini sudah terdaftar di kabupaten/kota lain; UMKM ini dihubungkan "
                            "kepadanya. Data pribadinya tetap dikelola kantor yang mendaftarkannya."
                        ),
                    )
                if saved.proposal is not None:
                    messages.info(request, _("Data pemilik yang Anda isi dikirim sebagai usulan kepada kantor itu."))
                # Registered from an agency's row (one of the user's lists, not linked yet): link that row.
                row = linkage_selectors.unlinked_record(user, request.GET.get("dari_baris", "")) if creating else None
                if row is not None:
                    linkage_services.link_by_hand(row, saved.business, actor=user)
                return redirect("registry:business_detail", pk=saved.business.pk)
    else:
        person_form, owner_kept = _owner_form(user, business)
        initial = {}
        if creating and user.office is not None:
            initial["fostering_offices"] = [user.office]
        if business is not None:
            initial["base"] = edits.sign(business, EDITED_FIELDS, business.owner if owner_kept else None)
        if creating and (row := linkage_selectors.new_business_initial(user, request.GET.get("dari_baris", ""))):
            person_form.initial.update(row["owner"])  # an agency's row registered as a new UMKM
            initial.update(row["business"])
        business_form = BusinessForm(instance=business, user=user, prefix="business", initial=initial)
    office = user.office
    village_code = business_form["village"].value() or None
    cascade = cascade_choices(
        str(village_code) if village_code else None,
        office.province_id if office is not None else None,
        office.regency_id if office is not None else None,
    )
    from_row = linkage_selectors.unlinked_record(user, request.GET.get("dari_baris", "")) if creating else None
    return render(
        request,
        "registry/business_form.html",
        {
            "business": business,
            "person_form": person_form,
            "owner_kept": owner_kept,
            "conflicts": conflicts,
            "form": business_form,
            "creating": creating,
            "cascade": cascade,
            "duplicates": duplicates,
            "from_row": from_row,  # an agency's row being registered: the page says which
        },
    )


@login_required
def business_create(request: HttpRequest) -> HttpResponse:
    return _business_form_page(request, None)


@login_required
def business_edit(request: HttpRequest, pk: int) -> HttpResponse:
    business = _visible_business(request.user, pk)
    services.ensure_can_change(request.user, business)
    return _business_form_page(request, business)


@login_required
def business_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Deleting a UMKM archives it; a partner agency is offered to stop fostering it instead."""
    business = _visible_business(request.user, pk)
    permissions = selectors.business_permissions(request.user, business)
    if not (permissions["can_archive"] or permissions["can_stop_fostering"]):
        raise PermissionDenied(_("Hanya kantor yang mendaftarkan UMKM ini yang dapat mengarsipkannya."))
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "stop_fostering" and permissions["can_stop_fostering"]:
            services.stop_fostering(actor=request.user, business=business)
            messages.success(request, _("Kantor Anda tidak lagi membina %(name)s.") % {"name": business.name})
            if selectors.businesses_visible_to(request.user).filter(pk=pk).exists():
                return redirect("registry:business_detail", pk=pk)
            return redirect("registry:business_list")
        services.archive_business(actor=request.user, business=business, reason=form.cleaned_data["reason"])
        messages.success(request, _("UMKM %(name)s diarsipkan.") % {"name": business.name})
        return redirect("registry:business_list")
    return render(request, "registry/confirm_archive.html", {"business": business, "form": form, **permissions})


@login_required
@require_POST
def business_restore(request: HttpRequest, pk: int) -> HttpResponse:
    business = _visible_business(request.user, pk)
    try:
        services.restore_business(actor=request.user, business=business)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("UMKM %(name)s dipulihkan.") % {"name": business.name})
    return redirect("registry:business_detail", pk=pk)


@login_required
@require_POST
def business_verify(request: HttpRequest, pk: int) -> HttpResponse:
    business = _visible_business(request.user, pk, "change")
    form = StatusVerificationForm(request.POST)
    if form.is_valid():
        before = business.get_status_display()
        services.verify_business_status(actor=request.user, business=business, status=form.cleaned_data["status"])
        after = business.get_status_display()
        if after != before:
            message = _("Status usaha diubah dari %(before)s menjadi %(after)s, dan diverifikasi hari ini.")
        else:
            message = _("Status usaha (%(after)s) diverifikasi hari ini.")
        messages.success(request, message % {"before": before, "after": after})
    return redirect("registry:business_detail", pk=pk)


@login_required
@require_POST
def business_confirm_size(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer's word that a capital and turnover of different size classes are both true."""
    business = _visible_business(request.user, pk, "change")
    services.confirm_size_figures(actor=request.user, business=business)
    messages.success(request, _("Modal dan omzet dicatat sudah benar."))
    return redirect("registry:business_detail", pk=pk)


@login_required
def child_edit(request: HttpRequest, pk: int, kind: str, child_pk: int | None = None) -> HttpResponse:
    """Add or change a product, licence or digital channel of a business."""
    if kind not in CHILD_KINDS:
        raise Http404
    model, form_class, tab, label = CHILD_KINDS[kind]
    business = _visible_business(request.user, pk, "change")
    child = (
        model.objects.restrict(request.user, "change").filter(business=business, pk=child_pk).first()
        if child_pk
        else None
    )
    if child_pk and child is None:
        raise Http404
    form = form_class(request.POST or None, request.FILES or None, instance=child)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.business = business
        services.save_business_child(actor=request.user, child=item)
        messages.success(request, _("Data %(label)s tersimpan.") % {"label": label})
        return redirect(reverse("registry:business_tab", kwargs={"pk": pk, "tab": tab}))
    return render(
        request, "registry/child_form.html", {"business": business, "form": form, "label": label, "child": child}
    )


@login_required
def child_delete(request: HttpRequest, pk: int, kind: str, child_pk: int) -> HttpResponse:
    if kind not in CHILD_KINDS:
        raise Http404
    model, _form, tab, label = CHILD_KINDS[kind]
    business = _visible_business(request.user, pk, "change")
    child = model.objects.restrict(request.user, "change").filter(business=business, pk=child_pk).first()
    if child is None:
        raise Http404
    if request.method == "POST":
        services.delete_business_child(actor=request.user, child=child)
        messages.success(request, _("Data %(label)s dihapus.") % {"label": label})
        return redirect(reverse("registry:business_tab", kwargs={"pk": pk, "tab": tab}))
    return render(request, "registry/confirm_delete.html", {"object": child, "business": business})


@login_required
@require_POST
def owner_nik(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Show one owner's full NIK to an office admin, and log that it was shown."""
    if not request.user.is_office_admin:
        raise PermissionDenied(_("Hanya admin kantor yang boleh melihat NIK lengkap."))
    person = selectors.persons_visible_to(request.user).filter(pk=person_pk).first()
    if person is None:  # another regency keeps this owner's record (or nobody here may see it)
        raise Http404
    log_nik_reveal(actor=request.user, person=person, ip_address=client_ip(request))
    return HttpResponse(format_html('<span class="nik">{}</span>', person.nik or "—"))


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    """The keeping office accepts or declines what another office proposed about an owner."""
    business = _visible_business(request.user, pk)
    proposal = selectors.proposals_to_decide(request.user).filter(pk=proposal_pk, person=business.owner_id).first()
    if proposal is None:
        raise Http404
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_person_proposal(actor=request.user, proposal=proposal, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Usulan diterima.") if accept else _("Usulan ditolak."))
    return redirect("registry:business_detail", pk=pk)
