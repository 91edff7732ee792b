"""The periodic reports: each gathers its figures into tables once, and its formatters write them.

`ProgressReport` is the "Laporan Perkembangan UMKM" of an area over a period,
built from the dashboards' selectors (so its numbers are the dashboards'). A
table holds plain values (text, counts, shares from 0 to 1); the PDF, xlsx and
CSV formatters in `formatters.py` only decide how each value looks.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.accounts.models import Office, User
from sentra.core.formatting import format_percent
from sentra.dashboards import selectors
from sentra.dashboards.figures import Dimension
from sentra.registry.models import OperatingStatus
from sentra.registry.sizing import SizeClass

Step = Callable[[str, int, int], None]  # (step, done, total), for a progress bar
Value = str | int | float | None

NOT_IN_USE = gettext_lazy("belum menggunakan Sentra")
# Breakdowns in which a business may count more than once have no meaningful total.
UNSUMMED_BREAKDOWNS = ("office", "licence")


def no_progress(step: str, done: int = 0, total: int = 0) -> None:
    """For callers that don't watch."""


def format_count(number: int | None) -> str:
    """`1.234`: Indonesian digit grouping."""
    return "" if number is None else f"{int(number):,}".replace(",", ".")


def format_share(share: float | None) -> str:
    """`12,3%`: a share from 0 to 1 as a percentage with a decimal comma, as the dashboards write it."""
    return format_percent(share)


def format_date(day: dt.date) -> str:
    """`24 Nov 2026`, as the `tanggal` template filter writes it."""
    return formats.date_format(day, "j M Y")


@dataclass
class Column:
    label: str
    kind: str = "text"  # "text", "count" or "share" (0..1)


@dataclass
class Table:
    """One table of a report: what every formatter needs, and nothing about how it looks."""

    key: str  # what it shows, for the formatters' choices (e.g. which tables get a chart)
    title: str
    columns: list[Column]
    rows: list[list[Value]]
    total: list[Value] | None = None  # the closing "Jumlah" row, when the rows add up
    flow: bool = False  # counted over the report's period; else a state: at the period's end (`as_of`)
    note: str = ""
    state_on: dt.date | None = None  # a state on another day than the report's `as_of` (data quality: today's)

    def __post_init__(self) -> None:
        # Choice labels arrive as lazy translations; the formatters want plain text.
        self.title, self.note = str(self.title), str(self.note)
        for column in self.columns:
            column.label = str(column.label)
        self.rows = [[_plain(value) for value in row] for row in self.rows]
        if self.total is not None:
            self.total = [_plain(value) for value in self.total]


def _plain(value: object) -> Value:
    return value if value is None or isinstance(value, int | float | str) else str(value)


@dataclass
class Letterhead:
    """The heading of the office the report comes from (Sentra's own for a superuser)."""

    government: str  # "PEMERINTAH KABUPATEN BLORA"; "" for Sentra
    office: str
    address: str = ""
    phone: str = ""
    place: str = ""  # where it is signed: the regency or city, without "Kabupaten"/"Kota"
    signatory: str = ""  # "Kepala Dinas Koperasi dan UKM Kabupaten Blora"; "" for no signature block


def letterhead_of(office: Office | None) -> Letterhead:
    if office is None:
        return Letterhead(government="", office="Sentra")
    if office.regency_id:
        region = office.regency.name
        place = region.removeprefix("Kabupaten ").removeprefix("Kota ")
    else:
        region = _("Provinsi %(name)s") % {"name": office.province.name}
        place = ""
    return Letterhead(
        government=(_("Pemerintah %(region)s") % {"region": region}).upper(),
        office=office.name,
        address=office.address,
        phone=office.phone,
        place=place,
        signatory=_("Kepala %(office)s") % {"office": office.name},
    )


def months_between(start: dt.date, end: dt.date) -> list[str]:
    """Every calendar month from start's to end's, as "YYYY-MM"."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return months


def _share_table(key: str, title: str, label: str, figures: list[selectors.Figure], summed: bool) -> Table:
    total_count = sum(figure.count for figure in figures)
    return Table(
        key,
        title,
        [Column(label), Column(_("Jumlah UMKM"), "count"), Column(_("Persentase"), "share")],
        [[figure.label, figure.count, figure.share] for figure in figures],
        total=[_("Jumlah"), total_count, 1.0 if total_count else None] if summed and figures else None,
    )


@dataclass
class ProgressReport:
    """Laporan Perkembangan UMKM: the funnel, the breakdowns, the moves and flows of the period,
    the roll-up of a province (or of the country) and a data quality summary, for one area as
    `user` sees it."""

    user: User
    area_code: str
    start: dt.date
    end: dt.date
    area: selectors.Area = field(init=False)
    as_of: dt.date = field(init=False)  # the day the state tables describe: the period's end, or today
    generated_at: dt.datetime = field(init=False)
    letterhead: Letterhead = field(init=False)
    scope_note: str = field(init=False, default="")
    tables: list[Table] = field(init=False, default_factory=list)

    STEPS = ("figures", "months", "rollup", "quality")

    @property
    def title(self) -> str:
        return _("Laporan Perkembangan UMKM")

    @property
    def period_label(self) -> str:
        return f"{format_date(self.start)} – {format_date(self.end)}"

    @property
    def generated_by(self) -> str:
        return self.user.shown_name

    def gather(self, progress: Step = no_progress) -> "ProgressReport":
        """Count everything the report shows; PermissionDenied when the area is outside the user's."""
        self.area = selectors.area_for(self.user, self.area_code or None)
        self.generated_at = timezone.localtime()
        # A past period's state is read back from the histories to its last day.
        self.as_of = min(self.end, self.generated_at.date())
        self.letterhead = letterhead_of(None if self.user.is_superuser else self.user.office)
        total = len(self.STEPS)
        progress("figures", 0, total)
        dashboard = selectors.office_dashboard(self.user, self.area.code or None, self.start, self.end, self.as_of)
        self.scope_note = dashboard.scope_note
        self.figures = dashboard.figures
        self.tables = [self._funnel_table(dashboard)]
        for breakdown in dashboard.breakdowns:
            table = _share_table(
                breakdown.key,
                breakdown.title,
                breakdown.title,
                breakdown.figures,
                summed=breakdown.key not in UNSUMMED_BREAKDOWNS,
            )
            table.note = str(breakdown.note)
            if breakdown.key == "area" and self.area.level == "province":
                # A regency with no UMKM in Sentra is one whose office does not use it yet, not one without UMKM.
                table.rows = [[row[0], str(NOT_IN_USE), None] if not row[1] else row for row in table.rows]
            self.tables.append(table)
        self.tables.extend(self._moves_table(moves) for moves in dashboard.moves)
        progress("months", 1, total)
        self.tables.append(self._months_table())
        progress("rollup", 2, total)
        if self.area.level in ("country", "province"):
            # Beside the breakdown by regency (or province), which it details.
            after = next((index + 1 for index, table in enumerate(self.tables) if table.key == "area"), 1)
            self.tables.insert(after, self._rollup_table())
        progress("quality", 3, total)
        self.tables.append(self._quality_table())
        return self

    def _funnel_table(self, dashboard: selectors.Dashboard) -> Table:
        return Table(
            "funnel",
            _("Terdaftar, masih beroperasi, berinovasi"),
            [Column(_("Tahap")), Column(_("Jumlah UMKM"), "count"), Column(_("Persentase dari terdaftar"), "share")],
            [[figure.label, figure.count, figure.share] for figure in dashboard.funnel],
            note=_("Berinovasi: masih beroperasi dan pada tahap digital/inovatif."),
        )

    def _moves_table(self, moves: selectors.Moves) -> Table:
        table = _share_table(f"moves_{moves.kind}", moves.title, _("Dari → ke"), moves.steps, summed=True)
        table.flow = True
        table.note = _("Menurut riwayat perubahan dalam periode; naik lalu turun lagi tidak dihitung.")
        return table

    def _months_table(self) -> Table:
        figures = self.figures
        statuses = OperatingStatus.choices
        rows = []
        for month in months_between(self.start, self.end):
            changes = [figures[(Dimension.STATUS_CHANGE, f"{month}:{status}")] for status, _label in statuses]
            rows.append([selectors.month_label(month), figures[(Dimension.REGISTERED, month)], *changes])
        sums = [sum(row[index] for row in rows) for index in range(1, len(statuses) + 2)]
        whole_months = self.start.day == 1 and (self.end + dt.timedelta(days=1)).day == 1
        note = _("Perubahan status tidak termasuk pendaftaran.")
        if not whole_months:
            note += " " + _("Dihitung per bulan kalender: bulan pertama dan terakhir dihitung penuh.")
        return Table(
            "months",
            _("Pendaftaran baru dan perubahan status per bulan"),
            [
                Column(_("Bulan")),
                Column(_("Pendaftaran baru"), "count"),
                *(Column(_("Menjadi %(status)s") % {"status": label.lower()}, "count") for _status, label in statuses),
            ],
            rows,
            total=[_("Jumlah"), *sums],
            flow=True,
            note=note,
        )

    def _rollup_table(self) -> Table:
        rollup = selectors.province_rollup(self.user, self.area.code or None, year=self.end.year, as_of=self.as_of)
        child_label = _("Provinsi") if self.area.level == "country" else _("Kabupaten/kota")

        def cells(row: selectors.RollupRow) -> list[Value]:
            if not row.in_use:  # not a regency of zero UMKM: one whose office keeps no data in Sentra yet
                return [NOT_IN_USE, *([None] * (len(SizeClass.choices) + 5)), ""]
            return [
                row.registered.count,
                row.operating.count,
                row.innovating.count,
                *(size.count for size in row.sizes),
                row.women.count,
                row.registered_this_year.count,
                row.registered_last_year.count,
                row.last_registered,
            ]

        return Table(
            "rollup",
            _("Rekap per %(level)s") % {"level": child_label.lower()},
            [
                Column(child_label),
                Column(_("Terdaftar"), "count"),
                Column(_("Masih beroperasi"), "count"),
                Column(_("Berinovasi"), "count"),
                *(Column(label, "count") for _size, label in SizeClass.choices),
                Column(_("Pemilik perempuan"), "count"),
                Column(_("Didaftarkan %(year)s") % {"year": rollup.year}, "count"),
                Column(_("Didaftarkan %(year)s") % {"year": rollup.year - 1}, "count"),
                Column(_("Pendaftaran terakhir")),
            ],
            [[row.area.name, *cells(row)] for row in rollup.rows],
            total=[_("Jumlah"), *cells(rollup.total)],
            note=_(
                "Kolom “Didaftarkan”: UMKM yang didaftarkan dalam tahun itu. “Belum menggunakan Sentra”: "
                "kantornya belum mencatat satu UMKM pun di Sentra, bukan berarti tidak ada UMKM."
            ),
        )

    def _quality_table(self) -> Table:
        panel = selectors.data_quality(self.user, self.area.code or None)
        checked = panel.total.total.count
        return Table(
            "quality",
            _("Mutu data"),
            [Column(_("Pemeriksaan")), Column(_("Jumlah UMKM"), "count"), Column(_("Persentase"), "share")],
            [[_("UMKM diperiksa"), checked, 1.0 if checked else None]]
            + [[check.label, check.count, check.share] for check in panel.total.checks],
            note=_(
                "Satu UMKM dapat gagal lebih dari satu pemeriksaan. Mutu data dinilai saat laporan dibuat, "
                "bukan per akhir periode: yang dihitung adalah yang perlu diperbaiki sekarang."
            ),
            state_on=self.generated_at.date(),  # what is to fix now, not what was missing then
        )
