"""How many wrong clinician codes a person, or an address, may try: a brake on guessing.

A code has 8 characters from 31 (about 10^12 codes), but a patient who guesses one right sends
their report to a stranger; so, like allauth's login limits, wrong tries are counted per person
and per address in Django's cache (shared by every app server when CRAMPWISE_REDIS_URL is set).
The counters run in whole-minute windows: one atomic increment a try, no list of times to rewrite.
"""

from __future__ import annotations

import time

from django.core.cache import cache

from crampwise.clinician.access import client_ip

WINDOW_SECONDS = 60
WRONG_PER_PERSON = 5
# A clinic or a care home may put many patients behind one address: a looser limit there.
WRONG_PER_ADDRESS = 20


def _keys(request) -> list[tuple[str, int]]:
    window = int(time.time() // WINDOW_SECONDS)
    keys = [(f"crampwise:code-tries:user:{request.user.pk}:{window}", WRONG_PER_PERSON)]
    ip = client_ip(request)
    if ip:
        keys.append((f"crampwise:code-tries:ip:{ip}:{window}", WRONG_PER_ADDRESS))
    return keys


def blocked(request) -> bool:
    """True when this person or this address used up its wrong tries for the minute."""
    keys = _keys(request)
    counts = cache.get_many([key for key, _limit in keys])
    return any(counts.get(key, 0) >= limit for key, limit in keys)


def count_wrong_try(request) -> None:
    for key, _limit in _keys(request):
        # add() starts the counter with its expiry; incr() is atomic in Redis and per process.
        cache.add(key, 0, WINDOW_SECONDS + 5)
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls: start again
            cache.set(key, 1, WINDOW_SECONDS + 5)
