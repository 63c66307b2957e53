"""Everything crampwise exports for one person, as plain records (the input of `build_bundle`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crampwise.diary.core.records import EpisodeRecord, FactorSpec, MedicineRecord, NightRecord


@dataclass(frozen=True, slots=True)
class PatientData:
    """One person's diary and results, loaded by the Django shell from the database.

    ``sex`` is a FHIR administrative gender (female, male, other, unknown) or None when not given.
    ``time_zone`` is an IANA name; episode times are written in it.
    ``assessments`` are mappings with ``answers`` (the input of ``guidance.assessment.assess``:
    age, sex, pregnant, conditions, medications, symptoms -> {key: bool}; flat
    ``symptoms.<key>`` keys are accepted too), ``flags`` (the ``flags`` of its result: mappings
    with ``id``, ``severity`` and ``message``, or bare ids) and an optional ``at`` (date or aware
    datetime of the assessment).
    ``trial_results`` are mappings with ``remedy``, ``started``, ``ended`` (dates or None) and the
    numbers of ``trials.analysis.TrialAnalysis.to_dict()``: ``rate_ratio: {median, ci95}``,
    ``p_reduction``, ``p_meaningful`` and optionally ``threshold``; flat ``rate_ratio_median`` and
    ``rate_ratio_ci95`` keys are accepted too.
    """

    username: str
    birth_year: int | None = None
    sex: str | None = None
    time_zone: str = "UTC"
    nights: Sequence[NightRecord] = ()
    episodes: Sequence[EpisodeRecord] = ()
    medicines: Sequence[MedicineRecord] = ()
    factor_specs: Sequence[FactorSpec] = ()
    assessments: Sequence[Mapping[str, Any]] = ()
    trial_results: Sequence[Mapping[str, Any]] = ()
