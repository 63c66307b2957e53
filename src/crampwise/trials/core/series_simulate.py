"""Simulated trial series: many people, each with their own rate ratio drawn from a population.

Each person's trial comes from ``simulate.simulate_trials``; what differs between people is their
true rate ratio (log-normal around the population's, spread tau) and their cramp rate (log-normal
around the series' typical rate), as in a real series of people who cramp more or less often.

Whose rate is that? By default a person's rate off the remedy: the remedy multiplies their usual
rate, however large its effect. The pooling model instead takes the midpoint of the two arms (alpha,
the mean of their log rates) as independent of the effect; ``midpoint_rate`` simulates that, so
that series drawn from the model's priors are the model's own (calibration by the prior).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from crampwise.trials.core.pooling import PatientTrialData
from crampwise.trials.core.simulate import Scenario, simulate_trials


@dataclass(frozen=True, slots=True)
class SeriesScenario:
    patients: int
    rate_ratio: float  # the typical person's: exp(mu)
    tau: float  # spread of people's log rate ratios
    trial: Scenario  # the protocol; its cramps_per_week is the typical person's rate
    rate_sd: float = 0.4  # spread of people's log cramp rates
    midpoint_rate: bool = False  # the rate is the arms' geometric midpoint, not the control arm's


@dataclass(frozen=True)
class SimulatedSeries:
    trials: tuple[PatientTrialData, ...]
    true_log_ratios: np.ndarray  # (patients,) each person's true beta


def simulate_series(scenario: SeriesScenario, rng: np.random.Generator) -> SimulatedSeries:
    s = scenario
    betas = rng.normal(math.log(s.rate_ratio), s.tau, s.patients)
    rates = s.trial.cramps_per_week * np.exp(rng.normal(0.0, s.rate_sd, s.patients))
    if s.midpoint_rate:
        rates = rates * np.exp(-betas / 2)  # the control arm's rate, the remedy's e^beta times it
    trials = []
    for i in range(s.patients):
        person = replace(s.trial, cramps_per_week=float(rates[i]), rate_ratio=math.exp(betas[i]))
        nights = simulate_trials(person, 1, rng).trial_nights(0)
        trials.append(PatientTrialData.from_nights(f"person {i + 1}", nights))
    return SimulatedSeries(trials=tuple(trials), true_log_ratios=betas)
