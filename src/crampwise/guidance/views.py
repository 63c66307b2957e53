"""Pages of the guidance app: the assessment, learn pages, remedies, sources and tonight's checklist.

Thin views over the pure core: ``guidance.assessment.assess`` decides, the knowledge package
supplies the text. Every query of a person's records filters on ``request.user``, so an id in a
URL can never reach someone else's assessment (another person gets the same 404 as a wrong id).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crampwise.core.knowledge import evidence_info, load_learn_pages, load_remedies, load_sources
from crampwise.diary.core.nights import morning_after, night_of
from crampwise.diary.models import Medicine
from crampwise.guidance.core.assessment import assess
from crampwise.guidance.core.inputs import AssessmentInputError
from crampwise.guidance.forms import AssessmentForm, EveningChecklistForm
from crampwise.guidance.models import Assessment, EveningChecklist, checklist_initial

SEVERE_FIRST = ("emergency", "urgent")
MEDICINE_FLAG = "medicine_associated_with_cramps"
# Remedy groups on the remedies page, in the order the plan prefers them: habits before pills.
REMEDY_KINDS = ("non_drug", "supplement", "medicine_review", "prescription")


# The assessment ---------------------------------------------------------------------------


def _medicine_names(user) -> tuple[list[str], list[str]]:
    """(every medicine name in the diary, the ones still taken), for the questionnaire."""
    today = timezone.localdate()
    rows = Medicine.objects.filter(user=user).only("name", "stopped")
    names = list(dict.fromkeys(row.name for row in rows))
    current = list(dict.fromkeys(r.name for r in rows if r.stopped is None or r.stopped >= today))
    return names, current


def _initial(user, current_medicines: list[str]) -> dict:
    profile = user.profile
    initial: dict = {"diary_medicines": current_medicines}
    if profile.birth_year:
        # The birth year gives the age give or take a year; the person can correct it.
        initial["age"] = max(0, timezone.localdate().year - profile.birth_year)
    if profile.sex:
        initial["sex"] = profile.sex
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request):
    user = request.user
    names, current = _medicine_names(user)
    if request.method == "POST":
        form = AssessmentForm(request.POST, medicine_names=names)
        if form.is_valid():
            answers = form.answers()
            try:
                result = assess(answers)
            except AssessmentInputError as error:  # the form checks the same rules; belt and braces
                for message in error.errors:
                    form.add_error(None, message)
            else:
                saved = Assessment.objects.create(
                    user=user,
                    answers=answers,
                    result=result,
                    evidence_version=result["evidence_version"],
                )
                return redirect("assessment_result", assessment_id=saved.pk)
    else:
        form = AssessmentForm(initial=_initial(user, current), medicine_names=names)
    past = Assessment.objects.filter(user=user).only("id", "created_at", "result")
    return render(request, "guidance/assessment.html", {"form": form, "past": past})


def _result_context(result: dict) -> dict:
    flags = result.get("flags", [])
    urgent = [f for f in flags if f["severity"] in SEVERE_FIRST]
    # Medicine flags get their own section, so they are not listed twice.
    others = [f for f in flags if f["severity"] not in SEVERE_FIRST and f["id"] != MEDICINE_FLAG]
    medicine_flags = [f for f in flags if f["id"] == MEDICINE_FLAG]
    plan = result.get("plan")
    plan_items = (
        # Stored results from before "held_back" existed have no such key.
        [i for part in ("steps", "ask_doctor", "held_back", "trials") for i in plan.get(part, [])]
        if plan
        else []
    )
    bibliography = result.get("bibliography", {})
    # Sources are numbered in the order a reader meets them on the page.
    cited = [
        k for item in (*urgent, *others, *plan_items, *medicine_flags) for k in item["sources"]
    ]
    order = [k for k in dict.fromkeys([*cited, *bibliography]) if k in bibliography]
    refs = {key: i for i, key in enumerate(order, start=1)}
    medicines = result.get("medicines", [])
    return {
        "urgent_flags": urgent,
        "emergency": any(f["severity"] == "emergency" for f in flags),
        "other_flags": others,
        "medicine_flags": medicine_flags,
        "no_link_medicines": [m for m in medicines if m["status"] == "no_known_link"],
        "not_checked_medicines": [m for m in medicines if m["status"] == "not_checked"],
        "unrecognised": result.get("unrecognised_medicines", []),
        "plan": plan,
        "refs": refs,
        "bibliography": [(key, refs[key], bibliography[key]) for key in order],
    }


@login_required
@require_GET
def assessment_result(request, assessment_id):
    saved = get_object_or_404(Assessment, pk=assessment_id, user=request.user)
    context = {"assessment": saved, "result": saved.result, **_result_context(saved.result)}
    return render(request, "guidance/assessment_result.html", context)


@login_required
@require_POST
def assessment_delete(request, assessment_id):
    saved = get_object_or_404(Assessment, pk=assessment_id, user=request.user)
    saved.delete()
    messages.success(request, _("The check was deleted."))
    return redirect("assessment")


# Learn pages (public: the evidence base is the same for everyone) --------------------------


def slug_of(section_id: str) -> str:
    return section_id.replace("_", "-")


@require_GET
def learn_index(request):
    sections = [(slug_of(s.id), s) for s in load_learn_pages()]
    return render(request, "guidance/learn_index.html", {"sections": sections})


@require_GET
def learn_section(request, slug: str):
    sections = load_learn_pages()
    slugs = [slug_of(s.id) for s in sections]
    if slug not in slugs:
        raise Http404("no such learn page")
    i = slugs.index(slug)
    return render(
        request,
        "guidance/learn_section.html",
        {
            "section": sections[i],
            "previous": (slugs[i - 1], sections[i - 1]) if i > 0 else None,
            "next": (slugs[i + 1], sections[i + 1]) if i + 1 < len(sections) else None,
        },
    )


@require_GET
def learn_remedies(request):
    remedies = list(load_remedies().values())
    groups = [(kind, [r for r in remedies if r.kind == kind]) for kind in REMEDY_KINDS]
    return render(request, "guidance/learn_remedies.html", {"groups": [g for g in groups if g[1]]})


@require_GET
def learn_sources(request):
    return render(
        request,
        "guidance/learn_sources.html",
        {"sources": list(load_sources().values()), "info": evidence_info()},
    )


# Tonight's prevention checklist ------------------------------------------------------------


def tonight_night(user) -> date:
    """The night going on now, in the person's own time (the one a bedtime checklist is about)."""
    profile = user.profile
    return night_of(timezone.now(), profile.zone, profile.day_boundary)


@login_required
@require_http_methods(["GET", "POST"])
def tonight(request):
    user = request.user
    night = tonight_night(user)
    if request.method == "POST":
        form = EveningChecklistForm(request.POST)
        if form.is_valid():
            # One row a night: saving again (or a retried post) updates it.
            EveningChecklist.objects.update_or_create(
                user=user, night=night, defaults={"answers": form.answers()}
            )
            messages.success(
                request, _("Saved. Tomorrow's check-in will start with these answers. Sleep well.")
            )
            return redirect("home")
    else:
        stored = checklist_initial(user, night)
        form = EveningChecklistForm(initial={k.removeprefix("f_"): v for k, v in stored.items()})
    return render(
        request,
        "guidance/tonight.html",
        {"form": form, "night": night, "morning": morning_after(night)},
    )
