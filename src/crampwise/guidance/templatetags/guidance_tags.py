"""Template helpers for the guidance pages: citations, evidence words, drawings, the relief guide.

``{% load guidance_tags %}``. Text from the evidence base is English source text; ``|tr`` passes
it through gettext when the page is drawn, so a translation catalogue applies at display time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crampwise.core.knowledge import (
    evidence_info,
    illustration_svg,
    load_red_flags,
    load_relief_guide,
)
from crampwise.core.knowledge import load_sources as _load_sources

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()

DEFAULT_MUSCLE = "calf"  # the most common place for a night cramp (hallegraeff2017)
PROLONGED_CRAMP_FLAG = "urgent_prolonged_cramp"

GRADE_WORDS = {
    "high": gettext_lazy("High"),
    "moderate": gettext_lazy("Moderate"),
    "low": gettext_lazy("Low"),
    "very_low": gettext_lazy("Very low"),
    "none": gettext_lazy("No trials found"),
}
VERDICT_WORDS = {
    "helps": gettext_lazy("Helps"),
    "may_help": gettext_lazy("May help"),
    "uncertain": gettext_lazy("Not known if it helps"),
    "insufficient_evidence": gettext_lazy("Not enough research to tell"),
    "probably_no_benefit": gettext_lazy("Probably does not help"),
    "likely_not_effective": gettext_lazy("Likely does not help"),
    "harms_outweigh_benefit": gettext_lazy("The harms are greater than any benefit"),
    "not_tested": gettext_lazy("Not tested in trials"),
}
SOURCE_STATUS_WORDS = {
    "verified": gettext_lazy("Read by our research team"),
    "secondary": gettext_lazy("Known through a summary"),
    "citation_only": gettext_lazy("Reference work"),
}


@register.filter
def tr(text: str | None) -> str:
    """Translate a string of the evidence base at display time."""
    return _(text) if text else ""


@register.filter
def grade_words(grade: str) -> StrOrPromise:
    return GRADE_WORDS.get(grade, grade)


@register.filter
def verdict_words(verdict: str) -> StrOrPromise:
    return VERDICT_WORDS.get(verdict, verdict)


@register.filter
def source_status_words(status: str) -> StrOrPromise:
    return SOURCE_STATUS_WORDS.get(status, status)


@register.filter
def url_host(url: str) -> str:
    """A link's site name, as short link text (a full URL would overflow a narrow screen)."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


@cache
def source_numbers() -> dict[str, int]:
    """Each source's number on the sources page (its place in the bibliography file)."""
    return {key: i for i, key in enumerate(_load_sources(), start=1)}


def _cite(links: Iterable[tuple[str, int]]) -> SafeString:
    links = list(links)
    if not links:
        return mark_safe("")
    label = _("source")
    inner = format_html_join(
        ", ",
        '<a href="{}"><span class="visually-hidden">{} </span>{}</a>',
        ((href, label, number) for href, number in links),
    )
    return format_html('<span class="cite">[{}]</span>', inner)


@register.simple_tag
def cite(keys: Iterable[str], refs: Mapping[str, int] | None = None) -> SafeString:
    """Numbered links for the source keys of one statement.

    Without ``refs`` they point at the sources page; with ``refs`` (key -> number) they point at
    the page's own list of sources, as on a stored result whose bibliography is its own.
    """
    if refs is None:
        base = reverse("learn_sources")
        numbers = source_numbers()
        links = ((f"{base}#src-{key}", numbers[key]) for key in keys if key in numbers)
    else:
        links = ((f"#ref-{key}", refs[key]) for key in keys if key in refs)
    return _cite(links)


_SVG_LABEL_ATTRS = re.compile(r'\s(?:role|aria-labelledby)="[^"]*"')
_SVG_TEXT_ELEMENTS = re.compile(r"\s*<(title|desc)\b[^>]*>.*?</\1>", re.DOTALL)


@cache
def _bare_svg(name: str) -> str:
    # The file's own <title>/<desc> are English only; the translated alt text replaces them.
    svg = _SVG_TEXT_ELEMENTS.sub("", illustration_svg(name))
    head, sep, rest = svg.partition(">")
    return _SVG_LABEL_ATTRS.sub("", head) + sep + rest


@register.simple_tag
def illustration(name: str, alt: str) -> SafeString:
    """An own line drawing, inline so it takes the text colour (night mode), with alt text.

    Inline SVG markup is allowed by the page's CSP; the drawings carry no scripts or styles
    (tests/knowledge checks the files).
    """
    svg = _bare_svg(name)
    attrs = f' role="img" aria-label="{escape(_(alt))}" focusable="false" class="illustration"'
    return mark_safe(svg.replace("<svg", "<svg" + attrs, 1))


def prolonged_cramp_warning() -> str:
    """The 10-minute warning of the night log, worded by the red-flag data when it has it."""
    flag = load_red_flags().get(PROLONGED_CRAMP_FLAG)
    if flag is None or not flag.message:
        return _(
            "This cramp has lasted over 10 minutes. If it is not easing, please get medical "
            "advice now."
        )
    return " ".join(part for part in (_(flag.message), _(flag.action or "")) if part)


@register.simple_tag
def relief_warning() -> str:
    return prolonged_cramp_warning()


def chosen_muscle(requested: str | None, logged: str | None) -> str:
    """The muscle to show: the one asked for in the URL, else the one logged, else the calf."""
    known = {stretch.muscle for stretch in load_relief_guide().muscles}
    for muscle in (requested, logged):
        if muscle in known:
            return muscle
    return DEFAULT_MUSCLE


@register.inclusion_tag("guidance/evidence_stamp.html")
def evidence_stamp(last_reviewed=None) -> dict:
    """Version and review date of the evidence base, as a factsheet shows its revision."""
    return {"info": evidence_info(), "section_reviewed": last_reviewed}
