"""Reads for the dashboards: the office dashboard, the province roll-up, comparisons, data quality.

Every function takes the acting user; the area asked for must lie inside what
the user may see (else PermissionDenied). Cooperative offices and superusers
read the tallies; a partner agency, which sees only the businesses its office
fosters, has them counted from that scope directly. Every figure carries the
address of the registry list that shows the businesses behind it.
"""

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import Office, User
from sentra.dashboards.figures import (
    INNOVATING,
    MOVED_DIMENSIONS,
    OPERATING,
    Dimension,
    Figures,
    changes_after,
    count_figures,
    figures_before,
    merged,
)
from sentra.dashboards.tallies import tallied_figures
from sentra.kbli.models import Kbli, KbliLevel
from sentra.regions.models import District, Province, Regency
from sentra.registry.history import moved_up
from sentra.registry.models import Business, LicenceKind, Maturity, OperatingStatus, Person, Sex
from sentra.registry.quality import QualityCheck, quality_condition
from sentra.registry.sizing import SizeClass

LEVELS = {0: "country", 2: "province", 5: "regency", 8: "district"}
LIST_PARAM = {"province": "province", "regency": "regency", "district": "district"}
CHILD_LEVEL = {"country": "province", "province": "regency", "regency": "district", "district": None}
MONTHS_SHOWN = 12


# -- Areas -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A region a dashboard covers: the country, a province, a regency or a district."""

    code: str  # "" for the country
    name: str

    @property
    def level(self) -> str:
        return LEVELS[len(self.code)]

    @property
    def list_params(self) -> dict[str, str]:
        """The registry list's filter for this area (a district's needs its regency: the list's choices follow it)."""
        if not self.code:
            return {}
        params = {LIST_PARAM[self.level]: self.code}
        if self.level == "district":
            params["regency"] = self.code[:5]
        return params

    @property
    def child_level(self) -> str | None:
        return CHILD_LEVEL[self.level]


AREA_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2})?)?$")


def area_named(code: str) -> Area:
    """The area with Kemendagri code `code` ("" is the country); ValueError when there is none."""
    if code and not AREA_CODE.match(code):
        raise ValueError(code)
    model = {0: None, 2: Province, 5: Regency, 8: District}.get(len(code or ""), False)
    if model is None:
        return Area("", _("Indonesia"))
    if model is False:
        raise ValueError(code)
    found = model.objects.filter(code=code).values_list("name", flat=True).first()
    if found is None:
        raise ValueError(code)
    return Area(code, found)


def home_area(user) -> Area:
    """The area a user's dashboard opens on: their office's regency or province, the country for superusers."""
    office = getattr(user, "office", None)
    if user.is_superuser or office is None:
        return area_named("")
    return area_named(office.area_code)


def _within(user, code: str) -> bool:
    if user.is_superuser:
        return True
    office = user.office
    if office is None:
        return False
    home = office.area_code
    return code == home or code.startswith(home + ".")


def area_for(user, code: str | None) -> Area:
    """The area `code` when the user may see it (their own area when no code is given)."""
    if not user.is_authenticated or (user.office is None and not user.is_superuser):
        raise PermissionDenied(_("Akun Anda belum terhubung ke kantor mana pun."))
    if not code:
        return home_area(user)
    if not AREA_CODE.match(code):
        raise PermissionDenied(_("Wilayah tidak dikenal."))
    if not _within(user, code):
        raise PermissionDenied(_("Wilayah ini di luar wilayah kantor Anda."))
    try:
        return area_named(code)
    except ValueError:
        raise PermissionDenied(_("Wilayah tidak dikenal.")) from None


def child_areas(area: Area) -> list[Area]:
    """The areas one level down: provinces of the country, regencies of a province, districts of a regency."""
    if area.level == "country":
        rows = Province.objects.values_list("code", "name")
    elif area.level == "province":
        rows = Regency.objects.filter(province_id=area.code).values_list("code", "name")
    elif area.level == "regency":
        rows = District.objects.filter(regency_id=area.code).values_list("code", "name")
    else:
        return []
    return [Area(code, name) for code, name in rows.order_by("code")]


def partner_scope(user) -> bool:
    """Whether the user sees only what their office fosters (figures then count that scope)."""
    return not user.is_superuser and user.office is not None and user.office.is_partner_agency


def scope_note(user) -> str:
    if partner_scope(user):
        return _("Hanya UMKM binaan %(office)s.") % {"office": user.office.name}
    return ""


def area_businesses(user, area: Area, *, archived: bool = False) -> QuerySet[Business]:
    """The businesses of `area` the user may see; with `archived`, the archived ones too."""
    businesses = (Business.with_archived if archived else Business.objects).restrict(user)
    if area.code:
        businesses = businesses.filter(**{f"{area.level}_id": area.code})
    return businesses


def area_figures(user, area: Area, by: str | None = None) -> dict[str, Figures]:
    """The figures of `area` for `user`, per child area code when `by` names a level, else under ""."""
    if partner_scope(user):
        return count_figures(area_businesses(user, area), by=f"{by}_id" if by else None)
    return tallied_figures(area.code, by=by)


def area_figures_on(
    user, area: Area, day: dt.date, by: str | None = None, current: dict[str, Figures] | None = None
) -> dict[str, Figures]:
    """`area_figures` (or `current`, those already read) as they stood at the end of `day` (stock
    figures only: see `figures.changes_after`); today's figures when `day` is today or later."""
    current = area_figures(user, area, by) if current is None else current
    if day >= timezone.localdate():
        return current
    changes = changes_after(
        area_businesses(user, area),
        history_scope(user, area),
        day,
        f"{by}_id" if by else None,
        archived=area_businesses(user, area, archived=True),
    )
    return figures_before(current, changes)


# -- Figures and their links ------------------------------------------------------------------


@dataclass
class Figure:
    """One number on a dashboard, what it is, its share of its whole, and the list behind it."""

    label: str
    count: int
    share: float | None  # 0..1 of the whole it belongs to; None when it has none
    url: str
    key: str = ""  # the value it counts (a status, a section letter, an area code…)
    in_use: bool = True  # False for a regency (or province) with no UMKM in Sentra: "belum menggunakan Sentra"


@dataclass
class Breakdown:
    key: str  # the dimension: "area", "section", "size", "maturity", "status", "sex", "office", "licence"
    title: str
    figures: list[Figure]
    note: str = ""  # how to read it (e.g. a business may hold several licences)


def list_url(area: Area, **filters: str) -> str:
    params = {**area.list_params, **{name: value for name, value in filters.items() if value not in (None, "")}}
    url = reverse("registry:business_list")
    return f"{url}?{urlencode(params)}" if params else url


def _share(count: int, whole: int) -> float | None:
    return count / whole if whole else None


def _labels_of_sections() -> dict[str, str]:
    rows = Kbli.objects.filter(level=KbliLevel.SECTION).values_list("code", "title")
    return {code: f"{code} – {title.capitalize()}" for code, title in rows}


def _choice_breakdown(
    figures: Figures, area: Area, dimension: str, param: str, title: str, labels: dict[str, str], total: int
) -> Breakdown:
    """One figure per choice (in the choices' order), then any other value counted."""
    counted = {value: count for (dim, value), count in figures.items() if dim == dimension}
    keys = [key for key in labels if key in counted] + sorted(set(counted) - set(labels))
    return Breakdown(
        dimension,
        title,
        [
            Figure(
                labels.get(key, key or _("(kosong)")),
                counted[key],
                _share(counted[key], total),
                list_url(area, **{param: key}),
                key,
            )
            for key in keys
        ],
    )


def funnel(figures: Figures, area: Area) -> list[Figure]:
    """Registered → operating (active) → innovating (active, at the digital/innovative stage)."""
    registered = figures[(Dimension.TOTAL, "")]
    operating = figures[(Dimension.FUNNEL, OPERATING)]
    innovating = figures[(Dimension.FUNNEL, INNOVATING)]
    return [
        Figure(_("Terdaftar"), registered, 1.0 if registered else None, list_url(area), "registered"),
        Figure(
            _("Masih beroperasi"),
            operating,
            _share(operating, registered),
            list_url(area, status=OperatingStatus.ACTIVE),
            OPERATING,
        ),
        Figure(
            _("Berinovasi"),
            innovating,
            _share(innovating, registered),
            list_url(area, status=OperatingStatus.ACTIVE, maturity=Maturity.DIGITAL),
            INNOVATING,
        ),
    ]


def breakdowns(
    figures: Figures, area: Area, children: list[Area], by_child: dict[str, Figures] | None = None
) -> list[Breakdown]:
    """Counts and shares by sub-area, KBLI section, size class, maturity, status, owner's sex,
    fostering office and licence held."""
    total = figures[(Dimension.TOTAL, "")]
    result = []
    if children and by_child is not None:
        child_param = LIST_PARAM[area.child_level]
        title = {"province": _("Provinsi"), "regency": _("Kabupaten/kota"), "district": _("Kecamatan")}
        result.append(
            Breakdown(
                "area",
                title[area.child_level],
                [
                    Figure(
                        child.name,
                        count,
                        _share(count, total),
                        list_url(area, **{child_param: child.code}),
                        child.code,
                        # A regency's office with nothing in Sentra has not started using it; a
                        # kecamatan of an office that has is really at zero.
                        in_use=bool(count) or area.child_level == "district",
                    )
                    for child in children
                    if (count := by_child.get(child.code, Counter())[(Dimension.TOTAL, "")]) or area.level != "country"
                ],
            )
        )
    sections = _labels_of_sections()
    sections[""] = _("Belum ada KBLI")
    section_breakdown = _choice_breakdown(
        figures, area, Dimension.SECTION, "kbli_section", _("Kategori KBLI"), sections, total
    )
    for figure in section_breakdown.figures:
        if not figure.key:
            figure.url = list_url(area, quality=QualityCheck.NO_KBLI)
    section_breakdown.figures.sort(key=lambda figure: -figure.count)
    result.append(section_breakdown)
    result.append(
        _choice_breakdown(figures, area, Dimension.SIZE, "size_class", _("Skala usaha"), dict(SizeClass.choices), total)
    )
    result.append(
        _choice_breakdown(
            figures, area, Dimension.MATURITY, "maturity", _("Tahap perkembangan"), dict(Maturity.choices), total
        )
    )
    result.append(
        _choice_breakdown(
            figures, area, Dimension.STATUS, "status", _("Status usaha"), dict(OperatingStatus.choices), total
        )
    )
    result.append(
        _choice_breakdown(
            figures, area, Dimension.SEX, "owner_sex", _("Jenis kelamin pemilik"), dict(Sex.choices), total
        )
    )
    office_ids = [int(value) for (dim, value) in figures if dim == Dimension.OFFICE]
    offices = {str(pk): name for pk, name in Office.objects.filter(pk__in=office_ids).values_list("pk", "name")}
    office_breakdown = _choice_breakdown(
        figures, area, Dimension.OFFICE, "fostering_office", _("Dibina oleh"), offices, total
    )
    office_breakdown.figures.sort(key=lambda figure: -figure.count)
    office_breakdown.note = _("Satu UMKM dapat dibina lebih dari satu kantor.")
    result.append(office_breakdown)
    licence_breakdown = _choice_breakdown(
        figures, area, Dimension.LICENCE, "licence", _("Izin/sertifikat dimiliki"), dict(LicenceKind.choices), total
    )
    licence_breakdown.note = _("Satu UMKM dapat memiliki beberapa jenis izin; yang kedaluwarsa tidak dihitung.")
    result.append(licence_breakdown)
    return result


# -- Flows by month ------------------------------------------------------------------------


def recent_months(today: dt.date, count: int = MONTHS_SHOWN) -> list[str]:
    """The `count` months up to and including today's, oldest first, as "YYYY-MM"."""
    year, month = today.year, today.month
    months = []
    for _step in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def month_label(month: str) -> str:
    return formats.date_format(dt.datetime.strptime(month, "%Y-%m").date(), "M Y")


@dataclass
class MonthlyFlow:
    """New registrations, and status changes by new status, for each month shown."""

    months: list[str]  # "YYYY-MM"
    labels: list[str]  # "Nov 2026"
    registrations: list[Figure]
    status_changes: dict[str, list[Figure]]  # status → one figure per month
    status_labels: dict[str, str]


def monthly_flow(figures: Figures, area: Area, months: list[str]) -> MonthlyFlow:
    registrations = [
        Figure(
            month_label(month),
            figures[(Dimension.REGISTERED, month)],
            None,
            list_url(area, registered_month=month),
            month,
        )
        for month in months
    ]
    changes = {}
    for status, _label in OperatingStatus.choices:
        changes[status] = [
            Figure(
                month_label(month),
                figures[(Dimension.STATUS_CHANGE, f"{month}:{status}")],
                None,
                list_url(area, status_changed_month=month, status_changed_to=status),
                month,
            )
            for month in months
        ]
    return MonthlyFlow(months, [month_label(m) for m in months], registrations, changes, dict(OperatingStatus.choices))


# -- Moving up -------------------------------------------------------------------------------


@dataclass
class Moves:
    """Businesses that moved up a size class or maturity stage over a period, from the history."""

    kind: str  # "size" or "maturity"
    title: str
    total: Figure
    steps: list[Figure]  # one per (from, to) pair, e.g. "Mikro → Kecil"


def calendar_period(start: dt.date, end: dt.date, today: dt.date) -> str | None:
    """ "2026" or "2026Q2" when [start, end] is a whole calendar year or quarter (the current one may
    end today: the history holds nothing later), else None."""
    if start.day != 1 or start.month not in (1, 4, 7, 10) or end < start:
        return None
    for months, name in ((12, str(start.year)), (3, f"{start.year}Q{(start.month - 1) // 3 + 1}")):
        if months == 12 and start.month != 1:
            continue
        following = dt.date(start.year + (start.month + months - 1) // 12, (start.month + months - 1) % 12 + 1, 1)
        last_day = following - dt.timedelta(days=1)
        if end == last_day or (end == today and start <= today <= last_day):
            return name
    return None


def moves(user, area: Area, start: dt.date, end: dt.date, figures: Figures | None = None) -> list[Moves]:
    """Who moved up over [start, end]. A calendar year or quarter is read from `figures` (the
    area's tallies) when given; any other period is worked out from the history."""
    period = calendar_period(start, end, timezone.localdate()) if figures is not None else None
    result = []
    for kind, title, labels in (
        ("size", _("Naik skala usaha"), dict(SizeClass.choices)),
        ("maturity", _("Naik tahap perkembangan"), dict(Maturity.choices)),
    ):
        if period is not None:
            dimension, steps = MOVED_DIMENSIONS[kind], Counter()
            for (dim, value), count in figures.items():
                name, _colon, step = value.partition(":")
                if dim == dimension and name == period and count:
                    before, _arrow, after = step.partition(">")
                    steps[(before, after)] += count
        else:
            steps = Counter(moved_up(history_scope(user, area), kind, start, end).values())
        total = sum(steps.values())
        url = list_url(area, moved_up=kind, moved_from=start.isoformat(), moved_to=end.isoformat())
        result.append(
            Moves(
                kind,
                title,
                Figure(title, total, None, url, kind),
                [
                    Figure(
                        f"{labels[before]} → {labels[after]}",
                        count,
                        _share(count, total),
                        f"{url}&{urlencode({'moved_step': f'{before}>{after}'})}",
                        after,
                    )
                    for (before, after), count in sorted(steps.items(), key=lambda item: -item[1])
                ],
            )
        )
    return result


def history_scope(user, area: Area) -> QuerySet[Business] | Q:
    if partner_scope(user):
        return area_businesses(user, area, archived=True)  # one archived since had its history then
    # The area is all the user sees: join the history to the region.
    return Q(**{f"business__{area.level}_id": area.code}) if area.code else Q()


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """This year so far."""
    return today.replace(month=1, day=1), today


# -- The office dashboard ----------------------------------------------------------------------


@dataclass
class Dashboard:
    area: Area
    children: list[Area]  # areas one level down, to drill into
    scope_note: str
    funnel: list[Figure]
    breakdowns: list[Breakdown]
    flow: MonthlyFlow
    period: tuple[dt.date, dt.date]
    moves: list[Moves]
    figures: Figures  # the area's counts today: the flows above are read from them
    parent: Area | None = None  # the area one level up, when the user may see it
    as_of: dt.date | None = None  # the day the funnel and breakdowns describe (today when None)

    @property
    def in_use(self) -> bool:
        """False for a regency, province or country with no UMKM in Sentra: its office has not started
        using it, and its zeros are no count (a kecamatan of an office that has is really at zero)."""
        return self.area.level == "district" or bool(self.figures[(Dimension.TOTAL, "")])


def office_dashboard(
    user,
    area_code: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    as_of: dt.date | None = None,
) -> Dashboard:
    """Everything the office dashboard shows for `area_code` (default: the user's own area); the
    funnel and breakdowns as they stood at the end of `as_of` when it is given and past."""
    area = area_for(user, area_code)
    today = timezone.localdate()
    if start is None or end is None:
        start, end = default_period(today)
    children = child_areas(area)
    by_child = area_figures(user, area, by=area.child_level) if area.child_level else {}
    figures = merged(by_child.values()) if area.child_level else area_figures(user, area).get("", Counter())
    stock, stock_by_child = figures, by_child
    if as_of is not None and as_of < today:
        if area.child_level:
            stock_by_child = area_figures_on(user, area, as_of, area.child_level, by_child)
            stock = merged(stock_by_child.values())
        else:
            stock = area_figures_on(user, area, as_of, current={"": figures}).get("", Counter())
    parent = None
    if area.code:
        parent_code = {2: "", 5: area.code[:2], 8: area.code[:5]}[len(area.code)]
        if user.is_superuser or (parent_code and _within(user, parent_code)):
            parent = area_named(parent_code)
    return Dashboard(
        area=area,
        children=children,
        scope_note=scope_note(user),
        funnel=funnel(stock, area),
        breakdowns=breakdowns(stock, area, children, stock_by_child),
        flow=monthly_flow(figures, area, recent_months(today)),
        period=(start, end),
        moves=moves(user, area, start, end, figures),
        figures=figures,
        parent=parent,
        as_of=as_of if as_of is not None and as_of < today else today,
    )


# -- The province roll-up -----------------------------------------------------------------------


@dataclass
class RollupRow:
    area: Area
    in_use: bool  # whether the area has any UMKM in Sentra; a row without reads "belum menggunakan Sentra"
    last_registered: str  # the month of its latest registration ("Nov 2026"), "" when none
    registered: Figure
    operating: Figure
    innovating: Figure
    sizes: list[Figure]  # one per size class, in SizeClass order
    women: Figure  # businesses owned by women
    registered_this_year: Figure
    registered_last_year: Figure


@dataclass
class Rollup:
    area: Area  # the province (or the country, for superusers)
    year: int
    rows: list[RollupRow]
    total: RollupRow
    scope_note: str = ""


def _rollup_row(figures: Figures, area: Area, year: int) -> RollupRow:
    registered, operating, innovating = funnel(figures, area)
    total = registered.count
    months = [value for (dim, value), n in figures.items() if dim == Dimension.REGISTERED and n]

    def registered_in(y: int) -> Figure:
        count = sum(n for (dim, value), n in figures.items() if dim == Dimension.REGISTERED and value[:4] == str(y))
        return Figure(str(y), count, _share(count, total), list_url(area, registered_year=str(y)), str(y))

    return RollupRow(
        area=area,
        in_use=bool(total),
        last_registered=month_label(max(months)) if months else "",
        registered=registered,
        operating=operating,
        innovating=innovating,
        sizes=[
            Figure(
                label,
                figures[(Dimension.SIZE, size)],
                _share(figures[(Dimension.SIZE, size)], total),
                list_url(area, size_class=size),
                size,
            )
            for size, label in SizeClass.choices
        ],
        women=Figure(
            _("Pemilik perempuan"),
            figures[(Dimension.SEX, Sex.FEMALE)],
            _share(figures[(Dimension.SEX, Sex.FEMALE)], total),
            list_url(area, owner_sex=Sex.FEMALE),
            Sex.FEMALE,
        ),
        registered_this_year=registered_in(year),
        registered_last_year=registered_in(year - 1),
    )


def province_rollup(
    user,
    area_code: str | None = None,
    year: int | None = None,
    as_of: dt.date | None = None,
    figures: dict[str, Figures] | None = None,
) -> Rollup:
    """One row per regency of a province (per province of the country, for superusers), with totals;
    as they stood at the end of `as_of` when it is given and past. A regency with no UMKM in
    Sentra is marked as not using it rather than shown with zeros. `figures`: the area's figures by
    child area, when the caller has read them already."""
    area = area_for(user, area_code)
    if area.level not in ("country", "province"):
        raise PermissionDenied(_("Rekap provinsi hanya untuk kantor tingkat provinsi."))
    year = year or timezone.localdate().year
    by_child = area_figures(user, area, by=area.child_level) if figures is None else figures
    stock = by_child if as_of is None else area_figures_on(user, area, as_of, area.child_level, by_child)
    rows = [
        _rollup_row(stock.get(child.code, Counter()), child, year)
        for child in child_areas(area)
        if area.level == "province" or child.code in by_child
    ]
    total = _rollup_row(merged(stock.values()), area, year)
    return Rollup(area, year, rows, total, scope_note(user))


# -- Comparison ---------------------------------------------------------------------------------


@dataclass
class Comparison:
    areas: list[Area]
    columns: list[Dashboard]  # one per area compared, side by side
    year: int
    months: list[str]  # the twelve months of the year
    labels: list[str]  # month names without the year
    this_year: list[list[Figure]]  # per area: registrations by month of `year`
    last_year: list[list[Figure]]  # per area: the same months a year before
    moves_this_year: list[list[Moves]]  # per area: moves from 1 January to today (or the year's end)
    moves_last_year: list[list[Moves]]  # per area: the same span a year before


def compare(user, area_codes: list[str], year: int | None = None) -> Comparison:
    """Areas side by side (regency against regency), and each area's year against the one before."""
    today = timezone.localdate()
    year = year or today.year
    areas = [area_for(user, code) for code in area_codes[:4]] or [home_area(user)]
    columns, this_year, last_year, moves_now, moves_before = [], [], [], [], []
    months = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    before = [f"{year - 1:04d}-{m:02d}" for m in range(1, 13)]
    end = min(today, dt.date(year, 12, 31))
    for area in areas:
        # Its moves are this year's so far; its figures serve the months and last year's moves too.
        dashboard = office_dashboard(user, area.code or None, dt.date(year, 1, 1), end)
        columns.append(dashboard)
        figures = dashboard.figures
        this_year.append(monthly_flow(figures, area, months).registrations)
        last_year.append(monthly_flow(figures, area, before).registrations)
        moves_now.append(dashboard.moves)
        same_day_last_year = end.replace(year=year - 1, day=min(end.day, 28) if end.month == 2 else end.day)
        moves_before.append(moves(user, area, dt.date(year - 1, 1, 1), same_day_last_year, figures))
    labels = [formats.date_format(dt.date(year, m, 1), "M") for m in range(1, 13)]
    return Comparison(areas, columns, year, months, labels, this_year, last_year, moves_now, moves_before)


# -- Data quality -----------------------------------------------------------------------------


@dataclass
class QualityRow:
    label: str  # a district's or an officer's name
    total: Figure
    checks: list[Figure]  # one per QualityCheck, in its order


@dataclass
class QualityPanel:
    area: Area
    checks: list[tuple[str, str]]  # (value, label) of each QualityCheck
    by_area: list[QualityRow]
    by_officer: list[QualityRow]
    total: QualityRow
    scope_note: str = ""


def _quality_counts(
    businesses: QuerySet[Business], area_key: str | None, today: dt.date
) -> tuple[dict[object, Counter], dict[object, Counter]]:
    """How many businesses, and how many fail each check: (per sub-area, per registering officer).

    One pass over the businesses grouped by both; suspected duplicates, a handful of pairs, are
    counted from the pairs' side rather than probed for every business.
    """
    keys = [key for key in (area_key, "created_by_id") if key]
    businesses = businesses.order_by()
    aggregates = {"total": Count("pk")}
    for check in (QualityCheck.NO_KBLI, QualityCheck.UNVERIFIED, QualityCheck.SIZE_CONFLICT):
        aggregates[check] = Count("pk", filter=quality_condition(check, today))
    rows = list(businesses.values(*keys).annotate(**aggregates))
    # The rarer checks are counted from their own side: owners lacking a NIK or village (not a join of
    # every business to its owner), and the few businesses in a pair awaiting review.
    rarer = {
        QualityCheck.NO_NIK: businesses.filter(owner__in=Person.objects.filter(Q(nik__isnull=True) | Q(nik=""))),
        QualityCheck.NO_OWNER_VILLAGE: businesses.filter(owner__in=Person.objects.filter(village__isnull=True)),
        QualityCheck.DUPLICATE: businesses.filter(pk__in=_pending_duplicates()),
    }
    for check, failing in rarer.items():
        for row in failing.values(*keys).annotate(n=Count("pk")):
            rows.append({**{key: row[key] for key in keys}, check.value: row["n"]})
    by_area: dict[object, Counter] = defaultdict(Counter)
    by_officer: dict[object, Counter] = defaultdict(Counter)
    for row in rows:
        counts = {name: value for name, value in row.items() if name not in keys}
        if area_key:
            by_area[row[area_key]].update(counts)
        by_officer[row["created_by_id"]].update(counts)
    return by_area, by_officer


def _pending_duplicates() -> QuerySet:
    from sentra.linkage.models import Decision, DuplicatePair

    pending = DuplicatePair.objects.filter(decision=Decision.PENDING).order_by()
    return pending.values("first_id").union(pending.values("second_id"))


def data_quality(user, area_code: str | None = None) -> QualityPanel:
    """What is missing or doubtful, per sub-area and per officer who registered the businesses."""
    area = area_for(user, area_code)
    today = timezone.localdate()
    businesses = area_businesses(user, area)
    checks = list(QualityCheck.choices)

    def row(label: str, counts: dict[str, int], **filters: str) -> QualityRow:
        total = counts.get("total", 0)
        return QualityRow(
            label,
            Figure(label, total, None, list_url(area, **filters), ""),
            [
                Figure(
                    check_label,
                    counts.get(check, 0),
                    _share(counts.get(check, 0), total),
                    list_url(area, quality=check, **filters),
                    check,
                )
                for check, check_label in checks
            ],
        )

    children = child_areas(area)
    area_counts, officer_counts = _quality_counts(
        businesses, f"{area.child_level}_id" if area.child_level else None, today
    )
    by_area: list[QualityRow] = []
    if area.child_level:
        child_param = LIST_PARAM[area.child_level]
        by_area = [
            row(child.name, area_counts[child.code], **{child_param: child.code})
            for child in children
            if child.code in area_counts
        ]
    names = {
        user.pk: user.shown_name for user in User.objects.filter(pk__in=[pk for pk in officer_counts if pk is not None])
    }
    by_officer = [row(names[pk], counts, registered_by=str(pk)) for pk, counts in officer_counts.items() if pk in names]
    if None in officer_counts:
        by_officer.append(row(_("(tidak tercatat)"), officer_counts[None], registered_by="null"))
    by_officer.sort(key=lambda r: -r.total.count)
    grand: Counter = Counter()
    for counts in officer_counts.values():
        grand.update(counts)
    return QualityPanel(area, checks, by_area, by_officer, row(_("Jumlah"), grand), scope_note(user))
