"""Settings for HTTP benchmarks: the product's settings plus a bare view as the baseline."""

from crampwise.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
