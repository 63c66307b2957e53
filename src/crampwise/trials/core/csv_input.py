"""Read a trial from a CSV file: one row a night with its arm and cramp count.

Columns (header row required, names case-insensitive, other columns ignored):
``night`` (ISO date), ``arm`` (two labels), ``cramps`` (whole number; empty = not recorded),
optional ``period`` (whole number) and ``worst_pain`` (0-10; empty = not recorded).

Every problem is reported with the file, the line and the column, because the person fixing it has
the file open in a spreadsheet or an editor and needs to find the cell.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from crampwise.trials.core.observations import TrialNight

REQUIRED = ("night", "arm", "cramps")
OPTIONAL = ("period", "worst_pain")
OBVIOUS_TREATMENT = "treatment"
OBVIOUS_CONTROL = "control"


class TrialFileError(ValueError):
    def __init__(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


@dataclass(frozen=True)
class TrialFile:
    file: str
    nights: list[TrialNight]
    treatment_label: str
    control_label: str
    nights_not_in_file: int  # dates between the first and last night with no row at all


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    night: date
    arm: str
    cramps: int | None
    period: int | None
    worst_pain: float | None


def read_trial_file(
    path: str | Path, *, treatment: str | None = None, washout_nights: int = 0
) -> TrialFile:
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TrialFileError(name, None, None, "no such file") from None
    except IsADirectoryError:
        raise TrialFileError(name, None, None, "this is a folder, not a CSV file") from None
    except UnicodeDecodeError:
        raise TrialFileError(name, None, None, "the file is not UTF-8 text") from None
    except OSError as exc:
        raise TrialFileError(name, None, None, f"cannot read the file ({exc.strerror})") from None
    return parse_trial_csv(text, name, treatment=treatment, washout_nights=washout_nights)


def parse_trial_csv(
    text: str, name: str = "<csv>", *, treatment: str | None = None, washout_nights: int = 0
) -> TrialFile:
    if washout_nights < 0:
        raise ValueError("washout nights cannot be negative")
    rows, has_period = _read_rows(text, name)
    rows.sort(key=lambda r: r.night)
    treatment_label, control_label = _arm_labels(rows, name, treatment)
    periods = _periods(rows, name, has_period)
    nights = []
    position: dict[int, int] = {}
    for row, period in zip(rows, periods, strict=True):
        nth = position.get(period, 0)
        position[period] = nth + 1
        nights.append(
            TrialNight(
                night=row.night,
                treated=_same(row.arm, treatment_label),
                period=period,
                washout=nth < washout_nights,
                cramps=row.cramps,
                worst_pain=row.worst_pain,
            )
        )
    span = (rows[-1].night - rows[0].night).days + 1
    return TrialFile(
        file=name,
        nights=nights,
        treatment_label=treatment_label,
        control_label=control_label,
        nights_not_in_file=span - len(rows),
    )


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _read_rows(text: str, name: str) -> tuple[list[_Row], bool]:
    reader = csv.reader(text.splitlines())
    header: list[str] | None = None
    for fields in reader:
        if any(f.strip() for f in fields):
            header = [f.strip().casefold() for f in fields]
            break
    if header is None:
        raise TrialFileError(name, 1, None, "the file is empty; it needs a header row")
    header_line = reader.line_num
    seen: set[str] = set()
    for column in header:
        if column and column in seen:
            raise TrialFileError(name, header_line, column, "this column appears twice")
        seen.add(column)
    for column in REQUIRED:
        if column not in header:
            raise TrialFileError(
                name, header_line, column, "this column is missing (needed: night, arm, cramps)"
            )
    index = {column: header.index(column) for column in (*REQUIRED, *OPTIONAL) if column in header}
    rows: list[_Row] = []
    first_line_of: dict[date, int] = {}
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) > len(header) and any(f.strip() for f in fields[len(header) :]):
            raise TrialFileError(
                name,
                line,
                None,
                f"this row has {len(fields)} values but the header has {len(header)}",
            )
        fields = fields + [""] * (len(header) - len(fields))

        def cell(column: str, fields: list[str] = fields) -> str:
            return fields[index[column]].strip() if column in index else ""

        night = _parse_night(cell("night"), name, line)
        if night in first_line_of:
            raise TrialFileError(
                name,
                line,
                "night",
                f"{night.isoformat()} is already on line {first_line_of[night]}",
            )
        first_line_of[night] = line
        arm = cell("arm")
        if not arm:
            raise TrialFileError(name, line, "arm", "the arm is empty")
        rows.append(
            _Row(
                line=line,
                night=night,
                arm=arm,
                cramps=_parse_cramps(cell("cramps"), name, line),
                period=_parse_period(cell("period"), name, line) if "period" in index else None,
                worst_pain=_parse_pain(cell("worst_pain"), name, line),
            )
        )
    if not rows:
        raise TrialFileError(name, header_line, None, "the file has a header but no nights")
    return rows, "period" in index


def _parse_night(value: str, name: str, line: int) -> date:
    if not value:
        raise TrialFileError(name, line, "night", "the date is empty")
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise TrialFileError(
            name, line, "night", f"'{value}' is not a date written like 2025-11-25"
        ) from None


def _parse_cramps(value: str, name: str, line: int) -> int | None:
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise TrialFileError(
            name,
            line,
            "cramps",
            f"'{value}' is not a whole number of 0 or more (leave it empty if not recorded)",
        )
    return int(value)


def _parse_period(value: str, name: str, line: int) -> int:
    try:
        return int(value)
    except ValueError:
        raise TrialFileError(name, line, "period", f"'{value}' is not a whole number") from None


def _parse_pain(value: str, name: str, line: int) -> float | None:
    if not value:
        return None
    try:
        pain = float(value)
    except ValueError:
        pain = -1.0
    if not 0 <= pain <= 10:
        raise TrialFileError(name, line, "worst_pain", f"'{value}' is not a number from 0 to 10")
    return pain


def _arm_labels(rows: list[_Row], name: str, treatment: str | None) -> tuple[str, str]:
    labels: dict[str, _Row] = {}
    for row in sorted(rows, key=lambda r: r.line):
        key = row.arm.casefold()
        if key not in labels:
            if len(labels) == 2:
                shown = ", ".join(f"'{r.arm}'" for r in labels.values())
                raise TrialFileError(
                    name,
                    row.line,
                    "arm",
                    f"a third label '{row.arm}' after {shown}; a trial has two arms",
                )
            labels[key] = row
    if len(labels) < 2:
        only = next(iter(labels.values()))
        raise TrialFileError(
            name, only.line, "arm", f"every night is on '{only.arm}'; a trial needs two arms"
        )
    first, second = labels.values()
    if treatment is not None:
        chosen = labels.get(treatment.strip().casefold())
        if chosen is None:
            raise TrialFileError(
                name, first.line, "arm",
                f"--treatment '{treatment}' is not one of the labels '{first.arm}' "
                f"(line {first.line}) and '{second.arm}' (line {second.line})",
            )  # fmt: skip
        other = second if chosen is first else first
        return chosen.arm, other.arm
    keys = set(labels)
    if OBVIOUS_TREATMENT in keys:
        other = next(r for k, r in labels.items() if k != OBVIOUS_TREATMENT)
        return labels[OBVIOUS_TREATMENT].arm, other.arm
    if OBVIOUS_CONTROL in keys:
        other = next(r for k, r in labels.items() if k != OBVIOUS_CONTROL)
        return other.arm, labels[OBVIOUS_CONTROL].arm
    raise TrialFileError(
        name, second.line, "arm",
        f"cannot tell which of '{first.arm}' and '{second.arm}' is the remedy; "
        f"name it with --treatment (or label the arms 'treatment' and 'control')",
    )  # fmt: skip


def _periods(rows: list[_Row], name: str, has_period: bool) -> list[int]:
    """The period of each row (rows in date order); runs of one arm when there is no column."""
    if has_period:
        arm_of: dict[int, _Row] = {}
        for row in rows:
            assert row.period is not None
            first = arm_of.setdefault(row.period, row)
            if not _same(first.arm, row.arm):
                raise TrialFileError(
                    name, row.line, "period",
                    f"period {row.period} has nights on '{first.arm}' (line {first.line}) "
                    f"and on '{row.arm}'; a period stays on one arm",
                )  # fmt: skip
        return [row.period for row in rows]  # type: ignore[misc]
    periods = []
    current = 0
    for previous, row in zip([None, *rows[:-1]], rows, strict=True):
        if previous is not None and not _same(previous.arm, row.arm):
            current += 1
        periods.append(current)
    return periods
