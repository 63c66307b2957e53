"""Reading a trial CSV: columns, labels, periods, washout, and errors that point at the cell."""

from __future__ import annotations

from datetime import date

import pytest

from crampwise.trials.core.csv_input import TrialFileError, parse_trial_csv, read_trial_file


def _csv(*rows: str, header: str = "night,arm,cramps") -> str:
    return "\n".join([header, *rows]) + "\n"


def _error(text: str, **options) -> TrialFileError:
    with pytest.raises(TrialFileError) as info:
        parse_trial_csv(text, "trial.csv", **options)
    return info.value


def test_it_reads_nights_in_date_order_with_control_and_treatment():
    """Rows may come in any order; arms 'control' and 'treatment' need no option."""
    parsed = parse_trial_csv(_csv("2025-01-02,treatment,0", "2025-01-01,control,2"))
    assert [n.night for n in parsed.nights] == [date(2025, 1, 1), date(2025, 1, 2)]
    assert [n.treated for n in parsed.nights] == [False, True]
    assert (parsed.treatment_label, parsed.control_label) == ("treatment", "control")


def test_an_empty_count_is_not_recorded_rather_than_zero():
    """An empty cramps cell is a missing night."""
    parsed = parse_trial_csv(_csv("2025-01-01,control,", "2025-01-02,treatment,0"))
    assert parsed.nights[0].cramps is None
    assert parsed.nights[1].cramps == 0


def test_the_treatment_option_names_the_remedy_arm():
    """With labels 'stretch' and 'none', --treatment stretch marks the stretch nights."""
    parsed = parse_trial_csv(_csv("2025-01-01,none,1", "2025-01-02,Stretch,0"), treatment="stretch")
    assert [n.treated for n in parsed.nights] == [False, True]
    assert parsed.treatment_label == "Stretch"


def test_a_control_label_makes_the_other_arm_the_remedy():
    """With 'control' and one other label, the other label is the remedy."""
    parsed = parse_trial_csv(_csv("2025-01-01,control,1", "2025-01-02,magnesium,0"))
    assert parsed.treatment_label == "magnesium"


def test_two_unknown_labels_without_the_option_are_an_error():
    """'A' and 'B' could be either way round: the error names the line and the arm column."""
    error = _error(_csv("2025-01-01,A,1", "2025-01-02,B,0"))
    assert (error.line, error.column) == (3, "arm")
    assert "--treatment" in str(error)
    assert str(error).startswith("trial.csv, line 3, column 'arm':")


def test_a_treatment_label_not_in_the_file_is_an_error():
    """--treatment must be one of the two labels."""
    error = _error(_csv("2025-01-01,A,1", "2025-01-02,B,0"), treatment="C")
    assert error.column == "arm" and "'C'" in error.message


def test_a_third_label_is_an_error_on_its_line():
    """A trial has two arms; the third label is reported where it first appears."""
    error = _error(_csv("2025-01-01,control,1", "2025-01-02,treatment,0", "2025-01-03,other,0"))
    assert (error.line, error.column) == (4, "arm")


def test_a_single_label_is_an_error():
    """All nights on one arm cannot be compared."""
    assert _error(_csv("2025-01-01,control,1", "2025-01-02,control,0")).column == "arm"


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("2025-13-01,control,1", "night"),
        ("25/01/2025,control,1", "night"),
        (",control,1", "night"),
        ("2025-01-05,,1", "arm"),
        ("2025-01-05,control,-1", "cramps"),
        ("2025-01-05,control,1.5", "cramps"),
        ("2025-01-05,control,two", "cramps"),
    ],
)
def test_a_bad_cell_is_reported_with_line_and_column(row, column):
    """Each bad value names its line (counting the header as line 1) and column."""
    error = _error(_csv("2025-01-01,treatment,0", row))
    assert (error.line, error.column) == (3, column)


def test_a_repeated_night_names_both_lines():
    """The same date twice is an error that points at the earlier line too."""
    error = _error(_csv("2025-01-01,control,1", "2025-01-02,treatment,0", "2025-01-01,control,2"))
    assert (error.line, error.column) == (4, "night")
    assert "line 2" in error.message


def test_a_missing_required_column_is_reported_on_the_header():
    """Without a cramps column the header line is at fault."""
    error = _error("night,arm\n2025-01-01,control\n")
    assert (error.line, error.column) == (1, "cramps")


def test_a_row_with_extra_values_is_an_error():
    """More values than header columns means a shifted row."""
    error = _error(_csv("2025-01-01,control,1,7"))
    assert error.line == 2


def test_an_empty_file_and_a_header_only_file_are_errors():
    """Both have no nights to analyse."""
    assert "empty" in _error("").message
    assert "no nights" in _error("night,arm,cramps\n").message


def test_the_period_column_sets_periods_and_washout():
    """Washout is the first N nights of each period, in date order."""
    rows = [
        f"2025-01-{d:02d},{'control' if d <= 3 else 'treatment'},1,{1 if d <= 3 else 2}"
        for d in range(1, 7)
    ]
    parsed = parse_trial_csv(_csv(*rows, header="night,arm,cramps,period"), washout_nights=1)
    assert [n.period for n in parsed.nights] == [1, 1, 1, 2, 2, 2]
    assert [n.washout for n in parsed.nights] == [True, False, False, True, False, False]


def test_a_period_with_both_arms_is_an_error():
    """A period stays on one arm."""
    text = _csv(
        "2025-01-01,control,1,1", "2025-01-02,treatment,0,1", header="night,arm,cramps,period"
    )
    error = _error(text)
    assert (error.line, error.column) == (3, "period")


def test_without_a_period_column_each_run_of_one_arm_is_a_period():
    """C C T T T C: three runs, washout on the first night of each."""
    arms = ["control", "control", "treatment", "treatment", "treatment", "control"]
    rows = [f"2025-01-0{i + 1},{a},1" for i, a in enumerate(arms)]
    parsed = parse_trial_csv(_csv(*rows), washout_nights=1)
    assert [n.period for n in parsed.nights] == [0, 0, 1, 1, 1, 2]
    assert [n.washout for n in parsed.nights] == [True, False, True, False, False, True]


def test_dates_without_a_row_are_counted():
    """A gap of two dates is two nights not in the file."""
    parsed = parse_trial_csv(_csv("2025-01-01,control,1", "2025-01-04,treatment,0"))
    assert parsed.nights_not_in_file == 2


def test_headers_are_case_insensitive_and_extra_columns_are_ignored(tmp_path):
    """Night,ARM,Cramps with a note column and a BOM reads fine; worst_pain is used."""
    path = tmp_path / "t.csv"
    path.write_text(
        "\ufeffNight,ARM,Cramps,note,worst_pain\n2025-01-01,control,1,tired,6\n2025-01-02,treatment,0,,\n"
    )
    parsed = read_trial_file(path)
    assert parsed.nights[0].worst_pain == 6.0
    assert parsed.file == str(path)


def test_a_missing_file_is_an_error_naming_it(tmp_path):
    """A path that does not exist gives an error with the file name."""
    with pytest.raises(TrialFileError) as info:
        read_trial_file(tmp_path / "nope.csv")
    assert "nope.csv" in str(info.value)
