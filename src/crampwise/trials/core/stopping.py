"""Looks as the trial goes: stop early when the answer is already clear.

A look happens only at the end of a complete randomization block, where as many remedy periods
as control periods are over: after every pair from the second pair on in a design of pairs, and
after every block in a design of blocks of four or six periods. Looks are counted in *pairs
complete* (periods over, halved) whatever the design, so the rule reads the same for both: in a
design of blocks of four, the looks fall at 2, 4, 6, ... pairs.

At a look the trial stops for *efficacy* when P(ratio < 1) >= e, or for *futility* when there is
less than a 10% chance of a reduction of at least 20%; otherwise it goes on. The posterior itself
stays valid however often one looks, but the chance of a false "it works" grows with every look,
so e defaults to 0.975 and the operating characteristics below are computed by simulation and
published in docs/trials.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np

from crampwise.trials.core.analysis import DEFAULT_THRESHOLD, TrialAnalysis, analyze
from crampwise.trials.core.batch_laplace import analyze_batch
from crampwise.trials.core.design import TrialDesign, block_end
from crampwise.trials.core.evidence import MIN_CRAMPS, MIN_PERIODS_PER_ARM
from crampwise.trials.core.observations import TrialNight
from crampwise.trials.core.simulate import Scenario, SimulatedTrials, simulate_trials


class Decision(StrEnum):
    CONTINUE = "continue"
    EFFICACY = "efficacy"  # stop: the remedy very likely cuts cramps
    FUTILITY = "futility"  # stop: a worthwhile cut has become unlikely


@dataclass(frozen=True, slots=True)
class StoppingRule:
    efficacy: float = 0.975
    futility_ratio: float = 0.8
    futility_probability: float = 0.10
    first_look_pairs: int = 2  # never stop on a single pair: too easily fooled

    def decide(self, pairs_complete: int, p_reduction: float, p_worthwhile: float) -> Decision:
        """``p_worthwhile`` is P(ratio < futility_ratio)."""
        if pairs_complete < self.first_look_pairs:
            return Decision.CONTINUE
        if p_reduction >= self.efficacy:
            return Decision.EFFICACY
        if p_worthwhile < self.futility_probability:
            return Decision.FUTILITY
        return Decision.CONTINUE


DEFAULT_RULE = StoppingRule()


@dataclass(frozen=True)
class Look:
    pairs_complete: int  # a whole number of blocks: remedy and control periods balance
    night: date  # the last night the look rests on
    p_reduction: float
    p_worthwhile: float
    decision: Decision
    analysis: TrialAnalysis


def look_pairs(pairs: int, block_periods: int = 2, rule: StoppingRule = DEFAULT_RULE) -> list[int]:
    """The pair counts at which a look is due: the ends of blocks, from the rule's first look on."""
    per_block = block_periods // 2
    return [p for p in range(per_block, pairs + 1, per_block) if p >= rule.first_look_pairs]


def design_look_pairs(design: TrialDesign, rule: StoppingRule = DEFAULT_RULE) -> list[int]:
    return look_pairs(design.pairs, design.block_periods, rule)


def look_night(design: TrialDesign, pairs_complete: int) -> date:
    """The last night a look after ``pairs_complete`` pairs rests on: the end of a block."""
    blocks, rest = divmod(pairs_complete, design.pairs_per_block)
    if rest or not 1 <= blocks <= design.blocks:
        raise ValueError(
            f"a look after {pairs_complete} pairs is not at the end of a block of "
            f"{design.block_periods} periods"
        )
    return block_end(design, blocks - 1)


def look_nights(design: TrialDesign, rule: StoppingRule = DEFAULT_RULE) -> list[date]:
    """The nights after which a look is due: the ends of blocks, from the rule's first look on."""
    return [look_night(design, p) for p in design_look_pairs(design, rule)]


def interim_look(
    design: TrialDesign,
    nights: Sequence[TrialNight],
    pairs_complete: int,
    rule: StoppingRule = DEFAULT_RULE,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    baseline_per_night: float | None = None,
) -> Look:
    """The look after ``pairs_complete`` pairs, using only the nights of those pairs' periods.

    ``pairs_complete`` must end a block (ValueError otherwise): only there are the arms balanced.
    """
    night = look_night(design, pairs_complete)
    so_far = [n for n in nights if n.period < 2 * pairs_complete]
    result = analyze(so_far, threshold=threshold, baseline_per_night=baseline_per_night)
    p_worthwhile = result.prob_ratio_below(rule.futility_ratio)
    # Below the minimum evidence a look says nothing, so it can stop nothing either.
    decision = (
        rule.decide(pairs_complete, result.rate_ratio.p_reduction, p_worthwhile)
        if result.enough_data
        else Decision.CONTINUE
    )
    return Look(
        pairs_complete=pairs_complete,
        night=night,
        p_reduction=result.rate_ratio.p_reduction,
        p_worthwhile=p_worthwhile,
        decision=decision,
        analysis=result,
    )


# ---- operating characteristics by simulation ----


@dataclass(frozen=True, slots=True)
class OperatingCharacteristics:
    scenario: Scenario
    rule: StoppingRule
    trials: int
    stop_efficacy: float  # share of trials that stopped with "it works" (false positives at RR=1)
    stop_futility: float
    ran_to_end: float  # share that reached the last pair without a decision
    expected_weeks: float  # mean length of the randomised part

    def to_dict(self) -> dict[str, object]:
        return {
            "cramps_per_week": self.scenario.cramps_per_week,
            "rate_ratio": self.scenario.rate_ratio,
            "max_weeks": self.scenario.weeks,
            "efficacy_threshold": self.rule.efficacy,
            "trials": self.trials,
            "stop_efficacy": round(self.stop_efficacy, 4),
            "stop_futility": round(self.stop_futility, 4),
            "ran_to_end": round(self.ran_to_end, 4),
            "expected_weeks": round(self.expected_weeks, 2),
        }


def enough_evidence(trials: SimulatedTrials, periods: int) -> np.ndarray:
    """Per simulated trial, whether its first ``periods`` periods meet the minimum evidence."""
    used = (trials.counts >= 0) & ~trials.washout[None, :] & (trials.period[None, :] < periods)
    cramps = np.where(used, trials.counts, 0).sum(axis=1)
    arms: list[np.ndarray] = []
    for treated in (False, True):
        on_arm = used & (trials.treated == treated)
        periods_seen = np.zeros(trials.n_trials, dtype=int)
        for p in range(periods):
            periods_seen += (on_arm & (trials.period[None, :] == p)).any(axis=1)
        arms.append(periods_seen)
    enough: np.ndarray = (cramps >= MIN_CRAMPS) & (np.minimum(*arms) >= MIN_PERIODS_PER_ARM)
    return enough


def look_probabilities(
    trials: SimulatedTrials, scenario: Scenario, rule: StoppingRule, method: str = "fast"
) -> tuple[np.ndarray, np.ndarray]:
    """P(ratio < 1) and P(ratio < futility ratio) after 1, 2, ... pairs: arrays (trials, pairs).

    Only the pair counts that end a block are looked at. A count that ends no block, and a look
    below the minimum evidence, stay NaN, which no rule stops on, as in the app.
    """
    p_red = np.full((trials.n_trials, scenario.pairs), np.nan)
    p_worth = np.full((trials.n_trials, scenario.pairs), np.nan)
    log_ratio = math.log(rule.futility_ratio)
    probe = StoppingRule(first_look_pairs=max(rule.first_look_pairs, 1))
    for pairs in look_pairs(scenario.pairs, scenario.block_periods, probe):
        if method == "fast":
            posterior = analyze_batch(trials, periods=2 * pairs)
            p_red[:, pairs - 1] = posterior.prob_below(0.0)
            p_worth[:, pairs - 1] = posterior.prob_below(log_ratio)
        elif method == "full":
            for i in range(trials.n_trials):
                nights = [n for n in trials.trial_nights(i) if n.period < 2 * pairs]
                result = analyze(nights)
                p_red[i, pairs - 1] = result.rate_ratio.p_reduction
                p_worth[i, pairs - 1] = result.prob_ratio_below(rule.futility_ratio)
        else:
            raise ValueError(f"unknown method {method!r}")
        short = ~enough_evidence(trials, 2 * pairs)
        p_red[short, pairs - 1] = np.nan
        p_worth[short, pairs - 1] = np.nan
    return p_red, p_worth


def apply_rule(
    rule: StoppingRule, scenario: Scenario, p_reduction: np.ndarray, p_worthwhile: np.ndarray
) -> OperatingCharacteristics:
    n_trials, pairs = p_reduction.shape
    outcome = np.full(n_trials, Decision.CONTINUE.value, dtype=object)
    stop_pairs = np.full(n_trials, pairs)
    for i in range(n_trials):
        for done in range(rule.first_look_pairs, pairs + 1):
            decision = rule.decide(done, p_reduction[i, done - 1], p_worthwhile[i, done - 1])
            if decision is not Decision.CONTINUE:
                outcome[i] = decision.value
                stop_pairs[i] = done
                break
    weeks_per_pair = 2 * scenario.period_nights / 7
    return OperatingCharacteristics(
        scenario=scenario,
        rule=rule,
        trials=n_trials,
        stop_efficacy=float(np.mean(outcome == Decision.EFFICACY.value)),
        stop_futility=float(np.mean(outcome == Decision.FUTILITY.value)),
        ran_to_end=float(np.mean(outcome == Decision.CONTINUE.value)),
        expected_weeks=float(stop_pairs.mean() * weeks_per_pair),
    )


def operating_characteristics(
    scenario: Scenario,
    rules: Sequence[StoppingRule] = (DEFAULT_RULE,),
    *,
    trials: int = 1000,
    seed: int = 0,
    method: str = "fast",
) -> list[OperatingCharacteristics]:
    """Simulate trials once and apply every rule to the same looks (common random numbers)."""
    simulated = simulate_trials(scenario, trials, np.random.default_rng(seed))
    first = min(rule.first_look_pairs for rule in rules)
    futility = {rule.futility_ratio for rule in rules}
    if len(futility) != 1:
        raise ValueError("rules compared in one run must share the futility ratio")
    probe = StoppingRule(futility_ratio=futility.pop(), first_look_pairs=first)
    p_red, p_worth = look_probabilities(simulated, scenario, probe, method)
    return [apply_rule(rule, scenario, p_red, p_worth) for rule in rules]
