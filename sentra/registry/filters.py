"""The registry list's filters, shared by the HTML list, the API and exports."""

import datetime as dt

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db.models import Exists, OuterRef
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import Office, User
from sentra.core.bulk import with_ids
from sentra.core.widgets import QuickSelect
from sentra.kbli.models import Kbli, KbliLevel
from sentra.regions.models import District, Province, Regency, Village
from sentra.registry.history import EARLIEST_DATE, LATEST_DATE, local_day_bounds, month_bounds, moved_up
from sentra.registry.licences import valid_on
from sentra.registry.models import Business, Licence, LicenceKind, Maturity, OperatingStatus, Sex, StatusChange
from sentra.registry.quality import QualityCheck, quality_condition
from sentra.registry.search import filter_by_search
from sentra.registry.sizing import SizeClass

# Dates far outside any registry's life are refused rather than overflowing date arithmetic.
MONTH = RegexValidator(r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$", _("Bulan ditulis TTTT-BB, mis. 2026-03."))
YEAR = RegexValidator(r"^(19|20|21)\d{2}$", _("Tahun ditulis TTTT, mis. 2026."))
STEP = RegexValidator(r"^[a-z]+>[a-z]+$", _("Langkah ditulis dari>ke, mis. micro>small."))
SANE_DATES = [MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)]
MOVE_KINDS = (("size", _("Naik skala usaha")), ("maturity", _("Naik tahap perkembangan")))
ALL = _("Semua")  # the empty choice of every filter: no narrowing, not "---------"


class MonthField(forms.CharField):
    default_validators = [MONTH]


class MonthFilter(django_filters.CharFilter):
    field_class = MonthField


# Choosing a regency or district re-renders the whole filter form, so the
# next level's choices follow (htmx picks #registry out of the full page).
RELOAD_FILTERS = {
    "hx-get": reverse_lazy("registry:business_list"),
    "hx-target": "#registry",
    "hx-select": "#registry",
    "hx-include": "#filters",
    "hx-push-url": "true",
}


def shows_archived_filter(user) -> bool:
    """Office admins restore archived UMKM, so they alone are offered the list of them."""
    return getattr(user, "is_office_admin", False)


class BusinessFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Cari usaha, pemilik, atau produk"))
    regency = django_filters.ModelChoiceFilter(
        queryset=Regency.objects.none(),
        label=_("Kabupaten/kota"),
        empty_label=ALL,
        widget=QuickSelect(attrs=RELOAD_FILTERS),
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.none(),
        label=_("Kecamatan"),
        empty_label=ALL,
        widget=QuickSelect(attrs=RELOAD_FILTERS),
    )
    village = django_filters.ModelChoiceFilter(
        queryset=Village.objects.none(), label=_("Desa/kelurahan"), empty_label=ALL
    )
    kbli_section = django_filters.ChoiceFilter(choices=(), label=_("Kategori KBLI"), empty_label=ALL)
    size_class = django_filters.ChoiceFilter(choices=SizeClass.choices, label=_("Skala"), empty_label=ALL)
    status = django_filters.ChoiceFilter(choices=OperatingStatus.choices, label=_("Status"), empty_label=ALL)
    maturity = django_filters.ChoiceFilter(choices=Maturity.choices, label=_("Tahap"), empty_label=ALL)
    fostering_office = django_filters.ModelChoiceFilter(
        queryset=Office.objects.none(), method="filter_fostering_office", label=_("Dibina oleh"), empty_label=ALL
    )
    licence = django_filters.ChoiceFilter(
        choices=LicenceKind.choices, method="filter_licence", label=_("Izin"), empty_label=ALL
    )
    owner_sex = django_filters.ChoiceFilter(
        field_name="owner__sex", choices=Sex.choices, label=_("Jenis kelamin pemilik"), empty_label=ALL
    )
    quality = django_filters.ChoiceFilter(
        choices=QualityCheck.choices, method="filter_quality", label=_("Mutu data"), empty_label=ALL
    )
    registered_by = django_filters.ModelChoiceFilter(
        field_name="created_by",
        queryset=User.objects.none(),
        label=_("Didaftarkan oleh"),
        empty_label=ALL,
        null_label=_("(tidak tercatat)"),
    )
    # Office admins find what was archived here, to restore it (selectors.filtered_businesses reads it).
    archived = django_filters.ChoiceFilter(
        choices=[("1", _("Diarsipkan"))], method="filter_archived", label=_("Arsip"), empty_label=_("Tidak diarsipkan")
    )
    # The dashboards' figures link here; these narrow the list but are not offered as fields.
    province = django_filters.ModelChoiceFilter(queryset=Province.objects.all(), widget=forms.HiddenInput)
    registered_month = MonthFilter(method="filter_registered_month", widget=forms.HiddenInput)
    registered_year = django_filters.CharFilter(
        method="filter_registered_year", widget=forms.HiddenInput, validators=[YEAR]
    )
    registered_after = django_filters.DateFilter(
        method="filter_registered_after", widget=forms.HiddenInput, validators=SANE_DATES
    )
    status_changed_month = MonthFilter(method="filter_status_changed", widget=forms.HiddenInput)
    status_changed_to = django_filters.ChoiceFilter(
        choices=OperatingStatus.choices, method="filter_status_changed", widget=forms.HiddenInput
    )
    status_changed_after = django_filters.DateFilter(
        method="filter_status_changed", widget=forms.HiddenInput, validators=SANE_DATES
    )
    moved_up = django_filters.ChoiceFilter(choices=MOVE_KINDS, method="filter_moved_up", widget=forms.HiddenInput)
    moved_step = django_filters.CharFilter(method="filter_moved_up", widget=forms.HiddenInput, validators=[STEP])
    moved_from = django_filters.DateFilter(method="filter_moved_up", widget=forms.HiddenInput, validators=SANE_DATES)
    moved_to = django_filters.DateFilter(method="filter_moved_up", widget=forms.HiddenInput, validators=SANE_DATES)

    class Meta:
        model = Business
        fields = ["q", "regency", "district", "village", "kbli_section", "size_class", "status", "maturity"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for choice in self.filters.values():  # the form's choices, rendered without a template per option
            if isinstance(choice, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
                choice.extra.setdefault("widget", QuickSelect)
        office = getattr(user, "office", None)
        data = self.data or {}
        if not shows_archived_filter(user):
            del self.filters["archived"]
        if office is not None and office.regency_id:
            # A regency office's list never leaves its regency: no regency to choose.
            del self.filters["regency"]
            regency = office.regency_id
        else:
            regencies = Regency.objects.order_by("name")
            if office is not None:
                regencies = regencies.filter(province_id=office.province_id)
            self.filters["regency"].queryset = regencies
            regency = data.get("regency")
        self.filters["district"].queryset = (
            District.objects.filter(regency_id=regency).order_by("name") if regency else District.objects.none()
        )
        district = data.get("district")
        self.filters["village"].queryset = (
            Village.objects.filter(district_id=district).order_by("name") if district else Village.objects.none()
        )
        self.filters["kbli_section"].extra["choices"] = [
            (k.code, f"{k.code} – {k.title.capitalize()}") for k in Kbli.objects.filter(level=KbliLevel.SECTION)
        ]
        offices = Office.objects.all()
        if office is not None:
            offices = offices.filter(province_id=office.province_id)
        self.filters["fostering_office"].queryset = offices
        # Whoever registered what the user sees: partner agencies and the province register too.
        officers = User.objects.filter(office__isnull=False, api_token__isnull=True)  # people, not API tokens
        if office is not None:
            officers = officers.filter(office__province_id=office.province_id)
        self.filters["registered_by"].queryset = officers.order_by("first_name", "username")
        # Officers by their names, as the change history shows them.
        self.filters["registered_by"].field.label_from_instance = lambda user: user.shown_name

    def chosen(self) -> list[tuple[str, str]]:
        """The filters chosen, as (label, value) to name them on a page that shows no form (the map);
        the dashboards' own filters, which have no field, as one entry without a label."""
        if not self.is_bound or not self.is_valid():
            return []
        chosen: list[tuple[str, str]] = []
        from_dashboard = False
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            if field.widget.is_hidden:
                from_dashboard = True
                continue
            choices = dict(getattr(field, "choices", ()))
            shown = choices.get(value, value) if isinstance(value, str) else value
            chosen.append((str(field.label), str(shown)))
        if from_dashboard:
            chosen.append(("", str(_("saringan dari dasbor"))))
        return chosen

    @property
    def narrows_beyond_search(self) -> bool:
        """Whether a filter in "Saring" is chosen, so that the panel stays open when the form is drawn again."""
        data = self.data or {}
        return any(
            data.get(name) for name, field in self.form.fields.items() if name != "q" and not field.widget.is_hidden
        )

    def filter_archived(self, queryset, name, value):
        return queryset  # the list's base queryset already holds the archived ones

    def filter_search(self, queryset, name, value):
        return filter_by_search(queryset, value)

    def filter_fostering_office(self, queryset, name, value):
        through = Business.fostering_offices.through
        return queryset.filter(Exists(through.objects.filter(business_id=OuterRef("pk"), office_id=value.pk)))

    def filter_licence(self, queryset, name, value):
        # Held means valid today: an expired licence is not counted by the dashboards either.
        held = Licence.objects.filter(valid_on(timezone.localdate()), business_id=OuterRef("pk"), kind=value)
        return queryset.filter(Exists(held))

    def filter_quality(self, queryset, name, value):
        return queryset.filter(quality_condition(value, timezone.localdate()))

    def filter_registered_month(self, queryset, name, value):
        since, until = month_bounds(value)
        return queryset.filter(created_at__gte=since, created_at__lt=until)

    def filter_registered_year(self, queryset, name, value):
        since, until = local_day_bounds(dt.date(int(value), 1, 1), dt.date(int(value), 12, 31))
        return queryset.filter(created_at__gte=since, created_at__lt=until)

    def filter_registered_after(self, queryset, name, value):
        return queryset.filter(created_at__gte=local_day_bounds(value, value)[1])

    def filter_status_changed(self, queryset, name, value):
        """Businesses whose status changed (to `status_changed_to`, when given) in `status_changed_month`,
        or after the day `status_changed_after` (the home page's "this week")."""
        month = self.form.cleaned_data.get("status_changed_month")
        if name == "status_changed_to" or (name == "status_changed_after" and month):
            return queryset  # the month's (or the day's) filter applies both; a status alone narrows nothing
        changes = StatusChange.objects.filter(business_id=OuterRef("pk")).exclude(previous_status="")
        if name == "status_changed_month":
            since, until = month_bounds(value)
            changes = changes.filter(changed_at__gte=since, changed_at__lt=until)
        else:
            changes = changes.filter(changed_at__gte=local_day_bounds(value, value)[1])
        if self.form.cleaned_data.get("status_changed_to"):
            changes = changes.filter(status=self.form.cleaned_data["status_changed_to"])
        return queryset.filter(Exists(changes))

    def filter_moved_up(self, queryset, name, value):
        """Businesses that moved up a size class or stage between `moved_from` and `moved_to` (default: this year)."""
        if name != "moved_up":
            return queryset
        today = timezone.localdate()
        start = self.form.cleaned_data.get("moved_from") or today.replace(month=1, day=1)
        end = self.form.cleaned_data.get("moved_to") or today
        if end < start:
            return queryset.none()
        moved = moved_up(queryset, value, start, end)
        step = self.form.cleaned_data.get("moved_step")
        if step:  # one step of the moves, e.g. "micro>small"
            moved = {pk: move for pk, move in moved.items() if ">".join(move) == step}
        return with_ids(queryset, moved)
