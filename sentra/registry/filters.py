"""The registry list's filters, shared by the HTML list, the API and exports."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import Office
from sentra.kbli.models import Kbli, KbliLevel
from sentra.regions.models import District, Regency, Village
from sentra.registry.models import Business, Licence, LicenceKind, Maturity, OperatingStatus
from sentra.registry.search import filter_by_search
from sentra.registry.sizing import SizeClass

# Choosing a regency or district re-renders the whole filter form, so the
# next level's choices follow (htmx picks #registry out of the full page).
RELOAD_FILTERS = {
    "hx-get": reverse_lazy("registry:business_list"),
    "hx-target": "#registry",
    "hx-select": "#registry",
    "hx-include": "#filters",
    "hx-push-url": "true",
}


class BusinessFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Cari usaha, pemilik, atau produk"))
    regency = django_filters.ModelChoiceFilter(
        queryset=Regency.objects.none(), label=_("Kabupaten/kota"), widget=forms.Select(attrs=RELOAD_FILTERS)
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.none(), label=_("Kecamatan"), widget=forms.Select(attrs=RELOAD_FILTERS)
    )
    village = django_filters.ModelChoiceFilter(queryset=Village.objects.none(), label=_("Desa/kelurahan"))
    kbli_section = django_filters.ChoiceFilter(choices=(), label=_("Kategori KBLI"))
    size_class = django_filters.ChoiceFilter(choices=SizeClass.choices, label=_("Skala"))
    status = django_filters.ChoiceFilter(choices=OperatingStatus.choices, label=_("Status"))
    maturity = django_filters.ChoiceFilter(choices=Maturity.choices, label=_("Tahap"))
    fostering_office = django_filters.ModelChoiceFilter(
        queryset=Office.objects.none(), method="filter_fostering_office", label=_("Dibina oleh")
    )
    licence = django_filters.ChoiceFilter(choices=LicenceKind.choices, method="filter_licence", label=_("Izin"))

    class Meta:
        model = Business
        fields = ["q", "regency", "district", "village", "kbli_section", "size_class", "status", "maturity"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        office = getattr(user, "office", None)
        data = self.data or {}
        if office is not None and office.regency_id:
            # A regency office's list never leaves its regency: no regency to choose.
            del self.filters["regency"]
            regency = office.regency_id
        else:
            regencies = Regency.objects.all()
            if office is not None:
                regencies = regencies.filter(province_id=office.province_id)
            self.filters["regency"].queryset = regencies
            regency = data.get("regency")
        self.filters["district"].queryset = (
            District.objects.filter(regency_id=regency) if regency else District.objects.none()
        )
        district = data.get("district")
        self.filters["village"].queryset = (
            Village.objects.filter(district_id=district) if district else Village.objects.none()
        )
        self.filters["kbli_section"].extra["choices"] = [
            (k.code, f"{k.code} – {k.title.capitalize()}") for k in Kbli.objects.filter(level=KbliLevel.SECTION)
        ]
        offices = Office.objects.all()
        if office is not None:
            offices = offices.filter(province_id=office.province_id)
        self.filters["fostering_office"].queryset = offices

    def filter_search(self, queryset, name, value):
        return filter_by_search(queryset, value)

    def filter_fostering_office(self, queryset, name, value):
        through = Business.fostering_offices.through
        return queryset.filter(Exists(through.objects.filter(business_id=OuterRef("pk"), office_id=value.pk)))

    def filter_licence(self, queryset, name, value):
        return queryset.filter(Exists(Licence.objects.filter(business_id=OuterRef("pk"), kind=value)))
