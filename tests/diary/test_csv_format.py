"""The nightly CSV: what it writes, what it accepts, and how it explains a bad file."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.diary.core.csvformat import FIXED_COLUMNS, parse_csv, write_csv
from crampwise.diary.core.records import FactorSpec, NightRecord

HEADER = ",".join(FIXED_COLUMNS)


def test_night_and_cramps_come_first_and_custom_factors_last():
    """The header follows the documented order."""
    text = write_csv([], [FactorSpec("late_dinner", "yes_no")])
    assert text.splitlines()[0] == HEADER + ",late_dinner"


def test_zero_and_missing_are_written_differently():
    """A cramp-free night is 0; a night with no answer is not written at all."""
    text = write_csv([NightRecord(date(2026, 1, 1), 0), NightRecord(date(2026, 1, 3), 2)], [])
    lines = text.splitlines()
    assert lines[1].startswith("2026-01-01,0,")
    assert lines[2].startswith("2026-01-03,2,")
    assert len(lines) == 3


def test_an_empty_cramps_cell_is_not_recorded_not_zero():
    """Empty means not recorded."""
    parsed = parse_csv("night,cramps\n2026-01-01,\n2026-01-02,0\n")
    assert parsed.ok
    assert [n.cramps for n in parsed.nights] == [None, 0]


def test_an_unknown_column_becomes_a_custom_factor_with_its_kind_inferred():
    """yes/no answers make a yes/no factor; numbers make a number factor."""
    parsed = parse_csv(
        "night,cramps,late_dinner,coffee_cups\n2026-01-01,1,yes,2\n2026-01-02,0,no,0.5\n"
    )
    assert parsed.ok
    kinds = {f.name: f.kind for f in parsed.custom_factors}
    assert kinds == {"late_dinner": "yes_no", "coffee_cups": "count"}
    assert parsed.nights[0].factors == {"late_dinner": 1.0, "coffee_cups": 2.0}


def test_every_problem_is_listed_with_line_and_column_and_nothing_is_returned():
    """A bad file yields no nights, only the list of what to fix."""
    text = (
        "night,cramps,worst_pain,stretched\n"
        "2026-01-01,1,5,yes\n"
        "2026-13-02,1,5,yes\n"
        "2026-01-03,-1,11,maybe\n"
        "2026-01-01,0,,\n"
    )
    parsed = parse_csv(text)
    assert not parsed.ok
    assert parsed.nights == []
    where = {(p.line, p.column) for p in parsed.problems}
    assert where == {(3, "night"), (4, "cramps"), (4, "worst_pain"), (4, "stretched"), (5, "night")}
    messages = " ".join(str(p) for p in parsed.problems)
    assert "line 3, column night" in messages and "YYYY-MM-DD" in messages


def test_a_file_that_does_not_start_with_night_and_cramps_is_refused():
    """The first two columns are the contract."""
    parsed = parse_csv("date,count\n2026-01-01,1\n")
    assert not parsed.ok and parsed.problems[0].line == 1


def test_a_byte_order_mark_from_a_spreadsheet_is_accepted():
    """Excel's 'CSV UTF-8' starts with a BOM."""
    assert parse_csv("\ufeffnight,cramps\n2026-01-01,3\n").nights[0].cramps == 3


night_records = st.builds(
    NightRecord,
    night=st.dates(date(2000, 1, 1), date(2040, 1, 1)),
    cramps=st.one_of(st.none(), st.integers(0, 200)),
    worst_pain=st.one_of(st.none(), st.integers(0, 10)),
    minutes_awake=st.one_of(st.none(), st.integers(0, 720)),
    sleep_quality=st.one_of(st.none(), st.integers(1, 5)),
    soreness=st.one_of(st.none(), st.integers(0, 3)),
    factors=st.fixed_dictionaries(
        {},
        optional={
            "stretched": st.sampled_from([0.0, 1.0]),
            "alcohol_units": st.floats(0, 50, allow_nan=False).map(lambda v: round(v, 2)),
            "late_dinner": st.sampled_from([0.0, 1.0]),
            "coffee_cups": st.integers(0, 9).map(float),
        },
    ),
    medicines_taken=st.lists(st.sampled_from(["Ramipril", "Atorvastatin 20 mg"]), unique=True).map(
        tuple
    ),
    # Notes hold no control characters but line breaks and tabs (limits.note_problem), and often
    # start like a spreadsheet formula, to show the formula guard gives the note back unchanged.
    note=st.builds(
        str.__add__,
        st.sampled_from(["", "=", "+", "-", "@", "\t", "'", "'=", "''-"]),
        st.text(
            st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t"),
            max_size=40,
        ),
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(night_records, unique_by=lambda n: n.night, max_size=20))
def test_write_then_parse_gives_back_the_same_nights(nights):
    """The CSV round trip is lossless."""
    custom = [
        FactorSpec("late_dinner", "yes_no", "Late dinner"),
        FactorSpec("coffee_cups", "count", "Coffee"),
    ]
    text = write_csv(nights, custom)
    parsed = parse_csv(text, custom)
    assert parsed.ok, parsed.problems
    assert sorted(parsed.nights, key=lambda n: n.night) == sorted(nights, key=lambda n: n.night)
    assert write_csv(parsed.nights, parsed.custom_factors) == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_either_parsed_or_rejected_with_a_located_problem(text):
    """Fuzz: the parser never crashes and never returns nights alongside problems."""
    parsed = parse_csv("night,cramps,stretched,my_tag\n" + text)
    if parsed.ok:
        assert all(n.cramps is None or n.cramps >= 0 for n in parsed.nights)
    else:
        assert parsed.nights == []
        assert all(p.line >= 1 for p in parsed.problems)
