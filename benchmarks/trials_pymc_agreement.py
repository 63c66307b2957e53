"""The trial analysis against PyMC on the same model and data: agreement and speed.

Runs in a separate environment that has PyMC (see benchmarks/requirements-reference.txt):

    PYTHONPATH=src /tmp/pymc-venv/bin/python benchmarks/trials_pymc_agreement.py [--json OUT]

The model is the symmetric one (log rate = alpha + beta * (remedy - 1/2) + period shift, the
baseline prior on alpha, the average of the two arms).

Agreement: 20 seeded 12-week trials at 3 and at 7 cramps a week (k = 1.5, rate ratio 0.7, period
shifts SD 0.25), PyMC NUTS with 4 chains x 2000 draws after 1000 tuning steps. On every trial the
posterior mean of log RR must be within 0.10 posterior SD of PyMC's, the 2.5% and 97.5% quantiles
within 0.15 SD, P(RR<1) and P(RR<0.8) within 0.03 (research notes: tighter bounds would fail on
PyMC's own sampling noise). Speed: one 24-week trial, ours in-process (< 20 ms) against PyMC on the
same data in the same run (>= 200x).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
import warnings

import numpy as np

from crampwise.trials.core.analysis import analyze
from crampwise.trials.core.simulate import Scenario, simulate_trials

warnings.filterwarnings("ignore", category=FutureWarning)

DRAWS, TUNE, CHAINS = 2000, 1000, 4
TOLERANCE = {"mean_sd": 0.10, "quantile_sd": 0.15, "probability": 0.03}


def pymc_model(counts, treated, period, n_periods, alpha_mean):
    import pymc as pm

    with pm.Model() as model:
        y = pm.Data("y", counts)
        a = pm.Data("a", treated)
        p = pm.Data("p", period)
        m0 = pm.Data("alpha_mean", alpha_mean)
        alpha = pm.Normal("alpha", m0, 2.0)
        beta = pm.Normal("beta", 0.0, 1.0)
        log_k = pm.Normal("log_k", 0.0, 1.5)
        z = pm.Normal("z", 0.0, 1.0, shape=n_periods)  # non-centred period shifts
        u = 0.25 * z
        # The symmetric form: alpha is the average of the two arms' log rates.
        mu = pm.math.exp(alpha + beta * (a - 0.5) + u[p])
        pm.NegativeBinomial("obs", mu=mu, alpha=pm.math.exp(log_k), observed=y, shape=y.shape)
    return model


def used_arrays(nights):
    used = [n for n in nights if n.used]
    periods = sorted({n.period for n in used})
    code = {p: i for i, p in enumerate(periods)}
    return (
        np.array([n.cramps for n in used], dtype="int64"),
        np.array([float(n.treated) for n in used]),
        np.array([code[n.period] for n in used], dtype="int64"),
        len(periods),
    )


def sample(model, seed, cores):
    import arviz as az
    import pymc as pm

    with model:
        idata = pm.sample(
            draws=DRAWS, tune=TUNE, chains=CHAINS, cores=cores, random_seed=seed,
            progressbar=False, compute_convergence_checks=False,
        )  # fmt: skip
    beta = idata.posterior["beta"].values.ravel()
    rhat = float(az.rhat(idata, var_names=["beta", "alpha", "log_k"]).to_array().max())
    return beta, rhat


def compare(ours, beta):
    sd = float(beta.std())
    m = ours.posterior.beta_marginal
    return {
        "pymc_mean": float(beta.mean()),
        "ours_mean": m.mean,
        "pymc_sd": sd,
        "mean_sd": abs(m.mean - beta.mean()) / sd,
        "q025_sd": abs(m.quantile(0.025) - np.quantile(beta, 0.025)) / sd,
        "q975_sd": abs(m.quantile(0.975) - np.quantile(beta, 0.975)) / sd,
        "p_below_1": abs(m.prob_below(0.0) - float(np.mean(beta < 0))),
        "p_below_0_8": abs(m.prob_below(math.log(0.8)) - float(np.mean(beta < math.log(0.8)))),
    }


def agreement(cores: int) -> list[dict]:
    import pymc as pm

    rows = []
    for rate in (3, 7):
        scenario = Scenario(cramps_per_week=rate, rate_ratio=0.7, pairs=6, overdispersion=1.5)
        simulated = simulate_trials(scenario, 20, np.random.default_rng(1000 + rate))
        model = None
        for i in range(20):
            nights = simulated.trial_nights(i)
            ours = analyze(nights)
            counts, treated, period, n_periods = used_arrays(nights)
            if model is None:
                model = pymc_model(counts, treated, period, n_periods, ours.priors.alpha_mean)
            else:  # complete 12-week diaries all have the same shape: swap the data in
                with model:
                    pm.set_data(
                        {
                            "y": counts,
                            "a": treated,
                            "p": period,
                            "alpha_mean": ours.priors.alpha_mean,
                        }
                    )
            beta, rhat = sample(model, seed=i, cores=cores)
            row = {"rate": rate, "trial": i, "rhat": rhat, **compare(ours, beta)}
            rows.append(row)
            print(
                f"  {rate}/wk trial {i:2d}: mean {row['mean_sd']:.3f} SD, q2.5 {row['q025_sd']:.3f}, "
                f"q97.5 {row['q975_sd']:.3f}, P<1 {row['p_below_1']:.4f}, P<0.8 {row['p_below_0_8']:.4f}, "
                f"R-hat {rhat:.4f}",
                flush=True,
            )
    return rows


def speed(cores: int) -> dict:
    scenario = Scenario(cramps_per_week=5, rate_ratio=0.7, pairs=12, missing=0.1)
    nights = simulate_trials(scenario, 1, np.random.default_rng(24)).trial_nights(0)
    analyze(nights)  # warm caches and imports
    ours = []
    for _ in range(50):
        start = time.perf_counter()
        result = analyze(nights)
        ours.append(time.perf_counter() - start)
    counts, treated, period, n_periods = used_arrays(nights)
    model = pymc_model(counts, treated, period, n_periods, result.priors.alpha_mean)
    start = time.perf_counter()
    sample(model, seed=1, cores=cores)
    first = time.perf_counter() - start
    start = time.perf_counter()
    sample(model, seed=2, cores=cores)
    repeat = time.perf_counter() - start
    ours_median = statistics.median(ours)
    return {
        "nights": len(nights),
        "ours_median_s": ours_median,
        "ours_best_s": min(ours),
        "pymc_first_s": first,
        "pymc_repeat_s": repeat,
        "ratio_repeat": repeat / ours_median,
        "ratio_first": first / ours_median,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--cores", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--skip-agreement", action="store_true")
    args = parser.parse_args()

    print(f"speed: one 24-week trial (PyMC {CHAINS} chains x ({TUNE}+{DRAWS}), cores={args.cores})")
    timing = speed(args.cores)
    print(
        f"  ours {1000 * timing['ours_median_s']:.1f} ms (median of 50), "
        f"PyMC {timing['pymc_repeat_s']:.2f} s repeat / {timing['pymc_first_s']:.2f} s first call: "
        f"{timing['ratio_repeat']:.0f}x / {timing['ratio_first']:.0f}x faster"
    )
    ok = timing["ours_median_s"] < 0.020 and timing["ratio_repeat"] >= 200

    rows = [] if args.skip_agreement else agreement(args.cores)
    if rows:
        worst = {
            key: float(max(r[key] for r in rows))
            for key in ("mean_sd", "q025_sd", "q975_sd", "p_below_1", "p_below_0_8", "rhat")
        }
        print("worst over all trials:", {k: round(v, 4) for k, v in worst.items()})
        ok &= worst["mean_sd"] <= TOLERANCE["mean_sd"]
        ok &= max(worst["q025_sd"], worst["q975_sd"]) <= TOLERANCE["quantile_sd"]
        ok &= max(worst["p_below_1"], worst["p_below_0_8"]) <= TOLERANCE["probability"]
        ok &= worst["rhat"] < 1.01
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"speed": timing, "agreement": rows, "ok": bool(ok)}, out, indent=2)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
