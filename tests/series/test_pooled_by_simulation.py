"""The series' figures from simulated patients with a known effect: the pooled ratio finds it,
no effect is not read as one, and a sealed key turns the same data into pack A over pack B."""

from __future__ import annotations

import pytest

from crampwise.series import services
from crampwise.series.core.packs import real_pack
from crampwise.series.summary import series_summary
from tests.series.builders import fill_nights, join_weeks_ago, patients, protocol_for

pytestmark = pytest.mark.django_db


def _series(django_user_model, clinician, ratio: float, blinded: bool = False):
    protocol = protocol_for(clinician, blinded=blinded, pairs=3)
    for i, person in enumerate(patients(django_user_model, 8, prefix=f"p{ratio}-")):
        fill_nights(join_weeks_ago(person, protocol, 12), 1.2, ratio, seed=100 + i, missing=0.1)
    return protocol


def test_a_known_cut_is_found_across_patients(django_user_model, clinician):
    """Eight people whose cramps fall to 0.6 on magnesium: the interval holds 0.6, and a cut is
    very likely."""
    summary = series_summary(_series(django_user_model, clinician, 0.6))
    pooled = summary.pooled
    assert pooled.patients == 8 and pooled.enough_data
    low, high = pooled.rate_ratio_ci95
    assert low < 0.6 < high and high < 1.0
    assert pooled.p_reduction > 0.95
    assert sum(row.missing for row in summary.rows) > 10  # about 1 night in 10 is missing


def test_no_effect_is_not_read_as_a_cut(django_user_model, clinician):
    pooled = series_summary(_series(django_user_model, clinician, 1.0)).pooled
    low, high = pooled.rate_ratio_ci95
    assert low < 1.0 < high
    assert pooled.p_meaningful < 0.5


@pytest.mark.parametrize("real", ["A", "B"])
def test_a_sealed_key_shows_pack_a_over_pack_b_and_unblinding_shows_the_arms(
    django_user_model, clinician, real
):
    protocol = _series(django_user_model, clinician, 0.5, blinded=True)
    # Whichever pack the key makes real, the figures must follow it.
    protocol.key_seed = next(seed for seed in range(100) if real_pack(seed) == real)
    protocol.save(update_fields=["key_seed"])
    sealed = series_summary(protocol).pooled.rate_ratio_median
    expected_sealed_below_one = real_pack(protocol.key_seed) == "A"
    assert (sealed < 1.0) == expected_sealed_below_one
    services.unblind(protocol, clinician)
    opened = series_summary(protocol).pooled.rate_ratio_median
    assert opened < 1.0
    assert opened == pytest.approx(sealed if expected_sealed_below_one else 1 / sealed, rel=0.1)
