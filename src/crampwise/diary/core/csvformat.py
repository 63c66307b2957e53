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
from crampwise.diary.core.factors import BUILTIN_FACTOR_NAMES, BUILTIN_FACTORS
from crampwise.diary.core.records import FactorSpec, NightRecord

MEASURE_COLUMNS = ("worst_pain", "minutes_awake", "sleep_quality", "soreness")
TEXT_COLUMNS = ("medicines_taken", "note")
FIXED_COLUMNS = ("night", "cramps", *MEASURE_COLUMNS, *BUILTIN_FACTOR_NAMES, *TEXT_COLUMNS)
# Inclusive ranges for the whole-number columns.
RANGES = {
    "cramps": (0, 200),
    "worst_pain": (0, 10),
    "minutes_awake": (0, 720),
    "sleep_quality": (1, 5),
    "soreness": (0, 3),
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
COLUMN_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
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
        row += ["; ".join(n.medicines_taken), n.note]
        row += [by_name[f.name] for f in custom_factors]
        writer.writerow(row)
    return out.getvalue()


def parse_csv(text: str, known_custom: Sequence[FactorSpec] = ()) -> ParsedCsv:
    """Read a nightly CSV. ``known_custom`` are the account's own factors (their kinds are kept)."""
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
    if problems:
        return result

    known = {f.name: f for f in known_custom}
    custom_names = [h for h in header if h not in FIXED_COLUMNS]
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
        record = _parse_row(line, values, kinds, custom_names, problems)
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
    custom_names: list[str],
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
                % {"value": raw_night},
            )
        )

    numbers: dict[str, int | None] = {}
    for column in ("cramps", *MEASURE_COLUMNS):
        numbers[column] = _whole_number(line, column, values.get(column, ""), problems)

    factors: dict[str, float | None] = {}
    for name, kind in kinds.items():
        if name in values:
            factors[name] = _factor_value(line, name, kind, values[name], problems)
    factors = {k: v for k, v in factors.items() if v is not None}

    medicines = tuple(m.strip() for m in values.get("medicines_taken", "").split(";") if m.strip())
    note = values.get("note", "")
    if len(note) > 2000:
        problems.append(CsvProblem(line, "note", _("the note is longer than 2000 characters")))
    if len(problems) > before or night is None:
        return None
    return NightRecord(
        night=night,
        cramps=numbers["cramps"],
        worst_pain=numbers["worst_pain"],
        minutes_awake=numbers["minutes_awake"],
        sleep_quality=numbers["sleep_quality"],
        soreness=numbers["soreness"],
        factors=factors,
        medicines_taken=medicines,
        note=note,
    )


def _whole_number(line: int, column: str, raw: str, problems: list[CsvProblem]) -> int | None:
    raw = raw.strip()
    if raw == "":
        return None
    low, high = RANGES[column]
    if not re.fullmatch(r"\d+", raw):
        problems.append(
            CsvProblem(
                line,
                column,
                _("“%(value)s” is not a whole number from %(low)s to %(high)s")
                % {"value": raw, "low": low, "high": high},
            )
        )
        return None
    value = int(raw)
    if not low <= value <= high:
        problems.append(
            CsvProblem(
                line,
                column,
                _("%(value)s is outside %(low)s to %(high)s")
                % {"value": value, "low": low, "high": high},
            )
        )
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
        problems.append(CsvProblem(line, name, _("“%(value)s” must be yes or no") % {"value": raw}))
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or value > 100_000:
        problems.append(
            CsvProblem(
                line,
                name,
                _("“%(value)s” must be a number of zero or more, such as 2 or 1.5")
                % {"value": raw},
            )
        )
        return None
    return value
