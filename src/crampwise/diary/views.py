from __future__ import annotations

import calendar
import uuid
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crampwise.core.knowledge import load_relief_guide
from crampwise.core.timefmt import duration
from crampwise.diary import services
from crampwise.diary.core.limits import EARLIEST_NIGHT
from crampwise.diary.core.nights import morning_after
from crampwise.diary.core.records import (
    MUSCLES,
    night_status,
    reconcile_cramps,
    unconfirmed_nights,
)
from crampwise.diary.forms import (
    MUSCLE_LABELS,
    SLEEP_CHOICES,
    SORENESS_CHOICES,
    CheckinForm,
    CsvImportForm,
    CustomFactorForm,
    EpisodeDetailsForm,
    MedicineForm,
    initial_from_night,
)
from crampwise.diary.models import CustomFactor, Episode, Medicine, Night
from crampwise.diary.presentation import CRAMP_LEVELS, day_state, factor_rows
from crampwise.guidance.models import checklist_initial
from crampwise.guidance.templatetags.guidance_tags import chosen_muscle
from crampwise.trials.services import adherence_form, save_adherence, tonight_for

today_night = services.current_night
last_night = services.last_night

# How far back the check-in looks for logged nights still waiting for a morning answer.
CONFIRM_WINDOW_DAYS = 60


@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def home(request):
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    user = request.user
    night = today_night(user)
    checkin_night = last_night(user)
    # Tonight's few episodes in one read: how many, and the latest one still going on.
    tonight = list(Episode.objects.filter(user=user, night=night).order_by("-started_at"))
    open_episode = next((e for e in tonight if e.ended_at is None), None)
    # A night before the account existed is not the person's to answer for.
    joined = services.current_night(user, user.date_joined)
    checked_in = checkin_night < joined or (
        Night.objects.filter(user=user, night=checkin_night, checked_in_at__isnull=False).exists()
    )
    return render(
        request,
        "diary/home.html",
        {
            "night": night,
            "morning": morning_after(night),
            "checkin_night": checkin_night,
            "checked_in": checked_in,
            "joined_night": joined,
            "open_episode": open_episode,
            "tonight_episodes": len(tonight),
            "new_episode_id": uuid.uuid4(),
            "trial_tonight": tonight_for(user),
            # When the morning card asks about last night, it is not listed again below it.
            "unconfirmed": nights_to_confirm(
                user,
                checkin_night - timedelta(days=CONFIRM_WINDOW_DAYS),
                checkin_night,
                leave_out=None if checked_in else checkin_night,
            ),
        },
    )


@login_required
@require_POST
def cramp_now(request):
    """One tap: the time is recorded at once; the details come after, if at all."""
    try:
        episode_id = uuid.UUID(request.POST.get("id", ""))
    except ValueError:
        episode_id = uuid.uuid4()
    try:
        episode, _created = services.log_episode(request.user, episode_id=episode_id)
    except PermissionError:
        episode, _created = services.log_episode(request.user)
    return redirect("episode", episode_id=episode.pk)


def _own_episode(request, episode_id) -> Episode:
    return get_object_or_404(Episode, pk=episode_id, user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def episode(request, episode_id):
    ep = _own_episode(request, episode_id)
    if request.method == "POST":
        form = EpisodeDetailsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            ep.muscle = data["muscle"] or ep.muscle
            ep.side = data["side"] or ep.side
            ep.pain = data["pain"] if data["pain"] is not None else ep.pain
            ep.reliefs = sorted(set(ep.reliefs) | set(data["reliefs"]))
            if "over" in request.POST and ep.ended_at is None:
                ep.ended_at = timezone.now()
            ep.save()
            if ep.ended_at is not None:
                messages.success(
                    request,
                    _("Saved. The cramp lasted %(duration)s. Sleep well.")
                    % {"duration": duration(ep.duration_seconds)},
                )
                return redirect("home")
            messages.success(request, _("Saved."))
            return redirect("episode", episode_id=ep.pk)
    else:
        # A muscle chosen in the relief guide without JavaScript (?muscle=foot) is the answer to
        # "Where?" as well: one choice, not two.
        requested = request.GET.get("muscle")
        muscle = requested if requested in MUSCLES and ep.ended_at is None else ep.muscle
        form = EpisodeDetailsForm(
            initial={"muscle": muscle, "side": ep.side, "pain": ep.pain, "reliefs": ep.reliefs}
        )
    return render(
        request,
        "diary/episode.html",
        {"episode": ep, "form": form, "relief": None if ep.ended_at else relief_context(ep, form)},
    )


def relief_context(ep: Episode, form: EpisodeDetailsForm) -> dict:
    """Every stretch of the relief guide; the one for the chosen muscle shows, the script swaps."""
    guide = load_relief_guide()
    chosen = chosen_muscle(form.initial.get("muscle"), ep.muscle)
    labels = [(m.muscle, MUSCLE_LABELS.get(m.muscle, m.muscle)) for m in guide.muscles]
    return {
        "stretches": guide.muscles,
        "labels": labels,
        "chosen": chosen,
        "techniques": guide.techniques,
    }


@login_required
@require_POST
def episode_delete(request, episode_id):
    ep = _own_episode(request, episode_id)
    night = ep.night
    services.delete_episode(ep)
    messages.success(request, _("The cramp was deleted."))
    return redirect("night", night=night.isoformat())


def _parse_night(value: str, user=None) -> date:
    """A night from the address; one the diary cannot hold (year 1, 9999-12-31) is not found."""
    try:
        night = date.fromisoformat(value)
    except ValueError:
        raise Http404("not a night") from None
    if night < EARLIEST_NIGHT or (user is not None and night not in services.night_window(user)):
        raise Http404("a night outside the diary")
    return night


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request, night: str | None = None):
    user = request.user
    # _parse_night refuses a night after the current one, as the diary's date window does.
    the_night = _parse_night(night, user) if night else last_night(user)
    medicines = list(Medicine.objects.filter(user=user).values_list("name", flat=True))
    custom = list(CustomFactor.objects.filter(user=user).values_list("name", "kind", "label"))
    if request.method == "POST":
        logged = Episode.objects.filter(user=user, night=the_night).count()
        form = CheckinForm(
            request.POST, custom_factors=custom, medicine_names=medicines, min_cramps=logged
        )
        trial_form = adherence_form(user, the_night, data=request.POST)
        if form.is_valid() and (trial_form is None or trial_form.is_valid()):
            with transaction.atomic():
                services.save_night(user, the_night, episode_count=logged, **form.night_fields())
                if trial_form is not None:
                    save_adherence(user, the_night, trial_form.cleaned_data["followed"])
            messages.success(
                request,
                _("Thank you. The night of %(night)s is saved.")
                % {"night": the_night.strftime("%a %d %b")},
            )
            return redirect("history" if night else "home")
        stored, episodes = None, []
    else:
        stored = Night.objects.filter(user=user, night=the_night).first()
        episodes = list(Episode.objects.filter(user=user, night=the_night))
        form = CheckinForm(
            initial=checkin_initial(user, the_night, stored, episodes, medicines),
            custom_factors=custom,
            medicine_names=medicines,
            min_cramps=len(episodes),
        )
        trial_form = adherence_form(user, the_night)
    waiting = nights_to_confirm(
        user, the_night - timedelta(days=CONFIRM_WINDOW_DAYS), last_night(user), leave_out=the_night
    )
    return render(
        request,
        "diary/checkin.html",
        {
            "form": form,
            "night": the_night,
            "morning": morning_after(the_night),
            "stored": stored,
            "episodes": episodes,
            "editing": night is not None,
            "trial_form": trial_form,
            "unconfirmed": waiting,
        },
    )


def nights_to_confirm(user, since: date, until: date, *, leave_out: date | None) -> list[date]:
    """Nights from ``since`` to ``until`` with cramps logged but no morning answer, oldest first:
    offered for confirmation, as they count towards no rate until then (decision 0002)."""
    rows = Night.objects.filter(
        user=user,
        night__gte=since,
        night__lte=until,
        reported_cramps__isnull=True,
        episode_count__gt=0,
    ).values_list("night", "reported_cramps", "episode_count")
    return [n for n in unconfirmed_nights(rows) if n != leave_out]


def checkin_initial(user, the_night, stored, episodes, medicine_names) -> dict:
    """Pre-fill so that a usual morning takes a few taps: this night if known, else last time's factors."""
    names = set(medicine_names)
    if stored is not None and stored.checked_in_at is not None:
        initial = initial_from_night(stored, names)
        count = stored.cramps
        initial["cramps"] = str(count) if count is not None and count < 5 else "5+"
        if count is not None and count >= 5:
            initial["cramps_more"] = count
        for field in ("worst_pain", "minutes_awake", "sleep_quality", "soreness", "note"):
            initial[field] = getattr(stored, field)
        return initial
    previous = (
        Night.objects.filter(user=user, night__lt=the_night, checked_in_at__isnull=False)
        .order_by("-night")
        .first()
    )
    initial = initial_from_night(previous, names) if previous else {}
    # Last evening's checklist (stretched, fluids, shoes) is fresher than the previous night's answers.
    initial.update(checklist_initial(user, the_night))
    if episodes:
        n = len(episodes)
        initial["cramps"] = str(n) if n < 5 else "5+"
        if n >= 5:
            initial["cramps_more"] = n
        pains = [e.pain for e in episodes if e.pain is not None]
        if pains:
            initial["worst_pain"] = max(pains)
    return initial


@login_required
def history(request):
    user = request.user
    today = today_night(user)
    # Nights after the last one that is over (tonight, or the night going on at 3 a.m.) are not
    # "not recorded": nobody could have answered for them yet.
    over = last_night(user)
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        first = date(year, month, 1)
    except ValueError:
        return HttpResponseBadRequest(_("Year and month must be numbers."))
    last = date(year, month, calendar.monthrange(year, month)[1])
    cells = {
        night: (reconcile_cramps(reported, logged), night_status(reported, logged))
        for night, reported, logged in Night.objects.filter(
            user=user, night__range=(first, last)
        ).values_list("night", "reported_cramps", "episode_count")
    }
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for day in week:
            count, status = cells.get(day, (None, "missing"))
            if day.month != month:
                state, level = "outside", 0
            elif day > today:
                state, level = "future", 0
            elif day > over and status == "missing":
                # The night in progress is not over: never "not recorded" before it ends.
                state, level = "tonight", 0
            else:
                state, level = day_state(count, status)
            row.append({"date": day, "state": state, "level": level, "count": count})
        weeks.append(row)
    # Rates rest on confirmed nights only (docs/insights.md): a logged night waits for its answer.
    confirmed = [
        count for night, (count, status) in cells.items() if status == "confirmed" and night <= over
    ]
    waiting = sorted(
        night
        for night, (_c, status) in cells.items()
        if status == "not_confirmed" and night <= over
    )
    prev_month = (first - timedelta(days=1)).replace(day=1)
    next_month = last + timedelta(days=1)
    return render(
        request,
        "diary/history.html",
        {
            "weeks": weeks,
            "month": first,
            "prev_month": prev_month,
            "next_month": next_month if next_month <= today else None,
            "recorded": len(confirmed),
            "cramps": sum(confirmed),
            "free": confirmed.count(0),
            "unconfirmed": waiting,
            "days_in_month": min(last, over).day if first <= over else 0,
            "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
            "levels": range(1, CRAMP_LEVELS + 1),
        },
    )


@login_required
def night_detail(request, night: str):
    the_night = _parse_night(night, request.user)
    stored = Night.objects.filter(user=request.user, night=the_night).first()
    episodes = Episode.objects.filter(user=request.user, night=the_night)
    status = night_status(stored.reported_cramps, stored.episode_count) if stored else "missing"
    return render(
        request,
        "diary/night.html",
        {
            "night": the_night,
            "morning": morning_after(the_night),
            "stored": stored,
            "status": status,
            "episodes": episodes,
            "factor_rows": factor_rows(request.user, stored) if stored else [],
            "sleep_words": dict(SLEEP_CHOICES).get(str(stored.sleep_quality)) if stored else None,
            "soreness_words": dict(SORENESS_CHOICES).get(str(stored.soreness)) if stored else None,
        },
    )


@login_required
@require_POST
def night_delete(request, night: str):
    the_night = _parse_night(night)
    if services.delete_night(request.user, the_night):
        messages.success(
            request,
            _("The night of %(night)s was deleted. It now counts as not recorded.")
            % {"night": the_night.isoformat()},
        )
    return redirect("history")


@login_required
def medicines(request):
    user = request.user
    if request.method == "POST":
        form = MedicineForm(request.POST, user=user)
        if form.is_valid():
            med = form.save(commit=False)
            med.user = user
            med.save()
            messages.success(request, _("%(name)s was added.") % {"name": med.name})
            return redirect("medicines")
    else:
        form = MedicineForm()
    return render(
        request,
        "diary/medicines.html",
        {"form": form, "medicines": Medicine.objects.filter(user=user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def medicine_edit(request, medicine_id):
    med = get_object_or_404(Medicine, pk=medicine_id, user=request.user)
    if request.method == "POST":
        if "delete" in request.POST:
            med.delete()
            messages.success(request, _("%(name)s was removed.") % {"name": med.name})
            return redirect("medicines")
        form = MedicineForm(request.POST, instance=med, user=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return redirect("medicines")
    else:
        form = MedicineForm(instance=med)
    return render(request, "diary/medicine_edit.html", {"form": form, "medicine": med})


@login_required
def factors(request):
    user = request.user
    if request.method == "POST":
        if "delete" in request.POST:
            CustomFactor.objects.filter(user=user, pk=request.POST.get("delete")).delete()
            messages.success(
                request, _("The factor was removed. Answers already given stay in your nights.")
            )
            return redirect("factors")
        form = CustomFactorForm(request.POST, user=user)
        if form.is_valid():
            factor = form.save(commit=False)
            factor.user = user
            factor.save()
            messages.success(
                request,
                _("“%(label)s” will be asked in each morning check-in.") % {"label": factor.label},
            )
            return redirect("factors")
    else:
        form = CustomFactorForm(user=user)
    return render(
        request,
        "diary/factors.html",
        {"form": form, "factors": CustomFactor.objects.filter(user=user)},
    )


@login_required
def export_csv(request):
    response = HttpResponse(
        services.export_csv(request.user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="crampwise-nights-{timezone.localdate().isoformat()}.csv"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request):
    problems = []
    if request.method == "POST":
        form = CsvImportForm(request.POST, request.FILES)
        if form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                problems = [
                    _("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.")
                ]
            else:
                result = services.import_csv(request.user, text)
                if result.ok:
                    n = len(result.nights)
                    messages.success(
                        request,
                        ngettext("%(n)s night was imported.", "%(n)s nights were imported.", n)
                        % {"n": n},
                    )
                    return redirect("history")
                problems = [str(p) for p in result.problems]
    else:
        form = CsvImportForm()
    return render(request, "diary/import.html", {"form": form, "problems": problems})


@login_required
@require_POST
def toggle_night_mode(request):
    choice = request.POST.get("mode")
    if choice in ("on", "off"):
        request.session["night_mode_override"] = choice
    else:
        request.session.pop("night_mode_override", None)
    return redirect(request.POST.get("next") if _safe_next(request) else "home")


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    )
