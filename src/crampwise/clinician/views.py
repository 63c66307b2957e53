"""The report page and PDF for the patient, a share link and a clinician; sharing.

The clinician's list of patients is ``clinician/worklist.py``.

Every view of a patient's data by someone else goes through ``_serve``, which writes the audit row
before the data leaves. A link or grant that does not work answers 404 with the same page whether
it never existed, expired or was withdrawn, so a guesser learns nothing.
"""

from __future__ import annotations

import base64
import logging
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crampwise.clinician import loading, ratelimit, services
from crampwise.clinician.access import Viewer, active_grant, active_link, is_clinician, record
from crampwise.clinician.core.chart import weekly_svg
from crampwise.clinician.core.report_pdf import PAPERS, render_pdf
from crampwise.clinician.forms import GrantForm, PeriodForm, ShareLinkForm
from crampwise.clinician.models import AccessEvent, Grant, ShareLink
from crampwise.diary import services as diary_services

AUDIT_ROWS_SHOWN = 200

logger = logging.getLogger(__name__)


# --- shared rendering -----------------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    """Health data: never cached by a browser or proxy, never indexed."""
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _not_found(request) -> HttpResponse:
    # Django logs this 404 with its path; the logging filter blanks a share link's token in it.
    return _private(render(request, "clinician/not_available.html", status=404))


def _report_failed(patient) -> None:
    """Log a report that could not be built: the internal id and the error, no health data."""
    logger.exception("The report of patient %s could not be built", patient.pk)


def _unavailable(request) -> HttpResponse:
    """One patient's broken record gives a plain page, never a crash; 503: nothing was shown."""
    return _private(render(request, "clinician/report_unavailable.html", status=503))


def _chart_src(report: dict) -> str | None:
    svg = weekly_svg(report["trend"]["weeks"], report["chart"]["alt"])
    if svg is None:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _pdf_response(report: dict, paper: str) -> HttpResponse:
    pdf = render_pdf(report, paper)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="crampwise-report-{report["range"]["to"]}.pdf"'
    )
    return response  # made private where every report answer is (_serve)


def _paper(request) -> str:
    paper = request.GET.get("paper", "a4")
    return paper if paper in PAPERS else "a4"


def _range_problem(patient, *days: date | None) -> str | None:
    """Why a report's period cannot be used: a date outside what the diary can hold."""
    window = diary_services.night_window(patient)
    return next((p for d in days if d is not None and (p := window.problem(d))), None)


def _serve(request, viewer: Viewer, what: str, start: date | None, end: date | None, context: dict):
    """Build the report of ``viewer.patient`` and answer in the asked form, audited."""
    try:
        response = _build(request, viewer, what, start, end, context)
    except Exception:
        # Nothing of the patient's left the server, so nothing is audited.
        _report_failed(viewer.patient)
        return _unavailable(request)
    record(viewer, what, request)  # before the data leaves
    return _private(response)


def _build(request, viewer: Viewer, what: str, start, end, context: dict) -> HttpResponse:
    patient = viewer.patient
    if _range_problem(patient, start, end):
        # A share link made before dates were checked: its default period still answers.
        start, end = None, None
    if what == AccessEvent.What.FHIR:
        start, end = loading.resolve_range(patient, start, end)
        bundle = loading.fhir_bundle(patient, start, end)
        response = JsonResponse(bundle, json_dumps_params={"ensure_ascii": False})
        response["Content-Type"] = "application/fhir+json; charset=utf-8"
        response["Content-Disposition"] = (
            f'attachment; filename="crampwise-{end.isoformat()}.fhir.json"'
        )
        return response
    report = loading.load_report(patient, start, end)
    if what == AccessEvent.What.PDF:
        return _pdf_response(report, _paper(request))
    return render(
        request,
        "clinician/report.html",
        {"report": report, "chart_src": _chart_src(report), "viewer": viewer, **context},
    )


def _period(request, patient) -> tuple[PeriodForm, date | None, date | None]:
    """The period asked in the query string; the default (last 12 weeks) when it cannot be used."""
    form = PeriodForm(request.GET or None)
    if not (form.is_bound and form.is_valid()):
        return form, None, None
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        # One date alone is completed from the default; the result must still make sense.
        loading.resolve_range(patient, start, end)
    except ValueError as exc:
        form.add_error(None, str(exc))
        return form, None, None
    except OverflowError:  # a date at the end of the calendar, refused just below
        pass
    problem = _range_problem(patient, start, end)
    if problem:
        form.add_error(None, problem)
        return form, None, None
    return form, start, end


def _query(start: date | None, end: date | None) -> str:
    parts = []
    if start:
        parts.append(f"start={start.isoformat()}")
    if end:
        parts.append(f"end={end.isoformat()}")
    return "&".join(parts)


# --- the patient's own report ---------------------------------------------------------------


@login_required
@require_GET
def own_report(request):
    form, start, end = _period(request, request.user)
    query = _query(start, end)
    return _serve(
        request,
        Viewer(request.user, None),
        AccessEvent.What.PAGE,
        start,
        end,
        {
            "period_form": form,
            "pdf_url": reverse("report_pdf") + (f"?{query}&" if query else "?"),
            "mode": "owner",
        },
    )


@login_required
@require_GET
def own_report_pdf(request):
    _form, start, end = _period(request, request.user)
    return _serve(request, Viewer(request.user, None), AccessEvent.What.PDF, start, end, {})


# --- share links ------------------------------------------------------------------------------


def _link_viewer(request, token: str) -> Viewer | None:
    link = active_link(token)
    if link is None:
        return None
    if request.user.is_authenticated and request.user.pk == link.owner_id:
        return Viewer(link.owner, None, share_link=link)  # patients checking their own link
    actor = request.user if request.user.is_authenticated else None
    return Viewer(link.owner, AccessEvent.Via.SHARE_LINK, actor=actor, share_link=link)


def _shared(request, token: str, what: str):
    viewer = _link_viewer(request, token)
    if viewer is None:
        return _not_found(request)
    link = viewer.share_link
    assert link is not None  # a share link's viewer always has its link
    return _serve(
        request,
        viewer,
        what,
        link.range_from,
        link.range_to,
        {
            "pdf_url": reverse("shared_report_pdf", args=[token]) + "?",
            "mode": "link",
            "fhir_url": reverse("shared_fhir", args=[token]),
            "link": link,
        },
    )


@require_GET
def shared_report(request, token: str):
    return _shared(request, token, AccessEvent.What.PAGE)


@require_GET
def shared_report_pdf(request, token: str):
    return _shared(request, token, AccessEvent.What.PDF)


@require_GET
def shared_fhir(request, token: str):
    return _shared(request, token, AccessEvent.What.FHIR)


# --- the patient's sharing page ---------------------------------------------------------------


def _sharing_page(request, *, link_form=None, grant_form=None, new_link_url=None, status=200):
    user = request.user
    links = list(ShareLink.objects.filter(owner=user))
    grants = list(
        Grant.objects.filter(patient=user, revoked_at__isnull=True).select_related("clinician")
    )
    events = list(
        AccessEvent.objects.filter(patient=user).select_related("share_link")[:AUDIT_ROWS_SHOWN]
    )
    return _private(
        render(
            request,
            "clinician/sharing.html",
            {
                "links": links,
                "grants": grants,
                "events": events,
                "link_form": link_form or ShareLinkForm(),
                "grant_form": grant_form or GrantForm(),
                "new_link_url": new_link_url,
                "now": timezone.now(),
            },
            status=status,
        )
    )


@login_required
@require_GET
def sharing(request):
    return _sharing_page(request)


@login_required
@require_POST
def link_create(request):
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        return _sharing_page(request, link_form=form, status=400)
    data = form.cleaned_data
    problem = _range_problem(request.user, data["range_from"], data["range_to"])
    if problem:
        form.add_error(None, problem)
        return _sharing_page(request, link_form=form, status=400)
    try:
        _link, token = services.create_share_link(
            request.user,
            days=data["days"],
            range_from=data["range_from"],
            range_to=data["range_to"],
            label=data["label"],
        )
    except services.SharingError as exc:
        form.add_error(None, str(exc))
        return _sharing_page(request, link_form=form, status=400)
    # Shown once, in this answer only: no redirect, because a redirect would have to carry the
    # token in the session or a message cookie, which are stored.
    url = request.build_absolute_uri(reverse("shared_report", args=[token]))
    return _sharing_page(request, new_link_url=url, status=201)


@login_required
@require_POST
def link_revoke(request, link_id: int):
    link = get_object_or_404(ShareLink, pk=link_id, owner=request.user)
    services.revoke_link(link)
    messages.success(request, _("The link was withdrawn. It no longer works."))
    return redirect("sharing")


@login_required
@require_POST
def grant_create(request):
    form = GrantForm(request.POST)
    if not form.is_valid():
        return _sharing_page(request, grant_form=form, status=400)
    if ratelimit.blocked(request):
        form.add_error("code", _("Too many wrong codes. Wait a minute, then try again."))
        return _sharing_page(request, grant_form=form, status=429)
    try:
        grant, created = services.grant_access(request.user, form.cleaned_data["code"])
    except services.SharingError as exc:
        ratelimit.count_wrong_try(request)
        form.add_error("code", str(exc))
        return _sharing_page(request, grant_form=form, status=400)
    name = grant.clinician.get_full_name() or grant.clinician.get_username()
    if created:
        messages.success(request, _("%(name)s can now see your report.") % {"name": name})
    else:
        messages.info(request, _("%(name)s could already see your report.") % {"name": name})
    return redirect("sharing")


@login_required
@require_POST
def grant_revoke(request, grant_id):
    grant = get_object_or_404(Grant, pk=grant_id, patient=request.user)
    services.revoke_grant(grant)
    name = grant.clinician.get_full_name() or grant.clinician.get_username()
    messages.success(request, _("%(name)s can no longer see your report.") % {"name": name})
    return redirect("sharing")


# --- clinicians -------------------------------------------------------------------------------


def _clinician_only(request) -> None:
    if not is_clinician(request.user):
        raise PermissionDenied(_("This page is for clinician accounts."))


def _granted(request, grant_id, what: str):
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('account_login')}?next={request.path}")
    grant = active_grant(request.user, grant_id)
    if grant is None:
        return _not_found(request)
    form, start, end = (
        _period(request, grant.patient) if what != AccessEvent.What.FHIR else (None, None, None)
    )
    query = _query(start, end)
    viewer = Viewer(grant.patient, AccessEvent.Via.CLINICIAN, actor=request.user, grant=grant)
    return _serve(
        request,
        viewer,
        what,
        start,
        end,
        {
            "period_form": form,
            "mode": "clinician",
            "grant": grant,
            "pdf_url": reverse("clinician_report_pdf", args=[grant.pk])
            + (f"?{query}&" if query else "?"),
            "fhir_url": reverse("clinician_fhir", args=[grant.pk]),
        },
    )


@require_GET
def clinician_report(request, grant_id):
    return _granted(request, grant_id, AccessEvent.What.PAGE)


@require_GET
def clinician_report_pdf(request, grant_id):
    return _granted(request, grant_id, AccessEvent.What.PDF)


@require_GET
def clinician_fhir(request, grant_id):
    return _granted(request, grant_id, AccessEvent.What.FHIR)
