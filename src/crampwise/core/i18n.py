"""Translation markers for the pure core.

Pure modules must not import Django, yet their sentences reach users and must be translatable.
``gettext``/``ngettext`` here defer to Django's catalogue when Django is configured (the web app,
the CLI) and fall back to the English source text otherwise (plain unit tests, benchmarks).
``makemessages`` finds them because the names are the standard gettext keywords.
"""

from __future__ import annotations


def _django_ready() -> bool:
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is a dependency, but the core may run alone
        return False
    return settings.configured


def gettext(message: str) -> str:
    if _django_ready():
        from django.utils.translation import gettext as django_gettext

        return django_gettext(message)
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    if _django_ready():
        from django.utils.translation import ngettext as django_ngettext

        return django_ngettext(singular, plural, n)
    return singular if n == 1 else plural


_ = gettext
