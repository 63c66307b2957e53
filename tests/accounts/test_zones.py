"""The time zones a person can choose: canonical names only, found by city or country."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

import pytest

from crampwise.core.timefmt import duration, local_time
from crampwise.core.zones import (
    UTC_NAME,
    build_table,
    canonical,
    find,
    zone_table,
)

ZONE_TAB = "#code\tcoordinates\tTZ\tcomments\nGB\t+513030-0000731\tEurope/London\nNL\t+5222+00454\tEurope/Amsterdam\nUS\t+404251-0740023\tAmerica/New_York\tEastern (most areas)\nUS\t+415100-0873900\tAmerica/Chicago\tCentral (most areas)\n"
ISO = "#code\tname\nGB\tBritain (UK)\nNL\tNetherlands\nUS\tUnited States\n"
ZI = "# version x\nZ Europe/London 0 - GMT\nL Europe/London GB\nL America/New_York US/Eastern\nL Europe/Brussels Europe/Amsterdam\nL Etc/UTC UTC\n"


@pytest.fixture
def table():
    return build_table(ZONE_TAB, ISO, ZI)


def test_aliases_are_not_offered_but_map_to_the_zone_they_stand_for(table):
    """GB and US/Eastern are never in the list; a browser that says them still gets a zone."""
    assert "GB" not in table.zones and "US/Eastern" not in table.zones
    assert canonical("GB", table) == "Europe/London"
    assert canonical("US/Eastern", table) == "America/New_York"
    assert canonical("UTC", table) == UTC_NAME


def test_a_city_that_tz_data_folded_into_another_keeps_its_own_name(table):
    """Amsterdam is a link to Brussels in the tz data, but a Dutch person looks for Amsterdam."""
    assert canonical("Europe/Amsterdam", table) == "Europe/Amsterdam"


def test_an_unknown_name_is_refused(table):
    assert canonical("Mars/Olympus_Mons", table) is None
    assert canonical("", table) is None


def test_labels_carry_city_country_and_the_part_of_the_country(table):
    assert table.zones["Europe/London"].label == "London, United Kingdom"
    assert table.zones["America/New_York"].label == "New York, United States (Eastern (most areas))"


def test_a_person_finds_a_zone_by_city_country_or_name(table):
    assert [z.name for z in find("london", table)] == ["Europe/London"]
    assert [z.name for z in find("New York", table)] == ["America/New_York"]
    assert [z.name for z in find("united kingdom", table)] == ["Europe/London"]
    assert [z.name for z in find("GB", table)] == ["Europe/London"]
    assert {z.name for z in find("United States", table)} == {
        "America/New_York",
        "America/Chicago",
    }
    assert find("Atlantis", table) == []


def test_the_real_list_is_canonical_loadable_and_not_the_raw_list(table):
    """Every offered zone loads, none is a link or a rule such as EST5EDT, and it is far shorter."""
    real = zone_table()
    available = zoneinfo.available_timezones()
    assert set(real.zones) <= available
    for alias in ("GB", "W-SU", "US/Eastern", "Asia/Calcutta", "Europe/Kiev", "EST5EDT", "CET"):
        assert alias not in real.zones
    assert all("/" in name for name in real.zones)
    assert len(real.zones) < len(available) * 0.8
    assert canonical("Asia/Calcutta", real) == "Asia/Kolkata"
    assert canonical("W-SU", real) == "Europe/Moscow"
    assert canonical("Etc/GMT+5", real) is None


def test_times_are_shown_in_the_persons_zone_in_24_hours():
    """20:39 UTC on a January night is 07:39 the next morning in Sydney and 15:39 in New York."""
    instant = datetime(2026, 1, 14, 20, 39, tzinfo=UTC)
    assert local_time(instant, "Australia/Sydney") == "07:39"
    assert local_time(instant, "America/New_York") == "15:39"
    with pytest.raises(ValueError):
        local_time(instant.replace(tzinfo=None), "Europe/London")


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (61, "1 minute 1 second"),
        (180, "3 minutes"),
        (200, "3 minutes 20 seconds"),
        (None, "unknown"),
    ],
)
def test_durations_use_the_right_plural(seconds, words):
    assert duration(seconds) == words
