"""Pages of trial series: the owner's protocols and series page, and the patient's joining.

A protocol is always fetched with ``owner=request.user`` from a clinician account, so anybody else
(another clinician, a patient) gets the same 404 as for an id that does not exist. Every look at
patients' data from the series page or an export is written to each patient's own access trail.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crampwise.clinician.access import is_clinician
from crampwise.series import audit, presentation, services
from crampwise.series.core.packs import real_pack
from crampwise.series.forms import ConsentForm, JoinForm, ProtocolForm
from crampwise.series.models import Enrolment, Protocol
from crampwise.series.summary import series_summary
from crampwise.trials.core.pooling import MIN_PATIENTS_WITH_ENOUGH
from crampwise.trials.services.catalogue import offered_remedy


def owned_protocol(request, protocol_id) -> Protocol:
    """The signed-in clinician's own protocol, else 404 (the same answer as for no such id)."""
    if not is_clinician(request.user):
        raise Http404("no such series")
    return get_object_or_404(Protocol, pk=protocol_id, owner=request.user)


def _form_fields(form: ProtocolForm) -> dict:
    return {name: form.cleaned_data[name] for name in services.DESIGN_FIELDS}


def _save_protocol(request, form: ProtocolForm, make) -> Protocol | None:
    if not form.is_valid():
        return None
    try:
        return make(**_form_fields(form))
    except services.SeriesError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return None


@login_required
@require_http_methods(["GET", "POST"])
def series_home(request):
    """The clinician's protocols, and a form for a new one."""
    if not is_clinician(request.user):
        raise Http404("this page is for clinician accounts")
    form = ProtocolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        protocol = _save_protocol(
            request, form, lambda **f: services.create_protocol(request.user, **f)
        )
        if protocol is not None:
            messages.success(request, _("The protocol is saved. Give patients its code."))
            return redirect("series_detail", protocol_id=protocol.pk)
    protocols = Protocol.objects.filter(owner=request.user).order_by("title", "-version")
    return render(request, "series/home.html", {"form": form, "protocols": protocols})


@login_required
@require_http_methods(["GET", "POST"])
def protocol_copy(request, protocol_id, mode: str):
    """A copy (a new series) or the next version of a protocol, from a pre-filled form."""
    protocol = owned_protocol(request, protocol_id)
    initial = {name: getattr(protocol, name) for name in services.DESIGN_FIELDS}
    if mode == "copy":
        initial["title"] = _("Copy of %(title)s") % {"title": protocol.title}
    form = ProtocolForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        make = services.copy_protocol if mode == "copy" else services.new_version
        created = _save_protocol(request, form, lambda **f: make(protocol, **f))
        if created is not None:
            messages.success(request, _("The new protocol is saved."))
            return redirect("series_detail", protocol_id=created.pk)
    return render(request, "series/copy.html", {"form": form, "protocol": protocol, "mode": mode})


@login_required
@require_GET
def series_detail(request, protocol_id):
    protocol = owned_protocol(request, protocol_id)
    summary = series_summary(protocol)
    audit.record_view(protocol, request, "page")
    # The figures' part of the page is cached under the summary's key (the template's
    # {% cache %}); these are lazy so a cached page does not build them again.
    return render(request, "series/detail.html", {
        "protocol": protocol,
        "noun": presentation.remedy_noun(protocol),
        "summary": summary,
        "rows": lambda: presentation.patient_rows(summary),
        "numbers": lambda: presentation.page_numbers(summary, protocol),
        "forest": lambda: presentation.forest(summary),
        "needed": MIN_PATIENTS_WITH_ENOUGH,
        "versions": Protocol.objects.filter(owner=request.user, title=protocol.title)
        .exclude(pk=protocol.pk).order_by("version"),
        "withdrawn": protocol.enrolments.filter(withdrawn_at__isnull=False).count(),
        # The key, only once the owner opened it (it is never in the page before).
        "real_pack": real_pack(protocol.key_seed) if protocol.blinded and not protocol.key_sealed
        else None,
    })  # fmt: skip


@login_required
@require_GET
def protocol_print(request, protocol_id):
    """The protocol on one printed page (CENT 2015 items for a series)."""
    protocol = owned_protocol(request, protocol_id)
    return render(request, "series/protocol_print.html", {
        "protocol": protocol, "words": presentation.design_words(protocol),
        "noun": presentation.remedy_noun(protocol),
    })  # fmt: skip


@login_required
@require_POST
def series_unblind(request, protocol_id):
    protocol = owned_protocol(request, protocol_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you want to open the key."))
        return redirect("series_detail", protocol_id=protocol.pk)
    services.unblind(protocol, request.user)
    messages.success(request, _("The key is open. The figures now show real and dummy capsules."))
    return redirect("series_detail", protocol_id=protocol.pk)


@login_required
@require_POST
def series_finish(request, protocol_id):
    protocol = owned_protocol(request, protocol_id)
    services.finish(protocol, request.user)
    messages.success(request, _("The series is finished. Patients now see the pooled answer."))
    return redirect("series_detail", protocol_id=protocol.pk)


# ---- the patient's side ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def join(request):
    """Enter a series code; the patient's series (with a way to withdraw) are listed below."""
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        protocol = services.protocol_for_code(form.cleaned_data["code"])
        if protocol is None:
            form.add_error("code", _("No open series has this code. Check it and try again."))
        else:
            return redirect("series_consent", code=protocol.join_code)
    enrolments = (
        Enrolment.objects.filter(patient=request.user)
        .select_related("protocol__owner", "trial")
        .order_by("-consented_at")
    )
    return render(request, "series/join.html", {"form": form, "enrolments": enrolments})


@login_required
@require_http_methods(["GET", "POST"])
def consent(request, code: str):
    protocol = services.protocol_for_code(code)
    if protocol is None:
        raise Http404("no open series with this code")
    remedy = offered_remedy(protocol.remedy_id)
    needs_doctor = bool(remedy and remedy.needs_prescriber_agreement)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if needs_doctor and not form.cleaned_data["prescriber_agreed"]:
            form.add_error(
                "prescriber_agreed", _("This trial needs your doctor's agreement first.")
            )
        else:
            try:
                enrolment = services.enrol(
                    request.user, protocol, prescriber_agreed=form.cleaned_data["prescriber_agreed"]
                )
            except services.SeriesError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("You have joined. Your trial starts tonight."))
                return redirect("trial_detail", trial_id=enrolment.trial_id)
    return render(request, "series/consent.html", {
        "protocol": protocol, "form": form, "needs_doctor": needs_doctor,
        "lead": protocol.owner.get_username(), "noun": presentation.remedy_noun(protocol),
        "words": presentation.patient_design_words(protocol),
    })  # fmt: skip


@login_required
@require_POST
def withdraw(request, enrolment_id):
    enrolment = get_object_or_404(Enrolment, pk=enrolment_id, patient=request.user)
    services.withdraw(enrolment)
    messages.success(
        request,
        _("You have left the series. The study lead no longer sees your trial. It is still yours."),
    )
    return redirect("series_join")
