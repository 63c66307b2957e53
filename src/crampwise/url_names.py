"""URLs by name, reversed once per URL configuration and script prefix, for the hot paths.

Django's ``reverse`` walks its resolver on every call; the morning check-in's redirect and the
history calendar's links ask for the same few URLs on every request.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse


def url_for(name: str, *args: str) -> str:
    """``reverse(name, args=args)``, remembered (for URLs with few distinct arguments)."""
    return _reversed(name, args, get_urlconf(), get_script_prefix())


@lru_cache(maxsize=256)
def _reversed(name: str, args: tuple[str, ...], urlconf, prefix: str) -> str:
    # ``prefix`` is part of the key because reverse() prepends it (it may differ per deployment).
    return reverse(name, args=args, urlconf=urlconf)
