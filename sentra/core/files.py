"""Spreadsheets Sentra writes: no cell of them runs as a formula when an officer opens the file.

Every CSV and xlsx writer of the product goes through here: `guard_cell` for
each CSV cell, `new_workbook` for each xlsx (strings stay strings there).
"""

import re
from typing import IO

import xlsxwriter

# A cell, or a part of one after a delimiter, starting with one of these runs as a formula in Excel
# or LibreOffice: "=", "+", "-", "@", and tab or carriage return before them.
FORMULA_TRIGGERS = "=+-@\t\r"
# Where a spreadsheet may split one CSV cell into several: the file's delimiter is not always the one
# the reader's Excel uses (a comma file opened with a semicolon list separator, for one).
CELL_DELIMITERS = ",;\t|"
# A signed number ("-1500", "+6281234567890", "-12,5") is no formula: it computes nothing, and an E.164
# phone or a negative amount must reach the officer as written.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")
_PART_START = re.compile(rf"(^|[{re.escape(CELL_DELIMITERS)}])([ ]*)(?=[{re.escape(FORMULA_TRIGGERS)}])")


def guard_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs: text starting a formula gets a leading apostrophe.

    The apostrophe goes before the formula's first character at the start of the cell and
    after every delimiter inside it (`x;=1+1` → `x;'=1+1`); parts that are signed numbers stay
    as they are. Values that are not text (numbers, dates) are returned unchanged.
    """
    if not isinstance(value, str) or not value:
        return value
    if not any(trigger in value for trigger in FORMULA_TRIGGERS):
        return value  # the usual cell: no work
    return _PART_START.sub(_guard_part(value), value)


def _guard_part(value: str):
    def replace(match: re.Match) -> str:
        start = end = match.end()
        end += 1  # the trigger itself may be a delimiter (a tab)
        while end < len(value) and value[end] not in CELL_DELIMITERS:
            end += 1
        if _PLAIN_NUMBER.fullmatch(value[start:end]):
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}'"

    return replace


def guard_row(row: list[object]) -> list[object]:
    return [guard_cell(value) for value in row]


# Strings are written as strings: never read as formulas ("=…"), links ("http…") or numbers.
SAFE_WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def new_workbook(target: str | IO[bytes], **options) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook in which no written string becomes a formula, a link or a number."""
    return xlsxwriter.Workbook(target, {**options, **SAFE_WORKBOOK_OPTIONS})
