"""The pooled answer of a trial series against PyMC on the same hierarchical model and data.

Runs in a separate environment that has PyMC (see benchmarks/requirements-reference.txt):

    PYTHONPATH=src /tmp/pymc-venv/bin/python benchmarks/trials_series_pymc.py [--series 10] [--json OUT]

The model: each person's trial is the single-trial model (alpha_i ~ N(their baseline, 2^2),
log k_i ~ N(0, 1.5^2), period shifts SD 0.25, the symmetric form alpha_i + beta_i * (remedy - 1/2));
beta_i ~ N(mu, tau^2), mu ~ N(0, 1), tau ~ half-normal(0.5). PyMC samples it non-centred with NUTS,
4 chains x 2000 draws after 1000 tuning steps (target_accept 0.95).

Data: seeded series of 12-week trials (k = 1.5, cramp rates log-normal around 3.5 a week), half
with 8 people (typical RR 0.8, tau 0.3) and half with 12 people (RR 0.9, tau 0.1). The tolerances are
those of the single-trial comparison (benchmarks/trials_pymc_agreement.py): on every series the
posterior mean of mu within 0.10 posterior SD of PyMC's, its 2.5% and 97.5% quantiles within 0.15 SD,
P(exp(mu) < 1) and P(exp(mu) < 0.8) within 0.03; the same quantile tolerance for tau's median and
97.5% quantile (its 2.5% quantile sits against zero and is only reported), and each person's shrunk
median within 0.15 of their shrunk posterior SD.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings

import numpy as np

from crampwise.trials.core.pooling import MU_PRIOR_SD, TAU_PRIOR_SCALE, pool_trials
from crampwise.trials.core.series_simulate import SeriesScenario, simulate_series
from crampwise.trials.core.simulate import Scenario

warnings.filterwarnings("ignore", category=FutureWarning)

DRAWS, TUNE, CHAINS = 2000, 1000, 4
TOLERANCE = {"mean_sd": 0.10, "quantile_sd": 0.15, "probability": 0.03}


def stacked(trials):
    """All people's used nights in long form, with person and (person, period) indices."""
    counts, arm, person, period, alpha_means = [], [], [], [], []
    offset = 0
    for i, trial in enumerate(trials):
        used = [n for n in trial.nights if n.used]
        codes = {p: offset + j for j, p in enumerate(sorted({n.period for n in used}))}
        offset += len(codes)
        counts += [n.cramps for n in used]
        arm += [float(n.treated) for n in used]
        person += [i] * len(used)
        period += [codes[n.period] for n in used]
        total = sum(n.cramps for n in used)
        alpha_means.append(math.log((total + 0.5) / len(used)))
    return (
        np.array(counts, dtype="int64"),
        np.array(arm),
        np.array(person, dtype="int64"),
        np.array(period, dtype="int64"),
        offset,
        np.array(alpha_means),
    )


def sample(trials, seed, cores):
    import pymc as pm

    counts, arm, person, period, n_periods, alpha_means = stacked(trials)
    people = len(trials)
    with pm.Model():
        mu = pm.Normal("mu", 0.0, MU_PRIOR_SD)
        tau = pm.HalfNormal("tau", TAU_PRIOR_SCALE)
        z_beta = pm.Normal("z_beta", 0.0, 1.0, shape=people)
        beta = pm.Deterministic("beta", mu + tau * z_beta)
        alpha = pm.Normal("alpha", alpha_means, 2.0, shape=people)
        log_k = pm.Normal("log_k", 0.0, 1.5, shape=people)
        z_u = pm.Normal("z_u", 0.0, 1.0, shape=n_periods)
        rate = pm.math.exp(alpha[person] + beta[person] * (arm - 0.5) + 0.25 * z_u[period])
        pm.NegativeBinomial("obs", mu=rate, alpha=pm.math.exp(log_k[person]), observed=counts)
        idata = pm.sample(
            draws=DRAWS, tune=TUNE, chains=CHAINS, cores=cores, random_seed=seed,
            target_accept=0.95, progressbar=False, compute_convergence_checks=False,
        )  # fmt: skip
    import arviz as az

    rhat = float(az.rhat(idata, var_names=["mu", "tau", "beta"]).to_array().max())
    divergences = int(idata.sample_stats["diverging"].values.sum())
    post = idata.posterior
    return (
        post["mu"].values.ravel(),
        post["tau"].values.ravel(),
        post["beta"].values.reshape(-1, people),
        rhat,
        divergences,
    )


def compare(ours, mu, tau, beta):
    sd = float(mu.std())
    tau_sd = float(tau.std())
    log_ci = [math.log(v) for v in ours.rate_ratio_ci95]
    shrunk = [
        abs(math.log(p.rate_ratio_median) - float(np.median(beta[:, i]))) / float(beta[:, i].std())
        for i, p in enumerate(ours.individuals)
    ]
    return {
        "pymc_mu_mean": float(mu.mean()),
        "ours_mu_mean": ours.mu_mean,
        "pymc_mu_sd": sd,
        "mean_sd": abs(ours.mu_mean - float(mu.mean())) / sd,
        "q025_sd": abs(log_ci[0] - float(np.quantile(mu, 0.025))) / sd,
        "q975_sd": abs(log_ci[1] - float(np.quantile(mu, 0.975))) / sd,
        "p_below_1": abs(ours.p_reduction - float(np.mean(mu < 0))),
        "p_below_0_8": abs(ours.p_meaningful - float(np.mean(mu < math.log(0.8)))),
        "tau_median_sd": abs(ours.tau_median - float(np.median(tau))) / tau_sd,
        "tau_q975_sd": abs(ours.tau_ci95[1] - float(np.quantile(tau, 0.975))) / tau_sd,
        "tau_q025_sd": abs(ours.tau_ci95[0] - float(np.quantile(tau, 0.025))) / tau_sd,
        "shrunk_median_sd": max(shrunk),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10)
    parser.add_argument("--cores", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    protocol = Scenario(cramps_per_week=3.5, rate_ratio=1.0, pairs=6, overdispersion=1.5)
    rows = []
    for s in range(args.series):
        people, rr, tau = (8, 0.8, 0.3) if s % 2 == 0 else (12, 0.9, 0.1)
        simulated = simulate_series(
            SeriesScenario(people, rr, tau, protocol), np.random.default_rng(4000 + s)
        )
        started = time.perf_counter()
        ours = pool_trials(simulated.trials)
        ours_s = time.perf_counter() - started
        started = time.perf_counter()
        mu, tau_draws, beta, rhat, divergences = sample(simulated.trials, seed=s, cores=args.cores)
        pymc_s = time.perf_counter() - started
        row = {
            "series": s, "people": people, "rate_ratio": rr, "tau": tau, "rhat": rhat,
            "divergences": divergences, "ours_s": ours_s, "pymc_s": pymc_s,
            **compare(ours, mu, tau_draws, beta),
        }  # fmt: skip
        rows.append(row)
        print(
            f"  series {s} ({people} people): mu mean {row['mean_sd']:.3f} SD, "
            f"q2.5 {row['q025_sd']:.3f}, q97.5 {row['q975_sd']:.3f}, P<1 {row['p_below_1']:.4f}, "
            f"P<0.8 {row['p_below_0_8']:.4f}; tau median {row['tau_median_sd']:.3f} SD, "
            f"q97.5 {row['tau_q975_sd']:.3f}, q2.5 {row['tau_q025_sd']:.3f}; people "
            f"{row['shrunk_median_sd']:.3f} SD; R-hat {rhat:.4f}, {divergences} divergences; "
            f"ours {1000 * ours_s:.0f} ms, PyMC {pymc_s:.0f} s",
            flush=True,
        )
    keys = (
        "mean_sd", "q025_sd", "q975_sd", "p_below_1", "p_below_0_8", "tau_median_sd",
        "tau_q975_sd", "tau_q025_sd", "shrunk_median_sd", "rhat",
    )  # fmt: skip
    worst = {key: float(max(r[key] for r in rows)) for key in keys}
    print("worst over all series:", {k: round(v, 4) for k, v in worst.items()})
    ok = worst["mean_sd"] <= TOLERANCE["mean_sd"]
    ok &= max(worst["q025_sd"], worst["q975_sd"]) <= TOLERANCE["quantile_sd"]
    ok &= max(worst["p_below_1"], worst["p_below_0_8"]) <= TOLERANCE["probability"]
    ok &= max(worst["tau_median_sd"], worst["tau_q975_sd"]) <= TOLERANCE["quantile_sd"]
    ok &= worst["shrunk_median_sd"] <= TOLERANCE["quantile_sd"]
    ok &= worst["rhat"] < 1.01
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"series": rows, "worst": worst, "ok": bool(ok)}, out, indent=2)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
