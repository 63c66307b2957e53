"""The nightly CSV format (DESIGN.md contract; docs/csv.md). Pure; no Django.

One row a night. ``night`` and ``cramps`` come first, then the documented optional columns, then
one column per custom factor. Parsing either returns every night or every problem, never a part.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from crampwise.core.i18n import gettext as _
from crampwise.diary.core import limits
from crampwise.diary.core.factors import BUILTIN_FACTOR_NAMES, BUILTIN_FACTORS
from crampwise.diary.core.records import FactorSpec, NightRecord

MEASURE_COLUMNS = ("worst_pain", "minutes_awake", "sleep_quality", "soreness")
TEXT_COLUMNS = ("medicines_taken", "note")
# ``confirmed`` tells a morning's count ("yes") from cramps only logged during the night ("no": a
# lower bound that rates leave out until it is confirmed), so a round trip keeps the difference.
FIXED_COLUMNS = (
    "night",
    "cramps",
    *MEASURE_COLUMNS,
    *BUILTIN_FACTOR_NAMES,
    *TEXT_COLUMNS,
    "confirmed",
)
# Inclusive ranges for the whole-number columns: the diary's own (diary/core/limits.py).
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
COLUMN_NAME = limits.FACTOR_NAME
# A spreadsheet runs a cell that starts with one of these as a formula; export writes such a text
# cell behind an apostrophe (which spreadsheets hide and import takes off again).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 20_000  # about 55 years; a larger file is surely not a diary


@dataclass(frozen=True)
class CsvProblem:
    line: int  # 1-based, as a spreadsheet shows it (the header is line 1)
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("line %(line)s, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ParsedCsv:
    nights: list[NightRecord] = field(default_factory=list)
    custom_factors: list[FactorSpec] = field(default_factory=list)
    problems: list[CsvProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def format_number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def format_factor(value: float | None, kind: str) -> str:
    if value is None:
        return ""
    if kind == "yes_no":
        return "yes" if value else "no"
    return format_number(value)


def _formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or (text.startswith("'") and _formula_like(text[1:]))


def guard_formula(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs: ``=1+1`` is written ``'=1+1``.

    A cell that already starts with apostrophes before such a character gets one more, so that
    ``unguard_formula`` gives back exactly what was written.
    """
    return "'" + text if _formula_like(text) else text


def unguard_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and _formula_like(text[1:]) else text


def write_csv(nights: Iterable[NightRecord], custom_factors: Sequence[FactorSpec]) -> str:
    """The nightly CSV of these nights, oldest first. Missing nights are not written."""
    specs = [*BUILTIN_FACTORS, *custom_factors]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*FIXED_COLUMNS, *(f.name for f in custom_factors)])
    for n in sorted(nights, key=lambda r: r.night):
        row = [n.night.isoformat(), "" if n.cramps is None else str(n.cramps)]
        row += ["" if getattr(n, c) is None else str(getattr(n, c)) for c in MEASURE_COLUMNS]
        by_name = {f.name: format_factor(n.factors.get(f.name), f.kind) for f in specs}
        row += [by_name[f.name] for f in BUILTIN_FACTORS]
        row += [guard_formula("; ".join(n.medicines_taken)), guard_formula(n.note)]
        row += ["" if n.cramps is None else ("yes" if n.confirmed else "no")]
        row += [by_name[f.name] for f in custom_factors]
        writer.writerow(row)
    return out.getvalue()


def parse_csv(
    text: str,
    known_custom: Sequence[FactorSpec] = (),
    window: limits.DateWindow | None = None,
) -> ParsedCsv:
    """Read a nightly CSV. ``known_custom`` are the account's own factors (their kinds are kept);
    ``window`` the nights the diary can hold (by default from 1900 to any date)."""
    window = window or limits.DateWindow(limits.EARLIEST_NIGHT, date.max)
    result = ParsedCsv()
    problems = result.problems
    if text.startswith("\ufeff"):  # spreadsheets often save a byte-order mark
        text = text[1:]
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(
            CsvProblem(1, "", _("the file is empty; the first line must name the columns"))
        )
        return result
    except csv.Error as exc:
        problems.append(
            CsvProblem(1, "", _("this is not readable CSV (%(error)s)") % {"error": exc})
        )
        return result
    header = [h.strip() for h in header]
    if header[:2] != ["night", "cramps"]:
        problems.append(CsvProblem(1, "", _("the first two columns must be “night” and “cramps”")))
        return result
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(CsvProblem(1, name, _("this column appears twice")))
        seen.add(name)
        if name not in FIXED_COLUMNS and not COLUMN_NAME.match(name):
            problems.append(
                CsvProblem(
                    1,
                    name,
                    _(
                        "a column name must start with a letter and use only lower-case letters, digits "
                        "and _ (at most 40)"
                    ),
                )
            )
    known = {f.name: f for f in known_custom}
    custom_names = [h for h in header if h not in FIXED_COLUMNS]
    too_many = limits.too_many_factors(len(known), len([n for n in custom_names if n not in known]))
    if too_many:
        problems.append(CsvProblem(1, "", too_many))
    if problems:
        return result
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # blank lines are harmless
            if len(row) > len(header):
                problems.append(
                    CsvProblem(
                        line,
                        "",
                        _(
                            "this line has %(found)s values but the header names %(expected)s columns"
                        )
                        % {"found": len(row), "expected": len(header)},
                    )
                )
                continue
            row = row + [""] * (len(header) - len(row))
            rows.append((line, dict(zip(header, row, strict=True))))
            if len(rows) > MAX_ROWS:
                problems.append(
                    CsvProblem(line, "", _("the file has more than %(n)s nights") % {"n": MAX_ROWS})
                )
                return result
    except csv.Error as exc:
        problems.append(
            CsvProblem(
                reader.line_num, "", _("this is not readable CSV (%(error)s)") % {"error": exc}
            )
        )
        return result

    kinds = {f.name: f.kind for f in BUILTIN_FACTORS}
    for name in custom_names:
        kinds[name] = (
            known[name].kind if name in known else _infer_kind(v[name] for _line, v in rows)
        )

    nights_seen: dict[date, int] = {}
    for line, values in rows:
        record = _parse_row(line, values, kinds, window, problems)
        if record is None:
            continue
        if record.night in nights_seen:
            problems.append(
                CsvProblem(
                    line,
                    "night",
                    _("the night %(night)s is also on line %(other)s")
                    % {"night": record.night.isoformat(), "other": nights_seen[record.night]},
                )
            )
            continue
        nights_seen[record.night] = line
        result.nights.append(record)

    result.custom_factors = [
        known[name]
        if name in known
        else FactorSpec(name, kinds[name], name.replace("_", " ").capitalize())
        for name in custom_names
    ]
    if problems:
        result.nights = []
    return result


def _infer_kind(values: Iterable[str]) -> str:
    """A new column is yes/no if every answer is yes or no, otherwise a number."""
    answers = {v.strip().lower() for v in values if v.strip()}
    if answers and answers <= {"yes", "no"}:
        return "yes_no"
    return "count"


def _parse_row(
    line: int,
    values: dict[str, str],
    kinds: dict[str, str],
    window: limits.DateWindow,
    problems: list[CsvProblem],
) -> NightRecord | None:
    before = len(problems)
    raw_night = values["night"].strip()
    night: date | None = None
    try:
        night = date.fromisoformat(raw_night)
        if len(raw_night) != 10:
            raise ValueError
    except ValueError:
        problems.append(
            CsvProblem(
                line,
                "night",
                _("“%(value)s” is not a date; write it as YYYY-MM-DD, for example 2026-11-25")
                % {"value": raw_night[:40]},
            )
        )
    if night is not None and (outside := window.problem(night)):
        problems.append(CsvProblem(line, "night", outside))
        night = None

    numbers: dict[str, int | None] = {}
    for column in ("cramps", *MEASURE_COLUMNS):
        numbers[column] = _whole_number(line, column, values.get(column, ""), problems)

    confirmed = _confirmed(line, values.get("confirmed", ""), numbers["cramps"], problems)

    factors: dict[str, float | None] = {}
    for name, kind in kinds.items():
        if name in values:
            factors[name] = _factor_value(line, name, kind, values[name], problems)
    factors = {k: v for k, v in factors.items() if v is not None}

    medicines = tuple(
        m.strip()
        for m in unguard_formula(values.get("medicines_taken", "")).split(";")
        if m.strip()
    )
    note = unguard_formula(values.get("note", ""))
    problems += [
        CsvProblem(line, field, message)
        for field, message in limits.night_text_problems(medicines, note)
    ]
    if len(problems) > before or night is None:
        return None
    return NightRecord(
        night=night,
        cramps=numbers["cramps"],
        confirmed=confirmed,
        worst_pain=numbers["worst_pain"],
        minutes_awake=numbers["minutes_awake"],
        sleep_quality=numbers["sleep_quality"],
        soreness=numbers["soreness"],
        factors=factors,
        medicines_taken=medicines,
        note=note,
    )


def _confirmed(line: int, raw: str, cramps: int | None, problems: list[CsvProblem]) -> bool:
    """Empty or yes: the count is the morning's answer. No: cramps logged in the night only."""
    answer = raw.strip().lower()
    if answer in ("", *YES):
        return True
    if answer not in NO:
        problems.append(
            CsvProblem(
                line, "confirmed", _("“%(value)s” is not yes or no") % {"value": raw.strip()[:40]}
            )
        )
        return True
    if cramps is None or cramps == 0:
        problems.append(
            CsvProblem(
                line,
                "confirmed",
                _(
                    "“no” means cramps were logged in the night but not confirmed in the "
                    "morning; write how many were logged in cramps (1 or more)"
                ),
            )
        )
    return False


def _whole_number(line: int, column: str, raw: str, problems: list[CsvProblem]) -> int | None:
    raw = raw.strip()
    if raw == "":
        return None
    # Digits only (no sign, no 1e3), and no more of them than a bound can need.
    value = int(raw) if re.fullmatch(r"\d{1,6}", raw) else None
    problem = limits.whole_number_problem(column, value)
    if problem:
        problems.append(CsvProblem(line, column, problem))
        return None
    return value


def _factor_value(
    line: int, name: str, kind: str, raw: str, problems: list[CsvProblem]
) -> float | None:
    raw = raw.strip()
    if raw == "":
        return None
    if kind == "yes_no":
        lowered = raw.lower()
        if lowered in YES:
            return 1.0
        if lowered in NO:
            return 0.0
        problems.append(CsvProblem(line, name, limits.yes_no_message()))
        return None
    try:
        value = float(raw) if len(raw) <= 20 else math.nan
    except ValueError:
        value = math.nan
    problem = limits.factor_number_problem(name, value)
    if problem:
        problems.append(CsvProblem(line, name, problem))
        return None
    return value
