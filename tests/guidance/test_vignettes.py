"""Clinical vignettes (issue 13): each person gets the flags and plan they must, and not others."""

from __future__ import annotations

from collections import Counter

import jsonschema
import pytest

from crampwise.guidance.core.assessment import assess
from crampwise.guidance.core.schema import output_schema
from tests.guidance.vignettes import POINTS, VIGNETTES


def _ids(vignette):
    return f"{vignette.point}-{vignette.kind}-{vignette.name}"


@pytest.mark.parametrize("vignette", VIGNETTES, ids=_ids)
def test_the_person_gets_what_they_must_and_nothing_they_must_not(vignette):
    """Flags, urgency, trials, held-back reasons, questions and medicine statuses as stated."""
    result = assess(vignette.data())
    jsonschema.validate(result, output_schema())
    flag_ids = {flag["id"] for flag in result["flags"]}
    assert vignette.flags <= flag_ids, vignette.name
    assert not vignette.not_flags & flag_ids, vignette.name
    if vignette.urgent is not None:
        assert result["urgent"] is vignette.urgent, vignette.name
    for flag_id, words in vignette.words.items():
        text = " ".join(
            f["message"] + " " + (f["action"] or "") for f in result["flags"] if f["id"] == flag_id
        )
        for word in words:
            assert word in text, (vignette.name, flag_id, word)
    statuses = {m["text"]: m["status"] for m in result["medicines"]}
    for text, status in vignette.medicine_status.items():
        assert statuses[text] == status, (vignette.name, text)
    plan = result["plan"]
    if result["urgent"]:
        assert plan is None, vignette.name
        return
    offered = {trial["remedy"] for trial in plan["trials"]}
    assert vignette.trials <= offered, vignette.name
    assert not vignette.not_trials & offered, vignette.name
    if vignette.no_trials:
        assert offered == set(), vignette.name
        assert plan["steps"], "the safe habits are still listed"
    if vignette.held_back is not None:
        assert {item["id"] for item in plan["held_back"]} == vignette.held_back, vignette.name
    assert vignette.ask_doctor <= {item["id"] for item in plan["ask_doctor"]}, vignette.name


def test_every_point_has_positive_and_negative_vignettes():
    """Counts per point are printed (run with -s): the closing note of issue 13 quotes them."""
    counts = Counter((v.point, v.kind) for v in VIGNETTES)
    print(f"\nvignettes: {len(VIGNETTES)}")
    for point, title in POINTS.items():
        positive, negative = counts[(point, "positive")], counts[(point, "negative")]
        print(f"  point {point}: {positive} positive, {negative} negative ({title})")
        assert positive >= 1 and negative >= 1, point
    assert {v.point for v in VIGNETTES} == set(POINTS)


def test_vignette_names_are_unique():
    """Each vignette is one distinct person, so a failure names exactly one."""
    names = [v.name for v in VIGNETTES]
    assert len(names) == len(set(names))
