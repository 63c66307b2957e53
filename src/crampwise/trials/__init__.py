"""Personal randomized trials (N-of-1): the pure core, no Django.

- ``design``: the schedule (random order in every pair, run-in, washout) and tonight's assignment.
- ``analysis``: the Bayesian negative binomial answer; ``negbin_grid`` does the numbers.
- ``stopping``: looks at the end of each pair and their simulated operating characteristics.
- ``power``: the chance of a clear answer and the recommended length.
- ``csv_input`` and ``cli``: ``crampwise trial analyze FILE.csv ... --json``.
- ``report``: the CENT 2015 report content; ``wording``: the plain sentences.
"""
