"""Bar charts for the PDF report, drawn on the server (WeasyPrint runs no JavaScript) as SVG data URIs.

matplotlib's object API is used without pyplot, so no global figure state is
shared between requests or worker threads; SVG text is drawn as paths, so the
charts need no fonts in the PDF and their labels don't repeat the tables' text.
"""

import base64
import io
from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sentra.reports.reports import format_count

WIDTH_INCHES = 6.6  # A4's width less the page margins
BAR_INCHES = 0.26  # height per bar of a horizontal chart
MAX_BARS = 40  # a longer chart would not fit a page; the table beside it lists every row
COLOUR = "#1f6f5c"
LABEL_COLOUR = "#333333"


def _data_uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _count_axis(axis) -> None:
    """Whole numbers only, grouped the Indonesian way."""
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(lambda value, _position: format_count(value)))


def _style(axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=LABEL_COLOUR, labelsize=8)


def horizontal_bars(labels: Sequence[str], values: Sequence[int], notes: Sequence[str] = ()) -> str:
    """Bars from the top down in the given order, each labelled with its count (and its note, e.g. a share)."""
    labels, values = list(labels)[:MAX_BARS], list(values)[:MAX_BARS]
    figure = Figure(figsize=(WIDTH_INCHES, 0.5 + BAR_INCHES * max(len(labels), 1)))
    axes = figure.subplots()
    positions = range(len(labels))
    bars = axes.barh(positions, values, color=COLOUR, height=0.7)
    axes.set_yticks(list(positions), [_shorten(label) for label in labels])
    axes.invert_yaxis()
    notes = list(notes)[:MAX_BARS] or [""] * len(values)
    texts = [format_count(value) + (f" ({note})" if note else "") for value, note in zip(values, notes, strict=True)]
    axes.bar_label(bars, texts, padding=3, fontsize=7, color=LABEL_COLOUR)
    _count_axis(axes.xaxis)
    axes.set_xlim(0, max([*values, 1]) * 1.25)  # room for the labels at the bars' ends
    _style(axes)
    return _data_uri(figure)


def vertical_bars(labels: Sequence[str], values: Sequence[int]) -> str:
    """One bar per label from left to right (months, size classes), each with its count on top."""
    figure = Figure(figsize=(WIDTH_INCHES, 2.6))
    axes = figure.subplots()
    positions = range(len(labels))
    bars = axes.bar(positions, values, color=COLOUR, width=0.7)
    slanted = len(labels) > 6  # month names side by side would overlap
    axes.set_xticks(list(positions), list(labels), rotation=45 if slanted else 0, ha="right" if slanted else "center")
    axes.bar_label(bars, [format_count(value) for value in values], padding=2, fontsize=7, color=LABEL_COLOUR)
    _count_axis(axes.yaxis)
    axes.set_ylim(0, max([*values, 1]) * 1.15)
    _style(axes)
    return _data_uri(figure)


def _shorten(label: str, length: int = 38) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"
