"""How far a report's generation has got, written by the worker to the cache and polled by its page.

The imports' arrangement (sentra/core/progress.py) on a board of its own: a report
advances step by step, not row by row.
"""

from django.utils.translation import gettext_lazy as _

from sentra.core.progress import ProgressBoard

STEPS = {
    "queued": _("Menunggu giliran"),
    "figures": _("Menghitung angka wilayah"),
    "months": _("Menghitung arus per bulan"),
    "rollup": _("Menyusun rekap per wilayah"),
    "quality": _("Memeriksa mutu data"),
    "writing": _("Menyusun berkas"),
    "done": _("Selesai"),
}
BOARD = ProgressBoard("report", STEPS, "queued")
record_progress = BOARD.record
progress_of = BOARD.state
clear_progress = BOARD.clear
