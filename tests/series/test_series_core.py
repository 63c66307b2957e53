"""The series' pure parts: the sealed key and the forest plot."""

from __future__ import annotations

import math

from crampwise.series.core.forest import ForestRow, forest_svg
from crampwise.series.core.packs import pack_for, real_pack
from crampwise.trials.core.design import Arm


def test_the_key_is_the_same_from_the_same_seed_and_both_letters_occur():
    assert {real_pack(seed) for seed in range(40)} == {"A", "B"}
    assert all(real_pack(seed) == real_pack(seed) for seed in range(40))


def test_remedy_and_control_nights_always_use_different_packs():
    for seed in range(20):
        assert {pack_for(Arm.TREATMENT, seed), pack_for(Arm.CONTROL, seed)} == {"A", "B"}
        assert pack_for(Arm.TREATMENT, seed) == real_pack(seed)
        assert pack_for(Arm.BASELINE, seed) is None


def test_the_forest_plot_has_a_title_a_row_per_patient_and_no_scripts_or_styles():
    rows = [ForestRow("P01", 0.5, 0.3, 0.8, 0.45, 0.2, 1.1), ForestRow("P<2>", 0.7, 0.4, math.inf)]
    svg = forest_svg(rows, ForestRow("All", 0.6, 0.45, 0.8), "Forest & plot", "Rate ratio")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="forest-title">Forest &amp; plot</title>' in svg
    assert "P&lt;2&gt;" in svg  # labels are escaped
    assert svg.count("<rect x=") == 2 and svg.count("<polygon") == 1
    assert "<script" not in svg and "style=" not in svg
