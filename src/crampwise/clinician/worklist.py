"""The clinician's worklist: granted patients ordered by what needs attention, from stored figures.

One query a page, whatever the clinic's size: the clinician's open grants joined with each
patient's ``PatientSummary`` (one to one), with the need score worked out in SQL from the stored
facts and today's cutoffs (``clinician/core/worklist.py`` holds the rule and its weights). No
report is built here; figures missing for older data are computed once, up to a limit a view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Trim
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crampwise.clinician import services, summaries
from crampwise.clinician.access import client_ip
from crampwise.clinician.core import worklist as rules
from crampwise.clinician.core.report_text import day
from crampwise.clinician.models import AccessEvent, Grant
from crampwise.clinician.tokens import format_code
from crampwise.clinician.views import _clinician_only, _private
from crampwise.diary import services as diary

# Figures missing for old data are computed on the first view; a clinic that has just upgraded
# runs `crampwise manage refresh_patient_summaries` instead of waiting through many of these.
LAZY_LIMIT = 200
MAX_QUERY_CHARS = 100
UNAVAILABLE_SCORE = 1000  # a patient whose figures cannot be read is looked at first

S = "patient__clinic_summary__"  # the summary's fields, reached from a grant


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    first_dir: str  # the direction of a first click: the one a clinician wants first
    order: tuple[str, ...]  # annotations and fields, ascending


def columns() -> list[Column]:
    return [
        Column("name", _("Patient"), "asc", ("sort_name",)),
        Column("need", _("Needs attention"), "desc", ("need", "red", "rate_sort")),
        Column("rate", _("Cramps a week"), "desc", ("rate_sort",)),
        Column("trend", _("Trend"), "desc", ("trend_sort",)),
        Column("checkin", _("Last check-in"), "asc", ("checkin_sort",)),
    ]


def _when(condition: Q, weight: int) -> Case:
    return Case(When(condition, then=Value(weight)), default=Value(0), output_field=IntegerField())


def worklist_queryset(clinician, cut: rules.Cutoffs, query: str = "") -> QuerySet:
    """The clinician's open grants with each patient's figures, need score and sort keys."""
    w = rules.WEIGHTS
    # No summary row (a LEFT JOIN's nulls) or a failed one: stated positively, so no NULL slips
    # through a negation.
    unavailable = Q(**{f"{S}as_of__isnull": True}) | Q(**{f"{S}failed": True})
    grants = Grant.objects.filter(
        clinician=clinician, revoked_at__isnull=True, patient__is_active=True
    )
    full_name = Trim(Concat("patient__first_name", Value(" "), "patient__last_name"))
    grants = grants.annotate(
        display_name=Coalesce(NullIf(full_name, Value("")), "patient__username"),
        sort_name=Lower("display_name"),
    )
    if query:
        grants = grants.filter(
            Q(patient__username__icontains=query) | Q(display_name__icontains=query)
        )
    trial_ended = Q(**{f"{S}trial_end__gte": cut.trial_since, f"{S}trial_end__lte": cut.last_night})
    return grants.annotate(
        available=Case(
            When(unavailable, then=Value(False)), default=Value(True), output_field=BooleanField()
        ),
        red=_when(Q(**{f"{S}red_flags__gt": 0}), 1),
        need=Case(
            When(unavailable, then=Value(UNAVAILABLE_SCORE)),
            default=_when(Q(**{f"{S}red_flags__gt": 0}), w["red_flag"])
            + _when(Q(**{f"{S}trend": "more"}), w["rising"])
            + _when(Q(**{f"{S}latest_medicine_start__gte": cut.medicine_since}), w["new_medicine"])
            + _when(Q(**{f"{S}trial_look_pending": True}) | trial_ended, w["trial_ready"])
            + _when(
                Q(**{f"{S}last_checkin__isnull": True})
                | Q(**{f"{S}last_checkin__lt": cut.checkin_before}),
                w["no_checkin"],
            ),
            output_field=IntegerField(),
        ),
        rate_sort=F(f"{S}rate_per_week"),
        trend_sort=Coalesce(f"{S}trend_rank", Value(-1)),
        checkin_sort=F(f"{S}last_checkin"),
    )


def ordered(grants: QuerySet, sort: str, direction: str) -> QuerySet:
    column = next((c for c in columns() if c.key == sort), None) or columns()[1]
    keys = []
    for name in column.order:
        expression = F(name)
        if direction == "desc":
            keys.append(expression.desc(nulls_last=True))
        elif name == "checkin_sort":
            # The oldest check-in first, and a patient who never checked in before them all.
            keys.append(expression.asc(nulls_first=True))
        else:
            keys.append(expression.asc(nulls_last=True))  # no figures: last either way
    # Ties: by name, then the grant, so a page never shows one patient twice or skips one.
    return grants.order_by(*keys, "sort_name", "pk")


FIELDS = (
    "rate_per_week",
    "rate_nights",
    "trend",
    "last_checkin",
    "red_flags",
    "latest_medicine_start",
    "latest_medicine_name",
    "trial_look_pending",
    "trial_end",
)


def row_view(row: dict[str, Any], cut: rules.Cutoffs) -> dict[str, Any]:
    """One row as the template shows it: reasons in words, the trend's arrow and words."""
    fig = {name: row[S + name] for name in FIELDS}
    out = {
        "grant_id": row["pk"],
        "report_url": reverse("clinician_report", args=[row["pk"]]),
        "patient_id": row["patient_id"],
        "name": row["display_name"],
        "username": row["patient__username"],
        "available": row["available"],
    }
    if not row["available"]:
        return out
    reasons = rules.active_reasons(
        red_flags=fig["red_flags"],
        trend=fig["trend"],
        latest_medicine_start=fig["latest_medicine_start"],
        trial_look_pending=fig["trial_look_pending"],
        trial_end=fig["trial_end"],
        last_checkin=fig["last_checkin"],
        cutoffs=cut,
    )
    arrow, words = rules.trend_words(fig["trend"])
    out.update(
        reasons=[
            {"key": key, "text": rules.reason_text(key, fig, cut), "urgent": key == "red_flag"}
            for key in reasons
        ],
        rate=fig["rate_per_week"],
        rate_nights=fig["rate_nights"],
        trend=fig["trend"],
        trend_arrow=arrow,
        trend_words=words,
        last_checkin=day(fig["last_checkin"]) if fig["last_checkin"] else None,
        last_checkin_iso=fig["last_checkin"].isoformat() if fig["last_checkin"] else "",
    )
    return out


def audit_shown(request, rows: list[dict[str, Any]]) -> None:
    """One audit row per patient whose figures this page showed (the same as opening the list did)."""
    now = timezone.now()
    ip = client_ip(request)
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    AccessEvent.objects.bulk_create(
        [
            AccessEvent(
                patient_id=row["patient_id"],
                via=AccessEvent.Via.CLINICIAN,
                what=AccessEvent.What.SUMMARY,
                actor=request.user,
                actor_label=request.user.get_username()[:150],
                at=now,
                ip=ip,
                user_agent=agent,
            )
            for row in rows
            if row["available"]
        ]
    )


def _clean_query(request) -> str:
    return " ".join(request.GET.get("q", "").split())[:MAX_QUERY_CHARS]


def _sort(request) -> tuple[str, str]:
    keys = {c.key: c for c in columns()}
    sort = request.GET.get("sort", "need")
    column = keys.get(sort) or keys["need"]
    direction = request.GET.get("dir", column.first_dir)
    return column.key, direction if direction in ("asc", "desc") else column.first_dir


def _link(query: str, sort: str, direction: str, page: int | None = None) -> str:
    params: dict[str, Any] = {}
    if query:
        params["q"] = query
    params.update(sort=sort, dir=direction)
    if page and page > 1:
        params["page"] = page
    return reverse("clinician_home") + "?" + urlencode(params)


def caption(sort: str, direction: str) -> str:
    """The table's caption says how it is sorted, so a screen reader hears it before the rows."""
    if (sort, direction) == ("need", "desc"):
        return _("Patients, those who need attention first")
    ways = {
        ("name", "asc"): _("Patients by name, A to Z"),
        ("name", "desc"): _("Patients by name, Z to A"),
        ("need", "asc"): _("Patients, those who need attention last"),
        ("rate", "desc"): _("Patients by cramps a week, most first"),
        ("rate", "asc"): _("Patients by cramps a week, fewest first"),
        ("trend", "desc"): _("Patients by trend, rising first"),
        ("trend", "asc"): _("Patients by trend, falling first"),
        ("checkin", "asc"): _("Patients by last check-in, oldest first"),
        ("checkin", "desc"): _("Patients by last check-in, newest first"),
    }
    return ways[(sort, direction)]


def headers(query: str, sort: str, direction: str) -> list[dict[str, Any]]:
    out = []
    for column in columns():
        active = column.key == sort
        next_dir = ("asc" if direction == "desc" else "desc") if active else column.first_dir
        out.append(
            {
                "key": column.key,
                "label": column.label,
                "url": _link(query, column.key, next_dir),
                "aria_sort": ("ascending" if direction == "asc" else "descending")
                if active
                else None,
                "next_words": _("sort from highest to lowest")
                if next_dir == "desc"
                else _("sort from lowest to highest"),
            }
        )
    return out


@login_required
@require_GET
def clinician_home(request):
    _clinician_only(request)
    clinician = request.user
    summaries.ensure_for(clinician, LAZY_LIMIT)
    cut = rules.Cutoffs(diary.last_night(clinician))
    query = _clean_query(request)
    sort, direction = _sort(request)
    grants = ordered(worklist_queryset(clinician, cut, query), sort, direction)
    values = grants.values(
        "pk",
        "patient_id",
        "patient__username",
        "display_name",
        "available",
        *(S + name for name in FIELDS),
    )
    page = Paginator(values, rules.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [row_view(row, cut) for row in page.object_list]
    audit_shown(request, rows)
    total = (
        Grant.objects.filter(
            clinician=clinician, revoked_at__isnull=True, patient__is_active=True
        ).count()
        if query
        else page.paginator.count  # without a search, the same count: not asked twice
    )
    return _private(
        render(
            request,
            "clinician/clinician_home.html",
            {
                "code": format_code(services.clinician_code(clinician).code),
                "rows": rows,
                "page": page,
                "total": total,
                "query": query,
                "sort": sort,
                "dir": direction,
                "headers": headers(query, sort, direction),
                "caption": caption(sort, direction),
                "prev_url": _link(query, sort, direction, page.previous_page_number())
                if page.has_previous()
                else None,
                "next_url": _link(query, sort, direction, page.next_page_number())
                if page.has_next()
                else None,
                "page_links": [
                    {"number": n, "url": _link(query, sort, direction, n)}
                    if isinstance(n, int)
                    else {"gap": True}
                    for n in page.paginator.get_elided_page_range(page.number, on_each_side=2)
                ],
            },
        )
    )
